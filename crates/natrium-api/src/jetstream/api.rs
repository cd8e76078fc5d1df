//! `$JS.API.*` subjects, request bodies and response envelopes (nats-server's
//! `server/jetstream_api.go`).

use serde::{Deserialize, Serialize};

use super::{
    is_false, is_zero, null_default, ApiError, ConsumerInfo, StoredMsg, StreamInfo, UnknownFields,
    ZERO_TIME,
};

/// Subjects of the API (`%s` stands for stream, then consumer, names).
pub mod subjects {
    /// Everything under the API.
    pub const ALL: &str = "$JS.API.>";
    /// API prefix.
    pub const PREFIX: &str = "$JS.API";
    /// Account info.
    pub const INFO: &str = "$JS.API.INFO";
    /// Stream create.
    pub const STREAM_CREATE: &str = "$JS.API.STREAM.CREATE.%s";
    /// Stream update.
    pub const STREAM_UPDATE: &str = "$JS.API.STREAM.UPDATE.%s";
    /// Stream names.
    pub const STREAM_NAMES: &str = "$JS.API.STREAM.NAMES";
    /// Stream list.
    pub const STREAM_LIST: &str = "$JS.API.STREAM.LIST";
    /// Stream info.
    pub const STREAM_INFO: &str = "$JS.API.STREAM.INFO.%s";
    /// Stream delete.
    pub const STREAM_DELETE: &str = "$JS.API.STREAM.DELETE.%s";
    /// Stream purge.
    pub const STREAM_PURGE: &str = "$JS.API.STREAM.PURGE.%s";
    /// Stream snapshot.
    pub const STREAM_SNAPSHOT: &str = "$JS.API.STREAM.SNAPSHOT.%s";
    /// Stream restore.
    pub const STREAM_RESTORE: &str = "$JS.API.STREAM.RESTORE.%s";
    /// Message delete.
    pub const STREAM_MSG_DELETE: &str = "$JS.API.STREAM.MSG.DELETE.%s";
    /// Message get (JSON reply).
    pub const STREAM_MSG_GET: &str = "$JS.API.STREAM.MSG.GET.%s";
    /// Direct get (message reply), body [`super::MsgGetRequest`].
    pub const DIRECT_GET: &str = "$JS.API.DIRECT.GET.%s";
    /// Direct get of the last message of a subject, no body: `...GET.<stream>.<subject>`.
    pub const DIRECT_GET_LAST_BY_SUBJECT: &str = "$JS.API.DIRECT.GET.%s.%s";
    /// Consumer create (ephemeral or named in the body).
    pub const CONSUMER_CREATE: &str = "$JS.API.CONSUMER.CREATE.%s";
    /// Consumer create with name, optionally a filter: `...CREATE.<stream>.<name>[.<filter>]`.
    pub const CONSUMER_CREATE_EX: &str = "$JS.API.CONSUMER.CREATE.%s.%s";
    /// Legacy durable create.
    pub const CONSUMER_DURABLE_CREATE: &str = "$JS.API.CONSUMER.DURABLE.CREATE.%s.%s";
    /// Consumer names.
    pub const CONSUMER_NAMES: &str = "$JS.API.CONSUMER.NAMES.%s";
    /// Consumer list.
    pub const CONSUMER_LIST: &str = "$JS.API.CONSUMER.LIST.%s";
    /// Consumer info.
    pub const CONSUMER_INFO: &str = "$JS.API.CONSUMER.INFO.%s.%s";
    /// Consumer delete.
    pub const CONSUMER_DELETE: &str = "$JS.API.CONSUMER.DELETE.%s.%s";
    /// Consumer pause / resume.
    pub const CONSUMER_PAUSE: &str = "$JS.API.CONSUMER.PAUSE.%s.%s";
    /// Consumer unpin.
    pub const CONSUMER_UNPIN: &str = "$JS.API.CONSUMER.UNPIN.%s.%s";
    /// Consumer reset.
    pub const CONSUMER_RESET: &str = "$JS.API.CONSUMER.RESET.%s.%s";
    /// Pull request.
    pub const CONSUMER_MSG_NEXT: &str = "$JS.API.CONSUMER.MSG.NEXT.%s.%s";
    /// Stream leader stepdown.
    pub const STREAM_LEADER_STEPDOWN: &str = "$JS.API.STREAM.LEADER.STEPDOWN.%s";
    /// Consumer leader stepdown.
    pub const CONSUMER_LEADER_STEPDOWN: &str = "$JS.API.CONSUMER.LEADER.STEPDOWN.%s.%s";
    /// Stream peer removal.
    pub const STREAM_PEER_REMOVE: &str = "$JS.API.STREAM.PEER.REMOVE.%s";
    /// Meta leader stepdown (system account).
    pub const META_LEADER_STEPDOWN: &str = "$JS.API.META.LEADER.STEPDOWN";
    /// Server removal (system account).
    pub const SERVER_REMOVE: &str = "$JS.API.SERVER.REMOVE";
    /// Account purge (system account).
    pub const ACCOUNT_PURGE: &str = "$JS.API.ACCOUNT.PURGE.%s";
    /// Acks: `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>`.
    pub const ACK_PREFIX: &str = "$JS.ACK.";
    /// Advisories.
    pub const ADVISORY_PREFIX: &str = "$JS.EVENT.ADVISORY";
    /// Metrics.
    pub const METRIC_PREFIX: &str = "$JS.EVENT.METRIC";
}

