//! `/connz`: one entry per connection (nats-server's `Connz`, `ConnInfo`, `ConnzOptions`).

use serde::{Deserialize, Serialize};

use super::{is_false, is_zero};

/// The `/connz` document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Connz {
    /// Server id.
    pub server_id: String,
    /// The server's clock now (RFC 3339, UTC).
    pub now: String,
    /// Connections in this page.
    pub num_connections: u64,
    /// Connections matching the request before paging.
    pub total: u64,
    /// Index of the first connection in this page.
    pub offset: u64,
    /// Most connections per page.
    pub limit: u64,
    /// This page.
    pub connections: Vec<ConnInfo>,
}

/// One connection in `/connz`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConnInfo {
    /// Connection id.
    pub cid: u64,
    /// Connection kind (`"Client"`, `"Leafnode"`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// Client type (`"nats"`, `"mqtt"`, `"websocket"`).
    #[serde(default, rename = "type", skip_serializing_if = "String::is_empty")]
    pub client_type: String,
    /// Remote IP.
    pub ip: String,
    /// Remote port.
    pub port: u16,
    /// When the connection was accepted (RFC 3339, UTC).
    pub start: String,
    /// Last message in or out (RFC 3339, UTC).
    pub last_activity: String,
    /// When a closed connection closed (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop: Option<String>,
    /// Why a closed connection closed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// Round-trip time, Go duration string (`"512µs"`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rtt: String,
    /// Time since accepted, Go style (`"1m2s"`).
    pub uptime: String,
    /// Time since last activity, Go style.
    pub idle: String,
    /// Outbound bytes not yet written.
    pub pending_bytes: u64,
    /// Messages received from the connection.
    pub in_msgs: u64,
    /// Messages sent to the connection.
    pub out_msgs: u64,
    /// Payload bytes received from the connection.
    pub in_bytes: u64,
    /// Payload bytes sent to the connection.
    pub out_bytes: u64,
    /// Times the connection was stalled.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub stalls: u64,
    /// Live subscriptions.
    pub subscriptions: u64,
    /// CONNECT `name`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// CONNECT `lang`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub lang: String,
    /// CONNECT `version`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// TLS version.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub tls_version: String,
    /// TLS cipher suite.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub tls_cipher_suite: String,
    /// Whether TLS came before INFO.
    #[serde(default, skip_serializing_if = "is_false")]
    pub tls_first: bool,
    /// The authenticated user (with `auth=1`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub authorized_user: String,
    /// The account, when not the global one (with `auth=1`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub account: String,
    /// Subscribed subjects (with `subs=1`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subscriptions_list: Vec<String>,
    /// Subscriptions in detail (with `subs=detail`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subscriptions_list_detail: Vec<SubDetail>,
    /// The user JWT (with `auth=1`; bearer JWTs redacted).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub jwt: String,
    /// The JWT's issuer key (with `auth=1`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub issuer_key: String,
    /// The account's name tag (with `auth=1`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name_tag: String,
    /// The account's tags (with `auth=1`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// MQTT client id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub mqtt_client: String,
}

/// One subscription, in `/connz?subs=detail` and `/subsz?subs=1`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubDetail {
    /// Account name (`/subsz` only).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub account: String,
    /// Account name tag (`/subsz` only).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub account_tag: String,
    /// Subject filter.
    pub subject: String,
    /// Queue group.
    #[serde(default, rename = "qgroup", skip_serializing_if = "String::is_empty")]
    pub queue: String,
    /// The client's subscription id.
    pub sid: String,
    /// Messages delivered.
    pub msgs: u64,
    /// `UNSUB` limit (omitted when unlimited).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub max: u64,
    /// Owning connection id.
    pub cid: u64,
}

/// `/connz` `sort`: the field to order by. Only `cid` and `start` ascend; `uptime` ascends
/// too (youngest first, as nats-server sorts it); the others descend.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortOpt {
    /// Connection id (the default).
    #[default]
    Cid,
    /// Start time (same order as `cid`).
    Start,
    /// Subscription count.
    Subs,
    /// Pending outbound bytes.
    Pending,
    /// Messages sent to the connection.
    MsgsTo,
    /// Messages received from the connection.
    MsgsFrom,
    /// Bytes sent to the connection.
    BytesTo,
    /// Bytes received from the connection.
    BytesFrom,
    /// Last activity.
    Last,
    /// Idle time.
    Idle,
    /// Uptime.
    Uptime,
    /// Stop time (closed connections only).
    Stop,
    /// Close reason (closed connections only).
    Reason,
    /// Round-trip time.
    Rtt,
}

/// Options of a connections request (the JSON form system-account requests carry;
/// `/connz` takes the same as query parameters).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnzOptions {
    /// Sort order.
    #[serde(default)]
    pub sort: Option<SortOpt>,
    /// Include authorized users and accounts.
    #[serde(default, rename = "auth")]
    pub username: bool,
    /// Include subscribed subjects.
    #[serde(default)]
    pub subscriptions: bool,
    /// Include subscription details.
    #[serde(default)]
    pub subscriptions_detail: bool,
    /// Index of the first connection returned.
    #[serde(default)]
    pub offset: u64,
    /// Most connections returned (0: the default, 1024).
    #[serde(default)]
    pub limit: u64,
    /// Only this connection id (0: all).
    #[serde(default)]
    pub cid: u64,
    /// Only this MQTT client id.
    #[serde(default)]
    pub mqtt_client: String,
    /// Connection state: 0 open, 1 closed, 2 any.
    #[serde(default)]
    pub state: i32,
    /// Only connections authenticated as this user.
    #[serde(default)]
    pub user: String,
    /// Only connections in this account.
    #[serde(default, rename = "acc")]
    pub account: String,
    /// Only connections with interest in this subject (needs `acc`).
    #[serde(default)]
    pub filter_subject: String,
}
