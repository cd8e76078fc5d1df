//! TLS for client connections: certificates made at test time (a CA, a server
//! certificate for localhost/127.0.0.1, a client certificate signed by the CA and one
//! nobody signed), INFO-first and handshake-first, client verification and
//! verify_and_map, and bad input on either kind of port.

use std::path::PathBuf;
use std::time::Duration;

use futures::StreamExt;
use natrium_server::options::{HandshakeFirst, Permissions, SubjectPermission, TlsOptions, User};
use natrium_testkit::TestServer;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Certificates and keys written as PEM files into a temporary directory.
pub struct Pki {
    dir: tempfile::TempDir,
}

/// Subject of the CA-signed client certificate.
pub const CLIENT_DN: &str = "CN=alice,OU=eng,O=Natrium Test";
/// E-mail address in the CA-signed client certificate.
pub const CLIENT_EMAIL: &str = "alice@example.com";

fn write(dir: &tempfile::TempDir, name: &str, pem: &str) {
    std::fs::write(dir.path().join(name), pem).unwrap();
}

impl Pki {
    /// `ca.pem`; `server-cert.pem`/`server-key.pem` (localhost, 127.0.0.1);
    /// `client-cert.pem`/`client-key.pem` (signed by the CA, [`CLIENT_DN`],
    /// [`CLIENT_EMAIL`]); `other-cert.pem`/`other-key.pem` (signed by the CA, CN=bob, no
    /// SANs); `rogue-cert.pem`/`rogue-key.pem` (self-signed, [`CLIENT_DN`]).
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let ca_key = KeyPair::generate().unwrap();
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "Natrium Test CA");
        ca.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_cert = ca.self_signed(&ca_key).unwrap();
        write(&dir, "ca.pem", &ca_cert.pem());
        let issuer = Issuer::new(ca, ca_key);

        let key = KeyPair::generate().unwrap();
        let mut server =
            CertificateParams::new(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let cert = server.signed_by(&key, &issuer).unwrap();
        write(&dir, "server-cert.pem", &cert.pem());
        write(&dir, "server-key.pem", &key.serialize_pem());

        let client_params = || {
            let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
            p.distinguished_name
                .push(DnType::OrganizationName, "Natrium Test");
            p.distinguished_name
                .push(DnType::OrganizationalUnitName, "eng");
            p.distinguished_name.push(DnType::CommonName, "alice");
            p.subject_alt_names = vec![SanType::Rfc822Name(CLIENT_EMAIL.try_into().unwrap())];
            p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
            p
        };
        let key = KeyPair::generate().unwrap();
        let cert = client_params().signed_by(&key, &issuer).unwrap();
        write(&dir, "client-cert.pem", &cert.pem());
        write(&dir, "client-key.pem", &key.serialize_pem());

        let key = KeyPair::generate().unwrap();
        let mut other = CertificateParams::new(Vec::<String>::new()).unwrap();
        other.distinguished_name.push(DnType::CommonName, "bob");
        other.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let cert = other.signed_by(&key, &issuer).unwrap();
        write(&dir, "other-cert.pem", &cert.pem());
        write(&dir, "other-key.pem", &key.serialize_pem());

        let key = KeyPair::generate().unwrap();
        let cert = client_params().self_signed(&key).unwrap();
        write(&dir, "rogue-cert.pem", &cert.pem());
        write(&dir, "rogue-key.pem", &key.serialize_pem());
        Self { dir }
    }

    /// A file in the directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Server TLS options with this server certificate.
    pub fn server_tls(&self) -> TlsOptions {
        TlsOptions::new(self.path("server-cert.pem"), self.path("server-key.pem"))
    }

    /// Server TLS options that require a client certificate signed by the CA.
    pub fn verifying_tls(&self) -> TlsOptions {
        let mut tls = self.server_tls();
        tls.ca_file = Some(self.path("ca.pem"));
        tls.verify = true;
        tls
    }

    /// Client options trusting the CA, presenting the client certificate `name`
    /// (`client`, `other`, `rogue`) if given.
    pub fn client(&self, cert: Option<&str>) -> async_nats::ConnectOptions {
        let mut opts = async_nats::ConnectOptions::new()
            .add_root_certificates(self.path("ca.pem"))
            .require_tls(true);
        if let Some(name) = cert {
            opts = opts.add_client_certificate(
                self.path(&format!("{name}-cert.pem")),
                self.path(&format!("{name}-key.pem")),
            );
        }
        opts
    }
}

