//! Streams: configuration, state and info (nats-server's `StreamConfig`, `StreamInfo`,
//! `StreamState`... in `server/stream.go` and `server/store.go`).

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use super::{is_false, is_zero, null_default, ApiError, Strict, UnknownFields};

/// How messages are retained (`"limits"`, `"interest"`, `"workqueue"`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RetentionPolicy {
    /// Kept until a limit (messages, bytes, age) removes them.
    #[default]
    Limits,
    /// Kept while some consumer has yet to acknowledge them.
    Interest,
    /// Removed once one consumer acknowledges them.
    #[serde(rename = "workqueue")]
    WorkQueue,
}

/// What happens when a limit is hit (`"old"`, `"new"`; read case-insensitively, as Go does).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DiscardPolicy {
    /// Remove the oldest messages.
    #[default]
    Old,
    /// Refuse the new message.
    New,
}

impl<'de> Deserialize<'de> for DiscardPolicy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match s.to_ascii_lowercase().as_str() {
            "old" => Ok(DiscardPolicy::Old),
            "new" => Ok(DiscardPolicy::New),
            _ => Err(serde::de::Error::custom(format!(
                "can not unmarshal \"\\\"{s}\\\"\""
            ))),
        }
    }
}

/// Where messages are stored (`"file"`, `"memory"`); a missing field means file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageType {
    /// On disk under the store directory.
    #[default]
    File,
    /// In memory only.
    Memory,
}

/// On-disk compression (`"none"`, `"s2"`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreCompression {
    /// Uncompressed.
    #[default]
    None,
    /// S2 compression.
    S2,
}

/// When a stored message is flushed (`"default"`, `"async"`; `""` reads as default).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PersistMode {
    /// Flushed before the publish is acknowledged.
    #[default]
    #[serde(alias = "")]
    Default,
    /// Flushed in the background; the ack may come first.
    Async,
}

/// A stream's configuration (nats-server's `StreamConfig`), as in `STREAM.CREATE`/`UPDATE`
/// requests and in `config` of stream info. No `template_owner`: nats-server 2.15 dropped
/// stream templates and strict mode rejects that member (it lands in `unknown`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StreamConfig {
    /// Stream name.
    pub name: String,
    /// Free text.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Subjects stored; empty means the name.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_default"
    )]
    pub subjects: Vec<String>,
    /// Retention policy.
    pub retention: RetentionPolicy,
    /// Most consumers allowed; -1 unlimited.
    pub max_consumers: i64,
    /// Most messages kept; -1 unlimited.
    pub max_msgs: i64,
    /// Most bytes kept; -1 unlimited.
    pub max_bytes: i64,
    /// Oldest message age kept, nanoseconds; 0 unlimited.
    pub max_age: i64,
    /// Most messages kept per subject; -1 unlimited.
    pub max_msgs_per_subject: i64,
    /// Largest message accepted; -1 unlimited.
    #[serde(skip_serializing_if = "is_zero")]
    pub max_msg_size: i32,
    /// Discard policy.
    pub discard: DiscardPolicy,
    /// Storage type.
    pub storage: StorageType,
    /// Replica count.
    pub num_replicas: i64,
    /// Do not acknowledge publishes.
    #[serde(skip_serializing_if = "is_false")]
    pub no_ack: bool,
    /// Duplicate-tracking window for `Nats-Msg-Id`, nanoseconds.
    #[serde(skip_serializing_if = "is_zero")]
    pub duplicate_window: i64,
    /// Cluster placement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placement: Option<Placement>,
    /// Upstream this stream mirrors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mirror: Option<StreamSource>,
    /// Upstreams this stream sources from.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_default"
    )]
    pub sources: Vec<StreamSource>,
    /// Storage compression (always written).
    pub compression: StoreCompression,
    /// Sequence of the first message.
    #[serde(skip_serializing_if = "is_zero")]
    pub first_seq: u64,
    /// Transform applied to incoming subjects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_transform: Option<SubjectTransformConfig>,
    /// Republish stored messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub republish: Option<RePublish>,
    /// Allow `$JS.API.DIRECT.GET`.
    pub allow_direct: bool,
    /// Allow direct gets served by mirrors.
    pub mirror_direct: bool,
    /// Discard new per subject (with `discard: new` and `max_msgs_per_subject`).
    #[serde(skip_serializing_if = "is_false")]
    pub discard_new_per_subject: bool,
    /// No message may be added or removed.
    pub sealed: bool,
    /// Messages may not be deleted.
    pub deny_delete: bool,
    /// The stream may not be purged.
    pub deny_purge: bool,
    /// Honour `Nats-Rollup` headers.
    pub allow_rollup_hdrs: bool,
    /// Defaults applied to its consumers (always written, `{}` when empty).
    pub consumer_limits: StreamConsumerLimits,
    /// Honour `Nats-TTL` headers.
    pub allow_msg_ttl: bool,
    /// TTL of subject delete markers, nanoseconds.
    #[serde(skip_serializing_if = "is_zero")]
    pub subject_delete_marker_ttl: i64,
    /// Counter stream (`Nats-Incr`).
    #[serde(skip_serializing_if = "is_false")]
    pub allow_msg_counter: bool,
    /// Atomic batch publish.
    #[serde(skip_serializing_if = "is_false")]
    pub allow_atomic: bool,
    /// Message schedules (`Nats-Schedule`).
    #[serde(skip_serializing_if = "is_false")]
    pub allow_msg_schedules: bool,
    /// Persistence mode; omitted when default.
    #[serde(skip_serializing_if = "is_zero")]
    pub persist_mode: PersistMode,
    /// Fast batch publish (newer than 2.15.1, which does not know it).
    #[serde(skip_serializing_if = "is_false")]
    pub allow_batched: bool,
    /// User metadata (the server adds `_nats.*` keys).
    #[serde(
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "null_default"
    )]
    pub metadata: BTreeMap<String, String>,
    /// Members no field claimed (strict mode), never serialized.
    #[serde(flatten, skip_serializing)]
    pub unknown: UnknownFields,
}

