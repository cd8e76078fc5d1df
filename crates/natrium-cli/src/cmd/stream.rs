//! `stream add/edit/ls/info/rm/purge/view/get/rmm/report/backup/restore`, all through raw `$JS.API`
//! requests: configs are JSON objects built from flags (or `--config FILE`), and `--json`
//! prints the server's response body.

mod ask;
mod backup;

use std::path::PathBuf;
use std::time::Duration;

use async_nats::Client;
use base64::Engine;
use clap::{Args, Subcommand};
use serde_json::{json, Map, Value};

use crate::cli::{parse_duration, parse_size};
use crate::jsapi::{self, i64_of, str_of, u64_of, Response};
use crate::output::{print_raw, Section, Table};
use crate::prompt::{self, confirm};
use crate::units::{format as fmt_dur, human_bytes};
use crate::Error;

/// Stream commands.
#[derive(Debug, Subcommand)]
pub enum StreamCmd {
    /// Create a stream
    #[command(alias = "create", alias = "new")]
    Add(AddArgs),
    /// Change a stream's configuration
    #[command(alias = "update")]
    Edit(EditArgs),
    /// List streams
    #[command(alias = "list")]
    Ls(LsArgs),
    /// Show a stream's configuration and state
    #[command(alias = "i", alias = "nfo")]
    Info {
        /// Stream name
        stream: String,
        /// Print the server's JSON
        #[arg(short = 'j', long)]
        json: bool,
        /// Show only the state
        #[arg(long)]
        state: bool,
    },
    /// Delete a stream and its messages
    #[command(alias = "delete", alias = "del")]
    Rm {
        /// Stream name
        stream: String,
        /// Delete without asking
        #[arg(short = 'f', long)]
        force: bool,
    },
    /// Remove messages from a stream
    Purge {
        /// Stream name
        stream: String,
        /// Only messages on this subject
        #[arg(long)]
        subject: Option<String>,
        /// Up to, not including, this sequence
        #[arg(long)]
        seq: Option<u64>,
        /// Keep this many of the newest messages
        #[arg(long)]
        keep: Option<u64>,
        /// Purge without asking
        #[arg(short = 'f', long)]
        force: bool,
        /// Print the server's JSON
        #[arg(short = 'j', long)]
        json: bool,
    },
    /// Show messages in a stream
    View {
        /// Stream name
        stream: String,
        /// How many messages to show
        #[arg(default_value_t = 10)]
        size: u64,
        /// Start at this sequence
        #[arg(long)]
        id: Option<u64>,
        /// Only messages on subjects matching this filter
        #[arg(long)]
        subject: Option<String>,
        /// Print only message bodies
        #[arg(long)]
        raw: bool,
    },
    /// Get one message by sequence, or the last for a subject
    Get {
        /// Stream name
        stream: String,
        /// Message sequence
        id: Option<u64>,
        /// The last message on this subject
        #[arg(short = 'S', long = "last-for", value_name = "SUBJECT")]
        last_for: Option<String>,
        /// Print the server's JSON
        #[arg(short = 'j', long)]
        json: bool,
    },
    /// Remove one message
    Rmm {
        /// Stream name
        stream: String,
        /// Message sequence
        id: u64,
        /// Remove without asking
        #[arg(short = 'f', long)]
        force: bool,
    },
    /// Statistics for every stream
    Report {
        /// Print JSON
        #[arg(short = 'j', long)]
        json: bool,
    },
    /// Save a stream's snapshot (messages, config, durable consumers) to a directory
    Backup {
        /// Stream name
        stream: String,
        /// Directory to write backup.json and stream.tar to
        dir: PathBuf,
        /// Leave the consumers out
        #[arg(long)]
        no_consumers: bool,
    },
    /// Recreate a stream from a directory written by `stream backup`
    Restore {
        /// Directory holding backup.json and stream.tar
        dir: PathBuf,
    },
}

