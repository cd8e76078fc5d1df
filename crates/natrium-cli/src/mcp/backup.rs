//! `account_backup` and `account_restore`: streams as directories under the server's
//! `--backup-dir`, each holding `config.json` (the stream configuration) and
//! `messages.jsonl` (one stored message per line, headers and data in base64 as
//! `STREAM.MSG.GET` returns them). Paths come from the agent, so every one is relative,
//! without `..`, and must resolve inside the backup directory.

use std::io::{BufRead, BufReader, Write};
use std::path::{Component, Path, PathBuf};

use async_nats::jetstream;
use async_nats::HeaderMap;
use base64::Engine;
use bytes::Bytes;
use serde_json::{json, Map, Value};

use super::{Ctx, Params};
use crate::jsapi::{self, str_of, u64_of};
use crate::Error;

const NO_MESSAGE: u64 = 10037;

/// `base/rel`, refusing absolute paths and `..`.
fn join_inside(base: &Path, rel: &str) -> Result<PathBuf, Error> {
    let rel_path = Path::new(rel);
    let mut out = base.to_path_buf();
    for comp in rel_path.components() {
        match comp {
            Component::Normal(c) => out.push(c),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err(Error::Usage(format!(
                    "path {rel:?} must stay inside the backup directory (relative, no \"..\")"
                )))
            }
        }
    }
    Ok(out)
}

/// Checks that an existing `path` really lies inside `base` once symlinks are resolved.
fn check_resolved(base: &Path, path: &Path) -> Result<(), Error> {
    let base = base
        .canonicalize()
        .map_err(|e| Error::io(base.display().to_string(), e))?;
    let real = path
        .canonicalize()
        .map_err(|e| Error::io(path.display().to_string(), e))?;
    if real.starts_with(&base) {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "{} leaves the backup directory",
            path.display()
        )))
    }
}

/// A stream name that is safe as one path component.
fn check_stream_name(name: &str) -> Result<(), Error> {
    let bad = name.is_empty()
        || name.starts_with('.')
        || name
            .chars()
            .any(|c| matches!(c, '/' | '\\' | '.' | '*' | '>' | '\0') || c.is_whitespace());
    if bad {
        return Err(Error::Usage(format!("invalid stream name {name:?}")));
    }
    Ok(())
}

fn stream_list(p: &Params<'_>) -> Result<Option<Vec<String>>, Error> {
    match p.0.get("streams") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                let s = v
                    .as_str()
                    .ok_or_else(|| Error::Usage("streams must be names".into()))?;
                check_stream_name(s)?;
                Ok(s.to_owned())
            })
            .collect::<Result<Vec<_>, Error>>()
            .map(Some),
        Some(_) => Err(Error::Usage("streams must be an array of names".into())),
    }
}

/// `account_backup`.
pub async fn backup(ctx: &Ctx, p: &Params<'_>) -> Result<Value, Error> {
    let (c, t) = (&ctx.client, ctx.timeout);
    let dir = join_inside(&ctx.backup_dir, p.str("path")?)?;
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    check_resolved(&ctx.backup_dir, &dir)?;
    let names = match stream_list(p)? {
        Some(n) => n,
        None => crate::cmd::stream::list_all(c, "STREAM.NAMES", "streams", Map::new(), t)
            .await?
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
    };
    let mut done = Vec::new();
    for name in names {
        check_stream_name(&name)?;
        let info = jsapi::js(c, &format!("STREAM.INFO.{name}"), &Value::Null, t).await?;
        let sdir = dir.join(&name);
        std::fs::create_dir_all(&sdir).map_err(|e| Error::io(sdir.display().to_string(), e))?;
        let config = info.json.get("config").cloned().unwrap_or(Value::Null);
        let cfg_text = serde_json::to_vec_pretty(&config).map_err(|e| Error::json("config", e))?;
        let cfg_path = sdir.join("config.json");
        std::fs::write(&cfg_path, cfg_text)
            .map_err(|e| Error::io(cfg_path.display().to_string(), e))?;
        let msgs_path = sdir.join("messages.jsonl");
        let file = std::fs::File::create(&msgs_path)
            .map_err(|e| Error::io(msgs_path.display().to_string(), e))?;
        let mut out = std::io::BufWriter::new(file);
        let mut seq = 1u64;
        let mut count = 0u64;
        loop {
            let body = json!({ "seq": seq, "next_by_subj": ">" });
            let resp = match jsapi::js(c, &format!("STREAM.MSG.GET.{name}"), &body, t).await {
                Ok(r) => r,
                Err(Error::Api { err_code, .. }) if err_code == NO_MESSAGE => break,
                Err(e) => return Err(e),
            };
            let m = resp.json.get("message").cloned().unwrap_or(Value::Null);
            let line = json!({
                "seq": u64_of(&m, "seq"),
                "subject": str_of(&m, "subject"),
                "time": str_of(&m, "time"),
                "hdrs": str_of(&m, "hdrs"),
                "data": str_of(&m, "data"),
            });
            writeln!(out, "{line}").map_err(|e| Error::io(msgs_path.display().to_string(), e))?;
            count += 1;
            seq = u64_of(&m, "seq").max(seq) + 1;
        }
        out.flush()
            .map_err(|e| Error::io(msgs_path.display().to_string(), e))?;
        done.push(json!({ "stream": name, "messages": count }));
    }
    Ok(json!({ "path": dir.display().to_string(), "streams": done }))
}