impl Strict for StreamConfig {
    fn unknown_field(&self) -> Option<&str> {
        self.unknown
            .first()
            .or_else(|| self.placement.unknown_field())
            .or_else(|| self.mirror.unknown_field())
            .or_else(|| self.sources.unknown_field())
            .or_else(|| self.subject_transform.unknown_field())
            .or_else(|| self.republish.unknown_field())
            .or_else(|| self.consumer_limits.unknown_field())
    }
}

/// Body of `STREAM.CREATE`/`STREAM.UPDATE`: the config plus request-only flags
/// (nats-server's `StreamConfigRequest`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StreamConfigRequest {
    /// The configuration, its members at top level.
    #[serde(flatten)]
    pub config: StreamConfig,
    /// Refuse rather than adjust settings the server would change.
    #[serde(skip_serializing_if = "is_false")]
    pub pedantic: bool,
}

impl Strict for StreamConfigRequest {
    fn unknown_field(&self) -> Option<&str> {
        self.config.unknown_field()
    }
}

/// Defaults for consumers of a stream (nats-server's `StreamConsumerLimits`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StreamConsumerLimits {
    /// Default inactive threshold, nanoseconds.
    #[serde(skip_serializing_if = "is_zero")]
    pub inactive_threshold: i64,
    /// Default and maximum max_ack_pending.
    #[serde(skip_serializing_if = "is_zero")]
    pub max_ack_pending: i64,
    /// Members no field claimed (strict mode), never serialized.
    #[serde(flatten, skip_serializing)]
    pub unknown: UnknownFields,
}

/// A subject transform (`{"src": ..., "dest": ...}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SubjectTransformConfig {
    /// Source subject filter.
    pub src: String,
    /// Destination template.
    pub dest: String,
    /// Members no field claimed (strict mode), never serialized.
    #[serde(flatten, skip_serializing)]
    pub unknown: UnknownFields,
}

/// Republishing of stored messages (nats-server's `RePublish`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RePublish {
    /// Subjects to republish (default all).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub src: String,
    /// Destination template.
    pub dest: String,
    /// Republish headers only, with `Nats-Msg-Size`.
    #[serde(skip_serializing_if = "is_false")]
    pub headers_only: bool,
    /// Members no field claimed (strict mode), never serialized.
    #[serde(flatten, skip_serializing)]
    pub unknown: UnknownFields,
}

/// Cluster placement (nats-server's `Placement`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Placement {
    /// Cluster name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cluster: String,
    /// Server tags required.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_default"
    )]
    pub tags: Vec<String>,
    /// Preferred leader.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub preferred: String,
    /// Members no field claimed (strict mode), never serialized.
    #[serde(flatten, skip_serializing)]
    pub unknown: UnknownFields,
}

