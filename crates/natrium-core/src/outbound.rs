//! A connection's outbound buffer: many publishers append encoded frames, one writer drains.
//!
//! Appending never blocks on the network and never `.await`s: a publisher takes the short
//! lock, encodes the frame straight into the buffer and leaves. When the pending bytes would
//! pass `max_pending` the connection is marked a slow consumer and closed instead of growing
//! without bound, so one stalled reader can never exhaust memory.
//!
//! Before that point a buffer becomes *congested* (past half of `max_pending`, at most
//! [`STALL_AT_MOST`]): publishers that delivered to it are asked to pause reading for a
//! moment ([`Outbound::wait_drained`], bounded by the caller) so that TCP pushes back on a
//! fast producer instead of its consumer being cut off. nats-server likewise stalls fast
//! producers.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use bytes::BytesMut;
use parking_lot::Mutex;
use tokio::sync::Notify;

/// Size of one outbound chunk. Frames are appended into fixed chunks rather than one
/// growing buffer: a growing buffer is reallocated and copied as a burst builds up, and
/// the fresh pages of each reallocation fault in (about a tenth of the server's time under
/// `pubsub_raw` before chunks, docs/PERFORMANCE.md). Chunks never move once written.
pub const CHUNK: usize = 64 * 1024;

/// Written chunks a connection keeps for its own reuse. Chunks are only kept after a burst
/// needed them, so an idle connection holds at most one.
const SPARE_CHUNKS: usize = 4;

/// Written chunks kept process-wide (16 MiB) for connections whose own spares ran out.
/// Freed to the allocator instead, a burst's chunks went back to the kernel and their pages
/// faulted in again on the next burst; the pool keeps them while bounding what a past burst
/// can hold on to.
const POOLED_CHUNKS: usize = 256;

/// The process-wide chunk pool; its lock is taken at most once per chunk (64 KiB of
/// frames), not per frame.
static POOL: Mutex<Vec<BytesMut>> = Mutex::new(Vec::new());

/// A chunk from the pool, or a new one.
fn new_chunk(hint: usize) -> BytesMut {
    let pooled = if hint <= CHUNK {
        POOL.lock().pop()
    } else {
        None
    };
    pooled.unwrap_or_else(|| BytesMut::with_capacity(CHUNK.max(hint)))
}

/// Chunks the writer takes for one vectored write (4 MiB). Taking a bounded batch keeps
/// most of a backlog in the pending buffer, where congestion is measured.
pub const MAX_TAKE: usize = 64;

/// The most pending bytes before a buffer counts as congested, whatever `max_pending`.
/// With the writer's batch this bounds a fast producer's backlog to about 8 MiB, which the
/// chunk pool can hold.
pub const STALL_AT_MOST: usize = 4 * 1024 * 1024;

/// What an ordinary protocol frame (PONG, +OK, -ERR, INFO) is expected to need; a larger
/// frame still fits, its chunk just grows.
const PROTO_HINT: usize = 512;

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
    /// Filled chunks in order; only the last one is appended to.
    chunks: Vec<BytesMut>,
    /// Bytes in `chunks`.
    len: usize,
    /// Empty chunks handed back by the writer.
    spare: Vec<BytesMut>,
    closed: Option<CloseReason>,
    /// Messages and payload bytes delivered: counted under the lock every append takes
    /// anyway, which spares each delivery two atomic updates.
    out_msgs: u64,
    out_bytes: u64,
}

impl Pending {
    /// The chunk to append a frame of about `hint` bytes to: the last one if it has room,
    /// else a spare or new one.
    fn chunk_for(&mut self, hint: usize) -> Option<&mut BytesMut> {
        let has_room = self
            .chunks
            .last()
            .is_some_and(|c| c.capacity() - c.len() >= hint);
        if !has_room {
            let mut chunk = self.spare.pop().unwrap_or_else(|| new_chunk(hint));
            chunk.reserve(hint);
            self.chunks.push(chunk);
        }
        self.chunks.last_mut()
    }
}

