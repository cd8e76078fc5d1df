//! The WebSocket listener: the client protocol inside WebSocket messages, over `ws://`
//! and `wss://`, and the Origin checks.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use natrium_server::options::WebsocketOptions;
use natrium_testkit::TestServer;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

use crate::tls::Pki;

async fn ws_server(configure: impl FnOnce(&mut WebsocketOptions)) -> TestServer {
    TestServer::start_with(|o| {
        let mut ws = WebsocketOptions {
            no_tls: true,
            ..WebsocketOptions::default()
        };
        configure(&mut ws);
        o.websocket = Some(ws);
    })
    .await
}

fn ws_port(server: &TestServer) -> u16 {
    server.server().websocket_addr().unwrap().port()
}

async fn connect(
    opts: async_nats::ConnectOptions,
    url: &str,
) -> Result<async_nats::Client, async_nats::ConnectError> {
    tokio::time::timeout(Duration::from_secs(10), opts.connect(url))
        .await
        .expect("connect finished in time")
}

/// Waits until the server has `sub`'s subscription: the client's own message to it comes
/// back (a flush only empties the client's buffer).
async fn registered(
    client: &async_nats::Client,
    sub: &mut async_nats::Subscriber,
    subject: &'static str,
) {
    client.publish(subject, "ready".into()).await.unwrap();
    let got = tokio::time::timeout(Duration::from_secs(5), sub.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.payload, "ready");
}

