//! Monitoring endpoint payloads, named after nats-server's types (`server/monitor.go`).

mod accountz;
mod connz;
mod healthz;
mod jsz;
mod routez;
mod subsz;
mod varz;

pub use accountz::Accountz;
pub use connz::{ConnInfo, Connz, ConnzOptions, SortOpt, SubDetail};
pub use healthz::{HealthStatus, HealthzError, HealthzErrorType};
pub use jsz::{Jsz, JszApiStats};
pub use routez::{RouteInfo, Routez};
pub use subsz::{SublistStats, Subsz, SubszOptions};
pub use varz::{
    ClusterOptsVarz, DiskIoWaitStats, GatewayOptsVarz, JetStreamConfig, JetStreamVarz, KindCounts,
    LeafNodeOptsVarz, MqttOptsVarz, SlowConsumersStats, StaleConnectionStats, Varz,
    WebsocketOptsVarz,
};

/// Helper for `skip_serializing_if` on numeric fields Go marks `omitempty`.
fn is_zero<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// Helper for `skip_serializing_if` on boolean fields Go marks `omitempty`.
fn is_false(v: &bool) -> bool {
    !*v
}
