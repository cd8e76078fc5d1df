//! `natrium-store`: where a JetStream stream keeps its messages and its consumers keep
//! their delivery state.
//!
//! This crate owns:
//!
//! * the [`Store`] trait — append, load (by sequence, next or last matching a filter),
//!   delete, purge, limits (`max_msgs`, `max_bytes`, `max_age`, `max_msgs_per_subject`,
//!   per-message TTL) and state queries — and the [`ConsumerStore`] trait that persists
//!   one consumer's delivered/ack-floor/pending state;
//! * their implementations: [`MemStore`] (the executable model) and [`FileStore`]
//!   (our own segment format, documented in `docs/STORE.md`; what reaches the disk
//!   when is in `docs/DURABILITY.md`), with [`MemConsumerStore`] and
//!   [`FileConsumerStore`]. Each counts message bytes as nats-server does for the
//!   same storage type ([`mem_msg_size`], [`file_msg_size`]).
//!
//! What this crate must never do:
//!
//! * know about accounts, streams' API, clients or the wire protocol: it stores bytes
//!   under subjects and sequences, and reports state upward through return values;
//! * read the clock: every timestamp (`ts`, `now`) is decided by the caller, so that a
//!   replicated log replays to the same state;
//! * be async or spawn tasks that call back into the caller: it is synchronous and is
//!   called by one owner (the stream's task) at a time;
//! * panic on the contents of a file: damaged bytes are reported as
//!   [`StoreError::Corrupt`] with the file and offset, and recovery keeps every
//!   intact record.
#![deny(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::indexing_slicing))]

mod codec;
mod consumer;
mod error;
mod file;
mod format;
mod index;
mod mem;
mod types;

pub use consumer::{FileConsumerStore, MemConsumerStore};
pub use file::{file_msg_size, FileStore, FileStoreOptions, DEFAULT_SEGMENT_SIZE};
pub use mem::{mem_msg_size, MemStore};

pub use error::StoreError;
pub use types::{
    ConsumerState, DiscardPolicy, NewMsg, PendingAck, PurgeRequest, Removed, SequencePair,
    StoreLimits, StoredMsg, StreamState, SubjectState, SyncPolicy, TTL_NEVER,
};

/// Result of store operations.
pub type Result<T> = std::result::Result<T, StoreError>;

