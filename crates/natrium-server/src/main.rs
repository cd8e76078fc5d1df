//! The `natrium-server` binary: nats-server's command line in front of [`natrium_server::Server`].

use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Parser;
use natrium_server::flags::{normalize, Flags};
use natrium_server::{config, info, Options, Server};
use tokio::signal::unix::{signal, Signal, SignalKind};
use tracing::{error, info as log_info, warn};

fn main() -> ExitCode {
    let flags = match Flags::try_parse_from(normalize(std::env::args())) {
        Ok(f) => f,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    if flags.version {
        println!("natrium-server: v{}", info::VERSION);
        return ExitCode::SUCCESS;
    }
    match run(flags) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("natrium-server: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(flags: Flags) -> anyhow::Result<()> {
    if let Some(signal) = &flags.signal {
        return send_signal(signal, flags.pid.as_deref());
    }
    let mut opts = match &flags.config {
        Some(path) => config::load(path)?,
        None => Options::default(),
    };
    let warnings = flags.apply(&mut opts)?;
    if flags.test_config {
        let file = flags
            .config
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        println!("natrium-server: configuration file {file} test is successful");
        return Ok(());
    }
    let log_level = init_logging(&opts)?;
    for w in warnings {
        warn!("{w}");
    }
    if let Some(pid_file) = &opts.pid_file {
        std::fs::write(pid_file, std::process::id().to_string())
            .with_context(|| format!("cannot write pid file {}", pid_file.display()))?;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let pid_file = opts.pid_file.clone();
    runtime.block_on(async move {
        let mut signals = Signals::install()?;
        let server = Server::start(opts).await?;
        loop {
            match signals.next().await {
                Trapped::Reload => reload(&server, &flags, &log_level),
                Trapped::Stop => break,
                Trapped::LameDuck => {
                    // A second SIGTERM/SIGINT during lame duck mode cuts it short.
                    tokio::select! {
                        () = server.lame_duck() => {}
                        () = signals.next_stop() => {}
                    }
                    break;
                }
            }
        }
        server.shutdown().await;
        anyhow::Ok(())
    })?;
    if let Some(pid_file) = pid_file {
        let _ = std::fs::remove_file(pid_file);
    }
    Ok(())
}

/// SIGHUP: reads the configuration file again (command-line flags still override it)
/// and applies it. A configuration that cannot be applied is logged and the running one
/// stays, as with nats-server.
fn reload(server: &Server, flags: &Flags, log_level: &LogLevel) {
    let Some(path) = &flags.config else {
        warn!("config reload: the server was started without a configuration file");
        return;
    };
    let loaded = config::load(path)
        .map_err(anyhow::Error::from)
        .and_then(|mut opts| {
            flags.apply(&mut opts)?;
            Ok(opts)
        });
    let opts = match loaded {
        Ok(opts) => opts,
        Err(e) => {
            error!("Failed to reload server configuration: {e:#}");
            return;
        }
    };
    match server.reload(&opts) {
        Ok(reloaded) => {
            if reloaded
                .changed
                .iter()
                .any(|c| matches!(*c, "debug" | "trace"))
            {
                log_level(level_of(&opts));
                log_info!(
                    "Reloaded: debug = {}, trace = {}",
                    opts.log.debug,
                    opts.log.trace
                );
            }
        }
        Err(e) => error!("Failed to reload server configuration: {e}"),
    }
}

/// What a trapped signal asks for.
enum Trapped {
    /// SIGTERM, SIGINT: flush and close everything now.
    Stop,
    /// SIGUSR2: lame duck mode.
    LameDuck,
    /// SIGHUP: reload the configuration file.
    Reload,
}

/// The signals nats-server reacts to.
struct Signals {
    term: Signal,
    int: Signal,
    hup: Signal,
    usr2: Signal,
}

impl Signals {
    fn install() -> anyhow::Result<Self> {
        let install = |kind: SignalKind| signal(kind).context("cannot install signal handlers");
        Ok(Self {
            term: install(SignalKind::terminate())?,
            int: install(SignalKind::interrupt())?,
            hup: install(SignalKind::hangup())?,
            usr2: install(SignalKind::user_defined2())?,
        })
    }

    async fn next(&mut self) -> Trapped {
        tokio::select! {
            _ = self.term.recv() => { log_info!("Trapped \"terminated\" signal"); Trapped::Stop }
            _ = self.int.recv() => { log_info!("Trapped \"interrupt\" signal"); Trapped::Stop }
            _ = self.hup.recv() => { log_info!("Trapped \"hangup\" signal"); Trapped::Reload }
            _ = self.usr2.recv() => {
                log_info!("Trapped \"user defined signal 2\" signal");
                Trapped::LameDuck
            }
        }
    }

    /// Waits for SIGTERM or SIGINT, ignoring the others.
    async fn next_stop(&mut self) {
        while !matches!(self.next().await, Trapped::Stop) {}
    }
}

/// Sets the log level (`"info"`, `"debug"`, `"trace"`) of the running subscriber.
type LogLevel = Box<dyn Fn(&str) + Send + Sync>;

fn level_of(opts: &Options) -> &'static str {
    if opts.log.trace {
        "trace"
    } else if opts.log.debug {
        "debug"
    } else {
        "info"
    }
}

fn init_logging(opts: &Options) -> anyhow::Result<LogLevel> {
    let from_env = tracing_subscriber::EnvFilter::try_from_env("NATRIUM_LOG").ok();
    // NATRIUM_LOG, when set, wins over the configuration, on reload too.
    let fixed = from_env.is_some();
    let filter = from_env.unwrap_or_else(|| tracing_subscriber::EnvFilter::new(level_of(opts)));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    macro_rules! setter {
        ($handle:expr) => {{
            let handle = $handle;
            Box::new(move |level: &str| {
                if !fixed {
                    let _ = handle.reload(tracing_subscriber::EnvFilter::new(level));
                }
            })
        }};
    }
    match &opts.log.file {
        Some(path) => {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .with_context(|| format!("cannot open log file {}", path.display()))?;
            let builder = builder
                .with_ansi(false)
                .with_writer(std::sync::Mutex::new(file))
                .with_filter_reloading();
            let set = setter!(builder.reload_handle());
            builder.init();
            Ok(set)
        }
        None => {
            let builder = builder.with_writer(std::io::stderr).with_filter_reloading();
            let set = setter!(builder.reload_handle());
            builder.init();
            Ok(set)
        }
    }
}

/// `--signal NAME[=PID]`: what `nats-server --signal` does, for a server started with a PID.
fn send_signal(spec: &str, pid_file: Option<&std::path::Path>) -> anyhow::Result<()> {
    let (name, pid) = match spec.split_once('=') {
        Some((name, pid)) => (name, pid.trim().to_owned()),
        None => match pid_file {
            Some(f) => (
                spec,
                std::fs::read_to_string(f)
                    .with_context(|| format!("cannot read pid file {}", f.display()))?
                    .trim()
                    .to_owned(),
            ),
            None => bail!("--signal {spec}: give the server's PID as {spec}=<pid> or a --pid file"),
        },
    };
    let pid: i32 = pid
        .parse()
        .with_context(|| format!("--signal {spec}: {pid:?} is not a process id"))?;
    use nix::sys::signal::{kill, Signal};
    let sig = match name {
        "stop" => Signal::SIGKILL,
        "quit" => Signal::SIGINT,
        "term" => Signal::SIGTERM,
        "reopen" => Signal::SIGUSR1,
        "reload" => Signal::SIGHUP,
        "ldm" => Signal::SIGUSR2,
        other => {
            bail!("--signal: unknown signal {other:?} (ldm, stop, quit, term, reopen, reload)")
        }
    };
    kill(nix::unistd::Pid::from_raw(pid), sig)
        .with_context(|| format!("--signal {name}: cannot signal process {pid}"))?;
    Ok(())
}
