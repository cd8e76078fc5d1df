//! `server info/ping/list/check` and `rtt`. Info, ping and list use nats-server's system
//! requests (`$SYS.REQ.SERVER.*`), which only a system-account user may send; `check
//! connection` and `rtt` need nothing but a connection.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use async_nats::Client;
use bytes::Bytes;
use clap::{Args, Subcommand};
use serde_json::Value;

use crate::cli::parse_duration;
use crate::conn::Settings;
use crate::jsapi::{self, str_of, u64_of};
use crate::output::{print_raw, Section, Table};
use crate::units::format as fmt_dur;
use crate::Error;

/// Server commands.
#[derive(Debug, Subcommand)]
pub enum ServerCmd {
    /// Show a server's general information (VARZ)
    #[command(alias = "i")]
    Info {
        /// Server id or name; the connected server by default
        // Not called `server`: that id belongs to the global --server flag.
        #[arg(value_name = "SERVER")]
        target: Option<String>,
        /// Print the server's JSON
        #[arg(short = 'j', long)]
        json: bool,
    },
    /// Ping all servers
    Ping {
        /// Stop after this many replies
        #[arg(long)]
        expect: Option<usize>,
        /// Print each server's JSON
        #[arg(short = 'j', long)]
        json: bool,
    },
    /// List known servers
    #[command(alias = "ls")]
    List {
        /// Stop after this many replies
        #[arg(long)]
        expect: Option<usize>,
        /// Print each server's JSON
        #[arg(short = 'j', long)]
        json: bool,
    },
    /// Health checks with Nagios-style output and exit codes (0 OK, 1 WARNING,
    /// 2 CRITICAL, 3 UNKNOWN)
    #[command(subcommand)]
    Check(CheckCmd),
}

/// Health checks.
#[derive(Debug, Subcommand)]
pub enum CheckCmd {
    /// Checks that a connection can be made and round trips are fast
    #[command(alias = "conn")]
    Connection(ConnCheck),
    /// Checks that JetStream answers for this account
    #[command(alias = "js")]
    Jetstream(JsCheck),
}

/// `server check connection` thresholds.
#[derive(Debug, Args)]
pub struct ConnCheck {
    /// Warning threshold for the time to connect
    #[arg(long, value_parser = parse_duration, default_value = "500ms")]
    pub connect_warning: Duration,
    /// Critical threshold for the time to connect
    #[arg(long, value_parser = parse_duration, default_value = "1s")]
    pub connect_critical: Duration,
    /// Warning threshold for the round-trip time
    #[arg(long, value_parser = parse_duration, default_value = "500ms")]
    pub rtt_warning: Duration,
    /// Critical threshold for the round-trip time
    #[arg(long, value_parser = parse_duration, default_value = "1s")]
    pub rtt_critical: Duration,
    /// Warning threshold for a request through the server and back
    #[arg(long, value_parser = parse_duration, default_value = "500ms")]
    pub req_warning: Duration,
    /// Critical threshold for a request through the server and back
    #[arg(long, value_parser = parse_duration, default_value = "1s")]
    pub req_critical: Duration,
}

/// `server check jetstream` thresholds.
#[derive(Debug, Args)]
pub struct JsCheck {
    /// Critical when the account has fewer streams than this
    #[arg(long, default_value_t = 0)]
    pub streams_min: u64,
}

/// `rtt` flags.
#[derive(Debug, Args)]
pub struct RttArgs {
    /// How many round trips to average
    #[arg(default_value_t = 5)]
    pub iterations: u32,
    /// Print JSON
    #[arg(short = 'j', long)]
    pub json: bool,
}

const NO_SYSTEM: &str = "no server answered; server requests need a user in the system account";

