//! A deliberately naive model of a store: a vector scanned for every question, with
//! the limit and purge rules written out the long way. Stores are checked against it
//! by random operation sequences.

use std::collections::BTreeMap;
use std::time::Duration;

use natrium_store::{
    DiscardPolicy, NewMsg, PurgeRequest, Removed, Store, StoreError, StoreLimits, StoredMsg,
    StreamState, SubjectState,
};
use proptest::prelude::*;

#[derive(Debug, Clone)]
pub struct M {
    pub seq: u64,
    pub subject: String,
    pub ts: i64,
    pub ttl: i64,
    pub payload: Vec<u8>,
}

pub struct Model {
    pub msgs: Vec<M>,
    pub last_seq: u64,
    pub last_ts: i64,
    pub limits: StoreLimits,
    pub size: fn(usize, usize, usize) -> u64,
}

fn matches(filter: &str, subject: &str) -> bool {
    if filter.is_empty() || filter == ">" {
        return true;
    }
    let f: Vec<&str> = filter.split('.').collect();
    let s: Vec<&str> = subject.split('.').collect();
    for (i, ft) in f.iter().enumerate() {
        if *ft == ">" {
            return s.len() > i;
        }
        match s.get(i) {
            Some(st) if *ft == "*" || ft == st => {}
            _ => return false,
        }
    }
    f.len() == s.len()
}

fn deadline(m: &M, max_age: Duration) -> Option<i64> {
    let age = max_age.as_nanos() as i64;
    if m.ttl < 0 {
        return None;
    }
    let mut d: Option<i64> = None;
    if age > 0 {
        d = Some(m.ts + age);
    }
    if m.ttl > 0 {
        let own = m.ts + m.ttl;
        d = Some(d.map_or(own, |a: i64| a.min(own)));
    }
    d
}

impl Model {
    pub fn new(limits: &StoreLimits, size: fn(usize, usize, usize) -> u64) -> Self {
        Model {
            msgs: Vec::new(),
            last_seq: 0,
            last_ts: 0,
            limits: limits.clone(),
            size,
        }
    }

    fn msize(&self, m: &M) -> u64 {
        (self.size)(m.subject.len(), 0, m.payload.len())
    }

    fn bytes(&self) -> u64 {
        self.msgs.iter().map(|m| self.msize(m)).sum()
    }

    fn count(&self, subject: &str) -> u64 {
        self.msgs.iter().filter(|m| m.subject == subject).count() as u64
    }

    fn take(&mut self, seq: u64) -> Option<M> {
        let i = self.msgs.iter().position(|m| m.seq == seq)?;
        Some(self.msgs.remove(i))
    }

    fn first_seq(&self) -> u64 {
        self.msgs.first().map_or(self.last_seq + 1, |m| m.seq)
    }

