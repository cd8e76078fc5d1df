//! A trace for people, laid out as the `nats` CLI's `trace`: each server's ingress, what
//! happened to the subject, and one line per egress, with the next server's account of
//! the message indented under the route, gateway or leafnode it took.

use std::collections::BTreeMap;
use std::time::Duration;

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::event::{
    Egress, Event, Ingress, Step, Trace, KIND_ACCOUNT, KIND_CLIENT, KIND_GATEWAY, KIND_JETSTREAM,
    KIND_LEAF, KIND_ROUTER, KIND_SYSTEM,
};
use crate::units;

/// How to lay a trace out.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Prefix each line with the time since the message entered the first server.
    pub timestamps: bool,
}

fn kind_name(kind: u8) -> &'static str {
    match kind {
        KIND_CLIENT => "Client",
        KIND_ROUTER => "Router",
        KIND_GATEWAY => "Gateway",
        KIND_SYSTEM => "System",
        KIND_LEAF => "Leafnode",
        KIND_JETSTREAM => "JetStream",
        KIND_ACCOUNT => "Account",
        _ => "Unknown Kind",
    }
}

fn arrow(kind: u8) -> &'static str {
    match kind {
        KIND_CLIENT => "--C",
        KIND_JETSTREAM => "--J",
        KIND_ROUTER => "-->",
        KIND_GATEWAY => "==>",
        KIND_LEAF => "~~>",
        _ => "",
    }
}

/// `cid:5`, `rid:2`, ...: the connection id as nats-server writes it for that kind.
fn conn_id(kind: u8, id: u64) -> String {
    let tag = match kind {
        KIND_CLIENT => "cid",
        KIND_ROUTER => "rid",
        KIND_GATEWAY => "gid",
        KIND_LEAF => "lid",
        _ => "id",
    };
    format!("{tag}:{id}")
}

/// `Client "name" cid:5`, or without the name when there is none.
fn connection(kind: u8, name: &str, cid: u64) -> String {
    if name.is_empty() {
        format!("{} {}", kind_name(kind), conn_id(kind, cid))
    } else {
        format!("{} {name:?} {}", kind_name(kind), conn_id(kind, cid))
    }
}

fn pair(key: &str, value: &str) -> String {
    format!("{key}:{value:?}")
}

fn parse_ts(ts: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(ts, &Rfc3339).ok()
}

/// Lines being laid out, with egress counts per kind.
struct Out<'a> {
    style: Style,
    start: Option<OffsetDateTime>,
    trace: &'a Trace,
    lines: Vec<String>,
    egress: BTreeMap<&'static str, u64>,
}

