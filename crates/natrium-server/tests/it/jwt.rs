//! Operator mode: an operator, accounts and users made with real nkeys at test time,
//! clients logging in with user JWTs over TCP.

use std::time::Duration;

use async_nats::ConnectErrorKind;
use base64::Engine as _;
use futures::StreamExt as _;
use natrium_api::jwt::{Account, Claims, Operator, SigningKey, User, NO_LIMIT};
use natrium_server::options::{OperatorOptions, Resolver};
use natrium_server::Server;
use natrium_testkit::{RawClient, TestServer};
use nkeys::KeyPair;
use serde::Serialize;

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A tiny JWT encoder, as nsc signs tokens: the issuer's signature over `header.claims`.
fn encode<T: Serialize>(mut claims: Claims<T>, signer: &KeyPair) -> String {
    claims.iss = signer.public_key();
    claims.iat = if claims.iat == 0 {
        now() - 5
    } else {
        claims.iat
    };
    let header = b64(br#"{"typ":"JWT","alg":"ed25519-nkey"}"#);
    let body = b64(&serde_json::to_vec(&claims).unwrap());
    let signed = format!("{header}.{body}");
    format!("{signed}.{}", b64(&signer.sign(signed.as_bytes()).unwrap()))
}

fn operator_jwt(op: &KeyPair) -> String {
    let mut nats = Operator::default();
    nats.generic.kind = "operator".into();
    nats.generic.version = 2;
    encode(
        Claims {
            sub: op.public_key(),
            name: "test-operator".into(),
            nats,
            ..Claims::default()
        },
        op,
    )
}

fn account_jwt(
    account: &KeyPair,
    signer: &KeyPair,
    edit: impl FnOnce(&mut Claims<Account>),
) -> String {
    let mut c: Claims<Account> = Claims {
        sub: account.public_key(),
        ..Claims::default()
    };
    c.nats.generic.kind = "account".into();
    c.nats.generic.version = 2;
    let l = &mut c.nats.limits;
    (
        l.subs, l.data, l.payload, l.imports, l.exports, l.conn, l.leaf,
    ) = (
        NO_LIMIT, NO_LIMIT, NO_LIMIT, NO_LIMIT, NO_LIMIT, NO_LIMIT, NO_LIMIT,
    );
    edit(&mut c);
    encode(c, signer)
}

fn user_jwt(user: &KeyPair, signer: &KeyPair, edit: impl FnOnce(&mut Claims<User>)) -> String {
    let mut c: Claims<User> = Claims {
        sub: user.public_key(),
        ..Claims::default()
    };
    c.nats.generic.kind = "user".into();
    c.nats.generic.version = 2;
    (
        c.nats.limits.subs,
        c.nats.limits.data,
        c.nats.limits.payload,
    ) = (NO_LIMIT, NO_LIMIT, NO_LIMIT);
    edit(&mut c);
    encode(c, signer)
}

fn creds(jwt: &str, user: &KeyPair) -> String {
    format!(
        "-----BEGIN NATS USER JWT-----\n{jwt}\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\n{}\n------END USER NKEY SEED------\n",
        user.seed().unwrap()
    )
}

/// An operator with accounts A (signing key `a_signer`) and B.
struct Fixture {
    operator: KeyPair,
    a: KeyPair,
    a_signer: KeyPair,
    b: KeyPair,
}

impl Fixture {
    fn new() -> Self {
        Self {
            operator: KeyPair::new_operator(),
            a: KeyPair::new_account(),
            a_signer: KeyPair::new_account(),
            b: KeyPair::new_account(),
        }
    }

    fn options(&self, edit_a: impl FnOnce(&mut Claims<Account>)) -> OperatorOptions {
        let signer = self.a_signer.public_key();
        OperatorOptions {
            operators: vec![operator_jwt(&self.operator)],
            resolver: Some(Resolver::Memory),
            preload: vec![
                (
                    self.a.public_key(),
                    account_jwt(&self.a, &self.operator, |c| {
                        c.nats.signing_keys.push(SigningKey::Key(signer));
                        edit_a(c);
                    }),
                ),
                (
                    self.b.public_key(),
                    account_jwt(&self.b, &self.operator, |_| {}),
                ),
            ],
        }
    }

    async fn server(&self, edit_a: impl FnOnce(&mut Claims<Account>)) -> TestServer {
        let op = self.options(edit_a);
        TestServer::start_with(|o| o.auth.operator = op).await
    }
}

async fn connect(
    server: &TestServer,
    jwt: &str,
    user: &KeyPair,
) -> Result<async_nats::Client, async_nats::ConnectError> {
    let opts = async_nats::ConnectOptions::with_credentials(&creds(jwt, user)).unwrap();
    tokio::time::timeout(Duration::from_secs(5), opts.connect(server.url()))
        .await
        .expect("answered in time")
}

async fn assert_refused(server: &TestServer, jwt: &str, user: &KeyPair) {
    let err = connect(server, jwt, user)
        .await
        .expect_err("must not log in");
    assert_eq!(err.kind(), ConnectErrorKind::AuthorizationViolation);
}

async fn round_trip(client: &async_nats::Client, subject: &str) {
    let mut sub = client.subscribe(subject.to_owned()).await.unwrap();
    client.flush().await.unwrap();
    client
        .publish(subject.to_owned(), "hi".into())
        .await
        .unwrap();
    let msg = tokio::time::timeout(Duration::from_secs(5), sub.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&msg.payload[..], b"hi");
}

/// A raw CONNECT with `jwt` and the nonce of this connection signed by `signer`.
async fn raw_login(server: &TestServer, jwt: &str, signer: &KeyPair) -> RawClient {
    let mut c = server.raw().await;
    let info = c.info_json();
    assert_eq!(info["auth_required"], true);
    let nonce = info["nonce"]
        .as_str()
        .expect("INFO carries a nonce in operator mode")
        .to_owned();
    let sig = b64(&signer.sign(nonce.as_bytes()).unwrap());
    c.send(format!(
        "CONNECT {{\"verbose\":false,\"jwt\":\"{jwt}\",\"sig\":\"{sig}\"}}\r\n"
    ))
    .await;
    c
}

#[tokio::test]
async fn users_of_trusted_accounts_log_in_with_their_credentials() {
    let f = Fixture::new();
    let server = f.server(|_| {}).await;
    let user = KeyPair::new_user();
    let client = connect(&server, &user_jwt(&user, &f.a, |_| {}), &user)
        .await
        .unwrap();
    round_trip(&client, "hello").await;
    // Issued by the account's signing key on the account's behalf.
    let signed = user_jwt(&user, &f.a_signer, |c| {
        c.nats.issuer_account = f.a.public_key()
    });
    let client = connect(&server, &signed, &user).await.unwrap();
    round_trip(&client, "hello.again").await;
    // A client sending no JWT is refused.
    let err = async_nats::connect(server.url())
        .await
        .expect_err("no JWT, no login");
    assert_eq!(err.kind(), ConnectErrorKind::AuthorizationViolation);
}

#[tokio::test]
async fn users_signed_by_a_key_the_account_does_not_list_are_refused() {
    let f = Fixture::new();
    let server = f.server(|_| {}).await;
    let user = KeyPair::new_user();
    let rogue = KeyPair::new_account();
    assert_refused(
        &server,
        &user_jwt(&user, &rogue, |c| c.nats.issuer_account = f.a.public_key()),
        &user,
    )
    .await;
    // The signing key without issuer_account names no known account.
    assert_refused(&server, &user_jwt(&user, &f.a_signer, |_| {}), &user).await;
    // An unknown account.
    assert_refused(&server, &user_jwt(&user, &rogue, |_| {}), &user).await;
}

#[tokio::test]
async fn expired_and_revoked_users_are_refused() {
    let f = Fixture::new();
    let revoked = KeyPair::new_user();
    let revoked_key = revoked.public_key();
    let server = f
        .server(|c| {
            c.nats.revocations.insert(revoked_key, now());
        })
        .await;
    let user = KeyPair::new_user();
    assert_refused(
        &server,
        &user_jwt(&user, &f.a, |c| c.exp = now() - 60),
        &user,
    )
    .await;
    assert_refused(
        &server,
        &user_jwt(&user, &f.a, |c| c.nbf = now() + 600),
        &user,
    )
    .await;
    assert_refused(&server, &user_jwt(&revoked, &f.a, |_| {}), &revoked).await;
    // A JWT issued after the revocation is valid again.
    let reissued = user_jwt(&revoked, &f.a, |c| c.iat = now() + 1);
    connect(&server, &reissued, &revoked).await.unwrap();
}

#[tokio::test]
async fn a_forged_nonce_signature_is_an_authorization_violation() {
    let f = Fixture::new();
    let server = f.server(|_| {}).await;
    let user = KeyPair::new_user();
    let jwt = user_jwt(&user, &f.a, |_| {});
    // Someone holding the JWT but not the user's seed.
    let thief = KeyPair::new_user();
    let mut c = raw_login(&server, &jwt, &thief).await;
    assert_eq!(
        c.expect_closed().await,
        vec!["-ERR 'Authorization Violation'"]
    );
    let mut c = server.raw().await;
    c.send(format!(
        "CONNECT {{\"verbose\":false,\"jwt\":\"{jwt}\"}}\r\n"
    ))
    .await;
    assert_eq!(
        c.expect_closed().await,
        vec!["-ERR 'Authorization Violation'"]
    );
    // A signature of some other nonce (one seen on another connection).
    let stale = b64(&user.sign(b"an-old-nonce").unwrap());
    let opts = async_nats::ConnectOptions::with_jwt(jwt.clone(), move |_nonce| {
        let stale = stale.clone();
        async move {
            Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(stale)
                .unwrap())
        }
    });
    let err = opts
        .connect(server.url())
        .await
        .expect_err("forged signature");
    assert_eq!(err.kind(), ConnectErrorKind::AuthorizationViolation);
    let mut ok = raw_login(&server, &jwt, &user).await;
    ok.ping_pong().await;
}

