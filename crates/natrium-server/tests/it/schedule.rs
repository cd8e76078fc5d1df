//! Message schedules (`Nats-Schedule`) through async-nats: `@at` fires once, `@every`
//! repeats, a newer schedule replaces the older on its subject, schedules survive a
//! restart, and bad or unallowed schedules are refused with nats-server's errors.

use std::time::Duration;

use async_nats::jetstream::{self, stream};
use async_nats::HeaderMap;
use natrium_testkit::TestServer;

async fn server_at(dir: &std::path::Path) -> TestServer {
    let path = dir.to_path_buf();
    TestServer::start_with(move |o| {
        o.jetstream.enabled = true;
        o.jetstream.store_dir = Some(path);
    })
    .await
}

async fn sched_stream(js: &jetstream::Context, allow: bool) -> stream::Stream {
    js.create_stream(stream::Config {
        name: "S".into(),
        subjects: vec!["s.>".into()],
        allow_message_schedules: allow,
        allow_rollup: allow,
        allow_message_ttl: true,
        ..Default::default()
    })
    .await
    .unwrap()
}

fn schedule(pattern: &str, target: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("Nats-Schedule", pattern);
    h.insert("Nats-Schedule-Target", target);
    h
}

/// RFC 3339 for `secs` seconds from now, whole seconds, UTC.
fn in_secs(secs: u64) -> String {
    let at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + secs;
    natrium_api::time::rfc3339_nano_from_unix(at * 1_000_000_000)
}

async fn publish(
    js: &jetstream::Context,
    subject: &str,
    headers: HeaderMap,
    body: &'static str,
) -> Result<u64, String> {
    match js
        .publish_with_headers(subject.to_string(), headers, body.into())
        .await
        .unwrap()
        .await
    {
        Ok(ack) => Ok(ack.sequence),
        Err(e) => Err(e.to_string()),
    }
}

/// How many messages `subject` holds.
async fn count(s: &stream::Stream, subject: &str) -> u64 {
    let info = s.info_with_subjects(subject).await.unwrap();
    futures::pin_mut!(info);
    let mut n = 0;
    while let Some(entry) = futures::StreamExt::next(&mut info).await {
        let (_, c) = entry.unwrap();
        n += c as u64;
    }
    n
}

