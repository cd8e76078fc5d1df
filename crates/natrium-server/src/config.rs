//! The config file (`-c FILE`) turned into [`Options`].
//!
//! Keys are matched case-insensitively, as nats-server does. A key nats-server does not
//! know, or a value of the wrong shape, stops the start with the file, line and column.
//! Keys nats-server knows but Natrium does not implement yet either stop the start (when
//! ignoring them would weaken security, e.g. `tls` or `operator`) or are logged and ignored
//! (e.g. `cluster`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use natrium_conf::{Key, Map, Pos, Value, ValueKind};
use natrium_subject::{MapDest, SubjectMapping};

mod accounts;

use crate::flags::parse_duration;
use crate::options::{
    AuthOptions, HandshakeFirst, JetStreamOptions, NkeyUser, Options, Permissions, Resolver,
    ResponsePermission, SubjectPermission, TlsOptions, User, WebsocketOptions,
};

/// Why a config file was rejected.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file does not parse.
    #[error(transparent)]
    Syntax(#[from] natrium_conf::ConfError),
    /// A key or value is not acceptable.
    #[error("{pos}: {message}")]
    Invalid {
        /// Where.
        pos: Pos,
        /// What is wrong.
        message: String,
    },
}

fn unknown(key: &Key, within: &str) -> ConfigError {
    ConfigError::Invalid {
        pos: key.pos.clone(),
        message: format!("unknown field {:?} in {within}", key.as_str()),
    }
}

fn invalid(v: &Value, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        pos: v.pos.clone(),
        message: message.into(),
    }
}

/// Settings known to nats-server that would weaken security if ignored.
const UNSUPPORTED_SECURITY: &[&str] = &[
    "trusted",
    "trusted_keys",
    "resolver_tls",
    "resolver_pinned_accounts",
    "cluster.tls",
    "cluster.authorization",
    "cluster.permissions",
];

/// Settings known to nats-server that Natrium ignores for now, with a warning.
const IGNORED: &[&str] = &[
    "cluster.connect_backoff",
    "cluster.pool_size",
    "cluster.compression",
    "cluster.ping_interval",
    "cluster.ping_max",
    "cluster.write_deadline",
    "cluster.accounts",
    "cluster.pinned_accounts",
    "gateway",
    "leafnodes",
    "leaf",
    "mqtt",
    "logtime",
    "logfile_size_limit",
    "syslog",
    "remote_syslog",
    "max_traced_msg_len",
    "connect_error_reports",
    "reconnect_error_reports",
    "no_header_support",
    "disable_sublist_cache",
    "max_subscriptions",
    "max_subs",
    "https_port",
    "http_base_path",
    "jetstream.max_buffered_msgs",
    "jetstream.max_buffered_size",
    "jetstream.request_queue_limit",
    "jetstream.compress_ok",
    "jetstream.unique_tag",
    "jetstream.cipher",
    "jetstream.key",
];

/// Reads `path` into options on top of the defaults.
pub fn load(path: &Path) -> Result<Options, ConfigError> {
    let map = natrium_conf::parse_file(path)?;
    let mut opts = Options::default();
    let mut warnings = Vec::new();
    apply(&map, &mut opts, &mut warnings)?;
    for w in warnings {
        tracing::warn!("{w}");
    }
    Ok(opts)
}

/// Applies a parsed config to `opts`; warnings collect ignored settings.
pub fn apply(map: &Map, opts: &mut Options, warnings: &mut Vec<String>) -> Result<(), ConfigError> {
    // Users declared inside `accounts {}`; merged once `authorization {}`, which may
    // come later and replaces the users list, has been read.
    let mut account_users = accounts::AccountUsers::default();
    for (key, v) in &map.entries {
        let k = key.to_ascii_lowercase();
        match k.as_str() {
            "listen" => {
                let (host, port) = host_port(v)?;
                if let Some(h) = host {
                    opts.host = h;
                }
                opts.port = port;
            }
            "port" => opts.port = port_value(v)?,
            "host" | "net" | "addr" => opts.host = string(v)?,
            "server_name" => opts.server_name = Some(string(v)?),
            "client_advertise" => opts.client_advertise = Some(string(v)?),
            "http_port" | "monitor_port" => opts.http_port = Some(port_value(v)?),
            "http" => {
                let (host, port) = host_port(v)?;
                opts.http_host = host;
                opts.http_port = Some(port);
            }
            "http_host" => opts.http_host = Some(string(v)?),
            "authorization" => auth(v, opts)?,
            "accounts" => accounts::accounts(v, opts, &mut account_users)?,
            "system_account" | "system" => opts.system_account = Some(string(v)?),
            "no_system_account" | "no_system" | "no_sys_acc" => {
                opts.no_system_account = boolean(v)?;
            }
            "no_auth_user" => opts.auth.no_auth_user = Some(string(v)?),
            "operator" | "operators" | "roots" | "root" | "root_operators" | "root_operator" => {
                opts.auth.operator.operators = operators(v)?;
            }
            "resolver" | "account_resolver" | "accounts_resolver" => {
                opts.auth.operator.resolver = Some(resolver(v)?);
            }
            "resolver_preload" => opts.auth.operator.preload = preload(v)?,
            "cluster" => cluster(v, opts, warnings)?,
            "mappings" | "maps" => opts.mappings = mappings(v)?,
            "max_payload" => opts.max_payload = size(v)?,
            "max_control_line" => opts.max_control_line = size(v)?,
            "max_pending" => opts.max_pending = size(v)?,
            "max_connections" | "max_conn" => opts.max_connections = size(v)?,
            "ping_interval" => opts.ping_interval = duration(v)?,
            "ping_max" => {
                opts.ping_max = u32::try_from(integer(v)?)
                    .map_err(|_| invalid(v, "ping_max must be a non-negative number"))?
            }
            "write_deadline" => opts.write_deadline = duration(v)?,
            "disable_short_first_ping" => opts.disable_short_first_ping = boolean(v)?,
            "lame_duck_duration" => opts.lame_duck_duration = duration(v)?,
            "lame_duck_grace_period" => opts.lame_duck_grace_period = duration(v)?,
            "jetstream" => jetstream(v, &mut opts.jetstream, warnings)?,
            "store_dir" => opts.jetstream.store_dir = Some(PathBuf::from(string(v)?)),
            "pid_file" => opts.pid_file = Some(PathBuf::from(string(v)?)),
            "ports_file_dir" => opts.ports_file_dir = Some(PathBuf::from(string(v)?)),
            "log_file" => opts.log.file = Some(PathBuf::from(string(v)?)),
            "tls" => opts.tls = Some(tls(v, "tls")?),
            "websocket" | "ws" => opts.websocket = websocket(v, warnings)?,
            "debug" => opts.log.debug = boolean(v)?,
            "trace" | "trace_verbose" => opts.log.trace = boolean(v)?,
            _ => known_unsupported(key, &k, warnings)?,
        }
    }
    account_users.merge_into(&mut opts.auth)
}

