//! One consumer's delivery state machine: which stream message it hands out next, what
//! is waiting for an acknowledgement, redeliveries, pull requests and push delivery.
//!
//! A consumer lives inside its stream's task and reads the stream's store there; it
//! never sends anything itself but returns [`Delivery`] values and status messages for
//! the task to send, so that it stays a plain value that tests drive with any clock.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use natrium_api::jetstream::{AckPolicy, ConsumerConfig, DeliverPolicy, NextRequest, ReplayPolicy};
use natrium_store::{ConsumerState, ConsumerStore, PendingAck, SequencePair, Store, StoredMsg};

use crate::ack::AckKind;
use crate::priority::{self, GroupRequest, Pin};

/// nats-server's default `ack_wait`.
pub const DEFAULT_ACK_WAIT: i64 = 30_000_000_000;
/// nats-server's default `max_ack_pending`.
pub const DEFAULT_MAX_ACK_PENDING: i64 = 1000;
/// nats-server's default `max_waiting` for pull consumers.
pub const DEFAULT_MAX_WAITING: i64 = 512;
/// nats-server's default `inactive_threshold` for ephemeral consumers.
pub const DEFAULT_EPHEMERAL_INACTIVE: i64 = 5_000_000_000;
/// How long changed plain consumer state may wait before it is written (nanoseconds).
const SAVE_EVERY: i64 = 100_000_000;
/// Messages a flow-controlled push consumer sends before asking the client to confirm.
const FLOW_CONTROL_EVERY: u64 = 512;

/// A waiting pull request (`CONSUMER.MSG.NEXT`).
#[derive(Debug, Clone)]
pub struct PullRequest {
    /// Where messages and status replies go.
    pub reply: String,
    /// Messages still wanted.
    pub remaining: u64,
    /// Byte budget left, when the request set `max_bytes`.
    pub bytes_left: Option<u64>,
    /// When it expires (unix nanoseconds).
    pub expires_at: Option<i64>,
    /// Answer at once when nothing is pending.
    pub no_wait: bool,
    /// Idle heartbeat interval, nanoseconds.
    pub heartbeat: Option<i64>,
    /// When the next heartbeat is due.
    pub next_heartbeat: i64,
    /// Messages already sent for this request.
    pub sent: u64,
    /// The priority-group fields of a JSON request.
    pub group: Option<GroupRequest>,
}

impl PullRequest {
    /// What the request still wanted: messages and bytes.
    pub fn pending(&self) -> (u64, u64) {
        (self.remaining, self.bytes_left.unwrap_or(0))
    }
}

/// Why a pull request was refused or ended, as the status line the client gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// Where it goes.
    pub to: String,
    /// Status code (404, 408, 409, 100).
    pub code: u16,
    /// Status text.
    pub text: String,
    /// `Nats-Pending-Messages` and `Nats-Pending-Bytes` of the request it ends.
    pub pending: Option<(u64, u64)>,
}

/// A message to hand to a client.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The pull request's reply inbox to route it to; `None` for the push consumer's
    /// deliver subject (not copied per message).
    pub to: Option<String>,
    /// The `$JS.ACK...` reply subject (`None` with ack policy none is still sent by
    /// nats-server, so it is always present).
    pub ack_reply: String,
    /// The stored message.
    pub msg: StoredMsg,
    /// The pinned client's id, sent as `Nats-Pin-Id` (pinned_client consumers).
    pub pin_id: Option<String>,
}

/// Something a consumer did on its own that the stream task announces (advisories).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A client was pinned in `group`.
    Pinned {
        /// The priority group.
        group: String,
        /// The new pin id.
        id: String,
    },
    /// The pin of `group` was released: `"timeout"` or `"admin"`.
    Unpinned {
        /// The priority group.
        group: String,
        /// Why.
        reason: &'static str,
    },
    /// A pause reached its end.
    Resumed,
}

/// The consumer.
pub struct Consumer {
    /// Its name.
    pub name: String,
    /// Its configuration, defaults filled in.
    pub config: ConsumerConfig,
    /// Creation time, unix nanoseconds.
    pub created: i64,
    stream: String,
    filters: Vec<String>,
    state: ConsumerState,
    next_seq: u64,
    start_set: VecDeque<u64>,
    redeliver: VecDeque<u64>,
    queued: BTreeSet<u64>,
    delayed: BTreeMap<u64, i64>,
    /// Pull requests waiting, oldest first.
    pub waiting: VecDeque<PullRequest>,
    last_active: i64,
    last_delivery: i64,
    /// When a message was last delivered / acknowledged (0 = never).
    delivered_at: i64,
    acked_at: i64,
    /// Replay `original`: the stored time of the last delivered message and when it
    /// went out, and when the next one is due.
    replay_last: Option<(i64, i64)>,
    replay_due: Option<i64>,
    fc_outstanding: Option<String>,
    since_fc: u64,
    fc_counter: u64,
    store: Option<Box<dyn ConsumerStore>>,
    dirty: bool,
    confirm_pending: bool,
    saved_at: i64,
    /// The pinned client of a pinned_client consumer.
    pin: Option<Pin>,
    /// When the pause in force ends (unix nanoseconds).
    pause_end: Option<i64>,
    /// What happened since the stream task last asked.
    events: Vec<Event>,
}

