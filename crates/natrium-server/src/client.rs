//! One client connection: the handshake, the reader that parses and routes, the writer that
//! drains the outbound buffer, and the liveness and auth timers.
//!
//! The reader owns the parse state, the match cache and the session flags; the writer owns
//! the socket's write half. They meet only at the connection's [`Outbound`] buffer, so a
//! slow socket never stalls a publisher and a publisher never waits for a lock across I/O.
//!
//! [`Outbound`]: natrium_core::Outbound

use std::io::IoSlice;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use bytes::{Buf, BufMut, BytesMut};
use natrium_core::{Account, ClientHandle, CloseReason, Message, Outbound, Publisher, TraceAsk};
use natrium_proto::ServerInfo;
use natrium_proto::{encode_err, ClientOp, ConnectInfo, Limits, Parsed, ProtoError};
use natrium_subject::Mapped;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;
use tracing::{debug, info, trace, warn};

use crate::auth::{self, Identity};
use crate::info;
use crate::jwt::ConnectionSlot;
use crate::permissions::{go_quote, ConnPermissions, SwappableRules};
use crate::state::{ClosedState, Connection, Shared, TlsMeta};
use crate::transport::cert::CertIdentity;

/// Read buffer size; grows on demand for large payloads.
const READ_BUF: usize = 64 * 1024;
/// How long a reader paused for a congested consumer waits without seeing that consumer's
/// writer make progress before it reads on anyway: a consumer that stopped reading slows
/// its producer to one read per this pause until it passes `max_pending`.
const STALL_NO_PROGRESS: Duration = Duration::from_millis(5);
/// Longest a reader pauses after one read, however steadily its consumers drain.
const STALL_MAX: Duration = Duration::from_millis(100);

/// Whether the session goes on after an operation.
#[derive(Debug, PartialEq, Eq)]
enum Flow {
    Continue,
    Close(ClosedState),
    /// A CONNECT must be authenticated before anything after it is processed.
    Authenticate(Box<ConnectInfo>),
}

/// How a writer ended.
#[derive(Debug)]
pub(crate) enum WriterEnd {
    Closed(CloseReason),
    WriteDeadline,
    Io(std::io::Error),
}

/// What the transport learned before the client session starts.
pub(crate) struct Setup {
    /// The connection id, also named in INFO.
    pub cid: u64,
    /// The INFO for this connection (with its nonce).
    pub info: ServerInfo,
    /// INFO already went out (in plain text, before a TLS handshake).
    pub info_sent: bool,
    /// The verified client certificate, when `verify_and_map` selects the user by it.
    pub cert: Option<CertIdentity>,
    /// The connection came through the WebSocket listener.
    pub websocket: bool,
    /// The TLS session, for monitoring.
    pub tls: Option<TlsMeta>,
}

/// The INFO client `cid` from `addr` gets, with a fresh nonce when nkeys need one.
pub(crate) fn client_info(shared: &Shared, cid: u64, addr: SocketAddr) -> ServerInfo {
    let mut info = info::for_client(shared, cid, addr);
    // Each connection signs its own nonce, so a signature seen on one cannot be replayed.
    info.nonce = shared
        .auth
        .current()
        .options()
        .nonce_required()
        .then(auth::new_nonce);
    info
}

/// Serves one accepted plain TCP connection until it closes.
pub async fn serve(shared: Arc<Shared>, stream: TcpStream, addr: SocketAddr) {
    let _ = stream.set_nodelay(true);
    let cid = shared.next_cid();
    let setup = Setup {
        cid,
        info: client_info(&shared, cid, addr),
        info_sent: false,
        cert: None,
        websocket: false,
        tls: None,
    };
    let (rd, wr) = stream.into_split();
    run(shared, rd, wr, addr, setup).await;
}

