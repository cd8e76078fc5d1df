//! `server info/ping/list/report` and `rtt` (`server check` lives in `check.rs`). Info, ping and
//! list use nats-server's system requests (`$SYS.REQ.SERVER.*`), which only a
//! system-account user may send; `rtt` needs nothing but a connection.

use std::time::{Duration, Instant};

use async_nats::Client;
use bytes::Bytes;
use clap::{Args, Subcommand};
use serde_json::Value;

use crate::conn::Settings;
use crate::jsapi::{self, str_of, u64_of};
use crate::output::{print_raw, Section, Table};
use crate::units::{format as fmt_dur, human_bytes};
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
    /// Test a subject mapping locally: print what SUBJECT maps to (no server needed)
    Mapping {
        /// Source pattern
        from: String,
        /// Destination template
        to: String,
        /// A subject to map; without it the mapping is only checked
        subject: Option<String>,
    },
    /// Reports gathered from every server
    #[command(subcommand)]
    Report(ReportCmd),
    /// Health checks with Nagios-style output and exit codes (0 OK, 1 WARNING,
    /// 2 CRITICAL, 3 UNKNOWN)
    #[command(subcommand)]
    Check(super::check::CheckCmd),
}

/// `server report` commands.
#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// Client connections of every server (CONNZ)
    #[command(alias = "conns", alias = "conn", alias = "connz")]
    Connections {
        /// Only connections in this account
        #[arg(long = "account", value_name = "ACCOUNT")]
        account: Option<String>,
        /// Stop after this many servers replied
        #[arg(long)]
        expect: Option<usize>,
        /// Print each server's JSON
        #[arg(short = 'j', long)]
        json: bool,
    },
    /// JetStream usage of every server (JSZ)
    #[command(alias = "js", alias = "jsz")]
    Jetstream {
        /// Stop after this many servers replied
        #[arg(long)]
        expect: Option<usize>,
        /// Print each server's JSON
        #[arg(short = 'j', long)]
        json: bool,
    },
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
        ServerCmd::Report(r) => report(client, r, timeout).await,
        ServerCmd::Check(_) | ServerCmd::Mapping { .. } => {
            Err(Error::Usage("this server command runs on its own".into()))
        }
    }
}

/// A server's VARZ: by id straight from that server, by name through a ping filtered on
/// `server_name` (both as nats-server answers them).
pub(crate) async fn varz(
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
    ping_all(
        client,
        "$SYS.REQ.SERVER.PING",
        Bytes::new(),
        expect,
        timeout,
    )
    .await
}

/// Every server's reply to one `$SYS.REQ.SERVER.PING[.<kind>]`; none is an error, as
/// only system-account users are answered.
async fn ping_all(
    client: &Client,
    subject: &str,
    body: Bytes,
    expect: Option<usize>,
    timeout: Duration,
) -> Result<Vec<(Bytes, Duration)>, Error> {
    let replies = jsapi::collect(client, subject, body, expect, timeout).await?;
    if replies.is_empty() {
        return Err(Error::Nats(NO_SYSTEM.into()));
    }
    Ok(replies)
}

