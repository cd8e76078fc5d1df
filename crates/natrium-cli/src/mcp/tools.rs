//! The tool implementations: each takes the call's arguments and returns the JSON result,
//! built from the server's own API responses where there is one.

use std::time::{Duration, Instant};

use async_nats::jetstream::{self, kv, object_store, stream::StorageType};
use async_nats::{Client, HeaderMap};
use base64::Engine;
use bytes::Bytes;
use futures::StreamExt;
use serde_json::{json, Map, Value};
use tokio::io::AsyncReadExt;

use super::{Ctx, Params};
use crate::jsapi::{self, str_of, u64_of};
use crate::Error;

/// JetStream "no message found".
const NO_MESSAGE: u64 = 10037;

/// Runs tool `name`.
pub async fn call(ctx: &Ctx, name: &str, args: &Map<String, Value>) -> Result<Value, Error> {
    let p = Params(args);
    let c = &ctx.client;
    let t = ctx.timeout;
    match name {
        "server_info" => {
            Ok(
                crate::cmd::server::varz(c, p.opt_str("server")?.map(str::to_owned), t)
                    .await?
                    .json,
            )
        }
        "server_list" => server_list(c, t).await,
        "server_ping" => server_ping(c, t).await,
        "rtt" => {
            let start = Instant::now();
            c.flush().await.map_err(|e| Error::Nats(e.to_string()))?;
            let rtt = start.elapsed();
            Ok(json!({
                "server": c.server_info().server_name,
                "rtt_ns": u64::try_from(rtt.as_nanos()).unwrap_or(u64::MAX),
                "rtt": format!("{rtt:?}"),
            }))
        }
        "account_info" => Ok(jsapi::js(c, "INFO", &Value::Null, t).await?.json),
        "account_report_connections" => connections(c, &p, t).await,
        "stream_list" => {
            let mut filter = Map::new();
            if let Some(s) = p.opt_str("subject")? {
                filter.insert("subject".into(), json!(s));
            }
            let streams =
                crate::cmd::stream::list_all(c, "STREAM.LIST", "streams", filter, t).await?;
            Ok(json!({ "count": streams.len(), "streams": streams }))
        }
        "stream_info" => Ok(stream_info(c, p.str("stream")?, t).await?),
        "stream_state" => Ok(stream_info(c, p.str("stream")?, t)
            .await?
            .get("state")
            .cloned()
            .unwrap_or(Value::Null)),
        "stream_subjects" => stream_subjects(c, &p, t).await,
        "stream_view" => stream_view(c, &p, t).await,
        "stream_get" => stream_get(c, &p, t).await,
        "stream_find" => {
            let mut filter = Map::new();
            filter.insert("subject".into(), json!(p.str("subject")?));
            let names =
                crate::cmd::stream::list_all(c, "STREAM.NAMES", "streams", filter, t).await?;
            Ok(json!({ "count": names.len(), "streams": names }))
        }
        "consumer_list" => {
            let stream = p.str("stream")?;
            let consumers = crate::cmd::stream::list_all(
                c,
                &format!("CONSUMER.LIST.{stream}"),
                "consumers",
                Map::new(),
                t,
            )
            .await?;
            Ok(json!({ "count": consumers.len(), "consumers": consumers }))
        }
        "consumer_info" => {
            let suffix = format!("CONSUMER.INFO.{}.{}", p.str("stream")?, p.str("consumer")?);
            Ok(jsapi::js(c, &suffix, &Value::Null, t).await?.json)
        }
        "consumer_pause" | "consumer_resume" => {
            let suffix = format!("CONSUMER.PAUSE.{}.{}", p.str("stream")?, p.str("consumer")?);
            let body = match name {
                "consumer_pause" => json!({ "pause_until": p.str("until")? }),
                _ => json!({}),
            };
            Ok(jsapi::js(c, &suffix, &body, t).await?.json)
        }
        "kv_ls" => kv_ls(c, &p, t).await,
        "kv_info" => stream_info(c, &format!("KV_{}", p.str("bucket")?), t).await,
        "kv_get" => kv_get(c, &p).await,
        "kv_history" => kv_history(c, &p).await,
        "kv_watch" => kv_watch(c, &p).await,
        "kv_add" => {
            let bucket = p.str("bucket")?;
            let history = p.opt_u64("history")?.unwrap_or(1);
            jetstream::new(c.clone())
                .create_key_value(kv::Config {
                    bucket: bucket.to_owned(),
                    history: i64::try_from(history).unwrap_or(i64::MAX),
                    max_bytes: p
                        .opt_u64("max_bucket_bytes")?
                        .map_or(-1, |b| i64::try_from(b).unwrap_or(i64::MAX)),
                    storage: storage(&p)?,
                    ..Default::default()
                })
                .await?;
            stream_info(c, &format!("KV_{bucket}"), t).await
        }
        "kv_put" | "kv_create" | "kv_update" => kv_write(c, name, &p).await,
        "kv_del" | "kv_purge" => {
            let (bucket, key) = (p.str("bucket")?, p.str("key")?);
            let store = jetstream::new(c.clone()).get_key_value(bucket).await?;
            if name == "kv_del" {
                store.delete(key).await?;
            } else {
                store.purge(key).await?;
            }
            Ok(json!({ "bucket": bucket, "key": key, "done": name.trim_start_matches("kv_") }))
        }
        "object_ls" => object_ls(c, &p, t).await,
        "object_info" => {
            let bucket = p.str("bucket")?;
            match p.opt_str("name")? {
                Some(n) => {
                    let store = jetstream::new(c.clone()).get_object_store(bucket).await?;
                    let info = store.info(n).await?;
                    serde_json::to_value(info).map_err(|e| Error::json("object info", e))
                }
                None => stream_info(c, &format!("OBJ_{bucket}"), t).await,
            }
        }
        "object_get" => object_get(c, &p).await,
        "object_put" => {
            let (bucket, obj) = (p.str("bucket")?, p.str("name")?);
            let data = match p.opt_str("encoding")?.unwrap_or("text") {
                "text" => p.str("data")?.as_bytes().to_vec(),
                "base64" => base64::engine::general_purpose::STANDARD
                    .decode(p.str("data")?)
                    .map_err(|e| Error::Usage(format!("data is not base64: {e}")))?,
                other => return Err(Error::Usage(format!("unknown encoding {other:?}"))),
            };
            let store = jetstream::new(c.clone()).get_object_store(bucket).await?;
            let info = store.put(obj, &mut data.as_slice()).await?;
            serde_json::to_value(info).map_err(|e| Error::json("object info", e))
        }
        "object_del" => {
            let (bucket, obj) = (p.str("bucket")?, p.str("name")?);
            let store = jetstream::new(c.clone()).get_object_store(bucket).await?;
            store.delete(obj).await?;
            Ok(json!({ "bucket": bucket, "name": obj, "deleted": true }))
        }
        "object_add" => {
            let bucket = p.str("bucket")?;
            jetstream::new(c.clone())
                .create_object_store(object_store::Config {
                    bucket: bucket.to_owned(),
                    storage: storage(&p)?,
                    ..Default::default()
                })
                .await?;
            stream_info(c, &format!("OBJ_{bucket}"), t).await
        }
        "object_seal" => {
            let bucket = p.str("bucket")?;
            let mut store = jetstream::new(c.clone()).get_object_store(bucket).await?;
            store.seal().await?;
            Ok(json!({ "bucket": bucket, "sealed": true }))
        }
        "publish" => {
            let subject = p.str("subject")?.to_owned();
            let body = Bytes::from(p.opt_str("body")?.unwrap_or("").to_owned());
            match headers(&p)? {
                Some(h) => c.publish_with_headers(subject.clone(), h, body).await?,
                None => c.publish(subject.clone(), body).await?,
            }
            c.flush().await.map_err(|e| Error::Nats(e.to_string()))?;
            Ok(json!({ "published": true, "subject": subject }))
        }
        "request" => request(c, &p, t).await,
        "account_backup" => super::backup::backup(ctx, &p).await,
        "account_restore" => super::backup::restore(ctx, &p).await,
        other => Err(Error::Usage(format!("unknown tool {other}"))),
    }
}

