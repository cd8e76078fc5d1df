//! Clustering: routes to the other servers of a full mesh, as nats-server forms them.
//!
//! Each pair of servers keeps one TCP route. Over it they exchange INFO/CONNECT, then
//! their local interest (`RS+`/`RS-`) and the messages the other side has interest in
//! (`RMSG`/`HMSG`). A message crosses at most one route, which is why the mesh must be
//! full: servers learn about each other from the INFO a peer forwards when a new server
//! joins (gossip) and connect to the ones they do not know yet.
//!
//! - [`Cluster`] (this module): the registry of live routes, the refcounted local
//!   interest that is announced to peers, the client URLs clients learn in INFO;
//! - [`conn`]: one route connection (handshake, reader, PING/PONG, cleanup);
//! - [`solicit`]: the listener, and dialing configured routes (with retry) and
//!   gossiped ones.

pub mod conn;
pub mod solicit;

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::SystemTime;

use natrium_core::{Account, ClientHandle, InterestListener, Subscription};
use natrium_proto::{encode_rs_minus, encode_rs_plus};
use parking_lot::Mutex;
use tokio::sync::Notify;

use crate::options::ClusterOptions;

/// The INFO servers exchange over a route (a subset of nats-server's `Info`).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct RouteInfo {
    /// Server id.
    pub server_id: String,
    /// Server name.
    pub server_name: String,
    /// Server version.
    pub version: String,
    /// Route protocol version.
    pub proto: u32,
    /// Toolchain.
    pub go: String,
    /// Route listen host.
    pub host: String,
    /// Route listen port.
    pub port: u16,
    /// Whether HMSG is understood.
    pub headers: bool,
    /// Largest payload.
    pub max_payload: usize,
    /// Where to dial this server's route listener (`nats-route://host:port/`). Empty
    /// in the INFO a server sends about itself; the receiver fills it in from the
    /// connection's address before forwarding it to other peers.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub ip: String,
    /// Cluster name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cluster: String,
    /// The cluster name was not configured (see [`Cluster::accept_name`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cluster_dynamic: bool,
    /// Client URLs of this server (`host:port`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub connect_urls: Vec<String>,
    /// The server is in lame duck mode.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ldm: bool,
}

/// A registered route: the one connection to one peer.
#[derive(Debug)]
pub struct Route {
    /// The router's handle: the peer's interest hangs off it, frames go to its outbound.
    pub handle: Arc<ClientHandle>,
    /// The peer's INFO as received (with `ip` filled in).
    pub info: RouteInfo,
    /// The peer's address.
    pub addr: SocketAddr,
    /// Whether this server dialed it.
    pub did_solicit: bool,
    /// Whether it was dialed because the configuration lists it.
    pub configured: bool,
    /// When the connection was made.
    pub start: SystemTime,
    /// The peer's client URLs (updated by async INFO).
    pub connect_urls: Mutex<Vec<String>>,
    /// Messages received.
    pub in_msgs: AtomicU64,
    /// Bytes received.
    pub in_bytes: AtomicU64,
    /// Unix nanoseconds of the last message in or out.
    pub last_activity: AtomicU64,
    /// Last measured round trip, nanoseconds (0 until measured).
    pub rtt: AtomicU64,
}

/// Why a route could not be registered.
#[derive(Debug, PartialEq, Eq)]
pub struct Duplicate;

/// A local subscription's identity as peers see it.
type InterestKey = (String, Box<[u8]>, Option<Box<[u8]>>);

/// Cluster state shared by every connection of the server.
#[derive(Debug)]
pub struct Cluster {
    /// Whether clustering is configured.
    pub enabled: bool,
    /// Cluster name; see [`Cluster::name`].
    name: Mutex<String>,
    /// No name was configured: the one in use is random and gives way to a peer's.
    pub dynamic: bool,
    /// Options it was configured with.
    pub opts: ClusterOptions,
    own_id: String,
    /// This server's client URLs (`host:port`), first in every `connect_urls`.
    local_urls: Vec<String>,
    /// The route listener's actual address.
    pub listen_addr: Mutex<Option<SocketAddr>>,
    /// Local subscriptions peers know about: plain ones count subscribers, queue ones
    /// count members (sent as the `RS+` weight).
    interest: Mutex<HashMap<InterestKey, u32>>,
    routes: Mutex<HashMap<String, Arc<Route>>>,
    /// Server ids being dialed because a peer told about them.
    implicit: Mutex<HashSet<String>>,
    /// Signalled when a route goes away, so configured routes are dialed again.
    pub route_lost: Notify,
}

