//! The in-memory bookkeeping both stores share: messages by sequence, sequences by
//! subject, expiry deadlines, totals, and the limit and purge rules of nats-server.
//!
//! The index decides *which* sequences go; the store that owns it carries the
//! removal out (the file store also writes tombstones), so the rules live in one
//! place and the memory store is the executable model of the file store.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use natrium_subject::{is_literal_subject, subject_matches};

use crate::{
    DiscardPolicy, PurgeRequest, Result, StoreError, StoreLimits, StreamState, SubjectState,
};

/// What the index needs to know about one stored message.
pub(crate) trait Entry {
    /// The interned subject.
    fn subject(&self) -> &Arc<str>;
    /// Unix nanoseconds when stored.
    fn ts(&self) -> i64;
    /// Its own TTL in nanoseconds (`0` follows `max_age`, negative never expires).
    fn ttl(&self) -> i64;
    /// The bytes it counts for in [`StreamState::bytes`].
    fn size(&self) -> u64;
}

/// How many messages `load_next` with a wildcard filter walks in sequence order
/// before it asks the subject index instead: nearby matches are the common case for
/// a consumer, and walking every subject is the fallback for sparse ones.
const LINEAR_PROBE: usize = 256;

/// What a purge request resolves to.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum PurgePlan {
    /// Nothing to do.
    Nothing,
    /// Remove everything below this sequence (a compaction).
    Compact(u64),
    /// Remove these sequences, ascending.
    Seqs(Vec<u64>),
}

/// Messages by sequence plus the indexes that answer the [`crate::Store`] queries.
#[derive(Debug)]
pub(crate) struct Index<E> {
    msgs: BTreeMap<u64, E>,
    subjects: BTreeMap<Arc<str>, BTreeSet<u64>>,
    /// `(deadline, seq)` for every message that can expire.
    expiries: BTreeSet<(i64, u64)>,
    last_seq: u64,
    last_ts: i64,
    bytes: u64,
    limits: StoreLimits,
}

/// When a message stored at `ts` with `ttl` expires under `max_age`, if ever.
///
/// nats-server removes a message by age even when its own TTL is longer; only a
/// negative TTL ("never") exempts it from `max_age`.
pub(crate) fn deadline(ts: i64, ttl: i64, max_age: Duration) -> Option<i64> {
    let age = i64::try_from(max_age.as_nanos()).unwrap_or(i64::MAX);
    let by_age = (age > 0).then(|| ts.saturating_add(age));
    match ttl {
        t if t < 0 => None,
        0 => by_age,
        t => {
            let own = ts.saturating_add(t);
            Some(by_age.map_or(own, |a| a.min(own)))
        }
    }
}

/// Whether `filter` selects every subject.
pub(crate) fn is_all(filter: &str) -> bool {
    filter.is_empty() || filter == ">"
}

/// Whether `subject` is selected by `filter`.
pub(crate) fn matches(filter: &str, subject: &str) -> bool {
    is_all(filter) || subject_matches(filter.as_bytes(), subject.as_bytes())
}

/// Ordered sequences that can count the keys of a range.
trait SeqRange {
    fn first(&self) -> Option<u64>;
    fn last(&self) -> Option<u64>;
    fn count_range(&self, range: impl std::ops::RangeBounds<u64>) -> usize;
}

impl<V> SeqRange for BTreeMap<u64, V> {
    fn first(&self) -> Option<u64> {
        self.keys().next().copied()
    }
    fn last(&self) -> Option<u64> {
        self.keys().next_back().copied()
    }
    fn count_range(&self, range: impl std::ops::RangeBounds<u64>) -> usize {
        self.range(range).count()
    }
}

impl SeqRange for BTreeSet<u64> {
    fn first(&self) -> Option<u64> {
        BTreeSet::first(self).copied()
    }
    fn last(&self) -> Option<u64> {
        BTreeSet::last(self).copied()
    }
    fn count_range(&self, range: impl std::ops::RangeBounds<u64>) -> usize {
        self.range(range).count()
    }
}

/// How many of the `len` sequences in `seqs` are `>= start`, walking whichever side
/// of `start` looks shorter by sequence span (B-trees do not know ranks).
fn count_from(seqs: &impl SeqRange, len: usize, start: u64) -> u64 {
    let (Some(first), Some(last)) = (seqs.first(), seqs.last()) else {
        return 0;
    };
    if start <= first {
        return len as u64;
    }
    if start > last {
        return 0;
    }
    if start - first < last - start {
        (len - seqs.count_range(..start)) as u64
    } else {
        seqs.count_range(start..) as u64
    }
}

