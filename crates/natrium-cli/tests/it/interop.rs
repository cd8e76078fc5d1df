//! The same commands against the reference nats-server (Go), including the system-account
//! requests (`server ping/list/info`) natrium-server does not answer yet.
//!
//! Skipped, with a message, unless `NATRIUM_REFERENCE_SERVER` names a nats-server binary.

use std::process::{Child, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;

use crate::common::{fail_stderr, json_stdout, ok_stdout};

struct GoServer {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Drop for GoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_go() -> Option<GoServer> {
    let Some(bin) = std::env::var_os("NATRIUM_REFERENCE_SERVER") else {
        eprintln!(
            "skipped: set NATRIUM_REFERENCE_SERVER to a nats-server binary to run the interop test"
        );
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("server.conf");
    std::fs::write(
        &conf,
        format!(
            "listen: 127.0.0.1:{port}\nserver_name: go1\njetstream {{ store_dir: {:?} }}\n\
             accounts {{\n  SYS {{ users [{{user: sys, password: sys}}] }}\n  \
             APP {{ jetstream: enabled, users [{{user: app, password: app}}] }}\n}}\n\
             system_account: SYS\n",
            dir.path().join("js").display().to_string()
        ),
    )
    .unwrap();
    let child = StdCommand::new(bin)
        .args(["-c", conf.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nats-server never listened");
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(GoServer {
        child,
        url: format!("nats://127.0.0.1:{port}"),
        _dir: dir,
    })
}

fn natrium(go: &GoServer, user: &str) -> Command {
    let mut cmd = Command::cargo_bin("natrium").unwrap();
    cmd.env_remove("NATS_URL")
        .env_remove("NATS_CONTEXT")
        .args([
            "--no-context",
            "-s",
            &go.url,
            "--user",
            user,
            "--password",
            user,
        ])
        .timeout(Duration::from_secs(30));
    cmd
}

#[test]
fn jetstream_commands_against_nats_server() {
    let Some(go) = start_go() else { return };
    ok_stdout(natrium(&go, "app").args([
        "stream",
        "add",
        "ORDERS",
        "--subjects",
        "orders.>",
        "--defaults",
    ]));
    for n in 1..=3 {
        natrium(&go, "app")
            .args(["pub", "orders.new", &format!("o{n}"), "-J", "-q"])
            .assert()
            .success();
    }
    let info = json_stdout(natrium(&go, "app").args(["stream", "info", "ORDERS", "--json"]));
    assert_eq!(info["state"]["messages"], 3);
    assert_eq!(
        ok_stdout(natrium(&go, "app").args(["stream", "view", "ORDERS", "--raw"])),
        "o1\no2\no3\n"
    );
    let err = fail_stderr(natrium(&go, "app").args(["stream", "info", "NOPE"]), 1);
    assert_eq!(err, "natrium: error: stream not found (10059)\n");

    ok_stdout(natrium(&go, "app").args(["kv", "add", "CFG"]));
    ok_stdout(natrium(&go, "app").args(["kv", "put", "CFG", "k", "v1"]));
    assert_eq!(
        ok_stdout(natrium(&go, "app").args(["kv", "get", "CFG", "k", "--raw"])),
        "v1"
    );
    ok_stdout(natrium(&go, "app").args(["consumer", "add", "ORDERS", "C", "--defaults"]));
    assert_eq!(
        ok_stdout(natrium(&go, "app").args(["consumer", "next", "ORDERS", "C", "--raw"])),
        "o1\n"
    );
    fail_stderr(natrium(&go, "wrong").args(["stream", "ls"]), 1);
}

#[test]
fn system_requests_against_nats_server() {
    let Some(go) = start_go() else { return };
    let out = ok_stdout(natrium(&go, "sys").args(["server", "ping", "--expect", "1"]));
    assert!(out.starts_with("go1 "), "{out}");
    let list = ok_stdout(natrium(&go, "sys").args(["server", "list", "--expect", "1"]));
    assert!(list.contains("│ go1 "), "{list}");
    let varz = json_stdout(natrium(&go, "sys").args(["server", "info", "--json"]));
    assert_eq!(varz["data"]["server_name"], "go1");
    let human = ok_stdout(natrium(&go, "sys").args(["server", "info"]));
    assert!(human.contains("Name: go1"), "{human}");
    // An ordinary account may not send system requests.
    let err = fail_stderr(
        natrium(&go, "app").args(["server", "ping", "--timeout", "500ms"]),
        1,
    );
    assert!(err.contains("system account"), "{err}");
    let out = ok_stdout(natrium(&go, "app").args(["server", "check", "connection"]));
    assert!(out.starts_with("OK Connection"), "{out}");
}
