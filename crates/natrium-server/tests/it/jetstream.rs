//! JetStream through the official async-nats client: streams, publish acks and their
//! header rules, message get/delete, purge, pull and push consumers, KV and object store.

use std::time::Duration;

use async_nats::jetstream::{self, consumer, stream};
use futures::{StreamExt, TryStreamExt};
use natrium_testkit::TestServer;

/// A JetStream server storing in `dir`, with `extra` options on top.
async fn js_server_at(
    dir: &std::path::Path,
    extra: impl FnOnce(&mut natrium_server::options::Options) + Send + 'static,
) -> TestServer {
    let path = dir.to_path_buf();
    TestServer::start_with(move |o| {
        o.jetstream.enabled = true;
        o.jetstream.store_dir = Some(path);
        extra(o);
    })
    .await
}

async fn js_server() -> (TestServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let server = js_server_at(dir.path(), |_| {}).await;
    (server, dir)
}

/// Publishes and waits for the ack, which must come.
async fn publish_acked(
    js: &jetstream::Context,
    subject: impl Into<String>,
    payload: bytes::Bytes,
) -> async_nats::jetstream::publish::PublishAck {
    js.publish(subject.into(), payload)
        .await
        .unwrap()
        .await
        .unwrap()
}

async fn context(server: &TestServer) -> jetstream::Context {
    jetstream::new(server.client().await)
}

#[tokio::test]
async fn info_says_jetstream_and_account_info_answers() {
    let (server, _dir) = js_server().await;
    let client = server.client().await;
    assert!(client.server_info().jetstream);
    let js = jetstream::new(client);
    let info = js.query_account().await.unwrap();
    assert_eq!(info.streams, 0);
}

