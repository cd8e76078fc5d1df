//! `/jsz`: JetStream usage of a server (nats-server's `JSInfo`).

use serde::{Deserialize, Serialize};

use super::{is_false, JetStreamConfig};

/// JetStream API counters (nats-server's `JetStreamAPIStats`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JszApiStats {
    /// API level the server speaks.
    pub level: i64,
    /// Requests handled.
    pub total: u64,
    /// Requests answered with an error.
    pub errors: u64,
}

/// The `/jsz` reply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jsz {
    /// Bytes in memory streams.
    pub memory: u64,
    /// Bytes in file streams.
    pub storage: u64,
    /// Memory reserved by stream limits.
    pub reserved_memory: u64,
    /// Storage reserved by stream limits.
    pub reserved_storage: u64,
    /// Accounts using JetStream.
    pub accounts: u64,
    /// Replicated assets.
    pub ha_assets: u64,
    /// API counters.
    pub api: JszApiStats,
    /// Server id.
    pub server_id: String,
    /// When this was gathered (RFC 3339).
    pub now: String,
    /// JetStream is off.
    #[serde(default, skip_serializing_if = "is_false")]
    pub disabled: bool,
    /// Configuration.
    pub config: JetStreamConfig,
    /// Streams.
    pub streams: u64,
    /// Consumers.
    pub consumers: u64,
    /// Messages stored.
    pub messages: u64,
    /// Bytes stored.
    pub bytes: u64,
    /// Accounts listed in detail (none yet).
    pub total: u64,
}
