//! Monitoring endpoints over real HTTP, checked against real client traffic.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use futures::StreamExt;
use natrium_api::monitor::{Connz, Routez, Subsz, Varz};
use natrium_server::options::User;
use natrium_testkit::TestServer;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const WAIT: Duration = Duration::from_secs(5);

/// One HTTP/1.0 GET: (status, lower-cased headers, body).
pub(crate) async fn http_get(
    addr: SocketAddr,
    path: &str,
) -> (u16, HashMap<String, String>, String) {
    let mut stream = TcpStream::connect(addr).await.expect("monitor connect");
    let request = format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    tokio::time::timeout(WAIT, stream.read_to_end(&mut raw))
        .await
        .expect("response in time")
        .expect("read");
    let text = String::from_utf8(raw).expect("utf-8 response");
    let (head, body) = text.split_once("\r\n\r\n").expect("header/body split");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, body.to_owned())
}

/// GET that must succeed with JSON; returns the body.
pub(crate) async fn get_json(addr: SocketAddr, path: &str) -> String {
    let (status, headers, body) = http_get(addr, path).await;
    assert_eq!(status, 200, "GET {path}: {body}");
    assert_eq!(headers["content-type"], "application/json", "GET {path}");
    assert_eq!(headers["access-control-allow-origin"], "*", "GET {path}");
    body
}

async fn varz(addr: SocketAddr) -> Varz {
    serde_json::from_str(&get_json(addr, "/varz").await).expect("varz parses")
}

async fn connz(addr: SocketAddr, query: &str) -> Connz {
    serde_json::from_str(&get_json(addr, &format!("/connz{query}")).await).expect("connz parses")
}

async fn monitored() -> (TestServer, SocketAddr) {
    // Without a system account: its service subscriptions would add to every count
    // these tests check (nats-server counts them too).
    let server = TestServer::start_with(|o| {
        o.http_port = Some(0);
        o.no_system_account = true;
    })
    .await;
    let addr = server.server().monitor_addr().expect("monitoring on");
    (server, addr)
}

async fn named(server: &TestServer, name: &str) -> async_nats::Client {
    async_nats::ConnectOptions::new()
        .name(name)
        .connect(server.url())
        .await
        .expect("client connects")
}

async fn receive(sub: &mut async_nats::Subscriber, n: usize) {
    for _ in 0..n {
        tokio::time::timeout(WAIT, sub.next())
            .await
            .expect("message in time")
            .expect("subscription open");
    }
}