impl Cluster {
    /// Cluster state for server `own_id` whose clients connect to `local_urls`.
    pub fn new(opts: &ClusterOptions, own_id: &str, local_urls: Vec<String>) -> Self {
        let enabled = opts.listen.is_some() || !opts.routes.is_empty();
        // As nats-server: without a configured name the cluster gets a random one.
        let name = opts.name.clone().unwrap_or_else(|| {
            own_id
                .chars()
                .rev()
                .take(22)
                .collect::<String>()
                .to_ascii_uppercase()
        });
        Self {
            enabled,
            name: Mutex::new(name),
            dynamic: opts.name.is_none(),
            opts: opts.clone(),
            own_id: own_id.to_owned(),
            local_urls,
            listen_addr: Mutex::new(None),
            interest: Mutex::new(HashMap::new()),
            routes: Mutex::new(HashMap::new()),
            implicit: Mutex::new(HashSet::new()),
            route_lost: Notify::new(),
        }
    }

    /// The cluster name in use.
    pub fn name(&self) -> String {
        self.name.lock().clone()
    }

    /// Checks a peer's cluster name. A server without a configured name takes the peer's
    /// if the peer's is configured or sorts higher, as nats-server does, so that servers
    /// started without names still agree on one; otherwise names must match.
    pub fn accept_name(&self, theirs: &str, theirs_dynamic: bool) -> bool {
        let mut ours = self.name.lock();
        if *ours == theirs {
            return true;
        }
        if self.dynamic && (!theirs_dynamic || ours.as_str() < theirs) {
            tracing::info!(old = %ours, new = %theirs, "taking the cluster name of a peer");
            *ours = theirs.to_owned();
            return true;
        }
        false
    }

    /// The live routes, ordered by connection id.
    pub fn routes(&self) -> Vec<Arc<Route>> {
        let mut routes: Vec<_> = self.routes.lock().values().cloned().collect();
        routes.sort_by_key(|r| r.handle.id);
        routes
    }

    /// Whether a route to server `id` is up.
    pub fn has_route(&self, id: &str) -> bool {
        self.routes.lock().contains_key(id)
    }

    /// What clients get as INFO `connect_urls`: nothing until a peer is known, then
    /// this server's URLs followed by every peer's, as nats-server sends them.
    pub fn client_connect_urls(&self) -> Vec<String> {
        if self.opts.no_advertise {
            return Vec::new();
        }
        let mut peers: Vec<String> = self
            .routes
            .lock()
            .values()
            .flat_map(|r| r.connect_urls.lock().clone())
            .collect();
        if peers.is_empty() {
            return Vec::new();
        }
        peers.sort();
        peers.dedup();
        let mut urls = self.local_urls.clone();
        urls.extend(peers.into_iter().filter(|u| !self.local_urls.contains(u)));
        urls
    }

    /// The other servers' client URLs (what a server in lame duck mode advertises).
    pub fn peer_client_urls(&self) -> Vec<String> {
        let mut urls = self.client_connect_urls();
        urls.retain(|u| !self.local_urls.contains(u));
        urls
    }

    /// Registers `route` as the connection to its peer and sends it all local interest.
    ///
    /// When two servers dial each other at once, both connections reach this point on
    /// both sides. Both sides keep the connection dialed by the server with the
    /// smaller id, so they agree without talking; the other one is closed.
    pub fn register(
        &self,
        accounts: &crate::accounts::Accounts,
        route: Arc<Route>,
    ) -> Result<(), Duplicate> {
        let interest = self.interest.lock();
        let mut routes = self.routes.lock();
        let remote = route.info.server_id.clone();
        if let Some(existing) = routes.get(&remote) {
            let dialer = |r: &Route| {
                if r.did_solicit {
                    self.own_id.clone()
                } else {
                    remote.clone()
                }
            };
            let winner = self.own_id.clone().min(remote.clone());
            if dialer(existing) == winner || dialer(&route) != winner {
                return Err(Duplicate);
            }
            // The new connection wins: drop the old one's view of the peer's interest
            // now, so no message goes out on both while the old one closes.
            existing
                .handle
                .outbound
                .close(natrium_core::CloseReason::Closed);
            accounts.remove_route(&existing.handle);
        }
        for ((acc, subject, queue), count) in interest.iter() {
            route.handle.outbound.append(|buf| {
                encode_rs_plus(
                    buf,
                    acc.as_bytes(),
                    subject,
                    queue.as_deref().map(|q| (q, *count)),
                );
            });
        }
        route.handle.outbound.wake();
        routes.insert(remote, route);
        Ok(())
    }

    /// Forgets `route` if it is still the registered connection to its peer; true if so.
    pub fn deregister(&self, route: &Arc<Route>) -> bool {
        let mut routes = self.routes.lock();
        let current = routes
            .get(&route.info.server_id)
            .is_some_and(|r| Arc::ptr_eq(r, route));
        if current {
            routes.remove(&route.info.server_id);
        }
        drop(routes);
        self.route_lost.notify_waiters();
        current
    }

