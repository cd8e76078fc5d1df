//! One route connection: the INFO/CONNECT handshake, then the peer's interest and
//! messages, PING/PONG liveness, and cleanup when it closes.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::{Buf, BufMut, BytesMut};
use natrium_core::TraceAsk;
use natrium_core::{ClientHandle, CloseReason, Message, Publisher};
use natrium_proto::{encode_err, parse_route_op, RouteOp, RouteParsed, RoutedMsg};
use parking_lot::Mutex;
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use tracing::{debug, info, trace, warn};

use super::{Route, RouteInfo};
use crate::state::{unix_nanos, Shared};

/// Read buffer size for routes.
const READ_BUF: usize = 64 * 1024;
/// nats-server pings routes at least this often, whatever the client ping interval.
const MAX_ROUTE_PING_INTERVAL: Duration = Duration::from_secs(30);
/// Largest routed message accepted. Peers enforce `max_payload` on their own clients;
/// this only bounds what one peer can make this server buffer.
const MAX_ROUTED_PAYLOAD: usize = 64 * 1024 * 1024;
/// Longest route control line accepted (an INFO carries every client URL of a server).
const MAX_ROUTE_LINE: usize = 64 * 1024;

/// How this server came to have the connection.
#[derive(Debug, Clone)]
pub struct Dialed {
    /// The URL dialed.
    pub url: String,
    /// Whether the URL is in the configuration (else it came from gossip).
    pub configured: bool,
}

/// What a finished connection tells whoever dialed it.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The peer's server id, once its INFO arrived.
    pub remote_id: Option<String>,
    /// The URL led back to this very server.
    pub to_self: bool,
}

/// The CONNECT a server sends on a route it dialed.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
struct RouteConnect {
    echo: bool,
    verbose: bool,
    pedantic: bool,
    tls_required: bool,
    headers: bool,
    /// The dialing server's id.
    name: String,
    cluster: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    cluster_dynamic: bool,
    /// Only clients send it: a client that dialed the route port by mistake.
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<String>,
}

/// This server's route INFO.
pub fn own_info(shared: &Shared) -> RouteInfo {
    let cluster = &shared.cluster;
    let (mut host, mut port) = match *cluster.listen_addr.lock() {
        Some(addr) => (addr.ip().to_string(), addr.port()),
        None => (String::new(), 0),
    };
    // With an advertised address peers are told where to dial in `ip` (gossip uses it)
    // and in host/port, as nats-server does.
    let mut ip = String::new();
    if let Some(adv) = &cluster.opts.advertise {
        let hp = super::advertised_host_port(adv, port);
        ip = format!("nats-route://{hp}/");
        if let Ok((h, p)) = crate::flags::url_host_port(&hp) {
            (host, port) = (h, p);
        }
    }
    RouteInfo {
        server_id: shared.server_id.clone(),
        server_name: shared.server_name.clone(),
        version: crate::info::VERSION.to_owned(),
        proto: 1,
        go: crate::info::RUST_VERSION.to_owned(),
        host,
        port,
        headers: true,
        max_payload: shared.limits.max_payload(),
        ip,
        cluster: cluster.name(),
        cluster_dynamic: cluster.dynamic,
        connect_urls: if cluster.opts.no_advertise {
            Vec::new()
        } else {
            cluster.local_urls.clone()
        },
        ldm: false,
    }
}

/// `INFO {json}\r\n` of `info`.
pub fn info_frame(info: &RouteInfo) -> Vec<u8> {
    let mut frame = b"INFO ".to_vec();
    frame.extend_from_slice(&serde_json::to_vec(info).unwrap_or_else(|_| b"{}".to_vec()));
    frame.extend_from_slice(b"\r\n");
    frame
}

