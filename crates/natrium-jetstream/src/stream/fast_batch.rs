//! Fast batch publish (`allow_batched`, nats-server 2.14): a publisher streams messages
//! whose reply subject names the batch — `<prefix>.<id>.<flow>.<gap>.<seq>.<op>.$FI` —
//! and the stream stores each as it comes (no staging, no atomicity), answering with
//! flow-control messages every N stored messages instead of one ack per message:
//!
//! - `{"type":"ack","seq":S,"msgs":N}`: messages up to batch sequence S are stored; the
//!   next comes after N more (N ramps up to what the publisher allows, and down when
//!   several batches share the stream);
//! - `{"type":"gap","last_seq":E,"seq":S}`: messages from E up to S never arrived;
//! - `{"type":"err","seq":S,"error":{…}}`: message S was refused;
//! - a pub-ack with `batch` and `count` when the batch ends (its commit, or a gap or
//!   error in `fail` mode).
//!
//! Operations (`<op>`): 0 start (sequence 1), 1 append, 2 commit with this message,
//! 3 commit without it (end of batch), 4 ping (re-send the last flow message).

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use bytes::Bytes;
use natrium_api::jetstream::{ApiError, PubAck};

use super::batch::batch_timeout;
use super::{json, pub_error_body, Refused, StreamTask};
use crate::engine::{now_nanos, EngineShared};

/// Most fast batches in flight per stream, by default.
const MAX_INFLIGHT_PER_STREAM: usize = 1000;
/// Most fast batches in flight for all streams, by default.
const MAX_INFLIGHT_TOTAL: u64 = 50_000;
/// The most messages between two flow messages the server itself asks for.
const MAX_ACK_MESSAGES: u16 = 500;
/// The flow a publisher gets when its reply subject names none.
const DEFAULT_FLOW: u16 = 10;
/// Longest batch id.
const MAX_BATCH_ID_LEN: usize = 64;
/// The reply-subject suffix that marks a fast batch publish.
const SUFFIX: &str = ".$FI";

/// What a fast-batch reply subject says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FastBatchMsg {
    pub id: String,
    pub seq: u64,
    /// Most messages between flow messages the publisher accepts.
    pub flow: u16,
    pub gap_ok: bool,
    pub ping: bool,
    pub commit: bool,
    pub commit_eob: bool,
}

/// Reads a reply subject: `None` when it is not a fast batch publish, `Some(None)` when
/// it ends like one but is malformed.
pub(crate) fn parse_reply(reply: &[u8]) -> Option<Option<FastBatchMsg>> {
    let reply = std::str::from_utf8(reply).ok()?;
    let rest = reply.strip_suffix(SUFFIX).filter(|r| !r.is_empty())?;
    Some(parse_tokens(rest))
}

/// A Go `parseInt64`-style read: digits only, else -1.
fn number(text: &str) -> i64 {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return -1;
    }
    text.parse().unwrap_or(-1)
}

fn parse_tokens(rest: &str) -> Option<FastBatchMsg> {
    let mut tokens = rest.rsplitn(6, '.');
    let op = number(tokens.next()?);
    if !(0..=4).contains(&op) {
        return None;
    }
    let seq = tokens.next()?.parse::<u64>().ok()?;
    if seq == 0 || seq == u64::MAX {
        return None;
    }
    let (ping, commit_eob) = (op == 4, op == 3);
    if (seq == 1 && commit_eob) || (op == 0 && seq != 1) || (op == 1 && seq <= 1) {
        return None;
    }
    let gap_ok = match tokens.next()? {
        "ok" => true,
        "fail" => false,
        _ => return None,
    };
    let flow = match number(tokens.next()?) {
        f if f <= 0 => DEFAULT_FLOW,
        f => u16::try_from(f).unwrap_or(u16::MAX),
    };
    let id = tokens.next()?;
    // A prefix must come before the id.
    tokens.next()?;
    Some(FastBatchMsg {
        id: id.to_string(),
        seq,
        flow,
        gap_ok,
        ping,
        commit: commit_eob || op == 2,
        commit_eob,
    })
}

/// One fast batch in flight.
struct FastBatch {
    /// Highest batch sequence received.
    lseq: u64,
    /// Highest batch sequence stored.
    pseq: u64,
    /// Batch sequence of the last flow message.
    fseq: u64,
    /// Stream sequence of the last message stored.
    sseq: u64,
    /// Messages between flow messages, now.
    ack_messages: u16,
    /// The most the publisher accepts.
    max_ack_messages: u16,
    gap_ok: bool,
    deadline: i64,
}

/// The fast batches of one stream, counted in the engine-wide total.
pub(crate) struct FastBatches {
    batches: HashMap<String, FastBatch>,
    engine: Arc<EngineShared>,
}

