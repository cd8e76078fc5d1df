//! The system account's services and events, with nats-server's subjects and JSON.
//!
//! - Requests: `$SYS.REQ.SERVER.PING` (statsz from every server) and, for each of
//!   `IDZ STATSZ VARZ SUBSZ CONNZ ROUTEZ JSZ HEALTHZ ACCOUNTZ`, `$SYS.REQ.SERVER.PING.<NAME>`
//!   (every server answers) and `$SYS.REQ.SERVER.<server id>.<NAME>` (this one). Answers
//!   are `{"server":{...},"data":{...}}` (statsz: `{"server":{...},"statsz":{...}}`),
//!   built by the monitoring module.
//! - Events: `$SYS.ACCOUNT.<account>.CONNECT` and `.DISCONNECT` for every client.
//!
//! Everything is published in the system account only, so only its users see it. The
//! service subscriptions are ordinary ones: peers learn them over routes, so a PING
//! reaches every server of the cluster.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::SystemTime;

use natrium_core::{ClientHandle, InternalMsg, Message, Publisher};
use serde::Serialize;

use crate::monitor::format::{rfc3339_nano, to_json_compact};
use crate::monitor::healthz::HealthzOptions;
use crate::monitor::Monitor;
use crate::state::{ClosedState, Connection, Shared};

/// The server services answered on `$SYS.REQ.SERVER.PING.<NAME>` and
/// `$SYS.REQ.SERVER.<id>.<NAME>`.
const SERVICES: &[&str] = &[
    "IDZ", "STATSZ", "VARZ", "SUBSZ", "CONNZ", "ROUTEZ", "JSZ", "HEALTHZ", "ACCOUNTZ",
];
/// The older statsz ping every server answers.
const STATSZ_PING: &str = "$SYS.REQ.SERVER.PING";
/// Schema type of a connect event.
pub const CONNECT_EVENT_TYPE: &str = "io.nats.server.advisory.v1.client_connect";
/// Schema type of a disconnect event.
pub const DISCONNECT_EVENT_TYPE: &str = "io.nats.server.advisory.v1.client_disconnect";

/// nats-server's `ServerInfo`: who sent a system message.
#[derive(Debug, Clone, Serialize)]
pub struct ServerInfo {
    name: String,
    host: String,
    id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    cluster: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    domain: String,
    ver: String,
    jetstream: bool,
    flags: u64,
    seq: u64,
    time: String,
}

/// Sequence numbers of the system messages this server sent.
static SEQ: AtomicU64 = AtomicU64::new(0);

fn server_info(shared: &Shared) -> ServerInfo {
    let js = shared.jetstream_enabled();
    ServerInfo {
        name: shared.server_name.clone(),
        host: shared.opts.host.clone(),
        id: shared.server_id.clone(),
        cluster: if shared.cluster.enabled {
            shared.cluster.name()
        } else {
            String::new()
        },
        domain: shared.opts.jetstream.domain.clone().unwrap_or_default(),
        ver: crate::info::VERSION.to_owned(),
        jetstream: js,
        flags: u64::from(js),
        seq: SEQ.fetch_add(1, Ordering::Relaxed) + 1,
        time: rfc3339_nano(SystemTime::now()),
    }
}

/// `{"server":..., "data":...}` or, on a bad request, `{"server":..., "error":...}`.
#[derive(Serialize)]
struct ApiResponse<T: Serialize> {
    server: ServerInfo,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ApiError>,
}

#[derive(Serialize)]
struct ApiError {
    code: u16,
    description: String,
}

/// nats-server's `MsgBytes`.
#[derive(Debug, Clone, Copy, Default, Serialize)]
struct MsgBytes {
    msgs: u64,
    bytes: u64,
}

/// nats-server's `RouteStat`.
#[derive(Serialize)]
struct RouteStat {
    rid: u64,
    #[serde(skip_serializing_if = "String::is_empty")]
    name: String,
    sent: MsgBytes,
    received: MsgBytes,
    pending: usize,
}

