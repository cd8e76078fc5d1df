//! `server check`, `rtt`, and the system requests (`server info/ping/list/report`) with and without a system-account user.

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

/// A JetStream server with a system account `SYS` (user `sys`) and an application account
/// `APP` with JetStream (user `app`).
fn with_system_account() -> Env {
    use natrium_server::options::{AccountJetStream, AccountOptions, User};
    Env::start_with(|o| {
        for (name, js) in [("SYS", None), ("APP", Some(AccountJetStream::default()))] {
            o.accounts.push(AccountOptions {
                name: name.to_owned(),
                jetstream: js,
                ..AccountOptions::default()
            });
        }
        for (user, account) in [("sys", "SYS"), ("app", "APP")] {
            o.auth.users.push(User {
                username: user.to_owned(),
                password: user.to_owned(),
                account: Some(account.to_owned()),
                ..User::default()
            });
        }
        o.system_account = Some("SYS".to_owned());
    })
}

fn as_user(env: &Env, user: &str) -> assert_cmd::Command {
    let mut cmd = env.cmd();
    cmd.args(["--user", user, "--password", user]);
    cmd
}

#[test]
fn server_info_ping_and_list_answer_a_system_user() {
    let env = with_system_account();
    let info = json_stdout(as_user(&env, "sys").args(["server", "info", "--json"]));
    assert!(
        info["data"]["server_id"].as_str().unwrap().starts_with('N'),
        "{info}"
    );
    let out = ok_stdout(as_user(&env, "sys").args(["server", "info"]));
    assert!(out.starts_with("Server information for "), "{out}");
    let out = ok_stdout(as_user(&env, "sys").args(["server", "ping", "--expect", "1"]));
    assert!(out.contains("rtt=") && out.contains("1 replies"), "{out}");
    let out = ok_stdout(as_user(&env, "sys").args(["server", "list", "--expect", "1"]));
    assert!(out.starts_with("Server Overview (1 servers)"), "{out}");

    let err = fail_stderr(
        as_user(&env, "app").args(["server", "ping", "--timeout", "300ms"]),
        1,
    );
    assert!(err.contains("system account"), "{err}");
    fail_stderr(
        as_user(&env, "app").args(["server", "info", "--timeout", "300ms"]),
        1,
    );
}

#[test]
fn server_report_connections_and_jetstream() {
    let env = with_system_account();
    ok_stdout(as_user(&env, "app").args(["stream", "add", "R", "--subjects", "r.*", "--defaults"]));
    for n in 0..2 {
        as_user(&env, "app")
            .args(["pub", &format!("r.{n}"), "hello", "-J", "-q"])
            .assert()
            .success();
    }
    // A client that stays connected while the report runs.
    let watcher = env.spawn(
        &[
            "--user",
            "app",
            "--password",
            "app",
            "sub",
            "never.*",
            "--count",
            "1",
        ],
        "Subscribing",
    );

    let out =
        ok_stdout(as_user(&env, "sys").args(["server", "report", "connections", "--expect", "1"]));
    let row = out
        .lines()
        .find(|l| l.contains(" APP "))
        .unwrap_or_else(|| panic!("{out}"));
    let cells: Vec<&str> = row.split('│').map(str::trim).collect();
    assert_eq!(cells[4], "APP", "{out}");
    assert!(cells[5].starts_with("127.0.0.1:"), "{out}");
    assert_eq!(cells[6], "1", "{out}");
    let doc = json_stdout(as_user(&env, "sys").args([
        "server",
        "report",
        "connections",
        "--account",
        "APP",
        "--expect",
        "1",
        "--json",
    ]));
    let conns = doc["data"]["connections"].as_array().unwrap();
    assert_eq!(conns.len(), 1, "{doc}");
    assert_eq!(conns[0]["account"], "APP", "{doc}");
    assert_eq!(conns[0]["name"], "natrium CLI", "{doc}");
    drop(watcher);

    let out =
        ok_stdout(as_user(&env, "sys").args(["server", "report", "jetstream", "--expect", "1"]));
    let row = out.lines().nth(4).unwrap_or_else(|| panic!("{out}"));
    let cells: Vec<&str> = row.split('│').map(str::trim).collect();
    // Server, Streams, Consumers, Messages.
    assert_eq!(&cells[2..5], ["1", "0", "2"], "{out}");
    let doc = json_stdout(
        as_user(&env, "sys").args(["server", "report", "js", "--expect", "1", "--json"]),
    );
    assert_eq!(doc["data"]["streams"], 1, "{doc}");

    // Only the system account is answered.
    for kind in ["connections", "jetstream"] {
        let err = fail_stderr(
            as_user(&env, "app").args(["server", "report", kind, "--timeout", "300ms"]),
            1,
        );
        assert!(err.contains("system account"), "{err}");
    }
}
