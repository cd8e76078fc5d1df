//! `/varz`: identity, configuration and server-wide counters.

use std::sync::atomic::Ordering;
use std::time::SystemTime;

use axum::extract::State;
use axum::response::Response;
use natrium_api::monitor::{
    ClusterOptsVarz, DiskIoWaitStats, JetStreamVarz, SlowConsumersStats, StaleConnectionStats,
    Varz, WebsocketOptsVarz,
};

use super::format::{rfc3339_nano, uptime};
use super::{json_response, process, Monitor, MonitorState, VARZ_PATH};
use crate::info;

fn nanos(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

impl Monitor {
    /// The `/varz` document now.
    pub fn varz(&self) -> Varz {
        let cpu = self.cpu.lock().sample();
        let mem = process::rss_bytes();
        let s = self.shared();
        let opts = &s.opts;
        let now = SystemTime::now();
        let (in_msgs, in_bytes, out_msgs, out_bytes) = s.message_totals();
        let slow = s.totals.slow_consumers.load(Ordering::Relaxed);
        let cores = std::thread::available_parallelism()
            .map_or(1, |n| u32::try_from(n.get()).unwrap_or(u32::MAX));
        let start = rfc3339_nano(s.start);
        let routes = s.cluster.routes().len();
        Varz {
            server_id: s.server_id.clone(),
            server_name: s.server_name.clone(),
            version: info::VERSION.to_owned(),
            proto: info::PROTO,
            go: info::RUST_VERSION.to_owned(),
            host: opts.host.clone(),
            port: s.client_addr.port(),
            auth_required: s.auth.current().options().required(),
            max_connections: count(s.limits.max_connections()),
            ping_interval: nanos(opts.ping_interval),
            ping_max: opts.ping_max,
            http_host: opts.http_host.clone().unwrap_or_else(|| opts.host.clone()),
            // As nats-server: the configured port, -1 when a random one was asked for.
            http_port: match opts.http_port {
                Some(0) => -1,
                Some(p) => i32::from(p),
                None => 0,
            },
            auth_timeout: s.limits.auth_timeout().as_secs_f64(),
            max_control_line: count(s.limits.max_control_line()),
            max_payload: count(s.limits.max_payload()),
            max_pending: count(s.limits.max_pending()),
            jetstream: JetStreamVarz::default(),
            tls_required: opts.tls.is_some(),
            tls_verify: opts.tls.as_ref().is_some_and(|t| t.verify),
            tls_timeout: opts
                .tls
                .as_ref()
                .map_or(crate::options::DEFAULT_TLS_TIMEOUT, |t| t.timeout)
                .as_secs_f64(),
            websocket: websocket_varz(s),
            write_deadline: nanos(s.limits.write_deadline()),
            config_load_time: start.clone(),
            start,
            now: rfc3339_nano(now),
            uptime: uptime(now.duration_since(s.start).unwrap_or_default()),
            mem,
            cores,
            gomaxprocs: cores,
            cpu,
            connections: count(s.clients.lock().len()),
            total_connections: s.totals.connections.load(Ordering::Relaxed),
            in_msgs,
            in_bytes,
            in_client_msgs: in_msgs,
            in_client_bytes: in_bytes,
            out_msgs,
            out_bytes,
            out_client_msgs: out_msgs,
            out_client_bytes: out_bytes,
            slow_consumers: slow,
            subscriptions: count(s.accounts.subscription_count()),
            http_req_stats: self.request_stats(),
            slow_consumer_stats: SlowConsumersStats {
                clients: slow,
                ..SlowConsumersStats::default()
            },
            stale_connection_stats: Some(StaleConnectionStats::default()),
            disk_io_wait_stats: DiskIoWaitStats::default(),
            connect_urls: s.cluster.client_connect_urls(),
            cluster: cluster_varz(&s.cluster),
            routes: count(routes),
            remotes: count(routes),
            system_account: s.accounts.system_name().unwrap_or_default().to_owned(),
            ..Varz::default()
        }
    }
}

/// `GET /varz`.
pub async fn handle(State(m): MonitorState) -> Response {
    m.count_request(VARZ_PATH);
    json_response(&m.varz())
}

/// The `websocket` section: empty when there is no WebSocket listener.
fn websocket_varz(s: &crate::state::Shared) -> WebsocketOptsVarz {
    match (&s.opts.websocket, *s.websocket_addr.lock()) {
        (Some(ws), Some(addr)) => WebsocketOptsVarz {
            host: ws.host.clone().unwrap_or_else(|| s.opts.host.clone()),
            port: addr.port(),
        },
        _ => WebsocketOptsVarz::default(),
    }
}

/// The `cluster` section: empty when clustering is off, as nats-server.
fn cluster_varz(cluster: &crate::route::Cluster) -> ClusterOptsVarz {
    if !cluster.enabled {
        return ClusterOptsVarz::default();
    }
    let listen = *cluster.listen_addr.lock();
    ClusterOptsVarz {
        name: cluster.name(),
        host: listen.map(|a| a.ip().to_string()).unwrap_or_default(),
        port: listen.map(|a| a.port()).unwrap_or_default(),
        // nats-server lists the configured routes as host:port.
        urls: cluster
            .opts
            .routes
            .iter()
            .map(|u| u.split_once("://").map_or(u.as_str(), |(_, hp)| hp))
            .map(|hp| hp.trim_end_matches('/').to_owned())
            .collect(),
        ..ClusterOptsVarz::default()
    }
}
