//! Protocol errors, and what nats-server v2.15.1 does with them.
//!
//! Every row below was checked against the real nats-server v2.15.1 (client
//! connection, default limits: `max_control_line` 4096, `max_payload` 1 MiB)
//! by sending the raw bytes after a valid `CONNECT` and watching the reply.
//! "silent" means nats-server closes the connection WITHOUT sending any
//! `-ERR` (it only logs); for those errors [`ProtoError::sends_err`] is
//! `false` and [`ProtoError::client_text`] is empty — use
//! [`ProtoError::encode_reply`], which writes nothing for them.
//!
//! ## Errors the parser reports (this crate)
//!
//! | input | nats-server reply | closes | [`ProtoError`] |
//! |---|---|---|---|
//! | `XYZ\r\n`, `MSG …`, `RS+ …`, `HMSG …` (see notes) | `-ERR 'Unknown Protocol Operation'` | yes | `UnknownOp` |
//! | `\r\n` or `\n` (empty line), ` PING` (leading blank) | `-ERR 'Unknown Protocol Operation'` | yes | `UnknownOp` |
//! | `PUB\r\n`, `PUBX …` (no blank after the verb; same for HPUB, SUB, UNSUB, -ERR) | `-ERR 'Unknown Protocol Operation'` | yes | `UnknownOp` |
//! | `PUB foo 2\r\nhello\r\n`, `PUB foo 2\r\nhi\n` (payload not followed by exactly `\r\n`) | `-ERR 'Unknown Protocol Operation'` | yes | `BadPayloadTerminator` |
//! | arguments longer than `max_control_line` (`PUB `+4097 bytes, with or without the line end yet) | `-ERR 'maximum control line exceeded'` (lower case!) | yes | `MaxControlLine` |
//! | `PUB foo 2000000\r\n`, `HPUB foo 12 2000000\r\n` (size > `max_payload`) | `-ERR 'Maximum Payload Violation'` | yes | `MaxPayload` |
//! | `PUB foo\r\n`, `PUB a b c 2\r\n`, `PUB \r\n` (not 2 or 3 args) | none | yes, silent | `BadPubArgs` |
//! | `PUB foo abc\r\n`, `PUB foo -1\r\n`, `PUB foo +2\r\n`, `PUB foo 1000000000\r\n` (size not 1–9 decimal digits) | none | yes, silent | `BadPubSize` |
//! | `HPUB foo 12\r\n` (not 3 or 4 args) | none | yes, silent | `BadHPubArgs` |
//! | `HPUB foo x 14\r\n` | none | yes, silent | `BadHeaderSize` |
//! | `HPUB foo 12 x\r\n` | none | yes, silent | `BadTotalSize` |
//! | `HPUB foo 10 5\r\n` (header size > total size) | none | yes, silent | `HeaderSizeExceedsTotal` |
//! | `SUB foo\r\n`, `SUB a b c d\r\n` (not 2 or 3 args) | none | yes, silent | `BadSubArgs` |
//! | `UNSUB 1 2 3\r\n`, `UNSUB \r\n` (not 1 or 2 args) | none | yes, silent | `BadUnsubArgs` |
//!
//! Checks happen in nats-server's order: argument count, then sizes, then
//! header ≤ total, then `max_payload`; `max_control_line` before all of them.
//!
//! ## Errors from the JSON helpers (this crate, called by the server)
//!
//! | input | nats-server reply | closes | [`ProtoError`] |
//! |---|---|---|---|
//! | `CONNECT {bad\r\n`, `CONNECT []\r\n`, `CONNECT\r\n`, `CONNECT {"verbose":1}\r\n` | none | yes, silent | `BadConnect` ([`crate::ConnectInfo::from_json`]) |
//! | `INFO {bad\r\n`, `INFO\r\n` from a client | none | yes, silent | `BadInfo` ([`crate::check_client_info`]) |
//!
//! ## Replies that are the server's business (NOT produced here)
//!
//! | input | nats-server reply | closes |
//! |---|---|---|
//! | `PUB foo.* 2\r\nhi\r\n` (wildcard / invalid publish subject) | `-ERR 'Invalid Publish Subject'` | no (message dropped) |
//! | `SUB foo.. 1\r\n` (invalid subject) | `-ERR 'Invalid Subject'` | no |
//! | `HPUB …` after `CONNECT {"headers":false}` | none | yes, silent |
//! | `-ERR 'boom'\r\n` from a client ([`crate::ClientOp::Err`]) | none | yes, silent |
//! | `INFO {}\r\n` from a client ([`crate::ClientOp::Info`]) | nothing, ignored | no |
//! | `CONNECT {"protocol":-1}` or `protocol` > 1 | `-ERR 'invalid client protocol'` | yes |
//! | any op but `CONNECT` first while auth is required | `-ERR 'Authorization Violation'` | yes |
//!
//! ## Accepted quirks (faithfully reproduced)
//!
//! * Verbs are case-insensitive (`pub`, `PuB`, `pInG`); blanks are space or
//!   tab, any number of them; trailing blanks are ignored.
//! * The control line may end in a bare `\n`; the payload may not (it must be
//!   followed by exactly `\r\n`).
//! * `PING`, `PONG`, `+OK` ignore everything up to the next `\n`
//!   (`PINGX\r\n` is a PING, `+OKAY junk\r\n` an OK).
//! * `CONNECT`/`INFO` need no blank after the verb (`CONNECT{}` works).
//! * If a `\r` appears inside the arguments, nats-server drops the LAST byte
//!   before `\n` instead of the `\r`: `PUB foo\r 2\r\n` publishes to the
//!   subject `foo\r`, and `PUB foo 2\rx\n` is a bad size (`2\r`).
//! * `PUB`/`HPUB` split arguments on space and tab only; `SUB`/`UNSUB` on
//!   space, tab, `\r` and `\n`.
//! * Sizes are 1–9 ASCII digits (leading zeros allowed: `002` is 2).
//! * `UNSUB 1 x` is accepted: an unparsable max means "unsubscribe now".
//!
//! ## Deliberate deviations
//!
//! * `HMSG …\r\n\r\n` from a client is silently swallowed by nats-server
//!   (an internal-protocol state leaks to clients); here it is `UnknownOp`.
//! * nats-server discards the tail of a `PING`/`PONG`/`+OK` line, and blanks
//!   after a verb, byte by byte without limit. A stateless parser would make
//!   the caller buffer them forever, so more than `max_control_line` such
//!   bytes without a `\n` give `MaxControlLine` instead.
//! * nats-server applies the control-line limit per read chunk on what it has
//!   accumulated (minus `\r` bytes); here it applies to the whole buffered
//!   argument, which only differs for lines containing stray `\r`.

