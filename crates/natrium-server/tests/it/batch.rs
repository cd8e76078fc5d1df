//! Atomic batch publish (`allow_atomic`, `Nats-Batch-*` headers) and distributed counters
//! (`allow_msg_counter`, `Nats-Incr`), through async-nats over TCP; every reply is read
//! raw so error codes and ack fields are checked as nats-server sends them.

use async_nats::jetstream::{self, stream};
use async_nats::HeaderMap;
use natrium_testkit::TestServer;
use serde_json::Value;

async fn js_server_at(dir: &std::path::Path) -> TestServer {
    let path = dir.to_path_buf();
    TestServer::start_with(move |o| {
        o.jetstream.enabled = true;
        o.jetstream.store_dir = Some(path);
    })
    .await
}

/// Publishes with `headers` and returns the raw reply body.
async fn publish(
    client: &async_nats::Client,
    subject: &str,
    headers: &[(&str, &str)],
    payload: &str,
) -> Vec<u8> {
    let mut map = HeaderMap::new();
    for (k, v) in headers {
        map.insert(*k, *v);
    }
    let reply = client
        .request_with_headers(subject.to_string(), map, payload.to_string().into())
        .await
        .unwrap();
    reply.payload.to_vec()
}

/// The reply as JSON.
async fn publish_json(
    client: &async_nats::Client,
    subject: &str,
    headers: &[(&str, &str)],
    payload: &str,
) -> Value {
    let body = publish(client, subject, headers, payload).await;
    serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{e}: {body:?}"))
}

fn err_code(reply: &Value) -> u64 {
    reply["error"]["err_code"]
        .as_u64()
        .unwrap_or_else(|| panic!("no error in {reply}"))
}

async fn messages(js: &jetstream::Context, name: &str) -> u64 {
    js.get_stream(name)
        .await
        .unwrap()
        .info()
        .await
        .unwrap()
        .state
        .messages
}

async fn create(js: &jetstream::Context, config: stream::Config) {
    js.create_stream(config).await.unwrap();
}

const INCOMPLETE: u64 = 10176;

#[tokio::test]
async fn atomic_batch_is_staged_until_its_commit_then_stored_whole_with_one_ack() {
    let dir = tempfile::tempdir().unwrap();
    let server = js_server_at(dir.path()).await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    create(
        &js,
        stream::Config {
            name: "A".into(),
            subjects: vec!["a.>".into()],
            allow_atomic_publish: true,
            ..Default::default()
        },
    )
    .await;
    for seq in ["1", "2"] {
        let staged = publish(
            &client,
            &format!("a.{seq}"),
            &[("Nats-Batch-Id", "b1"), ("Nats-Batch-Sequence", seq)],
            "x",
        )
        .await;
        assert!(staged.is_empty(), "{staged:?}");
    }
    assert_eq!(
        messages(&js, "A").await,
        0,
        "staged messages are not stored"
    );
    let ack = publish_json(
        &client,
        "a.3",
        &[
            ("Nats-Batch-Id", "b1"),
            ("Nats-Batch-Sequence", "3"),
            ("Nats-Batch-Commit", "1"),
        ],
        "x",
    )
    .await;
    assert_eq!(ack["stream"], "A");
    assert_eq!(ack["seq"], 3);
    assert_eq!(ack["batch"], "b1");
    assert_eq!(ack["count"], 3);
    assert!(ack.get("error").is_none());
    assert_eq!(messages(&js, "A").await, 3);

    // `eob` commits the messages before it and is not stored itself.
    publish(
        &client,
        "a.4",
        &[("Nats-Batch-Id", "b2"), ("Nats-Batch-Sequence", "1")],
        "y",
    )
    .await;
    let ack = publish_json(
        &client,
        "a.eob",
        &[
            ("Nats-Batch-Id", "b2"),
            ("Nats-Batch-Sequence", "2"),
            ("Nats-Batch-Commit", "eob"),
        ],
        "",
    )
    .await;
    assert_eq!(
        (ack["seq"].as_u64(), ack["count"].as_u64()),
        (Some(4), Some(1))
    );
    let stream = js.get_stream("A").await.unwrap();
    let last = stream.get_last_raw_message_by_subject("a.4").await.unwrap();
    assert_eq!(last.headers.get("Nats-Batch-Commit").unwrap().as_str(), "1");
    assert!(stream
        .get_last_raw_message_by_subject("a.eob")
        .await
        .is_err());
}