#[tokio::test]
async fn stream_create_publish_ack_and_info() {
    let (server, _dir) = js_server().await;
    let js = context(&server).await;
    let mut s = js
        .create_stream(stream::Config {
            name: "ORDERS".into(),
            subjects: vec!["orders.>".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    for i in 1..=3u64 {
        let ack = publish_acked(&js, format!("orders.{i}"), "x".into()).await;
        assert_eq!(ack.stream, "ORDERS");
        assert_eq!(ack.sequence, i);
    }
    let info = s.info().await.unwrap();
    assert_eq!(info.state.messages, 3);
    assert_eq!(info.state.first_sequence, 1);
    assert_eq!(info.state.last_sequence, 3);
    let err = js
        .create_stream(stream::Config {
            name: "OTHER".into(),
            subjects: vec!["orders.eu".into()],
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("overlap"), "{err}");
}

#[tokio::test]
async fn dedup_and_expected_headers() {
    let (server, _dir) = js_server().await;
    let js = context(&server).await;
    js.create_stream(stream::Config {
        name: "D".into(),
        subjects: vec!["d.*".into()],
        ..Default::default()
    })
    .await
    .unwrap();
    let mut headers = async_nats::HeaderMap::new();
    headers.insert("Nats-Msg-Id", "one");
    let first = js
        .publish_with_headers("d.a", headers.clone(), "1".into())
        .await
        .unwrap()
        .await
        .unwrap();
    let again = js
        .publish_with_headers("d.a", headers, "1".into())
        .await
        .unwrap()
        .await
        .unwrap();
    assert!(!first.duplicate);
    assert!(again.duplicate);
    assert_eq!(again.sequence, first.sequence);

    let mut expect = async_nats::HeaderMap::new();
    expect.insert("Nats-Expected-Last-Sequence", "5");
    let err = js
        .publish_with_headers("d.a", expect, "2".into())
        .await
        .unwrap()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("wrong last sequence"), "{err}");
}

#[tokio::test]
async fn pull_consumer_fetch_ack_and_redelivery() {
    let (server, _dir) = js_server().await;
    let js = context(&server).await;
    let s = js
        .create_stream(stream::Config {
            name: "P".into(),
            subjects: vec!["p.>".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    for i in 0..10 {
        publish_acked(&js, format!("p.{i}"), format!("{i}").into()).await;
    }
    let c = s
        .create_consumer(consumer::pull::Config {
            durable_name: Some("worker".into()),
            ack_wait: Duration::from_millis(500),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut batch = c.fetch().max_messages(4).messages().await.unwrap();
    let mut got = Vec::new();
    while let Some(m) = batch.try_next().await.unwrap() {
        got.push(m.info().unwrap().stream_sequence);
        if got.len() > 1 {
            m.ack().await.unwrap();
        }
    }
    assert_eq!(got, vec![1, 2, 3, 4]);
    // The unacknowledged first message comes back after ack_wait.
    tokio::time::sleep(Duration::from_millis(700)).await;
    let mut batch = c.fetch().max_messages(1).messages().await.unwrap();
    let m = batch.try_next().await.unwrap().unwrap();
    let info = m.info().unwrap();
    assert_eq!(info.stream_sequence, 1);
    assert_eq!(info.delivered, 2);
    m.double_ack().await.unwrap();
    let mut c = c;
    let info = c.info().await.unwrap();
    assert_eq!(info.num_pending, 6);
}

#[tokio::test]
async fn push_consumer_delivers_to_subscriber() {
    let (server, _dir) = js_server().await;
    let js = context(&server).await;
    let s = js
        .create_stream(stream::Config {
            name: "Q".into(),
            subjects: vec!["q.>".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    for i in 0..5 {
        publish_acked(&js, format!("q.{i}"), "x".into()).await;
    }
    let c = s
        .create_consumer(consumer::push::Config {
            deliver_subject: "deliver.q".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut msgs = c.messages().await.unwrap();
    for i in 0..5u64 {
        let m = tokio::time::timeout(Duration::from_secs(5), msgs.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        assert_eq!(m.subject.as_str(), format!("q.{i}"));
        m.ack().await.unwrap();
    }
}

#[tokio::test]
async fn kv_put_get_update_history_and_watch() {
    let (server, _dir) = js_server().await;
    let js = context(&server).await;
    let kv = js
        .create_key_value(jetstream::kv::Config {
            bucket: "cfg".into(),
            history: 5,
            ..Default::default()
        })
        .await
        .unwrap();
    let r1 = kv.put("a", "1".into()).await.unwrap();
    let r2 = kv.update("a", "2".into(), r1).await.unwrap();
    assert!(kv.update("a", "3".into(), r1).await.is_err());
    assert_eq!(kv.get("a").await.unwrap().unwrap(), "2".as_bytes());
    assert!(kv.create("a", "x".into()).await.is_err());
    let history: Vec<_> = kv.history("a").await.unwrap().try_collect().await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].revision, r2);
    let mut watch = kv.watch("a").await.unwrap();
    kv.put("a", "4".into()).await.unwrap();
    let e = tokio::time::timeout(Duration::from_secs(5), watch.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(e.value, "4".as_bytes());
    kv.delete("a").await.unwrap();
    assert!(kv.get("a").await.unwrap().is_none());
    let keys: Vec<String> = kv.keys().await.unwrap().try_collect().await.unwrap();
    assert!(keys.is_empty(), "{keys:?}");
}

#[tokio::test]
async fn object_store_round_trips_a_multi_chunk_object() {
    let (server, _dir) = js_server().await;
    let js = context(&server).await;
    let store = js
        .create_object_store(jetstream::object_store::Config {
            bucket: "files".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    store.put("big", &mut data.as_slice()).await.unwrap();
    let mut obj = store.get("big").await.unwrap();
    let mut back = Vec::new();
    tokio::io::AsyncReadExt::read_to_end(&mut obj, &mut back)
        .await
        .unwrap();
    assert_eq!(back.len(), data.len());
    assert!(back == data);
}

#[tokio::test]
async fn streams_consumers_and_ack_floors_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = js_server_at(dir.path(), |_| {}).await;
    let js = context(&server).await;
    let s = js
        .create_stream(stream::Config {
            name: "KEEP".into(),
            subjects: vec!["keep.>".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    for i in 0..20 {
        publish_acked(&js, format!("keep.{i}"), "v".into()).await;
    }
    let c = s
        .create_consumer(consumer::pull::Config {
            durable_name: Some("d".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut batch = c.fetch().max_messages(5).messages().await.unwrap();
    while let Some(m) = batch.try_next().await.unwrap() {
        m.double_ack().await.unwrap();
    }
    drop(js);
    server.shutdown().await;

    let server = js_server_at(dir.path(), |_| {}).await;
    let js = context(&server).await;
    let mut s = js.get_stream("KEEP").await.unwrap();
    let info = s.info().await.unwrap();
    assert_eq!(info.state.messages, 20);
    assert_eq!(info.state.last_sequence, 20);
    let mut c: consumer::PullConsumer = s.get_consumer("d").await.unwrap();
    let ci = c.info().await.unwrap();
    assert_eq!(ci.ack_floor.stream_sequence, 5);
    assert_eq!(ci.num_pending, 15);
    let mut batch = c.fetch().max_messages(1).messages().await.unwrap();
    let m = batch.try_next().await.unwrap().unwrap();
    assert_eq!(m.info().unwrap().stream_sequence, 6);
}

#[tokio::test]
async fn advisories_announce_streams_and_consumers() {
    let (server, _dir) = js_server().await;
    let client = server.client().await;
    let mut events = client.subscribe("$JS.EVENT.ADVISORY.>").await.unwrap();
    client.flush().await.unwrap();
    let js = jetstream::new(client);
    let s = js.create_stream("ADV").await.unwrap();
    s.create_consumer(consumer::pull::Config {
        durable_name: Some("c".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    js.delete_stream("ADV").await.unwrap();
    let mut subjects = Vec::new();
    for _ in 0..3 {
        let m = tokio::time::timeout(Duration::from_secs(5), events.next())
            .await
            .unwrap()
            .unwrap();
        subjects.push(m.subject.to_string());
    }
    assert_eq!(
        subjects,
        vec![
            "$JS.EVENT.ADVISORY.STREAM.CREATED.ADV",
            "$JS.EVENT.ADVISORY.CONSUMER.CREATED.ADV.c",
            "$JS.EVENT.ADVISORY.STREAM.DELETED.ADV",
        ]
    );
}

#[tokio::test]
async fn store_limits_refuse_reservations_and_publishes_past_them() {
    let dir = tempfile::tempdir().unwrap();
    let server = js_server_at(dir.path(), |o| {
        o.jetstream.max_file = Some(4096);
    })
    .await;
    let js = context(&server).await;
    let err = js
        .create_stream(stream::Config {
            name: "BIG".into(),
            max_bytes: 1 << 20,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("insufficient resources"), "{err}");
    js.create_stream("SMALL").await.unwrap();
    let mut refused = None;
    for _ in 0..100 {
        if let Err(e) = js
            .publish("SMALL", vec![0u8; 512].into())
            .await
            .unwrap()
            .await
        {
            refused = Some(e.to_string());
            break;
        }
    }
    let refused = refused.expect("a publish past max_file_store is refused");
    assert!(refused.contains("insufficient storage"), "{refused}");
}

#[tokio::test]
async fn work_queue_removes_acked_and_purge_keeps_the_newest() {
    let (server, _dir) = js_server().await;
    let js = context(&server).await;
    let mut wq = js
        .create_stream(stream::Config {
            name: "WQ".into(),
            subjects: vec!["wq.>".into()],
            retention: stream::RetentionPolicy::WorkQueue,
            ..Default::default()
        })
        .await
        .unwrap();
    for i in 0..4 {
        publish_acked(&js, format!("wq.{i}"), "job".into()).await;
    }
    let c = wq
        .create_consumer(consumer::pull::Config {
            durable_name: Some("w".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut batch = c.fetch().max_messages(2).messages().await.unwrap();
    while let Some(m) = batch.try_next().await.unwrap() {
        m.double_ack().await.unwrap();
    }
    assert_eq!(wq.info().await.unwrap().state.messages, 2);
    let second = wq
        .create_consumer(consumer::pull::Config {
            durable_name: Some("w2".into()),
            ..Default::default()
        })
        .await;
    assert!(second.is_err(), "work queues take one unfiltered consumer");

    let mut s = js
        .create_stream(stream::Config {
            name: "PURGE".into(),
            subjects: vec!["p.>".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    for i in 0..10 {
        publish_acked(&js, format!("p.{}", i % 2), "v".into()).await;
    }
    s.purge().filter("p.0").keep(1).await.unwrap();
    let info = s.info().await.unwrap();
    assert_eq!(info.state.messages, 6);
    s.delete_message(10).await.unwrap();
    assert!(s.get_raw_message(10).await.is_err());
    assert_eq!(s.info().await.unwrap().state.messages, 5);
}

#[tokio::test]
async fn rollup_and_message_ttl() {
    let (server, _dir) = js_server().await;
    let js = context(&server).await;
    let mut s = js
        .create_stream(stream::Config {
            name: "R".into(),
            subjects: vec!["r.>".into()],
            allow_rollup: true,
            allow_message_ttl: true,
            ..Default::default()
        })
        .await
        .unwrap();
    for _ in 0..3 {
        publish_acked(&js, "r.a", "old".into()).await;
    }
    let mut h = async_nats::HeaderMap::new();
    h.insert("Nats-Rollup", "sub");
    js.publish_with_headers("r.a", h, "new".into())
        .await
        .unwrap()
        .await
        .unwrap();
    assert_eq!(s.info().await.unwrap().state.messages, 1);

    let mut h = async_nats::HeaderMap::new();
    h.insert("Nats-TTL", "1s");
    js.publish_with_headers("r.b", h, "brief".into())
        .await
        .unwrap()
        .await
        .unwrap();
    assert_eq!(s.info().await.unwrap().state.messages, 2);
    tokio::time::sleep(Duration::from_millis(1600)).await;
    assert_eq!(s.info().await.unwrap().state.messages, 1);
}

#[tokio::test]
async fn messages_whose_ttl_ran_out_while_down_are_gone_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = js_server_at(dir.path(), |_| {}).await;
    let js = context(&server).await;
    js.create_stream(stream::Config {
        name: "T".into(),
        subjects: vec!["t.>".into()],
        allow_message_ttl: true,
        subject_delete_marker_ttl: Some(Duration::from_secs(60)),
        ..Default::default()
    })
    .await
    .unwrap();
    publish_acked(&js, "t.keep", "stays".into()).await;
    let mut h = async_nats::HeaderMap::new();
    h.insert("Nats-TTL", "1s");
    js.publish_with_headers("t.brief", h, "brief".into())
        .await
        .unwrap()
        .await
        .unwrap();
    drop(js);
    server.shutdown().await;
    tokio::time::sleep(Duration::from_millis(1500)).await;

    let server = js_server_at(dir.path(), |_| {}).await;
    let js = context(&server).await;
    let mut s = js.get_stream("T").await.unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let state = s.info().await.unwrap().state.clone();
        // The expired message went, and its subject got a delete marker.
        if state.messages == 2 && state.last_sequence == 3 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{state:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(s.get_last_raw_message_by_subject("t.keep").await.is_ok());
    let marker = s.get_last_raw_message_by_subject("t.brief").await.unwrap();
    assert_eq!(marker.sequence, 3);
    assert_eq!(
        marker.headers.get("Nats-Marker-Reason").map(|v| v.as_str()),
        Some("MaxAge")
    );
}

#[tokio::test]
async fn a_damaged_record_loses_only_itself_and_the_stream_still_loads() {
    let dir = tempfile::tempdir().unwrap();
    let server = js_server_at(dir.path(), |_| {}).await;
    let js = context(&server).await;
    js.create_stream("DMG").await.unwrap();
    for payload in ["first-payload", "second-payload", "third-payload"] {
        publish_acked(&js, "DMG", payload.into()).await;
    }
    drop(js);
    server.shutdown().await;

    let mut damaged = 0;
    for entry in walk(dir.path()) {
        let mut bytes = std::fs::read(&entry).unwrap();
        if let Some(at) = bytes.windows(14).position(|w| w == b"second-payload") {
            bytes[at + 3] ^= 0xff;
            std::fs::write(&entry, bytes).unwrap();
            damaged += 1;
        }
    }
    assert_eq!(damaged, 1, "the segment holding the second message");

    let server = js_server_at(dir.path(), |_| {}).await;
    let js = context(&server).await;
    let stream = js.get_stream("DMG").await.unwrap();
    assert_eq!(
        stream.get_raw_message(1).await.unwrap().payload,
        "first-payload".as_bytes()
    );
    assert!(stream.get_raw_message(2).await.is_err());
    assert_eq!(
        stream.get_raw_message(3).await.unwrap().payload,
        "third-payload".as_bytes()
    );
    publish_acked(&js, "DMG", "after".into()).await;
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[tokio::test]
async fn a_domain_serves_the_api_under_its_prefix_too() {
    let dir = tempfile::tempdir().unwrap();
    let server = js_server_at(dir.path(), |o| {
        o.jetstream.domain = Some("hub".into());
    })
    .await;
    let js = jetstream::with_domain(server.client().await, "hub");
    let s = js
        .create_stream(stream::Config {
            name: "DOM".into(),
            allow_direct: true,
            ..Default::default()
        })
        .await
        .unwrap();
    let ack = publish_acked(&js, "DOM", "x".into()).await;
    assert_eq!(ack.domain, "hub");
    assert_eq!(s.direct_get(1).await.unwrap().payload, "x".as_bytes());
    let c = s
        .create_consumer(consumer::pull::Config {
            durable_name: Some("d".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut batch = c.fetch().max_messages(1).messages().await.unwrap();
    assert!(batch.try_next().await.unwrap().is_some());
}

#[tokio::test]
async fn kv_buckets_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = js_server_at(dir.path(), |_| {}).await;
    let js = context(&server).await;
    let kv = js
        .create_key_value(jetstream::kv::Config {
            bucket: "keep".into(),
            history: 3,
            ..Default::default()
        })
        .await
        .unwrap();
    kv.put("a", "1".into()).await.unwrap();
    kv.put("a", "2".into()).await.unwrap();
    kv.put("b", "3".into()).await.unwrap();
    drop((kv, js));
    server.shutdown().await;

    let server = js_server_at(dir.path(), |_| {}).await;
    let js = context(&server).await;
    let kv = js.get_key_value("keep").await.unwrap();
    assert_eq!(kv.get("a").await.unwrap().unwrap(), "2".as_bytes());
    assert_eq!(kv.get("b").await.unwrap().unwrap(), "3".as_bytes());
    let history: Vec<_> = kv.history("a").await.unwrap().try_collect().await.unwrap();
    assert_eq!(history.len(), 2);
}

#[tokio::test]
async fn replay_original_keeps_the_gaps_between_messages() {
    let (server, _dir) = js_server().await;
    let js = context(&server).await;
    let s = js.create_stream("REPLAY").await.unwrap();
    for _ in 0..3 {
        publish_acked(&js, "REPLAY", "x".into()).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let fetch = |replay| {
        let s = s.clone();
        async move {
            let c = s
                .create_consumer(consumer::pull::Config {
                    replay_policy: replay,
                    ..Default::default()
                })
                .await
                .unwrap();
            let started = std::time::Instant::now();
            let mut batch = c
                .fetch()
                .max_messages(3)
                .expires(Duration::from_secs(5))
                .messages()
                .await
                .unwrap();
            let mut n = 0;
            while batch.try_next().await.unwrap().is_some() {
                n += 1;
            }
            assert_eq!(n, 3);
            started.elapsed()
        }
    };
    let instant = fetch(consumer::ReplayPolicy::Instant).await;
    let original = fetch(consumer::ReplayPolicy::Original).await;
    assert!(instant < Duration::from_millis(300), "{instant:?}");
    assert!(original >= Duration::from_millis(550), "{original:?}");
}

async fn first_seq_of(c: &consumer::PullConsumer) -> u64 {
    let mut batch = c
        .fetch()
        .max_messages(1)
        .expires(Duration::from_secs(2))
        .messages()
        .await
        .unwrap();
    let m = batch.try_next().await.unwrap().expect("a message");
    m.info().unwrap().stream_sequence
}

#[tokio::test]
async fn deliver_policies_start_where_they_say() {
    let (server, _dir) = js_server().await;
    let js = context(&server).await;
    let s = js
        .create_stream(stream::Config {
            name: "DP".into(),
            subjects: vec!["dp.*".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    for subject in ["dp.a", "dp.b", "dp.a", "dp.b", "dp.a"] {
        publish_acked(&js, subject, "v".into()).await;
    }
    let make = |policy: consumer::DeliverPolicy| {
        let s = s.clone();
        async move {
            s.create_consumer(consumer::pull::Config {
                deliver_policy: policy,
                ..Default::default()
            })
            .await
            .unwrap()
        }
    };
    assert_eq!(
        first_seq_of(&make(consumer::DeliverPolicy::All).await).await,
        1
    );
    assert_eq!(
        first_seq_of(&make(consumer::DeliverPolicy::Last).await).await,
        5
    );
    let by_seq = make(consumer::DeliverPolicy::ByStartSequence { start_sequence: 3 }).await;
    assert_eq!(first_seq_of(&by_seq).await, 3);
    let per_subject = make(consumer::DeliverPolicy::LastPerSubject).await;
    assert_eq!(first_seq_of(&per_subject).await, 4);
    assert_eq!(first_seq_of(&per_subject).await, 5);
    let new = make(consumer::DeliverPolicy::New).await;
    publish_acked(&js, "dp.b", "later".into()).await;
    assert_eq!(first_seq_of(&new).await, 6);
}

#[tokio::test]
async fn max_deliver_with_backoff_gives_up_and_advises() {
    let (server, _dir) = js_server().await;
    let client = server.client().await;
    let mut advisories = client
        .subscribe("$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.>")
        .await
        .unwrap();
    client.flush().await.unwrap();
    let js = jetstream::new(client);
    let s = js.create_stream("MD").await.unwrap();
    publish_acked(&js, "MD", "x".into()).await;
    let c = s
        .create_consumer(consumer::pull::Config {
            durable_name: Some("md".into()),
            max_deliver: 2,
            backoff: vec![Duration::from_millis(200)],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(first_seq_of(&c).await, 1);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut batch = c
        .fetch()
        .max_messages(1)
        .expires(Duration::from_secs(2))
        .messages()
        .await
        .unwrap();
    let again = batch.try_next().await.unwrap().expect("one redelivery");
    assert_eq!(again.info().unwrap().delivered, 2);
    let advisory = tokio::time::timeout(Duration::from_secs(3), advisories.next())
        .await
        .expect("max deliveries advisory")
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&advisory.payload).unwrap();
    assert_eq!(body["stream_seq"], 1);
    assert_eq!(body["deliveries"], 2);
    let mut batch = c
        .fetch()
        .max_messages(1)
        .expires(Duration::from_millis(500))
        .messages()
        .await
        .unwrap();
    assert!(
        batch.try_next().await.unwrap().is_none(),
        "no third delivery"
    );
}

#[tokio::test]
async fn limits_discard_new_per_subject_and_max_msgs_per_subject() {
    let (server, _dir) = js_server().await;
    let js = context(&server).await;
    let mut s = js
        .create_stream(stream::Config {
            name: "LIM".into(),
            subjects: vec!["lim.*".into()],
            max_messages_per_subject: 2,
            ..Default::default()
        })
        .await
        .unwrap();
    for _ in 0..5 {
        publish_acked(&js, "lim.a", "v".into()).await;
    }
    publish_acked(&js, "lim.b", "v".into()).await;
    assert_eq!(s.info().await.unwrap().state.messages, 3);

    js.create_stream(stream::Config {
        name: "NEW".into(),
        subjects: vec!["new.*".into()],
        max_messages_per_subject: 1,
        discard: stream::DiscardPolicy::New,
        discard_new_per_subject: true,
        ..Default::default()
    })
    .await
    .unwrap();
    publish_acked(&js, "new.a", "1".into()).await;
    let err = js
        .publish("new.a", "2".into())
        .await
        .unwrap()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("maximum messages per subject"),
        "{err}"
    );
    publish_acked(&js, "new.b", "1".into()).await;
}

#[tokio::test]
async fn strict_mode_refuses_unknown_fields_and_bad_json() {
    let (server, _dir) = js_server().await;
    let client = server.client().await;
    let reply = client
        .request(
            "$JS.API.STREAM.CREATE.S",
            r#"{"name":"S","no_such_field":1}"#.into(),
        )
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&reply.payload).unwrap();
    assert_eq!(body["error"]["err_code"], 10025, "{body}");
    assert!(body["error"]["description"]
        .as_str()
        .unwrap()
        .contains("no_such_field"));
    let reply = client
        .request("$JS.API.STREAM.CREATE.S", "{not json".into())
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&reply.payload).unwrap();
    assert_eq!(body["error"]["code"], 400, "{body}");
    let reply = client
        .request("$JS.API.STREAM.INFO.MISSING", "".into())
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&reply.payload).unwrap();
    assert_eq!(body["error"]["err_code"], 10059, "{body}");
}

#[tokio::test]
async fn headers_only_and_interest_retention() {
    let (server, _dir) = js_server().await;
    let js = context(&server).await;
    let mut s = js
        .create_stream(stream::Config {
            name: "INT".into(),
            subjects: vec!["int.>".into()],
            retention: stream::RetentionPolicy::Interest,
            ..Default::default()
        })
        .await
        .unwrap();
    publish_acked(&js, "int.none", "dropped".into()).await;
    assert_eq!(
        s.info().await.unwrap().state.messages,
        0,
        "no consumer, no interest"
    );
    let c = s
        .create_consumer(consumer::pull::Config {
            durable_name: Some("h".into()),
            headers_only: true,
            ..Default::default()
        })
        .await
        .unwrap();
    publish_acked(&js, "int.a", "0123456789".into()).await;
    assert_eq!(s.info().await.unwrap().state.messages, 1);
    let mut batch = c.fetch().max_messages(1).messages().await.unwrap();
    let m = batch.try_next().await.unwrap().unwrap();
    assert!(m.payload.is_empty());
    assert_eq!(
        m.headers
            .as_ref()
            .unwrap()
            .get("Nats-Msg-Size")
            .unwrap()
            .as_str(),
        "10"
    );
    m.double_ack().await.unwrap();
    assert_eq!(
        s.info().await.unwrap().state.messages,
        0,
        "acked by every consumer"
    );
}

#[tokio::test]
async fn push_heartbeats_flow_control_and_deliver_groups() {
    let (server, _dir) = js_server().await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    let s = js.create_stream("PUSH").await.unwrap();
    let mut raw = client.subscribe("hb.inbox").await.unwrap();
    client.flush().await.unwrap();
    s.create_consumer(consumer::push::Config {
        deliver_subject: "hb.inbox".into(),
        idle_heartbeat: Duration::from_millis(200),
        flow_control: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let hb = tokio::time::timeout(Duration::from_secs(2), raw.next())
        .await
        .expect("an idle heartbeat")
        .unwrap();
    assert_eq!(hb.status, Some(async_nats::StatusCode::IDLE_HEARTBEAT));
    assert!(hb.headers.unwrap().get("Nats-Last-Consumer").is_some());

    let mut a = client
        .queue_subscribe("grp.inbox", "workers".into())
        .await
        .unwrap();
    let mut b = client
        .queue_subscribe("grp.inbox", "workers".into())
        .await
        .unwrap();
    client.flush().await.unwrap();
    s.create_consumer(consumer::push::Config {
        deliver_subject: "grp.inbox".into(),
        deliver_group: Some("workers".into()),
        ack_policy: consumer::AckPolicy::None,
        ..Default::default()
    })
    .await
    .unwrap();
    for _ in 0..20 {
        publish_acked(&js, "PUSH", "w".into()).await;
    }
    let mut got = 0;
    while got < 20 {
        tokio::select! {
            Some(_) = a.next() => got += 1,
            Some(_) = b.next() => got += 1,
            _ = tokio::time::sleep(Duration::from_secs(3)) => break,
        }
    }
    assert_eq!(got, 20, "each message to one member of the group");
}

#[tokio::test]
async fn first_seq_deny_flags_max_msg_size_sealed_and_no_ack() {
    let (server, _dir) = js_server().await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    let mut s = js
        .create_stream(stream::Config {
            name: "FLAGS".into(),
            subjects: vec!["flags.>".into()],
            first_sequence: Some(100),
            deny_delete: true,
            deny_purge: true,
            max_message_size: 16,
            ..Default::default()
        })
        .await
        .unwrap();
    let ack = publish_acked(&js, "flags.a", "x".into()).await;
    assert_eq!(ack.sequence, 100);
    let too_big = js
        .publish("flags.a", vec![0u8; 64].into())
        .await
        .unwrap()
        .await
        .unwrap_err();
    assert!(
        too_big.to_string().contains("message size exceeds maximum"),
        "{too_big}"
    );
    assert!(s.delete_message(100).await.is_err(), "deny_delete");
    assert!(s.purge().await.is_err(), "deny_purge");

    let mut config = s.info().await.unwrap().config.clone();
    config.sealed = true;
    js.update_stream(config).await.unwrap();
    let sealed = js
        .publish("flags.a", "y".into())
        .await
        .unwrap()
        .await
        .unwrap_err();
    assert!(sealed.to_string().contains("sealed"), "{sealed}");

    js.create_stream(stream::Config {
        name: "NOACK".into(),
        subjects: vec!["noack".into()],
        no_ack: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let reply = tokio::time::timeout(
        Duration::from_millis(500),
        client.request("noack", "z".into()),
    )
    .await;
    assert!(
        !matches!(reply, Ok(Ok(_))),
        "a no_ack stream sends no ack: {reply:?}"
    );
    let mut noack = js.get_stream("NOACK").await.unwrap();
    assert_eq!(noack.info().await.unwrap().state.messages, 1);
}
