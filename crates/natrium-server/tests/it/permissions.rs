//! Per-user publish and subscribe permissions, and `allow_responses`.

use std::time::Duration;

use futures::StreamExt;
use natrium_server::options::{Permissions, ResponsePermission, SubjectPermission, User};
use natrium_testkit::{RawClient, TestServer};

fn list(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn user(name: &str, permissions: Option<Permissions>) -> User {
    User {
        username: name.into(),
        password: "pw".into(),
        permissions,
        ..Default::default()
    }
}

async fn login(server: &TestServer, name: &str) -> RawClient {
    let mut raw = server.raw().await;
    raw.send(format!(
        "CONNECT {{\"verbose\":false,\"user\":\"{name}\",\"pass\":\"pw\"}}\r\n"
    ))
    .await;
    raw.ping_pong().await;
    raw
}

async fn restricted_server() -> TestServer {
    TestServer::start_with(|o| {
        o.auth.users = vec![
            user(
                "limited",
                Some(Permissions {
                    publish: Some(SubjectPermission {
                        allow: Some(list(&["orders.>", "events.*"])),
                        deny: list(&["orders.secret"]),
                    }),
                    subscribe: Some(SubjectPermission {
                        allow: Some(list(&["updates.>", "jobs.* workers"])),
                        deny: list(&["updates.private"]),
                    }),
                    response: None,
                }),
            ),
            user("free", None),
        ];
    })
    .await
}

#[tokio::test]
async fn denied_publish_gets_an_error_and_the_connection_stays_open() {
    let server = restricted_server().await;
    let mut watcher = login(&server, "free").await;
    watcher.send("SUB > 1\r\n").await;
    watcher.ping_pong().await;
    let mut c = login(&server, "limited").await;
    c.send("PUB admin.x 2\r\nno\r\n").await;
    c.expect("-ERR 'Permissions Violation for Publish to \"admin.x\"'")
        .await;
    // Deny wins over the allow entry `orders.>`.
    c.send("PUB orders.secret 2\r\nno\r\n").await;
    c.expect("-ERR 'Permissions Violation for Publish to \"orders.secret\"'")
        .await;
    c.send("PUB orders.new.1 2\r\nok\r\n").await;
    c.ping_pong().await;
    watcher.expect("MSG orders.new.1 1 2").await;
    watcher.expect("ok").await;
    // Only the allowed message got through.
    watcher.ping_pong().await;
    // Repeated publishes hit the connection's decision cache the same way.
    for _ in 0..3 {
        c.send("PUB events.a 1\r\n1\r\nPUB events.a.b 1\r\n2\r\n")
            .await;
        c.expect("-ERR 'Permissions Violation for Publish to \"events.a.b\"'")
            .await;
        watcher.expect("MSG events.a 1 1").await;
        watcher.expect("1").await;
    }
    c.ping_pong().await;
}

#[tokio::test]
async fn denied_subscriptions_get_an_error_and_no_messages() {
    let server = restricted_server().await;
    let mut c = login(&server, "limited").await;
    c.send("SUB secrets.> 1\r\n").await;
    c.expect("-ERR 'Permissions Violation for Subscription to \"secrets.>\"'")
        .await;
    // `updates.>` does not cover `>`.
    c.send("SUB > 2\r\n").await;
    c.expect("-ERR 'Permissions Violation for Subscription to \">\"'")
        .await;
    c.send("SUB updates.private 3\r\n").await;
    c.expect("-ERR 'Permissions Violation for Subscription to \"updates.private\"'")
        .await;
    c.send("SUB jobs.a 4\r\n").await;
    c.expect("-ERR 'Permissions Violation for Subscription to \"jobs.a\"'")
        .await;
    c.send("SUB jobs.a others 5\r\n").await;
    c.expect("-ERR 'Permissions Violation for Subscription to \"jobs.a\" using queue \"others\"'")
        .await;
    c.send("SUB jobs.a workers 6\r\nSUB updates.> 7\r\n").await;
    c.ping_pong().await;

    let mut p = login(&server, "free").await;
    p.send(
        "PUB secrets.x 1\r\nx\r\nPUB updates.private 1\r\np\r\nPUB updates.public 1\r\nu\r\nPUB jobs.a 1\r\nj\r\n",
    )
    .await;
    p.ping_pong().await;
    // The wildcard subscription overlaps the denied subject: that message is withheld.
    c.expect("MSG updates.public 7 1").await;
    c.expect("u").await;
    c.expect("MSG jobs.a 6 1").await;
    c.expect("j").await;
    c.ping_pong().await;
}

#[tokio::test]
async fn verbose_clients_get_no_ok_for_a_denied_subscription() {
    let server = restricted_server().await;
    let mut c = server.raw().await;
    c.send("CONNECT {\"verbose\":true,\"user\":\"limited\",\"pass\":\"pw\"}\r\n")
        .await;
    c.expect("+OK").await;
    c.send("SUB nope 1\r\nSUB updates.x 2\r\n").await;
    c.expect("-ERR 'Permissions Violation for Subscription to \"nope\"'")
        .await;
    c.expect("+OK").await;
}

#[tokio::test]
async fn responders_may_answer_requests_with_allow_responses() {
    let server = TestServer::start_with(|o| {
        o.auth.users = vec![
            user(
                "service",
                Some(Permissions {
                    publish: None,
                    subscribe: Some(SubjectPermission {
                        allow: Some(list(&["svc.>"])),
                        deny: Vec::new(),
                    }),
                    response: Some(ResponsePermission::default()),
                }),
            ),
            user("client", None),
        ];
    })
    .await;
    let url = server.url();
    let service = async_nats::ConnectOptions::with_user_and_password("service".into(), "pw".into())
        .connect(&url)
        .await
        .unwrap();
    let mut requests = service.subscribe("svc.echo").await.unwrap();
    service.flush().await.unwrap();
    let responder = tokio::spawn({
        let service = service.clone();
        async move {
            while let Some(req) = requests.next().await {
                let reply = req.reply.clone().unwrap();
                service
                    .publish(reply.clone(), req.payload.clone())
                    .await
                    .unwrap();
                // A second answer to the same request is over the default limit of one.
                service.publish(reply, "again".into()).await.unwrap();
                service.flush().await.unwrap();
            }
        }
    });
    let client = async_nats::ConnectOptions::with_user_and_password("client".into(), "pw".into())
        .connect(&url)
        .await
        .unwrap();
    for i in 0..3 {
        let answer = tokio::time::timeout(
            Duration::from_secs(5),
            client.request("svc.echo", format!("ping {i}").into()),
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(answer.payload, format!("ping {i}").as_bytes());
    }
    responder.abort();

    // Without a request, the service may publish nothing.
    let mut raw = login(&server, "service").await;
    raw.send("PUB _INBOX.made.up 1\r\nx\r\n").await;
    raw.expect("-ERR 'Permissions Violation for Publish to \"_INBOX.made.up\"'")
        .await;
    raw.send("SUB svc.x 1\r\n").await;
    raw.ping_pong().await;
    let mut requester = login(&server, "client").await;
    requester
        .send("SUB reply.here 9\r\nPUB svc.x reply.here 1\r\nq\r\n")
        .await;
    raw.expect("MSG svc.x 1 reply.here 1").await;
    raw.expect("q").await;
    raw.send("PUB reply.here 1\r\na\r\nPUB reply.here 1\r\nb\r\n")
        .await;
    raw.expect("-ERR 'Permissions Violation for Publish to \"reply.here\"'")
        .await;
    requester.expect("MSG reply.here 9 1").await;
    requester.expect("a").await;
    requester.ping_pong().await;
}

#[tokio::test]
async fn users_without_permissions_are_unrestricted() {
    let server = restricted_server().await;
    let mut c = login(&server, "free").await;
    c.send("SUB > 1\r\nPUB orders.secret 1\r\nx\r\n").await;
    c.expect("MSG orders.secret 1 1").await;
    c.expect("x").await;
}
