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
        .args(["server", "check", "connection", "--rtt-warn", "0s"])
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
    assert!(
        out.starts_with("OK JetStream OK:0 streams, 0 consumers"),
        "{out}"
    );
    let plain = Env::start_with(|o| o.jetstream.enabled = false);
    let out = plain
        .cmd()
        .args(["server", "check", "js"])
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out)
        .unwrap()
        .contains("JetStream unavailable"));
}

/// The exit code and the Nagios line of `natrium server check ARGS`.
fn check(env: &Env, args: &[&str]) -> (i32, String) {
    let out = env
        .cmd()
        .args(["server", "check"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn check_stream_counts_messages() {
    let env = Env::start();
    ok_stdout(
        env.cmd()
            .args(["stream", "add", "S", "--subjects", "s.*", "--defaults"]),
    );
    for n in 0..3 {
        env.cmd()
            .args(["pub", &format!("s.{n}"), "x", "-J", "-q"])
            .assert()
            .success();
    }
    let (code, out) = check(&env, &["stream", "--stream", "S", "--msgs-warn", "2"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("OK Stream OK:3 messages | messages=3 subjects=3"),
        "{out}"
    );
    let (code, out) = check(&env, &["stream", "--stream", "S", "--msgs-warn", "5"]);
    assert_eq!(
        (code, out.starts_with("WARNING Stream")),
        (1, true),
        "{out}"
    );
    let (code, out) = check(&env, &["stream", "--stream", "S", "--msgs-critical", "4"]);
    assert_eq!(
        (code, out.starts_with("CRITICAL Stream")),
        (2, true),
        "{out}"
    );
    let (code, out) = check(&env, &["stream", "--stream", "NOPE"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("stream not found"), "{out}");
}

#[test]
fn check_consumer_thresholds() {
    let env = Env::start();
    ok_stdout(
        env.cmd()
            .args(["stream", "add", "S", "--subjects", "s", "--defaults"]),
    );
    ok_stdout(env.cmd().args(["consumer", "add", "S", "C", "--defaults"]));
    for _ in 0..3 {
        env.cmd()
            .args(["pub", "s", "x", "-J", "-q"])
            .assert()
            .success();
    }
    let args = ["consumer", "--stream", "S", "--consumer", "C"];
    let (code, out) = check(
        &env,
        &[&args[..], &["--unprocessed-critical", "3"]].concat(),
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("OK:3 unprocessed"), "{out}");
    let (code, out) = check(
        &env,
        &[&args[..], &["--unprocessed-critical", "2"]].concat(),
    );
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("CRIT:3 unprocessed"), "{out}");
    let (code, _) = check(&env, &["consumer", "--stream", "S", "--consumer", "NOPE"]);
    assert_eq!(code, 2);
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