#[tokio::test]
async fn websocket_pub_sub_and_request_reach_tcp_clients() {
    let server = ws_server(|_| {}).await;
    let ws = connect(
        async_nats::ConnectOptions::new(),
        &format!("ws://127.0.0.1:{}", ws_port(&server)),
    )
    .await
    .unwrap();
    let tcp = server.client().await;

    // Both directions between a WebSocket and a TCP client.
    let mut from_tcp = ws.subscribe("to.ws").await.unwrap();
    let mut from_ws = tcp.subscribe("to.tcp").await.unwrap();
    registered(&ws, &mut from_tcp, "to.ws").await;
    registered(&tcp, &mut from_ws, "to.tcp").await;
    tcp.publish("to.ws", "hello ws".into()).await.unwrap();
    ws.publish("to.tcp", "hello tcp".into()).await.unwrap();
    let got = tokio::time::timeout(Duration::from_secs(5), from_tcp.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.payload, "hello ws");
    let got = tokio::time::timeout(Duration::from_secs(5), from_ws.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.payload, "hello tcp");

    // Messages larger than one read, several in a row.
    let big = bytes::Bytes::from(vec![7u8; 512 * 1024]);
    let mut bigs = ws.subscribe("big").await.unwrap();
    registered(&ws, &mut bigs, "big").await;
    for _ in 0..4 {
        tcp.publish("big", big.clone()).await.unwrap();
    }
    for _ in 0..4 {
        let got = tokio::time::timeout(Duration::from_secs(5), bigs.next())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(got.payload, big);
    }

    // Request/reply answered over TCP.
    let mut requests = tcp.subscribe("svc").await.unwrap();
    registered(&tcp, &mut requests, "svc").await;
    let responder = tcp.clone();
    tokio::spawn(async move {
        if let Some(req) = requests.next().await {
            let reply = req.reply.unwrap();
            responder.publish(reply, "answer".into()).await.unwrap();
        }
    });
    let answer = tokio::time::timeout(Duration::from_secs(5), ws.request("svc", "q".into()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(answer.payload, "answer");
}

#[tokio::test]
async fn wss_serves_clients_that_trust_the_ca_only() {
    let pki = Pki::new();
    let server = ws_server(|ws| {
        ws.no_tls = false;
        ws.tls = Some(pki.server_tls());
    })
    .await;
    let url = format!("wss://localhost:{}", ws_port(&server));
    let client = connect(
        async_nats::ConnectOptions::new().add_root_certificates(pki.path("ca.pem")),
        &url,
    )
    .await
    .unwrap();
    let mut sub = client.subscribe("secure.ws").await.unwrap();
    client.publish("secure.ws", "wss".into()).await.unwrap();
    let got = tokio::time::timeout(Duration::from_secs(5), sub.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.payload, "wss");

    assert!(
        connect(async_nats::ConnectOptions::new(), &url)
            .await
            .is_err(),
        "a client that does not trust the CA is refused"
    );
    // Plain ws:// to the wss port fails too.
    assert!(connect(
        async_nats::ConnectOptions::new(),
        &format!("ws://localhost:{}", ws_port(&server))
    )
    .await
    .is_err());
}

/// Opens a raw WebSocket to the server with an optional Origin header.
async fn raw_ws(
    port: u16,
    origin: Option<&str>,
) -> Result<tokio_tungstenite::WebSocketStream<TcpStream>, WsError> {
    let mut req = format!("ws://127.0.0.1:{port}/")
        .into_client_request()
        .unwrap();
    if let Some(origin) = origin {
        req.headers_mut().insert("Origin", origin.parse().unwrap());
    }
    let tcp = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    tokio_tungstenite::client_async(req, tcp)
        .await
        .map(|(ws, _)| ws)
}

fn status(err: WsError) -> u16 {
    match err {
        WsError::Http(resp) => resp.status().as_u16(),
        other => panic!("expected an HTTP refusal, got {other}"),
    }
}

#[tokio::test]
async fn origins_outside_allowed_origins_get_403() {
    let server = ws_server(|ws| {
        ws.allowed_origins = vec!["https://app.example.com".into()];
    })
    .await;
    let port = ws_port(&server);
    assert_eq!(
        status(
            raw_ws(port, Some("https://evil.example.com"))
                .await
                .unwrap_err()
        ),
        403
    );
    // Same host, other scheme (and so other port): refused too.
    assert_eq!(
        status(
            raw_ws(port, Some("http://app.example.com"))
                .await
                .unwrap_err()
        ),
        403
    );
    assert!(raw_ws(port, Some("https://app.example.com")).await.is_ok());
    // A client that sends no Origin is not a browser; nats-server accepts it.
    assert!(raw_ws(port, None).await.is_ok());
}

#[tokio::test]
async fn same_origin_accepts_only_the_servers_own_host() {
    let server = ws_server(|ws| ws.same_origin = true).await;
    let port = ws_port(&server);
    assert_eq!(
        status(
            raw_ws(port, Some("http://other.host:1234"))
                .await
                .unwrap_err()
        ),
        403
    );
    assert!(raw_ws(port, Some(&format!("http://127.0.0.1:{port}")))
        .await
        .is_ok());
}

#[tokio::test]
async fn text_and_binary_messages_carry_the_protocol() {
    let server = ws_server(|_| {}).await;
    let mut ws = raw_ws(ws_port(&server), None).await.unwrap();
    let first = tokio::time::timeout(Duration::from_secs(5), ws.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let info = String::from_utf8(first.into_data().to_vec()).unwrap();
    assert!(info.starts_with("INFO "), "{info}");
    let json: serde_json::Value =
        serde_json::from_str(info.trim_end().strip_prefix("INFO ").unwrap()).unwrap();
    assert_eq!(
        json["tls_required"],
        serde_json::Value::Null,
        "no TLS inside WebSocket"
    );

    // A frame may split an operation: the session sees one byte stream.
    ws.send(Message::text(
        "CONNECT {\"verbose\":false}\r\nSUB a 1\r\nPUB a 2\r\n",
    ))
    .await
    .unwrap();
    ws.send(Message::binary(b"hi\r\nPING\r\n".to_vec()))
        .await
        .unwrap();
    let mut got = String::new();
    while !got.contains("PONG\r\n") {
        let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        got.push_str(&String::from_utf8_lossy(&msg.into_data()));
    }
    assert_eq!(got, "MSG a 1 2\r\nhi\r\nPONG\r\n");

    // Protocol errors are answered and closed as over TCP.
    ws.send(Message::binary(b"BOGUS\r\n".to_vec()))
        .await
        .unwrap();
    let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&msg.into_data()),
        "-ERR 'Unknown Protocol Operation'\r\n"
    );
}

#[test]
fn websocket_without_tls_must_say_no_tls() {
    let conf = natrium_conf::parse_str("websocket { port: -1 }").unwrap();
    let mut opts = natrium_server::Options::default();
    let err = natrium_server::config::apply(&conf, &mut opts, &mut Vec::new()).unwrap_err();
    assert!(
        err.to_string()
            .contains("websocket requires TLS configuration"),
        "{err}"
    );
    let conf = natrium_conf::parse_str("websocket { port: -1, no_tls: true }").unwrap();
    natrium_server::config::apply(&conf, &mut opts, &mut Vec::new()).unwrap();
    assert_eq!(opts.websocket.map(|w| w.port), Some(0));
}

#[tokio::test]
async fn certificate_only_users_cannot_log_in_over_websocket_with_an_empty_password() {
    let pki = Pki::new();
    let server = TestServer::start_with(|o| {
        let mut tls = pki.verifying_tls();
        tls.verify_and_map = true;
        o.tls = Some(tls);
        o.auth.users = vec![
            natrium_server::options::User {
                username: "CN=bob".into(),
                ..Default::default()
            },
            natrium_server::options::User {
                username: "admin".into(),
                password: "secret".into(),
                ..Default::default()
            },
        ];
        o.websocket = Some(WebsocketOptions {
            no_tls: true,
            ..WebsocketOptions::default()
        });
    })
    .await;
    let url = format!("ws://127.0.0.1:{}", ws_port(&server));
    let err = connect(
        async_nats::ConnectOptions::with_user_and_password("CN=bob".into(), String::new()),
        &url,
    )
    .await
    .expect_err("bob is a certificate identity");
    assert_eq!(
        err.kind(),
        async_nats::ConnectErrorKind::AuthorizationViolation
    );
    let admin = connect(
        async_nats::ConnectOptions::with_user_and_password("admin".into(), "secret".into()),
        &url,
    )
    .await
    .unwrap();
    admin.flush().await.unwrap();
}

#[tokio::test]
async fn wss_with_verify_requires_a_client_certificate_from_the_ca() {
    let pki = Pki::new();
    let server = ws_server(|ws| {
        ws.no_tls = false;
        ws.tls = Some(pki.verifying_tls());
    })
    .await;
    let url = format!("wss://localhost:{}", ws_port(&server));
    let trusting = || async_nats::ConnectOptions::new().add_root_certificates(pki.path("ca.pem"));
    assert!(
        connect(trusting(), &url).await.is_err(),
        "no client certificate"
    );
    assert!(
        connect(
            trusting()
                .add_client_certificate(pki.path("rogue-cert.pem"), pki.path("rogue-key.pem")),
            &url
        )
        .await
        .is_err(),
        "a certificate the CA did not sign"
    );
    let client = connect(
        trusting().add_client_certificate(pki.path("client-cert.pem"), pki.path("client-key.pem")),
        &url,
    )
    .await
    .unwrap();
    client.flush().await.unwrap();
}

#[tokio::test]
async fn allowed_connection_types_separate_websocket_from_standard_users() {
    let user = |name: &str, kind: &str| natrium_server::options::User {
        username: name.into(),
        password: "pw".into(),
        allowed_connection_types: vec![kind.into()],
        ..Default::default()
    };
    let server = TestServer::start_with(|o| {
        o.auth.users = vec![user("wsonly", "WEBSOCKET"), user("tcponly", "STANDARD")];
        o.websocket = Some(WebsocketOptions {
            no_tls: true,
            ..WebsocketOptions::default()
        });
    })
    .await;
    let ws_url = format!("ws://127.0.0.1:{}", ws_port(&server));
    let as_user =
        |name: &str| async_nats::ConnectOptions::with_user_and_password(name.into(), "pw".into());
    connect(as_user("wsonly"), &ws_url).await.unwrap();
    connect(as_user("tcponly"), &server.url()).await.unwrap();
    for (name, url) in [("tcponly", &ws_url), ("wsonly", &server.url())] {
        let err = connect(as_user(name), url)
            .await
            .expect_err("a user may log in only over its connection types");
        assert_eq!(
            err.kind(),
            async_nats::ConnectErrorKind::AuthorizationViolation,
            "{name} at {url}"
        );
    }
}

#[tokio::test]
async fn compression_is_declined_and_the_connection_works_uncompressed() {
    let server = ws_server(|ws| ws.compression = true).await;
    let port = ws_port(&server);
    let mut req = format!("ws://127.0.0.1:{port}/")
        .into_client_request()
        .unwrap();
    req.headers_mut().insert(
        "Sec-WebSocket-Extensions",
        "permessage-deflate; client_max_window_bits"
            .parse()
            .unwrap(),
    );
    let tcp = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let (mut ws, resp) = tokio_tungstenite::client_async(req, tcp).await.unwrap();
    assert!(
        resp.headers().get("Sec-WebSocket-Extensions").is_none(),
        "no extension negotiated: {resp:?}"
    );
    let info = tokio::time::timeout(Duration::from_secs(5), ws.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(info.into_data().starts_with(b"INFO "));
    ws.send(Message::binary(
        b"CONNECT {\"verbose\":false}\r\nPING\r\n".to_vec(),
    ))
    .await
    .unwrap();
    let pong = tokio::time::timeout(Duration::from_secs(5), ws.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(&pong.into_data()[..], b"PONG\r\n");
}

#[tokio::test]
async fn varz_and_connz_show_the_websocket_listener_and_its_clients() {
    let server = TestServer::start_with(|o| {
        o.websocket = Some(WebsocketOptions {
            no_tls: true,
            ..WebsocketOptions::default()
        });
        o.http_port = Some(0);
    })
    .await;
    let port = ws_port(&server);
    let monitor = server.server().monitor_addr().unwrap();
    let varz: serde_json::Value =
        serde_json::from_str(&crate::monitor::get_json(monitor, "/varz").await).unwrap();
    assert_eq!(varz["websocket"]["port"], port);
    assert_eq!(varz["websocket"]["host"], "127.0.0.1");
    let client = connect(
        async_nats::ConnectOptions::new(),
        &format!("ws://127.0.0.1:{port}"),
    )
    .await
    .unwrap();
    client.flush().await.unwrap();
    let connz: serde_json::Value =
        serde_json::from_str(&crate::monitor::get_json(monitor, "/connz").await).unwrap();
    assert_eq!(connz["connections"][0]["type"], "websocket", "{connz}");
}
