//! A stream's task: it owns the stream's store and consumers, takes the messages
//! published to the stream's subjects, acknowledgements and the API requests about this
//! stream, and answers them.
//!
//! Publishes are handled in batches: every message already queued is appended, the store
//! is flushed once (one fsync under `sync: always`), and only then are the batch's acks
//! sent — group commit, so an acknowledged message is on disk.

mod batch;
mod consumer_admin;
mod counter;
mod dead_letter;
mod fast_batch;
mod schedule;
mod snapshot;
mod sourcing;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use natrium_api::jetstream::{
    AckPolicy, ApiError, ApiPaged, ClusterInfo, ConsumerConfig, ConsumerCreateResponse,
    ConsumerInfo, ConsumerInfoResponse, ConsumerListResponse, ConsumerNamesResponse,
    CreateConsumerRequest, MsgDeleteRequest, MsgGetRequest, MsgGetResponse, PubAck, PubAckResponse,
    RetentionPolicy, SequenceInfo, StoredMsg as ApiStoredMsg, StreamConfig, StreamInfo,
    StreamInfoRequest, StreamInfoResponse, StreamPurgeRequest, StreamPurgeResponse, Strict,
    SuccessResponse, NATS_CONSUMER_STALLED, NATS_LAST_CONSUMER, NATS_LAST_SEQUENCE,
    NATS_LAST_STREAM, NATS_MSG_SIZE, NATS_NUM_PENDING, NATS_PENDING_BYTES, NATS_PENDING_MESSAGES,
    NATS_PIN_ID, NATS_SEQUENCE, NATS_STREAM, NATS_SUBJECT, NATS_TIME_STAMP,
};
use natrium_api::jetstream::{NATS_MARKER_REASON, NATS_STREAM_SOURCE, NATS_TTL};
use natrium_api::time::rfc3339_nano_from_unix_i64;
use natrium_core::{Account, ClientHandle, InternalMsg, InternalReceiver};
use natrium_store::{NewMsg, PurgeRequest, Removed, Store, StoreError, StoredMsg};
use natrium_subject::SubjectTransform;
use tokio::sync::{mpsc, oneshot};

use crate::ack::{parse_ack, parse_ack_reply, AckKind};
use crate::advisory;
use crate::consumer::{apply_defaults, Consumer, Delivery, Status};
use crate::engine::{now_nanos, EngineShared, StreamUsage};
use crate::outbox::Outbox;
use crate::persist;
use crate::publish::{read_headers, PublishHeaders, Rollup};
use natrium_api::jetstream::ActionAdvisoryType;

/// A request about one stream, routed to its task.
#[derive(Debug)]
pub(crate) enum StreamCmd {
    /// A `$JS.API` request naming this stream.
    Api(StreamApi, InternalMsg),
    /// Stream info for `STREAM.LIST`.
    Info(oneshot::Sender<StreamInfo>),
    /// A validated new configuration; the reply goes to `reply`.
    Update(Box<StreamConfig>, Option<Bytes>),
    /// Remove the stream and its data; answered on the channel when done.
    Delete(oneshot::Sender<Result<(), StoreError>>),
    /// Flush and stop (server shutdown).
    Stop(oneshot::Sender<()>),
}

/// The stream-scoped API requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StreamApi {
    Info,
    Purge,
    MsgGet,
    MsgDelete,
    ConsumerCreate {
        name: Option<String>,
        filter: Option<String>,
        durable_subject: bool,
    },
    ConsumerInfo(String),
    ConsumerDelete(String),
    ConsumerNames,
    ConsumerList,
    ConsumerPause(String),
    ConsumerUnpin(String),
    ConsumerReset(String),
    Snapshot,
}

/// What a stream task is started with.
pub(crate) struct StreamParts {
    pub name: String,
    pub config: StreamConfig,
    pub created: i64,
    pub store: Box<dyn Store>,
    pub dir: Option<PathBuf>,
    pub usage: Arc<StreamUsage>,
    pub engine: Arc<EngineShared>,
}

pub(crate) struct StreamTask {
    name: String,
    config: StreamConfig,
    created: i64,
    store: Box<dyn Store>,
    dir: Option<PathBuf>,
    consumers: BTreeMap<String, Consumer>,
    dedup: HashMap<String, u64>,
    dedup_order: VecDeque<(i64, String)>,
    last_msg_id: Option<String>,
    out: Outbox,
    account: Arc<Account>,
    client: Arc<ClientHandle>,
    inbox: InternalReceiver,
    cmds: mpsc::UnboundedReceiver<StreamCmd>,
    usage: Arc<StreamUsage>,
    engine: Arc<EngineShared>,
    acks: Vec<(Bytes, Vec<u8>)>,
    removed: Vec<Removed>,
    subject_sids: usize,
    internal_subscribed: bool,
    /// `republish`, compiled.
    republish: Option<SubjectTransform>,
    /// The mirror or sources this stream copies from.
    upstreams: Vec<sourcing::Upstream>,
    /// When the links to them are checked next.
    upstream_check_at: Option<i64>,
    ack_template: AckTemplate,
    /// `subject_transform`, applied to each published subject before anything else.
    input_transform: Option<SubjectTransform>,
    /// The message schedules stored in this stream.
    schedules: schedule::Schedules,
    /// Atomic batches being staged until their commit.
    batches: batch::Batches,
    /// Fast batches being published.
    fast_batches: fast_batch::FastBatches,
}

/// Why a publish is not stored.
enum Refused {
    /// A check failed.
    Error(ApiError),
    /// The `Nats-Msg-Id` was stored before, as this sequence.
    Duplicate(u64),
}

impl From<ApiError> for Refused {
    fn from(e: ApiError) -> Self {
        Refused::Error(e)
    }
}

/// A publish that passed its checks, ready to store.
struct Prepared {
    /// Replacements for the published headers and payload (a counter's sum).
    headers: Option<Vec<u8>>,
    payload: Option<Vec<u8>>,
    msg_id: Option<String>,
    rollup: Option<Rollup>,
    ttl: i64,
    /// A counter's new value, for the ack.
    val: Option<String>,
    now: i64,
}

/// The JSON of a plain publish ack with only the sequence left to fill in, so that
/// acknowledging a publish does not rebuild and re-encode the same `PubAck` each time.
struct AckTemplate {
    head: Vec<u8>,
    tail: Vec<u8>,
}

impl AckTemplate {
    fn new(stream: &str, domain: &str) -> Self {
        // The same bytes `PubAck` serializes to: stream, seq, then domain when set.
        let text = |s: &str| serde_json::to_vec(s).unwrap_or_default();
        let mut head = b"{\"stream\":".to_vec();
        head.extend(text(stream));
        head.extend_from_slice(b",\"seq\":");
        let mut tail = Vec::new();
        if !domain.is_empty() {
            tail.extend_from_slice(b",\"domain\":");
            tail.extend(text(domain));
        }
        tail.push(b'}');
        AckTemplate { head, tail }
    }

    fn render(&self, seq: u64) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.head.len() + 20 + self.tail.len());
        out.extend_from_slice(&self.head);
        out.extend_from_slice(itoa::Buffer::new().format(seq).as_bytes());
        out.extend_from_slice(&self.tail);
        out
    }
}

const ACK_SID: &[u8] = b"ack";
const FC_SID: &[u8] = b"fc";
const DIRECT_SID: &[u8] = b"dg";
const DIRECT_LAST_SID: &[u8] = b"dgl";
const DIRECT_DOMAIN_SID: &[u8] = b"dgd";
const DIRECT_DOMAIN_LAST_SID: &[u8] = b"dgdl";
/// A mirror with `mirror_direct` answers direct gets for its origin too.
const MIRROR_DIRECT_SID: &[u8] = b"mdg";
const MIRROR_DIRECT_LAST_SID: &[u8] = b"mdgl";
/// Direct gets are answered by one of the streams that can (the origin or one of its
/// direct mirrors), as nats-server's queue group of its system client.
const DIRECT_QUEUE: &[u8] = b"_sys_";
/// Prefix of the sid of a pull consumer's `CONSUMER.MSG.NEXT` subscription; the
/// consumer's name follows it.
const NEXT_SID_PREFIX: &[u8] = b"n.";

/// Subjects listed per stream info page (nats-server's `JSMaxSubjectDetails`).
const MAX_SUBJECT_DETAILS: usize = 100_000;

/// Messages taken from the inbox before one flush.
const MAX_BATCH: usize = 4096;

fn json<T: serde::Serialize>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_default()
}

/// The stream's `subject_transform`, compiled; a config that no longer compiles (it was
/// checked when created) transforms nothing and says so.
fn compiled_transform(stream: &str, config: &StreamConfig) -> Option<SubjectTransform> {
    crate::stream_config::input_transform(config).unwrap_or_else(|err| {
        tracing::warn!(%stream, ?err, "stream subject transform ignored");
        None
    })
}

impl StreamTask {
    pub(crate) fn new(
        parts: StreamParts,
        client: Arc<ClientHandle>,
        inbox: InternalReceiver,
        cmds: mpsc::UnboundedReceiver<StreamCmd>,
    ) -> Self {
        let account = Arc::clone(&parts.engine.account);
        let seed = client.id;
        let (name, domain) = (parts.name.clone(), parts.engine.domain.clone());
        let input_transform = compiled_transform(&name, &parts.config);
        let republish = republish_transform(&name, &parts.config);
        let batches = batch::Batches::new(Arc::clone(&parts.engine));
        let fast_batches = fast_batch::FastBatches::new(Arc::clone(&parts.engine));
        let mut task = StreamTask {
            name: parts.name,
            config: parts.config,
            created: parts.created,
            store: parts.store,
            dir: parts.dir,
            consumers: BTreeMap::new(),
            dedup: HashMap::new(),
            dedup_order: VecDeque::new(),
            last_msg_id: None,
            out: Outbox::new(Arc::clone(&account), seed),
            account,
            client,
            inbox,
            cmds,
            usage: parts.usage,
            engine: parts.engine,
            acks: Vec::new(),
            removed: Vec::new(),
            subject_sids: 0,
            internal_subscribed: false,
            upstreams: Vec::new(),
            upstream_check_at: None,
            republish,
            ack_template: AckTemplate::new(&name, &domain),
            input_transform,
            batches,
            fast_batches,
            schedules: schedule::Schedules::default(),
        };
        task.rebuild_schedules();
        task.subscribe_all();
        task.restore_consumers();
        task.report_usage();
        task
    }

