//! The Go renderings monitoring clients expect: RFC 3339 times with nanoseconds, Go
//! duration strings, nats-server's uptime strings, and JSON as Go's `encoding/json` writes
//! it (HTML-safe escapes, whole floats without `.0`, two-space indentation).

use std::io;
use std::time::{Duration, SystemTime};

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

use crate::state::unix_nanos;

/// `t` as Go's `time.RFC3339Nano` in UTC: `2024-05-01T12:00:00.5Z` (trailing zeros of the
/// fraction dropped, no fraction when it is zero). Times before 1970 print as the epoch.
pub fn rfc3339_nano(t: SystemTime) -> String {
    rfc3339_nano_from_unix(unix_nanos(t))
}

pub use natrium_api::time::rfc3339_nano_from_unix;

/// nats-server's uptime/idle rendering: whole seconds split into `y`, `d`, `h`, `m`, `s`,
/// leading zero units left out (`"0s"`, `"1m2s"`, `"3d0h0m1s"`).
pub fn uptime(d: Duration) -> String {
    let secs = d.as_secs();
    let (mins, hours, days) = (secs / 60, secs / 3600, secs / 86_400);
    let years = days / 365;
    if years > 0 {
        format!(
            "{years}y{}d{}h{}m{}s",
            days % 365,
            hours % 24,
            mins % 60,
            secs % 60
        )
    } else if days > 0 {
        format!("{days}d{}h{}m{}s", hours % 24, mins % 60, secs % 60)
    } else if hours > 0 {
        format!("{hours}h{}m{}s", mins % 60, secs % 60)
    } else if mins > 0 {
        format!("{mins}m{}s", secs % 60)
    } else {
        format!("{secs}s")
    }
}

/// Go's `time.Duration.String()`: `"0s"`, `"850ns"`, `"1.5µs"`, `"12ms"`, `"1h2m3.5s"`.
pub fn go_duration(d: Duration) -> String {
    let nanos = d.as_nanos();
    if nanos == 0 {
        return "0s".to_owned();
    }
    if nanos < 1_000 {
        return format!("{nanos}ns");
    }
    if nanos < 1_000_000 {
        return with_fraction(nanos / 1_000, nanos % 1_000, 3, "µs");
    }
    if nanos < 1_000_000_000 {
        return with_fraction(nanos / 1_000_000, nanos % 1_000_000, 6, "ms");
    }
    let secs = d.as_secs();
    let mut out = String::new();
    let (hours, mins) = (secs / 3600, (secs / 60) % 60);
    if hours > 0 {
        out.push_str(&format!("{hours}h"));
    }
    if hours > 0 || mins > 0 {
        out.push_str(&format!("{mins}m"));
    }
    out.push_str(&with_fraction(
        u128::from(secs % 60),
        u128::from(d.subsec_nanos()),
        9,
        "s",
    ));
    out
}

fn with_fraction(whole: u128, frac: u128, width: usize, unit: &str) -> String {
    if frac == 0 {
        return format!("{whole}{unit}");
    }
    let digits = format!("{frac:0width$}");
    format!("{whole}.{}{unit}", digits.trim_end_matches('0'))
}

/// `value` as Go's `json.MarshalIndent(value, "", "  ")` writes it.
pub fn to_json_pretty<T: Serialize>(value: &T) -> serde_json::Result<Vec<u8>> {
    write_json(value, PrettyFormatter::with_indent(b"  "))
}

/// `value` as Go's `json.Marshal(value)` writes it.
pub fn to_json_compact<T: Serialize>(value: &T) -> serde_json::Result<Vec<u8>> {
    write_json(value, CompactFormatter)
}

fn write_json<T: Serialize, F: Formatter>(value: &T, inner: F) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(1024);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, GoJson(inner));
    value.serialize(&mut ser)?;
    Ok(out)
}

/// Layout from the wrapped formatter; strings and floats the way Go writes them.
struct GoJson<F>(F);