fn known_unsupported(
    key: &Key,
    lower: &str,
    warnings: &mut Vec<String>,
) -> Result<(), ConfigError> {
    if key.used_as_variable {
        return Ok(());
    }
    let err = |message: String| ConfigError::Invalid {
        pos: key.pos.clone(),
        message,
    };
    if UNSUPPORTED_SECURITY.contains(&lower) {
        return Err(err(format!(
            "{lower:?} is not supported yet by natrium-server; refusing to start without it"
        )));
    }
    if IGNORED.contains(&lower) {
        warnings.push(format!(
            "{}: {lower:?} is not supported yet by natrium-server and is ignored",
            key.pos
        ));
        return Ok(());
    }
    Err(err(format!("unknown field {:?}", key.as_str())))
}

/// A `mappings { ... }` block (the top-level one is the global account's; an account's own
/// has the same shape): each key is a source subject, each value a destination subject,
/// one `{ destination, weight, cluster }` entry or a list of them. Every mapping is
/// compiled here, so a bad one stops the start with its position and nats-server's text.
/// A source given twice keeps its place with the later value, as nats-server replaces it.
pub fn mappings(v: &Value) -> Result<Vec<SubjectMapping>, ConfigError> {
    let mut out: Vec<SubjectMapping> = Vec::new();
    for (key, mv) in &map(v)?.entries {
        if key.used_as_variable {
            continue;
        }
        let src = key.as_str();
        if !natrium_subject::is_valid_subject(src.as_bytes()) {
            return Err(ConfigError::Invalid {
                pos: key.pos.clone(),
                message: format!("Subject {src:?} is not a valid subject"),
            });
        }
        let mapping = match &mv.kind {
            ValueKind::String(dest) => SubjectMapping::new(src, &[MapDest::new(dest.clone(), 100)])
                .map_err(|e| {
                    invalid(
                        mv,
                        format!("Error adding mapping for {src:?} to {dest:?} : {e}"),
                    )
                })?,
            ValueKind::Array(list) => {
                let dests = list.iter().map(map_dest).collect::<Result<Vec<_>, _>>()?;
                SubjectMapping::new(src, &dests)
                    .map_err(|e| invalid(mv, format!("Error adding mapping for {src:?} : {e}")))?
            }
            ValueKind::Map(_) => SubjectMapping::new(src, &[map_dest(mv)?])
                .map_err(|e| invalid(mv, format!("Error adding mapping for {src:?} : {e}")))?,
            other => {
                return Err(invalid(
                    mv,
                    format!("Unknown type {} for mapping destination", other.type_name()),
                ))
            }
        };
        match out.iter_mut().find(|m| m.source() == src) {
            Some(existing) => *existing = mapping,
            None => out.push(mapping),
        }
    }
    Ok(out)
}

/// One `{ destination: "...", weight: 40% }` entry of a weighted mapping.
fn map_dest(v: &Value) -> Result<MapDest, ConfigError> {
    let ValueKind::Map(m) = &v.kind else {
        return Err(invalid(v, "Expected an entry for the mapping destination"));
    };
    let mut dest = MapDest::new(String::new(), 0);
    let mut weight_set = false;
    for (key, fv) in &m.entries {
        match key.to_ascii_lowercase().as_str() {
            "dest" | "destination" => dest.subject = string(fv)?,
            "weight" => {
                let weight = match &fv.kind {
                    ValueKind::String(text) => {
                        let digits = text.strip_suffix('%').unwrap_or(text);
                        digits.parse::<i64>().map_err(|_| {
                            invalid(
                                fv,
                                format!("Invalid weight {digits:?} for mapping destination"),
                            )
                        })?
                    }
                    ValueKind::Integer(n) => *n,
                    other => {
                        return Err(invalid(
                            fv,
                            format!("Unknown entry type for weight of {}", other.type_name()),
                        ))
                    }
                };
                dest.weight = u8::try_from(weight)
                    .ok()
                    .filter(|w| *w <= 100)
                    .ok_or_else(|| {
                        invalid(
                            fv,
                            format!("Invalid weight {weight} for mapping destination"),
                        )
                    })?;
                weight_set = true;
            }
            "cluster" => dest.cluster = Some(string(fv)?),
            _ if key.used_as_variable => {}
            _ => {
                return Err(ConfigError::Invalid {
                    pos: key.pos.clone(),
                    message: format!("Unknown field {:?} for mapping destination", key.as_str()),
                })
            }
        }
    }
    if !weight_set {
        return Err(invalid(
            v,
            format!("Missing weight for mapping destination {:?}", dest.subject),
        ));
    }
    Ok(dest)
}

fn cluster(v: &Value, opts: &mut Options, warnings: &mut Vec<String>) -> Result<(), ConfigError> {
    let c = &mut opts.cluster;
    let (mut host, mut port) = (None, None);
    for (key, v) in &map(v)?.entries {
        let k = key.to_ascii_lowercase();
        match k.as_str() {
            "name" => c.name = Some(string(v)?),
            "listen" => {
                let (h, p) = host_port(v)?;
                host = h.or(host);
                port = Some(p);
            }
            "host" | "net" => host = Some(string(v)?),
            "port" => port = Some(port_value(v)?),
            "routes" => {
                c.routes = array(v)?.iter().map(string).collect::<Result<_, _>>()?;
            }
            "no_advertise" => c.no_advertise = boolean(v)?,
            "advertise" | "cluster_advertise" => c.advertise = Some(string(v)?),
            "connect_retries" => {
                c.connect_retries = u32::try_from(integer(v)?)
                    .map_err(|_| invalid(v, "connect_retries must be a non-negative number"))?
            }
            _ => known_unsupported(key, &format!("cluster.{k}"), warnings)?,
        }
    }
    if host.is_some() || port.is_some() {
        c.listen = Some((
            host.unwrap_or_else(|| "0.0.0.0".to_owned()),
            port.unwrap_or(0),
        ));
    }
    Ok(())
}