/// Serves one route connection until it closes. `dialed` is set when this server
/// dialed it.
pub async fn run(
    shared: Arc<Shared>,
    stream: TcpStream,
    addr: SocketAddr,
    dialed: Option<Dialed>,
) -> Outcome {
    let _ = stream.set_nodelay(true);
    let cid = shared.next_cid();
    let handle = Arc::new(ClientHandle::new_route(cid, shared.limits.max_pending()));
    let (mut rd, wr) = stream.into_split();
    let mut writer = tokio::spawn({
        let handle = Arc::clone(&handle);
        let deadline = shared.limits.write_deadline();
        async move { crate::client::write_loop(wr, &handle, deadline).await }
    });
    if dialed.is_some() {
        let connect = RouteConnect {
            echo: true,
            headers: true,
            name: shared.server_id.clone(),
            cluster: shared.cluster.name(),
            cluster_dynamic: shared.cluster.dynamic,
            ..RouteConnect::default()
        };
        let json = serde_json::to_vec(&connect).unwrap_or_default();
        handle.outbound.append(|buf| {
            buf.put_slice(b"CONNECT ");
            buf.put_slice(&json);
            buf.put_slice(b"\r\n");
        });
    }
    let info = info_frame(&own_info(&shared));
    handle.outbound.append(|buf| buf.put_slice(&info));
    handle.outbound.wake();
    info!(cid, %addr, solicited = dialed.is_some(), "route connection created");

    let mut session = Session {
        shared: Arc::clone(&shared),
        handle: Arc::clone(&handle),
        addr,
        dialed,
        route: None,
        outcome: Outcome::default(),
        publisher: Publisher::new(cid ^ unix_nanos(SystemTime::now())),
        pings_out: 0,
        rtt_start: None,
    };
    let mut shutdown = shared.shutdown.subscribe();
    let interval = shared.opts.ping_interval.min(MAX_ROUTE_PING_INTERVAL);
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
    let mut buf = BytesMut::with_capacity(READ_BUF);
    let mut writer_done = false;
    let reason = loop {
        if buf.capacity() - buf.len() < READ_BUF / 4 {
            buf.reserve(READ_BUF);
        }
        tokio::select! {
            _ = &mut writer => {
                writer_done = true;
                break "write side closed";
            }
            _ = shutdown.wait_for(|down| *down) => break "server shutdown",
            _ = ping.tick() => {
                if session.pings_out >= shared.opts.ping_max {
                    break "stale connection";
                }
                session.pings_out += 1;
                session.rtt_start.get_or_insert_with(tokio::time::Instant::now);
                session.send(b"PING\r\n");
            }
            read = rd.read_buf(&mut buf) => {
                match read {
                    Ok(0) | Err(_) => break "remote closed",
                    Ok(_) => {}
                }
                let result = session.process(&mut buf);
                session.publisher.wakes.flush();
                if let Err(why) = result {
                    break why;
                }
            }
        }
    };
    handle.outbound.close(CloseReason::Closed);
    shared.accounts.remove_route(&handle);
    // Let the writer flush what is queued (a -ERR); a finished one must not be polled.
    if !writer_done {
        let _ = tokio::time::timeout(Duration::from_secs(2), &mut writer).await;
    }
    writer.abort();
    if let Some(route) = session.route.take() {
        info!(cid, %addr, remote = %route.info.server_name, reason, "route connection closed");
        if shared.cluster.deregister(&route) {
            super::send_info_to_clients(&shared);
        }
    } else {
        debug!(cid, %addr, reason, "route connection closed before registration");
        shared.cluster.route_lost.notify_waiters();
    }
    session.outcome
}

struct Session {
    shared: Arc<Shared>,
    handle: Arc<ClientHandle>,
    addr: SocketAddr,
    dialed: Option<Dialed>,
    route: Option<Arc<Route>>,
    outcome: Outcome,
    publisher: Publisher,
    pings_out: u32,
    rtt_start: Option<tokio::time::Instant>,
}

impl Session {
    fn send(&self, proto: &[u8]) {
        self.handle.outbound.append(|buf| buf.put_slice(proto));
        self.handle.outbound.wake();
    }

    fn send_err(&self, text: &str) {
        self.handle.outbound.append(|buf| encode_err(buf, text));
        self.handle.outbound.wake();
    }

