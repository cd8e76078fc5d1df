//! Advisories and metrics published under `$JS.EVENT.>` (nats-server's
//! `server/jetstream_events.go`). Each carries `type`, `id` and `timestamp` (nats-server's
//! `TypedEvent`) first; `TYPE` is the `type` string, `SUBJECT` the subject prefix (the
//! server appends `.<stream>[.<consumer>]`).

use serde::{Deserialize, Serialize};

use super::PeerInfo;

/// What happened to a stream or consumer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionAdvisoryType {
    /// Created.
    #[default]
    Create,
    /// Deleted.
    Delete,
    /// Updated.
    Modify,
}

/// A stream was created, updated or deleted (`io.nats.jetstream.advisory.v1.stream_action`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StreamActionAdvisory {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// Unique event id.
    pub id: String,
    /// Event time (RFC 3339).
    pub timestamp: String,
    /// Stream.
    pub stream: String,
    /// What happened.
    pub action: ActionAdvisoryType,
    /// JetStream domain.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub domain: String,
}

impl StreamActionAdvisory {
    /// The `type` string.
    pub const TYPE: &'static str = "io.nats.jetstream.advisory.v1.stream_action";
    /// Subject prefix on creation.
    pub const SUBJECT_CREATED: &'static str = "$JS.EVENT.ADVISORY.STREAM.CREATED";
    /// Subject prefix on deletion.
    pub const SUBJECT_DELETED: &'static str = "$JS.EVENT.ADVISORY.STREAM.DELETED";
    /// Subject prefix on update.
    pub const SUBJECT_UPDATED: &'static str = "$JS.EVENT.ADVISORY.STREAM.UPDATED";
}

/// A consumer was created, updated or deleted
/// (`io.nats.jetstream.advisory.v1.consumer_action`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsumerActionAdvisory {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// Unique event id.
    pub id: String,
    /// Event time (RFC 3339).
    pub timestamp: String,
    /// Stream.
    pub stream: String,
    /// Consumer.
    pub consumer: String,
    /// What happened.
    pub action: ActionAdvisoryType,
    /// JetStream domain.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub domain: String,
}

impl ConsumerActionAdvisory {
    /// The `type` string.
    pub const TYPE: &'static str = "io.nats.jetstream.advisory.v1.consumer_action";
    /// Subject prefix on creation.
    pub const SUBJECT_CREATED: &'static str = "$JS.EVENT.ADVISORY.CONSUMER.CREATED";
    /// Subject prefix on deletion.
    pub const SUBJECT_DELETED: &'static str = "$JS.EVENT.ADVISORY.CONSUMER.DELETED";
}

/// A consumer was paused or resumed (`io.nats.jetstream.advisory.v1.consumer_pause`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsumerPauseAdvisory {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// Unique event id.
    pub id: String,
    /// Event time (RFC 3339).
    pub timestamp: String,
    /// Stream.
    pub stream: String,
    /// Consumer.
    pub consumer: String,
    /// Paused now.
    pub paused: bool,
    /// Until when (always written; the zero time when resumed).
    pub pause_until: String,
    /// JetStream domain.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub domain: String,
}

impl ConsumerPauseAdvisory {
    /// The `type` string.
    pub const TYPE: &'static str = "io.nats.jetstream.advisory.v1.consumer_pause";
    /// Subject prefix.
    pub const SUBJECT: &'static str = "$JS.EVENT.ADVISORY.CONSUMER.PAUSE";
}

/// A message reached `max_deliver` (`io.nats.jetstream.advisory.v1.max_deliver`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsumerDeliveryExceededAdvisory {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// Unique event id.
    pub id: String,
    /// Event time (RFC 3339).
    pub timestamp: String,
    /// Stream.
    pub stream: String,
    /// Consumer.
    pub consumer: String,
    /// Stream sequence of the message.
    pub stream_seq: u64,
    /// Deliveries made.
    pub deliveries: u64,
    /// JetStream domain.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub domain: String,
}

impl ConsumerDeliveryExceededAdvisory {
    /// The `type` string.
    pub const TYPE: &'static str = "io.nats.jetstream.advisory.v1.max_deliver";
    /// Subject prefix.
    pub const SUBJECT: &'static str = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES";
}

/// A message was negatively acknowledged (`io.nats.jetstream.advisory.v1.nak`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsumerDeliveryNakAdvisory {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// Unique event id.
    pub id: String,
    /// Event time (RFC 3339).
    pub timestamp: String,
    /// Stream.
    pub stream: String,
    /// Consumer.
    pub consumer: String,
    /// Consumer sequence.
    pub consumer_seq: u64,
    /// Stream sequence.
    pub stream_seq: u64,
    /// Deliveries made.
    pub deliveries: u64,
    /// JetStream domain.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub domain: String,
}