/// A `tls {}` block (`within` names it in errors: `tls`, `websocket.tls`).
fn tls(v: &Value, within: &str) -> Result<TlsOptions, ConfigError> {
    let (mut cert, mut key) = (None, None);
    let mut t = TlsOptions::new("", "");
    for (key_name, v) in &map(v)?.entries {
        let k = key_name.to_ascii_lowercase();
        match k.as_str() {
            "cert_file" => cert = Some(PathBuf::from(string(v)?)),
            "key_file" => key = Some(PathBuf::from(string(v)?)),
            "ca_file" => t.ca_file = Some(PathBuf::from(string(v)?)),
            "verify" => t.verify = boolean(v)?,
            "verify_and_map" => {
                t.verify_and_map = boolean(v)?;
                t.verify |= t.verify_and_map;
            }
            "timeout" => {
                t.timeout = match &v.kind {
                    ValueKind::String(text) => natrium_proto::parse_go_duration(text)
                        .ok_or_else(|| {
                            invalid(v, format!("error parsing tls config, 'timeout' {text:?}"))
                        })?,
                    _ => duration(v)?,
                }
            }
            "handshake_first" | "first" | "immediate" => {
                t.handshake_first = handshake_first(v, &k)?;
            }
            _ if key_name.used_as_variable => {}
            "insecure"
            | "cipher_suites"
            | "curve_preferences"
            | "allow_insecure_cipher_suites"
            | "verify_cert_and_check_known_urls"
            | "connection_rate_limit"
            | "pinned_certs"
            | "cert_store"
            | "cert_match_by"
            | "cert_match"
            | "cert_match_skip_invalid"
            | "ca_certs_match"
            | "ocsp_peer"
            | "certs"
            | "min_version"
            | "ocsp_cache" => {
                return Err(invalid(
                    v,
                    format!("{within}.{k} is not supported yet by natrium-server; refusing to start without it"),
                ))
            }
            _ => return Err(unknown(key_name, within)),
        }
    }
    // As nats-server: no timeout (or 0) means the default.
    if t.timeout.is_zero() {
        t.timeout = crate::options::DEFAULT_TLS_TIMEOUT;
    }
    t.cert_file =
        cert.ok_or_else(|| invalid(v, format!("missing 'cert_file' in {within} configuration")))?;
    t.key_file =
        key.ok_or_else(|| invalid(v, format!("missing 'key_file' in {within} configuration")))?;
    if t.verify && t.ca_file.is_none() {
        return Err(invalid(
            v,
            format!("{within}: 'verify' needs a 'ca_file' (natrium-server does not use the system CAs for client certificates)"),
        ));
    }
    Ok(t)
}

/// `handshake_first: true | false | "auto" | <duration>`.
fn handshake_first(v: &Value, key: &str) -> Result<HandshakeFirst, ConfigError> {
    /// nats-server's fallback delay for `auto`.
    const AUTO: Duration = Duration::from_millis(50);
    match &v.kind {
        ValueKind::Bool(true) => Ok(HandshakeFirst::Always),
        ValueKind::Bool(false) => Ok(HandshakeFirst::Off),
        ValueKind::String(text) => match text.to_ascii_lowercase().as_str() {
            "true" | "on" => Ok(HandshakeFirst::Always),
            "false" | "off" => Ok(HandshakeFirst::Off),
            "auto" | "auto_fallback" => Ok(HandshakeFirst::Fallback(AUTO)),
            _ => match natrium_proto::parse_go_duration(text) {
                Some(d) if !d.is_zero() => Ok(HandshakeFirst::Fallback(d)),
                Some(_) => Ok(HandshakeFirst::Always),
                None => Err(invalid(
                    v,
                    format!("field {key:?}'s value {text:?} is invalid"),
                )),
            },
        },
        _ => Err(invalid(
            v,
            format!("field {key:?} should be a boolean or a string"),
        )),
    }
}

/// The `websocket {}` block; as in nats-server, without a port (or with port 0) there is
/// no WebSocket listener, and `-1` picks a free port.
fn websocket(
    v: &Value,
    warnings: &mut Vec<String>,
) -> Result<Option<WebsocketOptions>, ConfigError> {
    let mut w = WebsocketOptions::default();
    let mut enabled = false;
    for (key, v) in &map(v)?.entries {
        let k = key.to_ascii_lowercase();
        match k.as_str() {
            "listen" => {
                let (host, port) = host_port(v)?;
                if host.is_some() {
                    w.host = host;
                }
                enabled =
                    port != 0 || matches!(&v.kind, ValueKind::String(s) if s.ends_with(":-1"));
                w.port = port;
            }
            "port" => {
                enabled = integer(v)? != 0;
                w.port = port_value(v)?;
            }
            "host" | "net" => w.host = Some(string(v)?),
            "no_tls" => w.no_tls = boolean(v)?,
            "tls" => {
                let t = tls(v, "websocket.tls")?;
                if t.verify_and_map {
                    return Err(invalid(v, "websocket.tls.verify_and_map is not supported yet by natrium-server; refusing to start without it"));
                }
                if t.handshake_first != HandshakeFirst::Off {
                    return Err(invalid(
                        v,
                        "websocket.tls.handshake_first is not supported yet by natrium-server",
                    ));
                }
                w.tls = Some(t);
            }
            "compression" | "compress" => w.compression = boolean(v)?,
            "same_origin" => w.same_origin = boolean(v)?,
            "allowed_origins" | "allowed_origin" | "allow_origins" | "allow_origin" | "origins"
            | "origin" => {
                w.allowed_origins = match &v.kind {
                    ValueKind::String(s) => vec![s.clone()],
                    _ => array(v)?.iter().map(string).collect::<Result<_, _>>()?,
                };
                for origin in &w.allowed_origins {
                    if crate::transport::websocket::Origin::parse(origin).is_none() {
                        return Err(invalid(v, format!("unable to parse allowed origin {origin:?}: allowed origins must be absolute URLs with http or https scheme")));
                    }
                }
            }
            "handshake_timeout" => {
                let d = duration(v)?;
                if !d.is_zero() {
                    w.handshake_timeout = d;
                }
            }
            "advertise" | "ping_interval" => warnings.push(format!(
                "{}: \"websocket.{k}\" is not supported yet by natrium-server and is ignored",
                key.pos
            )),
            _ if key.used_as_variable => {}
            "authorization" | "authentication" | "jwt_cookie" | "user_cookie" | "pass_cookie"
            | "token_cookie" | "no_auth_user" | "headers" => {
                return Err(invalid(v, format!("websocket.{k} is not supported yet by natrium-server; refusing to start without it")));
            }
            _ => return Err(unknown(key, "websocket")),
        }
    }
    if !enabled {
        return Ok(None);
    }
    if w.tls.is_none() && !w.no_tls {
        return Err(invalid(v, "websocket requires TLS configuration"));
    }
    Ok(Some(w))
}

