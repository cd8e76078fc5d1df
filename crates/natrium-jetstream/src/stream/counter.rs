//! Distributed counters (`allow_msg_counter`): a publish carrying `Nats-Incr: <integer>`
//! adds to the last value stored on its subject, and the stream stores the sum as
//! `{"val":"<sum>"}`. Values are arbitrary-precision integers, as nats-server's `big.Int`.
//!
//! A counter stream that sources other counter streams keeps, in the
//! `Nats-Counter-Sources` header, the last value seen from each origin stream and subject,
//! and adds only the difference, so re-delivered or aggregated totals stay correct.

use std::collections::BTreeMap;

use natrium_api::jetstream::{
    ApiError, NATS_EXPECTED_LAST_MSG_ID, NATS_EXPECTED_LAST_SEQUENCE,
    NATS_EXPECTED_LAST_SUBJECT_SEQUENCE, NATS_EXPECTED_LAST_SUBJECT_SEQUENCE_SUBJECT,
    NATS_EXPECTED_STREAM, NATS_INCR, NATS_ROLLUP, NATS_STREAM_SOURCE,
};
use natrium_proto::header_value;
use natrium_store::{Store, StoredMsg};
use num_bigint::BigInt;

/// `Nats-Counter-Sources`: origin stream, then origin subject, to the last value seen.
pub(crate) const NATS_COUNTER_SOURCES: &str = "Nats-Counter-Sources";

/// Last value seen per origin stream and subject (a sorted map, so the header's JSON
/// has nats-server's key order).
pub(crate) type Sources = BTreeMap<String, BTreeMap<String, String>>;

/// A counter's value and the origin values it was built from.
#[derive(Debug, Clone, Default)]
pub(crate) struct CounterTotal {
    pub total: BigInt,
    pub sources: Sources,
}

/// The body of a counter message.
#[derive(serde::Serialize, serde::Deserialize)]
struct CounterValue {
    #[serde(default)]
    val: String,
}

/// A decimal integer with an optional sign, as Go's `big.Int.SetString(s, 10)` takes it.
pub(crate) fn parse_integer(text: &[u8]) -> Option<BigInt> {
    let digits = text
        .strip_prefix(b"-")
        .or_else(|| text.strip_prefix(b"+"))
        .unwrap_or(text);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    BigInt::parse_bytes(text, 10)
}

/// The increment a publish asks for: none without (or with an empty) `Nats-Incr`,
/// `message_incr_invalid` when it is not an integer.
pub(crate) fn read_incr(headers: &[u8]) -> Result<Option<BigInt>, ApiError> {
    match header_value(headers, NATS_INCR.as_bytes()) {
        None | Some(b"") => Ok(None),
        Some(v) => parse_integer(v)
            .map(Some)
            .ok_or_else(ApiError::message_incr_invalid),
    }
}

fn present(headers: &[u8], key: &str) -> bool {
    header_value(headers, key.as_bytes()).is_some_and(|v| !v.is_empty())
}

/// nats-server's checks of a `Nats-Incr` publish made by a client (sourced messages are
/// stored as their origin counted them): counters must be enabled, the payload empty, and
/// no header may ask for something a counter cannot honour.
pub(crate) fn check_incr(allowed: bool, headers: &[u8], payload: &[u8]) -> Result<(), ApiError> {
    if !allowed {
        return Err(ApiError::message_incr_disabled());
    }
    if !payload.is_empty() {
        return Err(ApiError::message_incr_payload());
    }
    let incompatible = [
        NATS_ROLLUP,
        NATS_EXPECTED_STREAM,
        NATS_EXPECTED_LAST_MSG_ID,
        NATS_EXPECTED_LAST_SUBJECT_SEQUENCE_SUBJECT,
        NATS_EXPECTED_LAST_SEQUENCE,
        NATS_EXPECTED_LAST_SUBJECT_SEQUENCE,
    ];
    if incompatible.iter().any(|k| present(headers, k)) {
        return Err(ApiError::message_incr_invalid());
    }
    Ok(())
}

/// The counter stored last on `subject` (zero when none); a message that is not a
/// counter is `message_counter_broken`.
pub(crate) fn load_total(store: &dyn Store, subject: &str) -> Result<CounterTotal, ApiError> {
    let mut last = StoredMsg::default();
    if !store.load_last(subject, &mut last).unwrap_or(false) {
        return Ok(CounterTotal::default());
    }
    let value: CounterValue =
        serde_json::from_slice(&last.payload).map_err(|_| ApiError::message_counter_broken())?;
    let sources = match header_value(&last.headers, NATS_COUNTER_SOURCES.as_bytes()) {
        Some(v) if !v.is_empty() => {
            serde_json::from_slice(v).map_err(|_| ApiError::message_counter_broken())?
        }
        _ => Sources::new(),
    };
    Ok(CounterTotal {
        total: parse_integer(value.val.as_bytes()).unwrap_or_default(),
        sources,
    })
}

/// A counted message: the headers and payload to store, and the new value.
pub(crate) struct Counted {
    pub headers: Vec<u8>,
    pub payload: Vec<u8>,
    pub val: String,
}

