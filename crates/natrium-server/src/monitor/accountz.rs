//! `/accountz`: the accounts this server knows.

use std::time::SystemTime;

use axum::extract::State;
use axum::response::Response;
use natrium_api::monitor::Accountz;

use super::format::rfc3339_nano;
use super::{json_response, Monitor, MonitorState, ACCOUNTZ_PATH};

impl Monitor {
    /// The `/accountz` document: every account's name and the system account's.
    pub fn accountz(&self) -> Accountz {
        let s = self.shared();
        Accountz {
            server_id: s.server_id.clone(),
            now: rfc3339_nano(SystemTime::now()),
            system_account: s.accounts.system_name().unwrap_or_default().to_owned(),
            accounts: s.accounts.names(),
        }
    }
}

/// `GET /accountz`.
pub async fn handle(State(m): MonitorState) -> Response {
    m.count_request(ACCOUNTZ_PATH);
    json_response(&m.accountz())
}