/// Serves one connection over any transport (plain TCP, TLS, WebSocket) until it closes.
pub(crate) async fn run<R, W>(shared: Arc<Shared>, rd: R, wr: W, addr: SocketAddr, setup: Setup)
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let Setup {
        cid,
        info,
        info_sent,
        cert,
        websocket,
        tls,
    } = setup;
    let handle = Arc::new(ClientHandle::new(cid, shared.limits.max_pending()));
    let conn = Arc::new(Connection::new(Arc::clone(&handle), addr));
    if tls.is_some() || websocket {
        let mut meta = conn.meta.lock();
        meta.tls = tls;
        meta.websocket = websocket;
    }

    let over_limit = {
        let mut clients = shared.clients.lock();
        if clients.len() >= shared.limits.max_connections() {
            true
        } else {
            clients.insert(cid, Arc::clone(&conn));
            false
        }
    };
    shared.totals.connections.fetch_add(1, Ordering::Relaxed);
    let nonce = info.nonce.clone().unwrap_or_default();
    if !info_sent {
        handle.outbound.append(|buf| info.encode(buf));
    }
    if over_limit {
        warn!(cid, %addr, max = shared.limits.max_connections(), "maximum connections exceeded");
        handle
            .outbound
            .append(|buf| encode_err(buf, "maximum connections exceeded"));
        handle.outbound.close(CloseReason::Closed);
        let _ = write_loop(wr, &handle, shared.limits.write_deadline()).await;
        return;
    }
    debug!(cid, %addr, "client connection created");

    let mut writer = tokio::spawn({
        let handle = Arc::clone(&handle);
        let deadline = shared.limits.write_deadline();
        async move { write_loop(wr, &handle, deadline).await }
    });
    handle.outbound.wake();

    let mut session = Session::new(Arc::clone(&shared), Arc::clone(&conn), nonce);
    session.cert = cert;
    session.websocket = websocket;
    let end = session.read_loop(rd, &mut writer).await;

    let subjects = handle
        .subscriptions()
        .iter()
        .map(|sub| String::from_utf8_lossy(&sub.subject).into_owned())
        .collect();
    session.account.remove_client(&handle);
    handle.outbound.close(CloseReason::Closed);
    let (reader_reason, writer_end) = match end {
        ReaderEnd::WriterDone(w) => (None, Some(w)),
        ReaderEnd::Other(reason) => (
            Some(reason),
            tokio::time::timeout(Duration::from_secs(5), &mut writer)
                .await
                .ok()
                .and_then(Result::ok),
        ),
    };
    writer.abort();
    let reason = match &writer_end {
        Some(WriterEnd::Closed(CloseReason::SlowConsumer)) => ClosedState::SlowConsumerPendingBytes,
        Some(WriterEnd::WriteDeadline) => ClosedState::SlowConsumerWriteDeadline,
        Some(WriterEnd::Io(_)) if reader_reason.is_none() => ClosedState::WriteError,
        // Closed from outside the session: shutdown or lame duck mode.
        _ => reader_reason.unwrap_or(ClosedState::ServerShutdown),
    };
    match writer_end {
        Some(WriterEnd::Closed(CloseReason::SlowConsumer)) => {
            shared.totals.slow_consumers.fetch_add(1, Ordering::Relaxed);
            info!(cid, %addr, max_pending = shared.limits.max_pending(), "slow consumer detected: max pending exceeded");
        }
        Some(WriterEnd::WriteDeadline) => {
            shared.totals.slow_consumers.fetch_add(1, Ordering::Relaxed);
            info!(cid, %addr, deadline = ?shared.limits.write_deadline(), "slow consumer detected: write deadline exceeded");
        }
        Some(WriterEnd::Io(e)) => debug!(cid, %addr, error = %e, "write error"),
        _ => {}
    }
    shared.deregister(&conn, reason, subjects);
    if session.connected {
        crate::sys::client_disconnected(&shared, &conn, session.account.name(), reason);
    }
    debug!(cid, %addr, reason = reason.as_str(), "client connection closed");
}

/// Drains the outbound buffer into the socket until the connection closes.
pub(crate) async fn write_loop<W: AsyncWrite + Unpin>(
    mut wr: W,
    handle: &ClientHandle,
    deadline: Duration,
) -> WriterEnd {
    let mut chunks = Vec::new();
    loop {
        let closed = handle.outbound.take(&mut chunks);
        if !chunks.is_empty() {
            match tokio::time::timeout(deadline, write_chunks(&mut wr, &chunks, &handle.outbound))
                .await
            {
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    handle.outbound.close(CloseReason::Closed);
                    return WriterEnd::Io(e);
                }
                Err(_) => {
                    handle.outbound.close(CloseReason::SlowConsumer);
                    return WriterEnd::WriteDeadline;
                }
            }
            handle.outbound.recycle(&mut chunks);
        }
        if let Some(reason) = closed {
            let _ = tokio::time::timeout(deadline, wr.shutdown()).await;
            return WriterEnd::Closed(reason);
        }
        // A batch may have left chunks behind; their appends woke no one.
        if handle.outbound.pending_bytes() == 0 {
            handle.outbound.wait().await;
        }
    }
}

/// Chunks handed to one vectored write; Linux takes up to 1024, and 64 chunks of
/// [`natrium_core::outbound::CHUNK`] bytes are already far more than a socket buffer holds.
const MAX_IOV: usize = 64;

/// Writes `chunks` in order, many chunks per `writev` system call, telling `outbound` how
/// far it got after each.
async fn write_chunks<W: AsyncWrite + Unpin>(
    wr: &mut W,
    chunks: &[BytesMut],
    outbound: &Outbound,
) -> std::io::Result<()> {
    // The first chunk not fully written, and how much of it was.
    let mut first = 0;
    let mut offset = 0;
    loop {
        while chunks.get(first).is_some_and(|c| c.len() <= offset) {
            first += 1;
            offset = 0;
        }
        let mut iov = [IoSlice::new(&[]); MAX_IOV];
        let mut used = 0;
        for (slot, chunk) in iov.iter_mut().zip(chunks.iter().skip(first)) {
            let from = if used == 0 { offset } else { 0 };
            *slot = IoSlice::new(chunk.get(from..).unwrap_or_default());
            used += 1;
        }
        if used == 0 {
            // Buffering transports (TLS records, WebSocket frames) send on flush; a TCP
            // socket's flush does nothing.
            return wr.flush().await;
        }
        let mut written = wr
            .write_vectored(iov.get(..used).unwrap_or_default())
            .await?;
        if written == 0 {
            return Err(std::io::ErrorKind::WriteZero.into());
        }
        outbound.wrote(written);
        while let Some(chunk) = chunks.get(first) {
            let left = chunk.len() - offset;
            if written < left {
                offset += written;
                break;
            }
            written -= left;
            first += 1;
            offset = 0;
        }
    }
}