impl<F: Formatter> Formatter for GoJson<F> {
    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        writer.write_all(go_float(value).as_bytes())
    }

    fn write_f32<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        writer.write_all(go_float(f64::from(value)).as_bytes())
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // Go escapes these so JSON can be embedded in HTML and JavaScript.
        let mut rest = fragment;
        while let Some(pos) = rest.find(['<', '>', '&', '\u{2028}', '\u{2029}']) {
            let (head, tail) = rest.split_at(pos);
            writer.write_all(head.as_bytes())?;
            let mut chars = tail.chars();
            let escape = match chars.next() {
                Some('<') => "\\u003c",
                Some('>') => "\\u003e",
                Some('&') => "\\u0026",
                Some('\u{2028}') => "\\u2028",
                _ => "\\u2029",
            };
            writer.write_all(escape.as_bytes())?;
            rest = chars.as_str();
        }
        writer.write_all(rest.as_bytes())
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn end_object_key<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_key(writer)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

/// A finite float as Go's `encoding/json` writes it: shortest round-trip digits, no `.0`
/// on whole numbers, exponent form (`1e-7`, `1e+21`) outside `[1e-6, 1e21)`.
fn go_float(value: f64) -> String {
    let abs = value.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = format!("{value:e}");
        match s.split_once('e') {
            Some((mantissa, exp)) if !exp.starts_with('-') => format!("{mantissa}e+{exp}"),
            _ => s,
        }
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_matches_go() {
        assert_eq!(rfc3339_nano_from_unix(0), "1970-01-01T00:00:00Z");
        // 2026-11-23T22:30:17.517044226Z, as printed by nats-server.
        assert_eq!(
            rfc3339_nano_from_unix(1_795_473_017_517_044_226),
            "2026-11-23T22:30:17.517044226Z"
        );
        assert_eq!(
            rfc3339_nano_from_unix(951_782_400_500_000_000),
            "2000-02-29T00:00:00.5Z"
        );
        assert_eq!(
            rfc3339_nano_from_unix(1_709_251_199_000_000_010),
            "2024-02-29T23:59:59.00000001Z"
        );
    }

    #[test]
    fn uptime_matches_nats_server() {
        assert_eq!(uptime(Duration::from_millis(999)), "0s");
        assert_eq!(uptime(Duration::from_secs(62)), "1m2s");
        assert_eq!(uptime(Duration::from_secs(3600)), "1h0m0s");
        assert_eq!(uptime(Duration::from_secs(86_400 + 61)), "1d0h1m1s");
        assert_eq!(uptime(Duration::from_secs(366 * 86_400 + 3)), "1y1d0h0m3s");
    }

    #[test]
    fn go_duration_strings() {
        assert_eq!(go_duration(Duration::ZERO), "0s");
        assert_eq!(go_duration(Duration::from_nanos(850)), "850ns");
        assert_eq!(go_duration(Duration::from_nanos(516_000)), "516µs");
        assert_eq!(go_duration(Duration::from_nanos(1_500)), "1.5µs");
        assert_eq!(go_duration(Duration::from_millis(12)), "12ms");
        assert_eq!(go_duration(Duration::from_secs(2)), "2s");
        assert_eq!(go_duration(Duration::from_millis(3_723_500)), "1h2m3.5s");
        assert_eq!(go_duration(Duration::from_secs(120)), "2m0s");
    }

    #[test]
    fn json_like_go() {
        let v = serde_json::json!({
            "a": 2.0,
            "b": 0.0,
            "c": 0.16666666666666666,
            "d": "foo.>",
            "e": [],
            "f": {},
            "g": [1],
            "h": 1e-7,
            "i": 1e21,
        });
        let pretty = String::from_utf8(to_json_pretty(&v).unwrap()).unwrap();
        assert_eq!(
            pretty,
            "{\n  \"a\": 2,\n  \"b\": 0,\n  \"c\": 0.16666666666666666,\n  \"d\": \"foo.\\u003e\",\n  \"e\": [],\n  \"f\": {},\n  \"g\": [\n    1\n  ],\n  \"h\": 1e-7,\n  \"i\": 1e+21\n}"
        );
        let compact =
            String::from_utf8(to_json_compact(&serde_json::json!({"s": "a<b&c"})).unwrap())
                .unwrap();
        assert_eq!(compact, r#"{"s":"a\u003cb\u0026c"}"#);
    }
}