/// Paging members of list replies (nats-server's `ApiPaged`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApiPaged {
    /// Items in all pages.
    pub total: i64,
    /// Index of the first item of this page.
    pub offset: i64,
    /// Page size.
    pub limit: i64,
}

/// Implements `TYPE` and `err` for a response envelope with `kind` and `error` fields.
macro_rules! response_type {
    ($ty:ident, $type_str:literal) => {
        impl $ty {
            /// The `type` string nats-server writes.
            pub const TYPE: &'static str = $type_str;

            /// The reply carrying `error`, other members at their zero values (as Go writes).
            pub fn err(error: ApiError) -> Self {
                $ty {
                    kind: Self::TYPE.to_string(),
                    error: Some(error),
                    ..Default::default()
                }
            }
        }
    };
}

/// A reply with only `type` and `error` (nats-server's `ApiResponse`): unpin, and the
/// shape every reply has when nothing else is known.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiResponse {
    /// Response type, e.g. [`ConsumerUnpinResponse::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// The failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
}

impl ApiResponse {
    /// A reply of this type, without error.
    pub fn ok(kind: &str) -> Self {
        ApiResponse {
            kind: kind.to_string(),
            error: None,
        }
    }

    /// A reply of this type carrying `error`.
    pub fn err(kind: &str, error: ApiError) -> Self {
        ApiResponse {
            kind: kind.to_string(),
            error: Some(error),
        }
    }
}

/// `type` of the reply to `CONSUMER.UNPIN` (an [`ApiResponse`]).
pub struct ConsumerUnpinResponse;

impl ConsumerUnpinResponse {
    /// The `type` string nats-server writes.
    pub const TYPE: &'static str = "io.nats.jetstream.api.v1.consumer_unpin_response";
}

/// `type` of the system's `503 no responders`-style replies.
pub const SYSTEM_RESPONSE_TYPE: &str = "io.nats.jetstream.api.v1.system_response";
/// `type` of the reply when the API queue is full.
pub const SYSTEM_OVERLOADED_TYPE: &str = "io.nats.jetstream.api.v1.system_overloaded";

/// A reply with `type`, `error` and `success` (nats-server's delete, stepdown and
/// peer-removal responses); `TYPE` constants below.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuccessResponse {
    /// Response type, e.g. [`SuccessResponse::STREAM_DELETE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// The failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    /// Done.
    #[serde(default, skip_serializing_if = "is_false")]
    pub success: bool,
}

