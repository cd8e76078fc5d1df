//! An account: a subject namespace with its own subscription index, and the fan-out of one
//! published message to every matching subscription in it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use natrium_proto::{encode_hmsg, encode_msg, encode_rmsg, RoutedMsg};
use natrium_subject::{Mapped, MatchResult, SubList, SubjectMappings};

use crate::internal::InternalMsg;
use crate::links::{
    LinkError, Links, ResponseMap, ResponseType, ServiceLink, StreamLink, SubjectMap,
};
use crate::outbound::Appended;
use crate::subscription::{Admit, ClientHandle, SubRef, Subscription};
use crate::trace::{not_delivered, Egress, Trace, TRACE_DEST, TRACE_DISABLED, TRACE_HOP};
use natrium_api::trace::kind as trace_kind;

/// The header block of the status message a requester gets when nobody listens.
pub const NO_RESPONDERS_HEADER: &[u8] = b"NATS/1.0 503\r\n\r\n";

/// Why a `SUB` was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SubscribeError {
    /// The subject (or queue name) is not a valid subscription subject.
    #[error("invalid subject {subject:?}")]
    InvalidSubject {
        /// The subject as the client sent it.
        subject: String,
    },
}

/// One message as it enters the router: slices of the publisher's read buffer.
#[derive(Debug, Clone, Copy)]
pub struct Message<'a> {
    /// Literal subject.
    pub subject: &'a [u8],
    /// Reply subject, if any.
    pub reply: Option<&'a [u8]>,
    /// The `NATS/1.0` header block, if the message has headers.
    pub headers: Option<&'a [u8]>,
    /// The payload.
    pub payload: &'a [u8],
}

impl Message<'_> {
    /// Bytes that count toward message statistics (headers and payload).
    pub fn size(&self) -> usize {
        self.headers.map_or(0, <[u8]>::len) + self.payload.len()
    }
}

/// What a `MSG`/`HMSG` frame adds to its subject, sid, reply, headers and payload: the
/// verb, four blanks, two sizes of at most 20 digits and two line ends fit in it.
const FRAMING: usize = 64;

/// Connections whose writers must be woken once the current batch of publishes is done.
///
/// Waking a writer per message would cost a syscall-sized handoff each time; collecting
/// them per read lets one wake cover every frame a read delivered to that connection.
#[derive(Debug, Default)]
pub struct PendingWakes {
    clients: Vec<Arc<ClientHandle>>,
    congested: Vec<Arc<ClientHandle>>,
}

impl PendingWakes {
    fn note(&mut self, client: &Arc<ClientHandle>, appended: Appended) {
        if appended == Appended::FirstInBuffer {
            self.clients.push(Arc::clone(client));
        }
        if client.outbound.is_congested() && !self.congested.iter().any(|c| Arc::ptr_eq(c, client))
        {
            self.congested.push(Arc::clone(client));
        }
    }

    /// Whether a connection delivered to since the last [`Self::congested`] was congested.
    pub fn has_congested(&self) -> bool {
        !self.congested.is_empty()
    }

    /// Connections delivered to since the last call whose buffers are congested: the
    /// publisher should wait for them ([`crate::Outbound::wait_drained`]) before reading
    /// more.
    pub fn congested(&mut self) -> std::vec::Drain<'_, Arc<ClientHandle>> {
        self.congested.drain(..)
    }

    /// Wakes every writer noted since the last flush.
    pub fn flush(&mut self) {
        for client in self.clients.drain(..) {
            client.outbound.wake();
        }
    }
}

/// A connection's own cache of match results, valid while the index generation is unchanged.
///
/// It lets a busy publisher skip the shared index (and its lock) entirely.
#[derive(Debug, Default)]
pub struct MatchCache {
    /// The id of the account whose index the entries came from: one publisher (a
    /// route, an import) may publish into several accounts.
    owner: u64,
    genid: u64,
    results: HashMap<Box<[u8]>, Arc<MatchResult<SubRef>>, foldhash::fast::RandomState>,
}

/// Entries a connection keeps before starting over; publishers to ever-new subjects
/// (inboxes) must not grow it without bound.
const MATCH_CACHE_MAX: usize = 256;

