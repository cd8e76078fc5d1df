//! The JetStream engine of one server: the `$JS.API` task, the registry of streams and
//! their tasks, account usage, and loading the streams saved in the store directory.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use natrium_api::jetstream::{
    AccountInfo, AccountInfoResponse, AccountLimits, ApiError, ApiPaged, ApiResponse, ApiStats,
    ConsumerCreateResponse, ConsumerInfoResponse, ConsumerListResponse, ConsumerNamesResponse,
    MsgGetResponse, StorageType, StreamConfig, StreamConfigRequest, StreamCreateResponse,
    StreamInfo, StreamInfoResponse, StreamListRequest, StreamListResponse, StreamNamesResponse,
    StreamPurgeResponse, StreamUpdateResponse, Strict, SuccessResponse, Tier,
};
use natrium_core::{internal_channel, Account, ClientHandle, InternalMsg, InternalReceiver};
use natrium_store::{DiscardPolicy, FileStore, MemStore, Store, StoreLimits, SyncPolicy};
use parking_lot::Mutex;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::api_subject::{parse, ApiSubject};
use crate::outbox::Outbox;
use crate::persist;
use crate::stream::{StreamApi, StreamCmd, StreamParts, StreamTask};
use crate::stream_config::{check_stream_config, overlapping_stream};

/// The API requests the API task answers. Each is its own subscription (not
/// `$JS.API.>`), so that a request nobody handles gets no responders, as with
/// nats-server; direct gets and pull requests are subscribed by the streams and
/// consumers that answer them.
const API_SUBJECTS: &[&str] = &[
    "$JS.API.INFO",
    "$JS.API.STREAM.CREATE.*",
    "$JS.API.STREAM.UPDATE.*",
    "$JS.API.STREAM.INFO.*",
    "$JS.API.STREAM.DELETE.*",
    "$JS.API.STREAM.PURGE.*",
    "$JS.API.STREAM.NAMES",
    "$JS.API.STREAM.LIST",
    "$JS.API.STREAM.MSG.GET.*",
    "$JS.API.STREAM.MSG.DELETE.*",
    "$JS.API.STREAM.SNAPSHOT.*",
    "$JS.API.STREAM.RESTORE.*",
    "$JS.API.CONSUMER.CREATE.*",
    "$JS.API.CONSUMER.CREATE.*.*",
    "$JS.API.CONSUMER.CREATE.*.*.>",
    "$JS.API.CONSUMER.DURABLE.CREATE.*.*",
    "$JS.API.CONSUMER.INFO.*.*",
    "$JS.API.CONSUMER.DELETE.*.*",
    "$JS.API.CONSUMER.PAUSE.*.*",
    "$JS.API.CONSUMER.UNPIN.*.*",
    "$JS.API.CONSUMER.RESET.*.*",
    "$JS.API.CONSUMER.NAMES.*",
    "$JS.API.CONSUMER.LIST.*",
];

/// How JetStream is set up (`-js`, `-sd` and the `jetstream {}` block).
#[derive(Debug, Clone)]
pub struct JetStreamConfig {
    /// Where file streams live.
    pub store_dir: PathBuf,
    /// `max_memory_store` in bytes (reported in account limits; -1 unlimited).
    pub max_memory: i64,
    /// `max_file_store` in bytes (-1 unlimited).
    pub max_file: i64,
    /// Reject unknown request members (nats-server's default).
    pub strict: bool,
    /// `domain`.
    pub domain: String,
    /// When file stores reach the disk.
    pub sync: SyncPolicy,
    /// `limits { max_request_batch }`.
    pub max_request_batch: Option<i64>,
    /// `limits { max_batch_* }`.
    pub batch_limits: BatchLimits,
    /// The server's name, reported as stream leader.
    pub server_name: String,
    /// Most streams the account may have (-1 or 0: no limit).
    pub max_streams: i64,
    /// Most consumers the account may have over all its streams (-1 or 0: no limit).
    pub max_consumers: i64,
}

/// `limits { max_batch_inflight_per_stream, max_batch_inflight_total, max_batch_size,
/// max_batch_timeout }`: bounds on batch publishing; `None` keeps nats-server's default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchLimits {
    /// Batches in flight per stream (atomic and fast alike).
    pub inflight_per_stream: Option<usize>,
    /// Batches in flight in total.
    pub inflight_total: Option<u64>,
    /// Messages in one atomic batch.
    pub max_size: Option<u64>,
    /// How long a batch may wait for its next message.
    pub timeout: Option<std::time::Duration>,
}