#[tokio::test]
async fn a_batch_with_a_gap_or_a_failed_check_is_rejected_whole() {
    let dir = tempfile::tempdir().unwrap();
    let server = js_server_at(dir.path()).await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    create(
        &js,
        stream::Config {
            name: "A".into(),
            subjects: vec!["a.>".into()],
            allow_atomic_publish: true,
            ..Default::default()
        },
    )
    .await;
    let id =
        |id: &'static str, seq: &'static str| [("Nats-Batch-Id", id), ("Nats-Batch-Sequence", seq)];
    let mut abandoned = client
        .subscribe("$JS.EVENT.ADVISORY.STREAM.BATCH_ABANDONED.A")
        .await
        .unwrap();
    client.flush().await.unwrap();
    publish(&client, "a.1", &id("gap", "1"), "x").await;
    let gap = publish_json(&client, "a.3", &id("gap", "3"), "x").await;
    assert_eq!(err_code(&gap), INCOMPLETE, "{gap}");
    let advisory = next_json(&mut abandoned).await;
    assert_eq!(
        advisory["type"],
        "io.nats.jetstream.advisory.v1.stream_batch_abandoned"
    );
    assert_eq!(
        (advisory["batch"].as_str(), advisory["reason"].as_str()),
        (Some("gap"), Some("incomplete"))
    );
    // The batch is gone: its commit finds nothing to commit.
    let mut commit = id("gap", "4").to_vec();
    commit.push(("Nats-Batch-Commit", "1"));
    let late = publish_json(&client, "a.4", &commit, "x").await;
    assert_eq!(err_code(&late), INCOMPLETE);
    assert_eq!(messages(&js, "A").await, 0);

    // A duplicate `Nats-Msg-Id` inside the batch fails the batch at its commit.
    let mut first = id("dup", "1").to_vec();
    first.push(("Nats-Msg-Id", "m"));
    publish(&client, "a.1", &first, "x").await;
    let mut second = id("dup", "2").to_vec();
    second.extend([("Nats-Msg-Id", "m"), ("Nats-Batch-Commit", "1")]);
    let dup = publish_json(&client, "a.2", &second, "x").await;
    assert_eq!(err_code(&dup), 10201, "{dup}");

    // Only the first message may expect a last sequence; later ones count the batch.
    publish(&client, "a.1", &id("seq", "1"), "x").await;
    let mut second = id("seq", "2").to_vec();
    second.extend([
        ("Nats-Expected-Last-Sequence", "0"),
        ("Nats-Batch-Commit", "1"),
    ]);
    let wrong = publish_json(&client, "a.2", &second, "x").await;
    assert_eq!(err_code(&wrong), 10071, "{wrong}");
    assert_eq!(wrong["error"]["description"], "wrong last sequence: 1");
    assert_eq!(messages(&js, "A").await, 0);

    // Malformed batches.
    let missing = publish_json(&client, "a.1", &[("Nats-Batch-Id", "x")], "x").await;
    assert_eq!(err_code(&missing), 10175);
    let mut bad_commit = id("bad", "1").to_vec();
    bad_commit.push(("Nats-Batch-Commit", "yes"));
    assert_eq!(
        err_code(&publish_json(&client, "a.1", &bad_commit, "x").await),
        10200
    );
    let too_large = publish_json(&client, "a.1", &id("big", "1001"), "x").await;
    assert_eq!(err_code(&too_large), 10199);
    assert_eq!(
        too_large["error"]["description"],
        "atomic publish batch is too large: 1000"
    );
    let mut unsupported = id("u", "1").to_vec();
    unsupported.extend([
        ("Nats-Expected-Last-Msg-Id", "q"),
        ("Nats-Batch-Commit", "1"),
    ]);
    let refused = publish_json(&client, "a.1", &unsupported, "x").await;
    assert_eq!(err_code(&refused), 10177);
    assert_eq!(messages(&js, "A").await, 0);

    // A good batch still commits afterwards.
    let mut one = id("ok", "1").to_vec();
    one.push(("Nats-Batch-Commit", "1"));
    let ack = publish_json(&client, "a.1", &one, "x").await;
    assert_eq!(
        (ack["seq"].as_u64(), ack["count"].as_u64()),
        (Some(1), Some(1))
    );
}

