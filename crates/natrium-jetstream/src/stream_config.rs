//! Checking a stream configuration and filling in nats-server's defaults, before a stream
//! is created or updated.
//!
//! The rules, their order and their error texts follow nats-server's `checkStreamCfg`, so
//! a client sees the same `err_code` and description for the same mistake. Checks that
//! need other streams (subject overlap between streams, source cycles) are made by the
//! caller with [`overlapping_stream`].

use natrium_api::jetstream::{
    ApiError, ApiErrorCode, DiscardPolicy, PersistMode, RetentionPolicy, StorageType, StreamConfig,
    StreamSource,
};
use natrium_subject::{
    is_valid_subject, subject_is_subset, subjects_collide, validate_mapping, SubjectTransform,
};

/// Longest stream (and consumer) name.
pub const MAX_NAME_LEN: usize = 255;
/// Longest description.
pub const MAX_DESCRIPTION_LEN: usize = 4 * 1024;
/// Largest total size of metadata keys and values.
pub const MAX_METADATA_LEN: usize = 128 * 1024;
/// Most replicas nats-server allows in a cluster.
pub const MAX_REPLICAS: i64 = 5;
/// The duplicate window when none is given: two minutes, in nanoseconds.
pub const DEFAULT_DUPLICATE_WINDOW: i64 = 120 * NANOS_PER_SEC;

const NANOS_PER_SEC: i64 = 1_000_000_000;
const MIN_WINDOW: i64 = NANOS_PER_SEC / 10;

/// Whether `name` may name a stream or consumer: non-empty, without whitespace, `.`, `*`,
/// `>`, `\` or `/` (they would break subjects and file paths).
pub fn is_valid_asset_name(name: &str) -> bool {
    !name.is_empty() && !name.contains([' ', '\t', '\r', '\n', '\x0c', '.', '*', '>', '\\', '/'])
}

fn invalid(text: &str) -> ApiError {
    ApiError::stream_invalid_config(text)
}

/// A limit of 0, or anything below -1, means "unlimited" (-1); pedantic requests must say -1.
fn unlimited(value: &mut i64, field: &str, pedantic: bool) -> Result<(), ApiError> {
    if *value == 0 || *value < -1 {
        if pedantic && *value < -1 {
            return Err(ApiError::pedantic(format!("{field} must be set to -1")));
        }
        *value = -1;
    }
    Ok(())
}