/// A mirror or source upstream (nats-server's `StreamSource`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StreamSource {
    /// Upstream stream name.
    pub name: String,
    /// Start at this upstream sequence.
    #[serde(skip_serializing_if = "is_zero")]
    pub opt_start_seq: u64,
    /// Start at this time (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opt_start_time: Option<String>,
    /// Only subjects matching this filter.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub filter_subject: String,
    /// Filters with transforms.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_default"
    )]
    pub subject_transforms: Vec<SubjectTransformConfig>,
    /// Upstream in another account or domain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external: Option<ExternalStream>,
    /// Use this durable consumer upstream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consumer: Option<StreamConsumerSource>,
    /// Members no field claimed (strict mode), never serialized.
    #[serde(flatten, skip_serializing)]
    pub unknown: UnknownFields,
}

impl Strict for StreamSource {
    fn unknown_field(&self) -> Option<&str> {
        self.unknown
            .first()
            .or_else(|| self.subject_transforms.unknown_field())
            .or_else(|| self.external.unknown_field())
            .or_else(|| self.consumer.unknown_field())
    }
}

/// The durable consumer a source uses (nats-server's `StreamConsumerSource`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StreamConsumerSource {
    /// Consumer name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Its deliver subject.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub deliver_subject: String,
    /// Members no field claimed (strict mode), never serialized.
    #[serde(flatten, skip_serializing)]
    pub unknown: UnknownFields,
}

/// Access to an upstream in another account or domain (nats-server's `ExternalStream`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExternalStream {
    /// API prefix, e.g. `$JS.hub.API`.
    pub api: String,
    /// Delivery prefix.
    pub deliver: String,
    /// Members no field claimed (strict mode), never serialized.
    #[serde(flatten, skip_serializing)]
    pub unknown: UnknownFields,
}

/// A stream's state (nats-server's `StreamState`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamState {
    /// Messages stored.
    pub messages: u64,
    /// Bytes stored.
    pub bytes: u64,
    /// First sequence.
    pub first_seq: u64,
    /// Time of the first message ([`super::ZERO_TIME`] when empty).
    pub first_ts: String,
    /// Last sequence.
    pub last_seq: u64,
    /// Time of the last message.
    pub last_ts: String,
    /// Distinct subjects.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub num_subjects: i64,
    /// Messages per subject (with `subjects_filter`).
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "null_default"
    )]
    pub subjects: BTreeMap<String, u64>,
    /// Interior deletes.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub num_deleted: i64,
    /// Deleted sequences (with `deleted_details`).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_default"
    )]
    pub deleted: Vec<u64>,
    /// Messages lost to corruption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lost: Option<LostStreamData>,
    /// Consumers.
    pub consumer_count: i64,
}

impl Default for StreamState {
    fn default() -> Self {
        StreamState {
            messages: 0,
            bytes: 0,
            first_seq: 0,
            first_ts: super::ZERO_TIME.to_string(),
            last_seq: 0,
            last_ts: super::ZERO_TIME.to_string(),
            num_subjects: 0,
            subjects: BTreeMap::new(),
            num_deleted: 0,
            deleted: Vec::new(),
            lost: None,
            consumer_count: 0,
        }
    }
}

/// Messages lost (nats-server's `LostStreamData`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LostStreamData {
    /// Lost sequences (Go writes `null` when none).
    #[serde(deserialize_with = "null_default")]
    pub msgs: Vec<u64>,
    /// Lost bytes.
    pub bytes: u64,
}

/// A stream's configuration and state (nats-server's `StreamInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamInfo {
    /// Configuration.
    pub config: StreamConfig,
    /// Creation time.
    pub created: String,
    /// State.
    pub state: StreamState,
    /// JetStream domain.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub domain: String,
    /// Cluster (single servers report just the `leader`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<ClusterInfo>,
    /// Mirror status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mirror: Option<StreamSourceInfo>,
    /// Sources status.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_default"
    )]
    pub sources: Vec<StreamSourceInfo>,
    /// Mirrors that can answer direct gets.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_default"
    )]
    pub alternates: Vec<StreamAlternate>,
    /// When this info was gathered.
    pub ts: String,
}

/// A mirror able to answer for a stream (nats-server's `StreamAlternate`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StreamAlternate {
    /// Stream name.
    pub name: String,
    /// Its domain.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub domain: String,
    /// Its cluster.
    pub cluster: String,
}

