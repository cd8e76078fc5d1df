//! `/jsz`: JetStream usage and configuration.

use std::time::SystemTime;

use axum::extract::State;
use axum::response::Response;
use natrium_api::monitor::{JetStreamConfig, Jsz, JszApiStats};

use super::format::rfc3339_nano;
use super::{json_response, Monitor, MonitorState, JSZ_PATH};

impl Monitor {
    /// The `/jsz` document: totals over every stream, or `disabled` without JetStream.
    pub fn jsz(&self) -> Jsz {
        let s = self.shared();
        let mut out = Jsz {
            server_id: s.server_id.clone(),
            now: rfc3339_nano(SystemTime::now()),
            ..Jsz::default()
        };
        let Some(engines) = s.jetstream.get() else {
            out.disabled = true;
            return out;
        };
        // Totals over every account's engine.
        let mut stats = natrium_jetstream::JetStreamStats::default();
        let mut accounts = 0;
        for js in engines.values() {
            let one = js.stats();
            accounts += u64::from(one.streams > 0);
            stats.streams += one.streams;
            stats.consumers += one.consumers;
            stats.messages += one.messages;
            stats.memory += one.memory;
            stats.storage += one.storage;
            stats.api_total += one.api_total;
            stats.api_errors += one.api_errors;
        }
        let cfg = crate::server::jetstream_config(s);
        out.config = JetStreamConfig {
            max_memory: cfg.max_memory,
            max_storage: cfg.max_file,
            store_dir: cfg.store_dir.display().to_string(),
            sync_interval: match cfg.sync {
                natrium_store::SyncPolicy::Interval(d) => {
                    i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)
                }
                natrium_store::SyncPolicy::Always => 0,
            },
            sync_always: cfg.sync == natrium_store::SyncPolicy::Always,
            domain: cfg.domain,
            compress_ok: false,
            unique_tag: String::new(),
            strict: cfg.strict,
        };
        out.memory = stats.memory;
        out.storage = stats.storage;
        out.accounts = accounts;
        out.api = JszApiStats {
            level: 2,
            total: stats.api_total,
            errors: stats.api_errors,
        };
        out.streams = stats.streams;
        out.consumers = stats.consumers;
        out.messages = stats.messages;
        out.bytes = stats.memory + stats.storage;
        out
    }
}

/// `GET /jsz`.
pub async fn handle(State(m): MonitorState) -> Response {
    m.count_request(JSZ_PATH);
    json_response(&m.jsz())
}
