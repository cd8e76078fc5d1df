//! `stream add/edit/ls/info/rm/purge/view/get/rmm/report`.

use crate::common::{fail_stderr, json_stdout, ok_stdout, Env};

fn publish(env: &Env, subject: &str, body: &str) {
    env.cmd()
        .args(["pub", subject, body, "-J", "-q"])
        .assert()
        .success();
}

#[test]
fn add_info_json_is_the_servers_stream_info() {
    let env = Env::start();
    let out = ok_stdout(env.cmd().args([
        "stream",
        "add",
        "ORDERS",
        "--subjects",
        "orders.>",
        "--storage",
        "memory",
        "--max-msgs",
        "100",
        "--max-age",
        "1h",
        "--description",
        "orders",
        "--defaults",
    ]));
    assert!(out.contains("Stream ORDERS was created"), "{out}");
    assert!(out.contains("Subjects: orders.>"), "{out}");
    for n in 1..=3 {
        publish(&env, "orders.new", &format!("order {n}"));
    }
    let info = json_stdout(env.cmd().args(["stream", "info", "ORDERS", "--json"]));
    assert_eq!(
        info["type"],
        "io.nats.jetstream.api.v1.stream_info_response"
    );
    assert_eq!(info["state"]["messages"], 3);
    assert_eq!(info["config"]["subjects"], serde_json::json!(["orders.>"]));
    assert_eq!(info["config"]["storage"], "memory");
    assert_eq!(info["config"]["max_msgs"], 100);
    assert_eq!(info["config"]["max_age"], 3_600_000_000_000u64);
    assert_eq!(info["config"]["description"], "orders");

    let human = ok_stdout(env.cmd().args(["stream", "info", "ORDERS"]));
    assert!(human.contains("Messages: 3"), "{human}");
    let err = fail_stderr(env.cmd().args(["stream", "info", "NOPE"]), 1);
    assert_eq!(err, "natrium: error: stream not found (10059)\n");
    // The same name again with a different config is refused by the server.
    fail_stderr(
        env.cmd()
            .args(["stream", "add", "ORDERS", "--subjects", "other.>"]),
        1,
    );
}

#[test]
fn add_from_a_config_file_and_edit_with_flags() {
    let env = Env::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.json");
    std::fs::write(
        &file,
        r#"{"name":"CFG","subjects":["cfg.*"],"storage":"file","retention":"limits","discard":"old","max_msgs_per_subject":5}"#,
    )
    .unwrap();
    ok_stdout(
        env.cmd()
            .args(["stream", "add", "--config", file.to_str().unwrap()]),
    );
    let info = json_stdout(env.cmd().args(["stream", "info", "CFG", "-j"]));
    assert_eq!(info["config"]["max_msgs_per_subject"], 5);

    let out = ok_stdout(env.cmd().args([
        "stream",
        "edit",
        "CFG",
        "--max-msgs",
        "10",
        "--subjects",
        "cfg.*,more.>",
        "-f",
    ]));
    assert!(out.contains("Stream CFG was updated"), "{out}");
    let info = json_stdout(env.cmd().args(["stream", "info", "CFG", "-j"]));
    assert_eq!(info["config"]["max_msgs"], 10);
    assert_eq!(
        info["config"]["max_msgs_per_subject"], 5,
        "unchanged fields stay"
    );
    assert_eq!(
        info["config"]["subjects"],
        serde_json::json!(["cfg.*", "more.>"])
    );
    fail_stderr(
        env.cmd()
            .args(["stream", "edit", "MISSING", "--max-msgs", "1", "-f"]),
        1,
    );
    std::fs::write(&file, "not json").unwrap();
    fail_stderr(
        env.cmd()
            .args(["stream", "add", "--config", file.to_str().unwrap()]),
        1,
    );
}

#[test]
fn ls_report_get_view_rmm_purge_rm() {
    let env = Env::start();
    ok_stdout(
        env.cmd()
            .args(["stream", "add", "A", "--subjects", "a.*", "--defaults"]),
    );
    ok_stdout(
        env.cmd()
            .args(["stream", "add", "B", "--subjects", "b.*", "--defaults"]),
    );
    publish(&env, "a.x", "one");
    publish(&env, "a.y", "two");
    publish(&env, "a.x", "three");

    assert_eq!(
        ok_stdout(env.cmd().args(["stream", "ls", "--names"])),
        "A\nB\n"
    );
    let list = json_stdout(env.cmd().args(["stream", "ls", "--json"]));
    assert_eq!(list.as_array().unwrap().len(), 2);
    let filtered = ok_stdout(env.cmd().args(["stream", "ls", "--subject", "b.*", "-n"]));
    assert_eq!(filtered, "B\n");
    let table = ok_stdout(env.cmd().args(["stream", "ls"]));
    assert!(table.contains("│ A ") && table.contains("│ B "), "{table}");
    let report = ok_stdout(env.cmd().args(["stream", "report"]));
    assert!(report.contains("Stream Report"), "{report}");

    let got = json_stdout(env.cmd().args(["stream", "get", "A", "2", "--json"]));
    assert_eq!(got["message"]["subject"], "a.y");
    let last = ok_stdout(env.cmd().args(["stream", "get", "A", "--last-for", "a.x"]));
    assert!(last.contains("three"), "{last}");
    fail_stderr(env.cmd().args(["stream", "get", "A", "99"]), 1);

    let view = ok_stdout(env.cmd().args(["stream", "view", "A", "--raw"]));
    assert_eq!(view, "one\ntwo\nthree\n");
    let view = ok_stdout(
        env.cmd()
            .args(["stream", "view", "A", "--subject", "a.x", "--raw"]),
    );
    assert_eq!(view, "one\nthree\n");
    let page = ok_stdout(
        env.cmd()
            .args(["stream", "view", "A", "1", "--id", "2", "--raw"]),
    );
    assert_eq!(page, "two\n");

    fail_stderr(env.cmd().args(["stream", "rmm", "A", "2"]), 1);
    ok_stdout(env.cmd().args(["stream", "rmm", "A", "2", "-f"]));
    fail_stderr(env.cmd().args(["stream", "get", "A", "2"]), 1);
    let view = ok_stdout(env.cmd().args(["stream", "view", "A", "--raw"]));
    assert_eq!(view, "one\nthree\n", "deleted messages are skipped");

    let purged =
        json_stdout(
            env.cmd()
                .args(["stream", "purge", "A", "--subject", "a.x", "-f", "--json"]),
        );
    assert_eq!(purged["purged"], 2);
    let info = json_stdout(env.cmd().args(["stream", "info", "A", "-j"]));
    assert_eq!(info["state"]["messages"], 0);

    fail_stderr(env.cmd().args(["stream", "rm", "B"]), 1);
    ok_stdout(env.cmd().args(["stream", "rm", "B", "-f"]));
    assert_eq!(
        ok_stdout(env.cmd().args(["stream", "ls", "--names"])),
        "A\n"
    );
    fail_stderr(env.cmd().args(["stream", "rm", "B", "-f"]), 1);
}

#[test]
fn stream_commands_without_jetstream_fail_clearly() {
    let env = Env::start_with(|o| o.jetstream.enabled = false);
    let err = fail_stderr(env.cmd().args(["stream", "ls"]), 1);
    assert!(err.contains("no responders"), "{err}");
}