impl MatchCache {
    fn lookup(
        &mut self,
        owner: u64,
        index: &SubList<SubRef>,
        subject: &[u8],
    ) -> Arc<MatchResult<SubRef>> {
        let genid = index.genid();
        if genid != self.genid || owner != self.owner {
            self.results.clear();
            self.genid = genid;
            self.owner = owner;
        }
        if let Some(result) = self.results.get(subject) {
            return Arc::clone(result);
        }
        let result = index.matches(subject);
        if self.results.len() >= MATCH_CACHE_MAX {
            self.results.clear();
        }
        self.results.insert(subject.into(), Arc::clone(&result));
        result
    }
}

/// Told when local interest appears or goes, so that the cluster layer can tell peers.
///
/// It is called from within subscribing, unsubscribing and delivering (a subscription
/// that reached its `UNSUB` max goes away mid-delivery), so it must not block.
pub trait InterestListener: Send + Sync + std::fmt::Debug {
    /// A local subscription was added.
    fn added(&self, account: &Account, sub: &Subscription);
    /// A local subscription was removed.
    fn removed(&self, account: &Account, sub: &Subscription);
}

/// A subject namespace.
pub struct Account {
    name: String,
    /// Process-unique, so a match cache knows which account's index it holds.
    id: u64,
    index: SubList<SubRef>,
    listener: OnceLock<Arc<dyn InterestListener>>,
    /// Peers' subscriptions in the index; while there are none, queue selection skips
    /// weighing members.
    remote_subs: AtomicUsize,
    /// Subject mappings applied to what clients publish; `has_mappings` lets the usual
    /// account (none) skip the lock with one relaxed load per message.
    mappings: parking_lot::RwLock<Arc<SubjectMappings>>,
    has_mappings: AtomicBool,
    /// Whether `links` has anything: the only cost imports and exports add to a
    /// publish in an account without them.
    linked: AtomicBool,
    links: parking_lot::RwLock<Arc<Links>>,
    /// Replies handed out on imported service requests, when this account exports one.
    responses: parking_lot::Mutex<ResponseMap>,
    /// `_R_.<random>.`: what those replies start with.
    response_prefix: OnceLock<Box<[u8]>>,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account").field("name", &self.name).finish()
    }
}

/// A small fast generator for spreading queue-group deliveries; owned by one reader.
#[derive(Debug)]
pub struct QueuePicker(u64);

impl QueuePicker {
    /// A picker seeded from `seed` (any value; zero is adjusted).
    pub fn new(seed: u64) -> Self {
        Self(seed | 1)
    }

    /// A random 64-bit value.
    pub fn next_u64(&mut self) -> u64 {
        // xorshift64: uniform enough to spread members, and free of locks and syscalls.
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn next(&mut self, n: usize) -> usize {
        usize::try_from(self.next_u64() % (n.max(1) as u64)).unwrap_or(0)
    }
}

/// The routes one message goes to, each with the peer's queue groups it was chosen for.
///
/// A peer gets a message once however many of its subscriptions match; the queue names
/// tell it which of its queue groups to deliver to.
#[derive(Debug, Default)]
struct RouteTargets {
    targets: Vec<(Arc<ClientHandle>, Vec<Arc<Subscription>>)>,
}

impl RouteTargets {
    fn add(&mut self, route: &Arc<ClientHandle>, queue_sub: Option<&Arc<Subscription>>) {
        let at = match self.targets.iter().position(|(r, _)| r.id == route.id) {
            Some(at) => at,
            None => {
                self.targets.push((Arc::clone(route), Vec::new()));
                self.targets.len() - 1
            }
        };
        if let (Some(sub), Some((_, queues))) = (queue_sub, self.targets.get_mut(at)) {
            queues.push(Arc::clone(sub));
        }
    }
}

/// Per-publisher state the fan-out reuses across messages.
#[derive(Debug)]
pub struct Publisher {
    /// The publishing connection's match cache.
    pub cache: MatchCache,
    /// Writers to wake at the end of the batch.
    pub wakes: PendingWakes,
    /// Queue member selection.
    pub picker: QueuePicker,
    routes: RouteTargets,
    /// Match results of the accounts a publish crosses into through links, so that
    /// following a link does not throw away the publisher's own account's cache.
    link_cache: MatchCache,
    /// Set while the message being published is traced (`Nats-Trace-Dest`).
    pub trace: Option<Trace>,
}

impl Publisher {
    /// Fresh state; `seed` varies queue selection between connections.
    pub fn new(seed: u64) -> Self {
        Self {
            cache: MatchCache::default(),
            wakes: PendingWakes::default(),
            picker: QueuePicker::new(seed),
            routes: RouteTargets::default(),
            link_cache: MatchCache::default(),
            trace: None,
        }
    }