/// Checks `config` for a standalone server and returns it with defaults filled in.
/// `pedantic` refuses values nats-server would otherwise correct silently.
pub fn check_stream_config(
    config: &StreamConfig,
    pedantic: bool,
) -> Result<StreamConfig, ApiError> {
    if !is_valid_asset_name(&config.name) {
        return Err(invalid(
            "stream name is required and can not contain '.', '*', '>', '\\', '/'",
        ));
    }
    if config.name.len() > MAX_NAME_LEN {
        return Err(invalid(&format!(
            "stream name is too long, maximum allowed is {MAX_NAME_LEN}"
        )));
    }
    if config.description.len() > MAX_DESCRIPTION_LEN {
        return Err(invalid(&format!(
            "stream description is too long, maximum allowed is {MAX_DESCRIPTION_LEN}"
        )));
    }
    let metadata_len: usize = config.metadata.iter().map(|(k, v)| k.len() + v.len()).sum();
    if metadata_len > MAX_METADATA_LEN {
        return Err(invalid(&format!(
            "stream metadata exceeds maximum size of {MAX_METADATA_LEN} bytes"
        )));
    }

    let mut cfg = config.clone();
    if cfg.num_replicas == 0 {
        cfg.num_replicas = 1;
    }
    if cfg.num_replicas > MAX_REPLICAS {
        return Err(invalid(&format!("maximum replicas is {MAX_REPLICAS}")));
    }
    if cfg.num_replicas < 0 {
        return Err(ApiError::replicas_count_cannot_be_negative());
    }
    unlimited(&mut cfg.max_msgs, "max_msgs", pedantic)?;
    unlimited(
        &mut cfg.max_msgs_per_subject,
        "max_msgs_per_subject",
        pedantic,
    )?;
    unlimited(&mut cfg.max_bytes, "max_bytes", pedantic)?;
    let mut max_msg_size = i64::from(cfg.max_msg_size);
    unlimited(&mut max_msg_size, "max_msg_size", pedantic)?;
    cfg.max_msg_size = i32::try_from(max_msg_size).unwrap_or(-1);
    unlimited(&mut cfg.max_consumers, "max_consumers", pedantic)?;
    if cfg.max_age < 0 {
        return Err(invalid("max age can not be negative"));
    }
    if cfg.max_age != 0 && cfg.max_age < MIN_WINDOW {
        return Err(invalid("max age needs to be >= 100ms"));
    }

    if cfg.duplicate_window == 0 && cfg.mirror.is_none() && cfg.sources.is_empty() {
        if cfg.max_age != 0 && cfg.max_age < DEFAULT_DUPLICATE_WINDOW {
            if pedantic {
                return Err(ApiError::pedantic(
                    "duplicate window cannot be bigger than max age",
                ));
            }
            cfg.duplicate_window = cfg.max_age;
        } else {
            cfg.duplicate_window = DEFAULT_DUPLICATE_WINDOW;
        }
    }
    if cfg.duplicate_window < 0 {
        return Err(invalid("duplicates window can not be negative"));
    }
    if cfg.max_age != 0 && cfg.duplicate_window > cfg.max_age {
        return Err(invalid("duplicates window can not be larger then max age"));
    }
    if cfg.duplicate_window > 0 && cfg.duplicate_window < MIN_WINDOW {
        return Err(invalid("duplicates window needs to be >= 100ms"));
    }

    if cfg.deny_purge && cfg.allow_rollup_hdrs {
        return Err(invalid("roll-ups require the purge permission"));
    }
    if cfg.allow_msg_counter {
        if cfg.discard == DiscardPolicy::New {
            return Err(invalid("counter stream cannot use discard new"));
        }
        if cfg.allow_msg_ttl {
            return Err(invalid("counter stream cannot use message TTLs"));
        }
        if cfg.allow_msg_schedules {
            return Err(invalid("counter stream cannot use message schedules"));
        }
        if cfg.retention != RetentionPolicy::Limits {
            return Err(invalid("counter stream can only use limits retention"));
        }
    }
    if cfg.discard_new_per_subject {
        if cfg.discard != DiscardPolicy::New {
            return Err(invalid(
                "discard new per subject requires discard new policy to be set",
            ));
        }
        if cfg.max_msgs_per_subject <= 0 {
            return Err(invalid(
                "discard new per subject requires max msgs per subject > 0",
            ));
        }
    }
    check_delete_markers(&mut cfg, pedantic)?;
    if cfg.allow_msg_schedules {
        if cfg.discard == DiscardPolicy::New {
            return Err(invalid("message scheduling cannot use discard new"));
        }
        if !cfg.allow_rollup_hdrs {
            if pedantic {
                return Err(invalid(
                    "message scheduling cannot be set if roll-ups are disabled",
                ));
            }
            cfg.allow_rollup_hdrs = true;
            cfg.deny_purge = false;
        }
        // Copied messages would carry schedules that fire twice.
        if cfg.mirror.is_some() {
            return Err(ApiError::mirror_with_msg_schedules());
        }
        if !cfg.sources.is_empty() {
            return Err(ApiError::source_with_msg_schedules());
        }
    }
    if cfg.persist_mode == PersistMode::Async {
        if cfg.storage != StorageType::File {
            return Err(invalid(
                "async persist mode is only supported on file storage",
            ));
        }
        if cfg.num_replicas > 1 {
            return Err(invalid(
                "async persist mode is not supported on replicated streams",
            ));
        }
        if cfg.allow_atomic {
            return Err(invalid(
                "async persist mode is not supported with atomic batch publish",
            ));
        }
    }
    if cfg.mirror.is_some() {
        if cfg.first_seq > 0 {
            return Err(ApiError::mirror_with_first_seq());
        }
        if !cfg.subjects.is_empty() {
            return Err(ApiError::mirror_with_subjects());
        }
        if !cfg.sources.is_empty() {
            return Err(ApiError::mirror_with_sources());
        }
        if cfg.allow_msg_counter {
            return Err(ApiError::mirror_with_counters());
        }
        if cfg.allow_atomic {
            return Err(ApiError::mirror_with_atomic_publish());
        }
        if cfg.allow_batched {
            return Err(ApiError::mirror_with_batch_publish());
        }
    }
    check_subjects(&mut cfg)?;
    if let Some(mirror) = &cfg.mirror {
        check_upstream_transforms(mirror, &MIRROR_TRANSFORM_ERRORS)?;
    }
    for source in &cfg.sources {
        check_upstream_transforms(source, &SOURCE_TRANSFORM_ERRORS)?;
    }
    input_transform(&cfg)?;
    check_republish(&mut cfg, pedantic)?;
    // A standalone server keeps one copy; replication needs clustering.
    if cfg.num_replicas > 1 {
        return Err(ApiError::stream_replicas_not_supported());
    }
    Ok(cfg)
}