impl FastBatches {
    pub(crate) fn new(engine: Arc<EngineShared>) -> Self {
        FastBatches {
            batches: HashMap::new(),
            engine,
        }
    }

    pub(crate) fn next_deadline(&self) -> Option<i64> {
        self.batches.values().map(|b| b.deadline).min()
    }

    fn remove(&mut self, id: &str) {
        if self.batches.remove(id).is_some() {
            self.engine.fast_batches.fetch_sub(1, Ordering::Relaxed);
        }
    }

    pub(crate) fn clear(&mut self) {
        let n = self.batches.len() as u64;
        self.batches.clear();
        self.engine.fast_batches.fetch_sub(n, Ordering::Relaxed);
    }

    /// Forgets the batches whose time is up.
    pub(crate) fn expire(&mut self, now: i64) {
        let expired: Vec<String> = self
            .batches
            .iter()
            .filter(|(_, b)| b.deadline <= now)
            .map(|(id, _)| id.clone())
            .collect();
        for id in expired {
            self.remove(&id);
        }
    }

    fn admit(&mut self, m: &FastBatchMsg, now: i64) -> bool {
        let limits = &self.engine.batch_limits;
        let per_stream = limits
            .inflight_per_stream
            .unwrap_or(MAX_INFLIGHT_PER_STREAM);
        if self.batches.len() >= per_stream {
            return false;
        }
        let max_total = limits.inflight_total.unwrap_or(MAX_INFLIGHT_TOTAL);
        let total = &self.engine.fast_batches;
        if total.fetch_add(1, Ordering::Relaxed) >= max_total {
            total.fetch_sub(1, Ordering::Relaxed);
            return false;
        }
        // A lone publisher gets what it asks for; with others it starts slow.
        let ack_messages = if self.batches.is_empty() {
            m.flow.min(MAX_ACK_MESSAGES)
        } else {
            1
        };
        self.batches.insert(
            m.id.clone(),
            FastBatch {
                lseq: 0,
                pseq: 0,
                fseq: 0,
                sseq: 0,
                ack_messages,
                max_ack_messages: m.flow,
                gap_ok: m.gap_ok,
                deadline: now.saturating_add(batch_timeout(&self.engine)),
            },
        );
        true
    }
}

impl Drop for FastBatches {
    fn drop(&mut self) {
        self.clear();
    }
}

/// A flow-control message, in nats-server's field order.
#[derive(serde::Serialize)]
struct Flow<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_seq: Option<u64>,
    seq: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    msgs: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a ApiError>,
}

/// Messages up to batch sequence `seq` are stored; the next flow message comes after
/// `msgs` more.
fn flow_ack(seq: u64, msgs: u16) -> Vec<u8> {
    json(&Flow {
        kind: "ack",
        last_seq: None,
        seq,
        msgs: Some(msgs),
        error: None,
    })
}

/// Batch sequences from `last_seq` up to `seq` never arrived.
fn flow_gap(last_seq: u64, seq: u64) -> Vec<u8> {
    json(&Flow {
        kind: "gap",
        last_seq: Some(last_seq),
        seq,
        msgs: None,
        error: None,
    })
}

/// Batch sequence `seq` was refused.
fn flow_err(seq: u64, error: &ApiError) -> Vec<u8> {
    json(&Flow {
        kind: "err",
        last_seq: None,
        seq,
        msgs: None,
        error: Some(error),
    })
}

