//! `$JS.API.INFO`: an account's JetStream usage and limits (nats-server's
//! `JetStreamAccountStats` in `server/jetstream.go`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{is_zero, null_default, ApiError};

/// An account's limits (nats-server's `JetStreamAccountLimits`); -1 is unlimited.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountLimits {
    /// Memory storage bytes.
    pub max_memory: i64,
    /// File storage bytes.
    pub max_storage: i64,
    /// Streams.
    pub max_streams: i64,
    /// Consumers.
    pub max_consumers: i64,
    /// Unacknowledged messages per consumer.
    pub max_ack_pending: i64,
    /// Largest memory stream.
    pub memory_max_stream_bytes: i64,
    /// Largest file stream.
    pub storage_max_stream_bytes: i64,
    /// Streams must set `max_bytes`.
    pub max_bytes_required: bool,
}

/// Usage and limits of one tier (nats-server's `JetStreamTier`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Tier {
    /// Memory bytes used.
    pub memory: u64,
    /// File bytes used.
    pub storage: u64,
    /// Memory bytes reserved.
    pub reserved_memory: u64,
    /// File bytes reserved.
    pub reserved_storage: u64,
    /// Streams.
    pub streams: i64,
    /// Consumers.
    pub consumers: i64,
    /// Limits.
    pub limits: AccountLimits,
}

/// API request counters (nats-server's `JetStreamAPIStats`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApiStats {
    /// API level implemented (nats-server 2.15.1: 5).
    pub level: i64,
    /// Requests received.
    pub total: u64,
    /// Requests answered with an error.
    pub errors: u64,
    /// Requests being served.
    #[serde(skip_serializing_if = "is_zero")]
    pub inflight: u64,
}

/// An account's JetStream usage (nats-server's `JetStreamAccountStats`): totals (the
/// embedded `JetStreamTier`), domain, API stats, per-tier detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInfo {
    /// Totals (limits unset when tiers are in use), members at top level.
    #[serde(flatten)]
    pub totals: Tier,
    /// JetStream domain.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub domain: String,
    /// API stats.
    pub api: ApiStats,
    /// Per-tier usage (e.g. `R1`, `R3`).
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "null_default"
    )]
    pub tiers: BTreeMap<String, Tier>,
}

/// Reply to `$JS.API.INFO` (`io.nats.jetstream.api.v1.account_info_response`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInfoResponse {
    /// Always [`AccountInfoResponse::TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// The failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    /// The account's usage, members at top level; `None` on error.
    #[serde(flatten)]
    pub info: Option<AccountInfo>,
}

impl AccountInfoResponse {
    /// The `type` string.
    pub const TYPE: &'static str = "io.nats.jetstream.api.v1.account_info_response";

    /// A success.
    pub fn ok(info: AccountInfo) -> Self {
        AccountInfoResponse {
            kind: Self::TYPE.to_string(),
            error: None,
            info: Some(info),
        }
    }

    /// A failure.
    pub fn err(error: ApiError) -> Self {
        AccountInfoResponse {
            kind: Self::TYPE.to_string(),
            error: Some(error),
            info: None,
        }
    }
}