/// Headers from their wire form back into a map.
fn headers_from_wire(raw: &[u8]) -> Option<HeaderMap> {
    if raw.is_empty() {
        return None;
    }
    let text = String::from_utf8_lossy(raw);
    let mut h = HeaderMap::new();
    for line in text.split("\r\n").skip(1) {
        if let Some((k, v)) = line.split_once(':') {
            h.append(k.trim(), v.trim());
        }
    }
    Some(h)
}

/// `account_restore`.
pub async fn restore(ctx: &Ctx, p: &Params<'_>) -> Result<Value, Error> {
    let (c, t) = (&ctx.client, ctx.timeout);
    let dir = join_inside(&ctx.backup_dir, p.str("path")?)?;
    check_resolved(&ctx.backup_dir, &dir)?;
    let names = match stream_list(p)? {
        Some(n) => n,
        None => {
            let mut n = Vec::new();
            let entries =
                std::fs::read_dir(&dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
            for entry in entries {
                let entry = entry.map_err(|e| Error::io(dir.display().to_string(), e))?;
                if entry.path().join("config.json").is_file() {
                    n.push(entry.file_name().to_string_lossy().into_owned());
                }
            }
            n.sort();
            n
        }
    };
    let js = jetstream::new(c.clone());
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut done = Vec::new();
    for name in names {
        check_stream_name(&name)?;
        let sdir = dir.join(&name);
        check_resolved(&ctx.backup_dir, &sdir)?;
        let cfg_path = sdir.join("config.json");
        let cfg_text =
            std::fs::read(&cfg_path).map_err(|e| Error::io(cfg_path.display().to_string(), e))?;
        let mut config: Value = serde_json::from_slice(&cfg_text)
            .map_err(|e| Error::json(cfg_path.display().to_string(), e))?;
        if let Some(o) = config.as_object_mut() {
            // The restored stream is named after its directory.
            o.insert("name".into(), json!(name));
        }
        jsapi::js(c, &format!("STREAM.CREATE.{name}"), &config, t).await?;
        let msgs_path = sdir.join("messages.jsonl");
        let file = std::fs::File::open(&msgs_path)
            .map_err(|e| Error::io(msgs_path.display().to_string(), e))?;
        let mut count = 0u64;
        for line in BufReader::new(file).lines() {
            let line = line.map_err(|e| Error::io(msgs_path.display().to_string(), e))?;
            if line.trim().is_empty() {
                continue;
            }
            let m: Value = serde_json::from_str(&line)
                .map_err(|e| Error::json(msgs_path.display().to_string(), e))?;
            let data = b64
                .decode(str_of(&m, "data"))
                .map_err(|e| Error::Usage(format!("{}: data: {e}", msgs_path.display())))?;
            let hdrs = b64
                .decode(str_of(&m, "hdrs"))
                .map_err(|e| Error::Usage(format!("{}: hdrs: {e}", msgs_path.display())))?;
            let subject = str_of(&m, "subject").to_owned();
            let ack = match headers_from_wire(&hdrs) {
                Some(h) => js.publish_with_headers(subject, h, Bytes::from(data)).await,
                None => js.publish(subject, Bytes::from(data)).await,
            }
            .map_err(|e| Error::Nats(format!("restoring {name}: {e}")))?;
            ack.await
                .map_err(|e| Error::Nats(format!("restoring {name}: {e}")))?;
            count += 1;
        }
        done.push(json!({ "stream": name, "messages": count }));
    }
    Ok(json!({ "path": dir.display().to_string(), "streams": done }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_backup_directory() {
        let base = Path::new("/b");
        assert_eq!(join_inside(base, "x/y").unwrap(), PathBuf::from("/b/x/y"));
        assert_eq!(join_inside(base, "./x").unwrap(), PathBuf::from("/b/x"));
        for bad in ["../x", "x/../../y", "/etc", "x/.."] {
            assert!(join_inside(base, bad).is_err(), "{bad}");
        }
        for bad in ["..", ".hidden", "a/b", "a.b", "", "a b"] {
            assert!(check_stream_name(bad).is_err(), "{bad}");
        }
        check_stream_name("ORDERS_1").unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_out_of_the_backup_directory_is_refused() {
        let base = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), base.path().join("link")).unwrap();
        let p = join_inside(base.path(), "link").unwrap();
        assert!(check_resolved(base.path(), &p).is_err());
        std::fs::create_dir(base.path().join("ok")).unwrap();
        check_resolved(base.path(), &base.path().join("ok")).unwrap();
    }
}