/// Why JetStream could not start.
#[derive(Debug, thiserror::Error)]
pub enum JetStreamError {
    /// The store directory could not be created.
    #[error("JetStream store directory {}: {source}", path.display())]
    StoreDir {
        /// The directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// What every JetStream task of a server shares.
pub(crate) struct EngineShared {
    pub account: Arc<Account>,
    pub domain: String,
    pub server_name: String,
    pub strict: bool,
    pub sync: SyncPolicy,
    pub max_request_batch: Option<i64>,
    pub batch_limits: BatchLimits,
    pub store_dir: PathBuf,
    pub max_memory: i64,
    pub max_file: i64,
    pub max_streams: i64,
    pub max_consumers: i64,
    pub api_total: AtomicU64,
    pub api_errors: AtomicU64,
    /// Bytes held by memory streams and by file streams, kept by the stream tasks.
    pub used_memory: AtomicU64,
    pub used_file: AtomicU64,
    /// Atomic batches being staged by all of this engine's streams.
    pub atomic_batches: AtomicU64,
    /// Fast batches in flight on all of this engine's streams.
    pub fast_batches: AtomicU64,
    next_id: AtomicU64,
}

impl EngineShared {
    /// The API prefixes answered: `$JS.API`, and `$JS.<domain>.API` with a domain.
    pub(crate) fn api_prefixes(&self) -> Vec<String> {
        let mut out = vec!["$JS.API".to_string()];
        if !self.domain.is_empty() {
            out.push(format!("$JS.{}.API", self.domain));
        }
        out
    }

    /// `subject` with a domain API prefix rewritten to `$JS.API`.
    pub(crate) fn local_api_subject<'a>(&self, subject: &'a str) -> std::borrow::Cow<'a, str> {
        if !self.domain.is_empty() {
            let prefix = format!("$JS.{}.API.", self.domain);
            if let Some(rest) = subject.strip_prefix(&prefix) {
                return std::borrow::Cow::Owned(format!("$JS.API.{rest}"));
            }
        }
        std::borrow::Cow::Borrowed(subject)
    }

    /// The usage counter and limit (-1 unlimited) of a storage type.
    pub(crate) fn storage(&self, storage: StorageType) -> (&AtomicU64, i64) {
        match storage {
            StorageType::Memory => (&self.used_memory, self.max_memory),
            StorageType::File => (&self.used_file, self.max_file),
        }
    }

    /// The error a publish gets when its storage type is full.
    pub(crate) fn full_error(storage: StorageType) -> ApiError {
        match storage {
            StorageType::Memory => ApiError::memory_resources_exceeded(),
            StorageType::File => ApiError::storage_resources_exceeded(),
        }
    }

    /// An id for an internal client, far from the ids of real connections.
    pub(crate) fn next_client_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }
}

/// A stream's message and byte counts, kept current by its task for account info.
#[derive(Debug, Default)]
pub(crate) struct StreamUsage {
    pub msgs: AtomicU64,
    pub bytes: AtomicU64,
    pub consumers: AtomicU64,
}

struct StreamHandle {
    cmds: mpsc::UnboundedSender<StreamCmd>,
    config: StreamConfig,
    usage: Arc<StreamUsage>,
    task: JoinHandle<()>,
}

type Registry = Arc<Mutex<BTreeMap<String, StreamHandle>>>;

/// Usage totals for monitoring (`/jsz`, `/varz`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JetStreamStats {
    /// Streams.
    pub streams: u64,
    /// Consumers.
    pub consumers: u64,
    /// Messages stored.
    pub messages: u64,
    /// Bytes in memory streams.
    pub memory: u64,
    /// Bytes in file streams.
    pub storage: u64,
    /// API requests handled.
    pub api_total: u64,
    /// API requests answered with an error.
    pub api_errors: u64,
}

/// A running JetStream engine.
pub struct JetStream {
    shared: Arc<EngineShared>,
    streams: Registry,
    api: JoinHandle<()>,
}

impl std::fmt::Debug for JetStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JetStream").finish_non_exhaustive()
    }
}

/// Now, unix nanoseconds.
pub(crate) fn now_nanos() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// The store limits a stream configuration sets.
pub(crate) fn store_limits(cfg: &StreamConfig) -> StoreLimits {
    let pos = |v: i64| u64::try_from(v).unwrap_or(0);
    StoreLimits {
        max_msgs: pos(cfg.max_msgs),
        max_bytes: pos(cfg.max_bytes),
        max_age: Duration::from_nanos(pos(cfg.max_age)),
        max_msgs_per_subject: pos(cfg.max_msgs_per_subject),
        discard: match cfg.discard {
            natrium_api::jetstream::DiscardPolicy::Old => DiscardPolicy::Old,
            natrium_api::jetstream::DiscardPolicy::New => DiscardPolicy::New,
        },
        discard_new_per_subject: cfg.discard_new_per_subject,
    }
}

/// Deserializes JSON as Go's `encoding/json` fills a struct: a `null` member leaves the
/// field at its zero value (clients write `null` for unset options).
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> serde_json::Result<T> {
    let mut value: serde_json::Value = serde_json::from_slice(body)?;
    if value.is_null() {
        value = serde_json::Value::Object(serde_json::Map::new());
    }
    drop_nulls(&mut value);
    serde_json::from_value(value)
}

