//! The questions `stream add` asks at a terminal for what its flags left out: the `nats`
//! CLI's questions, in its order, with its defaults (which are nats-server's).

use std::time::Duration;

use super::ConfigFlags;
use crate::prompt::{self, Ask};
use crate::units::{self, parse_size};
use crate::Error;

/// The longest default duplicate window, as nats-server's.
const DUPE_WINDOW: Duration = Duration::from_secs(120);

/// A limit where `-1` (or anything not positive) means unlimited.
fn limit(v: i64) -> i64 {
    if v <= 0 {
        -1
    } else {
        v
    }
}

/// A duration where `-1` means none (0 on the wire).
fn duration_or_none(s: &str) -> Result<Duration, String> {
    if s.trim() == "-1" {
        Ok(Duration::ZERO)
    } else {
        units::parse(s)
    }
}

/// Fills in the stream name and every setting not given as a flag.
pub fn missing(
    ask: &mut dyn Ask,
    name: &mut Option<String>,
    f: &mut ConfigFlags,
) -> Result<(), Error> {
    if name.is_none() {
        *name = Some(prompt::required(ask, "Stream Name", &|_| Ok(()))?);
    }
    if f.subjects.is_empty() {
        let subjects = prompt::required(ask, "Subjects", &|_| Ok(()))?;
        f.subjects = prompt::words(&subjects);
    }
    if f.storage.is_none() {
        let options = ["file", "memory"];
        let i = ask.select("Storage", &options, 0)?;
        f.storage = options.get(i).map(|s| (*s).to_owned());
    }
    if f.replicas.is_none() {
        let r = prompt::parsed(ask, "Replication", "1", |s| match s.trim().parse::<i64>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err("replicas should be >= 1".to_owned()),
        })?;
        f.replicas = Some(r);
    }
    if f.retention.is_none() {
        let options = ["Limits", "Interest", "Work Queue"];
        let wire = ["limits", "interest", "workq"];
        let i = ask.select("Retention Policy", &options, 0)?;
        f.retention = wire.get(i).map(|s| (*s).to_owned());
    }
    if f.discard.is_none() {
        let options = ["New", "Old"];
        let wire = ["new", "old"];
        let i = ask.select("Discard Policy", &options, 1)?;
        f.discard = wire.get(i).map(|s| (*s).to_owned());
    }
    if f.max_msgs.is_none() {
        f.max_msgs = Some(limit(prompt::integer(ask, "Stream Messages Limit", "-1")?));
    }
    if f.max_msgs_per_subject.is_none() {
        let n = prompt::integer(ask, "Per Subject Messages Limit", "-1")?;
        f.max_msgs_per_subject = Some(limit(n));
    }
    if f.max_bytes.is_none() {
        let n = prompt::parsed(ask, "Total Stream Size", "-1", parse_size)?;
        f.max_bytes = Some(limit(n));
    }
    if f.max_age.is_none() {
        f.max_age = Some(prompt::parsed(ask, "Message TTL", "-1", duration_or_none)?);
    }
    if f.max_msg_size.is_none() {
        let n = prompt::parsed(ask, "Max Message Size", "-1", parse_size)?;
        f.max_msg_size = Some(limit(n));
    }
    if f.dupe_window.is_none() {
        // A window longer than the maximum age is refused by the server.
        let window = match f.max_age {
            Some(age) if !age.is_zero() && age < DUPE_WINDOW => age,
            _ => DUPE_WINDOW,
        };
        f.dupe_window = Some(prompt::parsed(
            ask,
            "Duplicate tracking time window",
            &units::format(window),
            units::parse,
        )?);
    }
    if f.allow_rollup.is_none() {
        f.allow_rollup = Some(ask.confirm("Allow message Roll-ups", false)?);
    }
    if f.deny_delete.is_none() {
        f.deny_delete = Some(!ask.confirm("Allow message deletion", true)?);
    }
    if f.deny_purge.is_none() {
        let allow = ask.confirm("Allow purging subjects or the entire stream", true)?;
        f.deny_purge = Some(!allow);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Map, Value};

    use super::*;
    use crate::prompt::Script;

    fn config(name: &Option<String>, f: &ConfigFlags) -> Map<String, Value> {
        let mut cfg = super::super::default_config();
        cfg.insert("name".into(), json!(name));
        f.apply(&mut cfg);
        cfg
    }

    #[test]
    fn every_question_taken_at_its_default_gives_the_servers_defaults() {
        let mut s = Script::new(&[
            ("Stream Name", "ORDERS"),
            ("Subjects", "orders.> , returns.*"),
            ("Storage", ""),
            ("Replication", ""),
            ("Retention Policy", ""),
            ("Discard Policy", ""),
            ("Stream Messages Limit", ""),
            ("Per Subject Messages Limit", ""),
            ("Total Stream Size", ""),
            ("Message TTL", ""),
            ("Max Message Size", ""),
            ("Duplicate tracking time window", ""),
            ("Allow message Roll-ups", ""),
            ("Allow message deletion", ""),
            ("Allow purging subjects", ""),
        ]);
        let (mut name, mut f) = (None, ConfigFlags::default());
        missing(&mut s, &mut name, &mut f).unwrap();
        s.finish();
        let cfg = config(&name, &f);
        let expect = json!({
            "name": "ORDERS", "subjects": ["orders.>", "returns.*"], "storage": "file",
            "num_replicas": 1, "retention": "limits", "discard": "old", "max_msgs": -1,
            "max_msgs_per_subject": -1, "max_bytes": -1, "max_age": 0, "max_msg_size": -1,
            "duplicate_window": 120_000_000_000u64, "allow_rollup_hdrs": false,
            "deny_delete": false, "deny_purge": false, "max_consumers": -1,
        });
        assert_eq!(Value::Object(cfg), expect);
    }

    #[test]
    fn answers_are_applied_and_given_flags_are_not_asked() {
        let mut s = Script::new(&[
            ("Storage", "memory"),
            ("Retention Policy", "Work Queue"),
            ("Discard Policy", "New"),
            ("Stream Messages Limit", "1000"),
            ("Per Subject Messages Limit", "0"),
            ("Total Stream Size", "1MB"),
            ("Message TTL", "30s"),
            ("Max Message Size", "1KB"),
            // The default follows a maximum age shorter than two minutes.
            ("Duplicate tracking time window", ""),
            ("Allow message Roll-ups", "y"),
            ("Allow message deletion", "n"),
            ("Allow purging subjects", "n"),
        ]);
        let mut name = Some("WQ".to_owned());
        let mut f = ConfigFlags {
            subjects: vec!["jobs.*".into()],
            replicas: Some(1),
            ..ConfigFlags::default()
        };
        missing(&mut s, &mut name, &mut f).unwrap();
        s.finish();
        let cfg = config(&name, &f);
        assert_eq!(cfg["subjects"], json!(["jobs.*"]));
        assert_eq!(cfg["storage"], "memory");
        assert_eq!(cfg["retention"], "workqueue");
        assert_eq!(cfg["discard"], "new");
        assert_eq!(cfg["max_msgs"], 1000);
        assert_eq!(cfg["max_msgs_per_subject"], -1);
        assert_eq!(cfg["max_bytes"], 1 << 20);
        assert_eq!(cfg["max_age"], 30_000_000_000u64);
        assert_eq!(cfg["max_msg_size"], 1024);
        assert_eq!(cfg["duplicate_window"], 30_000_000_000u64);
        assert_eq!(cfg["allow_rollup_hdrs"], true);
        assert_eq!(cfg["deny_delete"], true);
        assert_eq!(cfg["deny_purge"], true);
    }

    #[test]
    fn a_bad_answer_stops_the_flow() {
        let mut s = Script::new(&[
            ("Stream Name", "S"),
            ("Subjects", "s"),
            ("Storage", "file"),
            ("Replication", "0"),
        ]);
        let (mut name, mut f) = (None, ConfigFlags::default());
        let err = missing(&mut s, &mut name, &mut f).unwrap_err();
        assert!(err.to_string().contains("replicas should be >= 1"), "{err}");
    }

    #[test]
    fn nothing_is_asked_when_every_flag_is_given() {
        let mut s = Script::new(&[]);
        let mut name = Some("S".to_owned());
        let mut f = ConfigFlags {
            subjects: vec!["s".into()],
            storage: Some("file".into()),
            replicas: Some(1),
            retention: Some("limits".into()),
            discard: Some("old".into()),
            max_age: Some(Duration::ZERO),
            max_bytes: Some(-1),
            max_msgs: Some(-1),
            max_msgs_per_subject: Some(-1),
            max_msg_size: Some(-1),
            dupe_window: Some(DUPE_WINDOW),
            allow_rollup: Some(false),
            deny_delete: Some(false),
            deny_purge: Some(false),
            ..ConfigFlags::default()
        };
        missing(&mut s, &mut name, &mut f).unwrap();
        assert!(s.asked.is_empty());
    }
}
