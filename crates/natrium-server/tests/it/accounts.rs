//! Accounts from a config file: isolation, imports and exports, the system account,
//! per-account JetStream, across a cluster too.

use std::time::Duration;

use natrium_server::{Options, Server};
use natrium_testkit::TestServer;

use crate::cluster::{eventually, interest_synced, next, node, nothing_more};

/// Options from config `text` (written to a file, read as the binary reads it), on
/// loopback and a free port.
fn conf(text: &str) -> Result<Options, String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("server.conf");
    std::fs::write(&path, text).unwrap();
    let mut opts = natrium_server::config::load(&path).map_err(|e| e.to_string())?;
    opts.host = "127.0.0.1".to_owned();
    opts.port = 0;
    opts.disable_short_first_ping = true;
    Ok(opts)
}

async fn start(text: &str) -> TestServer {
    let opts = conf(text).expect("config loads");
    TestServer::start_with(|o| *o = opts).await
}

/// The error a config refused at load or at start gives.
async fn refused(text: &str) -> String {
    match conf(text) {
        Err(e) => e,
        Ok(opts) => Server::start(opts)
            .await
            .map(|_| ())
            .expect_err("the server must refuse this setup")
            .to_string(),
    }
}

async fn user(server: &TestServer, name: &str) -> async_nats::Client {
    async_nats::ConnectOptions::with_user_and_password(name.into(), "pw".into())
        .connect(server.url())
        .await
        .unwrap_or_else(|e| panic!("{name} connects: {e}"))
}

const TWO_ACCOUNTS: &str = r#"
accounts {
  A: { users: [ { user: a, password: pw }, { user: a2, password: pw } ] }
  B: { users: [ { user: b, password: pw } ] }
}
"#;

/// Publishes `payload` on `subject` then a marker both accounts' subscribers see on
/// `marker`: once the marker arrives, anything published before it would have too.
async fn publish_then_marker(c: &async_nats::Client, subject: &str, marker: &str) {
    c.publish(subject.to_owned(), "leak".into()).await.unwrap();
    c.publish(marker.to_owned(), "marker".into()).await.unwrap();
    c.flush().await.unwrap();
}

#[tokio::test]
async fn messages_stay_in_their_account() {
    let server = start(TWO_ACCOUNTS).await;
    let (a, a2, b) = (
        user(&server, "a").await,
        user(&server, "a2").await,
        user(&server, "b").await,
    );
    let mut in_b = b.subscribe("foo").await.unwrap();
    let mut in_a = a2.subscribe("foo").await.unwrap();
    let mut a_marker = a2.subscribe("marker").await.unwrap();
    b.flush().await.unwrap();
    a2.flush().await.unwrap();
    publish_then_marker(&a, "foo", "marker").await;
    assert_eq!(&next(&mut in_a).await.payload[..], b"leak");
    next(&mut a_marker).await;
    // B learns of the end of A's traffic only through its own marker, published in B
    // after A's: the server handles one connection's messages in order, and A's are
    // all delivered (A's own marker arrived) before B's marker is even sent.
    let mut b_marker = b.subscribe("marker").await.unwrap();
    b.flush().await.unwrap();
    b.publish("marker", "b".into()).await.unwrap();
    assert_eq!(&next(&mut b_marker).await.payload[..], b"b");
    b.publish("foo", "own".into()).await.unwrap();
    assert_eq!(
        &next(&mut in_b).await.payload[..],
        b"own",
        "B's subscriber got nothing from A first"
    );
}

