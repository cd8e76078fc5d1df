//! The commands, one module per command group.

pub mod account;
pub mod bench;
pub mod check;
pub mod consumer;
pub mod context;
pub mod kv;
pub mod msg;
pub mod object;
pub mod server;
pub mod stream;
pub mod trace;

use std::process::ExitCode;

use clap::CommandFactory;

use crate::cli::{Cli, Command};
use crate::conn::Settings;
use crate::Error;

/// Runs `cli`'s command.
pub async fn dispatch(cli: Cli) -> Result<ExitCode, Error> {
    let ok = Ok(ExitCode::SUCCESS);
    match cli.command {
        Command::Context(cmd) => context::run(&cli.conn, cmd).map(|()| ExitCode::SUCCESS),
        Command::Completion { shell } => {
            // Generated into memory first: clap_complete panics on a write error, and
            // stdout may be a closed pipe.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "natrium", &mut script);
            crate::output::write_out(&String::from_utf8_lossy(&script))?;
            ok
        }
        Command::Server(server::ServerCmd::Mapping { from, to, subject }) => {
            server::mapping(&from, &to, subject.as_deref()).map(|()| ExitCode::SUCCESS)
        }
        Command::Server(server::ServerCmd::Check(args)) => {
            let settings = Settings::resolve(&cli.conn)?;
            Ok(check::check(&settings, args).await)
        }
        Command::Bench(cmd) => {
            let settings = Settings::resolve(&cli.conn)?;
            bench::run(&settings, cmd).await.map(|()| ExitCode::SUCCESS)
        }
        Command::Mcp(args) => {
            let settings = Settings::resolve(&cli.conn)?;
            crate::mcp::run(&settings, args)
                .await
                .map(|()| ExitCode::SUCCESS)
        }
        Command::Rtt(args) => {
            let settings = Settings::resolve(&cli.conn)?;
            server::rtt(&settings, args)
                .await
                .map(|()| ExitCode::SUCCESS)
        }
        command => {
            let settings = Settings::resolve(&cli.conn)?;
            let client = settings.connect().await?;
            let t = settings.timeout;
            match command {
                Command::Pub(a) => msg::publish(&client, a).await?,
                Command::Sub(a) => msg::subscribe(&client, a).await?,
                Command::Req(a) => msg::request(&client, a, t).await?,
                Command::Reply(a) => msg::reply(&client, a).await?,
                Command::Server(c) => server::run(&client, c, t).await?,
                Command::Stream(c) => stream::run(&client, c, t).await?,
                Command::Consumer(c) => consumer::run(&client, c, t).await?,
                Command::Kv(c) => kv::run(&client, c, t).await?,
                Command::Object(c) => object::run(&client, c, t).await?,
                Command::Account(c) => account::run(&client, c, t).await?,
                // Waits for events, not answers: a short default of its own.
                Command::Trace(a) => {
                    let t = cli.conn.timeout.unwrap_or(trace::DEFAULT_TIMEOUT);
                    trace::run(&client, a, t).await?;
                }
                Command::Context(_)
                | Command::Completion { .. }
                | Command::Rtt(_)
                | Command::Bench(_)
                | Command::Mcp(_) => {}
            }
            // Whatever was published must reach the server before the process exits.
            client
                .flush()
                .await
                .map_err(|e| Error::Nats(e.to_string()))?;
            ok
        }
    }
}

/// Parses `K:V` header flags.
pub fn headers(flags: &[String]) -> Result<Option<async_nats::HeaderMap>, Error> {
    if flags.is_empty() {
        return Ok(None);
    }
    let mut map = async_nats::HeaderMap::new();
    for flag in flags {
        let (k, v) = flag
            .split_once(':')
            .ok_or_else(|| Error::Usage(format!("invalid header {flag:?}: use K:V")))?;
        let (k, v) = (k.trim(), v.trim());
        if k.is_empty() {
            return Err(Error::Usage(format!("invalid header {flag:?}: empty name")));
        }
        map.append(k, v);
    }
    Ok(Some(map))
}
