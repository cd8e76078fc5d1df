//! Property tests: incremental feeding, no panics, encode/parse round trips.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use natrium_proto::{
    encode_hmsg, encode_msg, parse_client_op, ClientOp, Limits, Parsed, ProtoError,
};
use proptest::prelude::*;

/// An owned copy of a [`ClientOp`], to compare across buffers.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    Connect(Vec<u8>),
    Pub(Vec<u8>, Option<Vec<u8>>, Vec<u8>),
    HPub(Vec<u8>, Option<Vec<u8>>, Vec<u8>, Vec<u8>),
    Sub(Vec<u8>, Option<Vec<u8>>, Vec<u8>),
    Unsub(Vec<u8>, Option<u64>),
    Ping,
    Pong,
    Ok,
    Err(Vec<u8>),
    Info(Vec<u8>),
}

fn own(op: ClientOp<'_>) -> Op {
    let v = |s: &[u8]| s.to_vec();
    match op {
        ClientOp::Connect(j) => Op::Connect(v(j)),
        ClientOp::Pub {
            subject,
            reply,
            payload,
        } => Op::Pub(v(subject), reply.map(v), v(payload)),
        ClientOp::HPub {
            subject,
            reply,
            headers,
            payload,
        } => Op::HPub(v(subject), reply.map(v), v(headers), v(payload)),
        ClientOp::Sub {
            subject,
            queue,
            sid,
        } => Op::Sub(v(subject), queue.map(v), v(sid)),
        ClientOp::Unsub { sid, max } => Op::Unsub(v(sid), max),
        ClientOp::Ping => Op::Ping,
        ClientOp::Pong => Op::Pong,
        ClientOp::Ok => Op::Ok,
        ClientOp::Err(t) => Op::Err(v(t)),
        ClientOp::Info(j) => Op::Info(v(j)),
    }
}

const LIMITS: Limits = Limits {
    max_control_line: 4096,
    max_payload: 1 << 20,
};

/// Byte-level spelling choices for one op: verb case mask, blanks, line end.
#[derive(Debug, Clone)]
struct Style {
    case_mask: u8,
    blanks: Vec<&'static [u8]>,
    lf_only: bool,
}

fn style() -> impl Strategy<Value = Style> {
    (
        any::<u8>(),
        prop::collection::vec(
            prop::sample::select(vec![&b" "[..], b"\t", b"  ", b" \t "]),
            5,
        ),
        any::<bool>(),
    )
        .prop_map(|(case_mask, blanks, lf_only)| Style {
            case_mask,
            blanks,
            lf_only,
        })
}

fn token() -> impl Strategy<Value = Vec<u8>> {
    "[a-zA-Z0-9_.*>$-]{1,12}".prop_map(String::into_bytes)
}

fn op() -> impl Strategy<Value = Op> {
    let payload = prop::collection::vec(any::<u8>(), 0..64);
    let headers = prop::collection::vec(("[A-Za-z-]{1,8}", "[ -~]{0,12}"), 0..3).prop_map(|kv| {
        let mut h = b"NATS/1.0\r\n".to_vec();
        for (k, v) in kv {
            h.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
        }
        h.extend_from_slice(b"\r\n");
        h
    });
    prop_oneof![
        (token(), prop::option::of(token()), payload.clone())
            .prop_map(|(s, r, p)| Op::Pub(s, r, p)),
        (token(), prop::option::of(token()), headers, payload)
            .prop_map(|(s, r, h, p)| Op::HPub(s, r, h, p)),
        (token(), prop::option::of(token()), token()).prop_map(|(s, q, i)| Op::Sub(s, q, i)),
        (token(), prop::option::of(0u64..1_000_000)).prop_map(|(i, m)| Op::Unsub(i, m)),
        Just(Op::Ping),
        Just(Op::Pong),
        Just(Op::Ok),
        "\\{(\"[a-z]{1,5}\":(true|false|[0-9]{1,3}),?){0,3}\\}"
            .prop_map(|j| Op::Connect(j.into_bytes())),
        "'[a-zA-Z ]{1,20}'".prop_map(|t| Op::Err(t.into_bytes())),
        Just(Op::Info(b"{\"server_id\":\"x\"}".to_vec())),
    ]
}

