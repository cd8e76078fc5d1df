//! A fixed workload for `scripts/callgrind.sh`: `N` lookups in a subscription index.
//!
//! Instruction counts under callgrind are repeatable on a busy machine where wall-clock
//! timings are not; the script runs this twice with different `N` and divides the
//! difference, so building the index cancels out.
//!
//! Usage: `callgrind_match <case> <N>`, where case is one of
//! `hit_10k`, `miss_10k` (10,000 subscriptions, literal, `*` and `>` shapes, queue groups),
//! `hit_literal`, `miss_literal`, `hit_pwc`, `miss_pwc`, `hit_fwc`, `miss_fwc`
//! (4,096 literal subscriptions, or one `foo.*.baz`, or one `foo.>`).

use std::hint::black_box;
use std::process::ExitCode;

use natrium_subject::SubList;

/// Distinct subjects cycled through on a miss: more than the shared cache holds.
const MISS_SUBJECTS: usize = 4096;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn ten_thousand() -> Result<SubList<u32>> {
    let sl = SubList::new();
    for i in 0..10_000u32 {
        let subject = format!("svc.{}.{}.req", i % 100, i / 100);
        let queue = (i % 10 == 0).then_some(&b"workers"[..]);
        sl.insert(subject.as_bytes(), queue, i)?;
    }
    for i in 0..100u32 {
        sl.insert(format!("svc.{i}.*.req").as_bytes(), None, 20_000 + i)?;
        sl.insert(format!("svc.{i}.>").as_bytes(), None, 30_000 + i)?;
    }
    sl.insert(b"svc.*.*.*", None, 40_000)?;
    sl.insert(b">", None, 40_001)?;
    Ok(sl)
}

fn one_shape(pattern: Option<&str>) -> Result<(SubList<u32>, Vec<Vec<u8>>)> {
    let sl = SubList::new();
    let subjects: Vec<Vec<u8>> = (0..MISS_SUBJECTS)
        .map(|i| format!("foo.bar{i}.baz").into_bytes())
        .collect();
    match pattern {
        None => {
            for (i, s) in (0u32..).zip(&subjects) {
                sl.insert(s, None, i)?;
            }
        }
        Some(p) => sl.insert(p.as_bytes(), None, 1)?,
    }
    Ok((sl, subjects))
}

fn run(case: &str, n: usize) -> Result<()> {
    let (sl, subjects) = match case.split_once('_').map(|(_, shape)| shape) {
        Some("10k") => (
            ten_thousand()?,
            (0..MISS_SUBJECTS)
                .map(|i| format!("svc.{}.{}.req", i % 100, (i / 100) % 100).into_bytes())
                .collect(),
        ),
        Some("literal") => one_shape(None)?,
        Some("pwc") => one_shape(Some("foo.*.baz"))?,
        Some("fwc") => one_shape(Some("foo.>"))?,
        _ => return Err(format!("unknown case {case}").into()),
    };
    if case.starts_with("hit") {
        let hot = subjects.get(7).ok_or("no subjects")?;
        for _ in 0..n {
            black_box(sl.matches(black_box(hot)));
        }
    } else {
        for s in subjects.iter().cycle().take(n) {
            black_box(sl.matches(black_box(s)));
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(case), Some(Ok(n))) = (args.get(1), args.get(2).map(|n| n.parse::<usize>())) else {
        eprintln!("usage: callgrind_match <case> <iterations>");
        return ExitCode::FAILURE;
    };
    match run(case, n) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