    fn subscribe_all(&mut self) {
        for i in 0..self.subject_sids {
            self.account
                .unsubscribe(&self.client, format!("s{i}").as_bytes(), None);
        }
        // `check_stream_config` has filled in the name when no subjects were given.
        let subjects = self.config.subjects.clone();
        for (i, subject) in subjects.iter().enumerate() {
            if let Err(err) = self.account.subscribe(
                &self.client,
                subject.as_bytes(),
                None,
                format!("s{i}").as_bytes(),
            ) {
                tracing::warn!(stream = %self.name, %err, "stream subject not subscribed");
            }
        }
        self.subject_sids = subjects.len();
        self.account.unsubscribe(&self.client, DIRECT_SID, None);
        self.account
            .unsubscribe(&self.client, DIRECT_LAST_SID, None);
        self.account
            .unsubscribe(&self.client, DIRECT_DOMAIN_SID, None);
        self.account
            .unsubscribe(&self.client, DIRECT_DOMAIN_LAST_SID, None);
        self.account
            .unsubscribe(&self.client, MIRROR_DIRECT_SID, None);
        self.account
            .unsubscribe(&self.client, MIRROR_DIRECT_LAST_SID, None);
        let mirror_direct = self
            .config
            .mirror
            .as_ref()
            .filter(|_| self.config.mirror_direct && self.config.allow_direct)
            .map(|m| (m.name.clone(), m.external.is_some()));
        if let Some((origin, false)) = mirror_direct {
            let one = format!("$JS.API.DIRECT.GET.{origin}");
            let last = format!("{one}.>");
            for (subject, sid) in [(one, MIRROR_DIRECT_SID), (last, MIRROR_DIRECT_LAST_SID)] {
                if let Err(err) = self.account.subscribe(
                    &self.client,
                    subject.as_bytes(),
                    Some(DIRECT_QUEUE),
                    sid,
                ) {
                    tracing::warn!(stream = %self.name, %err, "mirror direct get not subscribed");
                }
            }
        }
        if self.config.allow_direct {
            let sids = [
                (DIRECT_SID, DIRECT_LAST_SID),
                (DIRECT_DOMAIN_SID, DIRECT_DOMAIN_LAST_SID),
            ];
            for (prefix, (one_sid, last_sid)) in self.engine.api_prefixes().iter().zip(sids) {
                let one = format!("{prefix}.DIRECT.GET.{}", self.name);
                let last = format!("{prefix}.DIRECT.GET.{}.>", self.name);
                for (subject, sid) in [(one, one_sid), (last, last_sid)] {
                    if let Err(err) = self.account.subscribe(
                        &self.client,
                        subject.as_bytes(),
                        Some(DIRECT_QUEUE),
                        sid,
                    ) {
                        tracing::warn!(stream = %self.name, %err, "direct get not subscribed");
                    }
                }
            }
        }
        if self.internal_subscribed {
            return;
        }
        self.internal_subscribed = true;
        let ack = format!("$JS.ACK.{}.>", self.name);
        let fc = format!("$JS.FC.{}.>", self.name);
        for (subject, sid) in [(ack, ACK_SID), (fc, FC_SID)] {
            if let Err(err) = self
                .account
                .subscribe(&self.client, subject.as_bytes(), None, sid)
            {
                tracing::warn!(stream = %self.name, %err, "stream internal subject not subscribed");
            }
        }
    }

    /// A pull consumer answers `CONSUMER.MSG.NEXT` on its own subscription, so that a
    /// request for a consumer that does not exist gets no responders, as in nats-server.
    fn subscribe_next(&self, consumer: &Consumer) {
        if consumer.is_push() {
            return;
        }
        for (i, prefix) in self.engine.api_prefixes().iter().enumerate() {
            let subject = format!("{prefix}.CONSUMER.MSG.NEXT.{}.{}", self.name, consumer.name);
            let sid = next_sid(&consumer.name, i);
            if let Err(err) = self
                .account
                .subscribe(&self.client, subject.as_bytes(), None, &sid)
            {
                tracing::warn!(stream = %self.name, consumer = %consumer.name, %err, "pull requests not subscribed");
            }
        }
    }

    fn remove_consumer(&mut self, name: &str) -> bool {
        let Some(mut c) = self.consumers.remove(name) else {
            return false;
        };
        for i in 0..2 {
            self.account
                .unsubscribe(&self.client, &next_sid(name, i), None);
        }
        // Waiting pull requests learn at once, so ordered consumers recreate.
        for req in c.waiting.drain(..) {
            self.out
                .status(req.reply.as_bytes(), 409, "Consumer Deleted", &[]);
        }
        if let Err(err) = c.destroy() {
            tracing::error!(stream = %self.name, consumer = %name, %err, "consumer state not removed");
        }
        if let Some(dir) = &self.dir {
            persist::remove_consumer(dir, name);
        }
        advisory::consumer_action(
            &mut self.out,
            &self.name,
            name,
            ActionAdvisoryType::Delete,
            &self.engine.domain,
        );
        true
    }

    fn restore_consumers(&mut self) {
        let Some(dir) = self.dir.clone() else {
            return;
        };
        for (name, config, created) in persist::list_consumers(&dir) {
            let cstore = match persist::consumer_store(&dir, &name, self.engine.sync) {
                Ok(s) => s,
                Err(err) => {
                    tracing::error!(stream = %self.name, consumer = %name, %err, "consumer state not loaded");
                    continue;
                }
            };
            match Consumer::new(
                &self.name,
                name.clone(),
                config,
                created,
                self.store.as_ref(),
                Some(cstore),
                now_nanos(),
            ) {
                Ok(c) => {
                    self.subscribe_next(&c);
                    self.consumers.insert(name, c);
                }
                Err(err) => {
                    tracing::error!(stream = %self.name, consumer = %name, %err, "consumer not restored")
                }
            }
        }
    }

    fn report_usage(&self) {
        let st = self.store.state();
        self.usage.msgs.store(st.msgs, Ordering::Relaxed);
        let before = self.usage.bytes.swap(st.bytes, Ordering::Relaxed);
        let (used, _) = self.engine.storage(self.config.storage);
        if st.bytes >= before {
            used.fetch_add(st.bytes - before, Ordering::Relaxed);
        } else {
            used.fetch_sub(before - st.bytes, Ordering::Relaxed);
        }
        self.usage
            .consumers
            .store(self.consumers.len() as u64, Ordering::Relaxed);
    }

    /// Runs until the stream is deleted or the server stops.
    pub(crate) async fn run(mut self) {
        self.start_upstreams();
        self.upstream_check_at = self.check_upstreams(now_nanos());
        loop {
            let deadline = self.next_deadline();
            tokio::select! {
                biased;
                cmd = self.cmds.recv() => {
                    let Some(cmd) = cmd else { break };
                    if !self.command(cmd) {
                        return;
                    }
                    self.commit();
                }
                msg = self.inbox.recv() => {
                    let Some(msg) = msg else { break };
                    self.on_msg(msg);
                    for _ in 1..MAX_BATCH {
                        match self.inbox.try_recv() {
                            Ok(msg) => self.on_msg(msg),
                            Err(_) => break,
                        }
                    }
                    self.commit();
                }
                _ = tokio::time::sleep_until(deadline) => {
                    self.on_timer();
                    self.commit();
                }
            }
        }
        self.stop();
    }

    fn next_deadline(&self) -> tokio::time::Instant {
        let now = now_nanos();
        let mut at: Option<i64> = self.store.next_expiry();
        if let Some(due) = self.store.sync_due_in() {
            let t = now.saturating_add(i64::try_from(due.as_nanos()).unwrap_or(i64::MAX));
            at = Some(at.map_or(t, |a| a.min(t)));
        }
        let batches = [
            self.batches.next_deadline(),
            self.fast_batches.next_deadline(),
        ];
        for t in [
            self.upstream_check_at,
            batches[0],
            batches[1],
            self.schedules.next_deadline(),
        ]
        .into_iter()
        .flatten()
        {
            at = Some(at.map_or(t, |a| a.min(t)));
        }
        for c in self.consumers.values() {
            if let Some(t) = c.next_deadline() {
                at = Some(at.map_or(t, |a| a.min(t)));
            }
            if c.is_push() {
                // Interest on a deliver subject is not announced to us: look again soon.
                at = Some(at.map_or(now + 50_000_000, |a| a.min(now + 50_000_000)));
            }
        }
        let wait = at.map_or(Duration::from_secs(3600), |t| {
            Duration::from_nanos(u64::try_from(t.saturating_sub(now)).unwrap_or(0))
        });
        tokio::time::Instant::now() + wait
    }

    fn stop(&mut self) {
        self.stop_upstreams();
        let _ = self.flush_store();
        for c in self.consumers.values_mut() {
            if let Err(err) = c.save_now() {
                tracing::error!(stream = %self.name, %err, "consumer state not saved");
            }
        }
        self.account.remove_client(&self.client);
    }

    /// Returns false when the task must end.
    fn command(&mut self, cmd: StreamCmd) -> bool {
        match cmd {
            StreamCmd::Api(api, msg) => self.api(api, msg),
            StreamCmd::Info(tx) => {
                let _ = tx.send(self.info(&StreamInfoRequest::default()));
            }
            StreamCmd::Update(config, reply) => self.update(*config, reply),
            StreamCmd::Delete(tx) => {
                self.stop_upstreams();
                for c in self.consumers.values_mut() {
                    let _ = c.destroy();
                }
                self.consumers.clear();
                let result = self.store.destroy();
                let (used, _) = self.engine.storage(self.config.storage);
                used.fetch_sub(
                    self.usage.bytes.swap(0, Ordering::Relaxed),
                    Ordering::Relaxed,
                );
                if let Some(dir) = &self.dir {
                    let _ = std::fs::remove_dir_all(dir);
                }
                self.account.remove_client(&self.client);
                let _ = tx.send(result);
                return false;
            }
            StreamCmd::Stop(tx) => {
                self.stop();
                let _ = tx.send(());
                return false;
            }
        }
        true
    }

