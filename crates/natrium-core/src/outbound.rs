//! A connection's outbound buffer: many publishers append encoded frames, one writer drains.
//!
//! Appending never blocks on the network and never `.await`s: a publisher takes the short
//! lock, encodes the frame straight into the buffer and leaves. When the pending bytes would
//! pass `max_pending` the connection is marked a slow consumer and closed instead of growing
//! without bound, so one stalled reader can never hold up a publisher or exhaust memory.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use bytes::BytesMut;
use parking_lot::Mutex;
use tokio::sync::Notify;

/// Why a connection's outbound side stopped accepting frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    /// Pending bytes passed `max_pending`.
    SlowConsumer,
    /// Anything else: the connection is going away.
    Closed,
}

/// What happened to one frame handed to [`Outbound::append`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Appended {
    /// Buffered behind other frames; whoever buffered the first one wakes the writer.
    Queued,
    /// Buffered into an empty buffer: the caller must arrange for [`Outbound::wake`].
    FirstInBuffer,
    /// Dropped: the connection is closed or just became a slow consumer.
    Dropped,
}

struct Pending {
    buf: BytesMut,
    closed: Option<CloseReason>,
}

/// The outbound half of one client connection.
pub struct Outbound {
    pending: Mutex<Pending>,
    wake: Notify,
    max_pending: usize,
    has_closed: AtomicBool,
    out_msgs: AtomicU64,
    out_bytes: AtomicU64,
}

impl std::fmt::Debug for Outbound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbound")
            .field("max_pending", &self.max_pending)
            .field("closed", &self.has_closed.load(Ordering::Relaxed))
            .finish()
    }
}

impl Outbound {
    /// An empty outbound buffer that turns a connection into a slow consumer past
    /// `max_pending` bytes.
    pub fn new(max_pending: usize) -> Self {
        Self {
            pending: Mutex::new(Pending {
                buf: BytesMut::with_capacity(4096),
                closed: None,
            }),
            wake: Notify::new(),
            max_pending,
            has_closed: AtomicBool::new(false),
            out_msgs: AtomicU64::new(0),
            out_bytes: AtomicU64::new(0),
        }
    }

    /// Appends one delivered message frame, encoded by `encode` straight into the buffer.
    ///
    /// `payload_len` is what the message counts toward `out_bytes` (nats-server counts
    /// payload and headers, not protocol framing).
    pub fn append_msg(&self, payload_len: usize, encode: impl FnOnce(&mut BytesMut)) -> Appended {
        let appended = self.append(encode);
        if appended != Appended::Dropped {
            self.out_msgs.fetch_add(1, Ordering::Relaxed);
            self.out_bytes
                .fetch_add(payload_len as u64, Ordering::Relaxed);
        }
        appended
    }

    /// Appends protocol bytes (INFO, PONG, +OK, -ERR) that do not count as messages.
    pub fn append(&self, encode: impl FnOnce(&mut BytesMut)) -> Appended {
        if self.has_closed.load(Ordering::Acquire) {
            return Appended::Dropped;
        }
        let mut pending = self.pending.lock();
        if pending.closed.is_some() {
            return Appended::Dropped;
        }
        let was_empty = pending.buf.is_empty();
        encode(&mut pending.buf);
        if pending.buf.len() > self.max_pending {
            pending.buf.clear();
            pending.closed = Some(CloseReason::SlowConsumer);
            self.has_closed.store(true, Ordering::Release);
            drop(pending);
            self.wake.notify_one();
            return Appended::Dropped;
        }
        if was_empty {
            Appended::FirstInBuffer
        } else {
            Appended::Queued
        }
    }

    /// Wakes the writer so it sends what is buffered.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Waits until there is something to write or the connection is closed.
    pub async fn wait(&self) {
        self.wake.notified().await;
    }

    /// Swaps the pending bytes into `spare` (which must be empty) for the writer to send.
    /// Returns the close reason once the connection was closed; buffered bytes written
    /// before the close are still handed over first.
    pub fn take(&self, spare: &mut BytesMut) -> Option<CloseReason> {
        let mut pending = self.pending.lock();
        std::mem::swap(&mut pending.buf, spare);
        pending.closed
    }

    /// Closes the outbound side: later appends are dropped, the writer is woken to finish.
    pub fn close(&self, reason: CloseReason) {
        let mut pending = self.pending.lock();
        if pending.closed.is_none() {
            pending.closed = Some(reason);
        }
        self.has_closed.store(true, Ordering::Release);
        drop(pending);
        self.wake.notify_one();
    }

    /// Whether the outbound side has been closed.
    pub fn is_closed(&self) -> bool {
        self.has_closed.load(Ordering::Acquire)
    }

    /// Bytes buffered and not yet handed to the writer.
    pub fn pending_bytes(&self) -> usize {
        self.pending.lock().buf.len()
    }

    /// Messages delivered to this connection.
    pub fn out_msgs(&self) -> u64 {
        self.out_msgs.load(Ordering::Relaxed)
    }

    /// Payload bytes delivered to this connection.
    pub fn out_bytes(&self) -> u64 {
        self.out_bytes.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::BufMut;

    #[test]
    fn first_append_asks_for_a_wake_and_later_ones_do_not() {
        let out = Outbound::new(1024);
        assert_eq!(
            out.append(|b| b.put_slice(b"PONG\r\n")),
            Appended::FirstInBuffer
        );
        assert_eq!(out.append(|b| b.put_slice(b"PONG\r\n")), Appended::Queued);
        let mut spare = BytesMut::new();
        assert_eq!(out.take(&mut spare), None);
        assert_eq!(&spare[..], b"PONG\r\nPONG\r\n");
        assert_eq!(
            out.append(|b| b.put_slice(b"+OK\r\n")),
            Appended::FirstInBuffer
        );
    }

    #[test]
    fn passing_max_pending_marks_a_slow_consumer_and_drops_later_frames() {
        let out = Outbound::new(10);
        assert_eq!(
            out.append_msg(8, |b| b.put_slice(b"12345678")),
            Appended::FirstInBuffer
        );
        assert_eq!(
            out.append_msg(8, |b| b.put_slice(b"12345678")),
            Appended::Dropped
        );
        assert!(out.is_closed());
        assert_eq!(out.append(|b| b.put_slice(b"x")), Appended::Dropped);
        let mut spare = BytesMut::new();
        assert_eq!(out.take(&mut spare), Some(CloseReason::SlowConsumer));
        assert!(spare.is_empty());
        assert_eq!(out.out_msgs(), 1);
    }
}
