//! The stateless, zero-copy client protocol parser.
//!
//! The grammar follows nats-server's `parse()` state machine byte for byte
//! (see the [`crate::error`] module for the behaviour table). Because the
//! parser keeps no state between calls, a call on a buffer that holds only a
//! prefix of an operation returns [`Parsed::Incomplete`] and the caller calls
//! again, from the same start, once more bytes arrived.

use memchr::memchr;

use crate::{ClientOp, Limits, Parsed, ProtoError};

/// What a verb is followed by.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verb {
    Pub,
    HPub,
    Sub,
    Unsub,
    Ping,
    Pong,
    Ok,
    Err,
    Connect,
    Info,
}

const INCOMPLETE: Parsed<'static> = Parsed::Incomplete { needed: None };

/// Parses ONE client operation from the start of `buf`.
///
/// Returns [`Parsed::Op`] with the operation and the bytes it occupies,
/// [`Parsed::Incomplete`] when `buf` holds only a prefix of an operation
/// (including an empty `buf`), or the protocol error nats-server would
/// report. All slices in the result borrow from `buf`; nothing is allocated.
pub fn parse_client_op<'a>(buf: &'a [u8], limits: &Limits) -> Result<Parsed<'a>, ProtoError> {
    if let Some(parsed) = parse_pub_fast(buf, limits) {
        return parsed;
    }
    parse_general(buf, limits)
}

/// Any operation, in any shape nats-server accepts.
fn parse_general<'a>(buf: &'a [u8], limits: &Limits) -> Result<Parsed<'a>, ProtoError> {
    let Some(&first) = buf.first() else {
        return Ok(INCOMPLETE);
    };
    let (verb, name): (Verb, &[u8]) = match first.to_ascii_uppercase() {
        b'P' => match buf.get(1).map(u8::to_ascii_uppercase) {
            None => return Ok(INCOMPLETE),
            Some(b'U') => (Verb::Pub, b"PUB"),
            Some(b'I') => (Verb::Ping, b"PING"),
            Some(b'O') => (Verb::Pong, b"PONG"),
            Some(_) => return Err(ProtoError::UnknownOp),
        },
        b'H' => (Verb::HPub, b"HPUB"),
        b'S' => (Verb::Sub, b"SUB"),
        b'U' => (Verb::Unsub, b"UNSUB"),
        b'C' => (Verb::Connect, b"CONNECT"),
        b'I' => (Verb::Info, b"INFO"),
        b'+' => (Verb::Ok, b"+OK"),
        b'-' => (Verb::Err, b"-ERR"),
        _ => return Err(ProtoError::UnknownOp),
    };
    // Case-insensitive verb match; any mismatching byte is fatal even before
    // the verb is complete, like nats-server's per-byte states.
    for (i, want) in name.iter().enumerate() {
        match buf.get(i) {
            None => return Ok(INCOMPLETE),
            Some(b) if b.to_ascii_uppercase() == *want => {}
            Some(_) => return Err(ProtoError::UnknownOp),
        }
    }
    let after = name.len();
    match verb {
        Verb::Ping => skip_line(buf, after, limits, ClientOp::Ping),
        Verb::Pong => skip_line(buf, after, limits, ClientOp::Pong),
        Verb::Ok => skip_line(buf, after, limits, ClientOp::Ok),
        Verb::Connect | Verb::Info => {
            let Some(line) = control_line(buf, after, limits)? else {
                return Ok(INCOMPLETE);
            };
            let op = if verb == Verb::Connect {
                ClientOp::Connect(line.arg)
            } else {
                ClientOp::Info(line.arg)
            };
            Ok(Parsed::Op(op, line.end))
        }
        Verb::Pub | Verb::HPub | Verb::Sub | Verb::Unsub | Verb::Err => {
            match buf.get(after) {
                None => return Ok(INCOMPLETE),
                Some(b' ' | b'\t') => {}
                Some(_) => return Err(ProtoError::UnknownOp),
            }
            let Some(line) = control_line(buf, after + 1, limits)? else {
                return Ok(INCOMPLETE);
            };
            match verb {
                Verb::Pub => parse_pub(buf, line, limits),
                Verb::HPub => parse_hpub(buf, line, limits),
                Verb::Sub => parse_sub(line),
                Verb::Unsub => parse_unsub(line),
                _ => Ok(Parsed::Op(ClientOp::Err(line.arg), line.end)),
            }
        }
    }
}