fn auth(v: &Value, opts: &mut Options) -> Result<(), ConfigError> {
    let map = map(v)?;
    // `no_auth_user` and the operator-mode keys are top-level keys that may come before
    // this block.
    let mut auth = AuthOptions {
        no_auth_user: opts.auth.no_auth_user.take(),
        operator: std::mem::take(&mut opts.auth.operator),
        ..AuthOptions::default()
    };
    let (mut user, mut pass) = (None, None);
    let mut users_list = None;
    let mut default_permissions = None;
    for (key, v) in &map.entries {
        match key.to_ascii_lowercase().as_str() {
            "token" => auth.token = Some(string(v)?),
            "user" | "username" => user = Some(string(v)?),
            "pass" | "password" => pass = Some(string(v)?),
            "timeout" => opts.auth_timeout = duration(v)?,
            "users" => users_list = Some(v),
            "permissions" | "default_permissions" | "default_permission" => {
                default_permissions = Some((v, permissions(v)?));
            }
            _ if key.used_as_variable => {}
            _ => return Err(unknown(key, "authorization")),
        }
    }
    if (user.is_some() || pass.is_some()) && auth.token.is_some() {
        return Err(invalid(v, "Cannot have a user/pass and token"));
    }
    if let Some(list) = users_list {
        if user.is_some() {
            return Err(invalid(
                v,
                "Can not have a single user/pass and a users array",
            ));
        }
        if auth.token.is_some() {
            return Err(invalid(v, "Can not have a token and a users array"));
        }
        for u in array(list)? {
            match user_entry(u)? {
                Entry::User(u) => auth.users.push(u),
                Entry::Nkey(n) => auth.nkeys.push(n),
            }
        }
    }
    if let Some((pv, default)) = default_permissions {
        // nats-server applies these only to users of a users list and silently ignores
        // them for a single user or a token; refusing is safer than running without.
        if users_list.is_none() {
            return Err(invalid(
                pv,
                "authorization permissions apply to the users of a users list; a single user or token cannot have permissions",
            ));
        }
        for u in &mut auth.users {
            u.permissions.get_or_insert_with(|| default.clone());
        }
        for n in &mut auth.nkeys {
            n.permissions.get_or_insert_with(|| default.clone());
        }
    }
    if let Some(username) = user {
        auth.user = Some(User {
            username,
            password: pass.unwrap_or_default(),
            ..User::default()
        });
    }
    opts.auth = auth;
    Ok(())
}

/// `operator: <jwt or file>` or a list of them. A value that names no readable file is
/// taken as the JWT itself when it looks like one, as nats-server does.
fn operators(v: &Value) -> Result<Vec<String>, ConfigError> {
    let values = match &v.kind {
        ValueKind::String(_) => std::slice::from_ref(v),
        _ => array(v)?,
    };
    values
        .iter()
        .map(|item| {
            let name = string(item)?;
            let text = match std::fs::read_to_string(&name) {
                Ok(text) => text,
                Err(_) if name.starts_with("eyJ") => name,
                Err(e) => {
                    return Err(invalid(
                        item,
                        format!("error parsing operator JWT: cannot read {name:?}: {e}"),
                    ))
                }
            };
            Ok(crate::jwt::undecorate(&text).to_owned())
        })
        .collect()
}

/// `resolver: MEMORY`. The URL and directory (nats-based) resolvers are refused: ignoring
/// them would leave every account unknown, and guessing would be worse.
fn resolver(v: &Value) -> Result<Resolver, ConfigError> {
    let unsupported = |what: &str| {
        invalid(
            v,
            format!("resolver: {what} is not supported yet by natrium-server (only MEMORY with resolver_preload); refusing to start without it"),
        )
    };
    match &v.kind {
        ValueKind::String(s) => match s.trim().to_ascii_uppercase().as_str() {
            "MEM" | "MEMORY" => Ok(Resolver::Memory),
            u if u.starts_with("URL") => Err(unsupported("the URL resolver")),
            _ => Err(invalid(
                v,
                "error parsing account resolver, should be MEM or URL(\"url\") or a map containing dir and type state=[FULL|CACHE])",
            )),
        },
        ValueKind::Map(m) => {
            let kind = m
                .entries
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("type"))
                .map(|(_, v)| string(v))
                .transpose()?
                .unwrap_or_default();
            match kind.to_ascii_uppercase().as_str() {
                "MEM" | "MEMORY" => Ok(Resolver::Memory),
                _ => Err(unsupported(&format!("the {kind:?} (nats-based) resolver"))),
            }
        }
        _ => Err(invalid(v, "error parsing operator resolver, wrong type")),
    }
}

/// `resolver_preload { <account public key>: <account JWT> }`.
fn preload(v: &Value) -> Result<Vec<(String, String)>, ConfigError> {
    let ValueKind::Map(m) = &v.kind else {
        return Err(invalid(
            v,
            "preload should be a map of account_public_key:account_jwt",
        ));
    };
    m.entries
        .iter()
        .filter(|(key, _)| !key.used_as_variable)
        .map(|(key, jwt)| match &jwt.kind {
            ValueKind::String(s) => Ok((key.as_str().to_owned(), s.clone())),
            _ => Err(invalid(jwt, "preload map value should be a string JWT")),
        })
        .collect()
}