/// Polls `/varz` until `done` holds.
async fn varz_until(addr: SocketAddr, done: impl Fn(&Varz) -> bool) -> Varz {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let v = varz(addr).await;
        if done(&v) || tokio::time::Instant::now() > deadline {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn varz_tracks_connections_messages_and_subscriptions() {
    let (server, addr) = monitored().await;
    let v = varz(addr).await;
    assert_eq!(v.server_id, server.server().server_id());
    assert_eq!(v.port, server.addr().port());
    assert_eq!(v.http_port, -1, "a random monitoring port shows as -1");
    assert_eq!(
        v.ping_interval, 120_000_000_000,
        "Go durations are nanoseconds"
    );
    assert_eq!(v.write_deadline, 10_000_000_000);
    assert_eq!(v.auth_timeout, 2.0);
    assert_eq!(v.max_payload, 1024 * 1024);
    assert_eq!(v.max_connections, 64 * 1024);
    assert_eq!(
        (v.connections, v.total_connections, v.subscriptions),
        (0, 0, 0)
    );
    assert_eq!((v.in_msgs, v.out_msgs), (0, 0));
    assert!(v.mem > 0, "RSS is read from /proc");
    assert!(v.cores > 0);
    assert!(v.uptime.ends_with('s'), "{}", v.uptime);
    assert!(
        v.start.ends_with('Z') && v.start.contains('T'),
        "{}",
        v.start
    );
    assert_eq!(v.http_req_stats.get("/varz"), Some(&1));

    let sub_client = named(&server, "sub").await;
    let mut foo = sub_client.subscribe("foo").await.unwrap();
    let _other = sub_client.subscribe("bar.*").await.unwrap();
    sub_client.flush().await.unwrap();
    let pub_client = named(&server, "pub").await;
    for _ in 0..3 {
        pub_client.publish("foo", "hello".into()).await.unwrap();
    }
    pub_client.flush().await.unwrap();
    receive(&mut foo, 3).await;

    let v = varz_until(addr, |v| v.out_msgs == 3).await;
    assert_eq!(v.connections, 2);
    assert_eq!(v.total_connections, 2);
    assert_eq!(v.subscriptions, 2);
    assert_eq!((v.in_msgs, v.in_bytes), (3, 15));
    assert_eq!((v.out_msgs, v.out_bytes), (3, 15));
    assert_eq!((v.in_client_msgs, v.out_client_msgs), (3, 3));

    // Counters of closed connections survive them; live gauges drop.
    drop(foo);
    drop(_other);
    drop(sub_client);
    let v = varz_until(addr, |v| v.connections == 1).await;
    assert_eq!(v.connections, 1);
    assert_eq!(v.total_connections, 2);
    assert_eq!(v.subscriptions, 0);
    assert_eq!((v.in_msgs, v.out_msgs), (3, 3));
}

#[tokio::test]
async fn varz_json_is_written_like_nats_server() {
    let (_server, addr) = monitored().await;
    let body = get_json(addr, "/varz").await;
    assert!(body.starts_with("{\n  \"server_id\": \"N"), "{body}");
    assert!(
        body.contains("\n  \"auth_timeout\": 2,\n"),
        "whole floats without .0"
    );
    assert!(
        body.contains("\n  \"jetstream\": {},\n"),
        "jetstream is {{}} when off"
    );
    assert!(body.contains("\n  \"cluster\": {},\n"));
    assert!(!body.contains("\"auth_required\""), "omitted when false");
    let v: Value = serde_json::from_str(&body).unwrap();
    for key in [
        "version",
        "proto",
        "go",
        "host",
        "http_host",
        "max_control_line",
        "max_pending",
        "ping_max",
        "start",
        "now",
        "cpu",
        "routes",
        "remotes",
        "leafnodes",
        "slow_consumers",
        "config_load_time",
        "http_req_stats",
        "slow_consumer_stats",
        "disk_io_wait_stats",
    ] {
        assert!(v.get(key).is_some(), "varz lacks {key}");
    }
}

#[tokio::test]
async fn connz_lists_named_clients_and_their_subscriptions() {
    let (server, addr) = monitored().await;
    let alpha = named(&server, "alpha").await;
    let _s1 = alpha.subscribe("orders.>").await.unwrap();
    let _s2 = alpha.queue_subscribe("work", "q".into()).await.unwrap();
    alpha.flush().await.unwrap();
    let beta = named(&server, "beta").await;
    let _s3 = beta.subscribe("news").await.unwrap();
    beta.flush().await.unwrap();

    let c = connz(addr, "").await;
    assert_eq!(
        (c.num_connections, c.total, c.offset, c.limit),
        (2, 2, 0, 1024)
    );
    let names: Vec<_> = c.connections.iter().map(|ci| ci.name.as_str()).collect();
    assert_eq!(names, ["alpha", "beta"], "default order is by cid");
    assert!(c.connections[0].cid < c.connections[1].cid);
    let a = &c.connections[0];
    assert_eq!(
        (a.kind.as_str(), a.client_type.as_str()),
        ("Client", "nats")
    );
    assert_eq!(a.subscriptions, 2);
    assert_eq!(c.connections[1].subscriptions, 1);
    assert_eq!(a.lang, "rust");
    assert_eq!(a.ip, "127.0.0.1");
    assert!(a.subscriptions_list.is_empty(), "only with subs=1");

    let c = connz(addr, "?subs=1").await;
    assert_eq!(c.connections[0].subscriptions_list, ["orders.>", "work"]);
    assert_eq!(c.connections[1].subscriptions_list, ["news"]);

    let c = connz(addr, "?subs=detail").await;
    let detail = &c.connections[0].subscriptions_list_detail;
    assert_eq!(detail.len(), 2);
    assert_eq!(detail[1].subject, "work");
    assert_eq!(detail[1].queue, "q");
    assert_eq!(detail[1].cid, c.connections[0].cid);
    assert!(
        detail[0].account.is_empty(),
        "connz details carry no account"
    );

    // Go escapes '>' in JSON strings.
    let raw = get_json(addr, "/connz?subs=1").await;
    assert!(raw.contains("\"orders.\\u003e\""), "{raw}");
}

#[tokio::test]
async fn connz_sorts_pages_and_filters() {
    let (server, addr) = monitored().await;
    let mut clients = Vec::new();
    for (name, msgs) in [("one", 1), ("three", 3), ("two", 2)] {
        let c = named(&server, name).await;
        for _ in 0..msgs {
            c.publish("nowhere", "x".into()).await.unwrap();
        }
        c.flush().await.unwrap();
        clients.push(c);
    }
    let _sub = clients[0].subscribe("a").await.unwrap();
    clients[0].flush().await.unwrap();

    let names = |c: &Connz| {
        c.connections
            .iter()
            .map(|ci| ci.name.clone())
            .collect::<Vec<_>>()
    };
    let c = connz(addr, "?sort=msgs_from").await;
    assert_eq!(names(&c), ["three", "two", "one"]);
    assert_eq!(c.connections[0].in_msgs, 3);
    assert_eq!(c.connections[0].in_bytes, 3);
    assert_eq!(
        names(&connz(addr, "?sort=bytes_from").await),
        ["three", "two", "one"]
    );
    assert_eq!(names(&connz(addr, "?sort=subs").await)[0], "one");
    assert_eq!(
        names(&connz(addr, "?sort=uptime").await),
        ["two", "three", "one"]
    );

    let page = connz(addr, "?sort=msgs_from&offset=1&limit=1").await;
    assert_eq!(names(&page), ["two"]);
    assert_eq!(
        (page.num_connections, page.total, page.offset, page.limit),
        (1, 3, 1, 1)
    );
    let past_end = connz(addr, "?offset=5").await;
    assert_eq!((past_end.num_connections, past_end.total), (0, 3));

    let all = connz(addr, "").await;
    let cid = all.connections[1].cid;
    let one = connz(addr, &format!("?cid={cid}")).await;
    assert_eq!(names(&one), ["three"]);
    assert_eq!((one.limit, one.total), (1, 3));
    assert!(connz(addr, "?state=closed").await.connections.is_empty());

    for (query, status, text) in [
        ("?sort=bogus", 400, "invalid sorting option: bogus"),
        ("?sort=stop", 400, "sort by stop only valid on closed connections"),
        (
            "?limit=abc",
            400,
            "Error decoding int for 'limit': strconv.Atoi: parsing \"abc\": invalid syntax",
        ),
        (
            "?subs=maybe",
            400,
            "Error decoding boolean for 'subs': strconv.ParseBool: parsing \"maybe\": invalid syntax",
        ),
        ("?state=weird", 400, "Error decoding state for weird"),
    ] {
        let (got, _, body) = http_get(addr, &format!("/connz{query}")).await;
        assert_eq!((got, body.as_str()), (status, text), "/connz{query}");
    }
}

#[tokio::test]
async fn connz_auth_shows_the_authorized_user() {
    let server = TestServer::start_with(|o| {
        o.http_port = Some(0);
        o.auth.user = Some(User {
            username: "bob".into(),
            password: "s3cret".into(),
            ..User::default()
        });
    })
    .await;
    let addr = server.server().monitor_addr().unwrap();
    let client = async_nats::ConnectOptions::with_user_and_password("bob".into(), "s3cret".into())
        .connect(server.url())
        .await
        .unwrap();
    client.flush().await.unwrap();
    let c = connz(addr, "").await;
    assert!(
        c.connections[0].authorized_user.is_empty(),
        "only with auth=1"
    );
    let c = connz(addr, "?auth=1").await;
    assert_eq!(c.connections[0].authorized_user, "bob");
    assert_eq!(c.connections[0].name_tag, "$G");
    assert!(
        c.connections[0].account.is_empty(),
        "the global account is not named"
    );
    assert_eq!(connz(addr, "?auth=1&user=alice").await.connections.len(), 0);
    assert!(varz(addr).await.auth_required);
}

#[tokio::test]
async fn subsz_counts_and_lists_subscriptions() {
    let (server, addr) = monitored().await;
    let client = named(&server, "subs").await;
    let _a = client.subscribe("foo.bar").await.unwrap();
    let _b = client.subscribe("foo.*").await.unwrap();
    let _c = client
        .queue_subscribe("baz", "workers".into())
        .await
        .unwrap();
    client.flush().await.unwrap();

    let s: Subsz = serde_json::from_str(&get_json(addr, "/subsz").await).unwrap();
    assert_eq!(s.stats.num_subscriptions, 3);
    assert_eq!((s.total, s.offset, s.limit), (0, 0, 1024));
    assert!(s.subscriptions_list.is_empty(), "only with subs=1");

    let s: Subsz = serde_json::from_str(&get_json(addr, "/subsz?subs=1").await).unwrap();
    assert_eq!(s.total, 3);
    let mut subjects: Vec<_> = s
        .subscriptions_list
        .iter()
        .map(|d| d.subject.as_str())
        .collect();
    subjects.sort_unstable();
    assert_eq!(subjects, ["baz", "foo.*", "foo.bar"]);
    assert!(s.subscriptions_list.iter().all(|d| d.account == "$G"));
    let queue = s
        .subscriptions_list
        .iter()
        .find(|d| d.subject == "baz")
        .unwrap();
    assert_eq!(queue.queue, "workers");

    let s: Subsz =
        serde_json::from_str(&get_json(addr, "/subscriptionsz?subs=1&test=foo.bar").await).unwrap();
    assert_eq!(
        s.total, 2,
        "the alias works and test= keeps matching subscriptions"
    );
    let s: Subsz =
        serde_json::from_str(&get_json(addr, "/subsz?subs=1&limit=1&offset=2").await).unwrap();
    assert_eq!((s.total, s.subscriptions_list.len()), (3, 1));

    let (status, _, body) = http_get(addr, "/subsz?test=foo.*").await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        "invalid test subject, must be valid publish subject: foo.*"
    );
    let stats = varz(addr).await.http_req_stats;
    assert_eq!(
        stats.get("/subsz"),
        Some(&5),
        "the alias counts as /subsz: {stats:?}"
    );
}

#[tokio::test]
async fn healthz_is_ok_and_refuses_bad_requests() {
    let (_server, addr) = monitored().await;
    for path in [
        "/healthz",
        "/healthz?js-enabled-only=true",
        "/healthz?js-server-only=1",
    ] {
        let (status, headers, body) = http_get(addr, path).await;
        assert_eq!(
            (status, body.as_str()),
            (200, r#"{"status":"ok"}"#),
            "{path}"
        );
        assert_eq!(headers["content-type"], "application/json");
    }
    let (status, _, body) = http_get(addr, "/healthz?stream=orders").await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        r#"{"status":"error","error":"\"account\" must not be empty when checking stream health"}"#
    );
    let (status, _, body) = http_get(addr, "/healthz?js-enabled-only=maybe").await;
    assert_eq!(status, 400);
    assert!(
        body.starts_with("Error decoding boolean for 'js-enabled-only'"),
        "{body}"
    );
}

#[tokio::test]
async fn routez_is_empty_without_a_cluster() {
    let server = TestServer::start_with(|o| {
        o.http_port = Some(0);
        o.server_name = Some("lonely".into());
    })
    .await;
    let addr = server.server().monitor_addr().unwrap();
    let body = get_json(addr, "/routez").await;
    let r: Routez = serde_json::from_str(&body).unwrap();
    assert_eq!(r.server_id, server.server().server_id());
    assert_eq!(r.server_name, "lonely");
    assert_eq!(r.num_routes, 0);
    assert!(r.routes.is_empty());
    assert!(
        body.contains("\"routes\": []"),
        "an empty array, not null: {body}"
    );
}

#[tokio::test]
async fn metrics_match_varz() {
    let (server, addr) = monitored().await;
    let client = named(&server, "m").await;
    let mut sub = client.subscribe("m").await.unwrap();
    client.flush().await.unwrap();
    for _ in 0..4 {
        client.publish("m", "abc".into()).await.unwrap();
    }
    client.flush().await.unwrap();
    receive(&mut sub, 4).await;
    let v = varz_until(addr, |v| v.out_msgs == 4).await;

    let (status, headers, body) = http_get(addr, "/metrics").await;
    assert_eq!(status, 200);
    assert!(headers["content-type"].starts_with("text/plain; version=0.0.4"));
    let mut values = HashMap::new();
    let mut typed = Vec::new();
    let mut helped = Vec::new();
    for line in body.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap();
            assert!(["gauge", "counter"].contains(&kind), "{line}");
            typed.push(name.to_owned());
        } else if let Some(rest) = line.strip_prefix("# HELP ") {
            helped.push(rest.split_once(' ').unwrap().0.to_owned());
        } else {
            let (name, value) = line.rsplit_once(' ').unwrap();
            let name = name.split('{').next().unwrap();
            assert!(name.starts_with("natrium_"), "{line}");
            assert!(
                typed.last().map(String::as_str) == Some(name),
                "TYPE before {name}"
            );
            values.insert(name.to_owned(), value.parse::<f64>().unwrap());
        }
    }
    assert_eq!(typed, helped, "every metric has HELP and TYPE");
    let expect = [
        ("natrium_connections", v.connections),
        ("natrium_connections_total", v.total_connections),
        ("natrium_subscriptions", v.subscriptions),
        ("natrium_in_msgs_total", v.in_msgs),
        ("natrium_out_msgs_total", v.out_msgs),
        ("natrium_in_bytes_total", v.in_bytes),
        ("natrium_out_bytes_total", v.out_bytes),
        ("natrium_slow_consumers_total", v.slow_consumers),
    ];
    for (name, want) in expect {
        assert_eq!(values.get(name), Some(&(want as f64)), "{name}");
    }
    assert_eq!(values["natrium_in_msgs_total"], 4.0);
    assert_eq!(values["natrium_out_bytes_total"], 12.0);
    assert!(values["natrium_mem_bytes"] > 0.0);
    assert!(values["natrium_uptime_seconds"] >= 0.0);
    assert_eq!(values["natrium_info"], 1.0);
}

