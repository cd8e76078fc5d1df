//! The `natrium-server` binary: flags, config files, ports file, signals.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_natrium-server");

struct Proc {
    child: Child,
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(args: &[&str]) -> Proc {
    let child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn natrium-server");
    Proc { child }
}

fn wait_for_ports_file(dir: &Path) -> (PathBuf, serde_json::Value) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(entry) = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .find(|e| e.path().extension().is_some_and(|x| x == "ports"))
        {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            if let Ok(json) = serde_json::from_str(&text) {
                return (entry.path(), json);
            }
        }
        assert!(
            Instant::now() < deadline,
            "no ports file in {}",
            dir.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Starts the binary on a free loopback port with `extra` arguments and waits until it is
/// ready; returns the process, its ports-file directory and its client address.
fn spawn_ready(extra: &[&str]) -> (Proc, tempfile::TempDir, std::net::SocketAddr) {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["-a", "127.0.0.1", "-p", "-1", "--ports_file_dir"];
    args.push(dir.path().to_str().unwrap());
    args.extend_from_slice(extra);
    let proc = spawn(&args);
    let (_, ports) = wait_for_ports_file(dir.path());
    let addr = ports["nats"][0]
        .as_str()
        .unwrap()
        .trim_start_matches("nats://")
        .parse()
        .unwrap();
    (proc, dir, addr)
}

fn signal(proc: &Proc, sig: &str) {
    let status = Command::new("kill")
        .args([format!("-{sig}"), proc.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

fn wait_exit(proc: &mut Proc) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = proc.child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test]
async fn harness_flags_random_port_ports_file_and_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    let mut proc = spawn(&[
        "-a",
        "127.0.0.1",
        "-p",
        "-1",
        "-m",
        "-1",
        "-js",
        "--store_dir",
        store.path().to_str().unwrap(),
        "--ports_file_dir",
        dir.path().to_str().unwrap(),
    ]);
    let (path, ports) = wait_for_ports_file(dir.path());
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(name, format!("natrium-server_{}.ports", proc.child.id()));
    let url = ports["nats"][0].as_str().unwrap().to_owned();
    assert!(url.starts_with("nats://127.0.0.1:"), "{url}");
    assert!(ports["monitoring"][0]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:"));

    let client = async_nats::connect(&url).await.unwrap();
    client.flush().await.unwrap();

    signal(&proc, "TERM");
    let status = wait_exit(&mut proc);
    assert!(status.success(), "exit status {status}");
    assert!(!path.exists(), "ports file removed on shutdown");
}

#[tokio::test]
async fn sigint_also_shuts_down_gracefully() {
    let (mut proc, _dir, _) = spawn_ready(&[]);
    signal(&proc, "INT");
    assert!(wait_exit(&mut proc).success());
}

#[test]
fn version_and_help() {
    let out = Command::new(BIN).arg("--version").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("natrium-server: v"));
    let out = Command::new(BIN).arg("-h").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--port",
        "--store_dir",
        "--ports_file_dir",
        "--config",
        "--jetstream",
    ] {
        assert!(help.contains(flag), "help lacks {flag}");
    }
}

/// Runs the binary on a config file holding `text` and returns its stderr; the start
/// must fail.
fn start_fails_with(file_name: &str, text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join(file_name);
    std::fs::write(&conf, text).unwrap();
    let out = Command::new(BIN)
        .args(["-c", conf.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success(), "the start must fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn config_file_with_an_unknown_option_fails_with_its_position() {
    let err = start_fails_with(
        "bad.conf",
        "port: 4222\n\nmax_payload: 1MB\n  no_such_option: true\n",
    );
    assert!(
        err.contains("bad.conf:4:3"),
        "error names file, line and column: {err}"
    );
    assert!(
        err.contains("no_such_option"),
        "error names the option: {err}"
    );
}

#[test]
fn config_file_syntax_error_fails_with_its_position() {
    let err = start_fails_with("broken.conf", "authorization {\n  token: \"abc\n");
    assert!(err.contains("broken.conf:2"), "{err}");
}

#[test]
fn security_settings_natrium_cannot_enforce_yet_refuse_to_start() {
    let err = start_fails_with(
        "tls.conf",
        "tls {\n  cert_file: a.pem\n  key_file: b.pem\n  pinned_certs: [\"abc\"]\n}\n",
    );
    assert!(
        err.contains("tls.conf:4:") && err.contains("pinned_certs"),
        "{err}"
    );
    // Certificate files that cannot be read stop the start too, naming the file.
    let err = start_fails_with(
        "tls-files.conf",
        "tls {\n  cert_file: missing-cert.pem\n  key_file: missing-key.pem\n}\n",
    );
    assert!(err.contains("missing-cert.pem"), "{err}");
}

#[test]
fn unusable_auth_settings_refuse_to_start() {
    let err = start_fails_with(
        "nkey.conf",
        "authorization {\n  users: [ { nkey: UNOTAKEY } ]\n}\n",
    );
    assert!(err.contains("nkey.conf:2:"), "{err}");
    let err = start_fails_with(
        "noauth.conf",
        "no_auth_user: ghost\nauthorization { users: [ { user: a, password: b } ] }\n",
    );
    assert!(err.contains("ghost"), "{err}");
}

#[tokio::test]
async fn permissions_from_a_config_file_apply() {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("perms.conf");
    let hash = bcrypt::hash("guestpw", 4).unwrap();
    std::fs::write(
        &conf,
        format!(
            r#"
no_auth_user: guest
authorization {{
  default_permissions: {{ publish: "public.>", subscribe: {{ deny: "private.>" }} }}
  users: [
    {{ user: guest, password: "{hash}" }}
    {{ user: admin, password: root, permissions: {{ publish: ">", subscribe: ">" }} }}
  ]
}}
"#
        ),
    )
    .unwrap();
    let (_proc, _ports_dir, addr) = spawn_ready(&["-c", conf.to_str().unwrap()]);
    let mut guest = natrium_testkit::RawClient::connect(addr).await;
    assert!(guest.info_json().get("auth_required").is_none());
    guest.send("CONNECT {\"verbose\":false}\r\n").await;
    guest
        .send("SUB private.x 1\r\nPUB admin.x 1\r\nx\r\n")
        .await;
    guest
        .expect("-ERR 'Permissions Violation for Subscription to \"private.x\"'")
        .await;
    guest
        .expect("-ERR 'Permissions Violation for Publish to \"admin.x\"'")
        .await;
    guest.ping_pong().await;
    let mut admin = natrium_testkit::RawClient::connect(addr).await;
    admin
        .send("CONNECT {\"verbose\":false,\"user\":\"admin\",\"pass\":\"root\"}\r\nSUB private.x 1\r\nPUB private.x 1\r\ny\r\n")
        .await;
    admin.expect("MSG private.x 1 1").await;
    admin.expect("y").await;
}

#[tokio::test]
async fn config_file_options_apply_and_the_port_flag_overrides_listen() {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("server.conf");
    std::fs::write(
        &conf,
        "# comment\nlisten: 127.0.0.1:1 // overridden by -p\nmax_payload: 2KB\nNAME = \"natrium-test\"\nserver_name: $NAME\nauthorization {\n  users: [\n    {user: alice, password: wonderland}\n  ]\n  timeout: 1\n}\njetstream {\n  max_mem_store: 64MiB\n}\n",
    )
    .unwrap();
    let (_proc, _ports_dir, addr) = spawn_ready(&["-c", conf.to_str().unwrap()]);
    let mut raw = natrium_testkit::RawClient::connect(addr).await;
    let info = raw.info_json();
    assert_eq!(info["max_payload"], 2048);
    assert_eq!(info["server_name"], "natrium-test");
    assert_eq!(info["auth_required"], true);
    raw.send("CONNECT {\"verbose\":false,\"user\":\"alice\",\"pass\":\"wonderland\"}\r\n")
        .await;
    raw.ping_pong().await;
}

#[tokio::test]
async fn sigusr2_enters_lame_duck_mode_and_tells_clients() {
    let (mut proc, _dir, addr) = spawn_ready(&[]);
    let mut raw = natrium_testkit::RawClient::connect(addr).await;
    raw.send("CONNECT {\"verbose\":false}\r\n").await;
    raw.ping_pong().await;
    signal(&proc, "USR2");
    let line = raw.line().await;
    let info: serde_json::Value =
        serde_json::from_str(line.strip_prefix("INFO ").expect("an INFO")).unwrap();
    assert_eq!(info["ldm"], true);
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "no new clients in lame duck mode"
    );
    // A second signal cuts lame duck mode short.
    signal(&proc, "TERM");
    assert!(wait_exit(&mut proc).success());
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn cluster_from_the_harness_flags_and_from_a_config_block() {
    let (p1, p2) = (free_port(), free_port());
    let (_a, _a_dir, a_addr) = spawn_ready(&[
        "--server_name",
        "n1",
        "--cluster_name",
        "bin",
        "--cluster",
        &format!("nats://127.0.0.1:{p1}"),
        "--routes",
        &format!("nats://127.0.0.1:{p2}"),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("n2.conf");
    std::fs::write(
        &conf,
        format!(
            "server_name: n2\ncluster {{\n  name: bin\n  listen: 127.0.0.1:{p2}\n  routes: [\n    nats://127.0.0.1:{p1}\n  ]\n}}\n"
        ),
    )
    .unwrap();
    let (_b, _b_dir, b_addr) = spawn_ready(&["-c", conf.to_str().unwrap()]);

    // A client connecting once the route is up learns B's URL in its INFO.
    let want = serde_json::json!([a_addr.to_string(), b_addr.to_string()]);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let raw = natrium_testkit::RawClient::connect(a_addr).await;
        if raw.info_json()["connect_urls"] == want {
            break;
        }
        assert!(Instant::now() < deadline, "route never came up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Durability by default: every publish acknowledged before a `SIGKILL` is in the
/// stream after a restart on the same store directory.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_while_publishing_loses_no_acknowledged_message() {
    let store = tempfile::tempdir().unwrap();
    let sd = store.path().to_str().unwrap().to_owned();
    let (mut proc, _ports, addr) = spawn_ready(&["-js", "-sd", &sd]);
    let js = async_nats::jetstream::new(async_nats::connect(addr.to_string()).await.unwrap());
    js.create_stream(async_nats::jetstream::stream::Config {
        name: "CRASH".into(),
        subjects: vec!["crash.>".into()],
        ..Default::default()
    })
    .await
    .unwrap();

    let acked = std::sync::Arc::new(parking_lot::Mutex::new(Vec::new()));
    let mut publishers = Vec::new();
    for p in 0..8 {
        let js = js.clone();
        let acked = std::sync::Arc::clone(&acked);
        publishers.push(tokio::spawn(async move {
            for i in 0.. {
                let payload = format!("{p}-{i}");
                let Ok(pending) = js
                    .publish(format!("crash.{p}"), payload.clone().into())
                    .await
                else {
                    return;
                };
                match pending.await {
                    Ok(ack) => acked.lock().push((ack.sequence, payload)),
                    Err(_) => return,
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    proc.child.kill().unwrap();
    proc.child.wait().unwrap();
    for p in publishers {
        let _ = tokio::time::timeout(Duration::from_secs(10), p).await;
    }
    let acked = std::mem::take(&mut *acked.lock());
    assert!(
        acked.len() > 50,
        "only {} publishes were acknowledged",
        acked.len()
    );
    eprintln!("{} publishes acknowledged before SIGKILL", acked.len());

    let (_proc, _ports, addr) = spawn_ready(&["-js", "-sd", &sd]);
    let js = async_nats::jetstream::new(async_nats::connect(addr.to_string()).await.unwrap());
    let stream = js.get_stream("CRASH").await.unwrap();
    for (seq, payload) in &acked {
        let msg = stream
            .get_raw_message(*seq)
            .await
            .unwrap_or_else(|e| panic!("acknowledged sequence {seq} lost: {e}"));
        assert_eq!(msg.payload, payload.as_bytes(), "sequence {seq}");
    }
}

#[tokio::test]
async fn sync_interval_takes_a_duration_always_or_seconds() {
    let err = start_fails_with("js.conf", "jetstream {\n  sync_interval: \"soon\"\n}\n");
    assert!(err.contains("js.conf:2:"), "{err}");
    assert!(err.contains("sync_interval"), "{err}");

    for (text, always, nanos) in [
        ("\"2m\"", false, 120_000_000_000i64),
        ("always", true, 0),
        ("30", false, 30_000_000_000),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let conf = dir.path().join("js.conf");
        let sd = dir.path().join("store");
        std::fs::write(
            &conf,
            format!(
                "jetstream {{\n  store_dir: {:?}\n  sync_interval: {text}\n}}\n",
                sd
            ),
        )
        .unwrap();
        let http = free_port().to_string();
        let (_proc, _ports, _addr) = spawn_ready(&["-c", conf.to_str().unwrap(), "-m", &http]);
        let monitor = format!("127.0.0.1:{http}").parse().unwrap();
        let (_, _, body) = crate::monitor::http_get(monitor, "/jsz").await;
        let jsz: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            jsz["config"]["sync_always"].as_bool().unwrap_or(false),
            always,
            "{text}"
        );
        assert_eq!(
            jsz["config"]["sync_interval"].as_i64().unwrap_or(0),
            nanos,
            "{text}"
        );
    }
}

/// A full disk, simulated with a file-size limit (`ulimit -f`, `SIGXFSZ` ignored, so
/// writes past it fail with `EFBIG`): publishers get a JetStream error instead of an
/// ack, the server keeps serving, and every acknowledged message is intact after a
/// restart without the limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_publishes_and_corrupts_nothing() {
    let store = tempfile::tempdir().unwrap();
    let sd = store.path().to_str().unwrap().to_owned();
    let ports = tempfile::tempdir().unwrap();
    let script = format!(
        "trap '' XFSZ; ulimit -f 64; exec {BIN} -a 127.0.0.1 -p -1 --ports_file_dir {} -js -sd {sd}",
        ports.path().display()
    );
    let child = Command::new("sh")
        .args(["-c", &script])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut proc = Proc { child };
    let (_, json) = wait_for_ports_file(ports.path());
    let addr = json["nats"][0].as_str().unwrap().to_owned();
    let js = async_nats::jetstream::new(async_nats::connect(addr.clone()).await.unwrap());
    js.create_stream("FULL").await.unwrap();
    let mut acked = Vec::new();
    let mut refusal = None;
    for i in 0..2000 {
        let payload = format!("{i:0>1000}");
        match js
            .publish("FULL", payload.clone().into())
            .await
            .unwrap()
            .await
        {
            Ok(ack) => acked.push((ack.sequence, payload)),
            Err(e) => {
                refusal = Some(e.to_string());
                break;
            }
        }
    }
    let refusal = refusal.expect("a publish past the size limit is refused");
    assert!(!acked.is_empty());
    // The server still answers.
    js.query_account().await.unwrap();
    proc.child.kill().unwrap();
    proc.child.wait().unwrap();
    eprintln!(
        "{} acked before the disk filled; then: {refusal}",
        acked.len()
    );

    let (_proc, _ports, addr) = spawn_ready(&["-js", "-sd", &sd]);
    let js = async_nats::jetstream::new(async_nats::connect(addr.to_string()).await.unwrap());
    let stream = js.get_stream("FULL").await.unwrap();
    for (seq, payload) in &acked {
        let msg = stream.get_raw_message(*seq).await.unwrap();
        assert_eq!(msg.payload, payload.as_bytes(), "sequence {seq}");
    }
    js.publish("FULL", "after".into())
        .await
        .unwrap()
        .await
        .unwrap();
}

/// Connects as `user`/`pass`; true if the server admitted the client.
async fn admitted(addr: std::net::SocketAddr, user: &str, pass: &str) -> bool {
    let mut c = natrium_testkit::RawClient::connect(addr).await;
    c.send(format!(
        "CONNECT {{\"verbose\":false,\"user\":\"{user}\",\"pass\":\"{pass}\"}}\r\nPING\r\n"
    ))
    .await;
    c.line().await == "PONG"
}

#[tokio::test]
async fn sighup_and_signal_reload_apply_a_changed_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("reload.conf");
    let write = |password: &str, extra: &str| {
        std::fs::write(
            &conf,
            format!(
                "authorization {{ users: [ {{ user: alice, password: {password} }} ] }}\n{extra}"
            ),
        )
        .unwrap();
    };
    write("one", "");
    let (proc, _ports, addr) = spawn_ready(&["-c", conf.to_str().unwrap()]);
    let mut live = natrium_testkit::RawClient::connect(addr).await;
    live.send("CONNECT {\"verbose\":false,\"user\":\"alice\",\"pass\":\"one\"}\r\n")
        .await;
    live.ping_pong().await;

    write("two", "");
    signal(&proc, "HUP");
    live.expect("-ERR 'Authorization Violation'").await;
    assert!(admitted(addr, "alice", "two").await);
    assert!(!admitted(addr, "alice", "one").await);

    // A file asking for what a reload cannot do is refused as a whole.
    write("three", "server_name: renamed\n");
    signal(&proc, "HUP");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(admitted(addr, "alice", "two").await);
    assert!(!admitted(addr, "alice", "three").await);

    write("four", "");
    let status = Command::new(BIN)
        .args(["--signal", &format!("reload={}", proc.child.id())])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(5);
    while !admitted(addr, "alice", "four").await {
        assert!(Instant::now() < deadline, "--signal reload did not apply");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
