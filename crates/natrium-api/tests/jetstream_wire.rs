//! The JetStream types read real nats-server v2.15.1 replies (captured into
//! `fixtures/jetstream/` by `tools/capture_jetstream_fixtures.py`) and write them back
//! exactly: same members, same values, nothing added or dropped.

use natrium_api::jetstream::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// Parses the fixture as `T`, writes it back and requires the identical JSON document.
fn exact<T: DeserializeOwned + Serialize>(name: &str, fixture: &str) -> T {
    let theirs: Value = serde_json::from_str(fixture).unwrap();
    let typed: T = serde_json::from_str(fixture).unwrap_or_else(|e| panic!("{name}: {e}"));
    let ours = serde_json::to_value(&typed).unwrap();
    assert_eq!(
        ours,
        theirs,
        "{name}: ours\n{}\ntheirs\n{}",
        serde_json::to_string_pretty(&ours).unwrap(),
        serde_json::to_string_pretty(&theirs).unwrap()
    );
    typed
}

macro_rules! fixture {
    ($ty:ty, $name:literal) => {
        exact::<$ty>(
            $name,
            include_str!(concat!("fixtures/jetstream/", $name, ".json")),
        )
    };
}

#[test]
fn account_info() {
    let r = fixture!(AccountInfoResponse, "account_info");
    assert_eq!(r.kind, AccountInfoResponse::TYPE);
    let info = r.info.unwrap();
    assert_eq!(info.totals.limits.max_streams, -1);
    assert_eq!(info.api.level, 5);
}

#[test]
fn stream_create_and_update() {
    let r = fixture!(StreamCreateResponse, "stream_create_orders");
    assert_eq!(r.kind, StreamCreateResponse::TYPE);
    assert!(r.did_create);
    let info = r.info.unwrap();
    let c = &info.config;
    assert_eq!(c.max_age, 3_600_000_000_000);
    assert_eq!(c.discard, DiscardPolicy::New);
    assert_eq!(c.compression, StoreCompression::S2);
    assert_eq!(c.republish.as_ref().unwrap().dest, "repub.orders.>");
    assert_eq!(c.consumer_limits.max_ack_pending, 500);
    assert_eq!(c.metadata.get("owner").map(String::as_str), Some("natrium"));
    assert_eq!(info.state.first_ts, ZERO_TIME);
    assert!(c.unknown_field().is_none());

    let wq = fixture!(StreamCreateResponse, "stream_create_wq")
        .info
        .unwrap();
    assert_eq!(wq.config.retention, RetentionPolicy::WorkQueue);
    assert_eq!(wq.config.storage, StorageType::Memory);
    assert!(wq.config.allow_atomic && wq.config.allow_msg_schedules);
    assert_eq!(
        wq.config.subject_transform.as_ref().unwrap().dest,
        "wq.t.{{wildcard(1)}}"
    );
    let a = fixture!(StreamCreateResponse, "stream_create_async")
        .info
        .unwrap();
    assert_eq!(a.config.persist_mode, PersistMode::Async);
    assert_eq!(a.config.retention, RetentionPolicy::Interest);
    let cnt = fixture!(StreamCreateResponse, "stream_create_counter");
    assert!(cnt.info.unwrap().config.allow_msg_counter);
    let src = fixture!(StreamCreateResponse, "stream_create_sourced")
        .info
        .unwrap();
    assert_eq!(src.config.sources.len(), 2);
    assert_eq!(
        src.config.sources[1].opt_start_time.as_deref(),
        Some("2024-01-02T03:04:05.123456789Z")
    );
    let mir = fixture!(StreamCreateResponse, "stream_create_mirror")
        .info
        .unwrap();
    let ext = mir.config.mirror.unwrap().external.unwrap();
    assert_eq!(
        (ext.api.as_str(), ext.deliver.as_str()),
        ("$JS.hub.API", "mir.deliver")
    );

    let u = fixture!(StreamUpdateResponse, "stream_update_orders");
    assert_eq!(u.kind, StreamUpdateResponse::TYPE);
    assert_eq!(u.info.unwrap().config.description, "updated");
}

