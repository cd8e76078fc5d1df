//! The store conformance suite and the naive model, shared by the memory and file
//! store tests. `conformance_suite!` expands to one `#[test]` per case for a store
//! factory, so a failure names both the case and the store.
#![allow(dead_code)]

pub mod model;

use std::time::Duration;

use natrium_store::{
    DiscardPolicy, NewMsg, PurgeRequest, Removed, Store, StoreError, StoreLimits, StoredMsg,
    StreamState, SubjectState, TTL_NEVER,
};

/// Builds a fresh, empty store under the given limits.
pub type Factory = dyn FnMut(&StoreLimits) -> Box<dyn Store>;

/// A factory plus how its store counts message bytes.
pub struct Harness {
    pub make: Box<Factory>,
    pub size: fn(usize, usize, usize) -> u64,
}

pub fn msg<'a>(subject: &'a str, payload: &'a [u8], ts: i64) -> NewMsg<'a> {
    NewMsg {
        subject,
        headers: &[],
        payload,
        ts,
        ttl: 0,
    }
}

pub fn put(s: &mut dyn Store, subject: &str, ts: i64) -> u64 {
    let mut removed = Vec::new();
    s.append(msg(subject, b"data", ts), &mut removed).unwrap()
}

pub fn seqs(s: &dyn Store, filter: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut m = StoredMsg::default();
    let mut next = 0;
    while s.load_next(filter, next, &mut m).unwrap() {
        out.push(m.seq);
        next = m.seq + 1;
    }
    out
}

pub fn limits() -> StoreLimits {
    StoreLimits::default()
}

pub fn append_and_load(h: &mut Harness) {
    let mut s = (h.make)(&limits());
    let mut removed = Vec::new();
    let m = NewMsg {
        subject: "a.b",
        headers: b"NATS/1.0\r\nX: 1\r\n\r\n",
        payload: b"hello",
        ts: 10,
        ttl: 0,
    };
    assert_eq!(s.append(m, &mut removed).unwrap(), 1);
    assert_eq!(put(s.as_mut(), "a.c", 20), 2);
    s.flush().unwrap();
    assert!(removed.is_empty());
    let mut out = StoredMsg::default();
    assert!(s.load(1, &mut out).unwrap());
    assert_eq!(out.seq, 1);
    assert_eq!(out.ts, 10);
    assert_eq!(out.subject, "a.b");
    assert_eq!(&out.headers[..], b"NATS/1.0\r\nX: 1\r\n\r\n");
    assert_eq!(&out.payload[..], b"hello");
    assert!(!s.load(3, &mut out).unwrap());
    assert!(!s.load(0, &mut out).unwrap());
    let st = s.state();
    let bytes = (h.size)(3, 18, 5) + (h.size)(3, 0, 4);
    assert_eq!(
        st,
        StreamState {
            msgs: 2,
            bytes,
            first_seq: 1,
            first_ts: 10,
            last_seq: 2,
            last_ts: 20,
            num_deleted: 0,
            num_subjects: 2,
        }
    );
}

pub fn empty_state(h: &mut Harness) {
    let s = (h.make)(&limits());
    let st = s.state();
    assert_eq!(st.msgs, 0);
    assert_eq!(st.first_seq, 1);
    assert_eq!(st.last_seq, 0);
    assert_eq!(s.seq_for_time(0), 1);
    assert!(s.deleted().is_empty());
    assert_eq!(s.next_expiry(), None);
}

pub fn filters(h: &mut Harness) {
    let mut s = (h.make)(&limits());
    for (i, subj) in ["a.1", "b.1", "a.2", "a.1", "c"].iter().enumerate() {
        put(s.as_mut(), subj, i as i64);
    }
    assert_eq!(seqs(s.as_ref(), ""), vec![1, 2, 3, 4, 5]);
    assert_eq!(seqs(s.as_ref(), ">"), vec![1, 2, 3, 4, 5]);
    assert_eq!(seqs(s.as_ref(), "a.*"), vec![1, 3, 4]);
    assert_eq!(seqs(s.as_ref(), "a.1"), vec![1, 4]);
    assert_eq!(seqs(s.as_ref(), "*.1"), vec![1, 2, 4]);
    assert_eq!(seqs(s.as_ref(), "x"), Vec::<u64>::new());
    let mut out = StoredMsg::default();
    assert!(s.load_last("a.*", &mut out).unwrap());
    assert_eq!(out.seq, 4);
    assert!(s.load_last("b.>", &mut out).unwrap());
    assert_eq!(out.seq, 2);
    assert!(s.load_last("", &mut out).unwrap());
    assert_eq!(out.seq, 5);
    assert!(!s.load_last("zz", &mut out).unwrap());
    assert!(s.load_next("a.1", 2, &mut out).unwrap());
    assert_eq!(out.seq, 4);
    assert!(!s.load_next("a.1", 5, &mut out).unwrap());
}

