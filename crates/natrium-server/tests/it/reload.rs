//! Config reload: new authorization settings reach live connections; options that cannot
//! change while running refuse the whole reload.

use natrium_server::options::{Permissions, SubjectPermission, User};
use natrium_server::Options;
use natrium_testkit::{RawClient, TestServer};

fn user(name: &str, password: &str, permissions: Option<Permissions>) -> User {
    User {
        username: name.into(),
        password: password.into(),
        permissions,
        ..User::default()
    }
}

fn subscribe_only(subjects: &[&str]) -> Permissions {
    Permissions {
        subscribe: Some(SubjectPermission {
            allow: Some(subjects.iter().map(|s| (*s).to_owned()).collect()),
            deny: Vec::new(),
        }),
        ..Permissions::default()
    }
}

async fn login(server: &TestServer, name: &str, password: &str) -> RawClient {
    let mut c = server.raw().await;
    c.send(format!(
        "CONNECT {{\"verbose\":false,\"user\":\"{name}\",\"pass\":\"{password}\"}}\r\n"
    ))
    .await;
    c.ping_pong().await;
    c
}

fn with_users(base: &Options, users: Vec<User>) -> Options {
    let mut opts = base.clone();
    opts.auth.users = users;
    opts
}

#[tokio::test]
async fn a_changed_password_closes_its_clients_and_others_stay() {
    let server = TestServer::start_with(|o| {
        o.auth.users = vec![user("alice", "one", None), user("bob", "pw", None)];
    })
    .await;
    let base = server.server().running_options();
    let mut alice = login(&server, "alice", "one").await;
    let mut bob = login(&server, "bob", "pw").await;

    let reloaded = server
        .server()
        .reload(&with_users(
            &base,
            vec![user("alice", "two", None), user("bob", "pw", None)],
        ))
        .unwrap();
    assert_eq!(reloaded.changed, vec!["authorization"]);

    alice.expect("-ERR 'Authorization Violation'").await;
    alice.expect_closed().await;
    bob.send("SUB x 1\r\nPUB x 2\r\nhi\r\n").await;
    bob.expect("MSG x 1 2").await;
    bob.expect("hi").await;

    // New connections see the new settings.
    login(&server, "alice", "two").await;
    let mut old = server.raw().await;
    old.send("CONNECT {\"verbose\":false,\"user\":\"alice\",\"pass\":\"one\"}\r\n")
        .await;
    old.expect("-ERR 'Authorization Violation'").await;
}

#[tokio::test]
async fn narrowed_permissions_remove_denied_subscriptions() {
    let server = TestServer::start_with(|o| {
        o.auth.users = vec![user("carol", "pw", None), user("admin", "pw", None)];
    })
    .await;
    let base = server.server().running_options();
    let mut carol = login(&server, "carol", "pw").await;
    carol
        .send("SUB orders.new 1\r\nSUB billing.due q 2\r\nPING\r\n")
        .await;
    carol.expect("PONG").await;

    server
        .server()
        .reload(&with_users(
            &base,
            vec![
                user("carol", "pw", Some(subscribe_only(&["orders.>"]))),
                user("admin", "pw", None),
            ],
        ))
        .unwrap();
    carol
        .expect("-ERR 'Permissions Violation for Subscription to \"billing.due\" using queue \"q\" (sid \"2\")'")
        .await;

    // The denied subscription is gone from the router; the allowed one still delivers.
    let mut admin = login(&server, "admin", "pw").await;
    admin
        .send("PUB billing.due 1\r\nb\r\nPUB orders.new 1\r\no\r\nPING\r\n")
        .await;
    admin.expect("PONG").await;
    carol.expect("MSG orders.new 1 1").await;
    carol.expect("o").await;
    carol.send("SUB billing.due 3\r\n").await;
    carol
        .expect("-ERR 'Permissions Violation for Subscription to \"billing.due\"'")
        .await;
}

