//! The route protocol: what two servers of one cluster say to each other.
//!
//! Grammar as nats-server v2.15 speaks it to a route that does not pool connections
//! (every interest and message line names its account):
//!
//! ```text
//! INFO {json} / CONNECT {json} / PING / PONG / +OK / -ERR 'text'
//! RS+ <account> <subject> [<queue> <weight>]      interest appears (or a queue's weight changes)
//! RS- <account> <subject> [<queue>]               interest is gone
//! RMSG <account> <subject> [<reply>] <size>       a message, no queue groups
//! RMSG <account> <subject> + <reply> <q>... <size>   a message for the listed queue groups
//! RMSG <account> <subject> | <q>... <size>           the same without a reply
//! HMSG <account> <subject> ... <hdr_size> <size>  the same with a header block
//! ```
//!
//! `LS+`, `LS-`, `A+` and `A-` concern leaf nodes and account interest, which Natrium
//! does not have; they are parsed as [`RouteOp::Ignored`] lines so that a peer sending
//! them is not cut off.

use bytes::BufMut;
use memchr::memchr;

/// Why bytes from a route could not be parsed; the route is closed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RouteProtoError {
    /// A verb this server does not know.
    #[error("unknown route protocol operation")]
    UnknownOp,
    /// A control line longer than allowed.
    #[error("route control line too long")]
    LineTooLong,
    /// Arguments that do not fit the verb.
    #[error("bad arguments for {verb}")]
    BadArgs {
        /// The verb.
        verb: &'static str,
    },
    /// A message body not followed by CRLF.
    #[error("message body not followed by CRLF")]
    BadTerminator,
    /// A message body larger than allowed.
    #[error("routed message of {size} bytes exceeds {max}")]
    TooLarge {
        /// Announced size.
        size: usize,
        /// Limit.
        max: usize,
    },
}

/// One operation received from a route, borrowing from the read buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteOp<'a> {
    /// `INFO {json}`.
    Info(&'a [u8]),
    /// `CONNECT {json}`.
    Connect(&'a [u8]),
    /// `PING`.
    Ping,
    /// `PONG`.
    Pong,
    /// `+OK`.
    Ok,
    /// `-ERR text`.
    Err(&'a [u8]),
    /// `RS+`: the peer has interest.
    Sub {
        /// Account name.
        account: &'a [u8],
        /// Subject (may hold wildcards).
        subject: &'a [u8],
        /// Queue group and how many members the peer has in it.
        queue: Option<(&'a [u8], u32)>,
    },
    /// `RS-`: the peer lost interest.
    Unsub {
        /// Account name.
        account: &'a [u8],
        /// Subject.
        subject: &'a [u8],
        /// Queue group.
        queue: Option<&'a [u8]>,
    },
    /// `RMSG` / `HMSG`.
    Msg(RoutedMsg<'a>),
    /// A line about features Natrium does not have (`LS+`, `LS-`, `A+`, `A-`).
    Ignored(&'a [u8]),
}

/// A message forwarded by a peer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoutedMsg<'a> {
    /// Account name.
    pub account: &'a [u8],
    /// Literal subject.
    pub subject: &'a [u8],
    /// Reply subject.
    pub reply: Option<&'a [u8]>,
    /// Queue groups the peer chose this server to deliver to, blank-separated
    /// (empty: deliver to plain subscribers only). Iterate with [`RoutedMsg::queues`].
    pub queues: &'a [u8],
    /// The header block, for `HMSG`.
    pub headers: Option<&'a [u8]>,
    /// Payload.
    pub payload: &'a [u8],
}

impl<'a> RoutedMsg<'a> {
    /// The queue group names the message is for.
    pub fn queues(&self) -> impl Iterator<Item = &'a [u8]> {
        self.queues.split(|b| *b == b' ').filter(|q| !q.is_empty())
    }
}

/// Outcome of one [`parse_route_op`] call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteParsed<'a> {
    /// An operation and the bytes it occupies at the start of the buffer.
    Op(RouteOp<'a>, usize),
    /// More bytes are needed; when known, the total the operation occupies.
    Incomplete(Option<usize>),
}

/// Most arguments one route line may carry (account, subject, reply indicator, reply,
/// sizes, and the queue names of one message).
const MAX_ARGS: usize = 64;

/// Parses one route operation from the start of `buf`. Lines longer than `max_line`
/// and bodies larger than `max_payload` are errors.
pub fn parse_route_op(
    buf: &[u8],
    max_line: usize,
    max_payload: usize,
) -> Result<RouteParsed<'_>, RouteProtoError> {
    let Some(nl) = memchr(b'\n', buf) else {
        if buf.len() > max_line {
            return Err(RouteProtoError::LineTooLong);
        }
        return Ok(RouteParsed::Incomplete(None));
    };
    let end = nl + 1;
    let line = buf.get(..nl).unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.len() > max_line {
        return Err(RouteProtoError::LineTooLong);
    }
    let (verb, rest) = match line.iter().position(|b| *b == b' ' || *b == b'\t') {
        Some(i) => (
            line.get(..i).unwrap_or_default(),
            line.get(i + 1..).unwrap_or_default(),
        ),
        None => (line, &[][..]),
    };
    let rest = trim(rest);
    let op = match verb.to_ascii_uppercase().as_slice() {
        b"PING" => RouteOp::Ping,
        b"PONG" => RouteOp::Pong,
        b"+OK" => RouteOp::Ok,
        b"-ERR" => RouteOp::Err(rest),
        b"INFO" => RouteOp::Info(rest),
        b"CONNECT" => RouteOp::Connect(rest),
        b"RS+" => parse_sub(rest)?,
        b"RS-" => parse_unsub(rest)?,
        b"LS+" | b"LS-" | b"A+" | b"A-" => RouteOp::Ignored(verb),
        b"RMSG" => return parse_msg(buf, end, rest, false, max_payload),
        b"HMSG" => return parse_msg(buf, end, rest, true, max_payload),
        _ => return Err(RouteProtoError::UnknownOp),
    };
    Ok(RouteParsed::Op(op, end))
}

fn trim(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    s.get(start..end).unwrap_or_default()
}

/// The blank-separated fields of `arg` (at most [`MAX_ARGS`]) and their count.
fn fields(arg: &[u8]) -> Result<([&[u8]; MAX_ARGS], usize), &'static str> {
    let mut out: [&[u8]; MAX_ARGS] = [&[]; MAX_ARGS];
    let mut n = 0;
    for field in arg
        .split(|b| *b == b' ' || *b == b'\t')
        .filter(|f| !f.is_empty())
    {
        *out.get_mut(n).ok_or("too many")? = field;
        n += 1;
    }
    Ok((out, n))
}

fn parse_num(d: &[u8]) -> Option<usize> {
    if d.is_empty() || d.len() > 10 {
        return None;
    }
    d.iter().try_fold(0usize, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + usize::from(b - b'0'))
    })
}

