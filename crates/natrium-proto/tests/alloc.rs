//! Proves that parsing and encoding per-message operations never allocate.
//! Runs in its own test binary so the counting allocator sees only this.
// The only unsafe code in the crate: a GlobalAlloc must be `unsafe impl`.
#![allow(unsafe_code, clippy::unwrap_used, clippy::indexing_slicing)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use natrium_proto::{encode_err, encode_hmsg, encode_msg, parse_client_op, Limits, Parsed};

struct Counting;

thread_local! {
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards every call unchanged to the system allocator; it only
// counts calls on the current thread (so the harness's threads do not count).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCS.try_with(|n| n.set(n.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCS.try_with(|n| n.set(n.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_in(f: impl FnOnce()) -> usize {
    let before = ALLOCS.with(Cell::get);
    f();
    ALLOCS.with(Cell::get) - before
}

#[test]
fn parse_allocates_nothing() {
    let limits = Limits::default();
    let inputs: [&[u8]; 12] = [
        b"PUB foo.bar 16\r\n0123456789abcdef\r\n",
        b"PUB foo.bar _INBOX.abc 5\r\nhello\r\n",
        b"HPUB foo r 22 27\r\nNATS/1.0\r\nA: b\r\n\r\n\r\nhello\r\n",
        b"SUB foo.* 1\r\n",
        b"SUB foo.* q 1\r\n",
        b"UNSUB 1 10\r\n",
        b"PING\r\n",
        b"PONG\r\n",
        b"+OK\r\n",
        b"CONNECT {\"verbose\":false}\r\n",
        b"PUB foo 100\r\npartial",
        b"XYZ\r\n",
    ];
    let mut consumed = 0;
    let n = allocations_in(|| {
        for buf in inputs {
            match parse_client_op(buf, &limits) {
                Ok(Parsed::Op(_, n)) => consumed += n,
                Ok(Parsed::Incomplete { needed }) => consumed += needed.unwrap_or(0),
                Err(e) => consumed += e.client_text().len(),
            }
        }
    });
    assert!(consumed > 0);
    assert_eq!(n, 0, "parse allocated {n} times");
}

#[test]
fn encode_into_preallocated_buffer_allocates_nothing() {
    let mut out = Vec::with_capacity(4096);
    let n = allocations_in(|| {
        encode_msg(&mut out, b"foo.bar", b"1", Some(b"_INBOX.x"), b"hello");
        encode_hmsg(&mut out, b"foo", b"22", None, b"NATS/1.0\r\n\r\n", b"hi");
        encode_err(&mut out, "Unknown Protocol Operation");
    });
    assert!(!out.is_empty());
    assert_eq!(n, 0, "encode allocated {n} times");
}

#[test]
fn the_counter_works() {
    let n = allocations_in(|| {
        let v: Vec<u8> = Vec::with_capacity(10);
        std::hint::black_box(v);
    });
    assert_eq!(n, 1);
}
