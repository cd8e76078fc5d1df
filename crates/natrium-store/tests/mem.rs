//! The memory store against the conformance suite and the naive model.

mod common;

use common::model::{check_against_model, initial_limits, op_strategy};
use common::Harness;
use natrium_store::{
    mem_msg_size, ConsumerState, ConsumerStore, MemConsumerStore, MemStore, PendingAck, Store,
    StoreError,
};
use proptest::prelude::*;

fn harness() -> Harness {
    Harness {
        make: Box::new(|l| Box::new(MemStore::new(l)) as Box<dyn Store>),
        size: mem_msg_size,
    }
}

conformance_suite!(harness());

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn matches_model(limits in initial_limits(), ops in prop::collection::vec(op_strategy(), 1..80)) {
        let mut store: Box<dyn Store> = Box::new(MemStore::new(&limits));
        check_against_model(&mut store, &limits, mem_msg_size, &ops, &mut |s, _, _| s);
    }
}

#[test]
fn consumer_state_round_trip() {
    let mut c = MemConsumerStore::new();
    assert_eq!(c.load().unwrap(), None);
    let mut st = ConsumerState::default();
    st.delivered.stream_seq = 9;
    st.pending.insert(
        4,
        PendingAck {
            consumer_seq: 2,
            ts: 77,
        },
    );
    c.save(&st).unwrap();
    assert_eq!(c.load().unwrap(), Some(st));
    c.destroy().unwrap();
    assert!(matches!(c.load(), Err(StoreError::Closed)));
}