pub fn many_subjects_wildcard(h: &mut Harness) {
    // Past the linear probe of the index, the wildcard search goes by subject.
    let mut s = (h.make)(&limits());
    for i in 0..600 {
        put(s.as_mut(), &format!("n.{i}"), i);
    }
    put(s.as_mut(), "w.x", 600);
    let mut out = StoredMsg::default();
    assert!(s.load_next("w.*", 1, &mut out).unwrap());
    assert_eq!(out.seq, 601);
    assert!(!s.load_next("q.*", 1, &mut out).unwrap());
    assert_eq!(s.num_pending(1, "n.*", false), 600);
    assert_eq!(s.num_pending(301, "n.*", false), 300);
    assert_eq!(s.num_pending(301, "n.*", true), 300);
}

pub fn remove_and_gaps(h: &mut Harness) {
    let mut s = (h.make)(&limits());
    for i in 0..6 {
        put(s.as_mut(), "x", i);
    }
    assert!(s.remove(3, false).unwrap());
    assert!(!s.remove(3, false).unwrap());
    assert!(s.remove(5, true).unwrap());
    assert!(!s.remove(99, false).unwrap());
    assert_eq!(s.deleted(), vec![3, 5]);
    assert_eq!(s.state().num_deleted, 2);
    assert!(s.remove(1, false).unwrap());
    assert!(s.remove(2, false).unwrap());
    let st = s.state();
    assert_eq!(st.first_seq, 4);
    assert_eq!(st.first_ts, 3);
    assert_eq!(st.msgs, 2);
    assert_eq!(s.deleted(), vec![5]);
    assert!(s.remove(6, false).unwrap());
    assert!(s.remove(4, false).unwrap());
    let st = s.state();
    assert_eq!(
        (st.msgs, st.first_seq, st.last_seq, st.num_deleted),
        (0, 7, 6, 0)
    );
    assert_eq!(st.first_ts, 0);
    assert_eq!(st.last_ts, 5);
    assert_eq!(put(s.as_mut(), "x", 9), 7);
    let mut out = StoredMsg::default();
    assert!(!s.load(5, &mut out).unwrap());
}

pub fn discard_old_limits(h: &mut Harness) {
    let mut s = (h.make)(&StoreLimits {
        max_msgs: 3,
        ..limits()
    });
    let mut removed = Vec::new();
    for i in 0..5 {
        s.append(msg("a", b"x", i), &mut removed).unwrap();
    }
    assert_eq!(
        removed,
        vec![
            Removed {
                seq: 1,
                subject: "a".into(),
                ttl: 0
            },
            Removed {
                seq: 2,
                subject: "a".into(),
                ttl: 0
            }
        ]
    );
    assert_eq!(seqs(s.as_ref(), ""), vec![3, 4, 5]);

    let one = (h.size)(1, 0, 10);
    let mut s = (h.make)(&StoreLimits {
        max_bytes: one * 2,
        ..limits()
    });
    let mut removed = Vec::new();
    for i in 0..4 {
        s.append(msg("b", b"0123456789", i), &mut removed).unwrap();
    }
    assert_eq!(removed.len(), 2);
    assert_eq!(s.state().bytes, one * 2);
    assert_eq!(seqs(s.as_ref(), ""), vec![3, 4]);
}