/// Whether users with names exist, which `verify_and_map` selects among (as in
/// nats-server, a token or nkeys alone are checked as usual).
fn has_users(auth: &crate::options::AuthOptions) -> bool {
    auth.user.is_some() || !auth.users.is_empty()
}

enum ReaderEnd {
    WriterDone(WriterEnd),
    Other(ClosedState),
}

/// The reader's view of one client session.
struct Session {
    shared: Arc<Shared>,
    conn: Arc<Connection>,
    /// The account the client is bound to: the global one until CONNECT names another.
    account: Arc<Account>,
    publisher: Publisher,
    limits: Limits,
    connected: bool,
    auth_required: bool,
    /// The nonce sent in INFO, which nkey users sign.
    nonce: String,
    /// The user's permissions; `None` (no checks at all) for users without any.
    perms: Option<ConnPermissions>,
    /// The delivery hook installed on the handle, once the user's permissions needed one.
    delivery_rules: Option<Arc<SwappableRules>>,
    /// The CONNECT this session was accepted with: a config reload checks its
    /// credentials again, as nats-server does.
    accepted: Option<ConnectInfo>,
    /// Operator mode: this connection counted against its account's `conn` limit.
    account_slot: Option<ConnectionSlot>,
    /// Operator mode: most subscriptions the user's JWT allows.
    max_subs: Option<usize>,
    /// Operator mode: when the user's or account's JWT expires (the session then closes
    /// with this text).
    expires: Option<(tokio::time::Instant, &'static str)>,
    verbose: bool,
    pedantic: bool,
    no_responders: bool,
    pings_out: u32,
    received_since_ping: bool,
    /// When the PING whose PONG will measure the round trip was sent.
    rtt_start: Option<tokio::time::Instant>,
    /// Messages and bytes received since the connection's shared counters were last
    /// updated: once per read rather than per message, saving two atomic updates each.
    in_msgs: u64,
    in_bytes: u64,
    /// The client certificate that selects the user (`verify_and_map`).
    cert: Option<CertIdentity>,
    /// It came through the WebSocket listener, whose users are checked against their
    /// `allowed_connection_types` for WebSocket.
    websocket: bool,
    /// The authenticators' generation this session's credentials were last checked by.
    auth_seen: u64,
    /// Operator mode: the user's JWT payload limit, below the server's.
    payload_cap: Option<usize>,
}

impl Session {
    fn new(shared: Arc<Shared>, conn: Arc<Connection>, nonce: String) -> Self {
        let limits = Limits {
            max_control_line: shared.limits.max_control_line(),
            max_payload: shared.limits.max_payload(),
        };
        // With a no_auth_user INFO does not ask for credentials, but CONNECT is still
        // checked: credentials that are sent must be right.
        let auth_required = shared.auth.current().options().configured();
        let auth_seen = shared.auth.auth_generation();
        let seed = conn.handle.id ^ crate::state::unix_nanos(conn.start);
        let account = Arc::clone(shared.accounts.global());
        Self {
            shared,
            conn,
            account,
            publisher: Publisher::new(seed),
            limits,
            connected: false,
            auth_required,
            nonce,
            perms: None,
            delivery_rules: None,
            accepted: None,
            account_slot: None,
            max_subs: None,
            expires: None,
            verbose: false,
            pedantic: false,
            no_responders: false,
            pings_out: 0,
            received_since_ping: false,
            rtt_start: None,
            in_msgs: 0,
            in_bytes: 0,
            cert: None,
            websocket: false,
            auth_seen,
            payload_cap: None,
        }
    }

    fn handle(&self) -> &Arc<ClientHandle> {
        &self.conn.handle
    }