fn parse_sub(arg: &[u8]) -> Result<RouteOp<'_>, RouteProtoError> {
    let bad = RouteProtoError::BadArgs { verb: "RS+" };
    let (f, n) = fields(arg).map_err(|_| bad.clone())?;
    match (n, f) {
        (2, [account, subject, ..]) => Ok(RouteOp::Sub {
            account,
            subject,
            queue: None,
        }),
        (3 | 4, [account, subject, queue, weight, ..]) => {
            // An absent weight counts as one member, as nats-server treats it.
            let weight = if n == 4 {
                parse_num(weight)
                    .and_then(|w| u32::try_from(w).ok())
                    .ok_or(bad)?
            } else {
                1
            };
            Ok(RouteOp::Sub {
                account,
                subject,
                queue: Some((queue, weight)),
            })
        }
        _ => Err(bad),
    }
}

fn parse_unsub(arg: &[u8]) -> Result<RouteOp<'_>, RouteProtoError> {
    let (f, n) = fields(arg).map_err(|_| RouteProtoError::BadArgs { verb: "RS-" })?;
    match (n, f) {
        (2, [account, subject, ..]) => Ok(RouteOp::Unsub {
            account,
            subject,
            queue: None,
        }),
        (3, [account, subject, queue, ..]) => Ok(RouteOp::Unsub {
            account,
            subject,
            queue: Some(queue),
        }),
        _ => Err(RouteProtoError::BadArgs { verb: "RS-" }),
    }
}

