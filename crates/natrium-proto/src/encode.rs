//! Writers for the frames the server sends to clients. None allocates.

use bytes::BufMut;

/// Writes `MSG <subject> <sid> [reply] <size>\r\n<payload>\r\n`.
pub fn encode_msg<B: BufMut>(
    out: &mut B,
    subject: &[u8],
    sid: &[u8],
    reply: Option<&[u8]>,
    payload: &[u8],
) {
    let mut size = itoa::Buffer::new();
    let size = size.format(payload.len()).as_bytes();
    out.put_slice(b"MSG ");
    put_head(out, subject, sid, reply);
    out.put_slice(size);
    out.put_slice(b"\r\n");
    out.put_slice(payload);
    out.put_slice(b"\r\n");
}

/// Writes `HMSG <subject> <sid> [reply] <hdr_len> <total_len>\r\n<headers><payload>\r\n`.
pub fn encode_hmsg<B: BufMut>(
    out: &mut B,
    subject: &[u8],
    sid: &[u8],
    reply: Option<&[u8]>,
    headers: &[u8],
    payload: &[u8],
) {
    let mut hdr = itoa::Buffer::new();
    let mut total = itoa::Buffer::new();
    let hdr = hdr.format(headers.len()).as_bytes();
    let total = total
        .format(headers.len().saturating_add(payload.len()))
        .as_bytes();
    out.put_slice(b"HMSG ");
    put_head(out, subject, sid, reply);
    out.put_slice(hdr);
    out.put_u8(b' ');
    out.put_slice(total);
    out.put_slice(b"\r\n");
    out.put_slice(headers);
    out.put_slice(payload);
    out.put_slice(b"\r\n");
}

/// `<subject> <sid> [reply] ` — the part MSG and HMSG share.
fn put_head<B: BufMut>(out: &mut B, subject: &[u8], sid: &[u8], reply: Option<&[u8]>) {
    out.put_slice(subject);
    out.put_u8(b' ');
    out.put_slice(sid);
    out.put_u8(b' ');
    if let Some(reply) = reply {
        out.put_slice(reply);
        out.put_u8(b' ');
    }
}

/// Writes `-ERR '<text>'\r\n`, as nats-server's `sendErr`.
pub fn encode_err<B: BufMut>(out: &mut B, text: &str) {
    out.put_slice(b"-ERR '");
    out.put_slice(text.as_bytes());
    out.put_slice(b"'\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msg() {
        let mut out = Vec::new();
        encode_msg(&mut out, b"foo.bar", b"7", None, b"hello");
        assert_eq!(out, b"MSG foo.bar 7 5\r\nhello\r\n");
        out.clear();
        encode_msg(&mut out, b"foo", b"1", Some(b"_INBOX.x"), b"");
        assert_eq!(out, b"MSG foo 1 _INBOX.x 0\r\n\r\n");
    }

    #[test]
    fn hmsg() {
        let mut out = bytes::BytesMut::new();
        encode_hmsg(
            &mut out,
            b"foo",
            b"1",
            Some(b"r"),
            b"NATS/1.0\r\n\r\n",
            b"hi",
        );
        assert_eq!(&out[..], b"HMSG foo 1 r 12 14\r\nNATS/1.0\r\n\r\nhi\r\n");
        out.clear();
        encode_hmsg(&mut out, b"foo", b"1", None, b"NATS/1.0\r\n\r\n", b"");
        assert_eq!(&out[..], b"HMSG foo 1 12 12\r\nNATS/1.0\r\n\r\n\r\n");
    }

    #[test]
    fn err() {
        let mut out = Vec::new();
        encode_err(&mut out, "Unknown Protocol Operation");
        assert_eq!(out, b"-ERR 'Unknown Protocol Operation'\r\n");
    }
}
