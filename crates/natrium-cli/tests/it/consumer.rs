//! `consumer add/edit/ls/info/rm/next`.

use crate::common::{fail_stderr, json_stdout, ok_stdout, Env};

#[test]
fn pull_consumer_lifecycle() {
    let env = Env::start();
    ok_stdout(
        env.cmd()
            .args(["stream", "add", "ORD", "--subjects", "ord.*", "--defaults"]),
    );
    for (s, b) in [("ord.new", "n1"), ("ord.old", "o1"), ("ord.new", "n2")] {
        env.cmd().args(["pub", s, b, "-J", "-q"]).assert().success();
    }
    let out = ok_stdout(env.cmd().args([
        "consumer",
        "add",
        "ORD",
        "NEW",
        "--filter",
        "ord.new",
        "--ack",
        "explicit",
        "--max-deliver",
        "5",
        "--pull",
        "--defaults",
    ]));
    assert!(out.contains("Information for Consumer ORD > NEW"), "{out}");

    let got = ok_stdout(
        env.cmd()
            .args(["consumer", "next", "ORD", "NEW", "--count", "2", "--raw"]),
    );
    assert_eq!(got, "n1\nn2\n");
    let info = json_stdout(env.cmd().args(["consumer", "info", "ORD", "NEW", "--json"]));
    assert_eq!(
        info["type"],
        "io.nats.jetstream.api.v1.consumer_info_response"
    );
    assert_eq!(info["config"]["filter_subject"], "ord.new");
    assert_eq!(info["config"]["max_deliver"], 5);
    assert_eq!(info["delivered"]["stream_seq"], 3);
    assert_eq!(info["num_pending"], 0);
    // Acknowledged: nothing is pending acknowledgement.
    assert_eq!(info["num_ack_pending"], 0);
    // Nothing left: a clear error, not a hang.
    fail_stderr(
        env.cmd()
            .args(["--timeout", "1s", "consumer", "next", "ORD", "NEW"]),
        1,
    );

    ok_stdout(env.cmd().args([
        "consumer",
        "edit",
        "ORD",
        "NEW",
        "--description",
        "new orders",
        "-f",
    ]));
    let info = json_stdout(env.cmd().args(["consumer", "info", "ORD", "NEW", "-j"]));
    assert_eq!(info["config"]["description"], "new orders");

    assert_eq!(
        ok_stdout(env.cmd().args(["consumer", "ls", "ORD", "--names"])),
        "NEW\n"
    );
    let table = ok_stdout(env.cmd().args(["consumer", "ls", "ORD"]));
    assert!(table.contains("new orders"), "{table}");

    fail_stderr(env.cmd().args(["consumer", "rm", "ORD", "NEW"]), 1);
    ok_stdout(env.cmd().args(["consumer", "rm", "ORD", "NEW", "-f"]));
    let err = fail_stderr(env.cmd().args(["consumer", "info", "ORD", "NEW"]), 1);
    assert!(err.contains("consumer not found"), "{err}");
    fail_stderr(
        env.cmd()
            .args(["consumer", "add", "MISSING", "C", "--defaults"]),
        1,
    );
}

#[test]
fn push_consumer_from_flags_and_config_file() {
    let env = Env::start();
    ok_stdout(
        env.cmd()
            .args(["stream", "add", "P", "--subjects", "p.>", "--defaults"]),
    );
    ok_stdout(env.cmd().args([
        "consumer",
        "add",
        "P",
        "PUSH",
        "--target",
        "deliver.here",
        "--deliver",
        "new",
    ]));
    let info = json_stdout(env.cmd().args(["consumer", "info", "P", "PUSH", "-j"]));
    assert_eq!(info["config"]["deliver_subject"], "deliver.here");
    assert_eq!(info["config"]["deliver_policy"], "new");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.json");
    std::fs::write(
        &file,
        r#"{"durable_name":"FROMFILE","ack_policy":"all","max_ack_pending":7}"#,
    )
    .unwrap();
    ok_stdout(
        env.cmd()
            .args(["consumer", "add", "P", "--config", file.to_str().unwrap()]),
    );
    let info = json_stdout(env.cmd().args(["consumer", "info", "P", "FROMFILE", "-j"]));
    assert_eq!(info["config"]["ack_policy"], "all");
    assert_eq!(info["config"]["max_ack_pending"], 7);
    fail_stderr(
        env.cmd()
            .args(["consumer", "add", "P", "X", "--deliver", "sometime"]),
        1,
    );

    let eph = json_stdout(env.cmd().args([
        "consumer",
        "add",
        "P",
        "--ephemeral",
        "--inactive-threshold",
        "1m",
        "--headers-only",
        "--json",
    ]));
    assert!(
        !eph["name"].as_str().unwrap().is_empty(),
        "the server names it"
    );
    assert!(eph["config"].get("durable_name").is_none(), "{eph}");
    assert_eq!(eph["config"]["headers_only"], true);
    let err = fail_stderr(env.cmd().args(["consumer", "add", "P"]), 1);
    assert!(err.contains("consumer name is required"), "{err}");
}