#[tokio::test]
async fn auth_added_by_a_reload_closes_clients_without_credentials() {
    let server = TestServer::start().await;
    let base = server.server().running_options();
    let mut anonymous = server.raw().await;
    anonymous.send("CONNECT {\"verbose\":false}\r\n").await;
    anonymous.ping_pong().await;
    server
        .server()
        .reload(&with_users(&base, vec![user("dave", "pw", None)]))
        .unwrap();
    anonymous.expect("-ERR 'Authorization Violation'").await;
    anonymous.expect_closed().await;
    let fresh = server.raw().await;
    assert_eq!(fresh.info_json()["auth_required"], true);
}

#[tokio::test]
async fn an_unsupported_change_refuses_the_whole_reload() {
    let server = TestServer::start_with(|o| {
        o.auth.users = vec![user("erin", "pw", None)];
    })
    .await;
    let base = server.server().running_options();
    let mut erin = login(&server, "erin", "pw").await;
    let mut changed = with_users(&base, vec![user("erin", "other", None)]);
    changed.ping_max = 7;
    let err = server.server().reload(&changed).unwrap_err();
    assert_eq!(
        err.to_string(),
        "config reload not supported for ping_max: old=2, new=7"
    );
    // Nothing changed: the old password still admits, the live client still works.
    login(&server, "erin", "pw").await;
    erin.ping_pong().await;

    let mut bad = with_users(&base, vec![user("erin", "pw", None)]);
    bad.auth.no_auth_user = Some("ghost".into());
    assert!(server.server().reload(&bad).is_err());
    login(&server, "erin", "pw").await;
}

#[tokio::test]
async fn widened_permissions_deliver_what_was_filtered() {
    let deny_secret = Permissions {
        subscribe: Some(SubjectPermission {
            allow: Some(vec![">".into()]),
            deny: vec!["secret.>".into()],
        }),
        ..Permissions::default()
    };
    let server = TestServer::start_with(|o| {
        o.auth.users = vec![
            user("frank", "pw", Some(deny_secret)),
            user("admin", "pw", None),
        ];
    })
    .await;
    let base = server.server().running_options();
    let mut frank = login(&server, "frank", "pw").await;
    frank.send("SUB > 1\r\nPING\r\n").await;
    frank.expect("PONG").await;
    let mut admin = login(&server, "admin", "pw").await;
    admin
        .send("PUB secret.a 1\r\na\r\nPUB public.z 1\r\nz\r\nPING\r\n")
        .await;
    admin.expect("PONG").await;
    // Delivery is in order: had secret.a got through, it would come first.
    frank.expect("MSG public.z 1 1").await;
    frank.expect("z").await;

    server
        .server()
        .reload(&with_users(
            &base,
            vec![user("frank", "pw", None), user("admin", "pw", None)],
        ))
        .unwrap();
    frank.ping_pong().await;
    admin.send("PUB secret.b 1\r\nb\r\n").await;
    frank.expect("MSG secret.b 1 1").await;
    frank.expect("b").await;
}

#[tokio::test]
async fn reloaded_limits_reach_new_and_live_connections() {
    let server = TestServer::start().await;
    let mut live = server.raw().await;
    live.send("CONNECT {\"verbose\":false}\r\n").await;
    live.ping_pong().await;
    let mut opts = server.server().running_options();
    opts.max_payload = 16;
    opts.max_connections = 2;
    let reloaded = server.server().reload(&opts).unwrap();
    assert_eq!(reloaded.changed, vec!["max_connections", "max_payload"]);

    let fresh = server.raw().await;
    assert_eq!(fresh.info_json()["max_payload"], 16);
    // The live connection takes the new limit too, before its next read is parsed.
    live.ping_pong().await;
    live.send(format!("PUB big 17\r\n{}\r\n", "x".repeat(17)))
        .await;
    assert_eq!(
        live.expect_closed().await,
        vec!["-ERR 'Maximum Payload Violation'"]
    );
    // `fresh` holds one of the two connections now allowed; a third is refused.
    let _second = server.raw().await;
    let mut third = server.raw().await;
    assert_eq!(
        third.expect_closed().await,
        vec!["-ERR 'maximum connections exceeded'"]
    );
}