/// The servers behind a stream or consumer (nats-server's `ClusterInfo`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClusterInfo {
    /// Cluster name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Raft group name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub raft_group: String,
    /// Leader server name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub leader: String,
    /// Leader since (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leader_since: Option<String>,
    /// Asset of the system account.
    #[serde(skip_serializing_if = "is_false")]
    pub system_account: bool,
    /// Account carrying replication traffic.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub traffic_account: String,
    /// Followers.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_default"
    )]
    pub replicas: Vec<PeerInfo>,
    /// Target of an ongoing move or scale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desired: Option<DesiredClusterInfo>,
}

/// Where a stream or consumer is moving (nats-server's `DesiredClusterInfo`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DesiredClusterInfo {
    /// Target cluster.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Target peers.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_default"
    )]
    pub replicas: Vec<PeerInfo>,
    /// Settings before the change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<DesiredClusterInfoOrigin>,
    /// Progress.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<DesiredClusterInfoStatus>,
}

/// Settings before a move or scale (nats-server's `DesiredClusterInfoOrigin`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DesiredClusterInfoOrigin {
    /// Original replica count.
    pub replicas: i64,
    /// Original placement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placement: Option<Placement>,
    /// Retention kept active until the change completes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention: Option<RetentionPolicy>,
}

/// Progress of a move or scale (nats-server's `DesiredClusterInfoStatus`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DesiredClusterInfoStatus {
    /// Status line.
    pub description: String,
    /// What must happen next: `meta`, `membership`, `snapshot`, `catchup`, `quorum`,
    /// `blocked`, `unavailable`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Underlying failure.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub err: String,
}

/// One peer of a replicated asset (nats-server's `PeerInfo`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeerInfo {
    /// Server name.
    pub name: String,
    /// Caught up and seen recently.
    pub current: bool,
    /// Not seen recently.
    #[serde(skip_serializing_if = "is_false")]
    pub offline: bool,
    /// Since last seen, nanoseconds.
    pub active: i64,
    /// Operations behind.
    #[serde(skip_serializing_if = "is_zero")]
    pub lag: u64,
    /// Peer id.
    pub peer: String,
    /// Assigned but not yet in the Raft group.
    #[serde(skip_serializing_if = "is_false")]
    pub pending: bool,
}

/// Status of a mirror or source (nats-server's `StreamSourceInfo`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StreamSourceInfo {
    /// Upstream name.
    pub name: String,
    /// Upstream access.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external: Option<ExternalStream>,
    /// Messages behind.
    pub lag: u64,
    /// Since last contact, nanoseconds; -1 never.
    pub active: i64,
    /// Last upstream sequence received (v2.15.1 writes it; not in older servers).
    #[serde(skip_serializing_if = "is_zero")]
    pub seq: u64,
    /// Why sourcing fails.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    /// Filter.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub filter_subject: String,
    /// Transforms.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_default"
    )]
    pub subject_transforms: Vec<SubjectTransformConfig>,
}

/// A message read through `STREAM.MSG.GET` (nats-server's `StoredMsg`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StoredMsg {
    /// Subject.
    pub subject: String,
    /// Sequence.
    pub seq: u64,
    /// Header block (`NATS/1.0\r\n...`), standard base64.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub hdrs: String,
    /// Payload, standard base64.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub data: String,
    /// Store time.
    pub time: String,
}

/// A successful publish into a stream (nats-server's `PubAck`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PubAck {
    /// Stream that stored it.
    pub stream: String,
    /// Its sequence.
    pub seq: u64,
    /// JetStream domain.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub domain: String,
    /// Already stored with this `Nats-Msg-Id`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub duplicate: bool,
    /// Counter value after the increment (counter streams).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub val: String,
    /// Batch id (batch publish).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub batch: String,
    /// Messages in the batch.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub count: u64,
}

/// The reply to a publish into a stream (nats-server's `JSPubAckResponse`): the ack, an
/// error, or (as on `wrong last sequence`) both.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PubAckResponse {
    /// The failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    /// The ack, its members at top level.
    #[serde(flatten)]
    pub ack: Option<PubAck>,
}

strict_leaf!(
    StreamConsumerLimits,
    SubjectTransformConfig,
    RePublish,
    Placement,
    StreamConsumerSource,
    ExternalStream
);
