//! The file store against the conformance suite and the naive model (with reopens),
//! and its recovery from torn, damaged and foreign files.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::model::{check_against_model, initial_limits, op_strategy};
use common::{msg, seqs, Harness};
use natrium_store::{
    file_msg_size, ConsumerState, ConsumerStore, FileConsumerStore, FileStore, FileStoreOptions,
    NewMsg, PendingAck, SequencePair, Store, StoreError, StoreLimits, StoredMsg, SyncPolicy,
};
use proptest::prelude::*;

fn small(sync: SyncPolicy) -> FileStoreOptions {
    FileStoreOptions {
        sync,
        segment_size: 512,
    }
}

fn harness() -> Harness {
    let root = tempfile::tempdir().unwrap();
    let mut n = 0;
    Harness {
        make: Box::new(move |l| {
            n += 1;
            let dir = root.path().join(format!("s{n}"));
            Box::new(FileStore::open_with(&dir, l, small(SyncPolicy::Always)).unwrap())
                as Box<dyn Store>
        }),
        size: file_msg_size,
    }
}

conformance_suite!(harness());

fn open(dir: &Path) -> FileStore {
    FileStore::open_with(dir, &StoreLimits::default(), small(SyncPolicy::Always)).unwrap()
}

/// Leaves the store as a crash would: flushed, but without the checkpoint a clean
/// close writes.
fn crash(mut s: FileStore) {
    s.flush().unwrap();
    std::mem::forget(s);
}

fn segments(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "blk"))
        .collect();
    v.sort();
    v
}

fn payload(i: u64) -> Vec<u8> {
    format!("payload-{i:04}").into_bytes()
}

fn fill(dir: &Path, n: u64) -> FileStore {
    let mut s = open(dir);
    let mut removed = Vec::new();
    for i in 1..=n {
        let subject = format!("s.{}", i % 3);
        s.append(msg(&subject, &payload(i), i as i64), &mut removed)
            .unwrap();
    }
    s.flush().unwrap();
    s
}

fn assert_loads(s: &FileStore, seqs_expected: &[u64]) {
    assert_eq!(seqs(s, ""), seqs_expected);
    let mut out = StoredMsg::default();
    for seq in seqs_expected {
        assert!(s.load(*seq, &mut out).unwrap());
        assert_eq!(&out.payload[..], &payload(*seq)[..]);
        assert_eq!(out.subject, format!("s.{}", seq % 3));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    #[test]
    fn matches_model(limits in initial_limits(), ops in prop::collection::vec(op_strategy(), 1..60)) {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("s");
        let opts = FileStoreOptions { sync: SyncPolicy::Interval(Duration::from_secs(60)), segment_size: 300 };
        let mut store: Box<dyn Store> = Box::new(FileStore::open_with(&dir, &limits, opts).unwrap());
        let reopen_dir = dir.clone();
        check_against_model(&mut store, &limits, file_msg_size, &ops, &mut move |old, l, crash| {
            if crash {
                std::mem::forget(old);
            } else {
                drop(old);
            }
            let s = FileStore::open_with(&reopen_dir, l, opts).unwrap();
            assert!(s.recovery_report().is_empty(), "{:?}", s.recovery_report());
            Box::new(s)
        });
    }
}

#[test]
fn sequences_given_to_append_at_survive_a_reopen() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("s");
    let mut s = open(&dir);
    let mut removed = Vec::new();
    s.append_at(100, msg("a", b"x", 1), &mut removed).unwrap();
    s.append_at(105, msg("b", b"y", 2), &mut removed).unwrap();
    s.flush().unwrap();
    let state = s.state();
    crash(s);
    let s = open(&dir);
    assert_eq!(s.state(), state);
    assert_eq!(s.deleted(), vec![101, 102, 103, 104]);
    assert_eq!(seqs(&s, ""), vec![100, 105]);
}

#[test]
fn reopen_keeps_everything() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("s");
    let mut s = fill(&dir, 100);
    s.remove(7, false).unwrap();
    s.remove(50, true).unwrap();
    s.compact(3).unwrap();
    let state = s.state();
    drop(s);
    assert!(segments(&dir).len() > 1, "small segments roll");
    let s = open(&dir);
    assert!(s.recovery_report().is_empty());
    assert_eq!(s.state(), state);
    let want: Vec<u64> = (3..=100).filter(|q| *q != 7 && *q != 50).collect();
    assert_loads(&s, &want);

    // Without the checkpoint, the full scan agrees.
    drop(s);
    fs::remove_file(dir.join("index.ckpt")).unwrap();
    let s = open(&dir);
    assert!(s.recovery_report().is_empty());
    assert_eq!(s.state(), state);
    assert_loads(&s, &want);
}

