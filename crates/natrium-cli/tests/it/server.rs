//! `server check`, `rtt`, and the system requests natrium-server does not answer yet.

use crate::common::{fail_stderr, json_stdout, ok_stdout, Env, RELAXED};

#[test]
fn check_connection_is_ok_with_exit_0_and_critical_with_exit_2() {
    let env = Env::start();
    let out = ok_stdout(
        env.cmd()
            .args(["server", "check", "connection"])
            .args(RELAXED),
    );
    assert!(out.starts_with("OK Connection OK:connected in "), "{out}");
    assert!(out.contains("| connect_time="), "{out}");
    let out = env
        .bare()
        .args(["-s", "nats://127.0.0.1:1", "server", "check", "connection"])
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.starts_with("CRITICAL Connection CRIT:connection failed"),
        "{out}"
    );
    // An impossible threshold turns the same healthy server into a warning.
    let out = env
        .cmd()
        .args(["server", "check", "connection", "--rtt-warning", "0s"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out)
        .unwrap()
        .starts_with("WARNING Connection"));
}

#[test]
fn check_jetstream_needs_jetstream() {
    let env = Env::start();
    let out = ok_stdout(env.cmd().args(["server", "check", "jetstream"]));
    assert!(out.starts_with("OK JetStream OK:0 streams"), "{out}");
    env.cmd()
        .args(["server", "check", "jetstream", "--streams-min", "1"])
        .assert()
        .code(2);
    let plain = Env::start_with(|o| o.jetstream.enabled = false);
    let out = plain
        .cmd()
        .args(["server", "check", "jetstream"])
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out)
        .unwrap()
        .contains("JetStream unavailable"));
}

#[test]
fn rtt_reports_each_server() {
    let env = Env::start();
    let out = ok_stdout(env.cmd().args(["rtt", "3"]));
    assert!(out.starts_with(&format!("{}: ", env.url())), "{out}");
    let doc = json_stdout(env.cmd().args(["rtt", "--json"]));
    assert_eq!(doc[0]["url"], env.url());
    assert!(doc[0]["rtt_ns"].as_u64().unwrap() > 0);
    fail_stderr(env.bare().args(["-s", "nats://127.0.0.1:1", "rtt"]), 1);
}

#[test]
fn system_requests_without_a_system_account_fail_clearly() {
    let env = Env::start();
    let err = fail_stderr(env.cmd().args(["server", "ping", "--timeout", "300ms"]), 1);
    assert!(err.contains("system account"), "{err}");
    let err = fail_stderr(env.cmd().args(["server", "list", "--timeout", "300ms"]), 1);
    assert!(err.contains("system account"), "{err}");
    fail_stderr(env.cmd().args(["server", "info", "--timeout", "300ms"]), 1);
}