/// Waits until `subject` holds at least `n` messages.
async fn wait_for(s: &stream::Stream, subject: &str, n: u64, within: Duration) {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let have = count(s, subject).await;
        if have >= n {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{subject} holds {have} messages, not {n}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn an_at_schedule_fires_once_with_nats_server_headers() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_at(dir.path()).await;
    let js = jetstream::new(server.client().await);
    let s = sched_stream(&js, true).await;

    let mut h = schedule(&format!("@at {}", in_secs(1)), "s.out.a");
    h.insert("X-Keep", "yes");
    h.insert("Nats-Schedule-TTL", "5m");
    publish(&js, "s.sched.a", h, "hello").await.unwrap();
    assert_eq!(count(&s, "s.out.a").await, 0);

    wait_for(&s, "s.out.a", 1, Duration::from_secs(5)).await;
    let m = s.get_last_raw_message_by_subject("s.out.a").await.unwrap();
    assert_eq!(m.payload.as_ref(), b"hello");
    let hv = |k: &str| m.headers.get(k).map(|v| v.as_str().to_string());
    assert_eq!(hv("Nats-Scheduler").as_deref(), Some("s.sched.a"));
    assert_eq!(hv("Nats-Schedule-Next").as_deref(), Some("purge"));
    assert_eq!(hv("Nats-TTL").as_deref(), Some("5m"));
    assert_eq!(hv("X-Keep").as_deref(), Some("yes"));
    assert_eq!(hv("Nats-Schedule"), None);
    assert_eq!(hv("Nats-Schedule-Target"), None);
    // The schedule itself is purged once it has fired.
    assert_eq!(count(&s, "s.sched.a").await, 0);

    // It does not fire again.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(count(&s, "s.out.a").await, 1);
}

#[tokio::test]
async fn an_every_schedule_repeats_and_a_newer_schedule_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_at(dir.path()).await;
    let js = jetstream::new(server.client().await);
    let s = sched_stream(&js, true).await;

    publish(&js, "s.sched.e", schedule("@every 1s", "s.out.e"), "tick")
        .await
        .unwrap();
    wait_for(&s, "s.out.e", 2, Duration::from_secs(6)).await;
    let m = s.get_last_raw_message_by_subject("s.out.e").await.unwrap();
    let next = m.headers.get("Nats-Schedule-Next").unwrap().as_str();
    assert!(
        natrium_api::time::parse_rfc3339(next).is_some(),
        "next {next}"
    );
    assert_eq!(
        m.headers.get("Nats-Scheduler").unwrap().as_str(),
        "s.sched.e"
    );

    // A newer schedule on the same subject wins: the old target gets nothing more.
    publish(&js, "s.sched.e", schedule("@every 1s", "s.out.f"), "tock")
        .await
        .unwrap();
    assert_eq!(count(&s, "s.sched.e").await, 1);
    wait_for(&s, "s.out.f", 1, Duration::from_secs(5)).await;
    let before = count(&s, "s.out.e").await;
    wait_for(&s, "s.out.f", 3, Duration::from_secs(6)).await;
    assert_eq!(count(&s, "s.out.e").await, before);

    // A plain message on the schedule's subject removes the schedule.
    publish(&js, "s.sched.e", HeaderMap::new(), "stop")
        .await
        .unwrap();
    let stopped = count(&s, "s.out.f").await;
    tokio::time::sleep(Duration::from_millis(2200)).await;
    assert!(count(&s, "s.out.f").await <= stopped + 1);
    let settled = count(&s, "s.out.f").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(count(&s, "s.out.f").await, settled);
}

#[tokio::test]
async fn schedules_fire_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_at(dir.path()).await;
    let js = jetstream::new(server.client().await);
    sched_stream(&js, true).await;
    publish(
        &js,
        "s.sched.r",
        schedule(&format!("@at {}", in_secs(1)), "s.out.r"),
        "late",
    )
    .await
    .unwrap();
    publish(&js, "s.sched.p", schedule("@every 1s", "s.out.p"), "again")
        .await
        .unwrap();
    drop(js);
    server.shutdown().await;
    // The `@at` time passes while the server is down.
    tokio::time::sleep(Duration::from_millis(1500)).await;

    let server = server_at(dir.path()).await;
    let js = jetstream::new(server.client().await);
    let s = js.get_stream("S").await.unwrap();
    wait_for(&s, "s.out.r", 1, Duration::from_secs(5)).await;
    let m = s.get_last_raw_message_by_subject("s.out.r").await.unwrap();
    assert_eq!(m.payload.as_ref(), b"late");
    let p = count(&s, "s.out.p").await;
    wait_for(&s, "s.out.p", p + 2, Duration::from_secs(6)).await;
}