#[test]
fn checkpoint_then_tail() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("s");
    let mut s = fill(&dir, 40);
    s.checkpoint().unwrap();
    let mut removed = Vec::new();
    for i in 41..=60 {
        s.append(
            msg(&format!("s.{}", i % 3), &payload(i), i as i64),
            &mut removed,
        )
        .unwrap();
    }
    s.remove(10, false).unwrap();
    s.remove(45, false).unwrap();
    let state = s.state();
    crash(s);
    let s = open(&dir);
    assert!(s.recovery_report().is_empty());
    assert_eq!(s.state(), state);
    let want: Vec<u64> = (1..=60).filter(|q| *q != 10 && *q != 45).collect();
    assert_loads(&s, &want);
}

#[test]
fn stale_checkpoint_falls_back_to_full_scan() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("s");
    let mut s = fill(&dir, 40);
    s.checkpoint().unwrap();
    // Purging removes the segments the checkpoint lists.
    s.purge(&Default::default()).unwrap();
    let mut removed = Vec::new();
    s.append(msg("s.2", &payload(41), 41), &mut removed)
        .unwrap();
    let state = s.state();
    crash(s);
    let s = open(&dir);
    assert_eq!(s.state(), state);
    assert_loads(&s, &[41]);
}

#[test]
fn torn_tail_at_every_offset() {
    let root = tempfile::tempdir().unwrap();
    let src = root.path().join("src");
    let s = fill(&src, 5);
    crash(s);
    let seg = segments(&src).pop().unwrap();
    let full = fs::read(&seg).unwrap();
    // The last record is the message 5: find where it starts.
    let last_len = 44 + "s.2".len() + payload(5).len();
    let start = full.len() - last_len;
    for cut in start..full.len() {
        let dir = root.path().join(format!("cut{cut}"));
        fs::create_dir_all(&dir).unwrap();
        for p in segments(&src) {
            fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
        }
        let f = fs::OpenOptions::new()
            .write(true)
            .open(dir.join(seg.file_name().unwrap()))
            .unwrap();
        f.set_len(cut as u64).unwrap();
        drop(f);
        let mut s = open(&dir);
        assert_loads(&s, &[1, 2, 3, 4]);
        if cut > start {
            assert_eq!(s.recovery_report().len(), 1, "cut {cut}");
        }
        assert_eq!(
            fs::metadata(dir.join(seg.file_name().unwrap()))
                .unwrap()
                .len(),
            start as u64
        );
        // Appending after recovery continues from the kept records.
        let mut removed = Vec::new();
        assert_eq!(
            s.append(msg("s.2", &payload(5), 5), &mut removed).unwrap(),
            5
        );
        drop(s);
        assert_loads(&open(&dir), &[1, 2, 3, 4, 5]);
    }
}

#[test]
fn damaged_middle_record_loses_only_itself() {
    let root = tempfile::tempdir().unwrap();
    let src = root.path().join("src");
    let s = fill(&src, 3);
    crash(s);
    let seg = segments(&src).pop().unwrap();
    let full = fs::read(&seg).unwrap();
    let rec1 = 44 + 3 + payload(1).len();
    let rec2 = 44 + 3 + payload(2).len();
    let start = 40 + rec1;
    for at in start..start + rec2 {
        let dir = root.path().join(format!("flip{at}"));
        fs::create_dir_all(&dir).unwrap();
        let mut bytes = full.clone();
        bytes[at] ^= 0x55;
        fs::write(dir.join(seg.file_name().unwrap()), &bytes).unwrap();
        let s = open(&dir);
        assert_loads(&s, &[1, 3]);
        let report = s.recovery_report();
        assert_eq!(report.len(), 1, "flip at {at}: {report:?}");
        match &report[0] {
            StoreError::Corrupt { path, offset, .. } => {
                assert_eq!(path.file_name(), seg.file_name());
                assert_eq!(*offset, start as u64);
            }
            other => panic!("{other}"),
        }
    }
}

