//! Request bodies as clients send them parse leniently (like nats-server), record unknown
//! members for strict mode, and write back in nats-server's shape; the error table is
//! complete and its constructors fill placeholders as nats-server does.

use natrium_api::jetstream::*;
use serde_json::{json, Value};

#[test]
fn stream_config_request_round_trip() {
    let body = json!({
        "name": "ORDERS", "subjects": ["orders.>"], "retention": "limits",
        "max_consumers": -1, "max_msgs": -1, "max_bytes": -1, "max_age": 0,
        "max_msgs_per_subject": -1, "max_msg_size": -1, "discard": "old",
        "storage": "file", "num_replicas": 1, "duplicate_window": 120000000000_i64,
        "compression": "none", "allow_direct": false, "mirror_direct": false,
        "sealed": false, "deny_delete": false, "deny_purge": false,
        "allow_rollup_hdrs": false, "consumer_limits": {}, "allow_msg_ttl": false,
        "pedantic": true
    });
    let req: StreamConfigRequest = serde_json::from_value(body.clone()).unwrap();
    assert!(req.pedantic);
    assert!(req.unknown_field().is_none());
    assert_eq!(serde_json::to_value(&req).unwrap(), body);
}

#[test]
fn lenient_defaults_are_go_zero_values() {
    let c: StreamConfig = serde_json::from_value(json!({"name": "S", "subjects": null})).unwrap();
    assert_eq!(c.storage, StorageType::File);
    assert_eq!(c.retention, RetentionPolicy::Limits);
    assert!(c.subjects.is_empty());
    let d: StreamConfig =
        serde_json::from_value(json!({"discard": "NEW", "persist_mode": ""})).unwrap();
    assert_eq!(d.discard, DiscardPolicy::New);
    assert_eq!(d.persist_mode, PersistMode::Default);
    assert!(serde_json::from_value::<StreamConfig>(json!({"retention": "bogus"})).is_err());
    let cc: ConsumerConfig =
        serde_json::from_value(json!({"deliver_policy": "undefined"})).unwrap();
    assert_eq!(cc.deliver_policy, DeliverPolicy::All);
    assert_eq!(cc.ack_policy, AckPolicy::None);
}

#[test]
fn unknown_fields_are_found_at_any_depth() {
    let top: StreamConfigRequest =
        serde_json::from_value(json!({"name": "S", "bogus": 1})).unwrap();
    assert_eq!(top.unknown_field(), Some("bogus"));
    let nested: StreamConfigRequest = serde_json::from_value(json!({
        "name": "S",
        "sources": [{"name": "A"}, {"name": "B", "external": {"api": "x", "deliver": "", "extra": true}}]
    }))
    .unwrap();
    assert_eq!(nested.unknown_field(), Some("extra"));
    let placement: StreamConfig =
        serde_json::from_value(json!({"placement": {"cluster": "c", "zone": "z"}})).unwrap();
    assert_eq!(placement.unknown_field(), Some("zone"));
    // nats-server 2.15.1 answers `unknown field "template_owner"` in strict mode.
    let legacy: StreamConfig = serde_json::from_value(json!({"template_owner": ""})).unwrap();
    assert_eq!(legacy.unknown_field(), Some("template_owner"));
    // Unknown members are never written back.
    assert_eq!(
        serde_json::to_value(&placement).unwrap()["placement"],
        json!({"cluster": "c"})
    );

    let cc: CreateConsumerRequest = serde_json::from_value(json!({
        "stream_name": "S", "config": {"durable_name": "D", "ack_policy": "explicit", "nope": 1}
    }))
    .unwrap();
    assert_eq!(cc.unknown_field(), Some("nope"));
    let top: CreateConsumerRequest =
        serde_json::from_value(json!({"stream_name": "S", "config": {}, "what": 1})).unwrap();
    assert_eq!(top.unknown_field(), Some("what"));

    let small: MsgGetRequest = serde_json::from_value(json!({"seq": 1, "x": 2})).unwrap();
    assert_eq!(small.unknown_field(), Some("x"));
    let purge: StreamPurgeRequest =
        serde_json::from_value(json!({"filter": "a", "keep": 1})).unwrap();
    assert!(purge.unknown_field().is_none());
    // The error strict mode answers with, exactly as captured from nats-server.
    let e = ApiError::invalid_json(format!("json: unknown field \"{}\"", "bogus"));
    assert_eq!(
        serde_json::to_value(e).unwrap(),
        json!({"code": 400, "err_code": 10025, "description": "invalid JSON: json: unknown field \"bogus\""})
    );
}

#[test]
fn consumer_create_request_shapes() {
    let body = json!({
        "stream_name": "ORDERS", "action": "",
        "config": {"durable_name": "D", "deliver_policy": "all", "ack_policy": "explicit",
                   "replay_policy": "instant", "num_replicas": 0,
                   "pause_until": "2099-01-01T00:00:00Z", "priority_groups": ["g"],
                   "priority_policy": "overflow", "backoff": [1, 2]}
    });
    let req: CreateConsumerRequest = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(req.action, ConsumerAction::CreateOrUpdate);
    assert_eq!(serde_json::to_value(&req).unwrap(), body);
    let create: CreateConsumerRequest =
        serde_json::from_value(json!({"stream_name": "S", "config": {}, "action": "create"}))
            .unwrap();
    assert_eq!(create.action, ConsumerAction::Create);
    // priority_policy none is omitted, as Go's omitempty on the zero value.
    let v = serde_json::to_value(ConsumerConfig::default()).unwrap();
    assert_eq!(
        v,
        json!({"deliver_policy": "all", "ack_policy": "none", "replay_policy": "instant", "num_replicas": 0})
    );
}

