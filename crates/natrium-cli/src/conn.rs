//! Connection settings: command-line flags and `NATS_*` variables first, then the chosen
//! context, then defaults; and connecting with them through `async-nats`.

use std::path::PathBuf;
use std::time::Duration;

use async_nats::{Client, ConnectOptions, ServerAddr};

use crate::cli::ConnArgs;
use crate::context::{Context, Store};
use crate::Error;

/// The default server, as the `nats` CLI.
pub const DEFAULT_URL: &str = "nats://127.0.0.1:4222";
/// The default `--timeout`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// Everything needed to connect, after flags and the context are merged.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Server URLs, in order.
    pub servers: Vec<String>,
    /// Username.
    pub user: Option<String>,
    /// Password.
    pub password: Option<String>,
    /// Token.
    pub token: Option<String>,
    /// Credentials file.
    pub creds: Option<PathBuf>,
    /// NKEY seed file.
    pub nkey: Option<PathBuf>,
    /// TLS client certificate.
    pub tlscert: Option<PathBuf>,
    /// TLS client key.
    pub tlskey: Option<PathBuf>,
    /// TLS CA chain.
    pub tlsca: Option<PathBuf>,
    /// TLS before the greeting.
    pub tlsfirst: bool,
    /// Request and connect timeout.
    pub timeout: Duration,
}

fn pick<T>(flag: Option<T>, ctx: &str, convert: impl Fn(&str) -> T) -> Option<T> {
    flag.or_else(|| (!ctx.is_empty()).then(|| convert(ctx)))
}

impl Settings {
    /// Merges `args` over the context they name (or the selected one).
    pub fn resolve(args: &ConnArgs) -> Result<Self, Error> {
        let ctx = if let Some(name) = &args.context {
            Store::open()?.load(name)?
        } else if args.no_context {
            Context::default()
        } else {
            let store = Store::open()?;
            match store.selected()? {
                Some(name) => store.load(&name)?,
                None => Context::default(),
            }
        };
        Self::merge(args, &ctx)
    }

    /// `args` over `ctx`.
    pub fn merge(args: &ConnArgs, ctx: &Context) -> Result<Self, Error> {
        let url = pick(args.server.clone(), &ctx.url, str::to_owned)
            .unwrap_or_else(|| DEFAULT_URL.to_owned());
        let servers: Vec<String> = url
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        if servers.is_empty() {
            return Err(Error::Usage("no server URL given".into()));
        }
        let timeout = match (args.timeout, ctx.timeout.as_str()) {
            (Some(t), _) => t,
            (None, "") => DEFAULT_TIMEOUT,
            (None, text) => crate::units::parse(text)
                .map_err(|e| Error::Usage(format!("context timeout: {e}")))?,
        };
        Ok(Self {
            servers,
            user: pick(args.user.clone(), &ctx.user, str::to_owned),
            password: pick(args.password.clone(), &ctx.password, str::to_owned),
            token: pick(args.token.clone(), &ctx.token, str::to_owned),
            creds: pick(args.creds.clone(), &ctx.creds, |s| PathBuf::from(s)),
            nkey: pick(args.nkey.clone(), &ctx.nkey, |s| PathBuf::from(s)),
            tlscert: pick(args.tlscert.clone(), &ctx.cert, |s| PathBuf::from(s)),
            tlskey: pick(args.tlskey.clone(), &ctx.key, |s| PathBuf::from(s)),
            tlsca: pick(args.tlsca.clone(), &ctx.ca, |s| PathBuf::from(s)),
            tlsfirst: args.tlsfirst || ctx.tls_first,
            timeout,
        })
    }

    /// The server URLs parsed; a malformed one is a usage error naming it.
    pub fn addrs(&self) -> Result<Vec<ServerAddr>, Error> {
        self.servers
            .iter()
            .map(|s| {
                s.parse::<ServerAddr>()
                    .map_err(|e| Error::Usage(format!("invalid server URL {s:?}: {e}")))
            })
            .collect()
    }

    /// Client options for these settings.
    pub async fn options(&self) -> Result<ConnectOptions, Error> {
        let mut opts = match &self.creds {
            Some(path) => ConnectOptions::with_credentials_file(path)
                .await
                .map_err(|e| Error::io(format!("credentials {}", path.display()), e))?,
            None => ConnectOptions::new(),
        };
        if let Some(path) = &self.nkey {
            let seed = std::fs::read_to_string(path)
                .map_err(|e| Error::io(format!("nkey {}", path.display()), e))?;
            opts = opts.nkey(seed.trim().to_owned());
        }
        match (&self.user, &self.password, &self.token) {
            (Some(user), Some(pass), _) => {
                opts = opts.user_and_password(user.clone(), pass.clone());
            }
            (_, _, Some(token)) => opts = opts.token(token.clone()),
            // The `nats` CLI treats a lone --user as a token.
            (Some(user), None, None) => opts = opts.token(user.clone()),
            (None, Some(_), None) => {
                return Err(Error::Usage("--password needs --user".into()));
            }
            (None, None, None) => {}
        }
        match (&self.tlscert, &self.tlskey) {
            (Some(cert), Some(key)) => {
                opts = opts
                    .add_client_certificate(cert.clone(), key.clone())
                    .require_tls(true);
            }
            (None, None) => {}
            _ => return Err(Error::Usage("--tlscert and --tlskey go together".into())),
        }
        if let Some(ca) = &self.tlsca {
            opts = opts.add_root_certificates(ca.clone()).require_tls(true);
        }
        if self.tlsfirst {
            opts = opts.tls_first();
        }
        Ok(opts
            .name("natrium CLI")
            .connection_timeout(self.timeout)
            .request_timeout(Some(self.timeout)))
    }

    /// Connects to the servers in order; the error says which URLs were tried.
    pub async fn connect(&self) -> Result<Client, Error> {
        self.connect_with(|o| o).await
    }

    /// Like [`Settings::connect`], after `tune` adjusts the client options (e.g. a
    /// benchmark's larger subscription buffers).
    pub async fn connect_with(
        &self,
        tune: impl FnOnce(ConnectOptions) -> ConnectOptions,
    ) -> Result<Client, Error> {
        let addrs = self.addrs()?;
        let opts = tune(self.options().await?);
        opts.connect(addrs)
            .await
            .map_err(|e| Error::Nats(format!("cannot connect to {}: {e}", self.servers.join(","))))
    }
}