    /// Runs `f` (a fan-out in a linked account) with the link cache in place of the
    /// publisher's own.
    fn in_linked_account<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        std::mem::swap(&mut self.cache, &mut self.link_cache);
        let r = f(self);
        std::mem::swap(&mut self.cache, &mut self.link_cache);
        r
    }
}

impl Account {
    /// An empty account.
    pub fn new(name: impl Into<String>) -> Self {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        Self {
            name: name.into(),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            index: SubList::new(),
            listener: OnceLock::new(),
            remote_subs: AtomicUsize::new(0),
            mappings: parking_lot::RwLock::new(Arc::new(SubjectMappings::default())),
            has_mappings: AtomicBool::new(false),
            linked: AtomicBool::new(false),
            links: parking_lot::RwLock::new(Arc::new(Links::default())),
            responses: parking_lot::Mutex::new(ResponseMap::default()),
            response_prefix: OnceLock::new(),
        }
    }

    /// Replaces the account's subject mappings (an empty set turns mapping off).
    pub fn set_mappings(&self, mappings: SubjectMappings) {
        let any = !mappings.is_empty();
        *self.mappings.write() = Arc::new(mappings);
        self.has_mappings.store(any, Ordering::Release);
    }

    /// Where a message a client published to `subject` goes under the account's subject
    /// mappings: `None` when no mapping applies. The connection applies it before its
    /// publish permission check and before [`Account::publish`], as nats-server does, so
    /// subscribers, routes and JetStream all see the mapped subject.
    #[inline]
    pub fn map_subject(&self, subject: &[u8]) -> Option<Mapped> {
        if !self.has_mappings.load(Ordering::Relaxed) {
            return None;
        }
        let mappings = Arc::clone(&self.mappings.read());
        mappings.map(subject)
    }

    fn add_link(&self, add: impl FnOnce(&mut Links)) {
        let mut links = self.links.write();
        let mut next = Links::clone(&links);
        add(&mut next);
        *links = Arc::new(next);
        self.linked.store(true, Ordering::Release);
    }

    /// Stream export to `importer`: messages published here (by local clients) on
    /// subjects matching `from` are delivered to `importer`'s subscribers under `to`
    /// (wildcards carried over in order). Traced messages are traced on in `importer`
    /// only with `allow_trace`.
    pub fn link_stream(
        &self,
        importer: &Arc<Account>,
        from: &[u8],
        to: &[u8],
        allow_trace: bool,
    ) -> Result<(), LinkError> {
        let map = SubjectMap::new(from, to)?;
        let importer = Arc::downgrade(importer);
        self.add_link(|l| {
            l.streams.push(StreamLink {
                map,
                importer,
                allow_trace,
            });
        });
        Ok(())
    }

    /// Service import from `exporter`: requests published here on subjects matching
    /// `local` are delivered in `exporter` under `remote`, their reply subject replaced
    /// by one of `exporter`'s response subjects ([`Self::response_subject`]) that
    /// [`Self::take_response`] maps back, once for `Singleton`, else until `threshold`.
    /// Traced requests are traced on in `exporter` only with `allow_trace`.
    pub fn link_service(
        self: &Arc<Self>,
        exporter: &Arc<Account>,
        local: &[u8],
        remote: &[u8],
        response: ResponseType,
        threshold: Duration,
        allow_trace: bool,
    ) -> Result<(), LinkError> {
        let map = SubjectMap::new(local, remote)?;
        let exporter = Arc::downgrade(exporter);
        let importer = Arc::downgrade(self);
        self.add_link(|l| {
            l.services.push(ServiceLink {
                map,
                importer,
                exporter,
                response,
                threshold,
                allow_trace,
            });
        });
        Ok(())
    }

