//! Consumer controls added in nats-server 2.11–2.14: pause and resume, reset, priority
//! groups (pinned client, overflow, prioritized), driven through async-nats and raw
//! `$JS.API` requests.

use std::time::Duration;

use async_nats::jetstream::{self, consumer, stream};
use futures::StreamExt;
use natrium_testkit::TestServer;

async fn js_server() -> (TestServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let server = TestServer::start_with(move |o| {
        o.jetstream.enabled = true;
        o.jetstream.store_dir = Some(path);
    })
    .await;
    (server, dir)
}

async fn stream_with(js: &jetstream::Context, messages: usize) -> stream::Stream {
    let s = js
        .create_stream(stream::Config {
            name: "JOBS".into(),
            subjects: vec!["jobs.>".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    for i in 0..messages {
        js.publish(format!("jobs.{i}"), "x".into())
            .await
            .unwrap()
            .await
            .unwrap();
    }
    s
}

async fn api(client: &async_nats::Client, subject: String, body: &str) -> serde_json::Value {
    let reply = client
        .request(subject, body.to_owned().into())
        .await
        .unwrap();
    serde_json::from_slice(&reply.payload).unwrap()
}

/// A raw pull request whose messages and statuses arrive on the returned subscriber.
async fn pull(
    client: &async_nats::Client,
    consumer: &str,
    body: serde_json::Value,
) -> async_nats::Subscriber {
    let inbox = client.new_inbox();
    let sub = client.subscribe(inbox.clone()).await.unwrap();
    client
        .publish_with_reply(
            format!("$JS.API.CONSUMER.MSG.NEXT.JOBS.{consumer}"),
            inbox,
            body.to_string().into(),
        )
        .await
        .unwrap();
    client.flush().await.unwrap();
    sub
}

async fn next(sub: &mut async_nats::Subscriber) -> async_nats::Message {
    tokio::time::timeout(Duration::from_secs(5), sub.next())
        .await
        .expect("nothing arrived")
        .unwrap()
}

fn status(msg: &async_nats::Message) -> Option<(u16, String)> {
    msg.status
        .map(|s| (s.as_u16(), msg.description.clone().unwrap_or_default()))
}

#[tokio::test]
async fn a_paused_consumer_delivers_nothing_until_resumed() {
    let (server, _dir) = js_server().await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    let s = stream_with(&js, 1).await;
    s.create_consumer(consumer::pull::Config {
        durable_name: Some("worker".into()),
        ..Default::default()
    })
    .await
    .unwrap();

    let until = time::OffsetDateTime::now_utc() + Duration::from_secs(60);
    let paused = s.pause_consumer("worker", until).await.unwrap();
    assert!(paused.paused);
    let info = api(&client, "$JS.API.CONSUMER.INFO.JOBS.worker".into(), "").await;
    assert_eq!(info["paused"], true);
    assert!(info["pause_remaining"].as_i64().unwrap() > 50_000_000_000);

    // While paused, a pull request waits and expires with nothing.
    let mut sub = pull(
        &client,
        "worker",
        serde_json::json!({"batch": 1, "expires": 300_000_000}),
    )
    .await;
    assert_eq!(status(&next(&mut sub).await).unwrap().0, 408);

    let resumed = s.resume_consumer("worker").await.unwrap();
    assert!(!resumed.paused);
    let mut sub = pull(
        &client,
        "worker",
        serde_json::json!({"batch": 1, "expires": 2_000_000_000}),
    )
    .await;
    let msg = next(&mut sub).await;
    assert_eq!(msg.subject.as_str(), "jobs.0");
}

#[tokio::test]
async fn a_pause_past_the_year_2262_still_pauses() {
    let (server, _dir) = js_server().await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    let s = stream_with(&js, 1).await;
    s.create_consumer(consumer::pull::Config {
        durable_name: Some("worker".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let paused = api(
        &client,
        "$JS.API.CONSUMER.PAUSE.JOBS.worker".into(),
        r#"{"pause_until":"9999-12-31T23:59:59Z"}"#,
    )
    .await;
    assert_eq!(paused["paused"], true, "{paused}");
    assert_eq!(paused["pause_until"], "9999-12-31T23:59:59Z");
    let info = api(&client, "$JS.API.CONSUMER.INFO.JOBS.worker".into(), "").await;
    assert_eq!(info["paused"], true, "{info}");
    let mut sub = pull(
        &client,
        "worker",
        serde_json::json!({"batch": 1, "expires": 300_000_000}),
    )
    .await;
    assert_eq!(status(&next(&mut sub).await).unwrap().0, 408);
}

#[tokio::test]
async fn a_pause_ends_by_itself_and_waiting_pulls_are_served() {
    let (server, _dir) = js_server().await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    let s = stream_with(&js, 1).await;
    let until = time::OffsetDateTime::now_utc() + Duration::from_millis(700);
    s.create_consumer(consumer::pull::Config {
        durable_name: Some("later".into()),
        pause_until: Some(until),
        ..Default::default()
    })
    .await
    .unwrap();
    let mut advisories = client
        .subscribe("$JS.EVENT.ADVISORY.CONSUMER.PAUSE.JOBS.later")
        .await
        .unwrap();
    client.flush().await.unwrap();
    let mut sub = pull(
        &client,
        "later",
        serde_json::json!({"batch": 1, "expires": 4_000_000_000i64}),
    )
    .await;
    let msg = next(&mut sub).await;
    assert_eq!(msg.subject.as_str(), "jobs.0");
    assert!(time::OffsetDateTime::now_utc() >= until);
    let advisory: serde_json::Value =
        serde_json::from_slice(&next(&mut advisories).await.payload).unwrap();
    assert_eq!(advisory["paused"], false);
    let info = api(&client, "$JS.API.CONSUMER.INFO.JOBS.later".into(), "").await;
    assert!(info.get("paused").is_none());
}

#[tokio::test]
async fn reset_rewinds_and_refuses_to_go_before_the_start() {
    let (server, _dir) = js_server().await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    let s = stream_with(&js, 5).await;
    s.create_consumer(consumer::pull::Config {
        durable_name: Some("all".into()),
        ack_policy: consumer::AckPolicy::None,
        ..Default::default()
    })
    .await
    .unwrap();
    let mut sub = pull(
        &client,
        "all",
        serde_json::json!({"batch": 5, "expires": 2_000_000_000}),
    )
    .await;
    for i in 0..5 {
        assert_eq!(next(&mut sub).await.subject.as_str(), format!("jobs.{i}"));
    }
    let reset = api(
        &client,
        "$JS.API.CONSUMER.RESET.JOBS.all".into(),
        r#"{"seq":2}"#,
    )
    .await;
    assert_eq!(reset["reset_seq"], 2);
    assert_eq!(reset["delivered"]["stream_seq"], 1);
    let mut sub = pull(
        &client,
        "all",
        serde_json::json!({"batch": 1, "expires": 2_000_000_000}),
    )
    .await;
    assert_eq!(next(&mut sub).await.subject.as_str(), "jobs.1");

    s.create_consumer(consumer::pull::Config {
        durable_name: Some("from3".into()),
        deliver_policy: consumer::DeliverPolicy::ByStartSequence { start_sequence: 3 },
        ..Default::default()
    })
    .await
    .unwrap();
    let refused = api(
        &client,
        "$JS.API.CONSUMER.RESET.JOBS.from3".into(),
        r#"{"seq":1}"#,
    )
    .await;
    assert_eq!(refused["error"]["err_code"], 10204);
    assert_eq!(
        refused["error"]["description"],
        "invalid reset: below start seq"
    );
}

async fn pinned_consumer(s: &stream::Stream) {
    s.create_consumer(consumer::pull::Config {
        durable_name: Some("pinned".into()),
        ack_policy: consumer::AckPolicy::None,
        priority_policy: consumer::PriorityPolicy::PinnedClient,
        priority_groups: vec!["A".into()],
        ..Default::default()
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn the_first_puller_is_pinned_and_other_pin_ids_are_refused() {
    let (server, _dir) = js_server().await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    let s = stream_with(&js, 3).await;
    pinned_consumer(&s).await;

    let mut first = pull(
        &client,
        "pinned",
        serde_json::json!({"batch": 1, "group": "A", "expires": 2_000_000_000}),
    )
    .await;
    let msg = next(&mut first).await;
    let pin = msg
        .headers
        .as_ref()
        .unwrap()
        .get("Nats-Pin-Id")
        .unwrap()
        .to_string();
    assert!(!pin.is_empty());
    let info = api(&client, "$JS.API.CONSUMER.INFO.JOBS.pinned".into(), "").await;
    assert_eq!(info["priority_groups"][0]["pinned_client_id"], pin.as_str());

    // Another client without the pin waits; one with a made-up pin is refused.
    let mut other = pull(
        &client,
        "pinned",
        serde_json::json!({"batch": 1, "group": "A", "expires": 400_000_000}),
    )
    .await;
    let mut forged = pull(&client, "pinned", serde_json::json!({"batch": 1, "group": "A", "id": "NOT-THE-PIN", "expires": 2_000_000_000})).await;
    assert_eq!(
        status(&next(&mut forged).await),
        Some((423, "Nats-Pin-Id mismatch".into()))
    );
    let mut again = pull(
        &client,
        "pinned",
        serde_json::json!({"batch": 1, "group": "A", "id": pin, "expires": 2_000_000_000}),
    )
    .await;
    assert_eq!(next(&mut again).await.subject.as_str(), "jobs.1");
    assert_eq!(status(&next(&mut other).await).unwrap().0, 408);

    // After an unpin the old pin is refused and the next puller is pinned anew.
    let unpin = api(
        &client,
        "$JS.API.CONSUMER.UNPIN.JOBS.pinned".into(),
        r#"{"group":"A"}"#,
    )
    .await;
    assert!(unpin.get("error").is_none(), "{unpin}");
    let mut stale = pull(
        &client,
        "pinned",
        serde_json::json!({"batch": 1, "group": "A", "id": pin, "expires": 2_000_000_000}),
    )
    .await;
    assert_eq!(
        status(&next(&mut stale).await).unwrap(),
        (423, "Nats-Wrong-Pin-Id".into())
    );
    let mut fresh = pull(
        &client,
        "pinned",
        serde_json::json!({"batch": 1, "group": "A", "expires": 2_000_000_000}),
    )
    .await;
    let msg = next(&mut fresh).await;
    let new_pin = msg
        .headers
        .as_ref()
        .unwrap()
        .get("Nats-Pin-Id")
        .unwrap()
        .to_string();
    assert_ne!(new_pin, pin);

    let bad_group = api(
        &client,
        "$JS.API.CONSUMER.UNPIN.JOBS.pinned".into(),
        r#"{"group":"B"}"#,
    )
    .await;
    assert_eq!(bad_group["error"]["err_code"], 10160);
}

#[tokio::test]
async fn overflow_requests_wait_for_their_min_pending() {
    let (server, _dir) = js_server().await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    let s = stream_with(&js, 3).await;
    s.create_consumer(consumer::pull::Config {
        durable_name: Some("spill".into()),
        priority_policy: consumer::PriorityPolicy::Overflow,
        priority_groups: vec!["A".into()],
        ..Default::default()
    })
    .await
    .unwrap();
    let mut waiting = pull(
        &client,
        "spill",
        serde_json::json!({"batch": 1, "group": "A", "min_pending": 5, "expires": 300_000_000}),
    )
    .await;
    assert_eq!(status(&next(&mut waiting).await).unwrap().0, 408);
    for i in 3..5 {
        js.publish(format!("jobs.{i}"), "x".into())
            .await
            .unwrap()
            .await
            .unwrap();
    }
    let mut served = pull(
        &client,
        "spill",
        serde_json::json!({"batch": 1, "group": "A", "min_pending": 5, "expires": 2_000_000_000}),
    )
    .await;
    assert_eq!(next(&mut served).await.subject.as_str(), "jobs.0");

    let mut wrong = pull(
        &client,
        "spill",
        serde_json::json!({"batch": 1, "group": "A", "id": "x"}),
    )
    .await;
    assert_eq!(
        status(&next(&mut wrong).await),
        Some((
            400,
            "Bad Request - Not a Pinned Client Priority consumer".into()
        ))
    );
}

#[tokio::test]
async fn prioritized_requests_are_served_most_urgent_first() {
    let (server, _dir) = js_server().await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    let s = stream_with(&js, 0).await;
    s.create_consumer(consumer::pull::Config {
        durable_name: Some("ranked".into()),
        priority_policy: consumer::PriorityPolicy::Prioritized,
        priority_groups: vec!["A".into()],
        ..Default::default()
    })
    .await
    .unwrap();
    let mut low = pull(
        &client,
        "ranked",
        serde_json::json!({"batch": 1, "group": "A", "priority": 5, "expires": 1_000_000_000}),
    )
    .await;
    let mut high = pull(
        &client,
        "ranked",
        serde_json::json!({"batch": 1, "group": "A", "priority": 1, "expires": 3_000_000_000i64}),
    )
    .await;
    js.publish("jobs.first", "x".into())
        .await
        .unwrap()
        .await
        .unwrap();
    assert_eq!(next(&mut high).await.subject.as_str(), "jobs.first");
    assert_eq!(status(&next(&mut low).await).unwrap().0, 408);
}

#[tokio::test]
async fn priority_settings_are_checked_at_creation() {
    let (server, _dir) = js_server().await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    stream_with(&js, 0).await;
    let create = |cfg: serde_json::Value| {
        let client = client.clone();
        async move {
            api(
                &client,
                "$JS.API.CONSUMER.CREATE.JOBS".into(),
                &serde_json::json!({"stream_name": "JOBS", "config": cfg}).to_string(),
            )
            .await
        }
    };
    let groups_without_policy = create(serde_json::json!({"priority_groups": ["A"]})).await;
    assert!(
        groups_without_policy["error"]["err_code"].is_number(),
        "{groups_without_policy}"
    );
    let policy_without_groups = create(serde_json::json!({"priority_policy": "overflow"})).await;
    assert!(
        policy_without_groups["error"]["err_code"].is_number(),
        "{policy_without_groups}"
    );
    let bad_name =
        create(serde_json::json!({"priority_policy": "overflow", "priority_groups": ["a.b"]}))
            .await;
    assert!(bad_name["error"]["err_code"].is_number(), "{bad_name}");
    let pinned = create(serde_json::json!({"name": "p", "priority_policy": "pinned_client", "priority_groups": ["A"]})).await;
    assert_eq!(
        pinned["config"]["priority_timeout"], 120_000_000_000i64,
        "{pinned}"
    );
}

#[tokio::test]
async fn given_up_and_terminated_messages_are_dead_lettered_once() {
    let (server, _dir) = js_server().await;
    let client = server.client().await;
    let js = jetstream::new(client.clone());
    stream_with(&js, 0).await;
    let dlq = js
        .create_stream(stream::Config {
            name: "DLQ".into(),
            subjects: vec!["dlq.>".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    let created = api(
        &client,
        "$JS.API.CONSUMER.CREATE.JOBS.careful".into(),
        &serde_json::json!({"stream_name": "JOBS", "config": {
            "durable_name": "careful", "ack_policy": "explicit", "max_deliver": 2,
            "ack_wait": 200_000_000, "dead_letter": {"stream": "DLQ", "subject": "dlq.jobs"}
        }})
        .to_string(),
    )
    .await;
    assert_eq!(
        created["config"]["dead_letter"]["subject"], "dlq.jobs",
        "{created}"
    );

    let mut headers = async_nats::HeaderMap::new();
    headers.insert("Trace", "t-1");
    headers.insert("Nats-Msg-Id", "original-1");
    js.publish_with_headers("jobs.a", headers, "first".into())
        .await
        .unwrap()
        .await
        .unwrap();
    // Two deliveries without an ack: the consumer gives up.
    for _ in 0..2 {
        let mut sub = pull(
            &client,
            "careful",
            serde_json::json!({"batch": 1, "expires": 2_000_000_000}),
        )
        .await;
        assert_eq!(next(&mut sub).await.subject.as_str(), "jobs.a");
    }
    let first = stored(&dlq, 1).await;
    assert_eq!(first.subject.as_str(), "dlq.jobs");
    assert_eq!(first.payload.as_ref(), b"first");
    let h = &first.headers;
    assert_eq!(h.get("Nats-DLQ-Reason").unwrap().as_str(), "max_deliveries");
    assert_eq!(h.get("Nats-DLQ-Stream").unwrap().as_str(), "JOBS");
    assert_eq!(h.get("Nats-DLQ-Consumer").unwrap().as_str(), "careful");
    assert_eq!(h.get("Nats-DLQ-Sequence").unwrap().as_str(), "1");
    assert_eq!(h.get("Nats-DLQ-Subject").unwrap().as_str(), "jobs.a");
    assert_eq!(h.get("Nats-DLQ-Deliveries").unwrap().as_str(), "2");
    assert_eq!(h.get("Trace").unwrap().as_str(), "t-1");
    assert_eq!(h.get("Nats-Msg-Id").unwrap().as_str(), "JOBS.careful.1");

    js.publish("jobs.b", "second".into())
        .await
        .unwrap()
        .await
        .unwrap();
    let mut sub = pull(
        &client,
        "careful",
        serde_json::json!({"batch": 1, "expires": 2_000_000_000}),
    )
    .await;
    let msg = next(&mut sub).await;
    let ack = msg.reply.clone().unwrap();
    // A second +TERM of the same message adds nothing.
    for _ in 0..2 {
        client.request(ack.clone(), "+TERM".into()).await.unwrap();
    }
    let second = stored(&dlq, 2).await;
    assert_eq!(
        second.headers.get("Nats-DLQ-Reason").unwrap().as_str(),
        "terminated"
    );
    assert_eq!(
        second.headers.get("Nats-DLQ-Sequence").unwrap().as_str(),
        "2"
    );
    assert_eq!(dlq.get_info().await.unwrap().state.messages, 2);

    // A consumer cannot dead-letter into its own stream (it would consume its copies).
    let refused = api(
        &client,
        "$JS.API.CONSUMER.CREATE.JOBS.loop".into(),
        &serde_json::json!({"stream_name": "JOBS", "config": {
            "durable_name": "loop", "dead_letter": {"stream": "JOBS", "subject": "jobs.dead"}
        }})
        .to_string(),
    )
    .await;
    assert_eq!(refused["error"]["err_code"], 10094, "{refused}");
}

/// Message `seq` of `stream`, once it is there: a copy reaches its stream through the
/// router, after the request that caused it was answered.
async fn stored(
    stream: &stream::Stream,
    seq: u64,
) -> async_nats::jetstream::message::StreamMessage {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        if let Ok(m) = stream.get_raw_message(seq).await {
            return m;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "message {seq} never stored"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
