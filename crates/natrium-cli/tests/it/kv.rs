//! `kv add/ls/info/get/put/create/update/del/purge/history/watch/rm`.

use crate::common::{fail_stderr, json_stdout, ok_stdout, Env};

#[test]
fn bucket_and_key_lifecycle() {
    let env = Env::start();
    let out = ok_stdout(env.cmd().args(["kv", "add", "CFG", "--history", "5"]));
    assert!(out.contains("Created bucket CFG"), "{out}");
    let info = json_stdout(env.cmd().args(["kv", "info", "CFG", "--json"]));
    assert_eq!(info["config"]["name"], "KV_CFG");
    assert_eq!(info["config"]["max_msgs_per_subject"], 5);

    ok_stdout(env.cmd().args(["kv", "put", "CFG", "color", "red"]));
    ok_stdout(
        env.cmd()
            .args(["kv", "put", "CFG", "color"])
            .write_stdin("blue\n"),
    );
    let raw = env
        .cmd()
        .args(["kv", "get", "CFG", "color", "--raw"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(raw, b"blue\n", "--raw prints the value exactly");
    let old = ok_stdout(
        env.cmd()
            .args(["kv", "get", "CFG", "color", "--revision", "1", "--raw"]),
    );
    assert_eq!(old, "red");
    let human = ok_stdout(env.cmd().args(["kv", "get", "CFG", "color"]));
    assert!(
        human.starts_with("CFG > color revision: 2 created @ "),
        "{human}"
    );
    let err = fail_stderr(env.cmd().args(["kv", "get", "CFG", "missing"]), 1);
    assert!(err.contains("not found"), "{err}");

    // create only when absent; update only at the expected revision.
    fail_stderr(env.cmd().args(["kv", "create", "CFG", "color", "green"]), 1);
    ok_stdout(env.cmd().args(["kv", "create", "CFG", "size", "L"]));
    fail_stderr(
        env.cmd().args(["kv", "update", "CFG", "size", "XL", "1"]),
        1,
    );
    let out = ok_stdout(env.cmd().args(["kv", "update", "CFG", "size", "XL", "3"]));
    assert_eq!(out, "CFG > size revision 4\n");

    let history = ok_stdout(env.cmd().args(["kv", "history", "CFG", "color"]));
    assert!(
        history.contains("│ red") && history.contains("│ blue"),
        "{history}"
    );

    assert_eq!(
        ok_stdout(env.cmd().args(["kv", "ls", "CFG"])),
        "color\nsize\n"
    );
    let keys = json_stdout(env.cmd().args(["kv", "ls", "CFG", "--json"]));
    assert_eq!(keys, serde_json::json!(["color", "size"]));
    fail_stderr(env.cmd().args(["kv", "del", "CFG", "color"]), 1);
    ok_stdout(env.cmd().args(["kv", "del", "CFG", "color", "-f"]));
    fail_stderr(env.cmd().args(["kv", "get", "CFG", "color"]), 1);
    ok_stdout(env.cmd().args(["kv", "purge", "CFG", "size", "-f"]));
    fail_stderr(env.cmd().args(["kv", "get", "CFG", "size"]), 1);

    assert_eq!(ok_stdout(env.cmd().args(["kv", "ls", "--names"])), "CFG\n");
    fail_stderr(env.cmd().args(["kv", "del", "CFG"]), 1);
    ok_stdout(env.cmd().args(["kv", "del", "CFG", "-f"]));
    assert_eq!(
        ok_stdout(env.cmd().args(["kv", "ls"])),
        "No Key-Value buckets found\n"
    );
    fail_stderr(env.cmd().args(["kv", "get", "CFG", "color"]), 1);
    // `rm` is `del`'s other name, as in the nats CLI.
    ok_stdout(env.cmd().args(["kv", "add", "TMP", "--storage", "m"]));
    // Destructive: without a terminal it refuses unless forced, and the bucket stays.
    let err = fail_stderr(env.cmd().args(["kv", "rm", "TMP"]), 1);
    assert!(err.contains("refusing without --force"), "{err}");
    ok_stdout(env.cmd().args(["kv", "info", "TMP"]));
    ok_stdout(env.cmd().args(["kv", "rm", "TMP", "-f"]));
    fail_stderr(env.cmd().args(["kv", "info", "TMP"]), 1);
}

#[test]
fn watch_prints_current_values_then_updates() {
    let env = Env::start();
    ok_stdout(env.cmd().args(["kv", "add", "W"]));
    ok_stdout(env.cmd().args(["kv", "put", "W", "a", "1"]));
    let watcher = env.spawn(&["kv", "watch", "W", "--count", "2"], "Watching bucket W");
    ok_stdout(env.cmd().args(["kv", "put", "W", "b", "2"]));
    let (code, out) = watcher.finish();
    assert_eq!(code, 0);
    assert!(out.contains("PUT W > a: 1"), "{out}");
    assert!(out.contains("PUT W > b: 2"), "{out}");

    let updates = env.spawn(
        &["kv", "watch", "W", "--updates", "--count", "1"],
        "Watching bucket W",
    );
    ok_stdout(env.cmd().args(["kv", "put", "W", "c", "3"]));
    let (code, out) = updates.finish();
    assert_eq!(code, 0);
    assert!(
        out.contains("PUT W > c: 3") && !out.contains("W > a"),
        "{out}"
    );
}