    fn flush_store(&mut self) -> Result<(), StoreError> {
        let store = &mut self.store;
        let mut flush = || store.flush();
        let result = match tokio::runtime::Handle::try_current() {
            Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
                tokio::task::block_in_place(flush)
            }
            _ => flush(),
        };
        if let Err(err) = &result {
            tracing::error!(stream = %self.name, %err, "stream store flush failed");
        }
        result
    }

    /// Makes the batch durable, then acknowledges it and delivers to consumers.
    fn commit(&mut self) {
        let flushed = self.flush_store();
        for r in std::mem::take(&mut self.removed) {
            for c in self.consumers.values_mut() {
                c.forget(r.seq);
            }
        }
        self.deliver_all();
        for c in self.consumers.values_mut() {
            if let Err(err) = c.save(now_nanos()) {
                tracing::error!(stream = %self.name, %err, "consumer state not saved");
            }
        }
        // Acks last: a publish ack or an ack-of-ack means the data is on disk.
        let acks = std::mem::take(&mut self.acks);
        for (reply, body) in acks {
            match &flushed {
                Ok(()) => {
                    self.out.send(&reply, None, None, &body);
                }
                Err(err) => {
                    let resp = PubAckResponse {
                        error: Some(ApiError::stream_store_failed(err)),
                        ack: None,
                    };
                    self.out.send(&reply, None, None, &json(&resp));
                }
            }
        }
        self.report_usage();
    }

    fn on_msg(&mut self, msg: InternalMsg) {
        let sid = msg.sid.as_ref();
        if sid == ACK_SID {
            self.on_ack(&msg);
        } else if [
            DIRECT_SID,
            DIRECT_LAST_SID,
            DIRECT_DOMAIN_SID,
            DIRECT_DOMAIN_LAST_SID,
            MIRROR_DIRECT_SID,
            MIRROR_DIRECT_LAST_SID,
        ]
        .contains(&sid)
        {
            let asked_for = match (sid == MIRROR_DIRECT_LAST_SID, &self.config.mirror) {
                (true, Some(origin)) => origin.name.clone(),
                _ => self.name.clone(),
            };
            let last_by = [
                DIRECT_LAST_SID,
                DIRECT_DOMAIN_LAST_SID,
                MIRROR_DIRECT_LAST_SID,
            ]
            .contains(&sid)
            .then(|| {
                let subject = String::from_utf8_lossy(&msg.subject);
                let local = self.engine.local_api_subject(&subject);
                let prefix = format!("$JS.API.DIRECT.GET.{asked_for}.");
                local.strip_prefix(&prefix).map(str::to_string)
            })
            .flatten();
            let reply = msg.reply.clone().unwrap_or_default();
            self.direct_get(&reply, &msg.payload, last_by);
        } else if let Some(name) = sid.strip_prefix(NEXT_SID_PREFIX).and_then(|s| s.get(2..)) {
            let name = String::from_utf8_lossy(name).into_owned();
            self.pull_request(&name, &msg);
        } else if let Some(i) = upstream_index(sid, sourcing::DELIVER_SID_PREFIX) {
            self.on_upstream_msg(i, &msg);
        } else if let Some(i) = upstream_index(sid, sourcing::REPLY_SID_PREFIX) {
            self.on_upstream_reply(i, &msg);
        } else if msg.sid.as_ref() == FC_SID {
            let subject = String::from_utf8_lossy(&msg.subject);
            for c in self.consumers.values_mut() {
                if c.flow_control_reply(&subject) {
                    break;
                }
            }
        } else {
            self.on_publish(&msg);
        }
    }

    fn on_ack(&mut self, msg: &InternalMsg) {
        let Ok(subject) = std::str::from_utf8(&msg.subject) else {
            return;
        };
        let Some(meta) = parse_ack_reply(subject) else {
            return;
        };
        let Some(kind) = parse_ack(&msg.payload) else {
            return;
        };
        let now = now_nanos();
        let mut acked = Vec::new();
        let consumer_name = meta.consumer.to_string();
        let Some(c) = self.consumers.get_mut(&consumer_name) else {
            return;
        };
        c.ack(&kind, meta.stream_seq, now, &mut acked);
        let terminated = matches!(kind, AckKind::Term { .. }) && acked.contains(&meta.stream_seq);
        if let AckKind::Term { reason } = &kind {
            let t = advisory::Terminated {
                stream: &self.name,
                consumer: meta.consumer,
                consumer_seq: meta.consumer_seq,
                stream_seq: meta.stream_seq,
                deliveries: meta.delivered,
                reason: reason.unwrap_or_default(),
            };
            advisory::terminated(&mut self.out, &t, &self.engine.domain);
        }
        if let AckKind::Next { request } = &kind {
            if let Some(reply) = &msg.reply {
                let reply = String::from_utf8_lossy(reply).into_owned();
                if let Err(status) =
                    c.add_request(&reply, request, now, self.engine.max_request_batch)
                {
                    self.send_status(&status);
                }
            }
        } else if let Some(reply) = &msg.reply {
            c.confirm_next_save();
            self.acks.push((reply.clone(), Vec::new()));
        }
        if terminated {
            self.dead_letter(
                &consumer_name,
                meta.stream_seq,
                dead_letter::Reason::Terminated,
                meta.delivered,
            );
        }
        self.apply_retention(&consumer_name, &acked);
    }

    /// Removes acknowledged messages from work-queue and interest streams.
    fn apply_retention(&mut self, consumer: &str, acked: &[u64]) {
        match self.config.retention {
            RetentionPolicy::Limits => {}
            RetentionPolicy::WorkQueue => {
                for seq in acked {
                    let _ = self.store.remove(*seq, false);
                }
            }
            RetentionPolicy::Interest => {
                let mut msg = StoredMsg::default();
                for seq in acked {
                    if !self.store.load(*seq, &mut msg).unwrap_or(false) {
                        continue;
                    }
                    let everyone = self.consumers.iter().all(|(name, c)| {
                        name == consumer
                            || !c.wants(&msg.subject)
                            || (c.next_seq() > *seq && !c.pending_acks().contains_key(seq))
                    });
                    if everyone {
                        let _ = self.store.remove(*seq, false);
                    }
                }
            }
        }
    }

    /// Refuses a publish; as nats-server, the reply names the stream (`seq` 0).
    fn pub_error(&mut self, reply: Option<&Bytes>, error: ApiError) {
        if let Some(reply) = reply {
            self.out
                .send(reply, None, None, &pub_error_body(&self.name, error));
        }
    }

    fn on_publish(&mut self, msg: &InternalMsg) {
        let reply = msg.reply.as_ref().filter(|r| !r.is_empty());
        // As nats-server: a subject the transform's source does not match is kept.
        let transformed = self
            .input_transform
            .as_ref()
            .and_then(|t| t.apply(&msg.subject));
        let Ok(subject) = std::str::from_utf8(transformed.as_deref().unwrap_or(&msg.subject))
        else {
            return;
        };
        let headers: &[u8] = msg.headers.as_deref().unwrap_or_default();
        if let Some((reply, parsed)) = reply.and_then(|r| Some((r, fast_batch::parse_reply(r)?))) {
            return self.on_fast_batch_msg(parsed, subject, headers, &msg.payload, reply);
        }
        if let Some(trace) = &msg.trace {
            return self.on_traced_publish(trace, subject, headers, &msg.payload, reply);
        }
        if let Some(id) = batch::batch_id(headers) {
            return self.on_atomic_batch_msg(id, subject, headers, &msg.payload, reply);
        }
        self.ingest(subject, headers, &msg.payload, reply, false);
    }

    /// A traced publish (`Nats-Trace-Dest`): the trace learns what the stream did with
    /// it. Trace-only, the message is checked as a publish would be but neither stored
    /// nor acknowledged. Otherwise it is stored with tracing switched off in its headers,
    /// so that a consumer's delivery of it (through a peer, too) is not traced again.
    fn on_traced_publish(
        &mut self,
        trace: &natrium_core::Trace,
        subject: &str,
        headers: &[u8],
        payload: &[u8],
        reply: Option<&Bytes>,
    ) {
        let no_interest = self.config.retention == RetentionPolicy::Interest
            && !self.consumers.values().any(|c| c.wants(subject));
        let error = if trace.trace_only() {
            match self.prepare(subject, headers, payload, false) {
                Err(Refused::Error(e)) => Some(refusal_text(&e)),
                Err(Refused::Duplicate(_)) => Some("msgid is duplicate".to_string()),
                Ok(_) => None,
            }
        } else {
            let headers = natrium_proto::rewrite_headers(
                headers,
                |name| name == natrium_core::trace::TRACE_DEST,
                &[("Nats-Trace-Dest", natrium_core::trace::TRACE_DISABLED)],
            );
            self.ingest(subject, &headers, payload, reply, false)
        };
        // As nats-server: where the message would go is only known once it passed.
        match error {
            Some(error) => trace.jetstream(&self.name, b"", false, &error),
            None => trace.jetstream(&self.name, subject.as_bytes(), no_interest, ""),
        }
    }

    /// Stores one message published to the stream (`sourced`: copied from a source
    /// stream, which skips the `Nats-Expected-*` checks meant for its first publisher),
    /// acknowledging it to `reply` once the batch is on disk. A refusal is answered to
    /// `reply` and its text returned (for a trace).
    fn ingest(
        &mut self,
        subject: &str,
        headers: &[u8],
        payload: &[u8],
        reply: Option<&Bytes>,
        sourced: bool,
    ) -> Option<String> {
        let p = match self.prepare(subject, headers, payload, sourced) {
            Ok(p) => p,
            Err(Refused::Error(e)) => {
                let text = refusal_text(&e);
                self.pub_error(reply, e);
                return Some(text);
            }
            Err(Refused::Duplicate(seq)) => {
                if let Some(reply) = reply {
                    let ack = PubAck {
                        stream: self.name.clone(),
                        seq,
                        domain: self.engine.domain.clone(),
                        duplicate: true,
                        val: String::new(),
                        batch: String::new(),
                        count: 0,
                    };
                    self.out.send(reply, None, None, &json(&ack));
                }
                return Some("msgid is duplicate".to_string());
            }
        };
        let headers = p.headers.as_deref().unwrap_or(headers);
        let payload = p.payload.as_deref().unwrap_or(payload);
        let stored = self.store_msg(
            subject,
            headers,
            payload,
            p.msg_id.as_deref(),
            p.rollup,
            p.ttl,
            p.now,
        );
        let seq = match stored {
            Ok(seq) => seq,
            Err(e) => {
                let text = refusal_text(&e);
                self.pub_error(reply, e);
                return Some(text);
            }
        };
        if let Some(reply) = reply {
            if !self.config.no_ack {
                let ack = match p.val {
                    None => self.ack_template.render(seq),
                    Some(val) => json(&PubAck {
                        stream: self.name.clone(),
                        seq,
                        domain: self.engine.domain.clone(),
                        duplicate: false,
                        val,
                        batch: String::new(),
                        count: 0,
                    }),
                };
                self.acks.push((reply.clone(), ack));
            }
        }
        None
    }

    /// nats-server's checks of one publish against the stream; what passes comes back
    /// ready to store (a counter's increment already applied).
    fn prepare(
        &mut self,
        subject: &str,
        headers: &[u8],
        payload: &[u8],
        sourced: bool,
    ) -> Result<Prepared, Refused> {
        if self.config.sealed {
            return Err(Refused::Error(ApiError::stream_sealed()));
        }
        let size = headers.len() + payload.len();
        if self.config.max_msg_size > 0 && size > self.config.max_msg_size as usize {
            return Err(Refused::Error(ApiError::stream_message_exceeds_maximum()));
        }
        let (used, limit) = self.engine.storage(self.config.storage);
        if limit >= 0 && used.load(Ordering::Relaxed) + size as u64 > limit as u64 {
            return Err(Refused::Error(EngineShared::full_error(
                self.config.storage,
            )));
        }
        let incr = counter::read_incr(headers)?;
        if incr.is_some() && !sourced {
            counter::check_incr(self.config.allow_msg_counter, headers, payload)?;
        }
        // Only the stream itself writes where a message came from (counters trust it).
        if !sourced && natrium_proto::header_value(headers, NATS_STREAM_SOURCE.as_bytes()).is_some()
        {
            return Err(Refused::Error(ApiError::message_source_hdr_not_allowed()));
        }
        let hdrs = if headers.is_empty() {
            PublishHeaders::default()
        } else if sourced {
            PublishHeaders {
                msg_id: read_headers(headers).ok().and_then(|h| h.msg_id),
                ..PublishHeaders::default()
            }
        } else {
            read_headers(headers)?
        };
        if let Some(expected) = hdrs.expected_stream {
            if expected != self.name {
                return Err(Refused::Error(ApiError::stream_not_match()));
            }
        }
        let now = now_nanos();
        self.prune_dedup(now);
        if let Some(seq) = hdrs.msg_id.and_then(|id| self.dedup.get(id)) {
            return Err(Refused::Duplicate(*seq));
        }
        if let Some(expected) = hdrs.expected_last_msg_id {
            if self.last_msg_id.as_deref().unwrap_or("") != expected {
                let last = self.last_msg_id.clone().unwrap_or_default();
                return Err(Refused::Error(ApiError::stream_wrong_last_msg_id(last)));
            }
        }
        if let Some(expected) = hdrs.expected_last_seq {
            let last_seq = self.store.state().last_seq;
            if last_seq != expected {
                return Err(Refused::Error(ApiError::stream_wrong_last_sequence(
                    last_seq,
                )));
            }
        }
        if let Some(expected) = hdrs.expected_last_subject_seq {
            let on = hdrs.expected_last_subject.unwrap_or(subject);
            let mut last = StoredMsg::default();
            let found = if self.store.load_last(on, &mut last).unwrap_or(false) {
                last.seq
            } else {
                0
            };
            if found != expected {
                return Err(Refused::Error(ApiError::stream_wrong_last_sequence(found)));
            }
        }
        if !sourced && !headers.is_empty() {
            match self.check_schedule_headers(subject, headers, now) {
                Err(e) => return Err(Refused::Error(e)),
                // The schedule's block gained `Nats-Rollup: sub`; store that one.
                Ok(Some(block)) => {
                    let mut prepared = self.prepare(subject, &block, payload, sourced)?;
                    if prepared.headers.is_none() {
                        prepared.headers = Some(block);
                    }
                    return Ok(prepared);
                }
                Ok(None) => {}
            }
        }
        if hdrs.rollup.is_some() && !self.config.allow_rollup_hdrs {
            return Err(Refused::Error(ApiError::stream_rollup_failed(
                "rollup not permitted",
            )));
        }
        let ttl = match hdrs.ttl {
            Some(_) if !self.config.allow_msg_ttl => {
                return Err(Refused::Error(ApiError::message_ttl_disabled()))
            }
            Some(t) => t,
            None => 0,
        };
        let mut prepared = Prepared {
            headers: None,
            payload: None,
            msg_id: hdrs.msg_id.map(str::to_string),
            rollup: hdrs.rollup,
            ttl,
            val: None,
            now,
        };
        if self.config.allow_msg_counter {
            let incr = incr.ok_or_else(ApiError::message_incr_missing)?;
            let mut total = counter::load_total(self.store.as_ref(), subject)?;
            let counted = counter::apply(&mut total, incr, subject, headers, payload)?;
            if self.config.max_msg_size > 0
                && counted.headers.len() + counted.payload.len() > self.config.max_msg_size as usize
            {
                return Err(Refused::Error(ApiError::stream_message_exceeds_maximum()));
            }
            prepared.headers = Some(counted.headers);
            prepared.payload = Some(counted.payload);
            prepared.val = Some(counted.val);
        }
        Ok(prepared)
    }

    /// Stores a message that passed its checks: appends it, republishes it, applies its
    /// roll-up, remembers its `Nats-Msg-Id`, and drops it again from an interest stream
    /// nobody wants it in. Returns its sequence.
    #[allow(clippy::too_many_arguments)]
    fn store_msg(
        &mut self,
        subject: &str,
        headers: &[u8],
        payload: &[u8],
        msg_id: Option<&str>,
        rollup: Option<Rollup>,
        ttl: i64,
        now: i64,
    ) -> Result<u64, ApiError> {
        let republish_to = self
            .republish
            .as_ref()
            .and_then(|t| t.apply(subject.as_bytes()))
            .filter(|to| natrium_subject::is_valid_publish_subject(to));
        let last_on_subject = republish_to.as_ref().map(|_| {
            let mut last = StoredMsg::default();
            match self.store.load_last(subject, &mut last) {
                Ok(true) => last.seq,
                _ => 0,
            }
        });
        let seq = self
            .store
            .append(
                NewMsg {
                    subject,
                    headers,
                    payload,
                    ts: now,
                    ttl,
                },
                &mut self.removed,
            )
            .map_err(ApiError::stream_store_failed)?;
        if let (Some(to), Some(last)) = (republish_to, last_on_subject) {
            self.republish(&to, subject, headers, payload, seq, now, last);
        }
        if let Some(rollup) = rollup {
            let filter = match rollup {
                Rollup::Subject => subject.to_string(),
                Rollup::All => String::new(),
            };
            let _ = self.store.purge(&PurgeRequest {
                filter,
                seq: Some(seq),
                keep: None,
            });
        }
        self.schedule_stored(seq, subject, headers, now);
        if let Some(id) = msg_id {
            self.dedup.insert(id.to_string(), seq);
            self.dedup_order.push_back((now, id.to_string()));
            self.last_msg_id = Some(id.to_string());
        }
        if self.config.retention == RetentionPolicy::Interest
            && !self.consumers.values().any(|c| c.wants(subject))
        {
            let _ = self.store.remove(seq, false);
        }
        Ok(seq)
    }

    /// Sends the copy `republish` asks for of message `seq`, as nats-server builds it.
    #[allow(clippy::too_many_arguments)]
    fn republish(
        &mut self,
        to: &[u8],
        subject: &str,
        headers: &[u8],
        payload: &[u8],
        seq: u64,
        ts: i64,
        last: u64,
    ) {
        let headers_only = self
            .config
            .republish
            .as_ref()
            .is_some_and(|r| r.headers_only);
        let (seq, last, time) = (
            seq.to_string(),
            last.to_string(),
            rfc3339_nano_from_unix_i64(ts),
        );
        let size = payload.len().to_string();
        let mut pairs: Vec<(&str, &[u8])> = vec![
            ("Nats-Stream", self.name.as_bytes()),
            ("Nats-Subject", subject.as_bytes()),
            ("Nats-Sequence", seq.as_bytes()),
            ("Nats-Time-Stamp", time.as_bytes()),
            ("Nats-Last-Sequence", last.as_bytes()),
        ];
        if headers_only {
            pairs.push((NATS_MSG_SIZE, size.as_bytes()));
        }
        let original = (!headers.is_empty()).then_some(headers);
        let block = add_headers(original, &pairs);
        let body: &[u8] = if headers_only { b"" } else { payload };
        self.out.send(to, None, Some(&block), body);
    }

    fn prune_dedup(&mut self, now: i64) {
        let window = self.config.duplicate_window;
        while let Some((ts, _)) = self.dedup_order.front() {
            if now.saturating_sub(*ts) <= window {
                break;
            }
            if let Some((_, id)) = self.dedup_order.pop_front() {
                self.dedup.remove(&id);
            }
        }
    }

    fn on_timer(&mut self) {
        let now = now_nanos();
        if self.upstream_check_at.is_some_and(|t| t <= now) {
            self.upstream_check_at = self.check_upstreams(now);
        }
        self.expire_batches(now);
        self.fast_batches.expire(now);
        let mut removed = Vec::new();
        if let Err(err) = self.store.expire(now, &mut removed) {
            tracing::error!(stream = %self.name, %err, "expiring messages failed");
        }
        self.place_delete_markers(&removed, now);
        self.removed.extend(removed);
        self.fire_schedules(now);
        let mut statuses = Vec::new();
        let mut heartbeats = Vec::new();
        let mut gone = Vec::new();
        let names: Vec<String> = self.consumers.keys().cloned().collect();
        for name in names {
            let interest = self.push_interest(&name);
            let Some(c) = self.consumers.get_mut(&name) else {
                continue;
            };
            let given_up = c.on_timer(now, &mut statuses, &mut heartbeats, interest);
            let deliveries = u64::try_from(c.config.max_deliver).unwrap_or(0);
            self.announce_events(&name);
            for seq in given_up {
                self.dead_letter(&name, seq, dead_letter::Reason::MaxDeliveries, deliveries);
                advisory::max_deliveries(
                    &mut self.out,
                    &self.name,
                    &name,
                    seq,
                    deliveries,
                    &self.engine.domain,
                );
            }
            let Some(c) = self.consumers.get_mut(&name) else {
                continue;
            };
            if interest {
                c.touch(now);
            }
            if c.expired(now, interest) {
                gone.push(name.clone());
            }
            if !heartbeats.is_empty() {
                let (cseq, sseq) = c.heartbeat_pairs();
                for (to, stalled) in heartbeats.drain(..) {
                    let mut pairs: Vec<(&str, &[u8])> = vec![
                        (NATS_LAST_CONSUMER, cseq.as_bytes()),
                        (NATS_LAST_STREAM, sseq.as_bytes()),
                    ];
                    if let Some(s) = stalled.as_deref() {
                        pairs.push((NATS_CONSUMER_STALLED, s.as_bytes()));
                    }
                    self.out
                        .status(to.as_bytes(), 100, "Idle Heartbeat", &pairs);
                }
            }
        }
        for s in statuses {
            self.send_status(&s);
        }
        for name in gone {
            self.remove_consumer(&name);
        }
    }

    /// With `subject_delete_marker_ttl`, a subject whose last message aged out (by
    /// `max_age` or its own `Nats-TTL`) gets a marker message (`Nats-Marker-Reason:
    /// MaxAge`, with nats-server's headers) that itself expires after that TTL. A marker
    /// that expires gets none; markers are told apart by their TTL, so a message whose
    /// own TTL equals the marker TTL is taken for one.
    fn place_delete_markers(&mut self, removed: &[Removed], now: i64) {
        let ttl = self.config.subject_delete_marker_ttl;
        if ttl <= 0 {
            return;
        }
        let mut done = std::collections::HashSet::new();
        let mut last = StoredMsg::default();
        for r in removed.iter().filter(|r| r.ttl != ttl) {
            if !done.insert(r.subject.clone())
                || self.store.load_last(&r.subject, &mut last).unwrap_or(false)
            {
                continue;
            }
            let secs = go_seconds((ttl / 1_000_000_000).max(1));
            let mut headers = Vec::new();
            natrium_proto::write_headers(
                &mut headers,
                None,
                &[
                    (NATS_MARKER_REASON, b"MaxAge"),
                    (NATS_TTL, secs.as_bytes()),
                    ("Nats-Rollup", b"sub"),
                ],
            );
            let appended = self.store.append(
                NewMsg {
                    subject: &r.subject,
                    headers: &headers,
                    payload: b"",
                    ts: now,
                    ttl,
                },
                &mut self.removed,
            );
            if let Err(err) = appended {
                tracing::warn!(stream = %self.name, subject = %r.subject, %err, "delete marker not stored");
            }
        }
    }

    /// Drops pull requests whose requester is gone, so messages are not handed to an
    /// inbox nobody reads.
    fn prune_gone_requests(&mut self, consumer: &str) {
        let Some(c) = self.consumers.get_mut(consumer) else {
            return;
        };
        if c.waiting.is_empty() {
            return;
        }
        let out = &mut self.out;
        c.waiting.retain(|r| out.has_interest(r.reply.as_bytes()));
    }

    fn push_interest(&mut self, consumer: &str) -> bool {
        let Some(c) = self.consumers.get(consumer) else {
            return false;
        };
        if !c.is_push() {
            return false;
        }
        let subject = c.config.deliver_subject.clone();
        self.out.has_interest(subject.as_bytes())
    }

    fn send_status(&mut self, s: &Status) {
        match s.pending {
            Some((msgs, bytes)) => {
                let (m, b) = (msgs.to_string(), bytes.to_string());
                self.out.status(
                    s.to.as_bytes(),
                    s.code,
                    &s.text,
                    &[
                        (NATS_PENDING_MESSAGES, m.as_bytes()),
                        (NATS_PENDING_BYTES, b.as_bytes()),
                    ],
                );
            }
            None => self.out.status(s.to.as_bytes(), s.code, &s.text, &[]),
        }
    }

    fn deliver_all(&mut self) {
        let now = now_nanos();
        let names: Vec<String> = self.consumers.keys().cloned().collect();
        let mut deliveries: Vec<Delivery> = Vec::new();
        let mut statuses = Vec::new();
        let mut fcs = Vec::new();
        for name in names {
            let interest = self.push_interest(&name);
            self.prune_gone_requests(&name);
            let Some(c) = self.consumers.get_mut(&name) else {
                continue;
            };
            c.deliver(
                self.store.as_ref(),
                now,
                interest,
                &mut deliveries,
                &mut statuses,
                &mut fcs,
            );
            let headers_only = c.config.headers_only;
            let push_to = c.config.deliver_subject.clone();
            for d in deliveries.drain(..) {
                let to = d.to.as_deref().unwrap_or(&push_to);
                self.send_delivery(to, &d, headers_only);
            }
            self.announce_events(&name);
        }
        for s in statuses {
            self.send_status(&s);
        }
        for (to, reply) in fcs {
            let mut headers = Vec::new();
            natrium_proto::write_headers(&mut headers, Some((100, "FlowControl Request")), &[]);
            self.out.deliver(
                to.as_bytes(),
                to.as_bytes(),
                Some(reply.as_bytes()),
                Some(&headers),
                b"",
            );
        }
    }

    fn send_delivery(&mut self, to: &str, d: &Delivery, headers_only: bool) {
        let pinned;
        let headers = match &d.pin_id {
            Some(id) => {
                let stored = (!d.msg.headers.is_empty()).then_some(d.msg.headers.as_ref());
                pinned = add_headers(stored, &[(NATS_PIN_ID, id.as_bytes())]);
                Some(pinned.as_slice())
            }
            None => (!d.msg.headers.is_empty()).then_some(d.msg.headers.as_ref()),
        };
        if headers_only {
            let size = d.msg.payload.len().to_string();
            let block = add_headers(headers, &[(NATS_MSG_SIZE, size.as_bytes())]);
            self.out.deliver(
                to.as_bytes(),
                d.msg.subject.as_bytes(),
                Some(d.ack_reply.as_bytes()),
                Some(&block),
                b"",
            );
            return;
        }
        self.out.deliver(
            to.as_bytes(),
            d.msg.subject.as_bytes(),
            Some(d.ack_reply.as_bytes()),
            headers,
            &d.msg.payload,
        );
    }

    fn info(&self, req: &StreamInfoRequest) -> StreamInfo {
        let st = self.store.state();
        let mut state = natrium_api::jetstream::StreamState {
            messages: st.msgs,
            bytes: st.bytes,
            first_seq: st.first_seq,
            first_ts: rfc3339_nano_from_unix_i64(st.first_ts),
            last_seq: st.last_seq,
            last_ts: rfc3339_nano_from_unix_i64(st.last_ts),
            num_subjects: i64::try_from(st.num_subjects).unwrap_or(i64::MAX),
            num_deleted: i64::try_from(st.num_deleted).unwrap_or(i64::MAX),
            consumer_count: self.public_consumers().count() as i64,
            ..Default::default()
        };
        if st.first_ts == 0 {
            state.first_ts = natrium_api::jetstream::ZERO_TIME.to_string();
        }
        if st.last_ts == 0 {
            state.last_ts = natrium_api::jetstream::ZERO_TIME.to_string();
        }
        if !req.subjects_filter.is_empty() {
            let filter = if req.subjects_filter == ">" {
                ""
            } else {
                req.subjects_filter.as_str()
            };
            let all = self.store.subjects_state(filter);
            let offset = usize::try_from(req.offset).unwrap_or(0);
            state.subjects = all
                .into_iter()
                .skip(offset)
                .take(MAX_SUBJECT_DETAILS)
                .map(|(s, v)| (s, v.msgs))
                .collect();
        }
        if req.deleted_details {
            state.deleted = self.store.deleted();
        }
        let (mirror, sources) = self.upstream_info();
        StreamInfo {
            config: self.config.clone(),
            created: rfc3339_nano_from_unix_i64(self.created),
            state,
            domain: self.engine.domain.clone(),
            cluster: Some(ClusterInfo {
                leader: self.engine.server_name.clone(),
                ..Default::default()
            }),
            mirror,
            sources,
            alternates: Vec::new(),
            ts: rfc3339_nano_from_unix_i64(now_nanos()),
        }
    }

    /// The consumers clients see: not the `direct` ones other streams' mirrors and
    /// sources read through, as nats-server hides them.
    fn public_consumers(&self) -> impl Iterator<Item = &Consumer> {
        self.consumers.values().filter(|c| !c.config.direct)
    }

    fn subject_count(&self, filter: &str) -> usize {
        let filter = if filter == ">" { "" } else { filter };
        self.store.subjects_state(filter).len()
    }

    /// A new consumer limit may not be below what an existing consumer uses.
    fn check_consumer_limits(&self, config: &StreamConfig) -> Result<(), ApiError> {
        let limits = &config.consumer_limits;
        for c in self.consumers.values() {
            if limits.max_ack_pending > 0 && c.config.max_ack_pending > limits.max_ack_pending {
                return Err(ApiError::stream_invalid_config(format!(
                    "consumer {:?} max ack pending exceeds the new stream limit of {}",
                    c.name, limits.max_ack_pending
                )));
            }
            if limits.inactive_threshold > 0
                && (c.config.inactive_threshold == 0
                    || c.config.inactive_threshold > limits.inactive_threshold)
            {
                return Err(ApiError::stream_invalid_config(format!(
                    "consumer {:?} inactive threshold exceeds the new stream limit",
                    c.name
                )));
            }
        }
        Ok(())
    }

    fn update(&mut self, config: StreamConfig, reply: Option<Bytes>) {
        if let Err(e) = self.check_consumer_limits(&config) {
            if let Some(reply) = reply {
                self.api_err(&reply, natrium_api::jetstream::StreamUpdateResponse::err(e));
            }
            return;
        }
        let mut removed = Vec::new();
        let result = self
            .store
            .update_limits(&crate::engine::store_limits(&config), &mut removed);
        self.removed.extend(removed);
        let response = match result {
            Err(err) => {
                natrium_api::jetstream::StreamUpdateResponse::err(ApiError::stream_update(err))
            }
            Ok(()) => {
                self.input_transform = compiled_transform(&self.name, &config);
                self.republish = republish_transform(&self.name, &config);
                let relink =
                    config.mirror != self.config.mirror || config.sources != self.config.sources;
                if !config.allow_atomic {
                    self.batches.clear();
                }
                if !config.allow_batched {
                    self.fast_batches.clear();
                }
                self.config = config;
                if relink {
                    self.start_upstreams();
                }
                if let Some(dir) = &self.dir {
                    if let Err(err) = persist::write_stream_meta(dir, &self.config, self.created) {
                        tracing::error!(stream = %self.name, %err, "stream config not saved");
                    }
                }
                self.subscribe_all();
                advisory::stream_action(
                    &mut self.out,
                    &self.name,
                    ActionAdvisoryType::Modify,
                    &self.engine.domain,
                );
                natrium_api::jetstream::StreamUpdateResponse {
                    kind: natrium_api::jetstream::StreamUpdateResponse::TYPE.to_string(),
                    error: None,
                    info: Some(self.info(&StreamInfoRequest::default())),
                }
            }
        };
        if let Some(reply) = reply {
            self.out.reply_json(&reply, &response);
        }
    }

    fn api(&mut self, api: StreamApi, msg: InternalMsg) {
        let reply = msg.reply.clone().unwrap_or_default();
        let body = msg.payload.as_ref();
        self.engine.api_total.fetch_add(1, Ordering::Relaxed);
        match api {
            StreamApi::Info => {
                let req: StreamInfoRequest = match self.parse(body) {
                    Ok(r) => r,
                    Err(e) => return self.api_err(&reply, StreamInfoResponse::err(e)),
                };
                let info = self.info(&req);
                let paged = if req.subjects_filter.is_empty() {
                    ApiPaged::default()
                } else {
                    ApiPaged {
                        total: i64::try_from(self.subject_count(&req.subjects_filter))
                            .unwrap_or(i64::MAX),
                        offset: req.offset,
                        limit: MAX_SUBJECT_DETAILS as i64,
                    }
                };
                let resp = StreamInfoResponse {
                    kind: StreamInfoResponse::TYPE.to_string(),
                    error: None,
                    paged,
                    info: Some(info),
                };
                self.out.reply_json(&reply, &resp);
            }
            StreamApi::Snapshot => self.snapshot(&reply, body),
            StreamApi::Purge => {
                let req: StreamPurgeRequest = match self.parse(body) {
                    Ok(r) => r,
                    Err(e) => return self.api_err(&reply, StreamPurgeResponse::err(e)),
                };
                if self.config.sealed || self.config.deny_purge {
                    return self.api_err(
                        &reply,
                        StreamPurgeResponse::err(ApiError::stream_purge_failed(
                            "stream purge not permitted",
                        )),
                    );
                }
                if req.seq > 0 && req.keep > 0 {
                    return self.api_err(&reply, StreamPurgeResponse::err(ApiError::bad_request()));
                }
                let purge = PurgeRequest {
                    filter: req.filter.clone(),
                    seq: (req.seq > 0).then_some(req.seq),
                    keep: (req.keep > 0).then_some(req.keep),
                };
                match self.store.purge(&purge) {
                    Ok(purged) => {
                        self.after_purge();
                        let resp = StreamPurgeResponse {
                            kind: StreamPurgeResponse::TYPE.to_string(),
                            error: None,
                            success: true,
                            purged,
                        };
                        self.out.reply_json(&reply, &resp);
                    }
                    Err(e) => self.api_err(
                        &reply,
                        StreamPurgeResponse::err(ApiError::stream_purge_failed(e)),
                    ),
                }
            }
            StreamApi::MsgGet => {
                let req: MsgGetRequest = match self.parse(body) {
                    Ok(r) => r,
                    Err(e) => return self.api_err(&reply, MsgGetResponse::err(e)),
                };
                match self.get_msg(&req) {
                    Ok(m) => {
                        use base64::Engine as _;
                        let b64 = base64::engine::general_purpose::STANDARD;
                        let resp = MsgGetResponse {
                            kind: MsgGetResponse::TYPE.to_string(),
                            error: None,
                            message: Some(ApiStoredMsg {
                                subject: m.subject.clone(),
                                seq: m.seq,
                                hdrs: if m.headers.is_empty() || req.no_hdr {
                                    String::new()
                                } else {
                                    b64.encode(&m.headers)
                                },
                                data: if m.payload.is_empty() {
                                    String::new()
                                } else {
                                    b64.encode(&m.payload)
                                },
                                time: rfc3339_nano_from_unix_i64(m.ts),
                            }),
                        };
                        self.out.reply_json(&reply, &resp);
                    }
                    Err(e) => self.api_err(&reply, MsgGetResponse::err(e)),
                }
            }
            StreamApi::MsgDelete => {
                let kind = SuccessResponse::MSG_DELETE;
                let req: MsgDeleteRequest = match self.parse(body) {
                    Ok(r) => r,
                    Err(e) => return self.api_err(&reply, SuccessResponse::err(kind, e)),
                };
                if self.config.sealed || self.config.deny_delete {
                    return self.api_err(
                        &reply,
                        SuccessResponse::err(
                            kind,
                            ApiError::stream_msg_delete_failed("message delete not permitted"),
                        ),
                    );
                }
                match self.store.remove(req.seq, !req.no_erase) {
                    Ok(true) => {
                        for c in self.consumers.values_mut() {
                            c.forget(req.seq);
                        }
                        self.out.reply_json(&reply, &SuccessResponse::ok(kind));
                    }
                    Ok(false) => self.api_err(
                        &reply,
                        SuccessResponse::err(kind, ApiError::sequence_not_found(req.seq)),
                    ),
                    Err(e) => self.api_err(
                        &reply,
                        SuccessResponse::err(kind, ApiError::stream_msg_delete_failed(e)),
                    ),
                }
            }
            StreamApi::ConsumerCreate {
                name,
                filter,
                durable_subject,
            } => self.consumer_create(&reply, body, name, filter, durable_subject),
            StreamApi::ConsumerInfo(name) => match self.consumers.get(&name) {
                Some(c) => {
                    let info = self.consumer_info(c);
                    let resp = ConsumerInfoResponse {
                        kind: ConsumerInfoResponse::TYPE.to_string(),
                        error: None,
                        info: Some(info),
                    };
                    self.out.reply_json(&reply, &resp);
                }
                None => self.api_err(
                    &reply,
                    ConsumerInfoResponse::err(ApiError::consumer_not_found()),
                ),
            },
            StreamApi::ConsumerDelete(name) => {
                let kind = SuccessResponse::CONSUMER_DELETE;
                if self.remove_consumer(&name) {
                    self.out.reply_json(&reply, &SuccessResponse::ok(kind));
                } else {
                    self.api_err(
                        &reply,
                        SuccessResponse::err(kind, ApiError::consumer_not_found()),
                    );
                }
            }
            StreamApi::ConsumerPause(name) => self.consumer_pause(&reply, body, &name),
            StreamApi::ConsumerUnpin(name) => self.consumer_unpin(&reply, body, &name),
            StreamApi::ConsumerReset(name) => self.consumer_reset(&reply, body, &name),
            StreamApi::ConsumerNames => {
                let names: Vec<String> = self.public_consumers().map(|c| c.name.clone()).collect();
                let resp = ConsumerNamesResponse {
                    kind: ConsumerNamesResponse::TYPE.to_string(),
                    error: None,
                    paged: ApiPaged {
                        total: names.len() as i64,
                        offset: 0,
                        limit: 1024,
                    },
                    consumers: names,
                };
                self.out.reply_json(&reply, &resp);
            }
            StreamApi::ConsumerList => {
                let infos: Vec<ConsumerInfo> = self
                    .public_consumers()
                    .map(|c| self.consumer_info(c))
                    .collect();
                let resp = ConsumerListResponse {
                    kind: ConsumerListResponse::TYPE.to_string(),
                    error: None,
                    paged: ApiPaged {
                        total: infos.len() as i64,
                        offset: 0,
                        limit: 256,
                    },
                    consumers: infos,
                    missing: Vec::new(),
                    offline: BTreeMap::new(),
                };
                self.out.reply_json(&reply, &resp);
            }
        }
    }

    fn pull_request(&mut self, name: &str, msg: &InternalMsg) {
        let Some(reply) = msg.reply.as_ref().filter(|r| !r.is_empty()) else {
            return;
        };
        let reply = String::from_utf8_lossy(reply).into_owned();
        let max_batch = self.engine.max_request_batch;
        let Some(c) = self.consumers.get_mut(name) else {
            return;
        };
        if let Err(status) = c.add_request(&reply, &msg.payload, now_nanos(), max_batch) {
            self.send_status(&status);
        }
    }

    fn after_purge(&mut self) {
        let first = self.store.state().first_seq;
        for c in self.consumers.values_mut() {
            let stale: Vec<u64> = c.pending_acks().range(..first).map(|(s, _)| *s).collect();
            for s in stale {
                c.forget(s);
            }
        }
    }

    fn parse<T: serde::de::DeserializeOwned + Default + Strict>(
        &self,
        body: &[u8],
    ) -> Result<T, ApiError> {
        crate::engine::parse_request(body, self.engine.strict)
    }

    fn api_err<T: serde::Serialize>(&mut self, reply: &[u8], resp: T) {
        self.engine.api_errors.fetch_add(1, Ordering::Relaxed);
        self.out.reply_json(reply, &resp);
    }

    fn get_msg(&self, req: &MsgGetRequest) -> Result<StoredMsg, ApiError> {
        let mut msg = StoredMsg::default();
        let found = if !req.last_by_subj.is_empty() {
            if req.seq > 0 || !req.next_by_subj.is_empty() {
                return Err(ApiError::bad_request());
            }
            self.store.load_last(&req.last_by_subj, &mut msg)
        } else if !req.next_by_subj.is_empty() {
            self.store
                .load_next(&req.next_by_subj, req.seq.max(1), &mut msg)
        } else if req.seq > 0 {
            self.store.load(req.seq, &mut msg)
        } else {
            return Err(ApiError::bad_request());
        };
        match found {
            Ok(true) => Ok(msg),
            Ok(false) => Err(ApiError::no_message_found()),
            Err(e) => Err(ApiError::stream_general(e)),
        }
    }

    fn direct_get(&mut self, reply: &[u8], body: &[u8], last_by: Option<String>) {
        if !self.config.allow_direct || reply.is_empty() {
            return;
        }
        let req = match last_by {
            Some(subject) => {
                if !body.is_empty() {
                    return self.out.status(reply, 408, "Bad Request", &[]);
                }
                MsgGetRequest {
                    last_by_subj: subject,
                    ..Default::default()
                }
            }
            None => match crate::engine::from_json::<MsgGetRequest>(body) {
                Ok(r) => r,
                Err(_) => return self.out.status(reply, 408, "Bad Request", &[]),
            },
        };
        if req.batch > 0 || !req.multi_last.is_empty() {
            return self.direct_batch(reply, &req);
        }
        match self.get_msg(&req) {
            Ok(m) => self.send_direct(reply, &m, None, req.no_hdr),
            Err(e) if e.err_code == ApiError::bad_request().err_code => {
                self.out.status(reply, 408, "Bad Request", &[])
            }
            Err(_) => self.out.status(reply, 404, "Message Not Found", &[]),
        }
    }

    fn direct_batch(&mut self, reply: &[u8], req: &MsgGetRequest) {
        let mut sent = 0u64;
        let mut last = 0u64;
        let mut bytes = 0i64;
        let filter = req.next_by_subj.clone();
        let mut start = req.seq.max(1);
        if let Some(t) = req
            .start_time
            .as_deref()
            .and_then(natrium_api::time::parse_rfc3339)
        {
            start = self.store.seq_for_time(t);
        }
        let mut msgs = Vec::new();
        if req.multi_last.is_empty() {
            let mut m = StoredMsg::default();
            while (sent as i64) < req.batch.max(1)
                && self
                    .store
                    .load_next(&filter, start, &mut m)
                    .unwrap_or(false)
            {
                if req.up_to_seq > 0 && m.seq > req.up_to_seq {
                    break;
                }
                bytes += (m.headers.len() + m.payload.len()) as i64;
                if req.max_bytes > 0 && bytes > req.max_bytes && sent > 0 {
                    break;
                }
                start = m.seq + 1;
                last = m.seq;
                sent += 1;
                msgs.push(m.clone());
            }
        } else {
            let mut seqs: Vec<u64> = req
                .multi_last
                .iter()
                .flat_map(|f| self.store.subjects_state(f))
                .map(|(_, s)| s.last_seq)
                .filter(|s| req.up_to_seq == 0 || *s <= req.up_to_seq)
                .collect();
            seqs.sort_unstable();
            seqs.dedup();
            let mut m = StoredMsg::default();
            for s in seqs {
                if req.batch > 0 && sent as i64 >= req.batch {
                    break;
                }
                if self.store.load(s, &mut m).unwrap_or(false) {
                    last = m.seq;
                    sent += 1;
                    msgs.push(m.clone());
                }
            }
        }
        if msgs.is_empty() {
            return self.out.status(reply, 404, "Message Not Found", &[]);
        }
        let total = msgs.len();
        for (i, m) in msgs.iter().enumerate() {
            let pending = if req.multi_last.is_empty() {
                self.store.num_pending(m.seq + 1, &filter, false)
            } else {
                (total - i - 1) as u64
            };
            self.send_direct(reply, m, Some((pending, last)), req.no_hdr);
        }
        let last_s = last.to_string();
        self.out.status(
            reply,
            204,
            "EOB",
            &[
                (NATS_NUM_PENDING, b"0"),
                (NATS_LAST_SEQUENCE, last_s.as_bytes()),
            ],
        );
    }

    fn send_direct(
        &mut self,
        reply: &[u8],
        m: &StoredMsg,
        batch: Option<(u64, u64)>,
        no_hdr: bool,
    ) {
        let seq = m.seq.to_string();
        let ts = rfc3339_nano_from_unix_i64(m.ts);
        let mut pairs: Vec<(&str, &[u8])> = vec![
            (NATS_STREAM, self.name.as_bytes()),
            (NATS_SEQUENCE, seq.as_bytes()),
            (NATS_TIME_STAMP, ts.as_bytes()),
            (NATS_SUBJECT, m.subject.as_bytes()),
        ];
        let (p, l);
        if let Some((pending, last)) = batch {
            p = pending.to_string();
            l = last.to_string();
            pairs.push((NATS_NUM_PENDING, p.as_bytes()));
            pairs.push((NATS_LAST_SEQUENCE, l.as_bytes()));
        }
        let original = (!m.headers.is_empty() && !no_hdr).then_some(m.headers.as_ref());
        let block = add_headers(original, &pairs);
        self.out.send(reply, None, Some(&block), &m.payload);
    }

    fn consumer_info(&self, c: &Consumer) -> ConsumerInfo {
        let st = c.state();
        let (delivered_at, acked_at) = c.activity();
        let when = |t: i64| (t > 0).then(|| rfc3339_nano_from_unix_i64(t));
        let now = now_nanos();
        let paused = c.paused(now);
        ConsumerInfo {
            stream_name: self.name.clone(),
            name: c.name.clone(),
            created: rfc3339_nano_from_unix_i64(c.created),
            config: Some(c.config.clone()),
            delivered: SequenceInfo {
                consumer_seq: st.delivered.consumer_seq,
                stream_seq: st.delivered.stream_seq,
                last_active: when(delivered_at),
            },
            ack_floor: SequenceInfo {
                consumer_seq: st.ack_floor.consumer_seq,
                stream_seq: st.ack_floor.stream_seq,
                last_active: when(acked_at),
            },
            num_ack_pending: st.pending.len() as i64,
            num_redelivered: c.num_redelivered() as i64,
            num_waiting: c.waiting.len() as i64,
            num_pending: c.num_pending(self.store.as_ref()),
            cluster: Some(ClusterInfo {
                leader: self.engine.server_name.clone(),
                ..Default::default()
            }),
            push_bound: false,
            paused: paused.is_some(),
            pause_remaining: paused.unwrap_or(0),
            ts: rfc3339_nano_from_unix_i64(now),
            priority_groups: c.priority_groups(),
        }
    }

    fn consumer_create(
        &mut self,
        reply: &[u8],
        body: &[u8],
        subject_name: Option<String>,
        subject_filter: Option<String>,
        durable_subject: bool,
    ) {
        let req: CreateConsumerRequest = match self.parse(body) {
            Ok(r) => r,
            Err(e) => return self.api_err(reply, ConsumerCreateResponse::err(e)),
        };
        match self.check_consumer(req, subject_name, subject_filter, durable_subject) {
            Ok(info) => {
                let resp = ConsumerCreateResponse {
                    kind: ConsumerCreateResponse::TYPE.to_string(),
                    error: None,
                    info: Some(info),
                };
                self.out.reply_json(reply, &resp);
            }
            Err(e) => self.api_err(reply, ConsumerCreateResponse::err(e)),
        }
    }

    fn check_consumer(
        &mut self,
        req: CreateConsumerRequest,
        subject_name: Option<String>,
        subject_filter: Option<String>,
        durable_subject: bool,
    ) -> Result<ConsumerInfo, ApiError> {
        if !req.stream_name.is_empty() && req.stream_name != self.name {
            return Err(ApiError::stream_mismatch());
        }
        let mut cfg = req.config;
        if durable_subject {
            let name = subject_name.clone().unwrap_or_default();
            if cfg.durable_name.is_empty() {
                return Err(ApiError::consumer_durable_name_not_set());
            }
            if cfg.durable_name != name {
                return Err(ApiError::consumer_durable_name_not_match_subject());
            }
        } else if let Some(name) = &subject_name {
            if !cfg.name.is_empty() && &cfg.name != name {
                return Err(ApiError::consumer_create_durable_and_name_mismatch());
            }
            if !cfg.durable_name.is_empty() && &cfg.durable_name != name {
                return Err(ApiError::consumer_create_durable_and_name_mismatch());
            }
            cfg.name = name.clone();
        }
        if let Some(f) = &subject_filter {
            if cfg.filter_subject.is_empty() && cfg.filter_subjects.is_empty() {
                cfg.filter_subject = f.clone();
            } else if &cfg.filter_subject != f {
                return Err(ApiError::consumer_create_filter_subject_mismatch());
            }
        }
        if !cfg.name.is_empty() && !cfg.durable_name.is_empty() && cfg.name != cfg.durable_name {
            return Err(ApiError::consumer_create_durable_and_name_mismatch());
        }
        let durable = !cfg.durable_name.is_empty();
        let name = if durable {
            cfg.durable_name.clone()
        } else if !cfg.name.is_empty() {
            cfg.name.clone()
        } else {
            random_name()
        };
        if !crate::stream_config::is_valid_asset_name(&name) {
            return Err(ApiError::consumer_bad_durable_name());
        }
        if !cfg.filter_subject.is_empty() && !cfg.filter_subjects.is_empty() {
            return Err(ApiError::consumer_multiple_filters_not_allowed());
        }
        let filters: Vec<String> = if cfg.filter_subject.is_empty() {
            cfg.filter_subjects.clone()
        } else {
            vec![cfg.filter_subject.clone()]
        };
        for (i, f) in filters.iter().enumerate() {
            if f.is_empty() {
                return Err(ApiError::consumer_empty_filter());
            }
            if !natrium_subject::is_valid_subject(f.as_bytes()) {
                return Err(ApiError::consumer_filter_not_subset());
            }
            for other in filters.iter().skip(i + 1) {
                if other == f {
                    return Err(ApiError::consumer_duplicate_filter_subjects());
                }
                if natrium_subject::subjects_collide(f.as_bytes(), other.as_bytes()) {
                    return Err(ApiError::consumer_overlapping_subject_filters());
                }
            }
        }
        let push = !cfg.deliver_subject.is_empty();
        if !push {
            if cfg.idle_heartbeat > 0 {
                return Err(ApiError::consumer_hb_requires_push());
            }
            if cfg.flow_control {
                return Err(ApiError::consumer_fc_requires_push());
            }
            if cfg.rate_limit_bps > 0 {
                return Err(ApiError::consumer_pull_with_rate_limit());
            }
            if !cfg.deliver_group.is_empty() {
                return Err(ApiError::consumer_invalid_deliver_subject());
            }
            if cfg.max_waiting < 0 {
                return Err(ApiError::consumer_max_waiting_negative());
            }
        } else {
            if cfg.max_waiting != 0 {
                return Err(ApiError::consumer_push_max_waiting());
            }
            if !natrium_subject::is_valid_publish_subject(cfg.deliver_subject.as_bytes()) {
                return Err(ApiError::consumer_deliver_to_wildcards());
            }
            if cfg.flow_control && cfg.idle_heartbeat <= 0 {
                return Err(ApiError::consumer_with_flow_control_needs_heartbeats());
            }
        }
        if cfg.ack_wait < 0 {
            return Err(ApiError::consumer_ack_wait_negative());
        }
        check_priority_groups(&mut cfg, push)?;
        if let Some(dl) = &cfg.dead_letter {
            if !crate::stream_config::is_valid_asset_name(&dl.stream) || dl.stream == self.name {
                return Err(ApiError::consumer_invalid_policy(
                    "dead_letter stream must name another stream",
                ));
            }
            if !natrium_subject::is_valid_publish_subject(dl.subject.as_bytes()) {
                return Err(ApiError::consumer_invalid_policy(
                    "dead_letter subject must be a valid subject without wildcards",
                ));
            }
        }
        if let (false, Some(limit)) = (push, self.engine.max_request_batch.filter(|l| *l > 0)) {
            // The server's limit is every pull consumer's default and ceiling.
            if cfg.max_batch == 0 {
                cfg.max_batch = limit;
            } else if cfg.max_batch > limit {
                return Err(ApiError::consumer_max_request_batch_exceeded(limit));
            }
        }
        if cfg.backoff.iter().any(|b| *b < 0) {
            return Err(ApiError::consumer_back_off_negative());
        }
        if !cfg.backoff.is_empty()
            && cfg.max_deliver > 0
            && cfg.max_deliver as usize <= cfg.backoff.len()
        {
            return Err(ApiError::consumer_max_deliver_backoff());
        }
        if self.config.retention == RetentionPolicy::WorkQueue {
            if cfg.ack_policy != AckPolicy::Explicit {
                return Err(ApiError::consumer_wq_requires_explicit_ack());
            }
            let unfiltered = filters.is_empty();
            for (other_name, other) in &self.consumers {
                if other_name == &name {
                    continue;
                }
                let theirs = other_filters(&other.config);
                if unfiltered || theirs.is_empty() {
                    return Err(if unfiltered && theirs.is_empty() {
                        ApiError::consumer_wq_multiple_unfiltered()
                    } else {
                        ApiError::consumer_wq_consumer_not_unique()
                    });
                }
                let clash = filters.iter().any(|f| {
                    theirs
                        .iter()
                        .any(|t| natrium_subject::subjects_collide(f.as_bytes(), t.as_bytes()))
                });
                if clash {
                    return Err(ApiError::consumer_wq_consumer_not_unique());
                }
            }
        }
        let limits = &self.config.consumer_limits;
        if cfg.inactive_threshold == 0 && limits.inactive_threshold > 0 {
            cfg.inactive_threshold = limits.inactive_threshold;
        }
        if cfg.max_ack_pending == 0 && limits.max_ack_pending > 0 {
            cfg.max_ack_pending = limits.max_ack_pending;
        }
        apply_defaults(&mut cfg, durable);
        if cfg.name.is_empty() {
            cfg.name = name.clone();
        }
        if let Some(existing) = self.consumers.get_mut(&name) {
            if req.action == natrium_api::jetstream::ConsumerAction::Create
                && !same_config(&existing.config, &cfg)
            {
                return Err(ApiError::consumer_already_exists());
            }
            let merged = merge_update(&existing.config, cfg);
            let pause = merged.pause_until.clone();
            let paused_before = existing.config.pause_until.clone();
            existing.config = ConsumerConfig {
                pause_until: paused_before,
                ..merged
            };
            let now = now_nanos();
            let pause_changed = existing.set_pause(pause.clone(), now);
            let paused_now = existing.paused(now).is_some();
            if let (Some(dir), true) = (&self.dir, durable) {
                let _ =
                    persist::write_consumer_meta(dir, &name, &existing.config, existing.created);
            }
            if pause_changed {
                advisory::consumer_pause(
                    &mut self.out,
                    &self.name,
                    &name,
                    paused_now,
                    pause
                        .as_deref()
                        .unwrap_or(natrium_api::jetstream::ZERO_TIME),
                    &self.engine.domain,
                );
            }
            return match self.consumers.get(&name) {
                Some(existing) => Ok(self.consumer_info(existing)),
                None => Err(ApiError::consumer_not_found()),
            };
        }
        if req.action == natrium_api::jetstream::ConsumerAction::Update {
            return Err(ApiError::consumer_does_not_exist());
        }
        if self.config.max_consumers > 0 && self.consumers.len() as i64 >= self.config.max_consumers
        {
            return Err(ApiError::maximum_consumers_limit());
        }
        let created = now_nanos();
        let cstore = match (&self.dir, durable) {
            (Some(dir), true) => {
                persist::write_consumer_meta(dir, &name, &cfg, created)
                    .map_err(ApiError::consumer_store_failed)?;
                Some(
                    persist::consumer_store(dir, &name, self.engine.sync)
                        .map_err(ApiError::consumer_store_failed)?,
                )
            }
            _ => None,
        };
        let consumer = Consumer::new(
            &self.name,
            name.clone(),
            cfg,
            created,
            self.store.as_ref(),
            cstore,
            created,
        )
        .map_err(ApiError::consumer_store_failed)?;
        let info = self.consumer_info(&consumer);
        self.subscribe_next(&consumer);
        advisory::consumer_action(
            &mut self.out,
            &self.name,
            &name,
            ActionAdvisoryType::Create,
            &self.engine.domain,
        );
        self.consumers.insert(name, consumer);
        Ok(info)
    }
}