/// Stream configuration flags, shared by `add` and `edit` (only those given are applied).
#[derive(Debug, Args, Default)]
pub struct ConfigFlags {
    /// Subjects the stream stores (repeat or comma separate)
    #[arg(long, value_delimiter = ',')]
    pub subjects: Vec<String>,
    /// Description
    #[arg(long)]
    pub description: Option<String>,
    /// Storage backend (file, memory)
    #[arg(long, value_parser = ["file", "f", "memory", "m"])]
    pub storage: Option<String>,
    /// Replicas when clustered
    #[arg(long)]
    pub replicas: Option<i64>,
    /// Retention policy (limits, interest, workq)
    #[arg(long, value_parser = ["limits", "interest", "workq", "work"])]
    pub retention: Option<String>,
    /// Discard policy (old, new)
    #[arg(long, value_parser = ["old", "new"])]
    pub discard: Option<String>,
    /// Maximum age of messages (e.g. 1h, 7d)
    #[arg(long, value_parser = parse_duration)]
    pub max_age: Option<Duration>,
    /// Maximum bytes kept (e.g. 1GB; -1 unlimited)
    #[arg(long, value_parser = parse_size, allow_hyphen_values = true)]
    pub max_bytes: Option<i64>,
    /// Maximum messages kept (-1 unlimited)
    #[arg(long, allow_hyphen_values = true)]
    pub max_msgs: Option<i64>,
    /// Maximum messages kept per subject (-1 unlimited)
    #[arg(long, allow_hyphen_values = true)]
    pub max_msgs_per_subject: Option<i64>,
    /// Maximum size of one message (-1 unlimited)
    #[arg(long, value_parser = parse_size, allow_hyphen_values = true)]
    pub max_msg_size: Option<i64>,
    /// Maximum consumers (-1 unlimited)
    #[arg(long, allow_hyphen_values = true)]
    pub max_consumers: Option<i64>,
    /// Duplicate tracking window
    #[arg(long, value_parser = parse_duration)]
    pub dupe_window: Option<Duration>,
    /// Allow roll-up headers
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    pub allow_rollup: Option<bool>,
    /// Refuse message deletes through the API
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    pub deny_delete: Option<bool>,
    /// Refuse purges through the API
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    pub deny_purge: Option<bool>,
    /// Allow direct gets
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    pub allow_direct: Option<bool>,
    /// Do not acknowledge publishes
    #[arg(long)]
    pub no_ack: bool,
}

/// `stream add` flags.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// Stream name (may come from --config)
    pub stream: Option<String>,
    /// Read the configuration from a JSON file; flags override it
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Accept defaults for everything not given instead of asking (questions are asked
    /// only when stdin and stdout are terminals and no --config is given)
    #[arg(long)]
    pub defaults: bool,
    /// Print the server's JSON
    #[arg(short = 'j', long)]
    pub json: bool,
    /// Configuration
    #[command(flatten)]
    pub flags: ConfigFlags,
}

/// `stream edit` flags.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// Stream name
    pub stream: String,
    /// Replace the configuration with this JSON file; flags override it
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Edit without asking
    #[arg(short = 'f', long)]
    pub force: bool,
    /// Print the server's JSON
    #[arg(short = 'j', long)]
    pub json: bool,
    /// Configuration
    #[command(flatten)]
    pub flags: ConfigFlags,
}

/// `stream ls` flags.
#[derive(Debug, Args)]
pub struct LsArgs {
    /// Only streams with subjects matching this
    #[arg(long)]
    pub subject: Option<String>,
    /// Names only
    #[arg(short = 'n', long)]
    pub names: bool,
    /// Print the servers' stream infos as a JSON array
    #[arg(short = 'j', long)]
    pub json: bool,
}

