//! `pub`, `sub`, `req` and `reply` against async-nats peers.

use std::time::Duration;

use async_nats::jetstream;
use bytes::Bytes;
use futures::StreamExt;

use crate::common::{fail_stderr, ok_stdout, Env};

#[test]
fn pub_sends_templated_bodies_and_headers() {
    let env = Env::start();
    let client = env.client();
    let mut sub = env.block_on(async {
        let s = client.subscribe("t.>").await.unwrap();
        client.flush().await.unwrap();
        s
    });
    env.cmd()
        .args([
            "pub",
            "t.{{Count}}",
            "n={{Count}}",
            "--count",
            "3",
            "-H",
            "k: v",
            "-H",
            "x:1",
        ])
        .assert()
        .success();
    for n in 1..=3 {
        let msg = env
            .block_on(async { tokio::time::timeout(Duration::from_secs(5), sub.next()).await })
            .unwrap()
            .unwrap();
        assert_eq!(msg.subject.as_str(), format!("t.{n}"));
        assert_eq!(msg.payload, Bytes::from(format!("n={n}")));
        let headers = msg.headers.unwrap();
        assert_eq!(headers.get("k").unwrap().as_str(), "v");
        assert_eq!(headers.get("x").unwrap().as_str(), "1");
    }
    fail_stderr(env.cmd().args(["pub", "t.x", "{{Bogus}}"]), 1);
    fail_stderr(env.cmd().args(["pub", "t.x", "y", "-H", "no-colon"]), 1);
}

#[test]
fn pub_reads_the_body_from_stdin_and_sets_reply() {
    let env = Env::start();
    let client = env.client();
    let mut sub = env.block_on(async {
        let s = client.subscribe("in").await.unwrap();
        client.flush().await.unwrap();
        s
    });
    env.cmd()
        .args(["pub", "in", "--reply", "back.here"])
        .write_stdin("from stdin\n")
        .assert()
        .success();
    let msg = env
        .block_on(async { tokio::time::timeout(Duration::from_secs(5), sub.next()).await })
        .unwrap()
        .unwrap();
    assert_eq!(msg.payload, Bytes::from_static(b"from stdin\n"));
    assert_eq!(msg.reply.unwrap().as_str(), "back.here");
}

#[test]
fn pub_to_jetstream_reports_the_stored_sequence() {
    let env = Env::start();
    ok_stdout(
        env.cmd()
            .args(["stream", "add", "S", "--subjects", "s.>", "--defaults"]),
    );
    env.cmd()
        .args(["pub", "s.1", "x", "--jetstream"])
        .assert()
        .success()
        .stderr(predicates::str::contains("stored in stream S sequence 1"));
    // No stream listens on this subject: JetStream has no responder.
    fail_stderr(env.cmd().args(["pub", "nothing.here", "x", "-J"]), 1);
}

#[test]
fn sub_prints_messages_with_wildcards_and_stops_at_count() {
    let env = Env::start();
    let running = env.spawn(
        &["sub", "orders.>", "--count", "2"],
        "Subscribing on orders.>",
    );
    let client = env.client();
    env.block_on(async {
        let mut h = async_nats::HeaderMap::new();
        h.insert("Trace", "abc");
        client
            .publish_with_headers("orders.new", h, "first".into())
            .await
            .unwrap();
        client.publish("other", "ignored".into()).await.unwrap();
        client
            .publish_with_reply("orders.x.y", "r.1", "second".into())
            .await
            .unwrap();
        client.flush().await.unwrap();
    });
    let (code, out) = running.finish();
    assert_eq!(code, 0);
    assert!(
        out.contains("[#1] Received on \"orders.new\"\nTrace: abc\n\nfirst\n"),
        "{out}"
    );
    assert!(
        out.contains("[#2] Received on \"orders.x.y\" with reply \"r.1\""),
        "{out}"
    );
    assert!(out.contains("second"), "{out}");
    assert!(!out.contains("ignored"), "{out}");
}

#[test]
fn sub_raw_queue_and_dump() {
    let env = Env::start();
    let raw = env.spawn(
        &["sub", "q.*", "--queue", "workers", "--raw", "--count", "2"],
        "in group workers",
    );
    let dir = tempfile::tempdir().unwrap();
    let dump_dir = dir.path().join("dump");
    let dumper = env.spawn(
        &[
            "sub",
            "d.x",
            "--dump",
            dump_dir.to_str().unwrap(),
            "--count",
            "1",
        ],
        "Subscribing on d.x",
    );
    let client = env.client();
    env.block_on(async {
        client.publish("q.a", "one".into()).await.unwrap();
        client.publish("q.b", "two".into()).await.unwrap();
        let mut h = async_nats::HeaderMap::new();
        h.insert("H", "v");
        client
            .publish_with_headers("d.x", h, Bytes::from_static(&[0, 159, 1]))
            .await
            .unwrap();
        client.flush().await.unwrap();
    });
    let (code, out) = raw.finish();
    assert_eq!((code, out.as_str()), (0, "one\ntwo\n"));
    assert_eq!(dumper.finish().0, 0);
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dump_dir.join("1.json")).unwrap()).unwrap();
    assert_eq!(doc["subject"], "d.x");
    assert_eq!(doc["header"]["H"], serde_json::json!(["v"]));
    assert_eq!(doc["data"], "AJ8B", "binary bodies are base64");
}

