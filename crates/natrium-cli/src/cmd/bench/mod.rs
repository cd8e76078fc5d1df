//! `bench`: load generators and meters in the shape of `nats bench` — Core NATS
//! publishers and subscribers, request/reply, JetStream publishing and consuming — each
//! client on its own connection, reporting per-client and aggregate rates, latency
//! percentiles where operations are timed, and optionally CSV.
//!
//! Counts are exact and checked: a subscriber that stops receiving before its count is
//! reached fails the run (after an idle timeout) instead of hanging or reporting a rate
//! for messages it never saw.

mod core;
mod js;
pub mod stats;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::cli::parse_duration;
use crate::conn::Settings;
use crate::Error;
use stats::Group;

/// Subscribers never drop messages for being slow: the benchmark counts every one.
const SUB_CAPACITY: usize = 4 * 1024 * 1024;
/// Progress bars advance in steps this large, so the bar costs nothing per message.
const TICK: u64 = 1024;

/// `bench` subcommands.
#[derive(Debug, Subcommand)]
pub enum BenchCmd {
    /// Publish Core NATS messages
    Pub(PubArgs),
    /// Subscribe to Core NATS messages
    Sub(SubArgs),
    /// Publishers and subscribers in one run (--pub N --sub N)
    #[command(name = "pubsub")]
    PubSub(PubSubArgs),
    /// Request/reply: serve requests or send them
    #[command(subcommand)]
    Service(ServiceCmd),
    /// Responders and requesters in one run (--sub N responders, --pub N requesters)
    #[command(name = "reqrep")]
    ReqRep(ReqRepArgs),
    /// JetStream publishing and consuming
    #[command(subcommand)]
    Js(JsCmd),
}

/// `bench service` subcommands.
#[derive(Debug, Subcommand)]
pub enum ServiceCmd {
    /// Answer requests (echoing the body) until interrupted or --count is reached
    Serve(ServeArgs),
    /// Send requests and wait for each reply
    Request(RequestArgs),
}

/// `bench js` subcommands.
#[derive(Debug, Subcommand)]
pub enum JsCmd {
    /// Publish JetStream messages
    #[command(subcommand)]
    Pub(JsPubCmd),
    /// Consume from a durable pull consumer with fetch requests
    Fetch(JsConsumeArgs),
    /// Consume from a durable pull consumer with a continuous pull
    Consume(JsConsumeArgs),
}

/// `bench js pub` subcommands.
#[derive(Debug, Subcommand)]
pub enum JsPubCmd {
    /// Wait for each acknowledgement before the next publish
    Sync(JsPubArgs),
    /// Keep up to --batch acknowledgements in flight
    Async(JsPubAsyncArgs),
}

/// Flags every benchmark takes.
#[derive(Debug, Clone, Args)]
pub struct Common {
    /// Number of messages to publish or subscribe to
    #[arg(long, default_value_t = 100_000)]
    pub msgs: u64,
    /// Size of the test messages
    #[arg(long, default_value = "128B", value_parser = parse_msg_size)]
    pub size: usize,
    /// Save benchmark data to a CSV file
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Do not show progress bars
    #[arg(long)]
    pub no_progress: bool,
}

/// `bench pub` flags.
#[derive(Debug, Args)]
pub struct PubArgs {
    /// Subject to use for the benchmark
    pub subject: String,
    /// Number of concurrent publishers; --msgs is split between them
    #[arg(long, default_value_t = 1, visible_alias = "pub")]
    pub clients: usize,
    /// Sleep between publications
    #[arg(long, value_parser = parse_duration)]
    pub sleep: Option<Duration>,
    #[command(flatten)]
    pub common: Common,
}

/// `bench sub` flags.
#[derive(Debug, Args)]
pub struct SubArgs {
    /// Subject to use for the benchmark
    pub subject: String,
    /// Number of concurrent subscribers; each expects --msgs messages
    #[arg(long, default_value_t = 1, visible_alias = "sub")]
    pub clients: usize,
    #[command(flatten)]
    pub common: Common,
}

/// `bench pubsub` flags.
#[derive(Debug, Args)]
pub struct PubSubArgs {
    /// Subject to use for the benchmark
    pub subject: String,
    /// Number of publishers; --msgs is split between them
    #[arg(long = "pub", default_value_t = 1)]
    pub publishers: usize,
    /// Number of subscribers; each receives every message
    #[arg(long = "sub", default_value_t = 1)]
    pub subscribers: usize,
    /// Sleep between publications
    #[arg(long, value_parser = parse_duration)]
    pub sleep: Option<Duration>,
    #[command(flatten)]
    pub common: Common,
}