/// The sid of a pull consumer's `MSG.NEXT` subscription under API prefix number
/// `prefix` (0: `$JS.API`, 1: the domain's).
fn next_sid(consumer: &str, prefix: usize) -> Vec<u8> {
    let mut sid = NEXT_SID_PREFIX.to_vec();
    sid.push(b'0' + u8::try_from(prefix).unwrap_or(0));
    sid.push(b'.');
    sid.extend_from_slice(consumer.as_bytes());
    sid
}

fn other_filters(cfg: &ConsumerConfig) -> Vec<String> {
    let mut f = cfg.filter_subjects.clone();
    if !cfg.filter_subject.is_empty() {
        f.push(cfg.filter_subject.clone());
    }
    f
}

/// Whether a create request repeats the existing consumer's configuration.
fn same_config(a: &ConsumerConfig, b: &ConsumerConfig) -> bool {
    let mut b = b.clone();
    b.name = a.name.clone();
    b.metadata = a.metadata.clone();
    *a == b
}

/// An update keeps what the client may not change.
fn merge_update(old: &ConsumerConfig, new: ConsumerConfig) -> ConsumerConfig {
    ConsumerConfig {
        name: old.name.clone(),
        durable_name: old.durable_name.clone(),
        deliver_policy: old.deliver_policy,
        opt_start_seq: old.opt_start_seq,
        opt_start_time: old.opt_start_time.clone(),
        ..new
    }
}

