//! Everything that configures a server, with nats-server's defaults.
//!
//! Command-line flags and the config file both end up here; flags are applied last so they
//! override the file, as in nats-server.

use std::path::PathBuf;
use std::time::Duration;

/// Default client port.
pub const DEFAULT_PORT: u16 = 4222;
/// Default maximum payload (1 MiB).
pub const DEFAULT_MAX_PAYLOAD: usize = 1024 * 1024;
/// Default maximum control line (4 KiB).
pub const DEFAULT_MAX_CONTROL_LINE: usize = 4096;
/// Default maximum outbound bytes pending per client (64 MiB).
pub const DEFAULT_MAX_PENDING: usize = 64 * 1024 * 1024;
/// Default maximum number of client connections.
pub const DEFAULT_MAX_CONNECTIONS: usize = 64 * 1024;

/// One configured user for user/password authentication.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct User {
    /// User name.
    pub username: String,
    /// The password: plain text, or a bcrypt hash (`$2a$...`, `$2b$...`).
    pub password: String,
    /// What the user may publish and subscribe to; `None` allows everything.
    pub permissions: Option<Permissions>,
    /// Kinds of connection the user may log in over (`STANDARD`, `WEBSOCKET`, ...);
    /// empty allows every kind.
    pub allowed_connection_types: Vec<String>,
    /// The account the user's connections bind to; `None` is the global account.
    pub account: Option<String>,
}

/// A user identified by an nkey: it proves itself by signing the INFO nonce.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NkeyUser {
    /// The user's public nkey (`U...`).
    pub nkey: String,
    /// What the user may publish and subscribe to; `None` allows everything.
    pub permissions: Option<Permissions>,
    /// Kinds of connection the user may log in over; empty allows every kind.
    pub allowed_connection_types: Vec<String>,
    /// The account the user's connections bind to; `None` is the global account.
    pub account: Option<String>,
}

/// The connection kinds nats-server knows for `allowed_connection_types`.
pub const CONNECTION_TYPES: &[&str] = &[
    "STANDARD",
    "WEBSOCKET",
    "LEAFNODE",
    "LEAFNODE_WS",
    "MQTT",
    "MQTT_WS",
    "IN_PROCESS",
];

/// Allow and deny lists for one direction (publish or subscribe).
///
/// Entries are subjects with wildcards; subscribe entries may name a queue group after a
/// blank (`"foo.> workers"`). Deny wins over allow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubjectPermission {
    /// `None`: everything not denied is allowed. `Some(list)`: only what the list matches
    /// (an empty publish list allows nothing, as in nats-server).
    pub allow: Option<Vec<String>>,
    /// Subjects refused even when allowed.
    pub deny: Vec<String>,
}

/// `allow_responses`: a client may publish to reply subjects of messages it received,
/// up to `max_msgs` times each, within `expires` of receiving the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponsePermission {
    /// Responses allowed per request; 0 or less means unlimited.
    pub max_msgs: i64,
    /// How long after the request a response may be sent; `None` means forever.
    pub expires: Option<Duration>,
}

impl Default for ResponsePermission {
    /// nats-server's defaults: one response within two minutes.
    fn default() -> Self {
        Self {
            max_msgs: 1,
            expires: Some(Duration::from_secs(120)),
        }
    }
}

/// A user's permissions (`permissions { publish, subscribe, allow_responses }`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Permissions {
    /// Publish restrictions.
    pub publish: Option<SubjectPermission>,
    /// Subscribe restrictions.
    pub subscribe: Option<SubjectPermission>,
    /// Dynamic permission to answer requests.
    pub response: Option<ResponsePermission>,
}

/// Where account JWTs come from in operator mode (`resolver`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Resolver {
    /// `resolver: MEMORY`: the accounts of `resolver_preload`, fixed at start.
    #[default]
    Memory,
}

/// Operator mode ("decentralized auth"): clients present user JWTs issued by accounts
/// that trusted operators signed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperatorOptions {
    /// The trusted operators' JWTs (`operator`, inline or read from files); operator mode
    /// is on when this is not empty.
    pub operators: Vec<String>,
    /// `resolver`; required in operator mode.
    pub resolver: Option<Resolver>,
    /// `resolver_preload`: account public key and its account JWT.
    pub preload: Vec<(String, String)>,
}

impl OperatorOptions {
    /// Whether operator mode is on.
    pub fn enabled(&self) -> bool {
        !self.operators.is_empty()
    }
}

