//! Messaging behaviour through the official async-nats client.

use std::collections::HashMap;
use std::time::Duration;

use async_nats::HeaderMap;
use futures::StreamExt;
use natrium_testkit::TestServer;

const WAIT: Duration = Duration::from_secs(5);

async fn next(sub: &mut async_nats::Subscriber) -> async_nats::Message {
    tokio::time::timeout(WAIT, sub.next())
        .await
        .expect("message in time")
        .expect("subscription open")
}

async fn nothing_more(sub: &mut async_nats::Subscriber) {
    let extra = tokio::time::timeout(Duration::from_millis(200), sub.next()).await;
    assert!(extra.is_err(), "unexpected message: {extra:?}");
}

#[tokio::test]
async fn wildcards_route_to_the_right_subscribers() {
    let server = TestServer::start().await;
    let client = server.client().await;
    let mut star = client.subscribe("orders.*.created").await.unwrap();
    let mut tail = client.subscribe("orders.>").await.unwrap();
    let mut literal = client.subscribe("orders.eu.created").await.unwrap();
    client.flush().await.unwrap();

    client
        .publish("orders.eu.created", "1".into())
        .await
        .unwrap();
    client
        .publish("orders.us.created", "2".into())
        .await
        .unwrap();
    client
        .publish("orders.us.shipped.late", "3".into())
        .await
        .unwrap();
    client.publish("orders", "4".into()).await.unwrap();
    client.flush().await.unwrap();

    assert_eq!(next(&mut star).await.payload, "1");
    assert_eq!(next(&mut star).await.payload, "2");
    nothing_more(&mut star).await;
    for expected in ["1", "2", "3"] {
        assert_eq!(next(&mut tail).await.payload, expected);
    }
    nothing_more(&mut tail).await;
    assert_eq!(next(&mut literal).await.payload, "1");
    nothing_more(&mut literal).await;
}

#[tokio::test]
async fn queue_group_delivers_each_message_once_spread_across_members() {
    let server = TestServer::start().await;
    let publisher = server.client().await;
    let mut members = Vec::new();
    for _ in 0..3 {
        let c = server.client().await;
        let sub = c.queue_subscribe("work", "workers".into()).await.unwrap();
        c.flush().await.unwrap();
        members.push((c, sub));
    }
    let mut plain = publisher.subscribe("work").await.unwrap();
    publisher.flush().await.unwrap();
    let total = 300;
    for i in 0..total {
        publisher
            .publish("work", i.to_string().into())
            .await
            .unwrap();
    }
    publisher.flush().await.unwrap();

    let mut seen = HashMap::new();
    let mut per_member = Vec::new();
    for (_, sub) in &mut members {
        let mut n = 0;
        while let Ok(Some(msg)) = tokio::time::timeout(Duration::from_millis(300), sub.next()).await
        {
            *seen.entry(msg.payload.to_vec()).or_insert(0) += 1;
            n += 1;
        }
        per_member.push(n);
    }
    assert_eq!(seen.len(), total, "every message delivered to the group");
    assert!(seen.values().all(|&n| n == 1), "no message delivered twice");
    assert!(
        per_member.iter().all(|&n| n > 30),
        "spread across members: {per_member:?}"
    );
    for _ in 0..total {
        next(&mut plain).await;
    }
}

#[tokio::test]
async fn request_reply_round_trip() {
    let server = TestServer::start().await;
    let responder = server.client().await;
    let mut service = responder.subscribe("svc.echo").await.unwrap();
    responder.flush().await.unwrap();
    tokio::spawn(async move {
        while let Some(req) = service.next().await {
            let reply = req.reply.unwrap();
            let mut body = b"echo:".to_vec();
            body.extend_from_slice(&req.payload);
            responder.publish(reply, body.into()).await.unwrap();
        }
    });
    let requester = server.client().await;
    let resp = requester.request("svc.echo", "ping".into()).await.unwrap();
    assert_eq!(resp.payload, "echo:ping");
}

#[tokio::test]
async fn request_with_no_responders_fails_fast() {
    let server = TestServer::start().await;
    let client = server.client().await;
    let started = std::time::Instant::now();
    let err = client.request("nobody.home", "x".into()).await.unwrap_err();
    assert_eq!(err.kind(), async_nats::RequestErrorKind::NoResponders);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn headers_round_trip() {
    let server = TestServer::start().await;
    let client = server.client().await;
    let mut sub = client.subscribe("h").await.unwrap();
    client.flush().await.unwrap();
    let mut headers = HeaderMap::new();
    headers.insert("Trace-Id", "abc");
    headers.append("Multi", "1");
    headers.append("Multi", "2");
    client
        .publish_with_headers("h", headers, "body".into())
        .await
        .unwrap();
    let msg = next(&mut sub).await;
    let h = msg.headers.unwrap();
    assert_eq!(h.get("Trace-Id").unwrap().as_str(), "abc");
    assert_eq!(
        h.get_all("Multi")
            .map(|v| v.as_str().to_owned())
            .collect::<Vec<_>>(),
        vec!["1", "2"]
    );
    assert_eq!(msg.payload, "body");
}

#[tokio::test]
async fn unsubscribe_after_n_stops_delivery() {
    let server = TestServer::start().await;
    let client = server.client().await;
    let mut sub = client.subscribe("n").await.unwrap();
    sub.unsubscribe_after(3).await.unwrap();
    client.flush().await.unwrap();
    for i in 0..10 {
        client.publish("n", i.to_string().into()).await.unwrap();
    }
    client.flush().await.unwrap();
    let mut got = Vec::new();
    while let Ok(Some(m)) = tokio::time::timeout(Duration::from_millis(500), sub.next()).await {
        got.push(m.payload.to_vec());
    }
    assert_eq!(got, vec![b"0".to_vec(), b"1".to_vec(), b"2".to_vec()]);
}

#[tokio::test]
async fn large_payloads_up_to_max_payload_arrive_intact() {
    let server = TestServer::start().await;
    let client = server.client().await;
    let mut sub = client.subscribe("big").await.unwrap();
    client.flush().await.unwrap();
    let payload: Vec<u8> = (0..1024 * 1024).map(|i| (i % 251) as u8).collect();
    client.publish("big", payload.clone().into()).await.unwrap();
    client.flush().await.unwrap();
    assert_eq!(next(&mut sub).await.payload.as_ref(), payload.as_slice());
}

#[tokio::test]
async fn many_messages_arrive_in_order() {
    let server = TestServer::start().await;
    let sub_client = server.client().await;
    let mut sub = sub_client.subscribe("seq").await.unwrap();
    sub_client.flush().await.unwrap();
    let pub_client = server.client().await;
    let n = 20_000u32;
    for i in 0..n {
        pub_client
            .publish("seq", i.to_be_bytes().to_vec().into())
            .await
            .unwrap();
    }
    pub_client.flush().await.unwrap();
    for i in 0..n {
        let m = next(&mut sub).await;
        assert_eq!(m.payload.as_ref(), i.to_be_bytes());
    }
}
