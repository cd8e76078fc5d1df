//! Atomic batch publish (`allow_atomic`, nats-server's ADR-50): messages carrying
//! `Nats-Batch-Id` and `Nats-Batch-Sequence` (1, 2, …) are staged here — not stored, not
//! visible — until one carries `Nats-Batch-Commit` (`1`: commit including it, `eob`:
//! commit without it). The whole batch is then checked as nats-server checks it and
//! stored in one group commit, acknowledged once with `batch` and `count`; any failure
//! rejects every message of it.
//!
//! The stream task owns the staging; nothing else sees a batch before its commit.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use natrium_api::jetstream::{
    ApiError, DiscardPolicy, PubAck, StorageType, NATS_BATCH_COMMIT, NATS_BATCH_ID,
    NATS_BATCH_SEQUENCE, NATS_EXPECTED_LAST_MSG_ID, NATS_STREAM_SOURCE, NATS_TTL,
};
use natrium_api::time::rfc3339_nano_from_unix_i64;
use natrium_proto::header_value;
use natrium_store::{file_msg_size, mem_msg_size, StoreError, StoredMsg};

use super::counter::{self, CounterTotal};
use super::{json, StreamTask};
use crate::engine::{now_nanos, EngineShared};
use crate::publish::{parse_ttl, read_headers, Rollup};

/// Most messages in one batch, by default (nats-server's `streamMaxAtomicBatchSize`).
const MAX_BATCH_SIZE: u64 = 1000;
/// Most batches staged at once per stream, by default.
const MAX_INFLIGHT_PER_STREAM: usize = 50;
/// Most batches staged at once by all streams, by default.
const MAX_INFLIGHT_TOTAL: u64 = 1000;
/// A batch left without a new message this long is abandoned, by default.
const BATCH_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a batch (atomic or fast) may wait for its next message, in nanoseconds.
pub(crate) fn batch_timeout(engine: &EngineShared) -> i64 {
    let timeout = engine.batch_limits.timeout.unwrap_or(BATCH_TIMEOUT);
    i64::try_from(timeout.as_nanos()).unwrap_or(i64::MAX)
}
/// Longest batch id.
const MAX_BATCH_ID_LEN: usize = 64;
/// Largest header block a stored message can have.
const MAX_HEADER_LEN: usize = u16::MAX as usize;

/// The subject of the advisory sent when a batch is abandoned; the stream name follows.
const ABANDONED_PREFIX: &str = "$JS.EVENT.ADVISORY.STREAM.BATCH_ABANDONED";
const ABANDONED_TYPE: &str = "io.nats.jetstream.advisory.v1.stream_batch_abandoned";

/// Why a batch was dropped before its commit (the advisory's `reason`).
#[derive(Debug, Clone, Copy)]
enum Abandoned {
    Timeout,
    Large,
    Incomplete,
}

impl Abandoned {
    fn as_str(self) -> &'static str {
        match self {
            Abandoned::Timeout => "timeout",
            Abandoned::Large => "large",
            Abandoned::Incomplete => "incomplete",
        }
    }
}

#[derive(serde::Serialize)]
struct AbandonedAdvisory<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    id: String,
    timestamp: String,
    stream: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    domain: &'a str,
    batch: &'a str,
    reason: &'a str,
}

/// One staged message.
struct Staged {
    subject: String,
    headers: Vec<u8>,
    payload: Bytes,
}

struct AtomicBatch {
    msgs: Vec<Staged>,
    /// Header and payload bytes staged.
    bytes: u64,
    /// When it is abandoned unless another message arrives (unix nanoseconds).
    deadline: i64,
}

/// The atomic batches a stream is staging, counted in the engine-wide total.
pub(crate) struct Batches {
    atomic: HashMap<String, AtomicBatch>,
    /// Bytes held by all of them: staged messages count against the storage limit, so
    /// a publisher cannot park more in memory than the stream could store.
    staged_bytes: u64,
    engine: Arc<EngineShared>,
}

impl Batches {
    pub(crate) fn new(engine: Arc<EngineShared>) -> Self {
        Batches {
            atomic: HashMap::new(),
            staged_bytes: 0,
            engine,
        }
    }

    /// The earliest time a staged batch times out.
    pub(crate) fn next_deadline(&self) -> Option<i64> {
        self.atomic.values().map(|b| b.deadline).min()
    }

    fn remove(&mut self, id: &str) -> Option<AtomicBatch> {
        let batch = self.atomic.remove(id)?;
        self.staged_bytes = self.staged_bytes.saturating_sub(batch.bytes);
        self.engine.atomic_batches.fetch_sub(1, Ordering::Relaxed);
        Some(batch)
    }

