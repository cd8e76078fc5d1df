//! Message tracing (`Nats-Trace-Dest`, `Nats-Trace-Only`): the report each server
//! publishes for a traced message, over real connections.

use async_nats::jetstream::{self, stream};
use async_nats::HeaderMap;
use natrium_api::trace::{kind, TraceEntry, TraceReport};
use natrium_testkit::TestServer;

use crate::cluster::{cluster, interest_synced, next, nothing_more};

/// A report as published: the server that sent it, then the report.
#[derive(serde::Deserialize)]
struct Published {
    server: serde_json::Value,
    #[serde(flatten)]
    report: TraceReport,
}

fn headers(dest: &str, trace_only: bool) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("Nats-Trace-Dest", dest);
    if trace_only {
        h.insert("Nats-Trace-Only", "true");
    }
    h
}

async fn report(sub: &mut async_nats::Subscriber) -> Published {
    let msg = next(sub).await;
    serde_json::from_slice(&msg.payload).expect("a trace report")
}

fn egresses(report: &TraceReport) -> Vec<&TraceEntry> {
    report
        .events
        .iter()
        .filter(|e| matches!(e, TraceEntry::Egress { .. }))
        .collect()
}

#[tokio::test]
async fn trace_only_reports_every_subscriber_and_delivers_to_none() {
    let server = TestServer::start().await;
    let subscriber = async_nats::ConnectOptions::new()
        .name("worker")
        .connect(server.url())
        .await
        .unwrap();
    let mut plain = subscriber.subscribe("orders.new").await.unwrap();
    let mut queued = subscriber
        .queue_subscribe("orders.*", "workers".into())
        .await
        .unwrap();
    subscriber.flush().await.unwrap();

    let tracer = server.client().await;
    let mut reports = tracer.subscribe("trace.dest").await.unwrap();
    tracer.flush().await.unwrap();
    tracer
        .publish_with_headers("orders.new", headers("trace.dest", true), "x".into())
        .await
        .unwrap();
    tracer.flush().await.unwrap();

    let got = report(&mut reports).await;
    assert!(got.server["id"]
        .as_str()
        .is_some_and(|id| id.starts_with('N')));
    let r = got.report;
    assert_eq!(r.request.header["Nats-Trace-Only"], vec!["true"]);
    assert!(r.request.msg_size > 1);
    let TraceEntry::Ingress {
        kind: k, acc, subj, ..
    } = &r.events[0]
    else {
        panic!("ingress first: {:?}", r.events);
    };
    assert_eq!(
        (*k, acc.as_str(), subj.as_str()),
        (kind::CLIENT, "$G", "orders.new")
    );
    let mut seen: Vec<(String, String, String)> = egresses(&r)
        .into_iter()
        .map(|e| match e {
            TraceEntry::Egress {
                name,
                sub,
                queue,
                error,
                ..
            } => {
                assert!(error.is_empty(), "{error}");
                (name.clone(), sub.clone(), queue.clone())
            }
            _ => unreachable!(),
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        vec![
            ("worker".into(), "orders.*".into(), "workers".into()),
            ("worker".into(), "orders.new".into(), String::new()),
        ]
    );
    nothing_more(&mut plain).await;
    nothing_more(&mut queued).await;

    // Without trace-only the message is delivered, and still reported.
    tracer
        .publish_with_headers("orders.new", headers("trace.dest", false), "y".into())
        .await
        .unwrap();
    tracer.flush().await.unwrap();
    assert_eq!(next(&mut plain).await.payload.as_ref(), b"y");
    assert_eq!(egresses(&report(&mut reports).await.report).len(), 2);
}

#[tokio::test]
async fn refusals_are_reported_and_bad_destinations_drop_trace_only_messages() {
    let server = TestServer::start().await;
    let tracer = async_nats::ConnectOptions::new()
        .no_echo()
        .connect(server.url())
        .await
        .unwrap();
    let mut own = tracer.subscribe("echo.me").await.unwrap();
    let mut reports = tracer.subscribe("trace.dest").await.unwrap();
    let other = server.client().await;
    let mut watcher = other.subscribe("echo.me").await.unwrap();
    other.flush().await.unwrap();
    tracer.flush().await.unwrap();

    tracer
        .publish_with_headers("echo.me", headers("trace.dest", true), "x".into())
        .await
        .unwrap();
    let r = report(&mut reports).await.report;
    let errors: Vec<&str> = egresses(&r)
        .into_iter()
        .filter_map(|e| match e {
            TraceEntry::Egress { error, .. } => Some(error.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(errors.len(), 2);
    assert!(
        errors.contains(&"Not delivered because of no echo"),
        "{errors:?}"
    );
    assert!(errors.contains(&""), "{errors:?}");

    // A wildcard destination is no place for a report: a trace-only message goes
    // nowhere, a delivered one goes untraced.
    tracer
        .publish_with_headers("echo.me", headers("trace.*", true), "dropped".into())
        .await
        .unwrap();
    tracer
        .publish_with_headers("echo.me", headers("trace.*", false), "kept".into())
        .await
        .unwrap();
    tracer.flush().await.unwrap();
    assert_eq!(next(&mut watcher).await.payload.as_ref(), b"kept");
    nothing_more(&mut watcher).await;
    nothing_more(&mut own).await;
    nothing_more(&mut reports).await;
}

#[tokio::test]
async fn jetstream_reports_the_stream_and_stores_only_delivered_messages() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let server = TestServer::start_with(move |o| {
        o.jetstream.enabled = true;
        o.jetstream.store_dir = Some(path);
    })
    .await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    let mut orders = js
        .create_stream(stream::Config {
            name: "ORDERS".into(),
            subjects: vec!["orders.>".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    let mut reports = client.subscribe("trace.js").await.unwrap();
    client.flush().await.unwrap();

    // Trace-only: the stream says where it would store it, stores nothing, acks nothing.
    let reply = client.new_inbox();
    let mut acks = client.subscribe(reply.clone()).await.unwrap();
    client
        .publish_with_reply_and_headers("orders.1", reply, headers("trace.js", true), "a".into())
        .await
        .unwrap();
    let r = report(&mut reports).await.report;
    let js_event = r.events.iter().find_map(|e| match e {
        TraceEntry::JetStream {
            stream,
            subject,
            no_interest,
            error,
            ..
        } => Some((stream.clone(), subject.clone(), *no_interest, error.clone())),
        _ => None,
    });
    assert_eq!(
        js_event,
        Some(("ORDERS".into(), "orders.1".into(), false, String::new()))
    );
    nothing_more(&mut acks).await;
    assert_eq!(orders.info().await.unwrap().state.messages, 0);

    // Delivered: stored, with tracing switched off in the stored copy.
    let ack = js
        .publish_with_headers("orders.2", headers("trace.js", false), "b".into())
        .await
        .unwrap()
        .await
        .unwrap();
    assert_eq!(ack.sequence, 1);
    assert!(matches!(
        report(&mut reports).await.report.events.last(),
        Some(TraceEntry::JetStream { subject, .. }) if subject == "orders.2"
    ));
    let stored = orders.get_raw_message(1).await.unwrap();
    assert_eq!(
        stored.headers.get("Nats-Trace-Dest").map(|v| v.as_str()),
        Some("trace disabled")
    );

    // A refused publish names the reason and no subject.
    let mut refused = headers("trace.js", true);
    refused.insert("Nats-Expected-Last-Sequence", "7");
    client
        .publish_with_headers("orders.3", refused, "c".into())
        .await
        .unwrap();
    let r = report(&mut reports).await.report;
    assert!(
        matches!(
            r.events.last(),
            Some(TraceEntry::JetStream { subject, error, .. })
                if subject.is_empty() && error == "wrong last sequence: 1 (10071)"
        ),
        "{:?}",
        r.events
    );
}

#[tokio::test]
async fn mappings_and_stream_imports_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("trace.conf");
    std::fs::write(
        &conf,
        r#"
        accounts {
          A: {
            users: [{user: a, password: a}]
            mappings: { "in.*": "mapped.$1" }
            exports: [{stream: "mapped.>"}]
          }
          B: {
            users: [{user: b, password: b}]
            imports: [{stream: {account: A, subject: "mapped.>"}, prefix: "from_a", allow_trace: true}]
          }
          C: {
            users: [{user: c, password: c}]
            imports: [{stream: {account: A, subject: "mapped.>"}, prefix: "untraced"}]
          }
        }
        "#,
    )
    .unwrap();
    let loaded = natrium_server::config::load(&conf).unwrap();
    let server = TestServer::start_with(move |o| {
        o.accounts = loaded.accounts;
        o.auth = loaded.auth;
    })
    .await;
    let connect = |user: &'static str| {
        let url = server.url();
        async move {
            async_nats::ConnectOptions::with_user_and_password(user.into(), user.into())
                .name(user)
                .connect(url)
                .await
                .unwrap()
        }
    };
    let (a, b, c) = (connect("a").await, connect("b").await, connect("c").await);
    let mut in_b = b.subscribe("from_a.mapped.*").await.unwrap();
    let mut in_c = c.subscribe("untraced.mapped.*").await.unwrap();
    b.flush().await.unwrap();
    c.flush().await.unwrap();
    let mut reports = a.subscribe("trace.a").await.unwrap();
    a.flush().await.unwrap();

    a.publish_with_headers("in.x", headers("trace.a", true), "x".into())
        .await
        .unwrap();
    let r = report(&mut reports).await.report;
    assert!(r
        .events
        .iter()
        .any(|e| matches!(e, TraceEntry::SubjectMapping { to, .. } if to == "mapped.x")));
    let exports: Vec<(String, String)> = r
        .events
        .iter()
        .filter_map(|e| match e {
            TraceEntry::StreamExport { acc, to, .. } => Some((acc.clone(), to.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(exports.len(), 2, "{exports:?}");
    assert!(exports.contains(&("B".into(), "from_a.mapped.x".into())));
    // Only B allows tracing: its subscriber is reported (with its account), C's is not.
    let out = egresses(&r);
    assert_eq!(out.len(), 1, "{out:?}");
    assert!(
        matches!(out[0], TraceEntry::Egress { acc, sub, .. } if acc == "B" && sub == "from_a.mapped.*")
    );
    nothing_more(&mut in_b).await;
    nothing_more(&mut in_c).await;

    // Delivered: both importers get it; C's copy has tracing switched off.
    a.publish_with_headers("in.y", headers("trace.a", false), "y".into())
        .await
        .unwrap();
    assert_eq!(next(&mut in_b).await.payload.as_ref(), b"y");
    let untraced = next(&mut in_c).await;
    assert_eq!(
        untraced
            .headers
            .as_ref()
            .and_then(|h| h.get("Nats-Trace-Dest"))
            .map(|v| v.as_str()),
        Some("trace disabled")
    );
    report(&mut reports).await;
}

#[tokio::test]
async fn each_server_on_the_way_reports_its_hop() {
    let servers = cluster(2).await;
    let origin = servers[0].client().await;
    let remote = async_nats::ConnectOptions::new()
        .name("far")
        .connect(servers[1].url())
        .await
        .unwrap();
    let mut far = remote.subscribe("across").await.unwrap();
    remote.flush().await.unwrap();
    let mut reports = origin.subscribe("trace.hops").await.unwrap();
    origin.flush().await.unwrap();
    interest_synced(&origin, &remote).await;

    origin
        .publish_with_headers("across", headers("trace.hops", true), "x".into())
        .await
        .unwrap();
    let mut by_hops: Vec<TraceReport> = vec![
        report(&mut reports).await.report,
        report(&mut reports).await.report,
    ];
    by_hops.sort_by_key(|r| std::cmp::Reverse(r.hops));
    let (first, second) = (&by_hops[0], &by_hops[1]);
    assert_eq!(first.hops, 1);
    assert!(matches!(&first.events[0], TraceEntry::Ingress { kind: k, .. } if *k == kind::CLIENT));
    assert!(
        matches!(egresses(first)[..], [TraceEntry::Egress { kind: k, hop, .. }] if *k == kind::ROUTER && hop == "1"),
        "{:?}",
        first.events
    );
    assert_eq!(second.request.header["Nats-Trace-Hop"], vec!["1"]);
    assert!(matches!(&second.events[0], TraceEntry::Ingress { kind: k, .. } if *k == kind::ROUTER));
    assert!(
        matches!(egresses(second)[..], [TraceEntry::Egress { kind: k, name, .. }] if *k == kind::CLIENT && name == "far"),
        "{:?}",
        second.events
    );
    nothing_more(&mut far).await;
}
