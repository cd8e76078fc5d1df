//! Raw requests to the server's JSON APIs (`$JS.API.*`, `$SYS.REQ.*`): the body goes out
//! as given and the response comes back as received, so `--json` prints the server's own
//! JSON and human output reads fields from it without a client-side schema.

use std::time::{Duration, Instant};

use async_nats::Client;
use bytes::Bytes;
use futures::StreamExt;
use serde_json::Value;

use crate::Error;

/// A JSON API response: the body as received and parsed.
#[derive(Debug, Clone)]
pub struct Response {
    /// The body exactly as the server sent it.
    pub raw: Bytes,
    /// The same body parsed.
    pub json: Value,
}

impl Response {
    /// Parses `raw`; an `error` object in it becomes [`Error::Api`].
    pub fn parse(subject: &str, raw: Bytes) -> Result<Self, Error> {
        let json: Value = serde_json::from_slice(&raw)
            .map_err(|e| Error::json(format!("reply to {subject}"), e))?;
        if let Some(err) = json.get("error").filter(|e| e.is_object()) {
            return Err(Error::Api {
                code: err.get("code").and_then(Value::as_u64).unwrap_or(0),
                err_code: err.get("err_code").and_then(Value::as_u64).unwrap_or(0),
                description: err
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or("unknown error")
                    .to_owned(),
            });
        }
        Ok(Self { raw, json })
    }
}

/// Sends `body` to `subject` and waits for one reply within `timeout`.
pub async fn request(
    client: &Client,
    subject: &str,
    body: Bytes,
    timeout: Duration,
) -> Result<Response, Error> {
    let request = async_nats::Request::new()
        .payload(body)
        .timeout(Some(timeout));
    let msg = client
        .send_request(subject.to_owned(), request)
        .await
        .map_err(|e| match e.kind() {
            async_nats::RequestErrorKind::NoResponders => Error::Nats(format!(
                "no responders on {subject}{}",
                if subject.starts_with("$JS.") {
                    ": is JetStream enabled for this account?"
                } else {
                    ""
                }
            )),
            async_nats::RequestErrorKind::TimedOut => {
                Error::Timeout(format!("a reply on {subject}"))
            }
            _ => Error::Nats(e.to_string()),
        })?;
    Response::parse(subject, msg.payload)
}

/// A `$JS.API.<suffix>` request with a JSON body (`Value::Null` sends an empty body).
pub async fn js(
    client: &Client,
    suffix: &str,
    body: &Value,
    timeout: Duration,
) -> Result<Response, Error> {
    let payload = if body.is_null() {
        Bytes::new()
    } else {
        Bytes::from(serde_json::to_vec(body).map_err(|e| Error::json(suffix, e))?)
    };
    request(client, &format!("$JS.API.{suffix}"), payload, timeout).await
}

/// Collects every reply to one request until `expect` replies arrived or `timeout`
/// passed; each with the time it took. Used for `$SYS.REQ.SERVER.PING`, which every
/// server answers.
pub async fn collect(
    client: &Client,
    subject: &str,
    body: Bytes,
    expect: Option<usize>,
    timeout: Duration,
) -> Result<Vec<(Bytes, Duration)>, Error> {
    let inbox = client.new_inbox();
    let mut sub = client.subscribe(inbox.clone()).await?;
    let start = Instant::now();
    client
        .publish_with_reply(subject.to_owned(), inbox, body)
        .await?;
    client
        .flush()
        .await
        .map_err(|e| Error::Nats(e.to_string()))?;
    let deadline = tokio::time::Instant::now() + timeout;
    let mut replies = Vec::new();
    while expect.is_none_or(|n| replies.len() < n) {
        match tokio::time::timeout_at(deadline, sub.next()).await {
            Ok(Some(msg)) => {
                if msg.status == Some(async_nats::StatusCode::NO_RESPONDERS) {
                    break;
                }
                replies.push((msg.payload, start.elapsed()));
            }
            Ok(None) | Err(_) => break,
        }
    }
    Ok(replies)
}

/// A string field of a JSON object, or "".
pub fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A number field of a JSON object, or 0.
pub fn u64_of(v: &Value, key: &str) -> u64 {
    v.get(key).and_then(Value::as_u64).unwrap_or(0)
}

/// A signed number field of a JSON object, or 0.
pub fn i64_of(v: &Value, key: &str) -> i64 {
    v.get(key).and_then(Value::as_i64).unwrap_or(0)
}
