//! `consumer add/edit/ls/info/rm/next/pause/resume/report` through raw `$JS.API` requests.

mod ask;

use std::path::PathBuf;
use std::time::Duration;

use async_nats::Client;
use bytes::Bytes;
use clap::{Args, Subcommand};
use futures::StreamExt;
use serde_json::{json, Map, Value};

use crate::cli::parse_duration;
use crate::jsapi::{self, i64_of, str_of, u64_of, Response};
use crate::output::{print_raw, Section, Table};
use crate::prompt::{self, confirm};
use crate::units::format as fmt_dur;
use crate::Error;

/// Consumer commands.
#[derive(Debug, Subcommand)]
pub enum ConsumerCmd {
    /// Create a consumer
    #[command(alias = "create", alias = "new")]
    Add(AddArgs),
    /// Change a consumer's configuration
    #[command(alias = "update")]
    Edit(EditArgs),
    /// List a stream's consumers
    #[command(alias = "list")]
    Ls {
        /// Stream name
        stream: String,
        /// Names only
        #[arg(short = 'n', long)]
        names: bool,
        /// Print the server's consumer infos as a JSON array
        #[arg(short = 'j', long)]
        json: bool,
    },
    /// Show a consumer
    #[command(alias = "i", alias = "nfo")]
    Info {
        /// Stream name
        stream: String,
        /// Consumer name
        consumer: String,
        /// Print the server's JSON
        #[arg(short = 'j', long)]
        json: bool,
    },
    /// Delete a consumer
    #[command(alias = "delete", alias = "del")]
    Rm {
        /// Stream name
        stream: String,
        /// Consumer name
        consumer: String,
        /// Delete without asking
        #[arg(short = 'f', long)]
        force: bool,
    },
    /// Pause a consumer: no deliveries until a time
    Pause {
        /// Stream name
        stream: String,
        /// Consumer name
        consumer: String,
        /// Until when: an RFC 3339 time or a duration from now (asked for at a terminal)
        #[arg(value_name = "UNTIL", conflicts_with = "until")]
        at: Option<String>,
        /// Until when, as UNTIL
        #[arg(long)]
        until: Option<String>,
        /// Pause without asking
        #[arg(short = 'f', long)]
        force: bool,
        /// Print the server's JSON
        #[arg(short = 'j', long)]
        json: bool,
    },
    /// Resume a paused consumer
    #[command(alias = "unpause")]
    Resume {
        /// Stream name
        stream: String,
        /// Consumer name
        consumer: String,
        /// Print the server's JSON
        #[arg(short = 'j', long)]
        json: bool,
    },
    /// A table of a stream's consumers and their state
    Report {
        /// Stream name
        stream: String,
        /// Print the server's consumer infos as a JSON array
        #[arg(short = 'j', long)]
        json: bool,
    },
    /// Fetch and acknowledge messages from a pull consumer
    Next {
        /// Stream name
        stream: String,
        /// Consumer name
        consumer: String,
        /// How many messages
        #[arg(long, default_value_t = 1)]
        count: u64,
        /// Do not acknowledge
        #[arg(long)]
        no_ack: bool,
        /// Print only message bodies
        #[arg(short = 'r', long)]
        raw: bool,
    },
}