    fn response_prefix(&self) -> &[u8] {
        self.response_prefix.get_or_init(|| {
            use std::hash::{BuildHasher, Hasher};
            let random = std::collections::hash_map::RandomState::new()
                .build_hasher()
                .finish();
            let mut prefix = crate::links::RESPONSE_PREFIX.as_bytes().to_vec();
            crate::links::base62(random ^ self.id, 6, &mut prefix);
            prefix.push(b'.');
            prefix.into()
        })
    }

    /// The wildcard subject (`_R_.<random>.>`) every response to a request imported into
    /// this account is published on; whoever handles responses subscribes to it.
    pub fn response_subject(&self) -> Vec<u8> {
        let mut subject = self.response_prefix().to_vec();
        subject.push(b'>');
        subject
    }

    /// The importer and reply subject a response published here on `subject` goes to;
    /// `None` when the mapping is unknown, used up or expired.
    pub fn take_response(&self, subject: &[u8]) -> Option<(Arc<Account>, Box<[u8]>)> {
        self.responses.lock().take(subject)
    }

    /// Follows the links of a message published here: stream exports copy it into their
    /// importers, service imports send it into their exporters. Returns the matches.
    fn follow_links(
        &self,
        from: Option<&ClientHandle>,
        msg: &Message<'_>,
        p: &mut Publisher,
    ) -> usize {
        let links = Arc::clone(&self.links.read());
        let mut matched = 0;
        for link in &links.streams {
            if !link.map.matches(msg.subject) {
                continue;
            }
            let Some(to) = link.importer.upgrade() else {
                continue;
            };
            let subject = link.map.apply(msg.subject);
            if let Some(trace) = &p.trace {
                trace.stream_export(to.name(), &subject);
            }
            let copy = Message {
                subject: &subject,
                ..*msg
            };
            matched += across_link(link.allow_trace, &copy, p, |msg, p| {
                p.in_linked_account(|p| to.fan_out(&subject, from, msg, None, p))
            });
        }
        for link in &links.services {
            if !link.map.matches(msg.subject) {
                continue;
            }
            let Some(exporter) = link.exporter.upgrade() else {
                continue;
            };
            let subject = link.map.apply(msg.subject);
            if let Some(trace) = &p.trace {
                trace.service_import(exporter.name(), msg.subject, &subject);
            }
            let reply = msg.reply.map(|reply| {
                let prefix = exporter.response_prefix();
                exporter.responses.lock().insert(
                    prefix,
                    || p.picker.next_u64(),
                    link.importer.clone(),
                    reply,
                    link.response,
                    link.threshold,
                )
            });
            let request = Message {
                subject: &subject,
                reply: reply.as_deref(),
                ..*msg
            };
            matched += across_link(link.allow_trace, &request, p, |msg, p| {
                p.in_linked_account(|p| exporter.fan_out(&subject, from, msg, None, p))
            });
        }
        matched
    }

    /// Installs the listener told about local interest; false if one was installed already.
    pub fn set_interest_listener(&self, listener: Arc<dyn InterestListener>) -> bool {
        self.listener.set(listener).is_ok()
    }

    fn notify_added(&self, sub: &Subscription) {
        if sub.client.is_route() {
            self.remote_subs.fetch_add(1, Ordering::Relaxed);
        } else if let Some(l) = self.listener.get() {
            l.added(self, sub);
        }
    }

    fn notify_removed(&self, sub: &Subscription) {
        if sub.client.is_route() {
            self.remote_subs.fetch_sub(1, Ordering::Relaxed);
        } else if let Some(l) = self.listener.get() {
            l.removed(self, sub);
        }
    }

    /// The account's name (`$G` for the global account).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Live subscriptions in the account.
    pub fn subscription_count(&self) -> usize {
        self.index.count()
    }

    /// The subscription index's counters, for monitoring.
    pub fn index_stats(&self) -> natrium_subject::SubListStats {
        self.index.stats()
    }