impl ConfigFlags {
    /// Writes the given flags into `cfg`.
    fn apply(&self, cfg: &mut Map<String, Value>) {
        if !self.subjects.is_empty() {
            cfg.insert("subjects".into(), json!(self.subjects));
        }
        if let Some(d) = &self.description {
            cfg.insert("description".into(), json!(d));
        }
        if let Some(s) = &self.storage {
            let s = if s.starts_with('m') { "memory" } else { "file" };
            cfg.insert("storage".into(), json!(s));
        }
        if let Some(r) = self.replicas {
            cfg.insert("num_replicas".into(), json!(r));
        }
        if let Some(r) = &self.retention {
            let r = if r.starts_with("work") {
                "workqueue"
            } else {
                r.as_str()
            };
            cfg.insert("retention".into(), json!(r));
        }
        if let Some(d) = &self.discard {
            cfg.insert("discard".into(), json!(d));
        }
        let nanos = |d: Duration| json!(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
        if let Some(d) = self.max_age {
            cfg.insert("max_age".into(), nanos(d));
        }
        if let Some(d) = self.dupe_window {
            cfg.insert("duplicate_window".into(), nanos(d));
        }
        for (key, value) in [
            ("max_bytes", self.max_bytes),
            ("max_msgs", self.max_msgs),
            ("max_msgs_per_subject", self.max_msgs_per_subject),
            ("max_msg_size", self.max_msg_size),
            ("max_consumers", self.max_consumers),
        ] {
            if let Some(v) = value {
                cfg.insert(key.into(), json!(v));
            }
        }
        for (key, value) in [
            ("allow_rollup_hdrs", self.allow_rollup),
            ("deny_delete", self.deny_delete),
            ("deny_purge", self.deny_purge),
            ("allow_direct", self.allow_direct),
        ] {
            if let Some(v) = value {
                cfg.insert(key.into(), json!(v));
            }
        }
        if self.no_ack {
            cfg.insert("no_ack".into(), json!(true));
        }
    }
}

/// Reads a JSON object from `path`.
pub fn read_config(path: &PathBuf) -> Result<Map<String, Value>, Error> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Error::io(path.display().to_string(), e))?;
    match serde_json::from_str(&text).map_err(|e| Error::json(path.display().to_string(), e))? {
        Value::Object(map) => Ok(map),
        _ => Err(Error::Usage(format!(
            "{}: not a JSON object",
            path.display()
        ))),
    }
}