/// nats-server's checks of `republish`: an empty source means `>`; `>` to `>` with a
/// `subject_transform` from the only stream subject republishes the transformed
/// subjects; the destination may not overlap the stream's subjects (a loop).
fn check_republish(cfg: &mut StreamConfig, pedantic: bool) -> Result<(), ApiError> {
    let (subjects, transform) = (cfg.subjects.clone(), cfg.subject_transform.clone());
    let Some(rp) = cfg.republish.as_mut() else {
        return Ok(());
    };
    if rp.src.is_empty() {
        if pedantic {
            return Err(ApiError::pedantic("republish source can not be empty"));
        }
        rp.src = ">".to_owned();
    }
    if let Some(t) = transform.filter(|t| {
        rp.dest == ">" && rp.src == ">" && subjects.len() == 1 && subjects.first() == Some(&t.src)
    }) {
        if pedantic {
            return Err(ApiError::pedantic(
                "implicit republish based on subject transform",
            ));
        }
        rp.src.clone_from(&t.dest);
        rp.dest = t.dest;
    }
    if subjects
        .iter()
        .any(|s| subjects_collide(rp.dest.as_bytes(), s.as_bytes()))
    {
        return Err(invalid(
            "stream configuration for republish destination forms a cycle",
        ));
    }
    republish_transform(cfg).map(|_| ())
}

/// The compiled `republish` transform, if the stream has one.
pub fn republish_transform(cfg: &StreamConfig) -> Result<Option<SubjectTransform>, ApiError> {
    let Some(rp) = &cfg.republish else {
        return Ok(None);
    };
    let src = if rp.src.is_empty() {
        ">"
    } else {
        rp.src.as_str()
    };
    SubjectTransform::new(src, &rp.dest).map(Some).map_err(|_| {
        invalid(&format!(
            "stream configuration for republish with transform from '{}' to '{}' not valid",
            rp.src, rp.dest
        ))
    })
}

/// The transform a stream applies to the subject of every message it stores
/// (`subject_transform`), checked as nats-server checks it. `None` without one, or with an
/// empty destination (nats-server then transforms nothing). An empty source means `>`.
pub fn input_transform(cfg: &StreamConfig) -> Result<Option<SubjectTransform>, ApiError> {
    let Some(t) = &cfg.subject_transform else {
        return Ok(None);
    };
    if !t.src.is_empty() && !is_valid_subject(t.src.as_bytes()) {
        return Err(ApiError::with_args(
            ApiErrorCode::StreamTransformInvalidSource,
            &[("err", format!("invalid subject {}", t.src))],
        ));
    }
    if t.dest.is_empty() {
        return Ok(None);
    }
    validate_mapping(&t.src, &t.dest).map(Some).map_err(|e| {
        ApiError::with_args(
            ApiErrorCode::StreamTransformInvalidDestination,
            &[("err", e.to_string())],
        )
    })
}

