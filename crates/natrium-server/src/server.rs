//! Starting and stopping a server: listeners, the accept loop, the ports file, shutdown.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rand::Rng;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tracing::{info, warn};

use crate::options::Options;
use crate::state::Shared;
use crate::transport::tls::TlsServer;
use crate::transport::websocket::WsServer;
use crate::{client, monitor, route};

/// Why a server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A listener could not bind.
    #[error("cannot listen for {what} on {addr}: {source}")]
    Bind {
        /// Which listener.
        what: &'static str,
        /// The address asked for.
        addr: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The authorization settings cannot be used (a bad nkey, bcrypt hash, permission
    /// subject or `no_auth_user`).
    #[error(transparent)]
    Auth(#[from] crate::auth::SetupError),
    /// The accounts refer to something not configured.
    #[error(transparent)]
    Accounts(#[from] crate::accounts::SetupError),
    /// JetStream could not start.
    #[error(transparent)]
    JetStream(#[from] natrium_jetstream::JetStreamError),
    /// The TLS configuration (client or WebSocket listener) cannot be used.
    #[error(transparent)]
    Tls(#[from] crate::transport::tls::TlsSetupError),
    /// The ports file could not be written.
    #[error("cannot write ports file {path}: {source}")]
    PortsFile {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

/// Builds and starts a server in-process.
///
/// ```no_run
/// # async fn demo() -> Result<(), natrium_server::StartError> {
/// let server = natrium_server::Server::builder().port(0).start().await?;
/// println!("clients connect to {}", server.client_url());
/// server.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct Builder {
    opts: Options,
}

impl Builder {
    /// Starts from explicit options.
    pub fn from_options(opts: Options) -> Self {
        Self { opts }
    }

    /// Client listen host.
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.opts.host = host.into();
        self
    }

    /// Client port; 0 picks a free one.
    pub fn port(mut self, port: u16) -> Self {
        self.opts.port = port;
        self
    }

    /// Enables monitoring on this port (0 picks a free one).
    pub fn http_port(mut self, port: u16) -> Self {
        self.opts.http_port = Some(port);
        self
    }

    /// Changes any other option.
    pub fn configure(mut self, f: impl FnOnce(&mut Options)) -> Self {
        f(&mut self.opts);
        self
    }

    /// Binds the listeners and starts serving.
    pub async fn start(self) -> Result<Server, StartError> {
        Server::start(self.opts).await
    }
}

/// A running server.
#[derive(Debug)]
pub struct Server {
    shared: Arc<Shared>,
    accept: JoinHandle<()>,
    monitor: Option<JoinHandle<()>>,
    route_accept: Option<JoinHandle<()>>,
    websocket_accept: Option<JoinHandle<()>>,
    ports_file: Option<PathBuf>,
    /// The options in force: those started with, as changed by reloads.
    running: parking_lot::Mutex<Options>,
}

impl Server {
    /// A builder with nats-server's defaults (port 4222).
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// Binds the listeners and starts serving with `opts`.
    pub async fn start(mut opts: Options) -> Result<Self, StartError> {
        // Checked before binding, so a bad setup never accepts a client.
        let auth = crate::auth::Authenticator::new(&opts.auth)?;
        if let Some(trust) = auth.trust() {
            // Operator mode: the accounts come from the preloaded JWTs.
            trust
                .settle_options(&mut opts)
                .map_err(crate::auth::SetupError::from)?;
        }
        crate::accounts::check(&opts)?;
        let tls = opts
            .tls
            .as_ref()
            .map(TlsServer::new)
            .transpose()?
            .map(Arc::new);
        let websocket = opts
            .websocket
            .as_ref()
            .map(|w| WsServer::new(w, opts.max_payload))
            .transpose()?
            .map(Arc::new);
        let client_bind = format!("{}:{}", opts.host, opts.port);
        let listener =
            TcpListener::bind(&client_bind)
                .await
                .map_err(|source| StartError::Bind {
                    what: "client connections",
                    addr: client_bind.clone(),
                    source,
                })?;
        let client_addr = listener.local_addr().map_err(|source| StartError::Bind {
            what: "client connections",
            addr: client_bind,
            source,
        })?;
        let ws_auth = websocket_auth(&opts)?;
        let auth = crate::reload::LiveAuth::new(auth, ws_auth);
        let shared = Arc::new(Shared::new(opts, auth, new_server_id(), client_addr));
        for exporter in crate::accounts::link(&shared.opts, &shared.accounts)? {
            crate::accounts::spawn_response_router(&shared, exporter)?;
        }
        crate::sys::start(&shared);
        info!(version = crate::info::VERSION, name = %shared.server_name, id = %shared.server_id, "starting natrium-server");
        if shared.opts.jetstream.enabled {
            let mut engines = std::collections::BTreeMap::new();
            for (account, limits) in jetstream_accounts(&shared.opts) {
                let acc = shared.accounts.get_or_create(&account);
                let js = natrium_jetstream::JetStream::start(
                    acc,
                    jetstream_config_for(&shared, limits.as_ref()),
                )?;
                engines.insert(account, js);
            }
            info!(store_dir = %jetstream_store_dir(&shared.opts).display(), accounts = ?engines.keys().collect::<Vec<_>>(), "Starting JetStream");
            let _ = shared.jetstream.set(engines);
        }

        let monitor = match shared.opts.http_port {
            Some(port) => {
                let host = shared
                    .opts
                    .http_host
                    .clone()
                    .unwrap_or_else(|| shared.opts.host.clone());
                let (addr, task) = monitor::start(Arc::clone(&shared), &host, port).await?;
                *shared.http_addr.lock() = Some(addr);
                info!("Starting http monitor on {}", addr);
                Some(task)
            }
            None => None,
        };

        let accept = tokio::spawn(accept_loop(Arc::clone(&shared), listener, tls.clone()));
        info!("Listening for client connections on {}", client_addr);
        if let Some(tls) = &shared.opts.tls {
            info!("TLS required for client connections");
            if tls.handshake_first == crate::options::HandshakeFirst::Always {
                info!("Clients that are not using \"TLS Handshake First\" option will fail to connect");
            }
        }
        let websocket_accept = match (websocket, &shared.opts.websocket) {
            (Some(ws), Some(opts)) => Some(start_websocket(&shared, opts, ws).await?),
            _ => None,
        };
        let route_accept = start_cluster(&shared).await?;

        let ports_file = match &shared.opts.ports_file_dir {
            Some(dir) => Some(write_ports_file(&shared, dir)?),
            None => None,
        };
        info!("Server is ready");
        Ok(Self {
            running: parking_lot::Mutex::new(shared.opts.clone()),
            shared,
            accept,
            monitor,
            route_accept,
            websocket_accept,
            ports_file,
        })
    }

    /// The address clients connect to.
    pub fn client_addr(&self) -> SocketAddr {
        self.shared.client_addr
    }

    /// `nats://host:port` for clients.
    pub fn client_url(&self) -> String {
        format!("nats://{}", advertised(self.shared.client_addr))
    }

    /// The monitoring address, when monitoring is on.
    pub fn monitor_addr(&self) -> Option<SocketAddr> {
        *self.shared.http_addr.lock()
    }

    /// The WebSocket listener's address, when one is configured.
    pub fn websocket_addr(&self) -> Option<SocketAddr> {
        *self.shared.websocket_addr.lock()
    }

    /// The address routes from other servers connect to, when clustering is on.
    pub fn route_addr(&self) -> Option<SocketAddr> {
        *self.shared.cluster.listen_addr.lock()
    }

    /// `nats://host:port` for other servers' `routes`, when clustering is on.
    pub fn route_url(&self) -> Option<String> {
        self.route_addr()
            .map(|a| format!("nats://{}", advertised(a)))
    }

    /// Server ids of the peers this server has a route to.
    pub fn route_peers(&self) -> Vec<String> {
        self.shared
            .cluster
            .routes()
            .iter()
            .map(|r| r.info.server_id.clone())
            .collect()
    }

    /// The server id sent in INFO.
    pub fn server_id(&self) -> &str {
        &self.shared.server_id
    }

    /// Lame duck mode (SIGUSR2): stops accepting, tells every client with an INFO carrying
    /// `ldm: true` so it can reconnect elsewhere, waits the grace period, closes the
    /// clients spread over the rest of `lame_duck_duration`. [`Server::shutdown`] follows.
    pub async fn lame_duck(&self) {
        info!("Entering lame duck mode, stop accepting new clients");
        self.accept.abort();
        if let Some(ws) = &self.websocket_accept {
            ws.abort();
        }
        // The listener closes when the aborted task is dropped; tell clients only after
        // that, so none of them reconnects here.
        while !self.accept.is_finished() {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        // Peers stop advertising this server's URLs to their clients, as nats-server's do.
        let mut route_info = route::conn::own_info(&self.shared);
        route_info.ldm = true;
        self.shared
            .cluster
            .broadcast("", &route::conn::info_frame(&route_info));
        let conns = self.shared.connections();
        for conn in &conns {
            let mut info = crate::info::for_client(&self.shared, conn.handle.id, conn.addr);
            info.ldm = true;
            // Only the other servers are worth reconnecting to.
            info.connect_urls = self.shared.cluster.peer_client_urls();
            conn.handle.outbound.append(|buf| info.encode(buf));
            conn.handle.outbound.wake();
        }
        let limits = &self.shared.limits;
        let duration = limits.lame_duck_duration();
        let grace = limits.lame_duck_grace_period().min(duration);
        tokio::time::sleep(grace).await;
        let spread = duration.saturating_sub(grace);
        let gap = spread
            .checked_div(u32::try_from(conns.len()).unwrap_or(u32::MAX).max(1))
            .unwrap_or_default();
        info!(clients = conns.len(), "closing clients over {:?}", spread);
        for conn in conns {
            conn.handle
                .outbound
                .close(natrium_core::CloseReason::Closed);
            tokio::time::sleep(gap).await;
        }
    }

    /// The options in force: those the server started with, as changed by reloads.
    pub fn running_options(&self) -> Options {
        self.running.lock().clone()
    }

    /// Applies a new configuration to the running server (SIGHUP, `--signal reload`).
    /// Only the authorization settings and the log level may differ from the running
    /// ones; anything else refuses the whole reload and nothing changes. Connections are
    /// checked against the new settings: those no longer admitted are closed, the
    /// others get the new permissions. The log level is the embedder's to apply.
    pub fn reload(
        &self,
        opts: &Options,
    ) -> Result<crate::reload::Reloaded, crate::reload::ReloadError> {
        let mut opts = opts.clone();
        let auth = crate::auth::Authenticator::new(&opts.auth)?;
        if let Some(trust) = auth.trust() {
            // Operator mode: the accounts come from the preloaded JWTs, as at start.
            trust
                .settle_options(&mut opts)
                .map_err(crate::auth::SetupError::from)?;
        }
        let mut running = self.running.lock();
        let reloaded = crate::reload::check(&running, &opts)?;
        if reloaded.changed.contains(&"authorization") {
            let ws_auth = websocket_auth(&opts)?;
            self.shared.auth.replace(auth, ws_auth);
            info!("Reloaded: authorization");
        }
        self.shared.limits.store(&opts);
        for name in reloaded
            .changed
            .iter()
            .filter(|c| !matches!(**c, "authorization" | "debug" | "trace"))
        {
            info!("Reloaded: {name}");
        }
        *running = opts;
        self.shared.auth.announce();
        info!("Reloaded server configuration");
        Ok(reloaded)
    }

    /// Stops accepting, closes every connection after flushing what was queued for it,
    /// and removes the ports file.
    pub async fn shutdown(self) {
        info!("Initiating shutdown");
        self.accept.abort();
        if let Some(ws) = &self.websocket_accept {
            ws.abort();
        }
        if let Some(m) = &self.monitor {
            m.abort();
        }
        if let Some(r) = &self.route_accept {
            r.abort();
        }
        self.shared.shutdown.send_replace(true);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while !self.shared.clients.lock().is_empty() && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        for js in self
            .shared
            .jetstream
            .get()
            .into_iter()
            .flat_map(|m| m.values())
        {
            js.shutdown().await;
        }
        if let Some(path) = &self.ports_file {
            let _ = std::fs::remove_file(path);
        }
        info!("Server exiting");
    }
}

impl Drop for Server {
    /// A dropped server stops serving: an embedder that forgets [`Server::shutdown`] must
    /// not leave a listener and its connections running in the background.
    fn drop(&mut self) {
        self.accept.abort();
        if let Some(ws) = &self.websocket_accept {
            ws.abort();
        }
        if let Some(m) = &self.monitor {
            m.abort();
        }
        if let Some(r) = &self.route_accept {
            r.abort();
        }
        self.shared.shutdown.send_replace(true);
    }
}

/// The WebSocket listener's authenticator, when there is a listener.
fn websocket_auth(
    opts: &Options,
) -> Result<Option<crate::auth::Authenticator>, crate::auth::SetupError> {
    opts.websocket
        .as_ref()
        .map(|_| crate::transport::websocket::websocket_authenticator(&opts.auth))
        .transpose()
}

/// Where JetStream keeps file streams: `-sd`/`store_dir`, else nats-server's default
/// under the system temporary directory.
fn jetstream_store_dir(opts: &Options) -> PathBuf {
    opts.jetstream
        .store_dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join("nats").join("jetstream"))
}

/// The accounts that get JetStream, with their limits: the global account when no
/// accounts are configured (besides the system account), else each configured account
/// that enables it, as nats-server decides.
fn jetstream_accounts(opts: &Options) -> Vec<(String, Option<crate::options::AccountJetStream>)> {
    let system = opts.system_account_name();
    let others = opts
        .accounts
        .iter()
        .any(|a| Some(&a.name) != system.as_ref());
    if !others {
        return vec![(crate::accounts::GLOBAL_ACCOUNT.to_owned(), None)];
    }
    opts.accounts
        .iter()
        .filter_map(|a| a.jetstream.map(|js| (a.name.clone(), Some(js))))
        .collect()
}

/// The engine settings of one account: the server's, narrowed by the account's limits.
pub(crate) fn jetstream_config_for(
    shared: &Shared,
    limits: Option<&crate::options::AccountJetStream>,
) -> natrium_jetstream::JetStreamConfig {
    let mut cfg = jetstream_config(shared);
    if let Some(l) = limits {
        cfg.max_memory = l.max_memory.unwrap_or(cfg.max_memory);
        cfg.max_file = l.max_file.unwrap_or(cfg.max_file);
        cfg.max_streams = l.max_streams.unwrap_or(-1);
        cfg.max_consumers = l.max_consumers.unwrap_or(-1);
    }
    cfg
}

/// The engine settings the options describe.
pub(crate) fn jetstream_config(shared: &Shared) -> natrium_jetstream::JetStreamConfig {
    let js = &shared.opts.jetstream;
    // Durable by default: fsync before the ack. `sync_interval: <duration>` selects
    // nats-server's lazy mode.
    // A bare number is seconds, as nats-server reads it (an unquoted `2m` in a config
    // file is the number 2,000,000).
    let interval = |text: &str| match text.parse::<u64>() {
        Ok(secs) => Some(Duration::from_secs(secs)),
        Err(_) => natrium_proto::parse_go_duration(text),
    };
    let sync = match js.sync_interval.as_deref() {
        None => natrium_store::SyncPolicy::Always,
        Some(text) if text.eq_ignore_ascii_case("always") => natrium_store::SyncPolicy::Always,
        Some(text) => match interval(text) {
            Some(d) if !d.is_zero() => natrium_store::SyncPolicy::Interval(d),
            _ => natrium_store::SyncPolicy::Always,
        },
    };
    natrium_jetstream::JetStreamConfig {
        store_dir: jetstream_store_dir(&shared.opts),
        max_memory: js.max_memory.unwrap_or(-1),
        max_file: js.max_file.unwrap_or(-1),
        strict: js.strict.unwrap_or(true),
        domain: js.domain.clone().unwrap_or_default(),
        sync,
        max_request_batch: js.max_request_batch,
        batch_limits: js.batch_limits,
        server_name: shared.server_name.clone(),
        max_streams: -1,
        max_consumers: -1,
    }
}

async fn accept_loop(shared: Arc<Shared>, listener: TcpListener, tls: Option<Arc<TlsServer>>) {
    loop {
        match listener.accept().await {
            Ok((stream, addr)) => match &tls {
                None => {
                    tokio::spawn(client::serve(Arc::clone(&shared), stream, addr));
                }
                Some(tls) => {
                    tokio::spawn(crate::transport::tls::serve(
                        Arc::clone(&shared),
                        stream,
                        addr,
                        Arc::clone(tls),
                    ));
                }
            },
            Err(e) => {
                // Running out of descriptors is transient: back off instead of spinning.
                warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}

/// Opens the WebSocket listener and starts accepting on it.
async fn start_websocket(
    shared: &Arc<Shared>,
    opts: &crate::options::WebsocketOptions,
    ws: Arc<WsServer>,
) -> Result<JoinHandle<()>, StartError> {
    let host = opts.host.as_deref().unwrap_or(&shared.opts.host);
    let bind = format!("{host}:{}", opts.port);
    let bind_err = |source| StartError::Bind {
        what: "websocket connections",
        addr: bind.clone(),
        source,
    };
    let listener = TcpListener::bind(&bind).await.map_err(bind_err)?;
    let addr = listener.local_addr().map_err(bind_err)?;
    *shared.websocket_addr.lock() = Some(addr);
    if opts.compression {
        warn!("websocket compression is not supported by natrium-server; clients are served uncompressed");
    }
    if ws.is_tls() {
        info!("Listening for websocket clients on wss://{}", addr);
    } else {
        info!("Listening for websocket clients on ws://{}", addr);
        warn!("Websocket not configured with TLS. DO NOT USE IN PRODUCTION!");
    }
    Ok(tokio::spawn(crate::transport::websocket::accept_loop(
        Arc::clone(shared),
        listener,
        ws,
    )))
}

/// Opens the route listener (when configured) and starts dialing the configured routes.
async fn start_cluster(shared: &Arc<Shared>) -> Result<Option<JoinHandle<()>>, StartError> {
    let cluster = &shared.cluster;
    if !cluster.enabled {
        return Ok(None);
    }
    info!("Cluster name is {}", cluster.name());
    let accept = match &cluster.opts.listen {
        Some((host, port)) => {
            let bind = format!("{host}:{port}");
            let bind_err = |source| StartError::Bind {
                what: "route connections",
                addr: bind.clone(),
                source,
            };
            let listener = TcpListener::bind(&bind).await.map_err(bind_err)?;
            let addr = listener.local_addr().map_err(bind_err)?;
            *cluster.listen_addr.lock() = Some(addr);
            info!("Listening for route connections on {}", addr);
            Some(tokio::spawn(route::solicit::accept_loop(
                Arc::clone(shared),
                listener,
            )))
        }
        None => None,
    };
    for url in &cluster.opts.routes {
        tokio::spawn(route::solicit::keep_route(Arc::clone(shared), url.clone()));
    }
    Ok(accept)
}

/// An address a client on this machine can reach: unspecified binds advertise loopback.
fn advertised(addr: SocketAddr) -> SocketAddr {
    if addr.ip().is_unspecified() {
        SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), addr.port())
    } else {
        addr
    }
}

fn write_ports_file(shared: &Shared, dir: &std::path::Path) -> Result<PathBuf, StartError> {
    let exe = std::env::args()
        .next()
        .and_then(|a| {
            std::path::Path::new(&a)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "natrium-server".to_owned());
    let path = dir.join(format!("{exe}_{}.ports", std::process::id()));
    /// The ports file's JSON, as nats-server writes it.
    #[derive(serde::Serialize)]
    struct Ports {
        nats: Vec<String>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        monitoring: Vec<String>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        cluster: Vec<String>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        websocket: Vec<String>,
    }
    let ports = Ports {
        nats: vec![format!("nats://{}", advertised(shared.client_addr))],
        monitoring: shared
            .http_addr
            .lock()
            .iter()
            .map(|http| format!("http://{}", advertised(*http)))
            .collect(),
        cluster: shared
            .cluster
            .listen_addr
            .lock()
            .iter()
            .map(|addr| format!("nats://{}", advertised(*addr)))
            .collect(),
        websocket: shared
            .websocket_addr
            .lock()
            .iter()
            .map(|addr| {
                let scheme = match shared.opts.websocket.as_ref().and_then(|w| w.tls.as_ref()) {
                    Some(_) => "wss",
                    None => "ws",
                };
                format!("{scheme}://{}", advertised(*addr))
            })
            .collect(),
    };
    let json = serde_json::to_string(&ports).unwrap_or_default();
    std::fs::write(&path, json).map_err(|source| StartError::PortsFile {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// A server id shaped like nats-server's (56 upper-case base32 characters starting with N).
fn new_server_id() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut rng = rand::rng();
    std::iter::once('N')
        .chain((0..55).map(|_| {
            let i = rng.random_range(0..ALPHABET.len());
            ALPHABET.get(i).map_or('A', |&b| char::from(b))
        }))
        .collect()
}