impl StreamTask {
    /// A message published with a fast-batch reply subject (`parsed` is `None` when that
    /// subject is malformed).
    pub(super) fn on_fast_batch_msg(
        &mut self,
        parsed: Option<FastBatchMsg>,
        subject: &str,
        headers: &[u8],
        payload: &Bytes,
        reply: &Bytes,
    ) {
        let respond = !self.config.no_ack;
        // Refusals queue behind the flow messages already due, so a publisher reads its
        // replies in order.
        let refuse = |task: &mut Self, e: ApiError| {
            let body = pub_error_body(&task.name, e);
            task.batch_reply(reply, body);
        };
        if self.config.sealed {
            return refuse(self, ApiError::stream_sealed());
        }
        if self.config.max_msg_size > 0
            && headers.len() + payload.len() > self.config.max_msg_size as usize
        {
            return refuse(self, ApiError::stream_message_exceeds_maximum());
        }
        if !self.config.allow_batched {
            return refuse(self, ApiError::batch_publish_disabled());
        }
        let Some(m) = parsed else {
            return refuse(self, ApiError::batch_publish_invalid_pattern());
        };
        if m.id.len() > MAX_BATCH_ID_LEN {
            return refuse(self, ApiError::batch_publish_invalid_batch_id());
        }
        let now = now_nanos();
        let timeout = batch_timeout(&self.engine);
        if !self.fast_batches.batches.contains_key(&m.id) {
            if m.seq != 1 {
                return refuse(self, ApiError::batch_publish_unknown_batch_id());
            }
            if !self.fast_batches.admit(&m, now) {
                return refuse(self, ApiError::batch_publish_too_many_inflight());
            }
        }
        let Some(b) = self.fast_batches.batches.get_mut(&m.id) else {
            return;
        };
        let timed_out = b.deadline <= now;
        b.deadline = now.saturating_add(timeout);

        if m.ping {
            let mut send_flow = true;
            if m.seq > b.lseq || timed_out {
                let gap = flow_gap(b.lseq.saturating_add(1), m.seq.saturating_add(1));
                self.batch_reply(reply, gap);
                let Some(b) = self.fast_batches.batches.get_mut(&m.id) else {
                    return;
                };
                if b.gap_ok && !timed_out {
                    b.lseq = m.seq;
                    b.pseq = b.lseq;
                    send_flow = !self.check_flow(&m.id, reply);
                } else {
                    self.end_fast_batch(&m.id, reply, !timed_out);
                    send_flow = false;
                }
            }
            if send_flow {
                if let Some(b) = self.fast_batches.batches.get(&m.id) {
                    let ack = flow_ack(b.fseq, b.ack_messages);
                    self.batch_reply(reply, ack);
                }
            }
            return;
        }

        b.lseq = b.lseq.saturating_add(1);
        if b.lseq != m.seq || timed_out {
            let forward = m.seq > b.lseq;
            let lseq = b.lseq;
            if forward {
                self.batch_reply(reply, flow_gap(lseq, m.seq));
            }
            let Some(b) = self.fast_batches.batches.get_mut(&m.id) else {
                return;
            };
            if b.gap_ok && !timed_out && forward {
                b.lseq = m.seq;
            } else {
                b.lseq = b.lseq.saturating_sub(1);
                return self.end_fast_batch(&m.id, reply, !timed_out);
            }
        }
        let Some(b) = self.fast_batches.batches.get_mut(&m.id) else {
            return;
        };
        if m.commit_eob {
            // The end-of-batch marker is not stored.
            b.lseq = b.lseq.saturating_sub(1);
            b.pseq = b.lseq;
            return self.end_fast_batch(&m.id, reply, true);
        }
        if m.seq == 1 && respond && !m.commit {
            let ack = flow_ack(0, b.ack_messages);
            self.batch_reply(reply, ack);
        }

        let stored = match self.prepare(subject, headers, payload, false) {
            Ok(p) => {
                let headers = p.headers.as_deref().unwrap_or(headers);
                let payload = p.payload.as_deref().unwrap_or(payload);
                self.store_msg(
                    subject,
                    headers,
                    payload,
                    p.msg_id.as_deref(),
                    p.rollup,
                    p.ttl,
                    p.now,
                )
                .map_err(Refused::Error)
            }
            Err(r) => Err(r),
        };
        match stored {
            Ok(seq) => {
                let Some(b) = self.fast_batches.batches.get_mut(&m.id) else {
                    return;
                };
                b.sseq = seq;
                b.pseq = b.lseq;
                if m.commit {
                    self.end_fast_batch(&m.id, reply, true);
                } else {
                    self.check_flow(&m.id, reply);
                }
            }
            Err(refused) => self.fast_batch_refused(&m, refused, reply),
        }
    }

    /// A message of a fast batch failed its checks (or is a duplicate).
    fn fast_batch_refused(&mut self, m: &FastBatchMsg, refused: Refused, reply: &Bytes) {
        let Some(b) = self.fast_batches.batches.get_mut(&m.id) else {
            return;
        };
        if let Refused::Duplicate(_) = refused {
            b.pseq = m.seq;
            self.check_flow(&m.id, reply);
            if !m.commit {
                return;
            }
        }
        let Some(b) = self.fast_batches.batches.get_mut(&m.id) else {
            return;
        };
        // Failing at once in `fail` mode answers like a single publish.
        if !b.gap_ok && b.lseq == 1 {
            let body = match &refused {
                Refused::Duplicate(seq) => json(&PubAck {
                    stream: self.name.clone(),
                    seq: *seq,
                    domain: self.engine.domain.clone(),
                    duplicate: true,
                    val: String::new(),
                    batch: m.id.clone(),
                    count: m.seq,
                }),
                Refused::Error(e) => pub_error_body(&self.name, e.clone()),
            };
            self.fast_batches.remove(&m.id);
            return self.batch_reply(reply, body);
        }
        if let Refused::Error(e) = &refused {
            self.batch_reply(reply, flow_err(m.seq, e));
        }
        let Some(b) = self.fast_batches.batches.get_mut(&m.id) else {
            return;
        };
        if b.gap_ok && !m.commit {
            return;
        }
        if let Refused::Error(_) = refused {
            b.lseq = b.lseq.saturating_sub(1);
            b.pseq = b.lseq;
        }
        self.end_fast_batch(&m.id, reply, true);
    }

