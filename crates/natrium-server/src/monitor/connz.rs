//! `/connz`: the open client connections, sorted and paged.

use std::cmp::Reverse;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use natrium_api::monitor::{ConnInfo, Connz, ConnzOptions, SortOpt, SubDetail};
use natrium_core::Subscription;
use serde::de::value::{Error as DeError, StrDeserializer};
use serde::de::IntoDeserializer;
use serde::Deserialize;

use super::format::{go_duration, rfc3339_nano, rfc3339_nano_from_unix, uptime};
use super::query::Params;
use super::{json_response, params, Monitor, MonitorError, MonitorState, RawParams, CONNZ_PATH};
use crate::state::{unix_nanos, ClientMeta, ClosedConnection, Connection, GLOBAL_ACCOUNT};

/// Connections per page when the request does not say.
pub const DEFAULT_CONN_LIST_SIZE: u64 = 1024;

/// `ConnzOptions::state` values.
const STATE_OPEN: i32 = 0;
const STATE_CLOSED: i32 = 1;
const STATE_ANY: i32 = 2;

/// A `sort=` value as nats-server spells it.
pub fn parse_sort(s: &str) -> Result<SortOpt, MonitorError> {
    let de: StrDeserializer<'_, DeError> = s.into_deserializer();
    SortOpt::deserialize(de).map_err(|_| MonitorError::InvalidSort(s.to_owned()))
}

/// A connection's entry together with the raw values some sort orders need.
struct Row {
    info: ConnInfo,
    start: u64,
    last: u64,
    /// When a closed connection closed (0 for open ones).
    stop: u64,
}

impl Monitor {
    /// The `/connz` document for `opts`.
    pub fn connz(&self, opts: &ConnzOptions) -> Result<Connz, MonitorError> {
        let sort = opts.sort.unwrap_or_default();
        let closed_only = opts.state == STATE_CLOSED;
        match sort {
            SortOpt::Stop if !closed_only => return Err(MonitorError::SortNeedsClosed("stop")),
            SortOpt::Reason if !closed_only => return Err(MonitorError::SortNeedsClosed("reason")),
            _ => {}
        }
        let mut limit = if opts.limit == 0 {
            DEFAULT_CONN_LIST_SIZE
        } else {
            opts.limit
        };
        if opts.cid > 0 {
            limit = 1;
        }
        let s = self.shared();
        let now = SystemTime::now();
        let mut connz = Connz {
            server_id: s.server_id.clone(),
            now: rfc3339_nano(now),
            offset: opts.offset,
            limit,
            ..Connz::default()
        };
        // As nats-server: a filter naming an unknown account answers an empty document.
        if !opts.account.is_empty() && s.accounts.get(&opts.account).is_none() {
            connz.server_id.clear();
            return Ok(connz);
        }
        let open = if closed_only {
            Vec::new()
        } else {
            s.connections()
        };
        let closed: Vec<ClosedConnection> = if opts.state == STATE_OPEN {
            Vec::new()
        } else {
            s.closed.lock().iter().cloned().collect()
        };
        // As nats-server, `total` counts before the cid/user filters.
        connz.total = (open.len() + closed.len()) as u64;
        let now_nanos = unix_nanos(now);
        let wanted = |cid: u64, user: Option<&str>, account: Option<&str>| {
            (opts.cid == 0 || cid == opts.cid)
                && (opts.account.is_empty()
                    || account.unwrap_or(GLOBAL_ACCOUNT) == opts.account.as_str())
                // No MQTT clients exist, so an MQTT client id filter matches nothing.
                && opts.mqtt_client.is_empty()
                && (opts.user.is_empty() || user == Some(opts.user.as_str()))
        };
        let mut rows: Vec<Row> = open
            .iter()
            .filter(|c| {
                let meta = c.meta.lock();
                wanted(c.handle.id, meta.user.as_deref(), meta.account.as_deref())
            })
            .map(|c| row(c, now_nanos, opts))
            .chain(
                closed
                    .iter()
                    .filter(|c| wanted(c.cid, c.meta.user.as_deref(), c.meta.account.as_deref()))
                    .map(|c| closed_row(c, opts)),
            )
            .collect();
        sort_rows(&mut rows, sort);
        let page: Vec<ConnInfo> = rows
            .into_iter()
            .skip(usize::try_from(opts.offset).unwrap_or(usize::MAX))
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .map(|r| r.info)
            .collect();
        connz.num_connections = page.len() as u64;
        connz.connections = page;
        Ok(connz)
    }
}