#[tokio::test]
async fn index_page_links_endpoints_and_unknown_paths_are_404() {
    let (_server, addr) = monitored().await;
    let (status, headers, body) = http_get(addr, "/").await;
    assert_eq!(status, 200);
    assert!(headers["content-type"].starts_with("text/html"));
    for path in [
        "/varz", "/connz", "/subsz", "/routez", "/healthz", "/metrics",
    ] {
        assert!(
            body.contains(&format!("href=.{path}")),
            "index lacks {path}"
        );
    }
    let (status, _, body) = http_get(addr, "/nope").await;
    assert_eq!((status, body.as_str()), (404, "404 page not found\n"));
    assert_eq!(varz(addr).await.http_req_stats.get("/"), Some(&1));
}

#[tokio::test]
async fn connz_last_activity_moves_when_a_client_publishes() {
    let (server, addr) = monitored().await;
    let client = named(&server, "active").await;
    let before = connz(addr, "").await.connections[0].last_activity.clone();
    tokio::time::sleep(Duration::from_millis(20)).await;
    client.publish("x", "y".into()).await.unwrap();
    client.flush().await.unwrap();
    let after = connz(addr, "").await.connections[0].last_activity.clone();
    // Go's RFC 3339 drops trailing zeros of the fraction: pad it before comparing.
    let sortable = |t: &str| {
        let t = t.trim_end_matches('Z');
        let (secs, frac) = t.split_once('.').unwrap_or((t, ""));
        format!("{secs}.{frac:0<9}")
    };
    assert!(
        sortable(&after) > sortable(&before),
        "last_activity {before} -> {after}"
    );
}