/// The messages of one stream, in sequence order.
///
/// Sequences start at 1 (or where [`Store::compact`] moved the first one) and grow by
/// one per appended message; removed messages leave gaps ("interior deletes"). A
/// `filter` argument is a subject pattern (`*` and `>` allowed); the empty string
/// matches every subject.
pub trait Store: Send {
    /// Appends one message after the last sequence, enforcing the limits set by
    /// [`Store::update_limits`]: with [`DiscardPolicy::Old`] the oldest messages make
    /// room (returned in `removed`), with [`DiscardPolicy::New`] the append fails with
    /// [`StoreError::MaxMsgs`], [`StoreError::MaxBytes`] or
    /// [`StoreError::MaxMsgsPerSubject`]. The message is durable only after
    /// [`Store::flush`].
    fn append(&mut self, msg: NewMsg<'_>, removed: &mut Vec<Removed>) -> Result<u64>;

    /// Appends one message at sequence `seq` rather than the next one, as a mirror
    /// stores its origin's messages under the origin's sequences; the sequences skipped
    /// count as interior deletes (none when the store is empty: it then starts at
    /// `seq`). Fails with [`StoreError::SequenceNotAfterLast`] unless `seq` is after the
    /// last sequence. Limits apply as in [`Store::append`].
    fn append_at(&mut self, seq: u64, msg: NewMsg<'_>, removed: &mut Vec<Removed>) -> Result<u64>;

    /// Makes every appended message and every delete durable according to the
    /// [`SyncPolicy`]: with [`SyncPolicy::Always`] it returns only after the data is
    /// on stable storage. Callers append a batch, flush once, then acknowledge the
    /// batch (group commit).
    fn flush(&mut self) -> Result<()>;

    /// Loads the message at `seq` into `out`; `Ok(false)` when it does not exist.
    fn load(&self, seq: u64, out: &mut StoredMsg) -> Result<bool>;

    /// Loads the first message with sequence `>= start` whose subject matches
    /// `filter`; `Ok(false)` when there is none.
    fn load_next(&self, filter: &str, start: u64, out: &mut StoredMsg) -> Result<bool>;

    /// Loads the message with the highest sequence whose subject matches `filter`;
    /// `Ok(false)` when there is none.
    fn load_last(&self, filter: &str, out: &mut StoredMsg) -> Result<bool>;

    /// Removes the message at `seq`; with `erase` its bytes are also overwritten on
    /// disk. `Ok(false)` when it did not exist.
    fn remove(&mut self, seq: u64, erase: bool) -> Result<bool>;

    /// Removes the messages the request selects and returns how many it removed,
    /// with nats-server's `PurgeEx` rules: `seq` 1 selects nothing; with no filter
    /// (or `>`) and no `keep`, everything goes, and a `seq` compacts to it (see
    /// [`Store::compact`]); otherwise the matching messages below `seq` go, oldest
    /// first, leaving the newest `keep` of all that match.
    fn purge(&mut self, request: &PurgeRequest) -> Result<u64>;

    /// Removes every message below `seq` (nats-server's `Compact`); when `seq` is past
    /// the last sequence the next append gets `seq` (how a stream's `first_seq` is
    /// set). `0` removes everything, like a full purge. Does nothing when the first
    /// sequence is already above `seq`. Returns how many it removed.
    fn compact(&mut self, seq: u64) -> Result<u64>;

    /// Removes messages whose age (`max_age`) or own TTL has passed at `now` (unix
    /// nanoseconds), reporting each in `removed`, earliest deadline first. A message
    /// expires at `ts + ttl` or `ts + max_age`, whichever comes first; a TTL below zero
    /// ([`TTL_NEVER`]) exempts it from both.
    fn expire(&mut self, now: i64, removed: &mut Vec<Removed>) -> Result<()>;

    /// The earliest time (unix nanoseconds) at which [`Store::expire`] would remove
    /// something, so the owner can arm one timer.
    fn next_expiry(&self) -> Option<i64>;

    /// Replaces the limits; messages over the new count, byte or per-subject limits
    /// are removed at once (reported in `removed`), those past a new `max_age` at the
    /// next [`Store::expire`].
    fn update_limits(&mut self, limits: &StoreLimits, removed: &mut Vec<Removed>) -> Result<()>;

    /// Totals and bounds of the whole store.
    fn state(&self) -> StreamState;

    /// The sequences removed between the first and last sequence.
    fn deleted(&self) -> Vec<u64>;

    /// Per-subject totals for the subjects matching `filter`, sorted by subject.
    fn subjects_state(&self, filter: &str) -> Vec<(String, SubjectState)>;

    /// How many messages with sequence `>= start` match `filter`; with
    /// `last_per_subject` only the last message of each subject counts.
    fn num_pending(&self, start: u64, filter: &str, last_per_subject: bool) -> u64;

    /// The first sequence whose timestamp is `>= ts` (the last sequence plus one when
    /// there is none).
    fn seq_for_time(&self, ts: i64) -> u64;

    /// Removes everything this store keeps, including its files.
    fn destroy(&mut self) -> Result<()>;

    /// How long until flushed data is due for its deferred `fsync` under
    /// [`SyncPolicy::Interval`]; the owner calls [`Store::flush`] then. `None` when
    /// nothing waits for a sync.
    fn sync_due_in(&self) -> Option<std::time::Duration> {
        None
    }
}

/// The persistent state of one consumer.
pub trait ConsumerStore: Send {
    /// The state saved last, or `None` for a new consumer.
    fn load(&self) -> Result<Option<ConsumerState>>;

    /// Replaces the saved state; durable when this returns under
    /// [`SyncPolicy::Always`].
    fn save(&mut self, state: &ConsumerState) -> Result<()>;

    /// Replaces the saved state and makes it durable whatever the policy: for an
    /// acknowledgement the client asked to have confirmed.
    fn save_durable(&mut self, state: &ConsumerState) -> Result<()> {
        self.save(state)
    }

    /// Removes everything this consumer store keeps.
    fn destroy(&mut self) -> Result<()>;
}
