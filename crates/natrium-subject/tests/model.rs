//! Property tests: the index against a brute-force model, and validation against
//! naive re-statements of the nats-server rules.

use std::collections::BTreeMap;

use natrium_subject::{
    is_valid_index_subject, is_valid_publish_subject, is_valid_queue_name, is_valid_subject,
    subject_is_subset, subject_matches, subjects_collide, MatchResult, SubList,
};
use proptest::prelude::*;

/// A small alphabet of tokens so that subjects collide and wildcards overlap.
fn token() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        4 => Just("a"),
        3 => Just("b"),
        2 => Just("c"),
        2 => Just("*"),
        1 => Just(">"),
        1 => Just("*b"),
    ]
}

fn pattern() -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 1..5).prop_map(|tokens| {
        // Keep `>` only as the last token so most patterns are valid.
        let end = tokens
            .iter()
            .position(|t| *t == ">")
            .map_or(tokens.len(), |i| i + 1);
        tokens[..end].join(".")
    })
}

fn literal() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![Just("a"), Just("b"), Just("c"), Just("*b"), Just("*")],
        1..5,
    )
    .prop_map(|tokens| tokens.join("."))
}

fn queue() -> impl Strategy<Value = Option<&'static str>> {
    prop_oneof![3 => Just(None), 1 => Just(Some("q1")), 1 => Just(Some("q2"))]
}

