//! Acknowledgements: what a client's reply to a delivered message means, and the `$JS.ACK`
//! reply subject that carries a delivery's metadata to the client.
//!
//! The reply subject is `$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer
//! seq>.<timestamp ns>.<pending>` (nats-server's v1 form, which every client parses). The
//! v2 form, with `<domain>.<account hash>` after `ACK` and possibly more tokens, is
//! accepted as well.

use std::fmt::Write as _;
use std::time::Duration;

use serde::Deserialize;

/// What an acknowledgement body asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AckKind<'a> {
    /// `+ACK`, `+OK` or an empty body: processed.
    Ack,
    /// `-NAK`, optionally with a delay (`-NAK {"delay": <ns>}` or `-NAK 5s`): redeliver.
    Nak {
        /// Wait this long before redelivering.
        delay: Option<Duration>,
    },
    /// `+WPI`: still working, restart the ack wait.
    Progress,
    /// `+TERM`, optionally with a reason: never redeliver.
    Term {
        /// Why, as the client said.
        reason: Option<&'a str>,
    },
    /// `+NXT`, optionally with a pull request body: acknowledge and ask for more.
    Next {
        /// The pull request JSON (or a bare batch size), possibly empty.
        request: &'a [u8],
    },
}

#[derive(Deserialize)]
struct NakOptions {
    #[serde(default)]
    delay: i64,
}

/// Reads an acknowledgement body as nats-server does; `None` for a body it ignores.
pub fn parse_ack(body: &[u8]) -> Option<AckKind<'_>> {
    match body {
        b"" | b"+ACK" | b"+OK" => return Some(AckKind::Ack),
        b"+WPI" => return Some(AckKind::Progress),
        _ => {}
    }
    if let Some(rest) = body.strip_prefix(b"+NXT") {
        return Some(AckKind::Next {
            request: rest.trim_ascii(),
        });
    }
    if let Some(rest) = body.strip_prefix(b"-NAK") {
        return Some(AckKind::Nak {
            delay: nak_delay(rest.trim_ascii()),
        });
    }
    if let Some(rest) = body.strip_prefix(b"+TERM") {
        let reason = std::str::from_utf8(rest.trim_ascii())
            .ok()
            .filter(|r| !r.is_empty());
        return Some(AckKind::Term { reason });
    }
    None
}

/// A malformed delay is a plain NAK, as in nats-server.
fn nak_delay(arg: &[u8]) -> Option<Duration> {
    if arg.is_empty() {
        return None;
    }
    let nanos = if arg.first() == Some(&b'{') {
        serde_json::from_slice::<NakOptions>(arg).ok()?.delay
    } else {
        let d = natrium_proto::parse_go_duration(std::str::from_utf8(arg).ok()?)?;
        i64::try_from(d.as_nanos()).ok()?
    };
    u64::try_from(nanos)
        .ok()
        .filter(|&n| n > 0)
        .map(Duration::from_nanos)
}

/// Delivery metadata carried in a `$JS.ACK` reply subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AckReply<'a> {
    /// The stream.
    pub stream: &'a str,
    /// The consumer.
    pub consumer: &'a str,
    /// How many times this message has been delivered (1 on the first delivery).
    pub delivered: u64,
    /// The message's stream sequence.
    pub stream_seq: u64,
    /// The consumer's delivery sequence.
    pub consumer_seq: u64,
    /// When the message was stored, Unix nanoseconds.
    pub timestamp: i64,
    /// Messages left for the consumer after this one.
    pub pending: u64,
}

impl AckReply<'_> {
    /// Appends the v1 reply subject to `out`.
    pub fn write_subject(&self, out: &mut String) {
        let _ = write!(
            out,
            "$JS.ACK.{}.{}.{}.{}.{}.{}.{}",
            self.stream,
            self.consumer,
            self.delivered,
            self.stream_seq,
            self.consumer_seq,
            self.timestamp,
            self.pending
        );
    }
}