#[tokio::test]
async fn claims_set_permissions_and_limits() {
    let f = Fixture::new();
    let server = f.server(|c| c.nats.limits.conn = 1).await;
    let user = KeyPair::new_user();
    let jwt = user_jwt(&user, &f.a, |c| {
        c.nats.limits.permissions.publish.deny = vec!["secret.>".into()];
        c.nats.limits.payload = 8;
        c.nats.limits.subs = 1;
    });
    let mut c = raw_login(&server, &jwt, &user).await;
    c.ping_pong().await;
    c.send("PUB secret.x 1\r\na\r\n").await;
    c.expect("-ERR 'Permissions Violation for Publish to \"secret.x\"'")
        .await;
    c.send("SUB a 1\r\nSUB b 2\r\n").await;
    c.expect("-ERR 'maximum subscriptions exceeded'").await;
    // The account allows one connection: this is it.
    let mut second = raw_login(&server, &jwt, &user).await;
    assert_eq!(
        second.expect_closed().await,
        vec!["-ERR 'maximum account active connections exceeded'"]
    );
    c.send("PUB a 9\r\n123456789\r\n").await;
    assert_eq!(
        c.expect_closed().await,
        vec!["-ERR 'Maximum Payload Violation'"]
    );
    // Its slot is free again once it closed.
    let mut third = raw_login(&server, &jwt, &user).await;
    third.ping_pong().await;
}