    pub fn append(
        &mut self,
        subject: &str,
        payload: &[u8],
        ts: i64,
        ttl: i64,
    ) -> Result<(u64, Vec<u64>), &'static str> {
        let l = self.limits.clone();
        let size = (self.size)(subject.len(), 0, payload.len());
        if l.discard == DiscardPolicy::New {
            let at_subj =
                l.max_msgs_per_subject > 0 && self.count(subject) >= l.max_msgs_per_subject;
            if at_subj && l.discard_new_per_subject {
                return Err("per-subject");
            }
            if l.max_msgs > 0 && self.msgs.len() as u64 >= l.max_msgs && !at_subj {
                return Err("msgs");
            }
            if l.max_bytes > 0 && self.bytes() + size > l.max_bytes {
                if !at_subj {
                    return Err("bytes");
                }
                let oldest = self.msgs.iter().find(|m| m.subject == subject).unwrap();
                if self.msize(oldest) < size {
                    return Err("bytes");
                }
            }
        }
        let seq = self.last_seq + 1;
        self.msgs.push(M {
            seq,
            subject: subject.to_string(),
            ts,
            ttl,
            payload: payload.to_vec(),
        });
        self.last_seq = seq;
        self.last_ts = ts;
        let mut removed = Vec::new();
        if l.max_msgs_per_subject > 0 {
            while self.count(subject) > l.max_msgs_per_subject {
                let s = self.msgs.iter().find(|m| m.subject == subject).unwrap().seq;
                self.take(s);
                removed.push(s);
            }
        }
        self.enforce_totals(&mut removed);
        Ok((seq, removed))
    }

    fn enforce_totals(&mut self, removed: &mut Vec<u64>) {
        let l = self.limits.clone();
        if l.discard != DiscardPolicy::Old {
            return;
        }
        while (l.max_msgs > 0 && self.msgs.len() as u64 > l.max_msgs)
            || (l.max_bytes > 0 && self.bytes() > l.max_bytes)
        {
            let m = self.msgs.remove(0);
            removed.push(m.seq);
        }
    }

    pub fn update_limits(&mut self, limits: &StoreLimits) -> Vec<u64> {
        self.limits = limits.clone();
        let mut removed = Vec::new();
        self.enforce_totals(&mut removed);
        if limits.max_msgs_per_subject > 0 {
            loop {
                let mut subjects: Vec<String> =
                    self.msgs.iter().map(|m| m.subject.clone()).collect();
                subjects.sort();
                subjects.dedup();
                let over = subjects
                    .into_iter()
                    .find(|s| self.count(s) > limits.max_msgs_per_subject);
                let Some(s) = over else { break };
                let seq = self.msgs.iter().find(|m| m.subject == s).unwrap().seq;
                self.take(seq);
                removed.push(seq);
            }
        }
        removed
    }

    pub fn remove(&mut self, seq: u64) -> bool {
        self.take(seq).is_some()
    }

    pub fn compact(&mut self, seq: u64) -> u64 {
        if seq == 0 {
            let n = self.msgs.len() as u64;
            self.msgs.clear();
            return n;
        }
        if self.first_seq() > seq {
            return 0;
        }
        let before = self.msgs.len();
        self.msgs.retain(|m| m.seq >= seq);
        if seq > self.last_seq {
            self.last_seq = seq - 1;
        }
        (before - self.msgs.len()) as u64
    }

    pub fn purge(&mut self, req: &PurgeRequest) -> u64 {
        let seq = req.seq.unwrap_or(0);
        let keep = req.keep.unwrap_or(0);
        if seq == 1 {
            return 0;
        }
        let all = req.filter.is_empty() || req.filter == ">";
        if all && keep == 0 && seq == 0 {
            return self.compact(0);
        }
        if all && seq > 1 {
            return self.compact(seq);
        }
        let matching: Vec<u64> = self
            .msgs
            .iter()
            .filter(|m| matches(&req.filter, &m.subject))
            .map(|m| m.seq)
            .collect();
        let total = matching.len() as u64;
        if keep > 0 && keep >= total {
            return 0;
        }
        let most = if keep > 0 { total - keep } else { total };
        let mut n = 0;
        for s in matching {
            if n >= most || (seq > 0 && s >= seq) {
                break;
            }
            self.take(s);
            n += 1;
        }
        n
    }

    pub fn expire(&mut self, now: i64) -> Vec<u64> {
        let age = self.limits.max_age;
        let mut gone: Vec<(i64, u64)> = self
            .msgs
            .iter()
            .filter_map(|m| deadline(m, age).filter(|d| *d <= now).map(|d| (d, m.seq)))
            .collect();
        gone.sort();
        for (_, s) in &gone {
            self.take(*s);
        }
        gone.into_iter().map(|(_, s)| s).collect()
    }

    pub fn next_expiry(&self) -> Option<i64> {
        self.msgs
            .iter()
            .filter_map(|m| deadline(m, self.limits.max_age))
            .min()
    }

    pub fn state(&self) -> StreamState {
        let first_seq = self.first_seq();
        let msgs = self.msgs.len() as u64;
        let mut subjects: Vec<&str> = self.msgs.iter().map(|m| m.subject.as_str()).collect();
        subjects.sort();
        subjects.dedup();
        StreamState {
            msgs,
            bytes: self.bytes(),
            first_seq,
            first_ts: self.msgs.first().map_or(0, |m| m.ts),
            last_seq: self.last_seq,
            last_ts: self.last_ts,
            num_deleted: (self.last_seq + 1).saturating_sub(first_seq) - msgs,
            num_subjects: subjects.len() as u64,
        }
    }

    pub fn deleted(&self) -> Vec<u64> {
        let have: Vec<u64> = self.msgs.iter().map(|m| m.seq).collect();
        (self.first_seq()..=self.last_seq)
            .filter(|s| !have.contains(s))
            .collect()
    }

    pub fn subjects_state(&self, filter: &str) -> Vec<(String, SubjectState)> {
        let mut map: BTreeMap<String, SubjectState> = BTreeMap::new();
        for m in self.msgs.iter().filter(|m| matches(filter, &m.subject)) {
            let e = map.entry(m.subject.clone()).or_insert(SubjectState {
                msgs: 0,
                first_seq: m.seq,
                last_seq: m.seq,
            });
            e.msgs += 1;
            e.last_seq = m.seq;
        }
        map.into_iter().collect()
    }

    pub fn num_pending(&self, start: u64, filter: &str, lps: bool) -> u64 {
        if lps {
            return self
                .subjects_state(filter)
                .iter()
                .filter(|(_, s)| s.last_seq >= start)
                .count() as u64;
        }
        self.msgs
            .iter()
            .filter(|m| m.seq >= start && matches(filter, &m.subject))
            .count() as u64
    }

    pub fn seq_for_time(&self, ts: i64) -> u64 {
        self.msgs
            .iter()
            .find(|m| m.ts >= ts)
            .map_or(self.last_seq + 1, |m| m.seq)
    }
}

