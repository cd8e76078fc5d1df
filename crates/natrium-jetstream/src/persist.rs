//! Where a file-backed stream keeps its configuration and its consumers on disk:
//! `<store_dir>/jetstream/<account>/streams/<stream>/{meta.json,msgs/,obs/<consumer>/}`
//! (a restore writes the same layout under `<store_dir>/jetstream/<account>/restore/<id>/`
//! first).
//! Metadata files are replaced atomically (write, fsync, rename, fsync the directory),
//! so a crash leaves the old or the new file, never a torn one.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use natrium_api::jetstream::{ConsumerConfig, StreamConfig};
use natrium_store::{ConsumerStore, FileConsumerStore, SyncPolicy};
use serde::{Deserialize, Serialize};

const META: &str = "meta.json";

#[derive(Serialize, Deserialize)]
struct Meta<T> {
    config: T,
    created: i64,
}

/// The directory holding every stream of the global account.
pub fn streams_root(store_dir: &Path, account: &str) -> PathBuf {
    store_dir.join("jetstream").join(account).join("streams")
}

/// Where restores into `account` write a file stream before it is registered (beside,
/// not in, its streams directory, so a restore cut short is never loaded as a stream;
/// cleared on start). Per account: an account may be named `restore`.
pub fn restore_staging(store_dir: &Path, account: &str) -> PathBuf {
    store_dir.join("jetstream").join(account).join("restore")
}

/// The directory of stream `name`.
pub fn stream_dir(store_dir: &Path, account: &str, name: &str) -> PathBuf {
    streams_root(store_dir, account).join(name)
}

/// The message directory of a stream.
pub fn msgs_dir(dir: &Path) -> PathBuf {
    dir.join("msgs")
}

fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let tmp = path.with_extension("tmp");
    {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    fs::File::open(dir)?.sync_all()
}

fn write_meta<T: Serialize>(path: &Path, config: &T, created: i64) -> std::io::Result<()> {
    let bytes = serde_json::to_vec_pretty(&Meta { config, created })
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
    write_atomic(path, &bytes)
}

fn read_meta<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<(T, i64), String> {
    let bytes = fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let meta: Meta<T> =
        serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((meta.config, meta.created))
}

/// Saves a stream's configuration.
pub fn write_stream_meta(dir: &Path, config: &StreamConfig, created: i64) -> std::io::Result<()> {
    write_meta(&dir.join(META), config, created)
}

/// Every stream saved under `store_dir`, or the reason one could not be read.
pub fn list_streams(
    store_dir: &Path,
    account: &str,
) -> Vec<Result<(PathBuf, StreamConfig, i64), String>> {
    let Ok(entries) = fs::read_dir(streams_root(store_dir, account)) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let (config, created) = read_meta::<StreamConfig>(&dir.join(META))?;
            Ok((dir, config, created))
        })
        .collect()
}

fn consumer_dir(dir: &Path, name: &str) -> PathBuf {
    dir.join("obs").join(name)
}

/// Saves a consumer's configuration.
pub fn write_consumer_meta(
    dir: &Path,
    name: &str,
    config: &ConsumerConfig,
    created: i64,
) -> std::io::Result<()> {
    write_meta(&consumer_dir(dir, name).join(META), config, created)
}

/// The saved consumers of the stream in `dir`.
pub fn list_consumers(dir: &Path) -> Vec<(String, ConsumerConfig, i64)> {
    let Ok(entries) = fs::read_dir(dir.join("obs")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        match read_meta::<ConsumerConfig>(&entry.path().join(META)) {
            Ok((config, created)) => out.push((name, config, created)),
            Err(err) => tracing::error!(%err, "consumer not restored"),
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The state store of consumer `name`.
pub fn consumer_store(
    dir: &Path,
    name: &str,
    sync: SyncPolicy,
) -> Result<Box<dyn ConsumerStore>, natrium_store::StoreError> {
    Ok(Box::new(FileConsumerStore::open(
        &consumer_dir(dir, name),
        consumer_sync(sync),
    )?))
}

/// How often plain consumer state (delivered, plain acks) reaches the disk. Losing it
/// only redelivers messages (at least once), so even the durable default syncs it at
/// most once a second; an ack the client asked to have confirmed is synced before
/// the confirmation (`ConsumerStore::save_durable`).
fn consumer_sync(stream: SyncPolicy) -> SyncPolicy {
    const AT_MOST: std::time::Duration = std::time::Duration::from_secs(1);
    match stream {
        SyncPolicy::Always => SyncPolicy::Interval(AT_MOST),
        SyncPolicy::Interval(d) => SyncPolicy::Interval(d),
    }
}

/// Removes everything saved for consumer `name`.
pub fn remove_consumer(dir: &Path, name: &str) {
    let _ = fs::remove_dir_all(consumer_dir(dir, name));
}