    async fn read_loop<R: AsyncRead + Unpin>(
        &mut self,
        mut rd: R,
        writer: &mut JoinHandle<WriterEnd>,
    ) -> ReaderEnd {
        let mut shutdown = self.shared.shutdown.subscribe();
        let mut reloads = self.shared.auth.subscribe();
        let mut buf = BytesMut::with_capacity(READ_BUF);
        let ping_interval = self.shared.opts.ping_interval;
        let first_ping = self.first_ping_delay(ping_interval);
        let mut ping =
            tokio::time::interval_at(tokio::time::Instant::now() + first_ping, ping_interval);
        let auth_deadline = tokio::time::sleep(self.shared.limits.auth_timeout());
        tokio::pin!(auth_deadline);
        // Armed once a user whose JWT expires has logged in.
        let expiry = tokio::time::sleep(Duration::ZERO);
        tokio::pin!(expiry);
        let mut expiry_armed = None;
        loop {
            if let Some((at, text)) = self.expires.take() {
                expiry.as_mut().reset(at);
                expiry_armed = Some(text);
            }
            if buf.capacity() - buf.len() < READ_BUF / 4 {
                buf.reserve(READ_BUF);
            }
            let mut connect = None;
            // A reload that happened since the last read applies before the next one is
            // parsed (the select below may pick the read first).
            let mut reloaded = reloads.has_changed().unwrap_or(false);
            if reloaded {
                reloads.borrow_and_update();
                if let Flow::Close(reason) = self.on_reload().await {
                    return ReaderEnd::Other(reason);
                }
                reloaded = false;
            }
            tokio::select! {
                end = &mut *writer => {
                    return match end {
                        Ok(w) => ReaderEnd::WriterDone(w),
                        Err(_) => ReaderEnd::Other(ClosedState::WriteError),
                    };
                }
                _ = shutdown.wait_for(|down| *down) => return ReaderEnd::Other(ClosedState::ServerShutdown),
                () = &mut auth_deadline, if self.auth_required && !self.connected => {
                    debug!(cid = self.handle().id, "authentication timeout");
                    self.send_err("Authentication Timeout");
                    return ReaderEnd::Other(ClosedState::AuthenticationTimeout);
                }
                // A failed wait (no sender) disables this branch instead of spinning.
                Ok(()) = reloads.changed() => reloaded = true,
                () = &mut expiry, if expiry_armed.is_some() => {
                    let text = expiry_armed.unwrap_or_default();
                    debug!(cid = self.handle().id, "{text}");
                    self.send_err(text);
                    return ReaderEnd::Other(ClosedState::AuthenticationExpired);
                }
                _ = ping.tick() => {
                    if let Flow::Close(reason) = self.on_ping_timer() {
                        return ReaderEnd::Other(reason);
                    }
                }
                read = rd.read_buf(&mut buf) => {
                    match read {
                        Ok(0) | Err(_) => return ReaderEnd::Other(ClosedState::ClientClosed),
                        Ok(_) => {}
                    }
                    self.received_since_ping = true;
                    self.conn.touch();
                    let flow = self.process(&mut buf);
                    self.publisher.wakes.flush();
                    match flow {
                        Flow::Continue => {}
                        Flow::Close(reason) => return ReaderEnd::Other(reason),
                        Flow::Authenticate(c) => connect = Some(c),
                    }
                }
            }
            // Outside the select: authentication may await, and the select's output
            // borrows the shutdown watch, which must not be held across an await.
            if let Some(connect) = connect {
                if let Flow::Close(reason) = self.authenticate_and_resume(*connect, &mut buf).await
                {
                    return ReaderEnd::Other(reason);
                }
            }
            if reloaded {
                if let Flow::Close(reason) = self.on_reload().await {
                    return ReaderEnd::Other(reason);
                }
            }
            if self.publisher.wakes.has_congested() {
                self.stall_for_congested().await;
            }
        }
    }

    /// Pauses reading while a connection this read delivered to is congested and its
    /// writer keeps making progress (see [`STALL_NO_PROGRESS`], [`STALL_MAX`]): TCP then
    /// slows the producer down to its consumers' pace instead of a consumer that reads
    /// steadily, only more slowly, being closed as a slow consumer.
    async fn stall_for_congested(&mut self) {
        let give_up = tokio::time::Instant::now() + STALL_MAX;
        for client in self.publisher.wakes.congested() {
            let mut written = client.outbound.written_bytes();
            loop {
                let until = (tokio::time::Instant::now() + STALL_NO_PROGRESS).min(give_up);
                if tokio::time::timeout_at(until, client.outbound.wait_drained())
                    .await
                    .is_ok()
                {
                    break;
                }
                let now = client.outbound.written_bytes();
                if now == written || tokio::time::Instant::now() >= give_up {
                    return;
                }
                written = now;
            }
        }
    }

    /// Authenticates a CONNECT, then handles the operations that followed it in `buf`.
    async fn authenticate_and_resume(
        &mut self,
        mut connect: ConnectInfo,
        buf: &mut BytesMut,
    ) -> Flow {
        loop {
            let flow = self.authenticate(connect).await;
            if flow != Flow::Continue {
                return flow;
            }
            let flow = self.process(buf);
            self.publisher.wakes.flush();
            match flow {
                Flow::Authenticate(next) => connect = *next,
                flow => return flow,
            }
        }
    }