/// Fills in nats-server's defaults for a new consumer.
pub fn apply_defaults(cfg: &mut ConsumerConfig, durable: bool) {
    if cfg.ack_wait == 0 {
        cfg.ack_wait = cfg.backoff.first().copied().unwrap_or(DEFAULT_ACK_WAIT);
    }
    if cfg.max_deliver == 0 {
        cfg.max_deliver = -1;
    }
    if cfg.max_ack_pending == 0 && cfg.ack_policy != AckPolicy::None {
        cfg.max_ack_pending = DEFAULT_MAX_ACK_PENDING;
    }
    if cfg.deliver_subject.is_empty() && cfg.max_waiting == 0 {
        cfg.max_waiting = DEFAULT_MAX_WAITING;
    }
    if !durable && cfg.inactive_threshold == 0 {
        cfg.inactive_threshold = DEFAULT_EPHEMERAL_INACTIVE;
    }
}

impl Consumer {
    /// A consumer starting where its deliver policy says, or where `saved` left off.
    pub fn new(
        stream: &str,
        name: String,
        config: ConsumerConfig,
        created: i64,
        store: &dyn Store,
        consumer_store: Option<Box<dyn ConsumerStore>>,
        now: i64,
    ) -> Result<Self, natrium_store::StoreError> {
        let mut filters: Vec<String> = config.filter_subjects.clone();
        if !config.filter_subject.is_empty() {
            filters.push(config.filter_subject.clone());
        }
        let saved = match &consumer_store {
            Some(cs) => cs.load()?,
            None => None,
        };
        let mut c = Consumer {
            name,
            config,
            created,
            stream: stream.to_string(),
            filters,
            state: ConsumerState::default(),
            next_seq: 1,
            start_set: VecDeque::new(),
            redeliver: VecDeque::new(),
            queued: BTreeSet::new(),
            delayed: BTreeMap::new(),
            waiting: VecDeque::new(),
            last_active: now,
            last_delivery: now,
            delivered_at: 0,
            acked_at: 0,
            replay_last: None,
            replay_due: None,
            fc_outstanding: None,
            since_fc: 0,
            fc_counter: 0,
            store: consumer_store,
            dirty: false,
            confirm_pending: false,
            saved_at: 0,
            pin: None,
            pause_end: None,
            events: Vec::new(),
        };
        c.pause_end = c.pause_deadline(now);
        match saved {
            Some(state) => {
                c.next_seq = state.delivered.stream_seq + 1;
                c.state = state;
            }
            None => c.set_start(store),
        }
        Ok(c)
    }

    fn set_start(&mut self, store: &dyn Store) {
        let st = store.state();
        let mut msg = StoredMsg::default();
        self.next_seq = match self.config.deliver_policy {
            DeliverPolicy::All => st.first_seq.max(1),
            DeliverPolicy::New => st.last_seq + 1,
            DeliverPolicy::Last => {
                let mut last = 0;
                for f in self.filter_list() {
                    if store.load_last(&f, &mut msg).unwrap_or(false) {
                        last = last.max(msg.seq);
                    }
                }
                if last == 0 {
                    st.last_seq + 1
                } else {
                    last
                }
            }
            DeliverPolicy::ByStartSequence => self.config.opt_start_seq.max(1),
            DeliverPolicy::ByStartTime => {
                let ts = self
                    .config
                    .opt_start_time
                    .as_deref()
                    .and_then(natrium_api::time::parse_rfc3339)
                    .unwrap_or(0);
                store.seq_for_time(ts)
            }
            DeliverPolicy::LastPerSubject => {
                let mut seqs: Vec<u64> = self
                    .filter_list()
                    .iter()
                    .flat_map(|f| store.subjects_state(f))
                    .map(|(_, s)| s.last_seq)
                    .collect();
                seqs.sort_unstable();
                seqs.dedup();
                self.start_set = seqs.into();
                st.last_seq + 1
            }
        };
        // Consumer sequences count deliveries; the stream sequence before the start is
        // "delivered" so that a restart resumes after it.
        self.state.delivered.stream_seq = self.next_seq.saturating_sub(1);
        self.state.ack_floor.stream_seq = self.next_seq.saturating_sub(1);
    }

    fn filter_list(&self) -> Vec<String> {
        if self.filters.is_empty() {
            vec![String::new()]
        } else {
            self.filters.clone()
        }
    }

    /// Whether `subject` is one this consumer delivers.
    pub fn wants(&self, subject: &str) -> bool {
        self.filters.is_empty()
            || self
                .filters
                .iter()
                .any(|f| natrium_subject::subject_matches(f.as_bytes(), subject.as_bytes()))
    }

    /// Whether this is a push consumer.
    pub fn is_push(&self) -> bool {
        !self.config.deliver_subject.is_empty()
    }