/// Client authentication configured by flags or the `authorization` block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthOptions {
    /// A shared token (`--auth`, `authorization { token }`); plain or a bcrypt hash.
    pub token: Option<String>,
    /// A single user (`--user`/`--pass`, `authorization { user, password }`).
    pub user: Option<User>,
    /// Several users (`authorization { users: [...] }`).
    pub users: Vec<User>,
    /// Users identified by nkeys (`authorization { users: [{ nkey: U... }] }`).
    pub nkeys: Vec<NkeyUser>,
    /// A user (name or nkey) that clients sending no credentials are logged in as.
    pub no_auth_user: Option<String>,
    /// Operator mode: users authenticate with JWTs.
    pub operator: OperatorOptions,
}

impl AuthOptions {
    /// Whether any authentication is configured.
    pub fn configured(&self) -> bool {
        self.token.is_some()
            || self.user.is_some()
            || !self.users.is_empty()
            || !self.nkeys.is_empty()
            || self.operator.enabled()
    }

    /// Whether clients must send credentials (INFO `auth_required`): not when a
    /// `no_auth_user` logs in those who send none, as in nats-server.
    pub fn required(&self) -> bool {
        self.configured() && self.no_auth_user.is_none()
    }

    /// Whether INFO carries a nonce to sign: whenever nkey users exist, and in operator
    /// mode (user JWTs sign it with the user's nkey).
    pub fn nonce_required(&self) -> bool {
        !self.nkeys.is_empty() || self.operator.enabled()
    }
}

/// The `jetstream {}` block, kept for the JetStream engine.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JetStreamOptions {
    /// Whether JetStream is enabled (`-js`, `jetstream: enabled` or a `jetstream {}` block).
    pub enabled: bool,
    /// Storage directory (`-sd`, `store_dir`).
    pub store_dir: Option<PathBuf>,
    /// `max_memory_store`, bytes.
    pub max_memory: Option<i64>,
    /// `max_file_store`, bytes.
    pub max_file: Option<i64>,
    /// `domain`.
    pub domain: Option<String>,
    /// `strict` (nats-server's default is strict).
    pub strict: Option<bool>,
    /// `sync_interval` as written (`always` or a duration).
    pub sync_interval: Option<String>,
    /// `limits { max_request_batch }`.
    pub max_request_batch: Option<i64>,
    /// `limits { max_batch_inflight_per_stream, max_batch_inflight_total, max_batch_size,
    /// max_batch_timeout }` (0 or absent: nats-server's defaults).
    pub batch_limits: natrium_jetstream::BatchLimits,
}

/// The `cluster {}` block and the cluster flags: routes to the other servers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClusterOptions {
    /// Cluster name (`--cluster_name`, `cluster { name }`); servers with different names
    /// refuse each other's routes.
    pub name: Option<String>,
    /// Where to listen for routes (`--cluster`, `cluster { listen | host, port }`);
    /// `None` means clustering is off. Port 0 picks a free port.
    pub listen: Option<(String, u16)>,
    /// Route URLs to connect to (`--routes`, `cluster { routes }`), `nats://host:port`.
    pub routes: Vec<String>,
    /// Do not tell clients about the other servers' URLs (`no_advertise`).
    pub no_advertise: bool,
    /// `host:port` peers should dial instead of the listen address (`--cluster_advertise`,
    /// `cluster { advertise }`), e.g. behind NAT.
    pub advertise: Option<String>,
    /// Extra attempts at a server learned from gossip (`--connect_retries`,
    /// `cluster { connect_retries }`); configured routes are retried forever.
    pub connect_retries: u32,
}

/// When the TLS handshake happens relative to INFO (`tls { handshake_first }`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HandshakeFirst {
    /// INFO goes out in plain text, then the client starts the handshake.
    #[default]
    Off,
    /// The client starts the handshake at once; INFO follows inside TLS.
    Always,
    /// Wait this long for a ClientHello: handshake first if one comes, otherwise send
    /// INFO and go on in the usual order.
    Fallback(Duration),
}

/// A `tls {}` block (or the `--tls*` flags).
#[derive(Debug, Clone, PartialEq)]
pub struct TlsOptions {
    /// PEM file with the server's certificate chain.
    pub cert_file: PathBuf,
    /// PEM file with the server's private key.
    pub key_file: PathBuf,
    /// PEM file with the CAs that client certificates must chain to.
    pub ca_file: Option<PathBuf>,
    /// Require a client certificate signed by `ca_file`.
    pub verify: bool,
    /// Like `verify`, and the certificate's identity selects the user (`verify_and_map`).
    pub verify_and_map: bool,
    /// How long the handshake may take.
    pub timeout: Duration,
    /// Handshake before INFO.
    pub handshake_first: HandshakeFirst,
}

