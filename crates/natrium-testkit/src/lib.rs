//! `natrium-testkit`: helpers for tests that run a real `natrium-server` in-process on a
//! free loopback port and talk to it over TCP — with the official `async-nats` client, or
//! byte for byte with [`RawClient`] (send/expect, as nats-server's own `test/test.go`).
//!
//! What it must never do: reach into server internals to fake behaviour. Everything a test
//! observes crosses a real socket.

use std::net::SocketAddr;
use std::time::Duration;

use natrium_server::{Options, Server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long a raw read waits before the test fails.
pub const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// A server running in this process on a free loopback port.
#[derive(Debug)]
pub struct TestServer {
    server: Server,
}

impl TestServer {
    /// Starts a server with default options on 127.0.0.1 and a free port.
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// Starts a server after `configure` adjusts the options (host and port are preset to
    /// 127.0.0.1 and a free port).
    pub async fn start_with(configure: impl FnOnce(&mut Options)) -> Self {
        // No server PINGs unless a test asks for them: raw clients expect exact lines.
        let mut opts = Options {
            host: "127.0.0.1".to_owned(),
            port: 0,
            disable_short_first_ping: true,
            ..Options::default()
        };
        configure(&mut opts);
        let server = Server::start(opts).await.expect("test server starts");
        Self { server }
    }

    /// The client address.
    pub fn addr(&self) -> SocketAddr {
        self.server.client_addr()
    }

    /// `nats://127.0.0.1:port`.
    pub fn url(&self) -> String {
        self.server.client_url()
    }

    /// The running server.
    pub fn server(&self) -> &Server {
        &self.server
    }

    /// An `async-nats` client connected with default options.
    pub async fn client(&self) -> async_nats::Client {
        async_nats::connect(self.url())
            .await
            .expect("client connects")
    }

    /// A raw TCP client that has read the server's INFO line.
    pub async fn raw(&self) -> RawClient {
        RawClient::connect(self.addr()).await
    }

    /// Shuts the server down.
    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }
}

/// A byte-level client: write exactly these bytes, expect exactly those lines.
#[derive(Debug)]
pub struct RawClient {
    stream: TcpStream,
    buf: Vec<u8>,
    /// The INFO line the server sent on connect (without `INFO ` and CRLF).
    pub info: String,
}

impl RawClient {
    /// Connects and reads the INFO line.
    pub async fn connect(addr: SocketAddr) -> Self {
        let stream = TcpStream::connect(addr).await.expect("raw connect");
        let mut client = Self {
            stream,
            buf: Vec::new(),
            info: String::new(),
        };
        let info = client.line().await;
        client.info = info
            .strip_prefix("INFO ")
            .unwrap_or_else(|| panic!("expected INFO, got {info:?}"))
            .to_owned();
        client
    }

    /// The server's INFO as JSON.
    pub fn info_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.info).expect("INFO is JSON")
    }

    /// Writes `bytes` as they are.
    pub async fn send(&mut self, bytes: impl AsRef<[u8]>) {
        self.stream
            .write_all(bytes.as_ref())
            .await
            .expect("raw write");
    }

    /// Reads one line, without its CRLF; fails the test after [`READ_TIMEOUT`] or on EOF.
    pub async fn line(&mut self) -> String {
        match self.try_line().await {
            Some(line) => line,
            None => panic!(
                "connection closed while waiting for a line (buffered: {:?})",
                String::from_utf8_lossy(&self.buf)
            ),
        }
    }

    /// Reads one line, or `None` when the server closed the connection first.
    pub async fn try_line(&mut self) -> Option<String> {
        loop {
            if let Some(pos) = self.buf.windows(2).position(|w| w == b"\r\n") {
                let line = String::from_utf8_lossy(&self.buf[..pos]).into_owned();
                self.buf.drain(..pos + 2);
                return Some(line);
            }
            let mut chunk = [0u8; 4096];
            let n = tokio::time::timeout(READ_TIMEOUT, self.stream.read(&mut chunk))
                .await
                .unwrap_or_else(|_| {
                    panic!(
                        "timed out waiting for a line (buffered: {:?})",
                        String::from_utf8_lossy(&self.buf)
                    )
                })
                .unwrap_or(0);
            if n == 0 {
                return None;
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }

    /// Reads exactly `n` bytes (a message payload plus its CRLF, say).
    pub async fn bytes(&mut self, n: usize) -> Vec<u8> {
        while self.buf.len() < n {
            let mut chunk = [0u8; 4096];
            let read = tokio::time::timeout(READ_TIMEOUT, self.stream.read(&mut chunk))
                .await
                .expect("timed out reading bytes")
                .expect("read");
            assert!(read > 0, "connection closed while reading {n} bytes");
            self.buf.extend_from_slice(&chunk[..read]);
        }
        self.buf.drain(..n).collect()
    }

    /// Reads the next line and asserts it equals `expected`.
    pub async fn expect(&mut self, expected: &str) {
        let line = self.line().await;
        assert_eq!(line, expected);
    }

    /// Asserts the server closes the connection (after any lines still in flight, which
    /// are returned).
    pub async fn expect_closed(&mut self) -> Vec<String> {
        let mut lines = Vec::new();
        while let Some(line) = self.try_line().await {
            lines.push(line);
        }
        lines
    }

    /// Sends `PING` and waits for `PONG`, skipping nothing: proves every earlier frame was
    /// processed.
    pub async fn ping_pong(&mut self) {
        self.send("PING\r\n").await;
        self.expect("PONG").await;
    }
}
