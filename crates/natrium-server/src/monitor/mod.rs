//! The monitoring HTTP endpoints (`-m PORT`), with nats-server's paths and JSON field names.
//!
//! Each endpoint has a data function on [`Monitor`] that builds its `natrium_api` value
//! (as nats-server's `Server::Varz`) and an HTTP handler that decodes the query, counts the
//! request and renders the value (as nats-server's `HandleVarz`). JSON is written the way
//! Go writes it (see [`format`]), so byte-level tooling sees the same output.

pub mod accountz;
pub mod connz;
pub mod format;
pub mod healthz;
pub mod jsz;
pub mod metrics;
pub mod process;
pub mod query;
pub mod routez;
pub mod subsz;
pub mod varz;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use parking_lot::Mutex;
use serde::Serialize;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::server::StartError;
use crate::state::Shared;

use self::process::CpuSampler;
use self::query::Params;

/// Path of the index page.
pub const ROOT_PATH: &str = "/";
/// Path of [`Monitor::varz`].
pub const VARZ_PATH: &str = "/varz";
/// Path of [`Monitor::connz`].
pub const CONNZ_PATH: &str = "/connz";
/// Path of [`Monitor::routez`].
pub const ROUTEZ_PATH: &str = "/routez";
/// Path of [`Monitor::subsz`].
pub const SUBSZ_PATH: &str = "/subsz";
/// Older name of [`SUBSZ_PATH`], still served (and counted as `/subsz`).
pub const SUBSCRIPTIONSZ_PATH: &str = "/subscriptionsz";
/// Path of [`Monitor::healthz`].
pub const HEALTHZ_PATH: &str = "/healthz";
/// JetStream usage.
pub const JSZ_PATH: &str = "/jsz";
/// Path of [`Monitor::accountz`].
pub const ACCOUNTZ_PATH: &str = "/accountz";
/// Path of the Prometheus exposition (Natrium's own; nats-server has none).
pub const METRICS_PATH: &str = "/metrics";

/// Why a monitoring request was refused (HTTP 400 with this text, as nats-server).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MonitorError {
    /// `/connz?sort=` names no sort order.
    #[error("invalid sorting option: {0}")]
    InvalidSort(String),
    /// `sort=stop` or `sort=reason` without `state=closed`.
    #[error("sort by {0} only valid on closed connections")]
    SortNeedsClosed(&'static str),
    /// `/subsz?test=` is not a publish subject.
    #[error("invalid test subject, must be valid publish subject: {0}")]
    InvalidTestSubject(String),
    /// A query parameter failed to decode (nats-server's own wording).
    #[error("{0}")]
    BadParam(String),
}

impl From<String> for MonitorError {
    fn from(text: String) -> Self {
        Self::BadParam(text)
    }
}

impl IntoResponse for MonitorError {
    fn into_response(self) -> Response {
        (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            self.to_string(),
        )
            .into_response()
    }
}

/// The monitoring side of one server: its shared state plus what only monitoring keeps.
#[derive(Debug)]
pub struct Monitor {
    shared: Arc<Shared>,
    req_stats: Mutex<BTreeMap<String, u64>>,
    cpu: Mutex<CpuSampler>,
}

impl Monitor {
    /// Monitoring for the server behind `shared`.
    pub fn new(shared: Arc<Shared>) -> Self {
        Self {
            shared,
            req_stats: Mutex::new(BTreeMap::new()),
            cpu: Mutex::new(CpuSampler::default()),
        }
    }

    /// The server state read by the endpoints.
    pub fn shared(&self) -> &Shared {
        &self.shared
    }

    /// Counts one request to `path` (shown in `/varz` `http_req_stats`).
    pub fn count_request(&self, path: &str) {
        *self.req_stats.lock().entry(path.to_owned()).or_insert(0) += 1;
    }

    /// Requests served per path.
    pub fn request_stats(&self) -> BTreeMap<String, u64> {
        self.req_stats.lock().clone()
    }
}

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
    let app = router(Arc::new(Monitor::new(shared)));
    let task = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::warn!(error = %e, "monitoring server stopped");
        }
    });
    Ok((addr, task))
}

/// The endpoints. Like Go's `ServeMux` they answer any method; unknown paths get Go's 404.
pub fn router(monitor: Arc<Monitor>) -> Router {
    Router::new()
        .route(ROOT_PATH, any(handle_root))
        .route(VARZ_PATH, any(varz::handle))
        .route(CONNZ_PATH, any(connz::handle))
        .route(ROUTEZ_PATH, any(routez::handle))
        .route(SUBSZ_PATH, any(subsz::handle))
        .route(SUBSCRIPTIONSZ_PATH, any(subsz::handle))
        .route(HEALTHZ_PATH, any(healthz::handle))
        .route(JSZ_PATH, any(jsz::handle))
        .route(ACCOUNTZ_PATH, any(accountz::handle))
        .route(METRICS_PATH, any(metrics::handle))
        .fallback(not_found)
        .with_state(monitor)
}

/// The query string of a request, in order.
pub type RawParams = Query<Vec<(String, String)>>;

/// Monitor state as handlers extract it.
pub type MonitorState = State<Arc<Monitor>>;

/// A 200 with `value` as indented JSON, as nats-server's `ResponseHandler`.
pub fn json_response<T: Serialize>(value: &T) -> Response {
    json_with_status(StatusCode::OK, format::to_json_pretty(value))
}

/// `body` (already JSON) with `status` and nats-server's JSON headers.
pub fn json_with_status(status: StatusCode, body: serde_json::Result<Vec<u8>>) -> Response {
    match body {
        Ok(body) => (
            status,
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            ],
            body,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "error marshaling monitoring response");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "404 page not found\n",
    )
        .into_response()
}

/// The index page: links to every endpoint, as nats-server's root page.
async fn handle_root(State(m): MonitorState) -> Response {
    m.count_request(ROOT_PATH);
    let links = [
        (VARZ_PATH, "General"),
        (CONNZ_PATH, "Connections"),
        (SUBSZ_PATH, "Subscriptions"),
        (ROUTEZ_PATH, "Routes"),
        (ACCOUNTZ_PATH, "Accounts"),
        (HEALTHZ_PATH, "Health Probe"),
        (METRICS_PATH, "Prometheus Metrics"),
    ];
    let mut page = String::from(
        "<html lang=\"en\">\n  <head>\n    <title>Natrium</title>\n    <style type=\"text/css\">\n      body { font-family: ui-sans-serif, system-ui, sans-serif; margin-left: 32px }\n      a { display: block; padding-bottom: 6px; color: rgb(72 72 92); text-decoration: none }\n      a:hover { font-weight: 600; color: rgb(59 50 202) }\n      .endpoint { font-size: 12px; color: #999; font-family: monospace }\n    </style>\n  </head>\n  <body>\n",
    );
    page.push_str(&format!(
        "    <h1>Natrium</h1>\n    <p>v{}</p>\n",
        crate::info::VERSION
    ));
    for (path, title) in links {
        page.push_str(&format!(
            "    <a href=.{path}>{title}<span class=\"endpoint\"> {path}</span></a>\n"
        ));
    }
    page.push_str("  </body>\n</html>\n");
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
}

/// Decodes a handler's query; the caller returns the error response as is.
pub fn params(Query(pairs): RawParams) -> Params {
    Params::from(pairs)
}
