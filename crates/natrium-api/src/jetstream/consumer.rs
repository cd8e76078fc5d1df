//! Consumers: configuration, info and pull requests (nats-server's `ConsumerConfig`,
//! `ConsumerInfo`, `CreateConsumerRequest`, `JSApiConsumerGetNextRequest` in
//! `server/consumer.go` and `server/jetstream_api.go`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{is_false, is_zero, null_default, ClusterInfo, Strict, UnknownFields};

/// Where a consumer starts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliverPolicy {
    /// From the first message (`"all"`; `"undefined"` reads as this).
    #[default]
    #[serde(alias = "undefined")]
    All,
    /// From the last message.
    Last,
    /// Only messages stored after creation.
    New,
    /// From `opt_start_seq`.
    ByStartSequence,
    /// From `opt_start_time`.
    ByStartTime,
    /// The last message of each subject.
    LastPerSubject,
}

/// How deliveries are acknowledged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AckPolicy {
    /// No acks (Go's zero value; servers default creation requests to explicit).
    #[default]
    None,
    /// An ack acknowledges every earlier message too.
    All,
    /// Each message acknowledged on its own.
    Explicit,
    /// Like `all`, acknowledged through flow-control replies (newer than 2.15.1).
    FlowControl,
}

/// Replay speed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplayPolicy {
    /// As fast as possible.
    #[default]
    Instant,
    /// At the original pace.
    Original,
}

/// Priority-group policy of a pull consumer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriorityPolicy {
    /// No priority groups (omitted from the config).
    #[default]
    None,
    /// Pulls with `min_pending`/`min_ack_pending` served only past those thresholds.
    Overflow,
    /// One client pinned per group (`Nats-Pin-Id`).
    PinnedClient,
    /// Lower `priority` values served first.
    Prioritized,
}

/// `action` of a consumer create request (`""`, `"create"`, `"update"`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConsumerAction {
    /// Create, or update if it exists (`""`).
    #[default]
    #[serde(rename = "")]
    CreateOrUpdate,
    /// Create only; fail if it exists with another config.
    #[serde(rename = "create")]
    Create,
    /// Update only; fail if it does not exist.
    #[serde(rename = "update")]
    Update,
}