/// `bench service serve` flags.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Subject to serve
    pub subject: String,
    /// Number of responders, in one queue group
    #[arg(long, default_value_t = 1)]
    pub clients: usize,
    /// Simulated processing time before each reply
    #[arg(long, value_parser = parse_duration)]
    pub sleep: Option<Duration>,
    /// Exit after answering this many requests in total
    #[arg(long)]
    pub count: Option<u64>,
}

/// `bench service request` flags.
#[derive(Debug, Args)]
pub struct RequestArgs {
    /// Subject to send requests to
    pub subject: String,
    /// Number of concurrent requesters; --msgs is split between them
    #[arg(long, default_value_t = 1, visible_alias = "pub")]
    pub clients: usize,
    /// Sleep between requests
    #[arg(long, value_parser = parse_duration)]
    pub sleep: Option<Duration>,
    #[command(flatten)]
    pub common: Common,
}

/// `bench reqrep` flags.
#[derive(Debug, Args)]
pub struct ReqRepArgs {
    /// Subject to use for the benchmark
    pub subject: String,
    /// Number of requesters; --msgs is split between them
    #[arg(long = "pub", default_value_t = 1)]
    pub requesters: usize,
    /// Number of responders, in one queue group
    #[arg(long = "sub", default_value_t = 1)]
    pub responders: usize,
    #[command(flatten)]
    pub common: Common,
}

/// Storage for a stream created with `--create`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Storage {
    /// File storage
    File,
    /// Memory storage
    Memory,
}

/// Flags of both JetStream publishers.
#[derive(Debug, Args)]
pub struct JsPubArgs {
    /// Subject to publish to
    pub subject: String,
    /// Number of concurrent publishers; --msgs is split between them
    #[arg(long, default_value_t = 1, visible_alias = "pub")]
    pub clients: usize,
    /// The stream to create or use
    #[arg(long, default_value = "benchstream")]
    pub stream: String,
    /// Create the stream (capturing SUBJECT) first if it does not exist
    #[arg(long)]
    pub create: bool,
    /// Storage of a stream made with --create
    #[arg(long, value_enum, default_value = "file")]
    pub storage: Storage,
    /// Purge the stream before running
    #[arg(long)]
    pub purge: bool,
    /// Sleep between publications
    #[arg(long, value_parser = parse_duration)]
    pub sleep: Option<Duration>,
    #[command(flatten)]
    pub common: Common,
}

/// `bench js pub async` flags.
#[derive(Debug, Args)]
pub struct JsPubAsyncArgs {
    #[command(flatten)]
    pub base: JsPubArgs,
    /// Acknowledgements in flight per publisher
    #[arg(long, default_value_t = 500)]
    pub batch: usize,
}

/// How consumed messages are acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AckMode {
    /// Every message
    Explicit,
    /// No acknowledgements
    None,
    /// The last message of each batch
    All,
}

/// `bench js fetch` and `bench js consume` flags.
#[derive(Debug, Args)]
pub struct JsConsumeArgs {
    /// Number of concurrent consumers sharing the durable; --msgs is split between them
    #[arg(long, default_value_t = 1, visible_alias = "sub")]
    pub clients: usize,
    /// The stream to consume from
    #[arg(long, default_value = "benchstream")]
    pub stream: String,
    /// Durable consumer name; it is recreated so each run reads the stream from the start
    #[arg(long, default_value = "nats-bench")]
    pub consumer: String,
    /// Messages per pull request
    #[arg(long, default_value_t = 500)]
    pub batch: usize,
    /// Acknowledgement mode for the consumer
    #[arg(long, value_enum, default_value = "explicit")]
    pub acks: AckMode,
    #[command(flatten)]
    pub common: Common,
}

/// Message sizes: `128`, `128B`, `1KiB`, `64KB`; at most 64 MiB.
fn parse_msg_size(s: &str) -> Result<usize, String> {
    let n = crate::units::parse_size(s)?;
    usize::try_from(n)
        .ok()
        .filter(|n| *n <= 64 * 1024 * 1024)
        .ok_or_else(|| format!("invalid message size {s:?}"))
}

