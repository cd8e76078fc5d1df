//! Subscriptions and the per-client state the router needs to deliver to them.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use parking_lot::Mutex;

use crate::internal::InternalSender;
use crate::outbound::Outbound;

/// Checks the router makes while delivering to a client whose user has permissions.
///
/// Called from whichever thread delivers, so implementations synchronise themselves and
/// must not block.
pub trait DeliveryRules: Send + Sync + std::fmt::Debug {
    /// Whether a message on `subject` may reach the client's subscription (in `queue`):
    /// a wildcard subscription can overlap subjects the client may not subscribe to.
    fn may_deliver(&self, subject: &[u8], queue: Option<&[u8]>) -> bool;
    /// A message with reply subject `reply` was delivered to the client.
    fn request_delivered(&self, reply: &[u8]);
}

/// The part of a client connection that the router touches while delivering.
#[derive(Debug)]
pub struct ClientHandle {
    /// Server-unique connection id (INFO `client_id`, `/connz` `cid`).
    pub id: u64,
    /// Where frames for this client go.
    pub outbound: Outbound,
    /// Whether the client wants its own messages back (CONNECT `echo`).
    echo: AtomicBool,
    /// Whether the client understands HMSG (CONNECT `headers`).
    headers: AtomicBool,
    /// Live subscriptions by sid: owned here so the router can drop a subscription that
    /// reached its `UNSUB` max from whichever thread delivered the last message.
    subs: Mutex<HashMap<Box<[u8]>, Arc<Subscription>>>,
    /// For an in-process subscriber: where its messages go instead of `outbound`.
    internal: Option<InternalSender>,
    /// Whether this is a route to another server of the cluster: its subscriptions are
    /// the peer's interest, and what it is sent is forwarded as `RMSG`, never as `MSG`.
    route: bool,
    /// Set once, at CONNECT, for a user with permissions that matter at delivery.
    rules: OnceLock<Arc<dyn DeliveryRules>>,
    /// The client's CONNECT `name`, or a route peer's server name: trace reports show it.
    name: OnceLock<Box<str>>,
}

impl ClientHandle {
    /// A client with an empty outbound buffer bounded by `max_pending` bytes.
    pub fn new(id: u64, max_pending: usize) -> Self {
        Self {
            id,
            outbound: Outbound::new(max_pending),
            echo: AtomicBool::new(true),
            headers: AtomicBool::new(false),
            subs: Mutex::new(HashMap::new()),
            internal: None,
            route: false,
            rules: OnceLock::new(),
            name: OnceLock::new(),
        }
    }

    /// A route to a peer server; `max_pending` bounds its outbound buffer.
    pub fn new_route(id: u64, max_pending: usize) -> Self {
        let mut route = Self::new(id, max_pending);
        route.headers = AtomicBool::new(true);
        route.route = true;
        route
    }

    /// Whether this handle is a route to a peer server.
    pub fn is_route(&self) -> bool {
        self.route
    }

    /// An in-process subscriber: matching messages are sent to `sender` (see
    /// [`crate::internal`]). It receives headers and its own publishes.
    pub fn new_internal(id: u64, sender: InternalSender) -> Self {
        let mut client = Self::new(id, 0);
        client.headers = AtomicBool::new(true);
        client.internal = Some(sender);
        client
    }

    /// The channel of an in-process subscriber.
    pub fn internal(&self) -> Option<&InternalSender> {
        self.internal.as_ref()
    }

    /// Records the CONNECT options that change delivery.
    pub fn set_connect_options(&self, echo: bool, headers: bool) {
        self.echo.store(echo, Ordering::Relaxed);
        self.headers.store(headers, Ordering::Relaxed);
    }

    /// Installs the delivery checks of the client's user; false if some were installed
    /// already.
    pub fn set_delivery_rules(&self, rules: Arc<dyn DeliveryRules>) -> bool {
        self.rules.set(rules).is_ok()
    }

    /// The delivery checks of the client's user, if it has any.
    pub fn delivery_rules(&self) -> Option<&Arc<dyn DeliveryRules>> {
        self.rules.get()
    }

    /// Records the connection's name (once; later calls change nothing).
    pub fn set_name(&self, name: &str) {
        if !name.is_empty() {
            let _ = self.name.set(name.into());
        }
    }

    /// The client's name, or a route peer's server name ("" when unknown).
    pub fn name(&self) -> &str {
        self.name.get().map_or("", |n| n)
    }

    /// Whether the client receives the messages it publishes itself.
    pub fn echo(&self) -> bool {
        self.echo.load(Ordering::Relaxed)
    }

    /// Whether the client accepts HMSG frames.
    pub fn headers(&self) -> bool {
        self.headers.load(Ordering::Relaxed)
    }