/// Runs a server command other than `check`.
pub async fn run(client: &Client, cmd: ServerCmd, timeout: Duration) -> Result<(), Error> {
    match cmd {
        ServerCmd::Info { target, json } => {
            let resp = varz(client, target, timeout).await?;
            if json {
                return print_raw(&resp.raw);
            }
            let data = resp.json.get("data").unwrap_or(&Value::Null);
            let mut s = Section::new();
            s.add("Name", str_of(data, "server_name"));
            s.add("ID", str_of(data, "server_id"));
            s.add("Version", str_of(data, "version"));
            s.add("Go / build", str_of(data, "go"));
            s.add(
                "Host",
                format!("{}:{}", str_of(data, "host"), u64_of(data, "port")),
            );
            s.add("Uptime", str_of(data, "uptime"));
            s.add("Connections", u64_of(data, "connections"));
            s.add("Subscriptions", u64_of(data, "subscriptions"));
            s.add("Messages in", u64_of(data, "in_msgs"));
            s.add("Messages out", u64_of(data, "out_msgs"));
            s.add(
                "JetStream",
                data.get("jetstream")
                    .is_some_and(|j| j.get("config").is_some()),
            );
            outln!("Server information for {}\n", str_of(data, "server_name"));
            out!("{}", s.render());
            Ok(())
        }
        ServerCmd::Ping { expect, json } => {
            let replies = ping(client, expect, timeout).await?;
            for (raw, rtt) in &replies {
                if json {
                    print_raw(raw)?;
                } else {
                    let v: Value = serde_json::from_slice(raw).unwrap_or(Value::Null);
                    let name = v.get("server").map(|s| str_of(s, "name")).unwrap_or("");
                    outln!("{name:<30} rtt={}", fmt_dur(*rtt));
                }
            }
            if !json {
                outln!("\n---- ping statistics ----\n{} replies", replies.len());
            }
            Ok(())
        }
        ServerCmd::List { expect, json } => {
            let replies = ping(client, expect, timeout).await?;
            if json {
                for (raw, _) in &replies {
                    print_raw(raw)?;
                }
                return Ok(());
            }
            let mut table = Table::new(
                format!("Server Overview ({} servers)", replies.len()),
                &[
                    "Name",
                    "Cluster",
                    "Version",
                    "JetStream",
                    "Conns",
                    "Subs",
                    "RTT",
                ],
            );
            for (raw, rtt) in &replies {
                let v: Value = serde_json::from_slice(raw).unwrap_or(Value::Null);
                let server = v.get("server").unwrap_or(&Value::Null);
                let stats = v
                    .get("statsz")
                    .or_else(|| v.get("data"))
                    .unwrap_or(&Value::Null);
                table.row(vec![
                    str_of(server, "name").to_owned(),
                    str_of(server, "cluster").to_owned(),
                    str_of(server, "ver").to_owned(),
                    server
                        .get("jetstream")
                        .and_then(Value::as_bool)
                        .unwrap_or(false)
                        .to_string(),
                    u64_of(stats, "connections").to_string(),
                    u64_of(stats, "subscriptions").to_string(),
                    fmt_dur(*rtt),
                ]);
            }
            out!("{}", table.render());
            Ok(())
        }
        ServerCmd::Check(_) => Err(Error::Usage("server check runs on its own".into())),
    }
}

/// A server's VARZ: by id straight from that server, by name through a ping filtered on
/// `server_name` (both as nats-server answers them).
async fn varz(
    client: &Client,
    server: Option<String>,
    timeout: Duration,
) -> Result<jsapi::Response, Error> {
    let server = server.unwrap_or_else(|| client.server_info().server_id);
    let looks_like_id = server.len() == 56
        && server.starts_with('N')
        && server
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if looks_like_id {
        let subject = format!("$SYS.REQ.SERVER.{server}.VARZ");
        return jsapi::request(client, &subject, Bytes::new(), timeout)
            .await
            .map_err(|e| match e {
                Error::Nats(m) if m.starts_with("no responders") => Error::Nats(NO_SYSTEM.into()),
                other => other,
            });
    }
    let filter = serde_json::json!({ "server_name": server });
    let body = Bytes::from(serde_json::to_vec(&filter).map_err(|e| Error::json("filter", e))?);
    let replies =
        jsapi::collect(client, "$SYS.REQ.SERVER.PING.VARZ", body, Some(1), timeout).await?;
    match replies.into_iter().next() {
        Some((raw, _)) => jsapi::Response::parse("$SYS.REQ.SERVER.PING.VARZ", raw),
        None => Err(Error::Nats(format!(
            "no server named {server:?} answered; server requests need a user in the system account"
        ))),
    }
}

async fn ping(
    client: &Client,
    expect: Option<usize>,
    timeout: Duration,
) -> Result<Vec<(Bytes, Duration)>, Error> {
    let replies = jsapi::collect(
        client,
        "$SYS.REQ.SERVER.PING",
        Bytes::new(),
        expect,
        timeout,
    )
    .await?;
    if replies.is_empty() {
        return Err(Error::Nats(NO_SYSTEM.into()));
    }
    Ok(replies)
}

/// Nagios status levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Status {
    Ok = 0,
    Warning = 1,
    Critical = 2,
    Unknown = 3,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::Ok => "OK",
            Status::Warning => "WARNING",
            Status::Critical => "CRITICAL",
            Status::Unknown => "UNKNOWN",
        }
    }
}

/// Collects check results into one Nagios line.
#[derive(Default)]
struct Check {
    status: Option<Status>,
    notes: Vec<String>,
    perf: Vec<String>,
}

impl Check {
    fn note(&mut self, status: Status, text: String) {
        let tag = match status {
            Status::Ok => "OK",
            Status::Warning => "WARN",
            Status::Critical => "CRIT",
            Status::Unknown => "UNKNOWN",
        };
        self.notes.push(format!("{tag}:{text}"));
        self.status = Some(self.status.map_or(status, |s| s.max(status)));
    }

