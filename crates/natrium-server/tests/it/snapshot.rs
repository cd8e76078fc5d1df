//! Stream snapshot and restore over the raw API (async-nats has no helper for them):
//! chunks with flow-control acks, a round trip that keeps messages, sequences, gaps
//! and durable consumers, and the refusals (bad deliver subject, existing stream,
//! escaping archive paths, oversized uploads).

use std::time::Duration;

use async_nats::jetstream::{self, consumer, stream};
use async_nats::Client;
use futures::{StreamExt, TryStreamExt};
use natrium_testkit::TestServer;
use serde_json::{json, Value};

async fn server_at(dir: &std::path::Path, max_file: Option<i64>) -> TestServer {
    let path = dir.to_path_buf();
    TestServer::start_with(move |o| {
        o.jetstream.enabled = true;
        o.jetstream.store_dir = Some(path);
        o.jetstream.max_file = max_file;
    })
    .await
}

async fn request(client: &Client, subject: String, body: Vec<u8>) -> Value {
    let msg = tokio::time::timeout(
        Duration::from_secs(10),
        client.request(subject, body.into()),
    )
    .await
    .unwrap()
    .unwrap();
    serde_json::from_slice(&msg.payload).unwrap()
}

/// Takes a snapshot, acking every chunk; returns the reply, the archive and how many
/// chunks came.
async fn snapshot(client: &Client, stream: &str, mut req: Value) -> (Value, Vec<u8>, usize) {
    let inbox = client.new_inbox();
    let mut sub = client.subscribe(inbox.clone()).await.unwrap();
    req["deliver_subject"] = json!(inbox);
    let subject = format!("$JS.API.STREAM.SNAPSHOT.{stream}");
    let resp = request(client, subject, req.to_string().into_bytes()).await;
    if resp.get("error").is_some() {
        return (resp, Vec::new(), 0);
    }
    let mut data = Vec::new();
    let mut chunks = 0;
    loop {
        let m = tokio::time::timeout(Duration::from_secs(10), sub.next())
            .await
            .unwrap()
            .unwrap();
        if m.payload.is_empty() {
            assert_eq!(m.status.map(|s| s.as_u16()), Some(204), "end marker");
            break;
        }
        data.extend_from_slice(&m.payload);
        chunks += 1;
        // Full chunks ask for an ack; a short last one does not.
        if let Some(reply) = m.reply {
            assert!(reply.starts_with("$JS.SNAPSHOT.ACK."), "{reply}");
            client.publish(reply, bytes::Bytes::new()).await.unwrap();
        }
    }
    (resp, data, chunks)
}

/// Restores `data` in `chunk`-sized pieces; returns the first reply and, when the
/// upload was accepted, the final one.
async fn restore(client: &Client, config: &Value, data: &[u8], chunk: usize) -> (Value, Value) {
    let subject = format!(
        "$JS.API.STREAM.RESTORE.{}",
        config["name"].as_str().unwrap()
    );
    let body = json!({"config": config, "state": {}}).to_string();
    let first = request(client, subject, body.into_bytes()).await;
    let Some(deliver) = first["deliver_subject"].as_str().map(str::to_string) else {
        return (first, Value::Null);
    };
    assert!(deliver.starts_with("$JS.SNAPSHOT.RESTORE."), "{deliver}");
    for part in data.chunks(chunk) {
        let ack = tokio::time::timeout(
            Duration::from_secs(10),
            client.request(deliver.clone(), part.to_vec().into()),
        )
        .await
        .unwrap()
        .unwrap();
        if !ack.payload.is_empty() {
            return (first, serde_json::from_slice(&ack.payload).unwrap());
        }
    }
    let done = request(client, deliver, Vec::new()).await;
    (first, done)
}

/// How many restores are staged (written but not yet registered) under `store_dir`.
fn staged(store_dir: &std::path::Path) -> usize {
    std::fs::read_dir(store_dir.join("jetstream/$G/restore")).map_or(0, |d| d.count())
}

fn err_code(v: &Value) -> u64 {
    v["error"]["err_code"].as_u64().unwrap_or(0)
}