    /// Adds `SUB subject [queue] sid` for `client`. A sid already in use keeps its first
    /// subscription, as nats-server does.
    pub fn subscribe(
        &self,
        client: &Arc<ClientHandle>,
        subject: &[u8],
        queue: Option<&[u8]>,
        sid: &[u8],
    ) -> Result<(), SubscribeError> {
        // As in nats-server, a sid already in use wins before any validation.
        if client.get_sub(sid).is_some() {
            return Ok(());
        }
        let invalid = || SubscribeError::InvalidSubject {
            subject: String::from_utf8_lossy(subject).into_owned(),
        };
        if !natrium_subject::is_valid_subject(subject) {
            return Err(invalid());
        }
        if let Some(q) = queue {
            if !natrium_subject::is_valid_queue_name(q) {
                return Err(invalid());
            }
        }
        let sub = Arc::new(Subscription::new(Arc::clone(client), sid, subject, queue));
        self.index
            .insert(subject, queue, SubRef(Arc::clone(&sub)))
            .map_err(|_| invalid())?;
        client.insert_sub(Arc::clone(&sub));
        self.notify_added(&sub);
        Ok(())
    }

    /// Records a peer's interest (`RS+`) on `route`. Repeating it for a queue group
    /// updates how many members the peer has in it.
    pub fn subscribe_remote(
        &self,
        route: &Arc<ClientHandle>,
        subject: &[u8],
        queue: Option<(&[u8], u32)>,
    ) -> Result<(), SubscribeError> {
        let key = remote_key(&self.name, subject, queue.map(|(q, _)| q));
        if let Some(existing) = route.get_sub(&key) {
            if let Some((_, weight)) = queue {
                existing.set_weight(weight);
            }
            return Ok(());
        }
        self.subscribe(route, subject, queue.map(|(q, _)| q), &key)?;
        if let (Some((_, weight)), Some(sub)) = (queue, route.get_sub(&key)) {
            sub.set_weight(weight);
        }
        Ok(())
    }

    /// Forgets a peer's interest (`RS-`) on `route`.
    pub fn unsubscribe_remote(&self, route: &ClientHandle, subject: &[u8], queue: Option<&[u8]>) {
        self.unsubscribe(route, &remote_key(&self.name, subject, queue), None);
    }

    /// `UNSUB sid [max]`: removes the subscription now, or once it has delivered `max`
    /// messages in total. Unknown sids are ignored, as nats-server does.
    pub fn unsubscribe(&self, client: &ClientHandle, sid: &[u8], max: Option<u64>) {
        let Some(sub) = client.get_sub(sid) else {
            return;
        };
        match max {
            Some(max) if max > 0 && sub.delivered() < max => sub.set_max(max),
            _ => self.remove_subscription(&sub),
        }
    }

    /// Removes every subscription of a closing client in this account. A route holds
    /// the interest of every account, so only its entries for this one go.
    pub fn remove_client(&self, client: &ClientHandle) {
        let subs = if client.is_route() {
            let mut prefix = self.name.as_bytes().to_vec();
            prefix.push(b' ');
            client.drain_subs_where(|sid| sid.starts_with(&prefix))
        } else {
            client.drain_subs()
        };
        for sub in subs {
            if sub.mark_removed() {
                self.index.remove(
                    &sub.subject,
                    sub.queue.as_deref(),
                    &SubRef(Arc::clone(&sub)),
                );
                self.notify_removed(&sub);
            }
        }
    }

    fn remove_subscription(&self, sub: &Arc<Subscription>) {
        if sub.mark_removed() {
            sub.client.remove_sub(&sub.sid);
            self.index
                .remove(&sub.subject, sub.queue.as_deref(), &SubRef(Arc::clone(sub)));
            self.notify_removed(sub);
        }
    }

    /// Delivers `msg` from `from` to every matching subscription: all plain subscribers
    /// and one member of each queue group, cluster-wide (a peer's members count by their
    /// number). Peers with matching interest get the message once each. Returns how
    /// many subscriptions matched (the no-responders rule looks at matches, not
    /// deliveries).
    pub fn publish(
        &self,
        from: Option<&ClientHandle>,
        msg: &Message<'_>,
        p: &mut Publisher,
    ) -> usize {
        let matched = self.fan_out(msg.subject, from, msg, None, p);
        if !self.linked.load(Ordering::Relaxed) {
            return matched;
        }
        matched + self.follow_links(from, msg, p)
    }

    /// Delivers a server-originated `msg` to the subscribers of `to` while the frames
    /// carry `msg.subject`: how JetStream hands a stored message to a consumer's deliver
    /// subject or pull request inbox under the subject it was published to. A peer
    /// server gets it under `to`, which is what its subscribers match.
    pub fn deliver_to(&self, to: &[u8], msg: &Message<'_>, p: &mut Publisher) -> usize {
        self.fan_out(to, None, msg, None, p)
    }

