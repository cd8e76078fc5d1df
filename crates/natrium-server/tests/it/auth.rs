//! Token and user/password authentication from options.

use std::time::Duration;

use natrium_server::options::User;
use natrium_testkit::TestServer;

async fn token_server() -> TestServer {
    TestServer::start_with(|o| o.auth.token = Some("s3cr3t".into())).await
}

#[tokio::test]
async fn token_auth_admits_the_right_token_only() {
    let server = token_server().await;
    let good = async_nats::ConnectOptions::with_token("s3cr3t".into())
        .connect(server.url())
        .await
        .unwrap();
    good.flush().await.unwrap();
    let bad = async_nats::ConnectOptions::with_token("wrong".into()).connect(server.url());
    let err = tokio::time::timeout(Duration::from_secs(5), bad)
        .await
        .expect("answered in time")
        .expect_err("a wrong token must not connect");
    assert_eq!(
        err.kind(),
        async_nats::ConnectErrorKind::AuthorizationViolation
    );
}

#[tokio::test]
async fn wrong_credentials_get_authorization_violation_and_a_close() {
    let server = token_server().await;
    let mut c = server.raw().await;
    assert_eq!(c.info_json()["auth_required"], true);
    c.send("CONNECT {\"verbose\":false,\"auth_token\":\"nope\"}\r\n")
        .await;
    assert_eq!(
        c.expect_closed().await,
        vec!["-ERR 'Authorization Violation'"]
    );
    let mut ok = server.raw().await;
    ok.send("CONNECT {\"verbose\":false,\"auth_token\":\"s3cr3t\"}\r\n")
        .await;
    ok.ping_pong().await;
}

#[tokio::test]
async fn operations_before_connect_are_refused_when_auth_is_required() {
    let server = token_server().await;
    let mut c = server.raw().await;
    c.send("SUB foo 1\r\n").await;
    assert_eq!(
        c.expect_closed().await,
        vec!["-ERR 'Authorization Violation'"]
    );
}

#[tokio::test]
async fn silent_clients_get_authentication_timeout() {
    let server = TestServer::start_with(|o| {
        o.auth.token = Some("t".into());
        o.auth_timeout = Duration::from_millis(200);
    })
    .await;
    let mut c = server.raw().await;
    assert_eq!(
        c.expect_closed().await,
        vec!["-ERR 'Authentication Timeout'"]
    );
}

#[tokio::test]
async fn user_password_and_users_list() {
    let server = TestServer::start_with(|o| {
        o.auth.user = Some(User {
            username: "admin".into(),
            password: "adm".into(),
            ..User::default()
        });
        o.auth.users = vec![User {
            username: "app".into(),
            password: "apppw".into(),
            ..User::default()
        }];
    })
    .await;
    for (user, pass) in [("admin", "adm"), ("app", "apppw")] {
        let c = async_nats::ConnectOptions::with_user_and_password(user.into(), pass.into())
            .connect(server.url())
            .await
            .unwrap();
        c.flush().await.unwrap();
    }
    let mut raw = server.raw().await;
    raw.send("CONNECT {\"verbose\":false,\"user\":\"app\",\"pass\":\"adm\"}\r\n")
        .await;
    assert_eq!(
        raw.expect_closed().await,
        vec!["-ERR 'Authorization Violation'"]
    );
}

fn nkey_server_opts(o: &mut natrium_server::Options, kp: &nkeys::KeyPair) {
    o.auth.nkeys = vec![natrium_server::options::NkeyUser {
        nkey: kp.public_key(),
        permissions: None,
        ..Default::default()
    }];
}

fn sign(kp: &nkeys::KeyPair, nonce: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(kp.sign(nonce.as_bytes()).unwrap())
}

