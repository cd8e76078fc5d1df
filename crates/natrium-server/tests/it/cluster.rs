//! Clustering: several in-process servers joined by routes, real clients on each.

use std::collections::HashMap;
use std::time::Duration;

use futures::StreamExt;
use natrium_server::Options;
use natrium_testkit::TestServer;

const WAIT: Duration = Duration::from_secs(10);

pub(crate) fn node(opts: &mut Options, routes: &[String]) {
    opts.cluster.name = Some("it".to_owned());
    opts.cluster.listen = Some(("127.0.0.1".to_owned(), 0));
    opts.cluster.routes = routes.to_vec();
}

/// Waits until `cond` holds, polling.
pub(crate) async fn eventually(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !cond() {
        assert!(tokio::time::Instant::now() < deadline, "timed out: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// `n` servers: the first listens, the others are configured with a route to it only,
/// so the full mesh needs gossip. Returns once every server has a route to every other.
pub(crate) async fn cluster(n: usize) -> Vec<TestServer> {
    let seed = TestServer::start_with(|o| node(o, &[])).await;
    let seed_url = seed.server().route_url().expect("route listener");
    let mut servers = vec![seed];
    for _ in 1..n {
        let url = seed_url.clone();
        servers.push(TestServer::start_with(|o| node(o, &[url])).await);
    }
    eventually("full mesh", || {
        servers
            .iter()
            .all(|s| s.server().route_peers().len() == n - 1)
    })
    .await;
    servers
}

pub(crate) async fn next(sub: &mut async_nats::Subscriber) -> async_nats::Message {
    tokio::time::timeout(WAIT, sub.next())
        .await
        .expect("message in time")
        .expect("subscription open")
}

pub(crate) async fn nothing_more(sub: &mut async_nats::Subscriber) {
    let extra = tokio::time::timeout(Duration::from_millis(300), sub.next()).await;
    assert!(extra.is_err(), "unexpected message: {extra:?}");
}

/// How many messages `sub` receives until it has been quiet for a while.
async fn count(sub: &mut async_nats::Subscriber) -> usize {
    let mut n = 0;
    while let Ok(Some(_)) = tokio::time::timeout(Duration::from_millis(300), sub.next()).await {
        n += 1;
    }
    n
}

/// Returns once the server of `publisher` knows every subscription `subscriber` made
/// before this call: interest crosses a route in order, so a fresh probe subscription
/// arriving means the earlier ones did.
pub(crate) async fn interest_synced(
    publisher: &async_nats::Client,
    subscriber: &async_nats::Client,
) {
    let probe = format!("probe.{}", rand_suffix());
    let mut sub = subscriber.subscribe(probe.clone()).await.unwrap();
    subscriber.flush().await.unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        publisher.publish(probe.clone(), "".into()).await.unwrap();
        publisher.flush().await.unwrap();
        if tokio::time::timeout(Duration::from_millis(50), sub.next())
            .await
            .is_ok()
        {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "interest never crossed the route"
        );
    }
    sub.unsubscribe().await.unwrap();
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

#[tokio::test]
async fn messages_cross_the_route_for_plain_and_wildcard_subscribers() {
    let nodes = cluster(2).await;
    let a = nodes[0].client().await;
    let b = nodes[1].client().await;
    let mut exact = b.subscribe("orders.eu").await.unwrap();
    let mut star = b.subscribe("orders.*").await.unwrap();
    let mut tail = b.subscribe("orders.>").await.unwrap();
    interest_synced(&a, &b).await;

    let mut headers = async_nats::HeaderMap::new();
    headers.insert("X-Trace", "1");
    a.publish_with_headers("orders.eu", headers, "first".into())
        .await
        .unwrap();
    a.publish("orders.us.late", "second".into()).await.unwrap();
    a.flush().await.unwrap();

    let m = next(&mut exact).await;
    assert_eq!(m.payload, "first");
    assert_eq!(
        m.headers
            .and_then(|h| h.get("X-Trace").map(|v| v.to_string())),
        Some("1".to_owned())
    );
    // Three matching subscriptions on B, yet the message crossed once: each got one copy.
    assert_eq!(next(&mut star).await.payload, "first");
    assert_eq!(next(&mut tail).await.payload, "first");
    assert_eq!(next(&mut tail).await.payload, "second");
    nothing_more(&mut exact).await;
    nothing_more(&mut star).await;
    nothing_more(&mut tail).await;
}

#[tokio::test]
async fn a_message_crosses_one_route_only() {
    let nodes = cluster(3).await;
    let a = nodes[0].client().await;
    let b = nodes[1].client().await;
    let c = nodes[2].client().await;
    let mut on_b = b.subscribe("news").await.unwrap();
    let mut on_c = c.subscribe("news").await.unwrap();
    interest_synced(&a, &b).await;
    interest_synced(&a, &c).await;
    interest_synced(&b, &c).await;

    for i in 0..20 {
        a.publish("news", i.to_string().into()).await.unwrap();
    }
    a.flush().await.unwrap();
    for i in 0..20 {
        assert_eq!(next(&mut on_b).await.payload, i.to_string());
        assert_eq!(next(&mut on_c).await.payload, i.to_string());
    }
    // Had B forwarded what it got from A, C would see every message twice.
    nothing_more(&mut on_b).await;
    nothing_more(&mut on_c).await;
}

#[tokio::test]
async fn queue_group_members_on_all_nodes_get_each_message_once() {
    let nodes = cluster(3).await;
    let clients = [
        nodes[0].client().await,
        nodes[1].client().await,
        nodes[2].client().await,
    ];
    let mut members = Vec::new();
    for c in &clients {
        members.push(c.queue_subscribe("work", "workers".into()).await.unwrap());
    }
    let mut watcher = clients[2].subscribe("work").await.unwrap();
    for c in &clients[1..] {
        interest_synced(&clients[0], c).await;
    }

    const N: usize = 300;
    for i in 0..N {
        clients[0]
            .publish("work", i.to_string().into())
            .await
            .unwrap();
    }
    clients[0].flush().await.unwrap();

    for _ in 0..N {
        next(&mut watcher).await;
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut per_member = Vec::new();
    for m in &mut members {
        let mut got = 0;
        while let Ok(Some(msg)) = tokio::time::timeout(Duration::from_millis(300), m.next()).await {
            *seen
                .entry(String::from_utf8_lossy(&msg.payload).into_owned())
                .or_default() += 1;
            got += 1;
        }
        per_member.push(got);
    }
    assert_eq!(seen.len(), N, "every message delivered: {per_member:?}");
    assert!(
        seen.values().all(|&n| n == 1),
        "exactly once per group: {per_member:?}"
    );
    assert!(
        per_member.iter().all(|&n| n > 0),
        "spread over the cluster: {per_member:?}"
    );
}

#[tokio::test]
async fn request_reply_across_nodes() {
    let nodes = cluster(2).await;
    let a = nodes[0].client().await;
    let b = nodes[1].client().await;
    let mut service = b.subscribe("svc.echo").await.unwrap();
    interest_synced(&a, &b).await;
    let responder = tokio::spawn({
        let b = b.clone();
        async move {
            let req = next(&mut service).await;
            let reply = req.reply.expect("request has a reply subject");
            b.publish(reply, req.payload).await.unwrap();
            b.flush().await.unwrap();
        }
    });
    let answer = tokio::time::timeout(WAIT, a.request("svc.echo", "ping".into()))
        .await
        .expect("answer in time")
        .expect("request answered");
    assert_eq!(answer.payload, "ping");
    responder.await.unwrap();
}

#[tokio::test]
async fn unsubscribe_on_one_node_stops_delivery_from_the_other() {
    let nodes = cluster(2).await;
    let a = nodes[0].client().await;
    let b = nodes[1].client().await;
    let mut sub = b.subscribe("ticks").await.unwrap();
    let mut keep = b.subscribe("ticks.>").await.unwrap();
    interest_synced(&a, &b).await;
    a.publish("ticks", "1".into()).await.unwrap();
    a.flush().await.unwrap();
    assert_eq!(next(&mut sub).await.payload, "1");

    sub.unsubscribe().await.unwrap();
    interest_synced(&a, &b).await;
    a.publish("ticks", "2".into()).await.unwrap();
    a.publish("ticks.x", "3".into()).await.unwrap();
    a.flush().await.unwrap();
    assert_eq!(next(&mut keep).await.payload, "3");
    // The route carries RS- too: A no longer sends what B has no interest in.
    let routez = nodes[0].server().route_peers();
    assert_eq!(routez.len(), 1);
}

#[tokio::test]
async fn a_lost_route_is_dialed_again() {
    let first = TestServer::start_with(|o| node(o, &[])).await;
    let route_addr = first.server().route_addr().expect("route listener");
    let url = first.server().route_url().expect("route url");
    let b = TestServer::start_with(|o| node(o, &[url])).await;
    eventually("route up", || b.server().route_peers().len() == 1).await;

    first.shutdown().await;
    eventually("route down", || b.server().route_peers().is_empty()).await;

    let again = TestServer::start_with(|o| {
        node(o, &[]);
        o.cluster.listen = Some(("127.0.0.1".to_owned(), route_addr.port()));
    })
    .await;
    eventually("route back", || b.server().route_peers().len() == 1).await;

    let on_b = b.client().await;
    let on_new = again.client().await;
    let mut sub = on_b.subscribe("back").await.unwrap();
    interest_synced(&on_new, &on_b).await;
    on_new.publish("back", "hi".into()).await.unwrap();
    on_new.flush().await.unwrap();
    assert_eq!(next(&mut sub).await.payload, "hi");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

#[tokio::test]
async fn servers_dialing_each_other_keep_one_route() {
    // Every server is configured with the same route list, naming all servers (itself
    // included, as shared configs do), so each pair dials each other at about the same
    // time, as in the conformance harness.
    let ports = [free_port(), free_port(), free_port()];
    let routes: Vec<String> = ports
        .iter()
        .map(|p| format!("nats://127.0.0.1:{p}"))
        .collect();
    let mut nodes = Vec::new();
    for port in &ports {
        nodes.push(
            TestServer::start_with(|o| {
                node(o, &routes);
                o.cluster.listen = Some(("127.0.0.1".to_owned(), *port));
            })
            .await,
        );
    }
    eventually("mesh", || {
        nodes.iter().all(|s| s.server().route_peers().len() == 2)
    })
    .await;
    // Stays at one route per peer.
    let rids = |s: &TestServer| s.server().route_peers();
    let before: Vec<_> = nodes.iter().map(rids).collect();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let after: Vec<_> = nodes.iter().map(rids).collect();
    assert_eq!(before, after);

    let c = nodes[2].client().await;
    let a = nodes[0].client().await;
    let mut sub = a.subscribe("x").await.unwrap();
    interest_synced(&c, &a).await;
    c.publish("x", "once".into()).await.unwrap();
    c.flush().await.unwrap();
    assert_eq!(next(&mut sub).await.payload, "once");
    nothing_more(&mut sub).await;
}

#[tokio::test]
async fn clients_learn_peer_urls_in_info_and_async_info() {
    let a = TestServer::start_with(|o| node(o, &[])).await;
    // A lone server advertises no connect_urls, as nats-server.
    let mut early = a.raw().await;
    assert!(early.info_json().get("connect_urls").is_none());
    assert_eq!(early.info_json()["cluster"], "it");
    early
        .send("CONNECT {\"verbose\":false,\"protocol\":1}\r\nPING\r\n")
        .await;
    early.expect("PONG").await;

    let url = a.server().route_url().expect("route url");
    let b = TestServer::start_with(|o| node(o, &[url])).await;
    let b_url = b.addr().to_string();
    let a_url = a.addr().to_string();

    // The client connected before B joined is told with an async INFO.
    let line = early.line().await;
    let json: serde_json::Value =
        serde_json::from_str(line.strip_prefix("INFO ").expect("an INFO line").trim_end()).unwrap();
    assert_eq!(
        json["connect_urls"],
        serde_json::json!([a_url.clone(), b_url.clone()])
    );

    // A client connecting now gets them in its first INFO.
    let late = a.raw().await;
    assert_eq!(
        late.info_json()["connect_urls"],
        serde_json::json!([a_url.clone(), b_url.clone()])
    );

    // A client that did not ask for async INFO (protocol 0) is left alone.
    let mut old = a.raw().await;
    old.send("CONNECT {\"verbose\":false,\"protocol\":0}\r\nPING\r\n")
        .await;
    old.expect("PONG").await;

    b.shutdown().await;
    let line = early.line().await;
    assert!(line.starts_with("INFO "), "got {line:?}");
    assert!(!line.contains("connect_urls"), "B is gone: {line}");
    old.ping_pong().await;
}

#[tokio::test]
async fn routez_lists_the_routes() {
    let nodes = cluster(2).await;
    let monitored = TestServer::start_with(|o| {
        node(o, &[nodes[0].server().route_url().unwrap()]);
        o.http_port = Some(0);
    })
    .await;
    eventually("routes", || monitored.server().route_peers().len() == 2).await;
    let http = monitored.server().monitor_addr().expect("monitoring on");
    let body = super::monitor::get_json(http, "/routez").await;
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["num_routes"], 2);
    let ids: Vec<&str> = json["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["remote_id"].as_str().unwrap())
        .collect();
    for n in &nodes {
        assert!(ids.contains(&n.server().server_id()));
    }
    let first = &json["routes"][0];
    assert!(first["did_solicit"].is_boolean());
    assert!(first["port"].as_u64().unwrap() > 0);

    let varz: serde_json::Value =
        serde_json::from_str(&super::monitor::get_json(http, "/varz").await).unwrap();
    assert_eq!(varz["routes"], 2);
    assert_eq!(varz["cluster"]["name"], "it");
    assert_eq!(
        varz["cluster"]["cluster_port"],
        monitored.server().route_addr().unwrap().port()
    );
    assert_eq!(varz["connect_urls"].as_array().map(Vec::len), Some(3));
}

#[tokio::test]
async fn servers_of_different_clusters_refuse_each_other() {
    let a = TestServer::start_with(|o| node(o, &[])).await;
    let url = a.server().route_url().unwrap();
    let b = TestServer::start_with(|o| {
        node(o, &[url]);
        o.cluster.name = Some("other".to_owned());
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(a.server().route_peers().is_empty());
    assert!(b.server().route_peers().is_empty());
}

#[tokio::test]
async fn servers_without_a_cluster_name_agree_on_one() {
    let unnamed = |o: &mut Options, routes: &[String]| {
        node(o, routes);
        o.cluster.name = None;
    };
    let a = TestServer::start_with(|o| unnamed(o, &[])).await;
    let url = a.server().route_url().unwrap();
    let b = TestServer::start_with(|o| unnamed(o, &[url])).await;
    eventually("route up", || b.server().route_peers().len() == 1).await;
    let name_a = a.raw().await.info_json()["cluster"].clone();
    let name_b = b.raw().await.info_json()["cluster"].clone();
    assert!(name_a.is_string());
    assert_eq!(name_a, name_b);
}

#[tokio::test]
async fn no_advertise_keeps_peer_urls_from_clients() {
    let a = TestServer::start_with(|o| {
        node(o, &[]);
        o.cluster.no_advertise = true;
    })
    .await;
    let url = a.server().route_url().unwrap();
    let b = TestServer::start_with(|o| node(o, &[url])).await;
    eventually("route up", || a.server().route_peers().len() == 1).await;
    assert!(a.raw().await.info_json().get("connect_urls").is_none());
    // A does not tell B its URL either, so B knows no other URL to advertise.
    let b_urls = b.raw().await.info_json()["connect_urls"].clone();
    assert!(b_urls.is_null(), "{b_urls}");
}

#[tokio::test]
async fn peers_advertise_the_client_advertise_address() {
    let a = TestServer::start_with(|o| {
        node(o, &[]);
        o.client_advertise = Some("nats.example:4333".to_owned());
    })
    .await;
    let url = a.server().route_url().unwrap();
    let b = TestServer::start_with(|o| node(o, &[url])).await;
    eventually("route up", || b.server().route_peers().len() == 1).await;
    assert_eq!(
        b.raw().await.info_json()["connect_urls"],
        serde_json::json!([b.addr().to_string(), "nats.example:4333"])
    );
    let info = a.raw().await.info_json();
    assert_eq!(
        info["connect_urls"],
        serde_json::json!(["nats.example:4333", b.addr().to_string()])
    );
    assert_eq!(
        (&info["host"], &info["port"]),
        (&"nats.example".into(), &4333.into())
    );
}

#[tokio::test]
async fn a_peer_in_lame_duck_mode_is_no_longer_advertised() {
    let a = TestServer::start_with(|o| {
        node(o, &[]);
        o.lame_duck_grace_period = Duration::from_millis(100);
        o.lame_duck_duration = Duration::from_millis(200);
    })
    .await;
    let url = a.server().route_url().unwrap();
    let b = TestServer::start_with(|o| node(o, &[url])).await;
    eventually("route up", || b.server().route_peers().len() == 1).await;
    let mut on_b = b.raw().await;
    assert_eq!(
        on_b.info_json()["connect_urls"],
        serde_json::json!([b.addr().to_string(), a.addr().to_string()])
    );
    on_b.send("CONNECT {\"verbose\":false,\"protocol\":1}\r\nPING\r\n")
        .await;
    on_b.expect("PONG").await;

    a.server().lame_duck().await;
    let line = on_b.line().await;
    assert!(line.starts_with("INFO "), "{line}");
    assert!(!line.contains("connect_urls"), "A is gone: {line}");
}

#[tokio::test]
async fn queue_members_count_by_number_across_the_cluster() {
    let nodes = cluster(2).await;
    let a = nodes[0].client().await;
    let b = nodes[1].client().await;
    let mut local = a.queue_subscribe("load", "q".into()).await.unwrap();
    let mut remote = Vec::new();
    for _ in 0..3 {
        remote.push(b.queue_subscribe("load", "q".into()).await.unwrap());
    }
    interest_synced(&a, &b).await;
    for i in 0..400 {
        a.publish("load", i.to_string().into()).await.unwrap();
    }
    a.flush().await.unwrap();
    let on_a = count(&mut local).await;
    let mut on_b = 0;
    for sub in &mut remote {
        on_b += count(sub).await;
    }
    assert_eq!(on_a + on_b, 400);
    // B's three members weigh three times A's one (expected 300 against 100).
    assert!(on_b > on_a * 3 / 2, "A {on_a}, B {on_b}");
}
