//! Interop with the reference nats-server (Go): Natrium nodes and a nats-server node
//! form one cluster and pass messages both ways.
//!
//! Skipped, with a message, unless `NATRIUM_REFERENCE_SERVER` names a nats-server
//! binary (e.g. `NATRIUM_REFERENCE_SERVER=$(/work/shared/tools/reference-server)`).

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures::StreamExt;
use natrium_testkit::TestServer;

use super::cluster::{eventually, interest_synced, next, nothing_more};

/// A nats-server child process, killed on drop.
struct GoServer {
    child: Child,
    client_port: u16,
    route_port: u16,
}

impl Drop for GoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

async fn start_go(extra: &[String]) -> Option<GoServer> {
    let Some(bin) = std::env::var_os("NATRIUM_REFERENCE_SERVER") else {
        eprintln!(
            "skipped: set NATRIUM_REFERENCE_SERVER to a nats-server binary to run the interop test"
        );
        return None;
    };
    let (client_port, route_port) = (free_port(), free_port());
    let child = Command::new(bin)
        .args(["-a", "127.0.0.1", "-p", &client_port.to_string()])
        .args(["--cluster", &format!("nats://127.0.0.1:{route_port}")])
        .args(["--cluster_name", "it", "--server_name", "go"])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("reference server starts");
    let go = GoServer {
        child,
        client_port,
        route_port,
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while tokio::net::TcpStream::connect(("127.0.0.1", route_port))
        .await
        .is_err()
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "nats-server never listened"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Some(go)
}

#[tokio::test]
async fn natrium_and_nats_server_form_a_cluster() {
    let Some(go) = start_go(&[]).await else {
        return;
    };
    let go_route = format!("nats://127.0.0.1:{}", go.route_port);
    let rs1 =
        TestServer::start_with(|o| super::cluster::node(o, std::slice::from_ref(&go_route))).await;
    // The second Natrium node knows only nats-server: nats-server's gossip must make
    // the two Natrium nodes connect to each other.
    let rs2 =
        TestServer::start_with(|o| super::cluster::node(o, std::slice::from_ref(&go_route))).await;
    eventually("full mesh through gossip", || {
        rs1.server().route_peers().len() == 2 && rs2.server().route_peers().len() == 2
    })
    .await;

    let on_go = async_nats::connect(format!("nats://127.0.0.1:{}", go.client_port))
        .await
        .expect("client connects to nats-server");
    let on_rs = rs1.client().await;

    // nats-server to Natrium, with headers.
    let mut to_rs = on_rs.subscribe("to.rs.>").await.unwrap();
    interest_synced(&on_go, &on_rs).await;
    let mut headers = async_nats::HeaderMap::new();
    headers.insert("X-From", "go");
    on_go
        .publish_with_headers("to.rs.a", headers, "hello".into())
        .await
        .unwrap();
    on_go.flush().await.unwrap();
    let m = next(&mut to_rs).await;
    assert_eq!(m.payload, "hello");
    assert_eq!(
        m.headers
            .and_then(|h| h.get("X-From").map(|v| v.to_string())),
        Some("go".to_owned())
    );

    // Natrium to nats-server.
    let mut to_go = on_go.subscribe("to.go").await.unwrap();
    interest_synced(&on_rs, &on_go).await;
    on_rs.publish("to.go", "hi".into()).await.unwrap();
    on_rs.flush().await.unwrap();
    assert_eq!(next(&mut to_go).await.payload, "hi");
    nothing_more(&mut to_go).await;

    // Request on Natrium, answered behind nats-server.
    let mut service = on_go.subscribe("svc").await.unwrap();
    interest_synced(&on_rs, &on_go).await;
    let responder = tokio::spawn({
        let on_go = on_go.clone();
        async move {
            let req = next(&mut service).await;
            on_go
                .publish(req.reply.expect("reply subject"), "pong".into())
                .await
                .unwrap();
            on_go.flush().await.unwrap();
        }
    });
    let answer = on_rs.request("svc", "ping".into()).await.unwrap();
    assert_eq!(answer.payload, "pong");
    responder.await.unwrap();

    // One queue group with members behind both servers: each message once.
    let mut members = vec![
        on_go.queue_subscribe("jobs", "q".into()).await.unwrap(),
        on_rs.queue_subscribe("jobs", "q".into()).await.unwrap(),
    ];
    interest_synced(&on_rs, &on_go).await;
    interest_synced(&on_go, &on_rs).await;
    for i in 0..200 {
        on_rs.publish("jobs", i.to_string().into()).await.unwrap();
    }
    on_rs.flush().await.unwrap();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut per_member = Vec::new();
    for m in &mut members {
        let mut got = 0;
        while let Ok(Some(msg)) = tokio::time::timeout(Duration::from_millis(500), m.next()).await {
            *seen
                .entry(String::from_utf8_lossy(&msg.payload).into_owned())
                .or_default() += 1;
            got += 1;
        }
        per_member.push(got);
    }
    assert_eq!(seen.len(), 200, "{per_member:?}");
    assert!(seen.values().all(|&n| n == 1), "{per_member:?}");
    assert!(per_member.iter().all(|&n| n > 0), "{per_member:?}");

    // Clients of Natrium learn nats-server's URL.
    let raw = rs1.raw().await;
    let urls = raw.info_json()["connect_urls"].to_string();
    assert!(
        urls.contains(&format!("127.0.0.1:{}", go.client_port)),
        "{urls}"
    );
}

#[tokio::test]
async fn nats_server_dialing_natrium() {
    let rs = TestServer::start_with(|o| super::cluster::node(o, &[])).await;
    let rs_route = rs.server().route_url().expect("route listener");
    let Some(go) = start_go(&["--routes".to_owned(), rs_route]).await else {
        return;
    };
    eventually("route from nats-server", || {
        rs.server().route_peers().len() == 1
    })
    .await;
    let on_go = async_nats::connect(format!("nats://127.0.0.1:{}", go.client_port))
        .await
        .expect("client connects to nats-server");
    let on_rs = rs.client().await;
    let mut sub = on_rs.subscribe("both.ways").await.unwrap();
    let mut sub_go = on_go.subscribe("both.ways").await.unwrap();
    interest_synced(&on_go, &on_rs).await;
    interest_synced(&on_rs, &on_go).await;
    on_go.publish("both.ways", "from go".into()).await.unwrap();
    on_go.flush().await.unwrap();
    on_rs.publish("both.ways", "from rs".into()).await.unwrap();
    on_rs.flush().await.unwrap();
    let mut got: Vec<String> = Vec::new();
    for s in [&mut sub, &mut sub_go] {
        for _ in 0..2 {
            got.push(String::from_utf8_lossy(&next(s).await.payload).into_owned());
        }
        nothing_more(s).await;
    }
    got.sort();
    assert_eq!(got, ["from go", "from go", "from rs", "from rs"]);
}
