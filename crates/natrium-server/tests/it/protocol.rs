//! Byte-level protocol behaviour, checked against what nats-server sends.

use natrium_testkit::TestServer;

#[tokio::test]
async fn info_carries_the_fields_clients_read() {
    let server = TestServer::start().await;
    let raw = server.raw().await;
    let info = raw.info_json();
    for field in [
        "server_id",
        "server_name",
        "version",
        "go",
        "host",
        "client_ip",
    ] {
        assert!(info[field].is_string(), "INFO.{field} missing: {info}");
    }
    assert_eq!(info["proto"], 1);
    assert_eq!(info["port"], server.addr().port());
    assert_eq!(info["headers"], true);
    assert_eq!(info["max_payload"], 1024 * 1024);
    assert!(info["client_id"].as_u64().unwrap() > 0);
    assert_eq!(info["client_ip"], "127.0.0.1");
    assert!(info.get("auth_required").is_none());
    assert!(info["server_id"].as_str().unwrap().starts_with('N'));
    assert_eq!(info["server_id"].as_str().unwrap().len(), 56);
}

#[tokio::test]
async fn ping_pong_and_verbose_ok() {
    let server = TestServer::start().await;
    let mut c = server.raw().await;
    c.send("CONNECT {\"verbose\":true}\r\n").await;
    c.expect("+OK").await;
    c.send("PING\r\n").await;
    c.expect("PONG").await;
    c.send("SUB foo 1\r\nPUB foo 2\r\nhi\r\n").await;
    c.expect("+OK").await;
    c.expect("+OK").await;
    c.expect("MSG foo 1 2").await;
    c.expect("hi").await;
    c.send("UNSUB 1\r\n").await;
    c.expect("+OK").await;
}

#[tokio::test]
async fn verbs_are_case_insensitive_and_tabs_separate_arguments() {
    let server = TestServer::start().await;
    let mut c = server.raw().await;
    c.send("connect {\"verbose\":false}\r\nsub\tfoo.*  \t q1\t 7\r\npUb foo.bar\treply.to  5\r\nhello\r\nping\r\n").await;
    c.expect("MSG foo.bar 7 reply.to 5").await;
    c.expect("hello").await;
    c.expect("PONG").await;
}