fn since(now: u64, then: u64) -> Duration {
    Duration::from_nanos(now.saturating_sub(then))
}

/// What open and closed connections show alike; times up to `until` (now, or the close).
struct Common<'a> {
    cid: u64,
    addr: std::net::SocketAddr,
    start: u64,
    last: u64,
    until: u64,
    meta: &'a ClientMeta,
}

impl Common<'_> {
    fn info(&self, opts: &ConnzOptions) -> ConnInfo {
        let mut info = ConnInfo {
            cid: self.cid,
            kind: "Client".to_owned(),
            client_type: "nats".to_owned(),
            ip: self.addr.ip().to_string(),
            port: self.addr.port(),
            start: rfc3339_nano_from_unix(self.start),
            last_activity: rfc3339_nano_from_unix(self.last),
            uptime: uptime(since(self.until, self.start)),
            idle: uptime(since(self.until, self.last)),
            name: self.meta.name.clone().unwrap_or_default(),
            lang: self.meta.lang.clone().unwrap_or_default(),
            version: self.meta.version.clone().unwrap_or_default(),
            ..ConnInfo::default()
        };
        if opts.username {
            info.authorized_user = self.meta.user.clone().unwrap_or_default();
            // The account is named only when it is not the global one; the tag always is.
            info.account = self.meta.account.clone().unwrap_or_default();
            info.name_tag = self
                .meta
                .account
                .clone()
                .unwrap_or_else(|| GLOBAL_ACCOUNT.to_owned());
        }
        info
    }
}

fn row(c: &Arc<Connection>, now: u64, opts: &ConnzOptions) -> Row {
    let start = unix_nanos(c.start);
    let last = c.last_activity.load(Ordering::Relaxed);
    let meta = c.meta.lock().clone();
    let out = &c.handle.outbound;
    let common = Common {
        cid: c.handle.id,
        addr: c.addr,
        start,
        last,
        until: now,
        meta: &meta,
    };
    let mut info = ConnInfo {
        // nats-server also shows 0s before its first PING is answered.
        rtt: go_duration(Duration::from_nanos(c.rtt.load(Ordering::Relaxed))),
        pending_bytes: out.pending_bytes() as u64,
        in_msgs: c.in_msgs.load(Ordering::Relaxed),
        out_msgs: out.out_msgs(),
        in_bytes: c.in_bytes.load(Ordering::Relaxed),
        out_bytes: out.out_bytes(),
        subscriptions: c.handle.subscription_count() as u64,
        ..common.info(opts)
    };
    if opts.subscriptions || opts.subscriptions_detail {
        let subs = sorted_subs(c.handle.subscriptions());
        if opts.subscriptions_detail {
            info.subscriptions_list_detail = subs.iter().map(|s| sub_detail(s)).collect();
        } else {
            info.subscriptions_list = subs
                .iter()
                .map(|s| String::from_utf8_lossy(&s.subject).into_owned())
                .collect();
        }
    }
    Row {
        info,
        start,
        last,
        stop: 0,
    }
}

/// A closed connection as nats-server shows it: times measured up to the close.
fn closed_row(c: &ClosedConnection, opts: &ConnzOptions) -> Row {
    let start = unix_nanos(c.start);
    let stop = unix_nanos(c.stop);
    let last = c.last_activity;
    let common = Common {
        cid: c.cid,
        addr: c.addr,
        start,
        last,
        until: stop,
        meta: &c.meta,
    };
    let mut info = ConnInfo {
        stop: Some(rfc3339_nano_from_unix(stop)),
        reason: c.reason.as_str().to_owned(),
        rtt: go_duration(Duration::ZERO),
        in_msgs: c.in_msgs,
        out_msgs: c.out_msgs,
        in_bytes: c.in_bytes,
        out_bytes: c.out_bytes,
        subscriptions: c.subjects.len() as u64,
        ..common.info(opts)
    };
    if opts.subscriptions || opts.subscriptions_detail {
        info.subscriptions_list.clone_from(&c.subjects);
    }
    Row {
        info,
        start,
        last,
        stop,
    }
}

