//! Mirrors and sources: a stream that copies another stream's messages.
//!
//! As nats-server does it, through the protocol: the stream asks the origin's JetStream
//! API for an ephemeral push consumer (`flow_control`, 1 s heartbeats, no acks) that
//! delivers to a subject only this stream listens on, starting after the last origin
//! sequence it already holds. Each delivery's `$JS.ACK` reply carries the origin
//! sequence, its timestamp and how many messages are left (the lag).
//!
//! - A mirror stores each message under the origin's sequence and timestamp
//!   ([`natrium_store::Store::append_at`]), so sequences (and KV revisions) agree.
//! - A source stores each message as a new one of this stream, its subject mapped by the
//!   source's `subject_transforms`, with a `Nats-Stream-Source` header naming the origin
//!   and sequence; on restart the newest such header per source says where to resume.
//!
//! A consumer sequence that skips, a `409` from the origin, no heartbeat for
//! [`STALLED_AFTER`] or no reply to the create request re-creates the consumer from the
//! last origin sequence held; an origin that does not exist (yet) is asked again with a
//! growing delay, up to [`RETRY_MAX`].

use natrium_api::jetstream::{
    AckPolicy, ApiError, ConsumerConfig, ConsumerCreateResponse, CreateConsumerRequest,
    DeliverPolicy, StreamSource, StreamSourceInfo,
};
use natrium_core::InternalMsg;
use natrium_store::{NewMsg, StoredMsg};
use natrium_subject::SubjectTransform;

use super::StreamTask;
use crate::ack::parse_ack_reply;
use crate::engine::now_nanos;

/// Sid prefix of the subscription a source's deliveries arrive on.
pub(super) const DELIVER_SID_PREFIX: &[u8] = b"$src.d.";
/// Sid prefix of the subscription the answers to its consumer requests arrive on.
pub(super) const REPLY_SID_PREFIX: &[u8] = b"$src.r.";
/// The header a sourced message carries (`<stream> <seq> <filter> <dest> <subject>`).
const STREAM_SOURCE: &str = "Nats-Stream-Source";
/// Heartbeat interval of the origin consumer.
const HEARTBEAT: i64 = 1_000_000_000;
/// A link with no delivery or heartbeat for this long is re-created.
const STALLED_AFTER: i64 = 10_000_000_000;
/// How long a consumer create request may go unanswered.
const REPLY_WITHIN: i64 = 5_000_000_000;
/// First and longest wait before asking an unavailable origin again.
const RETRY_FIRST: i64 = 2_000_000_000;
const RETRY_MAX: i64 = 30_000_000_000;

/// Where the link to the origin stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    /// No consumer; ask again at `retry_at`.
    Idle,
    /// A create request is out.
    Requested,
    /// The consumer delivers.
    Active,
}

/// One upstream: the mirror, or one of the sources.
pub(super) struct Upstream {
    config: StreamSource,
    mirror: bool,
    /// nats-server's index name: `<stream> <filters> <destinations>`.
    iname: String,
    transforms: Vec<SubjectTransform>,
    deliver: String,
    reply: String,
    /// The origin consumer's name (to delete it when the link is dropped).
    consumer: String,
    link: Link,
    /// The last origin sequence stored.
    last_seq: u64,
    /// The last delivery sequence of the current origin consumer.
    dseq: u64,
    lag: u64,
    last_activity: i64,
    requested_at: i64,
    retry_at: i64,
    fails: u32,
    error: Option<ApiError>,
}

impl Upstream {
    fn new(config: StreamSource, mirror: bool, index: usize) -> Self {
        let transforms = config
            .subject_transforms
            .iter()
            .filter_map(|t| {
                let src = if t.src.is_empty() {
                    ">"
                } else {
                    t.src.as_str()
                };
                let dest = if t.dest.is_empty() {
                    ">"
                } else {
                    t.dest.as_str()
                };
                SubjectTransform::new(src, dest).ok()
            })
            .collect();
        let token = crate::advisory::random_token(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 16);
        let kind = if mirror { "M" } else { "S" };
        let deliver = match &config.external {
            Some(ext) if !ext.deliver.is_empty() => format!("{}.{kind}.{token}", ext.deliver),
            _ => format!("$JS.{kind}.{token}"),
        };
        Self {
            iname: iname(&config),
            transforms,
            deliver,
            reply: format!("$JS.SRC.{token}.{index}"),
            consumer: String::new(),
            link: Link::Idle,
            last_seq: 0,
            dseq: 0,
            lag: 0,
            last_activity: 0,
            requested_at: 0,
            retry_at: 0,
            fails: 0,
            error: None,
            config,
            mirror,
        }
    }