#[tokio::test]
async fn a_connection_ends_when_its_user_jwt_expires() {
    let f = Fixture::new();
    let server = f.server(|_| {}).await;
    let user = KeyPair::new_user();
    let jwt = user_jwt(&user, &f.a, |c| c.exp = now() + 2);
    let mut c = raw_login(&server, &jwt, &user).await;
    c.ping_pong().await;
    assert_eq!(
        c.expect_closed().await,
        vec!["-ERR 'User Authentication Expired'"]
    );
}

#[tokio::test]
async fn accounts_the_operator_did_not_sign_stop_the_start() {
    let f = Fixture::new();
    let mut opts = f.options(|_| {});
    let rogue = KeyPair::new_operator();
    let a = f.a.public_key();
    opts.preload[0].1 = account_jwt(&f.a, &rogue, |_| {});
    let err = Server::builder()
        .host("127.0.0.1")
        .port(0)
        .configure(|o| o.auth.operator = opts)
        .start()
        .await
        .expect_err("untrusted account");
    let text = err.to_string();
    assert!(
        text.contains(&a) && text.contains("not a trusted operator"),
        "{text}"
    );
    // Users configured directly cannot be mixed with operator mode.
    let opts = f.options(|_| {});
    let err = Server::builder()
        .host("127.0.0.1")
        .port(0)
        .configure(|o| {
            o.auth.operator = opts;
            o.auth.token = Some("t".into());
        })
        .start()
        .await
        .expect_err("token with operator");
    assert!(err.to_string().contains("operators do not allow"), "{err}");
}

