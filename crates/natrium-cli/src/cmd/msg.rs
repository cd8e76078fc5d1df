//! `pub`, `sub`, `req` and `reply`.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use async_nats::jetstream::{self, consumer::DeliverPolicy};
use async_nats::{Client, HeaderMap};
use base64::Engine;
use bytes::Bytes;
use clap::Args;
use futures::StreamExt;

use crate::cli::parse_duration;
use crate::Error;

/// `pub` flags.
#[derive(Debug, Args)]
pub struct PubArgs {
    /// Subject to publish to
    pub subject: String,
    /// Message body; read from stdin when absent
    pub body: Option<String>,
    /// Sets a custom reply-to subject
    #[arg(long, value_name = "SUBJECT")]
    pub reply: Option<String>,
    /// Adds headers to the message using K:V format
    #[arg(short = 'H', long = "header", value_name = "K:V")]
    pub header: Vec<String>,
    /// Publish multiple messages
    #[arg(long, default_value_t = 1)]
    pub count: u64,
    /// Sleep between publishes
    #[arg(long, value_parser = parse_duration)]
    pub sleep: Option<Duration>,
    /// Read the body from stdin even when it is a terminal
    #[arg(long)]
    pub force_stdin: bool,
    /// Publish to JetStream and wait for each acknowledgement
    #[arg(short = 'J', long)]
    pub jetstream: bool,
    /// Print nothing on success
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Expand {{Count}}, {{TimeStamp}}, {{Unix}}, {{UnixNano}}, {{Time}} and {{ID}} in the
    /// subject and body
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    pub templates: bool,
}

/// `sub` flags.
#[derive(Debug, Args)]
pub struct SubArgs {
    /// Subjects to subscribe to (wildcards allowed)
    #[arg(required_unless_present = "stream")]
    pub subjects: Vec<String>,
    /// Subscribe in a queue group
    #[arg(long)]
    pub queue: Option<String>,
    /// Print only message bodies, one per line
    #[arg(short = 'r', long)]
    pub raw: bool,
    /// Print only headers, no bodies
    #[arg(long)]
    pub headers_only: bool,
    /// Exit after this many messages
    #[arg(long)]
    pub count: Option<u64>,
    /// Write each message to DIRECTORY/<n>.json
    #[arg(long, value_name = "DIRECTORY")]
    pub dump: Option<PathBuf>,
    /// Read from this JetStream stream through an ordered consumer
    #[arg(long, value_name = "STREAM")]
    pub stream: Option<String>,
    /// With --stream: start with the first message (the default)
    #[arg(long)]
    pub all: bool,
    /// With --stream: only new messages
    #[arg(long)]
    pub new: bool,
    /// With --stream: the last message and all after it
    #[arg(long)]
    pub last: bool,
    /// With --stream: the last message of each subject
    #[arg(long)]
    pub last_per_subject: bool,
    /// With --stream: start at this stream sequence
    #[arg(long, value_name = "SEQUENCE")]
    pub start_sequence: Option<u64>,
    /// Exit after this long without a message
    #[arg(long, value_parser = parse_duration)]
    pub wait: Option<Duration>,
}

/// `req` flags.
#[derive(Debug, Args)]
pub struct ReqArgs {
    /// Subject to send the request to
    pub subject: String,
    /// Request body; read from stdin when absent
    pub body: Option<String>,
    /// Print only reply bodies
    #[arg(short = 'r', long)]
    pub raw: bool,
    /// Adds headers to the request using K:V format
    #[arg(short = 'H', long = "header", value_name = "K:V")]
    pub header: Vec<String>,
    /// Wait for this many replies; 0 waits until the timeout
    #[arg(long, default_value_t = 1)]
    pub replies: usize,
    /// With more than one reply: the longest wait between replies
    #[arg(long, value_parser = parse_duration, default_value = "300ms")]
    pub reply_timeout: Duration,
    /// Read the body from stdin even when it is a terminal
    #[arg(long)]
    pub force_stdin: bool,
}