#[tokio::test]
async fn bad_and_unallowed_schedules_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_at(dir.path()).await;
    let js = jetstream::new(server.client().await);

    // A stream without allow_msg_schedules.
    let plain = sched_stream(&js, false).await;
    let err = publish(&js, "s.sched.x", schedule("@every 1s", "s.out.x"), "no")
        .await
        .unwrap_err();
    assert!(err.contains("message schedules is disabled"), "{err}");
    let err = publish(&js, "s.sched.x", schedule("@every nope", "s.out.x"), "no")
        .await
        .unwrap_err();
    assert!(err.contains("message schedules is disabled"), "{err}");
    assert_eq!(plain.cached_info().state.messages, 0);
    js.delete_stream("S").await.unwrap();

    let s = sched_stream(&js, true).await;
    let cases = [
        (schedule("@every 500ms", "s.out.x"), "pattern is invalid"),
        (schedule("@at tomorrow", "s.out.x"), "pattern is invalid"),
        (schedule("0 * * * *", "s.out.x"), "pattern is invalid"),
        (schedule("@every 1s", "s.sched.x"), "target is invalid"),
        (schedule("@every 1s", "elsewhere"), "target is invalid"),
        (schedule("@every 1s", "s.out.*"), "target is invalid"),
        (schedule("@every 1s", ""), "target is invalid"),
    ];
    for (h, want) in cases {
        let err = publish(&js, "s.sched.x", h, "bad").await.unwrap_err();
        assert!(err.contains(want), "{err} lacks {want}");
    }
    let mut h = schedule("@every 1s", "s.out.x");
    h.insert("Nats-Schedule-TTL", "soon");
    let err = publish(&js, "s.sched.x", h, "bad").await.unwrap_err();
    assert!(err.contains("invalid per-message TTL"), "{err}");
    let mut h = schedule("@every 1s", "s.out.x");
    h.insert("Nats-Schedule-Time-Zone", "Mars/Olympus");
    let err = publish(&js, "s.sched.x", h, "bad").await.unwrap_err();
    assert!(err.contains("time zone is invalid"), "{err}");
    // Only the server may set Nats-Scheduler or a next time.
    let mut h = HeaderMap::new();
    h.insert("Nats-Scheduler", "s.sched.x");
    let err = publish(&js, "s.out.x", h, "forged").await.unwrap_err();
    assert!(err.contains("invalid scheduler"), "{err}");
    let mut h = HeaderMap::new();
    h.insert("Nats-Scheduler", "s.sched.x");
    h.insert("Nats-Schedule-Next", "2030-01-01T00:00:00Z");
    let err = publish(&js, "s.out.x", h, "forged").await.unwrap_err();
    assert!(err.contains("invalid scheduler"), "{err}");
    let mut h = schedule("@every 1s", "s.out.x");
    h.insert("Nats-Schedule-Source", "s.out.x");
    let err = publish(&js, "s.sched.x", h, "bad").await.unwrap_err();
    assert!(err.contains("source is invalid"), "{err}");
    assert_eq!(count(&s, ">").await, 0);

    // Mirrors and sourcing streams may not schedule.
    for (mirror, sources) in [(true, false), (false, true)] {
        let origin = stream::Source {
            name: "S".into(),
            ..Default::default()
        };
        let err = js
            .create_stream(stream::Config {
                name: "COPY".into(),
                mirror: mirror.then(|| origin.clone()),
                sources: sources.then(|| vec![origin.clone()]),
                allow_message_schedules: true,
                ..Default::default()
            })
            .await
            .unwrap_err();
        let want = if mirror {
            "stream mirrors can not also schedule messages"
        } else {
            "stream source can not also schedule messages"
        };
        assert!(err.to_string().contains(want), "{err}");
    }
}

#[tokio::test]
async fn a_schedule_with_a_source_sends_the_sources_last_message() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_at(dir.path()).await;
    let js = jetstream::new(server.client().await);
    let s = sched_stream(&js, true).await;
    let mut h = schedule(&format!("@at {}", in_secs(1)), "s.out.s");
    h.insert("Nats-Schedule-Source", "s.src");
    publish(&js, "s.sched.s", h, "fallback").await.unwrap();
    let mut src = HeaderMap::new();
    src.insert("X-From", "source");
    publish(&js, "s.src", src, "latest").await.unwrap();
    wait_for(&s, "s.out.s", 1, Duration::from_secs(5)).await;
    let m = s.get_last_raw_message_by_subject("s.out.s").await.unwrap();
    assert_eq!(m.payload.as_ref(), b"latest");
    assert_eq!(m.headers.get("X-From").unwrap().as_str(), "source");
    assert_eq!(
        m.headers.get("Nats-Scheduler").unwrap().as_str(),
        "s.sched.s"
    );
}