#[tokio::test]
async fn snapshot_delete_restore_keeps_messages_sequences_and_consumers() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_at(dir.path(), None).await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    let s = js
        .create_stream(stream::Config {
            name: "SNAP".into(),
            subjects: vec!["snap.>".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    for i in 1..=10 {
        let mut h = async_nats::HeaderMap::new();
        h.insert("X-N", i.to_string().as_str());
        js.publish_with_headers(format!("snap.{}", i % 3), h, vec![b'x'; 300 * i].into())
            .await
            .unwrap()
            .await
            .unwrap();
    }
    s.delete_message(4).await.unwrap();
    let c: consumer::PullConsumer = s
        .create_consumer(consumer::pull::Config {
            durable_name: Some("C".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut batch = c.fetch().max_messages(2).messages().await.unwrap();
    while let Some(m) = batch.try_next().await.unwrap() {
        m.double_ack().await.unwrap();
    }

    // Small chunks and a small window exercise the flow control.
    let (resp, archive, chunks) = snapshot(
        &client,
        "SNAP",
        json!({"chunk_size": 1024, "window_size": 2048, "jsck": true}),
    )
    .await;
    assert_eq!(
        resp["type"],
        "io.nats.jetstream.api.v1.stream_snapshot_response"
    );
    assert_eq!(resp["config"]["name"], "SNAP");
    assert_eq!(resp["state"]["messages"], 9);
    assert!(chunks > 2, "{chunks} chunks");
    let config = resp["config"].clone();

    // Restoring over an existing stream is refused.
    let (first, _) = restore(&client, &config, &archive, 4096).await;
    assert_eq!(err_code(&first), 10130, "{first}");

    js.delete_stream("SNAP").await.unwrap();
    let (first, done) = restore(&client, &config, &archive, 4096).await;
    assert_eq!(
        first["type"],
        "io.nats.jetstream.api.v1.stream_restore_response"
    );
    assert!(done.get("error").is_none(), "{done}");
    assert_eq!(done["state"]["messages"], 9);
    assert_eq!(done["state"]["last_seq"], 10);

    assert_eq!(
        staged(dir.path()),
        0,
        "the restored stream moved out of staging"
    );
    assert!(dir
        .path()
        .join("jetstream/$G/streams/SNAP/meta.json")
        .exists());
    let s = js.get_stream("SNAP").await.unwrap();
    for seq in 1..=10u64 {
        match s.get_raw_message(seq).await {
            Ok(m) => {
                assert_ne!(seq, 4, "deleted message came back");
                assert_eq!(m.payload.len(), 300 * seq as usize);
                assert_eq!(m.subject.as_str(), format!("snap.{}", seq % 3));
                assert_eq!(
                    m.headers.get("X-N").unwrap().as_str(),
                    seq.to_string().as_str()
                );
            }
            Err(_) => assert_eq!(seq, 4, "message {seq} missing"),
        }
    }
    let mut c: consumer::PullConsumer = s.get_consumer("C").await.unwrap();
    let info = c.info().await.unwrap();
    assert_eq!(info.ack_floor.stream_sequence, 2);
    assert_eq!(info.num_pending, 7);
    let mut batch = c.fetch().max_messages(1).messages().await.unwrap();
    let m = batch.try_next().await.unwrap().unwrap();
    assert_eq!(m.info().unwrap().stream_sequence, 3);
    m.double_ack().await.unwrap();

    // The restored stream is an ordinary file stream: it survives a restart.
    drop((c, s, js, client));
    server.shutdown().await;
    let server = server_at(dir.path(), None).await;
    let js = jetstream::new(server.client().await);
    let mut s = js.get_stream("SNAP").await.unwrap();
    assert_eq!(s.info().await.unwrap().state.messages, 9);
    let mut c: consumer::PullConsumer = s.get_consumer("C").await.unwrap();
    assert_eq!(c.info().await.unwrap().ack_floor.stream_sequence, 3);
}

#[tokio::test]
async fn snapshot_refuses_bad_requests_and_missing_streams() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_at(dir.path(), None).await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    js.create_stream(stream::Config {
        name: "ONE".into(),
        subjects: vec!["one".into()],
        ..Default::default()
    })
    .await
    .unwrap();
    let bad = request(
        &client,
        "$JS.API.STREAM.SNAPSHOT.ONE".into(),
        json!({"deliver_subject": "a.*"}).to_string().into_bytes(),
    )
    .await;
    assert_eq!(err_code(&bad), 10015, "{bad}");
    let (missing, _, _) = snapshot(&client, "NONE", json!({})).await;
    assert_eq!(err_code(&missing), 10059, "{missing}");
    let empty = request(&client, "$JS.API.STREAM.SNAPSHOT.ONE".into(), Vec::new()).await;
    assert_eq!(err_code(&empty), 10003, "{empty}");
}

/// A one-file ustar archive whose entry is `path` (the checksum is right, so only the
/// path can be what the server objects to).
fn tar_with(path: &str, data: &[u8]) -> Vec<u8> {
    let mut h = [0u8; 512];
    h[..path.len()].copy_from_slice(path.as_bytes());
    h[100..108].copy_from_slice(b"0000644\0");
    h[124..136].copy_from_slice(format!("{:011o}\0", data.len()).as_bytes());
    h[136..148].copy_from_slice(b"00000000000\0");
    h[148..156].copy_from_slice(b"        ");
    h[156] = b'0';
    h[257..263].copy_from_slice(b"ustar\0");
    let sum: u32 = h.iter().map(|b| u32::from(*b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    let mut out = h.to_vec();
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512 + 1024, 0);
    out
}

#[tokio::test]
async fn restore_refuses_escaping_paths_and_oversized_uploads() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_at(dir.path(), Some(64 * 1024)).await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    let config = json!({"name": "EVIL", "subjects": ["evil"], "storage": "file"});

    for path in ["../escape.json", "/tmp/abs.json", "obs/../../x/meta.json"] {
        let (first, done) = restore(&client, &config, &tar_with(path, b"{}"), 4096).await;
        assert!(first.get("error").is_none(), "{first}");
        assert_eq!(err_code(&done), 10062, "{done}");
        let text = done["error"]["description"].as_str().unwrap();
        assert!(
            text.contains("not allowed") || text.contains("unexpected"),
            "{text}"
        );
        assert!(js.get_stream("EVIL").await.is_err());
    }
    assert!(!dir.path().join("jetstream/$G/streams/escape.json").exists());
    assert_eq!(
        staged(dir.path()),
        0,
        "refused restores leave nothing staged"
    );
    assert!(!dir.path().join("jetstream/$G/escape.json").exists());

    // An upload past the file storage limit is refused while it arrives.
    let big = vec![0u8; 100 * 1024];
    let (_, done) = restore(&client, &config, &big, 16 * 1024).await;
    assert_eq!(err_code(&done), 10062, "{done}");
    assert!(done["error"]["description"]
        .as_str()
        .unwrap()
        .contains("exceeds"));
    assert!(js.get_stream("EVIL").await.is_err());

    // A name that differs from the subject's.
    let mismatch = request(
        &client,
        "$JS.API.STREAM.RESTORE.EVIL".into(),
        json!({"config": {"name": "OTHER"}})
            .to_string()
            .into_bytes(),
    )
    .await;
    assert_eq!(err_code(&mismatch), 10056, "{mismatch}");
}

#[tokio::test]
async fn a_snapshot_nobody_acks_ends_with_no_flow_response() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_at(dir.path(), None).await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    js.create_stream(stream::Config {
        name: "SLOW".into(),
        subjects: vec!["slow".into()],
        ..Default::default()
    })
    .await
    .unwrap();
    for _ in 0..4 {
        js.publish("slow", vec![7u8; 2000].into())
            .await
            .unwrap()
            .await
            .unwrap();
    }
    let inbox = client.new_inbox();
    let mut sub = client.subscribe(inbox.clone()).await.unwrap();
    let req = json!({"deliver_subject": inbox, "chunk_size": 1024, "window_size": 1024});
    let resp = request(
        &client,
        "$JS.API.STREAM.SNAPSHOT.SLOW".into(),
        req.to_string().into_bytes(),
    )
    .await;
    assert!(resp.get("error").is_none(), "{resp}");
    // A window of one chunk: the first arrives, then nothing until the server gives up.
    let first = sub.next().await.unwrap();
    assert_eq!(first.payload.len(), 1024);
    let end = tokio::time::timeout(Duration::from_secs(8), sub.next())
        .await
        .unwrap()
        .unwrap();
    assert!(end.payload.is_empty());
    assert_eq!(end.status.map(|s| s.as_u16()), Some(408));
    assert_eq!(end.description.as_deref(), Some("No Flow Response"));
}
