//! Benchmark results: one sample per client (message count, bytes, start and end, and a
//! latency histogram where operations are timed), grouped per role, reported as text
//! for people and as CSV with the `nats bench` columns.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

/// Latencies are recorded in nanoseconds, from 1 ns to one minute, 3 significant digits.
const MAX_LATENCY_NS: u64 = 60_000_000_000;

/// A fresh latency histogram.
pub fn histogram() -> Result<Histogram<u64>, crate::Error> {
    Histogram::new_with_bounds(1, MAX_LATENCY_NS, 3)
        .map_err(|e| crate::Error::Usage(format!("latency histogram: {e}")))
}

/// Records one operation's duration; longer than the histogram's range counts as its max.
pub fn record(h: &mut Histogram<u64>, d: Duration) {
    let ns = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX).max(1);
    h.saturating_record(ns);
}

/// What one client did.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Messages (or operations) the client's job had.
    pub msgs: u64,
    /// Payload bytes moved: `msgs * size`.
    pub bytes: u64,
    /// When the client started its job (for a subscriber: the first message).
    pub start: Instant,
    /// When the job was done.
    pub end: Instant,
    /// Per-operation latencies, when operations are timed.
    pub latency: Option<Histogram<u64>>,
}

impl Sample {
    /// How long the job took (at least 1 ns, so rates stay finite).
    pub fn duration(&self) -> Duration {
        self.end
            .saturating_duration_since(self.start)
            .max(Duration::from_nanos(1))
    }

    /// Messages per second.
    pub fn rate(&self) -> f64 {
        self.msgs as f64 / self.duration().as_secs_f64()
    }

    /// Payload bytes per second.
    pub fn throughput(&self) -> f64 {
        self.bytes as f64 / self.duration().as_secs_f64()
    }
}

/// The samples of one role (publishers, subscribers, requesters, ...).
#[derive(Debug, Clone)]
pub struct Group {
    /// What the clients were, e.g. "Core NATS publisher".
    pub label: &'static str,
    /// `P` for clients that send, `S` for clients that receive (the CSV client ids).
    pub prefix: char,
    /// One sample per client, in client order.
    pub samples: Vec<Sample>,
}

impl Group {
    /// An empty group.
    pub fn new(label: &'static str, prefix: char) -> Self {
        Self {
            label,
            prefix,
            samples: Vec::new(),
        }
    }

    /// The group as one sample: all messages over the span from the earliest start to
    /// the latest end, all latencies merged.
    pub fn aggregate(&self) -> Option<Sample> {
        let first = self.samples.first()?;
        let mut total = Sample {
            msgs: 0,
            bytes: 0,
            start: first.start,
            end: first.end,
            latency: None,
        };
        for s in &self.samples {
            total.msgs += s.msgs;
            total.bytes += s.bytes;
            total.start = total.start.min(s.start);
            total.end = total.end.max(s.end);
            match (&mut total.latency, &s.latency) {
                // Same bounds on both sides, so adding cannot fail; a failure would only
                // drop those latencies from the aggregate.
                (Some(merged), Some(h)) => {
                    let _ = merged.add(h);
                }
                (None, Some(h)) => total.latency = Some(h.clone()),
                (_, None) => {}
            }
        }
        Some(total)
    }

    /// The report for people: one line per client, then the aggregate.
    pub fn report(&self, out: &mut String) {
        let Some(total) = self.aggregate() else {
            return;
        };
        let n = self.samples.len();
        let plural = if n == 1 { "" } else { "s" };
        let _ = writeln!(out, "{} stats ({n} client{plural}):", self.label);
        if n > 1 {
            for (i, s) in self.samples.iter().enumerate() {
                let _ = writeln!(out, " [{}] {}", i + 1, summary(s));
            }
        }
        let _ = writeln!(out, " aggregate: {}", summary(&total));
        if n > 1 {
            let rates: Vec<f64> = self.samples.iter().map(Sample::rate).collect();
            let (min, max) = rates
                .iter()
                .fold((f64::MAX, 0f64), |(lo, hi), r| (lo.min(*r), hi.max(*r)));
            let avg = rates.iter().sum::<f64>() / n as f64;
            let var = rates.iter().map(|r| (r - avg).powi(2)).sum::<f64>() / n as f64;
            let _ = writeln!(
                out,
                " message rates: min {} | avg {} | max {} | stddev {} msgs/sec",
                commas(min),
                commas(avg),
                commas(max),
                commas(var.sqrt())
            );
        }
        if let Some(h) = &total.latency {
            let _ = writeln!(out, " latency: {}", latencies(h));
        }
    }