#[tokio::test]
async fn users_of_different_accounts_are_isolated() {
    let f = Fixture::new();
    let server = f.server(|_| {}).await;
    let (ua, ua2, ub) = (
        KeyPair::new_user(),
        KeyPair::new_user(),
        KeyPair::new_user(),
    );
    let a = connect(&server, &user_jwt(&ua, &f.a, |_| {}), &ua)
        .await
        .unwrap();
    let a2 = connect(
        &server,
        &user_jwt(&ua2, &f.a_signer, |c| {
            c.nats.issuer_account = f.a.public_key()
        }),
        &ua2,
    )
    .await
    .unwrap();
    let b = connect(&server, &user_jwt(&ub, &f.b, |_| {}), &ub)
        .await
        .unwrap();
    let mut in_b = b.subscribe("shared").await.unwrap();
    let mut in_a2 = a2.subscribe("shared").await.unwrap();
    b.flush().await.unwrap();
    a2.flush().await.unwrap();
    a.publish("shared", "from a".into()).await.unwrap();
    a.flush().await.unwrap();
    let got = tokio::time::timeout(Duration::from_secs(5), in_a2.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&got.payload[..], b"from a", "same account, same namespace");
    // B's own message proves B's subscription is live and A's never reached it.
    b.publish("shared", "from b".into()).await.unwrap();
    let got = tokio::time::timeout(Duration::from_secs(5), in_b.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        &got.payload[..],
        b"from b",
        "a message of account A leaked into B"
    );
}

#[tokio::test]
async fn limits_a_jwt_leaves_out_are_zero_as_in_nats_server() {
    let f = Fixture::new();
    let server = f.server(|_| {}).await;
    let user = KeyPair::new_user();
    // No `subs`: no subscription allowed, and the connection is closed at once.
    let jwt = user_jwt(&user, &f.a, |c| c.nats.limits.subs = 0);
    let mut c = raw_login(&server, &jwt, &user).await;
    assert_eq!(
        c.expect_closed().await,
        vec!["-ERR 'maximum subscriptions exceeded'"]
    );
    // An account JWT without limits allows no connections.
    let mut opts = f.options(|_| {});
    opts.preload[1].1 = account_jwt(&f.b, &f.operator, |c| c.nats.limits = Default::default());
    let server = TestServer::start_with(|o| o.auth.operator = opts).await;
    let mut c = raw_login(&server, &user_jwt(&user, &f.b, |_| {}), &user).await;
    assert_eq!(
        c.expect_closed().await,
        vec!["-ERR 'maximum account active connections exceeded'"]
    );
}

#[tokio::test]
async fn account_jwt_exports_and_imports_link_accounts() {
    use natrium_api::jwt::{Activation, Export, Import};
    let f = Fixture::new();
    let a = f.a.public_key();
    let mut opts = f.options(|c| {
        c.nats.exports = vec![
            Export {
                subject: "news.>".into(),
                kind: "stream".into(),
                ..Export::default()
            },
            Export {
                subject: "private.>".into(),
                kind: "stream".into(),
                token_req: true,
                ..Export::default()
            },
        ];
    });
    let mut act: Claims<Activation> = Claims {
        sub: f.b.public_key(),
        ..Claims::default()
    };
    act.nats.import_subject = "private.ok".into();
    act.nats.import_type = "stream".into();
    act.nats.generic.kind = "activation".into();
    act.nats.generic.version = 2;
    let token = encode(act, &f.a);
    opts.preload[1].1 = account_jwt(&f.b, &f.operator, |c| {
        let import = |subject: &str, token: &str| Import {
            subject: subject.into(),
            account: a.clone(),
            kind: "stream".into(),
            token: token.into(),
            ..Import::default()
        };
        c.nats.imports = vec![
            import("news.>", ""),
            import("private.x", ""),
            import("private.ok", &token),
        ];
    });
    let server = TestServer::start_with(|o| o.auth.operator = opts).await;
    let (ua, ub) = (KeyPair::new_user(), KeyPair::new_user());
    let in_a = connect(&server, &user_jwt(&ua, &f.a, |_| {}), &ua)
        .await
        .unwrap();
    let in_b = connect(&server, &user_jwt(&ub, &f.b, |_| {}), &ub)
        .await
        .unwrap();
    let mut news = in_b.subscribe("news.>").await.unwrap();
    let mut private = in_b.subscribe("private.>").await.unwrap();
    in_b.flush().await.unwrap();
    in_a.publish("private.x", "secret".into()).await.unwrap();
    in_a.publish("news.x", "public".into()).await.unwrap();
    in_a.publish("private.ok", "granted".into()).await.unwrap();
    in_a.flush().await.unwrap();
    let got = tokio::time::timeout(Duration::from_secs(5), news.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&got.payload[..], b"public");
    // The import without an activation token was not linked; the one with it was.
    let got = tokio::time::timeout(Duration::from_secs(5), private.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (got.subject.as_str(), &got.payload[..]),
        ("private.ok", &b"granted"[..])
    );
}

