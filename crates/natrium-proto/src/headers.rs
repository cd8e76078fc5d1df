//! `NATS/1.0` header blocks: reading one value the way nats-server does, the status line,
//! and building blocks for the messages the server itself sends (JetStream status
//! messages, direct-get replies).
//!
//! A header block is `NATS/1.0[ <status>[ <description>]]\r\n` followed by `Key: Value\r\n`
//! lines and a final `\r\n`. Lookups follow nats-server's `sliceHeader`: the key matches
//! exactly (letter case included) at the start of a line and is followed by `:`; the value
//! is the rest of that line without the spaces after the colon; the first match wins.

use bytes::BufMut;

/// The first line of every header block.
pub const HEADER_LINE: &[u8] = b"NATS/1.0";

/// The value of the first header named exactly `key` in `block`, as nats-server reads it.
pub fn header_value<'a>(block: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    if key.is_empty() {
        return None;
    }
    let mut offset = 0;
    while let Some(found) = block
        .get(offset..)
        .and_then(|rest| memchr::memmem::find(rest, key))
    {
        let start = offset + found;
        let after = start + key.len();
        let at_line_start = start >= 2 && block.get(start - 2..start) == Some(b"\r\n");
        if at_line_start && block.get(after) == Some(&b':') {
            let value = block.get(after + 1..)?;
            let spaces = value.iter().take_while(|&&b| b == b' ').count();
            let value = value.get(spaces..)?;
            let end = memchr::memmem::find(value, b"\r\n").unwrap_or(value.len());
            return value.get(..end);
        }
        offset = after;
    }
    None
}

/// The status code and description on the first line (`NATS/1.0 404 No Messages`), if the
/// block has one.
pub fn header_status(block: &[u8]) -> Option<(u16, &[u8])> {
    let rest = block.strip_prefix(HEADER_LINE)?;
    let line_end = memchr::memmem::find(rest, b"\r\n").unwrap_or(rest.len());
    let line = rest.get(..line_end)?.trim_ascii_start();
    let code_len = line.iter().take_while(|b| b.is_ascii_digit()).count();
    if code_len != 3 {
        return None;
    }
    let (code, description) = line.split_at(code_len);
    let code = std::str::from_utf8(code).ok()?.parse().ok()?;
    Some((code, description.trim_ascii()))
}

/// Writes a header block: an optional status, then `key: value` lines, then the blank line.
///
/// ```
/// let mut out = Vec::new();
/// natrium_proto::write_headers(&mut out, Some((404, "No Messages")), &[]);
/// assert_eq!(out, b"NATS/1.0 404 No Messages\r\n\r\n");
/// ```
pub fn write_headers<B: BufMut>(out: &mut B, status: Option<(u16, &str)>, pairs: &[(&str, &[u8])]) {
    out.put_slice(HEADER_LINE);
    if let Some((code, description)) = status {
        out.put_u8(b' ');
        out.put_slice(itoa::Buffer::new().format(code).as_bytes());
        if !description.is_empty() {
            out.put_u8(b' ');
            out.put_slice(description.as_bytes());
        }
    }
    out.put_slice(b"\r\n");
    for (key, value) in pairs {
        out.put_slice(key.as_bytes());
        out.put_slice(b": ");
        out.put_slice(value);
        out.put_slice(b"\r\n");
    }
    out.put_slice(b"\r\n");
}

/// A copy of header block `block` without its status and without the headers whose
/// name `drop` selects, with `pairs` appended: how the server forwards a stored message
/// with headers of its own (a source's origin, a dead letter's reason). Lines that are not
/// `name: value` are dropped too.
///
/// ```
/// let block = b"NATS/1.0\r\nA: 1\r\nNats-Msg-Id: 7\r\n\r\n";
/// let out = natrium_proto::rewrite_headers(block, |name| name.starts_with(b"Nats-"), &[("B", b"2")]);
/// assert_eq!(out, b"NATS/1.0\r\nA: 1\r\nB: 2\r\n\r\n");
/// ```
pub fn rewrite_headers(
    block: &[u8],
    drop: impl Fn(&[u8]) -> bool,
    pairs: &[(&str, &[u8])],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(block.len() + 64);
    out.extend_from_slice(HEADER_LINE);
    out.extend_from_slice(b"\r\n");
    let kept = block
        .split(|b| *b == b'\n')
        .skip(1)
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
        .filter(|line| {
            let name = line.split(|b| *b == b':').next().unwrap_or_default();
            line.contains(&b':') && !drop(name.trim_ascii())
        });
    for line in kept {
        out.extend_from_slice(line);
        out.extend_from_slice(b"\r\n");
    }
    for (key, value) in pairs {
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn lookups_never_panic(block in proptest::collection::vec(any::<u8>(), 0..256),
                               key in proptest::collection::vec(any::<u8>(), 0..8)) {
            let _ = header_value(&block, &key);
            let _ = header_status(&block);
        }

        #[test]
        fn a_written_pair_is_found(key in "[A-Za-z][A-Za-z0-9-]{0,15}", value in "[ -~]{0,40}") {
            let mut out = Vec::new();
            write_headers(&mut out, None, &[(&key, value.as_bytes())]);
            prop_assert_eq!(header_value(&out, key.as_bytes()), Some(value.trim_start_matches(' ').as_bytes()));
        }
    }

    const BLOCK: &[u8] = b"NATS/1.0\r\nNats-Msg-Id: abc\r\nX-Nats-Msg-Id: no\r\nA:  spaced value \r\nNats-Msg-Id: second\r\n\r\n";

    #[test]
    fn values_are_read_like_nats_server() {
        assert_eq!(header_value(BLOCK, b"Nats-Msg-Id"), Some(&b"abc"[..]));
        assert_eq!(header_value(BLOCK, b"A"), Some(&b"spaced value "[..]));
        assert_eq!(
            header_value(BLOCK, b"nats-msg-id"),
            None,
            "letter case matters"
        );
        assert_eq!(
            header_value(BLOCK, b"Msg-Id"),
            None,
            "only whole keys at a line start"
        );
        assert_eq!(header_value(BLOCK, b"Missing"), None);
        assert_eq!(header_value(b"", b"A"), None);
        assert_eq!(header_value(b"NATS/1.0\r\nA:", b"A"), Some(&b""[..]));
    }

    #[test]
    fn status_lines() {
        assert_eq!(
            header_status(b"NATS/1.0 503\r\n\r\n"),
            Some((503, &b""[..]))
        );
        assert_eq!(
            header_status(b"NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 1\r\n\r\n"),
            Some((408, &b"Request Timeout"[..]))
        );
        assert_eq!(header_status(BLOCK), None);
        assert_eq!(header_status(b"NATS/1.0 12\r\n\r\n"), None);
        assert_eq!(header_status(b"HTTP/1.1 200\r\n"), None);
    }

    #[test]
    fn written_blocks_read_back() {
        let mut out = Vec::new();
        write_headers(
            &mut out,
            Some((100, "Idle Heartbeat")),
            &[("Nats-Last-Consumer", b"5"), ("Nats-Last-Stream", b"9")],
        );
        assert_eq!(
            out,
            b"NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 5\r\nNats-Last-Stream: 9\r\n\r\n"
        );
        assert_eq!(header_status(&out), Some((100, &b"Idle Heartbeat"[..])));
        assert_eq!(header_value(&out, b"Nats-Last-Stream"), Some(&b"9"[..]));
        let mut plain = Vec::new();
        write_headers(&mut plain, None, &[]);
        assert_eq!(plain, b"NATS/1.0\r\n\r\n");
    }
}