    /// What stream info reports about it.
    fn info(&self, now: i64) -> StreamSourceInfo {
        StreamSourceInfo {
            name: self.config.name.clone(),
            external: self.config.external.clone(),
            lag: self.lag,
            active: if self.last_activity > 0 {
                now.saturating_sub(self.last_activity)
            } else {
                -1
            },
            seq: 0,
            error: self.error.clone(),
            filter_subject: self.config.filter_subject.clone(),
            subject_transforms: self.config.subject_transforms.clone(),
        }
    }

    /// The API subject that deletes its current origin consumer, if it has one.
    fn delete_subject(&self) -> Option<String> {
        (!self.consumer.is_empty()).then(|| {
            format!(
                "{}.CONSUMER.DELETE.{}.{}",
                self.api_prefix(),
                self.config.name,
                self.consumer
            )
        })
    }

    /// The API subject prefix of the origin's JetStream.
    fn api_prefix(&self) -> &str {
        match &self.config.external {
            Some(ext) if !ext.api.is_empty() => ext.api.as_str(),
            _ => "$JS.API",
        }
    }
}

/// nats-server's `composeIName`: the origin, its filters and their destinations.
fn iname(source: &StreamSource) -> String {
    let or_all = |s: &str| {
        if s.is_empty() {
            ">".to_owned()
        } else {
            s.to_owned()
        }
    };
    let (filters, destinations) = if source.subject_transforms.is_empty() {
        (or_all(&source.filter_subject), ">".to_owned())
    } else {
        let f: Vec<String> = source
            .subject_transforms
            .iter()
            .map(|t| or_all(&t.src))
            .collect();
        let d: Vec<String> = source
            .subject_transforms
            .iter()
            .map(|t| or_all(&t.dest))
            .collect();
        (f.join("\u{c}"), d.join("\u{c}"))
    };
    format!("{} {filters} {destinations}", source.name)
}

impl StreamTask {
    /// (Re)builds the links to the mirror or sources the configuration names: called
    /// when the task starts and after an update.
    pub(super) fn start_upstreams(&mut self) {
        self.stop_upstreams();
        let mut ups: Vec<Upstream> = Vec::new();
        if let Some(m) = &self.config.mirror {
            ups.push(Upstream::new(m.clone(), true, 0));
        }
        for (i, s) in self.config.sources.iter().enumerate() {
            ups.push(Upstream::new(s.clone(), false, i));
        }
        if ups.is_empty() {
            return;
        }
        if ups.first().is_some_and(|u| u.mirror) {
            if let Some(u) = ups.first_mut() {
                u.last_seq = self.store.state().last_seq;
            }
        } else {
            self.resume_points(&mut ups);
        }
        for (i, u) in ups.iter().enumerate() {
            for (subject, prefix) in [
                (&u.deliver, DELIVER_SID_PREFIX),
                (&u.reply, REPLY_SID_PREFIX),
            ] {
                let sid = [prefix, i.to_string().as_bytes()].concat();
                if let Err(err) =
                    self.account
                        .subscribe(&self.client, subject.as_bytes(), None, &sid)
                {
                    tracing::warn!(stream = %self.name, %err, "source subscription failed");
                }
            }
        }
        self.upstreams = ups;
        let now = now_nanos();
        for i in 0..self.upstreams.len() {
            self.request_consumer(i, now);
        }
    }

    /// Drops every link: unsubscribes and deletes the origin consumers.
    pub(super) fn stop_upstreams(&mut self) {
        let ups = std::mem::take(&mut self.upstreams);
        for (i, u) in ups.iter().enumerate() {
            for prefix in [DELIVER_SID_PREFIX, REPLY_SID_PREFIX] {
                let sid = [prefix, i.to_string().as_bytes()].concat();
                self.account.unsubscribe(&self.client, &sid, None);
            }
            self.delete_origin_consumer(u.delete_subject());
        }
    }