#[tokio::test]
async fn a_batch_on_a_stream_without_allow_atomic_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = js_server_at(dir.path()).await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    create(
        &js,
        stream::Config {
            name: "N".into(),
            subjects: vec!["n.>".into()],
            ..Default::default()
        },
    )
    .await;
    let headers = [
        ("Nats-Batch-Id", "b"),
        ("Nats-Batch-Sequence", "1"),
        ("Nats-Batch-Commit", "1"),
    ];
    let reply = publish_json(&client, "n.1", &headers, "x").await;
    assert_eq!(err_code(&reply), 10174, "{reply}");
    assert_eq!(reply["error"]["description"], "atomic publish is disabled");
    assert_eq!(reply["stream"], "N");
    assert_eq!(messages(&js, "N").await, 0);
    // A mirror may not take atomic batches.
    let err = js
        .create_stream(stream::Config {
            name: "M".into(),
            mirror: Some(stream::Source {
                name: "N".into(),
                ..Default::default()
            }),
            allow_atomic_publish: true,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("10198"), "{err}");
}

#[tokio::test]
async fn counters_add_increments_and_keep_their_sum_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = js_server_at(dir.path()).await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    create(
        &js,
        stream::Config {
            name: "C".into(),
            subjects: vec!["c.>".into()],
            allow_message_counter: true,
            ..Default::default()
        },
    )
    .await;
    let incr = |v: &'static str| [("Nats-Incr", v)];
    let ack = publish_json(&client, "c.hits", &incr("5"), "").await;
    assert_eq!(
        (ack["seq"].as_u64(), ack["val"].as_str()),
        (Some(1), Some("5"))
    );
    let ack = publish_json(&client, "c.hits", &incr("-7"), "").await;
    assert_eq!(ack["val"], "-2");
    let ack = publish_json(
        &client,
        "c.hits",
        &incr("+123456789012345678901234567890"),
        "",
    )
    .await;
    assert_eq!(ack["val"], "123456789012345678901234567888");
    let other = publish_json(&client, "c.other", &incr("1"), "").await;
    assert_eq!(other["val"], "1");
    drop(js);
    drop(client);
    server.shutdown().await;

    let server = js_server_at(dir.path()).await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    let ack = publish_json(&client, "c.hits", &incr("12"), "").await;
    assert_eq!(ack["val"], "123456789012345678901234567900");
    let stream = js.get_stream("C").await.unwrap();
    let last = stream
        .get_last_raw_message_by_subject("c.hits")
        .await
        .unwrap();
    assert_eq!(
        last.payload.as_ref(),
        br#"{"val":"123456789012345678901234567900"}"#
    );
    assert_eq!(last.headers.get("Nats-Incr").unwrap().as_str(), "12");

    // Without allow_atomic a counter stream refuses batches like any other.
    let reply = publish_json(
        &client,
        "c.hits",
        &[
            ("Nats-Incr", "1"),
            ("Nats-Batch-Id", "b"),
            ("Nats-Batch-Sequence", "1"),
            ("Nats-Batch-Commit", "1"),
        ],
        "",
    )
    .await;
    assert_eq!(err_code(&reply), 10174);
}

