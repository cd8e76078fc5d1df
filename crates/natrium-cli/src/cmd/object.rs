//! `object add/ls/info/put/get/rm/seal/watch`, on `async-nats`'s object store API.

use std::path::PathBuf;
use std::time::Duration;

use async_nats::jetstream::{self, object_store};
use async_nats::Client;
use clap::Subcommand;
use futures::StreamExt;
use serde_json::{Map, Value};

use crate::cli::{parse_duration, parse_size};
use crate::jsapi::{self, str_of, u64_of};
use crate::output::{print_raw, Section, Table};
use crate::prompt::confirm;
use crate::units::human_bytes;
use crate::Error;

/// Object store commands.
#[derive(Debug, Subcommand)]
pub enum ObjectCmd {
    /// Create a bucket
    #[command(alias = "new")]
    Add {
        /// Bucket name
        bucket: String,
        /// How long objects live
        #[arg(long, value_parser = parse_duration)]
        ttl: Option<Duration>,
        /// Replicas when clustered
        #[arg(long, default_value_t = 1)]
        replicas: usize,
        /// Storage backend (file, memory)
        #[arg(long, value_parser = ["file", "f", "memory", "m"], default_value = "file")]
        storage: String,
        /// Largest bucket
        #[arg(long, value_parser = parse_size)]
        max_bucket_size: Option<i64>,
        /// Description
        #[arg(long)]
        description: Option<String>,
    },
    /// List buckets, or the objects in BUCKET
    #[command(alias = "list")]
    Ls {
        /// Bucket name
        bucket: Option<String>,
        /// Names only
        #[arg(short = 'n', long)]
        names: bool,
        /// Print JSON
        #[arg(short = 'j', long)]
        json: bool,
    },
    /// Show a bucket, or one object in it
    Info {
        /// Bucket name
        bucket: String,
        /// Object name
        name: Option<String>,
        /// Print JSON (the server's stream info for a bucket)
        #[arg(short = 'j', long)]
        json: bool,
    },
    /// Store a file (stdin when FILE is absent or "-")
    Put {
        /// Bucket name
        bucket: String,
        /// File to store
        file: Option<PathBuf>,
        /// Object name (the file name by default)
        #[arg(long)]
        name: Option<String>,
    },
    /// Retrieve an object into a file (stdout with --output -)
    Get {
        /// Bucket name
        bucket: String,
        /// Object name
        name: String,
        /// Where to write it (the object's base name by default)
        #[arg(short = 'O', long)]
        output: Option<PathBuf>,
        /// Overwrite an existing file
        #[arg(short = 'f', long)]
        force: bool,
    },
    /// Delete an object, or the whole bucket
    #[command(alias = "del")]
    Rm {
        /// Bucket name
        bucket: String,
        /// Object name
        name: Option<String>,
        /// Delete without asking
        #[arg(short = 'f', long)]
        force: bool,
    },
    /// Print changes to a bucket as they happen
    Watch {
        /// Bucket name
        bucket: String,
        /// Only new changes, not the objects already there
        #[arg(long)]
        updates: bool,
        /// Exit after this many changes
        #[arg(long)]
        count: Option<u64>,
    },
    /// Seal a bucket: no more changes
    Seal {
        /// Bucket name
        bucket: String,
        /// Seal without asking
        #[arg(short = 'f', long)]
        force: bool,
    },
}