/// `PUB` in its usual shape, `PUB subject [reply] size\r\n` with single spaces, read in
/// one word-at-a-time pass over the control line. Any other shape, and any line not
/// complete yet, gives `None` and goes to [`parse_general`], which answers the same on
/// every line accepted here (a property test checks it). The general path costs about
/// 600 instructions per `PUB`; this one about 200 (`scripts/callgrind.sh`).
fn parse_pub_fast<'a>(buf: &'a [u8], limits: &Limits) -> Option<Result<Parsed<'a>, ProtoError>> {
    const ARGS: usize = 4;
    let verb = u32::from_le_bytes(<[u8; 4]>::try_from(buf.get(..ARGS)?).ok()?);
    // Setting bit 5 lowercases the three letters (and only 'P'/'p' become 'p', and so
    // on); the fourth byte must be exactly a space.
    if verb | 0x0020_2020 != u32::from_le_bytes(*b"pub ") {
        return None;
    }
    let mut spaces = [0usize; 2];
    let mut n_spaces = 0;
    let mut base = ARGS;
    let cr = loop {
        let word = match buf.get(base..base + 8) {
            Some(full) => <[u8; 8]>::try_from(full).ok()?,
            None => {
                // The line's last bytes: zero padding reads as a control byte, so a line
                // with no `\r` in them goes to the general parser as incomplete.
                let mut padded = [0u8; 8];
                let tail = buf.get(base..)?;
                padded.get_mut(..tail.len())?.copy_from_slice(tail);
                padded
            }
        };
        let word = u64::from_le_bytes(word);
        let controls = bytes_below_0x21(word);
        let blanks = bytes_equal(word, b' ');
        let (mut sp, cr) = if controls == blanks {
            (blanks, None)
        } else {
            // Only bytes before the first `\r` belong to the arguments; any other
            // control byte among them (tab, `\n`, ...) needs the general parser.
            let crs = bytes_equal(word, b'\r');
            let before_cr = (crs & crs.wrapping_neg()).wrapping_sub(1);
            if crs == 0 || controls & !blanks & before_cr != 0 {
                return None;
            }
            (
                blanks & before_cr,
                Some(base + (crs.trailing_zeros() / 8) as usize),
            )
        };
        while sp != 0 {
            *spaces.get_mut(n_spaces)? = base + (sp.trailing_zeros() / 8) as usize;
            n_spaces += 1;
            sp &= sp - 1;
        }
        if let Some(cr) = cr {
            break cr;
        }
        base += 8;
        if base >= buf.len() || base - ARGS > limits.max_control_line {
            return None;
        }
    };
    if buf.get(cr + 1) != Some(&b'\n') {
        return None;
    }
    let arg = buf.get(ARGS..cr)?;
    if arg.len() > limits.max_control_line {
        return None;
    }
    let (subject, reply, size) = match spaces.get(..n_spaces)? {
        [s] => (buf.get(ARGS..*s)?, None, buf.get(s + 1..cr)?),
        [s, r] => (
            buf.get(ARGS..*s)?,
            Some(buf.get(s + 1..*r)?),
            buf.get(r + 1..cr)?,
        ),
        _ => return None,
    };
    if subject.is_empty() || reply.is_some_and(<[u8]>::is_empty) {
        return None;
    }
    let size = parse_size(size)?;
    let line = Line { arg, end: cr + 2 };
    Some(match body(buf, line, size, limits) {
        Ok(Ok(payload)) => Ok(Parsed::Op(
            ClientOp::Pub {
                subject,
                reply,
                payload,
            },
            line.end + size + 2,
        )),
        Ok(Err(pending)) => Ok(pending),
        Err(e) => Err(e),
    })
}

/// A complete control line: its arguments and the index just past its `\n`.
#[derive(Clone, Copy)]
struct Line<'a> {
    arg: &'a [u8],
    end: usize,
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// `PING`/`PONG`/`+OK`: everything up to the next `\n` is ignored.
fn skip_line<'a>(
    buf: &'a [u8],
    from: usize,
    limits: &Limits,
    op: ClientOp<'a>,
) -> Result<Parsed<'a>, ProtoError> {
    let rest = buf.get(from..).unwrap_or_default();
    match memchr(b'\n', rest) {
        Some(nl) => Ok(Parsed::Op(op, from + nl + 1)),
        // Deviation (documented in `error`): bound what the caller buffers.
        None if rest.len() > limits.max_control_line => Err(ProtoError::MaxControlLine),
        None => Ok(INCOMPLETE),
    }
}

/// Skips blanks from `from`, then reads the arguments up to the next `\n`.
///
/// Mirrors nats-server: the first non-blank byte starts the arguments even if
/// it is `\r` or `\n`; the `\n` that ends the line is searched after it; if
/// any `\r` was seen after that first byte, the last byte before `\n` is
/// dropped. Returns `None` when the line is not complete yet.
fn control_line<'a>(
    buf: &'a [u8],
    from: usize,
    limits: &Limits,
) -> Result<Option<Line<'a>>, ProtoError> {
    let rest = buf.get(from..).unwrap_or_default();
    let Some(skip) = rest.iter().position(|&b| !is_blank(b)) else {
        // Deviation (documented in `error`): bound what the caller buffers.
        if rest.len() > limits.max_control_line {
            return Err(ProtoError::MaxControlLine);
        }
        return Ok(None);
    };
    let start = from + skip;
    let tail = buf.get(start + 1..).unwrap_or_default();
    match memchr(b'\n', tail) {
        Some(off) => {
            let nl = start + 1 + off;
            let body = buf.get(start + 1..nl).unwrap_or_default();
            let drop = match body.last() {
                Some(b'\r') => 1,
                _ => usize::from(memchr(b'\r', body).is_some()),
            };
            let arg = buf.get(start..nl - drop).unwrap_or_default();
            if arg.len() > limits.max_control_line {
                return Err(ProtoError::MaxControlLine);
            }
            Ok(Some(Line { arg, end: nl + 1 }))
        }
        None => {
            let drop = usize::from(memchr(b'\r', tail).is_some());
            if (buf.len() - start).saturating_sub(drop) > limits.max_control_line {
                return Err(ProtoError::MaxControlLine);
            }
            Ok(None)
        }
    }
}