#[test]
fn small_requests() {
    let next: NextRequest = serde_json::from_value(json!({
        "batch": 10, "expires": 30000000000_i64, "no_wait": true, "max_bytes": 1024,
        "idle_heartbeat": 5000000000_i64, "group": "g", "min_pending": 5,
        "min_ack_pending": 2, "id": "pin", "priority": 3
    }))
    .unwrap();
    assert_eq!(
        (next.batch, next.priority, next.id.as_str()),
        (10, 3, "pin")
    );
    let get: MsgGetRequest = serde_json::from_value(json!({
        "batch": 5, "multi_last": ["a.>"], "up_to_seq": 9, "up_to_time": "2024-01-01T00:00:00Z",
        "next_by_subj": "a.*", "max_bytes": 10
    }))
    .unwrap();
    assert_eq!(get.multi_last, vec!["a.>"]);
    assert_eq!(
        serde_json::to_value(MsgGetRequest::default()).unwrap(),
        json!({})
    );
    let info: StreamInfoRequest = serde_json::from_value(
        json!({"deleted_details": true, "subjects_filter": ">", "offset": 10}),
    )
    .unwrap();
    assert_eq!(info.offset, 10);
    let del: MsgDeleteRequest =
        serde_json::from_value(json!({"seq": 3, "no_erase": true})).unwrap();
    assert_eq!(
        serde_json::to_value(&del).unwrap(),
        json!({"seq": 3, "no_erase": true})
    );
    let pause: ConsumerPauseRequest =
        serde_json::from_value(json!({"pause_until": ZERO_TIME})).unwrap();
    assert_eq!(pause.pause_until.as_deref(), Some(ZERO_TIME));
    let unpin: ConsumerUnpinRequest = serde_json::from_value(json!({"group": "g"})).unwrap();
    assert_eq!(unpin.group, "g");
    let list: StreamListRequest =
        serde_json::from_value(json!({"subject": "a", "offset": 2})).unwrap();
    assert_eq!((list.offset, list.subject.as_str()), (2, "a"));
}

#[test]
fn error_table_is_complete_and_consistent() {
    assert_eq!(ApiErrorCode::ALL.len(), 226);
    let mut last = 0;
    for kind in ApiErrorCode::ALL {
        assert!(
            kind.err_code() > last,
            "{} not ascending / reused",
            kind.constant()
        );
        last = kind.err_code();
        assert_eq!(ApiErrorCode::from_err_code(kind.err_code()), Some(kind));
        assert!(kind.constant().starts_with("JS"));
        assert!(
            matches!(kind.code(), 400 | 404 | 409 | 412 | 429 | 500 | 503),
            "{}",
            kind.code()
        );
        let e = ApiError::new(kind);
        assert_eq!(e.kind(), Some(kind));
        assert!(e.is(kind));
        for p in kind.placeholders() {
            assert!(kind.template().contains(&format!("{{{p}}}")));
        }
    }
    assert_eq!(ApiErrorCode::from_err_code(1), None);
    assert_eq!(
        ApiErrorCode::StreamNotFound.constant(),
        "JSStreamNotFoundErr"
    );
    assert_eq!(ApiErrorCode::StreamNotFound.err_code(), 10059);
    assert_eq!(ApiErrorCode::StreamNotFound.code(), 404);
}

#[test]
fn constructors_fill_placeholders() {
    let e = ApiError::stream_external_del_prefix_overlaps("a.b", "a.>");
    assert_eq!(
        e.description,
        "stream external delivery prefix a.b overlaps with stream subject a.>"
    );
    assert_eq!((e.code, e.err_code), (400, 10022));
    // One pass: inserted text is not scanned again.
    let e = ApiError::stream_external_api_overlap("{subject}", "x");
    assert_eq!(
        e.description,
        "stream external api prefix {subject} must not overlap with x"
    );
    assert_eq!(
        ApiError::sequence_not_found(6).description,
        "sequence 6 not found"
    );
    assert_eq!(
        ApiError::consumer_inactive_threshold_excess("1m0s").description,
        "consumer inactive threshold exceeds system limit of 1m0s"
    );
    // Unfilled placeholders stay as written; Display is Go's Error().
    let raw = ApiError::new(ApiErrorCode::SequenceNotFound);
    assert_eq!(raw.description, "sequence {seq} not found");
    assert_eq!(
        ApiError::stream_not_found().to_string(),
        "stream not found (10059)"
    );
    // err_code 0 and empty description are omitted, like Go's omitempty.
    let bare = ApiError {
        code: 503,
        ..ApiError::default()
    };
    assert_eq!(serde_json::to_value(bare).unwrap(), json!({"code": 503}));
    let v: Value = serde_json::to_value(ApiError::stream_not_found()).unwrap();
    assert_eq!(
        v,
        json!({"code": 404, "err_code": 10059, "description": "stream not found"})
    );
}