/// A consumer's configuration (nats-server's `ConsumerConfig`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsumerConfig {
    /// Durable name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub durable_name: String,
    /// Name (durable or not).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Free text.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Start policy.
    pub deliver_policy: DeliverPolicy,
    /// Start sequence.
    #[serde(skip_serializing_if = "is_zero")]
    pub opt_start_seq: u64,
    /// Start time (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opt_start_time: Option<String>,
    /// Ack policy.
    pub ack_policy: AckPolicy,
    /// Redelivery delay, nanoseconds.
    #[serde(skip_serializing_if = "is_zero")]
    pub ack_wait: i64,
    /// Most deliveries per message; -1 unlimited.
    #[serde(skip_serializing_if = "is_zero")]
    pub max_deliver: i64,
    /// Redelivery delays, nanoseconds.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_default"
    )]
    pub backoff: Vec<i64>,
    /// Single subject filter.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub filter_subject: String,
    /// Several subject filters.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_default"
    )]
    pub filter_subjects: Vec<String>,
    /// Replay policy.
    pub replay_policy: ReplayPolicy,
    /// Push rate limit, bits per second.
    #[serde(skip_serializing_if = "is_zero")]
    pub rate_limit_bps: u64,
    /// Ack sampling, e.g. `"50%"`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub sample_freq: String,
    /// Most outstanding pull requests.
    #[serde(skip_serializing_if = "is_zero")]
    pub max_waiting: i64,
    /// Most unacknowledged messages; -1 unlimited.
    #[serde(skip_serializing_if = "is_zero")]
    pub max_ack_pending: i64,
    /// Push flow control.
    #[serde(skip_serializing_if = "is_false")]
    pub flow_control: bool,
    /// Deliver headers only, with `Nats-Msg-Size`.
    #[serde(skip_serializing_if = "is_false")]
    pub headers_only: bool,
    /// Largest pull batch.
    #[serde(skip_serializing_if = "is_zero")]
    pub max_batch: i64,
    /// Longest pull expiry, nanoseconds.
    #[serde(skip_serializing_if = "is_zero")]
    pub max_expires: i64,
    /// Largest pull `max_bytes`.
    #[serde(skip_serializing_if = "is_zero")]
    pub max_bytes: i64,
    /// Push delivery subject.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub deliver_subject: String,
    /// Push queue group.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub deliver_group: String,
    /// Idle heartbeat interval, nanoseconds.
    #[serde(skip_serializing_if = "is_zero")]
    pub idle_heartbeat: i64,
    /// Removed after this long inactive, nanoseconds.
    #[serde(skip_serializing_if = "is_zero")]
    pub inactive_threshold: i64,
    /// Replica count; 0 inherits the stream's (always written).
    pub num_replicas: i64,
    /// Keep state in memory.
    #[serde(skip_serializing_if = "is_false")]
    pub mem_storage: bool,
    /// Internal (mirror/source) consumer, hidden from lists.
    #[serde(skip_serializing_if = "is_false")]
    pub direct: bool,
    /// Internal sourcing consumer.
    #[serde(skip_serializing_if = "is_false")]
    pub sourcing: bool,
    /// User metadata (the server adds `_nats.*` keys).
    #[serde(
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "null_default"
    )]
    pub metadata: BTreeMap<String, String>,
    /// Paused until this time (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pause_until: Option<String>,
    /// Priority group names.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_default"
    )]
    pub priority_groups: Vec<String>,
    /// Priority policy; omitted when none.
    #[serde(skip_serializing_if = "is_zero")]
    pub priority_policy: PriorityPolicy,
    /// Pin TTL, nanoseconds.
    #[serde(skip_serializing_if = "is_zero")]
    pub priority_timeout: i64,
    /// Natrium extension: where messages this consumer gives up on (`max_deliver`
    /// reached, or `+TERM`) are copied. nats-server has no such field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dead_letter: Option<DeadLetter>,
    /// Members no field claimed (strict mode), never serialized.
    #[serde(flatten, skip_serializing)]
    pub unknown: UnknownFields,
}

/// A consumer's dead-letter destination (Natrium extension): the copy is published to
/// `subject`, which must be stored by `stream`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeadLetter {
    /// The stream that must store the copies.
    pub stream: String,
    /// The subject the copies are published to.
    pub subject: String,
}

/// Body of `CONSUMER.CREATE` and `CONSUMER.DURABLE.CREATE` (nats-server's
/// `CreateConsumerRequest`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateConsumerRequest {
    /// Stream name (must match the subject).
    pub stream_name: String,
    /// Configuration.
    pub config: ConsumerConfig,
    /// Create, update or either (always written).
    pub action: ConsumerAction,
    /// Refuse rather than adjust settings the server would change.
    #[serde(skip_serializing_if = "is_false")]
    pub pedantic: bool,
    /// Members no field claimed (strict mode), never serialized.
    #[serde(flatten, skip_serializing)]
    pub unknown: UnknownFields,
}

impl Strict for CreateConsumerRequest {
    fn unknown_field(&self) -> Option<&str> {
        self.unknown.first().or_else(|| self.config.unknown_field())
    }
}

/// A consumer and stream sequence pair (nats-server's `SequenceInfo`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SequenceInfo {
    /// Consumer sequence.
    pub consumer_seq: u64,
    /// Stream sequence.
    pub stream_seq: u64,
    /// Last activity (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_active: Option<String>,
}

/// State of one priority group (nats-server's `PriorityGroupState`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PriorityGroupState {
    /// Group name.
    pub group: String,
    /// Pinned client id.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub pinned_client_id: String,
    /// Pinned since (Go writes [`super::ZERO_TIME`] when not pinned: `omitempty` has no
    /// effect on a `time.Time`).
    pub pinned_ts: String,
}

impl Default for PriorityGroupState {
    fn default() -> Self {
        PriorityGroupState {
            group: String::new(),
            pinned_client_id: String::new(),
            pinned_ts: super::ZERO_TIME.to_string(),
        }
    }
}