/// nats-server's `ServerStats` (the parts Natrium measures).
#[derive(Serialize)]
struct ServerStats {
    start: String,
    mem: i64,
    cores: u32,
    cpu: f64,
    connections: u64,
    total_connections: u64,
    active_accounts: usize,
    subscriptions: u64,
    sent: MsgBytes,
    sent_to_clients: MsgBytes,
    received: MsgBytes,
    received_from_clients: MsgBytes,
    slow_consumers: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    routes: Vec<RouteStat>,
    #[serde(skip_serializing_if = "is_zero")]
    active_servers: usize,
    gomaxprocs: u32,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct StatszMsg {
    server: ServerInfo,
    statsz: ServerStats,
}

#[derive(Serialize)]
struct ServerId {
    name: String,
    host: String,
    id: String,
}

/// Subscribes the system account's services and answers them until shutdown. Without a
/// system account there is nothing to do.
pub fn start(shared: &Arc<Shared>) {
    let Some(sys) = shared.accounts.system() else {
        return;
    };
    let (tx, mut inbox) = natrium_core::internal_channel();
    let client = Arc::new(ClientHandle::new_internal(shared.next_cid(), tx));
    let mut subjects = vec![STATSZ_PING.to_owned()];
    for name in SERVICES {
        subjects.push(format!("$SYS.REQ.SERVER.PING.{name}"));
        subjects.push(format!("$SYS.REQ.SERVER.{}.{name}", shared.server_id));
    }
    for (i, subject) in subjects.iter().enumerate() {
        if let Err(e) = sys.subscribe(&client, subject.as_bytes(), None, i.to_string().as_bytes()) {
            tracing::warn!(subject, error = %e, "cannot subscribe a system service");
        }
    }
    let shared = Arc::clone(shared);
    let mut shutdown = shared.shutdown.subscribe();
    tokio::spawn(async move {
        let monitor = Monitor::new(Arc::clone(&shared));
        let mut p = Publisher::new(client.id);
        loop {
            let m = tokio::select! {
                m = inbox.recv() => m,
                _ = shutdown.wait_for(|down| *down) => None,
            };
            let Some(m) = m else { break };
            let Some(reply) = m.reply.as_deref() else {
                continue;
            };
            let Some(body) = answer(&monitor, &m) else {
                continue;
            };
            let msg = Message {
                subject: reply,
                reply: None,
                headers: None,
                payload: &body,
            };
            sys.publish(None, &msg, &mut p);
            p.wakes.flush();
        }
        sys.remove_client(&client);
    });
}

/// The answer to one service request, `None` when it is not one.
fn answer(monitor: &Monitor, m: &InternalMsg) -> Option<Vec<u8>> {
    let shared = monitor.shared();
    let subject = std::str::from_utf8(&m.subject).ok()?;
    let name = if subject == STATSZ_PING {
        "STATSZ"
    } else {
        subject.rsplit('.').next()?
    };
    let body = &m.payload[..];
    let json = match name {
        "STATSZ" => to_json_compact(&StatszMsg {
            server: server_info(shared),
            statsz: statsz(monitor),
        }),
        "IDZ" => to_json_compact(&ServerId {
            name: shared.server_name.clone(),
            host: shared.opts.host.clone(),
            id: shared.server_id.clone(),
        }),
        "VARZ" => respond(shared, Ok(monitor.varz())),
        "SUBSZ" => match options(body) {
            Ok(opts) => respond(shared, monitor.subsz(&opts).map_err(|e| e.to_string())),
            Err(e) => respond::<()>(shared, Err(e)),
        },
        "CONNZ" => match options(body) {
            Ok(opts) => respond(shared, monitor.connz(&opts).map_err(|e| e.to_string())),
            Err(e) => respond::<()>(shared, Err(e)),
        },
        "ROUTEZ" => respond(shared, Ok(monitor.routez(false, false))),
        "JSZ" => respond(shared, Ok(monitor.jsz())),
        "ACCOUNTZ" => respond(shared, Ok(monitor.accountz())),
        "HEALTHZ" => {
            let mut status = monitor.healthz(&HealthzOptions::default());
            status.status_code = 0;
            respond(shared, Ok(status))
        }
        _ => return None,
    };
    json.ok()
}

/// Request options from a JSON body; an empty body takes the defaults.
fn options<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> Result<T, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|e| e.to_string())
}

fn respond<T: Serialize>(shared: &Shared, data: Result<T, String>) -> serde_json::Result<Vec<u8>> {
    let (data, error) = match data {
        Ok(d) => (Some(d), None),
        Err(description) => (
            None,
            Some(ApiError {
                code: 400,
                description,
            }),
        ),
    };
    to_json_compact(&ApiResponse {
        server: server_info(shared),
        data,
        error,
    })
}

