//! nats-server's command line, parsed with clap.
//!
//! nats-server uses Go's flag package, where `-port` and `--port` are the same flag and
//! multi-letter flags take one dash (`-js`, `-sd`, `-DV`). [`normalize`] rewrites such
//! arguments into clap's shape first, so every spelling nats-server accepts works here.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

use crate::options::{Options, User};

/// Flags that take no value; every other flag consumes the next argument unless it is
/// written `-flag=value`.
const BOOL_FLAGS: &[&str] = &[
    "t",
    "T",
    "logtime",
    "s",
    "syslog",
    "D",
    "debug",
    "V",
    "trace",
    "VV",
    "DV",
    "DVV",
    "js",
    "jetstream",
    "tls",
    "tlsverify",
    "v",
    "version",
    "h",
    "help",
    "help_tls",
];

/// The command line of `natrium-server`, flag for flag as nats-server's.
#[derive(Debug, Default, Parser)]
#[command(
    name = "natrium-server",
    about = "A NATS server written in Rust, a drop-in replacement for nats-server",
    disable_version_flag = true
)]
pub struct Flags {
    /// Bind to host address (default: 0.0.0.0)
    #[arg(short = 'a', long = "addr", visible_alias = "net", value_name = "HOST")]
    pub addr: Option<String>,
    /// Use port for clients (default: 4222; -1 picks a free port)
    #[arg(
        short = 'p',
        long = "port",
        allow_negative_numbers = true,
        value_name = "PORT"
    )]
    pub port: Option<i32>,
    /// Server name (default: the server id)
    #[arg(
        short = 'n',
        long = "name",
        visible_alias = "server_name",
        value_name = "NAME"
    )]
    pub name: Option<String>,
    /// File to store the PID
    #[arg(short = 'P', long = "pid", value_name = "FILE")]
    pub pid: Option<PathBuf>,
    /// Use port for HTTP monitoring (-1 picks a free port)
    #[arg(
        short = 'm',
        long = "http_port",
        allow_negative_numbers = true,
        value_name = "PORT"
    )]
    pub http_port: Option<i32>,
    /// Use port for HTTPS monitoring (not supported yet)
    #[arg(
        long = "https_port",
        visible_alias = "ms",
        allow_negative_numbers = true,
        value_name = "PORT"
    )]
    pub https_port: Option<i32>,
    /// Configuration file
    #[arg(short = 'c', long = "config", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Test the configuration and exit
    #[arg(short = 't')]
    pub test_config: bool,
    /// Send a signal to a running server: ldm, stop, quit, term, reopen, reload, with =PID
    #[arg(long = "signal", visible_alias = "sl", value_name = "SIGNAL[=PID]")]
    pub signal: Option<String>,
    /// Client URL to advertise to other servers
    #[arg(long = "client_advertise", value_name = "URL")]
    pub client_advertise: Option<String>,
    /// Write <dir>/<executable>_<pid>.ports once ready for clients
    #[arg(long = "ports_file_dir", value_name = "DIR")]
    pub ports_file_dir: Option<PathBuf>,
    /// File to redirect log output to
    #[arg(short = 'l', long = "log", value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Timestamp log entries (default: true)
    #[arg(short = 'T', long = "logtime", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub logtime: Option<bool>,
    /// Log to syslog (not supported: logs go to stderr or --log)
    #[arg(short = 's', long = "syslog")]
    pub syslog: bool,
    /// Remote syslog address (not supported)
    #[arg(short = 'r', long = "remote_syslog", value_name = "ADDR")]
    pub remote_syslog: Option<String>,
    /// Enable debugging output
    #[arg(short = 'D', long = "debug")]
    pub debug: bool,
    /// Trace the raw protocol
    #[arg(short = 'V', long = "trace")]
    pub trace: bool,
    /// Verbose trace
    #[arg(long = "VV")]
    pub verbose_trace: bool,
    /// Debug and trace
    #[arg(long = "DV")]
    pub debug_trace: bool,
    /// Debug and verbose trace
    #[arg(long = "DVV")]
    pub debug_verbose_trace: bool,
    /// Logfile size limit
    #[arg(long = "log_size_limit", value_name = "LIMIT")]
    pub log_size_limit: Option<String>,
    /// Maximum printable length for traced messages
    #[arg(long = "max_traced_msg_len", value_name = "LEN")]
    pub max_traced_msg_len: Option<String>,
    /// Enable JetStream
    #[arg(long = "jetstream", visible_alias = "js")]
    pub jetstream: bool,
    /// Set the JetStream storage directory (does not by itself enable JetStream)
    #[arg(long = "store_dir", visible_alias = "sd", value_name = "DIR")]
    pub store_dir: Option<PathBuf>,
    /// User required for connections
    #[arg(long = "user", value_name = "USER")]
    pub user: Option<String>,
    /// Password required for connections
    #[arg(long = "pass", value_name = "PASSWORD")]
    pub pass: Option<String>,
    /// Authorization token required for connections
    #[arg(long = "auth", value_name = "TOKEN")]
    pub auth: Option<String>,
    /// Enable TLS (not supported yet)
    #[arg(long = "tls")]
    pub tls: bool,
    /// Server certificate file (not supported yet)
    #[arg(long = "tlscert", value_name = "FILE")]
    pub tlscert: Option<PathBuf>,
    /// Private key for the server certificate (not supported yet)
    #[arg(long = "tlskey", value_name = "FILE")]
    pub tlskey: Option<PathBuf>,
    /// Enable TLS and verify client certificates (not supported yet)
    #[arg(long = "tlsverify")]
    pub tlsverify: bool,
    /// Client certificate CA for verification (not supported yet)
    #[arg(long = "tlscacert", value_name = "FILE")]
    pub tlscacert: Option<PathBuf>,
    /// Routes to solicit and connect (comma-separated URLs)
    #[arg(long = "routes", value_name = "URLS")]
    pub routes: Option<String>,
    /// Cluster URL to listen on for routes, e.g. nats://0.0.0.0:6222
    #[arg(long = "cluster", value_name = "URL")]
    pub cluster: Option<String>,
    /// Cluster name
    #[arg(long = "cluster_name", value_name = "NAME")]
    pub cluster_name: Option<String>,
    /// Do not advertise known cluster information to clients
    #[arg(long = "no_advertise", value_name = "BOOL")]
    pub no_advertise: Option<String>,
    /// Cluster URL to advertise to other servers
    #[arg(long = "cluster_advertise", value_name = "URL")]
    pub cluster_advertise: Option<String>,
    /// For implicit routes, number of connect retries
    #[arg(long = "connect_retries", value_name = "N")]
    pub connect_retries: Option<String>,
    /// Cluster URL from which members can solicit routes
    #[arg(long = "cluster_listen", value_name = "URL")]
    pub cluster_listen: Option<String>,
    /// Show the version and exit
    #[arg(short = 'v', long = "version")]
    pub version: bool,
}