#[test]
fn stream_info() {
    let r = fixture!(StreamInfoResponse, "stream_info");
    assert_eq!(r.paged, ApiPaged::default());
    let d = fixture!(StreamInfoResponse, "stream_info_details")
        .info
        .unwrap();
    assert_eq!(d.state.deleted, vec![6]);
    assert_eq!(d.state.num_deleted, 1);
    assert!(!d.state.subjects.is_empty());
    let s = fixture!(StreamInfoResponse, "stream_info_sourced")
        .info
        .unwrap();
    assert_eq!(s.sources.len(), 2);
    assert!(s.sources.iter().any(|x| x.error.is_some()));
    assert!(s.sources.iter().any(|x| x.seq > 0));
    let m = fixture!(StreamInfoResponse, "stream_info_mirror")
        .info
        .unwrap();
    assert_eq!(m.mirror.unwrap().active, -1);
    assert!(!m.cluster.unwrap().leader.is_empty());
}

#[test]
fn stream_lists() {
    let n = fixture!(StreamNamesResponse, "stream_names");
    assert_eq!(n.paged.limit, 1024);
    assert_eq!(
        n.streams.as_ref().map(Vec::len),
        Some(n.paged.total as usize)
    );
    let f = fixture!(StreamNamesResponse, "stream_names_filtered");
    assert_eq!(f.streams, Some(vec!["ORDERS".to_string()]));
    let l = fixture!(StreamListResponse, "stream_list");
    assert_eq!(l.streams.len(), l.paged.total as usize);
    assert_eq!(l.paged.limit, 256);
}

#[test]
fn stream_messages() {
    let g = fixture!(MsgGetResponse, "stream_msg_get");
    let m = g.message.unwrap();
    assert_eq!(m.seq, 5);
    assert_eq!(m.data, "b3JkZXIgMA==");
    assert!(!m.hdrs.is_empty());
    fixture!(MsgGetResponse, "stream_msg_get_last");
    let d = fixture!(SuccessResponse, "stream_msg_delete");
    assert_eq!(d.kind, SuccessResponse::MSG_DELETE);
    assert_eq!(d, SuccessResponse::ok(SuccessResponse::MSG_DELETE));
    let p = fixture!(StreamPurgeResponse, "stream_purge");
    assert!(p.success);
    assert_eq!(p.purged, 1);
    fixture!(StreamPurgeResponse, "stream_purge_all");
    let del = fixture!(SuccessResponse, "stream_delete");
    assert_eq!(del, SuccessResponse::ok(SuccessResponse::STREAM_DELETE));
}

#[test]
fn pub_acks() {
    let a = fixture!(PubAckResponse, "pub_ack");
    assert!(a.error.is_none());
    assert_eq!(a.ack.unwrap().stream, "ORDERS");
    assert!(
        fixture!(PubAckResponse, "pub_ack_duplicate")
            .ack
            .unwrap()
            .duplicate
    );
    assert_eq!(
        fixture!(PubAckResponse, "pub_ack_counter").ack.unwrap().val,
        "5"
    );
    let e = fixture!(PubAckResponse, "pub_ack_err_wrong_last_seq");
    assert_eq!(e.error, Some(ApiError::stream_wrong_last_sequence(10)));
    assert_eq!(e.ack.unwrap().seq, 0);
    let bare: PubAckResponse =
        serde_json::from_value(json!({"error": ApiError::stream_not_found()})).unwrap();
    assert!(bare.ack.is_none());
}

#[test]
fn direct_get_headers() {
    let v: Value =
        serde_json::from_str(include_str!("fixtures/jetstream/direct_get_headers.json")).unwrap();
    let h = v["headers"].as_object().unwrap();
    for name in [NATS_STREAM, NATS_SUBJECT, NATS_SEQUENCE, NATS_TIME_STAMP] {
        assert!(h.contains_key(name), "{name}");
    }
    assert_eq!(h[NATS_SEQUENCE], "5");
}