#[derive(Debug, Clone)]
enum Op {
    Insert(String, Option<&'static str>, u8),
    /// Remove the live subscription at this index (modulo the live count).
    RemoveLive(usize),
    /// Remove something that may not be there.
    RemoveAny(String, Option<&'static str>, u8),
    Match(String),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (pattern(), queue(), 0..6u8).prop_map(|(s, q, i)| Op::Insert(s, q, i)),
        3 => any::<usize>().prop_map(Op::RemoveLive),
        1 => (pattern(), queue(), 0..6u8).prop_map(|(s, q, i)| Op::RemoveAny(s, q, i)),
        2 => literal().prop_map(Op::Match),
    ]
}

type Live = Vec<(String, Option<&'static str>, u8)>;

/// What the model says `subject` matches: sorted plain items and per-queue items.
fn brute_force(live: &Live, subject: &str) -> (Vec<u8>, BTreeMap<String, Vec<u8>>) {
    let mut plain = Vec::new();
    let mut queues: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (pattern, queue, item) in live {
        if subject_matches(pattern.as_bytes(), subject.as_bytes()) {
            match queue {
                None => plain.push(*item),
                Some(q) => queues.entry((*q).to_owned()).or_default().push(*item),
            }
        }
    }
    plain.sort_unstable();
    queues.values_mut().for_each(|v| v.sort_unstable());
    (plain, queues)
}

fn normalise(result: &MatchResult<u8>) -> (Vec<u8>, BTreeMap<String, Vec<u8>>) {
    let mut plain = result.plain.clone();
    plain.sort_unstable();
    let mut queues = BTreeMap::new();
    for group in &result.queues {
        assert!(!group.members.is_empty(), "empty queue group in a result");
        let name = String::from_utf8(group.name.to_vec()).unwrap();
        let mut members = group.members.clone();
        members.sort_unstable();
        assert!(
            queues.insert(name, members).is_none(),
            "queue group listed twice"
        );
    }
    (plain, queues)
}

fn remove_from_model(live: &mut Live, subject: &str, queue: Option<&str>, item: u8) -> bool {
    match live
        .iter()
        .position(|(s, q, i)| s == subject && *q == queue && *i == item)
    {
        Some(at) => {
            live.remove(at);
            true
        }
        None => false,
    }
}

/// Every literal subject the tests probe: a fixed set covering the alphabet.
fn probes() -> Vec<String> {
    let tokens = ["a", "b", "c", "*b", "*"];
    let mut out: Vec<String> = tokens.iter().map(|t| (*t).to_owned()).collect();
    for depth in 0..3 {
        let prev: Vec<String> = out
            .iter()
            .filter(|s| s.split('.').count() == depth + 1)
            .cloned()
            .collect();
        for p in prev {
            for t in tokens {
                out.push(format!("{p}.{t}"));
            }
        }
    }
    out
}

fn run(ops: &[Op], warm: bool) -> Result<(), TestCaseError> {
    let sl = SubList::new();
    let mut live: Live = Vec::new();
    let probes = probes();
    if warm {
        for s in &probes {
            sl.matches(s.as_bytes());
        }
    }
    for op in ops {
        match op {
            Op::Insert(s, q, i) => {
                let ok = sl.insert(s.as_bytes(), q.map(str::as_bytes), *i).is_ok();
                prop_assert_eq!(ok, is_valid_index_subject(s.as_bytes()));
                if ok {
                    live.push((s.clone(), *q, *i));
                }
            }
            Op::RemoveLive(n) => {
                if !live.is_empty() {
                    let (s, q, i) = live.remove(n % live.len());
                    prop_assert!(sl.remove(s.as_bytes(), q.map(str::as_bytes), &i));
                }
            }
            Op::RemoveAny(s, q, i) => {
                let expected = remove_from_model(&mut live, s, *q, *i);
                prop_assert_eq!(sl.remove(s.as_bytes(), q.map(str::as_bytes), i), expected);
            }
            Op::Match(s) => {
                prop_assert_eq!(normalise(&sl.matches(s.as_bytes())), brute_force(&live, s));
            }
        }
        prop_assert_eq!(sl.count(), live.len());
    }
    for s in &probes {
        // Twice: the first may be a miss, the second is a hit.
        for _ in 0..2 {
            prop_assert_eq!(
                normalise(&sl.matches(s.as_bytes())),
                brute_force(&live, s),
                "subject {}",
                s
            );
        }
    }
    Ok(())
}

/// Every literal subject of 1 to 5 tokens over the test alphabet: long enough to witness
/// any difference between two patterns of at most 4 tokens.
fn witnesses() -> Vec<String> {
    let tokens = ["a", "b", "c", "*b", "*"];
    let mut out: Vec<String> = Vec::new();
    let mut layer: Vec<String> = tokens.iter().map(|t| (*t).to_owned()).collect();
    for _ in 0..5 {
        out.extend(layer.iter().cloned());
        layer = layer
            .iter()
            .flat_map(|p| tokens.iter().map(move |t| format!("{p}.{t}")))
            .collect();
    }
    out
}

proptest! {
    #[test]
    fn collide_and_subset_agree_with_witnesses(a in pattern(), b in pattern()) {
        prop_assume!(is_valid_subject(a.as_bytes()) && is_valid_subject(b.as_bytes()));
        let both = witnesses().iter().any(|s| {
            subject_matches(a.as_bytes(), s.as_bytes()) && subject_matches(b.as_bytes(), s.as_bytes())
        });
        prop_assert_eq!(subjects_collide(a.as_bytes(), b.as_bytes()), both, "{} / {}", a, b);
        let contained = witnesses().iter().all(|s| {
            !subject_matches(a.as_bytes(), s.as_bytes()) || subject_matches(b.as_bytes(), s.as_bytes())
        });
        prop_assert_eq!(subject_is_subset(a.as_bytes(), b.as_bytes()), contained, "{} in {}", a, b);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn index_matches_brute_force_cold(ops in prop::collection::vec(op(), 0..60)) {
        run(&ops, false)?;
    }

    #[test]
    fn index_matches_brute_force_warm(ops in prop::collection::vec(op(), 0..60)) {
        run(&ops, true)?;
    }

    #[test]
    fn validation_never_panics_and_agrees_with_model(bytes in prop::collection::vec(
        prop_oneof![
            4 => Just(b'.'), 2 => Just(b'*'), 2 => Just(b'>'), 4 => Just(b'a'),
            1 => Just(b' '), 1 => Just(b'\t'), 1 => Just(b'\r'), 1 => Just(b'\n'),
            1 => Just(0x0c), 2 => any::<u8>(),
        ],
        0..12,
    )) {
        let s = &bytes[..];
        prop_assert_eq!(is_valid_subject(s), naive_valid_subject(s));
        prop_assert_eq!(is_valid_index_subject(s), naive_valid_index_subject(s));
        prop_assert_eq!(is_valid_publish_subject(s), naive_valid_publish_subject(s));
        prop_assert_eq!(is_valid_queue_name(s), !s.is_empty() && !s.iter().any(|b| WS.contains(b)));
        let _ = subject_matches(s, s);
        let _ = subject_matches(b">", s);
        // Never panics on arbitrary input, and a subject refused by the index
        // matches nothing.
        let sl = SubList::new();
        let inserted = sl.insert(s, None, 1u8).is_ok();
        prop_assert_eq!(inserted, is_valid_index_subject(s));
        let hits = sl.matches(s);
        if !is_valid_index_subject(s) {
            prop_assert!(hits.is_empty());
        }
        prop_assert_eq!(sl.remove(s, None, &1), inserted);
    }

    #[test]
    fn arbitrary_bytes_never_panic(s in prop::collection::vec(any::<u8>(), 0..40), p in prop::collection::vec(any::<u8>(), 0..40)) {
        let _ = is_valid_subject(&s);
        let _ = is_valid_publish_subject(&s);
        let _ = is_valid_queue_name(&s);
        let _ = subject_matches(&p, &s);
        let sl = SubList::new();
        let _ = sl.insert(&p, Some(&s), 0u8);
        let _ = sl.matches(&s);
        let _ = sl.remove(&p, Some(&s), &0);
    }
}

const WS: &[u8] = b" \t\n\r\x0c";

/// nats-server's IsValidSubject, restated over a string split.
fn naive_valid_subject(s: &[u8]) -> bool {
    let tokens: Vec<&[u8]> = s.split(|&b| b == b'.').collect();
    !s.is_empty()
        && tokens
            .iter()
            .all(|t| !t.is_empty() && !t.iter().any(|b| WS.contains(b)))
        && tokens.iter().rev().skip(1).all(|t| *t != b">")
}

fn naive_valid_index_subject(s: &[u8]) -> bool {
    let tokens: Vec<&[u8]> = s.split(|&b| b == b'.').collect();
    tokens.iter().all(|t| !t.is_empty()) && tokens.iter().rev().skip(1).all(|t| *t != b">")
}

fn naive_valid_publish_subject(s: &[u8]) -> bool {
    s.split(|&b| b == b'.')
        .all(|t| !t.is_empty() && t != b"*" && t != b">")
}