    /// Drops every staged batch (atomic publish turned off, stream gone).
    pub(crate) fn clear(&mut self) {
        let n = self.atomic.len() as u64;
        self.atomic.clear();
        self.staged_bytes = 0;
        self.engine.atomic_batches.fetch_sub(n, Ordering::Relaxed);
    }

    /// Reserves a place for a new batch, if the per-stream and total limits allow.
    fn admit(&mut self, id: &str, now: i64) -> bool {
        let limits = &self.engine.batch_limits;
        let per_stream = limits
            .inflight_per_stream
            .unwrap_or(MAX_INFLIGHT_PER_STREAM);
        if self.atomic.len() >= per_stream {
            return false;
        }
        let max_total = limits.inflight_total.unwrap_or(MAX_INFLIGHT_TOTAL);
        let total = &self.engine.atomic_batches;
        if total.fetch_add(1, Ordering::Relaxed) >= max_total {
            total.fetch_sub(1, Ordering::Relaxed);
            return false;
        }
        self.atomic.insert(
            id.to_string(),
            AtomicBatch {
                msgs: Vec::new(),
                bytes: 0,
                deadline: now.saturating_add(batch_timeout(&self.engine)),
            },
        );
        true
    }
}

impl Drop for Batches {
    fn drop(&mut self) {
        self.clear();
    }
}

/// `headers` without its `Nats-Batch-*` lines (empty when nothing else is left), as
/// nats-server copies messages into mirrors and sources.
pub(crate) fn strip_batch_headers(headers: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    const PREFIX: &[u8] = b"\r\nNats-Batch-";
    if !headers.windows(PREFIX.len()).any(|w| w == PREFIX) {
        return std::borrow::Cow::Borrowed(headers);
    }
    let mut out = Vec::with_capacity(headers.len());
    let mut kept = 0;
    for (i, line) in headers.split(|b| *b == b'\n').enumerate() {
        if line.is_empty() || line == b"\r" {
            continue;
        }
        if i > 0 && line.starts_with(b"Nats-Batch-") {
            continue;
        }
        out.extend_from_slice(line);
        out.push(b'\n');
        kept += 1;
    }
    if kept <= 1 {
        return std::borrow::Cow::Owned(Vec::new());
    }
    out.extend_from_slice(b"\r\n");
    std::borrow::Cow::Owned(out)
}

/// The batch id of a publish, if it has one.
pub(crate) fn batch_id(headers: &[u8]) -> Option<&[u8]> {
    header_value(headers, NATS_BATCH_ID.as_bytes()).filter(|id| !id.is_empty())
}

/// What a staged message's checks let through, ready to store.
struct Checked {
    subject: String,
    headers: Vec<u8>,
    payload: Vec<u8>,
    msg_id: Option<String>,
    rollup: Option<Rollup>,
    ttl: i64,
}

/// What the messages checked so far in a batch will change, so that later messages
/// are checked against the stream as it will be (nats-server's `batchStagedDiff`).
#[derive(Default)]
struct StagedDiff {
    msg_ids: HashSet<String>,
    counters: HashMap<String, CounterTotal>,
    /// Messages and bytes per subject.
    inflight: HashMap<String, (u64, u64)>,
    expected_per_subject: HashMap<String, u64>,
}

