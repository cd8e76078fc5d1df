//! Advisories on `$JS.EVENT.ADVISORY.>`: streams and consumers created, updated and
//! deleted, deliveries exceeded and messages terminated, consumers paused, priority
//! groups pinned and unpinned. Built only when someone listens.

use natrium_api::jetstream::{
    ActionAdvisoryType, ConsumerActionAdvisory, ConsumerDeliveryExceededAdvisory,
    ConsumerDeliveryTerminatedAdvisory, ConsumerGroupPinnedAdvisory, ConsumerGroupUnpinnedAdvisory,
    ConsumerPauseAdvisory, StreamActionAdvisory,
};
use natrium_api::time::rfc3339_nano_from_unix_i64;

use crate::engine::now_nanos;
use crate::outbox::Outbox;

/// `len` random characters from `alphabet`.
pub(crate) fn random_token(alphabet: &[u8], len: usize) -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..len)
        .map(|_| {
            let i = rng.random_range(0..alphabet.len());
            char::from(alphabet.get(i).copied().unwrap_or(b'X'))
        })
        .collect()
}

/// A unique id per advisory, like nats-server's nuid.
pub(crate) fn event_id() -> String {
    random_token(
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        22,
    )
}

fn send<T: serde::Serialize>(out: &mut Outbox, subject: &str, build: impl FnOnce() -> T) {
    if out.has_interest(subject.as_bytes()) {
        out.reply_json(subject.as_bytes(), &build());
    }
}

/// A stream was created, updated or deleted.
pub(crate) fn stream_action(
    out: &mut Outbox,
    stream: &str,
    action: ActionAdvisoryType,
    domain: &str,
) {
    let prefix = match action {
        ActionAdvisoryType::Create => StreamActionAdvisory::SUBJECT_CREATED,
        ActionAdvisoryType::Delete => StreamActionAdvisory::SUBJECT_DELETED,
        ActionAdvisoryType::Modify => StreamActionAdvisory::SUBJECT_UPDATED,
    };
    send(out, &format!("{prefix}.{stream}"), || {
        StreamActionAdvisory {
            kind: StreamActionAdvisory::TYPE.to_string(),
            id: event_id(),
            timestamp: rfc3339_nano_from_unix_i64(now_nanos()),
            stream: stream.to_string(),
            action,
            domain: domain.to_string(),
        }
    });
}

/// A consumer was created or deleted.
pub(crate) fn consumer_action(
    out: &mut Outbox,
    stream: &str,
    consumer: &str,
    action: ActionAdvisoryType,
    domain: &str,
) {
    let prefix = match action {
        ActionAdvisoryType::Delete => ConsumerActionAdvisory::SUBJECT_DELETED,
        _ => ConsumerActionAdvisory::SUBJECT_CREATED,
    };
    send(out, &format!("{prefix}.{stream}.{consumer}"), || {
        ConsumerActionAdvisory {
            kind: ConsumerActionAdvisory::TYPE.to_string(),
            id: event_id(),
            timestamp: rfc3339_nano_from_unix_i64(now_nanos()),
            stream: stream.to_string(),
            consumer: consumer.to_string(),
            action,
            domain: domain.to_string(),
        }
    });
}

/// A message reached the consumer's `max_deliver`.
pub(crate) fn max_deliveries(
    out: &mut Outbox,
    stream: &str,
    consumer: &str,
    stream_seq: u64,
    deliveries: u64,
    domain: &str,
) {
    let subject = format!(
        "{}.{stream}.{consumer}",
        ConsumerDeliveryExceededAdvisory::SUBJECT
    );
    send(out, &subject, || ConsumerDeliveryExceededAdvisory {
        kind: ConsumerDeliveryExceededAdvisory::TYPE.to_string(),
        id: event_id(),
        timestamp: rfc3339_nano_from_unix_i64(now_nanos()),
        stream: stream.to_string(),
        consumer: consumer.to_string(),
        stream_seq,
        deliveries,
        domain: domain.to_string(),
    });
}

