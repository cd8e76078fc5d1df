//! Questions at a real terminal: `natrium` runs under a pseudo-terminal (`rexpect`) and is
//! answered key by key, as a person would. Skipped, with a message, where no
//! pseudo-terminal can be opened.

use std::process::Command as StdCommand;

use rexpect::process::WaitStatus;
use rexpect::session::PtySession;

use crate::common::{fail_stderr, json_stdout, ok_stdout, Env};

/// `natrium -s <url> args...` on a pseudo-terminal, or `None` when there is none to be had.
fn on_pty(env: &Env, args: &[&str]) -> Option<PtySession> {
    let mut cmd = StdCommand::new(assert_cmd::cargo::cargo_bin("natrium"));
    cmd.env_clear()
        .env("TERM", "xterm")
        .env("NATRIUM_CONFIG_DIR", env.cfg.path())
        .args(["-s", &env.url()])
        .args(args);
    match rexpect::session::spawn_command(cmd, Some(20_000)) {
        Ok(s) => Some(s),
        Err(e) => {
            eprintln!("skipped: no pseudo-terminal ({e})");
            None
        }
    }
}

/// Waits for the process to end and returns its exit code.
fn exit_code(mut s: PtySession) -> i32 {
    s.exp_eof().unwrap();
    match s.process_mut().wait().unwrap() {
        WaitStatus::Exited(_, code) => code,
        other => panic!("natrium did not exit normally: {other:?}"),
    }
}

#[test]
fn stream_add_asks_for_what_the_flags_left_out() {
    let env = Env::start();
    let Some(mut s) = on_pty(&env, &["stream", "add"]) else {
        return;
    };
    // Text answers end with Enter; a lone Enter takes the default (selections too);
    // confirmations take a single key.
    for (question, answer) in [
        ("Stream Name", "ORDERS\n"),
        ("Subjects", "orders.> returns.*\n"),
        ("Storage", "\n"),
        ("Replication", "\n"),
        ("Retention Policy", "\n"),
        ("Discard Policy", "\n"),
        ("Stream Messages Limit", "\n"),
        ("Per Subject Messages Limit", "\n"),
        ("Total Stream Size", "1MB\n"),
        ("Message TTL", "\n"),
        ("Max Message Size", "\n"),
        ("Duplicate tracking time window", "\n"),
        ("Allow message Roll-ups", "y"),
        // Roll-ups need purging, so this one takes the default (yes).
        ("Allow message deletion", "n"),
        ("Allow purging subjects or the entire stream", "\n"),
    ] {
        s.exp_string(question)
            .unwrap_or_else(|e| panic!("waiting for {question:?}: {e}"));
        s.send(answer).unwrap();
        s.flush().unwrap();
    }
    s.exp_string("Stream ORDERS was created").unwrap();
    assert_eq!(exit_code(s), 0);

    let info = json_stdout(env.cmd().args(["stream", "info", "ORDERS", "--json"]));
    let cfg = &info["config"];
    assert_eq!(
        cfg["subjects"],
        serde_json::json!(["orders.>", "returns.*"])
    );
    assert_eq!(cfg["storage"], "file");
    assert_eq!(cfg["retention"], "limits");
    assert_eq!(cfg["max_bytes"], 1 << 20);
    assert_eq!(cfg["allow_rollup_hdrs"], true);
    assert_eq!(cfg["deny_delete"], true);
    assert_eq!(cfg["deny_purge"], false);
}

#[test]
fn defaults_on_a_terminal_asks_nothing() {
    let env = Env::start();
    let Some(mut s) = on_pty(
        &env,
        &["stream", "add", "D", "--subjects", "d", "--defaults"],
    ) else {
        return;
    };
    s.exp_string("Stream D was created").unwrap();
    assert_eq!(exit_code(s), 0);
}