#[tokio::test]
async fn subsz_statistics_follow_the_index() {
    let (server, addr) = monitored().await;
    let client = named(&server, "stats").await;
    let mut a = client.subscribe("s.one").await.unwrap();
    let _b = client.subscribe("s.*").await.unwrap();
    let _q1 = client.queue_subscribe("s.one", "g".into()).await.unwrap();
    let gone = client.subscribe("gone").await.unwrap();
    drop(gone);
    client.flush().await.unwrap();
    client.publish("s.one", "x".into()).await.unwrap();
    client.flush().await.unwrap();
    receive(&mut a, 1).await;

    let s: Subsz = serde_json::from_str(&get_json(addr, "/subsz").await).unwrap();
    let st = s.stats;
    assert_eq!(st.num_subscriptions, 3);
    assert!(st.num_inserts >= 4 && st.num_removes >= 1, "{st:?}");
    assert!(st.num_matches >= 1 && st.num_cache >= 1, "{st:?}");
    // s.one reaches two plain subscriptions and one queue group.
    assert_eq!(st.max_fanout, 3, "{st:?}");
}

async fn connz_until(addr: SocketAddr, query: &str, done: impl Fn(&Connz) -> bool) -> Connz {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let c = connz(addr, query).await;
        if done(&c) || tokio::time::Instant::now() > deadline {
            return c;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn connz_remembers_closed_connections_and_why_they_closed() {
    let server = TestServer::start_with(|o| {
        o.http_port = Some(0);
        o.auth.token = Some("t0k".into());
    })
    .await;
    let addr = server.server().monitor_addr().unwrap();
    let leaving = async_nats::ConnectOptions::with_token("t0k".into())
        .name("leaving")
        .connect(server.url())
        .await
        .unwrap();
    let _sub = leaving.subscribe("bye.>").await.unwrap();
    leaving.flush().await.unwrap();
    drop(_sub);
    drop(leaving);
    let mut intruder = server.raw().await;
    intruder
        .send("CONNECT {\"verbose\":false,\"auth_token\":\"wrong\"}\r\n")
        .await;
    intruder.expect_closed().await;
    let stays = async_nats::ConnectOptions::with_token("t0k".into())
        .name("stays")
        .connect(server.url())
        .await
        .unwrap();
    stays.flush().await.unwrap();

    let closed = connz_until(addr, "?state=closed&subs=1", |c| c.connections.len() == 2).await;
    assert_eq!(closed.connections.len(), 2, "{closed:?}");
    let by_reason = |reason: &str| {
        closed
            .connections
            .iter()
            .find(|c| c.reason == reason)
            .cloned()
    };
    let failed = by_reason("Authentication Failure").expect("the bad token is remembered");
    assert!(failed.stop.is_some());
    let left = by_reason("Client Closed").expect("the client that left is remembered");
    assert_eq!(left.name, "leaving");

    let open = connz(addr, "").await;
    assert_eq!(open.connections.len(), 1);
    assert_eq!(open.connections[0].name, "stays");
    assert!(open.connections[0].reason.is_empty());
    let any = connz(addr, "?state=any").await;
    assert_eq!((any.total, any.connections.len()), (3, 3));
    let (status, _, _) = http_get(addr, "/connz?sort=stop").await;
    assert_eq!(status, 400, "sorting by stop needs state=closed");
    let newest_first = connz(addr, "?state=closed&sort=stop").await;
    assert_eq!(newest_first.connections[0].cid, failed.cid);
}

#[tokio::test]
async fn the_short_first_ping_measures_the_round_trip() {
    let server = TestServer::start_with(|o| {
        o.http_port = Some(0);
        o.disable_short_first_ping = false;
    })
    .await;
    let addr = server.server().monitor_addr().unwrap();
    let mut raw = server.raw().await;
    raw.send("CONNECT {\"verbose\":false}\r\n").await;
    raw.ping_pong().await;
    assert_eq!(connz(addr, "").await.connections[0].rtt, "0s");
    // Well before the two-minute ping interval: about two seconds after connecting.
    raw.expect("PING").await;
    raw.send("PONG\r\n").await;
    raw.ping_pong().await;
    let rtt = connz(addr, "").await.connections[0].rtt.clone();
    assert_ne!(rtt, "0s", "the round trip was measured");
}

#[tokio::test]
async fn jsz_reports_disabled_then_usage() {
    let (_plain, addr) = monitored().await;
    let jsz: natrium_api::monitor::Jsz =
        serde_json::from_str(&get_json(addr, "/jsz").await).expect("jsz parses");
    assert!(jsz.disabled);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let server = TestServer::start_with(move |o| {
        o.http_port = Some(0);
        o.jetstream.enabled = true;
        o.jetstream.store_dir = Some(path);
    })
    .await;
    let addr = server.server().monitor_addr().expect("monitoring on");
    let js = async_nats::jetstream::new(server.client().await);
    js.create_stream("JSZ").await.unwrap();
    js.publish("JSZ", "hello".into())
        .await
        .unwrap()
        .await
        .unwrap();
    let jsz: natrium_api::monitor::Jsz =
        serde_json::from_str(&get_json(addr, "/jsz").await).expect("jsz parses");
    assert!(!jsz.disabled);
    assert_eq!(jsz.streams, 1);
    assert_eq!(jsz.messages, 1);
    assert!(jsz.storage > 0);
    assert!(jsz.config.sync_always, "durable by default");
    assert!(jsz.api.total >= 1);
}
