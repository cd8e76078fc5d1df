//! `natrium-proto`: the NATS client protocol codec.
//!
//! This crate owns the byte-level grammar of the NATS client protocol as
//! nats-server v2.15 speaks it:
//!
//! * [`parse_client_op`] — a zero-copy, stateless parser that reads ONE client
//!   operation (`CONNECT`, `PUB`, `HPUB`, `SUB`, `UNSUB`, `PING`, `PONG`,
//!   `+OK`, `-ERR`, `INFO`) from the start of a read buffer;
//! * [`encode_msg`], [`encode_hmsg`], [`encode_err`] — writers for the frames
//!   the server sends, into any [`bytes::BufMut`];
//! * [`ServerInfo`] (the `INFO` JSON) and [`ConnectInfo`] (the `CONNECT` JSON);
//! * `NATS/1.0` header blocks: [`header_value`] and [`header_status`] read them as
//!   nats-server does, [`write_headers`] builds the ones the server sends;
//! * [`ProtoError`], which knows the exact `-ERR` text nats-server sends for
//!   each parse failure and whether the connection is closed afterwards (see
//!   the table in the [`error`] module).
//!
//! What this crate must never do:
//!
//! * no I/O, no async runtime, no clocks, no logging — it only looks at bytes;
//! * no allocation per message: parsing `PUB`/`HPUB`/`SUB`/`UNSUB`/`PING`…
//!   and encoding `MSG`/`HMSG`/`-ERR` never touch the heap (a counting
//!   allocator test proves it); only the once-per-connection JSON helpers
//!   allocate;
//! * no panic on any input: there is no `unwrap`, `expect` or slice indexing
//!   on input bytes (enforced by the lints below, fuzzed by `fuzz/`);
//! * no server policy: subject validity, permissions, auth and header
//!   negotiation are the server's decisions (the error table says which
//!   replies come from where).
#![forbid(unsafe_code)]
#![deny(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)]
#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::expect_used)
)]

mod connect;
mod duration;
mod encode;
pub mod error;
mod headers;
mod info;
mod ops;
mod parser;
pub mod route;

pub use connect::ConnectInfo;
pub use duration::parse_go_duration;
pub use encode::{encode_err, encode_hmsg, encode_msg};
pub use error::ProtoError;
pub use headers::{header_status, header_value, rewrite_headers, write_headers, HEADER_LINE};
pub use info::{check_client_info, ServerInfo};
pub use ops::{ClientOp, Parsed};
pub use parser::parse_client_op;
pub use route::{
    encode_rmsg, encode_rs_minus, encode_rs_plus, parse_route_op, RouteOp, RouteParsed,
    RouteProtoError, RoutedMsg,
};

/// nats-server's default maximum control line (`MAX_CONTROL_LINE_SIZE`).
pub const DEFAULT_MAX_CONTROL_LINE: usize = 4096;
/// nats-server's default maximum payload (`MAX_PAYLOAD_SIZE`, 1 MiB).
pub const DEFAULT_MAX_PAYLOAD: usize = 1024 * 1024;

/// Limits the parser enforces while bytes enter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest accepted control-line argument, in bytes (nats-server's
    /// `max_control_line`). As in nats-server it counts the arguments only:
    /// the verb, the blanks after it and the line terminator are excluded.
    pub max_control_line: usize,
    /// Largest accepted `PUB` size / `HPUB` total size (`max_payload`).
    pub max_payload: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_control_line: DEFAULT_MAX_CONTROL_LINE,
            max_payload: DEFAULT_MAX_PAYLOAD,
        }
    }
}
