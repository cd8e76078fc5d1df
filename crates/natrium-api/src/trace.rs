//! Message tracing (nats-server 2.11, `Nats-Trace-Dest`): the report a server publishes to
//! the trace destination for each traced message it handled.
//!
//! The server wraps a [`TraceReport`] as `{"server":{...}, "request":..., "hops":...,
//! "events":[...]}`, nats-server's `MsgTraceEvent`. Every event carries `type` (the short
//! names below) and `ts`, an RFC 3339 time with nanoseconds.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Connection kinds as nats-server numbers them in trace events.
pub mod kind {
    /// A client connection.
    pub const CLIENT: u8 = 0;
    /// A route to another server of the cluster.
    pub const ROUTER: u8 = 1;
}

/// What one server saw of a traced message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TraceReport {
    /// The traced message as it arrived.
    pub request: TraceRequest,
    /// How many servers this server forwarded the message to.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub hops: u32,
    /// What happened to it, in order: the ingress first.
    pub events: Vec<TraceEntry>,
}

/// The traced message's headers (every value of every header, names as sent) and size.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TraceRequest {
    /// Header name to its values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub header: BTreeMap<String, Vec<String>>,
    /// Header and payload bytes.
    #[serde(default, rename = "msgsize", skip_serializing_if = "is_zero_usize")]
    pub msg_size: usize,
}

/// One step of a traced message through a server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum TraceEntry {
    /// Where it came in.
    #[serde(rename = "in")]
    Ingress {
        /// When.
        ts: String,
        /// Connection kind ([`kind`]).
        kind: u8,
        /// Connection id.
        cid: u64,
        /// The client's name, or the peer server's name for a route.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        name: String,
        /// The account it was published in.
        acc: String,
        /// The subject as published.
        subj: String,
        /// Why it went no further (a publish permission violation).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        error: String,
    },
    /// The account's subject mapping changed its subject.
    #[serde(rename = "sm")]
    SubjectMapping {
        /// When.
        ts: String,
        /// The mapped subject.
        to: String,
    },
    /// A stream export copied it into an importing account.
    #[serde(rename = "se")]
    StreamExport {
        /// When.
        ts: String,
        /// The importing account.
        acc: String,
        /// The subject there.
        to: String,
    },
    /// A service import sent it into the exporting account.
    #[serde(rename = "si")]
    ServiceImport {
        /// When.
        ts: String,
        /// The exporting account.
        acc: String,
        /// The subject it was published to.
        from: String,
        /// The subject in the exporting account.
        to: String,
    },
    /// A stream took it (or, trace only, would have).
    #[serde(rename = "js")]
    JetStream {
        /// When.
        ts: String,
        /// The stream.
        stream: String,
        /// The subject it was (or would be) stored under.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        subject: String,
        /// An interest stream with no interest in it: not stored.
        #[serde(default, rename = "nointerest", skip_serializing_if = "is_false")]
        no_interest: bool,
        /// Why the stream refused it.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        error: String,
    },
    /// It went out to a subscriber or a peer server (or, trace only, would have).
    #[serde(rename = "eg")]
    Egress {
        /// When.
        ts: String,
        /// Connection kind ([`kind`]).
        kind: u8,
        /// Connection id.
        cid: u64,
        /// The client's name, or the peer server's name for a route.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        name: String,
        /// For a route: the hop id the peer's own report carries.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        hop: String,
        /// The subscriber's account when it is not the ingress account.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        acc: String,
        /// The matching subscription's subject (clients only).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        sub: String,
        /// Its queue group.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        queue: String,
        /// Why it was not delivered.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        error: String,
    },
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn is_zero_usize(n: &usize) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_reference_report() {
        // As nats-server 2.15 published it for a trace-only message with one subscriber.
        let json = r#"{"server":{"name":"n1"},"request":{"header":{"Nats-Trace-Dest":["t"],"Nats-Trace-Only":["true"]},"msgsize":52},"events":[{"type":"in","ts":"2026-12-01T11:00:00.1Z","kind":0,"cid":5,"acc":"$G","subj":"foo"},{"type":"eg","ts":"2026-12-01T11:00:00.2Z","kind":0,"cid":6,"sub":"foo"}]}"#;
        let report: TraceReport = serde_json::from_str(json).unwrap();
        assert_eq!(report.request.msg_size, 52);
        assert_eq!(report.events.len(), 2);
        assert!(
            matches!(&report.events[1], TraceEntry::Egress { cid: 6, sub, .. } if sub == "foo")
        );
        let back = serde_json::to_string(&report.events[0]).unwrap();
        assert!(back.starts_with(r#"{"type":"in","ts":"#), "{back}");
        assert!(!back.contains("error"), "{back}");
    }
}
