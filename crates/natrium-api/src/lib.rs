//! `natrium-api`: the JSON wire types Natrium exchanges with NATS tooling, field for field as
//! nats-server writes them, so that `nats`, `nats-top`, Prometheus exporters and dashboards
//! built for nats-server read Natrium unchanged: the monitoring endpoints (`/varz`, `/connz`,
//! `/subsz`, `/routez`, `/healthz`) in [`monitor`], and the JetStream API (`$JS.API.>`
//! requests and replies, advisories, the full error table) in [`jetstream`], and the claims
//! of operator-mode JWTs in [`jwt`], and message trace reports in [`trace`].
//!
//! What it owns: struct and enum definitions with their serde attributes (field names,
//! which fields are omitted when empty, how enums are spelled).
//!
//! What it must never do: contain logic or I/O. Building these values from server state,
//! formatting times and durations, and HTTP all live in the server. Conventions the server
//! relies on are documented on each field: times are RFC 3339 strings in UTC with
//! nanoseconds (Go's `time.Time`), Go durations are integer nanoseconds, human-readable
//! spans are Go-style strings such as `"1h2m3s"`.

#![deny(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)]

pub mod jetstream;
pub mod jwt;
pub mod monitor;
pub mod time;
pub mod trace;
