//! The monitoring HTTP endpoints (`-m PORT`), with nats-server's paths and JSON field names.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::routing::get;
use axum::{Json, Router};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::server::StartError;
use crate::state::Shared;

/// Binds the monitoring listener and serves it in the background.
pub async fn start(
    shared: Arc<Shared>,
    host: &str,
    port: u16,
) -> Result<(SocketAddr, JoinHandle<()>), StartError> {
    let bind = format!("{host}:{port}");
    let err = |source| StartError::Bind {
        what: "monitoring",
        addr: bind.clone(),
        source,
    };
    let listener = TcpListener::bind(&bind).await.map_err(err)?;
    let addr = listener.local_addr().map_err(err)?;
    let app = router(shared);
    let task = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::warn!(error = %e, "monitoring server stopped");
        }
    });
    Ok((addr, task))
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(
            "/healthz",
            get(|| async { Json(serde_json::json!({"status": "ok"})) }),
        )
        .with_state(shared)
}
