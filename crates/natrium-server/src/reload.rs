//! Config reload (SIGHUP, `--signal reload`): which option changes a running server
//! takes, and handing new authorization settings to live connections.
//!
//! Reloadable: the authorization settings (token, users, passwords, nkeys, permissions,
//! `no_auth_user`, operator JWTs), the connection limits ([`LiveLimits`]) and the log
//! level. Every other difference fails the reload with nats-server's message and leaves
//! the server as it was: a listener, a store directory or a cluster cannot change under
//! running clients.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use parking_lot::RwLock;
use tokio::sync::watch;

use crate::auth::{Authenticator, SetupError};
use crate::options::Options;

/// Why a reload was refused; the running configuration stays in force.
#[derive(Debug, thiserror::Error)]
pub enum ReloadError {
    /// An option that cannot change while the server runs differs.
    #[error("config reload not supported for {field}: old={old}, new={new}")]
    Unsupported {
        /// nats-server's name for the option.
        field: &'static str,
        /// Its running value.
        old: String,
        /// The value the new configuration asks for.
        new: String,
    },
    /// The new authorization settings cannot be used.
    #[error(transparent)]
    Auth(#[from] SetupError),
}

/// What a reload changed, for the log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reloaded {
    /// The reloaded settings, by nats-server's names (`authorization`, `debug`, `trace`).
    pub changed: Vec<&'static str>,
}

/// The authenticators in force: the client listener's and, with a WebSocket listener,
/// its own (users' `allowed_connection_types` differ per kind of connection). A reload
/// replaces them and tells every connection, which then checks its own credentials again.
#[derive(Debug)]
pub struct LiveAuth {
    current: RwLock<Arc<Authenticator>>,
    websocket: RwLock<Option<Arc<Authenticator>>>,
    /// Bumped by every reload: connections then refresh their limits.
    generation: watch::Sender<u64>,
    /// Bumped when the authenticators are replaced: connections then check their
    /// credentials again.
    auth_generation: AtomicU64,
}

impl LiveAuth {
    /// Starts with `auth` for client connections and `websocket` for the WebSocket
    /// listener, if there is one.
    pub fn new(auth: Authenticator, websocket: Option<Authenticator>) -> Self {
        Self {
            current: RwLock::new(Arc::new(auth)),
            websocket: RwLock::new(websocket.map(Arc::new)),
            generation: watch::channel(0).0,
            auth_generation: AtomicU64::new(0),
        }
    }

    /// How many times the authenticators were replaced.
    pub fn auth_generation(&self) -> u64 {
        self.auth_generation.load(Ordering::Acquire)
    }

    /// Tells the connections that a reload happened.
    pub fn announce(&self) {
        self.generation.send_modify(|g| *g = g.wrapping_add(1));
    }

    /// The authenticator new CONNECTs are checked against.
    pub fn current(&self) -> Arc<Authenticator> {
        Arc::clone(&self.current.read())
    }

    /// The authenticator for WebSocket connections (the client one without a WebSocket
    /// listener).
    pub fn websocket(&self) -> Arc<Authenticator> {
        match self.websocket.read().as_ref() {
            Some(ws) => Arc::clone(ws),
            None => self.current(),
        }
    }

    /// Notified after each reload ([`Self::announce`]).
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.generation.subscribe()
    }

    /// Installs `auth` (and `websocket`) and tells the connections.
    pub fn replace(&self, auth: Authenticator, websocket: Option<Authenticator>) {
        *self.current.write() = Arc::new(auth);
        *self.websocket.write() = websocket.map(Arc::new);
        self.auth_generation.fetch_add(1, Ordering::AcqRel);
    }
}

/// The limits a reload may change. New connections read them as they start; live ones
/// take the new parser limits (`max_payload`, `max_control_line`) after a reload.
#[derive(Debug)]
pub struct LiveLimits {
    max_connections: AtomicUsize,
    max_payload: AtomicUsize,
    max_control_line: AtomicUsize,
    max_pending: AtomicUsize,
    write_deadline: AtomicU64,
    auth_timeout: AtomicU64,
    lame_duck_duration: AtomicU64,
    lame_duck_grace_period: AtomicU64,
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

impl LiveLimits {
    /// The limits `opts` sets.
    pub fn new(opts: &Options) -> Self {
        let limits = Self {
            max_connections: AtomicUsize::new(0),
            max_payload: AtomicUsize::new(0),
            max_control_line: AtomicUsize::new(0),
            max_pending: AtomicUsize::new(0),
            write_deadline: AtomicU64::new(0),
            auth_timeout: AtomicU64::new(0),
            lame_duck_duration: AtomicU64::new(0),
            lame_duck_grace_period: AtomicU64::new(0),
        };
        limits.store(opts);
        limits
    }

    /// Takes the limits of `opts`.
    pub fn store(&self, opts: &Options) {
        let o = Ordering::Relaxed;
        self.max_connections.store(opts.max_connections, o);
        self.max_payload.store(opts.max_payload, o);
        self.max_control_line.store(opts.max_control_line, o);
        self.max_pending.store(opts.max_pending, o);
        self.write_deadline.store(nanos(opts.write_deadline), o);
        self.auth_timeout.store(nanos(opts.auth_timeout), o);
        self.lame_duck_duration
            .store(nanos(opts.lame_duck_duration), o);
        self.lame_duck_grace_period
            .store(nanos(opts.lame_duck_grace_period), o);
    }