/// Writes `op` the way a (possibly odd but valid) client would.
fn write(op: &Op, st: &Style, out: &mut Vec<u8>) {
    let verb = |out: &mut Vec<u8>, v: &str| {
        for (i, c) in v.bytes().enumerate() {
            let lower = st.case_mask & (1 << (i % 8)) != 0;
            out.push(if lower { c.to_ascii_lowercase() } else { c });
        }
    };
    let eol: &[u8] = if st.lf_only { b"\n" } else { b"\r\n" };
    let args = |out: &mut Vec<u8>, parts: &[&[u8]]| {
        for (i, p) in parts.iter().enumerate() {
            out.extend_from_slice(st.blanks[i]);
            out.extend_from_slice(p);
        }
        out.extend_from_slice(eol);
    };
    match op {
        Op::Pub(s, r, p) => {
            verb(out, "PUB");
            let size = p.len().to_string();
            let mut parts = vec![&s[..]];
            parts.extend(r.as_deref());
            parts.push(size.as_bytes());
            args(out, &parts);
            out.extend_from_slice(p);
            out.extend_from_slice(b"\r\n");
        }
        Op::HPub(s, r, h, p) => {
            verb(out, "HPUB");
            let hs = h.len().to_string();
            let ts = (h.len() + p.len()).to_string();
            let mut parts = vec![&s[..]];
            parts.extend(r.as_deref());
            parts.push(hs.as_bytes());
            parts.push(ts.as_bytes());
            args(out, &parts);
            out.extend_from_slice(h);
            out.extend_from_slice(p);
            out.extend_from_slice(b"\r\n");
        }
        Op::Sub(s, q, i) => {
            verb(out, "SUB");
            let mut parts = vec![&s[..]];
            parts.extend(q.as_deref());
            parts.push(i);
            args(out, &parts);
        }
        Op::Unsub(i, m) => {
            verb(out, "UNSUB");
            let ms = m.map(|m| m.to_string());
            let mut parts = vec![&i[..]];
            parts.extend(ms.as_deref().map(str::as_bytes));
            args(out, &parts);
        }
        Op::Ping | Op::Pong | Op::Ok => {
            verb(
                out,
                match op {
                    Op::Ping => "PING",
                    Op::Pong => "PONG",
                    _ => "+OK",
                },
            );
            out.extend_from_slice(eol);
        }
        Op::Connect(j) => {
            verb(out, "CONNECT");
            args(out, &[j]);
        }
        Op::Info(j) => {
            verb(out, "INFO");
            args(out, &[j]);
        }
        Op::Err(t) => {
            verb(out, "-ERR");
            args(out, &[t]);
        }
    }
}

fn stream() -> impl Strategy<Value = (Vec<Op>, Vec<u8>)> {
    prop::collection::vec((op(), style()), 1..8).prop_map(|ops| {
        let mut buf = Vec::new();
        for (op, st) in &ops {
            write(op, st, &mut buf);
        }
        (ops.into_iter().map(|(op, _)| op).collect(), buf)
    })
}

/// Parses every whole op in `buf`; returns them and the bytes consumed.
fn parse_all(buf: &[u8]) -> Result<(Vec<Op>, usize), ProtoError> {
    let mut ops = Vec::new();
    let mut at = 0;
    loop {
        match parse_client_op(&buf[at..], &LIMITS)? {
            Parsed::Op(op, n) => {
                assert!(n > 0 && at + n <= buf.len());
                ops.push(own(op));
                at += n;
            }
            Parsed::Incomplete { needed } => {
                if let Some(needed) = needed {
                    assert!(
                        needed > buf.len() - at,
                        "needed {needed} but {} buffered",
                        buf.len() - at
                    );
                }
                return Ok((ops, at));
            }
        }
    }
}

