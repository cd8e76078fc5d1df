//! A fixed workload for `scripts/callgrind.sh`: parses or encodes one frame `N` times.
//!
//! Instruction counts under callgrind are repeatable on a busy machine where wall-clock
//! timings are not; the script runs this twice with different `N` and divides the
//! difference, so start-up cost cancels out.
//!
//! Usage: `callgrind_proto <pub_16B|pub_128B|hpub|sub|ping|encode_msg_128B> <N>`

use std::hint::black_box;
use std::process::ExitCode;

use natrium_proto::{encode_msg, parse_client_op, Limits, Parsed};

fn pub_frame(payload_len: usize) -> Vec<u8> {
    let mut f = format!("PUB foo.bar.baz _INBOX.abcdef {payload_len}\r\n").into_bytes();
    f.extend(std::iter::repeat_n(b'x', payload_len));
    f.extend_from_slice(b"\r\n");
    f
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(case), Some(Ok(n))) = (args.get(1), args.get(2).map(|n| n.parse::<u64>())) else {
        eprintln!("usage: callgrind_proto <case> <iterations>");
        return ExitCode::FAILURE;
    };
    let frame = match case.as_str() {
        "pub_16B" => pub_frame(16),
        "pub_128B" => pub_frame(128),
        "hpub" => {
            b"HPUB foo.bar _INBOX.a 30 35\r\nNATS/1.0\r\nX-Id: 1234567890\r\n\r\nhello\r\n".to_vec()
        }
        "sub" => b"SUB foo.bar.* workers 42\r\n".to_vec(),
        "ping" => b"PING\r\n".to_vec(),
        "encode_msg_128B" => {
            let payload = [b'x'; 128];
            let mut out = Vec::with_capacity(1024);
            for _ in 0..n {
                out.clear();
                encode_msg(
                    &mut out,
                    black_box(b"foo.bar.baz"),
                    black_box(b"42"),
                    Some(b"_INBOX.abcdef"),
                    black_box(&payload),
                );
                black_box(out.len());
            }
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("unknown case {case}");
            return ExitCode::FAILURE;
        }
    };
    let limits = Limits::default();
    for _ in 0..n {
        match parse_client_op(black_box(&frame), &limits) {
            Ok(Parsed::Op(op, used)) => {
                black_box((op, used));
            }
            other => {
                eprintln!("frame did not parse whole: {other:?}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
