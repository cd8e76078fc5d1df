//! The WebSocket listener: an HTTP upgrade (with the Origin checks of nats-server's
//! `same_origin` and `allowed_origins`), optionally inside TLS, after which the client
//! protocol runs unchanged inside WebSocket messages. [`WsIo`] turns the message stream
//! back into bytes so the ordinary client session serves it.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use bytes::{Buf, Bytes, BytesMut};
use futures_util::{Sink, Stream};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::StatusCode;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;
use tracing::{debug, warn};

use crate::auth::{Authenticator, SetupError};
use crate::client::{self, Setup};
use crate::options::{AuthOptions, WebsocketOptions};
use crate::state::{Shared, TlsMeta};
use crate::transport::tls::TlsServer;

/// An origin: scheme, host and port (the scheme's default when not written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

impl Origin {
    /// Reads `http[s]://host[:port][/path]`; `None` for anything else.
    pub fn parse(url: &str) -> Option<Self> {
        let (scheme, rest) = url.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return None;
        }
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        Self::from_host(&scheme, authority)
    }

    /// `host[:port]` (an IPv6 host in brackets) with `scheme`'s default port.
    fn from_host(scheme: &str, authority: &str) -> Option<Self> {
        let default_port = if scheme == "https" { 443 } else { 80 };
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !p.contains(']') => (h, p.parse().ok()?),
            _ => (authority, default_port),
        };
        if host.is_empty() {
            return None;
        }
        Some(Self {
            scheme: scheme.to_owned(),
            host: host.to_ascii_lowercase(),
            port,
        })
    }
}

/// A ready WebSocket listener configuration.
#[derive(Debug)]
pub struct WsServer {
    tls: Option<TlsServer>,
    same_origin: bool,
    allowed_origins: Vec<Origin>,
    handshake_timeout: Duration,
    max_message: usize,
}

impl WsServer {
    /// Checks `opts` and loads its TLS files.
    pub fn new(
        opts: &WebsocketOptions,
        max_payload: usize,
    ) -> Result<Self, crate::server::StartError> {
        let tls = opts.tls.as_ref().map(TlsServer::new).transpose()?;
        Ok(Self {
            tls,
            same_origin: opts.same_origin,
            allowed_origins: opts
                .allowed_origins
                .iter()
                .filter_map(|o| Origin::parse(o))
                .collect(),
            handshake_timeout: opts.handshake_timeout,
            // Room for a full-size message plus its control line in one WebSocket message.
            max_message: max_payload.saturating_add(64 * 1024),
        })
    }

    /// Whether this listener serves `wss://`.
    pub fn is_tls(&self) -> bool {
        self.tls.is_some()
    }

    /// nats-server's origin rules: no Origin header passes (a non-browser client can
    /// write any); otherwise it must be the request's own host when `same_origin`, and
    /// one of `allowed_origins` when that list is set.
    fn check_origin(&self, req: &Request, secure: bool) -> Result<(), &'static str> {
        if !self.same_origin && self.allowed_origins.is_empty() {
            return Ok(());
        }
        let header = |name: &str| {
            req.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .filter(|v| !v.is_empty())
        };
        let Some(origin) = header("Origin").or_else(|| header("Sec-WebSocket-Origin")) else {
            return Ok(());
        };
        let origin = Origin::parse(origin).ok_or("invalid origin")?;
        if self.same_origin {
            let scheme = if secure { "https" } else { "http" };
            let host = header("Host").ok_or("'Host' missing in request")?;
            let own = Origin::from_host(scheme, host).ok_or("invalid host")?;
            if own != origin {
                return Err("not same origin");
            }
        }
        if !self.allowed_origins.is_empty() && !self.allowed_origins.contains(&origin) {
            return Err("not in the allowed list");
        }
        Ok(())
    }
}

