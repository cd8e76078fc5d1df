//! Connection options, their errors and exit codes, and named contexts.

use natrium_server::options::{NkeyUser, User};
use predicates::str::contains;

use crate::common::{fail_stderr, json_stdout, ok_stdout, Env};

#[test]
fn unreachable_server_is_one_error_line_and_exit_1() {
    let env = Env::start();
    let err = fail_stderr(
        env.bare()
            .args(["-s", "nats://127.0.0.1:1", "pub", "x", "y"]),
        1,
    );
    assert!(
        err.contains("cannot connect to nats://127.0.0.1:1"),
        "{err}"
    );
}

#[test]
fn malformed_url_is_a_usage_error() {
    let env = Env::start();
    let err = fail_stderr(env.bare().args(["-s", "nats://[::1", "pub", "x", "y"]), 1);
    assert!(err.contains("invalid server URL"), "{err}");
}

#[test]
fn global_options_work_after_the_subcommand_and_from_nats_url() {
    let env = Env::start();
    env.bare()
        .args(["pub", "a.b", "hi", "-s", &env.url(), "--timeout", "2s"])
        .assert()
        .success()
        .stderr(contains("Published 2 bytes to \"a.b\""));
    env.bare()
        .env("NATS_URL", env.url())
        .args(["pub", "a.b", "hi"])
        .assert()
        .success();
    env.bare()
        .args(["pub", "a.b", "hi", "--timeout", "soon"])
        .assert()
        .code(2)
        .stderr(contains("invalid duration"));
}

#[test]
fn user_and_password_are_checked() {
    let env = Env::start_with(|o| {
        o.auth.users = vec![User {
            username: "alice".into(),
            password: "s3cret".into(),
            ..User::default()
        }];
    });
    env.cmd()
        .args(["--user", "alice", "--password", "s3cret", "pub", "x", "y"])
        .assert()
        .success();
    let err = fail_stderr(
        env.cmd()
            .args(["--user", "alice", "--password", "wrong", "pub", "x", "y"]),
        1,
    );
    assert!(
        err.to_lowercase().contains("authorization violation"),
        "{err}"
    );
    let err = fail_stderr(env.cmd().args(["pub", "x", "y"]), 1);
    assert!(
        err.to_lowercase().contains("authorization violation"),
        "{err}"
    );
}

#[test]
fn token_is_checked() {
    let env = Env::start_with(|o| o.auth.token = Some("tok3n".into()));
    env.cmd()
        .args(["--token", "tok3n", "pub", "x", "y"])
        .assert()
        .success();
    fail_stderr(env.cmd().args(["--token", "other", "pub", "x", "y"]), 1);
}

#[test]
fn nkey_seed_file_signs_the_nonce() {
    let user = nkeys::KeyPair::new_user();
    let other = nkeys::KeyPair::new_user();
    let public = user.public_key();
    let env = Env::start_with(move |o| {
        o.auth.nkeys = vec![NkeyUser {
            nkey: public,
            ..NkeyUser::default()
        }]
    });
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("user.nk");
    let bad = dir.path().join("other.nk");
    std::fs::write(&good, user.seed().unwrap()).unwrap();
    std::fs::write(&bad, other.seed().unwrap()).unwrap();
    env.cmd()
        .args(["--nkey", good.to_str().unwrap(), "pub", "x", "y"])
        .assert()
        .success();
    fail_stderr(
        env.cmd()
            .args(["--nkey", bad.to_str().unwrap(), "pub", "x", "y"]),
        1,
    );
}

#[test]
fn contexts_are_saved_selected_used_and_removed() {
    let env = Env::start_with(|o| {
        o.auth.users = vec![User {
            username: "bob".into(),
            password: "pw".into(),
            ..User::default()
        }];
    });
    let out = ok_stdout(env.bare().args([
        "context",
        "add",
        "dev",
        "-s",
        &env.url(),
        "--user",
        "bob",
        "--password",
        "pw",
        "--description",
        "local",
        "--select",
    ]));
    assert!(out.contains("Saved context \"dev\""), "{out}");
    let list = ok_stdout(env.bare().args(["context", "ls"]));
    assert!(list.contains("dev*") && list.contains("local"), "{list}");
    assert_eq!(
        json_stdout(env.bare().args(["context", "ls", "--json"])),
        serde_json::json!(["dev"])
    );

    // The selected context supplies the server and credentials.
    env.bare().args(["pub", "x", "y"]).assert().success();
    // Flags override it: a wrong password fails.
    fail_stderr(env.bare().args(["--password", "nope", "pub", "x", "y"]), 1);
    // --no-context ignores it (default URL has no server here, or the wrong one).
    fail_stderr(
        env.bare()
            .args(["--no-context", "-s", &env.url(), "pub", "x", "y"]),
        1,
    );

    let info = json_stdout(env.bare().args(["context", "info", "dev", "--json"]));
    assert_eq!(info["url"], env.url());
    assert_eq!(info["user"], "bob");
    assert_eq!(info["password"], "*********", "secrets are masked");

    // A second context, named explicitly with --context.
    ok_stdout(
        env.bare()
            .args(["context", "add", "broken", "-s", "nats://127.0.0.1:1"]),
    );
    fail_stderr(env.bare().args(["--context", "broken", "pub", "x", "y"]), 1);
    fail_stderr(
        env.bare().args(["--context", "missing", "pub", "x", "y"]),
        1,
    );
    fail_stderr(env.bare().args(["context", "select", "missing"]), 1);
    fail_stderr(env.bare().args(["context", "add", "../evil"]), 1);

    // Removing needs --force without a terminal.
    fail_stderr(env.bare().args(["context", "rm", "dev"]), 1);
    ok_stdout(env.bare().args(["context", "rm", "dev", "-f"]));
    let names = ok_stdout(env.bare().args(["context", "ls", "--names"]));
    assert_eq!(names, "broken\n");
}

#[test]
fn unusable_credential_and_tls_flags_are_usage_errors() {
    let env = Env::start();
    let err = fail_stderr(
        env.cmd()
            .args(["--creds", "/nonexistent/user.creds", "pub", "x", "y"]),
        1,
    );
    assert!(err.contains("credentials /nonexistent/user.creds"), "{err}");
    let err = fail_stderr(
        env.cmd()
            .args(["--nkey", "/nonexistent/user.nk", "pub", "x", "y"]),
        1,
    );
    assert!(err.contains("nkey /nonexistent/user.nk"), "{err}");
    let err = fail_stderr(
        env.cmd().args(["--tlscert", "/tmp/c.pem", "pub", "x", "y"]),
        1,
    );
    assert!(err.contains("--tlscert and --tlskey go together"), "{err}");
    let err = fail_stderr(env.cmd().args(["--password", "p", "pub", "x", "y"]), 1);
    assert!(err.contains("--password needs --user"), "{err}");
    // The server offers no TLS: asking for it fails instead of falling back to plain text.
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, "not a certificate").unwrap();
    fail_stderr(
        env.cmd()
            .args(["--tlsca", ca.to_str().unwrap(), "pub", "x", "y"]),
        1,
    );
}
