//! Times as Go writes and reads them in JSON (`time.RFC3339Nano`, UTC).

const NANOS_PER_SEC: u64 = 1_000_000_000;

/// Nanoseconds since the Unix epoch as Go's `time.RFC3339Nano` in UTC:
/// `2024-05-01T12:00:00.5Z` (trailing zeros of the fraction dropped, no fraction when
/// it is zero).
pub fn rfc3339_nano_from_unix(nanos: u64) -> String {
    let secs = nanos / NANOS_PER_SEC;
    let frac = nanos % NANOS_PER_SEC;
    let days = i64::try_from(secs / 86_400).unwrap_or(i64::MAX / 2);
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    let mut out = format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    );
    if frac != 0 {
        let digits = format!(".{frac:09}");
        out.push_str(digits.trim_end_matches('0'));
    }
    out.push('Z');
    out
}

/// [`rfc3339_nano_from_unix`] for a signed timestamp; times before 1970 print as the epoch.
pub fn rfc3339_nano_from_unix_i64(nanos: i64) -> String {
    rfc3339_nano_from_unix(u64::try_from(nanos).unwrap_or(0))
}

/// Reads an RFC 3339 time (`2024-05-01T12:00:00.123Z`, `...+02:00`) into nanoseconds
/// since the Unix epoch; `None` when malformed. Times past what nanoseconds in an `i64`
/// reach (after 2262, before 1677: Go's times go further) saturate to `i64::MAX` and
/// `i64::MIN`, so "paused until 9999" stays paused.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = s.get(from..from + len)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let year = num(0, 4)?;
    let month = num(5, 2)?;
    let day = num(8, 2)?;
    let hour = num(11, 2)?;
    let minute = num(14, 2)?;
    let second = num(17, 2)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || b.get(13) != Some(&b':') {
        return None;
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) || b.get(16) != Some(&b':') {
        return None;
    }
    let mut pos = 19;
    let mut frac: i64 = 0;
    if b.get(pos) == Some(&b'.') {
        pos += 1;
        let mut digits = 0;
        while let Some(c) = b.get(pos).filter(|c| c.is_ascii_digit()) {
            if digits < 9 {
                frac = frac * 10 + i64::from(c - b'0');
                digits += 1;
            }
            pos += 1;
        }
        for _ in digits..9 {
            frac *= 10;
        }
    }
    let offset_secs = match b.get(pos) {
        Some(b'Z' | b'z') if pos + 1 == b.len() => 0,
        Some(sign @ (b'+' | b'-')) if pos + 6 == b.len() => {
            let h = num(pos + 1, 2)?;
            let m = num(pos + 4, 2)?;
            let off = h * 3600 + m * 60;
            if *sign == b'+' {
                off
            } else {
                -off
            }
        }
        _ => return None,
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_secs;
    let saturated = if secs < 0 { i64::MIN } else { i64::MAX };
    Some(
        secs.checked_mul(1_000_000_000)
            .and_then(|n| n.checked_add(frac))
            .unwrap_or(saturated),
    )
}

/// Year, month (1-12) and day (1-31) of the `days`-th day after 1970-01-01 in the
/// proleptic Gregorian calendar (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_go_format() {
        for nanos in [0u64, 1, 1_700_000_000_123_456_789, 951_782_400_500_000_000] {
            let text = rfc3339_nano_from_unix(nanos);
            assert_eq!(parse_rfc3339(&text), Some(nanos as i64), "{text}");
        }
        assert_eq!(
            rfc3339_nano_from_unix(1_700_000_000_120_000_000),
            "2023-11-14T22:13:20.12Z"
        );
    }

    #[test]
    fn offsets_and_garbage() {
        assert_eq!(
            parse_rfc3339("2023-11-14T23:13:20+01:00"),
            parse_rfc3339("2023-11-14T22:13:20Z")
        );
        for bad in [
            "",
            "2023-11-14",
            "2023-13-14T22:13:20Z",
            "2023-11-14T22:13:20",
            "x023-11-14T22:13:20Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn times_beyond_nanosecond_range_saturate() {
        assert_eq!(parse_rfc3339("9999-12-31T23:59:59Z"), Some(i64::MAX));
        assert_eq!(parse_rfc3339("0001-01-01T00:00:00Z"), Some(i64::MIN));
        assert_eq!(
            parse_rfc3339("2262-04-11T23:47:16.854775807Z"),
            Some(i64::MAX),
            "the last representable instant"
        );
        assert!(parse_rfc3339("2262-04-11T23:47:15Z").is_some_and(|n| n < i64::MAX));
    }
}
