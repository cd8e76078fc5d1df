//! The command line: global connection options and the command tree.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::cmd::{bench, consumer, kv, msg, object, server, stream, trace};

/// `natrium`: a NATS command-line client for natrium-server and nats-server.
#[derive(Debug, Parser)]
#[command(name = "natrium", version, about, propagate_version = true)]
pub struct Cli {
    /// How to reach the server.
    #[command(flatten)]
    pub conn: ConnArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Connection options; accepted before or after the subcommand.
#[derive(Debug, Clone, Default, Args)]
pub struct ConnArgs {
    /// NATS server URLs, comma separated
    #[arg(
        short = 's',
        long = "server",
        env = "NATS_URL",
        global = true,
        value_name = "URL"
    )]
    pub server: Option<String>,
    /// Username (or token)
    #[arg(long, env = "NATS_USER", global = true, value_name = "USER")]
    pub user: Option<String>,
    /// Password
    #[arg(long, env = "NATS_PASSWORD", global = true, hide_env_values = true)]
    pub password: Option<String>,
    /// Token
    #[arg(long, env = "NATS_TOKEN", global = true, hide_env_values = true)]
    pub token: Option<String>,
    /// User credentials file (JWT and seed)
    #[arg(long, env = "NATS_CREDS", global = true, value_name = "FILE")]
    pub creds: Option<PathBuf>,
    /// File holding the user's NKEY seed
    #[arg(long, env = "NATS_NKEY", global = true, value_name = "FILE")]
    pub nkey: Option<PathBuf>,
    /// TLS client certificate
    #[arg(long, env = "NATS_CERT", global = true, value_name = "FILE")]
    pub tlscert: Option<PathBuf>,
    /// TLS client key
    #[arg(long, env = "NATS_KEY", global = true, value_name = "FILE")]
    pub tlskey: Option<PathBuf>,
    /// TLS certificate authority chain
    #[arg(long, env = "NATS_CA", global = true, value_name = "FILE")]
    pub tlsca: Option<PathBuf>,
    /// Perform the TLS handshake before the server's greeting
    #[arg(long, global = true)]
    pub tlsfirst: bool,
    /// Time to wait on responses from NATS (e.g. 5s, 500ms)
    #[arg(long, env = "NATS_TIMEOUT", global = true, value_parser = parse_duration)]
    pub timeout: Option<Duration>,
    /// Configuration context to use
    #[arg(long, env = "NATS_CONTEXT", global = true, value_name = "NAME")]
    pub context: Option<String>,
    /// Ignore the selected context
    #[arg(long, global = true)]
    pub no_context: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Publish messages
    #[command(alias = "publish")]
    Pub(msg::PubArgs),
    /// Subscribe and print messages
    #[command(alias = "subscribe")]
    Sub(msg::SubArgs),
    /// Send a request and print the replies
    #[command(alias = "request")]
    Req(msg::ReqArgs),
    /// Answer requests: a fixed body, an echo, or a command's output
    Reply(msg::ReplyArgs),
    /// Round-trip time to each server
    Rtt(server::RttArgs),
    /// Trace message delivery within a NATS network (--timeout waits per event, default 2s)
    Trace(trace::TraceArgs),
    /// Manage connection contexts
    #[command(subcommand, alias = "ctx")]
    Context(crate::cmd::context::ContextCmd),
    /// Server information, pings and health checks
    #[command(subcommand, alias = "srv")]
    Server(server::ServerCmd),
    /// JetStream stream management
    #[command(subcommand, alias = "str")]
    Stream(stream::StreamCmd),
    /// JetStream consumer management
    #[command(subcommand, alias = "con")]
    Consumer(consumer::ConsumerCmd),
    /// Key-value buckets
    #[command(subcommand)]
    Kv(kv::KvCmd),
    /// Object store buckets
    #[command(subcommand, alias = "obj")]
    Object(object::ObjectCmd),
    /// Account information
    #[command(subcommand)]
    Account(crate::cmd::account::AccountCmd),
    /// Benchmark a server: Core NATS, request/reply and JetStream
    #[command(subcommand)]
    Bench(bench::BenchCmd),
    /// Serve NATS tools to an AI agent over the Model Context Protocol (stdio)
    Mcp(crate::mcp::McpArgs),
    /// Print a shell completion script
    Completion {
        /// The shell
        shell: clap_complete::Shell,
    },
}

/// `--timeout`, `--sleep` and friends.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    crate::units::parse(s)
}

/// `--max-bytes` and friends.
pub fn parse_size(s: &str) -> Result<i64, String> {
    crate::units::parse_size(s)
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::{Cli, Command};

    #[test]
    fn the_command_tree_is_consistent() {
        Cli::command().debug_assert();
    }

    /// A subcommand argument with a global flag's id silently takes the flag's value.
    #[test]
    fn no_subcommand_argument_reuses_a_global_id() {
        fn walk(cmd: &clap::Command, globals: &[String], path: &str) {
            for sub in cmd.get_subcommands() {
                let here = format!("{path} {}", sub.get_name());
                for arg in sub.get_arguments() {
                    let id = arg.get_id().as_str();
                    assert!(
                        !globals.iter().any(|g| g == id),
                        "{here}: argument {id:?} is a global id"
                    );
                }
                walk(sub, globals, &here);
            }
        }
        let cmd = Cli::command();
        let globals: Vec<String> = cmd
            .get_arguments()
            .filter(|a| a.is_global_set())
            .map(|a| a.get_id().to_string())
            .collect();
        assert!(globals.iter().any(|g| g == "server"));
        walk(&cmd, &globals, "natrium");
    }

    #[test]
    fn positional_arguments_do_not_shadow_global_flags() {
        let cli = Cli::parse_from(["natrium", "-s", "nats://a:1", "server", "info", "srv1"]);
        assert_eq!(cli.conn.server.as_deref(), Some("nats://a:1"));
        let Command::Server(crate::cmd::server::ServerCmd::Info { target, .. }) = cli.command
        else {
            panic!("parsed as another command");
        };
        assert_eq!(target.as_deref(), Some("srv1"));
    }
}
