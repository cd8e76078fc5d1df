//! Key-value buckets that mirror or source other buckets, through async-nats's KV API.

use std::time::Duration;

use async_nats::jetstream::{self, kv, stream};
use natrium_testkit::TestServer;

async fn js_server(dir: &std::path::Path) -> TestServer {
    let path = dir.to_path_buf();
    TestServer::start_with(move |o| {
        o.jetstream.enabled = true;
        o.jetstream.store_dir = Some(path);
    })
    .await
}

/// Waits until the last sequence of stream `name` is `n`.
async fn holds(js: &jetstream::Context, name: &str, n: u64) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let mut s = js.get_stream(name).await.unwrap();
        let have = s.info().await.unwrap().state.last_sequence;
        if have == n {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{name} holds {have}, not {n}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_mirror_bucket_follows_its_origin_and_answers_its_reads() {
    let dir = tempfile::tempdir().unwrap();
    let server = js_server(dir.path()).await;
    let js = jetstream::new(server.client().await);
    let origin = js
        .create_key_value(kv::Config {
            bucket: "PEOPLE".into(),
            history: 3,
            ..Default::default()
        })
        .await
        .unwrap();
    origin.put("name", "derek".into()).await.unwrap();
    origin.put("age", "22".into()).await.unwrap();

    js.create_key_value(kv::Config {
        bucket: "PEOPLE_COPY".into(),
        mirror: Some(stream::Source {
            name: "PEOPLE".into(),
            ..Default::default()
        }),
        ..Default::default()
    })
    .await
    .unwrap();
    let mut mirror = js.get_stream("KV_PEOPLE_COPY").await.unwrap();
    let config = mirror.info().await.unwrap().config.clone();
    assert!(config.mirror_direct, "the client asks for mirror_direct");
    assert_eq!(config.mirror.map(|m| m.name).as_deref(), Some("KV_PEOPLE"));
    holds(&js, "KV_PEOPLE_COPY", 2).await;

    origin.put("name", "rip".into()).await.unwrap();
    holds(&js, "KV_PEOPLE_COPY", 3).await;
    let last = mirror
        .direct_get_last_for_subject("$KV.PEOPLE.name")
        .await
        .unwrap();
    assert_eq!(last.payload.as_ref(), b"rip");

    // Reads of the origin bucket are answered by the mirror too (mirror_direct): with
    // the origin stream gone, the bucket still reads.
    js.delete_stream("KV_PEOPLE").await.unwrap();
    let name = origin.get("name").await.unwrap();
    assert_eq!(name.as_deref(), Some(&b"rip"[..]));
    assert_eq!(origin.get("missing").await.unwrap(), None);
}

#[tokio::test]
async fn a_bucket_sources_other_buckets_under_its_own_keys() {
    let dir = tempfile::tempdir().unwrap();
    let server = js_server(dir.path()).await;
    let js = jetstream::new(server.client().await);
    let mut buckets = Vec::new();
    for bucket in ["EU", "US"] {
        let kv = js
            .create_key_value(kv::Config {
                bucket: bucket.into(),
                ..Default::default()
            })
            .await
            .unwrap();
        kv.put(format!("{}-price", bucket.to_lowercase()), "10".into())
            .await
            .unwrap();
        buckets.push(kv);
    }
    // As the Go client does: each source's keys are moved into this bucket's subjects.
    let sources = ["EU", "US"]
        .iter()
        .map(|b| stream::Source {
            name: (*b).into(),
            subject_transforms: vec![stream::SubjectTransform {
                source: format!("$KV.{b}.>"),
                destination: "$KV.ALL.>".into(),
            }],
            ..Default::default()
        })
        .collect();
    let all = js
        .create_key_value(kv::Config {
            bucket: "ALL".into(),
            sources: Some(sources),
            ..Default::default()
        })
        .await
        .unwrap();
    holds(&js, "KV_ALL", 2).await;
    assert_eq!(
        all.get("eu-price").await.unwrap().as_deref(),
        Some(&b"10"[..])
    );
    assert_eq!(
        all.get("us-price").await.unwrap().as_deref(),
        Some(&b"10"[..])
    );

    // Later changes, deletes included, follow.
    buckets[0].put("eu-price", "12".into()).await.unwrap();
    buckets[1].delete("us-price").await.unwrap();
    holds(&js, "KV_ALL", 4).await;
    assert_eq!(
        all.get("eu-price").await.unwrap().as_deref(),
        Some(&b"12"[..])
    );
    assert_eq!(all.get("us-price").await.unwrap(), None);
    let keys: Vec<String> = futures::TryStreamExt::try_collect(all.keys().await.unwrap())
        .await
        .unwrap();
    assert_eq!(keys, vec!["eu-price".to_string()]);
}