#[tokio::test]
async fn users_bind_to_their_account_and_wrong_passwords_fail() {
    let server = start(TWO_ACCOUNTS).await;
    let bad = async_nats::ConnectOptions::with_user_and_password("b".into(), "nope".into())
        .connect(server.url());
    let err = tokio::time::timeout(Duration::from_secs(5), bad)
        .await
        .expect("answered in time")
        .expect_err("a wrong password must not connect");
    assert_eq!(
        err.kind(),
        async_nats::ConnectErrorKind::AuthorizationViolation
    );
    // Requests within one account get answers; across accounts there is nobody.
    let (a, b) = (user(&server, "a").await, user(&server, "b").await);
    let mut svc = a.subscribe("svc").await.unwrap();
    a.flush().await.unwrap();
    tokio::spawn({
        let a = a.clone();
        async move {
            while let Some(m) = futures::StreamExt::next(&mut svc).await {
                if let Some(r) = m.reply {
                    a.publish(r, "pong".into()).await.unwrap();
                }
            }
        }
    });
    let a2 = user(&server, "a2").await;
    assert_eq!(
        &a2.request("svc", "".into()).await.unwrap().payload[..],
        b"pong"
    );
    let err = b
        .request("svc", "".into())
        .await
        .expect_err("no responder in B");
    assert_eq!(err.kind(), async_nats::RequestErrorKind::NoResponders);
}

#[tokio::test]
async fn authorization_users_may_name_an_account_and_no_auth_user_binds_too() {
    let server = start(
        r#"
        accounts: [ A ]
        no_auth_user: guest
        authorization { users: [
          { user: a, password: pw, account: A }
          { user: g, password: pw }
          { user: guest, password: pw, account: A }
        ] }
        "#,
    )
    .await;
    let a = user(&server, "a").await;
    let global = user(&server, "g").await;
    let guest = async_nats::connect(server.url()).await.unwrap();
    let mut in_a = a.subscribe("x").await.unwrap();
    let mut in_g = global.subscribe("x").await.unwrap();
    let mut g_marker = global.subscribe("m").await.unwrap();
    a.flush().await.unwrap();
    global.flush().await.unwrap();
    guest.publish("x", "from guest".into()).await.unwrap();
    guest.flush().await.unwrap();
    assert_eq!(&next(&mut in_a).await.payload[..], b"from guest");
    global.publish("m", "".into()).await.unwrap();
    next(&mut g_marker).await;
    global.publish("x", "own".into()).await.unwrap();
    assert_eq!(&next(&mut in_g).await.payload[..], b"own");
}

#[tokio::test]
async fn account_setups_that_make_no_sense_are_refused() {
    for (text, says) in [
        ("accounts { $G: {} }", "Reserved Account"),
        ("accounts [ A, A ]", "Duplicate Account"),
        ("accounts { \"A B\": {} }", "invalid account name"),
        (
            "accounts { A: { users: [ {user: x, password: p} ] }, B: { users: [ {user: x, password: p} ] } }",
            "Duplicate user",
        ),
        (
            "authorization { user: u, password: p }\naccounts { A: { users: [ {user: x, password: p} ] } }",
            "single user",
        ),
        (
            "authorization { users: [ { user: x, password: p, account: NOPE } ] }",
            "NOPE",
        ),
        ("system_account: NOPE", "NOPE"),
    ] {
        let err = refused(text).await;
        assert!(err.contains(says), "{text}: {err}");
    }
}

#[tokio::test]
async fn accounts_stay_isolated_across_a_cluster() {
    let with_node = |routes: Vec<String>| {
        let mut opts = conf(TWO_ACCOUNTS).unwrap();
        node(&mut opts, &routes);
        opts
    };
    let first = with_node(Vec::new());
    let s1 = TestServer::start_with(|o| *o = first).await;
    let second = with_node(vec![s1.server().route_url().unwrap()]);
    let s2 = TestServer::start_with(|o| *o = second).await;
    eventually("route up", || s2.server().route_peers().len() == 1).await;

    let a_pub = user(&s1, "a").await;
    let b_pub = user(&s1, "b").await;
    let a_sub = user(&s2, "a2").await;
    let b_sub = user(&s2, "b").await;
    let mut in_a = a_sub.subscribe("foo").await.unwrap();
    let mut in_b = b_sub.subscribe("foo").await.unwrap();
    interest_synced(&a_pub, &a_sub).await;
    interest_synced(&b_pub, &b_sub).await;

    a_pub.publish("foo", "a".into()).await.unwrap();
    a_pub.flush().await.unwrap();
    assert_eq!(&next(&mut in_a).await.payload[..], b"a");
    // B's message follows A's over the same route: if A's had leaked into B it would
    // arrive first.
    b_pub.publish("foo", "b".into()).await.unwrap();
    b_pub.flush().await.unwrap();
    assert_eq!(&next(&mut in_b).await.payload[..], b"b");
    nothing_more(&mut in_a).await;
}

