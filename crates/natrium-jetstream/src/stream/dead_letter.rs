//! Dead-letter copies (a Natrium extension, consumer config `dead_letter`): a message a
//! consumer gives up on — `max_deliver` reached, or terminated with `+TERM` — is
//! published once to the consumer's dead-letter subject, where the named stream stores
//! it with headers saying where it came from.
//!
//! "Once": the copy happens at the moment the consumer drops the message from its
//! pending set, which happens once per message, and it carries a `Nats-Msg-Id` made of
//! stream, consumer and sequence, so a copy repeated after a crash inside the
//! dead-letter stream's duplicate window is dropped there.

use natrium_store::StoredMsg;

use super::StreamTask;

/// Why a message was dead-lettered (`Nats-DLQ-Reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reason {
    /// Delivered `max_deliver` times without an ack.
    MaxDeliveries,
    /// The client sent `+TERM`.
    Terminated,
}

impl Reason {
    fn as_str(self) -> &'static str {
        match self {
            Reason::MaxDeliveries => "max_deliveries",
            Reason::Terminated => "terminated",
        }
    }
}

impl StreamTask {
    /// Copies stream message `seq` to consumer `consumer`'s dead-letter subject, if it
    /// has one.
    pub(super) fn dead_letter(
        &mut self,
        consumer: &str,
        seq: u64,
        reason: Reason,
        deliveries: u64,
    ) {
        let Some(target) = self
            .consumers
            .get(consumer)
            .and_then(|c| c.config.dead_letter.clone())
        else {
            return;
        };
        let mut msg = StoredMsg::default();
        if !matches!(self.store.load(seq, &mut msg), Ok(true)) {
            tracing::warn!(stream = %self.name, consumer, seq, "dead-letter: message no longer stored");
            return;
        }
        let seq_text = seq.to_string();
        let deliveries_text = deliveries.to_string();
        let id = format!("{}.{consumer}.{seq}", self.name);
        let headers = copy_headers(
            &msg.headers,
            &[
                ("Nats-DLQ-Reason", reason.as_str().as_bytes()),
                ("Nats-DLQ-Stream", self.name.as_bytes()),
                ("Nats-DLQ-Consumer", consumer.as_bytes()),
                ("Nats-DLQ-Sequence", seq_text.as_bytes()),
                ("Nats-DLQ-Subject", msg.subject.as_bytes()),
                ("Nats-DLQ-Deliveries", deliveries_text.as_bytes()),
                ("Nats-Msg-Id", id.as_bytes()),
                ("Nats-Expected-Stream", target.stream.as_bytes()),
            ],
        );
        let matched = self.out.send(
            target.subject.as_bytes(),
            None,
            Some(&headers),
            &msg.payload,
        );
        if matched == 0 {
            tracing::warn!(stream = %self.name, consumer, seq, subject = %target.subject, "dead-letter: no stream stores the dead-letter subject; copy dropped");
        }
    }
}

/// The original message's own headers without the `Nats-` ones (which would make the
/// dead-letter stream deduplicate, expire, roll up or refuse the copy), then `pairs`.
fn copy_headers(original: &[u8], pairs: &[(&str, &[u8])]) -> Vec<u8> {
    natrium_proto::rewrite_headers(
        original,
        |name| {
            name.get(..5)
                .is_some_and(|p| p.eq_ignore_ascii_case(b"nats-"))
        },
        pairs,
    )
}

#[cfg(test)]
mod tests {
    use super::copy_headers;

    #[test]
    fn user_headers_stay_and_control_headers_go() {
        let original = b"NATS/1.0\r\nTrace: abc\r\nNats-Msg-Id: 7\r\nnats-ttl: 5s\r\nX: y\r\n\r\n";
        let out = copy_headers(original, &[("Nats-DLQ-Reason", b"terminated")]);
        assert_eq!(
            out,
            b"NATS/1.0\r\nTrace: abc\r\nX: y\r\nNats-DLQ-Reason: terminated\r\n\r\n".to_vec()
        );
        assert_eq!(
            copy_headers(b"", &[("A", b"1")]),
            b"NATS/1.0\r\nA: 1\r\n\r\n".to_vec()
        );
    }
}
