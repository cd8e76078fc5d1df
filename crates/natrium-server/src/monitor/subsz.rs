//! `/subsz` (and `/subscriptionsz`): subscription index statistics and listing.

use std::time::SystemTime;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use natrium_api::monitor::{SubDetail, SublistStats, Subsz, SubszOptions};
use natrium_subject::{is_valid_publish_subject, subject_matches};

use super::connz::{sorted_subs, sub_detail};
use super::format::rfc3339_nano;
use super::query::Params;
use super::{json_response, params, Monitor, MonitorError, MonitorState, RawParams, SUBSZ_PATH};
use crate::state::GLOBAL_ACCOUNT;

/// Subscriptions per page when the request does not say.
pub const DEFAULT_SUB_LIST_SIZE: u64 = 1024;

impl Monitor {
    /// The `/subsz` document for `opts`.
    ///
    /// Only `num_subscriptions` is real: the subscription index does not expose its cache,
    /// insert/remove/match counters or fan-out figures yet, so those stay 0.
    pub fn subsz(&self, opts: &SubszOptions) -> Result<Subsz, MonitorError> {
        if !opts.test.is_empty() && !is_valid_publish_subject(opts.test.as_bytes()) {
            return Err(MonitorError::InvalidTestSubject(opts.test.clone()));
        }
        let limit = if opts.limit == 0 {
            DEFAULT_SUB_LIST_SIZE
        } else {
            opts.limit
        };
        let s = self.shared();
        let mut subsz = Subsz {
            server_id: s.server_id.clone(),
            now: rfc3339_nano(SystemTime::now()),
            offset: opts.offset,
            limit,
            ..Subsz::default()
        };
        let accounts: Vec<_> = s
            .accounts
            .all()
            .into_iter()
            .filter(|a| opts.account.is_empty() || opts.account == a.name())
            .collect();
        if accounts.is_empty() {
            return Ok(subsz);
        }
        let (mut st, mut fanout_sum) = (natrium_subject::SubListStats::default(), 0.0);
        for a in &accounts {
            let one = a.index_stats();
            st.subscriptions += one.subscriptions;
            st.cached += one.cached;
            st.inserts += one.inserts;
            st.removes += one.removes;
            st.matches += one.matches;
            st.cache_hits += one.cache_hits;
            st.max_fanout = st.max_fanout.max(one.max_fanout);
            fanout_sum += one.avg_fanout * one.cached as f64;
        }
        st.avg_fanout = if st.cached == 0 {
            0.0
        } else {
            fanout_sum / st.cached as f64
        };
        subsz.stats = SublistStats {
            num_subscriptions: st.subscriptions as u64,
            num_cache: st.cached as u64,
            num_inserts: st.inserts,
            num_removes: st.removes,
            num_matches: st.matches,
            cache_hit_rate: if st.matches == 0 {
                0.0
            } else {
                st.cache_hits as f64 / st.matches as f64
            },
            max_fanout: st.max_fanout as u64,
            avg_fanout: st.avg_fanout,
        };
        if opts.subscriptions {
            let details: Vec<SubDetail> = s
                .connections()
                .iter()
                .flat_map(|c| {
                    let account = c
                        .meta
                        .lock()
                        .account
                        .clone()
                        .unwrap_or_else(|| GLOBAL_ACCOUNT.to_owned());
                    sorted_subs(c.handle.subscriptions())
                        .into_iter()
                        .map(move |sub| (account.clone(), sub))
                })
                .filter(|(account, sub)| {
                    (opts.account.is_empty() || opts.account == *account)
                        && (opts.test.is_empty()
                            || subject_matches(&sub.subject, opts.test.as_bytes()))
                })
                .map(|(account, sub)| SubDetail {
                    account_tag: account.clone(),
                    account,
                    ..sub_detail(&sub)
                })
                .collect();
            subsz.total = details.len() as u64;
            subsz.subscriptions_list = details
                .into_iter()
                .skip(usize::try_from(opts.offset).unwrap_or(usize::MAX))
                .take(usize::try_from(limit).unwrap_or(usize::MAX))
                .collect();
        }
        Ok(subsz)
    }
}

/// `GET /subsz?subs=&offset=&limit=&acc=&test=`.
pub async fn handle(State(m): MonitorState, query: RawParams) -> Response {
    m.count_request(SUBSZ_PATH);
    match subsz_options(&params(query)).and_then(|o| m.subsz(&o)) {
        Ok(subsz) => json_response(&subsz),
        Err(e) => e.into_response(),
    }
}

fn subsz_options(p: &Params) -> Result<SubszOptions, MonitorError> {
    Ok(SubszOptions {
        subscriptions: p.bool("subs")?,
        // Negative offsets and limits mean the defaults, as in nats-server.
        offset: u64::try_from(p.int("offset")?).unwrap_or(0),
        limit: u64::try_from(p.int("limit")?).unwrap_or(0),
        account: p.get("acc").to_owned(),
        test: p.get("test").to_owned(),
    })
}