/// Accepts WebSocket connections until the task is aborted.
pub(crate) async fn accept_loop(shared: Arc<Shared>, listener: TcpListener, ws: Arc<WsServer>) {
    loop {
        match listener.accept().await {
            Ok((stream, addr)) => {
                tokio::spawn(serve(Arc::clone(&shared), stream, addr, Arc::clone(&ws)));
            }
            Err(e) => {
                warn!(error = %e, "websocket accept failed");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}

async fn serve(shared: Arc<Shared>, stream: TcpStream, addr: SocketAddr, ws: Arc<WsServer>) {
    let _ = stream.set_nodelay(true);
    let cid = shared.next_cid();
    match &ws.tls {
        Some(tls) => {
            if let Some(stream) = tls.handshake(stream, cid, addr).await {
                let meta = crate::transport::tls::session_meta(&stream, false);
                upgrade_and_serve(shared, stream, addr, cid, &ws, Some(meta)).await;
            }
        }
        None => upgrade_and_serve(shared, stream, addr, cid, &ws, None).await,
    }
}

// The upgrade callback's result type is tungstenite's `Callback` signature.
#[allow(clippy::result_large_err)]
async fn upgrade_and_serve<S>(
    shared: Arc<Shared>,
    stream: S,
    addr: SocketAddr,
    cid: u64,
    ws: &WsServer,
    tls: Option<TlsMeta>,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let secure = tls.is_some();
    let check = |req: &Request, resp: Response| -> Result<Response, ErrorResponse> {
        match ws.check_origin(req, secure) {
            Ok(()) => Ok(resp),
            Err(why) => {
                debug!(cid, %addr, "websocket origin not allowed: {why}");
                let mut refused = ErrorResponse::new(Some(format!("origin not allowed: {why}")));
                *refused.status_mut() = StatusCode::FORBIDDEN;
                Err(refused)
            }
        }
    };
    let config = WebSocketConfig::default()
        .max_message_size(Some(ws.max_message))
        .max_frame_size(Some(ws.max_message));
    let upgrade = tokio_tungstenite::accept_hdr_async_with_config(stream, check, Some(config));
    let stream = match tokio::time::timeout(ws.handshake_timeout, upgrade).await {
        Ok(Ok(stream)) => stream,
        Ok(Err(e)) => {
            debug!(cid, %addr, "websocket handshake error: {e}");
            return;
        }
        Err(_) => {
            debug!(cid, %addr, "websocket handshake timeout");
            return;
        }
    };
    let mut info = client::client_info(&shared, cid, addr);
    // TLS, if any, is the WebSocket layer's; the client must not start another inside.
    info.tls_required = false;
    info.tls_verify = false;
    let setup = Setup {
        cid,
        info,
        info_sent: false,
        cert: None,
        websocket: true,
        tls,
    };
    let (rd, wr) = tokio::io::split(WsIo::new(stream));
    client::run(shared, rd, wr, addr, setup).await;
}

/// The credential check for WebSocket clients: the configured users, each admitted
/// here if its `allowed_connection_types` is empty or names `WEBSOCKET`. The
/// authenticator admits users whose list names `STANDARD`, so each list is rewritten to
/// say `STANDARD` exactly when WebSocket is allowed.
pub(crate) fn websocket_authenticator(auth: &AuthOptions) -> Result<Authenticator, SetupError> {
    let retarget = |types: &mut Vec<String>| {
        if types.is_empty() {
            return;
        }
        let allowed = types.iter().any(|t| t.eq_ignore_ascii_case("WEBSOCKET"));
        *types = vec![if allowed { "STANDARD" } else { "WEBSOCKET" }.to_owned()];
    };
    let mut ws = auth.clone();
    for user in ws.user.iter_mut().chain(ws.users.iter_mut()) {
        retarget(&mut user.allowed_connection_types);
    }
    for nkey in &mut ws.nkeys {
        retarget(&mut nkey.allowed_connection_types);
    }
    Authenticator::new(&ws)
}

/// A WebSocket connection as a byte stream: reads yield the payloads of text and binary
/// messages in order; each write (a vectored write's slices together) goes out as one
/// binary message when flushed.
pub struct WsIo<S> {
    ws: WebSocketStream<S>,
    /// The unread rest of the last message received.
    unread: Bytes,
}

impl<S> WsIo<S> {
    /// Wraps an upgraded connection.
    pub fn new(ws: WebSocketStream<S>) -> Self {
        Self {
            ws,
            unread: Bytes::new(),
        }
    }
}

fn ws_error(e: tokio_tungstenite::tungstenite::Error) -> io::Error {
    io::Error::other(e)
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for WsIo<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        while self.unread.is_empty() {
            match ready!(Pin::new(&mut self.ws).poll_next(cx)) {
                Some(Ok(Message::Binary(data))) => self.unread = data,
                Some(Ok(Message::Text(text))) => self.unread = Bytes::from(text),
                // tungstenite answers pings itself.
                Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => {}
                Some(Ok(Message::Close(_))) | None => return Poll::Ready(Ok(())),
                Some(Err(e)) => return Poll::Ready(Err(ws_error(e))),
            }
        }
        let n = self.unread.len().min(buf.remaining());
        if let Some(part) = self.unread.get(..n) {
            buf.put_slice(part);
        }
        self.unread.advance(n);
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for WsIo<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready!(Pin::new(&mut self.ws).poll_ready(cx)).map_err(ws_error)?;
        Pin::new(&mut self.ws)
            .start_send(Message::Binary(Bytes::copy_from_slice(buf)))
            .map_err(ws_error)?;
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        ready!(Pin::new(&mut self.ws).poll_ready(cx)).map_err(ws_error)?;
        let total = bufs.iter().map(|b| b.len()).sum();
        let mut message = BytesMut::with_capacity(total);
        for b in bufs {
            message.extend_from_slice(b);
        }
        Pin::new(&mut self.ws)
            .start_send(Message::Binary(message.freeze()))
            .map_err(ws_error)?;
        Poll::Ready(Ok(total))
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.ws).poll_flush(cx).map_err(ws_error)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.ws).poll_close(cx).map_err(ws_error)
    }
}