pub fn discard_new_limits(h: &mut Harness) {
    let mut s = (h.make)(&StoreLimits {
        max_msgs: 2,
        discard: DiscardPolicy::New,
        ..limits()
    });
    let mut removed = Vec::new();
    s.append(msg("a", b"x", 1), &mut removed).unwrap();
    s.append(msg("b", b"x", 2), &mut removed).unwrap();
    assert!(matches!(
        s.append(msg("c", b"x", 3), &mut removed),
        Err(StoreError::MaxMsgs)
    ));
    assert_eq!(s.state().last_seq, 2);

    let one = (h.size)(1, 0, 10);
    let mut s = (h.make)(&StoreLimits {
        max_bytes: one * 2 + 3,
        discard: DiscardPolicy::New,
        ..limits()
    });
    s.append(msg("a", b"0123456789", 1), &mut removed).unwrap();
    s.append(msg("b", b"0123456789", 2), &mut removed).unwrap();
    assert!(matches!(
        s.append(msg("c", b"0123456789", 3), &mut removed),
        Err(StoreError::MaxBytes)
    ));
    s.append(msg("c", b"0", 3), &mut removed).unwrap_err();
    assert!(removed.is_empty());
    assert_eq!(s.state().msgs, 2);
}

pub fn per_subject_limit(h: &mut Harness) {
    let mut s = (h.make)(&StoreLimits {
        max_msgs_per_subject: 2,
        ..limits()
    });
    let mut removed = Vec::new();
    for (i, subj) in ["a", "b", "a", "a", "b", "a"].iter().enumerate() {
        s.append(msg(subj, b"x", i as i64), &mut removed).unwrap();
    }
    let gone: Vec<u64> = removed.iter().map(|r| r.seq).collect();
    assert_eq!(gone, vec![1, 3]);
    assert_eq!(seqs(s.as_ref(), "a"), vec![4, 6]);
    assert_eq!(seqs(s.as_ref(), "b"), vec![2, 5]);

    // Discard new without the per-subject flag still replaces the subject's oldest,
    // even at max_msgs.
    let mut s = (h.make)(&StoreLimits {
        max_msgs: 2,
        max_msgs_per_subject: 1,
        discard: DiscardPolicy::New,
        ..limits()
    });
    let mut removed = Vec::new();
    s.append(msg("a", b"x", 1), &mut removed).unwrap();
    s.append(msg("b", b"x", 2), &mut removed).unwrap();
    s.append(msg("a", b"x", 3), &mut removed).unwrap();
    assert_eq!(removed.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![1]);
    assert!(matches!(
        s.append(msg("c", b"x", 4), &mut removed),
        Err(StoreError::MaxMsgs)
    ));

    let mut s = (h.make)(&StoreLimits {
        max_msgs_per_subject: 1,
        discard: DiscardPolicy::New,
        discard_new_per_subject: true,
        ..limits()
    });
    s.append(msg("a", b"x", 1), &mut removed).unwrap();
    assert!(matches!(
        s.append(msg("a", b"x", 2), &mut removed),
        Err(StoreError::MaxMsgsPerSubject)
    ));
    s.append(msg("b", b"x", 2), &mut removed).unwrap();
}

pub fn max_age_and_ttl(h: &mut Harness) {
    let mut s = (h.make)(&StoreLimits {
        max_age: Duration::from_nanos(100),
        ..limits()
    });
    let mut removed = Vec::new();
    let mk = |ts, ttl| NewMsg {
        subject: "t",
        headers: &[],
        payload: b"p",
        ts,
        ttl,
    };
    s.append(mk(0, 0), &mut removed).unwrap(); // 1: expires at 100
    s.append(mk(10, TTL_NEVER), &mut removed).unwrap(); // 2: never
    s.append(mk(20, 30), &mut removed).unwrap(); // 3: at 50
    s.append(mk(30, 500), &mut removed).unwrap(); // 4: max_age wins, at 130
    assert_eq!(s.next_expiry(), Some(50));
    s.expire(49, &mut removed).unwrap();
    assert!(removed.is_empty());
    s.expire(50, &mut removed).unwrap();
    assert_eq!(removed.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![3]);
    assert_eq!(s.next_expiry(), Some(100));
    removed.clear();
    s.expire(1_000, &mut removed).unwrap();
    assert_eq!(
        removed.iter().map(|r| r.seq).collect::<Vec<_>>(),
        vec![1, 4]
    );
    assert_eq!(seqs(s.as_ref(), ""), vec![2]);
    assert_eq!(s.next_expiry(), None);

    // Without max_age only own TTLs expire; raising max_age later re-arms.
    let mut s = (h.make)(&limits());
    s.append(mk(0, 0), &mut removed).unwrap();
    s.append(mk(0, 5), &mut removed).unwrap();
    assert_eq!(s.next_expiry(), Some(5));
    removed.clear();
    s.expire(i64::MAX, &mut removed).unwrap();
    assert_eq!(removed.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![2]);
    s.update_limits(
        &StoreLimits {
            max_age: Duration::from_nanos(7),
            ..limits()
        },
        &mut removed,
    )
    .unwrap();
    assert_eq!(s.next_expiry(), Some(7));
}