fn storage(p: &Params<'_>) -> Result<StorageType, Error> {
    match p.opt_str("storage")?.unwrap_or("file") {
        "file" => Ok(StorageType::File),
        "memory" => Ok(StorageType::Memory),
        other => Err(Error::Usage(format!(
            "storage must be file or memory, not {other:?}"
        ))),
    }
}

fn headers(p: &Params<'_>) -> Result<Option<HeaderMap>, Error> {
    match p.0.get("headers") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => {
            let mut h = HeaderMap::new();
            for (k, v) in m {
                let v = v
                    .as_str()
                    .ok_or_else(|| Error::Usage(format!("header {k:?} must be a string")))?;
                h.append(k.as_str(), v);
            }
            Ok(Some(h))
        }
        Some(_) => Err(Error::Usage("headers must be an object".into())),
    }
}

/// `data` as `"data"` (UTF-8 text) or `"data_base64"`.
pub(crate) fn data_fields(out: &mut Map<String, Value>, data: &[u8]) {
    match std::str::from_utf8(data) {
        Ok(s) => out.insert("data".into(), json!(s)),
        Err(_) => out.insert(
            "data_base64".into(),
            json!(base64::engine::general_purpose::STANDARD.encode(data)),
        ),
    };
}

/// Headers from their wire form (`NATS/1.0\r\nK: V\r\n\r\n`) to `{K: [V, ...]}`.
fn parse_headers(raw: &[u8]) -> Value {
    let text = String::from_utf8_lossy(raw);
    let mut map = Map::new();
    for line in text.split("\r\n").skip(1) {
        if let Some((k, v)) = line.split_once(':') {
            let entry = map
                .entry(k.trim().to_owned())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(a) = entry {
                a.push(json!(v.trim()));
            }
        }
    }
    Value::Object(map)
}

