//! Making routes: the listener, dialing configured routes until they are up (and again
//! whenever they drop), and dialing servers a peer told about.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tracing::{debug, info, warn};

use super::conn::{self, Dialed};
use super::RouteInfo;
use crate::state::Shared;

/// Pause between attempts to dial a route, as nats-server's default.
pub const RECONNECT_DELAY: Duration = Duration::from_secs(1);
/// How long one dial may take.
const DIAL_TIMEOUT: Duration = Duration::from_secs(2);

/// Accepts route connections until the task is aborted.
pub async fn accept_loop(shared: Arc<Shared>, listener: TcpListener) {
    loop {
        match listener.accept().await {
            Ok((stream, addr)) => {
                tokio::spawn(conn::run(Arc::clone(&shared), stream, addr, None));
            }
            Err(e) => {
                warn!(error = %e, "route accept failed");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}

async fn dial(url: &str) -> std::io::Result<(TcpStream, SocketAddr)> {
    let (host, port) = crate::flags::url_host_port(url)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string()))?;
    let stream = tokio::time::timeout(DIAL_TIMEOUT, TcpStream::connect((host.as_str(), port)))
        .await
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "dial timed out"))??;
    let addr = stream.peer_addr()?;
    Ok((stream, addr))
}

/// Keeps the configured route `url` up until shutdown: dials it, serves it, and dials
/// again a second after it drops. While another connection to the same peer is up (it
/// dialed this server first), waits instead.
pub async fn keep_route(shared: Arc<Shared>, url: String) {
    let mut shutdown = shared.shutdown.subscribe();
    let mut peer: Option<String> = None;
    let mut logged_failure = false;
    loop {
        if *shutdown.borrow() {
            return;
        }
        let lost = shared.cluster.route_lost.notified();
        if peer
            .as_deref()
            .is_some_and(|id| shared.cluster.has_route(id))
        {
            tokio::select! {
                () = lost => {}
                () = tokio::time::sleep(RECONNECT_DELAY) => {}
                _ = shutdown.wait_for(|d| *d) => return,
            }
            continue;
        }
        match dial(&url).await {
            Ok((stream, addr)) => {
                logged_failure = false;
                let dialed = Dialed {
                    url: url.clone(),
                    configured: true,
                };
                let outcome = conn::run(Arc::clone(&shared), stream, addr, Some(dialed)).await;
                if outcome.to_self {
                    info!(%url, "configured route points at this server; not dialing it again");
                    return;
                }
                if outcome.remote_id.is_some() {
                    peer = outcome.remote_id;
                }
            }
            Err(e) => {
                // Peers of a starting cluster are often not up yet: say it once.
                if !logged_failure {
                    info!(%url, error = %e, "cannot connect to route yet; retrying");
                    logged_failure = true;
                }
            }
        }
        tokio::select! {
            () = tokio::time::sleep(RECONNECT_DELAY) => {}
            _ = shutdown.wait_for(|d| *d) => return,
        }
    }
}

/// A peer told about server `info`: dial it unless it is known, being dialed, or a
/// configured route (which is dialed anyway).
pub fn consider_gossip(shared: &Arc<Shared>, info: RouteInfo) {
    let cluster = &shared.cluster;
    let Ok((host, port)) = crate::flags::url_host_port(&info.ip) else {
        debug!(ip = %info.ip, "gossiped route without a usable address");
        return;
    };
    if cluster.is_configured(&info.host, info.port) || cluster.is_configured(&host, port) {
        return;
    }
    if !cluster.start_implicit(&info.server_id) {
        return;
    }
    let shared = Arc::clone(shared);
    tokio::spawn(async move {
        let url = info.ip.clone();
        // As nats-server: one attempt, plus `connect_retries`.
        for _ in 0..=shared.cluster.opts.connect_retries {
            if shared.cluster.has_route(&info.server_id) || *shared.shutdown.borrow() {
                break;
            }
            if let Ok((stream, addr)) = dial(&url).await {
                let dialed = Dialed {
                    url: url.clone(),
                    configured: false,
                };
                conn::run(Arc::clone(&shared), stream, addr, Some(dialed)).await;
                break;
            }
            tokio::time::sleep(RECONNECT_DELAY).await;
        }
        shared.cluster.end_implicit(&info.server_id);
    });
}