/// Feeds `buf` to the parser in pieces ending at `cuts`, as a reader would:
/// the unconsumed tail is kept and re-parsed once more bytes arrived.
fn parse_fed(buf: &[u8], cuts: &[usize]) -> Vec<Op> {
    let mut ops = Vec::new();
    let mut start = 0;
    let mut needed = 0;
    for &end in cuts.iter().chain(std::iter::once(&buf.len())) {
        let end = end.clamp(start, buf.len());
        if end - start < needed {
            continue; // the caller skips re-parsing until `needed` bytes are there
        }
        let (mut got, n) = parse_all(&buf[start..end]).unwrap();
        ops.append(&mut got);
        start += n;
        needed = match parse_client_op(&buf[start..end], &LIMITS).unwrap() {
            Parsed::Incomplete { needed: Some(k) } => k,
            _ => 0,
        };
    }
    assert_eq!(start, buf.len());
    ops
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Written ops parse back to themselves (encode→parse round trip).
    #[test]
    fn valid_stream_parses_to_its_ops((ops, buf) in stream()) {
        let (got, n) = parse_all(&buf).unwrap();
        prop_assert_eq!(n, buf.len());
        prop_assert_eq!(got, ops);
    }

    /// Splitting a valid stream at every point gives the unsplit result.
    #[test]
    fn every_split_point_gives_the_same_ops((ops, buf) in stream()) {
        for cut in 0..=buf.len() {
            prop_assert_eq!(&parse_fed(&buf, &[cut]), &ops, "cut at {}", cut);
        }
    }

    /// Arbitrary chunkings too (several cuts).
    #[test]
    fn random_chunking_gives_the_same_ops((ops, buf) in stream(), mut cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..12)) {
        let mut cuts: Vec<usize> = cuts.drain(..).map(|i| i.index(buf.len() + 1)).collect();
        cuts.sort_unstable();
        prop_assert_eq!(parse_fed(&buf, &cuts), ops);
    }

    /// Arbitrary bytes never panic and every result is consistent.
    #[test]
    fn never_panics_on_arbitrary_bytes(buf in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_all(&buf);
    }

    /// Nearly valid input (a valid stream with some bytes changed) never panics.
    #[test]
    fn never_panics_on_mutated_streams((_, mut buf) in stream(), edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6)) {
        for (at, b) in edits {
            let i = at.index(buf.len());
            buf[i] = b;
        }
        let _ = parse_all(&buf);
        let tight = Limits { max_control_line: 16, max_payload: 8 };
        let mut at = 0;
        while let Ok(Parsed::Op(_, n)) = parse_client_op(&buf[at..], &tight) {
            at += n;
        }
    }

    /// MSG frames written by encode_msg read back with a tiny MSG parser.
    #[test]
    fn encode_msg_round_trip(s in token(), sid in "[0-9]{1,6}", reply in prop::option::of(token()), payload in prop::collection::vec(any::<u8>(), 0..200)) {
        let mut out = Vec::new();
        encode_msg(&mut out, &s, sid.as_bytes(), reply.as_deref(), &payload);
        let m = read_msg(&out);
        prop_assert_eq!(m, (s, sid.into_bytes(), reply, None, payload, out.len()));
    }

    /// HMSG frames written by encode_hmsg read back too.
    #[test]
    fn encode_hmsg_round_trip(s in token(), sid in "[0-9]{1,6}", reply in prop::option::of(token()), hdr in prop::collection::vec(any::<u8>(), 0..50), payload in prop::collection::vec(any::<u8>(), 0..200)) {
        let mut out = Vec::new();
        encode_hmsg(&mut out, &s, sid.as_bytes(), reply.as_deref(), &hdr, &payload);
        let m = read_msg(&out);
        prop_assert_eq!(m, (s, sid.into_bytes(), reply, Some(hdr), payload, out.len()));
    }

    /// A PUB built from a MSG's parts parses to the same parts.
    #[test]
    fn pub_frame_round_trip(s in token(), reply in prop::option::of(token()), payload in prop::collection::vec(any::<u8>(), 0..300)) {
        let mut msg = Vec::new();
        encode_msg(&mut msg, &s, b"1", reply.as_deref(), &payload);
        // "MSG <subject> 1 ..." -> "PUB <subject> ...": same grammar minus the sid.
        let sid_at = 4 + s.len();
        let mut frame = b"PUB".to_vec();
        frame.extend_from_slice(&msg[3..sid_at]);
        frame.extend_from_slice(&msg[sid_at + 2..]);
        let got = parse_all(&frame).unwrap();
        prop_assert_eq!(got, (vec![Op::Pub(s, reply, payload)], frame.len()));
    }
}