/// The errors for a mirror's or a source's `subject_transforms`, which nats-server
/// reports under different codes (and checks for overlap differently).
struct UpstreamTransformErrors {
    with_filter: ApiErrorCode,
    bad_source: ApiErrorCode,
    bad_destination: ApiErrorCode,
    overlapping: ApiErrorCode,
    /// Mirrors refuse sources that could both match one subject; sources refuse one
    /// that matches all of another's.
    overlap: fn(&[u8], &[u8]) -> bool,
}

const MIRROR_TRANSFORM_ERRORS: UpstreamTransformErrors = UpstreamTransformErrors {
    with_filter: ApiErrorCode::MirrorMultipleFiltersNotAllowed,
    bad_source: ApiErrorCode::MirrorInvalidSubjectFilter,
    bad_destination: ApiErrorCode::MirrorInvalidTransformDestination,
    overlapping: ApiErrorCode::MirrorOverlappingSubjectFilters,
    overlap: subjects_collide,
};

const SOURCE_TRANSFORM_ERRORS: UpstreamTransformErrors = UpstreamTransformErrors {
    with_filter: ApiErrorCode::SourceMultipleFiltersNotAllowed,
    bad_source: ApiErrorCode::SourceInvalidSubjectFilter,
    bad_destination: ApiErrorCode::SourceInvalidTransformDestination,
    overlapping: ApiErrorCode::SourceOverlappingSubjectFilters,
    overlap: subject_is_subset,
};

/// A mirror's or source's `subject_transforms`: not together with `filter_subject`, each
/// a valid source and destination, no two sources overlapping.
fn check_upstream_transforms(
    upstream: &StreamSource,
    errors: &UpstreamTransformErrors,
) -> Result<(), ApiError> {
    let transforms = &upstream.subject_transforms;
    if !upstream.filter_subject.is_empty() && !transforms.is_empty() {
        return Err(ApiError::new(errors.with_filter));
    }
    for t in transforms {
        if !t.src.is_empty() && !is_valid_subject(t.src.as_bytes()) {
            return Err(ApiError::with_args(
                errors.bad_source,
                &[("err", format!("invalid subject {}", t.src))],
            ));
        }
        if !t.dest.is_empty() {
            validate_mapping(&t.src, &t.dest).map_err(|e| {
                ApiError::with_args(errors.bad_destination, &[("err", e.to_string())])
            })?;
        }
    }
    for (i, a) in transforms.iter().enumerate() {
        for (j, b) in transforms.iter().enumerate() {
            if i != j && (errors.overlap)(a.src.as_bytes(), b.src.as_bytes()) {
                return Err(ApiError::new(errors.overlapping));
            }
        }
    }
    Ok(())
}

fn check_delete_markers(cfg: &mut StreamConfig, pedantic: bool) -> Result<(), ApiError> {
    if cfg.subject_delete_marker_ttl < 0 {
        return Err(invalid("subject delete marker TTL must not be negative"));
    }
    if cfg.subject_delete_marker_ttl == 0 {
        return Ok(());
    }
    if cfg.subject_delete_marker_ttl < NANOS_PER_SEC {
        return Err(invalid(
            "subject delete marker TTL must be at least 1 second",
        ));
    }
    if !cfg.allow_msg_ttl {
        if pedantic {
            return Err(invalid(
                "subject delete marker cannot be set if message TTLs are disabled",
            ));
        }
        cfg.allow_msg_ttl = true;
    }
    if !cfg.allow_rollup_hdrs {
        if pedantic {
            return Err(invalid(
                "subject delete marker cannot be set if roll-ups are disabled",
            ));
        }
        cfg.allow_rollup_hdrs = true;
        cfg.deny_purge = false;
    }
    Ok(())
}