impl ConsumerDeliveryNakAdvisory {
    /// The `type` string.
    pub const TYPE: &'static str = "io.nats.jetstream.advisory.v1.nak";
    /// Subject prefix.
    pub const SUBJECT: &'static str = "$JS.EVENT.ADVISORY.CONSUMER.MSG_NAKED";
}

/// A message was terminated with `+TERM` (`io.nats.jetstream.advisory.v1.terminated`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsumerDeliveryTerminatedAdvisory {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// Unique event id.
    pub id: String,
    /// Event time (RFC 3339).
    pub timestamp: String,
    /// Stream.
    pub stream: String,
    /// Consumer.
    pub consumer: String,
    /// Consumer sequence.
    pub consumer_seq: u64,
    /// Stream sequence.
    pub stream_seq: u64,
    /// Deliveries made.
    pub deliveries: u64,
    /// Text after `+TERM `.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// JetStream domain.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub domain: String,
}

impl ConsumerDeliveryTerminatedAdvisory {
    /// The `type` string.
    pub const TYPE: &'static str = "io.nats.jetstream.advisory.v1.terminated";
    /// Subject prefix.
    pub const SUBJECT: &'static str = "$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED";
}

/// A sampled acknowledgement (`io.nats.jetstream.metric.v1.consumer_ack`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsumerAckMetric {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// Unique event id.
    pub id: String,
    /// Event time (RFC 3339).
    pub timestamp: String,
    /// Stream.
    pub stream: String,
    /// Consumer.
    pub consumer: String,
    /// Consumer sequence.
    pub consumer_seq: u64,
    /// Stream sequence.
    pub stream_seq: u64,
    /// Delivery-to-ack delay, nanoseconds.
    pub ack_time: i64,
    /// Deliveries made.
    pub deliveries: u64,
    /// JetStream domain.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub domain: String,
}

impl ConsumerAckMetric {
    /// The `type` string.
    pub const TYPE: &'static str = "io.nats.jetstream.metric.v1.consumer_ack";
    /// Subject prefix.
    pub const SUBJECT: &'static str = "$JS.EVENT.METRIC.CONSUMER.ACK";
}

/// A priority group pinned a client (`io.nats.jetstream.advisory.v1.consumer_group_pinned`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsumerGroupPinnedAdvisory {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// Unique event id.
    pub id: String,
    /// Event time (RFC 3339).
    pub timestamp: String,
    /// Account.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub account: String,
    /// Stream.
    pub stream: String,
    /// Consumer.
    pub consumer: String,
    /// JetStream domain.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub domain: String,
    /// Group.
    pub group: String,
    /// Pin id given to the client.
    pub pinned_id: String,
}

impl ConsumerGroupPinnedAdvisory {
    /// The `type` string.
    pub const TYPE: &'static str = "io.nats.jetstream.advisory.v1.consumer_group_pinned";
    /// Subject prefix.
    pub const SUBJECT: &'static str = "$JS.EVENT.ADVISORY.CONSUMER.PINNED";
}

/// A priority group lost its pin (`io.nats.jetstream.advisory.v1.consumer_group_unpinned`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsumerGroupUnpinnedAdvisory {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// Unique event id.
    pub id: String,
    /// Event time (RFC 3339).
    pub timestamp: String,
    /// Account.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub account: String,
    /// Stream.
    pub stream: String,
    /// Consumer.
    pub consumer: String,
    /// JetStream domain.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub domain: String,
    /// Group.
    pub group: String,
    /// `"admin"` (unpin request) or `"timeout"`.
    pub reason: String,
}

impl ConsumerGroupUnpinnedAdvisory {
    /// The `type` string.
    pub const TYPE: &'static str = "io.nats.jetstream.advisory.v1.consumer_group_unpinned";
    /// Subject prefix.
    pub const SUBJECT: &'static str = "$JS.EVENT.ADVISORY.CONSUMER.UNPINNED";
}

/// A replicated stream elected a leader
/// (`io.nats.jetstream.advisory.v1.stream_leader_elected`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StreamLeaderElectedAdvisory {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// Unique event id.
    pub id: String,
    /// Event time (RFC 3339).
    pub timestamp: String,
    /// Account.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub account: String,
    /// Stream.
    pub stream: String,
    /// New leader.
    pub leader: String,
    /// Peers (Go writes `null` when none).
    pub replicas: Option<Vec<PeerInfo>>,
    /// JetStream domain.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub domain: String,
}

