//! Message tracing (nats-server 2.11): a message published with a `Nats-Trace-Dest` header
//! is followed through the router, and what happened to it (where it came in, mappings,
//! account links, JetStream, every subscriber and peer it went to, and why not where it
//! did not) is published as one report to that destination. With `Nats-Trace-Only: true`
//! the router goes through the motions without delivering or storing anything.
//!
//! A [`Trace`] is shared by everyone who handles the message — the publisher's fan-out
//! and each internal subscriber (a stream) that got a copy — and the report is sent when
//! the last of them lets go of it, so it always holds the stream's part too.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use natrium_api::time::rfc3339_nano_from_unix;
use natrium_api::trace::{TraceEntry, TraceReport, TraceRequest};
use parking_lot::Mutex;

/// Where the report goes.
pub const TRACE_DEST: &[u8] = b"Nats-Trace-Dest";
/// `true`, `on` or `1`: trace without delivering.
pub const TRACE_ONLY: &[u8] = b"Nats-Trace-Only";
/// Set on a message forwarded to a peer: the id of that hop.
pub const TRACE_HOP: &[u8] = b"Nats-Trace-Hop";
/// Sent by pre-release servers; a message carrying it is never traced.
const TRACE_ORIGIN_ACCOUNT: &[u8] = b"Nats-Trace-Origin-Account";
/// The `Nats-Trace-Dest` value that switches tracing off (not a valid subject).
pub const TRACE_DISABLED: &[u8] = b"trace disabled";

/// Egress errors, as nats-server words them.
pub mod not_delivered {
    /// The publisher asked not to get its own messages.
    pub const NO_ECHO: &str = "Not delivered because of no echo";
    /// The subscriber's permissions deny the subject.
    pub const SUB_DENIED: &str = "Not delivered because subscription denies this subject";
    /// The subscription was removed meanwhile.
    pub const SUB_CLOSED: &str = "Not delivered because subscription is closed";
    /// The subscriber's connection is closed.
    pub const CLIENT_CLOSED: &str = "Not delivered because client is closed";
    /// `UNSUB <sid> <max>` was reached.
    pub const AUTO_UNSUB: &str = "Not delivered because auto-unsubscribe exceeded";
}

/// Publishes finished reports (the server, as its system client, in the ingress account).
pub trait TraceSink: Send + Sync + std::fmt::Debug {
    /// Sends `report` to `dest` in `account`.
    fn emit(&self, account: &str, dest: &str, report: TraceReport);
}

/// What a message's headers ask of tracing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceAsk<'a> {
    /// Nothing: handle the message as usual.
    None,
    /// Trace-only, but there is nowhere valid to send the report: drop the message.
    Drop,
    /// Trace it.
    Trace {
        /// The `Nats-Trace-Dest` subject.
        dest: &'a [u8],
        /// Do not deliver or store it.
        trace_only: bool,
        /// The hop id a peer gave it.
        hop: Option<&'a [u8]>,
    },
}

/// Reads the trace headers of a header block, as nats-server does: the destination must
/// be a valid publish subject (else a trace-only message is dropped, another one handled
/// untraced).
pub fn trace_ask(headers: &[u8]) -> TraceAsk<'_> {
    let Some(dest) = natrium_proto::header_value(headers, TRACE_DEST) else {
        // Trace-only without a destination is still not to be delivered.
        return if trace_only(headers) {
            TraceAsk::Drop
        } else {
            TraceAsk::None
        };
    };
    let dest = dest.trim_ascii();
    if dest == TRACE_DISABLED {
        return TraceAsk::None;
    }
    let trace_only = trace_only(headers);
    let refused = dest.is_empty()
        || natrium_proto::header_value(headers, TRACE_ORIGIN_ACCOUNT).is_some()
        || !natrium_subject::is_valid_publish_subject(dest);
    match (refused, trace_only) {
        (true, true) => TraceAsk::Drop,
        (true, false) => TraceAsk::None,
        (false, _) => TraceAsk::Trace {
            dest,
            trace_only,
            hop: natrium_proto::header_value(headers, TRACE_HOP).map(<[u8]>::trim_ascii),
        },
    }
}

fn trace_only(headers: &[u8]) -> bool {
    natrium_proto::header_value(headers, TRACE_ONLY).is_some_and(|v| {
        let v = v.trim_ascii();
        v == b"1" || v.eq_ignore_ascii_case(b"true") || v.eq_ignore_ascii_case(b"on")
    })
}