const LINKED: &str = r#"
accounts {
  A: {
    users: [ { user: a, password: pw } ]
    exports: [
      { stream: "foo.>" }
      { stream: "bar.*" }
      { service: "req.*" }
      { service: "many", response_type: stream }
      { stream: "only.x", accounts: [X] }
    ]
  }
  B: {
    users: [ { user: b, password: pw } ]
    imports: [
      { stream: { account: A, subject: "foo.>" }, prefix: p }
      { stream: { account: A, subject: "bar.*" }, to: "local.*" }
      { service: { account: A, subject: "req.*" }, to: "b.req.*" }
      { service: { account: A, subject: "many" } }
    ]
  }
  X: {
    users: [ { user: x, password: pw } ]
    imports: [ { stream: { account: A, subject: "only.x" } } ]
  }
}
"#;

#[tokio::test]
async fn stream_imports_deliver_under_the_prefix_or_the_mapped_subject() {
    let server = start(LINKED).await;
    let (a, b, x) = (
        user(&server, "a").await,
        user(&server, "b").await,
        user(&server, "x").await,
    );
    let mut prefixed = b.subscribe("p.foo.>").await.unwrap();
    let mut mapped = b.subscribe("local.*").await.unwrap();
    let mut unmapped = b.subscribe("foo.>").await.unwrap();
    let mut restricted = x.subscribe("only.x").await.unwrap();
    b.flush().await.unwrap();
    x.flush().await.unwrap();
    a.publish("foo.one.two", "s".into()).await.unwrap();
    a.publish("bar.7", "m".into()).await.unwrap();
    a.publish("only.x", "r".into()).await.unwrap();
    a.flush().await.unwrap();
    let m = next(&mut prefixed).await;
    assert_eq!(
        (m.subject.as_str(), &m.payload[..]),
        ("p.foo.one.two", &b"s"[..])
    );
    let m = next(&mut mapped).await;
    assert_eq!((m.subject.as_str(), &m.payload[..]), ("local.7", &b"m"[..]));
    assert_eq!(next(&mut restricted).await.subject.as_str(), "only.x");
    // The exporter's own subject is not visible in B: B's own publish on it comes first.
    b.publish("foo.mine", "own".into()).await.unwrap();
    let m = next(&mut unmapped).await;
    assert_eq!(m.subject.as_str(), "foo.mine");
}

/// A responder in A for `subject` that answers every request `times` times.
async fn responder(a: &async_nats::Client, subject: &str, times: usize) {
    let mut reqs = a.subscribe(subject.to_owned()).await.unwrap();
    a.flush().await.unwrap();
    let a = a.clone();
    tokio::spawn(async move {
        while let Some(m) = futures::StreamExt::next(&mut reqs).await {
            let Some(reply) = m.reply else { continue };
            for n in 0..times {
                let body = format!("{}:{}:{n}", m.subject, String::from_utf8_lossy(&m.payload));
                a.publish(reply.clone(), body.into()).await.unwrap();
            }
            a.flush().await.unwrap();
        }
    });
}

#[tokio::test]
async fn service_imports_answer_requests_once_for_singletons() {
    let server = start(LINKED).await;
    let (a, b) = (user(&server, "a").await, user(&server, "b").await);
    responder(&a, "req.*", 2).await;
    // The request arrives in A under A's subject, with a reply subject that is not B's.
    let answer = b.request("b.req.1", "hi".into()).await.unwrap();
    assert_eq!(&answer.payload[..], b"req.1:hi:0");

    let mut inbox = b.subscribe("inbox.>").await.unwrap();
    b.flush().await.unwrap();
    for n in ["1", "2"] {
        b.publish_with_reply("b.req.9", format!("inbox.{n}"), n.to_owned().into())
            .await
            .unwrap();
        b.flush().await.unwrap();
        let m = next(&mut inbox).await;
        // The second answer to request 1 would come before any answer to request 2.
        assert_eq!(m.subject.as_str(), format!("inbox.{n}"));
        assert_eq!(m.payload, format!("req.9:{n}:0"));
    }
}