/// Runs an object store command.
pub async fn run(client: &Client, cmd: ObjectCmd, t: Duration) -> Result<(), Error> {
    let js = jetstream::new(client.clone());
    match cmd {
        ObjectCmd::Add {
            bucket,
            ttl,
            replicas,
            storage,
            max_bucket_size,
            description,
        } => {
            js.create_object_store(object_store::Config {
                bucket: bucket.clone(),
                description,
                max_age: ttl.unwrap_or_default(),
                max_bytes: max_bucket_size.unwrap_or(-1),
                storage: if storage.starts_with('m') {
                    jetstream::stream::StorageType::Memory
                } else {
                    jetstream::stream::StorageType::File
                },
                num_replicas: replicas,
                ..Default::default()
            })
            .await?;
            outln!("Created object store bucket {bucket}");
            bucket_info(client, &bucket, false, t).await
        }
        ObjectCmd::Ls {
            bucket: None,
            names,
            json,
        } => {
            let mut filter = Map::new();
            filter.insert("subject".into(), Value::from("$O.>"));
            let infos: Vec<Value> =
                super::stream::list_all(client, "STREAM.LIST", "streams", filter, t)
                    .await?
                    .into_iter()
                    .filter(|i| {
                        str_of(i.get("config").unwrap_or(&Value::Null), "name").starts_with("OBJ_")
                    })
                    .collect();
            if json {
                outln!("{}", Value::Array(infos));
                return Ok(());
            }
            let bucket_names: Vec<String> = infos
                .iter()
                .map(|i| {
                    str_of(i.get("config").unwrap_or(&Value::Null), "name")
                        .trim_start_matches("OBJ_")
                        .to_owned()
                })
                .collect();
            if names {
                for n in bucket_names {
                    outln!("{n}");
                }
                return Ok(());
            }
            if infos.is_empty() {
                outln!("No Object Store buckets found");
                return Ok(());
            }
            let mut table = Table::new(
                "Object Store Buckets",
                &["Bucket", "Description", "Created", "Size"],
            );
            for (i, name) in infos.iter().zip(bucket_names) {
                let cfg = i.get("config").unwrap_or(&Value::Null);
                let state = i.get("state").unwrap_or(&Value::Null);
                table.row(vec![
                    name,
                    str_of(cfg, "description").to_owned(),
                    str_of(i, "created").to_owned(),
                    human_bytes(u64_of(state, "bytes")),
                ]);
            }
            out!("{}", table.render());
            Ok(())
        }
        ObjectCmd::Ls {
            bucket: Some(bucket),
            names,
            json,
        } => {
            let store = js.get_object_store(&bucket).await?;
            let mut list = store.list().await?;
            let mut objects = Vec::new();
            while let Some(info) = list.next().await {
                objects.push(info?);
            }
            if json {
                let text =
                    serde_json::to_string(&objects).map_err(|e| Error::json("object list", e))?;
                outln!("{text}");
                return Ok(());
            }
            if names {
                for o in &objects {
                    outln!("{}", o.name);
                }
                return Ok(());
            }
            if objects.is_empty() {
                outln!("No objects in bucket {bucket}");
                return Ok(());
            }
            let mut table = Table::new(
                format!("Bucket Contents {bucket}"),
                &["Name", "Size", "Time"],
            );
            for o in &objects {
                table.row(vec![
                    o.name.clone(),
                    human_bytes(o.size as u64),
                    o.modified.map(crate::output::rfc3339).unwrap_or_default(),
                ]);
            }
            out!("{}", table.render());
            Ok(())
        }
        ObjectCmd::Info {
            bucket,
            name: None,
            json,
        } => bucket_info(client, &bucket, json, t).await,
        ObjectCmd::Info {
            bucket,
            name: Some(name),
            json,
        } => {
            let store = js.get_object_store(&bucket).await?;
            let info = store.info(&name).await?;
            if json {
                let text =
                    serde_json::to_string(&info).map_err(|e| Error::json("object info", e))?;
                outln!("{text}");
                return Ok(());
            }
            outln!("Object information for {bucket} > {name}\n");
            let mut s = Section::new();
            s.add("Size", human_bytes(info.size as u64));
            s.add(
                "Modification Time",
                info.modified
                    .map(crate::output::rfc3339)
                    .unwrap_or_default(),
            );
            s.add("Chunks", info.chunks);
            s.add("Digest", info.digest.clone().unwrap_or_default());
            if let Some(d) = &info.description {
                s.add("Description", d);
            }
            out!("{}", s.render());
            Ok(())
        }
        ObjectCmd::Put { bucket, file, name } => {
            let store = js.get_object_store(&bucket).await?;
            let from_stdin = file.as_deref().is_none_or(|f| f.as_os_str() == "-");
            let object_name = match (&name, &file) {
                (Some(n), _) => n.clone(),
                (None, Some(f)) if !from_stdin => f
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .ok_or_else(|| {
                        Error::Usage(format!("{}: no file name; use --name", f.display()))
                    })?,
                _ => return Err(Error::Usage("reading stdin needs --name".into())),
            };
            let meta = object_store::ObjectMetadata {
                name: object_name.clone(),
                ..Default::default()
            };
            let info = if from_stdin {
                let mut stdin = tokio::io::stdin();
                store.put(meta, &mut stdin).await?
            } else {
                let path = file.unwrap_or_default();
                let mut f = tokio::fs::File::open(&path)
                    .await
                    .map_err(|e| Error::io(path.display().to_string(), e))?;
                store.put(meta, &mut f).await?
            };
            outln!(
                "Stored {} ({}) in bucket {bucket}",
                info.name,
                human_bytes(info.size as u64)
            );
            Ok(())
        }
        ObjectCmd::Get {
            bucket,
            name,
            output,
            force,
        } => {
            let store = js.get_object_store(&bucket).await?;
            let mut object = store.get(&name).await?;
            let target = match output {
                Some(p) => p,
                None => {
                    PathBuf::from(std::path::Path::new(&name).file_name().ok_or_else(|| {
                        Error::Usage(format!("object {name:?} has no file name; use --output"))
                    })?)
                }
            };
            if target.as_os_str() == "-" {
                let mut stdout = tokio::io::stdout();
                tokio::io::copy(&mut object, &mut stdout)
                    .await
                    .map_err(|e| Error::io("stdout", e))?;
                use tokio::io::AsyncWriteExt;
                stdout.flush().await.map_err(|e| Error::io("stdout", e))?;
                return Ok(());
            }
            if target.exists() && !force {
                return Err(Error::Usage(format!(
                    "{} exists; use --force to overwrite",
                    target.display()
                )));
            }
            let mut f = tokio::fs::File::create(&target)
                .await
                .map_err(|e| Error::io(target.display().to_string(), e))?;
            let n = tokio::io::copy(&mut object, &mut f)
                .await
                .map_err(|e| Error::io(target.display().to_string(), e))?;
            outln!("Wrote {} to {}", human_bytes(n), target.display());
            Ok(())
        }
        ObjectCmd::Rm {
            bucket,
            name: Some(name),
            force,
        } => {
            confirm(force, &format!("Really delete object {bucket} > {name}"))?;
            js.get_object_store(&bucket).await?.delete(&name).await?;
            outln!("Deleted {bucket} > {name}");
            Ok(())
        }
        ObjectCmd::Rm {
            bucket,
            name: None,
            force,
        } => {
            confirm(force, &format!("Delete bucket {bucket} and all its files?"))?;
            jsapi::js(
                client,
                &format!("STREAM.DELETE.OBJ_{bucket}"),
                &Value::Null,
                t,
            )
            .await?;
            outln!("Deleted bucket {bucket}");
            Ok(())
        }
        ObjectCmd::Seal { bucket, force } => {
            confirm(
                force,
                &format!(
                    "Really seal Bucket {bucket}, sealed buckets can not be unsealed or modified"
                ),
            )?;
            js.get_object_store(&bucket).await?.seal().await?;
            outln!("Sealed bucket {bucket}");
            Ok(())
        }
        ObjectCmd::Watch {
            bucket,
            updates,
            count,
        } => {
            let store = js.get_object_store(&bucket).await?;
            let mut watch = if updates {
                store.watch().await?
            } else {
                store.watch_with_history().await?
            };
            eprintln!("Watching bucket {bucket}");
            let mut n = 0u64;
            while count.is_none_or(|c| n < c) {
                let Some(info) = watch.next().await else {
                    break;
                };
                let info = info?;
                n += 1;
                let when = info
                    .modified
                    .map(crate::output::rfc3339)
                    .unwrap_or_default();
                if info.deleted {
                    outln!("[{when}] DEL {bucket} > {}", info.name);
                } else {
                    outln!(
                        "[{when}] PUT {bucket} > {}: {} in {} chunks",
                        info.name,
                        human_bytes(u64::try_from(info.size).unwrap_or(u64::MAX)),
                        info.chunks
                    );
                }
            }
            Ok(())
        }
    }
}

async fn bucket_info(client: &Client, bucket: &str, json: bool, t: Duration) -> Result<(), Error> {
    let resp = jsapi::js(
        client,
        &format!("STREAM.INFO.OBJ_{bucket}"),
        &Value::Null,
        t,
    )
    .await?;
    if json {
        return print_raw(&resp.raw);
    }
    let cfg = resp.json.get("config").unwrap_or(&Value::Null);
    let state = resp.json.get("state").unwrap_or(&Value::Null);
    outln!(
        "Information for Object Store Bucket {bucket} created {}\n",
        str_of(&resp.json, "created")
    );
    let mut s = Section::new();
    if !str_of(cfg, "description").is_empty() {
        s.add("Description", str_of(cfg, "description"));
    }
    s.add("Size", human_bytes(u64_of(state, "bytes")));
    s.add(
        "Sealed",
        cfg.get("sealed").and_then(Value::as_bool).unwrap_or(false),
    );
    s.add(
        "Backing Store",
        format!("{} stream OBJ_{bucket}", str_of(cfg, "storage")),
    );
    out!("{}", s.render());
    Ok(())
}