#[test]
fn stream_rm_asks_and_no_keeps_the_stream() {
    let env = Env::start();
    ok_stdout(
        env.cmd()
            .args(["stream", "add", "GONE", "--subjects", "gone", "--defaults"]),
    );
    let Some(mut s) = on_pty(&env, &["stream", "rm", "GONE"]) else {
        return;
    };
    s.exp_string("Really delete Stream GONE").unwrap();
    s.send("n").unwrap();
    s.flush().unwrap();
    assert_eq!(exit_code(s), 1);
    ok_stdout(env.cmd().args(["stream", "info", "GONE"]));

    let Some(mut s) = on_pty(&env, &["stream", "rm", "GONE"]) else {
        return;
    };
    s.exp_string("Really delete Stream GONE").unwrap();
    s.send("y").unwrap();
    s.flush().unwrap();
    s.exp_string("Deleted stream GONE").unwrap();
    assert_eq!(exit_code(s), 0);
    let names = ok_stdout(env.cmd().args(["stream", "ls", "--names"]));
    assert!(!names.contains("GONE"), "{names}");
}

#[test]
fn consumer_add_and_pause_ask_at_a_terminal() {
    let env = Env::start();
    ok_stdout(
        env.cmd()
            .args(["stream", "add", "ORD", "--subjects", "ord.*", "--defaults"]),
    );
    let Some(mut s) = on_pty(&env, &["consumer", "add", "ORD"]) else {
        return;
    };
    for (question, answer) in [
        ("Consumer name", "worker\n"),
        ("Delivery target", "\n"),
        ("Start policy", "new\n"),
        ("Acknowledgment policy", "\n"),
        ("Replay policy", "\n"),
        ("Filter Stream by subjects", "ord.a ord.b\n"),
        ("Maximum Allowed Deliveries", "5\n"),
        ("Maximum Acknowledgments Pending", "\n"),
        ("Deliver headers only without bodies", "\n"),
    ] {
        s.exp_string(question)
            .unwrap_or_else(|e| panic!("waiting for {question:?}: {e}"));
        s.send(answer).unwrap();
        s.flush().unwrap();
    }
    assert_eq!(exit_code(s), 0);
    let info = json_stdout(env.cmd().args(["consumer", "info", "ORD", "worker", "-j"]));
    let cfg = &info["config"];
    assert_eq!(cfg["deliver_policy"], "new");
    assert_eq!(cfg["ack_policy"], "explicit");
    assert_eq!(
        cfg["filter_subjects"],
        serde_json::json!(["ord.a", "ord.b"])
    );
    assert_eq!(cfg["max_deliver"], 5);
    assert!(cfg.get("deliver_subject").is_none(), "{cfg}");

    let Some(mut s) = on_pty(&env, &["consumer", "pause", "ORD", "worker"]) else {
        return;
    };
    s.exp_string("Pause until (time or duration)").unwrap();
    s.send("\n").unwrap();
    s.flush().unwrap();
    s.exp_string("Really pause Consumer ORD > worker until")
        .unwrap();
    s.send("y").unwrap();
    s.flush().unwrap();
    s.exp_string("Paused Consumer ORD > worker").unwrap();
    assert_eq!(exit_code(s), 0);
    let info = json_stdout(env.cmd().args(["consumer", "info", "ORD", "worker", "-j"]));
    assert_eq!(info["paused"], true, "{info}");
}

#[test]
fn without_a_terminal_nothing_is_asked() {
    let env = Env::start();
    ok_stdout(
        env.cmd()
            .args(["stream", "add", "S", "--subjects", "s", "--defaults"]),
    );
    ok_stdout(env.cmd().args(["consumer", "add", "S", "C", "--pull"]));
    // A missing pause time is an error, not a question; UNTIL may be positional.
    let err = fail_stderr(env.cmd().args(["consumer", "pause", "S", "C"]), 1);
    assert!(err.contains("a pause time is required"), "{err}");
    let out = ok_stdout(env.cmd().args(["consumer", "pause", "S", "C", "1h"]));
    assert!(out.starts_with("Paused Consumer S > C until "), "{out}");
    // A stream without --defaults takes the server's defaults.
    ok_stdout(env.cmd().args(["stream", "add", "T", "--subjects", "t"]));
    let info = json_stdout(env.cmd().args(["stream", "info", "T", "--json"]));
    assert_eq!(info["config"]["max_msgs"], -1);
    assert_eq!(info["config"]["duplicate_window"], 120_000_000_000u64);
}