#[tokio::test]
async fn increments_are_refused_where_they_do_not_fit() {
    let dir = tempfile::tempdir().unwrap();
    let server = js_server_at(dir.path()).await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    create(
        &js,
        stream::Config {
            name: "C".into(),
            subjects: vec!["c.>".into()],
            allow_message_counter: true,
            allow_atomic_publish: true,
            ..Default::default()
        },
    )
    .await;
    create(
        &js,
        stream::Config {
            name: "N".into(),
            subjects: vec!["n.>".into()],
            ..Default::default()
        },
    )
    .await;
    let disabled = publish_json(&client, "n.x", &[("Nats-Incr", "1")], "").await;
    assert_eq!(err_code(&disabled), 10168, "{disabled}");
    for bad in ["abc", "1_000", "1.5"] {
        let invalid = publish_json(&client, "c.x", &[("Nats-Incr", bad)], "").await;
        assert_eq!(err_code(&invalid), 10171, "{bad}: {invalid}");
    }
    let with_payload = publish_json(&client, "c.x", &[("Nats-Incr", "1")], "p").await;
    assert_eq!(err_code(&with_payload), 10170);
    let plain = publish_json(&client, "c.x", &[], "").await;
    assert_eq!(err_code(&plain), 10169);
    let expecting = publish_json(
        &client,
        "c.x",
        &[("Nats-Incr", "1"), ("Nats-Expected-Last-Sequence", "0")],
        "",
    )
    .await;
    assert_eq!(err_code(&expecting), 10171);
    // Only the stream writes where a message came from: a forged origin could skew the
    // totals a counter keeps per source.
    let forged = publish_json(
        &client,
        "c.x",
        &[("Nats-Incr", "1"), ("Nats-Stream-Source", "X 1 > > c.x")],
        "",
    )
    .await;
    assert_eq!(err_code(&forged), 10227, "{forged}");
    assert_eq!(messages(&js, "C").await, 0);
    assert_eq!(messages(&js, "N").await, 0);

    // A batch on a counter stream sums its increments in order, all or nothing.
    let batch = |seq: &'static str, incr: &'static str| {
        [
            ("Nats-Batch-Id", "cb"),
            ("Nats-Batch-Sequence", seq),
            ("Nats-Incr", incr),
        ]
    };
    publish(&client, "c.x", &batch("1", "2"), "").await;
    let mut last = batch("2", "3").to_vec();
    last.push(("Nats-Batch-Commit", "1"));
    let ack = publish_json(&client, "c.x", &last, "").await;
    assert_eq!(
        (ack["seq"].as_u64(), ack["count"].as_u64()),
        (Some(2), Some(2))
    );
    let stream = js.get_stream("C").await.unwrap();
    let msg = stream.get_last_raw_message_by_subject("c.x").await.unwrap();
    assert_eq!(msg.payload.as_ref(), br#"{"val":"5"}"#);
    publish(&client, "c.x", &batch("1", "2"), "").await;
    let mut last = batch("2", "x").to_vec();
    last.push(("Nats-Batch-Commit", "1"));
    assert_eq!(
        err_code(&publish_json(&client, "c.x", &last, "").await),
        10171
    );
    assert_eq!(messages(&js, "C").await, 2);

    // Configurations nats-server refuses for counters.
    let err = js
        .create_stream(stream::Config {
            name: "D".into(),
            subjects: vec!["d.>".into()],
            allow_message_counter: true,
            discard: stream::DiscardPolicy::New,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("counter stream cannot use discard new"),
        "{err}"
    );
    let err = js
        .update_stream(stream::Config {
            name: "C".into(),
            subjects: vec!["c.>".into()],
            allow_atomic_publish: true,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("can not change message counter setting"),
        "{err}"
    );
}

/// Publishes message `seq` of fast batch `id` (flow `flow`, gap mode `gap`, operation
/// `op`) with its replies going to `fb.>`.
async fn fast_publish(
    client: &async_nats::Client,
    subject: &str,
    (id, flow, gap): (&str, u16, &str),
    seq: u64,
    op: u8,
) {
    let reply = format!("fb.{id}.{flow}.{gap}.{seq}.{op}.$FI");
    client
        .publish_with_reply(subject.to_string(), reply, "x".into())
        .await
        .unwrap();
}

async fn next_json(sub: &mut async_nats::Subscriber) -> Value {
    use futures::StreamExt;
    let msg = tokio::time::timeout(std::time::Duration::from_secs(5), sub.next())
        .await
        .expect("a reply")
        .unwrap();
    serde_json::from_slice(&msg.payload).unwrap()
}

#[tokio::test]
async fn fast_batches_store_as_they_come_with_flow_acks_and_end_with_one_pub_ack() {
    let dir = tempfile::tempdir().unwrap();
    let server = js_server_at(dir.path()).await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    create(
        &js,
        stream::Config {
            name: "F".into(),
            subjects: vec!["f.>".into()],
            allow_batch_publish: true,
            ..Default::default()
        },
    )
    .await;
    create(
        &js,
        stream::Config {
            name: "N".into(),
            subjects: vec!["n.>".into()],
            ..Default::default()
        },
    )
    .await;
    let mut replies = client.subscribe("fb.>").await.unwrap();
    client.flush().await.unwrap();

    // Flow 2: the first message announces it, then every second message is confirmed.
    let b1 = ("b1", 2, "fail");
    fast_publish(&client, "f.a", b1, 1, 0).await;
    for seq in 2..=4 {
        fast_publish(&client, "f.a", b1, seq, 1).await;
    }
    fast_publish(&client, "f.a", b1, 5, 2).await;
    let first = next_json(&mut replies).await;
    assert_eq!(
        first,
        serde_json::json!({"type": "ack", "seq": 0, "msgs": 2})
    );
    assert_eq!(next_json(&mut replies).await["seq"], 2);
    assert_eq!(next_json(&mut replies).await["seq"], 4);
    let ack = next_json(&mut replies).await;
    assert_eq!(ack["stream"], "F");
    assert_eq!(
        (ack["seq"].as_u64(), ack["count"].as_u64()),
        (Some(5), Some(5))
    );
    assert_eq!(ack["batch"], "b1");
    assert_eq!(messages(&js, "F").await, 5);

    // In `fail` mode a gap ends the batch with what was stored; the rest is refused.
    let b2 = ("b2", 10, "fail");
    fast_publish(&client, "f.b", b2, 1, 0).await;
    fast_publish(&client, "f.b", b2, 3, 1).await;
    fast_publish(&client, "f.b", b2, 4, 2).await;
    let started = next_json(&mut replies).await;
    assert_eq!(started["type"], "ack", "{started}");
    let gap = next_json(&mut replies).await;
    assert_eq!(
        gap,
        serde_json::json!({"type": "gap", "last_seq": 2, "seq": 3})
    );
    let ended = next_json(&mut replies).await;
    assert_eq!(
        (ended["seq"].as_u64(), ended["count"].as_u64()),
        (Some(6), Some(1))
    );
    let unknown = next_json(&mut replies).await;
    assert_eq!(err_code(&unknown), 10208, "{unknown}");
    assert_eq!(messages(&js, "F").await, 6);

    // A stream without allow_batched refuses, and a malformed reply subject is refused.
    fast_publish(&client, "n.a", ("b3", 10, "fail"), 1, 0).await;
    assert_eq!(err_code(&next_json(&mut replies).await), 10205);
    fast_publish(&client, "f.c", ("b4", 10, "maybe"), 1, 0).await;
    assert_eq!(err_code(&next_json(&mut replies).await), 10206);
    assert_eq!(messages(&js, "N").await, 0);
    assert_eq!(messages(&js, "F").await, 6);
}

#[tokio::test]
async fn a_counter_stream_sourcing_counters_adds_up_their_totals() {
    let dir = tempfile::tempdir().unwrap();
    let server = js_server_at(dir.path()).await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    for (name, subject) in [("EU", "eu.>"), ("US", "us.>")] {
        create(
            &js,
            stream::Config {
                name: name.into(),
                subjects: vec![subject.into()],
                allow_message_counter: true,
                ..Default::default()
            },
        )
        .await;
    }
    let source = |name: &str, from: &str| stream::Source {
        name: name.into(),
        subject_transforms: vec![stream::SubjectTransform {
            source: from.into(),
            destination: "all.>".into(),
        }],
        ..Default::default()
    };
    create(
        &js,
        stream::Config {
            name: "ALL".into(),
            allow_message_counter: true,
            sources: Some(vec![source("EU", "eu.>"), source("US", "us.>")]),
            ..Default::default()
        },
    )
    .await;
    let incr = |v: &'static str| [("Nats-Incr", v)];
    publish_json(&client, "eu.hits", &incr("5"), "").await;
    publish_json(&client, "us.hits", &incr("3"), "").await;
    publish_json(&client, "eu.hits", &incr("-1"), "").await;
    let all = js.get_stream("ALL").await.unwrap();
    let mut total = String::new();
    for _ in 0..100 {
        if let Ok(m) = all.get_last_raw_message_by_subject("all.hits").await {
            total = String::from_utf8_lossy(&m.payload).into_owned();
            if total == r#"{"val":"7"}"# {
                let sources = m.headers.get("Nats-Counter-Sources").unwrap();
                let sources: Value = serde_json::from_str(sources.as_str()).unwrap();
                assert_eq!(sources["EU"]["eu.hits"], "4");
                assert_eq!(sources["US"]["us.hits"], "3");
                return;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("aggregate never reached 7, last {total}");
}

#[tokio::test]
async fn batch_limits_from_the_config_bound_size_inflight_and_idle_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let server = TestServer::start_with(move |o| {
        o.jetstream.enabled = true;
        o.jetstream.store_dir = Some(path);
        o.jetstream.batch_limits = natrium_jetstream::BatchLimits {
            inflight_per_stream: Some(1),
            inflight_total: None,
            max_size: Some(2),
            timeout: Some(std::time::Duration::from_secs(2)),
        };
    })
    .await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    create(
        &js,
        stream::Config {
            name: "A".into(),
            subjects: vec!["a.>".into()],
            allow_atomic_publish: true,
            ..Default::default()
        },
    )
    .await;
    let mut abandoned = client
        .subscribe("$JS.EVENT.ADVISORY.STREAM.BATCH_ABANDONED.A")
        .await
        .unwrap();
    client.flush().await.unwrap();
    let id =
        |id: &'static str, seq: &'static str| [("Nats-Batch-Id", id), ("Nats-Batch-Sequence", seq)];
    publish(&client, "a.1", &id("one", "1"), "x").await;
    // One batch in flight per stream: a second one is refused.
    let second = publish_json(&client, "a.1", &id("two", "1"), "x").await;
    assert_eq!(err_code(&second), 10210, "{second}");
    publish(&client, "a.2", &id("one", "2"), "x").await;
    let third = publish_json(&client, "a.3", &id("one", "3"), "x").await;
    assert_eq!(err_code(&third), 10199, "{third}");
    assert_eq!(
        third["error"]["description"],
        "atomic publish batch is too large: 2"
    );
    let large = next_json(&mut abandoned).await;
    assert_eq!(large["reason"], "large");

    // A batch left idle past the timeout is abandoned; its commit then finds nothing.
    publish(&client, "a.1", &id("idle", "1"), "x").await;
    let timeout = next_json(&mut abandoned).await;
    assert_eq!(
        (timeout["batch"].as_str(), timeout["reason"].as_str()),
        (Some("idle"), Some("timeout"))
    );
    let mut commit = id("idle", "2").to_vec();
    commit.push(("Nats-Batch-Commit", "1"));
    let late = publish_json(&client, "a.2", &commit, "x").await;
    assert_eq!(err_code(&late), INCOMPLETE, "{late}");
    assert_eq!(messages(&js, "A").await, 0);
}

#[tokio::test]
async fn staged_batches_count_against_the_storage_limit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let server = TestServer::start_with(move |o| {
        o.jetstream.enabled = true;
        o.jetstream.store_dir = Some(path);
        o.jetstream.max_file = Some(4096);
    })
    .await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    create(
        &js,
        stream::Config {
            name: "A".into(),
            subjects: vec!["a.>".into()],
            allow_atomic_publish: true,
            ..Default::default()
        },
    )
    .await;
    let payload = "x".repeat(1000);
    let mut refused = None;
    for seq in 1..=10u32 {
        let seq = seq.to_string();
        let reply = publish(
            &client,
            "a.1",
            &[("Nats-Batch-Id", "big"), ("Nats-Batch-Sequence", &seq)],
            &payload,
        )
        .await;
        if !reply.is_empty() {
            refused = Some((seq, serde_json::from_slice::<Value>(&reply).unwrap()));
            break;
        }
    }
    let (seq, reply) = refused.expect("staging past max_file_store is refused");
    // Three staged messages and their headers leave no room for a fourth in 4096 bytes.
    assert_eq!(seq, "4", "{reply}");
    assert_eq!(err_code(&reply), 10047, "{reply}");
    assert_eq!(messages(&js, "A").await, 0);
}

#[tokio::test]
async fn sources_copy_batched_messages_without_their_batch_headers() {
    let dir = tempfile::tempdir().unwrap();
    let server = js_server_at(dir.path()).await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    create(
        &js,
        stream::Config {
            name: "A".into(),
            subjects: vec!["a.>".into()],
            allow_atomic_publish: true,
            ..Default::default()
        },
    )
    .await;
    create(
        &js,
        stream::Config {
            name: "COPY".into(),
            sources: Some(vec![stream::Source {
                name: "A".into(),
                ..Default::default()
            }]),
            ..Default::default()
        },
    )
    .await;
    let headers = [
        ("Nats-Batch-Id", "b"),
        ("Nats-Batch-Sequence", "1"),
        ("Nats-Batch-Commit", "1"),
        ("Keep", "me"),
    ];
    let ack = publish_json(&client, "a.1", &headers, "x").await;
    assert_eq!(ack["count"], 1, "{ack}");
    let original = js.get_stream("A").await.unwrap();
    let stored = original
        .get_last_raw_message_by_subject("a.1")
        .await
        .unwrap();
    assert!(stored.headers.get("Nats-Batch-Id").is_some());
    let copy = js.get_stream("COPY").await.unwrap();
    for _ in 0..100 {
        if let Ok(m) = copy.get_last_raw_message_by_subject("a.1").await {
            assert!(m.headers.get("Nats-Batch-Id").is_none());
            assert!(m.headers.get("Nats-Batch-Commit").is_none());
            assert_eq!(m.headers.get("Keep").unwrap().as_str(), "me");
            assert!(m.headers.get("Nats-Stream-Source").is_some());
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the source never copied the message");
}
