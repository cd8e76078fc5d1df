//! `kv add/ls/info/get/put/create/update/del/purge/history/watch/rm`, on `async-nats`'s
//! key-value API; `info --json` and `ls --json` print the server's stream JSON.

use std::io::Write;
use std::time::Duration;

use async_nats::jetstream::{self, kv};
use async_nats::Client;
use bytes::Bytes;
use clap::{Args, Subcommand};
use futures::StreamExt;
use serde_json::{Map, Value};

use crate::cli::{parse_duration, parse_size};
use crate::jsapi::{self, i64_of, str_of, u64_of};
use crate::output::{print_raw, rfc3339, Section, Table};
use crate::prompt::confirm;
use crate::units::{format as fmt_dur, human_bytes};
use crate::Error;

/// Key-value commands.
#[derive(Debug, Subcommand)]
pub enum KvCmd {
    /// Create a bucket
    #[command(alias = "new")]
    Add(AddArgs),
    /// List buckets, or the keys in BUCKET
    #[command(alias = "list")]
    Ls {
        /// Bucket whose keys to list
        bucket: Option<String>,
        /// Names only
        #[arg(short = 'n', long)]
        names: bool,
        /// Print the servers' stream infos as a JSON array
        #[arg(short = 'j', long)]
        json: bool,
    },
    /// Show a bucket's status
    #[command(alias = "status", alias = "view")]
    Info {
        /// Bucket name
        bucket: String,
        /// Print the server's stream JSON
        #[arg(short = 'j', long)]
        json: bool,
    },
    /// Get a key's value
    Get {
        /// Bucket name
        bucket: String,
        /// Key
        key: String,
        /// Print only the value, exactly as stored
        #[arg(long)]
        raw: bool,
        /// A specific revision
        #[arg(long)]
        revision: Option<u64>,
    },
    /// Put a value (from stdin when VALUE is absent)
    Put(PutArgs),
    /// Put a value only if the key has none
    Create(PutArgs),
    /// Put a value only if the key is at REVISION
    Update {
        /// Bucket name
        bucket: String,
        /// Key
        key: String,
        /// Value
        value: String,
        /// Expected current revision
        revision: u64,
    },
    /// Delete a key (its history stays until purged), or the whole bucket without KEY
    #[command(alias = "rm")]
    Del {
        /// Bucket name
        bucket: String,
        /// Key; the bucket itself when absent
        key: Option<String>,
        /// Delete without asking
        #[arg(short = 'f', long)]
        force: bool,
    },
    /// Delete a key and all its history
    Purge {
        /// Bucket name
        bucket: String,
        /// Key
        key: String,
        /// Purge without asking
        #[arg(short = 'f', long)]
        force: bool,
    },
    /// Show a key's history
    History {
        /// Bucket name
        bucket: String,
        /// Key
        key: String,
    },
    /// Print changes as they happen
    Watch {
        /// Bucket name
        bucket: String,
        /// Key or wildcard (all keys by default)
        key: Option<String>,
        /// Only new values, not the current ones
        #[arg(long)]
        updates: bool,
        /// Exit after this many updates
        #[arg(long)]
        count: Option<u64>,
    },
}

/// `kv add` flags.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// Bucket name
    pub bucket: String,
    /// Values kept per key
    #[arg(long, default_value_t = 1)]
    pub history: i64,
    /// How long values live
    #[arg(long, value_parser = parse_duration)]
    pub ttl: Option<Duration>,
    /// Replicas when clustered
    #[arg(long, default_value_t = 1)]
    pub replicas: usize,
    /// Storage backend (file, memory)
    #[arg(long, value_parser = ["file", "f", "memory", "m"], default_value = "file")]
    pub storage: String,
    /// Largest value
    #[arg(long, value_parser = parse_size)]
    pub max_value_size: Option<i64>,
    /// Largest bucket
    #[arg(long, value_parser = parse_size)]
    pub max_bucket_size: Option<i64>,
    /// Description
    #[arg(long)]
    pub description: Option<String>,
}

/// `kv put`/`kv create` arguments.
#[derive(Debug, Args)]
pub struct PutArgs {
    /// Bucket name
    pub bucket: String,
    /// Key
    pub key: String,
    /// Value; read from stdin when absent
    pub value: Option<String>,
}

fn storage(name: &str) -> jetstream::stream::StorageType {
    if name.starts_with('m') {
        jetstream::stream::StorageType::Memory
    } else {
        jetstream::stream::StorageType::File
    }
}

fn value_of(v: Option<String>) -> Result<Bytes, Error> {
    match v {
        Some(v) => Ok(Bytes::from(v)),
        None => {
            use std::io::Read;
            let mut buf = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut buf)
                .map_err(|e| Error::io("stdin", e))?;
            Ok(Bytes::from(buf))
        }
    }
}

