//! Stream snapshot and restore over the API, with nats-server's exchange:
//!
//! - `STREAM.SNAPSHOT.<stream>` (`deliver_subject`, `chunk_size`, `window_size`,
//!   `no_consumers`, `jsck`): the reply carries the stream's config and state, then
//!   the archive goes to `deliver_subject` in chunks, each with a reply subject
//!   `$JS.SNAPSHOT.ACK.<stream>.<id>.<len>.<n>` the client answers; no more than a
//!   window of chunks waits for answers; a short last chunk carries no reply subject.
//!   An empty message ends it: `NATS/1.0 204` after full chunks, no header when the
//!   archive fit in one short chunk, `408 No Flow Response` when the client stops
//!   answering, `408 No Interest` when it leaves.
//! - `STREAM.RESTORE.<stream>` (`config`, `state`): the reply names a
//!   `$JS.SNAPSHOT.RESTORE.<stream>.<id>` subject; each chunk sent there is answered
//!   empty, an empty message ends the upload and is answered with the restored
//!   stream's info (a stream create response).
//!
//! The archive is Natrium's own (see [`archive`] and docs/COMPATIBILITY.md), not
//! nats-server's copy of its file store.

pub(crate) mod archive;
mod tar;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use natrium_api::jetstream::{
    ApiError, StorageType, StreamConfig, StreamCreateResponse, StreamState, Strict, UnknownFields,
};
use natrium_core::{internal_channel, ClientHandle, InternalReceiver};
use natrium_store::{FileStore, MemStore, Store};
use serde::{Deserialize, Serialize};

use crate::engine::{store_limits, EngineShared};
use crate::outbox::Outbox;
use crate::persist;

/// How long a snapshot waits for a chunk's answer, and a restore for the next chunk.
const IDLE: Duration = Duration::from_secs(5);
/// How long a snapshot waits for someone to listen on its deliver subject.
const NO_INTEREST_GRACE: Duration = Duration::from_secs(2);
const DEFAULT_CHUNK: i64 = 128 * 1024;
const DEFAULT_WINDOW: i64 = 8 * 1024 * 1024;
/// The largest archive held in memory: a snapshot of a bigger stream is refused, and
/// so is a bigger restore when the storage type has no smaller limit.
pub(crate) const MAX_ARCHIVE: usize = 1 << 30;

/// `$JS.API.STREAM.SNAPSHOT` request.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct SnapshotRequest {
    #[serde(default)]
    pub deliver_subject: String,
    #[serde(default)]
    pub no_consumers: bool,
    #[serde(default)]
    pub chunk_size: i64,
    #[serde(default)]
    pub window_size: i64,
    /// Check the stream's messages: every record read is checksummed anyway, and the
    /// count written must match the stream's state.
    #[serde(default)]
    pub jsck: bool,
    #[serde(flatten)]
    unknown: UnknownFields,
}

impl Strict for SnapshotRequest {
    fn unknown_field(&self) -> Option<&str> {
        self.unknown.first()
    }
}

/// `$JS.API.STREAM.SNAPSHOT` reply.
#[derive(Debug, Serialize)]
pub(crate) struct SnapshotResponse {
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<StreamConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<StreamState>,
}

impl SnapshotResponse {
    pub const TYPE: &'static str = "io.nats.jetstream.api.v1.stream_snapshot_response";
}

/// `$JS.API.STREAM.RESTORE` request.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct RestoreRequest {
    #[serde(default)]
    pub config: StreamConfig,
    /// The state the snapshot was taken at: accepted as nats-server does, but the
    /// archive itself is authoritative.
    #[serde(default, rename = "state")]
    _state: Option<serde::de::IgnoredAny>,
    #[serde(flatten)]
    unknown: UnknownFields,
}

impl Strict for RestoreRequest {
    fn unknown_field(&self) -> Option<&str> {
        self.unknown.first().or_else(|| self.config.unknown_field())
    }
}

/// `$JS.API.STREAM.RESTORE` reply.
#[derive(Debug, Serialize)]
pub(crate) struct RestoreResponse {
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    pub deliver_subject: String,
}

impl RestoreResponse {
    pub const TYPE: &'static str = "io.nats.jetstream.api.v1.stream_restore_response";
}

fn internal_client(engine: &EngineShared) -> (Arc<ClientHandle>, InternalReceiver) {
    let (tx, inbox) = internal_channel();
    let client = Arc::new(ClientHandle::new_internal(engine.next_client_id(), tx));
    (client, inbox)
}

fn random_id() -> String {
    crate::advisory::random_token(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 22)
}