impl StreamTask {
    /// A message of an atomic batch: stage it, or on its commit store the whole batch.
    pub(super) fn on_atomic_batch_msg(
        &mut self,
        id: &[u8],
        subject: &str,
        headers: &[u8],
        payload: &Bytes,
        reply: Option<&Bytes>,
    ) {
        let reply = reply.filter(|_| !self.config.no_ack);
        if self.config.sealed {
            return self.pub_error(reply, ApiError::stream_sealed());
        }
        let (used, limit) = self.engine.storage(self.config.storage);
        let size = headers.len() + payload.len();
        let held = used.load(Ordering::Relaxed) + self.batches.staged_bytes;
        if limit >= 0 && held + size as u64 > limit as u64 {
            return self.pub_error(reply, EngineShared::full_error(self.config.storage));
        }
        if self.config.max_msg_size > 0 && size > self.config.max_msg_size as usize {
            return self.pub_error(reply, ApiError::stream_message_exceeds_maximum());
        }
        if !self.config.allow_atomic {
            return self.pub_error(reply, ApiError::atomic_publish_disabled());
        }
        let Some(id) = std::str::from_utf8(id)
            .ok()
            .filter(|id| id.len() <= MAX_BATCH_ID_LEN)
        else {
            return self.pub_error(reply, ApiError::atomic_publish_invalid_batch_id());
        };
        let Some(seq) = header_value(headers, NATS_BATCH_SEQUENCE.as_bytes())
            .and_then(|v| std::str::from_utf8(v).ok())
            .and_then(|v| v.parse::<u64>().ok())
        else {
            return self.pub_error(reply, ApiError::atomic_publish_missing_seq());
        };
        let commit = header_value(headers, NATS_BATCH_COMMIT.as_bytes());
        let eob = commit == Some(b"eob");
        let commit_invalid = commit.is_some_and(|c| c != b"eob" && c != b"1");
        // The end-of-batch marker is not one of the batch's messages.
        let batch_len = seq.saturating_sub(u64::from(eob));
        let max_size = self.engine.batch_limits.max_size.unwrap_or(MAX_BATCH_SIZE);
        let timeout = batch_timeout(&self.engine);
        let now = now_nanos();
        if !self.batches.atomic.contains_key(id) {
            if seq != 1 {
                let err = if batch_len > max_size {
                    ApiError::atomic_publish_too_large_batch(max_size)
                } else {
                    ApiError::atomic_publish_incomplete_batch()
                };
                return self.pub_error(reply, err);
            }
            if !self.batches.admit(id, now) {
                return self.pub_error(reply, ApiError::atomic_publish_too_many_inflight());
            }
        }
        if commit_invalid {
            self.batches.remove(id);
            return self.pub_error(reply, ApiError::atomic_publish_invalid_batch_commit());
        }
        let Some(batch) = self.batches.atomic.get_mut(id) else {
            return;
        };
        let timed_out = batch.deadline <= now;
        batch.deadline = now.saturating_add(timeout);
        let gap = batch.msgs.len() as u64 + 1 != seq || (seq == 1 && eob);
        if gap || timed_out {
            return self.abandon_incomplete(id, reply);
        }
        if batch_len > max_size {
            self.batches.remove(id);
            self.abandoned_advisory(id, Abandoned::Large);
            return self.pub_error(reply, ApiError::atomic_publish_too_large_batch(max_size));
        }
        if !eob {
            let bytes = (headers.len() + payload.len()) as u64;
            batch.bytes += bytes;
            self.batches.staged_bytes += bytes;
            batch.msgs.push(Staged {
                subject: subject.to_string(),
                headers: headers.to_vec(),
                payload: payload.clone(),
            });
        }
        if commit.is_none() {
            // An empty reply says the message is staged.
            if let Some(reply) = reply {
                self.out.send(reply, None, None, b"");
            }
            return;
        }
        let Some(batch) = self.batches.remove(id) else {
            return;
        };
        self.commit_atomic_batch(id, batch.msgs, eob, reply);
    }

    /// Drops batch `id`, says so on the advisory subject and refuses the publish.
    fn abandon_incomplete(&mut self, id: &str, reply: Option<&Bytes>) {
        self.batches.remove(id);
        self.abandoned_advisory(id, Abandoned::Incomplete);
        self.pub_error(reply, ApiError::atomic_publish_incomplete_batch());
    }

    /// Abandons the batches whose time is up.
    pub(super) fn expire_batches(&mut self, now: i64) {
        let expired: Vec<String> = self
            .batches
            .atomic
            .iter()
            .filter(|(_, b)| b.deadline <= now)
            .map(|(id, _)| id.clone())
            .collect();
        for id in expired {
            self.batches.remove(&id);
            self.abandoned_advisory(&id, Abandoned::Timeout);
        }
    }

    fn abandoned_advisory(&mut self, batch: &str, why: Abandoned) {
        let subject = format!("{ABANDONED_PREFIX}.{}", self.name);
        if !self.out.has_interest(subject.as_bytes()) {
            return;
        }
        let adv = AbandonedAdvisory {
            kind: ABANDONED_TYPE,
            id: crate::advisory::event_id(),
            timestamp: rfc3339_nano_from_unix_i64(now_nanos()),
            stream: &self.name,
            domain: &self.engine.domain,
            batch,
            reason: why.as_str(),
        };
        let body = json(&adv);
        self.out.send(subject.as_bytes(), None, None, &body);
    }