fn drop_nulls(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(drop_nulls);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// Reads a request body as nats-server does: empty is the zero value; unknown members
/// are refused in strict mode.
pub(crate) fn parse_request<T: serde::de::DeserializeOwned + Default + Strict>(
    body: &[u8],
    strict: bool,
) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    let req: T = from_json(body).map_err(ApiError::invalid_json)?;
    if strict {
        if let Some(field) = req.unknown_field() {
            return Err(ApiError::invalid_json(format!(
                "json: unknown field {field:?}"
            )));
        }
    }
    Ok(req)
}

impl JetStream {
    /// Loads the saved streams and starts answering `$JS.API` in `account`.
    pub fn start(account: Arc<Account>, cfg: JetStreamConfig) -> Result<Self, JetStreamError> {
        let root = persist::streams_root(&cfg.store_dir, account.name());
        std::fs::create_dir_all(&root).map_err(|source| JetStreamError::StoreDir {
            path: root.clone(),
            source,
        })?;
        // Restores cut short by a stop left only staging directories behind.
        let _ = std::fs::remove_dir_all(persist::restore_staging(&cfg.store_dir, account.name()));
        let shared = Arc::new(EngineShared {
            account: Arc::clone(&account),
            domain: cfg.domain,
            server_name: cfg.server_name,
            strict: cfg.strict,
            sync: cfg.sync,
            max_request_batch: cfg.max_request_batch,
            batch_limits: cfg.batch_limits,
            store_dir: cfg.store_dir,
            max_memory: cfg.max_memory,
            max_file: cfg.max_file,
            max_streams: cfg.max_streams,
            max_consumers: cfg.max_consumers,
            api_total: AtomicU64::new(0),
            api_errors: AtomicU64::new(0),
            used_memory: AtomicU64::new(0),
            used_file: AtomicU64::new(0),
            atomic_batches: AtomicU64::new(0),
            fast_batches: AtomicU64::new(0),
            next_id: AtomicU64::new(1 << 62),
        });
        let streams: Registry = Arc::new(Mutex::new(BTreeMap::new()));
        for saved in persist::list_streams(&shared.store_dir, account.name()) {
            match saved {
                Ok((dir, config, created)) => {
                    let name = config.name.clone();
                    match spawn_stream(&shared, config, created, Some(dir), None) {
                        Ok(handle) => {
                            tracing::info!(stream = %name, "restored stream");
                            streams.lock().insert(name, handle);
                        }
                        Err(err) => tracing::error!(stream = %name, %err, "stream not restored"),
                    }
                }
                Err(err) => tracing::error!(%err, "stream not restored"),
            }
        }
        let (tx, inbox) = internal_channel();
        let client = Arc::new(ClientHandle::new_internal(shared.next_client_id(), tx));
        let mut sid = 0;
        for prefix in shared.api_prefixes() {
            for subject in API_SUBJECTS {
                let subject = subject.replacen("$JS.API", &prefix, 1);
                sid += 1;
                let sid = format!("api{sid}");
                if let Err(err) =
                    account.subscribe(&client, subject.as_bytes(), None, sid.as_bytes())
                {
                    tracing::error!(%err, subject, "JetStream API not subscribed");
                }
            }
        }
        let api = tokio::spawn(api_loop(
            Arc::clone(&shared),
            Arc::clone(&streams),
            client,
            inbox,
        ));
        Ok(JetStream {
            shared,
            streams,
            api,
        })
    }

    /// Usage totals.
    pub fn stats(&self) -> JetStreamStats {
        let streams = self.streams.lock();
        let mut s = JetStreamStats {
            streams: streams.len() as u64,
            api_total: self.shared.api_total.load(Ordering::Relaxed),
            api_errors: self.shared.api_errors.load(Ordering::Relaxed),
            ..Default::default()
        };
        for h in streams.values() {
            s.consumers += h.usage.consumers.load(Ordering::Relaxed);
            s.messages += h.usage.msgs.load(Ordering::Relaxed);
            let bytes = h.usage.bytes.load(Ordering::Relaxed);
            match h.config.storage {
                StorageType::Memory => s.memory += bytes,
                StorageType::File => s.storage += bytes,
            }
        }
        s
    }

    /// Flushes and stops every stream.
    pub async fn shutdown(&self) {
        self.api.abort();
        let handles: Vec<StreamHandle> = std::mem::take(&mut *self.streams.lock())
            .into_values()
            .collect();
        for h in handles {
            let (tx, rx) = oneshot::channel();
            if h.cmds.send(StreamCmd::Stop(tx)).is_ok() {
                let _ = rx.await;
            }
            let _ = h.task.await;
        }
    }
}

