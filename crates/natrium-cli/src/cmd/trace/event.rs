//! The trace events a server sends to `Nats-Trace-Dest` (nats-server's `MsgTraceEvent`
//! JSON), and putting one trace's events back together: the event of the server the
//! client published to, and one event per hop the message took to other servers.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The header naming the hop an event came from (`1`, `1.2`, ...): absent on the origin
/// server's event.
pub const HOP_HEADER: &str = "Nats-Trace-Hop";

/// One server's account of the message.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Event {
    /// The server that sent the event.
    pub server: Server,
    /// The traced message as the server received it.
    pub request: Request,
    /// How many servers it passed the message on to.
    pub hops: u64,
    /// What happened, ingress first.
    pub events: Vec<Step>,
}

/// The sending server.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Server {
    /// Server name.
    pub name: String,
    /// Server id.
    pub id: String,
    /// Cluster name, if any.
    pub cluster: String,
    /// Server version.
    #[serde(rename = "ver")]
    pub version: String,
}

/// The message as received.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Request {
    /// Its headers (name case kept).
    pub header: BTreeMap<String, Vec<String>>,
    /// Its size.
    pub msgsize: u64,
}

/// Where a message came from or went to: a client, route, gateway, leafnode, ...
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Ingress {
    /// When.
    pub ts: String,
    /// Connection kind (nats-server's numbering: 0 client, 1 router, ...).
    pub kind: u8,
    /// Connection id.
    pub cid: u64,
    /// Connection (or remote server) name.
    pub name: String,
    /// Account.
    pub acc: String,
    /// Subject as published.
    pub subj: String,
    /// Why the message went no further.
    pub error: String,
}

/// The subject was mapped.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Mapping {
    /// When.
    pub ts: String,
    /// The new subject.
    pub to: String,
}

/// The message crossed a stream export into another account.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct StreamExport {
    /// When.
    pub ts: String,
    /// The importing account.
    pub acc: String,
    /// The subject there.
    pub to: String,
}

/// The message crossed a service import into another account.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ServiceImport {
    /// When.
    pub ts: String,
    /// The exporting account.
    pub acc: String,
    /// The subject imported.
    pub from: String,
    /// The subject there.
    pub to: String,
}

/// A stream took (or would take) the message.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct JetStream {
    /// When.
    pub ts: String,
    /// Stream name.
    pub stream: String,
    /// Subject stored under.
    pub subject: String,
    /// Nobody wanted it (interest retention).
    pub nointerest: bool,
    /// Why it was not stored.
    pub error: String,
}

/// The message was (or would be) sent to a connection.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Egress {
    /// When.
    pub ts: String,
    /// Connection kind.
    pub kind: u8,
    /// Connection id.
    pub cid: u64,
    /// Connection (or remote server) name.
    pub name: String,
    /// The hop id of the event the next server sends, for routes, gateways and leafnodes.
    pub hop: String,
    /// Account, when not the ingress one.
    pub acc: String,
    /// The matching subscription's subject.
    pub sub: String,
    /// Its queue group.
    pub queue: String,
    /// Why it was not delivered.
    pub error: String,
}

/// One step of an event, by its `type`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type")]
pub enum Step {
    /// `in`
    #[serde(rename = "in")]
    Ingress(Ingress),
    /// `sm`
    #[serde(rename = "sm")]
    Mapping(Mapping),
    /// `se`
    #[serde(rename = "se")]
    StreamExport(StreamExport),
    /// `si`
    #[serde(rename = "si")]
    ServiceImport(ServiceImport),
    /// `js`
    #[serde(rename = "js")]
    JetStream(JetStream),
    /// `eg`
    #[serde(rename = "eg")]
    Egress(Egress),
    /// A step type newer than this tool: skipped.
    #[serde(other)]
    Unknown,
}

impl Event {
    /// The first step, which is the ingress.
    pub fn ingress(&self) -> Option<&Ingress> {
        match self.events.first() {
            Some(Step::Ingress(i)) => Some(i),
            _ => None,
        }
    }