    /// CSV rows, one per client.
    pub fn csv_rows(&self, run_id: &str, out: &mut String) {
        for (i, s) in self.samples.iter().enumerate() {
            let _ = write!(
                out,
                "{run_id},{}{i},{},{},{:.0},{:.6},{:.6}",
                self.prefix,
                s.msgs,
                s.bytes,
                s.rate().floor(),
                s.throughput(),
                s.duration().as_secs_f64()
            );
            if let Some(h) = &s.latency {
                let us = |ns: u64| ns as f64 / 1000.0;
                let _ = write!(
                    out,
                    ",{:.3},{:.3},{:.3},{:.3},{:.3},{:.3},{:.3},{:.3}",
                    us(h.min()),
                    h.mean() / 1000.0,
                    us(h.max()),
                    us(h.value_at_quantile(0.5)),
                    us(h.value_at_quantile(0.9)),
                    us(h.value_at_quantile(0.99)),
                    us(h.value_at_quantile(0.999)),
                    h.stdev() / 1000.0
                );
            }
            out.push('\n');
        }
    }
}

/// The CSV header, with the latency columns when any group timed its operations.
pub fn csv_header(with_latency: bool) -> &'static str {
    if with_latency {
        "#RunID,ClientID,MsgCount,MsgBytes,MsgsPerSec,BytesPerSec,DurationSecs,MinLatencyMicroSecs,AvgLatencyMicroSecs,MaxLatencyMicroSecs,P50LatencyMicroSecs,P90LatencyMicroSecs,P99LatencyMicroSecs,P99.9LatencyMicroSecs,StdDevLatencyMicroSecs\n"
    } else {
        "#RunID,ClientID,MsgCount,MsgBytes,MsgsPerSec,BytesPerSec,DurationSecs\n"
    }
}

/// "2,000 msgs in 0.012s ~ 166,667 msgs/sec ~ 21.33 MB/sec" (decimal megabytes of
/// payload, as the shared benchmark harness reports them).
fn summary(s: &Sample) -> String {
    format!(
        "{} msgs in {:.3}s ~ {} msgs/sec ~ {:.2} MB/sec",
        commas(s.msgs as f64),
        s.duration().as_secs_f64(),
        commas(s.rate()),
        s.throughput() / 1e6
    )
}

/// "min 10.2us | p50 .. | p90 .. | p99 .. | p99.9 .. | max ..".
fn latencies(h: &Histogram<u64>) -> String {
    let us = |ns: u64| format!("{:.1}us", ns as f64 / 1000.0);
    format!(
        "min {} | avg {:.1}us | p50 {} | p90 {} | p99 {} | p99.9 {} | max {} ({} samples)",
        us(h.min()),
        h.mean() / 1000.0,
        us(h.value_at_quantile(0.5)),
        us(h.value_at_quantile(0.9)),
        us(h.value_at_quantile(0.99)),
        us(h.value_at_quantile(0.999)),
        us(h.max()),
        commas(h.len() as f64)
    )
}

/// A whole number with thousands separators: 1234567.8 → "1,234,568".
pub fn commas(v: f64) -> String {
    let n = if v.is_finite() {
        v.round().max(0.0) as u64
    } else {
        0
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Splits `total` messages over `clients` as evenly as possible, the first clients taking
/// the remainder (as `nats bench`).
pub fn split(total: u64, clients: usize) -> Vec<u64> {
    let n = clients.max(1) as u64;
    (0..n)
        .map(|i| total / n + u64::from(i < total % n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commas_group_thousands() {
        assert_eq!(commas(0.0), "0");
        assert_eq!(commas(999.0), "999");
        assert_eq!(commas(1000.0), "1,000");
        assert_eq!(commas(1_234_567.6), "1,234,568");
    }

    #[test]
    fn split_spreads_the_remainder_over_the_first_clients() {
        assert_eq!(split(10, 3), vec![4, 3, 3]);
        assert_eq!(split(2000, 1), vec![2000]);
        assert_eq!(split(2, 4), vec![1, 1, 0, 0]);
    }

    #[test]
    fn aggregate_sums_counts_and_merges_latencies() {
        let t0 = Instant::now();
        let mut h1 = histogram().unwrap();
        record(&mut h1, Duration::from_micros(10));
        let mut h2 = histogram().unwrap();
        record(&mut h2, Duration::from_micros(30));
        let mut g = Group::new("x", 'P');
        for (h, end) in [(h1, 1), (h2, 2)] {
            g.samples.push(Sample {
                msgs: 5,
                bytes: 50,
                start: t0,
                end: t0 + Duration::from_secs(end),
                latency: Some(h),
            });
        }
        let total = g.aggregate().unwrap();
        assert_eq!((total.msgs, total.bytes), (10, 100));
        assert_eq!(total.duration(), Duration::from_secs(2));
        let h = total.latency.unwrap();
        assert_eq!(h.len(), 2);
        assert!(
            h.max() >= 30_000 && h.min() <= 10_010,
            "{} {}",
            h.min(),
            h.max()
        );
        let mut csv = String::new();
        g.csv_rows("RID", &mut csv);
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(rows.len(), 2);
        assert!(
            rows[0].starts_with("RID,P0,5,50,5,50.000000,1.000000,"),
            "{}",
            rows[0]
        );
        assert_eq!(rows[1].split(',').count(), 15);
    }
}