#[test]
fn sub_stream_reads_stored_messages_through_jetstream() {
    let env = Env::start();
    let client = env.client();
    env.block_on(async {
        let js = jetstream::new(client.clone());
        js.create_stream(jetstream::stream::Config {
            name: "EV".into(),
            subjects: vec!["ev.>".into()],
            ..Default::default()
        })
        .await
        .unwrap();
        for (subject, body) in [("ev.a", "1"), ("ev.b", "2"), ("ev.a", "3")] {
            js.publish(subject, body.into())
                .await
                .unwrap()
                .await
                .unwrap();
        }
    });
    let out = ok_stdout(
        env.cmd()
            .args(["sub", "--stream", "EV", "--count", "3", "--raw"]),
    );
    assert_eq!(out, "1\n2\n3\n");
    let out = ok_stdout(
        env.cmd()
            .args(["sub", "ev.a", "--stream", "EV", "--count", "2"]),
    );
    assert!(out.contains("stream: EV seq 1 / subject: ev.a"), "{out}");
    assert!(out.contains("stream: EV seq 3 / subject: ev.a"), "{out}");
    fail_stderr(
        env.cmd().args(["sub", "--stream", "NOPE", "--count", "1"]),
        1,
    );
}

#[test]
fn req_prints_the_reply_and_fails_without_responders() {
    let env = Env::start();
    let client = env.client();
    env.block_on(async {
        let mut sub = client.subscribe("svc.echo").await.unwrap();
        client.flush().await.unwrap();
        let c = client.clone();
        tokio::spawn(async move {
            while let Some(m) = sub.next().await {
                let greeting = m
                    .headers
                    .as_ref()
                    .and_then(|h| h.get("Greeting"))
                    .map(|v| v.to_string())
                    .unwrap_or_default();
                let body = format!("{greeting} {}", String::from_utf8_lossy(&m.payload));
                if let Some(r) = m.reply {
                    c.publish(r, body.into()).await.unwrap();
                }
            }
        });
    });
    let out =
        ok_stdout(
            env.cmd()
                .args(["req", "svc.echo", "world", "-H", "Greeting:hello", "--raw"]),
        );
    assert_eq!(out, "hello world\n");
    let out = ok_stdout(env.cmd().args(["req", "svc.echo", "x"]));
    assert!(out.starts_with("Received with rtt "), "{out}");
    let err = fail_stderr(env.cmd().args(["req", "svc.none", "x"]), 1);
    assert!(err.contains("no responders"), "{err}");
}

#[test]
fn req_collects_several_replies() {
    let env = Env::start();
    let client = env.client();
    env.block_on(async {
        for name in ["a", "b"] {
            let mut sub = client.subscribe("multi").await.unwrap();
            let c = client.clone();
            tokio::spawn(async move {
                while let Some(m) = sub.next().await {
                    if let Some(r) = m.reply {
                        c.publish(r, name.into()).await.unwrap();
                    }
                }
            });
        }
        client.flush().await.unwrap();
    });
    let out = ok_stdout(env.cmd().args([
        "req",
        "multi",
        "q",
        "--replies",
        "2",
        "--reply-timeout",
        "10s",
        "--raw",
    ]));
    let mut lines: Vec<&str> = out.lines().collect();
    lines.sort_unstable();
    assert_eq!(lines, ["a", "b"]);
}

#[test]
fn reply_answers_with_a_body_an_echo_or_a_command() {
    let env = Env::start();
    let client = env.client();
    let fixed = env.spawn(
        &["reply", "svc.fixed", "pong {{Count}}", "--count", "2"],
        "Listening on",
    );
    let echo = env.spawn(
        &["reply", "svc.echo", "--echo", "--count", "1"],
        "Listening on",
    );
    let command = env.spawn(
        &[
            "reply",
            "svc.cmd",
            "--command",
            "tr a-z A-Z",
            "--count",
            "1",
        ],
        "Listening on",
    );
    env.block_on(async {
        let r = client.request("svc.fixed", "ping".into()).await.unwrap();
        assert_eq!(r.payload, "pong 1");
        let r = client.request("svc.fixed", "ping".into()).await.unwrap();
        assert_eq!(r.payload, "pong 2");
        let r = client
            .request("svc.echo", "same back".into())
            .await
            .unwrap();
        assert_eq!(r.payload, "same back");
        let r = client.request("svc.cmd", "shout".into()).await.unwrap();
        assert_eq!(r.payload, "SHOUT");
    });
    assert_eq!(fixed.finish().0, 0);
    assert_eq!(echo.finish().0, 0);
    assert_eq!(command.finish().0, 0);
    fail_stderr(env.cmd().args(["reply", "svc.x", "body", "--echo"]), 1);
}