    /// Delivers a message a peer forwarded over `route`: to local plain subscribers,
    /// and to one local member of each queue group in `queues` (the peer chose this
    /// server for them). Never to another route: a message crosses at most one.
    pub fn publish_routed(
        &self,
        route: &ClientHandle,
        msg: &Message<'_>,
        queues: &[&[u8]],
        p: &mut Publisher,
    ) -> usize {
        self.fan_out(msg.subject, Some(route), msg, Some(queues), p)
    }

    fn fan_out(
        &self,
        route_subject: &[u8],
        from: Option<&ClientHandle>,
        msg: &Message<'_>,
        routed_queues: Option<&[&[u8]]>,
        p: &mut Publisher,
    ) -> usize {
        let result = p.cache.lookup(self.id, &self.index, route_subject);
        let from_id = from.map(|c| c.id);
        let skip_own = from.filter(|c| !c.echo()).map(|c| c.id);
        for SubRef(sub) in &result.plain {
            if sub.client.is_route() {
                if routed_queues.is_none() {
                    p.routes.add(&sub.client, None);
                }
                continue;
            }
            if Some(sub.client.id) == skip_own {
                if let Some(trace) = &p.trace {
                    self.note_egress(trace, sub, not_delivered::NO_ECHO);
                }
                continue;
            }
            self.deliver(sub, msg, from_id, &mut p.wakes, p.trace.as_ref());
        }
        for group in &result.queues {
            match routed_queues {
                Some(listed) => {
                    let name = group
                        .members
                        .first()
                        .and_then(|SubRef(s)| s.queue.as_deref());
                    if name.is_some_and(|n| listed.contains(&n)) {
                        self.deliver_to_local_member(msg, &group.members, from_id, p);
                    }
                }
                None => self.deliver_to_member(msg, &group.members, skip_own, from_id, p),
            }
        }
        self.forward_to_routes(route_subject, msg, p);
        result.plain.len() + result.queues.len()
    }

    /// Whether anyone is subscribed to `subject` (a push consumer delivers only then).
    pub fn has_interest(&self, subject: &[u8], p: &mut Publisher) -> bool {
        let result = p.cache.lookup(self.id, &self.index, subject);
        !result.plain.is_empty() || !result.queues.is_empty()
    }

    /// One member of a queue group, starting at a random one weighted so that every
    /// member in the cluster is equally likely; a peer's interest, once reached, takes
    /// the message (as nats-server does), a local member that cannot take it passes it on.
    fn deliver_to_member(
        &self,
        msg: &Message<'_>,
        members: &[SubRef],
        skip_own: Option<u64>,
        from_id: Option<u64>,
        p: &mut Publisher,
    ) {
        let n = members.len();
        let start = if self.remote_subs.load(Ordering::Relaxed) == 0 {
            p.picker.next(n)
        } else {
            weighted_start(members, &mut p.picker)
        };
        for i in 0..n {
            let Some(SubRef(sub)) = members.get((start + i) % n) else {
                continue;
            };
            if sub.client.is_route() {
                p.routes.add(&sub.client, Some(sub));
                return;
            }
            if Some(sub.client.id) == skip_own || sub.client.outbound.is_closed() {
                continue;
            }
            if self.deliver(sub, msg, from_id, &mut p.wakes, p.trace.as_ref()) {
                return;
            }
        }
    }

    /// One local member of a queue group, for a message a peer forwarded.
    fn deliver_to_local_member(
        &self,
        msg: &Message<'_>,
        members: &[SubRef],
        from_id: Option<u64>,
        p: &mut Publisher,
    ) {
        let n = members.len();
        let start = p.picker.next(n);
        for i in 0..n {
            let Some(SubRef(sub)) = members.get((start + i) % n) else {
                continue;
            };
            if sub.client.is_route() || sub.client.outbound.is_closed() {
                continue;
            }
            if self.deliver(sub, msg, from_id, &mut p.wakes, p.trace.as_ref()) {
                return;
            }
        }
    }