impl SuccessResponse {
    /// `STREAM.DELETE`.
    pub const STREAM_DELETE: &'static str = "io.nats.jetstream.api.v1.stream_delete_response";
    /// `STREAM.MSG.DELETE`.
    pub const MSG_DELETE: &'static str = "io.nats.jetstream.api.v1.stream_msg_delete_response";
    /// `CONSUMER.DELETE`.
    pub const CONSUMER_DELETE: &'static str = "io.nats.jetstream.api.v1.consumer_delete_response";
    /// `STREAM.PEER.REMOVE`.
    pub const STREAM_REMOVE_PEER: &'static str =
        "io.nats.jetstream.api.v1.stream_remove_peer_response";
    /// `STREAM.LEADER.STEPDOWN`.
    pub const STREAM_LEADER_STEPDOWN: &'static str =
        "io.nats.jetstream.api.v1.stream_leader_stepdown_response";
    /// `CONSUMER.LEADER.STEPDOWN`.
    pub const CONSUMER_LEADER_STEPDOWN: &'static str =
        "io.nats.jetstream.api.v1.consumer_leader_stepdown_response";
    /// `META.LEADER.STEPDOWN`.
    pub const META_LEADER_STEPDOWN: &'static str =
        "io.nats.jetstream.api.v1.meta_leader_stepdown_response";
    /// `SERVER.REMOVE`.
    pub const META_SERVER_REMOVE: &'static str =
        "io.nats.jetstream.api.v1.meta_server_remove_response";

    /// `{"type": kind, "success": true}`.
    pub fn ok(kind: &str) -> Self {
        SuccessResponse {
            kind: kind.to_string(),
            error: None,
            success: true,
        }
    }

    /// `{"type": kind, "error": error}`.
    pub fn err(kind: &str, error: ApiError) -> Self {
        SuccessResponse {
            kind: kind.to_string(),
            error: Some(error),
            success: false,
        }
    }
}

/// Reply to `STREAM.CREATE` (nats-server's `JSApiStreamCreateResponse`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamCreateResponse {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// The failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    /// The stream, members at top level; `None` on error.
    #[serde(flatten)]
    pub info: Option<StreamInfo>,
    /// The stream did not exist before.
    #[serde(default, skip_serializing_if = "is_false")]
    pub did_create: bool,
}
response_type!(
    StreamCreateResponse,
    "io.nats.jetstream.api.v1.stream_create_response"
);

/// Reply to `STREAM.UPDATE` (nats-server's `JSApiStreamUpdateResponse`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamUpdateResponse {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// The failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    /// The stream, members at top level; `None` on error.
    #[serde(flatten)]
    pub info: Option<StreamInfo>,
}
response_type!(
    StreamUpdateResponse,
    "io.nats.jetstream.api.v1.stream_update_response"
);

/// Body of `STREAM.INFO` (nats-server's `JSApiStreamInfoRequest`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StreamInfoRequest {
    /// Page offset into `state.subjects`.
    pub offset: i64,
    /// Fill `state.deleted`.
    #[serde(skip_serializing_if = "is_false")]
    pub deleted_details: bool,
    /// Fill `state.subjects` for subjects matching this filter.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub subjects_filter: String,
    /// Members no field claimed (strict mode), never serialized.
    #[serde(flatten, skip_serializing)]
    pub unknown: UnknownFields,
}

/// Reply to `STREAM.INFO` (nats-server's `JSApiStreamInfoResponse`); paging members are
/// always written, zero unless `state.subjects` was paged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamInfoResponse {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// The failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    /// Paging of `state.subjects`.
    #[serde(flatten)]
    pub paged: ApiPaged,
    /// The stream, members at top level; `None` on error.
    #[serde(flatten)]
    pub info: Option<StreamInfo>,
}
response_type!(
    StreamInfoResponse,
    "io.nats.jetstream.api.v1.stream_info_response"
);

/// Body of `STREAM.NAMES` and `STREAM.LIST` (nats-server's `JSApiStreamNamesRequest` /
/// `JSApiStreamListRequest`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StreamListRequest {
    /// Page offset.
    pub offset: i64,
    /// Only streams whose subjects overlap this one.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub subject: String,
    /// Members no field claimed (strict mode), never serialized.
    #[serde(flatten, skip_serializing)]
    pub unknown: UnknownFields,
}

