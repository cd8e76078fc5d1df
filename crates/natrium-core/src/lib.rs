//! `natrium-core`: the router. It owns accounts, their subscription indexes, and the
//! fan-out of a published message to every matching subscriber's outbound buffer.
//!
//! What it must never do: touch a socket, parse wire bytes, or `.await` while delivering.
//! Delivery only appends encoded frames to outbound buffers and notes which writers to
//! wake; the connection layer (`natrium-server`) owns sockets, parsing and limits.
//!
//! Layout:
//! - [`outbound`]: a connection's outbound buffer (many appenders, one writer, slow-consumer cut-off);
//! - [`subscription`]: `SUB` state and the per-client handle the router delivers to;
//! - [`internal`]: in-process subscribers (JetStream, `$SYS`) fed through bounded channels;
//! - [`links`]: imports and exports between accounts, and the map routing service responses back;
//! - [`trace`]: following one message through the router (`Nats-Trace-Dest`) and its report;
//! - [`account`]: a subject namespace, its index, and `publish` fan-out (plain, queue groups,
//!   echo, `UNSUB` max, no-responders).

pub mod account;
pub mod internal;
pub mod links;
pub mod outbound;
pub mod subscription;
pub mod trace;

pub use account::{
    Account, InterestListener, Message, Publisher, SubscribeError, NO_RESPONDERS_HEADER,
};
pub use internal::{internal_channel, InternalMsg, InternalReceiver, InternalSender};
pub use links::{LinkError, ResponseType, DEFAULT_RESPONSE_THRESHOLD};
pub use outbound::{Appended, CloseReason, Outbound};
pub use subscription::{ClientHandle, DeliveryRules, SubRef, Subscription};
pub use trace::{trace_ask, Ingress, Trace, TraceAsk, TraceSink};
