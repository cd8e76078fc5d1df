//! Message schedules (ADR-51) as nats-server 2.15 reads them: the `Nats-Schedule`
//! pattern (`@at <RFC 3339>`, `@every <duration>`, the `@hourly`-style shorthands and
//! six-field cron expressions with seconds), when a pattern fires next, and the
//! headers a schedule message carries.
//!
//! Everything here is pure: times come in as Unix nanoseconds, so the stream task
//! decides "now" and tests can pick any instant.

/// `Nats-Schedule`: the pattern.
pub const SCHEDULE: &str = "Nats-Schedule";
/// `Nats-Schedule-Time-Zone`: the zone a cron pattern is read in.
pub const TIME_ZONE: &str = "Nats-Schedule-Time-Zone";
/// `Nats-Schedule-TTL`: the `Nats-TTL` each produced message gets.
pub const TTL: &str = "Nats-Schedule-TTL";
/// `Nats-Schedule-Rollup`: the `Nats-Rollup` each produced message gets (`sub` only).
pub const ROLLUP: &str = "Nats-Schedule-Rollup";
/// `Nats-Schedule-Target`: where produced messages are stored.
pub const TARGET: &str = "Nats-Schedule-Target";
/// `Nats-Schedule-Source`: whose last message is copied instead of the schedule's own.
pub const SOURCE: &str = "Nats-Schedule-Source";
/// `Nats-Scheduler`: on a produced message, the subject of its schedule.
pub const SCHEDULER: &str = "Nats-Scheduler";
/// `Nats-Schedule-Next`: on a produced message, when the schedule fires next, or
/// `purge` when it does not repeat (the schedule is then removed).
pub const NEXT: &str = "Nats-Schedule-Next";
/// The `Nats-Schedule-Next` value that removes a schedule.
pub const NEXT_PURGE: &str = "purge";

const NANOS: i64 = 1_000_000_000;

/// When a schedule fires and whether it repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fire {
    /// Unix nanoseconds.
    pub at: i64,
    /// `@every` and cron patterns repeat; `@at` fires once.
    pub repeat: bool,
}

/// A `Nats-Schedule-Time-Zone` Natrium cannot read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownZone;

/// Reads `Nats-Schedule-Time-Zone`: whether one was given. nats-server accepts any
/// IANA zone; without a zone database Natrium accepts only UTC, and refuses an empty
/// or other zone as nats-server refuses an unknown one.
pub fn time_zone(value: Option<&str>) -> Result<bool, UnknownZone> {
    match value {
        None => Ok(false),
        Some("UTC" | "Etc/UTC" | "Zulu" | "Etc/Zulu") => Ok(true),
        Some(_) => Err(UnknownZone),
    }
}

/// When `pattern` fires after the schedule was stored or last fired at `ts`, given
/// that it is now `now`; `None` when the pattern is invalid. `zoned` is whether a
/// time zone header was given, which `@at` and `@every` refuse.
pub fn next_fire(pattern: &str, zoned: bool, ts: i64, now: i64) -> Option<Fire> {
    if let Some(at) = pattern.strip_prefix("@at ") {
        if zoned {
            return None;
        }
        let at = natrium_api::time::parse_rfc3339(at)?;
        return Some(Fire { at, repeat: false });
    }
    if let Some(every) = pattern.strip_prefix("@every ") {
        if zoned {
            return None;
        }
        let every = i64::try_from(natrium_proto::parse_go_duration(every)?.as_nanos()).ok()?;
        if every < NANOS {
            return None;
        }
        // A schedule that missed several turns (a restart) fires once, then keeps time.
        let mut at = round_to_second(ts).checked_add(every)?;
        if at < now {
            at = round_to_second(now).checked_add(every)?;
        }
        return Some(Fire { at, repeat: true });
    }
    let pattern = match pattern {
        "@yearly" | "@annually" => "0 0 0 1 1 *",
        "@monthly" => "0 0 0 1 * *",
        "@weekly" => "0 0 0 * * 0",
        "@daily" | "@midnight" => "0 0 0 * * *",
        "@hourly" => "0 0 * * * *",
        other => other,
    };
    let cron = Cron::parse(pattern)?;
    let mut at = cron.next_after(ts)?;
    if at < now {
        at = cron.next_after(round_to_second(now))?;
    }
    Some(Fire { at, repeat: true })
}