#[tokio::test]
async fn nkey_user_connects_by_signing_the_nonce() {
    let kp = nkeys::KeyPair::new_user();
    let server = TestServer::start_with(|o| nkey_server_opts(o, &kp)).await;
    let client = async_nats::ConnectOptions::with_nkey(kp.seed().unwrap())
        .connect(server.url())
        .await
        .unwrap();
    let mut sub = client.subscribe("n").await.unwrap();
    client.publish("n", "hi".into()).await.unwrap();
    let msg = tokio::time::timeout(Duration::from_secs(5), futures::StreamExt::next(&mut sub))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&msg.payload[..], b"hi");

    let mut raw = server.raw().await;
    let info = raw.info_json();
    let nonce = info["nonce"]
        .as_str()
        .expect("INFO carries a nonce")
        .to_owned();
    assert_eq!(nonce.len(), 15);
    assert_eq!(info["auth_required"], true);
    raw.send(format!(
        "CONNECT {{\"verbose\":false,\"nkey\":\"{}\",\"sig\":\"{}\"}}\r\n",
        kp.public_key(),
        sign(&kp, &nonce)
    ))
    .await;
    raw.ping_pong().await;
    // Each connection gets its own nonce.
    assert_ne!(server.raw().await.info_json()["nonce"], info["nonce"]);
}

#[tokio::test]
async fn forged_or_missing_nkey_signatures_are_refused() {
    let kp = nkeys::KeyPair::new_user();
    let server = TestServer::start_with(|o| nkey_server_opts(o, &kp)).await;
    let intruder = nkeys::KeyPair::new_user();
    let mut cases = Vec::new();
    // Signed by another key, for the configured public key.
    let raw = server.raw().await;
    let nonce = raw.info_json()["nonce"].as_str().unwrap().to_owned();
    cases.push((
        raw,
        format!(
            "{{\"nkey\":\"{}\",\"sig\":\"{}\"}}",
            kp.public_key(),
            sign(&intruder, &nonce)
        ),
    ));
    // Signed correctly, but another connection's nonce (a replay).
    let raw = server.raw().await;
    cases.push((
        raw,
        format!(
            "{{\"nkey\":\"{}\",\"sig\":\"{}\"}}",
            kp.public_key(),
            sign(&kp, &nonce)
        ),
    ));
    // No signature; an unknown key with a valid signature; garbage.
    let raw = server.raw().await;
    cases.push((raw, format!("{{\"nkey\":\"{}\"}}", kp.public_key())));
    let raw = server.raw().await;
    let n = raw.info_json()["nonce"].as_str().unwrap().to_owned();
    cases.push((
        raw,
        format!(
            "{{\"nkey\":\"{}\",\"sig\":\"{}\"}}",
            intruder.public_key(),
            sign(&intruder, &n)
        ),
    ));
    let raw = server.raw().await;
    cases.push((raw, "{\"nkey\":\"UXXX\",\"sig\":\"%%%\"}".to_owned()));
    for (mut raw, connect) in cases {
        raw.send(format!("CONNECT {connect}\r\n")).await;
        assert_eq!(
            raw.expect_closed().await,
            vec!["-ERR 'Authorization Violation'"],
            "{connect}"
        );
    }
    let err = async_nats::ConnectOptions::with_nkey(intruder.seed().unwrap())
        .connect(server.url())
        .await
        .expect_err("an unknown nkey must not connect");
    assert_eq!(
        err.kind(),
        async_nats::ConnectErrorKind::AuthorizationViolation
    );
}

#[tokio::test]
async fn no_nonce_without_nkey_users() {
    let server = token_server().await;
    assert!(server.raw().await.info_json().get("nonce").is_none());
}

#[tokio::test]
async fn bcrypt_passwords_and_tokens() {
    let hash = bcrypt::hash("s3cr3t", 4).unwrap();
    let server = TestServer::start_with(|o| {
        o.auth.users = vec![User {
            username: "b".into(),
            password: hash.clone(),
            ..User::default()
        }];
    })
    .await;
    let c = async_nats::ConnectOptions::with_user_and_password("b".into(), "s3cr3t".into())
        .connect(server.url())
        .await
        .unwrap();
    c.flush().await.unwrap();
    for pass in ["s3cr3T", hash.as_str(), ""] {
        let mut raw = server.raw().await;
        raw.send(format!(
            "CONNECT {{\"verbose\":false,\"user\":\"b\",\"pass\":{pass:?}}}\r\n"
        ))
        .await;
        assert_eq!(
            raw.expect_closed().await,
            vec!["-ERR 'Authorization Violation'"]
        );
    }
    let token_hash = bcrypt::hash("tok", 4).unwrap();
    let server = TestServer::start_with(|o| o.auth.token = Some(token_hash)).await;
    async_nats::ConnectOptions::with_token("tok".into())
        .connect(server.url())
        .await
        .unwrap()
        .flush()
        .await
        .unwrap();
    let mut raw = server.raw().await;
    raw.send("CONNECT {\"verbose\":false,\"auth_token\":\"tok2\"}\r\n")
        .await;
    assert_eq!(
        raw.expect_closed().await,
        vec!["-ERR 'Authorization Violation'"]
    );
}