    /// Checks every message of a committed batch against the stream and each other, then
    /// stores them all; one failure refuses the batch and stores nothing.
    fn commit_atomic_batch(
        &mut self,
        id: &str,
        msgs: Vec<Staged>,
        eob: bool,
        reply: Option<&Bytes>,
    ) {
        let now = now_nanos();
        self.prune_dedup(now);
        let mut diff = StagedDiff::default();
        let mut checked = Vec::with_capacity(msgs.len());
        for m in &msgs {
            if header_value(&m.headers, NATS_EXPECTED_LAST_MSG_ID.as_bytes()).is_some() {
                let err =
                    ApiError::atomic_publish_unsupported_header_batch(NATS_EXPECTED_LAST_MSG_ID);
                return self.pub_error(reply, err);
            }
            match self.check_batch_msg(&mut diff, m) {
                Ok(c) => checked.push(c),
                Err(e) => return self.pub_error(reply, e),
            }
        }
        let count = checked.len() as u64;
        if eob {
            // The last stored message says it committed the batch.
            if let Some(last) = checked.last_mut() {
                last.headers = counter::set_header(&last.headers, NATS_BATCH_COMMIT, b"1");
            }
        }
        let mut last_seq = 0;
        for c in checked {
            let stored = self.store_msg(
                &c.subject,
                &c.headers,
                &c.payload,
                c.msg_id.as_deref(),
                c.rollup,
                c.ttl,
                now,
            );
            match stored {
                Ok(seq) => last_seq = seq,
                Err(e) => return self.pub_error(reply, e),
            }
        }
        if let Some(reply) = reply {
            let ack = PubAck {
                stream: self.name.clone(),
                seq: last_seq,
                domain: self.engine.domain.clone(),
                duplicate: false,
                val: String::new(),
                batch: id.to_string(),
                count,
            };
            self.acks.push((reply.clone(), json(&ack)));
        }
    }

    /// nats-server's checks of one message of a batch being committed, against the stream
    /// and against the batch's earlier messages (`diff`).
    fn check_batch_msg(&self, diff: &mut StagedDiff, m: &Staged) -> Result<Checked, ApiError> {
        let (subject, headers) = (m.subject.as_str(), m.headers.as_slice());
        let mut out_headers = headers.to_vec();
        let mut payload = m.payload.to_vec();
        if headers.len() > MAX_HEADER_LEN {
            return Err(ApiError::stream_header_exceeds_maximum());
        }
        let incr = counter::read_incr(headers)?;
        if incr.is_some() {
            counter::check_incr(self.config.allow_msg_counter, headers, &payload)?;
        }
        let hdrs = read_headers(headers)?;
        if let Some(expected) = hdrs.expected_stream.filter(|s| !s.is_empty()) {
            if expected != self.name {
                return Err(ApiError::stream_not_match());
            }
        }
        if let Some(v) = header_value(headers, NATS_TTL.as_bytes()) {
            if !self.config.allow_msg_ttl {
                return Err(ApiError::message_ttl_disabled());
            }
            if std::str::from_utf8(v).ok().and_then(parse_ttl).is_none() {
                return Err(ApiError::message_ttl_invalid());
            }
        }
        if let Some(id) = hdrs.msg_id {
            if diff.msg_ids.contains(id) || self.dedup.contains_key(id) {
                return Err(ApiError::atomic_publish_contains_duplicate_message());
            }
            diff.msg_ids.insert(id.to_string());
        }
        if header_value(headers, NATS_STREAM_SOURCE.as_bytes()).is_some() {
            return Err(ApiError::message_source_hdr_not_allowed());
        }
        if self.config.allow_msg_counter {
            let Some(incr) = incr else {
                return Err(ApiError::message_incr_missing());
            };
            let mut total = match diff.counters.remove(subject) {
                Some(t) => t,
                None => counter::load_total(self.store.as_ref(), subject)?,
            };
            let counted = counter::apply(&mut total, incr, subject, headers, &payload)?;
            diff.counters.insert(subject.to_string(), total);
            if self.config.max_msg_size > 0
                && counted.headers.len() + counted.payload.len() > self.config.max_msg_size as usize
            {
                return Err(ApiError::stream_message_exceeds_maximum());
            }
            out_headers = counted.headers;
            payload = counted.payload;
        }
        if let Some(expected) = hdrs.expected_last_seq {
            // As nats-server: the batch's earlier messages count as stored already.
            let earlier: u64 = diff.inflight.values().map(|(ops, _)| ops).sum();
            let last = self.store.state().last_seq + earlier;
            if expected != last {
                return Err(ApiError::stream_wrong_last_sequence(last));
            }
            // Only the first message of a batch may expect a last sequence.
            if !diff.inflight.is_empty() {
                return Err(ApiError::stream_wrong_last_sequence_constant());
            }
        }
        if let Some(expected) = hdrs.expected_last_subject_seq {
            let on = hdrs
                .expected_last_subject
                .filter(|s| !s.is_empty())
                .unwrap_or(subject);
            // A subject this batch already writes to has no knowable last sequence.
            if diff.inflight.contains_key(on) {
                return Err(ApiError::stream_wrong_last_sequence_constant());
            }
            let found = match diff.expected_per_subject.get(on) {
                Some(seq) => *seq,
                None => {
                    let mut last = StoredMsg::default();
                    if self.store.load_last(on, &mut last).unwrap_or(false) {
                        last.seq
                    } else {
                        0
                    }
                }
            };
            if found != expected {
                return Err(ApiError::stream_wrong_last_sequence(found));
            }
            diff.expected_per_subject.insert(on.to_string(), found);
        } else if hdrs.expected_last_subject.is_some_and(|s| !s.is_empty()) {
            return Err(ApiError::stream_expected_last_seq_per_subject_invalid());
        }
        if let Some(rollup) = hdrs.rollup {
            if !self.config.allow_rollup_hdrs || self.config.deny_purge {
                return Err(ApiError::stream_rollup_failed("rollup not permitted"));
            }
            match rollup {
                Rollup::Subject if diff.inflight.contains_key(subject) => {
                    return Err(ApiError::stream_rollup_failed("batch rollup sub invalid"));
                }
                Rollup::All if !diff.inflight.is_empty() => {
                    return Err(ApiError::stream_rollup_failed("batch rollup all invalid"));
                }
                _ => {}
            }
        }
        let size = match self.config.storage {
            StorageType::File => file_msg_size(subject.len(), out_headers.len(), payload.len()),
            StorageType::Memory => mem_msg_size(subject.len(), out_headers.len(), payload.len()),
        };
        let entry = diff.inflight.entry(subject.to_string()).or_default();
        entry.0 += 1;
        entry.1 += size;
        let subject_ops = entry.0;
        self.check_discard_new(diff, subject, subject_ops, hdrs.rollup.is_some())?;
        Ok(Checked {
            subject: subject.to_string(),
            headers: out_headers,
            payload,
            msg_id: hdrs.msg_id.map(str::to_string),
            rollup: hdrs.rollup,
            ttl: hdrs.ttl.unwrap_or(0),
        })
    }