/// nats-server's default TLS handshake timeout.
pub const DEFAULT_TLS_TIMEOUT: Duration = Duration::from_secs(2);

impl TlsOptions {
    /// Server certificate and key, with nats-server's defaults for everything else.
    pub fn new(cert_file: impl Into<PathBuf>, key_file: impl Into<PathBuf>) -> Self {
        Self {
            cert_file: cert_file.into(),
            key_file: key_file.into(),
            ca_file: None,
            verify: false,
            verify_and_map: false,
            timeout: DEFAULT_TLS_TIMEOUT,
            handshake_first: HandshakeFirst::Off,
        }
    }
}

/// The `websocket {}` block: a listener speaking the client protocol inside WebSocket
/// frames.
#[derive(Debug, Clone, PartialEq)]
pub struct WebsocketOptions {
    /// Listen host; defaults to the client host.
    pub host: Option<String>,
    /// Listen port; 0 picks a free one.
    pub port: u16,
    /// Serve plain `ws://` (must be said explicitly when there is no `tls` block).
    pub no_tls: bool,
    /// TLS for `wss://`.
    pub tls: Option<TlsOptions>,
    /// Whether permessage-deflate was asked for (declined: see docs/COMPATIBILITY.md).
    pub compression: bool,
    /// Only accept an `Origin` equal to the request's own host.
    pub same_origin: bool,
    /// Only accept these origins (`scheme://host[:port]`); empty accepts any.
    pub allowed_origins: Vec<String>,
    /// How long the HTTP upgrade (and TLS handshake) may take.
    pub handshake_timeout: Duration,
}

impl Default for WebsocketOptions {
    fn default() -> Self {
        Self {
            host: None,
            port: 0,
            no_tls: false,
            tls: None,
            compression: false,
            same_origin: false,
            allowed_origins: Vec::new(),
            handshake_timeout: DEFAULT_TLS_TIMEOUT,
        }
    }
}

/// One account of the `accounts {}` block (its users are in [`AuthOptions`], each
/// naming it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountOptions {
    /// The account's name.
    pub name: String,
    /// What other accounts may import from it.
    pub exports: Vec<Export>,
    /// What it takes from other accounts.
    pub imports: Vec<Import>,
    /// JetStream for the account (`jetstream: enabled` or a limits block); `None`
    /// leaves it without JetStream.
    pub jetstream: Option<AccountJetStream>,
    /// The account's subject mappings (`mappings {}` inside it).
    pub mappings: Vec<natrium_subject::SubjectMapping>,
}

/// An account's JetStream limits; `None` takes the server's (no limit for counts).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AccountJetStream {
    /// `max_mem`: bytes in memory streams.
    pub max_memory: Option<i64>,
    /// `max_file`: bytes in file streams.
    pub max_file: Option<i64>,
    /// `max_streams`.
    pub max_streams: Option<i64>,
    /// `max_consumers`, over all of the account's streams.
    pub max_consumers: Option<i64>,
}

/// Whether an export or import is of a message stream or of a request/reply service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinkKind {
    /// Messages flow from the exporter to the importers.
    #[default]
    Stream,
    /// Requests flow from the importers to the exporter, responses back.
    Service,
}

/// `exports: [ { stream: "foo.>" }, { service: "req.*", response_type: stream, accounts: [A] } ]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Export {
    /// Stream or service.
    pub kind: LinkKind,
    /// The subjects exported (wildcards allowed).
    pub subject: String,
    /// The accounts allowed to import it; `None` allows every account.
    pub accounts: Option<Vec<String>>,
    /// How many responses a service may send per request.
    pub response_type: natrium_core::ResponseType,
    /// How long a service's response mapping lives (default two minutes).
    pub response_threshold: Option<Duration>,
    /// Services: traced requests stay traced in the exporting account.
    pub allow_trace: bool,
}

/// `imports: [ { stream: { account: A, subject: "foo.>" }, prefix: p }, { service: { account: B, subject: "req.>" }, to: "local.>" } ]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Import {
    /// Stream or service.
    pub kind: LinkKind,
    /// The exporting account.
    pub account: String,
    /// The subject in the exporting account.
    pub subject: String,
    /// Stream imports: the subject in this account (wildcards in the same order);
    /// service imports: the subject requests are published on here.
    pub to: Option<String>,
    /// Stream imports: a literal prefix put before the subject instead of `to`.
    pub prefix: Option<String>,
    /// Streams: traced messages stay traced in this account.
    pub allow_trace: bool,
}