#[test]
fn pause_resume_and_report() {
    let env = Env::start();
    ok_stdout(
        env.cmd()
            .args(["stream", "add", "PR", "--subjects", "pr.*", "--defaults"]),
    );
    for b in ["a", "b", "c"] {
        env.cmd()
            .args(["pub", "pr.x", b, "-J", "-q"])
            .assert()
            .success();
    }
    for name in ["W1", "W2"] {
        ok_stdout(
            env.cmd()
                .args(["consumer", "add", "PR", name, "--pull", "--defaults"]),
        );
    }
    // W1 takes one message without acknowledging it.
    ok_stdout(
        env.cmd()
            .args(["consumer", "next", "PR", "W1", "--no-ack", "--raw"]),
    );

    let out = ok_stdout(
        env.cmd()
            .args(["consumer", "pause", "PR", "W2", "--until", "1h"]),
    );
    assert!(out.starts_with("Paused Consumer PR > W2 until "), "{out}");
    let info = json_stdout(env.cmd().args(["consumer", "info", "PR", "W2", "-j"]));
    assert_eq!(info["paused"], true, "{info}");
    assert!(info["pause_remaining"].as_i64().unwrap() > 0, "{info}");

    let report = ok_stdout(env.cmd().args(["consumer", "report", "PR"]));
    let w1 = report.lines().find(|l| l.contains("W1")).unwrap();
    let cells: Vec<&str> = w1.split('│').map(str::trim).collect();
    // Consumer, Mode, Ack Pending, Waiting, Unprocessed, Redelivered, Paused.
    assert_eq!(
        &cells[1..8],
        ["W1", "Pull", "1", "0", "2", "0", "no"],
        "{report}"
    );
    let w2 = report.lines().find(|l| l.contains("W2")).unwrap();
    assert!(w2.contains("yes, "), "{report}");
    let all = json_stdout(env.cmd().args(["consumer", "report", "PR", "--json"]));
    assert_eq!(all.as_array().unwrap().len(), 2);

    let json = json_stdout(env.cmd().args([
        "consumer",
        "pause",
        "PR",
        "W1",
        "--until",
        "2200-01-01T00:00:00Z",
        "--json",
    ]));
    assert_eq!(json["paused"], true, "{json}");
    assert_eq!(json["pause_until"], "2200-01-01T00:00:00Z", "{json}");

    let out = ok_stdout(env.cmd().args(["consumer", "resume", "PR", "W2"]));
    assert_eq!(out, "Resumed Consumer PR > W2\n");
    let info = json_stdout(env.cmd().args(["consumer", "info", "PR", "W2", "-j"]));
    assert!(info.get("paused").is_none_or(|p| p == false), "{info}");

    // Errors: an unknown consumer, a time in the past, a malformed time.
    let err = fail_stderr(
        env.cmd()
            .args(["consumer", "pause", "PR", "NOPE", "--until", "1h"]),
        1,
    );
    assert!(err.contains("consumer not found"), "{err}");
    let err = fail_stderr(env.cmd().args(["consumer", "resume", "PR", "NOPE"]), 1);
    assert!(err.contains("consumer not found"), "{err}");
    fail_stderr(
        env.cmd().args([
            "consumer",
            "pause",
            "PR",
            "W1",
            "--until",
            "2001-01-01T00:00:00Z",
        ]),
        1,
    );
    fail_stderr(
        env.cmd()
            .args(["consumer", "pause", "PR", "W1", "--until", "soon"]),
        1,
    );
    let err = fail_stderr(env.cmd().args(["consumer", "report", "MISSING"]), 1);
    assert!(err.contains("stream not found"), "{err}");
}
