//! In-process subscribers: handlers inside the server (JetStream's API and streams, later
//! `$SYS` services) subscribe like clients, but their messages arrive on a bounded channel
//! owned by the handler's task instead of in a socket's outbound buffer.
//!
//! Delivery copies the message once into a single buffer that the handler then owns; the
//! router never waits for a handler. A full channel drops the message, as a full outbound
//! buffer would: a publisher expecting an answer (a JetStream ack) times out and retries.

use bytes::{BufMut, Bytes, BytesMut};

use crate::account::Message;
use crate::trace::Trace;

/// Messages an internal subscriber may have queued before further ones are dropped.
pub const INTERNAL_QUEUE: usize = 64 * 1024;

/// One message delivered to an internal subscriber. The fields are slices of one buffer.
#[derive(Debug, Clone)]
pub struct InternalMsg {
    /// The sid the handler subscribed with: tells it which of its subscriptions matched.
    pub sid: Bytes,
    /// Subject the message was published to.
    pub subject: Bytes,
    /// Reply subject, if any.
    pub reply: Option<Bytes>,
    /// The `NATS/1.0` header block, if any.
    pub headers: Option<Bytes>,
    /// Payload.
    pub payload: Bytes,
    /// The publishing connection, when a client (not the server) published it.
    pub client_id: Option<u64>,
    /// The message is being traced: the handler adds its part (a stream, its JetStream
    /// event) and, for a trace-only message, must not act on it.
    pub trace: Option<Trace>,
}

impl InternalMsg {
    pub(crate) fn copy_of(
        sid: &[u8],
        msg: &Message<'_>,
        client_id: Option<u64>,
        trace: Option<Trace>,
    ) -> Self {
        let reply = msg.reply.unwrap_or_default();
        let headers = msg.headers.unwrap_or_default();
        let mut buf = BytesMut::with_capacity(
            sid.len() + msg.subject.len() + reply.len() + headers.len() + msg.payload.len(),
        );
        for part in [sid, msg.subject, reply, headers, msg.payload] {
            buf.put_slice(part);
        }
        let mut all = buf.freeze();
        let sid = all.split_to(sid.len());
        let subject = all.split_to(msg.subject.len());
        let reply_bytes = all.split_to(reply.len());
        let header_bytes = all.split_to(headers.len());
        Self {
            sid,
            subject,
            reply: msg.reply.map(|_| reply_bytes),
            headers: msg.headers.map(|_| header_bytes),
            payload: all,
            client_id,
            trace,
        }
    }
}

/// The sending half an internal subscriber's client handle delivers into.
pub type InternalSender = tokio::sync::mpsc::Sender<InternalMsg>;
/// The receiving half the handler's task owns.
pub type InternalReceiver = tokio::sync::mpsc::Receiver<InternalMsg>;

/// A channel for an internal subscriber, bounded at [`INTERNAL_QUEUE`].
pub fn internal_channel() -> (InternalSender, InternalReceiver) {
    tokio::sync::mpsc::channel(INTERNAL_QUEUE)
}