/// `nats://localhost:port`: the name the server certificate carries.
fn localhost_url(server: &TestServer) -> String {
    format!("nats://localhost:{}", server.addr().port())
}

async fn connect(
    opts: async_nats::ConnectOptions,
    url: &str,
) -> Result<async_nats::Client, async_nats::ConnectError> {
    tokio::time::timeout(Duration::from_secs(10), opts.connect(url))
        .await
        .expect("connect finished in time")
}

async fn round_trip(client: &async_nats::Client, subject: &'static str) {
    let mut sub = client.subscribe(subject).await.unwrap();
    client.publish(subject, "over tls".into()).await.unwrap();
    let msg = tokio::time::timeout(Duration::from_secs(5), sub.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(msg.payload, "over tls");
}

/// Reads whatever the server sends until it closes (or `limit` passes).
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> Option<Vec<u8>> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return Some(got),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => return None,
        }
    }
}

#[tokio::test]
async fn tls_pub_sub_with_a_verified_client_certificate() {
    let pki = Pki::new();
    let server = TestServer::start_with(|o| o.tls = Some(pki.verifying_tls())).await;
    let client = connect(pki.client(Some("client")), &localhost_url(&server))
        .await
        .unwrap();
    round_trip(&client, "secure.subject").await;

    // INFO goes out in plain text first and says what the client must do.
    let mut raw = TcpStream::connect(server.addr()).await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = raw.read(&mut buf).await.unwrap();
    let line = String::from_utf8_lossy(&buf[..n]).into_owned();
    let json: serde_json::Value =
        serde_json::from_str(line.trim_end().strip_prefix("INFO ").unwrap()).unwrap();
    assert_eq!(json["tls_required"], true);
    assert_eq!(json["tls_verify"], true);
}

#[tokio::test]
async fn a_server_certificate_from_an_unknown_ca_is_refused() {
    let pki = Pki::new();
    let server = TestServer::start_with(|o| o.tls = Some(pki.server_tls())).await;
    let unknown_ca = async_nats::ConnectOptions::new().require_tls(true);
    assert!(connect(unknown_ca, &localhost_url(&server)).await.is_err());
    // The same server is fine for a client that trusts its CA.
    let client = connect(pki.client(None), &localhost_url(&server))
        .await
        .unwrap();
    round_trip(&client, "known.ca").await;
}

#[tokio::test]
async fn verify_refuses_clients_without_or_with_an_untrusted_certificate() {
    let pki = Pki::new();
    let server = TestServer::start_with(|o| o.tls = Some(pki.verifying_tls())).await;
    assert!(
        connect(pki.client(None), &localhost_url(&server))
            .await
            .is_err(),
        "no client certificate"
    );
    assert!(
        connect(pki.client(Some("rogue")), &localhost_url(&server))
            .await
            .is_err(),
        "self-signed client certificate"
    );
    let client = connect(pki.client(Some("client")), &localhost_url(&server))
        .await
        .unwrap();
    round_trip(&client, "after.refusals").await;
}

#[tokio::test]
async fn handshake_first_serves_tls_first_clients_and_sends_plain_ones_nothing() {
    let pki = Pki::new();
    let server = TestServer::start_with(|o| {
        let mut tls = pki.server_tls();
        tls.handshake_first = HandshakeFirst::Always;
        tls.timeout = Duration::from_millis(500);
        o.tls = Some(tls);
    })
    .await;
    let client = connect(pki.client(None).tls_first(), &localhost_url(&server))
        .await
        .unwrap();
    round_trip(&client, "tls.first").await;

    // A plain client waits for an INFO that never comes; the handshake times out and
    // the server closes without having sent a byte.
    let mut raw = TcpStream::connect(server.addr()).await.unwrap();
    let got = read_until_closed(&mut raw, Duration::from_secs(5))
        .await
        .expect("closed after the handshake timeout");
    assert!(got.is_empty(), "nothing before the handshake: {got:?}");
    // A client that expects INFO first fails too.
    assert!(connect(pki.client(None), &localhost_url(&server))
        .await
        .is_err());
}

#[tokio::test]
async fn auto_handshake_first_serves_both_orders() {
    let pki = Pki::new();
    let server = TestServer::start_with(|o| {
        let mut tls = pki.server_tls();
        tls.handshake_first = HandshakeFirst::Fallback(Duration::from_millis(300));
        o.tls = Some(tls);
    })
    .await;
    let first = connect(pki.client(None).tls_first(), &localhost_url(&server))
        .await
        .unwrap();
    round_trip(&first, "auto.first").await;
    let usual = connect(pki.client(None), &localhost_url(&server))
        .await
        .unwrap();
    round_trip(&usual, "auto.usual").await;
}