/// Rewrites Go-style arguments (`-port 1`, `-js`, `--p 1`) into clap's (`--port 1`,
/// `--js`, `-p 1`), leaving flag values untouched.
pub fn normalize<I: IntoIterator<Item = String>>(args: I) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut expect_value = false;
    let mut rest_are_values = false;
    for (i, arg) in args.into_iter().enumerate() {
        if expect_value {
            // Joined as `--flag=value` so a value that starts with '-' stays a value.
            expect_value = false;
            if let Some(flag) = out.last_mut() {
                flag.push('=');
                flag.push_str(&arg);
                continue;
            }
        }
        if i == 0 || rest_are_values {
            out.push(arg);
            continue;
        }
        if arg == "--" {
            rest_are_values = true;
            out.push(arg);
            continue;
        }
        let body = arg
            .strip_prefix("--")
            .or_else(|| arg.strip_prefix('-'))
            .filter(|b| !b.is_empty() && !b.starts_with(|c: char| c.is_ascii_digit()));
        let Some(body) = body else {
            out.push(arg);
            continue;
        };
        let (name, has_value) = match body.split_once('=') {
            Some((name, _)) => (name, true),
            None => (body, false),
        };
        if !has_value && !BOOL_FLAGS.contains(&name) {
            expect_value = true;
        }
        out.push(if name.chars().count() == 1 {
            format!("-{body}")
        } else {
            format!("--{body}")
        });
    }
    out
}