    /// Whether it survives without clients (durable name set).
    pub fn is_durable(&self) -> bool {
        !self.config.durable_name.is_empty()
    }

    /// Delivered but not acknowledged.
    pub fn pending_acks(&self) -> &BTreeMap<u64, PendingAck> {
        &self.state.pending
    }

    /// The next stream sequence this consumer has not looked at yet.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// Saved state.
    pub fn state(&self) -> &ConsumerState {
        &self.state
    }

    /// Messages left to deliver (`num_pending`).
    pub fn num_pending(&self, store: &dyn Store) -> u64 {
        let from_set = self.start_set.len() as u64;
        let rest: u64 = if self.filters.is_empty() {
            store.num_pending(self.next_seq, "", false)
        } else {
            self.filters
                .iter()
                .map(|f| store.num_pending(self.next_seq, f, false))
                .sum()
        };
        from_set + rest
    }

    /// Marks the consumer as used by a client now.
    pub fn touch(&mut self, now: i64) {
        self.last_active = now;
    }

    /// Whether an inactive consumer should be removed at `now`.
    pub fn expired(&self, now: i64, push_interest: bool) -> bool {
        let threshold = self.config.inactive_threshold;
        if threshold <= 0 || push_interest || !self.waiting.is_empty() {
            return false;
        }
        now.saturating_sub(self.last_active) > threshold
    }

    fn ack_limit_reached(&self) -> bool {
        self.config.ack_policy != AckPolicy::None
            && self.config.max_ack_pending > 0
            && self.state.pending.len() as i64 >= self.config.max_ack_pending
    }

    /// With replay `original`, when `msg` may go out: as long after the previous
    /// delivery as it was stored after the previous message. `None` when it may go now.
    fn replay_wait(&self, msg: &StoredMsg, now: i64) -> Option<i64> {
        if self.config.replay_policy != ReplayPolicy::Original {
            return None;
        }
        let (last_ts, sent_at) = self.replay_last?;
        let due = sent_at.saturating_add(msg.ts.saturating_sub(last_ts).max(0));
        (due > now).then_some(due)
    }

    /// The next message to hand out, recorded as delivered at `now`.
    fn next_message(&mut self, store: &dyn Store, now: i64) -> Option<(StoredMsg, u64)> {
        let mut msg = StoredMsg::default();
        while let Some(seq) = self.redeliver.pop_front() {
            self.queued.remove(&seq);
            if !self.state.pending.contains_key(&seq) {
                continue;
            }
            if !store.load(seq, &mut msg).unwrap_or(false) {
                self.state.pending.remove(&seq);
                continue;
            }
            let count = self.state.redelivered.entry(seq).or_insert(0);
            *count += 1;
            let delivered = *count + 1;
            self.state.delivered.consumer_seq += 1;
            if let Some(p) = self.state.pending.get_mut(&seq) {
                p.consumer_seq = self.state.delivered.consumer_seq;
                p.ts = now;
            }
            self.dirty = true;
            self.delivered_at = now;
            return Some((msg, delivered));
        }
        if self.ack_limit_reached() {
            return None;
        }
        let mut from_start_set = false;
        let found = loop {
            if let Some(seq) = self.start_set.pop_front() {
                if store.load(seq, &mut msg).unwrap_or(false) {
                    from_start_set = true;
                    break Some(());
                }
                continue;
            }
            let mut best: Option<StoredMsg> = None;
            for f in self.filter_list() {
                let mut candidate = StoredMsg::default();
                if store
                    .load_next(&f, self.next_seq, &mut candidate)
                    .unwrap_or(false)
                    && best.as_ref().is_none_or(|b| candidate.seq < b.seq)
                {
                    best = Some(candidate);
                }
            }
            break best.map(|b| {
                msg = b;
            });
        };
        found?;
        if let Some(due) = self.replay_wait(&msg, now) {
            if from_start_set {
                self.start_set.push_front(msg.seq);
            }
            self.replay_due = Some(due);
            return None;
        }
        self.replay_due = None;
        self.replay_last = Some((msg.ts, now));
        self.next_seq = self.next_seq.max(msg.seq + 1);
        self.state.delivered.consumer_seq += 1;
        self.state.delivered.stream_seq = msg.seq;
        if self.config.ack_policy == AckPolicy::None {
            self.state.ack_floor = self.state.delivered;
        } else {
            self.state.pending.insert(
                msg.seq,
                PendingAck {
                    consumer_seq: self.state.delivered.consumer_seq,
                    ts: now,
                },
            );
        }
        self.dirty = true;
        self.delivered_at = now;
        Some((msg, 1))
    }

    fn ack_reply(&self, msg: &StoredMsg, delivered: u64, pending: u64) -> String {
        let mut out = String::with_capacity(64);
        crate::ack::AckReply {
            stream: &self.stream,
            consumer: &self.name,
            delivered,
            stream_seq: msg.seq,
            consumer_seq: self.state.delivered.consumer_seq,
            timestamp: msg.ts,
            pending,
        }
        .write_subject(&mut out);
        out
    }