impl Out<'_> {
    fn line(&mut self, indent: usize, ts: &str, text: String) {
        let prefix = " ".repeat(indent * 4);
        if !self.style.timestamps {
            self.lines.push(format!("{prefix}{text}"));
            return;
        }
        let since = match (self.start, parse_ts(ts)) {
            (Some(start), Some(at)) => {
                let d = at - start;
                if d.is_negative() {
                    "Skew".to_owned()
                } else {
                    // Rounded to the microsecond, as the `nats` CLI shows them.
                    let nanos = d.whole_nanoseconds().unsigned_abs();
                    let micros =
                        u64::try_from(nanos.saturating_add(500) / 1000).unwrap_or(u64::MAX);
                    units::format(Duration::from_micros(micros))
                }
            }
            _ => "0s".to_owned(),
        };
        self.lines.push(format!("{prefix}[{since}] {text}"));
    }

    fn event(&mut self, e: &Event, indent: usize) {
        let ingress = e.ingress();
        if let Some(i) = ingress {
            self.ingress(e, i, indent);
        }
        for step in &e.events {
            match step {
                Step::Mapping(m) => {
                    self.line(indent, &m.ts, format!("    Mapping subject:{:?}", m.to));
                }
                Step::ServiceImport(s) => {
                    let text = format!(
                        "    Service Import from:{:?} to:{:?} account:{:?}",
                        s.from, s.to, s.acc
                    );
                    self.line(indent, &s.ts, text);
                }
                Step::StreamExport(s) => {
                    let text = format!("    Stream Export subject:{:?} account:{:?}", s.to, s.acc);
                    self.line(indent, &s.ts, text);
                }
                Step::JetStream(j) => {
                    if !j.error.is_empty() && j.stream.is_empty() {
                        self.lines
                            .push(format!("!!! Expected JetStream event: {}", j.error));
                        continue;
                    }
                    let action = if j.nointerest {
                        "no interest"
                    } else {
                        "stored"
                    };
                    let text = format!(
                        "{} JetStream action:{action:?} stream:{:?} subject:{:?}",
                        arrow(KIND_JETSTREAM),
                        j.stream,
                        j.subject
                    );
                    self.line(indent, &j.ts, text);
                    if !j.error.is_empty() {
                        self.line(indent, &j.ts, format!("--X Error: {}", j.error));
                    }
                    *self.egress.entry(kind_name(KIND_JETSTREAM)).or_default() += 1;
                }
                Step::Ingress(_) | Step::Egress(_) | Step::Unknown => {}
            }
        }
        let mut egresses = e.egresses().peekable();
        if egresses.peek().is_none()
            && ingress.is_some_and(|i| i.kind == KIND_CLIENT && i.error.is_empty())
        {
            self.lines
                .push(format!("{}--X No active interest", " ".repeat(indent * 4)));
        }
        for eg in egresses {
            self.egress_line(eg, indent);
            if eg.hop.is_empty() {
                continue;
            }
            match self.trace.hops.get(&eg.hop) {
                Some(next) => self.event(next, indent + 1),
                None => self.lines.push(format!(
                    "{}!!! No trace event from hop {} ({:?}) was received",
                    " ".repeat((indent + 1) * 4),
                    eg.hop,
                    eg.name
                )),
            }
        }
    }

    fn ingress(&mut self, e: &Event, i: &Ingress, indent: usize) {
        let mut parts = vec![connection(i.kind, &i.name, i.cid)];
        if !e.server.cluster.is_empty() && (i.kind == KIND_GATEWAY || i.kind == KIND_CLIENT) {
            parts.push(pair("cluster", &e.server.cluster));
        }
        parts.push(pair("server", &e.server.name));
        parts.push(pair("version", &e.server.version));
        parts.push(pair("account", &i.acc));
        parts.push(pair("subject", &i.subj));
        self.line(indent, &i.ts, parts.join(" "));
        if !i.error.is_empty() {
            self.line(indent, &i.ts, format!("--X Error: {}", i.error));
        }
    }

    fn egress_line(&mut self, eg: &Egress, indent: usize) {
        let mut parts = vec![
            arrow(eg.kind).to_owned(),
            connection(eg.kind, &eg.name, eg.cid),
        ];
        if !eg.acc.is_empty() {
            parts.push(pair("account", &eg.acc));
        }
        if !eg.sub.is_empty() {
            parts.push(pair("subject", &eg.sub));
        }
        if !eg.queue.is_empty() {
            parts.push(pair("queue", &eg.queue));
        }
        self.line(indent, &eg.ts, parts.join(" "));
        if !eg.error.is_empty() {
            self.line(indent, &eg.ts, format!("  --X Error: {}", eg.error));
        }
        *self.egress.entry(kind_name(eg.kind)).or_default() += 1;
    }
}