/// `reply` flags.
#[derive(Debug, Args)]
pub struct ReplyArgs {
    /// Subject to answer requests on
    pub subject: String,
    /// Reply body (templates such as {{Count}} are expanded)
    pub body: Option<String>,
    /// Echo back what is received
    #[arg(long)]
    pub echo: bool,
    /// Reply with this shell command's output; the request body is its stdin
    #[arg(long)]
    pub command: Option<String>,
    /// Queue group name
    #[arg(short = 'q', long, default_value = "NATS-RPLY-22")]
    pub queue: String,
    /// Adds headers to replies using K:V format
    #[arg(short = 'H', long = "header", value_name = "K:V")]
    pub header: Vec<String>,
    /// Exit after answering this many requests
    #[arg(long)]
    pub count: Option<u64>,
}

/// Expands `{{Name}}` template functions for message `count` (1-based).
pub fn render(template: &str, count: u64) -> Result<String, Error> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let (before, after) = rest.split_at(open);
        out.push_str(before);
        let inner_and_rest = after.get(2..).unwrap_or("");
        let close = inner_and_rest
            .find("}}")
            .ok_or_else(|| Error::Usage(format!("unterminated template in {template:?}")))?;
        let (inner, tail) = inner_and_rest.split_at(close);
        let now = time::OffsetDateTime::now_utc();
        let value = match inner.trim() {
            "Count" | "Cnt" => count.to_string(),
            "TimeStamp" => crate::output::rfc3339(now),
            "Unix" => now.unix_timestamp().to_string(),
            "UnixNano" => now.unix_timestamp_nanos().to_string(),
            "Time" => format!("{:02}:{:02}:{:02}", now.hour(), now.minute(), now.second()),
            "ID" => unique_id(),
            other => {
                return Err(Error::Usage(format!(
                    "unknown template function {other:?} (known: Count, TimeStamp, Unix, UnixNano, Time, ID)"
                )))
            }
        };
        out.push_str(&value);
        rest = tail.get(2..).unwrap_or("");
    }
    out.push_str(rest);
    Ok(out)
}

/// A unique id for `{{ID}}`: the time in nanoseconds, the process id and a per-process
/// counter, in hex; distinct across calls and concurrent `natrium` processes.
pub fn unique_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    format!(
        "{:x}{:x}{:04x}",
        nanos,
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    )
}

fn read_body(body: Option<String>, force_stdin: bool) -> Result<Vec<u8>, Error> {
    if let Some(b) = body {
        return Ok(b.into_bytes());
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() && !force_stdin {
        return Ok(Vec::new());
    }
    let mut buf = Vec::new();
    stdin
        .lock()
        .read_to_end(&mut buf)
        .map_err(|e| Error::io("stdin", e))?;
    Ok(buf)
}

/// `pub`.
pub async fn publish(client: &Client, a: PubArgs) -> Result<(), Error> {
    let body = read_body(a.body, a.force_stdin)?;
    let headers = super::headers(&a.header)?;
    let body_text = String::from_utf8(body.clone()).ok();
    let js = a.jetstream.then(|| jetstream::new(client.clone()));
    for n in 1..=a.count {
        let (subject, payload) = if a.templates {
            let payload = match &body_text {
                Some(t) => Bytes::from(render(t, n)?),
                None => Bytes::from(body.clone()),
            };
            (render(&a.subject, n)?, payload)
        } else {
            (a.subject.clone(), Bytes::from(body.clone()))
        };
        let size = payload.len();
        if let Some(js) = &js {
            let ack = match &headers {
                Some(h) => {
                    js.publish_with_headers(subject.clone(), h.clone(), payload)
                        .await?
                }
                None => js.publish(subject.clone(), payload).await?,
            }
            .await?;
            if !a.quiet {
                eprintln!(
                    "Published {size} bytes to {subject:?}: stored in stream {} sequence {}{}",
                    ack.stream,
                    ack.sequence,
                    if ack.duplicate { " (duplicate)" } else { "" }
                );
            }
        } else {
            match (&a.reply, &headers) {
                (Some(r), Some(h)) => {
                    client
                        .publish_with_reply_and_headers(
                            subject.clone(),
                            r.clone(),
                            h.clone(),
                            payload,
                        )
                        .await?
                }
                (Some(r), None) => {
                    client
                        .publish_with_reply(subject.clone(), r.clone(), payload)
                        .await?
                }
                (None, Some(h)) => {
                    client
                        .publish_with_headers(subject.clone(), h.clone(), payload)
                        .await?
                }
                (None, None) => client.publish(subject.clone(), payload).await?,
            }
            if !a.quiet {
                eprintln!("Published {size} bytes to {subject:?}");
            }
        }
        if let Some(d) = a.sleep.filter(|_| n < a.count) {
            tokio::time::sleep(d).await;
        }
    }
    Ok(())
}

/// One received message, from core NATS or a stream.
struct Received<'a> {
    subject: &'a str,
    reply: Option<&'a str>,
    headers: Option<&'a HeaderMap>,
    payload: &'a [u8],
    /// Stream name and sequence for JetStream messages.
    stream: Option<(String, u64)>,
}

