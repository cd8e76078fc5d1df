//! `server check ...`: health checks for monitoring systems, one Nagios-style line each
//! (`OK|WARNING|CRITICAL|UNKNOWN <check> <notes> | <perfdata>`) and its exit code (0, 1, 2,
//! 3). Flag names follow the `nats` CLI's `server check`.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use async_nats::Client;
use bytes::Bytes;
use clap::{Args, Subcommand};
use serde_json::Value;

use crate::cli::parse_duration;
use crate::conn::Settings;
use crate::jsapi::{self, i64_of, u64_of};
use crate::units::format as fmt_dur;
use crate::Error;

/// Health checks.
#[derive(Debug, Subcommand)]
pub enum CheckCmd {
    /// Checks that a connection can be made and round trips are fast
    #[command(alias = "conn")]
    Connection(ConnCheck),
    /// Checks JetStream account usage against its limits
    #[command(alias = "js")]
    Jetstream(JsCheck),
    /// Checks a stream exists and holds enough messages
    Stream(StreamCheck),
    /// Checks a consumer keeps up
    Consumer(ConsumerCheck),
}

/// `server check connection` thresholds.
#[derive(Debug, Args)]
pub struct ConnCheck {
    /// Warning threshold for the time to connect
    #[arg(long, value_parser = parse_duration, default_value = "500ms")]
    pub connect_warn: Duration,
    /// Critical threshold for the time to connect
    #[arg(long, value_parser = parse_duration, default_value = "1s")]
    pub connect_critical: Duration,
    /// Warning threshold for the round-trip time
    #[arg(long, value_parser = parse_duration, default_value = "500ms")]
    pub rtt_warn: Duration,
    /// Critical threshold for the round-trip time
    #[arg(long, value_parser = parse_duration, default_value = "1s")]
    pub rtt_critical: Duration,
    /// Warning threshold for a message through the server and back
    #[arg(long, value_parser = parse_duration, default_value = "500ms")]
    pub req_warn: Duration,
    /// Critical threshold for a message through the server and back
    #[arg(long, value_parser = parse_duration, default_value = "1s")]
    pub req_critical: Duration,
}

/// `server check jetstream` thresholds, in percent of the account's limits (-1: off).
#[derive(Debug, Args)]
pub struct JsCheck {
    /// Warning threshold for memory storage
    #[arg(long, default_value_t = 75, allow_hyphen_values = true)]
    pub mem_warn: i64,
    /// Critical threshold for memory storage
    #[arg(long, default_value_t = 90, allow_hyphen_values = true)]
    pub mem_critical: i64,
    /// Warning threshold for disk storage
    #[arg(long, default_value_t = 75, allow_hyphen_values = true)]
    pub store_warn: i64,
    /// Critical threshold for disk storage
    #[arg(long, default_value_t = 90, allow_hyphen_values = true)]
    pub store_critical: i64,
    /// Warning threshold for the number of streams
    #[arg(long, default_value_t = -1, allow_hyphen_values = true)]
    pub streams_warn: i64,
    /// Critical threshold for the number of streams
    #[arg(long, default_value_t = -1, allow_hyphen_values = true)]
    pub streams_critical: i64,
}

/// `server check stream` thresholds.
#[derive(Debug, Args)]
pub struct StreamCheck {
    /// The stream to check
    #[arg(long)]
    pub stream: String,
    /// Warn if there are fewer than this many messages in the stream
    #[arg(long)]
    pub msgs_warn: Option<u64>,
    /// Critical if there are fewer than this many messages in the stream
    #[arg(long)]
    pub msgs_critical: Option<u64>,
}