    /// Everything deliverable now: to push subscribers (when `push_interest`) or to
    /// waiting pull requests, plus the status replies that end pull requests.
    pub fn deliver(
        &mut self,
        store: &dyn Store,
        now: i64,
        push_interest: bool,
        out: &mut Vec<Delivery>,
        statuses: &mut Vec<Status>,
        flow_control: &mut Vec<(String, String)>,
    ) {
        // Counted once per call and then decremented: counting from the store per
        // message would cost a scan of the index each time.
        let mut pending: Option<u64> = None;
        let mut pending_after = |c: &Self, dc: u64| -> u64 {
            let left = pending.get_or_insert_with(|| c.num_pending(store) + u64::from(dc == 1));
            if dc == 1 {
                *left = left.saturating_sub(1);
            }
            *left
        };
        if self.paused(now).is_some() {
            return;
        }
        if self.is_push() {
            if !push_interest || self.fc_outstanding.is_some() {
                return;
            }
            while let Some((msg, dc)) = self.next_message(store, now) {
                let pending = pending_after(self, dc);
                let ack_reply = self.ack_reply(&msg, dc, pending);
                out.push(Delivery {
                    to: None,
                    ack_reply,
                    msg,
                    pin_id: None,
                });
                self.last_delivery = now;
                if self.config.flow_control {
                    self.since_fc += 1;
                    if self.since_fc >= FLOW_CONTROL_EVERY {
                        self.since_fc = 0;
                        self.fc_counter += 1;
                        let reply =
                            format!("$JS.FC.{}.{}.{}", self.stream, self.name, self.fc_counter);
                        self.fc_outstanding = Some(reply.clone());
                        flow_control.push((self.config.deliver_subject.clone(), reply));
                        return;
                    }
                }
            }
            return;
        }
        while !self.waiting.is_empty() {
            let Some((msg, dc)) = self.next_message(store, now) else {
                break;
            };
            let Some((idx, pinned_now)) = self.pick_request(store, dc, now, statuses) else {
                self.undeliver(&msg);
                break;
            };
            let size = (msg.subject.len() + msg.headers.len() + msg.payload.len()) as u64;
            let Some(req) = self.waiting.get_mut(idx) else {
                break;
            };
            if let Some(left) = req.bytes_left {
                if size > left {
                    self.undeliver(&msg);
                    if pinned_now {
                        self.pin = None;
                    }
                    if let Some(req) = self.waiting.remove(idx) {
                        if req.sent == 0 {
                            statuses.push(Status {
                                code: 409,
                                text: "Message Size Exceeds MaxBytes".into(),
                                pending: Some(req.pending()),
                                to: req.reply,
                            });
                        }
                    }
                    continue;
                }
                req.bytes_left = Some(left - size);
            }
            req.remaining = req.remaining.saturating_sub(1);
            req.sent += 1;
            if let Some(hb) = req.heartbeat {
                req.next_heartbeat = now + hb;
            }
            let to = Some(req.reply.clone());
            let done = req.remaining == 0;
            let pending = pending_after(self, dc);
            let ack_reply = self.ack_reply(&msg, dc, pending);
            let pin_id = self.pin.as_ref().map(|p| p.id.clone());
            out.push(Delivery {
                to,
                ack_reply,
                msg,
                pin_id,
            });
            self.last_delivery = now;
            if done {
                self.waiting.remove(idx);
            }
        }
        // A no_wait request that found nothing more ends now.
        // Only at the end of the stream: not while replay pacing or max_ack_pending holds
        // messages back.
        let end_of_stream = self.redeliver.is_empty()
            && self.waiting.iter().any(|r| r.no_wait)
            && self.num_pending(store) == 0;
        let mut i = 0;
        while end_of_stream && i < self.waiting.len() {
            // At the end of the stream a no_wait request ends with "No Messages", unless
            // it has an expiry and nothing was sent yet: then it waits (nats-server).
            let ends = self
                .waiting
                .get(i)
                .is_some_and(|r| r.no_wait && (r.expires_at.is_none() || r.sent > 0));
            if ends {
                if let Some(req) = self.waiting.remove(i) {
                    statuses.push(Status {
                        code: 404,
                        text: "No Messages".into(),
                        pending: None,
                        to: req.reply,
                    });
                }
            } else {
                i += 1;
            }
        }
    }

