//! `/healthz` (nats-server's `HealthStatus`).

use serde::{Deserialize, Serialize};

use super::is_zero;

/// The `/healthz` document: `{"status":"ok"}` when healthy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthStatus {
    /// `"ok"` or `"error"` (or `"unavailable"`).
    pub status: String,
    /// HTTP status; omitted over HTTP, where the response carries it.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub status_code: u16,
    /// The failure, without `details=true`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub error: String,
    /// The failures, with `details=true`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<HealthzError>,
}

/// One failed health check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthzError {
    /// What failed.
    #[serde(rename = "type")]
    pub kind: HealthzErrorType,
    /// Account concerned.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub account: String,
    /// Stream concerned.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub stream: String,
    /// Consumer concerned.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub consumer: String,
    /// What went wrong.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub error: String,
}

/// What a health check error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HealthzErrorType {
    /// The server is not accepting connections.
    Connection,
    /// The request was malformed.
    BadRequest,
    /// JetStream is unhealthy.
    #[serde(rename = "JETSTREAM")]
    JetStream,
    /// An account is unhealthy.
    Account,
    /// A stream is unhealthy.
    Stream,
    /// A consumer is unhealthy.
    Consumer,
}