/// Reads a `$JS.ACK` reply subject (v1: 9 tokens; v2: 11 or more).
pub fn parse_ack_reply(subject: &str) -> Option<AckReply<'_>> {
    let tokens: Vec<&str> = subject.split('.').collect();
    let offset = match tokens.len() {
        9 => 2,
        n if n >= 11 => 4,
        _ => return None,
    };
    if tokens.first() != Some(&"$JS") || tokens.get(1) != Some(&"ACK") {
        return None;
    }
    let num = |i: usize| tokens.get(offset + i).and_then(|t| t.parse::<u64>().ok());
    Some(AckReply {
        stream: tokens.get(offset)?,
        consumer: tokens.get(offset + 1)?,
        delivered: num(2)?,
        stream_seq: num(3)?,
        consumer_seq: num(4)?,
        timestamp: tokens.get(offset + 5)?.parse().ok()?,
        pending: num(6)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn bodies() {
        assert_eq!(parse_ack(b""), Some(AckKind::Ack));
        assert_eq!(parse_ack(b"+ACK"), Some(AckKind::Ack));
        assert_eq!(parse_ack(b"+OK"), Some(AckKind::Ack));
        assert_eq!(parse_ack(b"+WPI"), Some(AckKind::Progress));
        assert_eq!(parse_ack(b"-NAK"), Some(AckKind::Nak { delay: None }));
        assert_eq!(
            parse_ack(br#"-NAK {"delay": 2000000000}"#),
            Some(AckKind::Nak {
                delay: Some(Duration::from_secs(2))
            })
        );
        assert_eq!(
            parse_ack(b"-NAK 150ms"),
            Some(AckKind::Nak {
                delay: Some(Duration::from_millis(150))
            })
        );
        assert_eq!(
            parse_ack(b"-NAK {bad"),
            Some(AckKind::Nak { delay: None }),
            "bad delay = plain NAK"
        );
        assert_eq!(parse_ack(b"+TERM"), Some(AckKind::Term { reason: None }));
        assert_eq!(
            parse_ack(b"+TERM  poison pill "),
            Some(AckKind::Term {
                reason: Some("poison pill")
            })
        );
        assert_eq!(parse_ack(b"+NXT"), Some(AckKind::Next { request: b"" }));
        assert_eq!(
            parse_ack(br#"+NXT {"batch":5}"#),
            Some(AckKind::Next {
                request: br#"{"batch":5}"#
            })
        );
        assert_eq!(parse_ack(b"+ACKX"), None);
        assert_eq!(parse_ack(b"hello"), None);
    }

    #[test]
    fn reply_subjects_round_trip_and_v2_is_read() {
        let reply = AckReply {
            stream: "ORDERS",
            consumer: "worker",
            delivered: 2,
            stream_seq: 41,
            consumer_seq: 40,
            timestamp: 1_700_000_000_123_456_789,
            pending: 7,
        };
        let mut subject = String::new();
        reply.write_subject(&mut subject);
        assert_eq!(
            subject,
            "$JS.ACK.ORDERS.worker.2.41.40.1700000000123456789.7"
        );
        assert_eq!(parse_ack_reply(&subject), Some(reply.clone()));
        let v2 = "$JS.ACK._.HASH.ORDERS.worker.2.41.40.1700000000123456789.7.token";
        assert_eq!(parse_ack_reply(v2), Some(reply));
        assert_eq!(parse_ack_reply("$JS.ACK.ORDERS.worker.2.41.40.17"), None);
        assert_eq!(parse_ack_reply("$JS.NAK.ORDERS.worker.2.41.40.1.7"), None);
        assert_eq!(parse_ack_reply("$JS.ACK.ORDERS.worker.x.41.40.1.7"), None);
    }

    proptest! {
        #[test]
        fn arbitrary_input_never_panics(body in proptest::collection::vec(any::<u8>(), 0..64), subject in ".{0,80}") {
            let _ = parse_ack(&body);
            let _ = parse_ack_reply(&subject);
        }
    }
}