    /// Appends one `RMSG` per peer collected while matching.
    fn forward_to_routes(&self, subject: &[u8], msg: &Message<'_>, p: &mut Publisher) {
        if p.routes.targets.is_empty() {
            return;
        }
        let mut targets = std::mem::take(&mut p.routes.targets);
        let routed = RoutedMsg {
            account: self.name.as_bytes(),
            subject,
            reply: msg.reply,
            queues: &[],
            headers: msg.headers,
            payload: msg.payload,
        };
        for (route, queue_subs) in targets.drain(..) {
            let queues: Vec<&[u8]> = queue_subs
                .iter()
                .filter_map(|s| s.queue.as_deref())
                .collect();
            // A traced message tells the peer which hop it is, so that the peer's own
            // report can be matched to this one's egress.
            let hop_headers = p.trace.as_ref().map(|trace| {
                let hop = trace.next_hop();
                trace.egress(Egress {
                    kind: trace_kind::ROUTER,
                    cid: route.id,
                    name: route.name(),
                    hop: &hop,
                    account: &self.name,
                    sub: b"",
                    queue: None,
                    error: "",
                });
                natrium_proto::rewrite_headers(
                    msg.headers.unwrap_or_default(),
                    |name| name == TRACE_HOP,
                    &[("Nats-Trace-Hop", hop.as_bytes())],
                )
            });
            let routed = RoutedMsg {
                headers: hop_headers.as_deref().or(routed.headers),
                ..routed
            };
            let size = routed.headers.map_or(0, <[u8]>::len) + msg.payload.len();
            let frame_len = self.name.len()
                + subject.len()
                + msg.reply.map_or(0, <[u8]>::len)
                + queues.iter().map(|q| q.len() + 1).sum::<usize>()
                + size
                + FRAMING;
            let appended = route.outbound.append_msg(size, frame_len, |buf| {
                encode_rmsg(buf, self.name.as_bytes(), &routed, &queues);
            });
            p.wakes.note(&route, appended);
        }
        p.routes.targets = targets;
    }

    /// Sends the no-responders status to the requester's own subscription on `reply`.
    pub fn no_responders(&self, requester: &Arc<ClientHandle>, reply: &[u8], p: &mut Publisher) {
        let result = p.cache.lookup(self.id, &self.index, reply);
        let own = result
            .plain
            .iter()
            .chain(result.queues.iter().flat_map(|q| q.members.iter()))
            .find(|SubRef(sub)| Arc::ptr_eq(&sub.client, requester));
        if let Some(SubRef(sub)) = own {
            let appended = sub.client.outbound.append_msg(
                NO_RESPONDERS_HEADER.len(),
                NO_RESPONDERS_HEADER.len() + reply.len() + sub.sid.len() + FRAMING,
                |buf| {
                    encode_hmsg(buf, reply, &sub.sid, None, NO_RESPONDERS_HEADER, b"");
                },
            );
            p.wakes.note(&sub.client, appended);
        }
    }