#[test]
fn consumers() {
    let p = fixture!(ConsumerCreateResponse, "consumer_create_pull");
    assert_eq!(p.kind, ConsumerCreateResponse::TYPE);
    let c = p.info.unwrap().config.unwrap();
    assert_eq!(c.priority_policy, PriorityPolicy::PinnedClient);
    assert_eq!(c.backoff, vec![1_000_000_000, 5_000_000_000]);
    assert_eq!(c.filter_subjects.len(), 2);
    let push = fixture!(ConsumerCreateResponse, "consumer_create_push")
        .info
        .unwrap();
    let pc = push.config.unwrap();
    assert_eq!(pc.deliver_policy, DeliverPolicy::ByStartTime);
    assert_eq!(pc.ack_policy, AckPolicy::All);
    assert_eq!(pc.replay_policy, ReplayPolicy::Original);
    assert!(pc.flow_control && pc.headers_only);
    let seq = fixture!(ConsumerCreateResponse, "consumer_create_durable_legacy");
    assert_eq!(
        seq.info.unwrap().config.unwrap().deliver_policy,
        DeliverPolicy::ByStartSequence
    );
    let eph = fixture!(ConsumerCreateResponse, "consumer_create_ephemeral");
    assert_eq!(
        eph.info.unwrap().config.unwrap().deliver_policy,
        DeliverPolicy::LastPerSubject
    );

    fixture!(ConsumerInfoResponse, "consumer_info");
    let paused = fixture!(ConsumerInfoResponse, "consumer_info_paused")
        .info
        .unwrap();
    assert!(paused.paused && paused.pause_remaining > 0);
    let pinned = fixture!(ConsumerInfoResponse, "consumer_info_pinned")
        .info
        .unwrap();
    assert!(!pinned.priority_groups[0].pinned_client_id.is_empty());
    assert!(pinned.delivered.last_active.is_some());

    let n = fixture!(ConsumerNamesResponse, "consumer_names");
    assert_eq!(n.consumers.len(), 4);
    let l = fixture!(ConsumerListResponse, "consumer_list");
    assert_eq!(l.consumers.len(), 4);

    let pause = fixture!(ConsumerPauseResponse, "consumer_pause");
    assert!(pause.paused);
    let resume = fixture!(ConsumerPauseResponse, "consumer_resume");
    assert_eq!(resume.pause_until, ZERO_TIME);
    let unpin = fixture!(ApiResponse, "consumer_unpin");
    assert_eq!(unpin, ApiResponse::ok(ConsumerUnpinResponse::TYPE));
    let d = fixture!(SuccessResponse, "consumer_delete");
    assert_eq!(d, SuccessResponse::ok(SuccessResponse::CONSUMER_DELETE));
}

#[test]
fn advisories() {
    let a = fixture!(StreamActionAdvisory, "advisory_stream_action_create");
    assert_eq!(
        (a.kind.as_str(), a.action),
        (StreamActionAdvisory::TYPE, ActionAdvisoryType::Create)
    );
    let a = fixture!(StreamActionAdvisory, "advisory_stream_action_modify");
    assert_eq!(a.action, ActionAdvisoryType::Modify);
    let a = fixture!(StreamActionAdvisory, "advisory_stream_action_delete");
    assert_eq!(a.action, ActionAdvisoryType::Delete);
    let c = fixture!(ConsumerActionAdvisory, "advisory_consumer_action_create");
    assert_eq!(c.kind, ConsumerActionAdvisory::TYPE);
    fixture!(ConsumerActionAdvisory, "advisory_consumer_action_delete");
    let m = fixture!(ConsumerDeliveryExceededAdvisory, "advisory_max_deliver");
    assert_eq!(
        (m.kind.as_str(), m.deliveries),
        (ConsumerDeliveryExceededAdvisory::TYPE, 1)
    );
    let t = fixture!(ConsumerDeliveryTerminatedAdvisory, "advisory_terminated");
    assert_eq!(t.reason, "not wanted");
    assert_eq!(t.kind, ConsumerDeliveryTerminatedAdvisory::TYPE);
    let p = fixture!(ConsumerPauseAdvisory, "advisory_consumer_pause");
    assert_eq!(p.kind, ConsumerPauseAdvisory::TYPE);
    let g = fixture!(
        ConsumerGroupPinnedAdvisory,
        "advisory_consumer_group_pinned"
    );
    assert_eq!(g.kind, ConsumerGroupPinnedAdvisory::TYPE);
    let u = fixture!(
        ConsumerGroupUnpinnedAdvisory,
        "advisory_consumer_group_unpinned"
    );
    assert_eq!(
        (u.kind.as_str(), u.reason.as_str()),
        (ConsumerGroupUnpinnedAdvisory::TYPE, "admin")
    );
    let audit = fixture!(ApiAuditAdvisory, "advisory_api_audit");
    assert_eq!(audit.kind, ApiAuditAdvisory::TYPE);
    let inner: AccountInfoResponse = serde_json::from_str(&audit.response).unwrap();
    assert_eq!(inner.kind, AccountInfoResponse::TYPE);
}

