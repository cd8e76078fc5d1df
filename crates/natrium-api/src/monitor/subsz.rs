//! `/subsz`: subscription index statistics (nats-server's `Subsz`, `SublistStats`).

use serde::{Deserialize, Serialize};

use super::SubDetail;

/// The `/subsz` document (also served at `/subscriptionsz`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Subsz {
    /// Server id.
    pub server_id: String,
    /// The server's clock now (RFC 3339, UTC).
    pub now: String,
    /// Index statistics, inlined.
    #[serde(flatten)]
    pub stats: SublistStats,
    /// Subscriptions listed before paging (0 without `subs=1`).
    pub total: u64,
    /// Index of the first listed subscription.
    pub offset: u64,
    /// Most subscriptions listed.
    pub limit: u64,
    /// The listed subscriptions (with `subs=1`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subscriptions_list: Vec<SubDetail>,
}

/// Statistics of a subscription index.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SublistStats {
    /// Live subscriptions.
    pub num_subscriptions: u64,
    /// Subjects with a cached match result.
    pub num_cache: u64,
    /// Inserts since start.
    pub num_inserts: u64,
    /// Removals since start.
    pub num_removes: u64,
    /// Lookups since start.
    pub num_matches: u64,
    /// Fraction of lookups answered from the cache.
    pub cache_hit_rate: f64,
    /// Largest number of subscriptions one cached subject matches.
    pub max_fanout: u64,
    /// Average number of subscriptions a cached subject matches.
    pub avg_fanout: f64,
}

/// Options of a subscriptions request (the JSON form system-account requests carry;
/// `/subsz` takes the same as query parameters: `offset`, `limit`, `subs`, `acc`, `test`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubszOptions {
    /// Index of the first listed subscription.
    #[serde(default)]
    pub offset: u64,
    /// Most subscriptions listed (0: the default, 1024).
    #[serde(default)]
    pub limit: u64,
    /// List the subscriptions, not only the statistics.
    #[serde(default)]
    pub subscriptions: bool,
    /// Only this account.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub account: String,
    /// Only subscriptions a message published to this literal subject would reach.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub test: String,
}
