//! Subject mappings (`mappings {}`) and stream subject transforms, end to end: a config
//! file, a real server, async-nats clients over TCP.
//!
//! Each delivery check publishes the messages under test and then a marker to `end`, on
//! one connection, and reads a `>` subscription up to the marker: what arrived before it
//! is everything the mappings delivered, so "nothing else arrived" needs no timeout.

use std::process::Command;
use std::time::Duration;

use async_nats::jetstream::{self, stream};
use futures::StreamExt;
use natrium_server::options::Options;
use natrium_testkit::TestServer;

/// The options a config file holding `text` gives.
fn options_from(text: &str) -> Options {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("mapping.conf");
    std::fs::write(&conf, text).unwrap();
    natrium_server::config::load(&conf).unwrap()
}

/// A server with the mappings and authorization of a config file holding `text`.
async fn server_with(text: &str) -> TestServer {
    let loaded = options_from(text);
    TestServer::start_with(move |o| {
        o.mappings = loaded.mappings;
        o.auth = loaded.auth;
    })
    .await
}

/// Publishes `payload` to each subject, then the end marker, and returns the subjects
/// (with payloads) `watcher` saw before the marker.
async fn delivered(
    publisher: &async_nats::Client,
    watcher: &mut async_nats::Subscriber,
    subjects: &[&str],
) -> Vec<(String, String)> {
    for s in subjects {
        publisher
            .publish(s.to_string(), s.to_string().into())
            .await
            .unwrap();
    }
    publisher.publish("end", "".into()).await.unwrap();
    publisher.flush().await.unwrap();
    let mut seen = Vec::new();
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), watcher.next())
            .await
            .expect("marker arrives")
            .expect("subscription open");
        if msg.subject.as_str() == "end" {
            return seen;
        }
        seen.push((
            msg.subject.to_string(),
            String::from_utf8_lossy(&msg.payload).into_owned(),
        ));
    }
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(s, p)| (s.to_string(), p.to_string()))
        .collect()
}

const MAPPINGS: &str = r#"
mappings {
  "foo": "bar"
  "orders.*.*": "orders.{{wildcard(2)}}.{{wildcard(1)}}"
  "part.*.*": "part.{{partition(4,1,2)}}.{{wildcard(1)}}.{{wildcard(2)}}"
  "hash.*": "hash.{{partition(3)}}.{{wildcard(1)}}"
  "split.*": "split.{{split(1,-)}}"
  "legacy.*.>": "old.$1.>"
}
"#;

#[tokio::test]
async fn literal_and_wildcard_remaps() {
    let server = server_with(MAPPINGS).await;
    let client = server.client().await;
    let mut all = client.subscribe(">").await.unwrap();
    let seen = delivered(
        &client,
        &mut all,
        &[
            "foo",
            "orders.a.b",
            "legacy.x.y.z",
            "foo.bar",
            "orders.a",
            "other",
        ],
    )
    .await;
    assert_eq!(
        seen,
        pairs(&[
            ("bar", "foo"),
            ("orders.b.a", "orders.a.b"),
            ("old.x.y.z", "legacy.x.y.z"),
            // Subjects no mapping matches keep their subject.
            ("foo.bar", "foo.bar"),
            ("orders.a", "orders.a"),
            ("other", "other"),
        ])
    );
}

/// The partitions a 2.15.1 nats-server chose for the same mappings and subjects.
#[tokio::test]
async fn partitions_match_the_reference_server() {
    let server = server_with(MAPPINGS).await;
    let client = server.client().await;
    let mut all = client.subscribe(">").await.unwrap();
    let subjects = [
        "part.acme.order1",
        "part.acme.order2",
        "part.globex.order1",
        "part.initech.x",
        "hash.alpha",
        "hash.beta",
        "hash.gamma",
        "hash.delta",
    ];
    let expected = [
        "part.0.acme.order1",
        "part.1.acme.order2",
        "part.1.globex.order1",
        "part.3.initech.x",
        "hash.2.alpha",
        "hash.2.beta",
        "hash.0.gamma",
        "hash.0.delta",
    ];
    for _ in 0..2 {
        let seen = delivered(&client, &mut all, &subjects).await;
        let got: Vec<&str> = seen.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(got, expected);
    }
}

#[tokio::test]
async fn split_function() {
    let server = server_with(MAPPINGS).await;
    let client = server.client().await;
    let mut all = client.subscribe(">").await.unwrap();
    let seen = delivered(&client, &mut all, &["split.a-b--c-", "split.abc"]).await;
    assert_eq!(
        seen,
        pairs(&[("split.a.b.c", "split.a-b--c-"), ("split.abc", "split.abc")])
    );
}