/// Up to `N` non-empty fields of `arg` split on the bytes `seps` marks, and how
/// many fields there are in total (which may exceed `N`).
///
/// Separators are found eight bytes at a time (SWAR) rather than byte by byte:
/// splitting a `PUB` line this way took a third of the instructions the
/// byte-wise split did (`scripts/callgrind.sh`, docs/PERFORMANCE.md).
fn fields<const N: usize>(arg: &[u8], seps: impl Fn(u64) -> u64) -> ([&[u8]; N], usize) {
    let mut split = Split::<N> {
        arg,
        out: [&[]; N],
        n: 0,
        start: 0,
    };
    let mut chunks = arg.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).unwrap_or_default());
        split.at_separators(base, seps(word));
        base += 8;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        // Zero padding is never a separator.
        let mut padded = [0u8; 8];
        if let Some(head) = padded.get_mut(..rest.len()) {
            head.copy_from_slice(rest);
        }
        split.at_separators(base, seps(u64::from_le_bytes(padded)));
    }
    split.boundary(arg.len());
    (split.out, split.n)
}

/// The state of one [`fields`] call.
struct Split<'a, const N: usize> {
    arg: &'a [u8],
    out: [&'a [u8]; N],
    n: usize,
    start: usize,
}

impl<'a, const N: usize> Split<'a, N> {
    /// `mask` has the high bit set in each byte of the word at `base` that separates.
    fn at_separators(&mut self, base: usize, mut mask: u64) {
        while mask != 0 {
            self.boundary(base + (mask.trailing_zeros() / 8) as usize);
            mask &= mask - 1;
        }
    }

    /// A field, if not empty, ends at `end`; the next may start after it.
    fn boundary(&mut self, end: usize) {
        if end > self.start {
            if let Some(slot) = self.out.get_mut(self.n) {
                *slot = self.arg.get(self.start..end).unwrap_or_default();
            }
            self.n += 1;
        }
        self.start = end + 1;
    }
}

const LOW_BITS: u64 = 0x0101_0101_0101_0101;
const LOW_7: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// The high bit of each byte of `word` that equals `b`, and no other bit.
fn bytes_equal(word: u64, b: u8) -> u64 {
    let v = word ^ (LOW_BITS * u64::from(b));
    // A byte of `v` is zero exactly when neither its high bit nor (its low
    // seven bits + 0x7f) sets bit 7; the addition never carries out of a byte.
    !(((v & LOW_7).wrapping_add(LOW_7)) | v | LOW_7)
}

/// The high bit of each byte of `word` below 0x21 (space and the control bytes), and no
/// other bit.
fn bytes_below_0x21(word: u64) -> u64 {
    // Adding 0x5f to a byte's low seven bits sets bit 7 exactly when they are 0x21 or
    // more; a byte with its own high bit set is not below 0x21 either.
    !(((word & LOW_7).wrapping_add(LOW_BITS * 0x5f)) | word | LOW_7)
}

/// `PUB`/`HPUB` arguments are split on blanks.
fn pub_sep(word: u64) -> u64 {
    bytes_equal(word, b' ') | bytes_equal(word, b'\t')
}

/// `SUB`/`UNSUB` arguments are split on blanks and line-end bytes.
fn sub_sep(word: u64) -> u64 {
    pub_sep(word) | bytes_equal(word, b'\r') | bytes_equal(word, b'\n')
}

/// nats-server's `parseSize`: 1 to 9 ASCII digits, else `None`.
fn parse_size(d: &[u8]) -> Option<usize> {
    if d.is_empty() || d.len() > 9 {
        return None;
    }
    d.iter().try_fold(0usize, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + usize::from(b - b'0'))
    })
}

/// Checks `size` against the payload limit, then locates the `size` body
/// bytes after the control line and the CRLF after them. A bad terminator is
/// reported as soon as its bytes are there; `Err(parsed)` in the inner result
/// is the `Incomplete` to hand back while the body is still arriving.
fn body<'a>(
    buf: &'a [u8],
    line: Line<'a>,
    size: usize,
    limits: &Limits,
) -> Result<Result<&'a [u8], Parsed<'a>>, ProtoError> {
    if size > limits.max_payload {
        return Err(ProtoError::MaxPayload {
            size,
            max: limits.max_payload,
        });
    }
    let start = line.end;
    let stop = start + size;
    let total = stop + 2;
    if buf.get(stop).is_some_and(|&b| b != b'\r') || buf.get(stop + 1).is_some_and(|&b| b != b'\n')
    {
        return Err(ProtoError::BadPayloadTerminator);
    }
    match buf.get(start..stop) {
        Some(msg) if buf.len() >= total => Ok(Ok(msg)),
        _ => Ok(Err(Parsed::Incomplete {
            needed: Some(total),
        })),
    }
}