pub fn purge_variants(h: &mut Harness) {
    let fill = |h: &mut Harness| {
        let mut s = (h.make)(&limits());
        for (i, subj) in ["a", "b", "a", "b", "a", "c"].iter().enumerate() {
            put(s.as_mut(), subj, i as i64);
        }
        s
    };
    let req = |filter: &str, seq: Option<u64>, keep: Option<u64>| PurgeRequest {
        filter: filter.into(),
        seq,
        keep,
    };
    let mut s = fill(h);
    assert_eq!(s.purge(&req("", None, None)).unwrap(), 6);
    let st = s.state();
    assert_eq!((st.msgs, st.first_seq, st.last_seq), (0, 7, 6));
    assert_eq!(put(s.as_mut(), "a", 9), 7);

    let mut s = fill(h);
    assert_eq!(s.purge(&req("a", None, None)).unwrap(), 3);
    assert_eq!(seqs(s.as_ref(), ""), vec![2, 4, 6]);

    let mut s = fill(h);
    assert_eq!(s.purge(&req("a", None, Some(1))).unwrap(), 2);
    assert_eq!(seqs(s.as_ref(), ""), vec![2, 4, 5, 6]);
    assert_eq!(s.purge(&req("a", None, Some(5))).unwrap(), 0);

    let mut s = fill(h);
    assert_eq!(s.purge(&req("a", Some(5), None)).unwrap(), 2);
    assert_eq!(seqs(s.as_ref(), ""), vec![2, 4, 5, 6]);
    assert_eq!(s.purge(&req("a", Some(1), None)).unwrap(), 0);

    let mut s = fill(h);
    assert_eq!(s.purge(&req("", Some(4), None)).unwrap(), 3);
    assert_eq!(seqs(s.as_ref(), ""), vec![4, 5, 6]);
    assert_eq!(s.state().first_seq, 4);

    let mut s = fill(h);
    assert_eq!(s.purge(&req(">", None, Some(2))).unwrap(), 4);
    assert_eq!(seqs(s.as_ref(), ""), vec![5, 6]);

    // nats-server: a sequence past the end moves the next sequence there.
    let mut s = fill(h);
    assert_eq!(s.purge(&req("", Some(20), None)).unwrap(), 6);
    assert_eq!(put(s.as_mut(), "a", 9), 20);
}

pub fn compact_variants(h: &mut Harness) {
    let mut s = (h.make)(&limits());
    for i in 0..5 {
        put(s.as_mut(), "a", i);
    }
    assert_eq!(s.compact(3).unwrap(), 2);
    assert_eq!(s.state().first_seq, 3);
    assert_eq!(s.compact(2).unwrap(), 0);
    s.remove(4, false).unwrap();
    s.remove(5, false).unwrap();
    assert_eq!(s.compact(4).unwrap(), 1);
    let st = s.state();
    assert_eq!((st.msgs, st.first_seq, st.last_seq), (0, 6, 5));
    assert_eq!(s.compact(100).unwrap(), 0);
    let st = s.state();
    assert_eq!((st.msgs, st.first_seq, st.last_seq), (0, 100, 99));
    assert_eq!(put(s.as_mut(), "a", 9), 100);
    assert_eq!(s.compact(0).unwrap(), 1);
    assert_eq!(s.state().first_seq, 101);
}