/// Reply to `STREAM.NAMES` (nats-server's `JSApiStreamNamesResponse`); `streams` is
/// `null` when the account has none (Go's nil slice).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamNamesResponse {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// The failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    /// Paging.
    #[serde(flatten)]
    pub paged: ApiPaged,
    /// Stream names (`None` is written as `null`).
    #[serde(default)]
    pub streams: Option<Vec<String>>,
}
response_type!(
    StreamNamesResponse,
    "io.nats.jetstream.api.v1.stream_names_response"
);

/// Reply to `STREAM.LIST` (nats-server's `JSApiStreamListResponse`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamListResponse {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// The failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    /// Paging.
    #[serde(flatten)]
    pub paged: ApiPaged,
    /// The streams (always written, `[]` when none).
    #[serde(default, deserialize_with = "null_default")]
    pub streams: Vec<StreamInfo>,
    /// Streams that did not answer in time (clustered).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_default"
    )]
    pub missing: Vec<String>,
    /// Offline streams and why.
    #[serde(
        default,
        skip_serializing_if = "std::collections::BTreeMap::is_empty",
        deserialize_with = "null_default"
    )]
    pub offline: std::collections::BTreeMap<String, String>,
}
response_type!(
    StreamListResponse,
    "io.nats.jetstream.api.v1.stream_list_response"
);

/// Body of `STREAM.PURGE` (nats-server's `JSApiStreamPurgeRequest`); `seq` and `keep`
/// exclude each other.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StreamPurgeRequest {
    /// Purge below this sequence.
    #[serde(skip_serializing_if = "is_zero")]
    pub seq: u64,
    /// Only subjects matching this filter.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub filter: String,
    /// Keep this many newest messages.
    #[serde(skip_serializing_if = "is_zero")]
    pub keep: u64,
    /// Members no field claimed (strict mode), never serialized.
    #[serde(flatten, skip_serializing)]
    pub unknown: UnknownFields,
}

/// Reply to `STREAM.PURGE` (nats-server's `JSApiStreamPurgeResponse`); `purged` is always
/// written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamPurgeResponse {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// The failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    /// Done.
    #[serde(default, skip_serializing_if = "is_false")]
    pub success: bool,
    /// Messages removed.
    #[serde(default)]
    pub purged: u64,
}
response_type!(
    StreamPurgeResponse,
    "io.nats.jetstream.api.v1.stream_purge_response"
);

/// Body of `STREAM.MSG.DELETE` (nats-server's `JSApiMsgDeleteRequest`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MsgDeleteRequest {
    /// Sequence to delete (always written).
    pub seq: u64,
    /// Remove without overwriting the data.
    #[serde(skip_serializing_if = "is_false")]
    pub no_erase: bool,
    /// Members no field claimed (strict mode), never serialized.
    #[serde(flatten, skip_serializing)]
    pub unknown: UnknownFields,
}

/// Body of `STREAM.MSG.GET` and `DIRECT.GET` (nats-server's `JSApiMsgGetRequest`); the
/// batch members are for direct get only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MsgGetRequest {
    /// By sequence (or the first at or after it, with `next_by_subj`).
    #[serde(skip_serializing_if = "is_zero")]
    pub seq: u64,
    /// Last message of this subject.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub last_by_subj: String,
    /// Next message on this subject (wildcards allowed) from `seq`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub next_by_subj: String,
    /// Messages wanted (direct get).
    #[serde(skip_serializing_if = "is_zero")]
    pub batch: i64,
    /// Byte budget (direct get).
    #[serde(skip_serializing_if = "is_zero")]
    pub max_bytes: i64,
    /// First message at or after this time (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// Last message of each of these subjects (direct get).
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_default"
    )]
    pub multi_last: Vec<String>,
    /// Only up to this sequence.
    #[serde(skip_serializing_if = "is_zero")]
    pub up_to_seq: u64,
    /// Only up to this time (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub up_to_time: Option<String>,
    /// Omit headers.
    #[serde(skip_serializing_if = "is_false")]
    pub no_hdr: bool,
    /// Members no field claimed (strict mode), never serialized.
    #[serde(flatten, skip_serializing)]
    pub unknown: UnknownFields,
}

/// Reply to `STREAM.MSG.GET` (nats-server's `JSApiMsgGetResponse`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MsgGetResponse {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// The failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    /// The message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<StoredMsg>,
}
response_type!(
    MsgGetResponse,
    "io.nats.jetstream.api.v1.stream_msg_get_response"
);

