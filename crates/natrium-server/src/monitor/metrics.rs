//! `/metrics`: the `/varz` counters in Prometheus text exposition format (version 0.0.4).
//! nats-server has no such endpoint (it needs a separate exporter); names are `natrium_*`.

use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use natrium_api::monitor::Varz;

use super::{Monitor, MonitorState, METRICS_PATH};

/// Prometheus' content type for the text format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

enum Kind {
    Gauge,
    Counter,
}

impl Monitor {
    /// The exposition text for the server's current state.
    pub fn metrics(&self) -> String {
        let varz = self.varz();
        let up = SystemTime::now()
            .duration_since(self.shared().start)
            .unwrap_or_default();
        render(&varz, up)
    }
}

/// Renders `v` as Prometheus text: every value but the uptime comes from the one `Varz`.
pub fn render(v: &Varz, uptime: Duration) -> String {
    let uptime_secs = uptime.as_secs_f64();
    let metrics: [(&str, Kind, &str, f64); 13] = [
        (
            "natrium_connections",
            Kind::Gauge,
            "Open client connections.",
            v.connections as f64,
        ),
        (
            "natrium_connections_total",
            Kind::Counter,
            "Client connections accepted since start.",
            v.total_connections as f64,
        ),
        (
            "natrium_subscriptions",
            Kind::Gauge,
            "Live subscriptions.",
            v.subscriptions as f64,
        ),
        (
            "natrium_in_msgs_total",
            Kind::Counter,
            "Messages received from clients.",
            v.in_msgs as f64,
        ),
        (
            "natrium_out_msgs_total",
            Kind::Counter,
            "Messages delivered to clients.",
            v.out_msgs as f64,
        ),
        (
            "natrium_in_bytes_total",
            Kind::Counter,
            "Payload bytes received from clients.",
            v.in_bytes as f64,
        ),
        (
            "natrium_out_bytes_total",
            Kind::Counter,
            "Payload bytes delivered to clients.",
            v.out_bytes as f64,
        ),
        (
            "natrium_slow_consumers_total",
            Kind::Counter,
            "Connections closed as slow consumers.",
            v.slow_consumers as f64,
        ),
        (
            "natrium_mem_bytes",
            Kind::Gauge,
            "Resident memory in bytes.",
            v.mem as f64,
        ),
        (
            "natrium_cpu_percent",
            Kind::Gauge,
            "CPU use in percent of one core.",
            v.cpu,
        ),
        (
            "natrium_cores",
            Kind::Gauge,
            "CPU cores available to the process.",
            f64::from(v.cores),
        ),
        (
            "natrium_uptime_seconds",
            Kind::Gauge,
            "Seconds since the server started.",
            uptime_secs,
        ),
        (
            "natrium_max_connections",
            Kind::Gauge,
            "Most client connections allowed at once.",
            v.max_connections as f64,
        ),
    ];
    let mut out = String::with_capacity(2048);
    let _ = writeln!(
        out,
        "# HELP natrium_info Server identity; the value is always 1."
    );
    let _ = writeln!(out, "# TYPE natrium_info gauge");
    let _ = writeln!(
        out,
        "natrium_info{{server_id=\"{}\",server_name=\"{}\",version=\"{}\"}} 1",
        label(&v.server_id),
        label(&v.server_name),
        label(&v.version)
    );
    for (name, kind, help, value) in metrics {
        let kind = match kind {
            Kind::Gauge => "gauge",
            Kind::Counter => "counter",
        };
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} {kind}");
        let _ = writeln!(out, "{name} {value}");
    }
    out
}

/// A label value with `\`, `"` and newlines escaped.
fn label(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// `GET /metrics`.
pub async fn handle(State(m): MonitorState) -> Response {
    m.count_request(METRICS_PATH);
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], m.metrics()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_help_type_and_values() {
        let v = Varz {
            connections: 3,
            in_msgs: 7,
            ..Varz::default()
        };
        let text = render(&v, Duration::from_millis(60_500));
        assert!(text.contains("# TYPE natrium_connections gauge\nnatrium_connections 3\n"));
        assert!(text.contains("# TYPE natrium_in_msgs_total counter\nnatrium_in_msgs_total 7\n"));
        assert!(text.contains("natrium_uptime_seconds 60.5\n"));
    }
}