#[tokio::test]
async fn accounts_whose_jwt_grants_storage_get_jetstream() {
    let f = Fixture::new();
    let dir = tempfile::tempdir().unwrap();
    let op = f.options(|c| {
        c.nats.limits.jetstream.mem_storage = NO_LIMIT;
        c.nats.limits.jetstream.disk_storage = NO_LIMIT;
        c.nats.limits.jetstream.streams = 1;
    });
    let store = dir.path().to_owned();
    let server = TestServer::start_with(|o| {
        o.auth.operator = op;
        o.jetstream.enabled = true;
        o.jetstream.store_dir = Some(store);
    })
    .await;
    let (ua, ub) = (KeyPair::new_user(), KeyPair::new_user());
    let in_a = connect(&server, &user_jwt(&ua, &f.a, |_| {}), &ua)
        .await
        .unwrap();
    let js = async_nats::jetstream::new(in_a);
    js.create_stream(async_nats::jetstream::stream::Config {
        name: "S".into(),
        subjects: vec!["s.>".into()],
        ..Default::default()
    })
    .await
    .expect("account A has JetStream");
    let second = js
        .create_stream(async_nats::jetstream::stream::Config {
            name: "T".into(),
            subjects: vec!["t.>".into()],
            ..Default::default()
        })
        .await;
    assert!(second.is_err(), "streams: 1");
    let in_b = connect(&server, &user_jwt(&ub, &f.b, |_| {}), &ub)
        .await
        .unwrap();
    let js = async_nats::jetstream::new(in_b);
    let r = tokio::time::timeout(Duration::from_secs(10), js.query_account())
        .await
        .unwrap();
    assert!(r.is_err(), "account B's JWT grants no storage");
}

#[tokio::test]
async fn src_restricts_where_a_user_may_connect_from() {
    use natrium_api::jwt::CidrList;
    let f = Fixture::new();
    let server = f.server(|_| {}).await;
    let user = KeyPair::new_user();
    let here = user_jwt(&user, &f.a, |c| {
        c.nats.limits.src = Some(CidrList::List(vec!["127.0.0.0/8".into()]))
    });
    connect(&server, &here, &user).await.unwrap();
    let elsewhere = user_jwt(&user, &f.a, |c| {
        c.nats.limits.src = Some(CidrList::Joined("10.0.0.0/8,192.168.1.0/24".into()))
    });
    assert_refused(&server, &elsewhere, &user).await;
}

#[tokio::test]
async fn a_reloaded_revocation_closes_the_users_connection() {
    let f = Fixture::new();
    let server = f.server(|_| {}).await;
    let user = KeyPair::new_user();
    let user_key = user.public_key();
    let mut live = raw_login(&server, &user_jwt(&user, &f.a, |_| {}), &user).await;
    live.ping_pong().await;
    let other = KeyPair::new_user();
    let mut untouched = raw_login(&server, &user_jwt(&other, &f.a, |_| {}), &other).await;
    untouched.ping_pong().await;

    // As a reloaded config file gives them: the accounts come from the JWTs again.
    let mut opts = server.server().running_options();
    opts.accounts.clear();
    opts.auth.operator = f.options(|c| {
        c.nats.revocations.insert(user_key, now());
    });
    let reloaded = server.server().reload(&opts).unwrap();
    assert_eq!(reloaded.changed, vec!["authorization"]);
    live.expect("-ERR 'Authorization Violation'").await;
    live.expect_closed().await;
    untouched.ping_pong().await;
    assert_refused(&server, &user_jwt(&user, &f.a, |_| {}), &user).await;
}