/// Go's `time.Round(time.Second)` for a time after the epoch.
fn round_to_second(ts: i64) -> i64 {
    let rem = ts.rem_euclid(NANOS);
    let floor = ts - rem;
    if rem >= NANOS / 2 {
        floor.saturating_add(NANOS)
    } else {
        floor
    }
}

/// A six-field cron expression (seconds, minutes, hours, day of month, month, day of
/// week), each field a bit set; the top bit marks a field written with `*` or `?`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cron {
    second: u64,
    minute: u64,
    hour: u64,
    dom: u64,
    month: u64,
    dow: u64,
}

const STAR: u64 = 1 << 63;

struct Bounds {
    min: u32,
    max: u32,
    names: &'static [&'static str],
}

const MONTH_NAMES: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAY_NAMES: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

impl Cron {
    fn parse(pattern: &str) -> Option<Cron> {
        let fields: Vec<&str> = pattern.split_whitespace().collect();
        let [s, mi, h, d, mo, w] = fields.as_slice() else {
            return None;
        };
        let b = |min, max, names| Bounds { min, max, names };
        Some(Cron {
            second: field(s, &b(0, 59, &[]))?,
            minute: field(mi, &b(0, 59, &[]))?,
            hour: field(h, &b(0, 23, &[]))?,
            dom: field(d, &b(1, 31, &[]))?,
            month: field(mo, &b(1, 12, MONTH_NAMES))?,
            dow: field(w, &b(0, 6, DAY_NAMES))?,
        })
    }

    fn day_matches(&self, t: &Civil) -> bool {
        let dom = self.dom & (1 << t.day) != 0;
        let dow = self.dow & (1 << t.weekday()) != 0;
        if self.dom & STAR != 0 || self.dow & STAR != 0 {
            dom && dow
        } else {
            dom || dow
        }
    }

    /// The first matching second after `ts` (UTC), searching at most five years ahead.
    fn next_after(&self, ts: i64) -> Option<i64> {
        let mut t = Civil::from_unix(ts.div_euclid(NANOS).checked_add(1)?);
        let limit = t.year + 5;
        let mut truncated = false;
        'wrap: loop {
            if t.year > limit {
                return None;
            }
            while self.month & (1 << t.month) == 0 {
                truncated = true;
                t = t.first_of_next_month();
                if t.month == 1 {
                    continue 'wrap;
                }
            }
            while !self.day_matches(&t) {
                if !truncated {
                    truncated = true;
                    (t.hour, t.minute, t.second) = (0, 0, 0);
                }
                t = Civil::from_unix(t.to_unix() + 86_400);
                if t.day == 1 {
                    continue 'wrap;
                }
            }
            while self.hour & (1 << t.hour) == 0 {
                if !truncated {
                    truncated = true;
                    (t.minute, t.second) = (0, 0);
                }
                t = Civil::from_unix(t.to_unix() + 3600);
                if t.hour == 0 {
                    continue 'wrap;
                }
            }
            while self.minute & (1 << t.minute) == 0 {
                if !truncated {
                    truncated = true;
                    t.second = 0;
                }
                t = Civil::from_unix(t.to_unix() + 60);
                if t.minute == 0 {
                    continue 'wrap;
                }
            }
            while self.second & (1 << t.second) == 0 {
                truncated = true;
                t = Civil::from_unix(t.to_unix() + 1);
                if t.second == 0 {
                    continue 'wrap;
                }
            }
            return t.to_unix().checked_mul(NANOS);
        }
    }
}