#[tokio::test]
async fn weighted_destinations() {
    let server = server_with(
        r#"
mappings {
  all: [ {destination: "all.a", weight: 100%}, {destination: "all.b", weight: 0%} ]
  never: [ {destination: "never.a", weight: 0%} ]
  drop: [ {destination: "drop", weight: 0%}, {destination: "drop.b", weight: 0%} ]
  load: [ {destination: "load.a", weight: 40%}, {destination: "load.b", weight: 60%} ]
  part: [ {destination: "part.a", weight: "30"} ]
}
"#,
    )
    .await;
    let client = server.client().await;
    let mut all = client.subscribe(">").await.unwrap();
    let seen = delivered(&client, &mut all, &["all", "all", "never", "drop", "drop"]).await;
    // 0% for the only destination leaves everything to the source; a listed source
    // with 0% drops.
    assert_eq!(
        seen,
        pairs(&[("all.a", "all"), ("all.a", "all"), ("never", "never")])
    );

    let load = vec!["load"; 1000];
    let seen = delivered(&client, &mut all, &load).await;
    let a = seen.iter().filter(|(s, _)| s == "load.a").count();
    let b = seen.iter().filter(|(s, _)| s == "load.b").count();
    assert_eq!(a + b, 1000, "every message goes to one destination");
    // 400 expected; the bounds are more than 8 standard deviations wide.
    assert!((270..530).contains(&a), "load.a got {a} of 1000");

    let part = vec!["part"; 1000];
    let seen = delivered(&client, &mut all, &part).await;
    let mapped = seen.iter().filter(|(s, _)| s == "part.a").count();
    let kept = seen.iter().filter(|(s, _)| s == "part").count();
    assert_eq!(mapped + kept, 1000);
    assert!((170..430).contains(&mapped), "part.a got {mapped} of 1000");
}