/// A client terminated a message (`+TERM`).
pub(crate) struct Terminated<'a> {
    pub stream: &'a str,
    pub consumer: &'a str,
    pub consumer_seq: u64,
    pub stream_seq: u64,
    pub deliveries: u64,
    pub reason: &'a str,
}

/// Publishes the terminated advisory.
pub(crate) fn terminated(out: &mut Outbox, t: &Terminated<'_>, domain: &str) {
    let subject = format!(
        "{}.{}.{}",
        ConsumerDeliveryTerminatedAdvisory::SUBJECT,
        t.stream,
        t.consumer
    );
    send(out, &subject, || ConsumerDeliveryTerminatedAdvisory {
        kind: ConsumerDeliveryTerminatedAdvisory::TYPE.to_string(),
        id: event_id(),
        timestamp: rfc3339_nano_from_unix_i64(now_nanos()),
        stream: t.stream.to_string(),
        consumer: t.consumer.to_string(),
        consumer_seq: t.consumer_seq,
        stream_seq: t.stream_seq,
        deliveries: t.deliveries,
        reason: t.reason.to_string(),
        domain: domain.to_string(),
    });
}

/// A consumer was paused or resumed.
pub(crate) fn consumer_pause(
    out: &mut Outbox,
    stream: &str,
    consumer: &str,
    paused: bool,
    pause_until: &str,
    domain: &str,
) {
    let subject = format!("{}.{stream}.{consumer}", ConsumerPauseAdvisory::SUBJECT);
    send(out, &subject, || ConsumerPauseAdvisory {
        kind: ConsumerPauseAdvisory::TYPE.to_string(),
        id: event_id(),
        timestamp: rfc3339_nano_from_unix_i64(now_nanos()),
        stream: stream.to_string(),
        consumer: consumer.to_string(),
        paused,
        pause_until: pause_until.to_string(),
        domain: domain.to_string(),
    });
}

/// Who a pin advisory is about; `detail` is the pin id (pinned) or the reason
/// (unpinned).
pub(crate) struct Pinning<'a> {
    pub account: &'a str,
    pub stream: &'a str,
    pub consumer: &'a str,
    pub group: &'a str,
    pub detail: &'a str,
}

/// A priority group pinned a client.
pub(crate) fn consumer_pinned(out: &mut Outbox, p: &Pinning<'_>, domain: &str) {
    let subject = format!(
        "{}.{}.{}",
        ConsumerGroupPinnedAdvisory::SUBJECT,
        p.stream,
        p.consumer
    );
    send(out, &subject, || ConsumerGroupPinnedAdvisory {
        kind: ConsumerGroupPinnedAdvisory::TYPE.to_string(),
        id: event_id(),
        timestamp: rfc3339_nano_from_unix_i64(now_nanos()),
        account: p.account.to_string(),
        stream: p.stream.to_string(),
        consumer: p.consumer.to_string(),
        domain: domain.to_string(),
        group: p.group.to_string(),
        pinned_id: p.detail.to_string(),
    });
}

/// A priority group's pin was released.
pub(crate) fn consumer_unpinned(out: &mut Outbox, p: &Pinning<'_>, domain: &str) {
    let subject = format!(
        "{}.{}.{}",
        ConsumerGroupUnpinnedAdvisory::SUBJECT,
        p.stream,
        p.consumer
    );
    send(out, &subject, || ConsumerGroupUnpinnedAdvisory {
        kind: ConsumerGroupUnpinnedAdvisory::TYPE.to_string(),
        id: event_id(),
        timestamp: rfc3339_nano_from_unix_i64(now_nanos()),
        account: p.account.to_string(),
        stream: p.stream.to_string(),
        consumer: p.consumer.to_string(),
        domain: domain.to_string(),
        group: p.group.to_string(),
        reason: p.detail.to_string(),
    });
}