/// Each reply's `data`, with the answering server's name; a reply carrying an `error`
/// fails the command.
fn server_data(
    subject: &str,
    replies: Vec<(Bytes, Duration)>,
) -> Result<Vec<(String, Value)>, Error> {
    let mut out = Vec::new();
    for (raw, _) in replies {
        let mut resp = jsapi::Response::parse(subject, raw)?.json;
        let name = resp
            .get("server")
            .map(|s| str_of(s, "name").to_owned())
            .unwrap_or_default();
        out.push((
            name,
            resp.get_mut("data").map(Value::take).unwrap_or(Value::Null),
        ));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

async fn report(client: &Client, cmd: ReportCmd, timeout: Duration) -> Result<(), Error> {
    match cmd {
        ReportCmd::Connections {
            account,
            expect,
            json,
        } => {
            const SUBJECT: &str = "$SYS.REQ.SERVER.PING.CONNZ";
            let mut filter = serde_json::json!({ "auth": true });
            if let Some(acc) = &account {
                filter["acc"] = Value::from(acc.as_str());
            }
            let body =
                Bytes::from(serde_json::to_vec(&filter).map_err(|e| Error::json("filter", e))?);
            let replies = ping_all(client, SUBJECT, body, expect, timeout).await?;
            if json {
                for (raw, _) in &replies {
                    print_raw(raw)?;
                }
                return Ok(());
            }
            let servers = server_data(SUBJECT, replies)?;
            let mut table = Table::new(
                "",
                &[
                    "CID",
                    "Name",
                    "Server",
                    "Account",
                    "Address",
                    "Subs",
                    "Msgs In",
                    "Msgs Out",
                    "Bytes In",
                    "Bytes Out",
                ],
            );
            let mut count = 0usize;
            for (server, data) in &servers {
                let conns = data
                    .get("connections")
                    .and_then(Value::as_array)
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                for c in conns {
                    count += 1;
                    table.row(vec![
                        u64_of(c, "cid").to_string(),
                        str_of(c, "name").to_owned(),
                        server.clone(),
                        str_of(c, "account").to_owned(),
                        format!("{}:{}", str_of(c, "ip"), u64_of(c, "port")),
                        u64_of(c, "subscriptions").to_string(),
                        u64_of(c, "in_msgs").to_string(),
                        u64_of(c, "out_msgs").to_string(),
                        human_bytes(u64_of(c, "in_bytes")),
                        human_bytes(u64_of(c, "out_bytes")),
                    ]);
                }
            }
            outln!("Top {count} connections on {} servers", servers.len());
            out!("{}", table.render());
            Ok(())
        }
        ReportCmd::Jetstream { expect, json } => {
            const SUBJECT: &str = "$SYS.REQ.SERVER.PING.JSZ";
            let replies = ping_all(client, SUBJECT, Bytes::new(), expect, timeout).await?;
            if json {
                for (raw, _) in &replies {
                    print_raw(raw)?;
                }
                return Ok(());
            }
            let servers = server_data(SUBJECT, replies)?;
            let mut table = Table::new(
                "JetStream Summary",
                &[
                    "Server",
                    "Streams",
                    "Consumers",
                    "Messages",
                    "Bytes",
                    "Memory",
                    "File",
                    "API Req",
                    "API Err",
                ],
            );
            for (server, data) in &servers {
                let api = data.get("api").unwrap_or(&Value::Null);
                let enabled = !data
                    .get("disabled")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                if !enabled {
                    let mut row = vec![server.clone(), "disabled".to_owned()];
                    row.resize(9, String::new());
                    table.row(row);
                    continue;
                }
                table.row(vec![
                    server.clone(),
                    u64_of(data, "streams").to_string(),
                    u64_of(data, "consumers").to_string(),
                    u64_of(data, "messages").to_string(),
                    human_bytes(u64_of(data, "bytes")),
                    human_bytes(u64_of(data, "memory")),
                    human_bytes(u64_of(data, "storage")),
                    u64_of(api, "total").to_string(),
                    u64_of(api, "errors").to_string(),
                ]);
            }
            out!("{}", table.render());
            Ok(())
        }
    }
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

/// `server mapping`: compiles the mapping as a server would (account mappings and stream
/// subject transforms) and applies it to `subject`.
pub fn mapping(from: &str, to: &str, subject: Option<&str>) -> Result<(), Error> {
    let transform = natrium_subject::validate_mapping(from, to)
        .map_err(|e| Error::Usage(format!("invalid mapping {from} -> {to}: {e}")))?;
    let Some(subject) = subject else {
        outln!("Mapping {from} -> {to} is valid");
        return Ok(());
    };
    match transform.apply(subject.as_bytes()) {
        Some(mapped) => {
            outln!("{}", String::from_utf8_lossy(&mapped));
            Ok(())
        }
        None => Err(Error::Usage(format!(
            "subject {subject:?} does not match the mapping source {from:?}"
        ))),
    }
}