impl StreamLeaderElectedAdvisory {
    /// The `type` string.
    pub const TYPE: &'static str = "io.nats.jetstream.advisory.v1.stream_leader_elected";
    /// Subject prefix.
    pub const SUBJECT: &'static str = "$JS.EVENT.ADVISORY.STREAM.LEADER_ELECTED";
}

/// A replicated consumer elected a leader
/// (`io.nats.jetstream.advisory.v1.consumer_leader_elected`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsumerLeaderElectedAdvisory {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// Unique event id.
    pub id: String,
    /// Event time (RFC 3339).
    pub timestamp: String,
    /// Account.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub account: String,
    /// Stream.
    pub stream: String,
    /// Consumer.
    pub consumer: String,
    /// New leader.
    pub leader: String,
    /// Peers (Go writes `null` when none).
    pub replicas: Option<Vec<PeerInfo>>,
    /// JetStream domain.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub domain: String,
}

impl ConsumerLeaderElectedAdvisory {
    /// The `type` string.
    pub const TYPE: &'static str = "io.nats.jetstream.advisory.v1.consumer_leader_elected";
    /// Subject prefix.
    pub const SUBJECT: &'static str = "$JS.EVENT.ADVISORY.CONSUMER.LEADER_ELECTED";
}

/// A stream lost quorum (`io.nats.jetstream.advisory.v1.stream_quorum_lost`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StreamQuorumLostAdvisory {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// Unique event id.
    pub id: String,
    /// Event time (RFC 3339).
    pub timestamp: String,
    /// Account.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub account: String,
    /// Stream.
    pub stream: String,
    /// Peers (Go writes `null` when none).
    pub replicas: Option<Vec<PeerInfo>>,
    /// JetStream domain.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub domain: String,
}

impl StreamQuorumLostAdvisory {
    /// The `type` string.
    pub const TYPE: &'static str = "io.nats.jetstream.advisory.v1.stream_quorum_lost";
    /// Subject prefix.
    pub const SUBJECT: &'static str = "$JS.EVENT.ADVISORY.STREAM.QUORUM_LOST";
}

/// A consumer lost quorum (`io.nats.jetstream.advisory.v1.consumer_quorum_lost`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsumerQuorumLostAdvisory {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// Unique event id.
    pub id: String,
    /// Event time (RFC 3339).
    pub timestamp: String,
    /// Account.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub account: String,
    /// Stream.
    pub stream: String,
    /// Consumer.
    pub consumer: String,
    /// Peers (Go writes `null` when none).
    pub replicas: Option<Vec<PeerInfo>>,
    /// JetStream domain.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub domain: String,
}

impl ConsumerQuorumLostAdvisory {
    /// The `type` string.
    pub const TYPE: &'static str = "io.nats.jetstream.advisory.v1.consumer_quorum_lost";
    /// Subject prefix.
    pub const SUBJECT: &'static str = "$JS.EVENT.ADVISORY.CONSUMER.QUORUM_LOST";
}

/// The API request queue overflowed (`io.nats.jetstream.advisory.v1.api_limit_reached`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApiLimitReachedAdvisory {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// Unique event id.
    pub id: String,
    /// Event time (RFC 3339).
    pub timestamp: String,
    /// Server name or id.
    pub server: String,
    /// JetStream domain.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub domain: String,
    /// Requests dropped.
    pub dropped: i64,
}

impl ApiLimitReachedAdvisory {
    /// The `type` string.
    pub const TYPE: &'static str = "io.nats.jetstream.advisory.v1.api_limit_reached";
    /// Subject.
    pub const SUBJECT: &'static str = "$JS.EVENT.ADVISORY.API.LIMIT_REACHED";
}

/// One API request and its reply (`io.nats.jetstream.advisory.v1.api_audit`), published
/// on `$JS.EVENT.ADVISORY.API`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApiAuditAdvisory {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// Unique event id.
    pub id: String,
    /// Event time (RFC 3339).
    pub timestamp: String,
    /// Server name.
    pub server: String,
    /// The requester (nats-server's `ClientInfo`, as in system events; kept as JSON).
    pub client: Option<serde_json::Map<String, serde_json::Value>>,
    /// Request subject.
    pub subject: String,
    /// Request body.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub request: String,
    /// Reply body.
    pub response: String,
    /// JetStream domain.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub domain: String,
}

impl ApiAuditAdvisory {
    /// The `type` string.
    pub const TYPE: &'static str = "io.nats.jetstream.advisory.v1.api_audit";
    /// Subject.
    pub const SUBJECT: &'static str = "$JS.EVENT.ADVISORY.API";
}
