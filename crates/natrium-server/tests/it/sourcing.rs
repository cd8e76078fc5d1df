//! Mirrors, sources and republish through async-nats.

use std::time::Duration;

use async_nats::jetstream::{self, stream};
use futures::StreamExt;
use natrium_testkit::TestServer;

async fn server_at(dir: &std::path::Path) -> TestServer {
    let path = dir.to_path_buf();
    TestServer::start_with(move |o| {
        o.jetstream.enabled = true;
        o.jetstream.store_dir = Some(path);
    })
    .await
}

async fn origin(js: &jetstream::Context, name: &str, subject: &str, n: usize) -> stream::Stream {
    let s = js
        .create_stream(stream::Config {
            name: name.into(),
            subjects: vec![subject.replace('*', ">")],
            ..Default::default()
        })
        .await
        .unwrap();
    for i in 0..n {
        let subj = subject.replace('*', &i.to_string());
        js.publish(subj, format!("m{i}").into())
            .await
            .unwrap()
            .await
            .unwrap();
    }
    s
}

/// Waits until `stream` holds `n` messages.
async fn holds(stream: &mut stream::Stream, n: u64) -> stream::Info {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let info = stream.info().await.unwrap().clone();
        if info.state.messages == n {
            return info;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{} holds {} messages, not {n}",
            info.config.name,
            info.state.messages
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_mirror_keeps_the_origin_sequences_and_resumes_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_at(dir.path()).await;
    let js = jetstream::new(server.client().await);
    let mut orders = origin(&js, "ORDERS", "orders.*", 5).await;
    orders.delete_message(3).await.unwrap();
    let mut mirror = js
        .create_stream(stream::Config {
            name: "BACKUP".into(),
            mirror: Some(stream::Source {
                name: "ORDERS".into(),
                ..Default::default()
            }),
            ..Default::default()
        })
        .await
        .unwrap();
    let info = holds(&mut mirror, 4).await;
    assert_eq!(info.state.last_sequence, 5);
    assert_eq!(info.mirror.as_ref().unwrap().name, "ORDERS");
    let m = mirror.get_raw_message(4).await.unwrap();
    assert_eq!(
        (m.subject.as_str(), m.payload.as_ref()),
        ("orders.3", b"m3".as_ref())
    );
    let o = orders.get_raw_message(4).await.unwrap();
    assert_eq!(m.time, o.time);
    assert!(mirror.get_raw_message(3).await.is_err());
    // The origin's link consumer is not one of its visible consumers.
    assert_eq!(orders.info().await.unwrap().state.consumer_count, 0);

    server.shutdown().await;
    let server = server_at(dir.path()).await;
    let js = jetstream::new(server.client().await);
    for i in 5..7 {
        js.publish(format!("orders.{i}"), "later".into())
            .await
            .unwrap()
            .await
            .unwrap();
    }
    let mut mirror = js.get_stream("BACKUP").await.unwrap();
    let info = holds(&mut mirror, 6).await;
    assert_eq!(info.state.last_sequence, 7);
}

#[tokio::test]
async fn sources_aggregate_with_transforms_and_are_not_copied_twice_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_at(dir.path()).await;
    let js = jetstream::new(server.client().await);
    origin(&js, "EU", "eu.*", 2).await;
    origin(&js, "US", "us.*", 3).await;
    let mut all = js
        .create_stream(stream::Config {
            name: "ALL".into(),
            subjects: vec!["all.local".into()],
            sources: Some(vec![
                stream::Source {
                    name: "EU".into(),
                    subject_transforms: vec![stream::SubjectTransform {
                        source: "eu.*".into(),
                        destination: "all.eu.{{wildcard(1)}}".into(),
                    }],
                    ..Default::default()
                },
                stream::Source {
                    name: "US".into(),
                    filter_subject: Some("us.2".into()),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        })
        .await
        .unwrap();
    let info = holds(&mut all, 3).await;
    assert_eq!(info.sources.len(), 2);
    let mut seen = Vec::new();
    for seq in 1..=3 {
        let m = all.get_raw_message(seq).await.unwrap();
        let source = m.headers.get("Nats-Stream-Source").unwrap().to_string();
        seen.push((m.subject.to_string(), source));
    }
    seen.sort();
    assert_eq!(seen[0].0, "all.eu.0");
    assert!(seen[0].1.starts_with("EU 1 "), "{seen:?}");
    assert_eq!(seen[1].0, "all.eu.1");
    assert_eq!(seen[2].0, "us.2");
    assert!(seen[2].1.starts_with("US 3 us.2 "), "{seen:?}");

    server.shutdown().await;
    let server = server_at(dir.path()).await;
    let js = jetstream::new(server.client().await);
    js.publish("eu.9", "new".into())
        .await
        .unwrap()
        .await
        .unwrap();
    let mut all = js.get_stream("ALL").await.unwrap();
    holds(&mut all, 4).await;
    // Nothing more arrives: the restart resumed after what was copied.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(all.info().await.unwrap().state.messages, 4);
}

#[tokio::test]
async fn a_mirror_waits_for_an_origin_created_later() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_at(dir.path()).await;
    let js = jetstream::new(server.client().await);
    let mut mirror = js
        .create_stream(stream::Config {
            name: "EARLY".into(),
            mirror: Some(stream::Source {
                name: "LATE".into(),
                ..Default::default()
            }),
            ..Default::default()
        })
        .await
        .unwrap();
    origin(&js, "LATE", "late.*", 2).await;
    holds(&mut mirror, 2).await;
}

#[tokio::test]
async fn republish_sends_a_copy_with_stream_headers() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_at(dir.path()).await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    js.create_stream(stream::Config {
        name: "R".into(),
        subjects: vec!["r.>".into()],
        republish: Some(stream::Republish {
            source: "r.>".into(),
            destination: "copy.>".into(),
            headers_only: false,
        }),
        ..Default::default()
    })
    .await
    .unwrap();
    let mut copies = client.subscribe("copy.>").await.unwrap();
    client.flush().await.unwrap();
    for body in ["one", "two"] {
        js.publish("r.a", body.into()).await.unwrap().await.unwrap();
    }
    let first = copies.next().await.unwrap();
    let second = copies.next().await.unwrap();
    assert_eq!(
        (first.subject.as_str(), first.payload.as_ref()),
        ("copy.a", b"one".as_ref())
    );
    let h = second.headers.unwrap();
    assert_eq!(h.get("Nats-Stream").unwrap().as_str(), "R");
    assert_eq!(h.get("Nats-Subject").unwrap().as_str(), "r.a");
    assert_eq!(h.get("Nats-Sequence").unwrap().as_str(), "2");
    assert_eq!(h.get("Nats-Last-Sequence").unwrap().as_str(), "1");

    let err = js
        .create_stream(stream::Config {
            name: "LOOP".into(),
            subjects: vec!["loop.>".into()],
            republish: Some(stream::Republish {
                source: ">".into(),
                destination: "loop.again.>".into(),
                headers_only: true,
            }),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("forms a cycle"), "{err}");
}

#[tokio::test]
async fn removing_the_mirror_promotes_it_and_changing_it_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_at(dir.path()).await;
    let js = jetstream::new(server.client().await);
    origin(&js, "MAIN", "main.*", 3).await;
    origin(&js, "OTHER", "other.*", 1).await;
    let mirror_of = |name: &str| stream::Config {
        name: "STANDBY".into(),
        mirror: Some(stream::Source {
            name: name.into(),
            ..Default::default()
        }),
        ..Default::default()
    };
    let mut standby = js.create_stream(mirror_of("MAIN")).await.unwrap();
    holds(&mut standby, 3).await;

    let err = js.update_stream(mirror_of("OTHER")).await.unwrap_err();
    assert!(err.to_string().contains("10055"), "{err}");

    // Promotion: no mirror, subjects of its own; it keeps what it copied and takes
    // publishes, and the old origin's new messages no longer arrive.
    js.update_stream(stream::Config {
        name: "STANDBY".into(),
        subjects: vec!["standby.>".into()],
        ..Default::default()
    })
    .await
    .unwrap();
    let ack = js
        .publish("standby.x", "own".into())
        .await
        .unwrap()
        .await
        .unwrap();
    assert_eq!((ack.stream.as_str(), ack.sequence), ("STANDBY", 4));
    js.publish("main.9", "late".into())
        .await
        .unwrap()
        .await
        .unwrap();
    // A link still in place would deliver within milliseconds.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut standby = js.get_stream("STANDBY").await.unwrap();
    let info = standby.info().await.unwrap().clone();
    assert!(info.mirror.is_none());
    assert_eq!(info.state.messages, 4);
}