/// nats-server's rules for `priority_policy`, `priority_groups` and `priority_timeout`;
/// a pinned-client consumer's pin lapses after two minutes unless configured.
fn check_priority_groups(cfg: &mut ConsumerConfig, push: bool) -> Result<(), ApiError> {
    use natrium_api::jetstream::PriorityPolicy;
    cfg.priority_timeout = cfg.priority_timeout.max(0);
    if cfg.priority_policy == PriorityPolicy::None {
        if !cfg.priority_groups.is_empty() {
            return Err(ApiError::consumer_priority_group_with_policy_none());
        }
        if cfg.priority_timeout > 0 {
            return Err(ApiError::consumer_pinned_ttl_without_priority_policy_none());
        }
        return Ok(());
    }
    if push {
        return Err(ApiError::consumer_push_with_priority_group());
    }
    if cfg.priority_groups.is_empty() {
        return Err(ApiError::consumer_priority_policy_without_group());
    }
    for group in &cfg.priority_groups {
        if group.is_empty() {
            return Err(ApiError::consumer_empty_group_name());
        }
        if !crate::priority::valid_group_name(group) {
            return Err(ApiError::consumer_invalid_group_name());
        }
    }
    if cfg.priority_policy == PriorityPolicy::PinnedClient && cfg.priority_timeout == 0 {
        cfg.priority_timeout = DEFAULT_PIN_TTL;
    }
    Ok(())
}