pub const SUBJECTS: [&str; 5] = ["a", "b", "c.x", "c.y", "d.e.f"];
pub const FILTERS: [&str; 7] = ["", ">", "a", "c.*", "c.>", "*", "d.*.f"];

#[derive(Debug, Clone)]
pub enum Op {
    Append {
        subject: usize,
        len: usize,
        ttl: i64,
        dt: i64,
    },
    Remove(u64),
    Purge {
        filter: usize,
        seq: Option<u64>,
        keep: Option<u64>,
    },
    Compact(u64),
    Expire(i64),
    Limits(StoreLimits),
    Flush,
    /// Closes and reopens a store that persists, cleanly or (`true`) as after a
    /// process crash; a no-op for others.
    Reopen(bool),
}

fn limits_strategy() -> impl Strategy<Value = StoreLimits> {
    (
        prop_oneof![Just(0u64), 1u64..8],
        prop_oneof![Just(0u64), 60u64..400],
        prop_oneof![Just(0u64), 20u64..200],
        prop_oneof![Just(0u64), 1u64..4],
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(max_msgs, max_bytes, age, per, new, per_new)| StoreLimits {
                max_msgs,
                max_bytes,
                max_age: Duration::from_nanos(age),
                max_msgs_per_subject: per,
                discard: if new {
                    DiscardPolicy::New
                } else {
                    DiscardPolicy::Old
                },
                discard_new_per_subject: per_new,
            },
        )
}

pub fn op_strategy() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => (0..SUBJECTS.len(), 0usize..40, prop_oneof![Just(0i64), Just(-1i64), 1i64..100], 0i64..20)
            .prop_map(|(subject, len, ttl, dt)| Op::Append { subject, len, ttl, dt }),
        2 => (0u64..40).prop_map(Op::Remove),
        1 => (
            0..FILTERS.len(),
            prop_oneof![Just(None), (0u64..40).prop_map(Some)],
            prop_oneof![Just(None), (0u64..5).prop_map(Some)],
        )
            .prop_map(|(filter, seq, keep)| Op::Purge { filter, seq, keep }),
        1 => (0u64..50).prop_map(Op::Compact),
        1 => (0i64..300).prop_map(Op::Expire),
        1 => limits_strategy().prop_map(Op::Limits),
        2 => Just(Op::Flush),
        1 => any::<bool>().prop_map(Op::Reopen),
    ]
}

pub fn initial_limits() -> impl Strategy<Value = StoreLimits> {
    limits_strategy()
}

fn err_name(e: &StoreError) -> &'static str {
    match e {
        StoreError::MaxMsgs => "msgs",
        StoreError::MaxBytes => "bytes",
        StoreError::MaxMsgsPerSubject => "per-subject",
        other => panic!("unexpected store error {other}"),
    }
}

fn removed_seqs(r: &[Removed]) -> Vec<u64> {
    r.iter().map(|r| r.seq).collect()
}

/// Closes a store and opens it again under the given limits.
pub type Reopen = dyn FnMut(Box<dyn Store>, &StoreLimits, bool) -> Box<dyn Store>;