#[test]
fn garbage_segment_is_reported_and_skipped() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("s");
    let s = fill(&dir, 60);
    drop(s);
    let segs = segments(&dir);
    assert!(segs.len() >= 3);
    let victim = &segs[1];
    fs::write(
        victim,
        b"this is not a segment at all, not even close to one",
    )
    .unwrap();
    fs::remove_file(dir.join("index.ckpt")).unwrap();
    let s = open(&dir);
    let report = s.recovery_report();
    assert!(
        report
            .iter()
            .any(|e| matches!(e, StoreError::Corrupt { path, .. } if path == victim)),
        "{report:?}"
    );
    let state = s.state();
    assert!(state.msgs > 0 && state.msgs < 60);
    assert_eq!(state.last_seq, 60);
    let mut out = StoredMsg::default();
    assert!(s.load(1, &mut out).unwrap());
    assert!(s.load(60, &mut out).unwrap());
}

#[test]
fn emptied_segments_are_removed() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("s");
    let mut s = fill(&dir, 60);
    let before = segments(&dir).len();
    assert!(before >= 3);
    for seq in 1..=30 {
        s.remove(seq, false).unwrap();
    }
    s.flush().unwrap();
    let after = segments(&dir).len();
    assert!(after < before, "{after} < {before}");
    s.purge(&Default::default()).unwrap();
    s.flush().unwrap();
    assert_eq!(segments(&dir).len(), 1);
    let state = s.state();
    assert_eq!((state.msgs, state.first_seq, state.last_seq), (0, 61, 60));
    crash(s);
    let s = open(&dir);
    let state = s.state();
    assert_eq!((state.msgs, state.first_seq, state.last_seq), (0, 61, 60));
}

#[test]
fn erase_overwrites_bytes() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("s");
    let mut s = open(&dir);
    let mut removed = Vec::new();
    s.append(msg("a", b"SECRET-ONE", 1), &mut removed).unwrap();
    s.flush().unwrap();
    s.append(msg("a", b"SECRET-TWO", 2), &mut removed).unwrap();
    s.append(msg("a", b"kept", 3), &mut removed).unwrap();
    s.remove(1, true).unwrap();
    s.remove(2, true).unwrap();
    s.flush().unwrap();
    let all: Vec<u8> = segments(&dir)
        .iter()
        .flat_map(|p| fs::read(p).unwrap())
        .collect();
    let has = |needle: &[u8]| all.windows(needle.len()).any(|w| w == needle);
    assert!(!has(b"SECRET"));
    assert!(has(b"kept"));
    crash(s);
    let s = open(&dir);
    assert!(s.recovery_report().is_empty());
    assert_eq!(seqs(&s, ""), vec![3]);
}

#[test]
fn limits_and_ttl_survive_reopen() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("s");
    let limits = StoreLimits {
        max_age: Duration::from_nanos(100),
        ..StoreLimits::default()
    };
    let mut s = FileStore::open(&dir, &limits, SyncPolicy::Always).unwrap();
    let mut removed = Vec::new();
    s.append(
        NewMsg {
            subject: "t",
            headers: b"NATS/1.0\r\n\r\n",
            payload: b"x",
            ts: 0,
            ttl: 10,
        },
        &mut removed,
    )
    .unwrap();
    drop(s);
    let s = FileStore::open(&dir, &limits, SyncPolicy::Always).unwrap();
    assert_eq!(s.next_expiry(), Some(10));
    let mut out = StoredMsg::default();
    assert!(s.load(1, &mut out).unwrap());
    assert_eq!(&out.headers[..], b"NATS/1.0\r\n\r\n");
    drop(s);
    let tighter = StoreLimits {
        max_msgs: 1,
        ..limits.clone()
    };
    let mut s = FileStore::open(&dir, &tighter, SyncPolicy::Always).unwrap();
    s.append(msg("u", b"y", 5), &mut removed).unwrap();
    assert_eq!(s.state().msgs, 1);
    drop(s);
    let s = FileStore::open(&dir, &tighter, SyncPolicy::Always).unwrap();
    assert_eq!(seqs(&s, ""), vec![2]);
}

