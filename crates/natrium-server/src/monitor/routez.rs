//! `/routez`: the routes to the other servers of the cluster.

use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime};

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use natrium_api::monitor::{RouteInfo, Routez};

use super::connz::{sorted_subs, sub_detail};
use super::format::{go_duration, rfc3339_nano, rfc3339_nano_from_unix, uptime};
use super::{json_response, params, Monitor, MonitorState, RawParams, ROUTEZ_PATH};
use crate::state::unix_nanos;

impl Monitor {
    /// The `/routez` document; `subs` lists each route's subjects, `detail` in full.
    pub fn routez(&self, subs: bool, detail: bool) -> Routez {
        let s = self.shared();
        let now = SystemTime::now();
        let routes: Vec<RouteInfo> = s
            .cluster
            .routes()
            .iter()
            .map(|r| {
                let interest = sorted_subs(r.handle.subscriptions());
                let last = r.last_activity.load(Ordering::Relaxed);
                let rtt = r.rtt.load(Ordering::Relaxed);
                RouteInfo {
                    rid: r.handle.id,
                    remote_id: r.info.server_id.clone(),
                    remote_name: r.info.server_name.clone(),
                    did_solicit: r.did_solicit,
                    is_configured: r.configured,
                    ip: r.addr.ip().to_string(),
                    port: r.addr.port(),
                    start: rfc3339_nano(r.start),
                    last_activity: rfc3339_nano_from_unix(last),
                    rtt: if rtt == 0 {
                        String::new()
                    } else {
                        go_duration(Duration::from_nanos(rtt))
                    },
                    uptime: uptime(now.duration_since(r.start).unwrap_or_default()),
                    idle: uptime(Duration::from_nanos(unix_nanos(now).saturating_sub(last))),
                    pending_size: r.handle.outbound.pending_bytes() as u64,
                    in_msgs: r.in_msgs.load(Ordering::Relaxed),
                    out_msgs: r.handle.outbound.out_msgs(),
                    in_bytes: r.in_bytes.load(Ordering::Relaxed),
                    out_bytes: r.handle.outbound.out_bytes(),
                    subscriptions: interest.len() as u64,
                    subscriptions_list: if subs {
                        interest
                            .iter()
                            .map(|sub| String::from_utf8_lossy(&sub.subject).into_owned())
                            .collect()
                    } else {
                        Vec::new()
                    },
                    subscriptions_list_detail: if detail {
                        interest.iter().map(|sub| sub_detail(sub)).collect()
                    } else {
                        Vec::new()
                    },
                    ..RouteInfo::default()
                }
            })
            .collect();
        Routez {
            server_id: s.server_id.clone(),
            server_name: s.server_name.clone(),
            now: rfc3339_nano(now),
            num_routes: routes.len() as u64,
            routes,
        }
    }
}

/// `GET /routez?subs=`.
pub async fn handle(State(m): MonitorState, query: RawParams) -> Response {
    let (subs, detail) = match params(query).subs() {
        Ok(v) => v,
        Err(e) => return super::MonitorError::BadParam(e).into_response(),
    };
    m.count_request(ROUTEZ_PATH);
    json_response(&m.routez(subs, detail))
}