    /// With `discard: new`, a batch that would not fit the stream's limits is refused
    /// before anything of it is stored.
    fn check_discard_new(
        &self,
        diff: &StagedDiff,
        subject: &str,
        subject_ops: u64,
        rollup: bool,
    ) -> Result<(), ApiError> {
        let cfg = &self.config;
        if cfg.discard != DiscardPolicy::New {
            return Ok(());
        }
        if cfg.max_msgs > 0 || cfg.max_bytes > 0 {
            let state = self.store.state();
            let (msgs, bytes) = diff
                .inflight
                .values()
                .fold((state.msgs, state.bytes), |(m, b), (om, ob)| {
                    (m + om, b + ob)
                });
            if cfg.max_msgs > 0 && msgs > cfg.max_msgs as u64 {
                return Err(ApiError::stream_store_failed(StoreError::MaxMsgs));
            }
            if cfg.max_bytes > 0 && bytes > cfg.max_bytes as u64 {
                return Err(ApiError::stream_store_failed(StoreError::MaxBytes));
            }
        }
        if cfg.discard_new_per_subject && cfg.max_msgs_per_subject > 0 && !rollup {
            let held = self
                .store
                .subjects_state(subject)
                .into_iter()
                .find(|(s, _)| s == subject)
                .map_or(0, |(_, st)| st.msgs);
            if held + subject_ops > cfg.max_msgs_per_subject as u64 {
                return Err(ApiError::stream_store_failed(StoreError::MaxMsgsPerSubject));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::strip_batch_headers;

    #[test]
    fn strips_batch_headers_only() {
        let block = b"NATS/1.0\r\nA: 1\r\nNats-Batch-Id: b\r\nNats-Batch-Sequence: 2\r\n\r\n";
        assert_eq!(
            strip_batch_headers(block).as_ref(),
            b"NATS/1.0\r\nA: 1\r\n\r\n"
        );
        let only = b"NATS/1.0\r\nNats-Batch-Id: b\r\n\r\n";
        assert!(strip_batch_headers(only).is_empty());
        let none = b"NATS/1.0\r\nA: 1\r\n\r\n";
        assert_eq!(strip_batch_headers(none).as_ref(), none);
    }
}
