//! `natrium-jetstream`: JetStream — streams, consumers and the `$JS.API` — built as
//! in-process subscribers on the router (`natrium-core`) over the stores of
//! `natrium-store`.
//!
//! What it must never do: touch sockets or parse client protocol bytes (it sees messages
//! the router hands it), read the clock inside a stream's state machine (time is decided
//! before a command is applied, so a replicated log can replay it), or block the router.
//!
//! Layout so far:
//! - [`api_subject`]: which `$JS.API` request a subject names;
//! - [`ack`]: acknowledgement bodies (`+ACK`, `-NAK`, `+WPI`, `+TERM`, `+NXT`) and the
//!   `$JS.ACK` reply subjects that carry delivery metadata to clients;
//! - [`stream_config`]: nats-server's checks and defaults for a stream configuration;
//! - [`publish`]: the headers a publish into a stream carries (`Nats-Msg-Id`,
//!   `Nats-Expected-*`, `Nats-Rollup`, `Nats-TTL`);
//! - [`consumer`]: one consumer's delivery state machine (acks, redelivery, pull
//!   requests, push delivery, flow control, heartbeats);
//! - [`schedule`]: message schedule patterns (`@at`, `@every`, cron) and headers;
//! - [`priority`]: priority groups of pull consumers (overflow, pinned client,
//!   prioritized);
//! - `stream`: the task owning one stream's store and consumers (group commit);
//! - `engine` ([`JetStream`]): the `$JS.API` task, the stream registry and restore;
//! - `snapshot`: stream snapshot and restore over the API, and their archive;
//! - `persist`: the store directory layout of stream and consumer metadata.
#![deny(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::indexing_slicing))]

pub mod ack;
mod advisory;
pub mod api_subject;
pub mod consumer;
mod engine;
mod outbox;
mod persist;
pub mod priority;
pub mod publish;
pub mod schedule;
mod snapshot;
mod stream;
pub mod stream_config;

pub use engine::{BatchLimits, JetStream, JetStreamConfig, JetStreamError, JetStreamStats};
