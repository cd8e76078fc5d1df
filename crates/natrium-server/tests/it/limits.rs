//! Payload, connection, pending-bytes and liveness limits.

use std::time::Duration;

use natrium_testkit::TestServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn max_payload_is_announced_and_enforced_with_a_close() {
    let server = TestServer::start_with(|o| o.max_payload = 100).await;
    let mut c = server.raw().await;
    assert_eq!(c.info_json()["max_payload"], 100);
    c.send("CONNECT {\"verbose\":false}\r\nPUB a 100\r\n").await;
    c.send(vec![b'x'; 100]).await;
    c.send("\r\n").await;
    c.ping_pong().await;
    c.send("PUB a 101\r\n").await;
    assert_eq!(
        c.expect_closed().await,
        vec!["-ERR 'Maximum Payload Violation'"]
    );
    let mut next = server.raw().await;
    next.send("CONNECT {\"verbose\":false}\r\n").await;
    next.ping_pong().await;
}

#[tokio::test]
async fn max_connections_refuses_the_extra_client() {
    let server = TestServer::start_with(|o| o.max_connections = 2).await;
    let mut a = server.raw().await;
    let mut b = server.raw().await;
    a.send("CONNECT {\"verbose\":false}\r\n").await;
    b.send("CONNECT {\"verbose\":false}\r\n").await;
    a.ping_pong().await;
    b.ping_pong().await;
    let mut extra = server.raw().await;
    assert_eq!(
        extra.expect_closed().await,
        vec!["-ERR 'maximum connections exceeded'"]
    );
    drop(a);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut again = server.raw().await;
    again.send("CONNECT {\"verbose\":false}\r\n").await;
    again.ping_pong().await;
}

#[tokio::test]
async fn clients_that_never_answer_pings_are_closed_as_stale() {
    let server = TestServer::start_with(|o| {
        o.ping_interval = Duration::from_millis(100);
        o.ping_max = 2;
    })
    .await;
    let mut c = server.raw().await;
    c.send("CONNECT {\"verbose\":false}\r\n").await;
    let lines = c.expect_closed().await;
    assert_eq!(lines, vec!["PING", "PING", "-ERR 'Stale Connection'"]);
}

#[tokio::test]
async fn clients_that_answer_pings_stay() {
    let server = TestServer::start_with(|o| {
        o.ping_interval = Duration::from_millis(50);
        o.ping_max = 1;
    })
    .await;
    let mut c = server.raw().await;
    c.send("CONNECT {\"verbose\":false}\r\n").await;
    for _ in 0..5 {
        c.expect("PING").await;
        c.send("PONG\r\n").await;
    }
}

#[tokio::test]
async fn a_subscriber_that_stops_reading_is_cut_off_and_the_publisher_is_not() {
    let server = TestServer::start_with(|o| o.max_pending = 64 * 1024).await;
    let mut slow = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    slow.write_all(b"CONNECT {\"verbose\":false}\r\nSUB flood 1\r\nPING\r\n")
        .await
        .unwrap();
    let mut seen = Vec::new();
    while !seen.windows(4).any(|w| w == b"PONG") {
        let mut chunk = [0u8; 1024];
        let n = slow.read(&mut chunk).await.unwrap();
        seen.extend_from_slice(&chunk[..n]);
    }
    let publisher = server.client().await;
    let payload = bytes::Bytes::from(vec![b'x'; 8 * 1024]);
    for _ in 0..4000 {
        publisher.publish("flood", payload.clone()).await.unwrap();
    }
    publisher.flush().await.unwrap();
    // The server must have closed the slow connection: drain it to EOF.
    let mut total = 0usize;
    let drained = tokio::time::timeout(Duration::from_secs(10), async {
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            match slow.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => total += n,
            }
        }
    })
    .await;
    assert!(drained.is_ok(), "slow consumer was not disconnected");
    assert!(
        total < 4000 * 8 * 1024,
        "slow consumer received everything ({total} bytes)"
    );
    // The publisher is unaffected.
    let mut sub = publisher.subscribe("still.ok").await.unwrap();
    publisher.publish("still.ok", "y".into()).await.unwrap();
    use futures::StreamExt;
    assert!(tokio::time::timeout(Duration::from_secs(5), sub.next())
        .await
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn a_fast_producer_is_slowed_down_for_a_subscriber_that_keeps_reading() {
    const MSGS: usize = 32 * 1024;
    // "MSG flood 1 1024\r\n", the payload and its "\r\n".
    const DELIVERED_FRAME: usize = 18 + 1024 + 2;
    // Room for the subscriber to miss a few hundred milliseconds on a loaded machine: a
    // consumer that stops reading is still cut off once it passes max_pending.
    let server = TestServer::start_with(|o| o.max_pending = 8 * 1024 * 1024).await;
    let mut sub = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    sub.write_all(b"CONNECT {\"verbose\":false}\r\nSUB flood 1\r\nPING\r\n")
        .await
        .unwrap();
    let mut seen = Vec::new();
    while !seen.ends_with(b"PONG\r\n") {
        let mut byte = [0u8; 1];
        sub.read_exact(&mut byte).await.unwrap();
        seen.push(byte[0]);
    }
    // 32 MiB as fast as a raw socket can write them: far more than max_pending plus what
    // the socket buffers hold.
    let addr = server.addr();
    let publisher = tokio::spawn(async move {
        let mut p = tokio::net::TcpStream::connect(addr).await.unwrap();
        p.write_all(b"CONNECT {\"verbose\":false}\r\n")
            .await
            .unwrap();
        let frame = format!("PUB flood 1024\r\n{}\r\n", "x".repeat(1024));
        let batch = frame.repeat(64);
        for _ in 0..MSGS / 64 {
            p.write_all(batch.as_bytes()).await.unwrap();
        }
        p
    });
    // The subscriber reads steadily but more slowly than the publisher writes.
    let mut total = 0usize;
    let received = tokio::time::timeout(Duration::from_secs(60), async {
        let mut chunk = vec![0u8; 64 * 1024];
        while total < MSGS * DELIVERED_FRAME {
            match sub.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => total += n,
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    })
    .await;
    assert!(received.is_ok(), "delivery stalled at {total} bytes");
    assert_eq!(total, MSGS * DELIVERED_FRAME, "the subscriber was cut off");
    drop(publisher.await.unwrap());
}