/// Subscriptions in sid order (numeric sids numerically), for stable output.
pub fn sorted_subs(mut subs: Vec<Arc<Subscription>>) -> Vec<Arc<Subscription>> {
    subs.sort_by(|a, b| {
        let num = |s: &Subscription| std::str::from_utf8(&s.sid).ok()?.parse::<u64>().ok();
        (num(a), &a.sid).cmp(&(num(b), &b.sid))
    });
    subs
}

/// A subscription as `/connz?subs=detail` lists it (no account fields).
pub fn sub_detail(sub: &Subscription) -> SubDetail {
    SubDetail {
        subject: String::from_utf8_lossy(&sub.subject).into_owned(),
        queue: sub
            .queue
            .as_deref()
            .map(|q| String::from_utf8_lossy(q).into_owned())
            .unwrap_or_default(),
        sid: String::from_utf8_lossy(&sub.sid).into_owned(),
        msgs: sub.delivered(),
        max: sub.max(),
        cid: sub.client.id,
        ..SubDetail::default()
    }
}

/// Orders rows as nats-server does: `cid`/`start` ascending, `uptime` ascending (youngest
/// first), everything else descending. Ties keep connection-id order.
fn sort_rows(rows: &mut [Row], sort: SortOpt) {
    match sort {
        SortOpt::Cid | SortOpt::Start | SortOpt::Rtt => rows.sort_by_key(|r| r.info.cid),
        // Most recently closed first.
        SortOpt::Stop => rows.sort_by_key(|r| Reverse(r.stop)),
        SortOpt::Reason => rows.sort_by(|a, b| a.info.reason.cmp(&b.info.reason)),
        SortOpt::Subs => rows.sort_by_key(|r| Reverse(r.info.subscriptions)),
        SortOpt::Pending => rows.sort_by_key(|r| Reverse(r.info.pending_bytes)),
        SortOpt::MsgsTo => rows.sort_by_key(|r| Reverse(r.info.out_msgs)),
        SortOpt::MsgsFrom => rows.sort_by_key(|r| Reverse(r.info.in_msgs)),
        SortOpt::BytesTo => rows.sort_by_key(|r| Reverse(r.info.out_bytes)),
        SortOpt::BytesFrom => rows.sort_by_key(|r| Reverse(r.info.in_bytes)),
        SortOpt::Last => rows.sort_by_key(|r| Reverse(r.last)),
        // Most idle first: the oldest last activity.
        SortOpt::Idle => rows.sort_by_key(|r| r.last),
        // Shortest uptime first: the latest start.
        SortOpt::Uptime => rows.sort_by_key(|r| Reverse(r.start)),
    }
}

/// `GET /connz?sort=&auth=&subs=&offset=&limit=&cid=&state=&user=&acc=&mqtt_client=`.
pub async fn handle(State(m): MonitorState, query: RawParams) -> Response {
    let p = params(query);
    let result = connz_options(&p).and_then(|mut opts| {
        m.count_request(CONNZ_PATH);
        // nats-server checks the sort order after counting the request.
        opts.sort = match p.get("sort") {
            "" => None,
            s => Some(parse_sort(s)?),
        };
        m.connz(&opts)
    });
    match result {
        Ok(connz) => json_response(&connz),
        Err(e) => e.into_response(),
    }
}

fn connz_options(p: &Params) -> Result<ConnzOptions, MonitorError> {
    let username = p.bool("auth")?;
    let (subscriptions, subscriptions_detail) = p.subs()?;
    let offset = p.int("offset")?;
    let limit = p.int("limit")?;
    let cid = p.uint("cid")?;
    let raw_state = p.get("state");
    let state = match raw_state.to_ascii_lowercase().as_str() {
        "" | "open" => STATE_OPEN,
        "closed" => STATE_CLOSED,
        "any" | "all" => STATE_ANY,
        _ => {
            return Err(MonitorError::BadParam(format!(
                "Error decoding state for {raw_state}"
            )))
        }
    };
    Ok(ConnzOptions {
        sort: None,
        username,
        subscriptions,
        subscriptions_detail,
        offset: u64::try_from(offset).unwrap_or(0),
        limit: u64::try_from(limit).unwrap_or(0),
        cid,
        mqtt_client: p.get("mqtt_client").to_owned(),
        state,
        user: p.get("user").to_owned(),
        account: p.get("acc").to_owned(),
        filter_subject: String::new(),
    })
}