/// Consumer configuration flags, shared by `add` and `edit`.
#[derive(Debug, Args, Default)]
pub struct ConfigFlags {
    /// Only messages on subjects matching this (repeat for several)
    #[arg(long)]
    pub filter: Vec<String>,
    /// Push consumer delivering to this subject (pull when absent)
    #[arg(long, value_name = "SUBJECT")]
    pub target: Option<String>,
    /// Push consumer queue group
    #[arg(long)]
    pub deliver_group: Option<String>,
    /// Where to start: all, new, last, last_per_subject, a sequence, or a duration ago
    #[arg(long)]
    pub deliver: Option<String>,
    /// Acknowledgement policy (explicit, all, none)
    #[arg(long, value_parser = ["explicit", "all", "none"])]
    pub ack: Option<String>,
    /// Replay policy (instant, original)
    #[arg(long, value_parser = ["instant", "original"])]
    pub replay: Option<String>,
    /// How long to wait for an acknowledgement
    #[arg(long, value_parser = parse_duration)]
    pub wait: Option<Duration>,
    /// Maximum deliveries of one message (-1 unlimited)
    #[arg(long, allow_hyphen_values = true)]
    pub max_deliver: Option<i64>,
    /// Maximum unacknowledged messages
    #[arg(long, allow_hyphen_values = true)]
    pub max_pending: Option<i64>,
    /// Maximum waiting pull requests
    #[arg(long)]
    pub max_waiting: Option<i64>,
    /// Idle heartbeat interval (push)
    #[arg(long, value_parser = parse_duration)]
    pub heartbeat: Option<Duration>,
    /// Flow control (push)
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    pub flow_control: Option<bool>,
    /// Remove the consumer after this long without activity
    #[arg(long, value_parser = parse_duration)]
    pub inactive_threshold: Option<Duration>,
    /// Description
    #[arg(long)]
    pub description: Option<String>,
    /// Deliver only headers, no bodies
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    pub headers_only: Option<bool>,
    /// Replicas, instead of the stream's
    #[arg(long)]
    pub replicas: Option<i64>,
}

/// `consumer add` flags.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// Stream name
    pub stream: String,
    /// Consumer (durable) name; may come from --config
    pub consumer: Option<String>,
    /// Read the configuration from a JSON file; flags override it
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Pull consumer (the default unless --target)
    #[arg(long)]
    pub pull: bool,
    /// An ephemeral consumer: no name needed, removed after --inactive-threshold idle
    #[arg(long)]
    pub ephemeral: bool,
    /// Accept defaults for everything not given instead of asking (questions are asked
    /// only when stdin and stdout are terminals and no --config is given)
    #[arg(long)]
    pub defaults: bool,
    /// Print the server's JSON
    #[arg(short = 'j', long)]
    pub json: bool,
    /// Configuration
    #[command(flatten)]
    pub flags: ConfigFlags,
}

/// `consumer edit` flags.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// Stream name
    pub stream: String,
    /// Consumer name
    pub consumer: String,
    /// Edit without asking
    #[arg(short = 'f', long)]
    pub force: bool,
    /// Print the server's JSON
    #[arg(short = 'j', long)]
    pub json: bool,
    /// Configuration
    #[command(flatten)]
    pub flags: ConfigFlags,
}