enum Entry {
    User(User),
    Nkey(NkeyUser),
}

fn user_entry(v: &Value) -> Result<Entry, ConfigError> {
    let map = map(v)?;
    let (mut username, mut password, mut nkey, mut perms) = (None, None, None, None);
    let mut types = Vec::new();
    let mut account = None;
    for (key, v) in &map.entries {
        match key.to_ascii_lowercase().as_str() {
            "user" | "username" => username = Some(string(v)?),
            "pass" | "password" => password = Some(string(v)?),
            "nkey" => nkey = Some(string(v)?),
            "permission" | "permissions" | "authorization" => perms = Some(permissions(v)?),
            "allowed_connection_types" | "connection_types" | "clients" => {
                types = connection_types(v)?;
            }
            // nats-server knows `account` only inside `accounts {}`; outside of it,
            // Natrium also reads it (see docs/COMPATIBILITY.md).
            "account" => account = Some(string(v)?),
            "proxy_required" => {
                return Err(invalid(v, format!("users with {key:?} are not supported yet by natrium-server; refusing to start without it")));
            }
            _ if key.used_as_variable => {}
            _ => return Err(unknown(key, "user")),
        }
    }
    match (nkey, username) {
        (Some(_), Some(_)) => Err(invalid(v, "Nkey users do not take usernames or passwords")),
        (Some(_), None) if password.is_some() => {
            Err(invalid(v, "Nkey users do not take usernames or passwords"))
        }
        (Some(nkey), None) => {
            let valid = nkeys::KeyPair::from_public_key(&nkey)
                .is_ok_and(|k| k.key_pair_type() == nkeys::KeyPairType::User);
            if !valid {
                return Err(invalid(v, "Not a valid public nkey for a user"));
            }
            Ok(Entry::Nkey(NkeyUser {
                nkey,
                permissions: perms,
                allowed_connection_types: types,
                account,
            }))
        }
        (None, Some(username)) => Ok(Entry::User(User {
            username,
            password: password.unwrap_or_default(),
            permissions: perms,
            allowed_connection_types: types,
            account,
        })),
        (None, None) => Err(invalid(v, "User entry requires a user")),
    }
}

/// `allowed_connection_types: ["STANDARD", ...]`, upper-cased; an unknown kind is refused.
fn connection_types(v: &Value) -> Result<Vec<String>, ConfigError> {
    let types = match &v.kind {
        ValueKind::String(s) => vec![s.clone()],
        _ => array(v)?.iter().map(string).collect::<Result<_, _>>()?,
    };
    types
        .into_iter()
        .map(|t| {
            let upper = t.to_ascii_uppercase();
            if crate::options::CONNECTION_TYPES.contains(&upper.as_str()) {
                Ok(upper)
            } else {
                Err(invalid(v, format!("unknown connection type {t:?}")))
            }
        })
        .collect()
}

/// `permissions { publish, subscribe, allow_responses }`.
fn permissions(v: &Value) -> Result<Permissions, ConfigError> {
    let mut p = Permissions::default();
    for (key, v) in &map(v)?.entries {
        match key.to_ascii_lowercase().as_str() {
            "pub" | "publish" | "import" => p.publish = subject_permission(v, false)?,
            "sub" | "subscribe" | "export" => p.subscribe = subject_permission(v, true)?,
            "publish_allow_responses" | "allow_responses" => p.response = allow_responses(v)?,
            _ if key.used_as_variable => {}
            _ => return Err(unknown(key, "permissions")),
        }
    }
    Ok(p)
}

/// `"subject"`, `["a", "b"]` (both: an allow list) or `{ allow: ..., deny: ... }`.
fn subject_permission(v: &Value, queues: bool) -> Result<Option<SubjectPermission>, ConfigError> {
    let ValueKind::Map(m) = &v.kind else {
        return Ok(Some(SubjectPermission {
            allow: Some(subjects(v, queues)?),
            deny: Vec::new(),
        }));
    };
    if m.entries.is_empty() {
        return Ok(None);
    }
    let mut p = SubjectPermission::default();
    for (key, v) in &m.entries {
        match key.to_ascii_lowercase().as_str() {
            "allow" => p.allow = Some(subjects(v, queues)?),
            "deny" => p.deny = subjects(v, queues)?,
            _ if key.used_as_variable => {}
            _ => return Err(unknown(key, "subject permissions (only allow or deny)")),
        }
    }
    Ok(Some(p))
}

fn subjects(v: &Value, queues: bool) -> Result<Vec<String>, ConfigError> {
    let list = match &v.kind {
        ValueKind::String(s) => vec![s.clone()],
        ValueKind::Array(a) => a.iter().map(string).collect::<Result<_, _>>()?,
        _ => return Err(invalid(v, "expected a subject or an array of subjects")),
    };
    for s in &list {
        let mut parts = s.split_whitespace();
        let ok = match (parts.next(), parts.next(), parts.next()) {
            (Some(subject), None, None) => natrium_subject::is_valid_subject(subject.as_bytes()),
            (Some(subject), Some(queue), None) if queues => {
                natrium_subject::is_valid_subject(subject.as_bytes())
                    && natrium_subject::is_valid_subject(queue.as_bytes())
            }
            _ => false,
        };
        if !ok {
            return Err(invalid(v, format!("subject {s:?} is not a valid subject")));
        }
    }
    Ok(list)
}