fn header_lines(headers: Option<&HeaderMap>) -> String {
    let mut out = String::new();
    if let Some(h) = headers {
        for (name, values) in h.iter() {
            for v in values {
                out.push_str(&format!("{name}: {v}\n"));
            }
        }
    }
    out
}

fn print_received(a: &SubArgs, n: u64, m: &Received<'_>) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    let mut text = Vec::new();
    if a.raw {
        if a.headers_only {
            text.extend_from_slice(header_lines(m.headers).as_bytes());
        } else {
            text.extend_from_slice(m.payload);
            text.push(b'\n');
        }
    } else {
        match &m.stream {
            Some((stream, seq)) => text.extend_from_slice(
                format!(
                    "[#{n}] Received JetStream message: stream: {stream} seq {seq} / subject: {}\n",
                    m.subject
                )
                .as_bytes(),
            ),
            None => {
                let reply = m
                    .reply
                    .map(|r| format!(" with reply {r:?}"))
                    .unwrap_or_default();
                text.extend_from_slice(
                    format!("[#{n}] Received on {:?}{reply}\n", m.subject).as_bytes(),
                );
            }
        }
        text.extend_from_slice(header_lines(m.headers).as_bytes());
        if !a.headers_only {
            text.push(b'\n');
            text.extend_from_slice(m.payload);
            text.push(b'\n');
        }
        text.push(b'\n');
    }
    out.write_all(&text)
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("stdout", e))
}

fn dump(dir: &std::path::Path, n: u64, m: &Received<'_>) -> Result<(), Error> {
    let mut headers = serde_json::Map::new();
    if let Some(h) = m.headers {
        for (name, values) in h.iter() {
            let vals: Vec<serde_json::Value> = values
                .iter()
                .map(|v| serde_json::Value::String(v.to_string()))
                .collect();
            headers.insert(name.to_string(), serde_json::Value::Array(vals));
        }
    }
    let doc = serde_json::json!({
        "subject": m.subject,
        "reply": m.reply.unwrap_or(""),
        "header": headers,
        "data": base64::engine::general_purpose::STANDARD.encode(m.payload),
    });
    let path = dir.join(format!("{n}.json"));
    let body = serde_json::to_vec_pretty(&doc).map_err(|e| Error::json("dump", e))?;
    std::fs::write(&path, body).map_err(|e| Error::io(path.display().to_string(), e))
}

fn handle(a: &SubArgs, n: u64, m: &Received<'_>) -> Result<(), Error> {
    match &a.dump {
        Some(dir) => dump(dir, n, m),
        None => print_received(a, n, m),
    }
}

/// `sub`.
pub async fn subscribe(client: &Client, a: SubArgs) -> Result<(), Error> {
    if let Some(dir) = &a.dump {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    }
    if let Some(stream) = a.stream.clone() {
        return subscribe_stream(client, &a, &stream).await;
    }
    let mut subs = Vec::new();
    for subject in &a.subjects {
        let sub = match &a.queue {
            Some(q) => client.queue_subscribe(subject.clone(), q.clone()).await?,
            None => client.subscribe(subject.clone()).await?,
        };
        subs.push(sub);
    }
    client
        .flush()
        .await
        .map_err(|e| Error::Nats(e.to_string()))?;
    match &a.queue {
        Some(q) => eprintln!("Subscribing on {} in group {q}", a.subjects.join(", ")),
        None => eprintln!("Subscribing on {}", a.subjects.join(", ")),
    }
    let mut all = futures::stream::select_all(subs);
    let mut n = 0u64;
    while a.count.is_none_or(|c| n < c) {
        let next = match a.wait {
            Some(w) => match tokio::time::timeout(w, all.next()).await {
                Ok(m) => m,
                Err(_) => break,
            },
            None => all.next().await,
        };
        let Some(msg) = next else { break };
        n += 1;
        let reply = msg.reply.as_ref().map(|r| r.as_str());
        handle(
            &a,
            n,
            &Received {
                subject: msg.subject.as_str(),
                reply,
                headers: msg.headers.as_ref(),
                payload: &msg.payload,
                stream: None,
            },
        )?;
    }
    Ok(())
}