fn op_name(op: kv::Operation) -> &'static str {
    match op {
        kv::Operation::Put => "PUT",
        kv::Operation::Delete => "DEL",
        kv::Operation::Purge => "PURGE",
    }
}

/// Runs a key-value command.
pub async fn run(client: &Client, cmd: KvCmd, t: Duration) -> Result<(), Error> {
    let js = jetstream::new(client.clone());
    match cmd {
        KvCmd::Add(a) => {
            let bucket = a.bucket.clone();
            js.create_key_value(kv::Config {
                bucket: a.bucket,
                description: a.description.unwrap_or_default(),
                history: a.history,
                max_age: a.ttl.unwrap_or_default(),
                max_value_size: a
                    .max_value_size
                    .map(|v| i32::try_from(v).unwrap_or(i32::MAX))
                    .unwrap_or(-1),
                max_bytes: a.max_bucket_size.unwrap_or(-1),
                storage: storage(&a.storage),
                num_replicas: a.replicas,
                ..Default::default()
            })
            .await?;
            outln!("Created bucket {bucket}");
            info(client, &bucket, false, t).await
        }
        KvCmd::Ls {
            bucket: Some(bucket),
            json,
            ..
        } => {
            let store = js.get_key_value(&bucket).await?;
            let mut keys = Vec::new();
            let mut stream = store.keys().await?;
            while let Some(key) = stream.next().await {
                keys.push(key.map_err(|e| Error::Nats(e.to_string()))?);
            }
            keys.sort();
            if json {
                outln!("{}", Value::from(keys));
            } else if keys.is_empty() {
                outln!("No keys found in bucket {bucket}");
            } else {
                for k in keys {
                    outln!("{k}");
                }
            }
            Ok(())
        }
        KvCmd::Ls {
            bucket: None,
            names,
            json,
        } => {
            let mut filter = Map::new();
            filter.insert("subject".into(), Value::from("$KV.>"));
            let infos: Vec<Value> =
                super::stream::list_all(client, "STREAM.LIST", "streams", filter, t)
                    .await?
                    .into_iter()
                    .filter(|i| {
                        str_of(i.get("config").unwrap_or(&Value::Null), "name").starts_with("KV_")
                    })
                    .collect();
            if json {
                outln!("{}", Value::Array(infos));
                return Ok(());
            }
            if names {
                for i in &infos {
                    let name = str_of(i.get("config").unwrap_or(&Value::Null), "name");
                    outln!("{}", name.trim_start_matches("KV_"));
                }
                return Ok(());
            }
            if infos.is_empty() {
                outln!("No Key-Value buckets found");
                return Ok(());
            }
            let mut table = Table::new(
                "Key-Value Buckets",
                &[
                    "Bucket",
                    "Description",
                    "Created",
                    "Size",
                    "Values",
                    "Last Update",
                ],
            );
            for i in &infos {
                let cfg = i.get("config").unwrap_or(&Value::Null);
                let state = i.get("state").unwrap_or(&Value::Null);
                table.row(vec![
                    str_of(cfg, "name").trim_start_matches("KV_").to_owned(),
                    str_of(cfg, "description").to_owned(),
                    str_of(i, "created").to_owned(),
                    human_bytes(u64_of(state, "bytes")),
                    u64_of(state, "messages").to_string(),
                    str_of(state, "last_ts").to_owned(),
                ]);
            }
            out!("{}", table.render());
            Ok(())
        }
        KvCmd::Info { bucket, json } => info(client, &bucket, json, t).await,
        KvCmd::Get {
            bucket,
            key,
            raw,
            revision,
        } => {
            let store = js.get_key_value(&bucket).await?;
            let entry = match revision {
                Some(r) => store.entry_for_revision(&key, r).await?,
                None => store.entry(&key).await?,
            };
            let Some(entry) = entry.filter(|e| e.operation == kv::Operation::Put) else {
                return Err(Error::Nats(format!(
                    "key {key:?} not found in bucket {bucket}"
                )));
            };
            let mut out = std::io::stdout().lock();
            let written = if raw {
                out.write_all(&entry.value)
            } else {
                out.write_all(
                    format!(
                        "{bucket} > {key} revision: {} created @ {}\n\n",
                        entry.revision,
                        rfc3339(entry.created)
                    )
                    .as_bytes(),
                )
                .and_then(|()| out.write_all(&entry.value))
                .and_then(|()| out.write_all(b"\n"))
            };
            written
                .and_then(|()| out.flush())
                .map_err(|e| Error::io("stdout", e))
        }
        KvCmd::Put(a) => {
            let store = js.get_key_value(&a.bucket).await?;
            let value = value_of(a.value)?;
            let rev = store.put(&a.key, value).await?;
            outln!("{} > {} revision {rev}", a.bucket, a.key);
            Ok(())
        }
        KvCmd::Create(a) => {
            let store = js.get_key_value(&a.bucket).await?;
            let value = value_of(a.value)?;
            let rev = store.create(&a.key, value).await?;
            outln!("{} > {} revision {rev}", a.bucket, a.key);
            Ok(())
        }
        KvCmd::Update {
            bucket,
            key,
            value,
            revision,
        } => {
            let store = js.get_key_value(&bucket).await?;
            let rev = store.update(&key, Bytes::from(value), revision).await?;
            outln!("{bucket} > {key} revision {rev}");
            Ok(())
        }
        KvCmd::Del {
            bucket,
            key: Some(key),
            force,
        } => {
            confirm(force, &format!("Delete key {bucket} > {key}?"))?;
            js.get_key_value(&bucket).await?.delete(&key).await?;
            outln!("Deleted {bucket} > {key}");
            Ok(())
        }
        KvCmd::Del {
            bucket,
            key: None,
            force,
        } => {
            confirm(force, &format!("Delete bucket {bucket}?"))?;
            let subject = format!("STREAM.DELETE.KV_{bucket}");
            jsapi::js(client, &subject, &Value::Null, t).await?;
            outln!("Deleted bucket {bucket}");
            Ok(())
        }
        KvCmd::Purge { bucket, key, force } => {
            confirm(force, &format!("Purge key {bucket} > {key}?"))?;
            js.get_key_value(&bucket).await?.purge(&key).await?;
            outln!("Purged {bucket} > {key}");
            Ok(())
        }
        KvCmd::History { bucket, key } => {
            let store = js.get_key_value(&bucket).await?;
            let mut history = store.history(&key).await?;
            let mut table = Table::new(
                format!("History for {bucket} > {key}"),
                &["Key", "Revision", "Op", "Created", "Length", "Value"],
            );
            let mut rows = 0;
            while let Some(entry) = history.next().await {
                let entry = entry?;
                let shown = String::from_utf8_lossy(&entry.value);
                let shown: String = shown.chars().take(40).collect();
                table.row(vec![
                    entry.key.clone(),
                    entry.revision.to_string(),
                    op_name(entry.operation).to_owned(),
                    rfc3339(entry.created),
                    entry.value.len().to_string(),
                    shown,
                ]);
                rows += 1;
            }
            if rows == 0 {
                return Err(Error::Nats(format!(
                    "key {key:?} not found in bucket {bucket}"
                )));
            }
            out!("{}", table.render());
            Ok(())
        }
        KvCmd::Watch {
            bucket,
            key,
            updates,
            count,
        } => {
            let store = js.get_key_value(&bucket).await?;
            let key = key.as_deref().unwrap_or(">");
            let mut watch = if updates {
                store.watch(key).await?
            } else {
                store.watch_with_history(key).await?
            };
            eprintln!("Watching bucket {bucket}");
            let mut n = 0u64;
            while count.is_none_or(|c| n < c) {
                let Some(entry) = watch.next().await else {
                    break;
                };
                let entry = entry?;
                n += 1;
                let mut out = std::io::stdout().lock();
                let line = match entry.operation {
                    kv::Operation::Put => format!(
                        "[{}] {} {bucket} > {}: {}\n",
                        rfc3339(entry.created),
                        op_name(entry.operation),
                        entry.key,
                        String::from_utf8_lossy(&entry.value)
                    ),
                    op => format!(
                        "[{}] {} {bucket} > {}\n",
                        rfc3339(entry.created),
                        op_name(op),
                        entry.key
                    ),
                };
                out.write_all(line.as_bytes())
                    .and_then(|()| out.flush())
                    .map_err(|e| Error::io("stdout", e))?;
            }
            Ok(())
        }
    }
}

