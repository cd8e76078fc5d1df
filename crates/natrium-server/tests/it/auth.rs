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
        });
        o.auth.users = vec![User {
            username: "app".into(),
            password: "apppw".into(),
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