    /// Handles every complete operation in `buf`, leaving a partial one for the next read.
    fn process(&mut self, buf: &mut BytesMut) -> Flow {
        let mut consumed = 0;
        let mut flow = Flow::Continue;
        let mut needed = None;
        while flow == Flow::Continue {
            let rest = buf.get(consumed..).unwrap_or_default();
            if rest.is_empty() {
                break;
            }
            match natrium_proto::parse_client_op(rest, &self.limits) {
                Ok(Parsed::Op(op, n)) => {
                    consumed += n;
                    flow = self.on_op(op);
                }
                Ok(Parsed::Incomplete { needed: n }) => {
                    needed = n;
                    break;
                }
                Err(e) => {
                    debug!(cid = self.handle().id, error = %e, "protocol error");
                    if e.sends_err() {
                        self.send_err(e.client_text());
                    }
                    if e.closes_connection() {
                        flow = Flow::Close(match e {
                            ProtoError::MaxPayload { .. } => ClosedState::MaxPayloadExceeded,
                            ProtoError::MaxControlLine => ClosedState::MaxControlLineExceeded,
                            _ => ClosedState::ProtocolViolation,
                        });
                    }
                    break;
                }
            }
        }
        buf.advance(consumed.min(buf.len()));
        if let Some(total) = needed {
            buf.reserve(total.saturating_sub(buf.len()));
        }
        if self.in_msgs > 0 {
            let msgs = std::mem::take(&mut self.in_msgs);
            let bytes = std::mem::take(&mut self.in_bytes);
            self.conn.in_msgs.fetch_add(msgs, Ordering::Relaxed);
            self.conn.in_bytes.fetch_add(bytes, Ordering::Relaxed);
        }
        flow
    }

    /// As nats-server: the first PING goes out after about two seconds (plus up to 20%
    /// jitter, so that many clients connecting at once are not pinged at once) to measure
    /// the round trip early, unless disabled or the interval is shorter anyway.
    fn first_ping_delay(&self, interval: Duration) -> Duration {
        const SHORT_FIRST_PING: Duration = Duration::from_secs(2);
        if self.shared.opts.disable_short_first_ping || interval <= SHORT_FIRST_PING {
            return interval;
        }
        let jitter_ms = self.conn.handle.id.wrapping_mul(2_654_435_761) % 400;
        SHORT_FIRST_PING + Duration::from_millis(jitter_ms)
    }

    fn on_ping_timer(&mut self) -> Flow {
        // Recent traffic proves the client alive; skip the PING unless the round trip
        // has not been measured yet.
        let measured = self.conn.rtt.load(Ordering::Relaxed) != 0;
        if std::mem::take(&mut self.received_since_ping) && self.pings_out == 0 && measured {
            return Flow::Continue;
        }
        if self.pings_out + 1 > self.shared.opts.ping_max {
            debug!(cid = self.handle().id, "stale client connection, closing");
            self.send_err("Stale Connection");
            return Flow::Close(ClosedState::StaleConnection);
        }
        self.pings_out += 1;
        if self.rtt_start.is_none() {
            self.rtt_start = Some(tokio::time::Instant::now());
        }
        self.send_proto(b"PING\r\n");
        Flow::Continue
    }

    fn on_op(&mut self, op: ClientOp<'_>) -> Flow {
        if !self.connected && self.auth_required && !matches!(op, ClientOp::Connect(_)) {
            self.send_err("Authorization Violation");
            return Flow::Close(ClosedState::AuthenticationViolation);
        }
        trace!(cid = self.handle().id, ?op, "<<-");
        match op {
            ClientOp::Connect(json) => return self.on_connect(json),
            ClientOp::Pub {
                subject,
                reply,
                payload,
            } => {
                self.on_pub(subject, reply, None, payload);
                return Flow::Continue;
            }
            ClientOp::HPub {
                subject,
                reply,
                headers,
                payload,
            } => {
                if !self.handle().headers() {
                    // nats-server treats HPUB from a client that did not negotiate headers
                    // as a protocol violation and closes without an -ERR.
                    debug!(cid = self.handle().id, "HPUB without headers support");
                    return Flow::Close(ClosedState::ProtocolViolation);
                }
                self.on_pub(subject, reply, Some(headers), payload);
                return Flow::Continue;
            }
            ClientOp::Sub {
                subject,
                queue,
                sid,
            } => {
                if let Some(perms) = &self.perms {
                    if !perms.may_subscribe(subject, queue) {
                        self.subscription_violation(subject, queue);
                        return Flow::Continue;
                    }
                }
                if self
                    .max_subs
                    .is_some_and(|max| self.handle().subscription_count() >= max)
                {
                    debug!(cid = self.handle().id, "maximum subscriptions exceeded");
                    self.send_err("maximum subscriptions exceeded");
                    return Flow::Continue;
                }
                if self
                    .account
                    .subscribe(self.handle(), subject, queue, sid)
                    .is_err()
                {
                    self.send_err("Invalid Subject");
                    return Flow::Continue;
                }
            }
            ClientOp::Unsub { sid, max } => {
                self.account.unsubscribe(self.handle(), sid, max);
            }
            ClientOp::Ping => {
                self.send_proto(b"PONG\r\n");
                return Flow::Continue;
            }
            ClientOp::Pong => {
                self.pings_out = 0;
                if let Some(start) = self.rtt_start.take() {
                    let rtt = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
                    self.conn.rtt.store(rtt.max(1), Ordering::Relaxed);
                }
                return Flow::Continue;
            }
            ClientOp::Ok | ClientOp::Err(_) | ClientOp::Info(_) => return Flow::Continue,
        }
        if self.verbose {
            self.send_proto(b"+OK\r\n");
        }
        Flow::Continue
    }