/// A consumer's configuration and state (nats-server's `ConsumerInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerInfo {
    /// Stream name.
    pub stream_name: String,
    /// Consumer name.
    pub name: String,
    /// Creation time.
    pub created: String,
    /// Configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<ConsumerConfig>,
    /// Last delivered.
    pub delivered: SequenceInfo,
    /// Acknowledged floor.
    pub ack_floor: SequenceInfo,
    /// Delivered, not acknowledged.
    pub num_ack_pending: i64,
    /// Redelivered.
    pub num_redelivered: i64,
    /// Pull requests waiting.
    pub num_waiting: i64,
    /// Messages left to deliver.
    pub num_pending: u64,
    /// Cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<ClusterInfo>,
    /// A push consumer has an active subscriber.
    #[serde(default, skip_serializing_if = "is_false")]
    pub push_bound: bool,
    /// Paused.
    #[serde(default, skip_serializing_if = "is_false")]
    pub paused: bool,
    /// Pause left, nanoseconds.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub pause_remaining: i64,
    /// When this info was gathered.
    pub ts: String,
    /// Priority groups.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_default"
    )]
    pub priority_groups: Vec<PriorityGroupState>,
}

/// Body of `CONSUMER.MSG.NEXT` (nats-server's `JSApiConsumerGetNextRequest`); an empty
/// body or a bare number means that many messages (handled by the server).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NextRequest {
    /// Request lifetime, nanoseconds.
    #[serde(skip_serializing_if = "is_zero")]
    pub expires: i64,
    /// Messages wanted.
    #[serde(skip_serializing_if = "is_zero")]
    pub batch: i64,
    /// Byte budget.
    #[serde(skip_serializing_if = "is_zero")]
    pub max_bytes: i64,
    /// Answer 404/408 at once rather than wait.
    #[serde(skip_serializing_if = "is_false")]
    pub no_wait: bool,
    /// Heartbeat interval while waiting, nanoseconds.
    #[serde(skip_serializing_if = "is_zero")]
    pub idle_heartbeat: i64,
    /// Priority group.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// Overflow: serve only when more than this many are pending.
    #[serde(skip_serializing_if = "is_zero")]
    pub min_pending: i64,
    /// Overflow: serve only when more than this many await acks.
    #[serde(skip_serializing_if = "is_zero")]
    pub min_ack_pending: i64,
    /// Pin id (`Nats-Pin-Id`) of the pinned client.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Prioritized: lower is served first.
    #[serde(skip_serializing_if = "is_zero")]
    pub priority: i64,
}

/// Body of `CONSUMER.PAUSE` (nats-server's `JSApiConsumerPauseRequest`); no body or a
/// zero time resumes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsumerPauseRequest {
    /// Pause until (RFC 3339). Go writes the zero time for "resume" (`omitempty` has no
    /// effect on a `time.Time`); `None` is read the same.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pause_until: Option<String>,
    /// Members no field claimed (strict mode), never serialized.
    #[serde(flatten, skip_serializing)]
    pub unknown: UnknownFields,
}

/// Body of `CONSUMER.UNPIN` (nats-server's `JSApiConsumerUnpinRequest`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsumerUnpinRequest {
    /// Priority group to unpin (always written).
    pub group: String,
    /// Members no field claimed (strict mode), never serialized.
    #[serde(flatten, skip_serializing)]
    pub unknown: UnknownFields,
}

/// Body of `CONSUMER.RESET` (nats-server's `JSApiConsumerResetRequest`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsumerResetRequest {
    /// New starting stream sequence; 0 means the consumer's configured start.
    #[serde(skip_serializing_if = "is_zero")]
    pub seq: u64,
    /// Members no field claimed (strict mode), never serialized.
    #[serde(flatten, skip_serializing)]
    pub unknown: UnknownFields,
}

strict_leaf!(
    ConsumerConfig,
    ConsumerPauseRequest,
    ConsumerUnpinRequest,
    ConsumerResetRequest
);
