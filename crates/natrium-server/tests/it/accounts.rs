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