    /// Asks the origin to delete the consumer `delete` names (see
    /// [`Upstream::delete_subject`]), if any.
    fn delete_origin_consumer(&mut self, delete: Option<String>) {
        if let Some(subject) = delete {
            self.out.send(subject.as_bytes(), None, None, b"");
        }
    }

    /// Where each source left off: the newest `Nats-Stream-Source` header naming it.
    fn resume_points(&self, ups: &mut [Upstream]) {
        let state = self.store.state();
        let mut missing = ups.len();
        let mut msg = StoredMsg::default();
        let mut seq = state.last_seq;
        while missing > 0 && seq >= state.first_seq && seq > 0 {
            if matches!(self.store.load(seq, &mut msg), Ok(true)) {
                if let Some((name, origin_seq)) =
                    natrium_proto::header_value(&msg.headers, STREAM_SOURCE.as_bytes())
                        .and_then(|v| std::str::from_utf8(v).ok())
                        .and_then(parse_source_header)
                {
                    for u in ups
                        .iter_mut()
                        .filter(|u| u.last_seq == 0 && u.iname == name)
                    {
                        u.last_seq = origin_seq;
                        missing -= 1;
                    }
                }
            }
            seq -= 1;
        }
    }

    /// Asks the origin for a consumer starting after the last sequence held.
    fn request_consumer(&mut self, i: usize, now: i64) {
        let Some(u) = self.upstreams.get(i) else {
            return;
        };
        let delete = u.delete_subject();
        self.delete_origin_consumer(delete);
        let Some(u) = self.upstreams.get_mut(i) else {
            return;
        };
        let name = format!(
            "JS_SRC_{}",
            crate::advisory::random_token(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10)
        );
        let mut config = ConsumerConfig {
            name: name.clone(),
            deliver_subject: u.deliver.clone(),
            ack_policy: AckPolicy::None,
            ack_wait: 22 * 3600 * 1_000_000_000,
            max_deliver: 1,
            idle_heartbeat: HEARTBEAT,
            flow_control: true,
            direct: true,
            sourcing: true,
            inactive_threshold: STALLED_AFTER,
            ..ConsumerConfig::default()
        };
        if u.last_seq > 0 {
            config.deliver_policy = DeliverPolicy::ByStartSequence;
            config.opt_start_seq = u.last_seq + 1;
        } else if u.config.opt_start_seq > 0 {
            config.deliver_policy = DeliverPolicy::ByStartSequence;
            config.opt_start_seq = u.config.opt_start_seq;
        } else if let Some(t) = &u.config.opt_start_time {
            config.deliver_policy = DeliverPolicy::ByStartTime;
            config.opt_start_time = Some(t.clone());
        }
        if u.config.subject_transforms.is_empty() {
            config.filter_subject = u.config.filter_subject.clone();
        } else {
            config.filter_subjects = u
                .config
                .subject_transforms
                .iter()
                .map(|t| {
                    if t.src.is_empty() {
                        ">".to_owned()
                    } else {
                        t.src.clone()
                    }
                })
                .collect();
        }
        let request = CreateConsumerRequest {
            stream_name: u.config.name.clone(),
            config,
            ..CreateConsumerRequest::default()
        };
        let subject = format!(
            "{}.CONSUMER.CREATE.{}.{name}",
            u.api_prefix(),
            u.config.name
        );
        u.consumer = name;
        u.link = Link::Requested;
        u.requested_at = now;
        u.dseq = 0;
        let reply = u.reply.clone();
        match serde_json::to_vec(&request) {
            Ok(body) => {
                self.out
                    .send(subject.as_bytes(), Some(reply.as_bytes()), None, &body);
            }
            Err(err) => tracing::error!(stream = %self.name, %err, "source request not encoded"),
        }
    }

