//! State shared by every connection of one server: options, identity, the accounts, the
//! registry of live connections and the counters monitoring reads.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::SystemTime;

use natrium_core::ClientHandle;
use parking_lot::Mutex;
use tokio::sync::watch;

use crate::accounts::Accounts;
use crate::options::Options;
use crate::reload::{LiveAuth, LiveLimits};
use crate::route::Cluster;

pub use crate::accounts::GLOBAL_ACCOUNT;

/// What a client said about itself in CONNECT, kept for monitoring.
#[derive(Debug, Clone, Default)]
pub struct ClientMeta {
    /// CONNECT `name`.
    pub name: Option<String>,
    /// CONNECT `lang`.
    pub lang: Option<String>,
    /// CONNECT `version`.
    pub version: Option<String>,
    /// The authenticated user name or nkey, if any (`/connz` `authorized_user`).
    pub user: Option<String>,
    /// The TLS session, if any.
    pub tls: Option<TlsMeta>,
    /// The client came over WebSocket.
    pub websocket: bool,
    /// The account the client is bound to (`/connz` `account`); `None` for the global one.
    pub account: Option<String>,
}

/// A connection's TLS session as `/connz` shows it.
#[derive(Debug, Clone, Default)]
pub struct TlsMeta {
    /// `1.2` or `1.3`.
    pub version: String,
    /// The cipher suite's IANA name, e.g. `TLS_AES_128_GCM_SHA256`.
    pub cipher_suite: String,
    /// The handshake came before INFO.
    pub first: bool,
}

/// A live connection as monitoring sees it.
#[derive(Debug)]
pub struct Connection {
    /// The router's handle (outbound buffer, subscriptions).
    pub handle: Arc<ClientHandle>,
    /// Remote address.
    pub addr: SocketAddr,
    /// When the connection was accepted.
    pub start: SystemTime,
    /// CONNECT details, once received.
    pub meta: Mutex<ClientMeta>,
    /// Messages received from the client.
    pub in_msgs: AtomicU64,
    /// Payload bytes received from the client.
    pub in_bytes: AtomicU64,
    /// Unix nanoseconds of the last message in or out.
    pub last_activity: AtomicU64,
    /// Last measured round trip (server PING to client PONG), nanoseconds; 0 until measured.
    pub rtt: AtomicU64,
    /// The client said CONNECT `protocol: 1`: it takes INFO updates at any time (new
    /// cluster peers' URLs).
    pub async_info: AtomicBool,
}

impl Connection {
    /// A connection accepted now.
    pub fn new(handle: Arc<ClientHandle>, addr: SocketAddr) -> Self {
        let start = SystemTime::now();
        Self {
            handle,
            addr,
            start,
            meta: Mutex::new(ClientMeta::default()),
            in_msgs: AtomicU64::new(0),
            in_bytes: AtomicU64::new(0),
            last_activity: AtomicU64::new(unix_nanos(start)),
            rtt: AtomicU64::new(0),
            async_info: AtomicBool::new(false),
        }
    }

    /// Records activity now.
    pub fn touch(&self) {
        self.last_activity
            .store(unix_nanos(SystemTime::now()), Ordering::Relaxed);
    }
}

/// Nanoseconds since the Unix epoch (0 before it).
pub fn unix_nanos(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Why a connection closed, with nats-server's names (`/connz` `reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosedState {
    /// The client went away.
    ClientClosed,
    /// No CONNECT within the auth timeout.
    AuthenticationTimeout,
    /// Wrong or missing credentials.
    AuthenticationViolation,
    /// Outbound bytes passed `max_pending`.
    SlowConsumerPendingBytes,
    /// A write blocked past the write deadline.
    SlowConsumerWriteDeadline,
    /// Writing to the socket failed.
    WriteError,
    /// A protocol error closed the connection.
    ProtocolViolation,
    /// Unanswered pings.
    StaleConnection,
    /// CONNECT asked for a protocol the server does not speak.
    BadClientProtocolVersion,
    /// A message over `max_payload`.
    MaxPayloadExceeded,
    /// A control line over `max_control_line`.
    MaxControlLineExceeded,
    /// `no_responders` without `headers`.
    NoRespondersRequiresHeaders,
    /// The server shut down (or lame duck mode closed it).
    ServerShutdown,
    /// The user's account already had as many connections as its JWT allows.
    MaxAccountConnectionsExceeded,
    /// The user's (or its account's) JWT expired while connected.
    AuthenticationExpired,
    /// The user's JWT allows no subscriptions at all.
    MaxSubscriptionsExceeded,
}