/// Runs a stream command.
pub async fn run(client: &Client, cmd: StreamCmd, t: Duration) -> Result<(), Error> {
    match cmd {
        StreamCmd::Add(mut a) => {
            if a.config.is_none() && !a.defaults && prompt::interactive() {
                ask::missing(
                    &mut prompt::Terminal::default(),
                    &mut a.stream,
                    &mut a.flags,
                )?;
            }
            let mut cfg = match &a.config {
                Some(path) => read_config(path)?,
                None => default_config(),
            };
            let name = match (&a.stream, cfg.get("name").and_then(Value::as_str)) {
                (Some(n), _) => n.clone(),
                (None, Some(n)) => n.to_owned(),
                (None, None) => return Err(Error::Usage("a stream name is required".into())),
            };
            cfg.insert("name".into(), json!(name));
            a.flags.apply(&mut cfg);
            let resp = jsapi::js(
                client,
                &format!("STREAM.CREATE.{name}"),
                &Value::Object(cfg),
                t,
            )
            .await?;
            show_info(&resp, a.json, false, &format!("Stream {name} was created"))
        }
        StreamCmd::Edit(a) => {
            let name = a.stream.clone();
            let current =
                jsapi::js(client, &format!("STREAM.INFO.{name}"), &Value::Null, t).await?;
            let mut cfg = match &a.config {
                Some(path) => read_config(path)?,
                None => match current.json.get("config") {
                    Some(Value::Object(c)) => c.clone(),
                    _ => {
                        return Err(Error::Usage(format!(
                            "stream {name}: no config in its info"
                        )))
                    }
                },
            };
            cfg.insert("name".into(), json!(name));
            a.flags.apply(&mut cfg);
            confirm(a.force, &format!("Really edit Stream {name}"))?;
            let resp = jsapi::js(
                client,
                &format!("STREAM.UPDATE.{name}"),
                &Value::Object(cfg),
                t,
            )
            .await?;
            show_info(&resp, a.json, false, &format!("Stream {name} was updated"))
        }
        StreamCmd::Ls(a) => {
            let mut filter = Map::new();
            if let Some(s) = &a.subject {
                filter.insert("subject".into(), json!(s));
            }
            let infos = list_all(client, "STREAM.LIST", "streams", filter, t).await?;
            if a.json {
                outln!("{}", Value::Array(infos));
                return Ok(());
            }
            if a.names {
                for info in &infos {
                    outln!(
                        "{}",
                        str_of(info.get("config").unwrap_or(&Value::Null), "name")
                    );
                }
                return Ok(());
            }
            if infos.is_empty() {
                outln!("No Streams defined");
                return Ok(());
            }
            let mut table = Table::new(
                format!("Streams ({})", infos.len()),
                &[
                    "Name",
                    "Description",
                    "Created",
                    "Messages",
                    "Size",
                    "Last Message",
                ],
            );
            for info in &infos {
                let cfg = info.get("config").unwrap_or(&Value::Null);
                let state = info.get("state").unwrap_or(&Value::Null);
                table.row(vec![
                    str_of(cfg, "name").to_owned(),
                    str_of(cfg, "description").to_owned(),
                    str_of(info, "created").to_owned(),
                    u64_of(state, "messages").to_string(),
                    human_bytes(u64_of(state, "bytes")),
                    str_of(state, "last_ts").to_owned(),
                ]);
            }
            out!("{}", table.render());
            Ok(())
        }
        StreamCmd::Info {
            stream,
            json,
            state,
        } => {
            let resp = jsapi::js(client, &format!("STREAM.INFO.{stream}"), &Value::Null, t).await?;
            show_info(&resp, json, state, "")
        }
        StreamCmd::Rm { stream, force } => {
            confirm(force, &format!("Really delete Stream {stream}"))?;
            jsapi::js(client, &format!("STREAM.DELETE.{stream}"), &Value::Null, t).await?;
            outln!("Deleted stream {stream}");
            Ok(())
        }
        StreamCmd::Purge {
            stream,
            subject,
            seq,
            keep,
            force,
            json,
        } => {
            let mut body = Map::new();
            if let Some(s) = subject {
                body.insert("filter".into(), json!(s));
            }
            if let Some(s) = seq {
                body.insert("seq".into(), json!(s));
            }
            if let Some(k) = keep {
                body.insert("keep".into(), json!(k));
            }
            confirm(force, &format!("Really purge Stream {stream}"))?;
            let body = if body.is_empty() {
                Value::Null
            } else {
                Value::Object(body)
            };
            let resp = jsapi::js(client, &format!("STREAM.PURGE.{stream}"), &body, t).await?;
            if json {
                return print_raw(&resp.raw);
            }
            outln!(
                "Purged {} messages from {stream}",
                u64_of(&resp.json, "purged")
            );
            Ok(())
        }
        StreamCmd::View {
            stream,
            size,
            id,
            subject,
            raw,
        } => {
            let info = jsapi::js(client, &format!("STREAM.INFO.{stream}"), &Value::Null, t).await?;
            let state = info.json.get("state").unwrap_or(&Value::Null);
            let last = u64_of(state, "last_seq");
            let mut seq = id.unwrap_or_else(|| u64_of(state, "first_seq")).max(1);
            let mut shown = 0;
            while shown < size && seq <= last {
                // "next_by_subj" answers with the first message at or after `seq`, so
                // deleted sequences cost no extra round trips.
                let req = json!({ "seq": seq, "next_by_subj": subject.as_deref().unwrap_or(">") });
                match jsapi::js(client, &format!("STREAM.MSG.GET.{stream}"), &req, t).await {
                    Ok(resp) => {
                        let msg = resp.json.get("message").unwrap_or(&Value::Null);
                        print_stored(msg, raw)?;
                        shown += 1;
                        seq = u64_of(msg, "seq").max(seq) + 1;
                    }
                    // 10037: no message at or after that sequence.
                    Err(Error::Api {
                        err_code: 10037, ..
                    }) => break,
                    Err(e) => return Err(e),
                }
            }
            if shown == 0 {
                outln!("No messages in stream {stream}");
            }
            Ok(())
        }
        StreamCmd::Get {
            stream,
            id,
            last_for,
            json,
        } => {
            let body = match (id, last_for) {
                (Some(seq), None) => json!({ "seq": seq }),
                (None, Some(subject)) => json!({ "last_by_subj": subject }),
                _ => return Err(Error::Usage("give a sequence or --last-for SUBJECT".into())),
            };
            let resp = jsapi::js(client, &format!("STREAM.MSG.GET.{stream}"), &body, t).await?;
            if json {
                return print_raw(&resp.raw);
            }
            print_stored(resp.json.get("message").unwrap_or(&Value::Null), false)
        }
        StreamCmd::Rmm { stream, id, force } => {
            confirm(
                force,
                &format!("Really remove message {id} from Stream {stream}"),
            )?;
            jsapi::js(
                client,
                &format!("STREAM.MSG.DELETE.{stream}"),
                &json!({ "seq": id }),
                t,
            )
            .await?;
            outln!("Removed message {id} from stream {stream}");
            Ok(())
        }
        StreamCmd::Backup {
            stream,
            dir,
            no_consumers,
        } => backup::backup(client, &stream, &dir, no_consumers, t).await,
        StreamCmd::Restore { dir } => backup::restore(client, &dir, t).await,
        StreamCmd::Report { json } => {
            let infos = list_all(client, "STREAM.LIST", "streams", Map::new(), t).await?;
            if json {
                outln!("{}", Value::Array(infos));
                return Ok(());
            }
            let mut table = Table::new(
                "Stream Report",
                &[
                    "Stream",
                    "Storage",
                    "Replicas",
                    "Consumers",
                    "Messages",
                    "Bytes",
                    "Deleted",
                ],
            );
            for info in &infos {
                let cfg = info.get("config").unwrap_or(&Value::Null);
                let state = info.get("state").unwrap_or(&Value::Null);
                table.row(vec![
                    str_of(cfg, "name").to_owned(),
                    str_of(cfg, "storage").to_owned(),
                    i64_of(cfg, "num_replicas").max(1).to_string(),
                    u64_of(state, "consumer_count").to_string(),
                    u64_of(state, "messages").to_string(),
                    human_bytes(u64_of(state, "bytes")),
                    u64_of(state, "num_deleted").to_string(),
                ]);
            }
            out!("{}", table.render());
            Ok(())
        }
    }
}