/// Logging switches (`-D`, `-V`, `-l`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogOptions {
    /// Debug logging.
    pub debug: bool,
    /// Protocol tracing.
    pub trace: bool,
    /// Log to this file instead of stderr.
    pub file: Option<PathBuf>,
}

/// The complete server configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Server name (`-n`, `server_name`); defaults to the server id.
    pub server_name: Option<String>,
    /// Client listen host.
    pub host: String,
    /// Client port; 0 picks a free port (the `-p -1` of nats-server).
    pub port: u16,
    /// Monitoring port; `None` disables monitoring.
    pub http_port: Option<u16>,
    /// Monitoring host (defaults to the client host).
    pub http_host: Option<String>,
    /// Client authentication.
    pub auth: AuthOptions,
    /// How long a client has to send CONNECT when authentication is required.
    pub auth_timeout: Duration,
    /// Largest message payload accepted.
    pub max_payload: usize,
    /// Longest protocol control line accepted.
    pub max_control_line: usize,
    /// Outbound bytes a client may have pending before it is a slow consumer.
    pub max_pending: usize,
    /// Most client connections at once.
    pub max_connections: usize,
    /// Interval between server PINGs.
    pub ping_interval: Duration,
    /// Unanswered PINGs before a connection is stale.
    pub ping_max: u32,
    /// Send the first PING after `ping_interval` rather than after about two seconds
    /// (nats-server's `disable_short_first_ping`; the short one measures RTT early).
    pub disable_short_first_ping: bool,
    /// How long one write to a client may block before it is a slow consumer.
    pub write_deadline: Duration,
    /// JetStream settings.
    pub jetstream: JetStreamOptions,
    /// Directory where the ports file goes once the server is ready.
    pub ports_file_dir: Option<PathBuf>,
    /// Where to write the PID.
    pub pid_file: Option<PathBuf>,
    /// Logging.
    pub log: LogOptions,
    /// Clustering.
    pub cluster: ClusterOptions,
    /// `host[:port]` clients are told to connect to instead of the listen address
    /// (`--client_advertise`, `client_advertise`).
    pub client_advertise: Option<String>,
    /// Lame duck mode: how long closing every client may take.
    pub lame_duck_duration: Duration,
    /// Lame duck mode: how long clients get to reconnect elsewhere before the first close.
    pub lame_duck_grace_period: Duration,
    /// Subject mappings of the global account (`mappings {}` at the top level).
    pub mappings: Vec<natrium_subject::SubjectMapping>,
    /// TLS for client connections; `None` serves plain TCP.
    pub tls: Option<TlsOptions>,
    /// The WebSocket listener, when configured.
    pub websocket: Option<WebsocketOptions>,
    /// Accounts besides the global one (`accounts {}`).
    pub accounts: Vec<AccountOptions>,
    /// The system account's name (`system_account`); `$SYS` by default.
    pub system_account: Option<String>,
    /// No system account at all (`no_system_account`).
    pub no_system_account: bool,
}

impl Options {
    /// The system account's name: `system_account`, else `$SYS` unless
    /// `no_system_account` (a configured `system_account` wins, as in nats-server).
    pub fn system_account_name(&self) -> Option<String> {
        match (&self.system_account, self.no_system_account) {
            (Some(name), _) => Some(name.clone()),
            (None, true) => None,
            (None, false) => Some(crate::accounts::DEFAULT_SYSTEM_ACCOUNT.to_owned()),
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Self {
            server_name: None,
            host: "0.0.0.0".to_owned(),
            port: DEFAULT_PORT,
            http_port: None,
            http_host: None,
            auth: AuthOptions::default(),
            auth_timeout: Duration::from_secs(2),
            max_payload: DEFAULT_MAX_PAYLOAD,
            max_control_line: DEFAULT_MAX_CONTROL_LINE,
            max_pending: DEFAULT_MAX_PENDING,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            ping_interval: Duration::from_secs(120),
            ping_max: 2,
            disable_short_first_ping: false,
            write_deadline: Duration::from_secs(10),
            jetstream: JetStreamOptions::default(),
            ports_file_dir: None,
            pid_file: None,
            log: LogOptions::default(),
            cluster: ClusterOptions::default(),
            client_advertise: None,
            lame_duck_duration: Duration::from_secs(120),
            lame_duck_grace_period: Duration::from_secs(10),
            mappings: Vec::new(),
            tls: None,
            websocket: None,
            accounts: Vec::new(),
            system_account: None,
            no_system_account: false,
        }
    }
}
