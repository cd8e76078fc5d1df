//! `account info`, shell completions and `server mapping`.

use crate::common::{fail_stderr, json_stdout, ok_stdout, Env};

#[test]
fn account_info_shows_jetstream_usage() {
    let env = Env::start();
    ok_stdout(
        env.cmd()
            .args(["stream", "add", "S", "--subjects", "s", "--defaults"]),
    );
    let doc = json_stdout(env.cmd().args(["account", "info", "--json"]));
    assert_eq!(doc["streams"], 1);
    let human = ok_stdout(env.cmd().args(["account", "info"]));
    assert!(human.contains("Connection Information"), "{human}");
    assert!(human.contains("Streams: 1 of"), "{human}");
    let plain = Env::start_with(|o| o.jetstream.enabled = false);
    let human = ok_stdout(plain.cmd().args(["account", "info"]));
    assert!(human.contains("JetStream is not available"), "{human}");
    fail_stderr(plain.cmd().args(["account", "info", "--json"]), 1);
}

#[test]
fn completions_for_each_shell() {
    let env = Env::start();
    for (shell, marker) in [
        ("bash", "_natrium()"),
        ("zsh", "#compdef natrium"),
        ("fish", "complete -c natrium"),
    ] {
        let out = ok_stdout(env.bare().args(["completion", shell]));
        assert!(
            out.contains(marker),
            "{shell}: {}",
            &out[..out.len().min(200)]
        );
        assert!(out.contains("stream"), "{shell} completes subcommands");
    }
    env.bare().args(["completion", "tcsh"]).assert().code(2);
}

#[test]
fn a_closed_stdout_ends_quietly_instead_of_panicking() {
    use std::process::{Command, Stdio};
    // The bash script is far bigger than a pipe buffer, so writing it must hit the closed pipe.
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("natrium"))
        .args(["completion", "bash"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(141));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn server_mapping_is_tested_locally() {
    let env = Env::start();
    // No server flag: the mapping is computed here.
    let out = ok_stdout(env.bare().args([
        "server",
        "mapping",
        "orders.*.*",
        "shop.{{wildcard(2)}}.{{wildcard(1)}}",
        "orders.eu.42",
    ]));
    assert_eq!(out, "shop.42.eu\n");
    let out =
        ok_stdout(
            env.bare()
                .args(["server", "mapping", "a.*", "b.{{partition(3,1)}}.$1", "a.x"]),
        );
    let mapped: Vec<&str> = out.trim_end().split('.').collect();
    assert_eq!(mapped.len(), 3, "{out}");
    assert_eq!(mapped[0], "b");
    assert!(mapped[1].parse::<u32>().unwrap() < 3, "{out}");
    assert_eq!(mapped[2], "x");
    let out = ok_stdout(env.bare().args(["server", "mapping", "a.>", "b.>"]));
    assert_eq!(out, "Mapping a.> -> b.> is valid\n");

    let err = fail_stderr(
        env.bare()
            .args(["server", "mapping", "a.*", "b.{{wildcard(2)}}", "a.x"]),
        1,
    );
    assert!(err.contains("invalid mapping"), "{err}");
    let err = fail_stderr(
        env.bare()
            .args(["server", "mapping", "a.*", "b.{{nosuch(1)}}"]),
        1,
    );
    assert!(err.contains("invalid mapping"), "{err}");
    let err = fail_stderr(
        env.bare().args(["server", "mapping", "a.*", "b.$1", "c.x"]),
        1,
    );
    assert!(err.contains("does not match"), "{err}");
}