#[tokio::test]
async fn frames_split_across_writes_are_reassembled() {
    let server = TestServer::start().await;
    let mut c = server.raw().await;
    c.send("CONNECT {\"verbose\":false}\r\nSUB a 1\r\n").await;
    c.ping_pong().await;
    for piece in [
        "PU",
        "B a",
        " 11\r\nhello",
        " world",
        "\r",
        "\nPI",
        "NG\r\n",
    ] {
        c.send(piece).await;
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    c.expect("MSG a 1 11").await;
    c.expect("hello world").await;
    c.expect("PONG").await;
}

#[tokio::test]
async fn headers_are_delivered_as_hmsg() {
    let server = TestServer::start().await;
    let mut c = server.raw().await;
    c.send("CONNECT {\"verbose\":false,\"headers\":true}\r\nSUB h 9\r\n")
        .await;
    let hdr = "NATS/1.0\r\nA: b\r\n\r\n";
    c.send(format!(
        "HPUB h {} {}\r\n{}xy\r\n",
        hdr.len(),
        hdr.len() + 2,
        hdr
    ))
    .await;
    c.expect(&format!("HMSG h 9 {} {}", hdr.len(), hdr.len() + 2))
        .await;
    c.expect("NATS/1.0").await;
    c.expect("A: b").await;
    c.expect("").await;
    c.expect("xy").await;
}

#[tokio::test]
async fn a_client_without_header_support_gets_the_payload_only() {
    let server = TestServer::start().await;
    let mut sub = server.raw().await;
    sub.send("CONNECT {\"verbose\":false}\r\nSUB h 1\r\n").await;
    sub.ping_pong().await;
    let mut publ = server.raw().await;
    let hdr = "NATS/1.0\r\nA: b\r\n\r\n";
    publ.send(format!(
        "CONNECT {{\"verbose\":false,\"headers\":true}}\r\nHPUB h {} {}\r\n{}xy\r\n",
        hdr.len(),
        hdr.len() + 2,
        hdr
    ))
    .await;
    sub.expect("MSG h 1 2").await;
    sub.expect("xy").await;
}

#[tokio::test]
async fn unknown_operation_gets_the_nats_error_and_a_close_and_the_server_keeps_serving() {
    let server = TestServer::start().await;
    let mut c = server.raw().await;
    c.send("CONNECT {\"verbose\":false}\r\nFOO bar\r\n").await;
    let lines = c.expect_closed().await;
    assert_eq!(lines, vec!["-ERR 'Unknown Protocol Operation'"]);
    let mut next = server.raw().await;
    next.send("CONNECT {\"verbose\":false}\r\n").await;
    next.ping_pong().await;
}

#[tokio::test]
async fn invalid_subscription_subject_is_refused_and_the_connection_stays() {
    let server = TestServer::start().await;
    let mut c = server.raw().await;
    c.send("CONNECT {\"verbose\":false}\r\nSUB foo..bar 1\r\n")
        .await;
    c.expect("-ERR 'Invalid Subject'").await;
    c.send("SUB foo.>.bar 2\r\n").await;
    c.expect("-ERR 'Invalid Subject'").await;
    c.ping_pong().await;
}

#[tokio::test]
async fn pedantic_clients_are_told_about_wildcard_publish_subjects() {
    let server = TestServer::start().await;
    let mut c = server.raw().await;
    c.send("CONNECT {\"verbose\":false,\"pedantic\":true}\r\nPUB foo.* 0\r\n\r\n")
        .await;
    c.expect("-ERR 'Invalid Publish Subject'").await;
    c.ping_pong().await;
}

#[tokio::test]
async fn oversize_control_line_is_refused_with_a_close() {
    let server = TestServer::start_with(|o| o.max_control_line = 64).await;
    let mut c = server.raw().await;
    c.send("CONNECT {\"verbose\":false}\r\n").await;
    c.ping_pong().await;
    c.send(format!("SUB {} 1\r\n", "a".repeat(100))).await;
    let lines = c.expect_closed().await;
    assert_eq!(lines, vec!["-ERR 'maximum control line exceeded'"]);
}

#[tokio::test]
async fn unsub_with_max_delivers_exactly_that_many() {
    let server = TestServer::start().await;
    let mut c = server.raw().await;
    c.send("CONNECT {\"verbose\":false}\r\nSUB a 1\r\nUNSUB 1 2\r\n")
        .await;
    c.send("PUB a 1\r\n1\r\nPUB a 1\r\n2\r\nPUB a 1\r\n3\r\nPING\r\n")
        .await;
    c.expect("MSG a 1 1").await;
    c.expect("1").await;
    c.expect("MSG a 1 1").await;
    c.expect("2").await;
    c.expect("PONG").await;
}

#[tokio::test]
async fn echo_off_suppresses_own_messages_only() {
    let server = TestServer::start().await;
    let mut quiet = server.raw().await;
    quiet
        .send("CONNECT {\"verbose\":false,\"echo\":false}\r\nSUB e 1\r\n")
        .await;
    quiet.ping_pong().await;
    let mut other = server.raw().await;
    other.send("CONNECT {\"verbose\":false}\r\n").await;
    quiet.send("PUB e 4\r\nmine\r\nPING\r\n").await;
    quiet.expect("PONG").await;
    other.send("PUB e 6\r\ntheirs\r\n").await;
    quiet.expect("MSG e 1 6").await;
    quiet.expect("theirs").await;
}

#[tokio::test]
async fn no_responders_status_for_requests_nobody_answers() {
    let server = TestServer::start().await;
    let mut c = server.raw().await;
    c.send("CONNECT {\"verbose\":false,\"headers\":true,\"no_responders\":true}\r\nSUB _INBOX.x.* 3\r\nPUB nobody _INBOX.x.1 2\r\nhi\r\n").await;
    c.expect("HMSG _INBOX.x.1 3 16 16").await;
    c.expect("NATS/1.0 503").await;
    c.expect("").await;
    c.expect("").await;
}

#[tokio::test]
async fn no_responders_without_headers_is_refused() {
    let server = TestServer::start().await;
    let mut c = server.raw().await;
    c.send("CONNECT {\"no_responders\":true}\r\n").await;
    let lines = c.expect_closed().await;
    assert_eq!(lines, vec!["-ERR 'no responders requires headers support'"]);
}

#[tokio::test]
async fn malformed_connect_json_closes_the_connection_silently_like_nats_server() {
    let server = TestServer::start().await;
    let mut c = server.raw().await;
    c.send("CONNECT {not json\r\n").await;
    assert!(c.expect_closed().await.is_empty());
}

#[tokio::test]
async fn malformed_pub_arguments_close_without_an_error_line() {
    let server = TestServer::start().await;
    let mut c = server.raw().await;
    c.send("CONNECT {\"verbose\":false}\r\nPUB foo bar baz qux\r\n")
        .await;
    assert!(c.expect_closed().await.is_empty());
}

#[tokio::test]
async fn payload_without_its_terminator_is_an_unknown_operation() {
    let server = TestServer::start().await;
    let mut c = server.raw().await;
    c.send("CONNECT {\"verbose\":false}\r\nPUB foo 2\r\nhello\r\n")
        .await;
    assert_eq!(
        c.expect_closed().await,
        vec!["-ERR 'Unknown Protocol Operation'"]
    );
}

#[tokio::test]
async fn unsupported_protocol_version_is_refused() {
    let server = TestServer::start().await;
    let mut c = server.raw().await;
    c.send("CONNECT {\"verbose\":false,\"protocol\":2}\r\n")
        .await;
    assert_eq!(
        c.expect_closed().await,
        vec!["-ERR 'invalid client protocol'"]
    );
}

#[tokio::test]
async fn connect_defaults_to_verbose_and_pedantic_like_nats_server() {
    let server = TestServer::start().await;
    let mut c = server.raw().await;
    c.send("CONNECT {}\r\nSUB foo 1\r\nPUB foo 2\r\nhi\r\nPUB foo.* 0\r\n\r\nPING\r\n")
        .await;
    for expected in [
        "+OK",
        "+OK",
        "+OK",
        "MSG foo 1 2",
        "hi",
        "-ERR 'Invalid Publish Subject'",
        "+OK",
        "PONG",
    ] {
        c.expect(expected).await;
    }
}

#[tokio::test]
async fn hpub_without_negotiated_headers_closes_the_connection() {
    let server = TestServer::start().await;
    let mut c = server.raw().await;
    c.send("CONNECT {\"verbose\":false}\r\nHPUB h 12 12\r\nNATS/1.0\r\n\r\n\r\n")
        .await;
    assert!(c.expect_closed().await.is_empty());
}

#[tokio::test]
async fn a_dropped_embedded_server_stops_listening_and_closes_clients() {
    let server = natrium_server::Server::builder()
        .host("127.0.0.1")
        .port(0)
        .start()
        .await
        .unwrap();
    let addr = server.client_addr();
    let mut c = natrium_testkit::RawClient::connect(addr).await;
    drop(server);
    assert!(c.expect_closed().await.is_empty());
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}