#[tokio::test]
async fn a_slow_bcrypt_check_does_not_stall_other_clients() {
    // Cost 12 takes a few hundred milliseconds; meanwhile another client is served.
    let hash = bcrypt::hash("pw", 12).unwrap();
    let server = TestServer::start_with(|o| {
        o.auth.users = vec![
            User {
                username: "slow".into(),
                password: hash,
                ..User::default()
            },
            User {
                username: "fast".into(),
                password: "f".into(),
                ..User::default()
            },
        ];
    })
    .await;
    let mut slow = server.raw().await;
    slow.send("CONNECT {\"verbose\":false,\"user\":\"slow\",\"pass\":\"pw\"}\r\nPING\r\n")
        .await;
    let mut fast = server.raw().await;
    let started = std::time::Instant::now();
    fast.send("CONNECT {\"verbose\":false,\"user\":\"fast\",\"pass\":\"f\"}\r\n")
        .await;
    fast.ping_pong().await;
    let fast_took = started.elapsed();
    slow.expect("PONG").await;
    let slow_took = started.elapsed();
    assert!(
        fast_took < slow_took,
        "the fast client waited for the bcrypt check ({fast_took:?} vs {slow_took:?})"
    );
}

#[tokio::test]
async fn no_auth_user_serves_clients_without_credentials() {
    let server = TestServer::start_with(|o| {
        o.auth.users = vec![
            User {
                username: "admin".into(),
                password: "a".into(),
                ..User::default()
            },
            User {
                username: "guest".into(),
                password: "g".into(),
                ..User::default()
            },
        ];
        o.auth.no_auth_user = Some("guest".into());
    })
    .await;
    let mut raw = server.raw().await;
    assert!(raw.info_json().get("auth_required").is_none());
    raw.send("CONNECT {\"verbose\":false}\r\n").await;
    raw.ping_pong().await;
    let c = server.client().await;
    c.flush().await.unwrap();
    // Credentials that are sent must still be right.
    let mut bad = server.raw().await;
    bad.send("CONNECT {\"verbose\":false,\"user\":\"admin\",\"pass\":\"x\"}\r\n")
        .await;
    assert_eq!(
        bad.expect_closed().await,
        vec!["-ERR 'Authorization Violation'"]
    );
}

#[tokio::test]
async fn bad_auth_setups_refuse_to_start() {
    let mut opts = natrium_server::Options {
        host: "127.0.0.1".into(),
        port: 0,
        ..natrium_server::Options::default()
    };
    opts.auth.users = vec![User {
        username: "a".into(),
        password: "p".into(),
        ..User::default()
    }];
    opts.auth.no_auth_user = Some("nobody".into());
    assert!(natrium_server::Server::start(opts.clone()).await.is_err());
    opts.auth.no_auth_user = None;
    opts.auth.nkeys = vec![natrium_server::options::NkeyUser {
        nkey: nkeys::KeyPair::new_account().public_key(),
        permissions: None,
        ..Default::default()
    }];
    assert!(natrium_server::Server::start(opts).await.is_err());
}

#[tokio::test]
async fn users_limited_to_other_connection_types_cannot_log_in() {
    let server = TestServer::start_with(|o| {
        o.auth.users = vec![
            User {
                username: "ws".into(),
                password: "p".into(),
                allowed_connection_types: vec!["WEBSOCKET".into()],
                ..User::default()
            },
            User {
                username: "tcp".into(),
                password: "p".into(),
                allowed_connection_types: vec!["STANDARD".into()],
                ..User::default()
            },
        ];
    })
    .await;
    let mut ws = server.raw().await;
    ws.send("CONNECT {\"verbose\":false,\"user\":\"ws\",\"pass\":\"p\"}\r\n")
        .await;
    assert_eq!(
        ws.expect_closed().await,
        vec!["-ERR 'Authorization Violation'"]
    );
    let mut tcp = server.raw().await;
    tcp.send("CONNECT {\"verbose\":false,\"user\":\"tcp\",\"pass\":\"p\"}\r\n")
        .await;
    tcp.ping_pong().await;
}