fn parse_msg<'a>(
    buf: &'a [u8],
    line_end: usize,
    arg: &'a [u8],
    with_headers: bool,
    max_payload: usize,
) -> Result<RouteParsed<'a>, RouteProtoError> {
    let verb = if with_headers { "HMSG" } else { "RMSG" };
    let bad = || RouteProtoError::BadArgs { verb };
    let (f, n) = fields(arg).map_err(|_| bad())?;
    let sizes = if with_headers { 2 } else { 1 };
    if n < 2 + sizes {
        return Err(bad());
    }
    let account = *f.first().ok_or_else(bad)?;
    let subject = *f.get(1).ok_or_else(bad)?;
    let size = f.get(n - 1).and_then(|s| parse_num(s)).ok_or_else(bad)?;
    let hdr = if with_headers {
        let h = f.get(n - 2).and_then(|s| parse_num(s)).ok_or_else(bad)?;
        if h > size {
            return Err(bad());
        }
        Some(h)
    } else {
        None
    };
    // Between the subject and the sizes: nothing, a reply, or an indicator (`+ reply`
    // or `|`) followed by queue names.
    let middle = f.get(2..n - sizes).ok_or_else(bad)?;
    let (reply, queues) = match middle {
        [] => (None, &[][..]),
        [reply] if *reply != b"+" && *reply != b"|" => (Some(*reply), &[][..]),
        [ind, reply, queues @ ..] if *ind == b"+" => (Some(*reply), queues),
        [ind, queues @ ..] if *ind == b"|" => (None, queues),
        _ => return Err(bad()),
    };
    let queues = match (queues.first(), queues.last()) {
        (Some(first), Some(last)) => span(arg, first, last),
        _ => &[][..],
    };
    if size > max_payload {
        return Err(RouteProtoError::TooLarge {
            size,
            max: max_payload,
        });
    }
    let stop = line_end + size;
    let total = stop + 2;
    if buf.len() < total {
        return Ok(RouteParsed::Incomplete(Some(total)));
    }
    if buf.get(stop..total) != Some(b"\r\n") {
        return Err(RouteProtoError::BadTerminator);
    }
    let body = buf.get(line_end..stop).unwrap_or_default();
    let (headers, payload) = match hdr {
        Some(h) => {
            let (headers, payload) = body.split_at(h.min(body.len()));
            (Some(headers), payload)
        }
        None => (None, body),
    };
    Ok(RouteParsed::Op(
        RouteOp::Msg(RoutedMsg {
            account,
            subject,
            reply,
            queues,
            headers,
            payload,
        }),
        total,
    ))
}

/// The part of `whole` from the start of `first` to the end of `last` (both sub-slices
/// of it).
fn span<'a>(whole: &'a [u8], first: &[u8], last: &[u8]) -> &'a [u8] {
    let base = whole.as_ptr() as usize;
    let start = (first.as_ptr() as usize).saturating_sub(base);
    let end = (last.as_ptr() as usize + last.len()).saturating_sub(base);
    whole.get(start..end).unwrap_or_default()
}

/// Writes `RS+ <account> <subject> [<queue> <weight>]\r\n`.
pub fn encode_rs_plus<B: BufMut>(
    out: &mut B,
    account: &[u8],
    subject: &[u8],
    queue: Option<(&[u8], u32)>,
) {
    out.put_slice(b"RS+ ");
    out.put_slice(account);
    out.put_u8(b' ');
    out.put_slice(subject);
    if let Some((queue, weight)) = queue {
        out.put_u8(b' ');
        out.put_slice(queue);
        out.put_u8(b' ');
        out.put_slice(itoa::Buffer::new().format(weight).as_bytes());
    }
    out.put_slice(b"\r\n");
}

/// Writes `RS- <account> <subject> [<queue>]\r\n`.
pub fn encode_rs_minus<B: BufMut>(
    out: &mut B,
    account: &[u8],
    subject: &[u8],
    queue: Option<&[u8]>,
) {
    out.put_slice(b"RS- ");
    out.put_slice(account);
    out.put_u8(b' ');
    out.put_slice(subject);
    if let Some(queue) = queue {
        out.put_u8(b' ');
        out.put_slice(queue);
    }
    out.put_slice(b"\r\n");
}

