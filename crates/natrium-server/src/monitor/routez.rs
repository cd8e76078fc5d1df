//! `/routez`: cluster routes. Natrium has no clustering yet, so the list is always empty.

use std::time::SystemTime;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use natrium_api::monitor::Routez;

use super::format::rfc3339_nano;
use super::{json_response, params, Monitor, MonitorState, RawParams, ROUTEZ_PATH};

impl Monitor {
    /// The `/routez` document: no routes.
    pub fn routez(&self) -> Routez {
        let s = self.shared();
        Routez {
            server_id: s.server_id.clone(),
            server_name: s.server_name.clone(),
            now: rfc3339_nano(SystemTime::now()),
            num_routes: 0,
            routes: Vec::new(),
        }
    }
}

/// `GET /routez?subs=`.
pub async fn handle(State(m): MonitorState, query: RawParams) -> Response {
    // Decoded only to refuse what nats-server refuses; there are no routes to list.
    if let Err(e) = params(query).subs() {
        return super::MonitorError::BadParam(e).into_response();
    }
    m.count_request(ROUTEZ_PATH);
    json_response(&m.routez())
}