#[test]
fn invalid_mapping_refuses_to_start_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("bad.conf");
    std::fs::write(
        &conf,
        "port: -1\nmappings {\n  \"orders.*\": \"x.{{wildcard(2)}}\"\n}\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_natrium-server"))
        .args(["-c", conf.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success(), "the start must fail");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.conf:3:"), "{err}");
    assert!(
        err.contains(r#"Error adding mapping for "orders.*" to "x.{{wildcard(2)}}" : invalid mapping destination: wildcard index out of range"#),
        "{err}"
    );
}

/// nats-server maps before it checks publish permissions, so the permissions that count
/// are those on the mapped subject (checked against a 2.15.1 server).
#[tokio::test]
async fn publish_permissions_apply_to_the_mapped_subject() {
    let server = server_with(
        r#"
mappings { "perm.*": "mapped.{{wildcard(1)}}" }
authorization {
  users: [
    { user: source, password: s, permissions: { publish: "perm.>", subscribe: ">" } }
    { user: target, password: t, permissions: { publish: ["mapped.>", "end"], subscribe: ">" } }
    { user: watch, password: w }
  ]
}
"#,
    )
    .await;
    let watch = async_nats::ConnectOptions::with_user_and_password("watch".into(), "w".into())
        .connect(server.url())
        .await
        .unwrap();
    let mut all = watch.subscribe(">").await.unwrap();
    watch.flush().await.unwrap();

    let target = async_nats::ConnectOptions::with_user_and_password("target".into(), "t".into())
        .connect(server.url())
        .await
        .unwrap();
    let seen = delivered(&target, &mut all, &["perm.z"]).await;
    assert_eq!(seen, pairs(&[("mapped.z", "perm.z")]));

    let mut raw = server.raw().await;
    raw.send(
        "CONNECT {\"verbose\":false,\"user\":\"source\",\"pass\":\"s\"}\r\nPUB perm.z 1\r\nx\r\n",
    )
    .await;
    raw.expect("-ERR 'Permissions Violation for Publish to \"mapped.z\"'")
        .await;
    raw.ping_pong().await;
    // The refused message went nowhere.
    let seen = delivered(&watch, &mut all, &[]).await;
    assert_eq!(seen, pairs(&[]));
}

async fn js_server() -> (TestServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let loaded = options_from(r#"mappings { "ingest.*": "events.{{wildcard(1)}}" }"#);
    let server = TestServer::start_with(move |o| {
        o.jetstream.enabled = true;
        o.jetstream.store_dir = Some(path);
        o.mappings = loaded.mappings;
    })
    .await;
    (server, dir)
}

#[tokio::test]
async fn stream_subject_transform_stores_the_transformed_subject() {
    let (server, _dir) = js_server().await;
    let js = jetstream::new(server.client().await);
    let stream = js
        .create_stream(stream::Config {
            name: "T".into(),
            subjects: vec!["in.>".into()],
            subject_transform: Some(stream::SubjectTransform {
                source: "in.*".into(),
                destination: "stored.{{wildcard(1)}}".into(),
            }),
            ..Default::default()
        })
        .await
        .unwrap();
    for subject in ["in.x", "in.a.b"] {
        js.publish(subject, "data".into())
            .await
            .unwrap()
            .await
            .unwrap();
    }
    let first = stream.get_raw_message(1).await.unwrap();
    assert_eq!(first.subject.as_str(), "stored.x");
    // A subject the transform's source does not match is stored as published.
    let second = stream.get_raw_message(2).await.unwrap();
    assert_eq!(second.subject.as_str(), "in.a.b");
}

#[tokio::test]
async fn invalid_stream_subject_transform_is_refused() {
    let (server, _dir) = js_server().await;
    let js = jetstream::new(server.client().await);
    let err = js
        .create_stream(stream::Config {
            name: "BAD".into(),
            subjects: vec!["in.>".into()],
            subject_transform: Some(stream::SubjectTransform {
                source: "in.*".into(),
                destination: "out.{{wildcard(2)}}".into(),
            }),
            ..Default::default()
        })
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("10156"), "{text}");
    assert!(text.contains("wildcard index out of range"), "{text}");
}

/// A mapped publish reaches JetStream under the mapped subject, acknowledged.
#[tokio::test]
async fn mapping_applies_before_jetstream() {
    let (server, _dir) = js_server().await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    let mut stream = js
        .create_stream(stream::Config {
            name: "EVENTS".into(),
            subjects: vec!["events.>".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    let ack = js
        .publish("ingest.one", "x".into())
        .await
        .unwrap()
        .await
        .unwrap();
    assert_eq!(ack.stream, "EVENTS");
    let msg = stream.get_raw_message(ack.sequence).await.unwrap();
    assert_eq!(msg.subject.as_str(), "events.one");
    // Unmapped subjects outside the stream's subjects are not stored.
    let reply = client.request("ingest2.one", "x".into()).await;
    assert!(reply.is_err(), "nobody answers an unmapped subject");
    assert_eq!(stream.info().await.unwrap().state.messages, 1);
}

/// A mapped message crosses a route under its mapped subject, and the peer does not map
/// it again (nats-server maps client publishes only, once).
#[tokio::test]
async fn mapped_messages_cross_routes_once() {
    let chain = options_from(r#"mappings { "foo": "bar", "bar": "baz" }"#).mappings;
    let seed_mappings = chain.clone();
    let seed = TestServer::start_with(move |o| {
        crate::cluster::node(o, &[]);
        o.mappings = seed_mappings;
    })
    .await;
    let url = seed.server().route_url().expect("route listener");
    let peer = TestServer::start_with(move |o| {
        crate::cluster::node(o, &[url]);
        o.mappings = chain;
    })
    .await;
    crate::cluster::eventually("route up", || {
        seed.server().route_peers().len() == 1 && peer.server().route_peers().len() == 1
    })
    .await;
    let publisher = seed.client().await;
    let local_watcher = seed.client().await;
    let mut local = local_watcher.subscribe(">").await.unwrap();
    local_watcher.flush().await.unwrap();
    let remote_watcher = peer.client().await;
    let mut remote = remote_watcher.subscribe(">").await.unwrap();
    remote_watcher.flush().await.unwrap();
    crate::cluster::interest_synced(&publisher, &remote_watcher).await;

    let seen = delivered(&publisher, &mut remote, &["foo"]).await;
    // The probe messages of the interest check may precede ours.
    let seen: Vec<_> = seen
        .into_iter()
        .filter(|(s, _)| !s.starts_with("probe."))
        .collect();
    assert_eq!(seen, pairs(&[("bar", "foo")]));
    let seen = delivered(&publisher, &mut local, &[]).await;
    let seen: Vec<_> = seen
        .into_iter()
        .filter(|(s, _)| !s.starts_with("probe."))
        .collect();
    assert_eq!(seen, pairs(&[("bar", "foo")]));
}

#[tokio::test]
async fn mappings_inside_an_account_apply_to_that_account_only() {
    let loaded = options_from(
        r#"
accounts {
  A: { users: [ { user: a, password: a } ], mappings: { "in": "out.a" } }
  B: { users: [ { user: b, password: b } ] }
}
"#,
    );
    let server = TestServer::start_with(move |o| {
        o.auth = loaded.auth;
        o.accounts = loaded.accounts;
    })
    .await;
    let login = |user: &'static str| {
        let url = server.url();
        async move {
            async_nats::ConnectOptions::with_user_and_password(user.into(), user.into())
                .connect(url)
                .await
                .unwrap()
        }
    };
    let a = login("a").await;
    let mut a_all = a.subscribe(">").await.unwrap();
    let seen = delivered(&a, &mut a_all, &["in"]).await;
    assert_eq!(seen, pairs(&[("out.a", "in")]));
    let b = login("b").await;
    let mut b_all = b.subscribe(">").await.unwrap();
    let seen = delivered(&b, &mut b_all, &["in"]).await;
    assert_eq!(seen, pairs(&[("in", "in")]));
}