impl ClosedState {
    /// nats-server's text for this reason.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ClientClosed => "Client Closed",
            Self::AuthenticationTimeout => "Authentication Timeout",
            Self::AuthenticationViolation => "Authentication Failure",
            Self::SlowConsumerPendingBytes => "Slow Consumer (Pending Bytes)",
            Self::SlowConsumerWriteDeadline => "Slow Consumer (Write Deadline)",
            Self::WriteError => "Write Error",
            Self::ProtocolViolation => "Protocol Violation",
            Self::StaleConnection => "Stale Connection",
            Self::BadClientProtocolVersion => "Bad Client Protocol Version",
            Self::MaxPayloadExceeded => "Maximum Message Payload Exceeded",
            Self::MaxControlLineExceeded => "Maximum Control Line Exceeded",
            Self::NoRespondersRequiresHeaders => "No Responders Requires Headers",
            Self::ServerShutdown => "Server Shutdown",
            Self::MaxAccountConnectionsExceeded => "Maximum Account Connections Exceeded",
            Self::AuthenticationExpired => "Authentication Expired",
            Self::MaxSubscriptionsExceeded => "Maximum Subscriptions Exceeded",
        }
    }
}

/// What `/connz?state=closed` shows of a closed connection: a snapshot, so that the
/// connection's buffers are freed when it closes.
#[derive(Debug, Clone)]
pub struct ClosedConnection {
    /// Client id.
    pub cid: u64,
    /// Remote address.
    pub addr: SocketAddr,
    /// When it was accepted.
    pub start: SystemTime,
    /// When it closed.
    pub stop: SystemTime,
    /// Why it closed.
    pub reason: ClosedState,
    /// Unix nanoseconds of its last activity.
    pub last_activity: u64,
    /// CONNECT details.
    pub meta: ClientMeta,
    /// Messages received from it.
    pub in_msgs: u64,
    /// Bytes received from it.
    pub in_bytes: u64,
    /// Messages sent to it.
    pub out_msgs: u64,
    /// Bytes sent to it.
    pub out_bytes: u64,
    /// Subjects it was subscribed to when it closed.
    pub subjects: Vec<String>,
}

/// Closed connections remembered for monitoring (nats-server's `max_closed_clients`).
pub const MAX_CLOSED_CLIENTS: usize = 10_000;

/// Totals that outlive the connections that produced them.
#[derive(Debug, Default)]
pub struct Totals {
    /// Connections accepted since start.
    pub connections: AtomicU64,
    /// Messages received from closed connections.
    pub in_msgs: AtomicU64,
    /// Bytes received from closed connections.
    pub in_bytes: AtomicU64,
    /// Messages sent to closed connections.
    pub out_msgs: AtomicU64,
    /// Bytes sent to closed connections.
    pub out_bytes: AtomicU64,
    /// Connections closed as slow consumers.
    pub slow_consumers: AtomicU64,
}

/// Everything a connection task needs from its server.
#[derive(Debug)]
pub struct Shared {
    /// Effective options.
    pub opts: Options,
    /// The configured credentials, ready to check CONNECTs against; a reload replaces them.
    pub auth: LiveAuth,
    /// The limits in force; a reload changes them.
    pub limits: LiveLimits,
    /// Server id (a 56-character upper-case id starting with `N`, like nats-server's).
    pub server_id: String,
    /// Server name (defaults to the id).
    pub server_name: String,
    /// Every account: the global one, the configured ones, the system account.
    pub accounts: Accounts,
    /// Live connections by client id.
    pub clients: Mutex<HashMap<u64, Arc<Connection>>>,
    /// Totals of closed connections plus accepted-connection count.
    pub totals: Totals,
    /// When the server started.
    pub start: SystemTime,
    /// Actual client listen address.
    pub client_addr: SocketAddr,
    /// Actual monitoring address, when enabled.
    pub http_addr: Mutex<Option<SocketAddr>>,
    /// The WebSocket listener's address, once bound.
    pub websocket_addr: Mutex<Option<SocketAddr>>,
    /// Becomes true when the server shuts down.
    pub shutdown: watch::Sender<bool>,
    /// The JetStream engines by account: the global account's when no accounts are
    /// configured, else one per account with JetStream enabled.
    pub jetstream:
        std::sync::OnceLock<std::collections::BTreeMap<String, natrium_jetstream::JetStream>>,
    /// The most recently closed connections, oldest first.
    pub closed: Mutex<VecDeque<ClosedConnection>>,
    /// Routes to the other servers of the cluster.
    pub cluster: Arc<Cluster>,
    next_cid: AtomicU64,
}