async fn subscribe_stream(client: &Client, a: &SubArgs, stream: &str) -> Result<(), Error> {
    let js = jetstream::new(client.clone());
    let handle_stream = js.get_stream(stream).await?;
    let deliver_policy = if let Some(seq) = a.start_sequence {
        DeliverPolicy::ByStartSequence {
            start_sequence: seq,
        }
    } else if a.new {
        DeliverPolicy::New
    } else if a.last {
        DeliverPolicy::Last
    } else if a.last_per_subject {
        DeliverPolicy::LastPerSubject
    } else {
        DeliverPolicy::All
    };
    let mut config = jetstream::consumer::pull::OrderedConfig {
        deliver_policy,
        ..Default::default()
    };
    match a.subjects.as_slice() {
        [] => {}
        [one] => config.filter_subject = one.clone(),
        many => config.filter_subjects = many.to_vec(),
    }
    let consumer = handle_stream.create_consumer(config).await?;
    let mut messages = consumer.messages().await?;
    eprintln!("Subscribing to JetStream stream {stream}");
    let mut n = 0u64;
    while a.count.is_none_or(|c| n < c) {
        let next = match a.wait {
            Some(w) => match tokio::time::timeout(w, messages.next()).await {
                Ok(m) => m,
                Err(_) => break,
            },
            None => messages.next().await,
        };
        let Some(msg) = next else { break };
        let msg = msg.map_err(|e| Error::Nats(e.to_string()))?;
        n += 1;
        let seq = msg.info().map(|i| i.stream_sequence).unwrap_or(0);
        handle(
            a,
            n,
            &Received {
                subject: msg.subject.as_str(),
                reply: None,
                headers: msg.headers.as_ref(),
                payload: &msg.payload,
                stream: Some((stream.to_owned(), seq)),
            },
        )?;
    }
    Ok(())
}

fn print_reply(raw: bool, rtt: Duration, msg: &async_nats::Message) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    let mut text = Vec::new();
    if raw {
        text.extend_from_slice(&msg.payload);
        text.push(b'\n');
    } else {
        text.extend_from_slice(
            format!("Received with rtt {}\n", crate::units::format(rtt)).as_bytes(),
        );
        text.extend_from_slice(header_lines(msg.headers.as_ref()).as_bytes());
        text.push(b'\n');
        text.extend_from_slice(&msg.payload);
        text.extend_from_slice(b"\n\n");
    }
    out.write_all(&text)
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("stdout", e))
}

/// `req`.
pub async fn request(client: &Client, a: ReqArgs, timeout: Duration) -> Result<(), Error> {
    let body = Bytes::from(read_body(a.body, a.force_stdin)?);
    let headers = super::headers(&a.header)?;
    if a.replies == 1 {
        let mut req = async_nats::Request::new()
            .payload(body)
            .timeout(Some(timeout));
        if let Some(h) = headers {
            req = req.headers(h);
        }
        let start = Instant::now();
        let msg = client
            .send_request(a.subject.clone(), req)
            .await
            .map_err(|e| match e.kind() {
                async_nats::RequestErrorKind::NoResponders => Error::Nats(format!(
                    "no responders available for request on {:?}",
                    a.subject
                )),
                async_nats::RequestErrorKind::TimedOut => {
                    Error::Timeout(format!("a reply on {:?}", a.subject))
                }
                _ => Error::Nats(e.to_string()),
            })?;
        return print_reply(a.raw, start.elapsed(), &msg);
    }
    let inbox = client.new_inbox();
    let mut sub = client.subscribe(inbox.clone()).await?;
    let start = Instant::now();
    match headers {
        Some(h) => {
            client
                .publish_with_reply_and_headers(a.subject.clone(), inbox, h, body)
                .await?
        }
        None => {
            client
                .publish_with_reply(a.subject.clone(), inbox, body)
                .await?
        }
    }
    client
        .flush()
        .await
        .map_err(|e| Error::Nats(e.to_string()))?;
    let deadline = tokio::time::Instant::now() + timeout;
    let mut got = 0usize;
    while a.replies == 0 || got < a.replies {
        let wait_until = if got == 0 || a.replies == 0 {
            deadline
        } else {
            deadline.min(tokio::time::Instant::now() + a.reply_timeout)
        };
        let Ok(Some(msg)) = tokio::time::timeout_at(wait_until, sub.next()).await else {
            break;
        };
        if msg.status == Some(async_nats::StatusCode::NO_RESPONDERS) {
            break;
        }
        got += 1;
        print_reply(a.raw, start.elapsed(), &msg)?;
    }
    if got == 0 {
        return Err(Error::Timeout(format!("replies on {:?}", a.subject)));
    }
    Ok(())
}