/// Reply to `CONSUMER.CREATE` (nats-server's `JSApiConsumerCreateResponse`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerCreateResponse {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// The failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    /// The consumer, members at top level; `None` on error.
    #[serde(flatten)]
    pub info: Option<ConsumerInfo>,
}
response_type!(
    ConsumerCreateResponse,
    "io.nats.jetstream.api.v1.consumer_create_response"
);

/// Reply to `CONSUMER.INFO` (nats-server's `JSApiConsumerInfoResponse`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerInfoResponse {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// The failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    /// The consumer, members at top level; `None` on error.
    #[serde(flatten)]
    pub info: Option<ConsumerInfo>,
}
response_type!(
    ConsumerInfoResponse,
    "io.nats.jetstream.api.v1.consumer_info_response"
);

/// Reply to `CONSUMER.RESET` (nats-server's `JSApiConsumerResetResponse`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerResetResponse {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// The failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    /// The consumer, members at top level; `None` on error.
    #[serde(flatten)]
    pub info: Option<ConsumerInfo>,
    /// Sequence the consumer restarts from (always written).
    #[serde(default)]
    pub reset_seq: u64,
}
response_type!(
    ConsumerResetResponse,
    "io.nats.jetstream.api.v1.consumer_reset_response"
);

/// Body of `CONSUMER.NAMES` and `CONSUMER.LIST` (nats-server's `JSApiConsumersRequest`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsumerListRequest {
    /// Page offset.
    pub offset: i64,
    /// Members no field claimed (strict mode), never serialized.
    #[serde(flatten, skip_serializing)]
    pub unknown: UnknownFields,
}

/// Reply to `CONSUMER.NAMES` (nats-server's `JSApiConsumerNamesResponse`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerNamesResponse {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// The failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    /// Paging.
    #[serde(flatten)]
    pub paged: ApiPaged,
    /// Consumer names (always written, `[]` when none).
    #[serde(default, deserialize_with = "null_default")]
    pub consumers: Vec<String>,
}
response_type!(
    ConsumerNamesResponse,
    "io.nats.jetstream.api.v1.consumer_names_response"
);

/// Reply to `CONSUMER.LIST` (nats-server's `JSApiConsumerListResponse`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerListResponse {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// The failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    /// Paging.
    #[serde(flatten)]
    pub paged: ApiPaged,
    /// The consumers (always written, `[]` when none).
    #[serde(default, deserialize_with = "null_default")]
    pub consumers: Vec<ConsumerInfo>,
    /// Consumers that did not answer in time (clustered).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_default"
    )]
    pub missing: Vec<String>,
    /// Offline consumers and why.
    #[serde(
        default,
        skip_serializing_if = "std::collections::BTreeMap::is_empty",
        deserialize_with = "null_default"
    )]
    pub offline: std::collections::BTreeMap<String, String>,
}
response_type!(
    ConsumerListResponse,
    "io.nats.jetstream.api.v1.consumer_list_response"
);

/// Reply to `CONSUMER.PAUSE` (nats-server's `JSApiConsumerPauseResponse`): `paused` and
/// `pause_until` are always written ([`ZERO_TIME`] when resumed or on error).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerPauseResponse {
    /// Always [`Self::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// The failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    /// Paused now.
    #[serde(default)]
    pub paused: bool,
    /// Until when (RFC 3339).
    #[serde(default)]
    pub pause_until: String,
    /// Pause left, nanoseconds.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub pause_remaining: i64,
}
response_type!(
    ConsumerPauseResponse,
    "io.nats.jetstream.api.v1.consumer_pause_response"
);

impl Default for ConsumerPauseResponse {
    fn default() -> Self {
        ConsumerPauseResponse {
            kind: Self::TYPE.to_string(),
            error: None,
            paused: false,
            pause_until: ZERO_TIME.to_string(),
            pause_remaining: 0,
        }
    }
}

strict_leaf!(
    StreamInfoRequest,
    StreamListRequest,
    StreamPurgeRequest,
    MsgDeleteRequest,
    MsgGetRequest,
    ConsumerListRequest
);