/// Runs a benchmark.
pub async fn run(settings: &Settings, cmd: BenchCmd) -> Result<(), Error> {
    match cmd {
        BenchCmd::Pub(a) => core::publish(settings, a).await,
        BenchCmd::Sub(a) => core::subscribe(settings, a).await,
        BenchCmd::PubSub(a) => core::pubsub(settings, a).await,
        BenchCmd::Service(ServiceCmd::Serve(a)) => core::serve(settings, a).await,
        BenchCmd::Service(ServiceCmd::Request(a)) => core::request(settings, a).await,
        BenchCmd::ReqRep(a) => core::reqrep(settings, a).await,
        BenchCmd::Js(JsCmd::Pub(JsPubCmd::Sync(a))) => js::publish(settings, a, None).await,
        BenchCmd::Js(JsCmd::Pub(JsPubCmd::Async(a))) => {
            if a.batch == 0 {
                return Err(Error::Usage("--batch must be at least 1".into()));
            }
            js::publish(settings, a.base, Some(a.batch)).await
        }
        BenchCmd::Js(JsCmd::Fetch(a)) => js::consume(settings, a, js::Pull::Fetch).await,
        BenchCmd::Js(JsCmd::Consume(a)) => js::consume(settings, a, js::Pull::Continuous).await,
    }
}

/// Checks the counts every benchmark shares.
fn check(common: &Common, clients: &[(&str, usize)]) -> Result<(), Error> {
    if common.msgs == 0 {
        return Err(Error::Usage("--msgs must be greater than 0".into()));
    }
    for (flag, n) in clients {
        if *n == 0 {
            return Err(Error::Usage(format!("{flag} must be at least 1")));
        }
    }
    Ok(())
}

/// One connection per benchmark client; subscribers get room for every message.
async fn connect(settings: &Settings) -> Result<async_nats::Client, Error> {
    settings
        .connect_with(|o| o.subscription_capacity(SUB_CAPACITY))
        .await
}

/// The "Starting ..." line, on stderr so stdout holds only the results.
fn banner(what: &str, fields: &[(&str, String)]) {
    let list: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
    eprintln!("Starting {what} benchmark [{}]", list.join(", "));
}

/// Progress bars on stderr, only on a terminal and without --no-progress.
struct Progress {
    multi: Option<MultiProgress>,
}

impl Progress {
    fn new(common: &Common) -> Self {
        let show = !common.no_progress && std::io::stderr().is_terminal();
        Self {
            multi: show.then(MultiProgress::new),
        }
    }

    /// A bar of `len` steps labelled `label` (hidden when progress is off).
    fn bar(&self, len: u64, label: String) -> ProgressBar {
        let Some(multi) = &self.multi else {
            return ProgressBar::hidden();
        };
        let bar = multi.add(ProgressBar::new(len));
        if let Ok(style) =
            ProgressStyle::with_template("{prefix:>14} {bar:40} {pos:>9}/{len:9} {per_sec:>14}")
        {
            bar.set_style(style);
        }
        bar.set_prefix(label);
        bar
    }
}

/// Advances `bar` every [`TICK`] operations (`done` counts from 1).
fn tick(bar: &ProgressBar, done: u64) {
    if done.is_multiple_of(TICK) {
        bar.inc(TICK);
    }
}

/// Waits for every client task; the first failure is the run's error.
async fn join<T>(tasks: Vec<tokio::task::JoinHandle<Result<T, Error>>>) -> Result<Vec<T>, Error> {
    let mut out = Vec::with_capacity(tasks.len());
    let mut first_err = None;
    for task in tasks {
        match task.await {
            Ok(Ok(v)) => out.push(v),
            Ok(Err(e)) => {
                first_err.get_or_insert(e);
            }
            Err(e) => {
                first_err.get_or_insert(Error::Nats(format!("benchmark client failed: {e}")));
            }
        }
    }
    match first_err {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// Prints the report of `groups` (and, with more than one group, their combined rate)
/// and writes the CSV file when asked.
fn finish(title: &str, groups: &[Group], common: &Common) -> Result<(), Error> {
    let mut text = String::from("\n");
    for g in groups {
        g.report(&mut text);
        text.push('\n');
    }
    if groups.len() > 1 {
        let all = Group {
            label: "",
            prefix: ' ',
            samples: groups.iter().filter_map(Group::aggregate).collect(),
        };
        if let Some(total) = all.aggregate() {
            text.push_str(&format!(
                "{title} overall: {} msgs ~ {} msgs/sec ~ {:.2} MB/sec\n",
                stats::commas(total.msgs as f64),
                stats::commas(total.rate()),
                total.throughput() / 1e6
            ));
        }
    }
    out!("{text}");
    if let Some(path) = &common.csv {
        let with_latency = groups
            .iter()
            .any(|g| g.samples.iter().any(|s| s.latency.is_some()));
        let mut csv = String::from(stats::csv_header(with_latency));
        let run_id = crate::cmd::msg::unique_id();
        for g in groups {
            g.csv_rows(&run_id, &mut csv);
        }
        std::fs::write(path, csv).map_err(|e| Error::io(path.display().to_string(), e))?;
        outln!("Saved metric data in csv file {}", path.display());
    }
    Ok(())
}
