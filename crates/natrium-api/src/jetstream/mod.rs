//! The JetStream API (`$JS.API.>`) JSON payloads, advisories and error table, named after
//! nats-server's types (`server/stream.go`, `server/consumer.go`, `server/jetstream_api.go`,
//! `server/jetstream.go`, `server/jetstream_events.go`, `server/errors.json`).
//!
//! Wire conventions, as Go's `encoding/json` produces them:
//! - field names are the Go json tags; fields Go marks `omitempty` are skipped when zero,
//!   others are always written (a Go struct is never "empty": `consumer_limits: {}`);
//! - durations (`time.Duration`) are `i64` nanoseconds;
//! - times (`time.Time`) are RFC 3339 strings with up to nine fractional digits, in UTC
//!   (`"2024-01-02T03:04:05.123456789Z"`); Go's zero time is [`ZERO_TIME`]. A Go `*time.Time`
//!   is an `Option<String>`;
//! - enums are the exact lowercase strings nats-server writes;
//! - `Default` is Go's zero value, which is what nats-server sees for a missing field
//!   (requests are lenient: every request field may be absent).
//!
//! Strict mode (nats-server's default `jetstream { strict: true }`) rejects a request
//! carrying a member no field knows, with `ApiError::invalid_json("json: unknown field
//! \"x\"")`. Request types record such members instead of failing: each has a
//! `#[serde(flatten)] unknown: UnknownFields` member (never serialized), and
//! [`Strict::unknown_field`] returns the first one found, in nested objects too. The server
//! checks it when strict, ignores it otherwise (as nats-server's lenient fallback does).
//!
//! Responses mirror Go's embedding: `{"type": ..., "error": ...}` plus the body's members
//! flattened beside them; a body nats-server embeds by pointer is an `Option` that is
//! `None` in error responses (so they read `{"type":..,"error":{..}}` only).

/// Implements [`Strict`] for request types whose only unknowns are their own members.
macro_rules! strict_leaf {
    ($($ty:ident),* $(,)?) => {$(
        impl $crate::jetstream::Strict for $ty {
            fn unknown_field(&self) -> Option<&str> {
                self.unknown.first()
            }
        }
    )*};
}

mod account;
mod advisory;
mod api;
mod api_error;
mod consumer;
mod errors;
mod headers;
mod stream;

pub use account::{AccountInfo, AccountInfoResponse, AccountLimits, ApiStats, Tier};
pub use advisory::*;
pub use api::*;
pub use api_error::ApiError;
pub use consumer::*;
pub use errors::ApiErrorCode;
pub use headers::*;
pub use stream::*;

use serde::{Deserialize, Deserializer};

/// Go's zero `time.Time` as `encoding/json` writes it.
pub const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// Members of a request object that no field of its type claimed (JSON order lost;
/// sorted by name). Filled on deserialization, never serialized.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(transparent)]
pub struct UnknownFields(pub serde_json::Map<String, serde_json::Value>);

/// JSON values hold no NaN, so equality is total.
impl Eq for UnknownFields {}

impl UnknownFields {
    /// The first unknown member's name, if any.
    pub fn first(&self) -> Option<&str> {
        self.0.keys().next().map(String::as_str)
    }
}

/// Request types that record unknown members, for strict-mode rejection.
pub trait Strict {
    /// The name of an unknown member of this object or of an object nested in it, if any:
    /// nats-server answers `invalid JSON: json: unknown field "<name>"` (err_code 10025).
    fn unknown_field(&self) -> Option<&str>;
}

impl<T: Strict> Strict for Option<T> {
    fn unknown_field(&self) -> Option<&str> {
        self.as_ref().and_then(Strict::unknown_field)
    }
}

impl<T: Strict> Strict for Vec<T> {
    fn unknown_field(&self) -> Option<&str> {
        self.iter().find_map(Strict::unknown_field)
    }
}

/// Helper for `skip_serializing_if` on numeric fields Go marks `omitempty`.
fn is_zero<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// Helper for `skip_serializing_if` on boolean fields Go marks `omitempty`.
fn is_false(v: &bool) -> bool {
    !*v
}

/// Reads `null` as the type's default, as Go leaves a field at its zero value on `null`.
fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}
