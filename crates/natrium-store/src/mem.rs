//! The memory store: every message held in the process, nothing on disk.

use std::sync::Arc;

use bytes::Bytes;

use crate::index::{Entry, Index, PurgePlan};
use crate::{
    NewMsg, PurgeRequest, Removed, Result, Store, StoreError, StoreLimits, StoredMsg, StreamState,
    SubjectState,
};

/// The bytes a message counts for in a memory stream: nats-server's
/// `memStoreMsgSize`, subject + headers + payload + 16 (sequence and timestamp).
pub fn mem_msg_size(subject_len: usize, headers_len: usize, payload_len: usize) -> u64 {
    (subject_len as u64)
        .saturating_add(headers_len as u64)
        .saturating_add(payload_len as u64)
        .saturating_add(16)
}

#[derive(Debug)]
struct MemEntry {
    subject: Arc<str>,
    ts: i64,
    ttl: i64,
    headers: Bytes,
    payload: Bytes,
}

impl Entry for MemEntry {
    fn subject(&self) -> &Arc<str> {
        &self.subject
    }
    fn ts(&self) -> i64 {
        self.ts
    }
    fn ttl(&self) -> i64 {
        self.ttl
    }
    fn size(&self) -> u64 {
        mem_msg_size(self.subject.len(), self.headers.len(), self.payload.len())
    }
}

/// A [`Store`] that keeps every message in memory (a stream with `storage: memory`),
/// and the model the file store is tested against.
#[derive(Debug)]
pub struct MemStore {
    index: Index<MemEntry>,
    closed: bool,
}

impl MemStore {
    /// An empty store enforcing `limits`; its first message gets sequence 1.
    pub fn new(limits: &StoreLimits) -> Self {
        MemStore {
            index: Index::new(limits),
            closed: false,
        }
    }

    fn open(&self) -> Result<()> {
        if self.closed {
            Err(StoreError::Closed)
        } else {
            Ok(())
        }
    }

    fn fill(&self, seq: u64, out: &mut StoredMsg) -> bool {
        match self.index.get(seq) {
            Some(e) => {
                out.seq = seq;
                out.ts = e.ts;
                out.subject.clear();
                out.subject.push_str(&e.subject);
                out.headers = e.headers.clone();
                out.payload = e.payload.clone();
                true
            }
            None => false,
        }
    }

    fn remove_into(&mut self, seq: u64, removed: &mut Vec<Removed>) {
        if let Some(e) = self.index.remove(seq) {
            removed.push(Removed {
                seq,
                subject: e.subject.to_string(),
                ttl: e.ttl(),
            });
        }
    }

    fn enforce(&mut self, subject: Option<&str>, removed: &mut Vec<Removed>) {
        while let Some(seq) = self.index.next_victim(subject) {
            self.remove_into(seq, removed);
        }
    }
}

impl Store for MemStore {
    fn append_at(&mut self, seq: u64, msg: NewMsg<'_>, removed: &mut Vec<Removed>) -> Result<u64> {
        self.open()?;
        let last = self.index.last_seq();
        if seq <= last {
            return Err(StoreError::SequenceNotAfterLast { seq, last });
        }
        // The gap is implicit: sequences between the last one and a stored one are
        // interior deletes, and a message record carries its own sequence.
        let last_ts = self.index.last_ts();
        self.index.set_last(seq - 1, msg.ts);
        let appended = self.append(msg, removed);
        if appended.is_err() {
            self.index.restore_last(last, last_ts);
        }
        appended
    }

    fn append(&mut self, msg: NewMsg<'_>, removed: &mut Vec<Removed>) -> Result<u64> {
        self.open()?;
        let size = mem_msg_size(msg.subject.len(), msg.headers.len(), msg.payload.len());
        self.index.check_append(msg.subject, size)?;
        let seq = self.index.last_seq().saturating_add(1);
        let entry = MemEntry {
            subject: self.index.intern(msg.subject),
            ts: msg.ts,
            ttl: msg.ttl,
            headers: Bytes::copy_from_slice(msg.headers),
            payload: Bytes::copy_from_slice(msg.payload),
        };
        self.index.insert(seq, entry);
        self.enforce(Some(msg.subject), removed);
        Ok(seq)
    }

    fn flush(&mut self) -> Result<()> {
        self.open()
    }

    fn load(&self, seq: u64, out: &mut StoredMsg) -> Result<bool> {
        self.open()?;
        Ok(self.fill(seq, out))
    }

    fn load_next(&self, filter: &str, start: u64, out: &mut StoredMsg) -> Result<bool> {
        self.open()?;
        Ok(self
            .index
            .find_next(filter, start)
            .is_some_and(|seq| self.fill(seq, out)))
    }

    fn load_last(&self, filter: &str, out: &mut StoredMsg) -> Result<bool> {
        self.open()?;
        Ok(self
            .index
            .find_last(filter)
            .is_some_and(|seq| self.fill(seq, out)))
    }

    fn remove(&mut self, seq: u64, _erase: bool) -> Result<bool> {
        // Erasing matters only where bytes outlive the message: in memory the
        // buffers are freed with the entry.
        self.open()?;
        Ok(self.index.remove(seq).is_some())
    }

    fn purge(&mut self, request: &PurgeRequest) -> Result<u64> {
        self.open()?;
        match self.index.purge_plan(request) {
            PurgePlan::Nothing => Ok(0),
            PurgePlan::Compact(seq) => self.compact(seq),
            PurgePlan::Seqs(seqs) => Ok(seqs
                .into_iter()
                .filter(|s| self.index.remove(*s).is_some())
                .count() as u64),
        }
    }

    fn compact(&mut self, seq: u64) -> Result<u64> {
        self.open()?;
        Ok(self.index.compact(seq).map_or(0, |gone| gone.len() as u64))
    }

    fn expire(&mut self, now: i64, removed: &mut Vec<Removed>) -> Result<()> {
        self.open()?;
        for seq in self.index.expired(now) {
            self.remove_into(seq, removed);
        }
        Ok(())
    }

    fn next_expiry(&self) -> Option<i64> {
        self.index.next_expiry()
    }

    fn update_limits(&mut self, limits: &StoreLimits, removed: &mut Vec<Removed>) -> Result<()> {
        self.open()?;
        self.index.set_limits(limits);
        self.enforce(None, removed);
        Ok(())
    }

    fn state(&self) -> StreamState {
        self.index.state()
    }

    fn deleted(&self) -> Vec<u64> {
        self.index.deleted()
    }

    fn subjects_state(&self, filter: &str) -> Vec<(String, SubjectState)> {
        self.index.subjects_state(filter)
    }

    fn num_pending(&self, start: u64, filter: &str, last_per_subject: bool) -> u64 {
        self.index.num_pending(start, filter, last_per_subject)
    }

    fn seq_for_time(&self, ts: i64) -> u64 {
        self.index.seq_for_time(ts)
    }

    fn destroy(&mut self) -> Result<()> {
        self.index.reset();
        self.closed = true;
        Ok(())
    }
}