    fn on_connect(&mut self, json: &[u8]) -> Flow {
        let connect = match ConnectInfo::from_json(json) {
            Ok(c) => c,
            Err(e) => {
                debug!(cid = self.handle().id, error = %e, "bad CONNECT");
                if e.sends_err() {
                    self.send_err(e.client_text());
                }
                return Flow::Close(ClosedState::ProtocolViolation);
            }
        };
        if self.auth_required && !self.connected {
            return Flow::Authenticate(Box::new(connect));
        }
        self.apply_connect(connect)
    }

    /// Checks the credentials of `connect`, then applies it. A bcrypt comparison runs on
    /// the blocking pool: it takes tens of milliseconds of CPU by design.
    async fn authenticate(&mut self, connect: ConnectInfo) -> Flow {
        let checked = self.check_credentials(&connect).await;
        match checked {
            Ok(identity) => {
                if let Err(reason) = self.take_identity(identity) {
                    return Flow::Close(reason);
                }
                self.apply_connect(connect)
            }
            Err(auth::Denied) => {
                // The user name and nkey are not secrets; passwords, tokens and
                // signatures are never logged.
                warn!(cid = self.handle().id, addr = %self.conn.addr, user = ?connect.user, nkey = ?connect.nkey, "authorization violation");
                self.send_err("Authorization Violation");
                Flow::Close(ClosedState::AuthenticationViolation)
            }
        }
    }

    /// The identity `connect`'s credentials (or the verified client certificate) prove
    /// under the authorization settings in force for this kind of connection. A bcrypt
    /// comparison runs on the blocking pool: it takes tens of milliseconds of CPU by
    /// design.
    async fn check_credentials(&self, connect: &ConnectInfo) -> Result<Identity, auth::Denied> {
        let auth = if self.websocket {
            self.shared.auth.websocket()
        } else {
            self.shared.auth.current()
        };
        let checked = match (&self.cert, &connect.nkey) {
            // With verify_and_map the certificate names the user; an nkey in CONNECT
            // still proves itself by signature, as in nats-server.
            (Some(cert), None) if has_users(auth.options()) => auth.check_certificate(cert),
            _ => match auth.check(connect, self.nonce.as_bytes(), self.conn.addr.ip()) {
                Ok(pending) if pending.needs_blocking() => {
                    tokio::task::spawn_blocking(move || pending.finish())
                        .await
                        .unwrap_or(Err(auth::Denied))
                }
                Ok(pending) => pending.finish(),
                Err(denied) => Err(denied),
            },
        };
        checked.and_then(|identity| {
            if self.cert.is_none()
                && crate::transport::cert::certificate_only(&self.shared.opts, &identity)
            {
                debug!(cid = self.handle().id, user = ?identity.user, "user requires a client certificate");
                return Err(auth::Denied);
            }
            Ok(identity)
        })
    }

    fn take_identity(&mut self, identity: Identity) -> Result<(), ClosedState> {
        // Once per connection: a config reload checking it again keeps its slot.
        if let (Some(jwt), None) = (&identity.jwt, &self.account_slot) {
            let Some(slot) = jwt.take_slot() else {
                warn!(cid = self.handle().id, account = %jwt.account, "maximum account active connections exceeded");
                self.send_err("maximum account active connections exceeded");
                return Err(ClosedState::MaxAccountConnectionsExceeded);
            };
            self.account_slot = Some(slot);
            if jwt.max_subs == Some(0) {
                // nats-server: a connection already at its subscription limit (a JWT whose
                // `subs` is 0, as a token written without limits reads) is closed at once.
                self.send_err("maximum subscriptions exceeded");
                return Err(ClosedState::MaxSubscriptionsExceeded);
            }
            self.max_subs = jwt.max_subs;
            if let Some(max) = jwt.max_payload {
                self.payload_cap = Some(max);
                self.limits.max_payload = self.limits.max_payload.min(max);
            }
            self.expires = jwt.expires.map(|e| {
                let left = u64::try_from(e.at.saturating_sub(crate::jwt::token::unix_now()))
                    .unwrap_or_default();
                (
                    tokio::time::Instant::now() + Duration::from_secs(left),
                    e.text,
                )
            });
        }
        // `None` and `$G` are the global account, which monitoring does not name.
        let account = identity
            .account
            .filter(|name| name != crate::accounts::GLOBAL_ACCOUNT);
        if let Some(name) = &account {
            // Nothing was subscribed before CONNECT: authentication is required, so
            // every operation before it was refused.
            self.account = self.shared.accounts.get_or_create(name);
        }
        {
            let mut meta = self.conn.meta.lock();
            meta.user = identity.user.or(identity.nkey);
            meta.account = account;
        }
        self.apply_rules(identity.rules);
        Ok(())
    }

