//! What carries a client connection besides plain TCP: TLS (`tls.rs`), WebSocket
//! (`websocket.rs`), and the identity a verified client certificate gives
//! (`cert.rs`). Each ends in the same client session (`client::run`), generic over
//! the stream, so plain TCP keeps its own monomorphized path with vectored writes.

pub mod cert;
pub mod tls;
pub mod websocket;
