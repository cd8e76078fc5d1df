//! `/accountz`: the accounts a server knows (nats-server's `Accountz`, list form).

use serde::{Deserialize, Serialize};

/// The `/accountz` reply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accountz {
    /// Server id.
    pub server_id: String,
    /// When this was gathered (RFC 3339).
    pub now: String,
    /// The system account's name, when there is one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub system_account: String,
    /// Every account's name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<String>,
}