fn parse_pub<'a>(buf: &'a [u8], line: Line<'a>, limits: &Limits) -> Result<Parsed<'a>, ProtoError> {
    let (args, n) = fields::<3>(line.arg, pub_sep);
    let (subject, reply, size) = match (n, args) {
        (2, [s, z, _]) => (s, None, z),
        (3, [s, r, z]) => (s, Some(r), z),
        _ => return Err(ProtoError::BadPubArgs),
    };
    let size = parse_size(size).ok_or(ProtoError::BadPubSize)?;
    let payload = match body(buf, line, size, limits)? {
        Ok(payload) => payload,
        Err(pending) => return Ok(pending),
    };
    let op = ClientOp::Pub {
        subject,
        reply,
        payload,
    };
    Ok(Parsed::Op(op, line.end + size + 2))
}

fn parse_hpub<'a>(
    buf: &'a [u8],
    line: Line<'a>,
    limits: &Limits,
) -> Result<Parsed<'a>, ProtoError> {
    let (args, n) = fields::<4>(line.arg, pub_sep);
    let (subject, reply, hdr, size) = match (n, args) {
        (3, [s, h, z, _]) => (s, None, h, z),
        (4, [s, r, h, z]) => (s, Some(r), h, z),
        _ => return Err(ProtoError::BadHPubArgs),
    };
    let hdr = parse_size(hdr).ok_or(ProtoError::BadHeaderSize)?;
    let size = parse_size(size).ok_or(ProtoError::BadTotalSize)?;
    if hdr > size {
        return Err(ProtoError::HeaderSizeExceedsTotal);
    }
    let msg = match body(buf, line, size, limits)? {
        Ok(msg) => msg,
        Err(pending) => return Ok(pending),
    };
    let (headers, payload) = msg.split_at_checked(hdr).unwrap_or((msg, &[]));
    let op = ClientOp::HPub {
        subject,
        reply,
        headers,
        payload,
    };
    Ok(Parsed::Op(op, line.end + size + 2))
}

