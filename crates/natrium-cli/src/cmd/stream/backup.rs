//! `stream backup STREAM DIR` and `stream restore DIR` over the server's snapshot API:
//! the directory holds `backup.json` (the stream's config and state as the snapshot
//! reply gave them) and `stream.tar` (the archive exactly as the server streamed it).
//! The `nats` CLI writes `stream.tar.s2` for nats-server's compressed archive; the two
//! servers' archives are not interchangeable (docs/COMPATIBILITY.md).

use std::path::Path;
use std::time::Duration;

use async_nats::Client;
use bytes::Bytes;
use futures::StreamExt;
use serde_json::{json, Value};

use crate::jsapi::{self, Response};
use crate::Error;

const META: &str = "backup.json";
const ARCHIVE: &str = "stream.tar";
const CHUNK: usize = 128 * 1024;

/// Downloads a snapshot of `stream` into `dir`, answering each chunk.
pub async fn backup(
    client: &Client,
    stream: &str,
    dir: &Path,
    no_consumers: bool,
    t: Duration,
) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    let inbox = client.new_inbox();
    let mut chunks = client.subscribe(inbox.clone()).await?;
    let req = json!({
        "deliver_subject": inbox,
        "no_consumers": no_consumers,
        "chunk_size": CHUNK,
    });
    let resp = jsapi::js(client, &format!("STREAM.SNAPSHOT.{stream}"), &req, t).await?;
    let mut data = Vec::new();
    let mut count = 0usize;
    loop {
        let msg = tokio::time::timeout(t, chunks.next())
            .await
            .map_err(|_| Error::Timeout(format!("snapshot chunk {} of {stream}", count + 1)))?
            .ok_or_else(|| Error::Nats("snapshot subscription closed".into()))?;
        if msg.payload.is_empty() {
            match msg.status.map(|s| s.as_u16()) {
                Some(204) | None => break,
                Some(code) => {
                    return Err(Error::Nats(format!(
                        "snapshot of {stream} failed: {code} {}",
                        msg.description.unwrap_or_default()
                    )))
                }
            }
        }
        data.extend_from_slice(&msg.payload);
        count += 1;
        if let Some(reply) = msg.reply {
            client.publish(reply, Bytes::new()).await?;
        }
    }
    let meta = json!({
        "config": resp.json.get("config").cloned().unwrap_or(Value::Null),
        "state": resp.json.get("state").cloned().unwrap_or(Value::Null),
    });
    let meta_path = dir.join(META);
    let archive_path = dir.join(ARCHIVE);
    std::fs::write(&archive_path, &data)
        .map_err(|e| Error::io(archive_path.display().to_string(), e))?;
    std::fs::write(&meta_path, meta.to_string())
        .map_err(|e| Error::io(meta_path.display().to_string(), e))?;
    outln!(
        "Backed up stream {stream}: {} bytes in {count} chunks to {}",
        data.len(),
        dir.display()
    );
    Ok(())
}

/// Restores the stream backed up in `dir`; the stream must not exist.
pub async fn restore(client: &Client, dir: &Path, t: Duration) -> Result<(), Error> {
    let meta_path = dir.join(META);
    let text =
        std::fs::read(&meta_path).map_err(|e| Error::io(meta_path.display().to_string(), e))?;
    let meta: Value = serde_json::from_slice(&text)
        .map_err(|e| Error::json(meta_path.display().to_string(), e))?;
    let name = meta["config"]["name"]
        .as_str()
        .filter(|n| !n.is_empty())
        .ok_or_else(|| Error::Usage(format!("{}: no stream name", meta_path.display())))?
        .to_owned();
    let archive_path = dir.join(ARCHIVE);
    let data = std::fs::read(&archive_path)
        .map_err(|e| Error::io(archive_path.display().to_string(), e))?;
    let resp = jsapi::js(client, &format!("STREAM.RESTORE.{name}"), &meta, t).await?;
    let deliver = resp.json["deliver_subject"]
        .as_str()
        .ok_or_else(|| Error::Nats("restore reply without deliver_subject".into()))?
        .to_owned();
    for part in data.chunks(CHUNK) {
        let ack = chunk_request(client, &deliver, Bytes::copy_from_slice(part), t).await?;
        if !ack.is_empty() {
            // The server refused the upload; its answer says why.
            Response::parse(&deliver, ack)?;
        }
    }
    let done = chunk_request(client, &deliver, Bytes::new(), t).await?;
    let info = Response::parse(&deliver, done)?;
    outln!(
        "Restored stream {name}: {} messages, last sequence {}",
        info.json["state"]["messages"],
        info.json["state"]["last_seq"]
    );
    Ok(())
}

async fn chunk_request(
    client: &Client,
    subject: &str,
    body: Bytes,
    t: Duration,
) -> Result<Bytes, Error> {
    let request = async_nats::Request::new().payload(body).timeout(Some(t));
    let msg = client
        .send_request(subject.to_owned(), request)
        .await
        .map_err(|e| Error::Nats(format!("restore upload: {e}")))?;
    Ok(msg.payload)
}