    /// Appends one frame for `sub` (or hands an internal subscriber its copy); false when
    /// the subscription could take no more.
    fn deliver(
        &self,
        sub: &Arc<Subscription>,
        msg: &Message<'_>,
        from_id: Option<u64>,
        wakes: &mut PendingWakes,
        trace: Option<&Trace>,
    ) -> bool {
        let client = &sub.client;
        let rules = client.delivery_rules();
        if rules.is_some_and(|r| !r.may_deliver(msg.subject, sub.queue.as_deref())) {
            if let Some(trace) = trace {
                self.note_egress(trace, sub, not_delivered::SUB_DENIED);
            }
            return false;
        }
        // Trace-only: a client is told nothing, but counts as reached. An internal
        // subscriber (a stream) gets the message and the trace, and only traces.
        if let Some(trace) = trace.filter(|_| client.internal().is_none()) {
            if client.outbound.is_closed() {
                self.note_egress(trace, sub, not_delivered::CLIENT_CLOSED);
                return false;
            }
            if trace.trace_only() {
                self.note_egress(trace, sub, "");
                return true;
            }
        }
        let admit = sub.admit();
        if admit == Admit::Skip {
            if let Some(trace) = trace {
                let why = if sub.max() > 0 {
                    not_delivered::AUTO_UNSUB
                } else {
                    not_delivered::SUB_CLOSED
                };
                self.note_egress(trace, sub, why);
            }
            return false;
        }
        if let Some(sender) = client.internal() {
            let sent = sender
                .try_send(InternalMsg::copy_of(&sub.sid, msg, from_id, trace.cloned()))
                .is_ok();
            if !sent {
                tracing::warn!(subject = %String::from_utf8_lossy(msg.subject), "internal subscriber is full or gone; message dropped");
            }
            if admit == Admit::DeliverLast {
                self.remove_subscription(sub);
            }
            return sent;
        }
        let frame_len = msg.subject.len()
            + sub.sid.len()
            + msg.reply.map_or(0, <[u8]>::len)
            + msg.size()
            + FRAMING;
        let appended = match msg.headers {
            Some(headers) if client.headers() => {
                client.outbound.append_msg(msg.size(), frame_len, |buf| {
                    encode_hmsg(buf, msg.subject, &sub.sid, msg.reply, headers, msg.payload);
                })
            }
            _ => client
                .outbound
                .append_msg(msg.payload.len(), frame_len, |buf| {
                    encode_msg(buf, msg.subject, &sub.sid, msg.reply, msg.payload);
                }),
        };
        wakes.note(client, appended);
        if let Some(trace) = trace {
            let why = if appended == Appended::Dropped {
                not_delivered::CLIENT_CLOSED
            } else {
                ""
            };
            self.note_egress(trace, sub, why);
        }
        if let (Some(rules), Some(reply)) = (rules, msg.reply) {
            if appended != Appended::Dropped {
                rules.request_delivered(reply);
            }
        }
        if admit == Admit::DeliverLast {
            self.remove_subscription(sub);
        }
        appended != Appended::Dropped
    }
    /// Notes in the trace what became of the message for a client's subscription.
    fn note_egress(&self, trace: &Trace, sub: &Subscription, error: &str) {
        trace.egress(Egress {
            kind: trace_kind::CLIENT,
            cid: sub.client.id,
            name: sub.client.name(),
            hop: "",
            account: &self.name,
            sub: &sub.subject,
            queue: sub.queue.as_deref(),
            error,
        });
    }
}

/// Runs `f`, the fan-out of a traced message into a linked account. Without the link's
/// `allow_trace` the trace stops at the link, as in nats-server: a trace-only message goes
/// no further, another one goes on untraced, its destination header switched off so that
/// no server it reaches traces it either.
fn across_link(
    allow_trace: bool,
    msg: &Message<'_>,
    p: &mut Publisher,
    f: impl FnOnce(&Message<'_>, &mut Publisher) -> usize,
) -> usize {
    let Some(trace) = p.trace.take_if(|_| !allow_trace) else {
        return f(msg, p);
    };
    let matched = if trace.trace_only() {
        0
    } else {
        let headers = natrium_proto::rewrite_headers(
            msg.headers.unwrap_or_default(),
            |name| name == TRACE_DEST,
            &[("Nats-Trace-Dest", TRACE_DISABLED)],
        );
        let untraced = Message {
            headers: Some(&headers),
            ..*msg
        };
        f(&untraced, p)
    };
    p.trace = Some(trace);
    matched
}

/// A random member index where a peer's interest counts as many times as its weight.
fn weighted_start(members: &[SubRef], picker: &mut QueuePicker) -> usize {
    let weight = |s: &Subscription| usize::try_from(s.weight()).unwrap_or(1);
    let total: usize = members.iter().map(|SubRef(s)| weight(s)).sum();
    let mut ticket = picker.next(total);
    for (i, SubRef(sub)) in members.iter().enumerate() {
        let w = weight(sub);
        if ticket < w {
            return i;
        }
        ticket -= w;
    }
    0
}

/// The key a peer's interest is stored under on its route: account, subject and queue,
/// as nats-server keys it (one route carries the interest of every account).
fn remote_key(account: &str, subject: &[u8], queue: Option<&[u8]>) -> Vec<u8> {
    let mut key = Vec::with_capacity(account.len() + subject.len() + 1);
    key.extend_from_slice(account.as_bytes());
    key.push(b' ');
    key.extend_from_slice(subject);
    if let Some(q) = queue {
        key.push(b' ');
        key.extend_from_slice(q);
    }
    key
}