fn parse_sub(line: Line<'_>) -> Result<Parsed<'_>, ProtoError> {
    let (args, n) = fields::<3>(line.arg, sub_sep);
    let op = match (n, args) {
        (2, [subject, sid, _]) => ClientOp::Sub {
            subject,
            queue: None,
            sid,
        },
        (3, [subject, queue, sid]) => ClientOp::Sub {
            subject,
            queue: Some(queue),
            sid,
        },
        _ => return Err(ProtoError::BadSubArgs),
    };
    Ok(Parsed::Op(op, line.end))
}

fn parse_unsub(line: Line<'_>) -> Result<Parsed<'_>, ProtoError> {
    let (args, n) = fields::<2>(line.arg, sub_sep);
    let op = match (n, args) {
        (1, [sid, _]) => ClientOp::Unsub { sid, max: None },
        (2, [sid, max]) => ClientOp::Unsub {
            sid,
            max: parse_size(max).map(|m| m as u64),
        },
        _ => return Err(ProtoError::BadUnsubArgs),
    };
    Ok(Parsed::Op(op, line.end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ProtoError as E;

    const L: Limits = Limits {
        max_control_line: 4096,
        max_payload: 1024 * 1024,
    };

    fn p(buf: &[u8]) -> Result<Parsed<'_>, ProtoError> {
        parse_client_op(buf, &L)
    }

    fn op(buf: &[u8]) -> (ClientOp<'_>, usize) {
        match p(buf) {
            Ok(Parsed::Op(op, n)) => (op, n),
            other => panic!("{:?} => {other:?}", String::from_utf8_lossy(buf)),
        }
    }

    fn err(buf: &[u8]) -> ProtoError {
        match p(buf) {
            Err(e) => e,
            other => panic!("{:?} => {other:?}", String::from_utf8_lossy(buf)),
        }
    }

    fn pub_op<'a>(subject: &'a [u8], reply: Option<&'a [u8]>, payload: &'a [u8]) -> ClientOp<'a> {
        ClientOp::Pub {
            subject,
            reply,
            payload,
        }
    }

    const INC: Parsed<'static> = Parsed::Incomplete { needed: None };

    #[test]
    fn pub_basic_and_case_insensitive() {
        for verb in ["PUB", "pub", "PuB", "pUb"] {
            let buf = format!("{verb} foo 2\r\nhi\r\n");
            assert_eq!(op(buf.as_bytes()), (pub_op(b"foo", None, b"hi"), buf.len()));
        }
    }

    #[test]
    fn pub_with_reply_tabs_and_many_blanks() {
        let buf = b"PUB\t foo \t\tbar  5 \t\r\nhello\r\nPING\r\n";
        assert_eq!(op(buf), (pub_op(b"foo", Some(b"bar"), b"hello"), 28));
    }

    #[test]
    fn pub_zero_payload_and_leading_zero_size() {
        assert_eq!(op(b"PUB foo 0\r\n\r\n"), (pub_op(b"foo", None, b""), 13));
        assert_eq!(
            op(b"PUB foo 002\r\nhi\r\n"),
            (pub_op(b"foo", None, b"hi"), 17)
        );
    }

    #[test]
    fn pub_payload_may_contain_crlf() {
        assert_eq!(
            op(b"PUB a 4\r\n\r\n\r\n\r\n"),
            (pub_op(b"a", None, b"\r\n\r\n"), 15)
        );
    }

    #[test]
    fn control_line_may_end_in_bare_lf() {
        assert_eq!(op(b"PUB foo 2\nhi\r\n"), (pub_op(b"foo", None, b"hi"), 14));
        assert_eq!(
            op(b"SUB foo 1\n"),
            (
                ClientOp::Sub {
                    subject: b"foo",
                    queue: None,
                    sid: b"1"
                },
                10
            )
        );
        assert_eq!(op(b"PING\n"), (ClientOp::Ping, 5));
    }

    #[test]
    fn payload_must_end_in_crlf() {
        assert_eq!(err(b"PUB foo 2\r\nhi\n"), E::BadPayloadTerminator);
        assert_eq!(err(b"PUB foo 2\r\nhello\r\n"), E::BadPayloadTerminator);
        assert_eq!(err(b"PUB foo 2\r\nhiPING\r\n"), E::BadPayloadTerminator);
        assert_eq!(err(b"PUB foo 2\r\nhi\r\r\n"), E::BadPayloadTerminator);
        // Reported as soon as the offending byte is there.
        assert_eq!(err(b"PUB foo 2\r\nhix"), E::BadPayloadTerminator);
        assert_eq!(err(b"PUB foo 2\r\nhi\rx"), E::BadPayloadTerminator);
        assert_eq!(
            E::BadPayloadTerminator.client_text(),
            "Unknown Protocol Operation"
        );
    }

    #[test]
    fn pub_incomplete_reports_needed() {
        let full = b"PUB foo 5\r\nhello\r\n";
        for cut in 0..full.len() {
            let got = p(&full[..cut]).unwrap();
            let want = if cut >= 11 {
                Parsed::Incomplete {
                    needed: Some(full.len()),
                }
            } else {
                INC
            };
            assert_eq!(got, want, "cut {cut}");
        }
        assert_eq!(op(full).1, full.len());
    }

    #[test]
    fn pub_arg_count_errors() {
        assert_eq!(err(b"PUB foo\r\n"), E::BadPubArgs);
        assert_eq!(err(b"PUB foo bar baz 2\r\n"), E::BadPubArgs);
        assert_eq!(err(b"PUB \r\n"), E::BadPubArgs);
        assert_eq!(err(b"PUB   \t \r\n"), E::BadPubArgs);
    }

    #[test]
    fn pub_size_errors() {
        for bad in ["abc", "-1", "+2", "1000000000", "0123456789", "2x", "1.0"] {
            let buf = format!("PUB foo {bad}\r\n");
            assert_eq!(err(buf.as_bytes()), E::BadPubSize, "{bad}");
        }
    }

    #[test]
    fn pub_max_payload() {
        assert_eq!(
            err(b"PUB foo 2000000\r\n"),
            E::MaxPayload {
                size: 2_000_000,
                max: 1024 * 1024
            }
        );
        assert_eq!(
            err(b"PUB foo 999999999\r\n"),
            E::MaxPayload {
                size: 999_999_999,
                max: 1 << 20
            }
        );
        let l = Limits {
            max_control_line: 4096,
            max_payload: 2,
        };
        assert!(matches!(
            parse_client_op(b"PUB foo 2\r\nhi\r\n", &l),
            Ok(Parsed::Op(..))
        ));
        assert_eq!(
            parse_client_op(b"PUB foo 3\r\n", &l),
            Err(E::MaxPayload { size: 3, max: 2 })
        );
        // Argument errors are detected before the payload limit.
        assert_eq!(parse_client_op(b"PUB foo x\r\n", &l), Err(E::BadPubSize));
    }

    #[test]
    fn stray_cr_in_arguments_drops_last_byte() {
        // nats-server publishes to "foo\r" here.
        assert_eq!(
            op(b"PUB foo\r 2\r\nhi\r\n"),
            (pub_op(b"foo\r", None, b"hi"), 16)
        );
        // ...and sees the size "2\r" here.
        assert_eq!(err(b"PUB foo 2\rx\nhi\r\n"), E::BadPubSize);
    }

    #[test]
    fn first_argument_byte_may_be_a_line_end() {
        // The byte after the blanks starts the argument, even "\n".
        assert_eq!(
            op(b"PUB \nfoo 2\r\nhi\r\n"),
            (pub_op(b"\nfoo", None, b"hi"), 16)
        );
        assert_eq!(op(b"CONNECT\r\n").0, ClientOp::Connect(b"\r"));
        assert_eq!(op(b"CONNECT\n{}\n"), (ClientOp::Connect(b"\n{}"), 11));
    }

    #[test]
    fn hpub() {
        let buf = b"HPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\n";
        assert_eq!(
            op(buf),
            (
                ClientOp::HPub {
                    subject: b"foo",
                    reply: None,
                    headers: b"NATS/1.0\r\n\r\n",
                    payload: b"hi"
                },
                buf.len()
            )
        );
        let buf = b"hpub foo r 12 14\r\nNATS/1.0\r\n\r\nhi\r\n";
        assert_eq!(
            op(buf).0,
            ClientOp::HPub {
                subject: b"foo",
                reply: Some(b"r"),
                headers: b"NATS/1.0\r\n\r\n",
                payload: b"hi"
            }
        );
        assert_eq!(
            op(b"HPUB foo 0 2\r\nhi\r\n").0,
            ClientOp::HPub {
                subject: b"foo",
                reply: None,
                headers: b"",
                payload: b"hi"
            }
        );
        assert_eq!(
            p(b"HPUB foo 12 14\r\nNATS"),
            Ok(Parsed::Incomplete { needed: Some(32) })
        );
    }

    #[test]
    fn hpub_errors() {
        assert_eq!(err(b"HPUB foo 12\r\n"), E::BadHPubArgs);
        assert_eq!(err(b"HPUB a b c d e\r\n"), E::BadHPubArgs);
        assert_eq!(err(b"HPUB foo x 14\r\n"), E::BadHeaderSize);
        assert_eq!(err(b"HPUB foo 12 x\r\n"), E::BadTotalSize);
        assert_eq!(err(b"HPUB foo 10 5\r\n"), E::HeaderSizeExceedsTotal);
        assert_eq!(
            err(b"HPUB foo 12 2000000\r\n"),
            E::MaxPayload {
                size: 2_000_000,
                max: 1 << 20
            }
        );
        assert_eq!(
            err(b"HPUB foo 2000000 2000000\r\n"),
            E::MaxPayload {
                size: 2_000_000,
                max: 1 << 20
            }
        );
        assert_eq!(
            err(b"HPUB foo 2000001 2000000\r\n"),
            E::HeaderSizeExceedsTotal
        );
        assert_eq!(err(b"HPUB foo 2 4\r\nabcdX"), E::BadPayloadTerminator);
    }

    #[test]
    fn sub_and_unsub() {
        assert_eq!(
            op(b"SUB foo 1\r\n"),
            (
                ClientOp::Sub {
                    subject: b"foo",
                    queue: None,
                    sid: b"1"
                },
                11
            )
        );
        assert_eq!(
            op(b"sub\tfoo  q\t1 \r\n"),
            (
                ClientOp::Sub {
                    subject: b"foo",
                    queue: Some(b"q"),
                    sid: b"1"
                },
                15
            )
        );
        assert_eq!(err(b"SUB foo\r\n"), E::BadSubArgs);
        assert_eq!(err(b"SUB a b c d\r\n"), E::BadSubArgs);
        // SUB splits on \r too.
        assert_eq!(
            op(b"SUB foo\r1\r\n").0,
            ClientOp::Sub {
                subject: b"foo",
                queue: None,
                sid: b"1"
            }
        );
        assert_eq!(
            op(b"UNSUB 1\r\n"),
            (
                ClientOp::Unsub {
                    sid: b"1",
                    max: None
                },
                9
            )
        );
        assert_eq!(
            op(b"unsub 1 5\r\n").0,
            ClientOp::Unsub {
                sid: b"1",
                max: Some(5)
            }
        );
        assert_eq!(
            op(b"UNSUB 1 0\r\n").0,
            ClientOp::Unsub {
                sid: b"1",
                max: Some(0)
            }
        );
        assert_eq!(
            op(b"UNSUB 1 x\r\n").0,
            ClientOp::Unsub {
                sid: b"1",
                max: None
            }
        );
        assert_eq!(err(b"UNSUB 1 2 3\r\n"), E::BadUnsubArgs);
        assert_eq!(err(b"UNSUB \r\n"), E::BadUnsubArgs);
        assert_eq!(err(b"UNSUB\r\n"), E::UnknownOp);
    }

    #[test]
    fn ping_pong_ok_ignore_rest_of_line() {
        assert_eq!(op(b"PING\r\n"), (ClientOp::Ping, 6));
        assert_eq!(op(b"pInG\r\n"), (ClientOp::Ping, 6));
        assert_eq!(op(b"PINGX\r\nPONG\r\n"), (ClientOp::Ping, 7));
        assert_eq!(op(b"PONG\r\n"), (ClientOp::Pong, 6));
        assert_eq!(op(b"+OK\r\n"), (ClientOp::Ok, 5));
        assert_eq!(op(b"+ok\r\n"), (ClientOp::Ok, 5));
        assert_eq!(op(b"+OKAY junk\r\n"), (ClientOp::Ok, 12));
        assert_eq!(p(b"PING"), Ok(INC));
        assert_eq!(p(b"PING\r"), Ok(INC));
    }

    #[test]
    fn err_connect_info() {
        assert_eq!(op(b"-ERR 'boom'\r\n"), (ClientOp::Err(b"'boom'"), 13));
        assert_eq!(err(b"-ERR\r\n"), E::UnknownOp);
        assert_eq!(op(b"CONNECT {}\r\n"), (ClientOp::Connect(b"{}"), 12));
        assert_eq!(op(b"CONNECT{}\r\n"), (ClientOp::Connect(b"{}"), 11));
        assert_eq!(
            op(b"connect \t {\"verbose\":true}\r\n").0,
            ClientOp::Connect(b"{\"verbose\":true}")
        );
        assert_eq!(op(b"CONNECTX\r\n").0, ClientOp::Connect(b"X"));
        assert_eq!(op(b"INFO {}\r\n"), (ClientOp::Info(b"{}"), 9));
        assert_eq!(op(b"INFO\r\n").0, ClientOp::Info(b"\r"));
    }

    #[test]
    fn unknown_ops() {
        for buf in [
            &b"XYZ\r\n"[..],
            b"\r\n",
            b"\n",
            b" PING\r\n",
            b"MSG foo 1 2\r\n",
            b"HMSG foo 1 5\r\n\r\n",
            b"RS+ foo\r\n",
            b"LS+ foo\r\n",
            b"A+ foo\r\n",
            b"PUB\r\n",
            b"PUBX foo 1\r\n",
            b"PIG\r\n",
            b"SUBfoo 1\r\n",
            b"CONECT\r\n",
            b"+KO\r\n",
            b"-ERRx\r\n",
        ] {
            assert_eq!(err(buf), E::UnknownOp, "{:?}", String::from_utf8_lossy(buf));
        }
        // Reported as soon as the verb goes wrong.
        assert_eq!(err(b"PX"), E::UnknownOp);
        assert_eq!(err(b"CONNEX"), E::UnknownOp);
        assert_eq!(p(b"CONNE"), Ok(INC));
        assert_eq!(p(b""), Ok(INC));
        assert_eq!(p(b"P"), Ok(INC));
        assert_eq!(p(b"PUB"), Ok(INC));
        assert_eq!(p(b"PUB "), Ok(INC));
        assert_eq!(p(b"PUB foo 2"), Ok(INC));
    }

    #[test]
    fn max_control_line_counts_arguments_only() {
        let ok = [b"PUB ".to_vec(), vec![b'a'; 4094], b" 0\r\n\r\n".to_vec()].concat();
        assert!(matches!(p(&ok), Ok(Parsed::Op(..))));
        let ok_tab = [b"PUB \t".to_vec(), vec![b'a'; 4094], b" 0\r\n\r\n".to_vec()].concat();
        assert!(matches!(p(&ok_tab), Ok(Parsed::Op(..))));
        let ok_lf = [b"PUB ".to_vec(), vec![b'a'; 4094], b" 0\n\r\n".to_vec()].concat();
        assert!(matches!(p(&ok_lf), Ok(Parsed::Op(..))));
        let bad = [b"PUB ".to_vec(), vec![b'a'; 4095], b" 0\r\n\r\n".to_vec()].concat();
        assert_eq!(p(&bad), Err(E::MaxControlLine));
        let sub = [b"SUB ".to_vec(), vec![b'a'; 4095], b" 1\r\n".to_vec()].concat();
        assert_eq!(p(&sub), Err(E::MaxControlLine));
        assert_eq!(
            E::MaxControlLine.client_text(),
            "maximum control line exceeded"
        );
    }

    #[test]
    fn max_control_line_without_line_end() {
        let mut buf = b"PUB ".to_vec();
        buf.extend(std::iter::repeat_n(b'a', 4096));
        assert_eq!(p(&buf), Ok(INC));
        buf.push(b'a');
        assert_eq!(p(&buf), Err(E::MaxControlLine));
        let mut c = b"CONNECT ".to_vec();
        c.extend(std::iter::repeat_n(b'{', 5000));
        assert_eq!(p(&c), Err(E::MaxControlLine));
    }

    #[test]
    fn ping_tail_is_bounded() {
        // nats-server discards an endless PING tail; we bound it (documented).
        let mut buf = b"PING ".to_vec();
        buf.extend(std::iter::repeat_n(b'a', 4095));
        assert_eq!(p(&buf), Ok(INC));
        buf.push(b'a');
        assert_eq!(p(&buf), Err(E::MaxControlLine));
        buf.extend(b"\r\n");
        assert_eq!(p(&buf), Ok(Parsed::Op(ClientOp::Ping, buf.len())));
        let mut blanks = b"SUB".to_vec();
        blanks.extend(std::iter::repeat_n(b' ', 5000));
        assert_eq!(p(&blanks), Err(E::MaxControlLine));
    }

    #[test]
    fn subject_is_not_validated_here() {
        assert_eq!(
            op(b"PUB foo.* 2\r\nhi\r\n").0,
            pub_op(b"foo.*", None, b"hi")
        );
        assert_eq!(
            op(b"SUB foo.. 1\r\n").0,
            ClientOp::Sub {
                subject: b"foo..",
                queue: None,
                sid: b"1"
            }
        );
    }

    #[test]
    fn byte_masks_are_exact_for_every_byte_in_every_position() {
        for pos in 0..8 {
            for b in 0..=255u8 {
                // Neighbours that would trip a borrow-propagating formula.
                for fill in [0u8, b' ', 0x21, 0x80, 0xff] {
                    let mut bytes = [fill; 8];
                    bytes[pos] = b;
                    let word = u64::from_le_bytes(bytes);
                    for (i, &x) in bytes.iter().enumerate() {
                        let bit = 1u64 << (i * 8 + 7);
                        assert_eq!(bytes_equal(word, b' ') & bit != 0, x == b' ');
                        assert_eq!(bytes_below_0x21(word) & bit != 0, x < 0x21);
                    }
                    assert_eq!(bytes_equal(word, b' ') & !(LOW_BITS << 7), 0);
                    assert_eq!(bytes_below_0x21(word) & !(LOW_BITS << 7), 0);
                }
            }
        }
    }

    proptest::proptest! {
        /// Whatever the `PUB` fast path accepts, the general parser parses the same way.
        #[test]
        fn pub_fast_path_agrees_with_the_general_parser(
            verb in proptest::sample::select(vec!["PUB ", "pub ", "PuB ", "PUB  ", "PUB\t"]),
            rest in proptest::collection::vec(
                proptest::sample::select(b" \t\r\nab.9012_".to_vec()),
                0..48,
            ),
            max_control_line in proptest::sample::select(vec![4usize, 16, 4096]),
            max_payload in proptest::sample::select(vec![1usize, 64]),
        ) {
            let mut buf = verb.as_bytes().to_vec();
            buf.extend_from_slice(&rest);
            let limits = Limits { max_control_line, max_payload };
            if let Some(fast) = parse_pub_fast(&buf, &limits) {
                proptest::prop_assert_eq!(fast, parse_general(&buf, &limits));
            }
        }

        /// Canonical `PUB` frames take the fast path and parse whole.
        #[test]
        fn canonical_pub_takes_the_fast_path(
            subject in "[a-z.]{1,20}",
            reply in proptest::option::of("[A-Z_.]{1,20}"),
            payload in proptest::collection::vec(proptest::num::u8::ANY, 0..40),
        ) {
            let mut buf = format!("PUB {subject} ").into_bytes();
            if let Some(r) = &reply {
                buf.extend_from_slice(format!("{r} ").as_bytes());
            }
            buf.extend_from_slice(format!("{}\r\n", payload.len()).as_bytes());
            buf.extend_from_slice(&payload);
            buf.extend_from_slice(b"\r\n");
            let fast = parse_pub_fast(&buf, &L);
            proptest::prop_assert!(fast.is_some());
            proptest::prop_assert_eq!(fast, Some(parse_general(&buf, &L)));
        }
    }

    proptest::proptest! {
        /// The word-at-a-time split agrees with the obvious byte-wise one on any
        /// input, including every length modulo eight and non-ASCII bytes.
        #[test]
        fn fields_match_a_bytewise_split(
            arg in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(b" \t\r\nab9".to_vec()),
                    proptest::num::u8::ANY,
                ],
                0..40,
            )
        ) {
            for (seps, is_sep) in [
                (pub_sep as fn(u64) -> u64, (|b: &u8| matches!(*b, b' ' | b'\t')) as fn(&u8) -> bool),
                (sub_sep, |b: &u8| matches!(*b, b' ' | b'\t' | b'\r' | b'\n')),
            ] {
                let want: Vec<&[u8]> = arg.split(is_sep).filter(|f| !f.is_empty()).collect();
                let (got, n) = fields::<3>(&arg, seps);
                proptest::prop_assert_eq!(n, want.len());
                for (g, w) in got.iter().zip(&want) {
                    proptest::prop_assert_eq!(g, w);
                }
            }
        }
    }

    #[test]
    fn stream_of_ops() {
        let buf = b"CONNECT {}\r\nSUB foo 1\nPUB foo 2\nhi\r\nPING\r\nUNSUB 1\r\n";
        let mut rest = &buf[..];
        let mut ops = Vec::new();
        while !rest.is_empty() {
            let (o, n) = op(rest);
            ops.push(o);
            rest = &rest[n..];
        }
        assert_eq!(ops.len(), 5);
        assert_eq!(ops[2], pub_op(b"foo", None, b"hi"));
    }

    #[test]
    fn error_mapping() {
        assert_eq!(E::UnknownOp.client_text(), "Unknown Protocol Operation");
        assert_eq!(
            E::MaxPayload { size: 1, max: 0 }.client_text(),
            "Maximum Payload Violation"
        );
        for silent in [
            E::BadPubArgs,
            E::BadPubSize,
            E::BadHPubArgs,
            E::BadHeaderSize,
            E::BadTotalSize,
            E::HeaderSizeExceedsTotal,
            E::BadSubArgs,
            E::BadUnsubArgs,
            E::BadConnect(String::new()),
            E::BadInfo(String::new()),
        ] {
            assert!(!silent.sends_err());
            assert!(silent.closes_connection());
            let mut out = Vec::new();
            silent.encode_reply(&mut out);
            assert!(out.is_empty());
        }
        let mut out = Vec::new();
        E::MaxControlLine.encode_reply(&mut out);
        assert_eq!(out, b"-ERR 'maximum control line exceeded'\r\n");
        assert!(E::UnknownOp.closes_connection());
    }
}
