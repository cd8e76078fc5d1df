//! Parser and encoder throughput. Run with `cargo bench -p natrium-proto`.
#![allow(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use natrium_proto::{encode_hmsg, encode_msg, parse_client_op, Limits, Parsed};

fn frame(payload_len: usize) -> Vec<u8> {
    let mut f = format!("PUB foo.bar.baz _INBOX.abcdef {payload_len}\r\n").into_bytes();
    f.extend(std::iter::repeat_n(b'x', payload_len));
    f.extend_from_slice(b"\r\n");
    f
}

fn bench_parse(c: &mut Criterion) {
    let limits = Limits::default();
    let mut g = c.benchmark_group("parse");
    let hpub =
        b"HPUB foo.bar _INBOX.a 30 35\r\nNATS/1.0\r\nX-Id: 1234567890\r\n\r\nhello\r\n".to_vec();
    let cases = [
        ("pub_16B", frame(16)),
        ("pub_128B", frame(128)),
        ("hpub", hpub),
        ("sub", b"SUB foo.bar.* workers 42\r\n".to_vec()),
        ("ping", b"PING\r\n".to_vec()),
    ];
    for (name, buf) in cases {
        assert!(matches!(parse_client_op(&buf, &limits), Ok(Parsed::Op(_, n)) if n == buf.len()));
        g.throughput(Throughput::Bytes(buf.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| parse_client_op(black_box(&buf), &limits))
        });
    }
    g.finish();
}

fn bench_encode(c: &mut Criterion) {
    let mut g = c.benchmark_group("encode");
    let payload = [b'x'; 128];
    let mut out = Vec::with_capacity(1024);
    g.bench_function("msg_128B", |b| {
        b.iter(|| {
            out.clear();
            encode_msg(
                &mut out,
                black_box(b"foo.bar.baz"),
                b"42",
                Some(b"_INBOX.abcdef"),
                &payload,
            );
            black_box(out.len())
        })
    });
    g.bench_function("hmsg_128B", |b| {
        b.iter(|| {
            out.clear();
            encode_hmsg(
                &mut out,
                black_box(b"foo.bar.baz"),
                b"42",
                None,
                b"NATS/1.0\r\nX: y\r\n\r\n",
                &payload,
            );
            black_box(out.len())
        })
    });
    g.finish();
}

criterion_group!(benches, bench_parse, bench_encode);
criterion_main!(benches);