/// `server check consumer` thresholds (each off unless given).
#[derive(Debug, Args)]
pub struct ConsumerCheck {
    /// The stream holding the consumer
    #[arg(long)]
    pub stream: String,
    /// The consumer to check
    #[arg(long)]
    pub consumer: String,
    /// Maximum number of outstanding acks to allow
    #[arg(long)]
    pub outstanding_ack_critical: Option<u64>,
    /// Maximum number of waiting pulls to allow
    #[arg(long)]
    pub waiting_critical: Option<u64>,
    /// Maximum number of unprocessed messages to allow
    #[arg(long)]
    pub unprocessed_critical: Option<u64>,
    /// Maximum number of redeliveries to allow
    #[arg(long)]
    pub redelivery_critical: Option<u64>,
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

/// Runs a check: one Nagios line on stdout, its status as the exit code.
pub async fn check(settings: &Settings, cmd: CheckCmd) -> ExitCode {
    match cmd {
        CheckCmd::Connection(t) => check_connection(settings, t).await,
        CheckCmd::Jetstream(t) => {
            with_client(settings, "JetStream", |c, check| {
                check_jetstream(c, t, check, settings.timeout)
            })
            .await
        }
        CheckCmd::Stream(t) => {
            with_client(settings, "Stream", |c, check| {
                check_stream(c, t, check, settings.timeout)
            })
            .await
        }
        CheckCmd::Consumer(t) => {
            with_client(settings, "Consumer", |c, check| {
                check_consumer(c, t, check, settings.timeout)
            })
            .await
        }
    }
}

/// Connects (a failure is CRITICAL), then lets `body` add its notes.
async fn with_client<F, Fut>(settings: &Settings, name: &str, body: F) -> ExitCode
where
    F: FnOnce(Client, Check) -> Fut,
    Fut: std::future::Future<Output = Check>,
{
    let mut check = Check::default();
    match settings.connect().await {
        Ok(client) => body(client, check).await.finish(name),
        Err(e) => {
            check.note(Status::Critical, format!("connection failed: {e}"));
            check.finish(name)
        }
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
        t.connect_warn,
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
        t.rtt_warn,
        t.rtt_critical,
    );
    match request_round_trip(&client, settings.timeout).await {
        Ok(took) => check.timed(
            "round trip took",
            "request_time",
            took,
            t.req_warn,
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

/// `used` against `limit` in percent; no verdict when the limit is unlimited or the
/// thresholds are off (-1).
fn percent_check(check: &mut Check, what: &str, used: u64, limit: i64, warn: i64, crit: i64) {
    let Ok(limit) = u64::try_from(limit) else {
        check.perf.push(format!("{what}={used}"));
        return;
    };
    if limit == 0 {
        return;
    }
    let pct = used.saturating_mul(100) / limit;
    let pct = i64::try_from(pct).unwrap_or(i64::MAX);
    let status = if crit >= 0 && pct >= crit {
        Status::Critical
    } else if warn >= 0 && pct >= warn {
        Status::Warning
    } else {
        Status::Ok
    };
    check.note(status, format!("{what} {pct}%"));
    check
        .perf
        .push(format!("{what}={used};{warn};{crit} {what}_pct={pct}%"));
}

async fn check_jetstream(client: Client, t: JsCheck, mut check: Check, timeout: Duration) -> Check {
    match jsapi::js(&client, "INFO", &Value::Null, timeout).await {
        Ok(resp) => {
            let v = &resp.json;
            let limits = v.get("limits").unwrap_or(&Value::Null);
            check.note(
                Status::Ok,
                format!(
                    "{} streams, {} consumers",
                    u64_of(v, "streams"),
                    u64_of(v, "consumers")
                ),
            );
            percent_check(
                &mut check,
                "memory",
                u64_of(v, "memory"),
                i64_of(limits, "max_memory"),
                t.mem_warn,
                t.mem_critical,
            );
            percent_check(
                &mut check,
                "storage",
                u64_of(v, "storage"),
                i64_of(limits, "max_storage"),
                t.store_warn,
                t.store_critical,
            );
            percent_check(
                &mut check,
                "streams",
                u64_of(v, "streams"),
                i64_of(limits, "max_streams"),
                t.streams_warn,
                t.streams_critical,
            );
        }
        Err(e) => check.note(Status::Critical, format!("JetStream unavailable: {e}")),
    }
    check
}

async fn check_stream(
    client: Client,
    t: StreamCheck,
    mut check: Check,
    timeout: Duration,
) -> Check {
    let resp = match jsapi::js(
        &client,
        &format!("STREAM.INFO.{}", t.stream),
        &Value::Null,
        timeout,
    )
    .await
    {
        Ok(r) => r,
        Err(e) => {
            check.note(Status::Critical, format!("stream {}: {e}", t.stream));
            return check;
        }
    };
    let state = resp.json.get("state").unwrap_or(&Value::Null);
    let msgs = u64_of(state, "messages");
    let status = match (t.msgs_critical, t.msgs_warn) {
        (Some(c), _) if msgs < c => Status::Critical,
        (_, Some(w)) if msgs < w => Status::Warning,
        _ => Status::Ok,
    };
    check.note(status, format!("{msgs} messages"));
    check.perf.push(format!(
        "messages={msgs} subjects={}",
        u64_of(state, "num_subjects")
    ));
    check
}

async fn check_consumer(
    client: Client,
    t: ConsumerCheck,
    mut check: Check,
    timeout: Duration,
) -> Check {
    let subject = format!("CONSUMER.INFO.{}.{}", t.stream, t.consumer);
    let resp = match jsapi::js(&client, &subject, &Value::Null, timeout).await {
        Ok(r) => r,
        Err(e) => {
            check.note(
                Status::Critical,
                format!("consumer {} > {}: {e}", t.stream, t.consumer),
            );
            return check;
        }
    };
    let v = &resp.json;
    for (what, key, limit) in [
        ("ack pending", "num_ack_pending", t.outstanding_ack_critical),
        ("waiting pulls", "num_waiting", t.waiting_critical),
        ("unprocessed", "num_pending", t.unprocessed_critical),
        ("redelivered", "num_redelivered", t.redelivery_critical),
    ] {
        let n = u64_of(v, key);
        let status = if limit.is_some_and(|l| n > l) {
            Status::Critical
        } else {
            Status::Ok
        };
        check.note(status, format!("{n} {what}"));
        check.perf.push(format!("{}={n}", what.replace(' ', "_")));
    }
    check
}