/// `reply`.
pub async fn reply(client: &Client, a: ReplyArgs) -> Result<(), Error> {
    let modes =
        usize::from(a.body.is_some()) + usize::from(a.echo) + usize::from(a.command.is_some());
    if modes != 1 {
        return Err(Error::Usage(
            "give exactly one of a BODY, --echo or --command".into(),
        ));
    }
    let extra_headers = super::headers(&a.header)?;
    let mut sub = client
        .queue_subscribe(a.subject.clone(), a.queue.clone())
        .await?;
    client
        .flush()
        .await
        .map_err(|e| Error::Nats(e.to_string()))?;
    eprintln!("Listening on {:?} in group {:?}", a.subject, a.queue);
    let mut n = 0u64;
    while a.count.is_none_or(|c| n < c) {
        let Some(msg) = sub.next().await else { break };
        n += 1;
        let Some(reply_to) = msg.reply.clone() else {
            eprintln!(
                "[#{n}] Ignoring message on {:?} without a reply subject",
                msg.subject.as_str()
            );
            continue;
        };
        let (payload, mut headers) = if a.echo {
            (msg.payload.clone(), msg.headers.clone())
        } else if let Some(cmd) = &a.command {
            (Bytes::from(run_command(cmd, &msg.payload).await), None)
        } else {
            let body = a.body.as_deref().unwrap_or("");
            (Bytes::from(render(body, n)?), None)
        };
        if let Some(extra) = &extra_headers {
            let h = headers.get_or_insert_with(HeaderMap::new);
            for (name, values) in extra.iter() {
                for v in values {
                    h.append(name.clone(), v.clone());
                }
            }
        }
        match headers {
            Some(h) => client.publish_with_headers(reply_to, h, payload).await?,
            None => client.publish(reply_to, payload).await?,
        }
        eprintln!("[#{n}] Replied to request on {:?}", msg.subject.as_str());
    }
    Ok(())
}

/// Runs `cmd` through the shell with `input` on stdin; its stdout, or an error text.
async fn run_command(cmd: &str, input: &[u8]) -> Vec<u8> {
    use tokio::io::AsyncWriteExt;
    let (shell, flag) = if cfg!(windows) {
        ("cmd", "/C")
    } else {
        ("sh", "-c")
    };
    let child = tokio::process::Command::new(shell)
        .arg(flag)
        .arg(cmd)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return format!("error: cannot run command: {e}").into_bytes(),
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A command that does not read its stdin closes the pipe; that is not an error.
        let _ = stdin.write_all(input).await;
    }
    match child.wait_with_output().await {
        Ok(out) if out.status.success() => out.stdout,
        Ok(out) => format!(
            "error: command failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )
        .into_bytes(),
        Err(e) => format!("error: command failed: {e}").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn templates_expand_count_and_reject_unknown() {
        assert_eq!(render("n={{Count}} {{ Count }}", 7).unwrap(), "n=7 7");
        assert_eq!(render("plain", 1).unwrap(), "plain");
        assert!(render("{{Nope}}", 1).is_err());
        assert!(render("{{Count", 1).is_err());
        assert!(render("{{TimeStamp}}", 1).unwrap().contains('T'));
    }
}