#[tokio::test]
async fn streamed_service_responses_all_arrive_and_unimported_requests_find_nobody() {
    let server = start(LINKED).await;
    let (a, b, x) = (
        user(&server, "a").await,
        user(&server, "b").await,
        user(&server, "x").await,
    );
    responder(&a, "many", 3).await;
    let mut inbox = b.subscribe("inbox.s").await.unwrap();
    b.flush().await.unwrap();
    b.publish_with_reply("many", "inbox.s", "q".into())
        .await
        .unwrap();
    for n in 0..3 {
        assert_eq!(next(&mut inbox).await.payload, format!("many:q:{n}"));
    }
    responder(&a, "req.*", 1).await;
    let err = x
        .request("req.1", "".into())
        .await
        .expect_err("X imports no service");
    assert_eq!(err.kind(), async_nats::RequestErrorKind::NoResponders);
    let err = b
        .request("req.1", "".into())
        .await
        .expect_err("B imports it as b.req.*");
    assert_eq!(err.kind(), async_nats::RequestErrorKind::NoResponders);
}

#[tokio::test]
async fn imports_of_what_is_not_exported_are_refused_at_start() {
    let err = refused(
        r#"accounts {
          A: { exports: [ { stream: "foo.>" } ] }
          B: { imports: [ { stream: { account: A, subject: "secret.>" } } ] }
        }"#,
    )
    .await;
    assert!(
        err.contains("\"B\"") && err.contains("\"A\"") && err.contains("secret.>"),
        "{err}"
    );
    let err = refused(
        r#"accounts {
          A: { exports: [ { service: "svc", accounts: [X] } ] }
          X: {}
          Y: { imports: [ { service: { account: A, subject: "svc" } } ] }
        }"#,
    )
    .await;
    assert!(
        err.contains("\"Y\"") && err.contains("not authorized"),
        "{err}"
    );
    // The same export as a stream does not cover a service import.
    let err = refused(
        r#"accounts {
          A: { exports: [ { stream: "svc" } ] }
          B: { imports: [ { service: { account: A, subject: "svc" } } ] }
        }"#,
    )
    .await;
    assert!(err.contains("service"), "{err}");
    let err = refused(
        r#"accounts {
          B: { imports: [ { stream: { account: NOPE, subject: "a" } } ] }
        }"#,
    )
    .await;
    assert!(err.contains("NOPE"), "{err}");
}

const WITH_SYSTEM: &str = r#"
accounts {
  SYS: { users: [ { user: sys, password: pw } ] }
  A: { users: [ { user: a, password: pw } ] }
}
system_account: SYS
"#;

fn json(m: &async_nats::Message) -> serde_json::Value {
    serde_json::from_slice(&m.payload).expect("JSON payload")
}

