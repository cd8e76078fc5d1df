//! An account: a subject namespace with its own subscription index, and the fan-out of one
//! published message to every matching subscription in it.

use std::collections::HashMap;
use std::sync::Arc;

use natrium_proto::{encode_hmsg, encode_msg};
use natrium_subject::{MatchResult, SubList};

use crate::internal::InternalMsg;
use crate::outbound::Appended;
use crate::subscription::{Admit, ClientHandle, SubRef, Subscription};

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
    genid: u64,
    results: HashMap<Box<[u8]>, Arc<MatchResult<SubRef>>, foldhash::fast::RandomState>,
}

/// Entries a connection keeps before starting over; publishers to ever-new subjects
/// (inboxes) must not grow it without bound.
const MATCH_CACHE_MAX: usize = 256;

impl MatchCache {
    fn lookup(&mut self, index: &SubList<SubRef>, subject: &[u8]) -> Arc<MatchResult<SubRef>> {
        let genid = index.genid();
        if genid != self.genid {
            self.results.clear();
            self.genid = genid;
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

/// A subject namespace.
pub struct Account {
    name: String,
    index: SubList<SubRef>,
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

    fn next(&mut self, n: usize) -> usize {
        // xorshift64: uniform enough to spread members, and free of locks and syscalls.
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        usize::try_from(x % (n.max(1) as u64)).unwrap_or(0)
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
}

impl Publisher {
    /// Fresh state; `seed` varies queue selection between connections.
    pub fn new(seed: u64) -> Self {
        Self {
            cache: MatchCache::default(),
            wakes: PendingWakes::default(),
            picker: QueuePicker::new(seed),
        }
    }
}

impl Account {
    /// An empty account.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            index: SubList::new(),
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
        client.insert_sub(sub);
        Ok(())
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

    /// Removes every subscription of a closing client.
    pub fn remove_client(&self, client: &ClientHandle) {
        for sub in client.drain_subs() {
            if sub.mark_removed() {
                self.index.remove(
                    &sub.subject,
                    sub.queue.as_deref(),
                    &SubRef(Arc::clone(&sub)),
                );
            }
        }
    }

    fn remove_subscription(&self, sub: &Arc<Subscription>) {
        if sub.mark_removed() {
            sub.client.remove_sub(&sub.sid);
            self.index
                .remove(&sub.subject, sub.queue.as_deref(), &SubRef(Arc::clone(sub)));
        }
    }

    /// Delivers `msg` from `from` to every matching subscription: all plain subscribers
    /// and one member of each queue group. Returns how many subscriptions matched (the
    /// no-responders rule looks at matches, not deliveries).
    pub fn publish(
        &self,
        from: Option<&ClientHandle>,
        msg: &Message<'_>,
        p: &mut Publisher,
    ) -> usize {
        let result = p.cache.lookup(&self.index, msg.subject);
        let from_id = from.map(|c| c.id);
        let skip_own = from.filter(|c| !c.echo()).map(|c| c.id);
        for SubRef(sub) in &result.plain {
            if Some(sub.client.id) == skip_own {
                continue;
            }
            self.deliver(sub, msg, from_id, &mut p.wakes);
        }
        for group in &result.queues {
            let n = group.members.len();
            let start = p.picker.next(n);
            for i in 0..n {
                let Some(SubRef(sub)) = group.members.get((start + i) % n) else {
                    continue;
                };
                if Some(sub.client.id) == skip_own || sub.client.outbound.is_closed() {
                    continue;
                }
                if self.deliver(sub, msg, from_id, &mut p.wakes) {
                    break;
                }
            }
        }
        result.plain.len() + result.queues.len()
    }

    /// Sends the no-responders status to the requester's own subscription on `reply`.
    pub fn no_responders(&self, requester: &Arc<ClientHandle>, reply: &[u8], p: &mut Publisher) {
        let result = p.cache.lookup(&self.index, reply);
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
    ) -> bool {
        let admit = sub.admit();
        if admit == Admit::Skip {
            return false;
        }
        let client = &sub.client;
        if let Some(sender) = client.internal() {
            let sent = sender
                .try_send(InternalMsg::copy_of(&sub.sid, msg, from_id))
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
        if admit == Admit::DeliverLast {
            self.remove_subscription(sub);
        }
        appended != Appended::Dropped
    }
}