    /// The origin answered a consumer create request.
    pub(super) fn on_upstream_reply(&mut self, i: usize, msg: &InternalMsg) {
        let now = now_nanos();
        let Some(u) = self.upstreams.get_mut(i) else {
            return;
        };
        if u.link != Link::Requested {
            return;
        }
        let resp: Option<ConsumerCreateResponse> = serde_json::from_slice(&msg.payload).ok();
        match resp.and_then(|r| r.error) {
            None if natrium_proto::header_status(msg.headers.as_deref().unwrap_or_default())
                .is_none() =>
            {
                u.link = Link::Active;
                u.error = None;
                u.fails = 0;
                u.last_activity = now;
            }
            error => {
                // A 503 (no responders: no JetStream there) or an API error.
                u.link = Link::Idle;
                u.consumer.clear();
                u.fails = u.fails.saturating_add(1);
                let wait = RETRY_FIRST
                    .saturating_mul(i64::from(u.fails))
                    .min(RETRY_MAX);
                u.retry_at = now.saturating_add(wait);
                if u.mirror || error.is_some() {
                    u.error = error.or(Some(ApiError::stream_not_found()));
                }
                tracing::debug!(stream = %self.name, origin = %u.config.name, "source consumer not created; retrying");
            }
        }
    }

    /// A delivery, heartbeat or flow-control request from an origin consumer.
    pub(super) fn on_upstream_msg(&mut self, i: usize, msg: &InternalMsg) {
        let now = now_nanos();
        let headers = msg.headers.as_deref().unwrap_or_default();
        if let Some((code, _)) = natrium_proto::header_status(headers) {
            let last_consumer = natrium_proto::header_value(headers, b"Nats-Last-Consumer")
                .and_then(|v| std::str::from_utf8(v).ok())
                .and_then(|v| v.parse::<u64>().ok());
            let Some(u) = self.upstreams.get_mut(i) else {
                return;
            };
            u.last_activity = now;
            match code {
                100 => {
                    if let Some(reply) = msg.reply.as_ref().filter(|r| !r.is_empty()) {
                        self.out.send(reply, None, None, b"");
                    }
                    // A heartbeat names the last delivery: one we lack means a gap.
                    if last_consumer.is_some_and(|last| last != u.dseq) && u.link == Link::Active {
                        self.request_consumer(i, now);
                    }
                }
                _ => self.request_consumer(i, now),
            }
            return;
        }
        let Some(meta) = msg
            .reply
            .as_ref()
            .and_then(|r| std::str::from_utf8(r).ok())
            .and_then(parse_ack_reply)
        else {
            return;
        };
        let (sseq, dseq, ts, pending) = (
            meta.stream_seq,
            meta.consumer_seq,
            meta.timestamp,
            meta.pending,
        );
        let Some(u) = self.upstreams.get_mut(i) else {
            return;
        };
        if u.link == Link::Idle {
            return;
        }
        u.link = Link::Active;
        u.last_activity = now;
        if dseq != u.dseq + 1 {
            self.request_consumer(i, now);
            return;
        }
        u.dseq = dseq;
        u.lag = pending;
        if sseq <= u.last_seq {
            return;
        }
        let Ok(subject) = std::str::from_utf8(&msg.subject) else {
            return;
        };
        // Batches are not copied as batches.
        let headers = &super::batch::strip_batch_headers(headers);
        let stored = if u.mirror {
            self.store_mirrored(subject, headers, &msg.payload, sseq, ts)
        } else {
            let transformed = if u.transforms.is_empty() {
                None
            } else {
                u.transforms
                    .iter()
                    .find_map(|t| t.apply(subject.as_bytes()))
            };
            let header = source_header(&u.iname, sseq, subject);
            let headers = with_source_header(headers, &header);
            let target = transformed
                .as_deref()
                .and_then(|t| std::str::from_utf8(t).ok())
                .unwrap_or(subject)
                .to_owned();
            self.ingest(&target, &headers, &msg.payload, None, true);
            true
        };
        if stored {
            if let Some(u) = self.upstreams.get_mut(i) {
                u.last_seq = sseq;
            }
        }
    }