/// Subjects default to the stream name; each must be valid, not overlap another of the
/// stream's subjects (a repeat overlaps too), and stay out of the JetStream and system API
/// namespaces unless the stream does not acknowledge.
fn check_subjects(cfg: &mut StreamConfig) -> Result<(), ApiError> {
    if cfg.subjects.is_empty() {
        if cfg.mirror.is_none() && cfg.sources.is_empty() {
            cfg.subjects.push(cfg.name.clone());
        }
        return Ok(());
    }
    for (i, subject) in cfg.subjects.iter().enumerate() {
        let s = subject.as_bytes();
        if !is_valid_subject(s) {
            return Err(invalid("invalid subject"));
        }
        if subject == ">" {
            if !cfg.no_ack {
                return Err(invalid("capturing all subjects requires no-ack to be true"));
            }
            if cfg.num_replicas != 1 {
                return Err(invalid("capturing all subjects requires replicas of 1"));
            }
        }
        if !cfg.no_ack {
            let api = ["$JS.>", "$JSC.>", "$NRG.>"]
                .iter()
                .any(|ns| subjects_collide(s, ns.as_bytes()));
            if api && !subject_is_subset(s, b"$JS.EVENT.>") {
                return Err(invalid(
                    "subjects that overlap with jetstream api require no-ack to be true",
                ));
            }
            if subjects_collide(s, b"$SYS.>") && !subject_is_subset(s, b"$SYS.ACCOUNT.>") {
                return Err(invalid(
                    "subjects that overlap with system api require no-ack to be true",
                ));
            }
        }
        let later = cfg.subjects.get(i + 1..).unwrap_or_default();
        if let Some(other) = later.iter().find(|o| subjects_collide(o.as_bytes(), s)) {
            return Err(invalid(&format!(
                "subject {subject:?} overlaps with {other:?}"
            )));
        }
    }
    Ok(())
}

