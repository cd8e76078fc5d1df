//! Resource usage of this process, read from `/proc` as nats-server's `pse` package does
//! on Linux. Elsewhere the values are 0.

use std::time::{Duration, Instant};

/// Clock ticks per second of `/proc/self/stat` times (nats-server assumes 100 too).
const TICKS_PER_SEC: f64 = 100.0;

/// How long a CPU sample stays current; nats-server samples once a second.
const SAMPLE_PERIOD: Duration = Duration::from_secs(1);

/// Resident set size in bytes (`VmRSS` of `/proc/self/status`), 0 when unknown.
pub fn rss_bytes() -> i64 {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return 0;
    };
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kb| kb.parse::<i64>().ok())
        .map_or(0, |kb| kb.saturating_mul(1024))
}

/// CPU time used so far (user + system) and the process start, in clock ticks.
fn cpu_ticks() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name is parenthesised and may hold spaces; fields after it are plain.
    let (_, after) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = after.split_whitespace().collect();
    // After the name: state is field 3, utime 14, stime 15, starttime 22 (1-based).
    let field = |n: usize| fields.get(n - 3).and_then(|f| f.parse::<u64>().ok());
    Some((field(14)? + field(15)?, field(22)?))
}

/// Seconds since boot.
fn system_uptime() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/uptime").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// CPU percentage over the last sampling period (percent of one core, one decimal).
#[derive(Debug, Default)]
pub struct CpuSampler {
    last: Option<(Instant, u64)>,
    pcpu: f64,
}

impl CpuSampler {
    /// The current figure, sampling again when the last sample is a period old. The first
    /// call averages over the life of the process.
    pub fn sample(&mut self) -> f64 {
        let now = Instant::now();
        if let Some((at, _)) = self.last {
            if now.duration_since(at) < SAMPLE_PERIOD {
                return self.pcpu;
            }
        }
        let Some((ticks, start)) = cpu_ticks() else {
            return 0.0;
        };
        let (used, elapsed) = match self.last {
            Some((at, prev)) => (
                ticks.saturating_sub(prev) as f64 / TICKS_PER_SEC,
                now.duration_since(at).as_secs_f64(),
            ),
            None => {
                let alive = system_uptime().map_or(0.0, |up| up - start as f64 / TICKS_PER_SEC);
                (ticks as f64 / TICKS_PER_SEC, alive)
            }
        };
        if elapsed > 0.0 {
            self.pcpu = (used / elapsed * 1000.0).trunc() / 10.0;
        }
        self.last = Some((now, ticks));
        self.pcpu
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_os = "linux")]
    fn reads_proc() {
        assert!(rss_bytes() > 0);
        let (ticks, start) = cpu_ticks().unwrap();
        assert!(start > 0 || ticks < u64::MAX);
        // Burn some CPU so the lifetime average is measurable but sane.
        let mut x = 0u64;
        for i in 0..5_000_000u64 {
            x = x.wrapping_mul(31).wrapping_add(i);
        }
        std::hint::black_box(x);
        let pcpu = CpuSampler::default().sample();
        assert!((0.0..=100.0 * 1024.0).contains(&pcpu), "{pcpu}");
    }
}
