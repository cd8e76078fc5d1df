//! SubList benchmarks: `cargo bench -p natrium-subject --bench match`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use natrium_subject::SubList;

/// 10,000 subscriptions: mostly literal `svc.<a>.<b>.req`, some `*` and `>` ones, a
/// few queue groups.
fn populated() -> SubList<u32> {
    let sl = SubList::new();
    for i in 0..10_000u32 {
        let subject = format!("svc.{}.{}.req", i % 100, i / 100);
        let queue = (i % 10 == 0).then_some(&b"workers"[..]);
        sl.insert(subject.as_bytes(), queue, i).unwrap();
    }
    for i in 0..100u32 {
        sl.insert(format!("svc.{i}.*.req").as_bytes(), None, 20_000 + i)
            .unwrap();
        sl.insert(format!("svc.{i}.>").as_bytes(), None, 30_000 + i)
            .unwrap();
    }
    sl.insert(b"svc.*.*.*", None, 40_000).unwrap();
    sl.insert(b">", None, 40_001).unwrap();
    sl
}

/// Distinct subjects, more than the cache holds, so that cycling through them misses.
fn many_subjects(n: usize) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| format!("svc.{}.{}.req", i % 100, (i / 100) % 100).into_bytes())
        .collect()
}

fn matching(c: &mut Criterion) {
    let sl = populated();
    let mut group = c.benchmark_group("match");
    group.throughput(Throughput::Elements(1));

    let hot = b"svc.42.17.req";
    sl.matches(hot);
    group.bench_function("cache_hit", |b| b.iter(|| sl.matches(black_box(hot))));

    let subjects = many_subjects(10_000);
    let mut i = 0;
    group.bench_function("cache_miss_10k_subs", |b| {
        b.iter(|| {
            i = (i + 1) % subjects.len();
            sl.matches(black_box(&subjects[i]))
        })
    });

    // One subscription shape at a time: 4096 literal subscriptions, one `*`, one `>`.
    // Misses cycle through 4096 subjects, more than the cache holds.
    for (name, pattern, subject) in [
        ("literal", "", "foo.bar.baz"),
        ("partial_wildcard", "foo.*.baz", "foo.bar.baz"),
        ("full_wildcard", "foo.>", "foo.bar.baz"),
    ] {
        let small = SubList::new();
        let subjects: Vec<Vec<u8>> = (0..4096)
            .map(|i| subject.replace("bar", &format!("bar{i}")).into_bytes())
            .collect();
        if name == "literal" {
            for (i, s) in subjects.iter().enumerate() {
                small.insert(s, None, i as u32).unwrap();
            }
        } else {
            small.insert(pattern.as_bytes(), None, 1u32).unwrap();
        }
        let probe = &subjects;
        let mut i = 0;
        group.bench_with_input(BenchmarkId::new("miss", name), &probe, |b, probe| {
            b.iter(|| {
                i = (i + 1) % probe.len();
                small.matches(black_box(&probe[i]))
            })
        });
        let hot = &subjects[7];
        small.matches(hot);
        group.bench_with_input(BenchmarkId::new("hit", name), hot, |b, hot| {
            b.iter(|| small.matches(black_box(hot)))
        });
    }
    group.finish();
}

fn mutating(c: &mut Criterion) {
    let sl = populated();
    // A warm cache makes insert/remove pay for keeping it exact.
    for s in many_subjects(1000) {
        sl.matches(&s);
    }
    let mut group = c.benchmark_group("insert_remove");
    group.throughput(Throughput::Elements(1));
    group.bench_function("literal_10k_subs_warm_cache", |b| {
        b.iter(|| {
            sl.insert(black_box(b"svc.42.17.req"), None, 99_999)
                .unwrap();
            sl.remove(black_box(b"svc.42.17.req"), None, &99_999)
        })
    });
    group.bench_function("wildcard_10k_subs_warm_cache", |b| {
        b.iter(|| {
            sl.insert(black_box(b"svc.42.*.req"), None, 99_999).unwrap();
            sl.remove(black_box(b"svc.42.*.req"), None, &99_999)
        })
    });
    group.bench_function("new_subject_10k_subs", |b| {
        b.iter(|| {
            sl.insert(black_box(b"fresh.subject.here"), None, 99_999)
                .unwrap();
            sl.remove(black_box(b"fresh.subject.here"), None, &99_999)
        })
    });
    group.finish();
}

criterion_group!(benches, matching, mutating);
criterion_main!(benches);
