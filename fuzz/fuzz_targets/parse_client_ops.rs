//! Feeds arbitrary bytes through `parse_client_op`, consuming ops as a
//! reader would, and checks the parser's promises on every step: no panic,
//! progress (consumed > 0, within the buffer), `needed` beyond what is
//! buffered, and a complete op is never recognised one byte early.
#![no_main]

use libfuzzer_sys::fuzz_target;
use natrium_proto::{parse_client_op, Limits, Parsed};

fuzz_target!(|data: &[u8]| {
    // First byte picks small limits sometimes, to reach the limit paths.
    let limits = match data.first() {
        Some(b) if b & 1 == 1 => Limits {
            max_control_line: usize::from(*b >> 1),
            max_payload: usize::from(*b),
        },
        _ => Limits::default(),
    };
    let mut rest = data;
    loop {
        let whole = parse_client_op(rest, &limits);
        match whole {
            Ok(Parsed::Op(_, n)) => {
                assert!(n > 0 && n <= rest.len());
                // One byte short of a complete op must not be an op already.
                if let Ok(Parsed::Op(_, m)) = parse_client_op(&rest[..n - 1], &limits) {
                    panic!("prefix of {n} bytes parsed as an op of {m} bytes");
                }
                rest = &rest[n..];
            }
            Ok(Parsed::Incomplete { needed }) => {
                if let Some(k) = needed {
                    assert!(k > rest.len());
                }
                break;
            }
            Err(e) => {
                let _ = (e.client_text(), e.closes_connection());
                break;
            }
        }
    }
});