    /// Sends `frame` to every route except the one to `except`.
    pub fn broadcast(&self, except: &str, frame: &[u8]) {
        for (id, r) in self.routes.lock().iter() {
            if id != except {
                r.handle.outbound.append(|buf| buf.extend_from_slice(frame));
                r.handle.outbound.wake();
            }
        }
    }

    /// Marks server `id` as being dialed after gossip; false if it is known already.
    pub fn start_implicit(&self, id: &str) -> bool {
        id != self.own_id && !self.has_route(id) && self.implicit.lock().insert(id.to_owned())
    }

    /// Done dialing server `id` after gossip.
    pub fn end_implicit(&self, id: &str) {
        self.implicit.lock().remove(id);
    }

    /// Whether `host:port` is one of the configured routes.
    pub fn is_configured(&self, host: &str, port: u16) -> bool {
        self.opts.routes.iter().any(|r| {
            crate::flags::url_host_port(r)
                .is_ok_and(|(h, p)| p == port && h.eq_ignore_ascii_case(host))
        })
    }
}

impl InterestListener for Cluster {
    fn added(&self, account: &Account, sub: &Subscription) {
        let mut interest = self.interest.lock();
        let key = (
            account.name().to_owned(),
            sub.subject.clone(),
            sub.queue.clone(),
        );
        let count = interest.entry(key).or_insert(0);
        *count += 1;
        // A plain subject is announced once; a queue group again with each new weight.
        if sub.queue.is_none() && *count > 1 {
            return;
        }
        let weight = *count;
        for r in self.routes.lock().values() {
            r.handle.outbound.append(|buf| {
                encode_rs_plus(
                    buf,
                    account.name().as_bytes(),
                    &sub.subject,
                    sub.queue.as_deref().map(|q| (q, weight)),
                );
            });
            r.handle.outbound.wake();
        }
    }

    fn removed(&self, account: &Account, sub: &Subscription) {
        let mut interest = self.interest.lock();
        let key = (
            account.name().to_owned(),
            sub.subject.clone(),
            sub.queue.clone(),
        );
        let Some(count) = interest.get_mut(&key) else {
            return;
        };
        *count = count.saturating_sub(1);
        let left = *count;
        if left == 0 {
            interest.remove(&key);
        } else if sub.queue.is_none() {
            return;
        }
        for r in self.routes.lock().values() {
            r.handle.outbound.append(|buf| match (&sub.queue, left) {
                (Some(q), n) if n > 0 => {
                    encode_rs_plus(buf, account.name().as_bytes(), &sub.subject, Some((q, n)));
                }
                (q, _) => {
                    encode_rs_minus(buf, account.name().as_bytes(), &sub.subject, q.as_deref());
                }
            });
            r.handle.outbound.wake();
        }
    }
}

/// `host:port` of an advertise setting (`host`, `host:port`, `[v6]:port`, any scheme);
/// the port defaults to `default_port`, as nats-server's `parseHostPort`.
pub fn advertised_host_port(advertise: &str, default_port: u16) -> String {
    let rest = advertise
        .split_once("://")
        .map_or(advertise, |(_, rest)| rest)
        .trim_end_matches('/');
    let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
        match v6.split_once(']') {
            Some((host, tail)) => (host, tail.strip_prefix(':').and_then(|p| p.parse().ok())),
            None => (v6, None),
        }
    } else {
        match rest.split_once(':') {
            // One colon: host and port; more: a bare IPv6 address.
            Some((host, port)) if !port.contains(':') => (host, port.parse().ok()),
            _ => (rest, None),
        }
    };
    let port: u16 = port.unwrap_or(default_port);
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// Sends every client that accepts async INFO (CONNECT `protocol: 1`) an INFO with the
/// current `connect_urls`, as nats-server does when the cluster changes.
pub fn send_info_to_clients(shared: &crate::state::Shared) {
    for conn in shared.connections() {
        if !conn.async_info.load(Ordering::Relaxed) {
            continue;
        }
        let info = crate::info::for_client(shared, conn.handle.id, conn.addr);
        conn.handle.outbound.append(|buf| info.encode(buf));
        conn.handle.outbound.wake();
    }
}

#[cfg(test)]
mod tests {
    use super::advertised_host_port;

    #[test]
    fn advertise_forms() {
        assert_eq!(
            advertised_host_port("nats.example:4333", 4222),
            "nats.example:4333"
        );
        assert_eq!(advertised_host_port("10.0.0.1", 4222), "10.0.0.1:4222");
        assert_eq!(advertised_host_port("nats://h:1/", 4222), "h:1");
        assert_eq!(advertised_host_port("[::1]:5", 4222), "[::1]:5");
        assert_eq!(advertised_host_port("::1", 4222), "[::1]:4222");
    }
}