    /// Enforces `rules` from now on (`None`: no checks).
    fn apply_rules(&mut self, rules: Option<Arc<crate::permissions::Rules>>) {
        let (perms, hook) = match rules {
            Some(rules) => {
                let (perms, hook) = ConnPermissions::new(rules);
                (Some(perms), hook)
            }
            None => (None, None),
        };
        self.perms = perms;
        match (&self.delivery_rules, hook) {
            (Some(installed), hook) => installed.replace(hook),
            (None, Some(hook)) => {
                let installed = Arc::new(SwappableRules::new(hook));
                self.handle()
                    .set_delivery_rules(Arc::clone(&installed) as _);
                self.delivery_rules = Some(installed);
            }
            (None, None) => {}
        }
    }

    /// After a config reload: new limits, and the credentials checked again when the
    /// authorization settings changed.
    async fn on_reload(&mut self) -> Flow {
        self.refresh_limits();
        let auth = self.shared.auth.auth_generation();
        if auth != self.auth_seen && self.connected {
            self.auth_seen = auth;
            return self.reauthorize().await;
        }
        Flow::Continue
    }

    /// After a config reload: the parser takes the server's new `max_payload` (never above
    /// the user's JWT limit) and `max_control_line`.
    fn refresh_limits(&mut self) {
        let live = &self.shared.limits;
        self.limits.max_control_line = live.max_control_line();
        self.limits.max_payload = live
            .max_payload()
            .min(self.payload_cap.unwrap_or(usize::MAX));
    }

    /// After a config reload: checks the credentials this session was accepted with
    /// against the new settings. A client they no longer admit is closed with
    /// `Authorization Violation`; otherwise the new permissions apply, and each
    /// subscription they no longer allow is removed with an `-ERR` naming it.
    async fn reauthorize(&mut self) -> Flow {
        let configured = self.shared.auth.current().options().configured();
        let identity = match self.accepted.clone() {
            Some(connect) if configured => self.check_credentials(&connect).await,
            _ => Ok(Identity::default()),
        };
        let Ok(identity) = identity else {
            let user = self.conn.meta.lock().user.clone();
            warn!(cid = self.handle().id, addr = %self.conn.addr, user = ?user, "authorization violation after config reload");
            self.send_err("Authorization Violation");
            return Flow::Close(ClosedState::AuthenticationViolation);
        };
        // A client whose user now belongs to another account is closed, as nats-server
        // does: its subscriptions live in the old one. It reconnects into the new one.
        let bound = self.conn.meta.lock().account.clone();
        let now = identity
            .account
            .clone()
            .filter(|name| name != crate::accounts::GLOBAL_ACCOUNT);
        if now != bound {
            info!(cid = self.handle().id, from = ?bound, to = ?now, "closing client moved to another account by a config reload");
            return Flow::Close(ClosedState::ClientClosed);
        }
        if let Err(reason) = self.take_identity(identity) {
            return Flow::Close(reason);
        }
        let Some(perms) = &self.perms else {
            return Flow::Continue;
        };
        let denied: Vec<_> = self
            .handle()
            .subscriptions()
            .into_iter()
            .filter(|sub| !perms.may_subscribe(&sub.subject, sub.queue.as_deref()))
            .collect();
        for sub in denied {
            self.account.unsubscribe(self.handle(), &sub.sid, None);
            let sid = String::from_utf8_lossy(&sub.sid);
            let text = match &sub.queue {
                Some(queue) => format!(
                    "Permissions Violation for Subscription to {} using queue {} (sid {})",
                    go_quote(&sub.subject),
                    go_quote(queue),
                    go_quote(sid.as_bytes())
                ),
                None => format!(
                    "Permissions Violation for Subscription to {} (sid {})",
                    go_quote(&sub.subject),
                    go_quote(sid.as_bytes())
                ),
            };
            info!(cid = self.handle().id, subject = %String::from_utf8_lossy(&sub.subject), sid = %sid, "removed subscription after config reload: not authorized");
            self.send_err(&text);
        }
        Flow::Continue
    }

    fn apply_connect(&mut self, connect: ConnectInfo) -> Flow {
        if connect.protocol > 1 {
            self.send_err("invalid client protocol");
            return Flow::Close(ClosedState::BadClientProtocolVersion);
        }
        if connect.no_responders && !connect.headers {
            self.send_err("no responders requires headers support");
            return Flow::Close(ClosedState::NoRespondersRequiresHeaders);
        }
        if self.accepted.is_none() {
            self.accepted = Some(connect.clone());
        }
        self.connected = true;
        self.verbose = connect.verbose;
        self.pedantic = connect.pedantic;
        self.no_responders = connect.no_responders;
        self.conn
            .async_info
            .store(connect.protocol >= 1, Ordering::Relaxed);
        self.handle()
            .set_connect_options(connect.echo.unwrap_or(true), connect.headers);
        if let Some(name) = &connect.name {
            self.handle().set_name(name);
        }
        {
            let mut meta = self.conn.meta.lock();
            meta.name = connect.name;
            meta.lang = connect.lang;
            meta.version = connect.version;
        }
        if self.verbose {
            self.send_proto(b"+OK\r\n");
        }
        crate::sys::client_connected(&self.shared, &self.conn, self.account.name());
        Flow::Continue
    }