fn mapped_users() -> Vec<User> {
    let only = |allow: &str| Permissions {
        publish: Some(SubjectPermission {
            allow: Some(vec![allow.to_owned()]),
            deny: Vec::new(),
        }),
        subscribe: None,
        response: None,
    };
    vec![
        User {
            username: CLIENT_EMAIL.into(),
            permissions: Some(only("alice.>")),
            ..User::default()
        },
        User {
            username: "CN=bob".into(),
            permissions: Some(only("bob.>")),
            ..User::default()
        },
        User {
            username: "admin".into(),
            password: "secret".into(),
            ..User::default()
        },
    ]
}

#[tokio::test]
async fn verify_and_map_selects_the_user_by_certificate_and_applies_its_permissions() {
    let pki = Pki::new();
    let server = TestServer::start_with(|o| {
        let mut tls = pki.verifying_tls();
        tls.verify_and_map = true;
        o.tls = Some(tls);
        o.auth.users = mapped_users();
    })
    .await;
    // The e-mail SAN names alice: she may publish to alice.> only.
    let alice = connect(pki.client(Some("client")), &localhost_url(&server))
        .await
        .unwrap();
    let mut sub = alice.subscribe("alice.>").await.unwrap();
    let mut bob_sub = alice.subscribe("bob.>").await.unwrap();
    alice.publish("bob.x", "denied".into()).await.unwrap();
    alice.publish("alice.x", "allowed".into()).await.unwrap();
    let msg = tokio::time::timeout(Duration::from_secs(5), sub.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(msg.payload, "allowed");
    alice.flush().await.unwrap();
    assert!(
        tokio::time::timeout(Duration::from_millis(200), bob_sub.next())
            .await
            .is_err(),
        "alice may not publish to bob.>"
    );

    // bob's certificate has only a subject, matched as the DN user "CN=bob".
    let bob = connect(pki.client(Some("other")), &localhost_url(&server))
        .await
        .unwrap();
    let mut bobs = bob.subscribe("bob.>").await.unwrap();
    bob.publish("bob.y", "mine".into()).await.unwrap();
    let msg = tokio::time::timeout(Duration::from_secs(5), bobs.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(msg.payload, "mine");

    // A password does not override the certificate: alice's certificate with admin's
    // credentials is still alice, who may not publish to bob.>.
    let mut probe = bob.subscribe("bob.probe").await.unwrap();
    bob.publish("bob.probe", "ready".into()).await.unwrap();
    let ready = tokio::time::timeout(Duration::from_secs(5), probe.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ready.payload, "ready");
    let mixed = connect(
        pki.client(Some("client"))
            .user_and_password("admin".into(), "secret".into()),
        &localhost_url(&server),
    )
    .await
    .unwrap();
    mixed.publish("bob.probe", "as admin".into()).await.unwrap();
    mixed.publish("alice.done", "marker".into()).await.unwrap();
    // The marker was published after the probe; once it is in, the probe would be too.
    let marker = tokio::time::timeout(Duration::from_secs(5), sub.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(marker.payload, "marker");
    assert!(
        tokio::time::timeout(Duration::from_millis(200), probe.next())
            .await
            .is_err(),
        "the mapped user's permissions apply, not admin's"
    );
}

#[tokio::test]
async fn verify_and_map_refuses_a_certificate_that_maps_to_no_user() {
    let pki = Pki::new();
    let server = TestServer::start_with(|o| {
        let mut tls = pki.verifying_tls();
        tls.verify_and_map = true;
        o.tls = Some(tls);
        // Nobody is alice or bob here.
        o.auth.users = vec![User {
            username: "CN=carol".into(),
            ..User::default()
        }];
    })
    .await;
    let err = connect(pki.client(Some("client")), &localhost_url(&server))
        .await
        .expect_err("an unmapped certificate must not log in");
    assert_eq!(
        err.kind(),
        async_nats::ConnectErrorKind::AuthorizationViolation
    );
}

#[tokio::test]
async fn plain_text_on_a_tls_port_is_closed_and_others_are_served() {
    let pki = Pki::new();
    let server = TestServer::start_with(|o| {
        let mut tls = pki.server_tls();
        tls.timeout = Duration::from_millis(500);
        o.tls = Some(tls);
    })
    .await;
    // A client that speaks the protocol without a handshake.
    let mut talker = TcpStream::connect(server.addr()).await.unwrap();
    talker.write_all(b"CONNECT {}\r\nPING\r\n").await.unwrap();
    let got = read_until_closed(&mut talker, Duration::from_secs(5))
        .await
        .expect("closed");
    assert!(
        !String::from_utf8_lossy(&got).contains("PONG"),
        "no protocol without TLS: {got:?}"
    );
    // A client that never handshakes is closed after the timeout.
    let mut silent = TcpStream::connect(server.addr()).await.unwrap();
    let got = read_until_closed(&mut silent, Duration::from_secs(5))
        .await
        .expect("closed after the handshake timeout");
    assert!(String::from_utf8_lossy(&got).starts_with("INFO "));

    let client = connect(pki.client(None), &localhost_url(&server))
        .await
        .unwrap();
    round_trip(&client, "still.serving").await;
}

#[tokio::test]
async fn a_client_hello_on_a_plain_port_is_an_unknown_operation() {
    let server = TestServer::start().await;
    let mut raw = TcpStream::connect(server.addr()).await.unwrap();
    // The first bytes of a TLS 1.2+ ClientHello record.
    let hello = [
        0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, 0x63, 0x76, 0x17,
    ];
    raw.write_all(&hello).await.unwrap();
    let got = read_until_closed(&mut raw, Duration::from_secs(5))
        .await
        .expect("closed");
    let text = String::from_utf8_lossy(&got);
    assert!(
        text.ends_with("-ERR 'Unknown Protocol Operation'\r\n"),
        "as nats-server: {text:?}"
    );
    let client = server.client().await;
    client.flush().await.unwrap();
}

#[tokio::test]
async fn varz_reports_the_tls_settings() {
    let pki = Pki::new();
    let server = TestServer::start_with(|o| {
        let mut tls = pki.verifying_tls();
        tls.timeout = Duration::from_millis(1500);
        o.tls = Some(tls);
        o.http_port = Some(0);
    })
    .await;
    let addr = server.server().monitor_addr().unwrap();
    let body = crate::monitor::get_json(addr, "/varz").await;
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["tls_required"], true);
    assert_eq!(json["tls_verify"], true);
    assert_eq!(json["tls_timeout"], 1.5);
}

#[tokio::test]
async fn bad_tls_files_stop_the_start() {
    let pki = Pki::new();
    let mut opts = natrium_server::Options {
        host: "127.0.0.1".into(),
        port: 0,
        ..natrium_server::Options::default()
    };
    opts.tls = Some(TlsOptions::new(
        pki.path("missing.pem"),
        pki.path("server-key.pem"),
    ));
    assert!(natrium_server::Server::start(opts.clone()).await.is_err());
    // A key that is not the certificate's.
    opts.tls = Some(TlsOptions::new(
        pki.path("server-cert.pem"),
        pki.path("client-key.pem"),
    ));
    assert!(natrium_server::Server::start(opts).await.is_err());
}

#[tokio::test]
async fn verify_and_map_falls_back_to_the_certificate_subject() {
    let pki = Pki::new();
    let server = TestServer::start_with(|o| {
        let mut tls = pki.verifying_tls();
        tls.verify_and_map = true;
        o.tls = Some(tls);
        // No user is named by alice's e-mail address: her subject selects the user.
        o.auth.users = vec![
            User {
                username: CLIENT_DN.into(),
                ..User::default()
            },
            User {
                username: "someone@example.com".into(),
                ..User::default()
            },
        ];
        o.http_port = Some(0);
    })
    .await;
    let alice = connect(pki.client(Some("client")), &localhost_url(&server))
        .await
        .unwrap();
    round_trip(&alice, "by.subject").await;
    let addr = server.server().monitor_addr().unwrap();
    let connz = crate::monitor::get_json(addr, "/connz?auth=true").await;
    let connz: serde_json::Value = serde_json::from_str(&connz).unwrap();
    let conn = &connz["connections"][0];
    assert_eq!(conn["authorized_user"], CLIENT_DN);
    assert_eq!(conn["tls_version"], "1.3");
    assert!(
        conn["tls_cipher_suite"]
            .as_str()
            .unwrap()
            .starts_with("TLS_"),
        "{conn}"
    );
}