/// `allow_responses: true` or `{ max: N, expires: "1m" }`; 0 keeps nats-server's default
/// (one response within two minutes), a negative value means no limit.
fn allow_responses(v: &Value) -> Result<Option<ResponsePermission>, ConfigError> {
    let m = match &v.kind {
        ValueKind::Bool(b) => return Ok(b.then(ResponsePermission::default)),
        ValueKind::Map(m) => m,
        _ => {
            return Err(invalid(
                v,
                "error parsing response permissions, expected a boolean or a map",
            ))
        }
    };
    let mut rp = ResponsePermission::default();
    for (key, v) in &m.entries {
        match key.to_ascii_lowercase().as_str() {
            "max" | "max_msgs" | "max_messages" | "max_responses" => {
                let n = integer(v)?;
                if n != 0 {
                    rp.max_msgs = n;
                }
            }
            "expires" | "expiration" | "ttl" => {
                let s = string(v)?;
                match s.strip_prefix('-') {
                    Some(_) => rp.expires = None,
                    None => {
                        let ttl = parse_duration(&s).ok_or_else(|| {
                            invalid(v, format!("error parsing expires: invalid duration {s:?}"))
                        })?;
                        if !ttl.is_zero() {
                            rp.expires = Some(ttl);
                        }
                    }
                }
            }
            _ if key.used_as_variable => {}
            _ => return Err(unknown(key, "allow_responses")),
        }
    }
    Ok(Some(rp))
}

fn jetstream(
    v: &Value,
    js: &mut JetStreamOptions,
    warnings: &mut Vec<String>,
) -> Result<(), ConfigError> {
    match &v.kind {
        ValueKind::Bool(b) => js.enabled = *b,
        ValueKind::String(s) => {
            js.enabled = match s.to_ascii_lowercase().as_str() {
                "enabled" | "enable" | "true" | "on" | "yes" => true,
                "disabled" | "disable" | "false" | "off" | "no" => false,
                _ => {
                    return Err(invalid(
                        v,
                        format!("jetstream: expected enabled or disabled, got {s:?}"),
                    ))
                }
            }
        }
        ValueKind::Map(m) => {
            js.enabled = true;
            for (key, v) in &m.entries {
                let k = key.to_ascii_lowercase();
                match k.as_str() {
                    "store_dir" | "store" | "storedir" => {
                        js.store_dir = Some(PathBuf::from(string(v)?))
                    }
                    "max_memory_store" | "max_mem_store" | "max_mem" => {
                        js.max_memory = Some(signed_size(v)?)
                    }
                    "max_file_store" | "max_file" => js.max_file = Some(signed_size(v)?),
                    "domain" => js.domain = Some(string(v)?),
                    "strict" => js.strict = Some(boolean(v)?),
                    "enabled" | "enable" => js.enabled = boolean(v)?,
                    "sync_interval" | "sync" => {
                        let text = scalar_text(v)?;
                        if text.parse::<i64>().is_ok() {
                            warnings.push(format!(
                                "{}: sync_interval should be converted to a duration; {text} is read as seconds",
                                v.pos
                            ));
                        } else if !text.eq_ignore_ascii_case("always")
                            && natrium_proto::parse_go_duration(&text).is_none()
                        {
                            return Err(invalid(
                                v,
                                format!("error parsing sync_interval: invalid duration {text:?}"),
                            ));
                        }
                        js.sync_interval = Some(text);
                    }
                    "limits" => {
                        for (key, v) in &map(v)?.entries {
                            match key.to_ascii_lowercase().as_str() {
                                "max_request_batch" => js.max_request_batch = Some(integer(v)?),
                                // As nats-server: zero or less keeps the default.
                                "max_batch_inflight_per_stream" => {
                                    js.batch_limits.inflight_per_stream =
                                        usize::try_from(integer(v)?).ok().filter(|n| *n > 0);
                                }
                                "max_batch_inflight_total" => {
                                    js.batch_limits.inflight_total =
                                        u64::try_from(integer(v)?).ok().filter(|n| *n > 0);
                                }
                                "max_batch_size" => {
                                    js.batch_limits.max_size =
                                        u64::try_from(integer(v)?).ok().filter(|n| *n > 0);
                                }
                                "max_batch_timeout" => {
                                    js.batch_limits.timeout =
                                        Some(duration(v)?).filter(|d| !d.is_zero());
                                }
                                "max_ack_pending"
                                | "max_ha_assets"
                                | "duplicate_window"
                                | "max_request_expires"
                                | "max_request_max_bytes" => {
                                    warnings.push(format!("{}: jetstream limit {key:?} is not supported yet and is ignored", v.pos));
                                }
                                _ => return Err(unknown(key, "jetstream limits")),
                            }
                        }
                    }
                    _ => known_unsupported(key, &format!("jetstream.{k}"), warnings)?,
                }
            }
        }
        _ => {
            return Err(invalid(
                v,
                "jetstream: expected a block, a boolean, or enabled/disabled",
            ))
        }
    }
    Ok(())
}

fn string(v: &Value) -> Result<String, ConfigError> {
    match &v.kind {
        ValueKind::String(s) => Ok(s.clone()),
        _ => Err(invalid(v, "expected a string")),
    }
}

fn scalar_text(v: &Value) -> Result<String, ConfigError> {
    match &v.kind {
        ValueKind::String(s) => Ok(s.clone()),
        ValueKind::Integer(i) => Ok(i.to_string()),
        _ => Err(invalid(v, "expected a string or number")),
    }
}

fn integer(v: &Value) -> Result<i64, ConfigError> {
    match &v.kind {
        ValueKind::Integer(i) => Ok(*i),
        _ => Err(invalid(v, "expected a number")),
    }
}

fn boolean(v: &Value) -> Result<bool, ConfigError> {
    match &v.kind {
        ValueKind::Bool(b) => Ok(*b),
        _ => Err(invalid(v, "expected true or false")),
    }
}

fn map(v: &Value) -> Result<&Map, ConfigError> {
    match &v.kind {
        ValueKind::Map(m) => Ok(m),
        _ => Err(invalid(v, "expected a block { ... }")),
    }
}

fn array(v: &Value) -> Result<&[Value], ConfigError> {
    match &v.kind {
        ValueKind::Array(a) => Ok(a),
        _ => Err(invalid(v, "expected an array [ ... ]")),
    }
}

fn size(v: &Value) -> Result<usize, ConfigError> {
    let n = integer(v)?;
    usize::try_from(n).map_err(|_| invalid(v, format!("expected a positive size, got {n}")))
}

fn signed_size(v: &Value) -> Result<i64, ConfigError> {
    integer(v)
}