    /// Number of live subscriptions.
    pub fn subscription_count(&self) -> usize {
        self.subs.lock().len()
    }

    /// A snapshot of the live subscriptions, for monitoring.
    pub fn subscriptions(&self) -> Vec<Arc<Subscription>> {
        self.subs.lock().values().cloned().collect()
    }

    pub(crate) fn insert_sub(&self, sub: Arc<Subscription>) -> Option<Arc<Subscription>> {
        self.subs.lock().insert(sub.sid.clone(), sub)
    }

    pub(crate) fn remove_sub(&self, sid: &[u8]) -> Option<Arc<Subscription>> {
        self.subs.lock().remove(sid)
    }

    pub(crate) fn get_sub(&self, sid: &[u8]) -> Option<Arc<Subscription>> {
        self.subs.lock().get(sid).cloned()
    }

    pub(crate) fn drain_subs(&self) -> Vec<Arc<Subscription>> {
        self.subs.lock().drain().map(|(_, sub)| sub).collect()
    }

    pub(crate) fn drain_subs_where(&self, keep: impl Fn(&[u8]) -> bool) -> Vec<Arc<Subscription>> {
        let mut subs = self.subs.lock();
        let sids: Vec<Box<[u8]>> = subs.keys().filter(|sid| keep(sid)).cloned().collect();
        sids.iter().filter_map(|sid| subs.remove(sid)).collect()
    }
}

/// One `SUB`: a subject (possibly with wildcards), an optional queue group and a sid.
#[derive(Debug)]
pub struct Subscription {
    /// The subscriber.
    pub client: Arc<ClientHandle>,
    /// The client's id for this subscription, echoed in every MSG.
    pub sid: Box<[u8]>,
    /// The subject filter.
    pub subject: Box<[u8]>,
    /// The queue group, if any.
    pub queue: Option<Box<[u8]>>,
    /// `UNSUB <sid> <max>`: deliver at most this many in total (0 = no limit).
    max: AtomicU64,
    delivered: AtomicU64,
    removed: AtomicBool,
    /// For a peer's queue interest: how many members the peer has in the group, so
    /// that queue deliveries spread over the members of the whole cluster.
    weight: AtomicU32,
}

/// What the router may do with one more message for a subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Admit {
    /// Deliver it.
    Deliver,
    /// Deliver it; it is the last one allowed, so remove the subscription afterwards.
    DeliverLast,
    /// The subscription is used up or gone.
    Skip,
}

impl Subscription {
    /// A fresh subscription with no delivery limit.
    pub fn new(
        client: Arc<ClientHandle>,
        sid: &[u8],
        subject: &[u8],
        queue: Option<&[u8]>,
    ) -> Self {
        Self {
            client,
            sid: sid.into(),
            subject: subject.into(),
            queue: queue.map(Into::into),
            max: AtomicU64::new(0),
            delivered: AtomicU64::new(0),
            removed: AtomicBool::new(false),
            weight: AtomicU32::new(1),
        }
    }

    /// Queue members this subscription stands for (1 except for a peer's interest).
    pub fn weight(&self) -> u32 {
        self.weight.load(Ordering::Relaxed)
    }

    pub(crate) fn set_weight(&self, weight: u32) {
        self.weight.store(weight.max(1), Ordering::Relaxed);
    }

    /// Messages delivered so far.
    pub fn delivered(&self) -> u64 {
        self.delivered.load(Ordering::Relaxed)
    }

    /// The `UNSUB` max, 0 when unlimited.
    pub fn max(&self) -> u64 {
        self.max.load(Ordering::Relaxed)
    }

    pub(crate) fn set_max(&self, max: u64) {
        self.max.store(max, Ordering::Relaxed);
    }

    /// Counts one delivery against the limit, exactly once per message even with
    /// concurrent publishers.
    pub(crate) fn admit(&self) -> Admit {
        if self.removed.load(Ordering::Relaxed) {
            return Admit::Skip;
        }
        let max = self.max.load(Ordering::Relaxed);
        let n = self.delivered.fetch_add(1, Ordering::Relaxed) + 1;
        if max == 0 || n < max {
            Admit::Deliver
        } else if n == max {
            Admit::DeliverLast
        } else {
            Admit::Skip
        }
    }

    /// Marks the subscription removed; true for the caller that removed it first.
    pub(crate) fn mark_removed(&self) -> bool {
        !self.removed.swap(true, Ordering::AcqRel)
    }
}

/// Pointer identity for a subscription, the item type of the subscription index.
#[derive(Debug, Clone)]
pub struct SubRef(pub Arc<Subscription>);

impl PartialEq for SubRef {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}
