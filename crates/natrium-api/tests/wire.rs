//! The types read real nats-server v2.15.1 output (captured in `fixtures/`) and write it
//! back with the same names and values: nothing renamed, nothing invented.

use natrium_api::monitor::{Connz, HealthStatus, Routez, Subsz, Varz};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Every member of `ours` is in `theirs` with an equal value (numbers compared as f64).
fn assert_subset(ours: &Value, theirs: &Value, path: &str) {
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                let other = b
                    .get(k)
                    .unwrap_or_else(|| panic!("{path}.{k} is not in nats-server's output"));
                assert_subset(v, other, &format!("{path}.{k}"));
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{path} length");
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                assert_subset(x, y, &format!("{path}[{i}]"));
            }
        }
        (Value::Number(a), Value::Number(b)) => assert_eq!(a.as_f64(), b.as_f64(), "{path}"),
        _ => assert_eq!(ours, theirs, "{path}"),
    }
}

fn round_trip<T: DeserializeOwned + Serialize>(fixture: &str) -> T {
    let theirs: Value = serde_json::from_str(fixture).unwrap();
    let typed: T = serde_json::from_str(fixture).unwrap();
    assert_subset(&serde_json::to_value(&typed).unwrap(), &theirs, "");
    typed
}

#[test]
fn varz() {
    let v: Varz = round_trip(include_str!("fixtures/varz.json"));
    assert_eq!(v.ping_interval, 120_000_000_000);
    assert_eq!(v.auth_timeout, 2.0);
    assert!(v.jetstream.config.is_none());
    assert_eq!(v.http_req_stats.get("/"), Some(&1));
}

#[test]
fn connz() {
    let c: Connz = round_trip(include_str!("fixtures/connz.json"));
    assert_eq!(c.num_connections, 2);
    let alpha = c.connections.iter().find(|ci| ci.name == "alpha").unwrap();
    assert_eq!(alpha.client_type, "nats");
    assert_eq!(alpha.subscriptions_list_detail.len(), 2);
    assert_eq!(alpha.name_tag, "$G");
}

#[test]
fn subsz() {
    let s: Subsz = round_trip(include_str!("fixtures/subsz.json"));
    assert!(s.stats.num_subscriptions > 0);
    assert_eq!(s.subscriptions_list.len(), 3);
}

#[test]
fn routez_and_healthz() {
    let r: Routez = round_trip(include_str!("fixtures/routez.json"));
    assert_eq!(r.num_routes, 0);
    let h: HealthStatus = round_trip(include_str!("fixtures/healthz.json"));
    assert_eq!(h.status, "ok");
}
