//! The questions `consumer add` and `consumer pause` ask at a terminal for what their
//! flags left out: the `nats` CLI's questions, in its order, with its defaults.

use std::time::Duration;

use super::ConfigFlags;
use crate::prompt::{self, Ask};
use crate::units;
use crate::Error;

/// What `consumer add` was told besides its configuration flags.
#[derive(Debug)]
pub struct Shape {
    /// `--pull`: no delivery target to ask for.
    pub pull: bool,
    /// `--ephemeral`: no name to ask for.
    pub ephemeral: bool,
}

/// A durable name is a single subject token.
fn name_check(s: &str) -> Result<(), String> {
    if s.contains(['.', '*', '>']) {
        Err("durable name can not contain '.', '*', '>'".to_owned())
    } else {
        Ok(())
    }
}

/// Fills in the consumer name and every setting not given as a flag.
pub fn missing(
    ask: &mut dyn Ask,
    name: &mut Option<String>,
    shape: &Shape,
    f: &mut ConfigFlags,
) -> Result<(), Error> {
    if name.is_none() && !shape.ephemeral {
        *name = Some(prompt::required(ask, "Consumer name", &name_check)?);
    }
    if !shape.pull && f.target.is_none() {
        f.target = prompt::optional(ask, "Delivery target (empty for Pull Consumers)")?;
    }
    let push = f.target.is_some();
    if push && f.deliver_group.is_none() {
        f.deliver_group = prompt::optional(ask, "Delivery Queue Group")?;
    }
    if f.deliver.is_none() {
        let policy = prompt::parsed(
            ask,
            "Start policy (all, new, last, subject, 1h, msg sequence)",
            "all",
            |s| super::start_policy(s).map(|_| s.to_owned()),
        )?;
        f.deliver = Some(policy);
    }
    if f.ack.is_none() {
        let options = ["explicit", "all", "none"];
        let default = if push { 2 } else { 0 };
        let i = ask.select("Acknowledgment policy", &options, default)?;
        f.ack = options.get(i).map(|s| (*s).to_owned());
    }
    if f.replay.is_none() {
        let options = ["instant", "original"];
        let i = ask.select("Replay policy", &options, 0)?;
        f.replay = options.get(i).map(|s| (*s).to_owned());
    }
    if f.filter.is_empty() {
        let filter = prompt::optional(ask, "Filter Stream by subjects (blank for all)")?;
        f.filter = filter.as_deref().map(prompt::words).unwrap_or_default();
    }
    let acked = f.ack.as_deref() != Some("none");
    if acked && f.max_deliver.is_none() {
        f.max_deliver = Some(prompt::integer(ask, "Maximum Allowed Deliveries", "-1")?);
    }
    if acked && f.max_pending.is_none() {
        // 0 leaves the server's default in place.
        let n = prompt::integer(ask, "Maximum Acknowledgments Pending", "0")?;
        f.max_pending = (n != 0).then_some(n);
    }
    if push {
        if f.heartbeat.is_none() {
            let hb = prompt::parsed(ask, "Idle Heartbeat", "0s", units::parse)?;
            f.heartbeat = (!hb.is_zero()).then_some(hb);
        }
        if f.flow_control.is_none() {
            let fc = ask.confirm("Enable Flow Control, ie --flow-control", false)?;
            f.flow_control = Some(fc);
        }
    }
    if f.headers_only.is_none() {
        let h = ask.confirm("Deliver headers only without bodies", false)?;
        f.headers_only = Some(h);
    }
    Ok(())
}

/// `consumer pause`'s time when none was given: asked as the `nats` CLI does.
pub fn pause_until(ask: &mut dyn Ask, now: time::OffsetDateTime) -> Result<String, Error> {
    prompt::parsed(ask, "Pause until (time or duration)", "1h", |s| {
        super::pause_deadline(s, now)
            .map(|_| s.to_owned())
            .map_err(|e| e.to_string())
    })
}