/// A protocol violation detected while decoding client bytes.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum ProtoError {
    /// Unknown verb, missing blank after a verb, empty line.
    #[error("unknown protocol operation")]
    UnknownOp,
    /// A `PUB`/`HPUB` payload not followed by exactly `\r\n`.
    #[error("payload not terminated by CRLF")]
    BadPayloadTerminator,
    /// Control-line arguments longer than `Limits::max_control_line`.
    #[error("maximum control line exceeded")]
    MaxControlLine,
    /// `PUB` size or `HPUB` total size above `Limits::max_payload`.
    #[error("maximum payload exceeded: {size} > {max}")]
    MaxPayload {
        /// Size announced by the client.
        size: usize,
        /// The limit in force.
        max: usize,
    },
    /// `PUB` with other than 2 or 3 arguments.
    #[error("PUB: wrong number of arguments")]
    BadPubArgs,
    /// `PUB` size not 1–9 decimal digits.
    #[error("PUB: bad or missing size")]
    BadPubSize,
    /// `HPUB` with other than 3 or 4 arguments.
    #[error("HPUB: wrong number of arguments")]
    BadHPubArgs,
    /// `HPUB` header size not 1–9 decimal digits.
    #[error("HPUB: bad or missing header size")]
    BadHeaderSize,
    /// `HPUB` total size not 1–9 decimal digits.
    #[error("HPUB: bad or missing total size")]
    BadTotalSize,
    /// `HPUB` header size larger than its total size.
    #[error("HPUB: header size larger than total size")]
    HeaderSizeExceedsTotal,
    /// `SUB` with other than 2 or 3 arguments.
    #[error("SUB: wrong number of arguments")]
    BadSubArgs,
    /// `UNSUB` with other than 1 or 2 arguments.
    #[error("UNSUB: wrong number of arguments")]
    BadUnsubArgs,
    /// `CONNECT` JSON that nats-server's decoder would reject.
    #[error("invalid CONNECT JSON: {0}")]
    BadConnect(String),
    /// `INFO` JSON from a client that nats-server's decoder would reject.
    #[error("invalid INFO JSON: {0}")]
    BadInfo(String),
}

impl ProtoError {
    /// The exact text nats-server puts in `-ERR '<text>'` for this error, or
    /// `""` when nats-server closes silently (then [`Self::sends_err`] is
    /// `false` and no `-ERR` must be sent).
    pub fn client_text(&self) -> &'static str {
        match self {
            ProtoError::UnknownOp | ProtoError::BadPayloadTerminator => {
                "Unknown Protocol Operation"
            }
            ProtoError::MaxControlLine => "maximum control line exceeded",
            ProtoError::MaxPayload { .. } => "Maximum Payload Violation",
            ProtoError::BadPubArgs
            | ProtoError::BadPubSize
            | ProtoError::BadHPubArgs
            | ProtoError::BadHeaderSize
            | ProtoError::BadTotalSize
            | ProtoError::HeaderSizeExceedsTotal
            | ProtoError::BadSubArgs
            | ProtoError::BadUnsubArgs
            | ProtoError::BadConnect(_)
            | ProtoError::BadInfo(_) => "",
        }
    }

    /// Whether nats-server sends `-ERR '<client_text>'` before acting.
    pub fn sends_err(&self) -> bool {
        !self.client_text().is_empty()
    }

    /// Whether nats-server closes the connection after this error. Every
    /// error this crate reports is fatal, as in nats-server.
    pub fn closes_connection(&self) -> bool {
        true
    }

    /// Writes what nats-server writes to the client for this error:
    /// `-ERR '<text>'\r\n`, or nothing for a silent close.
    pub fn encode_reply<B: bytes::BufMut>(&self, out: &mut B) {
        if self.sends_err() {
            crate::encode_err(out, self.client_text());
        }
    }
}