/// The trace as text, from the heading to the egress counts.
pub fn render(subject: &str, deliver: bool, trace: &Trace, style: Style) -> String {
    let start = trace
        .origin
        .as_ref()
        .and_then(Event::ingress)
        .and_then(|i| parse_ts(&i.ts));
    let mut out = Out {
        style,
        start,
        trace,
        lines: Vec::new(),
        egress: BTreeMap::new(),
    };
    match &trace.origin {
        Some(origin) => out.event(origin, 0),
        None => {
            out.lines
                .push("!!! The trace event of the first server was not received".to_owned());
            // Show what the other servers said, from the first hops down.
            for (hop, e) in &trace.hops {
                if !hop.contains('.') {
                    out.event(e, 1);
                }
            }
        }
    }
    let how = if deliver {
        " with delivery to the final destination"
    } else {
        ""
    };
    let mut text = format!("Tracing message route to subject {subject}{how}\n\n");
    for line in &out.lines {
        text.push_str(line);
        text.push('\n');
    }
    text.push_str(&format!(
        "\nLegend: Client: {} Router: {} Gateway: {} Leafnode: {} JetStream: {} Error: --X\n",
        arrow(KIND_CLIENT),
        arrow(KIND_ROUTER),
        arrow(KIND_GATEWAY),
        arrow(KIND_LEAF),
        arrow(KIND_JETSTREAM)
    ));
    if !out.egress.is_empty() {
        let mut counts = crate::output::Section::new();
        for (kind, n) in &out.egress {
            counts.add(kind, n);
        }
        text.push_str(&format!("\nEgress Count:\n\n{}", counts.render()));
    }
    if trace.strays > 0 {
        text.push_str(&format!(
            "\nWARNING: {} trace events did not fit the trace (a second origin, or no ingress)\n",
            trace.strays
        ));
    }
    let streams = out
        .egress
        .get(kind_name(KIND_JETSTREAM))
        .copied()
        .unwrap_or(0);
    if streams > 1 {
        text.push_str(&format!(
            "\nWARNING: The message was received by {streams} streams\n"
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Trace events nats-server 2.15.1 sent: a two-server cluster, account `A` with a
    /// stream `ORDERS` on `orders.>`, a mapping `map.x` to `mapped.x`, a service export
    /// imported by `B` as `bsvc.>` and a stream export `ev.>` imported by `B`.
    fn trace_of(jsonl: &str) -> Trace {
        let mut t = Trace::default();
        for line in jsonl.lines() {
            t.add(serde_json::from_str(line).unwrap());
        }
        t
    }

    fn plain(jsonl: &str) -> String {
        render("subj", false, &trace_of(jsonl), Style::default())
    }

    const ORDERS: &str = include_str!("../../../tests/data/trace/orders.jsonl");

    #[test]
    fn a_hop_over_a_route_is_nested_under_its_egress() {
        let t = trace_of(ORDERS);
        assert!(t.complete());
        let text = render("orders.new", false, &t, Style::default());
        let expect = "Tracing message route to subject orders.new\n\n\
            Client \"natrium CLI\" cid:27 cluster:\"c1\" server:\"s1\" version:\"2.15.1\" account:\"A\" subject:\"orders.new\"\n\
            --J JetStream action:\"stored\" stream:\"ORDERS\" subject:\"orders.new\"\n\
            --> Router \"s2\" rid:14\n    \
            Router \"s1\" rid:14 server:\"s2\" version:\"2.15.1\" account:\"A\" subject:\"orders.new\"\n    \
            --C Client \"natrium CLI\" cid:21 subject:\"orders.*\" queue:\"q1\"\n\n\
            Legend: Client: --C Router: --> Gateway: ==> Leafnode: ~~> JetStream: --J Error: --X\n\n\
            Egress Count:\n\n     Client: 1\n  JetStream: 1\n     Router: 1\n";
        assert_eq!(text, expect);
    }

    #[test]
    fn a_missing_hop_is_reported() {
        let origin = ORDERS.lines().next().unwrap();
        let t = trace_of(origin);
        assert!(!t.complete());
        let text = render("orders.new", true, &t, Style::default());
        assert!(text.starts_with(
            "Tracing message route to subject orders.new with delivery to the final destination\n"
        ));
        assert!(
            text.contains("\n    !!! No trace event from hop 1 (\"s2\") was received\n"),
            "{text}"
        );
    }

    #[test]
    fn mappings_imports_and_exports_are_shown() {
        let text = plain(include_str!("../../../tests/data/trace/mapping.jsonl"));
        assert!(
            text.contains("\n    Mapping subject:\"mapped.x\"\n--C Client"),
            "{text}"
        );
        let text = plain(include_str!("../../../tests/data/trace/import.jsonl"));
        assert!(
            text.contains("\n    Service Import from:\"bsvc.1\" to:\"svc.1\" account:\"A\"\n"),
            "{text}"
        );
        let text = plain(include_str!("../../../tests/data/trace/export.jsonl"));
        assert!(
            text.contains("\n        Stream Export subject:\"ev.1\" account:\"B\"\n"),
            "{text}"
        );
    }

    #[test]
    fn no_interest_is_an_error_line() {
        let text = plain(include_str!("../../../tests/data/trace/nointerest.jsonl"));
        assert!(text.contains("account:\"A\" subject:\"nobody.here\"\n--X No active interest\n"));
        assert!(!text.contains("Egress Count"), "{text}");
    }

    #[test]
    fn timestamps_count_from_the_first_ingress() {
        let t = trace_of(ORDERS);
        let text = render("orders.new", false, &t, Style { timestamps: true });
        // The origin's ingress is at .836456614, its JetStream step at .836628524.
        assert!(
            text.contains("\n[0s] Client \"natrium CLI\" cid:27"),
            "{text}"
        );
        assert!(text.contains("\n[172µs] --J JetStream"), "{text}");
        assert!(text.contains("\n    [950µs] Router \"s1\""), "{text}");
    }

    #[test]
    fn egress_errors_and_unknown_kinds() {
        let mut t = Trace::default();
        t.add(serde_json::from_str(
            r#"{"server":{"name":"n","id":"N","ver":"2.15.1"},"events":[
            {"type":"in","kind":0,"cid":1,"acc":"$G","subj":"s"},
            {"type":"eg","kind":0,"cid":2,"name":"slow","sub":"s","error":"Not delivered because client is closed"},
            {"type":"eg","kind":9,"cid":3}]}"#,
        )
        .unwrap());
        let text = render("s", false, &t, Style::default());
        assert!(text.contains(
            "\n--C Client \"slow\" cid:2 subject:\"s\"\n  --X Error: Not delivered because client is closed\n"
        ), "{text}");
        assert!(text.contains("\n Unknown Kind id:3\n"), "{text}");
    }
}