/// Why flags could not be applied.
#[derive(Debug, thiserror::Error)]
pub enum FlagError {
    /// `--connect_retries` that is not a count.
    #[error("invalid --connect_retries {0:?}: expected a number")]
    ConnectRetries(String),
    /// A cluster URL that is not `[nats://]host:port`.
    #[error("invalid cluster URL {0:?}: expected nats://host:port")]
    ClusterUrl(String),
    /// A port outside 0..=65535 (other than -1).
    #[error("invalid {flag} {value}: ports are 0-65535, or -1 for a random free port")]
    Port {
        /// The flag.
        flag: &'static str,
        /// The value given.
        value: i32,
    },
}

/// Host and port of `nats://host:port` (any scheme, or none; port -1 picks a free one).
pub fn url_host_port(url: &str) -> Result<(String, u16), FlagError> {
    let bad = || FlagError::ClusterUrl(url.to_owned());
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    // Credentials (`user:pass@`) and a trailing path are not used by the listener.
    let rest = rest.rsplit_once('@').map_or(rest, |(_, hp)| hp);
    let rest = rest.trim_end_matches('/');
    let (host, port) = rest.rsplit_once(':').ok_or_else(bad)?;
    let port: i32 = port.parse().map_err(|_| bad())?;
    let port = if port == -1 {
        0
    } else {
        u16::try_from(port).map_err(|_| bad())?
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    Ok((host.to_owned(), port))
}

fn port(flag: &'static str, value: i32) -> Result<u16, FlagError> {
    if value == -1 {
        return Ok(0);
    }
    u16::try_from(value).map_err(|_| FlagError::Port { flag, value })
}

impl Flags {
    /// Applies the flags on top of `opts` (which already holds the config file), so that
    /// flags win. Returns warnings for flags accepted but not acted on yet.
    pub fn apply(&self, opts: &mut Options) -> Result<Vec<String>, FlagError> {
        let mut warnings = Vec::new();
        if let Some(addr) = &self.addr {
            opts.host.clone_from(addr);
        }
        if let Some(p) = self.port {
            opts.port = port("--port", p)?;
        }
        if let Some(name) = &self.name {
            opts.server_name = Some(name.clone());
        }
        if let Some(pid) = &self.pid {
            opts.pid_file = Some(pid.clone());
        }
        if let Some(p) = self.http_port {
            opts.http_port = Some(port("--http_port", p)?);
        }
        if let Some(dir) = &self.ports_file_dir {
            opts.ports_file_dir = Some(dir.clone());
        }
        if let Some(log) = &self.log {
            opts.log.file = Some(log.clone());
        }
        if self.debug || self.debug_trace || self.debug_verbose_trace {
            opts.log.debug = true;
        }
        if self.trace || self.verbose_trace || self.debug_trace || self.debug_verbose_trace {
            opts.log.trace = true;
        }
        if self.jetstream {
            opts.jetstream.enabled = true;
        }
        if let Some(dir) = &self.store_dir {
            opts.jetstream.store_dir = Some(dir.clone());
        }
        if let Some(token) = &self.auth {
            opts.auth.token = Some(token.clone());
        }
        if let Some(user) = &self.user {
            opts.auth.user = Some(User {
                username: user.clone(),
                password: self.pass.clone().unwrap_or_default(),
                permissions: None,
                allowed_connection_types: Vec::new(),
                account: None,
            });
        }
        if let Some(url) = self.cluster.as_ref().or(self.cluster_listen.as_ref()) {
            opts.cluster.listen = Some(url_host_port(url)?);
        }
        if let Some(routes) = &self.routes {
            opts.cluster.routes = routes
                .split(',')
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_owned)
                .collect();
        }
        if let Some(name) = &self.cluster_name {
            opts.cluster.name = Some(name.clone());
        }
        if let Some(v) = &self.no_advertise {
            opts.cluster.no_advertise = matches!(v.as_str(), "true" | "1" | "yes");
        }
        if let Some(adv) = &self.cluster_advertise {
            opts.cluster.advertise = Some(adv.clone());
        }
        if let Some(n) = &self.connect_retries {
            opts.cluster.connect_retries = n
                .parse()
                .map_err(|_| FlagError::ConnectRetries(n.clone()))?;
        }
        if let Some(adv) = &self.client_advertise {
            opts.client_advertise = Some(adv.clone());
        }
        let unsupported: [(&str, bool); 4] = [
            ("--https_port", self.https_port.is_some()),
            ("--syslog", self.syslog),
            ("--remote_syslog", self.remote_syslog.is_some()),
            (
                "--tls/--tlsverify/--tlscert/--tlskey/--tlscacert",
                self.tls
                    || self.tlsverify
                    || self.tlscert.is_some()
                    || self.tlskey.is_some()
                    || self.tlscacert.is_some(),
            ),
        ];
        for (flag, given) in unsupported {
            if given {
                warnings.push(format!(
                    "{flag} is not supported yet by natrium-server and is ignored"
                ));
            }
        }
        Ok(warnings)
    }
}