/// nats-server's default `priority_timeout` of a pinned-client consumer.
const DEFAULT_PIN_TTL: i64 = 120_000_000_000;

/// The stream's `republish`, compiled (it was checked when the stream was created).
fn republish_transform(stream: &str, config: &StreamConfig) -> Option<SubjectTransform> {
    crate::stream_config::republish_transform(config).unwrap_or_else(|err| {
        tracing::warn!(%stream, ?err, "stream republish ignored");
        None
    })
}

/// The upstream number in a sourcing sid with `prefix`.
fn upstream_index(sid: &[u8], prefix: &[u8]) -> Option<usize> {
    std::str::from_utf8(sid.strip_prefix(prefix)?)
        .ok()?
        .parse()
        .ok()
}

fn random_name() -> String {
    crate::advisory::random_token(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 22)
}

/// Whole seconds as Go prints a `time.Duration` (`1s`, `1m0s`, `2h30m5s`).
fn go_seconds(secs: i64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m{s}s"),
        _ => format!("{h}h{m}m{s}s"),
    }
}

/// A refusal as nats-server's trace reports word it: the description, then the
/// JetStream error code in parentheses.
fn refusal_text(e: &ApiError) -> String {
    format!("{} ({})", e.description, e.err_code)
}

/// A failed publish's reply as nats-server words it: the error next to an ack naming
/// only the stream.
fn pub_error_body(stream: &str, error: ApiError) -> Vec<u8> {
    json(&PubAckResponse {
        error: Some(error),
        ack: Some(PubAck {
            stream: stream.to_string(),
            seq: 0,
            domain: String::new(),
            duplicate: false,
            val: String::new(),
            batch: String::new(),
            count: 0,
        }),
    })
}

