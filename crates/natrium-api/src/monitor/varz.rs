//! `/varz`: server identity, configuration and counters (nats-server's `Varz`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{is_false, is_zero};

/// The `/varz` document. Field order is nats-server's, so pretty-printed output lines up.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Varz {
    /// Unique server id generated at start.
    pub server_id: String,
    /// Configured server name; the id when not set.
    pub server_name: String,
    /// Server version.
    pub version: String,
    /// Client protocol version.
    pub proto: u32,
    /// Git commit of the build, when known.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub git_commit: String,
    /// Toolchain that built the server (`go1.x` in nats-server, `rustc 1.x` in Natrium).
    pub go: String,
    /// Client listen host.
    pub host: String,
    /// Client listen port.
    pub port: u16,
    /// Whether clients must authenticate.
    #[serde(default, skip_serializing_if = "is_false")]
    pub auth_required: bool,
    /// Whether clients must use TLS.
    #[serde(default, skip_serializing_if = "is_false")]
    pub tls_required: bool,
    /// Whether client certificates are verified.
    #[serde(default, skip_serializing_if = "is_false")]
    pub tls_verify: bool,
    /// Whether OCSP is used to verify peers.
    #[serde(default, skip_serializing_if = "is_false")]
    pub tls_ocsp_peer_verify: bool,
    /// Listen IP, when set.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ip: String,
    /// URLs clients can connect to (cluster-advertised).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub connect_urls: Vec<String>,
    /// URLs websocket clients can connect to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ws_connect_urls: Vec<String>,
    /// Most client connections at once.
    pub max_connections: u64,
    /// Most subscriptions per connection (0: unlimited, omitted).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub max_subscriptions: u64,
    /// Interval between server PINGs, nanoseconds.
    pub ping_interval: i64,
    /// Unanswered PINGs before a connection is stale.
    pub ping_max: u32,
    /// Monitoring host.
    pub http_host: String,
    /// Monitoring port as configured (`-1`: a random port).
    pub http_port: i32,
    /// Path prefix of the monitoring endpoints.
    pub http_base_path: String,
    /// HTTPS monitoring port (0: off).
    pub https_port: i32,
    /// Seconds a client has to authenticate.
    pub auth_timeout: f64,
    /// Longest protocol control line, bytes.
    pub max_control_line: u64,
    /// Largest message payload, bytes.
    pub max_payload: u64,
    /// Outbound bytes a connection may have pending.
    pub max_pending: u64,
    /// Cluster (routes) configuration.
    pub cluster: ClusterOptsVarz,
    /// Gateway (super-cluster) configuration.
    pub gateway: GatewayOptsVarz,
    /// Leaf node configuration.
    pub leaf: LeafNodeOptsVarz,
    /// MQTT configuration.
    pub mqtt: MqttOptsVarz,
    /// Websocket configuration.
    pub websocket: WebsocketOptsVarz,
    /// JetStream state; an empty object when JetStream is not running.
    pub jetstream: JetStreamVarz,
    /// Seconds TLS handshakes may take.
    pub tls_timeout: f64,
    /// How long one write may block, nanoseconds.
    pub write_deadline: i64,
    /// Policy on write-deadline errors.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub write_timeout: String,
    /// When the server started (RFC 3339, UTC).
    pub start: String,
    /// The server's clock now (RFC 3339, UTC).
    pub now: String,
    /// Time since start, Go style (`"1d2h3m4s"`).
    pub uptime: String,
    /// Resident memory, bytes.
    pub mem: i64,
    /// CPU cores available to the process.
    pub cores: u32,
    /// Threads that run server code at once (Go's `GOMAXPROCS`).
    pub gomaxprocs: u32,
    /// Go's `GOMEMLIMIT` (omitted when unset).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub gomemlimit: i64,
    /// CPU use, percent of one core.
    pub cpu: f64,
    /// Open client connections.
    pub connections: u64,
    /// Client connections accepted since start.
    pub total_connections: u64,
    /// Connected route servers.
    pub routes: u64,
    /// Configured route remotes.
    pub remotes: u64,
    /// Connected leaf nodes.
    pub leafnodes: u64,
    /// Messages received from every kind of connection.
    pub in_msgs: u64,
    /// Payload bytes received from every kind of connection.
    pub in_bytes: u64,
    /// Messages received from clients.
    pub in_client_msgs: u64,
    /// Payload bytes received from clients.
    pub in_client_bytes: u64,
    /// Messages sent to every kind of connection.
    pub out_msgs: u64,
    /// Payload bytes sent to every kind of connection.
    pub out_bytes: u64,
    /// Messages sent to clients.
    pub out_client_msgs: u64,
    /// Payload bytes sent to clients.
    pub out_client_bytes: u64,
    /// Connections closed as slow consumers since start.
    pub slow_consumers: u64,
    /// Connections found stale since start.
    pub stale_connections: u64,
    /// Times clients were stalled on a full outbound buffer.
    pub stalled_clients: u64,
    /// Live subscriptions.
    pub subscriptions: u64,
    /// Requests served per monitoring path.
    pub http_req_stats: BTreeMap<String, u64>,
    /// When the configuration was last loaded (RFC 3339, UTC).
    pub config_load_time: String,
    /// Digest of the configuration file (empty without one).
    pub config_digest: String,
    /// Configured server tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Configured server metadata.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
    /// Feature flags and whether each is on.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub feature_flags: BTreeMap<String, bool>,
    /// The system account's name, when there is one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub system_account: String,
    /// Logins refused because the issuer account was not pinned.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub pinned_account_fails: u64,
    /// Slow consumers by connection kind.
    pub slow_consumer_stats: SlowConsumersStats,
    /// Stale connections by connection kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale_connection_stats: Option<StaleConnectionStats>,
    /// Disk I/O semaphore contention.
    pub disk_io_wait_stats: DiskIoWaitStats,
}