/// The connection a traced message came in on.
#[derive(Debug, Clone, Copy)]
pub struct Ingress<'a> {
    /// Connection kind (`natrium_api::trace::kind`).
    pub kind: u8,
    /// Connection id.
    pub cid: u64,
    /// Client name, or the peer server's name.
    pub name: &'a str,
    /// The account it was published in.
    pub account: &'a str,
    /// The subject as published (before any mapping).
    pub subject: &'a [u8],
}

/// One delivery (or refusal) to note.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Egress<'a> {
    pub kind: u8,
    pub cid: u64,
    pub name: &'a str,
    pub hop: &'a str,
    pub account: &'a str,
    pub sub: &'a [u8],
    pub queue: Option<&'a [u8]>,
    pub error: &'a str,
}

/// A message being traced. Cloning shares it; the report goes out when the last clone
/// is dropped.
#[derive(Debug, Clone)]
pub struct Trace {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    account: Box<str>,
    dest: Box<str>,
    /// The hop id this server's report answers to ("" at the origin).
    hop: Box<str>,
    trace_only: bool,
    report: Mutex<TraceReport>,
    sink: Arc<dyn TraceSink>,
}

impl Drop for Shared {
    fn drop(&mut self) {
        let report = std::mem::take(self.report.get_mut());
        self.sink.emit(&self.account, &self.dest, report);
    }
}

fn now() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
    rfc3339_nano_from_unix(nanos)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every `Key: Value` line of a header block, names as sent, empty ones left out.
fn header_map(block: &[u8]) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in block.split(|b| *b == b'\n').skip(1) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            continue;
        };
        let (key, value) = line.split_at(colon);
        let value = value.get(1..).unwrap_or_default().trim_ascii();
        if !key.is_empty() && !value.is_empty() {
            map.entry(text(key)).or_default().push(text(value));
        }
    }
    map
}

impl Trace {
    /// Starts tracing a message with `headers` (the whole block) and `size` bytes, to
    /// be reported to `dest` through `sink`.
    pub fn start(
        sink: Arc<dyn TraceSink>,
        dest: &[u8],
        trace_only: bool,
        hop: Option<&[u8]>,
        headers: &[u8],
        size: usize,
        ingress: Ingress<'_>,
    ) -> Self {
        let report = TraceReport {
            request: TraceRequest {
                header: header_map(headers),
                msg_size: size,
            },
            hops: 0,
            events: vec![TraceEntry::Ingress {
                ts: now(),
                kind: ingress.kind,
                cid: ingress.cid,
                name: ingress.name.to_owned(),
                acc: ingress.account.to_owned(),
                subj: text(ingress.subject),
                error: String::new(),
            }],
        };
        Self {
            shared: Arc::new(Shared {
                account: ingress.account.into(),
                dest: String::from_utf8_lossy(dest).into(),
                hop: String::from_utf8_lossy(hop.unwrap_or_default()).into(),
                trace_only,
                report: Mutex::new(report),
                sink,
            }),
        }
    }

    /// Whether nothing is to be delivered or stored.
    pub fn trace_only(&self) -> bool {
        self.shared.trace_only
    }

    /// The account the message was published in.
    pub fn account(&self) -> &str {
        &self.shared.account
    }

    fn push(&self, entry: TraceEntry) {
        self.shared.report.lock().events.push(entry);
    }

    /// Why the message went no further than the ingress.
    pub fn ingress_error(&self, error: &str) {
        if let Some(TraceEntry::Ingress { error: e, .. }) =
            self.shared.report.lock().events.first_mut()
        {
            *e = error.to_owned();
        }
    }

    /// The account's mapping sent it to `to`.
    pub fn mapped(&self, to: &[u8]) {
        self.push(TraceEntry::SubjectMapping {
            ts: now(),
            to: text(to),
        });
    }

    /// A stream export copied it into `account` as `to`.
    pub(crate) fn stream_export(&self, account: &str, to: &[u8]) {
        self.push(TraceEntry::StreamExport {
            ts: now(),
            acc: account.to_owned(),
            to: text(to),
        });
    }

