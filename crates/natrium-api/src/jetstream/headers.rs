//! Header names JetStream reads and writes (nats-server's `server/stream.go`,
//! `server/consumer.go`, `server/jetstream_api.go`).

/// Direct get / republish: the stream.
pub const NATS_STREAM: &str = "Nats-Stream";
/// Direct get / republish: the original subject.
pub const NATS_SUBJECT: &str = "Nats-Subject";
/// Direct get / republish: the sequence.
pub const NATS_SEQUENCE: &str = "Nats-Sequence";
/// Direct get / republish: the store time (RFC 3339 with nanoseconds).
pub const NATS_TIME_STAMP: &str = "Nats-Time-Stamp";
/// Batched direct get: messages still to come.
pub const NATS_NUM_PENDING: &str = "Nats-Num-Pending";
/// Republish / batched direct get: the previous sequence (0 for the first).
pub const NATS_LAST_SEQUENCE: &str = "Nats-Last-Sequence";
/// Batched direct get: the `up_to_seq` in force.
pub const NATS_UP_TO_SEQUENCE: &str = "Nats-UpTo-Sequence";
/// Headers-only delivery: size of the omitted payload.
pub const NATS_MSG_SIZE: &str = "Nats-Msg-Size";

/// Publish: de-duplication id.
pub const NATS_MSG_ID: &str = "Nats-Msg-Id";
/// Publish: expected stream name.
pub const NATS_EXPECTED_STREAM: &str = "Nats-Expected-Stream";
/// Publish: expected last stream sequence.
pub const NATS_EXPECTED_LAST_SEQUENCE: &str = "Nats-Expected-Last-Sequence";
/// Publish: expected last sequence of the subject.
pub const NATS_EXPECTED_LAST_SUBJECT_SEQUENCE: &str = "Nats-Expected-Last-Subject-Sequence";
/// Publish: subject the expected last subject sequence applies to.
pub const NATS_EXPECTED_LAST_SUBJECT_SEQUENCE_SUBJECT: &str =
    "Nats-Expected-Last-Subject-Sequence-Subject";
/// Publish: expected last `Nats-Msg-Id`.
pub const NATS_EXPECTED_LAST_MSG_ID: &str = "Nats-Expected-Last-Msg-Id";
/// Publish: rollup (`sub` or `all`).
pub const NATS_ROLLUP: &str = "Nats-Rollup";
/// Publish: per-message TTL.
pub const NATS_TTL: &str = "Nats-TTL";
/// Publish: counter increment.
pub const NATS_INCR: &str = "Nats-Incr";
/// Sourced messages: origin stream and sequence.
pub const NATS_STREAM_SOURCE: &str = "Nats-Stream-Source";
/// Delete markers: why the message was removed.
pub const NATS_MARKER_REASON: &str = "Nats-Marker-Reason";
/// Batch publish: batch id.
pub const NATS_BATCH_ID: &str = "Nats-Batch-Id";
/// Batch publish: position in the batch.
pub const NATS_BATCH_SEQUENCE: &str = "Nats-Batch-Sequence";
/// Batch publish: commit marker.
pub const NATS_BATCH_COMMIT: &str = "Nats-Batch-Commit";
/// Message schedules: the schedule.
pub const NATS_SCHEDULE: &str = "Nats-Schedule";

/// Heartbeats: last consumer sequence delivered.
pub const NATS_LAST_CONSUMER: &str = "Nats-Last-Consumer";
/// Heartbeats: last stream sequence delivered.
pub const NATS_LAST_STREAM: &str = "Nats-Last-Stream";
/// Flow control: the subject a stalled consumer waits on.
pub const NATS_CONSUMER_STALLED: &str = "Nats-Consumer-Stalled";
/// Pull status: messages left in the request.
pub const NATS_PENDING_MESSAGES: &str = "Nats-Pending-Messages";
/// Pull status: bytes left in the request.
pub const NATS_PENDING_BYTES: &str = "Nats-Pending-Bytes";
/// Pinned consumers: the pin id.
pub const NATS_PIN_ID: &str = "Nats-Pin-Id";

/// API requests: minimum API level the server must implement.
pub const NATS_REQUIRED_API_LEVEL: &str = "Nats-Required-Api-Level";
/// API: stream identity (consumer create/reset).
pub const NATS_STREAM_IDENTITY: &str = "Nats-Stream-Identity";