/// One cron field: comma-separated `*`, `?`, `n`, `a-b`, each optionally `/step`.
/// A field that selects nothing is refused (it could never fire).
fn field(text: &str, b: &Bounds) -> Option<u64> {
    let mut bits = 0u64;
    for expr in text.split(',').filter(|e| !e.is_empty()) {
        bits |= range(expr, b)?;
    }
    (bits & !STAR != 0).then_some(bits)
}

fn range(expr: &str, b: &Bounds) -> Option<u64> {
    let mut parts = expr.split('/');
    let span = parts.next()?;
    let step = parts.next();
    if parts.next().is_some() {
        return None;
    }
    let ends: Vec<&str> = span.split('-').collect();
    let (mut start, mut end, mut extra) = match ends.as_slice() {
        ["*" | "?"] => (b.min, b.max, STAR),
        [one] => {
            let v = number(one, b)?;
            (v, v, 0)
        }
        [lo, hi] => (number(lo, b)?, number(hi, b)?, 0),
        _ => return None,
    };
    let step = match step {
        None => 1,
        Some(s) => {
            let step: u32 = s.parse().ok()?;
            // `n/step` runs from n to the field's end.
            if ends.len() == 1 {
                end = b.max;
            }
            if step > 1 {
                extra = 0;
            }
            step
        }
    };
    if start < b.min || end > b.max || start > end || step == 0 {
        return None;
    }
    let mut bits = 0u64;
    while start <= end {
        bits |= 1 << start;
        start += step;
    }
    Some(bits | extra)
}

fn number(text: &str, b: &Bounds) -> Option<u32> {
    let lower = text.to_ascii_lowercase();
    if let Some(i) = b.names.iter().position(|n| *n == lower) {
        // Month names count from 1, day names from 0 (Sunday).
        return u32::try_from(i).ok().map(|i| i + b.min);
    }
    text.parse().ok()
}

/// A UTC calendar time to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

impl Civil {
    fn from_unix(secs: i64) -> Civil {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        let small = |v: i64| u32::try_from(v).unwrap_or(0);
        Civil {
            year,
            month: small(month),
            day: small(day),
            hour: small(rem / 3600),
            minute: small(rem / 60 % 60),
            second: small(rem % 60),
        }
    }

