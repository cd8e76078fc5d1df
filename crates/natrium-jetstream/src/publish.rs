//! What a message published into a stream asks of it through its headers
//! (`Nats-Msg-Id`, `Nats-Expected-*`, `Nats-Rollup`, `Nats-TTL`), read before the
//! stream decides to store it.

use natrium_api::jetstream::{
    ApiError, NATS_EXPECTED_LAST_MSG_ID, NATS_EXPECTED_LAST_SEQUENCE,
    NATS_EXPECTED_LAST_SUBJECT_SEQUENCE, NATS_EXPECTED_LAST_SUBJECT_SEQUENCE_SUBJECT,
    NATS_EXPECTED_STREAM, NATS_MSG_ID, NATS_ROLLUP, NATS_TTL,
};
use natrium_proto::header_value;
use natrium_store::TTL_NEVER;

/// A roll-up request (`Nats-Rollup`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rollup {
    /// `sub`: keep only this message on its subject.
    Subject,
    /// `all`: keep only this message in the stream.
    All,
}

/// The publish headers a stream acts on.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PublishHeaders<'a> {
    /// `Nats-Msg-Id`.
    pub msg_id: Option<&'a str>,
    /// `Nats-Expected-Stream`.
    pub expected_stream: Option<&'a str>,
    /// `Nats-Expected-Last-Sequence`.
    pub expected_last_seq: Option<u64>,
    /// `Nats-Expected-Last-Subject-Sequence`.
    pub expected_last_subject_seq: Option<u64>,
    /// `Nats-Expected-Last-Subject-Sequence-Subject`: whose last sequence the previous
    /// header is about (the published subject when absent).
    pub expected_last_subject: Option<&'a str>,
    /// `Nats-Expected-Last-Msg-Id`.
    pub expected_last_msg_id: Option<&'a str>,
    /// `Nats-Rollup`.
    pub rollup: Option<Rollup>,
    /// `Nats-TTL` in nanoseconds ([`TTL_NEVER`] for `never`).
    pub ttl: Option<i64>,
}

fn text<'a>(block: &'a [u8], key: &str) -> Option<&'a str> {
    header_value(block, key.as_bytes())
        .and_then(|v| std::str::from_utf8(v).ok())
        .map(str::trim)
}

/// The shortest TTL a message may carry, as in nats-server.
const MIN_TTL_NANOS: i64 = 1_000_000_000;

/// Reads a `Nats-TTL` value: `never`, a Go duration (`10s`) or whole seconds.
pub fn parse_ttl(value: &str) -> Option<i64> {
    if value.eq_ignore_ascii_case("never") {
        return Some(TTL_NEVER);
    }
    let nanos = match value.parse::<i64>() {
        Ok(secs) => secs.checked_mul(1_000_000_000)?,
        Err(_) => i64::try_from(natrium_proto::parse_go_duration(value)?.as_nanos()).ok()?,
    };
    (nanos >= MIN_TTL_NANOS).then_some(nanos)
}

/// Reads the headers; a malformed value is refused with nats-server's error.
pub fn read_headers(block: &[u8]) -> Result<PublishHeaders<'_>, ApiError> {
    let number = |key: &str| -> Result<Option<u64>, ApiError> {
        match text(block, key) {
            None => Ok(None),
            Some(v) => v
                .parse::<u64>()
                .map(Some)
                .map_err(|_| ApiError::stream_wrong_last_sequence_constant()),
        }
    };
    let rollup = match text(block, NATS_ROLLUP) {
        None => None,
        Some("sub") => Some(Rollup::Subject),
        Some("all") => Some(Rollup::All),
        Some(other) => {
            return Err(ApiError::stream_rollup_failed(format!(
                "rollup value invalid: {other:?}"
            )))
        }
    };
    let ttl = match text(block, NATS_TTL) {
        None => None,
        Some(v) => Some(parse_ttl(v).ok_or_else(ApiError::message_ttl_invalid)?),
    };
    Ok(PublishHeaders {
        msg_id: text(block, NATS_MSG_ID).filter(|s| !s.is_empty()),
        expected_stream: text(block, NATS_EXPECTED_STREAM),
        expected_last_seq: number(NATS_EXPECTED_LAST_SEQUENCE)?,
        expected_last_subject_seq: number(NATS_EXPECTED_LAST_SUBJECT_SEQUENCE)?,
        expected_last_subject: text(block, NATS_EXPECTED_LAST_SUBJECT_SEQUENCE_SUBJECT),
        expected_last_msg_id: text(block, NATS_EXPECTED_LAST_MSG_ID),
        rollup,
        ttl,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_header() {
        let block = b"NATS/1.0\r\nNats-Msg-Id: abc\r\nNats-Expected-Last-Sequence: 7\r\nNats-Rollup: sub\r\nNats-TTL: 2s\r\n\r\n";
        let h = read_headers(block).unwrap();
        assert_eq!(h.msg_id, Some("abc"));
        assert_eq!(h.expected_last_seq, Some(7));
        assert_eq!(h.rollup, Some(Rollup::Subject));
        assert_eq!(h.ttl, Some(2_000_000_000));
    }

    #[test]
    fn refuses_bad_values() {
        assert!(read_headers(b"NATS/1.0\r\nNats-Rollup: x\r\n\r\n").is_err());
        assert!(read_headers(b"NATS/1.0\r\nNats-TTL: 10ms\r\n\r\n").is_err());
        assert_eq!(parse_ttl("never"), Some(TTL_NEVER));
        assert_eq!(parse_ttl("5"), Some(5_000_000_000));
    }
}