/// Runs `ops` on a store and the model, comparing every answer. `reopen` replaces the
/// store by a reopened one (for stores that persist).
pub fn check_against_model(
    store: &mut Box<dyn Store>,
    limits: &StoreLimits,
    size: fn(usize, usize, usize) -> u64,
    ops: &[Op],
    reopen: &mut Reopen,
) {
    let mut model = Model::new(limits, size);
    let mut ts = 1_000i64;
    let payload = [7u8; 64];
    for (i, op) in ops.iter().enumerate() {
        let ctx = format!("op {i}: {op:?}");
        match op {
            Op::Append {
                subject,
                len,
                ttl,
                dt,
            } => {
                ts += dt;
                let subject = SUBJECTS[*subject];
                let body = &payload[..*len];
                let want = model.append(subject, body, ts, *ttl);
                let mut removed = Vec::new();
                let got = store.append(
                    NewMsg {
                        subject,
                        headers: &[],
                        payload: body,
                        ts,
                        ttl: *ttl,
                    },
                    &mut removed,
                );
                match (want, got) {
                    (Ok((ws, wr)), Ok(gs)) => {
                        assert_eq!(ws, gs, "{ctx}");
                        assert_eq!(wr, removed_seqs(&removed), "{ctx}");
                    }
                    (Err(w), Err(g)) => assert_eq!(w, err_name(&g), "{ctx}"),
                    (w, g) => panic!("{ctx}: model {w:?}, store {g:?}"),
                }
            }
            Op::Remove(seq) => {
                assert_eq!(
                    model.remove(*seq),
                    store.remove(*seq, seq % 2 == 0).unwrap(),
                    "{ctx}"
                );
            }
            Op::Purge { filter, seq, keep } => {
                let req = PurgeRequest {
                    filter: FILTERS[*filter].to_string(),
                    seq: *seq,
                    keep: *keep,
                };
                assert_eq!(model.purge(&req), store.purge(&req).unwrap(), "{ctx}");
            }
            Op::Compact(seq) => {
                assert_eq!(model.compact(*seq), store.compact(*seq).unwrap(), "{ctx}");
            }
            Op::Expire(dt) => {
                let now = ts + dt;
                let mut removed = Vec::new();
                store.expire(now, &mut removed).unwrap();
                let mut got = removed_seqs(&removed);
                let mut want = model.expire(now);
                got.sort_unstable();
                want.sort_unstable();
                assert_eq!(want, got, "{ctx}");
            }
            Op::Limits(l) => {
                let mut removed = Vec::new();
                store.update_limits(l, &mut removed).unwrap();
                assert_eq!(model.update_limits(l), removed_seqs(&removed), "{ctx}");
            }
            Op::Flush => store.flush().unwrap(),
            Op::Reopen(crash) => {
                store.flush().unwrap();
                let old = std::mem::replace(store, Box::new(natrium_store::MemStore::new(limits)));
                *store = reopen(old, &model.limits, *crash);
            }
        }
        compare(store.as_ref(), &model, &ctx);
    }
}

pub fn compare(store: &dyn Store, model: &Model, ctx: &str) {
    assert_eq!(store.state(), model.state(), "{ctx}");
    assert_eq!(store.deleted(), model.deleted(), "{ctx}");
    assert_eq!(store.next_expiry(), model.next_expiry(), "{ctx}");
    let mut out = StoredMsg::default();
    for m in &model.msgs {
        assert!(
            store.load(m.seq, &mut out).unwrap(),
            "{ctx}: load {}",
            m.seq
        );
        assert_eq!(
            (out.seq, out.ts, out.subject.as_str(), &out.payload[..]),
            (m.seq, m.ts, m.subject.as_str(), &m.payload[..]),
            "{ctx}"
        );
    }
    for filter in FILTERS {
        assert_eq!(
            store.subjects_state(filter),
            model.subjects_state(filter),
            "{ctx} {filter}"
        );
        let want_last = model
            .msgs
            .iter()
            .rev()
            .find(|m| matches(filter, &m.subject))
            .map(|m| m.seq);
        let got_last = store
            .load_last(filter, &mut out)
            .unwrap()
            .then_some(out.seq);
        assert_eq!(want_last, got_last, "{ctx} last {filter}");
        for start in [0, model.first_seq() + 1, model.last_seq] {
            let want = model
                .msgs
                .iter()
                .find(|m| m.seq >= start && matches(filter, &m.subject))
                .map(|m| m.seq);
            let got = store
                .load_next(filter, start, &mut out)
                .unwrap()
                .then_some(out.seq);
            assert_eq!(want, got, "{ctx} next {filter} from {start}");
            for lps in [false, true] {
                assert_eq!(
                    store.num_pending(start, filter, lps),
                    model.num_pending(start, filter, lps),
                    "{ctx} pending {filter} {start} {lps}"
                );
            }
        }
    }
    for t in [0, 1_000, 1_050, 1_100, i64::MAX] {
        assert_eq!(
            store.seq_for_time(t),
            model.seq_for_time(t),
            "{ctx} time {t}"
        );
    }
}
