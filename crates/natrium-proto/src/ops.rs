//! The operations a client sends, as the parser hands them over.

/// One client operation, borrowing from the read buffer.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub enum ClientOp<'a> {
    /// `CONNECT <json>`: the raw JSON (see [`crate::ConnectInfo::from_json`]).
    /// Not validated by the parser.
    Connect(&'a [u8]),
    /// `PUB <subject> [reply] <size>` and its payload.
    Pub {
        /// Subject as sent; NOT validated (wildcards, empty tokens… are the
        /// server's business: nats-server replies `Invalid Publish Subject`).
        subject: &'a [u8],
        /// Optional reply subject.
        reply: Option<&'a [u8]>,
        /// Exactly `size` bytes (the trailing CRLF is not included).
        payload: &'a [u8],
    },
    /// `HPUB <subject> [reply] <hdr_size> <total_size>` and its body.
    HPub {
        /// Subject as sent; not validated.
        subject: &'a [u8],
        /// Optional reply subject.
        reply: Option<&'a [u8]>,
        /// The first `hdr_size` bytes of the body (`NATS/1.0\r\n…\r\n\r\n`);
        /// not validated, may be empty when `hdr_size` is 0.
        headers: &'a [u8],
        /// The remaining `total_size - hdr_size` bytes.
        payload: &'a [u8],
    },
    /// `SUB <subject> [queue] <sid>`.
    Sub {
        /// Subject as sent; not validated (nats-server: `Invalid Subject`).
        subject: &'a [u8],
        /// Optional queue group.
        queue: Option<&'a [u8]>,
        /// Subscription id, opaque bytes.
        sid: &'a [u8],
    },
    /// `UNSUB <sid> [max]`.
    Unsub {
        /// Subscription id.
        sid: &'a [u8],
        /// Auto-unsubscribe after this many messages. `None` when absent or
        /// not a number of at most 9 digits (nats-server then unsubscribes at
        /// once, without error). As in nats-server, the server should
        /// unsubscribe immediately unless `max > 0 && max > delivered`.
        max: Option<u64>,
    },
    /// `PING` (anything up to the end of line is ignored).
    Ping,
    /// `PONG` (anything up to the end of line is ignored).
    Pong,
    /// `+OK` (anything up to the end of line is ignored).
    Ok,
    /// `-ERR <text>`: the raw text, quotes included. nats-server closes a
    /// client connection that sends it, without replying.
    Err(&'a [u8]),
    /// `INFO <json>` sent by a client: raw JSON (see
    /// [`crate::check_client_info`] for nats-server's only check).
    Info(&'a [u8]),
}

/// Outcome of one [`crate::parse_client_op`] call.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub enum Parsed<'a> {
    /// A complete operation and the number of bytes it occupies at the start
    /// of the buffer (control line, payload and trailing CRLF included).
    Op(ClientOp<'a>, usize),
    /// More bytes are needed. `needed`, when known, is the total length the
    /// operation occupies from the start of the buffer (known once a
    /// `PUB`/`HPUB` control line is parsed), so the caller can reserve it and
    /// skip re-parsing until that many bytes are buffered.
    Incomplete {
        /// Total bytes the pending operation needs, when known.
        needed: Option<usize>,
    },
}