fn nanos(d: Duration) -> Value {
    json!(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

impl ConfigFlags {
    fn apply(&self, cfg: &mut Map<String, Value>) -> Result<(), Error> {
        match self.filter.as_slice() {
            [] => {}
            [one] => {
                cfg.insert("filter_subject".into(), json!(one));
                cfg.remove("filter_subjects");
            }
            many => {
                cfg.insert("filter_subjects".into(), json!(many));
                cfg.remove("filter_subject");
            }
        }
        if let Some(t) = &self.target {
            cfg.insert("deliver_subject".into(), json!(t));
        }
        if let Some(g) = &self.deliver_group {
            cfg.insert("deliver_group".into(), json!(g));
        }
        if let Some(d) = &self.deliver {
            cfg.remove("opt_start_seq");
            cfg.remove("opt_start_time");
            let keys = start_policy(d).map_err(|e| Error::Usage(format!("--deliver: {e}")))?;
            cfg.extend(keys);
        }
        if let Some(a) = &self.ack {
            cfg.insert("ack_policy".into(), json!(a));
        }
        if let Some(r) = &self.replay {
            cfg.insert("replay_policy".into(), json!(r));
        }
        if let Some(w) = self.wait {
            cfg.insert("ack_wait".into(), nanos(w));
        }
        if let Some(h) = self.heartbeat {
            cfg.insert("idle_heartbeat".into(), nanos(h));
        }
        if let Some(i) = self.inactive_threshold {
            cfg.insert("inactive_threshold".into(), nanos(i));
        }
        for (key, value) in [
            ("max_deliver", self.max_deliver),
            ("max_ack_pending", self.max_pending),
            ("max_waiting", self.max_waiting),
        ] {
            if let Some(v) = value {
                cfg.insert(key.into(), json!(v));
            }
        }
        if let Some(f) = self.flow_control {
            cfg.insert("flow_control".into(), json!(f));
        }
        if let Some(d) = &self.description {
            cfg.insert("description".into(), json!(d));
        }
        if let Some(h) = self.headers_only {
            cfg.insert("headers_only".into(), json!(h));
        }
        if let Some(r) = self.replicas {
            cfg.insert("num_replicas".into(), json!(r));
        }
        Ok(())
    }
}

/// The config keys a start policy sets, from the `nats` CLI's words: `all`, `new` (or
/// `next`), `last`, `subject` (or `last_per_subject`), a sequence, or a duration ago.
fn start_policy(d: &str) -> Result<Map<String, Value>, String> {
    let mut keys = Map::new();
    let policy = match d {
        "all" | "new" | "last" | "last_per_subject" => d,
        "next" => "new",
        "subject" => "last_per_subject",
        other => {
            if let Ok(seq) = other.parse::<u64>() {
                keys.insert("opt_start_seq".into(), json!(seq));
                "by_start_sequence"
            } else {
                let ago = crate::units::parse(other).map_err(|e| {
                    format!("want all, new, last, subject, a sequence or a duration: {e}")
                })?;
                let start = time::OffsetDateTime::now_utc() - ago;
                keys.insert(
                    "opt_start_time".into(),
                    json!(crate::output::rfc3339(start)),
                );
                "by_start_time"
            }
        }
    };
    keys.insert("deliver_policy".into(), json!(policy));
    Ok(keys)
}

/// Runs a consumer command.
pub async fn run(client: &Client, cmd: ConsumerCmd, t: Duration) -> Result<(), Error> {
    match cmd {
        ConsumerCmd::Add(mut a) => {
            if a.config.is_none() && !a.defaults && prompt::interactive() {
                let shape = ask::Shape {
                    pull: a.pull,
                    ephemeral: a.ephemeral,
                };
                ask::missing(
                    &mut prompt::Terminal::default(),
                    &mut a.consumer,
                    &shape,
                    &mut a.flags,
                )?;
            }
            let mut cfg = match &a.config {
                Some(path) => super::stream::read_config(path)?,
                None => Map::new(),
            };
            let given = a.consumer.clone().or_else(|| {
                cfg.get("durable_name")
                    .or(cfg.get("name"))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            });
            let subject = match (given, a.ephemeral) {
                (Some(name), false) => {
                    cfg.insert("durable_name".into(), json!(name));
                    cfg.insert("name".into(), json!(name));
                    format!("CONSUMER.CREATE.{}.{name}", a.stream)
                }
                (Some(name), true) => {
                    cfg.remove("durable_name");
                    cfg.insert("name".into(), json!(name));
                    format!("CONSUMER.CREATE.{}.{name}", a.stream)
                }
                (None, true) => {
                    cfg.remove("durable_name");
                    cfg.remove("name");
                    format!("CONSUMER.CREATE.{}", a.stream)
                }
                (None, false) => {
                    return Err(Error::Usage(
                        "a consumer name is required (or --ephemeral)".into(),
                    ))
                }
            };
            cfg.entry("deliver_policy").or_insert(json!("all"));
            cfg.entry("ack_policy").or_insert(json!("explicit"));
            cfg.entry("replay_policy").or_insert(json!("instant"));
            a.flags.apply(&mut cfg)?;
            if a.pull && cfg.contains_key("deliver_subject") {
                return Err(Error::Usage(
                    "--pull and --target exclude each other".into(),
                ));
            }
            let body = json!({ "stream_name": a.stream, "config": cfg, "action": "create" });
            let resp = jsapi::js(client, &subject, &body, t).await?;
            show_info(&resp, a.json)
        }
        ConsumerCmd::Edit(a) => {
            let current = jsapi::js(
                client,
                &format!("CONSUMER.INFO.{}.{}", a.stream, a.consumer),
                &Value::Null,
                t,
            )
            .await?;
            let mut cfg = match current.json.get("config") {
                Some(Value::Object(c)) => c.clone(),
                _ => return Err(Error::Usage("consumer info has no config".into())),
            };
            a.flags.apply(&mut cfg)?;
            confirm(
                a.force,
                &format!("Really edit Consumer {} > {}", a.stream, a.consumer),
            )?;
            let body = json!({ "stream_name": a.stream, "config": cfg, "action": "update" });
            let resp = jsapi::js(
                client,
                &format!("CONSUMER.CREATE.{}.{}", a.stream, a.consumer),
                &body,
                t,
            )
            .await?;
            show_info(&resp, a.json)
        }
        ConsumerCmd::Ls {
            stream,
            names,
            json,
        } => {
            let infos = super::stream::list_all(
                client,
                &format!("CONSUMER.LIST.{stream}"),
                "consumers",
                Map::new(),
                t,
            )
            .await?;
            if json {
                outln!("{}", Value::Array(infos));
                return Ok(());
            }
            if names {
                for i in &infos {
                    outln!("{}", str_of(i, "name"));
                }
                return Ok(());
            }
            if infos.is_empty() {
                outln!("No Consumers defined");
                return Ok(());
            }
            let mut table = Table::new(
                format!("Consumers for Stream {stream}"),
                &[
                    "Name",
                    "Description",
                    "Created",
                    "Ack Pending",
                    "Unprocessed",
                    "Last Delivery",
                ],
            );
            for i in &infos {
                let cfg = i.get("config").unwrap_or(&Value::Null);
                let last = i
                    .get("delivered")
                    .map(|d| str_of(d, "last_active"))
                    .unwrap_or("");
                table.row(vec![
                    str_of(i, "name").to_owned(),
                    str_of(cfg, "description").to_owned(),
                    str_of(i, "created").to_owned(),
                    u64_of(i, "num_ack_pending").to_string(),
                    u64_of(i, "num_pending").to_string(),
                    last.to_owned(),
                ]);
            }
            out!("{}", table.render());
            Ok(())
        }
        ConsumerCmd::Info {
            stream,
            consumer,
            json,
        } => {
            let resp = jsapi::js(
                client,
                &format!("CONSUMER.INFO.{stream}.{consumer}"),
                &Value::Null,
                t,
            )
            .await?;
            show_info(&resp, json)
        }
        ConsumerCmd::Rm {
            stream,
            consumer,
            force,
        } => {
            confirm(
                force,
                &format!("Really delete Consumer {stream} > {consumer}"),
            )?;
            jsapi::js(
                client,
                &format!("CONSUMER.DELETE.{stream}.{consumer}"),
                &Value::Null,
                t,
            )
            .await?;
            outln!("Deleted consumer {stream} > {consumer}");
            Ok(())
        }
        ConsumerCmd::Next {
            stream,
            consumer,
            count,
            no_ack,
            raw,
        } => next(client, &stream, &consumer, count, !no_ack, raw, t).await,
        ConsumerCmd::Pause {
            stream,
            consumer,
            at,
            until,
            force,
            json,
        } => {
            let now = time::OffsetDateTime::now_utc();
            let asking = prompt::interactive();
            let text = match at.or(until) {
                Some(text) => text,
                None if asking => ask::pause_until(&mut prompt::Terminal::default(), now)?,
                None => {
                    return Err(Error::Usage(
                        "a pause time is required: UNTIL or --until".into(),
                    ))
                }
            };
            let until = pause_deadline(&text, now)?;
            // Like the nats CLI, ask first at a terminal; scripts pause as they said.
            if asking {
                confirm(force, &ask::pause_question(&stream, &consumer, until))?;
            }
            let body = json!({ "pause_until": crate::output::rfc3339(until) });
            pause(client, &stream, &consumer, &body, json, t).await
        }
        ConsumerCmd::Resume {
            stream,
            consumer,
            json,
        } => pause(client, &stream, &consumer, &Value::Null, json, t).await,
        ConsumerCmd::Report { stream, json } => report(client, &stream, json, t).await,
    }
}

/// `--until`: an RFC 3339 time, or a duration from `now`; it must lie in the future, as
/// a pause that already ended would silently resume.
fn pause_deadline(text: &str, now: time::OffsetDateTime) -> Result<time::OffsetDateTime, Error> {
    let rfc = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339);
    let until = match rfc {
        Ok(at) => at,
        Err(_) => {
            let d = crate::units::parse(text).map_err(|e| {
                Error::Usage(format!("--until: want an RFC 3339 time or a duration: {e}"))
            })?;
            now + d
        }
    };
    if until <= now {
        return Err(Error::Usage(format!("--until {text}: the time has passed")));
    }
    Ok(until)
}

/// Sends `CONSUMER.PAUSE` (an empty body resumes) and reports the consumer's new state.
async fn pause(
    client: &Client,
    stream: &str,
    consumer: &str,
    body: &Value,
    json: bool,
    t: Duration,
) -> Result<(), Error> {
    let resp = jsapi::js(
        client,
        &format!("CONSUMER.PAUSE.{stream}.{consumer}"),
        body,
        t,
    )
    .await?;
    if json {
        return print_raw(&resp.raw);
    }
    let paused = resp.json.get("paused").and_then(Value::as_bool) == Some(true);
    if paused {
        let left = Duration::from_nanos(u64_of(&resp.json, "pause_remaining"));
        outln!(
            "Paused Consumer {stream} > {consumer} until {} ({} remaining)",
            str_of(&resp.json, "pause_until"),
            fmt_dur(left)
        );
    } else if body.is_null() {
        outln!("Resumed Consumer {stream} > {consumer}");
    } else {
        return Err(Error::Nats(format!(
            "the server did not pause Consumer {stream} > {consumer}"
        )));
    }
    Ok(())
}

/// `consumer report`: one row per consumer with the counters that show it keeping up.
async fn report(client: &Client, stream: &str, json: bool, t: Duration) -> Result<(), Error> {
    let infos = super::stream::list_all(
        client,
        &format!("CONSUMER.LIST.{stream}"),
        "consumers",
        Map::new(),
        t,
    )
    .await?;
    if json {
        outln!("{}", Value::Array(infos));
        return Ok(());
    }
    if infos.is_empty() {
        outln!("No Consumers defined for Stream {stream}");
        return Ok(());
    }
    let mut table = Table::new(
        format!(
            "Consumer report for Stream {stream} with {} consumers",
            infos.len()
        ),
        &[
            "Consumer",
            "Mode",
            "Ack Pending",
            "Waiting Pulls",
            "Unprocessed",
            "Redelivered",
            "Paused",
        ],
    );
    for i in &infos {
        let cfg = i.get("config").unwrap_or(&Value::Null);
        let mode = if str_of(cfg, "deliver_subject").is_empty() {
            "Pull"
        } else {
            "Push"
        };
        let paused = if i.get("paused").and_then(Value::as_bool) == Some(true) {
            let left = Duration::from_nanos(u64_of(i, "pause_remaining"));
            format!("yes, {} left", fmt_dur(left))
        } else {
            "no".to_owned()
        };
        table.row(vec![
            str_of(i, "name").to_owned(),
            mode.to_owned(),
            u64_of(i, "num_ack_pending").to_string(),
            u64_of(i, "num_waiting").to_string(),
            u64_of(i, "num_pending").to_string(),
            u64_of(i, "num_redelivered").to_string(),
            paused,
        ]);
    }
    out!("{}", table.render());
    Ok(())
}

async fn next(
    client: &Client,
    stream: &str,
    consumer: &str,
    count: u64,
    ack: bool,
    raw: bool,
    t: Duration,
) -> Result<(), Error> {
    let inbox = client.new_inbox();
    let mut sub = client.subscribe(inbox.clone()).await?;
    let subject = format!("$JS.API.CONSUMER.MSG.NEXT.{stream}.{consumer}");
    for _ in 0..count {
        // Expire the pull a little before our own wait ends, so the server's 408 arrives.
        let expires = t.saturating_sub(t / 10).max(Duration::from_millis(10));
        let body = json!({ "batch": 1, "expires": nanos(expires) });
        let payload =
            Bytes::from(serde_json::to_vec(&body).map_err(|e| Error::json("pull request", e))?);
        client
            .publish_with_reply(subject.clone(), inbox.clone(), payload)
            .await?;
        let msg = match tokio::time::timeout(t, sub.next()).await {
            Ok(Some(m)) => m,
            _ => {
                return Err(Error::Timeout(format!(
                    "a message from {stream} > {consumer}"
                )))
            }
        };
        if let Some(status) = msg.status {
            let text = msg.description.clone().unwrap_or_default();
            return Err(match status.as_u16() {
                404 | 408 => {
                    Error::Nats(format!("no message available from {stream} > {consumer}"))
                }
                503 => Error::Nats(format!("no responders: is JetStream enabled? ({text})")),
                code => Error::Nats(format!("pull failed: {code} {text}")),
            });
        }
        if raw {
            outln!("{}", String::from_utf8_lossy(&msg.payload));
        } else {
            outln!(
                "[{}] subject: {} / reply: {}\n",
                crate::output::rfc3339(time::OffsetDateTime::now_utc()),
                msg.subject,
                msg.reply.as_deref().unwrap_or("")
            );
            outln!("{}\n", String::from_utf8_lossy(&msg.payload));
        }
        if ack {
            if let Some(reply) = msg.reply.clone() {
                client.publish(reply, Bytes::from_static(b"+ACK")).await?;
                client
                    .flush()
                    .await
                    .map_err(|e| Error::Nats(format!("ack failed: {e}")))?;
                if !raw {
                    outln!("Acknowledged message");
                }
            }
        }
    }
    Ok(())
}

/// Prints a consumer info response.
fn show_info(resp: &Response, json: bool) -> Result<(), Error> {
    if json {
        return print_raw(&resp.raw);
    }
    let info = &resp.json;
    let cfg = info.get("config").unwrap_or(&Value::Null);
    outln!(
        "Information for Consumer {} > {} created {}\n",
        str_of(info, "stream_name"),
        str_of(info, "name"),
        str_of(info, "created")
    );
    let mut s = Section::new();
    if !str_of(cfg, "description").is_empty() {
        s.add("Description", str_of(cfg, "description"));
    }
    let kind = if str_of(cfg, "deliver_subject").is_empty() {
        "Pull"
    } else {
        "Push"
    };
    s.add("Pull Mode", kind == "Pull");
    if kind == "Push" {
        s.add("Delivery Subject", str_of(cfg, "deliver_subject"));
    }
    let filter = str_of(cfg, "filter_subject");
    if !filter.is_empty() {
        s.add("Filter Subject", filter);
    }
    s.add("Deliver Policy", str_of(cfg, "deliver_policy"));
    s.add("Ack Policy", str_of(cfg, "ack_policy"));
    let wait = u64_of(cfg, "ack_wait");
    s.add("Ack Wait", fmt_dur(Duration::from_nanos(wait)));
    s.add("Replay Policy", str_of(cfg, "replay_policy"));
    s.add("Max Ack Pending", i64_of(cfg, "max_ack_pending"));
    out!("{}", s.render());
    outln!("\nState:\n");
    let mut st = Section::new();
    let delivered = info.get("delivered").unwrap_or(&Value::Null);
    let ack_floor = info.get("ack_floor").unwrap_or(&Value::Null);
    st.add(
        "Last Delivered Message",
        format!(
            "Consumer sequence: {} Stream sequence: {}",
            u64_of(delivered, "consumer_seq"),
            u64_of(delivered, "stream_seq")
        ),
    );
    st.add(
        "Acknowledgment Floor",
        format!(
            "Consumer sequence: {} Stream sequence: {}",
            u64_of(ack_floor, "consumer_seq"),
            u64_of(ack_floor, "stream_seq")
        ),
    );
    st.add("Outstanding Acks", u64_of(info, "num_ack_pending"));
    st.add("Redelivered Messages", u64_of(info, "num_redelivered"));
    st.add("Unprocessed Messages", u64_of(info, "num_pending"));
    st.add("Waiting Pulls", u64_of(info, "num_waiting"));
    out!("{}", st.render());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pause_deadline_takes_times_and_durations() {
        // 2030-01-01T00:00:00Z
        let now = time::OffsetDateTime::from_unix_timestamp(1_893_456_000).unwrap();
        assert_eq!(
            pause_deadline("1h", now).unwrap().unix_timestamp(),
            1_893_459_600
        );
        assert_eq!(
            crate::output::rfc3339(pause_deadline("2030-06-01T12:00:00Z", now).unwrap()),
            "2030-06-01T12:00:00Z"
        );
        assert!(pause_deadline("2020-01-01T00:00:00Z", now).is_err());
        assert!(pause_deadline("tomorrow", now).is_err());
    }
}