/// `/varz` `cluster`: empty when clustering is off.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClusterOptsVarz {
    /// Cluster name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Route listen host.
    #[serde(default, rename = "addr", skip_serializing_if = "String::is_empty")]
    pub host: String,
    /// Route listen port.
    #[serde(default, rename = "cluster_port", skip_serializing_if = "is_zero")]
    pub port: u16,
    /// Seconds a route has to authenticate.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub auth_timeout: f64,
    /// Configured route URLs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
    /// Seconds TLS handshakes may take.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub tls_timeout: f64,
    /// Whether routes must use TLS.
    #[serde(default, skip_serializing_if = "is_false")]
    pub tls_required: bool,
    /// Whether route certificates are verified.
    #[serde(default, skip_serializing_if = "is_false")]
    pub tls_verify: bool,
    /// Route connections per peer.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub pool_size: i64,
    /// Write deadline for routes, nanoseconds.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub write_deadline: i64,
    /// Policy on write-deadline errors.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub write_timeout: String,
}

/// `/varz` `gateway`: empty when gateways are off.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GatewayOptsVarz {
    /// Gateway (cluster) name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Gateway listen host.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub host: String,
    /// Gateway listen port.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub port: u16,
    /// Seconds a gateway has to authenticate.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub auth_timeout: f64,
    /// Seconds TLS handshakes may take.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub tls_timeout: f64,
    /// Whether gateways must use TLS.
    #[serde(default, skip_serializing_if = "is_false")]
    pub tls_required: bool,
    /// Whether gateway certificates are verified.
    #[serde(default, skip_serializing_if = "is_false")]
    pub tls_verify: bool,
    /// Advertised address.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub advertise: String,
    /// Connect attempts before giving up.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub connect_retries: i64,
    /// Whether unknown gateways are refused.
    #[serde(default, skip_serializing_if = "is_false")]
    pub reject_unknown: bool,
}

/// `/varz` `leaf`: empty when leaf nodes are off.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LeafNodeOptsVarz {
    /// Leaf listen host.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub host: String,
    /// Leaf listen port.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub port: u16,
    /// Seconds a leaf has to authenticate.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub auth_timeout: f64,
    /// Seconds TLS handshakes may take.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub tls_timeout: f64,
    /// Whether leaves must use TLS.
    #[serde(default, skip_serializing_if = "is_false")]
    pub tls_required: bool,
    /// Whether leaf certificates are verified.
    #[serde(default, skip_serializing_if = "is_false")]
    pub tls_verify: bool,
}

/// `/varz` `mqtt`: empty when MQTT is off.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MqttOptsVarz {
    /// MQTT listen host.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub host: String,
    /// MQTT listen port.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub port: u16,
}

/// `/varz` `websocket`: empty when websockets are off.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WebsocketOptsVarz {
    /// Websocket listen host.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub host: String,
    /// Websocket listen port.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub port: u16,
}

/// `/varz` `jetstream`: every member omitted (`{}`) when JetStream is not running.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct JetStreamVarz {
    /// Active JetStream configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<JetStreamConfig>,
    /// Usage statistics (typed once the JetStream API types land here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stats: Option<serde_json::Value>,
    /// Meta-layer (clustered JetStream) state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<serde_json::Value>,
    /// Configured JetStream limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<serde_json::Value>,
}

/// The JetStream configuration a server runs with (nats-server's `JetStreamConfig`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JetStreamConfig {
    /// Most bytes memory streams may hold.
    pub max_memory: i64,
    /// Most bytes file streams may hold.
    pub max_storage: i64,
    /// Storage directory.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub store_dir: String,
    /// Background fsync interval, nanoseconds.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub sync_interval: i64,
    /// Whether every write is flushed.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sync_always: bool,
    /// JetStream domain.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub domain: String,
    /// Whether stream compression is supported.
    #[serde(default, skip_serializing_if = "is_false")]
    pub compress_ok: bool,
    /// Tag that must differ between replicas.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unique_tag: String,
    /// Whether API requests are parsed strictly.
    #[serde(default, skip_serializing_if = "is_false")]
    pub strict: bool,
}

/// A count per kind of connection (`/varz` `slow_consumer_stats`, `stale_connection_stats`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCounts {
    /// Client connections.
    pub clients: u64,
    /// Route connections.
    pub routes: u64,
    /// Gateway connections.
    pub gateways: u64,
    /// Leaf node connections.
    pub leafs: u64,
}

/// Slow consumers by connection kind (nats-server's `SlowConsumersStats`).
pub type SlowConsumersStats = KindCounts;

/// Stale connections by connection kind (nats-server's `StaleConnectionStats`).
pub type StaleConnectionStats = KindCounts;

/// Disk I/O semaphore contention (JetStream storage).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiskIoWaitStats {
    /// Tasks waiting now.
    pub waiters: i64,
    /// Acquisitions that had to wait.
    pub waits: u64,
    /// Total time spent waiting, nanoseconds.
    pub wait_time: u64,
    /// Longest single wait, nanoseconds.
    pub max_wait_time: u64,
}