/// Starts a stream's task over its store: `restored` when a restore has filled one,
/// otherwise the store in `dir` (file) or a new memory store.
fn spawn_stream(
    shared: &Arc<EngineShared>,
    config: StreamConfig,
    created: i64,
    dir: Option<PathBuf>,
    restored: Option<Box<dyn Store>>,
) -> Result<StreamHandle, natrium_store::StoreError> {
    let limits = store_limits(&config);
    let fresh = restored.is_none() && dir.as_ref().is_none_or(|d| !persist::msgs_dir(d).exists());
    let mut store: Box<dyn Store> = match (restored, &dir, config.storage) {
        (Some(store), _, _) => store,
        (None, Some(d), StorageType::File) => {
            let store = FileStore::open(&persist::msgs_dir(d), &limits, shared.sync)?;
            for damage in store.recovery_report() {
                tracing::error!(stream = %config.name, %damage, "stream store damaged; the intact records were kept");
            }
            Box::new(store)
        }
        _ => Box::new(MemStore::new(&limits)),
    };
    if fresh && config.first_seq > 1 {
        store.compact(config.first_seq)?;
    }
    let (tx, inbox) = internal_channel();
    let client = Arc::new(ClientHandle::new_internal(shared.next_client_id(), tx));
    let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
    let usage = Arc::new(StreamUsage::default());
    let task = StreamTask::new(
        StreamParts {
            name: config.name.clone(),
            config: config.clone(),
            created,
            store,
            dir,
            usage: Arc::clone(&usage),
            engine: Arc::clone(shared),
        },
        client,
        inbox,
        cmd_rx,
    );
    let task = tokio::spawn(task.run());
    Ok(StreamHandle {
        cmds: cmd_tx,
        config,
        usage,
        task,
    })
}

/// Registers and starts a restored stream unless one of its name (or its directory)
/// appeared meanwhile; the receiver gets its info once it runs.
fn install_restored(
    shared: &Arc<EngineShared>,
    streams: &Registry,
    config: StreamConfig,
    created: i64,
    restored: crate::snapshot::Restored,
) -> Result<oneshot::Receiver<StreamInfo>, ApiError> {
    use crate::snapshot::Restored;
    let mut registry = streams.lock();
    if registry.contains_key(&config.name) {
        return Err(ApiError::stream_name_exist_restore_failed());
    }
    let name = config.name.clone();
    let (dir, store) = match restored {
        Restored::Staged(staged) => {
            let dir = persist::stream_dir(&shared.store_dir, shared.account.name(), &name);
            if dir.exists() {
                return Err(ApiError::stream_name_exist_restore_failed());
            }
            std::fs::rename(&staged, &dir).map_err(ApiError::stream_restore)?;
            (Some(dir), None)
        }
        Restored::Memory(store) => (None, Some(store)),
    };
    let handle =
        spawn_stream(shared, config, created, dir, store).map_err(ApiError::stream_restore)?;
    let (tx, rx) = oneshot::channel();
    let _ = handle.cmds.send(StreamCmd::Info(tx));
    registry.insert(name, handle);
    Ok(rx)
}

async fn api_loop(
    shared: Arc<EngineShared>,
    streams: Registry,
    _client: Arc<ClientHandle>,
    mut inbox: InternalReceiver,
) {
    let mut out = Outbox::new(Arc::clone(&shared.account), 0x5eed);
    let mut api = Api {
        shared,
        streams,
        out: &mut out,
    };
    while let Some(msg) = inbox.recv().await {
        api.handle(msg).await;
    }
}

struct Api<'a> {
    shared: Arc<EngineShared>,
    streams: Registry,
    out: &'a mut Outbox,
}

