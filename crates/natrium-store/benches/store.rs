//! Store benchmarks: `cargo bench -p natrium-store --bench store`.
//!
//! `append_flush` measures group commit: 100 messages of 128 bytes, then one flush,
//! under each sync policy. `open` measures recovery of 50,000 messages with and
//! without the index checkpoint.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use natrium_store::{FileStore, MemStore, NewMsg, Store, StoreLimits, StoredMsg, SyncPolicy};

const BATCH: u64 = 100;
const PAYLOAD: [u8; 128] = [0x5a; 128];

fn append_batch(s: &mut dyn Store, ts: &mut i64) {
    let mut removed = Vec::new();
    for i in 0..BATCH {
        *ts += 1;
        let subject = format!("orders.{}", i % 16);
        s.append(
            NewMsg {
                subject: &subject,
                headers: &[],
                payload: &PAYLOAD,
                ts: *ts,
                ttl: 0,
            },
            &mut removed,
        )
        .expect("append");
    }
    s.flush().expect("flush");
}

fn limits() -> StoreLimits {
    // Bounded so that long runs do not fill the disk: old segments get deleted.
    StoreLimits {
        max_msgs: 200_000,
        ..StoreLimits::default()
    }
}

fn append_flush(c: &mut Criterion) {
    let mut g = c.benchmark_group("append_flush");
    g.throughput(Throughput::Elements(BATCH));
    g.bench_function("mem", |b| {
        let mut s = MemStore::new(&limits());
        let mut ts = 0;
        b.iter(|| append_batch(&mut s, &mut ts));
    });
    for (name, sync) in [
        ("file_always", SyncPolicy::Always),
        (
            "file_interval_1s",
            SyncPolicy::Interval(Duration::from_secs(1)),
        ),
    ] {
        g.bench_function(BenchmarkId::new("file", name), |b| {
            let dir = tempfile::tempdir().expect("tempdir");
            let mut s = FileStore::open(dir.path(), &limits(), sync).expect("open");
            let mut ts = 0;
            b.iter(|| append_batch(&mut s, &mut ts));
        });
    }
    g.finish();
}

fn filled(dir: &Path, n: u64) {
    let mut s = FileStore::open(
        dir,
        &StoreLimits::default(),
        SyncPolicy::Interval(Duration::from_secs(60)),
    )
    .expect("open");
    let mut ts = 0;
    for _ in 0..n / BATCH {
        append_batch(&mut s, &mut ts);
    }
    s.close().expect("close");
}

fn open_and_load(c: &mut Criterion) {
    let n = 50_000;
    let dir = tempfile::tempdir().expect("tempdir");
    filled(dir.path(), n);
    let mut g = c.benchmark_group("open");
    g.throughput(Throughput::Elements(n));
    g.sample_size(10);
    let opts = SyncPolicy::Interval(Duration::from_secs(60));
    g.bench_function("checkpoint", |b| {
        b.iter_with_large_drop(|| {
            let s = FileStore::open(dir.path(), &StoreLimits::default(), opts).expect("open");
            black_box(s.state());
            s
        });
    });
    g.bench_function("full_scan", |b| {
        // The store is dropped (writing a checkpoint) outside the timing; the next
        // iteration deletes that checkpoint first.
        b.iter_with_large_drop(|| {
            let _ = std::fs::remove_file(dir.path().join("index.ckpt"));
            let s = FileStore::open(dir.path(), &StoreLimits::default(), opts).expect("open");
            black_box(s.state());
            s
        });
    });
    g.finish();

    let s = FileStore::open(dir.path(), &StoreLimits::default(), opts).expect("open");
    let mut g = c.benchmark_group("load");
    g.throughput(Throughput::Elements(1));
    g.bench_function("file_by_seq", |b| {
        let mut out = StoredMsg::default();
        let mut seq = 0;
        b.iter(|| {
            seq = seq % n + 1;
            black_box(s.load(seq, &mut out).expect("load"));
        });
    });
    g.finish();
}

criterion_group!(benches, append_flush, open_and_load);
criterion_main!(benches);