/// Every error reply reads back, and our table's constructor writes the same `error`.
#[test]
fn error_replies_match_constructors() {
    fn check<T: DeserializeOwned + Serialize>(
        name: &str,
        fixture: &str,
        expected: ApiError,
        kind: &str,
    ) {
        exact::<T>(name, fixture);
        let v: Value = serde_json::from_str(fixture).unwrap();
        assert_eq!(v["type"], kind, "{name}");
        let theirs: ApiError = serde_json::from_value(v["error"].clone()).unwrap();
        assert_eq!(theirs, expected, "{name}");
    }
    macro_rules! err_fixture {
        ($ty:ty, $name:literal, $expected:expr) => {
            check::<$ty>(
                $name,
                include_str!(concat!("fixtures/jetstream/", $name, ".json")),
                $expected,
                <$ty>::TYPE,
            )
        };
    }
    err_fixture!(
        StreamInfoResponse,
        "err_stream_info_not_found",
        ApiError::stream_not_found()
    );
    err_fixture!(
        StreamCreateResponse,
        "err_stream_create_unknown_field",
        ApiError::invalid_json("json: unknown field \"unknown_field\"")
    );
    err_fixture!(
        StreamCreateResponse,
        "err_stream_create_invalid_json",
        ApiError::invalid_json(
            "invalid character 'n' looking for beginning of object key string at offset 2"
        )
    );
    err_fixture!(
        StreamCreateResponse,
        "err_stream_create_exists",
        ApiError::stream_name_exist()
    );
    err_fixture!(
        StreamCreateResponse,
        "err_stream_create_name_mismatch",
        ApiError::stream_mismatch()
    );
    err_fixture!(
        StreamCreateResponse,
        "err_stream_create_overlap",
        ApiError::stream_subject_overlap()
    );
    err_fixture!(
        MsgGetResponse,
        "err_stream_msg_get_not_found",
        ApiError::no_message_found()
    );
    err_fixture!(
        ConsumerCreateResponse,
        "err_consumer_create_exists",
        ApiError::consumer_already_exists()
    );
    err_fixture!(
        ConsumerCreateResponse,
        "err_consumer_create_stream_not_found",
        ApiError::stream_not_found()
    );
    err_fixture!(
        ConsumerCreateResponse,
        "err_consumer_create_unknown_field",
        ApiError::invalid_json("json: unknown field \"bogus\"")
    );
    err_fixture!(
        ConsumerInfoResponse,
        "err_consumer_info_not_found",
        ApiError::consumer_not_found()
    );

    let success = [
        (
            "err_stream_delete_not_found",
            include_str!("fixtures/jetstream/err_stream_delete_not_found.json"),
            ApiError::stream_not_found(),
            SuccessResponse::STREAM_DELETE,
        ),
        (
            "err_stream_msg_delete_missing",
            include_str!("fixtures/jetstream/err_stream_msg_delete_missing.json"),
            ApiError::sequence_not_found(6),
            SuccessResponse::MSG_DELETE,
        ),
        (
            "err_consumer_delete_not_found",
            include_str!("fixtures/jetstream/err_consumer_delete_not_found.json"),
            ApiError::consumer_not_found(),
            SuccessResponse::CONSUMER_DELETE,
        ),
    ];
    for (name, fixture, expected, kind) in success {
        check::<SuccessResponse>(name, fixture, expected.clone(), kind);
        let ours = serde_json::to_value(SuccessResponse::err(kind, expected)).unwrap();
        assert_eq!(
            ours,
            serde_json::from_str::<Value>(fixture).unwrap(),
            "{name}"
        );
    }
    let unpin = include_str!("fixtures/jetstream/err_consumer_unpin_bad_group.json");
    check::<ApiResponse>(
        "err_consumer_unpin_bad_group",
        unpin,
        ApiError::new(ApiErrorCode::ConsumerInvalidPriorityGroup),
        ConsumerUnpinResponse::TYPE,
    );

    // Error replies built by our constructors are the documents nats-server writes.
    let ours = serde_json::to_value(StreamInfoResponse::err(ApiError::stream_not_found())).unwrap();
    let theirs: Value = serde_json::from_str(include_str!(
        "fixtures/jetstream/err_stream_info_not_found.json"
    ))
    .unwrap();
    assert_eq!(ours, theirs);
    let ours = serde_json::to_value(ConsumerCreateResponse::err(
        ApiError::consumer_already_exists(),
    ))
    .unwrap();
    let theirs: Value = serde_json::from_str(include_str!(
        "fixtures/jetstream/err_consumer_create_exists.json"
    ))
    .unwrap();
    assert_eq!(ours, theirs);
}
