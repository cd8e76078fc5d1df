//! `trace SUBJECT [PAYLOAD]`: publishes a message that servers trace (`Nats-Trace-Dest`,
//! by default with `Nats-Trace-Only` so it is not delivered), collects the trace events
//! each server sends, and shows the route the message took.

mod event;
mod render;

use std::time::Duration;

use async_nats::{Client, HeaderMap};
use clap::Args;
use futures::StreamExt;

use crate::Error;
use event::{Event, Trace};

/// How long to wait for each trace event when `--timeout` is not given.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

/// Lets interest in the trace subject reach the other servers of a cluster before the
/// traced message does, as the `nats` CLI waits.
const PROPAGATION: Duration = Duration::from_millis(250);

/// `trace` arguments.
#[derive(Debug, Args)]
pub struct TraceArgs {
    /// The subject to publish to
    pub subject: String,
    /// The message body to send
    pub payload: Option<String>,
    /// Deliver the message to the final destination
    #[arg(long)]
    pub deliver: bool,
    /// Show event timestamps
    #[arg(short = 'T', long)]
    pub timestamp: bool,
    /// Adds headers to the trace message using K:V format
    #[arg(short = 'H', long = "header", value_name = "K:V")]
    pub headers: Vec<String>,
    /// Print the trace events as received, one JSON object a line
    #[arg(short = 'j', long)]
    pub json: bool,
}

/// nats-server learned tracing in 2.11; older ones would deliver a trace-only message.
fn too_old(version: &str) -> bool {
    let mut parts = version.split('.').map(|p| p.parse::<u64>().ok());
    matches!(
        (parts.next().flatten(), parts.next().flatten()),
        (Some(2), Some(minor)) if minor < 11
    )
}

/// Runs `trace`, waiting at most `timeout` for each event.
pub async fn run(client: &Client, a: TraceArgs, timeout: Duration) -> Result<(), Error> {
    let version = client.server_info().version;
    if too_old(&version) {
        return Err(Error::Usage(format!(
            "tracing messages requires NATS Server 2.11 (the server is {version})"
        )));
    }
    let inbox = client.new_inbox();
    let mut sub = client.subscribe(inbox.clone()).await?;
    client
        .flush()
        .await
        .map_err(|e| Error::Nats(e.to_string()))?;
    tokio::time::sleep(PROPAGATION).await;

    let mut headers = super::headers(&a.headers)?.unwrap_or_else(HeaderMap::new);
    headers.insert("Nats-Trace-Dest", inbox.as_str());
    if !a.deliver {
        headers.insert("Nats-Trace-Only", "true");
    }
    let payload = a.payload.clone().unwrap_or_default();
    client
        .publish_with_headers(a.subject.clone(), headers, payload.into())
        .await?;

    let mut trace = Trace::default();
    let mut received = 0usize;
    while !trace.complete() {
        let Ok(Some(msg)) = tokio::time::timeout(timeout, sub.next()).await else {
            break;
        };
        received += 1;
        let encoding = msg
            .headers
            .as_ref()
            .and_then(|h| h.get("Content-Encoding"))
            .map(|v| v.as_str().to_owned());
        if let Some(enc) = encoding {
            return Err(Error::Nats(format!(
                "a trace event came compressed ({enc}), which natrium does not read"
            )));
        }
        if a.json {
            crate::output::print_raw(&msg.payload)?;
        }
        let event: Event =
            serde_json::from_slice(&msg.payload).map_err(|e| Error::json("a trace event", e))?;
        trace.add(event);
    }
    if received == 0 {
        return Err(Error::Timeout(format!(
            "trace events on {inbox} (message tracing needs nats-server 2.11 or later)"
        )));
    }
    if !a.json {
        let style = render::Style {
            timestamps: a.timestamp,
        };
        out!("{}", render::render(&a.subject, a.deliver, &trace, style));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_before_2_11_are_too_old() {
        assert!(too_old("2.10.22"));
        assert!(!too_old("2.11.0"));
        assert!(!too_old("2.15.1"));
        // natrium-server numbers its own versions.
        assert!(!too_old("0.1.0"));
    }
}