    fn timed(&mut self, what: &str, perf: &str, took: Duration, warn: Duration, crit: Duration) {
        let status = if took >= crit {
            Status::Critical
        } else if took >= warn {
            Status::Warning
        } else {
            Status::Ok
        };
        self.note(status, format!("{what} {}", fmt_dur(took)));
        self.perf.push(format!(
            "{perf}={:.4}s;{:.4};{:.4}",
            took.as_secs_f64(),
            warn.as_secs_f64(),
            crit.as_secs_f64()
        ));
    }

    fn finish(self, name: &str) -> ExitCode {
        let status = self.status.unwrap_or(Status::Unknown);
        let mut line = format!("{} {name} {}", status.word(), self.notes.join(" "));
        if !self.perf.is_empty() {
            line.push_str(" | ");
            line.push_str(&self.perf.join(" "));
        }
        // The exit code carries the verdict even if stdout is gone.
        let _ = crate::output::write_out(&format!("{line}\n"));
        ExitCode::from(status as u8)
    }
}

/// `server check ...`: prints one Nagios line and returns its exit code.
pub async fn check(settings: &Settings, cmd: CheckCmd) -> ExitCode {
    match cmd {
        CheckCmd::Connection(t) => check_connection(settings, t).await,
        CheckCmd::Jetstream(t) => check_jetstream(settings, t).await,
    }
}

async fn check_connection(settings: &Settings, t: ConnCheck) -> ExitCode {
    let mut check = Check::default();
    let start = Instant::now();
    let client = match settings.connect().await {
        Ok(c) => c,
        Err(e) => {
            check.note(Status::Critical, format!("connection failed: {e}"));
            return check.finish("Connection");
        }
    };
    check.timed(
        "connected in",
        "connect_time",
        start.elapsed(),
        t.connect_warning,
        t.connect_critical,
    );
    let rtt_start = Instant::now();
    if let Err(e) = client.flush().await {
        check.note(Status::Critical, format!("ping failed: {e}"));
        return check.finish("Connection");
    }
    check.timed(
        "rtt time",
        "rtt",
        rtt_start.elapsed(),
        t.rtt_warning,
        t.rtt_critical,
    );
    match request_round_trip(&client, settings.timeout).await {
        Ok(took) => check.timed(
            "round trip took",
            "request_time",
            took,
            t.req_warning,
            t.req_critical,
        ),
        Err(e) => check.note(Status::Critical, format!("round trip failed: {e}")),
    }
    check.finish("Connection")
}

/// A message to a fresh subject this client listens on, and back.
async fn request_round_trip(client: &Client, timeout: Duration) -> Result<Duration, Error> {
    use futures::StreamExt;
    let subject = client.new_inbox();
    let mut sub = client.subscribe(subject.clone()).await?;
    let start = Instant::now();
    client
        .publish(subject, Bytes::from_static(b"natrium check"))
        .await?;
    match tokio::time::timeout(timeout, sub.next()).await {
        Ok(Some(_)) => Ok(start.elapsed()),
        _ => Err(Error::Timeout("the check message".into())),
    }
}

async fn check_jetstream(settings: &Settings, t: JsCheck) -> ExitCode {
    let mut check = Check::default();
    let client = match settings.connect().await {
        Ok(c) => c,
        Err(e) => {
            check.note(Status::Critical, format!("connection failed: {e}"));
            return check.finish("JetStream");
        }
    };
    match jsapi::js(&client, "INFO", &Value::Null, settings.timeout).await {
        Ok(resp) => {
            let streams = u64_of(&resp.json, "streams");
            let consumers = u64_of(&resp.json, "consumers");
            if streams < t.streams_min {
                check.note(
                    Status::Critical,
                    format!("{streams} streams, want at least {}", t.streams_min),
                );
            } else {
                check.note(Status::Ok, format!("{streams} streams"));
            }
            check
                .perf
                .push(format!("streams={streams} consumers={consumers}"));
        }
        Err(e) => check.note(Status::Critical, format!("JetStream unavailable: {e}")),
    }
    check.finish("JetStream")
}

/// `rtt`: the average PING/PONG round trip to each configured server.
pub async fn rtt(settings: &Settings, a: RttArgs) -> Result<(), Error> {
    let iterations = a.iterations.max(1);
    let mut results = Vec::new();
    for url in &settings.servers {
        let mut one = settings.clone();
        one.servers = vec![url.clone()];
        let client = one.connect().await?;
        let mut total = Duration::ZERO;
        for _ in 0..iterations {
            let start = Instant::now();
            client
                .flush()
                .await
                .map_err(|e| Error::Nats(e.to_string()))?;
            total += start.elapsed();
        }
        results.push((url.clone(), total / iterations));
    }
    if a.json {
        let doc: Vec<Value> = results
            .iter()
            .map(|(url, d)| serde_json::json!({"url": url, "rtt_ns": d.as_nanos() as u64, "rtt": fmt_dur(*d)}))
            .collect();
        outln!("{}", Value::Array(doc));
    } else {
        for (url, d) in results {
            outln!("{url}: {}", fmt_dur(d));
        }
    }
    Ok(())
}