/// Writes `RMSG` (or `HMSG` when `headers` is set) for a message forwarded to a peer.
/// `queues` are the groups the peer should deliver to (one member each).
pub fn encode_rmsg<B: BufMut>(out: &mut B, account: &[u8], msg: &RoutedMsg<'_>, queues: &[&[u8]]) {
    out.put_slice(if msg.headers.is_some() {
        b"HMSG "
    } else {
        b"RMSG "
    });
    out.put_slice(account);
    out.put_u8(b' ');
    out.put_slice(msg.subject);
    out.put_u8(b' ');
    match (msg.reply, queues.is_empty()) {
        (Some(reply), true) => {
            out.put_slice(reply);
            out.put_u8(b' ');
        }
        (Some(reply), false) => {
            out.put_slice(b"+ ");
            out.put_slice(reply);
            out.put_u8(b' ');
        }
        (None, false) => out.put_slice(b"| "),
        (None, true) => {}
    }
    for q in queues {
        out.put_slice(q);
        out.put_u8(b' ');
    }
    let hdr_len = msg.headers.map_or(0, <[u8]>::len);
    if msg.headers.is_some() {
        out.put_slice(itoa::Buffer::new().format(hdr_len).as_bytes());
        out.put_u8(b' ');
    }
    let total = hdr_len.saturating_add(msg.payload.len());
    out.put_slice(itoa::Buffer::new().format(total).as_bytes());
    out.put_slice(b"\r\n");
    if let Some(h) = msg.headers {
        out.put_slice(h);
    }
    out.put_slice(msg.payload);
    out.put_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(buf: &[u8]) -> RouteOp<'_> {
        match parse_route_op(buf, 4096, 1 << 20).unwrap() {
            RouteParsed::Op(op, n) => {
                assert_eq!(n, buf.len());
                op
            }
            RouteParsed::Incomplete(_) => panic!("incomplete"),
        }
    }

    #[test]
    fn interest_lines() {
        assert_eq!(
            op(b"RS+ $G foo.*\r\n"),
            RouteOp::Sub {
                account: b"$G",
                subject: b"foo.*",
                queue: None
            }
        );
        assert_eq!(
            op(b"RS+ $G foo q 3\r\n"),
            RouteOp::Sub {
                account: b"$G",
                subject: b"foo",
                queue: Some((b"q", 3))
            }
        );
        assert_eq!(
            op(b"RS- $G foo q\r\n"),
            RouteOp::Unsub {
                account: b"$G",
                subject: b"foo",
                queue: Some(b"q")
            }
        );
        assert!(parse_route_op(b"RS+ $G\r\n", 4096, 10).is_err());
    }

    #[test]
    fn messages_with_reply_and_queues() {
        let RouteOp::Msg(m) = op(b"RMSG $G foo + _INBOX.1 q1 q2 5\r\nhello\r\n") else {
            panic!("not a message");
        };
        assert_eq!(m.reply, Some(&b"_INBOX.1"[..]));
        assert_eq!(m.queues().collect::<Vec<_>>(), vec![&b"q1"[..], b"q2"]);
        assert_eq!(m.payload, b"hello");
        let RouteOp::Msg(m) = op(b"RMSG $G foo | q 0\r\n\r\n") else {
            panic!("not a message");
        };
        assert_eq!((m.reply, m.queues), (None, &b"q"[..]));
        let RouteOp::Msg(m) = op(b"RMSG $G foo r 2\r\nhi\r\n") else {
            panic!("not a message");
        };
        assert_eq!((m.reply, m.queues), (Some(&b"r"[..]), &b""[..]));
        let RouteOp::Msg(m) = op(b"HMSG $G foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\n") else {
            panic!("not a message");
        };
        assert_eq!(m.headers, Some(&b"NATS/1.0\r\n\r\n"[..]));
        assert_eq!(m.payload, b"hi");
    }

    #[test]
    fn partial_and_bad_input() {
        assert_eq!(
            parse_route_op(b"RMSG $G foo 5\r\nhel", 4096, 100).unwrap(),
            RouteParsed::Incomplete(Some(22))
        );
        assert_eq!(
            parse_route_op(b"RS+ $G fo", 4096, 100).unwrap(),
            RouteParsed::Incomplete(None)
        );
        assert!(parse_route_op(b"RMSG $G foo 2\r\nhiXX", 4096, 100).is_err());
        assert!(parse_route_op(b"RMSG $G foo 200\r\n", 4096, 100).is_err());
        assert!(parse_route_op(b"BOGUS\r\n", 4096, 100).is_err());
    }

    #[test]
    fn encoding_round_trips() {
        let msg = RoutedMsg {
            account: b"$G",
            subject: b"foo",
            reply: Some(b"r"),
            queues: b"",
            headers: Some(b"NATS/1.0\r\n\r\n"),
            payload: b"hi",
        };
        let mut out = Vec::new();
        encode_rmsg(&mut out, b"$G", &msg, &[b"q1", b"q2"]);
        assert_eq!(
            out,
            b"HMSG $G foo + r q1 q2 12 14\r\nNATS/1.0\r\n\r\nhi\r\n"
        );
        let RouteOp::Msg(back) = op(&out) else {
            panic!("not a message");
        };
        assert_eq!(back.queues, b"q1 q2");
        out.clear();
        encode_rs_plus(&mut out, b"$G", b"foo", Some((b"q", 2)));
        encode_rs_minus(&mut out, b"$G", b"foo", None);
        assert_eq!(out, b"RS+ $G foo q 2\r\nRS- $G foo\r\n");
    }
}