/// The `type` of the reply to a request, for error replies built here.
fn reply_type(api: &ApiSubject<'_>) -> &'static str {
    match api {
        ApiSubject::AccountInfo => AccountInfoResponse::TYPE,
        ApiSubject::StreamCreate(_) => StreamCreateResponse::TYPE,
        ApiSubject::StreamUpdate(_) => StreamUpdateResponse::TYPE,
        ApiSubject::StreamInfo(_) => StreamInfoResponse::TYPE,
        ApiSubject::StreamDelete(_) => SuccessResponse::STREAM_DELETE,
        ApiSubject::StreamPurge(_) => StreamPurgeResponse::TYPE,
        ApiSubject::StreamNames => StreamNamesResponse::TYPE,
        ApiSubject::StreamList => StreamListResponse::TYPE,
        ApiSubject::StreamMsgGet(_) => MsgGetResponse::TYPE,
        ApiSubject::StreamSnapshot(_) => crate::snapshot::SnapshotResponse::TYPE,
        ApiSubject::StreamRestore(_) => crate::snapshot::RestoreResponse::TYPE,
        ApiSubject::StreamMsgDelete(_) => SuccessResponse::MSG_DELETE,
        ApiSubject::ConsumerCreate { .. } | ApiSubject::ConsumerDurableCreate { .. } => {
            ConsumerCreateResponse::TYPE
        }
        ApiSubject::ConsumerInfo { .. } => ConsumerInfoResponse::TYPE,
        ApiSubject::ConsumerDelete { .. } => SuccessResponse::CONSUMER_DELETE,
        ApiSubject::ConsumerNames(_) => ConsumerNamesResponse::TYPE,
        ApiSubject::ConsumerList(_) => ConsumerListResponse::TYPE,
        ApiSubject::ConsumerPause { .. } => natrium_api::jetstream::ConsumerPauseResponse::TYPE,
        ApiSubject::ConsumerUnpin { .. } => natrium_api::jetstream::ConsumerUnpinResponse::TYPE,
        ApiSubject::ConsumerReset { .. } => natrium_api::jetstream::ConsumerResetResponse::TYPE,
        ApiSubject::DirectGet { .. } | ApiSubject::ConsumerNext { .. } | ApiSubject::Unknown => {
            natrium_api::jetstream::SYSTEM_RESPONSE_TYPE
        }
    }
}

/// A configured limit as account info reports it: -1 when there is none.
fn limit(n: i64) -> i64 {
    if n > 0 {
        n
    } else {
        -1
    }
}

impl Api<'_> {
    /// Whether the account has as many consumers as `max_consumers` allows.
    fn at_consumer_limit(&self) -> bool {
        let max = self.shared.max_consumers;
        if max <= 0 {
            return false;
        }
        let total: u64 = self
            .streams
            .lock()
            .values()
            .map(|h| h.usage.consumers.load(Ordering::Relaxed))
            .sum();
        total as i64 >= max
    }

    fn error(&mut self, reply: &[u8], kind: &str, error: ApiError) {
        self.shared.api_errors.fetch_add(1, Ordering::Relaxed);
        self.out.reply_json(reply, &ApiResponse::err(kind, error));
    }

    async fn handle(&mut self, msg: InternalMsg) {
        let Ok(subject) = std::str::from_utf8(&msg.subject) else {
            return;
        };
        let subject = self.shared.local_api_subject(subject);
        let Some(api) = parse(&subject) else {
            return;
        };
        let reply = msg.reply.clone().unwrap_or_default();
        // A request without a reply subject has nowhere to be answered.
        if reply.is_empty() {
            return;
        }
        let routed = match &api {
            ApiSubject::StreamInfo(s) => Some((*s, StreamApi::Info)),
            ApiSubject::StreamPurge(s) => Some((*s, StreamApi::Purge)),
            ApiSubject::StreamMsgGet(s) => Some((*s, StreamApi::MsgGet)),
            ApiSubject::StreamMsgDelete(s) => Some((*s, StreamApi::MsgDelete)),
            ApiSubject::StreamSnapshot(s) => Some((*s, StreamApi::Snapshot)),
            ApiSubject::ConsumerCreate {
                stream,
                consumer,
                filter,
            } => Some((
                *stream,
                StreamApi::ConsumerCreate {
                    name: consumer.map(str::to_string),
                    filter: filter.map(str::to_string),
                    durable_subject: false,
                },
            )),
            ApiSubject::ConsumerDurableCreate { stream, durable } => Some((
                *stream,
                StreamApi::ConsumerCreate {
                    name: Some((*durable).to_string()),
                    filter: None,
                    durable_subject: true,
                },
            )),
            ApiSubject::ConsumerInfo { stream, consumer } => {
                Some((*stream, StreamApi::ConsumerInfo((*consumer).to_string())))
            }
            ApiSubject::ConsumerDelete { stream, consumer } => {
                Some((*stream, StreamApi::ConsumerDelete((*consumer).to_string())))
            }
            ApiSubject::ConsumerPause { stream, consumer } => {
                Some((*stream, StreamApi::ConsumerPause((*consumer).to_string())))
            }
            ApiSubject::ConsumerUnpin { stream, consumer } => {
                Some((*stream, StreamApi::ConsumerUnpin((*consumer).to_string())))
            }
            ApiSubject::ConsumerReset { stream, consumer } => {
                Some((*stream, StreamApi::ConsumerReset((*consumer).to_string())))
            }
            ApiSubject::ConsumerNames(s) => Some((*s, StreamApi::ConsumerNames)),
            ApiSubject::ConsumerList(s) => Some((*s, StreamApi::ConsumerList)),
            _ => None,
        };
        if let Some((stream, cmd)) = routed {
            if matches!(cmd, StreamApi::ConsumerCreate { .. }) && self.at_consumer_limit() {
                return self.error(
                    &reply,
                    ConsumerCreateResponse::TYPE,
                    ApiError::maximum_consumers_limit(),
                );
            }
            let sender = self.streams.lock().get(stream).map(|h| h.cmds.clone());
            match sender {
                Some(tx) => {
                    let _ = tx.send(StreamCmd::Api(cmd, msg));
                }
                None => self.error(&reply, reply_type(&api), ApiError::stream_not_found()),
            }
            return;
        }
        let kind = reply_type(&api);
        match api {
            ApiSubject::AccountInfo => self.account_info(&reply),
            ApiSubject::StreamCreate(name) => self.create(&reply, name, &msg.payload),
            ApiSubject::StreamUpdate(name) => self.update(&reply, name, &msg.payload),
            ApiSubject::StreamDelete(name) => self.delete(&reply, name).await,
            ApiSubject::StreamNames => self.names(&reply, &msg.payload),
            ApiSubject::StreamRestore(name) => self.restore(&reply, name, &msg.payload),
            ApiSubject::StreamList => self.list(&reply, &msg.payload).await,
            _ => self.error(&reply, kind, ApiError::bad_request()),
        }
        // Counted after answering: an account info request reports the requests
        // before it, as nats-server's does.
        self.shared.api_total.fetch_add(1, Ordering::Relaxed);
    }

    fn account_info(&mut self, reply: &[u8]) {
        let mut tier = Tier {
            limits: AccountLimits {
                max_memory: self.shared.max_memory,
                max_storage: self.shared.max_file,
                max_streams: limit(self.shared.max_streams),
                max_consumers: limit(self.shared.max_consumers),
                max_ack_pending: -1,
                memory_max_stream_bytes: -1,
                storage_max_stream_bytes: -1,
                max_bytes_required: false,
            },
            ..Default::default()
        };
        for h in self.streams.lock().values() {
            tier.streams += 1;
            tier.consumers += h.usage.consumers.load(Ordering::Relaxed) as i64;
            let bytes = h.usage.bytes.load(Ordering::Relaxed);
            match h.config.storage {
                StorageType::Memory => tier.memory += bytes,
                StorageType::File => tier.storage += bytes,
            }
        }
        let info = AccountInfo {
            totals: tier,
            domain: self.shared.domain.clone(),
            api: ApiStats {
                level: 2,
                total: self.shared.api_total.load(Ordering::Relaxed),
                errors: self.shared.api_errors.load(Ordering::Relaxed),
                inflight: 0,
            },
            tiers: BTreeMap::new(),
        };
        self.out.reply_json(reply, &AccountInfoResponse::ok(info));
    }

    fn checked_config(&self, name: &str, body: &[u8]) -> Result<StreamConfig, ApiError> {
        let req: StreamConfigRequest = parse_request(body, self.shared.strict)?;
        let mut config = req.config;
        if config.name.is_empty() {
            config.name = name.to_string();
        }
        if config.name != name {
            return Err(ApiError::stream_mismatch());
        }
        let config = check_stream_config(&config, req.pedantic)?;
        if config.num_replicas > 1 {
            return Err(ApiError::stream_replicas_not_supported());
        }
        Ok(config)
    }

    fn overlap(&self, config: &StreamConfig) -> Result<(), ApiError> {
        let streams = self.streams.lock();
        let others = streams
            .iter()
            .filter(|(n, _)| **n != config.name)
            .map(|(n, h)| (n.as_str(), h.config.subjects.as_slice()));
        // `check_stream_config` has filled in the name when no subjects were given.
        if overlapping_stream(&config.subjects, others).is_some() {
            return Err(ApiError::stream_subject_overlap());
        }
        Ok(())
    }

    fn create(&mut self, reply: &[u8], name: &str, body: &[u8]) {
        let config = match self.checked_config(name, body) {
            Ok(c) => c,
            Err(e) => return self.error(reply, StreamCreateResponse::TYPE, e),
        };
        let existing = self
            .streams
            .lock()
            .get(name)
            .map(|h| (h.config.clone(), h.cmds.clone()));
        if let Some((current, tx)) = existing {
            if current == config {
                let (itx, irx) = oneshot::channel();
                let _ = tx.send(StreamCmd::Info(itx));
                self.reply_created(reply, irx, false);
                return;
            }
            return self.error(
                reply,
                StreamCreateResponse::TYPE,
                ApiError::stream_name_exist(),
            );
        }
        let max = self.shared.max_streams;
        if max > 0 && self.streams.lock().len() as i64 >= max {
            return self.error(
                reply,
                StreamCreateResponse::TYPE,
                ApiError::maximum_streams_limit(),
            );
        }
        if let Err(e) = self.overlap(&config) {
            return self.error(reply, StreamCreateResponse::TYPE, e);
        }
        if let Err(e) = self.reserve(&config) {
            return self.error(reply, StreamCreateResponse::TYPE, e);
        }
        let created = now_nanos();
        let dir = match config.storage {
            StorageType::File => {
                let dir =
                    persist::stream_dir(&self.shared.store_dir, self.shared.account.name(), name);
                if let Err(err) = persist::write_stream_meta(&dir, &config, created) {
                    return self.error(
                        reply,
                        StreamCreateResponse::TYPE,
                        ApiError::stream_create(err),
                    );
                }
                Some(dir)
            }
            StorageType::Memory => None,
        };
        let handle = match spawn_stream(&self.shared, config, created, dir.clone(), None) {
            Ok(h) => h,
            Err(err) => {
                if let Some(d) = dir {
                    let _ = std::fs::remove_dir_all(d);
                }
                return self.error(
                    reply,
                    StreamCreateResponse::TYPE,
                    ApiError::stream_create(err),
                );
            }
        };
        let (itx, irx) = oneshot::channel();
        let _ = handle.cmds.send(StreamCmd::Info(itx));
        self.streams.lock().insert(name.to_string(), handle);
        crate::advisory::stream_action(
            self.out,
            name,
            natrium_api::jetstream::ActionAdvisoryType::Create,
            &self.shared.domain,
        );
        self.reply_created(reply, irx, true);
    }

    /// Answers a create once the stream task reports its info (never blocking this loop).
    fn reply_created(&self, reply: &[u8], info: oneshot::Receiver<StreamInfo>, did_create: bool) {
        let reply = Bytes::copy_from_slice(reply);
        let account = Arc::clone(&self.shared.account);
        tokio::spawn(async move {
            if let Ok(info) = info.await {
                let resp = StreamCreateResponse {
                    kind: StreamCreateResponse::TYPE.to_string(),
                    error: None,
                    info: Some(info),
                    did_create,
                };
                Outbox::new(account, 1).reply_json(&reply, &resp);
            }
        });
    }

    /// A stream's `max_bytes` is reserved against `max_memory_store`/`max_file_store`:
    /// the reservations of one storage type may not exceed its limit.
    fn reserve(&self, config: &StreamConfig) -> Result<(), ApiError> {
        let (_, limit) = self.shared.storage(config.storage);
        if limit < 0 || config.max_bytes <= 0 {
            return Ok(());
        }
        let reserved: i64 = self
            .streams
            .lock()
            .iter()
            .filter(|(n, h)| **n != config.name && h.config.storage == config.storage)
            .map(|(_, h)| h.config.max_bytes.max(0))
            .sum();
        if reserved.saturating_add(config.max_bytes) > limit {
            return Err(ApiError::insufficient_resources());
        }
        Ok(())
    }

    /// `STREAM.RESTORE`: the configuration passes the create checks now, the upload
    /// is taken by its own task (see `crate::snapshot`).
    fn restore(&mut self, reply: &[u8], name: &str, body: &[u8]) {
        use crate::snapshot::{RestoreRequest, RestoreResponse};
        let kind = RestoreResponse::TYPE;
        if body.iter().all(u8::is_ascii_whitespace) {
            return self.error(reply, kind, ApiError::bad_request());
        }
        let req: RestoreRequest = match parse_request(body, self.shared.strict) {
            Ok(r) => r,
            Err(e) => return self.error(reply, kind, e),
        };
        let mut config = req.config;
        if config.name.is_empty() {
            config.name = name.to_string();
        }
        if config.name != name {
            return self.error(reply, kind, ApiError::stream_mismatch());
        }
        let checked = check_stream_config(&config, false).and_then(|c| {
            if c.num_replicas > 1 {
                Err(ApiError::stream_replicas_not_supported())
            } else {
                Ok(c)
            }
        });
        let config = match checked {
            Ok(c) => c,
            Err(e) => return self.error(reply, kind, e),
        };
        if self.streams.lock().contains_key(name) {
            return self.error(reply, kind, ApiError::stream_name_exist_restore_failed());
        }
        if let Err(e) = self.overlap(&config).and_then(|()| self.reserve(&config)) {
            return self.error(reply, kind, e);
        }
        let (shared, streams) = (Arc::clone(&self.shared), Arc::clone(&self.streams));
        let install = move |config: StreamConfig, created, restored| {
            install_restored(&shared, &streams, config, created, restored)
        };
        match crate::snapshot::start_restore(&self.shared, config, install) {
            Ok(deliver_subject) => self.out.reply_json(
                reply,
                &RestoreResponse {
                    kind,
                    error: None,
                    deliver_subject,
                },
            ),
            Err(e) => self.error(reply, kind, e),
        }
    }

    fn update(&mut self, reply: &[u8], name: &str, body: &[u8]) {
        let config = match self.checked_config(name, body) {
            Ok(c) => c,
            Err(e) => return self.error(reply, StreamUpdateResponse::TYPE, e),
        };
        let current = self.streams.lock().get(name).map(|h| h.config.clone());
        let Some(current) = current else {
            return self.error(
                reply,
                StreamUpdateResponse::TYPE,
                ApiError::stream_not_found(),
            );
        };
        if let Err(e) = check_update(&current, &config) {
            return self.error(reply, StreamUpdateResponse::TYPE, e);
        }
        if let Err(e) = self.reserve(&config) {
            return self.error(reply, StreamUpdateResponse::TYPE, e);
        }
        if let Err(e) = self.overlap(&config) {
            return self.error(reply, StreamUpdateResponse::TYPE, e);
        }
        let mut streams = self.streams.lock();
        if let Some(h) = streams.get_mut(name) {
            h.config = config.clone();
            let _ = h.cmds.send(StreamCmd::Update(
                Box::new(config),
                Some(Bytes::copy_from_slice(reply)),
            ));
        }
    }

    async fn delete(&mut self, reply: &[u8], name: &str) {
        let handle = self.streams.lock().remove(name);
        let Some(handle) = handle else {
            return self.error(
                reply,
                SuccessResponse::STREAM_DELETE,
                ApiError::stream_not_found(),
            );
        };
        let (tx, rx) = oneshot::channel();
        let _ = handle.cmds.send(StreamCmd::Delete(tx));
        match rx.await {
            Ok(Err(err)) => self.error(
                reply,
                SuccessResponse::STREAM_DELETE,
                ApiError::stream_delete(err),
            ),
            _ => {
                self.out
                    .reply_json(reply, &SuccessResponse::ok(SuccessResponse::STREAM_DELETE));
                crate::advisory::stream_action(
                    self.out,
                    name,
                    natrium_api::jetstream::ActionAdvisoryType::Delete,
                    &self.shared.domain,
                );
            }
        }
    }

    fn matching(&self, filter: &str) -> Vec<String> {
        self.streams
            .lock()
            .iter()
            .filter(|(_, h)| {
                filter.is_empty()
                    || h.config
                        .subjects
                        .iter()
                        .any(|s| natrium_subject::subjects_collide(s.as_bytes(), filter.as_bytes()))
            })
            .map(|(n, _)| n.clone())
            .collect()
    }

    fn names(&mut self, reply: &[u8], body: &[u8]) {
        let req: StreamListRequest = match parse_request(body, self.shared.strict) {
            Ok(r) => r,
            Err(e) => return self.error(reply, StreamNamesResponse::TYPE, e),
        };
        let all = self.matching(&req.subject);
        let total = all.len() as i64;
        let offset = usize::try_from(req.offset).unwrap_or(0);
        let page: Vec<String> = all.into_iter().skip(offset).take(1024).collect();
        let resp = StreamNamesResponse {
            kind: StreamNamesResponse::TYPE.to_string(),
            error: None,
            paged: ApiPaged {
                total,
                offset: req.offset,
                limit: 1024,
            },
            streams: Some(page),
        };
        self.out.reply_json(reply, &resp);
    }

    async fn list(&mut self, reply: &[u8], body: &[u8]) {
        let req: StreamListRequest = match parse_request(body, self.shared.strict) {
            Ok(r) => r,
            Err(e) => return self.error(reply, StreamListResponse::TYPE, e),
        };
        let all = self.matching(&req.subject);
        let total = all.len() as i64;
        let offset = usize::try_from(req.offset).unwrap_or(0);
        let mut waits = Vec::new();
        {
            let streams = self.streams.lock();
            for name in all.iter().skip(offset).take(256) {
                if let Some(h) = streams.get(name) {
                    let (tx, rx) = oneshot::channel();
                    let _ = h.cmds.send(StreamCmd::Info(tx));
                    waits.push(rx);
                }
            }
        }
        let mut infos = Vec::new();
        for rx in waits {
            if let Ok(info) = rx.await {
                infos.push(info);
            }
        }
        let resp = StreamListResponse {
            kind: StreamListResponse::TYPE.to_string(),
            error: None,
            paged: ApiPaged {
                total,
                offset: req.offset,
                limit: 256,
            },
            streams: infos,
            missing: Vec::new(),
            offline: BTreeMap::new(),
        };
        self.out.reply_json(reply, &resp);
    }
}