/// Parses a nats-server duration: Go syntax (`2m`, `1h30m`, `500ms`) or bare seconds.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    match s.parse::<f64>() {
        Ok(secs) => Duration::try_from_secs_f64(secs).ok(),
        Err(_) => natrium_proto::parse_go_duration(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Flags {
        let args = normalize(args.iter().map(|s| (*s).to_owned()));
        Flags::try_parse_from(args).unwrap()
    }

    #[test]
    fn go_style_single_dash_long_flags_are_accepted() {
        let f = parse(&[
            "natrium-server",
            "-js",
            "-sd",
            "/tmp/x",
            "-DV",
            "-port",
            "5222",
        ]);
        assert!(f.jetstream && f.debug_trace);
        assert_eq!(f.store_dir.as_deref(), Some(std::path::Path::new("/tmp/x")));
        assert_eq!(f.port, Some(5222));
    }

    #[test]
    fn minus_one_port_means_random_and_values_are_not_rewritten() {
        let f = parse(&[
            "natrium-server",
            "-a",
            "127.0.0.1",
            "-p",
            "-1",
            "--pass",
            "-secret",
            "--user",
            "u",
        ]);
        assert_eq!(f.port, Some(-1));
        assert_eq!(f.pass.as_deref(), Some("-secret"));
        let mut opts = Options::default();
        f.apply(&mut opts).unwrap();
        assert_eq!(opts.port, 0);
        assert_eq!(opts.host, "127.0.0.1");
    }

    #[test]
    fn harness_cluster_flags_configure_the_cluster() {
        let f = parse(&[
            "natrium-server",
            "--server_name",
            "node1",
            "--cluster_name",
            "c",
            "--cluster",
            "nats://127.0.0.1:6222",
            "--routes",
            "nats://127.0.0.1:6223,nats://127.0.0.1:6224",
        ]);
        let mut opts = Options::default();
        let warnings = f.apply(&mut opts).unwrap();
        assert_eq!(opts.server_name.as_deref(), Some("node1"));
        assert!(warnings.is_empty());
        assert_eq!(opts.cluster.name.as_deref(), Some("c"));
        assert_eq!(opts.cluster.listen, Some(("127.0.0.1".to_owned(), 6222)));
        assert_eq!(
            opts.cluster.routes,
            ["nats://127.0.0.1:6223", "nats://127.0.0.1:6224"]
        );
        let f = parse(&[
            "natrium-server",
            "--cluster_advertise",
            "10.1.2.3:7222",
            "--connect_retries",
            "5",
            "--client_advertise",
            "nats.example",
        ]);
        f.apply(&mut opts).unwrap();
        assert_eq!(opts.cluster.advertise.as_deref(), Some("10.1.2.3:7222"));
        assert_eq!(opts.cluster.connect_retries, 5);
        assert_eq!(opts.client_advertise.as_deref(), Some("nats.example"));
        assert_eq!(
            url_host_port("nats-route://u:p@[::1]:-1/").unwrap(),
            ("::1".to_owned(), 0)
        );
    }

    #[test]
    fn equals_form_and_double_dash_short_flags() {
        let f = parse(&["natrium-server", "--p=4333", "-m=8222", "-store_dir=/d"]);
        assert_eq!(f.port, Some(4333));
        assert_eq!(f.http_port, Some(8222));
        assert_eq!(f.store_dir.as_deref(), Some(std::path::Path::new("/d")));
    }

    #[test]
    fn out_of_range_port_is_an_error() {
        let f = parse(&["natrium-server", "-p", "70000"]);
        assert!(f.apply(&mut Options::default()).is_err());
    }

    #[test]
    fn durations_in_go_syntax() {
        assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("1h30m"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("250ms"), Some(Duration::from_millis(250)));
        assert_eq!(parse_duration("1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_duration("2x"), None);
        assert_eq!(parse_duration("m"), None);
    }
}
