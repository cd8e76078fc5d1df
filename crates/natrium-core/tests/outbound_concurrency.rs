//! Many publishers appending to one outbound buffer while a writer drains it: nothing
//! lost, nothing duplicated, each publisher's frames in its own order.

use std::sync::Arc;
use std::thread;

use bytes::BufMut;
use natrium_core::Outbound;

#[test]
fn concurrent_appends_are_all_delivered_in_per_publisher_order() {
    const PUBLISHERS: u8 = 4;
    const FRAMES: u32 = 20_000;
    let out = Arc::new(Outbound::new(usize::MAX));
    let publishers: Vec<_> = (0..PUBLISHERS)
        .map(|p| {
            let out = Arc::clone(&out);
            thread::spawn(move || {
                for i in 0..FRAMES {
                    out.append_msg(5, 5, |b| {
                        b.put_u8(p);
                        b.put_u32(i);
                    });
                }
            })
        })
        .collect();
    let writer = {
        let out = Arc::clone(&out);
        thread::spawn(move || {
            let mut received = Vec::new();
            let mut chunks = Vec::new();
            while received.len() < usize::from(PUBLISHERS) * FRAMES as usize * 5 {
                out.take(&mut chunks);
                for chunk in &chunks {
                    received.extend_from_slice(chunk);
                }
                out.recycle(&mut chunks);
                thread::yield_now();
            }
            received
        })
    };
    for p in publishers {
        p.join().unwrap();
    }
    let received = writer.join().unwrap();
    let mut next = vec![0u32; usize::from(PUBLISHERS)];
    for frame in received.chunks_exact(5) {
        let p = usize::from(frame[0]);
        let i = u32::from_be_bytes(frame[1..5].try_into().unwrap());
        assert_eq!(i, next[p], "publisher {p} out of order");
        next[p] += 1;
    }
    assert!(next.iter().all(|&n| n == FRAMES));
    assert_eq!(out.out_msgs(), u64::from(PUBLISHERS) * u64::from(FRAMES));
}
