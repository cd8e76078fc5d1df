//! Feeds arbitrary bytes through `parse_route_op`, consuming ops as a route reader
//! would, and checks the same promises as the client parser's target: no panic,
//! progress within the buffer, `needed` beyond what is buffered, and a complete op is
//! never recognised one byte early.
#![no_main]

use libfuzzer_sys::fuzz_target;
use natrium_proto::{parse_route_op, RouteParsed};

fuzz_target!(|data: &[u8]| {
    // First byte picks small limits sometimes, to reach the limit paths.
    let (max_line, max_payload) = match data.first() {
        Some(b) if b & 1 == 1 => (usize::from(*b >> 1), usize::from(*b)),
        _ => (4096, 1 << 20),
    };
    let mut rest = data;
    loop {
        match parse_route_op(rest, max_line, max_payload) {
            Ok(RouteParsed::Op(op, n)) => {
                assert!(n > 0 && n <= rest.len());
                if let Ok(RouteParsed::Op(_, m)) =
                    parse_route_op(&rest[..n - 1], max_line, max_payload)
                {
                    panic!("prefix of {n} bytes parsed as an op of {m} bytes");
                }
                if let natrium_proto::RouteOp::Msg(m) = op {
                    let _ = m.queues().count();
                }
                rest = &rest[n..];
            }
            Ok(RouteParsed::Incomplete(needed)) => {
                if let Some(k) = needed {
                    assert!(k > rest.len());
                }
                break;
            }
            Err(_) => break,
        }
    }
});