    /// Stores a mirrored message under the origin's sequence and time.
    fn store_mirrored(
        &mut self,
        subject: &str,
        headers: &[u8],
        payload: &[u8],
        seq: u64,
        ts: i64,
    ) -> bool {
        let appended = self.store.append_at(
            seq,
            NewMsg {
                subject,
                headers,
                payload,
                ts,
                ttl: 0,
            },
            &mut self.removed,
        );
        match appended {
            Ok(_) => true,
            Err(err) => {
                tracing::warn!(stream = %self.name, seq, %err, "mirrored message not stored");
                if let Some(u) = self.upstreams.first_mut() {
                    u.error = Some(ApiError::stream_store_failed(err));
                }
                false
            }
        }
    }

    /// Timer work: re-links stalled or failed upstreams. Returns when to look again.
    pub(super) fn check_upstreams(&mut self, now: i64) -> Option<i64> {
        if self.upstreams.is_empty() {
            return None;
        }
        for i in 0..self.upstreams.len() {
            let Some(u) = self.upstreams.get(i) else {
                continue;
            };
            let due = match u.link {
                Link::Idle => now >= u.retry_at,
                Link::Requested => now.saturating_sub(u.requested_at) > REPLY_WITHIN,
                Link::Active => now.saturating_sub(u.last_activity) > STALLED_AFTER,
            };
            if due {
                self.request_consumer(i, now);
            }
        }
        Some(now.saturating_add(HEARTBEAT))
    }

    /// Stream info's `mirror` and `sources`.
    pub(super) fn upstream_info(&self) -> (Option<StreamSourceInfo>, Vec<StreamSourceInfo>) {
        let now = now_nanos();
        let mirror = self
            .upstreams
            .iter()
            .find(|u| u.mirror)
            .map(|u| u.info(now));
        let sources = self
            .upstreams
            .iter()
            .filter(|u| !u.mirror)
            .map(|u| u.info(now))
            .collect();
        (mirror, sources)
    }
}

/// `headers` with any `Nats-Stream-Source` replaced by `value`.
fn with_source_header(headers: &[u8], value: &str) -> Vec<u8> {
    natrium_proto::rewrite_headers(
        headers,
        |name| name.eq_ignore_ascii_case(STREAM_SOURCE.as_bytes()),
        &[(STREAM_SOURCE, value.as_bytes())],
    )
}

/// The `Nats-Stream-Source` value for origin sequence `seq` of a source with index name
/// `iname`: the index name with the sequence after the stream name, then the subject.
fn source_header(iname: &str, seq: u64, subject: &str) -> String {
    let (stream, rest) = iname.split_once(' ').unwrap_or((iname, "> >"));
    format!("{stream} {seq} {rest} {subject}")
}

/// The index name and origin sequence of a `Nats-Stream-Source` value
/// (`<stream> <seq> <filters> <destinations> <subject>`).
fn parse_source_header(value: &str) -> Option<(String, u64)> {
    let fields: Vec<&str> = value.split(' ').collect();
    let (stream, seq, filters, destinations) = (
        fields.first()?,
        fields.get(1)?,
        fields.get(2)?,
        fields.get(3)?,
    );
    let seq = seq.parse().ok()?;
    Some((format!("{stream} {filters} {destinations}"), seq))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_header_round_trip() {
        let src = StreamSource {
            name: "ORDERS".into(),
            filter_subject: "orders.eu.>".into(),
            ..StreamSource::default()
        };
        let name = iname(&src);
        assert_eq!(name, "ORDERS orders.eu.> >");
        assert_eq!(
            source_header(&name, 42, "orders.eu.1"),
            "ORDERS 42 orders.eu.> > orders.eu.1"
        );
        assert_eq!(
            parse_source_header("ORDERS 42 orders.eu.> > orders.eu.1"),
            Some((name, 42))
        );
        assert_eq!(parse_source_header("ORDERS x"), None);
    }

    #[test]
    fn a_copied_source_header_is_replaced() {
        let h = with_source_header(
            b"NATS/1.0\r\nA: 1\r\nNats-Stream-Source: OLD 1 > > x\r\n\r\n",
            "NEW 2 > > y",
        );
        assert_eq!(
            h,
            b"NATS/1.0\r\nA: 1\r\nNats-Stream-Source: NEW 2 > > y\r\n\r\n".to_vec()
        );
    }
}