    /// The egress steps, in order.
    pub fn egresses(&self) -> impl Iterator<Item = &Egress> {
        self.events.iter().filter_map(|s| match s {
            Step::Egress(e) => Some(e),
            _ => None,
        })
    }

    /// The hop this event came from; empty for the origin server's.
    pub fn hop(&self) -> &str {
        self.request
            .header
            .get(HOP_HEADER)
            .and_then(|v| v.first())
            .map_or("", String::as_str)
    }
}

/// The events of one trace as they arrive.
#[derive(Debug, Default)]
pub struct Trace {
    /// The event of the server the message was published to.
    pub origin: Option<Event>,
    /// The other servers' events, by hop.
    pub hops: BTreeMap<String, Event>,
    /// Events that could not be placed (a second origin, an event without ingress).
    pub strays: usize,
}

impl Trace {
    /// Adds an event.
    pub fn add(&mut self, event: Event) {
        let from_client = event.ingress().map(|i| i.kind == KIND_CLIENT);
        match from_client {
            Some(true) if self.origin.is_none() => self.origin = Some(event),
            Some(false) if !event.hop().is_empty() => {
                self.hops.insert(event.hop().to_owned(), event);
            }
            _ => self.strays += 1,
        }
    }

    /// Whether every server the message was passed to has reported.
    pub fn complete(&self) -> bool {
        self.origin.as_ref().is_some_and(|o| self.reached(o))
    }

    fn reached(&self, event: &Event) -> bool {
        event.hops == 0
            || event
                .egresses()
                .filter(|e| !e.hop.is_empty())
                .all(|e| self.hops.get(&e.hop).is_some_and(|next| self.reached(next)))
    }
}

/// nats-server's connection kinds.
pub const KIND_CLIENT: u8 = 0;
/// A route to another server of the cluster.
pub const KIND_ROUTER: u8 = 1;
/// A gateway to another cluster.
pub const KIND_GATEWAY: u8 = 2;
/// An internal system client.
pub const KIND_SYSTEM: u8 = 3;
/// A leafnode connection.
pub const KIND_LEAF: u8 = 4;
/// An internal JetStream client.
pub const KIND_JETSTREAM: u8 = 5;
/// An internal account client.
pub const KIND_ACCOUNT: u8 = 6;

#[cfg(test)]
mod tests {
    use super::*;

    fn event(json: &str) -> Event {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn steps_are_read_by_type_and_unknown_types_skipped() {
        let e = event(
            r#"{"server":{"name":"a","id":"NA","ver":"2.15.1"},"request":{"msgsize":3},
            "events":[{"type":"in","ts":"2026-01-01T00:00:00Z","kind":0,"cid":4,"acc":"$G","subj":"foo"},
            {"type":"xx","ts":"2026-01-01T00:00:00Z"},
            {"type":"eg","ts":"2026-01-01T00:00:00Z","kind":0,"cid":5,"sub":"foo"}]}"#,
        );
        assert_eq!(e.ingress().unwrap().acc, "$G");
        assert!(matches!(e.events.get(1), Some(Step::Unknown)));
        assert_eq!(e.egresses().count(), 1);
        assert_eq!(e.hop(), "");
    }

    #[test]
    fn a_trace_is_complete_once_every_hop_reported() {
        let origin = event(
            r#"{"server":{"name":"a"},"hops":1,"events":[{"type":"in","kind":0},
            {"type":"eg","kind":1,"name":"b","hop":"1"}]}"#,
        );
        let remote = event(
            r#"{"server":{"name":"b"},"request":{"header":{"Nats-Trace-Hop":["1"]}},
            "events":[{"type":"in","kind":1,"name":"a"},{"type":"eg","kind":0,"cid":9}]}"#,
        );
        let mut t = Trace::default();
        t.add(remote);
        assert!(!t.complete(), "no origin yet");
        t.add(origin.clone());
        assert!(t.complete());
        t.add(origin);
        assert_eq!(t.strays, 1, "a second origin is not placed");

        let mut t = Trace::default();
        t.add(event(
            r#"{"hops":1,"events":[{"type":"in","kind":0},{"type":"eg","kind":1,"hop":"1"}]}"#,
        ));
        assert!(!t.complete(), "hop 1 missing");
    }
}