/// What `stream add` sends when no `--config` is given: nats-server's own defaults spelled
/// out, so the request means the same on every server.
fn default_config() -> Map<String, Value> {
    let v = json!({
        "retention": "limits",
        "storage": "file",
        "discard": "old",
        "num_replicas": 1,
        "max_consumers": -1,
        "max_msgs": -1,
        "max_bytes": -1,
        "max_age": 0,
        "max_msgs_per_subject": -1,
        "max_msg_size": -1,
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// Every item of a paged `$JS.API` list (`STREAM.LIST`, `CONSUMER.LIST.S`).
pub async fn list_all(
    client: &Client,
    suffix: &str,
    key: &str,
    filter: Map<String, Value>,
    t: Duration,
) -> Result<Vec<Value>, Error> {
    let mut items = Vec::new();
    loop {
        let mut body = filter.clone();
        body.insert("offset".into(), json!(items.len()));
        let resp = jsapi::js(client, suffix, &Value::Object(body), t).await?;
        let page = match resp.json.get(key) {
            Some(Value::Array(a)) => a.clone(),
            _ => Vec::new(),
        };
        let total = u64_of(&resp.json, "total") as usize;
        let got = page.len();
        items.extend(page);
        if got == 0 || items.len() >= total {
            return Ok(items);
        }
    }
}

fn nanos_text(v: &Value, key: &str) -> String {
    match v.get(key).and_then(Value::as_u64) {
        Some(0) | None => "unlimited".to_owned(),
        Some(n) => fmt_dur(Duration::from_nanos(n)),
    }
}

fn limit_text(v: &Value, key: &str) -> String {
    match i64_of(v, key) {
        n if n <= 0 => "unlimited".to_owned(),
        n => n.to_string(),
    }
}

/// Prints a stream info response: its JSON, or people's view of it.
pub fn show_info(
    resp: &Response,
    json: bool,
    state_only: bool,
    headline: &str,
) -> Result<(), Error> {
    if json {
        return print_raw(&resp.raw);
    }
    let info = &resp.json;
    let cfg = info.get("config").unwrap_or(&Value::Null);
    let state = info.get("state").unwrap_or(&Value::Null);
    if !headline.is_empty() {
        outln!("{headline}");
    }
    if !state_only {
        outln!(
            "Information for Stream {} created {}\n",
            str_of(cfg, "name"),
            str_of(info, "created")
        );
        let mut s = Section::new();
        let subjects: Vec<&str> = cfg
            .get("subjects")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        s.add("Subjects", subjects.join(", "));
        if !str_of(cfg, "description").is_empty() {
            s.add("Description", str_of(cfg, "description"));
        }
        s.add("Replicas", i64_of(cfg, "num_replicas").max(1));
        s.add("Storage", str_of(cfg, "storage"));
        s.add("Retention", str_of(cfg, "retention"));
        s.add("Discard Policy", str_of(cfg, "discard"));
        s.add("Duplicate Window", nanos_text(cfg, "duplicate_window"));
        s.add("Maximum Messages", limit_text(cfg, "max_msgs"));
        s.add(
            "Maximum Per Subject",
            limit_text(cfg, "max_msgs_per_subject"),
        );
        s.add("Maximum Bytes", limit_text(cfg, "max_bytes"));
        s.add("Maximum Age", nanos_text(cfg, "max_age"));
        s.add("Maximum Message Size", limit_text(cfg, "max_msg_size"));
        s.add("Maximum Consumers", limit_text(cfg, "max_consumers"));
        s.add(
            "Allows Rollups",
            cfg.get("allow_rollup_hdrs")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        );
        s.add(
            "Deny Delete",
            cfg.get("deny_delete")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        );
        s.add(
            "Deny Purge",
            cfg.get("deny_purge")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        );
        out!("{}", s.render());
        outln!();
    }
    outln!("State:\n");
    let mut s = Section::new();
    s.add("Messages", u64_of(state, "messages"));
    s.add("Bytes", human_bytes(u64_of(state, "bytes")));
    s.add(
        "First Sequence",
        format!(
            "{} @ {}",
            u64_of(state, "first_seq"),
            str_of(state, "first_ts")
        ),
    );
    s.add(
        "Last Sequence",
        format!(
            "{} @ {}",
            u64_of(state, "last_seq"),
            str_of(state, "last_ts")
        ),
    );
    s.add("Deleted Messages", u64_of(state, "num_deleted"));
    s.add("Active Consumers", u64_of(state, "consumer_count"));
    s.add("Number of Subjects", u64_of(state, "num_subjects"));
    out!("{}", s.render());
    Ok(())
}

/// Prints one stored message from a `STREAM.MSG.GET` response.
fn print_stored(msg: &Value, raw: bool) -> Result<(), Error> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let data = b64
        .decode(str_of(msg, "data"))
        .map_err(|e| Error::Nats(format!("stored message data is not base64: {e}")))?;
    let body = String::from_utf8_lossy(&data);
    if raw {
        outln!("{body}");
        return Ok(());
    }
    outln!(
        "[{}] Subject: {} Received: {}",
        u64_of(msg, "seq"),
        str_of(msg, "subject"),
        str_of(msg, "time")
    );
    let hdrs = str_of(msg, "hdrs");
    if !hdrs.is_empty() {
        let block = b64
            .decode(hdrs)
            .map_err(|e| Error::Nats(format!("stored headers are not base64: {e}")))?;
        let text = String::from_utf8_lossy(&block);
        // The block is "NATS/1.0\r\nK: V\r\n...\r\n\r\n": show its header lines.
        for line in text.split("\r\n").skip(1).filter(|l| !l.is_empty()) {
            outln!("  {line}");
        }
    }
    outln!("\n{body}\n");
    Ok(())
}
