//! State shared by every connection of one server: options, identity, the account, the
//! registry of live connections and the counters monitoring reads.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::SystemTime;

use natrium_core::{Account, ClientHandle};
use parking_lot::Mutex;
use tokio::sync::watch;

use crate::options::Options;

/// The server's name for the global account, as in nats-server.
pub const GLOBAL_ACCOUNT: &str = "$G";

/// What a client said about itself in CONNECT, kept for monitoring.
#[derive(Debug, Clone, Default)]
pub struct ClientMeta {
    /// CONNECT `name`.
    pub name: Option<String>,
    /// CONNECT `lang`.
    pub lang: Option<String>,
    /// CONNECT `version`.
    pub version: Option<String>,
    /// The authenticated user, if any.
    pub user: Option<String>,
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
    /// Server id (a 56-character upper-case id starting with `N`, like nats-server's).
    pub server_id: String,
    /// Server name (defaults to the id).
    pub server_name: String,
    /// The global account.
    pub account: Arc<Account>,
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
    /// Becomes true when the server shuts down.
    pub shutdown: watch::Sender<bool>,
    next_cid: AtomicU64,
}

impl Shared {
    /// Shared state for a server listening on `client_addr`.
    pub fn new(opts: Options, server_id: String, client_addr: SocketAddr) -> Self {
        let server_name = opts
            .server_name
            .clone()
            .unwrap_or_else(|| server_id.clone());
        let (shutdown, _) = watch::channel(false);
        Self {
            opts,
            server_id,
            server_name,
            account: Arc::new(Account::new(GLOBAL_ACCOUNT)),
            clients: Mutex::new(HashMap::new()),
            totals: Totals::default(),
            start: SystemTime::now(),
            client_addr,
            http_addr: Mutex::new(None),
            shutdown,
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

    /// Folds a closing connection's counters into the totals and forgets it.
    pub fn deregister(&self, conn: &Connection) {
        self.clients.lock().remove(&conn.handle.id);
        let t = &self.totals;
        t.in_msgs
            .fetch_add(conn.in_msgs.load(Ordering::Relaxed), Ordering::Relaxed);
        t.in_bytes
            .fetch_add(conn.in_bytes.load(Ordering::Relaxed), Ordering::Relaxed);
        t.out_msgs
            .fetch_add(conn.handle.outbound.out_msgs(), Ordering::Relaxed);
        t.out_bytes
            .fetch_add(conn.handle.outbound.out_bytes(), Ordering::Relaxed);
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