    /// Ends batch `id`: with `ack`, the pub-ack for what it stored.
    fn end_fast_batch(&mut self, id: &str, reply: &Bytes, ack: bool) {
        let Some(b) = self.fast_batches.batches.get(id) else {
            return;
        };
        let body = json(&PubAck {
            stream: self.name.clone(),
            seq: b.sseq,
            domain: self.engine.domain.clone(),
            duplicate: false,
            val: String::new(),
            batch: id.to_string(),
            count: b.lseq,
        });
        self.fast_batches.remove(id);
        if ack {
            self.batch_reply(reply, body);
        }
    }

    /// Sends a flow message when N more messages are stored since the last one, adjusting
    /// N to the publishers sharing the stream. Returns whether it sent one.
    fn check_flow(&mut self, id: &str, reply: &Bytes) -> bool {
        let sharing = self.fast_batches.batches.len().max(1);
        let Some(b) = self.fast_batches.batches.get_mut(id) else {
            return false;
        };
        let every = u64::from(b.ack_messages.max(1));
        if b.pseq < b.fseq.saturating_add(every) {
            return false;
        }
        b.fseq += b.pseq.saturating_sub(b.fseq) / every * every;
        let share = u16::try_from(usize::from(MAX_ACK_MESSAGES) / sharing)
            .unwrap_or(MAX_ACK_MESSAGES)
            .max(1)
            .min(b.max_ack_messages);
        if b.ack_messages < share {
            b.ack_messages = b.ack_messages.saturating_mul(2).min(share);
        } else if b.ack_messages > share {
            b.ack_messages = (b.ack_messages / 2).max(share);
        }
        let ack = flow_ack(b.fseq, b.ack_messages);
        self.batch_reply(reply, ack);
        true
    }

    /// Queues a reply to a fast batch publisher; it leaves with the publish acks, after
    /// the stored messages are flushed, and in order.
    fn batch_reply(&mut self, reply: &Bytes, body: Vec<u8>) {
        if !self.config.no_ack {
            self.acks.push((reply.clone(), body));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_messages_have_nats_server_field_order() {
        assert_eq!(
            flow_ack(4, 2),
            br#"{"type":"ack","seq":4,"msgs":2}"#.to_vec()
        );
        assert_eq!(
            flow_gap(6, 7),
            br#"{"type":"gap","last_seq":6,"seq":7}"#.to_vec()
        );
        let err = flow_err(2, &ApiError::batch_publish_disabled());
        assert!(err.starts_with(br#"{"type":"err","seq":2,"error":{"code":400,"#));
    }

    #[test]
    fn reads_reply_subjects() {
        let m = parse_reply(b"_INBOX.abc.ID1.100.ok.1.0.$FI")
            .unwrap()
            .unwrap();
        assert_eq!(
            m,
            FastBatchMsg {
                id: "ID1".into(),
                seq: 1,
                flow: 100,
                gap_ok: true,
                ping: false,
                commit: false,
                commit_eob: false,
            }
        );
        let m = parse_reply(b"p.ID.0.fail.7.3.$FI").unwrap().unwrap();
        assert!(m.commit && m.commit_eob && !m.gap_ok);
        assert_eq!(m.flow, DEFAULT_FLOW);
        assert_eq!(parse_reply(b"_INBOX.x"), None);
        for bad in [
            &b"p.ID.1.ok.2.0.$FI"[..],
            b"p.ID.1.ok.1.1.$FI",
            b"p.ID.1.ok.1.3.$FI",
            b"p.ID.1.maybe.2.1.$FI",
            b"p.ID.1.ok.0.1.$FI",
            b"p.ID.1.ok.2.9.$FI",
            b"ID.1.ok.2.1.$FI",
        ] {
            assert_eq!(parse_reply(bad), Some(None), "{bad:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_reply_subject_is_read_without_panicking(reply in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64)) {
            let mut subject = reply.clone();
            subject.extend_from_slice(b".$FI");
            let _ = parse_reply(&reply);
            // Whatever precedes the suffix, the message is treated as a fast batch one.
            let marked = parse_reply(&subject).is_some();
            let readable = !reply.is_empty() && std::str::from_utf8(&reply).is_ok();
            proptest::prop_assert_eq!(marked, readable);
        }
    }
}