/// The question before pausing: the deadline for people.
pub fn pause_question(stream: &str, consumer: &str, until: time::OffsetDateTime) -> String {
    let left = until - time::OffsetDateTime::now_utc();
    let left = Duration::try_from(left).unwrap_or_default();
    format!(
        "Really pause Consumer {stream} > {consumer} until {} ({})",
        crate::output::rfc3339(until),
        units::format(Duration::from_secs(left.as_secs()))
    )
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Map, Value};

    use super::*;
    use crate::prompt::Script;

    fn config(f: &ConfigFlags) -> Map<String, Value> {
        let mut cfg = Map::new();
        f.apply(&mut cfg).unwrap();
        cfg
    }

    #[test]
    fn a_pull_consumer_taken_at_the_defaults() {
        let mut s = Script::new(&[
            ("Consumer name", "worker"),
            ("Delivery target", ""),
            ("Start policy", ""),
            ("Acknowledgment policy", ""),
            ("Replay policy", ""),
            ("Filter Stream by subjects", "orders.new, orders.paid"),
            ("Maximum Allowed Deliveries", ""),
            ("Maximum Acknowledgments Pending", ""),
            ("Deliver headers only", ""),
        ]);
        let shape = Shape {
            pull: false,
            ephemeral: false,
        };
        let (mut name, mut f) = (None, ConfigFlags::default());
        missing(&mut s, &mut name, &shape, &mut f).unwrap();
        s.finish();
        assert_eq!(name.as_deref(), Some("worker"));
        let cfg = config(&f);
        let expect = json!({
            "deliver_policy": "all", "ack_policy": "explicit", "replay_policy": "instant",
            "filter_subjects": ["orders.new", "orders.paid"], "max_deliver": -1,
            "headers_only": false,
        });
        assert_eq!(Value::Object(cfg), expect);
    }

    #[test]
    fn a_push_consumer_is_asked_about_its_delivery() {
        let mut s = Script::new(&[
            ("Delivery target", "out.x"),
            ("Delivery Queue Group", "workers"),
            ("Start policy", "subject"),
            // A push consumer's default is no acknowledgements, which skips the limits.
            ("Acknowledgment policy", ""),
            ("Replay policy", "original"),
            ("Filter Stream by subjects", ""),
            ("Idle Heartbeat", "5s"),
            ("Enable Flow Control", "y"),
            ("Deliver headers only", "y"),
        ]);
        let shape = Shape {
            pull: false,
            ephemeral: true,
        };
        let (mut name, mut f) = (None, ConfigFlags::default());
        missing(&mut s, &mut name, &shape, &mut f).unwrap();
        s.finish();
        assert_eq!(name, None);
        let cfg = config(&f);
        let expect = json!({
            "deliver_subject": "out.x", "deliver_group": "workers",
            "deliver_policy": "last_per_subject", "ack_policy": "none",
            "replay_policy": "original", "idle_heartbeat": 5_000_000_000u64,
            "flow_control": true, "headers_only": true,
        });
        assert_eq!(Value::Object(cfg), expect);
    }

    #[test]
    fn a_dotted_name_is_refused() {
        let mut s = Script::new(&[("Consumer name", "a.b")]);
        let shape = Shape {
            pull: true,
            ephemeral: false,
        };
        let (mut name, mut f) = (None, ConfigFlags::default());
        let err = missing(&mut s, &mut name, &shape, &mut f).unwrap_err();
        assert!(err.to_string().contains("can not contain"), "{err}");
    }

    #[test]
    fn pause_until_defaults_to_an_hour_and_refuses_the_past() {
        let now = time::OffsetDateTime::now_utc();
        let mut s = Script::new(&[("Pause until", ""), ("Pause until", "2001-01-01T00:00:00Z")]);
        let until = pause_until(&mut s, now).unwrap();
        assert_eq!(until, "1h");
        assert!(pause_until(&mut s, now).is_err());
    }
}