/// What nats-server refuses to change on `STREAM.UPDATE`.
fn check_update(old: &StreamConfig, new: &StreamConfig) -> Result<(), ApiError> {
    if old.storage != new.storage {
        return Err(ApiError::stream_invalid_config(
            "stream configuration update can not change storage type",
        ));
    }
    if old.retention != new.retention {
        return Err(ApiError::stream_invalid_config(
            "stream configuration update can not change retention policy",
        ));
    }
    if old.sealed && !new.sealed {
        return Err(ApiError::stream_invalid_config(
            "stream configuration update can not unseal a sealed stream",
        ));
    }
    // Removing the mirror promotes the mirror to a plain stream (nats-server 2.12);
    // pointing it elsewhere is refused.
    if new.mirror.is_some() && new.mirror != old.mirror {
        return Err(ApiError::stream_mirror_not_updatable());
    }
    if old.deny_delete && !new.deny_delete {
        return Err(ApiError::stream_invalid_config(
            "stream configuration update can not cancel deny message deletes",
        ));
    }
    if old.deny_purge && !new.deny_purge {
        return Err(ApiError::stream_invalid_config(
            "stream configuration update can not cancel deny purge",
        ));
    }
    if old.allow_msg_counter != new.allow_msg_counter {
        return Err(ApiError::stream_invalid_config(
            "stream configuration update can not change message counter setting",
        ));
    }
    Ok(())
}