impl Shared {
    /// Shared state for a server listening on `client_addr`.
    pub fn new(opts: Options, auth: LiveAuth, server_id: String, client_addr: SocketAddr) -> Self {
        let server_name = opts
            .server_name
            .clone()
            .unwrap_or_else(|| server_id.clone());
        let (shutdown, _) = watch::channel(false);
        let local_url = match &opts.client_advertise {
            Some(adv) => crate::route::advertised_host_port(adv, client_addr.port()),
            None if client_addr.ip().is_unspecified() => {
                SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), client_addr.port())
                    .to_string()
            }
            None => client_addr.to_string(),
        };
        let cluster = Arc::new(Cluster::new(&opts.cluster, &server_id, vec![local_url]));
        let listener = cluster
            .enabled
            .then(|| Arc::clone(&cluster) as Arc<dyn natrium_core::InterestListener>);
        let configured: Vec<String> = opts.accounts.iter().map(|a| a.name.clone()).collect();
        let accounts = Accounts::new(&configured, opts.system_account_name(), listener);
        let cluster_name = opts.cluster.name.as_deref();
        accounts
            .global()
            .set_mappings(natrium_subject::SubjectMappings::new(
                opts.mappings.clone(),
                cluster_name,
            ));
        for a in opts.accounts.iter().filter(|a| !a.mappings.is_empty()) {
            accounts
                .get_or_create(&a.name)
                .set_mappings(natrium_subject::SubjectMappings::new(
                    a.mappings.clone(),
                    cluster_name,
                ));
        }
        Self {
            limits: LiveLimits::new(&opts),
            opts,
            auth,
            server_id,
            server_name,
            accounts,
            clients: Mutex::new(HashMap::new()),
            totals: Totals::default(),
            start: SystemTime::now(),
            client_addr,
            http_addr: Mutex::new(None),
            websocket_addr: Mutex::new(None),
            shutdown,
            jetstream: std::sync::OnceLock::new(),
            closed: Mutex::new(VecDeque::new()),
            cluster,
            next_cid: AtomicU64::new(1),
        }
    }

    /// The next client id.
    pub fn next_cid(&self) -> u64 {
        self.next_cid.fetch_add(1, Ordering::Relaxed)
    }

    /// A snapshot of the live connections, ordered by client id.
    pub fn connections(&self) -> Vec<Arc<Connection>> {
        let mut conns: Vec<_> = self.clients.lock().values().cloned().collect();
        conns.sort_by_key(|c| c.handle.id);
        conns
    }

    /// Folds a closing connection's counters into the totals, remembers it among the
    /// closed connections and forgets it as a live one. `subjects` are its subscriptions
    /// at the close.
    pub fn deregister(&self, conn: &Connection, reason: ClosedState, subjects: Vec<String>) {
        self.clients.lock().remove(&conn.handle.id);
        let closed = ClosedConnection {
            cid: conn.handle.id,
            addr: conn.addr,
            start: conn.start,
            stop: SystemTime::now(),
            reason,
            last_activity: conn.last_activity.load(Ordering::Relaxed),
            meta: conn.meta.lock().clone(),
            in_msgs: conn.in_msgs.load(Ordering::Relaxed),
            in_bytes: conn.in_bytes.load(Ordering::Relaxed),
            out_msgs: conn.handle.outbound.out_msgs(),
            out_bytes: conn.handle.outbound.out_bytes(),
            subjects,
        };
        let t = &self.totals;
        t.in_msgs.fetch_add(closed.in_msgs, Ordering::Relaxed);
        t.in_bytes.fetch_add(closed.in_bytes, Ordering::Relaxed);
        t.out_msgs.fetch_add(closed.out_msgs, Ordering::Relaxed);
        t.out_bytes.fetch_add(closed.out_bytes, Ordering::Relaxed);
        let mut ring = self.closed.lock();
        if ring.len() >= MAX_CLOSED_CLIENTS {
            ring.pop_front();
        }
        ring.push_back(closed);
    }

    /// Whether JetStream is on (as nats-server's INFO says it, even when no account
    /// enables it).
    pub fn jetstream_enabled(&self) -> bool {
        self.jetstream.get().is_some()
    }

    /// Server-wide message counters: (in_msgs, in_bytes, out_msgs, out_bytes).
    pub fn message_totals(&self) -> (u64, u64, u64, u64) {
        let t = &self.totals;
        let mut sums = (
            t.in_msgs.load(Ordering::Relaxed),
            t.in_bytes.load(Ordering::Relaxed),
            t.out_msgs.load(Ordering::Relaxed),
            t.out_bytes.load(Ordering::Relaxed),
        );
        for c in self.clients.lock().values() {
            sums.0 += c.in_msgs.load(Ordering::Relaxed);
            sums.1 += c.in_bytes.load(Ordering::Relaxed);
            sums.2 += c.handle.outbound.out_msgs();
            sums.3 += c.handle.outbound.out_bytes();
        }
        sums
    }
}