    /// `max_connections`.
    pub fn max_connections(&self) -> usize {
        self.max_connections.load(Ordering::Relaxed)
    }

    /// `max_payload`.
    pub fn max_payload(&self) -> usize {
        self.max_payload.load(Ordering::Relaxed)
    }

    /// `max_control_line`.
    pub fn max_control_line(&self) -> usize {
        self.max_control_line.load(Ordering::Relaxed)
    }

    /// `max_pending`, per connection.
    pub fn max_pending(&self) -> usize {
        self.max_pending.load(Ordering::Relaxed)
    }

    /// `write_deadline`.
    pub fn write_deadline(&self) -> Duration {
        Duration::from_nanos(self.write_deadline.load(Ordering::Relaxed))
    }

    /// `authorization { timeout }`.
    pub fn auth_timeout(&self) -> Duration {
        Duration::from_nanos(self.auth_timeout.load(Ordering::Relaxed))
    }

    /// `lame_duck_duration`.
    pub fn lame_duck_duration(&self) -> Duration {
        Duration::from_nanos(self.lame_duck_duration.load(Ordering::Relaxed))
    }

    /// `lame_duck_grace_period`.
    pub fn lame_duck_grace_period(&self) -> Duration {
        Duration::from_nanos(self.lame_duck_grace_period.load(Ordering::Relaxed))
    }
}

/// Checks that `new` differs from `old` only in reloadable settings and says which of
/// those changed.
pub fn check(old: &Options, new: &Options) -> Result<Reloaded, ReloadError> {
    let mut changed = Vec::new();
    // What may differ: noted when it does, then set back to the running value in `rest`,
    // which must then equal the running options.
    let mut rest = new.clone();
    macro_rules! reloadable {
        ($($name:literal => $($field:ident).+),+ $(,)?) => {
            $(
                if old.$($field).+ != new.$($field).+ {
                    changed.push($name);
                    rest.$($field).+ = old.$($field).+.clone();
                }
            )+
        };
    }
    reloadable! {
        "authorization" => auth,
        "debug" => log.debug,
        "trace" => log.trace,
        "max_connections" => max_connections,
        "max_payload" => max_payload,
        "max_control_line" => max_control_line,
        "max_pending" => max_pending,
        "write_deadline" => write_deadline,
        "auth_timeout" => auth_timeout,
        "lame_duck_duration" => lame_duck_duration,
        "lame_duck_grace_period" => lame_duck_grace_period,
    }
    if rest != *old {
        return Err(first_unsupported(old, &rest));
    }
    Ok(Reloaded { changed })
}

/// Names the first non-reloadable option that differs (`old` and `new` are known to
/// differ in at least one).
fn first_unsupported(old: &Options, new: &Options) -> ReloadError {
    macro_rules! compare {
        ($($name:literal => $($field:ident).+),+ $(,)?) => {
            $(
                if old.$($field).+ != new.$($field).+ {
                    return ReloadError::Unsupported {
                        field: $name,
                        old: format!("{:?}", old.$($field).+),
                        new: format!("{:?}", new.$($field).+),
                    };
                }
            )+
        };
    }
    compare! {
        "server_name" => server_name,
        "host" => host,
        "port" => port,
        "http_port" => http_port,
        "http_host" => http_host,
        "ping_interval" => ping_interval,
        "ping_max" => ping_max,
        "disable_short_first_ping" => disable_short_first_ping,
        "jetstream" => jetstream,
        "ports_file_dir" => ports_file_dir,
        "pid_file" => pid_file,
        "log_file" => log.file,
        "cluster" => cluster,
        "client_advertise" => client_advertise,
        "tls" => tls,
        "websocket" => websocket,
        "mappings" => mappings,
        "accounts" => accounts,
        "system_account" => system_account,
        "no_system_account" => no_system_account,
    }
    // A setting not named above: still refused, since the running server would not
    // apply it.
    ReloadError::Unsupported {
        field: "this configuration change",
        old: "the running configuration".to_owned(),
        new: "a different one".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::User;

    #[test]
    fn authorization_and_log_level_reload() {
        let old = Options::default();
        let mut new = old.clone();
        new.auth.user = Some(User {
            username: "a".into(),
            password: "b".into(),
            ..User::default()
        });
        new.log.debug = true;
        let reloaded = check(&old, &new).unwrap();
        assert_eq!(reloaded.changed, vec!["authorization", "debug"]);
        assert_eq!(check(&old, &old).unwrap(), Reloaded::default());
    }

    #[test]
    fn a_listener_change_is_refused_with_its_name() {
        let old = Options::default();
        let mut new = old.clone();
        new.port = 4333;
        new.log.trace = true;
        let err = check(&old, &new).unwrap_err();
        assert_eq!(
            err.to_string(),
            "config reload not supported for port: old=4222, new=4333"
        );
        new.port = old.port;
        new.jetstream.enabled = true;
        assert!(matches!(
            check(&old, &new),
            Err(ReloadError::Unsupported {
                field: "jetstream",
                ..
            })
        ));
    }
}