type Msg = (
    Vec<u8>,
    Vec<u8>,
    Option<Vec<u8>>,
    Option<Vec<u8>>,
    Vec<u8>,
    usize,
);

/// Test-only reader for `MSG`/`HMSG` frames.
fn read_msg(buf: &[u8]) -> Msg {
    let nl = buf.iter().position(|&b| b == b'\n').unwrap();
    assert_eq!(buf[nl - 1], b'\r');
    let line = std::str::from_utf8(&buf[..nl - 1]).unwrap();
    let mut f: Vec<&str> = line.split(' ').collect();
    let verb = f.remove(0);
    let (hdr, total) = if verb == "HMSG" {
        let t: usize = f.pop().unwrap().parse().unwrap();
        let h: usize = f.pop().unwrap().parse().unwrap();
        (Some(h), t)
    } else {
        assert_eq!(verb, "MSG");
        (None, f.pop().unwrap().parse().unwrap())
    };
    let reply = (f.len() == 3).then(|| f[2].as_bytes().to_vec());
    let body = &buf[nl + 1..nl + 1 + total];
    assert_eq!(&buf[nl + 1 + total..], b"\r\n");
    let (h, p) = body.split_at(hdr.unwrap_or(0));
    (
        f[0].as_bytes().to_vec(),
        f[1].as_bytes().to_vec(),
        reply,
        hdr.map(|_| h.to_vec()),
        p.to_vec(),
        nl + 3 + total,
    )
}

mod route {
    use natrium_proto::{encode_rmsg, parse_route_op, RouteOp, RouteParsed, RoutedMsg};
    use proptest::prelude::*;

    fn token() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(prop::sample::select(b"abcXYZ09.*>_$".to_vec()), 1..8)
    }

    proptest! {
        /// Arbitrary bytes never panic the route parser, and a consume loop always makes
        /// progress within the buffer; no op is recognised one byte early.
        #[test]
        fn arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..600), small in any::<bool>()) {
            let (max_line, max_payload) = if small { (16, 32) } else { (4096, 1 << 20) };
            let mut rest = &data[..];
            while let Ok(RouteParsed::Op(_, n)) = parse_route_op(rest, max_line, max_payload) {
                prop_assert!(n > 0 && n <= rest.len());
                let early = parse_route_op(&rest[..n - 1], max_line, max_payload);
                prop_assert!(!matches!(early, Ok(RouteParsed::Op(..))));
                rest = &rest[n..];
            }
        }

        /// What `encode_rmsg` writes parses back to the same message, also when fed in
        /// two pieces.
        #[test]
        fn rmsg_round_trip(
            subject in token(),
            reply in proptest::option::of(token()),
            queues in proptest::collection::vec(token(), 0..4),
            headers in proptest::option::of(Just(b"NATS/1.0\r\nK: v\r\n\r\n".to_vec())),
            payload in proptest::collection::vec(any::<u8>(), 0..64),
            cut in any::<prop::sample::Index>(),
        ) {
            let msg = RoutedMsg {
                account: b"$G",
                subject: &subject,
                reply: reply.as_deref(),
                queues: b"",
                headers: headers.as_deref(),
                payload: &payload,
            };
            let names: Vec<&[u8]> = queues.iter().map(Vec::as_slice).collect();
            let mut out = Vec::new();
            encode_rmsg(&mut out, b"$G", &msg, &names);
            let at = cut.index(out.len());
            prop_assert!(matches!(parse_route_op(&out[..at], 4096, 1 << 20), Ok(RouteParsed::Incomplete(_))));
            let Ok(RouteParsed::Op(RouteOp::Msg(back), n)) = parse_route_op(&out, 4096, 1 << 20) else {
                return Err(TestCaseError::fail("not parsed back"));
            };
            prop_assert_eq!(n, out.len());
            prop_assert_eq!(back.subject, &subject[..]);
            prop_assert_eq!(back.reply, reply.as_deref());
            prop_assert_eq!(back.queues().collect::<Vec<_>>(), names);
            prop_assert_eq!(back.headers, headers.as_deref());
            prop_assert_eq!(back.payload, &payload[..]);
        }
    }
}