async fn stream_info(c: &Client, stream: &str, t: Duration) -> Result<Value, Error> {
    Ok(
        jsapi::js(c, &format!("STREAM.INFO.{stream}"), &Value::Null, t)
            .await?
            .json,
    )
}

/// A `STREAM.MSG.GET` response's message: (sequence, raw data, JSON without data).
struct Stored {
    seq: u64,
    data: Vec<u8>,
    meta: Map<String, Value>,
}

fn decode_stored(resp: &Value) -> Result<Stored, Error> {
    let m = resp
        .get("message")
        .ok_or_else(|| Error::Nats("message response without a message".into()))?;
    let b64 = |key: &str| -> Result<Vec<u8>, Error> {
        base64::engine::general_purpose::STANDARD
            .decode(str_of(m, key))
            .map_err(|e| Error::Nats(format!("message {key} is not base64: {e}")))
    };
    let data = b64("data")?;
    let hdrs = b64("hdrs")?;
    let mut meta = Map::new();
    let seq = u64_of(m, "seq");
    meta.insert("seq".into(), json!(seq));
    meta.insert("subject".into(), json!(str_of(m, "subject")));
    meta.insert("time".into(), json!(str_of(m, "time")));
    if !hdrs.is_empty() {
        meta.insert("headers".into(), parse_headers(&hdrs));
    }
    Ok(Stored { seq, data, meta })
}

/// One message by `body` (`seq`, `next_by_subj`, `last_by_subj`); None when there is none.
async fn get_msg(
    c: &Client,
    stream: &str,
    body: Value,
    t: Duration,
) -> Result<Option<Stored>, Error> {
    match jsapi::js(c, &format!("STREAM.MSG.GET.{stream}"), &body, t).await {
        Ok(r) => decode_stored(&r.json).map(Some),
        Err(Error::Api { err_code, .. }) if err_code == NO_MESSAGE => Ok(None),
        Err(e) => Err(e),
    }
}

fn render(meta: &Map<String, Value>, data: &[u8]) -> Value {
    let mut m = meta.clone();
    data_fields(&mut m, data);
    Value::Object(m)
}

async fn stream_view(c: &Client, p: &Params<'_>, t: Duration) -> Result<Value, Error> {
    let stream = p.str("stream")?;
    let subject = p.opt_str("subject")?.unwrap_or(">");
    let mut bounds = p.bounds()?;
    let mut seq = p.opt_u64("start_seq")?.unwrap_or(1).max(1);
    let mut next_seq = Value::Null;
    while let Some(msg) =
        get_msg(c, stream, json!({ "seq": seq, "next_by_subj": subject }), t).await?
    {
        if !bounds.push(&msg.data, |d| render(&msg.meta, d)) {
            next_seq = json!(msg.seq);
            break;
        }
        seq = msg.seq + 1;
    }
    let mut extra = Map::new();
    extra.insert("stream".into(), json!(stream));
    extra.insert("next_seq".into(), next_seq);
    Ok(bounds.finish("messages", extra))
}

