//! The values that cross the [`crate::Store`] and [`crate::ConsumerStore`] seams.

use std::collections::BTreeMap;
use std::time::Duration;

use bytes::Bytes;

/// [`NewMsg::ttl`] value for a message that never expires, not even by `max_age`
/// (the `Nats-TTL: never` header).
pub const TTL_NEVER: i64 = -1;

/// A message to append, borrowed from the caller.
#[derive(Debug, Clone, Copy)]
pub struct NewMsg<'a> {
    /// The subject it was published to.
    pub subject: &'a str,
    /// The raw header block (`NATS/1.0\r\n...\r\n\r\n`), empty when it has none.
    pub headers: &'a [u8],
    /// The payload.
    pub payload: &'a [u8],
    /// When the stream accepted it, unix nanoseconds.
    pub ts: i64,
    /// Its own time to live in nanoseconds: `0` follows the stream's `max_age`,
    /// [`TTL_NEVER`] never expires.
    pub ttl: i64,
}

/// A loaded message; reused across loads so that scanning allocates little.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredMsg {
    /// Its stream sequence.
    pub seq: u64,
    /// Unix nanoseconds when it was stored.
    pub ts: i64,
    /// The subject.
    pub subject: String,
    /// The raw header block, empty when it has none.
    pub headers: Bytes,
    /// The payload.
    pub payload: Bytes,
}

/// A message a store removed on its own (limits, expiry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// Its sequence.
    pub seq: u64,
    /// Its subject.
    pub subject: String,
    /// Its own time to live ([`NewMsg::ttl`]): 0 when it followed the stream's
    /// `max_age`.
    pub ttl: i64,
}

/// What a stream's `discard` policy says to do when a limit is reached.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DiscardPolicy {
    /// Remove the oldest messages to make room.
    #[default]
    Old,
    /// Refuse the new message.
    New,
}

/// The limits a store enforces on append and on [`crate::Store::expire`].
/// A value of zero means no limit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreLimits {
    /// Most messages kept.
    pub max_msgs: u64,
    /// Most bytes kept (as [`StreamState::bytes`] counts them).
    pub max_bytes: u64,
    /// Oldest message kept.
    pub max_age: Duration,
    /// Most messages kept per subject.
    pub max_msgs_per_subject: u64,
    /// What to do at a limit.
    pub discard: DiscardPolicy,
    /// With [`DiscardPolicy::New`], whether reaching `max_msgs_per_subject` refuses the
    /// new message (`discard_new_per_subject`) instead of removing the subject's oldest.
    pub discard_new_per_subject: bool,
}

/// When written data reaches stable storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncPolicy {
    /// `fsync` on every [`crate::Store::flush`]: acknowledged means on disk.
    Always,
    /// Data goes to the OS on flush and is `fsync`ed at most this long afterwards
    /// (nats-server's default mode, `sync_interval`).
    Interval(Duration),
}

/// Totals and bounds of a store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StreamState {
    /// Messages held.
    pub msgs: u64,
    /// Bytes held, counted as nats-server does per message: subject, headers,
    /// payload and a fixed per-record overhead.
    pub bytes: u64,
    /// Lowest sequence held (or the next sequence when empty).
    pub first_seq: u64,
    /// Timestamp of `first_seq`, unix nanoseconds (0 when empty).
    pub first_ts: i64,
    /// Highest sequence ever assigned.
    pub last_seq: u64,
    /// Timestamp of `last_seq`, unix nanoseconds (0 when none).
    pub last_ts: i64,
    /// Gaps between `first_seq` and `last_seq`.
    pub num_deleted: u64,
    /// Distinct subjects held.
    pub num_subjects: u64,
}

/// Totals for one subject.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SubjectState {
    /// Messages held on it.
    pub msgs: u64,
    /// Its lowest sequence.
    pub first_seq: u64,
    /// Its highest sequence.
    pub last_seq: u64,
}

/// Which messages a purge removes (`$JS.API.STREAM.PURGE` body).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PurgeRequest {
    /// Only messages whose subject matches this pattern; empty for all.
    pub filter: String,
    /// Only messages with a sequence below this one.
    pub seq: Option<u64>,
    /// Keep this many of the newest (per the filter).
    pub keep: Option<u64>,
}

/// A consumer sequence with the stream sequence it delivered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SequencePair {
    /// The consumer's own delivery sequence.
    pub consumer_seq: u64,
    /// The stream sequence.
    pub stream_seq: u64,
}

/// One delivered, not yet acknowledged message.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PendingAck {
    /// The consumer sequence of its latest delivery.
    pub consumer_seq: u64,
    /// Unix nanoseconds of its latest delivery.
    pub ts: i64,
}

/// What a consumer must remember across restarts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsumerState {
    /// The last delivery.
    pub delivered: SequencePair,
    /// Everything at or below this pair is acknowledged.
    pub ack_floor: SequencePair,
    /// Delivered and unacknowledged, by stream sequence.
    pub pending: BTreeMap<u64, PendingAck>,
    /// Delivery counts above one, by stream sequence.
    pub redelivered: BTreeMap<u64, u64>,
}