    /// The waiting request the message just taken (delivery count `dc`) goes to, under
    /// the consumer's priority policy, and whether that request was pinned for it just
    /// now (nats-server's `nextWaiting`). Requests holding a pin id that is not the
    /// current one are ended with 423 on the way.
    fn pick_request(
        &mut self,
        store: &dyn Store,
        dc: u64,
        now: i64,
        statuses: &mut Vec<Status>,
    ) -> Option<(usize, bool)> {
        use natrium_api::jetstream::PriorityPolicy as P;
        match self.config.priority_policy {
            // Prioritized requests are kept in priority order as they arrive.
            P::None | P::Prioritized => (!self.waiting.is_empty()).then_some((0, false)),
            P::Overflow => {
                // The message just taken still counts as pending, as in nats-server.
                let mut pending = None;
                let ack_pending = self.state.pending.len();
                for i in 0..self.waiting.len() {
                    let ready = match self.waiting.get(i).and_then(|r| r.group.as_ref()) {
                        Some(g) if g.min_pending > 0 || g.min_ack_pending > 0 => {
                            let p = *pending.get_or_insert_with(|| {
                                self.num_pending(store) + u64::from(dc == 1)
                            });
                            g.overflow_ready(p, ack_pending)
                        }
                        _ => true,
                    };
                    if ready {
                        return Some((i, false));
                    }
                }
                None
            }
            P::PinnedClient => {
                let mut i = 0;
                while let Some(req) = self.waiting.get(i) {
                    let (group, id) = match &req.group {
                        Some(g) => (Some(g.group.as_str()), g.id.as_str()),
                        None => (None, ""),
                    };
                    match (&self.pin, group) {
                        (Some(pin), _) if id == pin.id => return Some((i, false)),
                        // Not the pinned client: it waits for the pin to lapse.
                        (Some(_), _) if id.is_empty() => i += 1,
                        // A plain (non-JSON) request is served without a pin.
                        (None, None) => return Some((i, false)),
                        (None, Some(group)) if id.is_empty() => {
                            let pin = Pin {
                                id: priority::new_pin_id(),
                                group: group.to_owned(),
                                since: now,
                                expires: now.saturating_add(self.config.priority_timeout),
                            };
                            self.events.push(Event::Pinned {
                                group: pin.group.clone(),
                                id: pin.id.clone(),
                            });
                            // The request now holds the pin for the rest of its batch.
                            if let Some(g) = self.waiting.get_mut(i).and_then(|r| r.group.as_mut())
                            {
                                g.id.clone_from(&pin.id);
                            }
                            self.pin = Some(pin);
                            return Some((i, true));
                        }
                        _ => {
                            // An old pin id.
                            if let Some(req) = self.waiting.remove(i) {
                                statuses.push(Status {
                                    code: 423,
                                    text: "Nats-Wrong-Pin-Id".into(),
                                    pending: Some(req.pending()),
                                    to: req.reply,
                                });
                            }
                        }
                    }
                }
                None
            }
        }
    }

    /// Gives back a message picked for a request that could not take it.
    fn undeliver(&mut self, msg: &StoredMsg) {
        self.state.delivered.consumer_seq = self.state.delivered.consumer_seq.saturating_sub(1);
        if self.state.redelivered.contains_key(&msg.seq) {
            if let Some(c) = self.state.redelivered.get_mut(&msg.seq) {
                *c = c.saturating_sub(1);
            }
            self.redeliver.push_front(msg.seq);
            self.queued.insert(msg.seq);
        } else {
            self.state.pending.remove(&msg.seq);
            self.next_seq = msg.seq;
            self.state.delivered.stream_seq = msg.seq.saturating_sub(1);
        }
    }

    /// Adds a pull request; `Err` is the status to send instead.
    pub fn add_request(
        &mut self,
        reply: &str,
        body: &[u8],
        now: i64,
        max_request_batch: Option<i64>,
    ) -> Result<(), Status> {
        let refuse = |code: u16, text: String| Status {
            to: reply.to_string(),
            code,
            text,
            pending: None,
        };
        let body = body.trim_ascii();
        let json = !body.is_empty() && !body.iter().all(u8::is_ascii_digit);
        let req: NextRequest = if body.is_empty() {
            NextRequest {
                batch: 1,
                ..Default::default()
            }
        } else if body.iter().all(u8::is_ascii_digit) {
            NextRequest {
                batch: std::str::from_utf8(body)
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(1),
                ..Default::default()
            }
        } else {
            crate::engine::from_json(body).map_err(|e| refuse(400, format!("Bad Request - {e}")))?
        };
        if req.idle_heartbeat > 0 && req.idle_heartbeat.saturating_mul(2) > req.expires {
            return Err(refuse(
                400,
                "Bad Request - heartbeat value too large".into(),
            ));
        }
        let batch = if req.batch <= 0 { 1 } else { req.batch };
        if let Some(limit) = max_request_batch.filter(|l| *l > 0) {
            if batch > limit {
                return Err(refuse(409, format!("Exceeded MaxRequestBatch of {limit}")));
            }
        }
        if self.config.max_batch > 0 && batch > self.config.max_batch {
            return Err(refuse(
                409,
                format!("Exceeded MaxRequestBatch of {}", self.config.max_batch),
            ));
        }
        if self.config.max_expires > 0 && req.expires > self.config.max_expires {
            return Err(refuse(
                409,
                format!(
                    "Exceeded MaxRequestExpires of {}",
                    go_duration(self.config.max_expires)
                ),
            ));
        }
        if self.config.max_bytes > 0 && req.max_bytes > self.config.max_bytes {
            return Err(refuse(
                409,
                format!("Exceeded MaxRequestMaxBytes of {}", self.config.max_bytes),
            ));
        }
        let group = json.then(|| GroupRequest::from_request(&req));
        if let Some(g) = &group {
            let holds_pin = priority::check(&self.config, g, self.pin.as_ref())
                .map_err(|(code, text)| refuse(code, text))?;
            if let (true, Some(pin)) = (holds_pin, self.pin.as_mut()) {
                pin.expires = now.saturating_add(self.config.priority_timeout);
            }
        }
        if self.config.max_waiting > 0 && self.waiting.len() as i64 >= self.config.max_waiting {
            return Err(refuse(409, "Exceeded MaxWaiting".into()));
        }
        let heartbeat = (req.idle_heartbeat > 0).then_some(req.idle_heartbeat);
        self.last_active = now;
        // Prioritized: after every request of the same or a more urgent priority.
        let at = match (&group, self.config.priority_policy) {
            (Some(g), natrium_api::jetstream::PriorityPolicy::Prioritized) => self
                .waiting
                .iter()
                .position(|w| w.group.as_ref().map_or(0, |o| o.priority) > g.priority)
                .unwrap_or(self.waiting.len()),
            _ => self.waiting.len(),
        };
        self.waiting.insert(
            at,
            PullRequest {
                reply: reply.to_string(),
                remaining: u64::try_from(batch).unwrap_or(1),
                bytes_left: u64::try_from(req.max_bytes).ok().filter(|b| *b > 0),
                expires_at: (req.expires > 0).then(|| now.saturating_add(req.expires)),
                no_wait: req.no_wait,
                heartbeat,
                next_heartbeat: now + heartbeat.unwrap_or(0),
                sent: 0,
                group,
            },
        );
        Ok(())
    }