async fn info(client: &Client, bucket: &str, json: bool, t: Duration) -> Result<(), Error> {
    let resp = jsapi::js(client, &format!("STREAM.INFO.KV_{bucket}"), &Value::Null, t).await?;
    if json {
        return print_raw(&resp.raw);
    }
    let cfg = resp.json.get("config").unwrap_or(&Value::Null);
    let state = resp.json.get("state").unwrap_or(&Value::Null);
    outln!(
        "Information for Key-Value Store Bucket {bucket} created {}\n",
        str_of(&resp.json, "created")
    );
    let mut s = Section::new();
    if !str_of(cfg, "description").is_empty() {
        s.add("Description", str_of(cfg, "description"));
    }
    s.add("Bucket Name", bucket);
    s.add("History Kept", i64_of(cfg, "max_msgs_per_subject"));
    let ttl = u64_of(cfg, "max_age");
    s.add("Values Stored", u64_of(state, "messages"));
    s.add("Size", human_bytes(u64_of(state, "bytes")));
    s.add(
        "Maximum Age",
        if ttl == 0 {
            "unlimited".to_owned()
        } else {
            fmt_dur(Duration::from_nanos(ttl))
        },
    );
    s.add(
        "Backing Store",
        format!("{} stream KV_{bucket}", str_of(cfg, "storage")),
    );
    out!("{}", s.render());
    Ok(())
}