/// A header block: `original` (or a bare `NATS/1.0` line) with `pairs` added.
fn add_headers(original: Option<&[u8]>, pairs: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + original.map_or(0, <[u8]>::len));
    match original {
        Some(block) => {
            let body = block.strip_suffix(b"\r\n").unwrap_or(block);
            out.extend_from_slice(body);
        }
        None => out.extend_from_slice(b"NATS/1.0\r\n"),
    }
    for (k, v) in pairs {
        out.extend_from_slice(k.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(v);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_ttls_read_as_go_prints_them() {
        assert_eq!(go_seconds(1), "1s");
        assert_eq!(go_seconds(60), "1m0s");
        assert_eq!(go_seconds(3661), "1h1m1s");
        assert_eq!(go_seconds(86_400), "24h0m0s");
    }

    #[test]
    fn ack_template_matches_pub_ack_json() {
        for domain in ["", "hub"] {
            let template = AckTemplate::new("OR\"DERS", domain);
            let ack = PubAck {
                stream: "OR\"DERS".into(),
                seq: 42,
                domain: domain.into(),
                duplicate: false,
                val: String::new(),
                batch: String::new(),
                count: 0,
            };
            assert_eq!(template.render(42), serde_json::to_vec(&ack).unwrap());
        }
    }
}