    /// Applies an acknowledgement for stream sequence `seq`; returns the sequences
    /// that are now fully acknowledged by this consumer.
    pub fn ack(&mut self, kind: &AckKind<'_>, seq: u64, now: i64, acked: &mut Vec<u64>) {
        self.last_active = now;
        self.acked_at = now;
        match kind {
            AckKind::Ack | AckKind::Next { .. } => {
                if self.config.ack_policy == AckPolicy::All {
                    let done: Vec<u64> =
                        self.state.pending.range(..=seq).map(|(s, _)| *s).collect();
                    for s in done {
                        self.remove_pending(s);
                        acked.push(s);
                    }
                } else if self.remove_pending(seq) {
                    acked.push(seq);
                }
            }
            AckKind::Term { .. } => {
                if self.remove_pending(seq) {
                    acked.push(seq);
                }
            }
            AckKind::Nak { delay } => {
                if self.state.pending.contains_key(&seq) {
                    match delay {
                        Some(d) => {
                            let at =
                                now.saturating_add(i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
                            self.delayed.insert(seq, at);
                        }
                        None => self.queue_redelivery(seq),
                    }
                }
            }
            AckKind::Progress => {
                if let Some(p) = self.state.pending.get_mut(&seq) {
                    p.ts = now;
                }
            }
        }
    }

    fn queue_redelivery(&mut self, seq: u64) {
        if self.queued.insert(seq) {
            self.redeliver.push_back(seq);
        }
    }

    fn remove_pending(&mut self, seq: u64) -> bool {
        if self.state.pending.remove(&seq).is_none() {
            return false;
        }
        self.state.redelivered.remove(&seq);
        self.delayed.remove(&seq);
        self.dirty = true;
        self.update_ack_floor();
        true
    }

    fn update_ack_floor(&mut self) {
        match self.state.pending.iter().next() {
            None => self.state.ack_floor = self.state.delivered,
            Some((seq, p)) => {
                self.state.ack_floor = SequencePair {
                    consumer_seq: p.consumer_seq.saturating_sub(1),
                    stream_seq: seq.saturating_sub(1),
                };
            }
        }
    }

    /// Forgets a message the stream no longer has.
    pub fn forget(&mut self, seq: u64) {
        self.remove_pending(seq);
    }

    /// Timer work at `now`: expired acks queued for redelivery (or given up after
    /// `max_deliver`), expired pull requests, heartbeats. Returns sequences given up.
    pub fn on_timer(
        &mut self,
        now: i64,
        statuses: &mut Vec<Status>,
        heartbeats: &mut Vec<(String, Option<String>)>,
        push_interest: bool,
    ) -> Vec<u64> {
        let mut given_up = Vec::new();
        if self.pause_end.is_some_and(|end| end <= now) {
            self.pause_end = None;
            self.events.push(Event::Resumed);
        }
        if self.pin.as_ref().is_some_and(|p| p.expires <= now) {
            if let Some(pin) = self.pin.take() {
                self.events.push(Event::Unpinned {
                    group: pin.group,
                    reason: "timeout",
                });
            }
        }
        if self.config.ack_policy != AckPolicy::None {
            let due: Vec<u64> = self
                .delayed
                .iter()
                .filter(|(_, at)| **at <= now)
                .map(|(s, _)| *s)
                .collect();
            for s in due {
                self.delayed.remove(&s);
                self.queue_redelivery(s);
            }
            let mut expired = Vec::new();
            for (seq, p) in &self.state.pending {
                if self.queued.contains(seq) || self.delayed.contains_key(seq) {
                    continue;
                }
                let dc = self.state.redelivered.get(seq).copied().unwrap_or(0) + 1;
                if p.ts.saturating_add(self.wait_for(dc)) <= now {
                    expired.push((*seq, dc));
                }
            }
            for (seq, dc) in expired {
                if self.config.max_deliver > 0 && dc as i64 >= self.config.max_deliver {
                    self.remove_pending(seq);
                    given_up.push(seq);
                } else {
                    self.queue_redelivery(seq);
                }
            }
        }
        let mut i = 0;
        while i < self.waiting.len() {
            let expired = self
                .waiting
                .get(i)
                .is_some_and(|r| r.expires_at.is_some_and(|at| at <= now));
            if expired {
                if let Some(req) = self.waiting.remove(i) {
                    statuses.push(Status {
                        code: 408,
                        text: "Request Timeout".into(),
                        pending: Some(req.pending()),
                        to: req.reply,
                    });
                }
                continue;
            }
            if let Some(req) = self.waiting.get_mut(i) {
                if let Some(hb) = req.heartbeat {
                    if req.next_heartbeat <= now {
                        req.next_heartbeat = now + hb;
                        statuses.push(Status {
                            to: req.reply.clone(),
                            code: 100,
                            text: "Idle Heartbeat".into(),
                            pending: None,
                        });
                    }
                }
            }
            i += 1;
        }
        if self.is_push()
            && self.config.idle_heartbeat > 0
            && push_interest
            && now.saturating_sub(self.last_delivery) >= self.config.idle_heartbeat
        {
            self.last_delivery = now;
            heartbeats.push((
                self.config.deliver_subject.clone(),
                self.fc_outstanding.clone(),
            ));
        }
        given_up
    }

    fn wait_for(&self, delivered: u64) -> i64 {
        if self.config.backoff.is_empty() {
            return self.config.ack_wait;
        }
        let idx = usize::try_from(delivered.saturating_sub(1)).unwrap_or(usize::MAX);
        self.config
            .backoff
            .get(idx)
            .or(self.config.backoff.last())
            .copied()
            .unwrap_or(self.config.ack_wait)
    }

    /// The client answered flow control request `reply`.
    pub fn flow_control_reply(&mut self, reply: &str) -> bool {
        if self.fc_outstanding.as_deref() == Some(reply) {
            self.fc_outstanding = None;
            return true;
        }
        false
    }

    /// The headers of a push idle heartbeat.
    pub fn heartbeat_pairs(&self) -> (String, String) {
        (
            self.state.delivered.consumer_seq.to_string(),
            self.state.delivered.stream_seq.to_string(),
        )
    }

    /// Earliest time timer work is due, if any.
    pub fn next_deadline(&self) -> Option<i64> {
        let mut at: Option<i64> = None;
        let mut take = |t: i64| at = Some(at.map_or(t, |a: i64| a.min(t)));
        if self.config.ack_policy != AckPolicy::None {
            for (seq, p) in &self.state.pending {
                if !self.queued.contains(seq) {
                    let dc = self.state.redelivered.get(seq).copied().unwrap_or(0) + 1;
                    take(p.ts.saturating_add(self.wait_for(dc)));
                }
            }
            for t in self.delayed.values() {
                take(*t);
            }
        }
        if let Some(end) = self.pause_end {
            take(end);
        }
        if let Some(pin) = &self.pin {
            take(pin.expires);
        }
        for r in &self.waiting {
            if let Some(e) = r.expires_at {
                take(e);
            }
            if r.heartbeat.is_some() {
                take(r.next_heartbeat);
            }
        }
        if self.is_push() && self.config.idle_heartbeat > 0 {
            take(
                self.last_delivery
                    .saturating_add(self.config.idle_heartbeat),
            );
        }
        if self.config.inactive_threshold > 0 {
            take(
                self.last_active
                    .saturating_add(self.config.inactive_threshold)
                    + 1,
            );
        }
        if let Some(due) = self.replay_due {
            take(due);
        }
        if self.dirty && self.store.is_some() {
            take(self.saved_at.saturating_add(SAVE_EVERY));
        }
        at
    }

    /// Whether messages are queued for redelivery.
    pub fn has_redeliveries(&self) -> bool {
        !self.redeliver.is_empty()
    }

    /// Persists the state if it changed.
    pub fn save(&mut self, now: i64) -> Result<(), natrium_store::StoreError> {
        if !self.dirty {
            return Ok(());
        }
        // Plain state is written at most every SAVE_EVERY (a loss only redelivers);
        // a confirmation the client waits for is written at once.
        if !self.confirm_pending && now.saturating_sub(self.saved_at) < SAVE_EVERY {
            return Ok(());
        }
        self.saved_at = now;
        if let Some(cs) = self.store.as_mut() {
            if self.confirm_pending {
                cs.save_durable(&self.state)?;
            } else {
                cs.save(&self.state)?;
            }
        }
        self.dirty = false;
        self.confirm_pending = false;
        Ok(())
    }

    /// Writes changed state now, durably (shutdown).
    pub fn save_now(&mut self) -> Result<(), natrium_store::StoreError> {
        if self.dirty {
            self.confirm_pending = true;
        }
        self.save(0)
    }

    /// A client asked for its acknowledgement to be confirmed (`AckSync`): the next save
    /// reaches the disk before the confirmation goes out.
    pub fn confirm_next_save(&mut self) {
        self.confirm_pending = true;
        self.dirty = true;
    }

    /// Removes its persisted state.
    pub fn destroy(&mut self) -> Result<(), natrium_store::StoreError> {
        match self.store.as_mut() {
            Some(cs) => cs.destroy(),
            None => Ok(()),
        }
    }

    /// Redelivery count above one, by stream sequence.
    pub fn num_redelivered(&self) -> usize {
        self.state.redelivered.len()
    }

    /// When it last delivered and when it last saw an ack (unix nanoseconds, 0 never).
    pub fn activity(&self) -> (i64, i64) {
        (self.delivered_at, self.acked_at)
    }

    /// When a client last used it.
    pub fn last_active(&self) -> i64 {
        self.last_active
    }

    /// The end of the pause `pause_until` asks for, if that is after `now`.
    fn pause_deadline(&self, now: i64) -> Option<i64> {
        self.config
            .pause_until
            .as_deref()
            .and_then(natrium_api::time::parse_rfc3339)
            .filter(|end| *end > now)
    }

    /// The time left of the pause in force (nanoseconds), if it is paused.
    pub fn paused(&self, now: i64) -> Option<i64> {
        self.pause_end.filter(|end| *end > now).map(|end| end - now)
    }

    /// Pauses until `until` (RFC 3339); `None` resumes. Returns whether the setting
    /// changed (nats-server then sends the pause advisory).
    pub fn set_pause(&mut self, until: Option<String>, now: i64) -> bool {
        let changed = self.config.pause_until != until;
        self.config.pause_until = until;
        self.pause_end = self.pause_deadline(now);
        changed
    }

    /// Releases the pinned client of `group` (an operator's unpin); the next request
    /// without a pin id gets a new pin.
    pub fn unpin(&mut self, group: &str) {
        self.pin = None;
        self.events.push(Event::Unpinned {
            group: group.to_owned(),
            reason: "admin",
        });
    }

    /// The state of its priority group, as consumer info reports it.
    pub fn priority_groups(&self) -> Vec<natrium_api::jetstream::PriorityGroupState> {
        self.config
            .priority_groups
            .first()
            .map(|group| natrium_api::jetstream::PriorityGroupState {
                group: group.clone(),
                pinned_client_id: self.pin.as_ref().map(|p| p.id.clone()).unwrap_or_default(),
                pinned_ts: self.pin.as_ref().map_or_else(
                    || natrium_api::jetstream::ZERO_TIME.to_owned(),
                    |p| natrium_api::time::rfc3339_nano_from_unix_i64(p.since),
                ),
            })
            .into_iter()
            .collect()
    }

    /// What happened since the last call (pins, unpins, a pause ending).
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// Starts over from stream sequence `seq` (0: just past the ack floor), forgetting
    /// every delivery not yet acknowledged (nats-server 2.14's consumer reset). A
    /// sequence before the one the deliver policy starts at is refused, and only the
    /// `all`, `by_start_sequence` and `by_start_time` policies take one.
    pub fn reset(&mut self, seq: u64, store: &dyn Store) -> Result<u64, String> {
        let seq = if seq == 0 {
            self.state.ack_floor.stream_seq + 1
        } else {
            match self.config.deliver_policy {
                DeliverPolicy::All => seq,
                DeliverPolicy::ByStartSequence if seq < self.config.opt_start_seq => {
                    return Err("below start seq".into());
                }
                DeliverPolicy::ByStartSequence => seq,
                DeliverPolicy::ByStartTime => {
                    let ts = self
                        .config
                        .opt_start_time
                        .as_deref()
                        .and_then(natrium_api::time::parse_rfc3339)
                        .unwrap_or(0);
                    if seq < store.seq_for_time(ts) {
                        return Err("below start time".into());
                    }
                    seq
                }
                _ => return Err("not allowed".into()),
            }
        }
        .max(1);
        self.state = ConsumerState::default();
        self.state.delivered.stream_seq = seq - 1;
        self.state.ack_floor.stream_seq = seq - 1;
        self.next_seq = seq;
        self.start_set.clear();
        self.redeliver.clear();
        self.queued.clear();
        self.delayed.clear();
        self.replay_last = None;
        self.replay_due = None;
        self.dirty = true;
        Ok(seq)
    }
}

/// A Go duration string for whole nanoseconds, as in nats-server's error texts.
fn go_duration(nanos: i64) -> String {
    let d = std::time::Duration::from_nanos(u64::try_from(nanos).unwrap_or(0));
    if d.subsec_nanos() == 0 {
        let s = d.as_secs();
        if s >= 60 {
            let (m, s) = (s / 60, s % 60);
            return format!("{m}m{s}s");
        }
        return format!("{s}s");
    }
    format!("{}ms", d.as_millis())
}
