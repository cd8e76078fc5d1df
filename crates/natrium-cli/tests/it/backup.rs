//! `stream backup` and `stream restore` through the server's snapshot API.

use crate::common::{fail_stderr, json_stdout, ok_stdout, Env};

#[test]
fn backup_rm_restore_round_trips_a_stream_and_its_consumer() {
    let env = Env::start();
    ok_stdout(
        env.cmd()
            .args(["stream", "add", "BK", "--subjects", "bk.>", "--defaults"]),
    );
    for n in 1..=5 {
        env.cmd()
            .args(["pub", &format!("bk.{n}"), &format!("body {n}"), "-J", "-q"])
            .assert()
            .success();
    }
    ok_stdout(
        env.cmd()
            .args(["consumer", "add", "BK", "C", "--pull", "--defaults"]),
    );
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("bk");
    let target = target.to_str().unwrap();
    let out = ok_stdout(env.cmd().args(["stream", "backup", "BK", target]));
    assert!(out.contains("Backed up stream BK"), "{out}");
    assert!(dir.path().join("bk/backup.json").exists());
    assert!(dir.path().join("bk/stream.tar").exists());

    // Restoring over the existing stream is refused by the server.
    let err = fail_stderr(env.cmd().args(["stream", "restore", target]), 1);
    assert!(err.contains("(10130)"), "{err}");

    ok_stdout(env.cmd().args(["stream", "rm", "BK", "-f"]));
    let out = ok_stdout(env.cmd().args(["stream", "restore", target]));
    assert!(
        out.contains("Restored stream BK: 5 messages, last sequence 5"),
        "{out}"
    );
    let info = json_stdout(env.cmd().args(["stream", "info", "BK", "--json"]));
    assert_eq!(info["state"]["messages"], 5);
    let msg = json_stdout(env.cmd().args(["stream", "get", "BK", "3", "--json"]));
    assert_eq!(msg["message"]["subject"], "bk.3");
    let consumer = json_stdout(env.cmd().args(["consumer", "info", "BK", "C", "--json"]));
    assert_eq!(consumer["name"], "C");

    // A damaged archive is refused and leaves no stream behind.
    ok_stdout(env.cmd().args(["stream", "rm", "BK", "-f"]));
    std::fs::write(dir.path().join("bk/stream.tar"), b"not a tar archive").unwrap();
    let err = fail_stderr(env.cmd().args(["stream", "restore", target]), 1);
    assert!(err.contains("restore failed"), "{err}");
    fail_stderr(env.cmd().args(["stream", "info", "BK"]), 1);
}