#[tokio::test]
async fn system_services_answer_system_users_only() {
    let server = start(WITH_SYSTEM).await;
    let id = server.server().server_id().to_owned();
    let sys = user(&server, "sys").await;
    let a = user(&server, "a").await;

    let ping = json(
        &sys.request("$SYS.REQ.SERVER.PING", "".into())
            .await
            .unwrap(),
    );
    assert_eq!(ping["server"]["id"], id.as_str());
    assert!(
        ping["statsz"]["connections"].as_u64().unwrap() >= 2,
        "{ping}"
    );

    let varz = json(
        &sys.request(format!("$SYS.REQ.SERVER.{id}.VARZ"), "".into())
            .await
            .unwrap(),
    );
    assert_eq!(varz["data"]["server_id"], id.as_str());
    assert_eq!(varz["server"]["name"], varz["data"]["server_name"]);

    let connz = json(
        &sys.request("$SYS.REQ.SERVER.PING.CONNZ", r#"{"auth":true}"#.into())
            .await
            .unwrap(),
    );
    let accounts: Vec<&str> = connz["data"]["connections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["account"].as_str().unwrap())
        .collect();
    assert!(
        accounts.contains(&"A") && accounts.contains(&"SYS"),
        "{connz}"
    );

    let bad = json(
        &sys.request("$SYS.REQ.SERVER.PING.SUBSZ", "{not json".into())
            .await
            .unwrap(),
    );
    assert_eq!(bad["error"]["code"], 400, "{bad}");

    for subject in ["$SYS.REQ.SERVER.PING", "$SYS.REQ.SERVER.PING.VARZ"] {
        let err = a
            .request(subject, "".into())
            .await
            .expect_err("A sees no system services");
        assert_eq!(err.kind(), async_nats::RequestErrorKind::NoResponders);
    }
    let err = sys
        .request("$SYS.REQ.SERVER.PING.NOSUCHZ", "".into())
        .await
        .expect_err("unknown services have no responder");
    assert_eq!(err.kind(), async_nats::RequestErrorKind::NoResponders);
}

#[tokio::test]
async fn the_default_system_account_is_sys() {
    let server = start("accounts { $SYS: { users: [ { user: sys, password: pw } ] } }").await;
    let sys = user(&server, "sys").await;
    let idz = json(
        &sys.request("$SYS.REQ.SERVER.PING.IDZ", "".into())
            .await
            .unwrap(),
    );
    assert_eq!(idz["id"], server.server().server_id());
}

#[tokio::test]
async fn connect_and_disconnect_events_reach_the_system_account_only() {
    let server = start(WITH_SYSTEM).await;
    let sys = user(&server, "sys").await;
    let mut connects = sys.subscribe("$SYS.ACCOUNT.*.CONNECT").await.unwrap();
    let mut disconnects = sys.subscribe("$SYS.ACCOUNT.*.DISCONNECT").await.unwrap();
    sys.flush().await.unwrap();
    let watcher = user(&server, "a").await;
    let mut snooping = watcher.subscribe("$SYS.>").await.unwrap();
    watcher.flush().await.unwrap();
    let first = json(&next(&mut connects).await);
    assert_eq!(first["client"]["user"], "a");

    let a = async_nats::ConnectOptions::with_user_and_password("a".into(), "pw".into())
        .name("evented")
        .connect(server.url())
        .await
        .unwrap();
    a.publish("x", "12345".into()).await.unwrap();
    a.flush().await.unwrap();
    let m = next(&mut connects).await;
    assert_eq!(m.subject.as_str(), "$SYS.ACCOUNT.A.CONNECT");
    let ev = json(&m);
    assert_eq!(ev["type"], "io.nats.server.advisory.v1.client_connect");
    assert_eq!(ev["client"]["acc"], "A");
    assert_eq!(ev["client"]["name"], "evented");
    assert_eq!(ev["server"]["id"], server.server().server_id());
    drop(a);
    let m = next(&mut disconnects).await;
    assert_eq!(m.subject.as_str(), "$SYS.ACCOUNT.A.DISCONNECT");
    let ev = json(&m);
    assert_eq!(ev["type"], "io.nats.server.advisory.v1.client_disconnect");
    assert_eq!(ev["reason"], "Client Closed");
    assert_eq!(ev["sent"]["msgs"], 1);
    assert_eq!(ev["sent"]["bytes"], 5);
    // A's own subscriber on $SYS.> saw none of it: its own marker comes first.
    watcher.publish("$SYS.mark", "".into()).await.unwrap();
    assert_eq!(next(&mut snooping).await.subject.as_str(), "$SYS.mark");
}

/// A JetStream API request's JSON answer.
async fn js_api(c: &async_nats::Client, subject: &str, body: &str) -> serde_json::Value {
    json(
        &c.request(subject.to_owned(), body.to_owned().into())
            .await
            .unwrap(),
    )
}

#[tokio::test]
async fn jetstream_is_per_account_with_its_own_limits_and_directory() {
    let store = tempfile::tempdir().unwrap();
    let server = start(&format!(
        r#"
        jetstream {{ store_dir: "{}" }}
        accounts {{
          A: {{ jetstream: enabled, users: [ {{ user: a, password: pw }} ] }}
          B: {{ users: [ {{ user: b, password: pw }} ] }}
          C: {{ jetstream: {{ max_streams: 1, max_consumers: 1 }}, users: [ {{ user: c, password: pw }} ] }}
        }}
        "#,
        store.path().display()
    ))
    .await;
    let (a, b, c) = (
        user(&server, "a").await,
        user(&server, "b").await,
        user(&server, "c").await,
    );
    let stream = r#"{"name":"S","subjects":["orders.>"],"storage":"file"}"#;
    let created = js_api(&a, "$JS.API.STREAM.CREATE.S", stream).await;
    assert_eq!(created["config"]["name"], "S", "{created}");
    assert!(store.path().join("jetstream/A/streams/S").is_dir());

    // B has no JetStream at all, and its publishes never reach A's stream.
    let err = b
        .request("$JS.API.INFO", "".into())
        .await
        .expect_err("B has no JetStream");
    assert_eq!(err.kind(), async_nats::RequestErrorKind::NoResponders);
    b.publish("orders.1", "from b".into()).await.unwrap();
    b.flush().await.unwrap();
    let ack = js_api(&a, "orders.1", "from a").await;
    assert_eq!(ack["seq"], 1, "only A's message is stored: {ack}");

    // C may have one stream and one consumer; the same stream name as A's is its own.
    let created = js_api(&c, "$JS.API.STREAM.CREATE.S", stream).await;
    assert_eq!(created["config"]["name"], "S", "{created}");
    let second = js_api(
        &c,
        "$JS.API.STREAM.CREATE.T",
        r#"{"name":"T","subjects":["t"],"storage":"memory"}"#,
    )
    .await;
    assert_eq!(second["error"]["err_code"], 10027, "{second}");
    let info = js_api(&c, "$JS.API.INFO", "").await;
    assert_eq!(info["limits"]["max_streams"], 1, "{info}");
    let consumer = |name: &str| {
        format!(
            r#"{{"stream_name":"S","config":{{"durable_name":"{name}","ack_policy":"explicit"}}}}"#
        )
    };
    let first = js_api(
        &c,
        "$JS.API.CONSUMER.DURABLE.CREATE.S.one",
        &consumer("one"),
    )
    .await;
    assert_eq!(first["name"], "one", "{first}");
    let over = js_api(
        &c,
        "$JS.API.CONSUMER.DURABLE.CREATE.S.two",
        &consumer("two"),
    )
    .await;
    assert_eq!(over["error"]["err_code"], 10026, "{over}");
    // A's account info knows only A's stream.
    let info = js_api(&a, "$JS.API.INFO", "").await;
    assert_eq!(
        (
            info["streams"].as_u64(),
            info["limits"]["max_streams"].as_i64()
        ),
        (Some(1), Some(-1)),
        "{info}"
    );
}

#[tokio::test]
async fn monitoring_names_accounts() {
    let mut opts = conf(WITH_SYSTEM).unwrap();
    opts.http_port = Some(0);
    let server = TestServer::start_with(|o| *o = opts).await;
    let addr = server.server().monitor_addr().unwrap();
    let get = |path: &'static str| async move {
        serde_json::from_str::<serde_json::Value>(&crate::monitor::get_json(addr, path).await)
            .unwrap()
    };
    let _a = user(&server, "a").await;
    let _sys = user(&server, "sys").await;
    let connz = get("/connz?auth=1&acc=A").await;
    let conns = connz["connections"].as_array().unwrap();
    assert_eq!(conns.len(), 1, "{connz}");
    assert_eq!(
        (&conns[0]["account"], &conns[0]["authorized_user"]),
        (&"A".into(), &"a".into())
    );
    let none = get("/connz?acc=NOPE").await;
    assert!(
        none["connections"].as_array().is_none_or(|c| c.is_empty()),
        "{none}"
    );
    let accountz = get("/accountz").await;
    assert_eq!(accountz["system_account"], "SYS");
    assert_eq!(accountz["accounts"], serde_json::json!(["$G", "A", "SYS"]));
    assert_eq!(get("/varz").await["system_account"], "SYS");
}

#[tokio::test]
async fn imports_work_across_a_cluster() {
    let with_node = |routes: Vec<String>| {
        let mut opts = conf(LINKED).unwrap();
        node(&mut opts, &routes);
        opts
    };
    let first = with_node(Vec::new());
    let s1 = TestServer::start_with(|o| *o = first).await;
    let second = with_node(vec![s1.server().route_url().unwrap()]);
    let s2 = TestServer::start_with(|o| *o = second).await;
    eventually("route up", || s2.server().route_peers().len() == 1).await;

    // A stream import: published in A on s1, delivered once to B's subscriber on s2.
    let b_on_s2 = user(&s2, "b").await;
    let mut imported = b_on_s2.subscribe("p.foo.>").await.unwrap();
    let b_on_s1 = user(&s1, "b").await;
    interest_synced(&b_on_s1, &b_on_s2).await;
    let a_on_s1 = user(&s1, "a").await;
    a_on_s1.publish("foo.z", "once".into()).await.unwrap();
    a_on_s1.flush().await.unwrap();
    let m = next(&mut imported).await;
    assert_eq!(
        (m.subject.as_str(), &m.payload[..]),
        ("p.foo.z", &b"once"[..])
    );
    b_on_s1.publish("p.foo.mark", "".into()).await.unwrap();
    b_on_s1.flush().await.unwrap();
    assert_eq!(
        next(&mut imported).await.subject.as_str(),
        "p.foo.mark",
        "no second copy"
    );

    let responder_a = user(&s2, "a").await;
    responder(&responder_a, "req.*", 2).await;
    interest_synced(&user(&s1, "a").await, &responder_a).await;
    // The responder answers on s2; the mapping lives on s1, whose response subscription
    // s2 learned over the route.
    let b = user(&s1, "b").await;
    let mut inbox = b.subscribe("inbox.>").await.unwrap();
    b.flush().await.unwrap();
    for n in ["1", "2"] {
        b.publish_with_reply("b.req.5", format!("inbox.{n}"), n.to_owned().into())
            .await
            .unwrap();
        b.flush().await.unwrap();
        let m = next(&mut inbox).await;
        assert_eq!(m.subject.as_str(), format!("inbox.{n}"));
        assert_eq!(m.payload, format!("req.5:{n}:0"));
    }
}

#[tokio::test]
async fn nkey_users_and_default_permissions_inside_accounts() {
    let kp = nkeys::KeyPair::new_user();
    let server = start(&format!(
        r#"
        accounts {{
          A: {{
            default_permissions: {{ publish: "allowed.>" }}
            users: [ {{ nkey: {} }}, {{ user: a, password: pw, permissions: {{ publish: ">" }} }} ]
          }}
          B: {{ users: [ {{ user: b, password: pw }} ] }}
        }}
        "#,
        kp.public_key()
    ))
    .await;
    let n = async_nats::ConnectOptions::with_nkey(kp.seed().unwrap())
        .connect(server.url())
        .await
        .unwrap();
    let a = user(&server, "a").await;
    let b = user(&server, "b").await;
    let mut in_a = a.subscribe(">").await.unwrap();
    let mut in_b = b.subscribe(">").await.unwrap();
    a.flush().await.unwrap();
    b.flush().await.unwrap();
    // The nkey user is in A and has A's default permissions: its denied publish never
    // arrives, its allowed one does.
    n.publish("denied.x", "".into()).await.unwrap();
    n.publish("allowed.x", "".into()).await.unwrap();
    n.flush().await.unwrap();
    assert_eq!(next(&mut in_a).await.subject.as_str(), "allowed.x");
    b.publish("b.own", "".into()).await.unwrap();
    assert_eq!(
        next(&mut in_b).await.subject.as_str(),
        "b.own",
        "nothing from A in B"
    );
}