fn duration(v: &Value) -> Result<Duration, ConfigError> {
    match &v.kind {
        ValueKind::Integer(secs) => u64::try_from(*secs)
            .map(Duration::from_secs)
            .map_err(|_| invalid(v, "expected a non-negative duration")),
        ValueKind::Float(secs) => Duration::try_from_secs_f64(*secs)
            .map_err(|_| invalid(v, "expected a non-negative duration")),
        ValueKind::String(s) => parse_duration(s).ok_or_else(|| {
            invalid(
                v,
                format!("invalid duration {s:?} (use e.g. 2m, 30s, 500ms)"),
            )
        }),
        _ => Err(invalid(v, "expected a duration")),
    }
}

fn port_value(v: &Value) -> Result<u16, ConfigError> {
    let n = integer(v)?;
    if n == -1 {
        return Ok(0);
    }
    u16::try_from(n).map_err(|_| invalid(v, format!("invalid port {n}")))
}

/// `listen: "host:port"`, `listen: ":port"` or `listen: port`.
fn host_port(v: &Value) -> Result<(Option<String>, u16), ConfigError> {
    if let ValueKind::Integer(_) = v.kind {
        return Ok((None, port_value(v)?));
    }
    let s = string(v)?;
    let (host, port) = s
        .rsplit_once(':')
        .ok_or_else(|| invalid(v, format!("expected host:port, got {s:?}")))?;
    let port: i64 = port
        .parse()
        .map_err(|_| invalid(v, format!("invalid port in {s:?}")))?;
    let port = if port == -1 {
        0
    } else {
        u16::try_from(port).map_err(|_| invalid(v, format!("invalid port in {s:?}")))?
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    Ok(((!host.is_empty()).then(|| host.to_owned()), port))
}

#[cfg(test)]
mod tests {
    use super::*;
    use natrium_subject::Mapped;

    fn load_str(text: &str) -> Result<Options, ConfigError> {
        let map = natrium_conf::parse_str(text)?;
        let mut opts = Options::default();
        apply(&map, &mut opts, &mut Vec::new())?;
        Ok(opts)
    }

    const NKEY: &str = "UAFHG6FUD2UU4SDFVAFUL5LDFO2XM4WYM76UNXTPJYJK7EEMYRBHT2VE";

    #[test]
    fn jetstream_batch_limits() {
        let opts = load_str(
            r#"jetstream { limits { max_batch_inflight_per_stream: 3, max_batch_inflight_total: 9,
               max_batch_size: 20, max_batch_timeout: "2s" } }"#,
        )
        .unwrap();
        let limits = opts.jetstream.batch_limits;
        assert_eq!(limits.inflight_per_stream, Some(3));
        assert_eq!(limits.inflight_total, Some(9));
        assert_eq!(limits.max_size, Some(20));
        assert_eq!(limits.timeout, Some(std::time::Duration::from_secs(2)));
        // Zero keeps nats-server's default; a bad duration is refused.
        let opts = load_str("jetstream { limits { max_batch_size: 0 } }").unwrap();
        assert_eq!(opts.jetstream.batch_limits.max_size, None);
        assert!(load_str(r#"jetstream { limits { max_batch_timeout: "soon" } }"#).is_err());
    }

    #[test]
    fn nkey_users_and_permissions() {
        let opts = load_str(&format!(
            r#"
            no_auth_user: guest
            authorization {{
              default_permissions = {{ publish: "public.>" }}
              users: [
                {{ nkey: {NKEY}, permissions: {{ publish: {{ allow: ["a.>"], deny: "a.b" }}, subscribe: ["x", "y.> q"], allow_responses: {{ max: 3, expires: "5s" }} }} }}
                {{ user: guest, password: "$2a$11$abcdefghijklmnopqrstuu", allowed_connection_types: ["standard", "websocket"] }}
              ]
            }}
            "#
        ))
        .unwrap();
        let auth = &opts.auth;
        assert_eq!(auth.no_auth_user.as_deref(), Some("guest"));
        let n = &auth.nkeys[0];
        assert_eq!(n.nkey, NKEY);
        let p = n.permissions.as_ref().unwrap();
        let publish = p.publish.as_ref().unwrap();
        assert_eq!(publish.allow, Some(vec!["a.>".to_owned()]));
        assert_eq!(publish.deny, vec!["a.b".to_owned()]);
        assert_eq!(
            p.subscribe.as_ref().unwrap().allow,
            Some(vec!["x".to_owned(), "y.> q".to_owned()])
        );
        assert_eq!(
            p.response,
            Some(ResponsePermission {
                max_msgs: 3,
                expires: Some(Duration::from_secs(5))
            })
        );
        let guest = &auth.users[0];
        assert!(guest.password.starts_with("$2a$"));
        assert_eq!(guest.allowed_connection_types, ["STANDARD", "WEBSOCKET"]);
        assert_eq!(
            guest
                .permissions
                .as_ref()
                .unwrap()
                .publish
                .as_ref()
                .unwrap()
                .allow,
            Some(vec!["public.>".to_owned()]),
            "default permissions apply to users without their own"
        );
    }

    #[test]
    fn allow_responses_true_takes_the_defaults() {
        let opts = load_str(
            "authorization { users: [ { user: s, password: p, permissions: { allow_responses: true } } ] }",
        )
        .unwrap();
        let p = opts.auth.users[0].permissions.as_ref().unwrap();
        assert_eq!(p.response, Some(ResponsePermission::default()));
    }

    #[test]
    fn operator_mode_keys() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("op.jwt");
        std::fs::write(
            &file,
            "-----BEGIN NATS OPERATOR JWT-----\neyJfile.b.c\n------END NATS OPERATOR JWT------\n",
        )
        .unwrap();
        let opts = load_str(&format!(
            "operator: [eyJinline.b.c, {:?}]\nresolver: MEMORY\nresolver_preload: {{ AX: \"eyJa.b.c\" }}\nauthorization {{ timeout: 3 }}",
            file.display().to_string()
        ))
        .unwrap();
        let op = &opts.auth.operator;
        assert_eq!(op.operators, ["eyJinline.b.c", "eyJfile.b.c"]);
        assert_eq!(op.resolver, Some(Resolver::Memory));
        assert_eq!(op.preload, [("AX".to_owned(), "eyJa.b.c".to_owned())]);
        assert!(opts.auth.required() && opts.auth.nonce_required());
        assert!(load_str("resolver: { type: memory }").is_ok());
        for bad in [
            "resolver: URL(\"http://localhost:9090/jwt/v1/accounts/\")",
            "resolver: { type: full, dir: \"./jwt\" }",
            "resolver: { type: cache, dir: \"./jwt\" }",
            "resolver: BOGUS",
            "resolver_preload: [x]",
            "resolver_preload: { A: 1 }",
            "operator: /does/not/exist.jwt",
            "resolver_pinned_accounts: [A]",
            "trusted_keys: [O]",
        ] {
            assert!(load_str(bad).is_err(), "{bad}");
        }
        let err = load_str("resolver: URL(\"http://x\")")
            .unwrap_err()
            .to_string();
        assert!(err.contains("not supported"), "{err}");
    }

    #[test]
    fn bad_auth_blocks_are_refused() {
        for bad in [
            "authorization { users: [ { nkey: NOTAKEY } ] }",
            &format!("authorization {{ users: [ {{ nkey: {NKEY}, user: x }} ] }}"),
            "authorization { users: [ { password: x } ] }",
            "authorization { user: a, password: b, permissions: { publish: x } }",
            "authorization { token: t, users: [ { user: a } ] }",
            "authorization { user: a, token: t }",
            "authorization { users: [ { user: a, permissions: { publish: \"a b\" } } ] }",
            "authorization { users: [ { user: a, permissions: { publish: { allow: x, bogus: y } } } ] }",
            "authorization { users: [ { user: a, permissions: { allow_responses: 5 } } ] }",
            "authorization { users: [ { user: a, allowed_connection_types: [\"BOGUS\"] } ] }",
        ] {
            assert!(load_str(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn mappings_block() {
        let opts = load_str(
            r#"
            mappings {
              "foo": "bar"
              "orders.*.*": "orders.{{wildcard(2)}}.{{wildcard(1)}}"
              load: [ {destination: "a", weight: 40%}, {dest: "b", weight: "60"} ]
              single: { destination: "one", weight: 100, cluster: "east" }
            }
            "#,
        )
        .unwrap();
        let sources: Vec<&str> = opts.mappings.iter().map(|m| m.source()).collect();
        assert_eq!(sources, ["foo", "orders.*.*", "load", "single"]);
        let m = natrium_subject::SubjectMappings::new(opts.mappings.clone(), None);
        assert_eq!(
            m.map(b"orders.1.2"),
            Some(Mapped::Subject(b"orders.2.1".to_vec()))
        );
        // Without a destination for cluster "west", the implicit rest keeps the subject.
        assert_eq!(m.map(b"single"), Some(Mapped::Subject(b"single".to_vec())));
    }

    #[test]
    fn bad_mappings_are_refused_with_their_source() {
        let err = |text: &str| load_str(text).unwrap_err().to_string();
        let e = err(r#"mappings { "orders.*": "x.{{wildcard(2)}}" }"#);
        assert!(
            e.contains(r#"Error adding mapping for "orders.*" to "x.{{wildcard(2)}}" : invalid mapping destination: wildcard index out of range"#),
            "{e}"
        );
        let e = err(r#"mappings { "a..b": "x" }"#);
        assert!(
            e.contains(r#"Subject "a..b" is not a valid subject"#),
            "{e}"
        );
        let e = err(
            r#"mappings { l: [ {destination: a, weight: 70%}, {destination: b, weight: 40%} ] }"#,
        );
        assert!(e.contains("total weight needs to be <= 100"), "{e}");
        let e = err(r#"mappings { l: [ {destination: a} ] }"#);
        assert!(
            e.contains(r#"Missing weight for mapping destination "a""#),
            "{e}"
        );
        let e = err(r#"mappings { l: [ {destination: a, weight: 101} ] }"#);
        assert!(
            e.contains("Invalid weight 101 for mapping destination"),
            "{e}"
        );
        let e = err(r#"mappings { l: [ {destination: a, weight: 10, color: red} ] }"#);
        assert!(
            e.contains(r#"Unknown field "color" for mapping destination"#),
            "{e}"
        );
        let e = err(r#"mappings { l: 5 }"#);
        assert!(
            e.contains("Unknown type integer for mapping destination"),
            "{e}"
        );
    }

    #[test]
    fn tls_blocks_are_read_and_checked() {
        let opts = load_str(
            r#"tls { cert_file: "c.pem", key_file: "k.pem", ca_file: "ca.pem", verify_and_map: true, timeout: 0.5, handshake_first: "300ms" }"#,
        )
        .unwrap();
        let t = opts.tls.unwrap();
        assert!(t.verify && t.verify_and_map);
        assert_eq!(t.timeout, Duration::from_millis(500));
        assert_eq!(
            t.handshake_first,
            HandshakeFirst::Fallback(Duration::from_millis(300))
        );
        for (value, expected) in [
            ("true", HandshakeFirst::Always),
            ("auto", HandshakeFirst::Fallback(Duration::from_millis(50))),
            ("false", HandshakeFirst::Off),
        ] {
            let opts = load_str(&format!(
                "tls {{ cert_file: c, key_file: k, handshake_first: {value} }}"
            ))
            .unwrap();
            assert_eq!(opts.tls.unwrap().handshake_first, expected, "{value}");
        }
        for bad in [
            "tls { key_file: k }",
            "tls { cert_file: c }",
            "tls { cert_file: c, key_file: k, verify: true }",
            "tls { cert_file: c, key_file: k, cipher_suites: [x] }",
            "tls { cert_file: c, key_file: k, handshake_first: sometimes }",
            "tls { cert_file: c, key_file: k, bogus: 1 }",
            "websocket { port: 8080 }",
            "websocket { port: 8080, no_tls: true, allowed_origins: [\"ftp://x\"] }",
        ] {
            assert!(load_str(bad).is_err(), "{bad}");
        }
        // Without a port there is no WebSocket listener, as in nats-server.
        assert!(load_str("websocket { no_tls: true }")
            .unwrap()
            .websocket
            .is_none());
        let opts = load_str("tls { cert_file: c, key_file: k, timeout: 0 }").unwrap();
        assert_eq!(
            opts.tls.unwrap().timeout,
            crate::options::DEFAULT_TLS_TIMEOUT
        );
    }
}
