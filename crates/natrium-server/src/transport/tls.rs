//! TLS for client connections (rustls), in nats-server's order: INFO in plain text with
//! `tls_required`, then the client's handshake; or, with `handshake_first`, the handshake
//! before INFO, optionally falling back to the usual order when the client says nothing
//! for a while.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use bytes::BytesMut;
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;
use tracing::{debug, error};

use crate::client::{self, Setup};
use crate::options::{HandshakeFirst, TlsOptions};
use crate::state::{Shared, TlsMeta};
use crate::transport::cert::CertIdentity;

/// Why a TLS configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TlsSetupError {
    /// A PEM file could not be read or holds nothing usable.
    #[error("error parsing {what} {path}: {reason}")]
    Pem {
        /// Which file (certificate, key, CA).
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// rustls refused the certificate, key or CA set.
    #[error("TLS configuration: {0}")]
    Rustls(#[from] rustls::Error),
    /// The client certificate verifier could not be built from the CAs.
    #[error("TLS client verification: {0}")]
    Verifier(String),
}

/// A ready TLS configuration for one listener.
pub struct TlsServer {
    acceptor: TlsAcceptor,
    timeout: Duration,
    first: HandshakeFirst,
    map: bool,
}

impl std::fmt::Debug for TlsServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsServer")
            .field("timeout", &self.timeout)
            .field("first", &self.first)
            .field("map", &self.map)
            .finish_non_exhaustive()
    }
}

fn pem_error(what: &'static str, path: &Path, reason: impl ToString) -> TlsSetupError {
    TlsSetupError::Pem {
        what,
        path: path.to_owned(),
        reason: reason.to_string(),
    }
}

fn read_certs(
    what: &'static str,
    path: &Path,
) -> Result<Vec<CertificateDer<'static>>, TlsSetupError> {
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| pem_error(what, path, e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| pem_error(what, path, e))?;
    if certs.is_empty() {
        return Err(pem_error(what, path, "no certificate found"));
    }
    Ok(certs)
}

impl TlsServer {
    /// Loads the certificate, key and CAs `opts` names and checks that they fit.
    pub fn new(opts: &TlsOptions) -> Result<Self, TlsSetupError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let certs = read_certs("certificate", &opts.cert_file)?;
        let key = PrivateKeyDer::from_pem_file(&opts.key_file)
            .map_err(|e| pem_error("private key", &opts.key_file, e))?;
        let builder = ServerConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()?;
        let builder = match (&opts.ca_file, opts.verify) {
            (Some(ca), true) => {
                let mut roots = RootCertStore::empty();
                for cert in read_certs("CA certificate", ca)? {
                    roots.add(cert)?;
                }
                let verifier =
                    WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                        .build()
                        .map_err(|e| TlsSetupError::Verifier(e.to_string()))?;
                builder.with_client_cert_verifier(verifier)
            }
            (None, true) => {
                return Err(TlsSetupError::Verifier(
                    "verify needs a ca_file with the CAs client certificates chain to".into(),
                ))
            }
            (_, false) => builder.with_no_client_auth(),
        };
        let config = builder.with_single_cert(certs, key)?;
        Ok(Self {
            acceptor: TlsAcceptor::from(Arc::new(config)),
            timeout: opts.timeout,
            first: opts.handshake_first,
            map: opts.verify_and_map,
        })
    }

    /// Runs the server side of the handshake within the configured timeout. A failure
    /// is logged with the client's address; the caller just drops the connection.
    pub(crate) async fn handshake<S>(
        &self,
        stream: S,
        cid: u64,
        addr: SocketAddr,
    ) -> Option<TlsStream<S>>
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        debug!(cid, %addr, "Starting TLS client connection handshake");
        match tokio::time::timeout(self.timeout, self.acceptor.accept(stream)).await {
            Ok(Ok(tls)) => {
                let (_, state) = tls.get_ref();
                debug!(
                    cid, %addr,
                    version = ?state.protocol_version(),
                    cipher_suite = ?state.negotiated_cipher_suite().map(|s| s.suite()),
                    "TLS handshake complete"
                );
                Some(tls)
            }
            // A client (or load balancer probe) that connects and leaves is not an error.
            Ok(Err(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::ConnectionReset
                ) =>
            {
                debug!(cid, %addr, "TLS handshake error: {e}");
                None
            }
            Ok(Err(e)) => {
                error!(cid, %addr, "TLS handshake error: {e}");
                None
            }
            Err(_) => {
                debug!(cid, %addr, "TLS handshake timeout");
                None
            }
        }
    }

    /// The client certificate's identity, when `verify_and_map` selects users by it.
    fn mapped_identity<S>(&self, tls: &TlsStream<S>) -> Option<CertIdentity> {
        if !self.map {
            return None;
        }
        let (_, state) = tls.get_ref();
        // A certificate that passed verification but cannot be read maps to nobody.
        Some(
            state
                .peer_certificates()
                .and_then(|chain| chain.first())
                .and_then(|der| CertIdentity::from_der(der))
                .unwrap_or_default(),
        )
    }
}

/// What `/connz` shows of a TLS session, named as nats-server names it.
pub(crate) fn session_meta<S>(tls: &TlsStream<S>, first: bool) -> TlsMeta {
    let (_, state) = tls.get_ref();
    let version = match state.protocol_version() {
        Some(rustls::ProtocolVersion::TLSv1_3) => "1.3".to_owned(),
        Some(rustls::ProtocolVersion::TLSv1_2) => "1.2".to_owned(),
        Some(other) => format!("{other:?}"),
        None => String::new(),
    };
    let cipher_suite = state
        .negotiated_cipher_suite()
        .and_then(|s| s.suite().as_str())
        .map(|name| match name.strip_prefix("TLS13_") {
            Some(rest) => format!("TLS_{rest}"),
            None => name.to_owned(),
        })
        .unwrap_or_default();
    TlsMeta {
        version,
        cipher_suite,
        first,
    }
}

/// Serves one connection accepted on a TLS client listener.
pub(crate) async fn serve(
    shared: Arc<Shared>,
    mut stream: TcpStream,
    addr: SocketAddr,
    tls: Arc<TlsServer>,
) {
    let _ = stream.set_nodelay(true);
    let cid = shared.next_cid();
    let info = client::client_info(&shared, cid, addr);
    let mut first = tls.first != HandshakeFirst::Off;
    if let HandshakeFirst::Fallback(delay) = tls.first {
        // Only a TLS-first client speaks before INFO; what it sent is checked by the
        // handshake itself.
        let mut byte = [0u8; 1];
        match tokio::time::timeout(delay, stream.peek(&mut byte)).await {
            Ok(Ok(n)) if n > 0 => {}
            Ok(_) => {
                debug!(cid, %addr, "client closed before the TLS handshake");
                return;
            }
            Err(_) => first = false,
        }
    }
    if !first {
        let mut frame = BytesMut::new();
        info.encode(&mut frame);
        let sent =
            tokio::time::timeout(shared.limits.write_deadline(), stream.write_all(&frame)).await;
        if !matches!(sent, Ok(Ok(()))) {
            debug!(cid, %addr, "could not send INFO before the TLS handshake");
            return;
        }
    }
    let Some(stream) = tls.handshake(stream, cid, addr).await else {
        return;
    };
    let setup = Setup {
        cid,
        info,
        info_sent: !first,
        cert: tls.mapped_identity(&stream),
        websocket: false,
        tls: Some(session_meta(&stream, first)),
    };
    let (rd, wr) = tokio::io::split(stream);
    client::run(shared, rd, wr, addr, setup).await;
}