    fn on_pub(
        &mut self,
        subject: &[u8],
        reply: Option<&[u8]>,
        headers: Option<&[u8]>,
        payload: &[u8],
    ) {
        if self.pedantic && !natrium_subject::is_valid_publish_subject(subject) {
            self.send_err("Invalid Publish Subject");
        }
        // nats-server acknowledges before routing, so a verbose client's own message
        // arrives after its +OK.
        if self.verbose {
            self.send_proto(b"+OK\r\n");
        }
        if let Some(headers) = headers {
            if !self.start_trace(subject, headers, payload) {
                return;
            }
        }
        // nats-server maps before its publish permission check: the permissions, the
        // subscribers and JetStream all see the mapped subject.
        let mapped = match self.account.map_subject(subject) {
            None => None,
            Some(Mapped::Subject(to)) => {
                if let Some(trace) = &self.publisher.trace {
                    trace.mapped(&to);
                }
                Some(to)
            }
            Some(Mapped::Dropped) => {
                // Received, then routed nowhere (nats-server publishes it to an empty
                // subject nobody can subscribe to).
                self.in_msgs += 1;
                self.in_bytes += (headers.map_or(0, <[u8]>::len) + payload.len()) as u64;
                self.publisher.trace = None;
                return;
            }
        };
        let subject = mapped.as_deref().unwrap_or(subject);
        if let Some(perms) = &mut self.perms {
            if !perms.may_publish(subject) {
                debug!(cid = self.handle().id, subject = %String::from_utf8_lossy(subject), "publish permission violation");
                let text = format!("Permissions Violation for Publish to {}", go_quote(subject));
                if let Some(trace) = self.publisher.trace.take() {
                    trace.ingress_error(&text);
                }
                self.send_err(&text);
                return;
            }
        }
        let msg = Message {
            subject,
            reply,
            headers,
            payload,
        };
        self.in_msgs += 1;
        self.in_bytes += msg.size() as u64;
        let account = &self.account;
        let handle = &self.conn.handle;
        let matched = account.publish(Some(handle), &msg, &mut self.publisher);
        if matched == 0 && self.no_responders {
            if let Some(reply) = reply {
                account.no_responders(handle, reply, &mut self.publisher);
            }
        }
        self.publisher.trace = None;
    }

    /// Starts tracing a message whose headers ask for it (`Nats-Trace-Dest`); false when
    /// the message must go no further: trace-only with nowhere to report to, or a
    /// destination this user may not publish to (a permissions violation, as in
    /// nats-server).
    fn start_trace(&mut self, subject: &[u8], headers: &[u8], payload: &[u8]) -> bool {
        // A client's hop header means nothing: hops are counted from here.
        let (dest, trace_only) = match natrium_core::trace_ask(headers) {
            TraceAsk::None => return true,
            TraceAsk::Drop => return false,
            TraceAsk::Trace {
                dest, trace_only, ..
            } => (dest, trace_only),
        };
        if let Some(perms) = &mut self.perms {
            if !perms.may_publish(dest) {
                self.send_err(&format!(
                    "Permissions Violation for Publish to {}",
                    go_quote(dest)
                ));
                return false;
            }
        }
        let msg = Message {
            subject,
            reply: None,
            headers: Some(headers),
            payload,
        };
        let ingress = natrium_core::Ingress {
            kind: natrium_api::trace::kind::CLIENT,
            cid: self.conn.handle.id,
            name: self.conn.handle.name(),
            account: self.account.name(),
            subject,
        };
        self.publisher.trace = Some(crate::sys::start_trace(
            &self.shared,
            dest,
            trace_only,
            None,
            &msg,
            ingress,
        ));
        true
    }

    fn subscription_violation(&self, subject: &[u8], queue: Option<&[u8]>) {
        debug!(cid = self.handle().id, subject = %String::from_utf8_lossy(subject), "subscription permission violation");
        let text = match queue {
            Some(queue) => format!(
                "Permissions Violation for Subscription to {} using queue {}",
                go_quote(subject),
                go_quote(queue)
            ),
            None => format!(
                "Permissions Violation for Subscription to {}",
                go_quote(subject)
            ),
        };
        self.send_err(&text);
    }

    fn send_proto(&self, proto: &[u8]) {
        self.handle().outbound.append(|buf| buf.put_slice(proto));
        self.handle().outbound.wake();
    }

    fn send_err(&self, text: &str) {
        self.handle().outbound.append(|buf| encode_err(buf, text));
        self.handle().outbound.wake();
    }
}