    /// A service import sent it from `from` into `account` as `to`.
    pub(crate) fn service_import(&self, account: &str, from: &[u8], to: &[u8]) {
        self.push(TraceEntry::ServiceImport {
            ts: now(),
            acc: account.to_owned(),
            from: text(from),
            to: text(to),
        });
    }

    /// Stream `stream` took it as `subject` (or refused it with `error`).
    pub fn jetstream(&self, stream: &str, subject: &[u8], no_interest: bool, error: &str) {
        self.push(TraceEntry::JetStream {
            ts: now(),
            stream: stream.to_owned(),
            subject: text(subject),
            no_interest,
            error: error.to_owned(),
        });
    }

    /// The id of the next hop to a peer: this server's own hop id, a dot and a count.
    pub(crate) fn next_hop(&self) -> String {
        let mut report = self.shared.report.lock();
        report.hops += 1;
        if self.shared.hop.is_empty() {
            report.hops.to_string()
        } else {
            format!("{}.{}", self.shared.hop, report.hops)
        }
    }

    pub(crate) fn egress(&self, e: Egress<'_>) {
        let account = if e.account == &*self.shared.account {
            String::new()
        } else {
            e.account.to_owned()
        };
        self.push(TraceEntry::Egress {
            ts: now(),
            kind: e.kind,
            cid: e.cid,
            name: e.name.to_owned(),
            hop: e.hop.to_owned(),
            acc: account,
            sub: text(e.sub),
            queue: e.queue.map(text).unwrap_or_default(),
            error: e.error.to_owned(),
        });
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_headers_ask() {
        let h = b"NATS/1.0\r\nNats-Trace-Dest: my.trace\r\nNats-Trace-Only: True\r\n\r\n";
        assert_eq!(
            trace_ask(h),
            TraceAsk::Trace {
                dest: b"my.trace",
                trace_only: true,
                hop: None
            }
        );
        let disabled = b"NATS/1.0\r\nNats-Trace-Dest: trace disabled\r\nNats-Trace-Only: 1\r\n\r\n";
        assert_eq!(trace_ask(disabled), TraceAsk::None);
        let bad_dest = b"NATS/1.0\r\nNats-Trace-Dest: a.*\r\nNats-Trace-Only: on\r\n\r\n";
        assert_eq!(trace_ask(bad_dest), TraceAsk::Drop);
        let bad_dest_delivered = b"NATS/1.0\r\nNats-Trace-Dest: a.*\r\n\r\n";
        assert_eq!(trace_ask(bad_dest_delivered), TraceAsk::None);
        assert_eq!(
            trace_ask(b"NATS/1.0\r\nNats-Trace-Only: true\r\n\r\n"),
            TraceAsk::Drop
        );
        assert_eq!(trace_ask(b"NATS/1.0\r\nA: b\r\n\r\n"), TraceAsk::None);
    }

    #[derive(Debug, Default)]
    struct Collect(Mutex<Vec<(String, String, TraceReport)>>);

    impl TraceSink for Collect {
        fn emit(&self, account: &str, dest: &str, report: TraceReport) {
            self.0.lock().push((account.into(), dest.into(), report));
        }
    }

    #[test]
    fn reports_once_when_the_last_holder_is_done() {
        let sink = Arc::new(Collect::default());
        let headers = b"NATS/1.0\r\nNats-Trace-Dest: t\r\nX: 1\r\nX: 2\r\n\r\n";
        let trace = Trace::start(
            sink.clone(),
            b"t",
            false,
            Some(b"2"),
            headers,
            40,
            Ingress {
                kind: 1,
                cid: 3,
                name: "peer",
                account: "A",
                subject: b"foo",
            },
        );
        let stream_copy = trace.clone();
        assert_eq!(trace.next_hop(), "2.1");
        assert_eq!(trace.next_hop(), "2.2");
        drop(trace);
        assert!(sink.0.lock().is_empty(), "the stream still holds it");
        stream_copy.jetstream("S", b"foo", false, "");
        drop(stream_copy);
        let sent = sink.0.lock();
        assert_eq!(sent.len(), 1);
        let (account, dest, report) = &sent[0];
        assert_eq!((account.as_str(), dest.as_str()), ("A", "t"));
        assert_eq!(report.hops, 2);
        assert_eq!(report.request.header["X"], vec!["1", "2"]);
        assert_eq!(report.events.len(), 2);
    }
}