    fn days(&self) -> i64 {
        let y = self.year - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    fn to_unix(self) -> i64 {
        self.days() * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }

    /// 0 is Sunday.
    fn weekday(&self) -> u32 {
        // 1970-01-01 was a Thursday.
        u32::try_from((self.days() + 4).rem_euclid(7)).unwrap_or(0)
    }

    fn first_of_next_month(self) -> Civil {
        let (year, month) = if self.month == 12 {
            (self.year + 1, 1)
        } else {
            (self.year, self.month + 1)
        };
        Civil {
            year,
            month,
            day: 1,
            hour: 0,
            minute: 0,
            second: 0,
        }
    }
}

/// Removes the header lines whose name starts with one of `prefixes` or equals one
/// of `names`; `None` when no header line is left.
pub fn strip_headers(block: &[u8], prefixes: &[&str], names: &[&str]) -> Option<Vec<u8>> {
    let mut lines = block.split(|b| *b == b'\n');
    let first = lines.next()?;
    let mut out = first.to_vec();
    out.push(b'\n');
    let mut kept = 0;
    for line in lines {
        let trimmed = line.strip_suffix(b"\r").unwrap_or(line);
        if trimmed.is_empty() {
            continue;
        }
        let key = trimmed
            .iter()
            .position(|b| *b == b':')
            .and_then(|i| trimmed.get(..i))
            .unwrap_or(trimmed);
        let drop = prefixes.iter().any(|p| key.starts_with(p.as_bytes()))
            || names.iter().any(|n| key == n.as_bytes());
        if !drop {
            out.extend_from_slice(trimmed);
            out.extend_from_slice(b"\r\n");
            kept += 1;
        }
    }
    out.extend_from_slice(b"\r\n");
    (kept > 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> i64 {
        natrium_api::time::parse_rfc3339(s).unwrap()
    }

    #[test]
    fn at_fires_once_and_refuses_zones() {
        let t = at("2026-01-02T03:04:05Z");
        let f = next_fire("@at 2026-01-02T03:04:05Z", false, 0, 0).unwrap();
        assert_eq!(
            f,
            Fire {
                at: t,
                repeat: false
            }
        );
        assert!(next_fire("@at 2026-01-02T03:04:05Z", true, 0, 0).is_none());
        assert!(next_fire("@at tomorrow", false, 0, 0).is_none());
    }

    #[test]
    fn every_skips_missed_turns_and_needs_a_second() {
        let ts = at("2026-01-01T00:00:00.4Z");
        let f = next_fire("@every 5s", false, ts, ts).unwrap();
        assert_eq!(f.at, at("2026-01-01T00:00:05Z"));
        assert!(f.repeat);
        let later = at("2026-01-01T01:00:00.7Z");
        let f = next_fire("@every 5s", false, ts, later).unwrap();
        assert_eq!(f.at, at("2026-01-01T01:00:06Z"));
        assert!(next_fire("@every 500ms", false, ts, ts).is_none());
        assert!(next_fire("@every x", false, ts, ts).is_none());
    }

    #[test]
    fn cron_matches_fields() {
        let ts = at("2026-03-10T10:15:30Z"); // a Tuesday
        let next = |p: &str| next_fire(p, false, ts, ts).map(|f| f.at);
        assert_eq!(next("* * * * * *"), Some(at("2026-03-10T10:15:31Z")));
        assert_eq!(next("0 */20 * * * *"), Some(at("2026-03-10T10:20:00Z")));
        assert_eq!(next("@hourly"), Some(at("2026-03-10T11:00:00Z")));
        assert_eq!(next("@daily"), Some(at("2026-03-11T00:00:00Z")));
        assert_eq!(next("@weekly"), Some(at("2026-03-15T00:00:00Z")));
        assert_eq!(next("@monthly"), Some(at("2026-04-01T00:00:00Z")));
        assert_eq!(next("@yearly"), Some(at("2027-01-01T00:00:00Z")));
        assert_eq!(next("0 30 9 * * mon-fri"), Some(at("2026-03-11T09:30:00Z")));
        assert_eq!(next("0 0 12 29 feb *"), Some(at("2028-02-29T12:00:00Z")));
        // Day of month or day of week when neither is a star.
        assert_eq!(next("0 0 0 1 * 3"), Some(at("2026-03-11T00:00:00Z")));
    }

    #[test]
    fn cron_refuses_bad_patterns() {
        for p in [
            "* * * * *",
            "60 * * * * *",
            "* * 24 * * *",
            "* * * 0 * *",
            "* * * * 13 *",
            "* * * * * 7",
            "5-1 * * * * *",
            "*/0 * * * * *",
            "1-2-3 * * * * *",
            "x * * * * *",
            ", * * * * *",
            "0 0 0 31 2 *",
        ] {
            assert!(next_fire(p, false, 0, 0).is_none(), "{p}");
        }
    }

    #[test]
    fn civil_round_trips() {
        for secs in [0, 951_782_400, 1_709_164_800, 4_102_444_800] {
            assert_eq!(Civil::from_unix(secs).to_unix(), secs);
        }
        assert_eq!(Civil::from_unix(0).weekday(), 4);
    }

    #[test]
    fn strips_schedule_headers() {
        let block = b"NATS/1.0\r\nNats-Schedule: @every 1s\r\nA: b\r\nNats-Scheduler: x\r\nNats-Msg-Id: 1\r\n\r\n";
        let out = strip_headers(block, &["Nats-Schedule"], &["Nats-Msg-Id"]).unwrap();
        assert_eq!(out, b"NATS/1.0\r\nA: b\r\n\r\n");
        assert!(strip_headers(
            b"NATS/1.0\r\nNats-Schedule: x\r\n\r\n",
            &["Nats-Schedule"],
            &[]
        )
        .is_none());
    }
}