fn statsz(monitor: &Monitor) -> ServerStats {
    let v = monitor.varz();
    let shared = monitor.shared();
    let mut active: Vec<String> = shared
        .connections()
        .iter()
        .map(|c| c.meta.lock().account.clone().unwrap_or_default())
        .collect();
    active.sort();
    active.dedup();
    let routes: Vec<RouteStat> = shared
        .cluster
        .routes()
        .iter()
        .map(|r| RouteStat {
            rid: r.handle.id,
            name: r.info.server_name.clone(),
            sent: MsgBytes {
                msgs: r.handle.outbound.out_msgs(),
                bytes: r.handle.outbound.out_bytes(),
            },
            received: MsgBytes {
                msgs: r.in_msgs.load(Ordering::Relaxed),
                bytes: r.in_bytes.load(Ordering::Relaxed),
            },
            pending: r.handle.outbound.pending_bytes(),
        })
        .collect();
    let active_servers = routes.len() + 1;
    ServerStats {
        start: v.start,
        mem: v.mem,
        cores: v.cores,
        cpu: v.cpu,
        connections: v.connections,
        total_connections: v.total_connections,
        active_accounts: active.len(),
        subscriptions: v.subscriptions,
        sent: MsgBytes {
            msgs: v.out_msgs,
            bytes: v.out_bytes,
        },
        sent_to_clients: MsgBytes {
            msgs: v.out_client_msgs,
            bytes: v.out_client_bytes,
        },
        received: MsgBytes {
            msgs: v.in_msgs,
            bytes: v.in_bytes,
        },
        received_from_clients: MsgBytes {
            msgs: v.in_client_msgs,
            bytes: v.in_client_bytes,
        },
        slow_consumers: v.slow_consumers,
        routes,
        active_servers,
        gomaxprocs: v.gomaxprocs,
    }
}

/// nats-server's `ClientInfo` (the fields a plain client connection has).
#[derive(Serialize)]
struct ClientInfo {
    start: String,
    host: String,
    id: u64,
    acc: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    user: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    lang: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    ver: String,
    #[serde(skip_serializing_if = "is_zero_u64")]
    rtt: u64,
    #[serde(skip_serializing_if = "String::is_empty")]
    cluster: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    stop: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    name_tag: String,
    kind: &'static str,
    client_type: &'static str,
}

fn is_zero_u64(n: &u64) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct ConnectEvent {
    #[serde(rename = "type")]
    kind: &'static str,
    id: String,
    timestamp: String,
    server: ServerInfo,
    client: ClientInfo,
}

#[derive(Serialize)]
struct DisconnectEvent {
    #[serde(rename = "type")]
    kind: &'static str,
    id: String,
    timestamp: String,
    server: ServerInfo,
    client: ClientInfo,
    sent: MsgBytes,
    received: MsgBytes,
    reason: &'static str,
}