impl<E: Entry> Index<E> {
    /// An empty index whose next sequence is 1.
    pub(crate) fn new(limits: &StoreLimits) -> Self {
        Index {
            msgs: BTreeMap::new(),
            subjects: BTreeMap::new(),
            expiries: BTreeSet::new(),
            last_seq: 0,
            last_ts: 0,
            bytes: 0,
            limits: limits.clone(),
        }
    }

    pub(crate) fn get(&self, seq: u64) -> Option<&E> {
        self.msgs.get(&seq)
    }

    /// Every message, ascending.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&u64, &E)> {
        self.msgs.iter()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.msgs.is_empty()
    }

    pub(crate) fn last_ts(&self) -> i64 {
        self.last_ts
    }

    /// Raises the last sequence without a message, as recovery does from records
    /// that outlived the messages they followed.
    /// Puts back a last sequence that [`Self::set_last`] moved for an append that then
    /// failed.
    pub(crate) fn restore_last(&mut self, last_seq: u64, last_ts: i64) {
        self.last_seq = last_seq;
        self.last_ts = last_ts;
    }

    pub(crate) fn set_last(&mut self, last_seq: u64, last_ts: i64) {
        if last_seq > self.last_seq {
            self.last_seq = last_seq;
            self.last_ts = last_ts;
        }
    }

    pub(crate) fn last_seq(&self) -> u64 {
        self.last_seq
    }

    pub(crate) fn first_seq(&self) -> u64 {
        self.msgs
            .keys()
            .next()
            .copied()
            .unwrap_or(self.last_seq.saturating_add(1))
    }

    /// The shared copy of `subject`, so that every entry on it points at one string.
    pub(crate) fn intern(&self, subject: &str) -> Arc<str> {
        self.subjects
            .get_key_value(subject)
            .map_or_else(|| Arc::from(subject), |(k, _)| Arc::clone(k))
    }

    /// The discard-new checks nats-server makes before storing a message of `size`
    /// bytes on `subject`.
    pub(crate) fn check_append(&self, subject: &str, size: u64) -> Result<()> {
        let l = &self.limits;
        if l.discard != DiscardPolicy::New {
            return Ok(());
        }
        let on_subject = self.subjects.get(subject);
        // At the subject's limit the append replaces the subject's oldest message,
        // so the totals do not grow.
        let at_subject_limit = l.max_msgs_per_subject > 0
            && on_subject.is_some_and(|s| s.len() as u64 >= l.max_msgs_per_subject);
        if at_subject_limit && l.discard_new_per_subject {
            return Err(StoreError::MaxMsgsPerSubject);
        }
        if l.max_msgs > 0 && self.msgs.len() as u64 >= l.max_msgs && !at_subject_limit {
            return Err(StoreError::MaxMsgs);
        }
        if l.max_bytes > 0 && self.bytes.saturating_add(size) > l.max_bytes {
            if !at_subject_limit {
                return Err(StoreError::MaxBytes);
            }
            let replaced = on_subject
                .and_then(|s| s.first())
                .and_then(|seq| self.msgs.get(seq))
                .map_or(0, Entry::size);
            if replaced < size {
                return Err(StoreError::MaxBytes);
            }
        }
        Ok(())
    }

    /// Adds a message; `seq` must be above every sequence held.
    pub(crate) fn insert(&mut self, seq: u64, entry: E) {
        let subject = Arc::clone(entry.subject());
        self.subjects.entry(subject).or_default().insert(seq);
        if let Some(d) = deadline(entry.ts(), entry.ttl(), self.limits.max_age) {
            self.expiries.insert((d, seq));
        }
        self.bytes = self.bytes.saturating_add(entry.size());
        if seq >= self.last_seq {
            self.last_seq = seq;
            self.last_ts = entry.ts();
        }
        self.msgs.insert(seq, entry);
    }

    /// Takes the message at `seq` out of every index.
    pub(crate) fn remove(&mut self, seq: u64) -> Option<E> {
        let entry = self.msgs.remove(&seq)?;
        self.unindex(seq, &entry);
        Some(entry)
    }

    fn unindex(&mut self, seq: u64, entry: &E) {
        if let Some(set) = self.subjects.get_mut(entry.subject().as_ref()) {
            set.remove(&seq);
            if set.is_empty() {
                self.subjects.remove(entry.subject().as_ref());
            }
        }
        if let Some(d) = deadline(entry.ts(), entry.ttl(), self.limits.max_age) {
            self.expiries.remove(&(d, seq));
        }
        self.bytes = self.bytes.saturating_sub(entry.size());
    }

    /// Removes every message below `seq` and returns them.
    pub(crate) fn remove_below(&mut self, seq: u64) -> Vec<(u64, E)> {
        let keep = self.msgs.split_off(&seq);
        let gone = std::mem::replace(&mut self.msgs, keep);
        let gone: Vec<(u64, E)> = gone.into_iter().collect();
        if self.msgs.is_empty() {
            self.subjects.clear();
            self.expiries.clear();
            self.bytes = 0;
        } else {
            for (s, e) in &gone {
                self.unindex(*s, e);
            }
        }
        gone
    }

    /// What [`crate::Store::compact`] does to the index (nats-server's `Compact`):
    /// `None` when the store is already past `seq`, else the removed messages.
    pub(crate) fn compact(&mut self, seq: u64) -> Option<Vec<(u64, E)>> {
        if seq == 0 {
            let all = self.last_seq.saturating_add(1);
            return Some(self.remove_below(all));
        }
        if self.first_seq() > seq {
            return None;
        }
        let gone = self.remove_below(seq);
        if seq > self.last_seq {
            self.last_seq = seq - 1;
        }
        Some(gone)
    }

    /// The next message a limit removes after an append on `subject`, or after
    /// [`Index::set_limits`] when `subject` is `None`. nats-server enforces the
    /// appended subject's limit before the totals on append, and the totals before
    /// every subject's limit on a configuration update.
    pub(crate) fn next_victim(&self, subject: Option<&str>) -> Option<u64> {
        match subject {
            Some(s) => self.subject_victim(Some(s)).or_else(|| self.total_victim()),
            None => self.total_victim().or_else(|| self.subject_victim(None)),
        }
    }

    fn total_victim(&self) -> Option<u64> {
        let l = &self.limits;
        let over = l.discard == DiscardPolicy::Old
            && ((l.max_msgs > 0 && self.msgs.len() as u64 > l.max_msgs)
                || (l.max_bytes > 0 && self.bytes > l.max_bytes));
        if over {
            self.msgs.keys().next().copied()
        } else {
            None
        }
    }

    fn subject_victim(&self, subject: Option<&str>) -> Option<u64> {
        let most = self.limits.max_msgs_per_subject;
        if most == 0 {
            return None;
        }
        let over = |set: &&BTreeSet<u64>| set.len() as u64 > most;
        let set = match subject {
            Some(s) => self.subjects.get(s).filter(over),
            None => self.subjects.values().find(over),
        };
        set.and_then(|set| set.first().copied())
    }

    /// Replaces the limits, recomputing expiry deadlines when `max_age` changed.
    pub(crate) fn set_limits(&mut self, limits: &StoreLimits) {
        let age_changed = limits.max_age != self.limits.max_age;
        self.limits = limits.clone();
        if age_changed {
            self.expiries = self
                .msgs
                .iter()
                .filter_map(|(s, e)| deadline(e.ts(), e.ttl(), limits.max_age).map(|d| (d, *s)))
                .collect();
        }
    }

    /// Sequences whose deadline is at or before `now`.
    pub(crate) fn expired(&self, now: i64) -> Vec<u64> {
        self.expiries
            .range(..=(now, u64::MAX))
            .map(|(_, s)| *s)
            .collect()
    }

    pub(crate) fn next_expiry(&self) -> Option<i64> {
        self.expiries.first().map(|(d, _)| *d)
    }

    /// Resolves a purge request the way nats-server's `PurgeEx` does.
    pub(crate) fn purge_plan(&self, req: &PurgeRequest) -> PurgePlan {
        let seq = req.seq.unwrap_or(0);
        let keep = req.keep.unwrap_or(0);
        // "Below sequence 1" selects nothing.
        if seq == 1 {
            return PurgePlan::Nothing;
        }
        if is_all(&req.filter) {
            if keep == 0 && seq == 0 {
                return PurgePlan::Compact(0);
            }
            if seq > 1 {
                return PurgePlan::Compact(seq);
            }
        }
        let matching: Vec<u64> = self.matching_seqs(&req.filter);
        let total = matching.len() as u64;
        if total == 0 || (keep > 0 && keep >= total) {
            return PurgePlan::Nothing;
        }
        let most = if keep > 0 { total - keep } else { total };
        let below = if seq > 0 { seq } else { u64::MAX };
        let chosen: Vec<u64> = matching
            .into_iter()
            .take_while(|s| *s < below)
            .take(usize::try_from(most).unwrap_or(usize::MAX))
            .collect();
        if chosen.is_empty() {
            PurgePlan::Nothing
        } else {
            PurgePlan::Seqs(chosen)
        }
    }

    /// Every sequence whose subject matches `filter`, ascending.
    fn matching_seqs(&self, filter: &str) -> Vec<u64> {
        if is_all(filter) {
            return self.msgs.keys().copied().collect();
        }
        if is_literal_subject(filter.as_bytes()) {
            return self
                .subjects
                .get(filter)
                .map(|s| s.iter().copied().collect())
                .unwrap_or_default();
        }
        let mut seqs: Vec<u64> = self
            .matching_subjects(filter)
            .flat_map(|(_, set)| set.iter().copied())
            .collect();
        seqs.sort_unstable();
        seqs
    }

    fn matching_subjects<'a>(
        &'a self,
        filter: &'a str,
    ) -> Box<dyn Iterator<Item = (&'a Arc<str>, &'a BTreeSet<u64>)> + 'a> {
        if is_all(filter) {
            Box::new(self.subjects.iter())
        } else if is_literal_subject(filter.as_bytes()) {
            Box::new(self.subjects.get_key_value(filter).into_iter())
        } else {
            Box::new(
                self.subjects
                    .iter()
                    .filter(move |(s, _)| subject_matches(filter.as_bytes(), s.as_bytes())),
            )
        }
    }

    /// The first sequence `>= start` whose subject matches `filter`.
    pub(crate) fn find_next(&self, filter: &str, start: u64) -> Option<u64> {
        if is_all(filter) {
            return self.msgs.range(start..).next().map(|(s, _)| *s);
        }
        if !is_literal_subject(filter.as_bytes()) {
            let mut walked = self.msgs.range(start..).take(LINEAR_PROBE + 1);
            let found = walked
                .by_ref()
                .take(LINEAR_PROBE)
                .find(|(_, e)| matches(filter, e.subject()));
            if let Some((s, _)) = found {
                return Some(*s);
            }
            // The walk reached the end of the stream: nothing further can match.
            walked.next()?;
        }
        self.matching_subjects(filter)
            .filter_map(|(_, set)| set.range(start..).next().copied())
            .min()
    }

    /// The highest sequence whose subject matches `filter`.
    pub(crate) fn find_last(&self, filter: &str) -> Option<u64> {
        if is_all(filter) {
            return self.msgs.keys().next_back().copied();
        }
        self.matching_subjects(filter)
            .filter_map(|(_, set)| set.last().copied())
            .max()
    }

    pub(crate) fn state(&self) -> StreamState {
        let first_seq = self.first_seq();
        let msgs = self.msgs.len() as u64;
        let span = self.last_seq.saturating_add(1).saturating_sub(first_seq);
        StreamState {
            msgs,
            bytes: self.bytes,
            first_seq,
            first_ts: self.msgs.values().next().map_or(0, Entry::ts),
            last_seq: self.last_seq,
            last_ts: self.last_ts,
            num_deleted: span.saturating_sub(msgs),
            num_subjects: self.subjects.len() as u64,
        }
    }

    pub(crate) fn deleted(&self) -> Vec<u64> {
        let mut out = Vec::new();
        let mut expect = self.first_seq();
        for seq in self.msgs.keys() {
            out.extend(expect..*seq);
            expect = seq.saturating_add(1);
        }
        out.extend(expect..=self.last_seq);
        out
    }

    pub(crate) fn subjects_state(&self, filter: &str) -> Vec<(String, SubjectState)> {
        self.matching_subjects(filter)
            .filter_map(|(subject, set)| {
                Some((
                    subject.to_string(),
                    SubjectState {
                        msgs: set.len() as u64,
                        first_seq: *set.first()?,
                        last_seq: *set.last()?,
                    },
                ))
            })
            .collect()
    }

    pub(crate) fn num_pending(&self, start: u64, filter: &str, last_per_subject: bool) -> u64 {
        if last_per_subject {
            return self
                .matching_subjects(filter)
                .filter(|(_, set)| set.last().is_some_and(|l| *l >= start))
                .count() as u64;
        }
        if is_all(filter) {
            return count_from(&self.msgs, self.msgs.len(), start);
        }
        self.matching_subjects(filter)
            .map(|(_, set)| count_from(set, set.len(), start))
            .sum()
    }

    pub(crate) fn seq_for_time(&self, ts: i64) -> u64 {
        self.msgs
            .iter()
            .find(|(_, e)| e.ts() >= ts)
            .map_or(self.last_seq.saturating_add(1), |(s, _)| *s)
    }

    /// Forgets every message and resets the bounds so that the next sequence is 1.
    pub(crate) fn reset(&mut self) {
        *self = Index::new(&self.limits);
    }
}