pub fn queries(h: &mut Harness) {
    let mut s = (h.make)(&limits());
    for (i, subj) in ["a.1", "a.2", "a.1", "b", "a.2"].iter().enumerate() {
        put(s.as_mut(), subj, 100 + 10 * i as i64);
    }
    s.remove(2, false).unwrap();
    assert_eq!(
        s.subjects_state("a.*"),
        vec![
            (
                "a.1".to_string(),
                SubjectState {
                    msgs: 2,
                    first_seq: 1,
                    last_seq: 3
                }
            ),
            (
                "a.2".to_string(),
                SubjectState {
                    msgs: 1,
                    first_seq: 5,
                    last_seq: 5
                }
            ),
        ]
    );
    assert_eq!(s.subjects_state("").len(), 3);
    assert_eq!(s.num_pending(1, "", false), 4);
    assert_eq!(s.num_pending(3, "", false), 3);
    assert_eq!(s.num_pending(2, "a.*", false), 2);
    assert_eq!(s.num_pending(1, "a.*", true), 2);
    assert_eq!(s.num_pending(4, ">", true), 2);
    assert_eq!(s.num_pending(9, "", false), 0);
    assert_eq!(s.seq_for_time(0), 1);
    assert_eq!(s.seq_for_time(105), 3);
    assert_eq!(s.seq_for_time(110), 3);
    assert_eq!(s.seq_for_time(140), 5);
    assert_eq!(s.seq_for_time(141), 6);
}

pub fn update_limits_shrinks(h: &mut Harness) {
    let mut s = (h.make)(&limits());
    for (i, subj) in ["a", "a", "a", "b", "b"].iter().enumerate() {
        put(s.as_mut(), subj, i as i64);
    }
    let mut removed = Vec::new();
    s.update_limits(
        &StoreLimits {
            max_msgs_per_subject: 1,
            ..limits()
        },
        &mut removed,
    )
    .unwrap();
    assert_eq!(
        removed.iter().map(|r| r.seq).collect::<Vec<_>>(),
        vec![1, 2, 4]
    );
    removed.clear();
    s.update_limits(
        &StoreLimits {
            max_msgs: 1,
            ..limits()
        },
        &mut removed,
    )
    .unwrap();
    assert_eq!(removed.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![3]);
    assert_eq!(seqs(s.as_ref(), ""), vec![5]);
}

pub fn destroy_closes(h: &mut Harness) {
    let mut s = (h.make)(&limits());
    put(s.as_mut(), "a", 1);
    s.destroy().unwrap();
    let mut removed = Vec::new();
    assert!(matches!(
        s.append(msg("a", b"", 2), &mut removed),
        Err(StoreError::Closed)
    ));
}

pub fn append_at_keeps_the_given_sequences(h: &mut Harness) {
    let mut s = (h.make)(&limits());
    let mut removed = Vec::new();
    // An empty store starts at the given sequence, without deletes before it.
    assert_eq!(s.append_at(5, msg("a", b"1", 10), &mut removed).unwrap(), 5);
    let st = s.state();
    assert_eq!(
        (st.first_seq, st.last_seq, st.msgs, st.num_deleted),
        (5, 5, 1, 0)
    );
    // A gap later counts as interior deletes; plain appends continue after it.
    assert_eq!(s.append_at(9, msg("b", b"2", 11), &mut removed).unwrap(), 9);
    assert_eq!(put(s.as_mut(), "c", 12), 10);
    assert_eq!(s.deleted(), vec![6, 7, 8]);
    assert_eq!(seqs(s.as_ref(), ""), vec![5, 9, 10]);
    let mut m = StoredMsg::default();
    assert!(s.load(9, &mut m).unwrap());
    assert_eq!((m.subject.as_str(), m.ts), ("b", 11));
    assert!(matches!(
        s.append_at(10, msg("d", b"3", 13), &mut removed),
        Err(StoreError::SequenceNotAfterLast { seq: 10, last: 10 })
    ));
    // A refused append leaves the last sequence where it was.
    let mut full = (h.make)(&StoreLimits {
        max_msgs: 1,
        discard: DiscardPolicy::New,
        ..limits()
    });
    full.append_at(3, msg("a", b"1", 1), &mut removed).unwrap();
    assert!(full.append_at(7, msg("a", b"2", 2), &mut removed).is_err());
    assert_eq!(full.state().last_seq, 3);
}

#[macro_export]
macro_rules! conformance_suite {
    ($harness:expr) => {
        $crate::conformance_suite!(@cases $harness;
            append_and_load, empty_state, filters, many_subjects_wildcard, remove_and_gaps,
            discard_old_limits, discard_new_limits, per_subject_limit, max_age_and_ttl,
            purge_variants, compact_variants, queries, update_limits_shrinks, destroy_closes,
            append_at_keeps_the_given_sequences);
    };
    (@cases $harness:expr; $($case:ident),*) => {
        $(
            #[test]
            fn $case() {
                let mut h = $harness;
                common::$case(&mut h);
            }
        )*
    };
}