/// The outbound half of one client connection.
pub struct Outbound {
    pending: Mutex<Pending>,
    wake: Notify,
    /// Wakes publishers waiting for a congested buffer to drain.
    drained: Notify,
    max_pending: usize,
    stall_at: usize,
    /// Chunks the writer takes per batch: at most [`MAX_TAKE`], and no more than the
    /// congestion point, so that what the writer holds stays small next to `max_pending`.
    batch: usize,
    congested: AtomicBool,
    /// Bytes the writer has written to the socket: publishers paused for a congested
    /// buffer watch it to tell a slow consumer from a stopped one.
    written: AtomicU64,
    has_closed: AtomicBool,
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
                chunks: Vec::new(),
                len: 0,
                spare: Vec::new(),
                closed: None,
                out_msgs: 0,
                out_bytes: 0,
            }),
            wake: Notify::new(),
            drained: Notify::new(),
            max_pending,
            stall_at: (max_pending / 2).min(STALL_AT_MOST),
            batch: (max_pending / 2 / CHUNK).clamp(1, MAX_TAKE),
            congested: AtomicBool::new(false),
            written: AtomicU64::new(0),
            has_closed: AtomicBool::new(false),
        }
    }

    /// Appends one delivered message frame of about `frame_len` bytes (an estimate that
    /// is not below the real size keeps the frame in one chunk), encoded by `encode`
    /// straight into the buffer.
    ///
    /// `counted` is what the message counts toward `out_bytes` (nats-server counts
    /// payload and headers, not protocol framing).
    pub fn append_msg(
        &self,
        counted: usize,
        frame_len: usize,
        encode: impl FnOnce(&mut BytesMut),
    ) -> Appended {
        self.append_sized(frame_len, Some(counted), encode)
    }

    /// Appends protocol bytes (INFO, PONG, +OK, -ERR) that do not count as messages.
    pub fn append(&self, encode: impl FnOnce(&mut BytesMut)) -> Appended {
        self.append_sized(PROTO_HINT, None, encode)
    }

    /// Appends a frame of about `hint` bytes; `counted` is `Some(bytes)` for a message.
    fn append_sized(
        &self,
        hint: usize,
        counted: Option<usize>,
        encode: impl FnOnce(&mut BytesMut),
    ) -> Appended {
        if self.has_closed.load(Ordering::Acquire) {
            return Appended::Dropped;
        }
        let mut pending = self.pending.lock();
        if pending.closed.is_some() {
            return Appended::Dropped;
        }
        let was_empty = pending.len == 0;
        let Some(chunk) = pending.chunk_for(hint) else {
            // Not reached: `chunk_for` pushes a chunk when there is none.
            return Appended::Dropped;
        };
        let before = chunk.len();
        encode(chunk);
        let written = chunk.len() - before;
        pending.len += written;
        if pending.len > self.max_pending {
            pending.chunks.clear();
            pending.len = 0;
            pending.closed = Some(CloseReason::SlowConsumer);
            self.has_closed.store(true, Ordering::Release);
            drop(pending);
            self.wake.notify_one();
            self.drained.notify_waiters();
            return Appended::Dropped;
        }
        if let Some(bytes) = counted {
            pending.out_msgs += 1;
            pending.out_bytes += bytes as u64;
        }
        if pending.len > self.stall_at && !self.congested.load(Ordering::Relaxed) {
            self.congested.store(true, Ordering::Relaxed);
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

    /// Moves up to one batch of pending chunks (at most [`MAX_TAKE`]), in order, onto the end of `out` for the
    /// writer to send. Returns the close reason once the connection was closed and nothing
    /// is left: bytes buffered before the close are handed over first.
    pub fn take(&self, out: &mut Vec<BytesMut>) -> Option<CloseReason> {
        let mut pending = self.pending.lock();
        let n = pending.chunks.len().min(self.batch);
        let before = out.len();
        out.extend(pending.chunks.drain(..n));
        let taken: usize = out.iter().skip(before).map(BytesMut::len).sum();
        pending.len = pending.len.saturating_sub(taken);
        if pending.len <= self.stall_at && self.congested.load(Ordering::Relaxed) {
            self.congested.store(false, Ordering::Relaxed);
            self.drained.notify_waiters();
        }
        if pending.chunks.is_empty() {
            pending.closed
        } else {
            None
        }
    }

    /// Records that the writer wrote `n` more bytes to the socket.
    pub fn wrote(&self, n: usize) {
        self.written.fetch_add(n as u64, Ordering::Relaxed);
    }

    /// Bytes the writer has written to the socket so far.
    pub fn written_bytes(&self) -> u64 {
        self.written.load(Ordering::Relaxed)
    }

    /// Whether pending bytes passed the point where publishers should pause.
    pub fn is_congested(&self) -> bool {
        self.congested.load(Ordering::Relaxed)
    }

    /// Waits until the buffer is no longer congested or the connection is closed.
    pub async fn wait_drained(&self) {
        loop {
            let drained = self.drained.notified();
            tokio::pin!(drained);
            // Registered before the check, so a drain in between is not missed.
            drained.as_mut().enable();
            if !self.is_congested() || self.is_closed() {
                return;
            }
            drained.await;
        }
    }

    /// Hands written chunks back for reuse: up to [`SPARE_CHUNKS`] stay with this
    /// connection, more go to the process-wide pool while it has room, and chunks a large
    /// frame grew are freed. `written` is left empty.
    pub fn recycle(&self, written: &mut Vec<BytesMut>) {
        written.retain(|c| c.capacity() <= 2 * CHUNK);
        {
            let mut pending = self.pending.lock();
            while pending.spare.len() < SPARE_CHUNKS {
                let Some(mut chunk) = written.pop() else {
                    return;
                };
                chunk.clear();
                pending.spare.push(chunk);
            }
        }
        let mut pool = POOL.lock();
        for mut chunk in written.drain(..) {
            if pool.len() >= POOLED_CHUNKS {
                break;
            }
            chunk.clear();
            pool.push(chunk);
        }
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
        self.drained.notify_waiters();
    }

    /// Whether the outbound side has been closed.
    pub fn is_closed(&self) -> bool {
        self.has_closed.load(Ordering::Acquire)
    }

    /// Bytes buffered and not yet handed to the writer.
    pub fn pending_bytes(&self) -> usize {
        self.pending.lock().len
    }

    /// Messages delivered to this connection.
    pub fn out_msgs(&self) -> u64 {
        self.pending.lock().out_msgs
    }

    /// Payload bytes delivered to this connection.
    pub fn out_bytes(&self) -> u64 {
        self.pending.lock().out_bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::BufMut;

    fn drain(out: &Outbound) -> (Vec<u8>, Option<CloseReason>) {
        let mut chunks = Vec::new();
        let closed = out.take(&mut chunks);
        let bytes = chunks.iter().flat_map(|c| c.iter().copied()).collect();
        out.recycle(&mut chunks);
        (bytes, closed)
    }

    #[test]
    fn first_append_asks_for_a_wake_and_later_ones_do_not() {
        let out = Outbound::new(1024);
        assert_eq!(
            out.append(|b| b.put_slice(b"PONG\r\n")),
            Appended::FirstInBuffer
        );
        assert_eq!(out.append(|b| b.put_slice(b"PONG\r\n")), Appended::Queued);
        assert_eq!(drain(&out), (b"PONG\r\nPONG\r\n".to_vec(), None));
        assert_eq!(
            out.append(|b| b.put_slice(b"+OK\r\n")),
            Appended::FirstInBuffer
        );
    }

    #[test]
    fn passing_max_pending_marks_a_slow_consumer_and_drops_later_frames() {
        let out = Outbound::new(10);
        assert_eq!(
            out.append_msg(8, 8, |b| b.put_slice(b"12345678")),
            Appended::FirstInBuffer
        );
        assert_eq!(
            out.append_msg(8, 8, |b| b.put_slice(b"12345678")),
            Appended::Dropped
        );
        assert!(out.is_closed());
        assert_eq!(out.append(|b| b.put_slice(b"x")), Appended::Dropped);
        assert_eq!(drain(&out), (Vec::new(), Some(CloseReason::SlowConsumer)));
        assert_eq!(out.out_msgs(), 1);
    }

    #[test]
    fn a_backlog_past_half_of_max_pending_is_congested_until_the_writer_takes_it() {
        let out = Outbound::new(4 * CHUNK);
        let frame = [1u8; 1024];
        while !out.is_congested() {
            assert_ne!(
                out.append_msg(frame.len(), frame.len(), |b| b.put_slice(&frame)),
                Appended::Dropped
            );
        }
        assert!(out.pending_bytes() > 2 * CHUNK);
        assert!(!out.is_closed());
        let mut chunks = Vec::new();
        out.take(&mut chunks);
        assert!(!out.is_congested());
    }

    #[test]
    fn the_writer_takes_a_bounded_batch_and_the_close_only_after_the_last_one() {
        let out = Outbound::new(usize::MAX);
        let frame = [2u8; 1000];
        let frames = (MAX_TAKE + 2) * CHUNK / frame.len();
        for _ in 0..frames {
            out.append_msg(frame.len(), frame.len(), |b| b.put_slice(&frame));
        }
        out.close(CloseReason::Closed);
        let mut chunks = Vec::new();
        assert_eq!(out.take(&mut chunks), None);
        assert_eq!(chunks.len(), MAX_TAKE);
        let mut total: usize = chunks.iter().map(BytesMut::len).sum();
        chunks.clear();
        assert_eq!(out.take(&mut chunks), Some(CloseReason::Closed));
        total += chunks.iter().map(BytesMut::len).sum::<usize>();
        assert_eq!(total, frames * frame.len());
        assert_eq!(out.pending_bytes(), 0);
    }

    #[test]
    fn frames_span_chunks_in_order_and_written_chunks_are_reused() {
        let out = Outbound::new(usize::MAX);
        let frame = [7u8; 1000];
        let frames = 3 * CHUNK / frame.len();
        for _ in 0..frames {
            out.append_msg(frame.len(), frame.len(), |b| b.put_slice(&frame));
        }
        assert_eq!(out.pending_bytes(), frames * frame.len());
        let mut chunks = Vec::new();
        out.take(&mut chunks);
        assert!(chunks.len() >= 3);
        assert!(chunks.iter().all(|c| c.len() % frame.len() == 0));
        let written: Vec<*const u8> = chunks.iter().map(|c| c.as_ptr()).collect();
        out.recycle(&mut chunks);
        assert!(chunks.is_empty());
        out.append(|b| b.put_slice(b"PING\r\n"));
        out.take(&mut chunks);
        assert_eq!(chunks.len(), 1);
        let reused = chunks.first().map(|c| c.as_ptr());
        assert!(reused.is_some_and(|p| written.contains(&p)));
        assert_eq!(out.pending_bytes(), 0);
    }
}