#[test]
fn consumer_state_file() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("c");
    let mut c = FileConsumerStore::open(&dir, SyncPolicy::Always).unwrap();
    assert_eq!(c.load().unwrap(), None);
    let mut st = ConsumerState {
        delivered: SequencePair {
            consumer_seq: 5,
            stream_seq: 12,
        },
        ack_floor: SequencePair {
            consumer_seq: 2,
            stream_seq: 8,
        },
        ..ConsumerState::default()
    };
    st.pending.insert(
        10,
        PendingAck {
            consumer_seq: 4,
            ts: -7,
        },
    );
    st.redelivered.insert(10, 3);
    c.save(&st).unwrap();
    drop(c);
    let c = FileConsumerStore::open(&dir, SyncPolicy::Always).unwrap();
    assert_eq!(c.load().unwrap(), Some(st.clone()));
    let path = dir.join("state.dat");
    let mut bytes = fs::read(&path).unwrap();
    bytes[20] ^= 1;
    fs::write(&path, &bytes).unwrap();
    assert!(matches!(c.load(), Err(StoreError::Corrupt { path: p, .. }) if p == path));
    let mut c = c;
    c.destroy().unwrap();
    assert!(!dir.exists());
}

#[test]
fn random_tail_is_cut_quickly() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("s");
    let s = fill(&dir, 3);
    crash(s);
    let seg = segments(&dir).pop().unwrap();
    let good = fs::metadata(&seg).unwrap().len();
    let mut bytes = fs::read(&seg).unwrap();
    // A deterministic pseudo-random megabyte, as a disk might return after a crash.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    bytes.extend((0..1 << 20).map(|_| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x as u8
    }));
    fs::write(&seg, &bytes).unwrap();
    let started = std::time::Instant::now();
    let s = open(&dir);
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_loads(&s, &[1, 2, 3]);
    assert_eq!(s.recovery_report().len(), 1);
    assert_eq!(fs::metadata(&seg).unwrap().len(), good);
}

#[test]
fn damaged_checkpoint_is_reported_and_ignored() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("s");
    let mut s = fill(&dir, 30);
    s.remove(4, false).unwrap();
    drop(s);
    let ckpt = dir.join("index.ckpt");
    let mut bytes = fs::read(&ckpt).unwrap();
    bytes[30] ^= 0xff;
    fs::write(&ckpt, &bytes).unwrap();
    let s = open(&dir);
    assert!(
        matches!(s.recovery_report(), [StoreError::Corrupt { path, .. }] if *path == ckpt),
        "{:?}",
        s.recovery_report()
    );
    let want: Vec<u64> = (1..=30).filter(|q| *q != 4).collect();
    assert_loads(&s, &want);
}

#[test]
fn tombstone_keeps_its_segment_while_the_message_segment_lives() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("s");
    let mut s = fill(&dir, 20);
    let first_segment = segments(&dir)[0].clone();
    // The tombstone for 1 lands in the newest segment, far from message 1.
    s.remove(1, false).unwrap();
    let mut removed = Vec::new();
    for i in 21..=60 {
        s.append(
            msg(&format!("s.{}", i % 3), &payload(i), i as i64),
            &mut removed,
        )
        .unwrap();
    }
    // Empty everything after the first segment: the segment holding the tombstone
    // has no live message left, but must stay while message 1's segment exists.
    for seq in 8..=60 {
        s.remove(seq, false).unwrap();
    }
    s.flush().unwrap();
    assert!(first_segment.exists());
    let state = s.state();
    crash(s);
    let s = open(&dir);
    assert_eq!(s.state(), state);
    assert_loads(&s, &[2, 3, 4, 5, 6, 7]);
}

#[test]
fn interval_reports_when_a_sync_is_due() {
    let root = tempfile::tempdir().unwrap();
    let every = Duration::from_secs(3600);
    let mut s = FileStore::open(
        &root.path().join("s"),
        &StoreLimits::default(),
        SyncPolicy::Interval(every),
    )
    .unwrap();
    assert_eq!(s.sync_due_in(), None);
    let mut removed = Vec::new();
    s.append(msg("a", b"x", 1), &mut removed).unwrap();
    s.flush().unwrap();
    let due = s.sync_due_in().unwrap();
    assert!(due > Duration::ZERO && due <= every);
    s.checkpoint().unwrap();
    assert_eq!(s.sync_due_in(), None);

    let mut s = FileStore::open(
        &root.path().join("t"),
        &StoreLimits::default(),
        SyncPolicy::Always,
    )
    .unwrap();
    s.append(msg("a", b"x", 1), &mut removed).unwrap();
    s.flush().unwrap();
    assert_eq!(s.sync_due_in(), None);
}