/// Sends `data` to `deliver` in chunks with flow control, on a task of its own so the
/// stream keeps serving while the client downloads.
pub(crate) fn spawn_sender(
    engine: &Arc<EngineShared>,
    stream: &str,
    deliver: String,
    req: &SnapshotRequest,
    data: Vec<u8>,
) {
    let chunk = usize::try_from(
        if req.chunk_size <= 0 {
            DEFAULT_CHUNK
        } else {
            req.chunk_size
        }
        .clamp(1024, 1024 * 1024),
    )
    .unwrap_or(1024);
    let window = usize::try_from(
        if req.window_size <= 0 {
            DEFAULT_WINDOW
        } else {
            req.window_size
        }
        .clamp(1024, 32 * 1024 * 1024),
    )
    .unwrap_or(chunk)
    .max(chunk);
    let max_inflight = window / chunk;
    let (client, mut inbox) = internal_client(engine);
    let account = Arc::clone(&engine.account);
    let ack = format!("$JS.SNAPSHOT.ACK.{stream}.{}", random_id());
    if let Err(err) = account.subscribe(&client, format!("{ack}.>").as_bytes(), None, b"ack") {
        tracing::warn!(%stream, %err, "snapshot acks not subscribed");
        return;
    }
    let stream = stream.to_string();
    tokio::spawn(async move {
        let mut out = Outbox::new(Arc::clone(&account), client.id);
        // As nats-server, give the receiver a moment to subscribe.
        let wait_until = tokio::time::Instant::now() + NO_INTEREST_GRACE;
        while !out.has_interest(deliver.as_bytes()) && tokio::time::Instant::now() < wait_until {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let mut inflight = 0usize;
        let mut stopped: Option<&[u8]> = None;
        let mut sent_full = false;
        for (i, part) in data.chunks(chunk).enumerate() {
            if !out.has_interest(deliver.as_bytes()) {
                tracing::warn!(%stream, "snapshot stopped: no interest");
                stopped = Some(b"NATS/1.0 408 No Interest\r\n\r\n");
                break;
            }
            while inflight >= max_inflight && stopped.is_none() {
                match tokio::time::timeout(IDLE, inbox.recv()).await {
                    Ok(Some(_)) => inflight -= 1,
                    _ => stopped = Some(b"NATS/1.0 408 No Flow Response\r\n\r\n"),
                }
            }
            if stopped.is_some() {
                tracing::warn!(%stream, "snapshot stopped: no flow response");
                break;
            }
            while inbox.try_recv().is_ok() {
                inflight = inflight.saturating_sub(1);
            }
            // As nats-server: a full chunk asks for an ack, the short last one does not.
            if part.len() == chunk {
                let reply = format!("{ack}.{}.{}", part.len(), i + 1);
                out.send(deliver.as_bytes(), Some(reply.as_bytes()), None, part);
                inflight += 1;
                sent_full = true;
            } else {
                out.send(deliver.as_bytes(), None, None, part);
            }
        }
        // The end marker: an error status, `204` after full chunks, else a bare message.
        let end = stopped.or(sent_full.then_some(b"NATS/1.0 204\r\n\r\n".as_slice()));
        out.send(deliver.as_bytes(), None, end, b"");
        account.remove_client(&client);
    });
}

/// Opens `$JS.SNAPSHOT.RESTORE.<stream>.<id>` for the upload of a stream whose
/// configuration has passed the create checks; returns that subject. `install`
/// registers and starts the restored stream, answering with its info.
pub(crate) fn start_restore(
    engine: &Arc<EngineShared>,
    config: StreamConfig,
    install: impl FnOnce(
            StreamConfig,
            i64,
            Restored,
        ) -> Result<
            tokio::sync::oneshot::Receiver<natrium_api::jetstream::StreamInfo>,
            ApiError,
        > + Send
        + 'static,
) -> Result<String, ApiError> {
    let (client, mut inbox) = internal_client(engine);
    let subject = format!("$JS.SNAPSHOT.RESTORE.{}.{}", config.name, random_id());
    engine
        .account
        .subscribe(&client, subject.as_bytes(), None, b"restore")
        .map_err(|e| ApiError::restore_subscribe_failed(e, &subject))?;
    let (_, limit) = engine.storage(config.storage);
    let cap = usize::try_from(limit)
        .unwrap_or(MAX_ARCHIVE)
        .min(MAX_ARCHIVE);
    let engine = Arc::clone(engine);
    tokio::spawn(async move {
        let account = Arc::clone(&engine.account);
        let mut out = Outbox::new(Arc::clone(&account), client.id);
        let mut data = Vec::new();
        let finished = loop {
            let Ok(Some(msg)) = tokio::time::timeout(IDLE, inbox.recv()).await else {
                tracing::warn!(stream = %config.name, "restore stalled");
                break None;
            };
            let Some(reply) = msg.reply.clone().filter(|r| !r.is_empty()) else {
                tracing::warn!(stream = %config.name, "restore chunk without a reply subject");
                break None;
            };
            if msg.payload.is_empty() {
                break Some(reply);
            }
            if data.len() + msg.payload.len() > cap {
                let err = ApiError::stream_restore(format!(
                    "restore of {} bytes exceeds the limit of {cap}",
                    data.len() + msg.payload.len()
                ));
                out.reply_json(&reply, &create_error(err));
                break None;
            }
            data.extend_from_slice(&msg.payload);
            out.send(&reply, None, None, b"");
        };
        account.remove_client(&client);
        let Some(reply) = finished else {
            return;
        };
        let resp = match build(&engine, &config, &data) {
            Ok((created, restored)) => {
                let cleanup = match &restored {
                    Restored::Staged(dir) => Some(dir.clone()),
                    Restored::Memory(_) => None,
                };
                match install(config, created, restored) {
                    Ok(info) => match info.await {
                        Ok(info) => StreamCreateResponse {
                            kind: StreamCreateResponse::TYPE.to_string(),
                            error: None,
                            info: Some(info),
                            did_create: false,
                        },
                        Err(_) => create_error(ApiError::stream_restore("stream did not start")),
                    },
                    Err(e) => {
                        if let Some(d) = cleanup {
                            let _ = std::fs::remove_dir_all(d);
                        }
                        create_error(e)
                    }
                }
            }
            Err(e) => create_error(ApiError::stream_restore(e)),
        };
        out.reply_json(&reply, &resp);
    });
    Ok(subject)
}

fn create_error(error: ApiError) -> StreamCreateResponse {
    StreamCreateResponse {
        kind: StreamCreateResponse::TYPE.to_string(),
        error: Some(error),
        info: None,
        did_create: false,
    }
}

/// A restored stream's store, ready to be started.
pub(crate) enum Restored {
    /// A file stream's directory, written in the staging area; it is moved into the
    /// streams directory when the stream is registered, so a half-written restore is
    /// never loaded as a stream.
    Staged(PathBuf),
    /// A memory stream's filled store.
    Memory(Box<dyn Store>),
}

/// Writes the archive's messages into a new store (and, for a file stream, its
/// directory with the consumers), refusing anything out of place.
fn build(
    engine: &EngineShared,
    config: &StreamConfig,
    data: &[u8],
) -> Result<(i64, Restored), String> {
    let restored = archive::read(data)?;
    let limits = store_limits(config);
    match config.storage {
        StorageType::File => {
            let dir = persist::restore_staging(&engine.store_dir, engine.account.name())
                .join(random_id());
            let written = persist::write_stream_meta(&dir, config, restored.created)
                .map_err(|e| e.to_string())
                .and_then(|()| {
                    let mut store = FileStore::open(&persist::msgs_dir(&dir), &limits, engine.sync)
                        .map_err(|e| e.to_string())?;
                    fill(engine, &mut store, Some(&dir), &restored)
                });
            match written {
                Ok(()) => Ok((restored.created, Restored::Staged(dir))),
                Err(e) => {
                    let _ = std::fs::remove_dir_all(&dir);
                    Err(e)
                }
            }
        }
        StorageType::Memory => {
            let mut store = MemStore::new(&limits);
            fill(engine, &mut store, None, &restored)?;
            Ok((restored.created, Restored::Memory(Box::new(store))))
        }
    }
}

fn fill(
    engine: &EngineShared,
    store: &mut dyn Store,
    dir: Option<&std::path::Path>,
    restored: &archive::Restored<'_>,
) -> Result<(), String> {
    let mut removed = Vec::new();
    let err = |e: natrium_store::StoreError| e.to_string();
    if restored.msgs.is_empty() && restored.last_seq > 0 {
        store.compact(restored.last_seq + 1).map_err(err)?;
    } else if restored.first_seq > 1 {
        store.compact(restored.first_seq).map_err(err)?;
    }
    for m in &restored.msgs {
        let ttl =
            natrium_proto::header_value(m.headers, natrium_api::jetstream::NATS_TTL.as_bytes())
                .and_then(|v| std::str::from_utf8(v).ok())
                .and_then(|v| crate::publish::parse_ttl(v.trim()))
                .unwrap_or(0);
        let msg = natrium_store::NewMsg {
            subject: m.subject,
            headers: m.headers,
            payload: m.payload,
            ts: m.ts,
            ttl,
        };
        store.append_at(m.seq, msg, &mut removed).map_err(err)?;
    }
    store.flush().map_err(err)?;
    let Some(dir) = dir else {
        if !restored.consumers.is_empty() {
            tracing::warn!("consumers of a memory stream are not restored");
        }
        return Ok(());
    };
    for c in &restored.consumers {
        persist::write_consumer_meta(dir, &c.name, &c.config, c.created)
            .map_err(|e| e.to_string())?;
        let mut cstore = persist::consumer_store(dir, &c.name, engine.sync).map_err(err)?;
        cstore.save_durable(&c.state).map_err(err)?;
    }
    Ok(())
}

/// A snapshot reply carrying an error.
pub(crate) fn snapshot_error(error: ApiError) -> SnapshotResponse {
    SnapshotResponse {
        kind: SnapshotResponse::TYPE,
        error: Some(error),
        config: None,
        state: None,
    }
}
