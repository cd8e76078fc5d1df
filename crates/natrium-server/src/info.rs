//! The INFO a client receives on connect.

use std::net::SocketAddr;

use natrium_proto::ServerInfo;

use crate::state::Shared;

/// Version reported in INFO and monitoring.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The toolchain reported in INFO's `go` field, where nats-server names its Go version.
pub const RUST_VERSION: &str = concat!("rust", env!("NATRIUM_RUSTC_VERSION"));

/// Client protocol version spoken (1: dynamic INFO, headers).
pub const PROTO: u32 = 1;

/// The INFO for client `cid` connecting from `addr`.
pub fn for_client(shared: &Shared, cid: u64, addr: SocketAddr) -> ServerInfo {
    let opts = &shared.opts;
    // As nats-server: an advertised address replaces the listen address in INFO too.
    let (host, port) = opts
        .client_advertise
        .as_deref()
        .map(|adv| crate::route::advertised_host_port(adv, shared.client_addr.port()))
        .and_then(|hp| crate::flags::url_host_port(&hp).ok())
        .unwrap_or_else(|| (opts.host.clone(), shared.client_addr.port()));
    ServerInfo {
        server_id: shared.server_id.clone(),
        server_name: shared.server_name.clone(),
        version: VERSION.to_owned(),
        proto: PROTO,
        go: RUST_VERSION.to_owned(),
        host,
        port,
        headers: true,
        max_payload: shared.limits.max_payload(),
        auth_required: shared.auth.current().options().required(),
        jetstream: shared.jetstream_enabled(),
        client_id: cid,
        client_ip: addr.ip().to_string(),
        cluster: shared.cluster.enabled.then(|| shared.cluster.name()),
        connect_urls: shared.cluster.client_connect_urls(),
        tls_required: opts.tls.is_some(),
        tls_verify: opts.tls.as_ref().is_some_and(|t| t.verify),
        ..ServerInfo::default()
    }
}