/// Adds `incr` to `total` for a message on `subject`. A message sourced from another
/// counter (it has `Nats-Stream-Source`) carries that counter's total: only the change
/// since the value last seen from that origin is added, and `Nats-Incr` is rewritten to
/// that change.
pub(crate) fn apply(
    total: &mut CounterTotal,
    mut incr: BigInt,
    subject: &str,
    headers: &[u8],
    payload: &[u8],
) -> Result<Counted, ApiError> {
    let mut headers = headers.to_vec();
    if let Some(source) = header_value(&headers, NATS_STREAM_SOURCE.as_bytes()) {
        let source = String::from_utf8_lossy(source).into_owned();
        let fields: Vec<&str> = source.split(' ').collect();
        let origin_stream = fields.first().copied().unwrap_or_default().to_string();
        let origin_subject = fields.get(4).copied().unwrap_or(subject).to_string();
        let value: CounterValue =
            serde_json::from_slice(payload).map_err(|_| ApiError::message_counter_broken())?;
        let sourced = parse_integer(value.val.as_bytes()).unwrap_or_default();
        let seen = total.sources.entry(origin_stream).or_default();
        let previous = seen
            .insert(origin_subject, sourced.to_string())
            .and_then(|p| parse_integer(p.as_bytes()))
            .unwrap_or_default();
        incr = sourced - previous;
        headers = set_header(&headers, NATS_INCR, incr.to_string().as_bytes());
    }
    total.total += incr;
    let val = total.total.to_string();
    let payload = serde_json::to_vec(&CounterValue { val: val.clone() }).unwrap_or_default();
    if !total.sources.is_empty() {
        let json =
            serde_json::to_vec(&total.sources).map_err(|_| ApiError::message_counter_broken())?;
        headers = set_header(&headers, NATS_COUNTER_SOURCES, &json);
    }
    Ok(Counted {
        headers,
        payload,
        val,
    })
}

/// `block` with header `key` set to `value`: its first line replaced, or a line added.
pub(crate) fn set_header(block: &[u8], key: &str, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(block.len() + key.len() + value.len() + 4);
    let body = block.strip_suffix(b"\r\n").unwrap_or(block);
    let mut replaced = false;
    let mut lines = body.split(|b| *b == b'\n').peekable();
    if body.is_empty() {
        out.extend_from_slice(b"NATS/1.0\r\n");
        lines.next();
    }
    for line in lines {
        if line.is_empty() {
            continue;
        }
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let is_key = line
            .strip_prefix(key.as_bytes())
            .is_some_and(|rest| rest.first() == Some(&b':'));
        if is_key && !replaced {
            replaced = true;
            write_line(&mut out, key, value);
        } else {
            out.extend_from_slice(line);
            out.extend_from_slice(b"\r\n");
        }
    }
    if !replaced {
        write_line(&mut out, key, value);
    }
    out.extend_from_slice(b"\r\n");
    out
}

fn write_line(out: &mut Vec<u8>, key: &str, value: &[u8]) {
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(value);
    out.extend_from_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_integers_like_big_int() {
        assert_eq!(parse_integer(b"-5"), Some(BigInt::from(-5)));
        assert_eq!(parse_integer(b"+7"), Some(BigInt::from(7)));
        for bad in [&b""[..], b"1_000", b"1.5", b"x", b"-", b" 1"] {
            assert_eq!(parse_integer(bad), None, "{bad:?}");
        }
        let big = b"123456789012345678901234567890";
        assert_eq!(parse_integer(big).unwrap().to_string().as_bytes(), big);
    }

    #[test]
    fn sets_headers() {
        let block = b"NATS/1.0\r\nA: 1\r\nNats-Incr: 5\r\n\r\n";
        assert_eq!(
            set_header(block, "Nats-Incr", b"3"),
            b"NATS/1.0\r\nA: 1\r\nNats-Incr: 3\r\n\r\n".to_vec()
        );
        assert_eq!(
            set_header(block, "B", b"x"),
            b"NATS/1.0\r\nA: 1\r\nNats-Incr: 5\r\nB: x\r\n\r\n".to_vec()
        );
        assert_eq!(
            set_header(b"", "B", b"x"),
            b"NATS/1.0\r\nB: x\r\n\r\n".to_vec()
        );
    }

    #[test]
    fn sourced_totals_add_only_the_change() {
        let mut total = CounterTotal::default();
        let hdr = b"NATS/1.0\r\nNats-Incr: 1\r\nNats-Stream-Source: ORIGIN 4 > > c.a\r\n\r\n";
        let c = apply(&mut total, BigInt::from(1), "c.a", hdr, br#"{"val":"10"}"#).unwrap();
        assert_eq!(c.val, "10");
        let c = apply(&mut total, BigInt::from(1), "c.a", hdr, br#"{"val":"12"}"#).unwrap();
        assert_eq!(c.val, "12");
        assert_eq!(
            header_value(&c.headers, NATS_INCR.as_bytes()),
            Some(&b"2"[..])
        );
        assert_eq!(
            header_value(&c.headers, NATS_COUNTER_SOURCES.as_bytes()),
            Some(&br#"{"ORIGIN":{"c.a":"12"}}"#[..])
        );
    }
}