    /// Handles every complete operation in `buf`; `Err` closes the route.
    fn process(&mut self, buf: &mut BytesMut) -> Result<(), &'static str> {
        let mut consumed = 0;
        let mut result = Ok(());
        let mut needed = None;
        loop {
            let rest = buf.get(consumed..).unwrap_or_default();
            if rest.is_empty() {
                break;
            }
            match parse_route_op(rest, MAX_ROUTE_LINE, MAX_ROUTED_PAYLOAD) {
                Ok(RouteParsed::Op(op, n)) => {
                    consumed += n;
                    if tracing::enabled!(tracing::Level::TRACE) {
                        let line = rest.split(|b| *b == b'\n').next().unwrap_or_default();
                        trace!(
                            cid = self.handle.id,
                            "route <<- {}",
                            String::from_utf8_lossy(line).trim_end()
                        );
                    }
                    if let Err(why) = self.on_op(op) {
                        result = Err(why);
                        break;
                    }
                }
                Ok(RouteParsed::Incomplete(n)) => {
                    needed = n;
                    break;
                }
                Err(e) => {
                    warn!(cid = self.handle.id, addr = %self.addr, error = %e, "route protocol error");
                    self.send_err("Parser Error");
                    result = Err("protocol error");
                    break;
                }
            }
        }
        buf.advance(consumed.min(buf.len()));
        if let Some(total) = needed {
            buf.reserve(total.saturating_sub(buf.len()));
        }
        result
    }

    fn on_op(&mut self, op: RouteOp<'_>) -> Result<(), &'static str> {
        if let Some(route) = &self.route {
            route
                .last_activity
                .store(unix_nanos(SystemTime::now()), Ordering::Relaxed);
        }
        match op {
            RouteOp::Connect(json) => self.on_connect(json),
            RouteOp::Info(json) => self.on_info(json),
            RouteOp::Ping => {
                self.send(b"PONG\r\n");
                Ok(())
            }
            RouteOp::Pong => {
                self.pings_out = 0;
                if let (Some(start), Some(route)) = (self.rtt_start.take(), &self.route) {
                    let rtt = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
                    route.rtt.store(rtt.max(1), Ordering::Relaxed);
                }
                Ok(())
            }
            RouteOp::Ok | RouteOp::Ignored(_) => Ok(()),
            RouteOp::Err(text) => {
                warn!(cid = self.handle.id, addr = %self.addr, error = %String::from_utf8_lossy(text), "route error from peer");
                Err("error from peer")
            }
            RouteOp::Sub {
                account,
                subject,
                queue,
            } => {
                if let Some(acc) = self.interest_account(account) {
                    if let Err(e) = acc.subscribe_remote(&self.handle, subject, queue) {
                        debug!(cid = self.handle.id, error = %e, "ignoring remote interest");
                    }
                }
                Ok(())
            }
            RouteOp::Unsub {
                account,
                subject,
                queue,
            } => {
                if let Some(acc) = self.interest_account(account) {
                    acc.unsubscribe_remote(&self.handle, subject, queue);
                }
                Ok(())
            }
            RouteOp::Msg(m) => {
                self.on_msg(&m);
                Ok(())
            }
        }
    }

    /// Interest and messages count only once the peer is registered, and only for an
    /// account this server has (see [`crate::accounts::Accounts::for_route`]).
    fn account(&self, account: &[u8]) -> Option<Arc<natrium_core::Account>> {
        self.route.as_ref()?;
        let found = self.shared.accounts.for_route(account);
        if found.is_none() {
            debug!(cid = self.handle.id, account = %String::from_utf8_lossy(account), "ignoring a peer's traffic for an unknown account");
        }
        found
    }

    /// Interest stops counting once the route is closing (replaced by another
    /// connection to the same peer, whose interest is the one that counts). Messages
    /// still in flight on it are delivered: the peer sent each on one connection only.
    fn interest_account(&self, account: &[u8]) -> Option<Arc<natrium_core::Account>> {
        if self.handle.outbound.is_closed() {
            return None;
        }
        self.account(account)
    }

    fn on_msg(&mut self, m: &RoutedMsg<'_>) {
        if let Some(route) = &self.route {
            route.in_msgs.fetch_add(1, Ordering::Relaxed);
            let size = m.payload.len() + m.headers.map_or(0, <[u8]>::len);
            route.in_bytes.fetch_add(size as u64, Ordering::Relaxed);
        }
        let Some(account) = self.account(m.account) else {
            return;
        };
        let queues: Vec<&[u8]> = m.queues().collect();
        let msg = Message {
            subject: m.subject,
            reply: m.reply,
            headers: m.headers,
            payload: m.payload,
        };
        let traced = msg.headers.map_or(TraceAsk::None, natrium_core::trace_ask);
        match traced {
            TraceAsk::None => {}
            TraceAsk::Drop => return,
            TraceAsk::Trace {
                dest,
                trace_only,
                hop,
            } => {
                let ingress = natrium_core::Ingress {
                    kind: natrium_api::trace::kind::ROUTER,
                    cid: self.handle.id,
                    name: self.handle.name(),
                    account: account.name(),
                    subject: msg.subject,
                };
                self.publisher.trace = Some(crate::sys::start_trace(
                    &self.shared,
                    dest,
                    trace_only,
                    hop,
                    &msg,
                    ingress,
                ));
            }
        }
        account.publish_routed(&self.handle, &msg, &queues, &mut self.publisher);
        self.publisher.trace = None;
    }

    fn on_connect(&mut self, json: &[u8]) -> Result<(), &'static str> {
        let Ok(connect) = serde_json::from_slice::<RouteConnect>(json) else {
            self.send_err("Parser Error");
            return Err("bad CONNECT");
        };
        if connect.lang.is_some() {
            self.send_err("Client Connected To Route Port");
            return Err("client on route port");
        }
        let cluster = &self.shared.cluster;
        if !cluster.accept_name(&connect.cluster, connect.cluster_dynamic) {
            let ours = cluster.name();
            warn!(addr = %self.addr, theirs = %connect.cluster, %ours, "rejecting route: cluster name mismatch");
            self.send_err(&format!(
                "Rejecting connection, cluster name {:?} does not match {:?}",
                connect.cluster, ours
            ));
            return Err("cluster name mismatch");
        }
        Ok(())
    }

    fn on_info(&mut self, json: &[u8]) -> Result<(), &'static str> {
        let Ok(mut info) = serde_json::from_slice::<RouteInfo>(json) else {
            self.send_err("Parser Error");
            return Err("bad INFO");
        };
        let shared = Arc::clone(&self.shared);
        let cluster = &shared.cluster;
        if let Some(route) = &self.route {
            if info.server_id != route.info.server_id {
                // Gossip: the peer tells about a server that joined the cluster.
                super::solicit::consider_gossip(&shared, info);
                return Ok(());
            }
            let urls = if info.ldm {
                Vec::new()
            } else {
                info.connect_urls
            };
            let changed = {
                let mut current = route.connect_urls.lock();
                let changed = *current != urls;
                *current = urls;
                changed
            };
            if changed {
                super::send_info_to_clients(&shared);
            }
            return Ok(());
        }
        if info.server_id == shared.server_id {
            debug!(addr = %self.addr, "route leads to this server itself");
            self.outcome.to_self = true;
            return Err("route to self");
        }
        self.outcome.remote_id = Some(info.server_id.clone());
        if !info.cluster.is_empty() && !cluster.accept_name(&info.cluster, info.cluster_dynamic) {
            warn!(addr = %self.addr, theirs = %info.cluster, ours = %cluster.name(), "rejecting route: cluster name mismatch");
            self.send_err("Cluster Name Conflict");
            return Err("cluster name mismatch");
        }
        if info.ip.is_empty() {
            info.ip = format!(
                "nats-route://{}/",
                SocketAddr::new(self.addr.ip(), info.port)
            );
        }
        let route = Arc::new(Route {
            handle: Arc::clone(&self.handle),
            connect_urls: Mutex::new(info.connect_urls.clone()),
            info,
            addr: self.addr,
            did_solicit: self.dialed.is_some(),
            configured: self.dialed.as_ref().is_some_and(|d| d.configured),
            start: SystemTime::now(),
            in_msgs: AtomicU64::new(0),
            in_bytes: AtomicU64::new(0),
            last_activity: AtomicU64::new(unix_nanos(SystemTime::now())),
            rtt: AtomicU64::new(0),
        });
        if cluster
            .register(&shared.accounts, Arc::clone(&route))
            .is_err()
        {
            debug!(addr = %self.addr, remote = %route.info.server_id, "duplicate route, closing this one");
            return Err("duplicate route");
        }
        self.handle.set_name(&route.info.server_name);
        info!(cid = self.handle.id, addr = %self.addr, remote = %route.info.server_name, "route registered");
        // Tell the other peers about the newcomer so they connect to it too, unless this
        // connection itself came from gossip (the peer that gossiped already did).
        let from_gossip = self.dialed.as_ref().is_some_and(|d| !d.configured);
        if !from_gossip {
            cluster.broadcast(&route.info.server_id, &info_frame(&route.info));
        }
        self.route = Some(route);
        super::send_info_to_clients(&shared);
        Ok(())
    }
}
