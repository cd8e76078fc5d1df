//! `/healthz`: readiness probe. Healthy whenever the server runs; JetStream checks wait
//! for JetStream.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use natrium_api::monitor::{HealthStatus, HealthzError, HealthzErrorType};

use super::format::to_json_compact;
use super::query::Params;
use super::{
    json_with_status, params, Monitor, MonitorError, MonitorState, RawParams, HEALTHZ_PATH,
};

/// What a health request asks about (the query of `/healthz`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HealthzOptions {
    /// Report failures as a list (`details=true`).
    pub details: bool,
    /// Account to check.
    pub account: String,
    /// Stream to check (needs `account`).
    pub stream: String,
    /// Consumer to check (needs `stream`).
    pub consumer: String,
}

impl Monitor {
    /// The health status for `opts`, with the HTTP status in `status_code`.
    pub fn healthz(&self, opts: &HealthzOptions) -> HealthStatus {
        let bad_request = |text: String| {
            let mut hs = HealthStatus {
                status: "error".to_owned(),
                status_code: StatusCode::BAD_REQUEST.as_u16(),
                ..HealthStatus::default()
            };
            if opts.details {
                hs.errors.push(HealthzError {
                    kind: HealthzErrorType::BadRequest,
                    account: String::new(),
                    stream: String::new(),
                    consumer: String::new(),
                    error: text,
                });
            } else {
                hs.error = text;
            }
            hs
        };
        if opts.account.is_empty() && !opts.stream.is_empty() {
            return bad_request("\"account\" must not be empty when checking stream health".into());
        }
        if opts.stream.is_empty() && !opts.consumer.is_empty() {
            return bad_request(
                "\"stream\" must not be empty when checking consumer health".into(),
            );
        }
        // The listeners are up for as long as this endpoint answers, and JetStream is not
        // running, so every remaining check passes (as nats-server without JetStream).
        HealthStatus {
            status: "ok".to_owned(),
            status_code: StatusCode::OK.as_u16(),
            ..HealthStatus::default()
        }
    }
}

fn healthz_options(p: &Params) -> Result<HealthzOptions, String> {
    // Decoded so bad values are refused as nats-server refuses them.
    for flag in [
        "js-enabled",
        "js-enabled-only",
        "js-server-only",
        "js-meta-only",
    ] {
        p.bool(flag)?;
    }
    Ok(HealthzOptions {
        details: p.bool("details")?,
        account: p.get("account").to_owned(),
        stream: p.get("stream").to_owned(),
        consumer: p.get("consumer").to_owned(),
    })
}

/// `GET /healthz?js-enabled-only=&js-server-only=&details=&account=&stream=&consumer=`.
/// Answers compact JSON, as nats-server.
pub async fn handle(State(m): MonitorState, query: RawParams) -> Response {
    m.count_request(HEALTHZ_PATH);
    let opts = match healthz_options(&params(query)) {
        Ok(opts) => opts,
        Err(e) => return MonitorError::BadParam(e).into_response(),
    };
    let mut hs = m.healthz(&opts);
    if !hs.error.is_empty() || !hs.errors.is_empty() {
        tracing::warn!(error = %hs.error, errors = hs.errors.len(), "healthcheck failed");
    }
    let status = StatusCode::from_u16(hs.status_code).unwrap_or(StatusCode::OK);
    hs.status_code = 0;
    json_with_status(status, to_json_compact(&hs))
}