async fn stream_get(c: &Client, p: &Params<'_>, t: Duration) -> Result<Value, Error> {
    let stream = p.str("stream")?;
    let body = match (p.opt_u64("seq")?, p.opt_str("last_by_subject")?) {
        (Some(seq), None) => json!({ "seq": seq }),
        (None, Some(s)) => json!({ "last_by_subj": s }),
        _ => {
            return Err(Error::Usage(
                "give exactly one of seq and last_by_subject".into(),
            ))
        }
    };
    let msg = get_msg(c, stream, body, t)
        .await?
        .ok_or_else(|| Error::Nats("no message found".into()))?;
    let mut bounds = p.bounds()?;
    bounds.push(&msg.data, |d| render(&msg.meta, d));
    Ok(bounds.finish("messages", Map::new()))
}

async fn stream_subjects(c: &Client, p: &Params<'_>, t: Duration) -> Result<Value, Error> {
    let stream = p.str("stream")?;
    let filter = p.opt_str("filter")?.unwrap_or(">");
    let limit = p.bounds()?.max_messages;
    let resp = jsapi::js(
        c,
        &format!("STREAM.INFO.{stream}"),
        &json!({ "subjects_filter": filter }),
        t,
    )
    .await?;
    let all = resp
        .json
        .get("state")
        .and_then(|s| s.get("subjects"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut names: Vec<&String> = all.keys().collect();
    names.sort();
    let subjects: Map<String, Value> = names
        .iter()
        .take(limit)
        .map(|k| ((*k).clone(), all.get(*k).cloned().unwrap_or(Value::Null)))
        .collect();
    Ok(json!({
        "stream": stream,
        "count": subjects.len(),
        "total": all.len(),
        "subjects": subjects,
        "truncated": all.len() > limit,
    }))
}

async fn collect_sys(
    c: &Client,
    subject: &str,
    body: Value,
    t: Duration,
) -> Result<Vec<Value>, Error> {
    let body = Bytes::from(serde_json::to_vec(&body).map_err(|e| Error::json(subject, e))?);
    let replies = jsapi::collect(c, subject, body, None, t.min(Duration::from_secs(1))).await?;
    let mut out = Vec::new();
    for (raw, rtt) in replies {
        let mut v: Value = serde_json::from_slice(&raw)
            .map_err(|e| Error::json(format!("reply to {subject}"), e))?;
        if let Some(o) = v.as_object_mut() {
            o.insert(
                "rtt_ns".into(),
                json!(u64::try_from(rtt.as_nanos()).unwrap_or(u64::MAX)),
            );
        }
        out.push(v);
    }
    if out.is_empty() {
        return Err(Error::Nats(format!(
            "no server answered {subject}; server requests need a user in the system account"
        )));
    }
    Ok(out)
}

async fn server_list(c: &Client, t: Duration) -> Result<Value, Error> {
    let replies = collect_sys(c, "$SYS.REQ.SERVER.PING", json!({}), t).await?;
    let servers: Vec<Value> = replies
        .iter()
        .map(|r| {
            let server = r.get("server").cloned().unwrap_or(Value::Null);
            let stats = r.get("statsz").cloned().unwrap_or(Value::Null);
            json!({
                "name": server.get("name"),
                "id": server.get("id"),
                "version": server.get("ver"),
                "cluster": server.get("cluster"),
                "jetstream": server.get("jetstream"),
                "connections": stats.get("connections"),
                "subscriptions": stats.get("subscriptions"),
                "mem": stats.get("mem"),
                "cpu": stats.get("cpu"),
            })
        })
        .collect();
    Ok(json!({ "count": servers.len(), "servers": servers }))
}

async fn server_ping(c: &Client, t: Duration) -> Result<Value, Error> {
    let replies = collect_sys(c, "$SYS.REQ.SERVER.PING", json!({}), t).await?;
    let servers: Vec<Value> = replies
        .iter()
        .map(|r| {
            let server = r.get("server").cloned().unwrap_or(Value::Null);
            json!({ "name": server.get("name"), "id": server.get("id"), "rtt_ns": r.get("rtt_ns") })
        })
        .collect();
    Ok(json!({ "count": servers.len(), "servers": servers }))
}

async fn connections(c: &Client, p: &Params<'_>, t: Duration) -> Result<Value, Error> {
    let limit = p.bounds()?.max_messages;
    let body = json!({ "limit": limit });
    let replies = match p.opt_str("server")? {
        Some(s) => collect_sys(c, &format!("$SYS.REQ.SERVER.{s}.CONNZ"), body, t).await?,
        None => collect_sys(c, "$SYS.REQ.ACCOUNT.PING.CONNZ", body, t).await?,
    };
    let mut conns = Vec::new();
    let mut total = 0;
    for r in &replies {
        let data = r.get("data").unwrap_or(r);
        total += u64_of(data, "total");
        if let Some(Value::Array(list)) = data.get("connections") {
            conns.extend(list.iter().cloned());
        }
    }
    let truncated = conns.len() > limit || total > conns.len() as u64;
    conns.truncate(limit);
    Ok(
        json!({ "count": conns.len(), "total": total, "connections": conns, "truncated": truncated }),
    )
}

async fn bucket_names(c: &Client, prefix: &str, t: Duration) -> Result<Value, Error> {
    let streams = crate::cmd::stream::list_all(c, "STREAM.NAMES", "streams", Map::new(), t).await?;
    let names: Vec<&str> = streams
        .iter()
        .filter_map(Value::as_str)
        .filter_map(|n| n.strip_prefix(prefix))
        .collect();
    Ok(json!({ "count": names.len(), "buckets": names }))
}

async fn kv_ls(c: &Client, p: &Params<'_>, t: Duration) -> Result<Value, Error> {
    let Some(bucket) = p.opt_str("bucket")? else {
        return bucket_names(c, "KV_", t).await;
    };
    let limit = p.bounds()?.max_messages;
    let store = jetstream::new(c.clone()).get_key_value(bucket).await?;
    let mut keys = store.keys().await?;
    let mut out = Vec::new();
    let mut truncated = false;
    while let Some(k) = keys.next().await {
        let k = k.map_err(|e| Error::Nats(e.to_string()))?;
        if out.len() >= limit {
            truncated = true;
            break;
        }
        out.push(k);
    }
    Ok(json!({ "bucket": bucket, "count": out.len(), "keys": out, "truncated": truncated }))
}

fn entry_meta(e: &kv::Entry) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("key".into(), json!(e.key));
    m.insert("revision".into(), json!(e.revision));
    m.insert(
        "operation".into(),
        json!(format!("{:?}", e.operation).to_uppercase()),
    );
    m.insert("created".into(), json!(crate::output::rfc3339(e.created)));
    m
}

async fn kv_get(c: &Client, p: &Params<'_>) -> Result<Value, Error> {
    let (bucket, key) = (p.str("bucket")?, p.str("key")?);
    let store = jetstream::new(c.clone()).get_key_value(bucket).await?;
    let entry = match p.opt_u64("revision")? {
        Some(r) => store.entry_for_revision(key, r).await?,
        None => store.entry(key).await?,
    };
    let entry = entry
        .filter(|e| e.operation == kv::Operation::Put)
        .ok_or_else(|| Error::Nats(format!("key {key:?} not found in bucket {bucket}")))?;
    let mut bounds = p.bounds()?;
    let meta = entry_meta(&entry);
    bounds.push(&entry.value, |d| render(&meta, d));
    Ok(bounds.finish("entries", Map::new()))
}

async fn kv_history(c: &Client, p: &Params<'_>) -> Result<Value, Error> {
    let (bucket, key) = (p.str("bucket")?, p.str("key")?);
    let store = jetstream::new(c.clone()).get_key_value(bucket).await?;
    let mut history = store.history(key).await?;
    let mut bounds = p.bounds()?;
    while let Some(e) = history.next().await {
        let e = e?;
        let meta = entry_meta(&e);
        if !bounds.push(&e.value, |d| render(&meta, d)) {
            break;
        }
    }
    Ok(bounds.finish("entries", Map::new()))
}

async fn kv_watch(c: &Client, p: &Params<'_>) -> Result<Value, Error> {
    let bucket = p.str("bucket")?;
    let key = p.opt_str("key")?.unwrap_or(">");
    let wait = Duration::from_millis(p.opt_u64("wait_ms")?.unwrap_or(1000).min(30_000));
    let store = jetstream::new(c.clone()).get_key_value(bucket).await?;
    let mut watch = store.watch_with_history(key).await?;
    let mut bounds = p.bounds()?;
    let deadline = tokio::time::Instant::now() + wait;
    while let Ok(Some(e)) = tokio::time::timeout_at(deadline, watch.next()).await {
        let e = e?;
        let meta = entry_meta(&e);
        if !bounds.push(&e.value, |d| render(&meta, d)) {
            break;
        }
    }
    let mut extra = Map::new();
    extra.insert("waited_ms".into(), json!(wait.as_millis() as u64));
    Ok(bounds.finish("entries", extra))
}

async fn kv_write(c: &Client, name: &str, p: &Params<'_>) -> Result<Value, Error> {
    let (bucket, key) = (p.str("bucket")?, p.str("key")?);
    let value = Bytes::from(p.str("value")?.to_owned());
    let store = jetstream::new(c.clone()).get_key_value(bucket).await?;
    let revision = match name {
        "kv_put" => store.put(key, value).await?,
        "kv_create" => store.create(key, value).await?,
        _ => {
            let expected = p
                .opt_u64("revision")?
                .ok_or_else(|| Error::Usage("missing argument \"revision\"".into()))?;
            store.update(key, value, expected).await?
        }
    };
    Ok(json!({ "bucket": bucket, "key": key, "revision": revision }))
}

async fn object_ls(c: &Client, p: &Params<'_>, t: Duration) -> Result<Value, Error> {
    let Some(bucket) = p.opt_str("bucket")? else {
        return bucket_names(c, "OBJ_", t).await;
    };
    let limit = p.bounds()?.max_messages;
    let store = jetstream::new(c.clone()).get_object_store(bucket).await?;
    let mut list = store.list().await?;
    let mut out = Vec::new();
    let mut truncated = false;
    while let Some(info) = list.next().await {
        let info = info?;
        if out.len() >= limit {
            truncated = true;
            break;
        }
        out.push(json!({
            "name": info.name,
            "size": info.size,
            "chunks": info.chunks,
            "modified": info.modified.map(crate::output::rfc3339),
            "digest": info.digest,
        }));
    }
    Ok(json!({ "bucket": bucket, "count": out.len(), "objects": out, "truncated": truncated }))
}

async fn object_get(c: &Client, p: &Params<'_>) -> Result<Value, Error> {
    let (bucket, name) = (p.str("bucket")?, p.str("name")?);
    let bounds = p.bounds()?;
    let store = jetstream::new(c.clone()).get_object_store(bucket).await?;
    let object = store.get(name).await?;
    let size = object.info().size;
    let mut data = Vec::new();
    object
        .take(bounds.max_bytes as u64)
        .read_to_end(&mut data)
        .await
        .map_err(|e| Error::io(format!("reading object {name}"), e))?;
    let mut out = Map::new();
    out.insert("bucket".into(), json!(bucket));
    out.insert("name".into(), json!(name));
    out.insert("size".into(), json!(size));
    data_fields(&mut out, &data);
    out.insert("truncated".into(), json!(data.len() < size));
    Ok(Value::Object(out))
}

async fn request(c: &Client, p: &Params<'_>, t: Duration) -> Result<Value, Error> {
    let subject = p.str("subject")?.to_owned();
    let timeout = p.opt_u64("timeout_ms")?.map_or(t, Duration::from_millis);
    let mut req = async_nats::Request::new()
        .payload(Bytes::from(p.opt_str("body")?.unwrap_or("").to_owned()))
        .timeout(Some(timeout));
    if let Some(h) = headers(p)? {
        req = req.headers(h);
    }
    let msg = c
        .send_request(subject.clone(), req)
        .await
        .map_err(|e| Error::Nats(format!("request on {subject}: {e}")))?;
    let mut meta = Map::new();
    meta.insert("subject".into(), json!(msg.subject.as_str()));
    if let Some(h) = &msg.headers {
        let mut hm = Map::new();
        for (k, vs) in h.iter() {
            let vals: Vec<Value> = vs.iter().map(|v| json!(v.as_str())).collect();
            hm.insert(k.to_string(), Value::Array(vals));
        }
        meta.insert("headers".into(), Value::Object(hm));
    }
    let mut bounds = p.bounds()?;
    bounds.push(&msg.payload, |d| render(&meta, d));
    Ok(bounds.finish("messages", Map::new()))
}
