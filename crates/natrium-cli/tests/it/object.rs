//! `object add/ls/info/put/get/rm/seal/watch`.

use crate::common::{fail_stderr, json_stdout, ok_stdout, Env};

#[test]
fn object_lifecycle() {
    let env = Env::start();
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("report.bin");
    let content: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&src, &content).unwrap();

    ok_stdout(
        env.cmd()
            .args(["object", "add", "FILES", "--description", "reports"]),
    );
    let out = ok_stdout(
        env.cmd()
            .args(["object", "put", "FILES", src.to_str().unwrap()]),
    );
    assert!(out.contains("Stored report.bin"), "{out}");
    ok_stdout(
        env.cmd()
            .args(["object", "put", "FILES", "--name", "note.txt"])
            .write_stdin("hello"),
    );

    let names = ok_stdout(env.cmd().args(["object", "ls", "FILES", "--names"]));
    let mut names: Vec<&str> = names.lines().collect();
    names.sort_unstable();
    assert_eq!(names, ["note.txt", "report.bin"]);
    assert_eq!(
        ok_stdout(env.cmd().args(["object", "ls", "--names"])),
        "FILES\n"
    );

    let dest = dir.path().join("copy.bin");
    ok_stdout(env.cmd().args([
        "object",
        "get",
        "FILES",
        "report.bin",
        "-O",
        dest.to_str().unwrap(),
    ]));
    assert_eq!(std::fs::read(&dest).unwrap(), content);
    fail_stderr(
        env.cmd().args([
            "object",
            "get",
            "FILES",
            "report.bin",
            "-O",
            dest.to_str().unwrap(),
        ]),
        1,
    );
    let note = ok_stdout(
        env.cmd()
            .args(["object", "get", "FILES", "note.txt", "-O", "-"]),
    );
    assert_eq!(note, "hello");
    fail_stderr(
        env.cmd()
            .args(["object", "get", "FILES", "missing", "-O", "-"]),
        1,
    );

    let info = json_stdout(
        env.cmd()
            .args(["object", "info", "FILES", "report.bin", "--json"]),
    );
    assert_eq!(info["size"], 300_000);
    let bucket = json_stdout(env.cmd().args(["object", "info", "FILES", "--json"]));
    assert_eq!(bucket["config"]["name"], "OBJ_FILES");

    fail_stderr(env.cmd().args(["object", "rm", "FILES", "note.txt"]), 1);
    ok_stdout(env.cmd().args(["object", "rm", "FILES", "note.txt", "-f"]));
    assert_eq!(
        ok_stdout(env.cmd().args(["object", "ls", "FILES", "-n"])),
        "report.bin\n"
    );

    ok_stdout(env.cmd().args(["object", "seal", "FILES", "-f"]));
    let sealed = json_stdout(env.cmd().args(["object", "info", "FILES", "-j"]));
    assert_eq!(sealed["config"]["sealed"], true);
    fail_stderr(
        env.cmd()
            .args(["object", "put", "FILES", "--name", "late"])
            .write_stdin("x"),
        1,
    );

    ok_stdout(env.cmd().args(["object", "rm", "FILES", "-f"]));
    fail_stderr(env.cmd().args(["object", "info", "FILES"]), 1);
}

#[test]
fn watch_prints_objects_then_changes() {
    let env = Env::start();
    ok_stdout(env.cmd().args(["object", "add", "WB"]));
    ok_stdout(
        env.cmd()
            .args(["object", "put", "WB", "--name", "first.txt"])
            .write_stdin("hello"),
    );
    let watcher = env.spawn(
        &["object", "watch", "WB", "--count", "3"],
        "Watching bucket WB",
    );
    ok_stdout(
        env.cmd()
            .args(["object", "put", "WB", "--name", "second.txt"])
            .write_stdin("0123456789"),
    );
    ok_stdout(env.cmd().args(["object", "rm", "WB", "first.txt", "-f"]));
    let (code, out) = watcher.finish();
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].ends_with("PUT WB > first.txt: 5 B in 1 chunks"),
        "{out}"
    );
    assert!(
        lines[1].ends_with("PUT WB > second.txt: 10 B in 1 chunks"),
        "{out}"
    );
    assert!(lines[2].ends_with("DEL WB > first.txt"), "{out}");

    let updates = env.spawn(
        &["object", "watch", "WB", "--updates", "--count", "1"],
        "Watching bucket WB",
    );
    ok_stdout(
        env.cmd()
            .args(["object", "put", "WB", "--name", "third.txt"])
            .write_stdin("x"),
    );
    let (code, out) = updates.finish();
    assert_eq!(code, 0);
    assert!(
        out.contains("PUT WB > third.txt") && !out.contains("second.txt"),
        "{out}"
    );

    fail_stderr(
        env.cmd()
            .args(["object", "watch", "MISSING", "--count", "1"]),
        1,
    );
}