/// The first of `others` (name, subjects) whose subjects overlap `subjects`: streams of
/// one account may not capture the same subject.
pub fn overlapping_stream<'a>(
    subjects: &[String],
    others: impl IntoIterator<Item = (&'a str, &'a [String])>,
) -> Option<&'a str> {
    others.into_iter().find_map(|(name, theirs)| {
        let clash = subjects.iter().any(|s| {
            theirs
                .iter()
                .any(|t| subjects_collide(s.as_bytes(), t.as_bytes()))
        });
        clash.then_some(name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use natrium_api::jetstream::SubjectTransformConfig;

    fn cfg(name: &str, subjects: &[&str]) -> StreamConfig {
        StreamConfig {
            name: name.to_owned(),
            subjects: subjects.iter().map(|s| (*s).to_owned()).collect(),
            ..StreamConfig::default()
        }
    }

    fn err_text(c: &StreamConfig) -> String {
        check_stream_config(c, false).unwrap_err().description
    }

    #[test]
    fn defaults_are_filled_in_like_nats_server() {
        let c = check_stream_config(&cfg("ORDERS", &[]), false).unwrap();
        assert_eq!(c.subjects, ["ORDERS"]);
        assert_eq!(c.num_replicas, 1);
        assert_eq!(
            (
                c.max_msgs,
                c.max_bytes,
                c.max_msgs_per_subject,
                c.max_consumers
            ),
            (-1, -1, -1, -1)
        );
        assert_eq!(c.max_msg_size, -1);
        assert_eq!(c.duplicate_window, DEFAULT_DUPLICATE_WINDOW);
        assert_eq!(c.storage, StorageType::File);

        let mut short = cfg("S", &["s.>"]);
        short.max_age = 30 * NANOS_PER_SEC;
        let c = check_stream_config(&short, false).unwrap();
        assert_eq!(
            c.duplicate_window,
            30 * NANOS_PER_SEC,
            "the window shrinks to max_age"
        );
        assert_eq!(
            check_stream_config(&short, true).unwrap_err().description,
            "pedantic mode: duplicate window cannot be bigger than max age"
        );
    }

    #[test]
    fn names_are_checked() {
        for bad in ["", "a.b", "a*", "a>", "a b", "a/b", "a\\b"] {
            assert_eq!(
                err_text(&cfg(bad, &["x"])),
                "stream name is required and can not contain '.', '*', '>', '\\', '/'",
                "{bad:?}"
            );
        }
        let long = "n".repeat(MAX_NAME_LEN + 1);
        assert_eq!(
            err_text(&cfg(&long, &["x"])),
            "stream name is too long, maximum allowed is 255"
        );
        let e = check_stream_config(&cfg("a.b", &[]), false).unwrap_err();
        assert_eq!((e.code, e.err_code), (500, 10052));
    }

    #[test]
    fn subjects_are_checked() {
        assert_eq!(err_text(&cfg("S", &["a..b"])), "invalid subject");
        // nats-server checks overlap with later subjects first, so a repeat reads as one.
        assert_eq!(
            err_text(&cfg("S", &["a", "a"])),
            "subject \"a\" overlaps with \"a\""
        );
        assert_eq!(
            err_text(&cfg("S", &["a.*", "a.b"])),
            "subject \"a.*\" overlaps with \"a.b\""
        );
        assert_eq!(
            err_text(&cfg("S", &[">"])),
            "capturing all subjects requires no-ack to be true"
        );
        assert_eq!(
            err_text(&cfg("S", &["$JS.API.>"])),
            "subjects that overlap with jetstream api require no-ack to be true"
        );
        assert!(check_stream_config(&cfg("S", &["$JS.EVENT.ADVISORY.>"]), false).is_ok());
        assert_eq!(
            err_text(&cfg("S", &["$SYS.>"])),
            "subjects that overlap with system api require no-ack to be true"
        );
        let mut no_ack = cfg("S", &[">"]);
        no_ack.no_ack = true;
        assert!(check_stream_config(&no_ack, false).is_ok());
    }

    #[test]
    fn limits_and_policies() {
        let mut c = cfg("S", &["s"]);
        c.max_msgs = -5;
        assert!(check_stream_config(&c, false).is_ok());
        let e = check_stream_config(&c, true).unwrap_err();
        assert_eq!(e.description, "pedantic mode: max_msgs must be set to -1");
        assert_eq!(e.kind(), Some(ApiErrorCode::Pedantic));

        let mut c = cfg("S", &["s"]);
        c.max_age = 50_000_000;
        assert_eq!(err_text(&c), "max age needs to be >= 100ms");
        c.max_age = -1;
        assert_eq!(err_text(&c), "max age can not be negative");

        let mut c = cfg("S", &["s"]);
        c.deny_purge = true;
        c.allow_rollup_hdrs = true;
        assert_eq!(err_text(&c), "roll-ups require the purge permission");

        let mut c = cfg("S", &["s"]);
        c.discard_new_per_subject = true;
        assert_eq!(
            err_text(&c),
            "discard new per subject requires discard new policy to be set"
        );
        c.discard = DiscardPolicy::New;
        assert_eq!(
            err_text(&c),
            "discard new per subject requires max msgs per subject > 0"
        );
        c.max_msgs_per_subject = 1;
        assert!(check_stream_config(&c, false).is_ok());

        let mut c = cfg("S", &["s"]);
        c.num_replicas = 3;
        let e = check_stream_config(&c, false).unwrap_err();
        assert_eq!(e.kind(), Some(ApiErrorCode::StreamReplicasNotSupported));
        c.num_replicas = -1;
        assert_eq!(
            check_stream_config(&c, false).unwrap_err().kind(),
            Some(ApiErrorCode::ReplicasCountCannotBeNegative)
        );

        let mut c = cfg("S", &["s"]);
        c.subject_delete_marker_ttl = NANOS_PER_SEC;
        let fixed = check_stream_config(&c, false).unwrap();
        assert!(fixed.allow_msg_ttl && fixed.allow_rollup_hdrs && !fixed.deny_purge);
    }

    #[test]
    fn streams_may_not_share_subjects() {
        let orders = vec!["orders.>".to_owned()];
        let kv = vec!["$KV.b.>".to_owned()];
        let others = [("ORDERS", orders.as_slice()), ("KV_b", kv.as_slice())];
        assert_eq!(
            overlapping_stream(&["orders.eu.*".to_owned()], others),
            Some("ORDERS")
        );
        assert_eq!(overlapping_stream(&["invoices".to_owned()], others), None);
    }

    fn with_transform(src: &str, dest: &str) -> StreamConfig {
        StreamConfig {
            subject_transform: Some(SubjectTransformConfig {
                src: src.to_owned(),
                dest: dest.to_owned(),
                ..SubjectTransformConfig::default()
            }),
            ..cfg("T", &["in.>"])
        }
    }

    #[test]
    fn subject_transform_is_checked_like_nats_server() {
        let e = check_stream_config(&with_transform("in..x", "out.>"), false).unwrap_err();
        assert!(e.is(ApiErrorCode::StreamTransformInvalidSource));
        assert_eq!(
            e.description,
            "stream transform source: invalid subject in..x"
        );
        let e =
            check_stream_config(&with_transform("in.*", "out.{{wildcard(2)}}"), false).unwrap_err();
        assert!(e.is(ApiErrorCode::StreamTransformInvalidDestination));
        assert_eq!(
            e.description,
            "stream transform: invalid mapping destination: wildcard index out of range in {{wildcard(2)}}: [2]"
        );
        let e = check_stream_config(&with_transform("in.>", "out.x"), false).unwrap_err();
        assert_eq!(e.description, "stream transform: invalid subject");

        let ok = check_stream_config(&with_transform("in.*", "out.$1"), false).unwrap();
        let t = input_transform(&ok).unwrap().unwrap();
        assert_eq!(t.apply(b"in.a").as_deref(), Some(&b"out.a"[..]));
        // An empty source is `>`; an empty destination means no transform.
        let any = input_transform(&with_transform("", "all.>"))
            .unwrap()
            .unwrap();
        assert_eq!(any.apply(b"in.a.b").as_deref(), Some(&b"all.in.a.b"[..]));
        assert!(input_transform(&with_transform("in.>", ""))
            .unwrap()
            .is_none());
    }

    #[test]
    fn upstream_transforms_are_checked_like_nats_server() {
        let transform = |src: &str, dest: &str| SubjectTransformConfig {
            src: src.to_owned(),
            dest: dest.to_owned(),
            ..SubjectTransformConfig::default()
        };
        let source = |transforms: Vec<SubjectTransformConfig>, filter: &str| StreamSource {
            name: "UP".to_owned(),
            filter_subject: filter.to_owned(),
            subject_transforms: transforms,
            ..StreamSource::default()
        };
        let with_source = |s: StreamSource| StreamConfig {
            sources: vec![s],
            ..cfg("S", &["s"])
        };
        let code = |c: StreamConfig| check_stream_config(&c, false).unwrap_err();

        let e = code(with_source(source(vec![transform("a", "b")], "a")));
        assert!(e.is(ApiErrorCode::SourceMultipleFiltersNotAllowed));
        let e = code(with_source(source(vec![transform("a..b", "b")], "")));
        assert!(e.is(ApiErrorCode::SourceInvalidSubjectFilter));
        assert_eq!(
            e.description,
            "source transform source: invalid subject a..b"
        );
        let e = code(with_source(source(vec![transform("a.*", "b.$2")], "")));
        assert!(e.is(ApiErrorCode::SourceInvalidTransformDestination));
        let e = code(with_source(source(
            vec![transform("a.>", "x.>"), transform("a.b", "y")],
            "",
        )));
        assert!(e.is(ApiErrorCode::SourceOverlappingSubjectFilters));

        let mirror = StreamConfig {
            mirror: Some(source(
                vec![transform("a.*", "m.$1"), transform("*.b", "n.$1")],
                "",
            )),
            ..cfg("M", &[])
        };
        assert!(code(mirror).is(ApiErrorCode::MirrorOverlappingSubjectFilters));
        let mirror = StreamConfig {
            mirror: Some(source(vec![transform("a.*", "m.{{nope(1)}}")], "")),
            ..cfg("M", &[])
        };
        assert!(code(mirror).is(ApiErrorCode::MirrorInvalidTransformDestination));
    }
}
