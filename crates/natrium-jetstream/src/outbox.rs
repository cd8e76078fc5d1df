//! How a JetStream task sends messages into its account: API replies, publish acks,
//! deliveries to consumers and status messages, all without waiting on anyone.

use std::sync::Arc;

use natrium_core::{Account, Message, Publisher};

/// One task's sending side: its own publisher state (match cache, wake list) and a
/// scratch buffer for status headers.
pub(crate) struct Outbox {
    account: Arc<Account>,
    publisher: Publisher,
    scratch: Vec<u8>,
}

impl Outbox {
    pub(crate) fn new(account: Arc<Account>, seed: u64) -> Self {
        Self {
            account,
            publisher: Publisher::new(seed),
            scratch: Vec::new(),
        }
    }

    /// Publishes as the server; returns how many subscriptions matched.
    pub(crate) fn send(
        &mut self,
        subject: &[u8],
        reply: Option<&[u8]>,
        headers: Option<&[u8]>,
        payload: &[u8],
    ) -> usize {
        self.deliver(subject, subject, reply, headers, payload)
    }

    /// Delivers to the subscribers of `to` a message that keeps its own `subject`.
    pub(crate) fn deliver(
        &mut self,
        to: &[u8],
        subject: &[u8],
        reply: Option<&[u8]>,
        headers: Option<&[u8]>,
        payload: &[u8],
    ) -> usize {
        let msg = Message {
            subject,
            reply,
            headers,
            payload,
        };
        let n = self.account.deliver_to(to, &msg, &mut self.publisher);
        self.publisher.wakes.flush();
        n
    }

    /// Sends a JSON reply.
    pub(crate) fn reply_json<T: serde::Serialize>(&mut self, to: &[u8], body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.send(to, None, None, &bytes);
            }
            Err(err) => tracing::error!(%err, "could not encode a JetStream reply"),
        }
    }

    /// Sends a header-only status message (`NATS/1.0 404 No Messages`) to `to`.
    pub(crate) fn status(&mut self, to: &[u8], code: u16, text: &str, pairs: &[(&str, &[u8])]) {
        let mut headers = std::mem::take(&mut self.scratch);
        headers.clear();
        natrium_proto::write_headers(&mut headers, Some((code, text)), pairs);
        self.send(to, None, Some(&headers), b"");
        self.scratch = headers;
    }

    /// Whether anyone listens on `subject`.
    pub(crate) fn has_interest(&mut self, subject: &[u8]) -> bool {
        self.account.has_interest(subject, &mut self.publisher)
    }
}