/// A unique event id, shaped like the NUIDs nats-server uses (22 base-62 characters).
fn event_id() -> String {
    let mut out = Vec::with_capacity(22);
    natrium_core::links::base62(rand::random(), 11, &mut out);
    natrium_core::links::base62(rand::random(), 11, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

fn client_info(
    shared: &Shared,
    conn: &Connection,
    account: &str,
    stop: Option<SystemTime>,
) -> ClientInfo {
    let meta = conn.meta.lock().clone();
    ClientInfo {
        start: rfc3339_nano(conn.start),
        host: conn.addr.ip().to_string(),
        id: conn.handle.id,
        acc: account.to_owned(),
        user: meta.user.unwrap_or_default(),
        name: meta.name.unwrap_or_default(),
        lang: meta.lang.unwrap_or_default(),
        ver: meta.version.unwrap_or_default(),
        rtt: conn.rtt.load(Ordering::Relaxed),
        cluster: if shared.cluster.enabled {
            shared.cluster.name()
        } else {
            String::new()
        },
        stop: stop.map(rfc3339_nano),
        name_tag: account.to_owned(),
        kind: "Client",
        client_type: "nats",
    }
}

/// Where an event on `subject` goes: the system account, when anyone (here or on a
/// peer) listens there; building the event is skipped otherwise.
fn event_target(shared: &Shared, subject: &str) -> Option<(Arc<natrium_core::Account>, Publisher)> {
    let sys = shared.accounts.system()?;
    let mut p = Publisher::new(SEQ.load(Ordering::Relaxed));
    sys.has_interest(subject.as_bytes(), &mut p)
        .then_some((sys, p))
}

fn publish_event(
    (sys, mut p): (Arc<natrium_core::Account>, Publisher),
    subject: &str,
    json: serde_json::Result<Vec<u8>>,
) {
    let Ok(body) = json else {
        return;
    };
    let msg = Message {
        subject: subject.as_bytes(),
        reply: None,
        headers: None,
        payload: &body,
    };
    sys.publish(None, &msg, &mut p);
    p.wakes.flush();
}

/// Publishes `$SYS.ACCOUNT.<account>.CONNECT` for a client whose CONNECT was accepted.
pub fn client_connected(shared: &Shared, conn: &Connection, account: &str) {
    let subject = format!("$SYS.ACCOUNT.{account}.CONNECT");
    let Some(target) = event_target(shared, &subject) else {
        return;
    };
    let event = ConnectEvent {
        kind: CONNECT_EVENT_TYPE,
        id: event_id(),
        timestamp: rfc3339_nano(SystemTime::now()),
        server: server_info(shared),
        client: client_info(shared, conn, account, None),
    };
    publish_event(target, &subject, to_json_compact(&event));
}

/// Publishes `$SYS.ACCOUNT.<account>.DISCONNECT` for a client that closed.
pub fn client_disconnected(shared: &Shared, conn: &Connection, account: &str, reason: ClosedState) {
    let subject = format!("$SYS.ACCOUNT.{account}.DISCONNECT");
    let Some(target) = event_target(shared, &subject) else {
        return;
    };
    let now = SystemTime::now();
    let event = DisconnectEvent {
        kind: DISCONNECT_EVENT_TYPE,
        id: event_id(),
        timestamp: rfc3339_nano(now),
        server: server_info(shared),
        client: client_info(shared, conn, account, Some(now)),
        // As nats-server: what the client sent, and what it was sent.
        sent: MsgBytes {
            msgs: conn.in_msgs.load(Ordering::Relaxed),
            bytes: conn.in_bytes.load(Ordering::Relaxed),
        },
        received: MsgBytes {
            msgs: conn.handle.outbound.out_msgs(),
            bytes: conn.handle.outbound.out_bytes(),
        },
        reason: reason.as_str(),
    };
    publish_event(target, &subject, to_json_compact(&event));
}

/// Sends message trace reports: `{"server":{...}, "request":..., "hops":..., "events":[...]}`
/// published to the trace destination in the account the message came in on, as
/// nats-server's system client does.
#[derive(Debug)]
struct TraceEmitter {
    shared: std::sync::Weak<Shared>,
}

#[derive(Serialize)]
struct TraceMessage<'a> {
    server: ServerInfo,
    #[serde(flatten)]
    report: &'a natrium_api::trace::TraceReport,
}

impl natrium_core::TraceSink for TraceEmitter {
    fn emit(&self, account: &str, dest: &str, report: natrium_api::trace::TraceReport) {
        let Some(shared) = self.shared.upgrade() else {
            return;
        };
        let Some(account) = shared.accounts.get(account) else {
            return;
        };
        let message = TraceMessage {
            server: server_info(&shared),
            report: &report,
        };
        let p = Publisher::new(SEQ.load(Ordering::Relaxed));
        publish_event((account, p), dest, to_json_compact(&message));
    }
}

/// Starts tracing `msg` (whose headers asked for it) as it enters the router.
pub fn start_trace(
    shared: &Arc<Shared>,
    dest: &[u8],
    trace_only: bool,
    hop: Option<&[u8]>,
    msg: &Message<'_>,
    ingress: natrium_core::Ingress<'_>,
) -> natrium_core::Trace {
    let sink = Arc::new(TraceEmitter {
        shared: Arc::downgrade(shared),
    });
    natrium_core::Trace::start(
        sink,
        dest,
        trace_only,
        hop,
        msg.headers.unwrap_or_default(),
        msg.size(),
        ingress,
    )
}
