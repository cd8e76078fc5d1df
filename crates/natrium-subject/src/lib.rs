//! `natrium-subject`: NATS subjects and the subscription index.
//!
//! This crate owns, as nats-server v2.15 defines them:
//!
//! * subject syntax — tokens, the `*` and `>` wildcards, and the validity checks
//!   the server applies to `SUB` subjects ([`is_valid_subject`],
//!   [`is_valid_index_subject`]), to `PUB` subjects in pedantic mode
//!   ([`is_valid_publish_subject`]) and to queue names ([`is_valid_queue_name`]);
//! * [`subject_matches`], the plain one-pattern matcher;
//! * [`SubjectTransform`], rewriting a subject that matches a pattern into a
//!   destination template (`$1`, `{{wildcard(1)}}`, `{{partition(..)}}`, ...), and
//!   [`SubjectMappings`], an account's weighted subject mappings built on it;
//! * [`SubList`], the thread-safe subscription index (a token trie) with its
//!   shared, exactly maintained cache of [`MatchResult`]s and the generation
//!   number ([`SubList::genid`]) that lets each connection keep its own cache.
//!
//! What this crate must never do:
//!
//! * no I/O, no async runtime, no threads, no clocks, no logging — it is pure
//!   data-structure code behind `std::sync` locks held briefly;
//! * no panic on any input bytes (no `unwrap`, no slice indexing; enforced by the
//!   lints below) and no recursion whose depth the input controls;
//! * no allocation on a cache hit: [`SubList::matches`] then returns an `Arc` clone;
//! * no server policy: permissions, `-ERR` texts, and when a check applies
//!   (pedantic or not) are the server's decisions; this crate only answers
//!   whether a subject is valid and who is subscribed.
#![deny(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::indexing_slicing))]

mod cache;
mod mapping;
mod subject;
mod sublist;
mod transform;

pub use cache::CACHE_MAX;
pub use mapping::{MapDest, Mapped, MappingError, SubjectMapping, SubjectMappings};
pub use subject::{
    is_literal_subject, is_valid_index_subject, is_valid_publish_subject, is_valid_queue_name,
    is_valid_subject, is_wildcard_token, subject_is_subset, subject_matches, subjects_collide,
    tokens, SubjectError, FULL_WILDCARD, PARTIAL_WILDCARD, SYSTEM_QUEUE_GROUP, TOKEN_SEPARATOR,
};
pub use sublist::{MatchResult, QueueMatch, SubList, SubListStats};
pub use transform::{validate_mapping, DestinationError, SubjectTransform, TransformError};

/// The maps keyed by subject bytes (trie tokens, queue names, cached subjects).
///
/// foldhash (randomly seeded per map) instead of SipHash: a cache hit takes about
/// 12.5 ns instead of 23 ns, misses and literal insert/remove 15–45% less
/// (`cargo bench -p natrium-subject --bench match`).
type ByteMap<V> = std::collections::HashMap<Box<[u8]>, V, foldhash::fast::RandomState>;
