//! `/routez`: cluster route connections (nats-server's `Routez`, `RouteInfo`).

use serde::{Deserialize, Serialize};

use super::SubDetail;

/// The `/routez` document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Routez {
    /// Server id.
    pub server_id: String,
    /// Server name.
    pub server_name: String,
    /// The server's clock now (RFC 3339, UTC).
    pub now: String,
    /// Connected routes.
    pub num_routes: u64,
    /// The routes.
    pub routes: Vec<RouteInfo>,
}

/// One route connection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RouteInfo {
    /// Route connection id.
    pub rid: u64,
    /// Remote server id.
    pub remote_id: String,
    /// Remote server name.
    pub remote_name: String,
    /// Whether this server dialed the route.
    pub did_solicit: bool,
    /// Whether the route is in the configuration.
    pub is_configured: bool,
    /// Remote IP.
    pub ip: String,
    /// Remote port.
    pub port: u16,
    /// When the route connected (RFC 3339, UTC).
    pub start: String,
    /// Last message in or out (RFC 3339, UTC).
    pub last_activity: String,
    /// Round-trip time, Go duration string.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rtt: String,
    /// Time since connected, Go style.
    pub uptime: String,
    /// Time since last activity, Go style.
    pub idle: String,
    /// Outbound bytes not yet written.
    pub pending_size: u64,
    /// Messages received.
    pub in_msgs: u64,
    /// Messages sent.
    pub out_msgs: u64,
    /// Bytes received.
    pub in_bytes: u64,
    /// Bytes sent.
    pub out_bytes: u64,
    /// Subscriptions the route carries.
    pub subscriptions: u64,
    /// Subscribed subjects (with `subs=1`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subscriptions_list: Vec<String>,
    /// Subscriptions in detail (with `subs=detail`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subscriptions_list_detail: Vec<SubDetail>,
    /// Pinned account, for per-account routes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub account: String,
    /// Negotiated compression.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub compression: String,
}
