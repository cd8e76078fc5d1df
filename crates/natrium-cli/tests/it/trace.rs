//! `natrium trace` against a server that traces messages: the reference nats-server when
//! `NATRIUM_REFERENCE_SERVER` names one, and natrium-server.

use std::time::Duration;

use futures::StreamExt;
use natrium_server::options::{Permissions, SubjectPermission, User};

use crate::common::{ok_stdout, Env};
use crate::interop::start_go_conf;

/// `natrium -s <url>` with a clean environment.
fn natrium(url: &str) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("natrium").unwrap();
    cmd.env_remove("NATS_URL")
        .env_remove("NATS_CONTEXT")
        .env_remove("NATS_TIMEOUT")
        .args(["--no-context", "-s", url])
        .timeout(Duration::from_secs(30));
    cmd
}

/// One subscriber on `foo`; a trace shows the message entering from a client of account
/// `$G` and leaving to that subscription, without delivering it; `--deliver` delivers it.
fn trace_one_subscriber(url: &str, rt: &tokio::runtime::Runtime) {
    let client = rt.block_on(async_nats::connect(url)).unwrap();
    let mut sub = rt.block_on(client.subscribe("foo")).unwrap();
    rt.block_on(client.flush()).unwrap();
    let no_message = |sub: &mut async_nats::Subscriber| {
        let got = rt
            .block_on(async { tokio::time::timeout(Duration::from_millis(300), sub.next()).await });
        assert!(got.is_err(), "the subscriber received {got:?}");
    };

    let out = ok_stdout(natrium(url).args(["trace", "foo", "hello"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "Tracing message route to subject foo", "{out}");
    let ingress: Vec<&&str> = lines.iter().filter(|l| l.starts_with("Client ")).collect();
    assert_eq!(ingress.len(), 1, "{out}");
    assert!(
        ingress[0].ends_with("account:\"$G\" subject:\"foo\""),
        "{out}"
    );
    let egress: Vec<&&str> = lines.iter().filter(|l| l.starts_with("--C ")).collect();
    assert_eq!(egress.len(), 1, "{out}");
    assert!(egress[0].ends_with("subject:\"foo\""), "{out}");
    assert!(out.contains("Egress Count:\n\n  Client: 1\n"), "{out}");
    no_message(&mut sub);

    // The raw events: one object a line, the ingress first.
    let out = ok_stdout(natrium(url).args(["trace", "foo", "--json", "-H", "X-Test:1"]));
    let events: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), 1, "{out}");
    let e = &events[0];
    assert_eq!(e["events"][0]["type"], "in", "{e}");
    assert_eq!(e["events"][0]["acc"], "$G", "{e}");
    assert_eq!(e["request"]["header"]["X-Test"][0], "1", "{e}");
    assert_eq!(e["request"]["header"]["Nats-Trace-Only"][0], "true", "{e}");
    no_message(&mut sub);

    let out = ok_stdout(natrium(url).args(["trace", "foo", "hello", "--deliver"]));
    assert!(out.starts_with(
        "Tracing message route to subject foo with delivery to the final destination\n"
    ));
    let msg = rt
        .block_on(async { tokio::time::timeout(Duration::from_secs(5), sub.next()).await })
        .expect("--deliver delivers")
        .unwrap();
    assert_eq!(&msg.payload[..], b"hello");
    let headers = msg.headers.unwrap();
    assert!(headers.get("Nats-Trace-Dest").is_some(), "{headers:?}");
    assert!(headers.get("Nats-Trace-Only").is_none(), "{headers:?}");

    let out = ok_stdout(natrium(url).args(["trace", "nobody.listens"]));
    assert!(
        out.contains("subject:\"nobody.listens\"\n--X No active interest\n"),
        "{out}"
    );
}

#[test]
fn trace_against_nats_server() {
    let Some(go) = start_go_conf(|dir| {
        format!(
            "jetstream {{ store_dir: {:?} }}\n",
            dir.join("js").display().to_string()
        )
    }) else {
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    trace_one_subscriber(&go.url, &rt);

    // A stream's subject: the JetStream step names the stream.
    ok_stdout(natrium(&go.url).args(["stream", "add", "ORD", "--subjects", "ord.*", "--defaults"]));
    let out = ok_stdout(natrium(&go.url).args(["trace", "ord.new", "x"]));
    assert!(
        out.contains("\n--J JetStream action:\"stored\" stream:\"ORD\" subject:\"ord.new\"\n"),
        "{out}"
    );
    let info = crate::common::json_stdout(natrium(&go.url).args(["stream", "info", "ORD", "-j"]));
    assert_eq!(info["state"]["messages"], 0, "trace only: nothing stored");
}

#[test]
fn trace_against_natrium_server() {
    let env = Env::start();
    let rt = tokio::runtime::Runtime::new().unwrap();
    trace_one_subscriber(&env.url(), &rt);

    // A stream's subject: the JetStream step names the stream, nothing is stored.
    ok_stdout(natrium(&env.url()).args([
        "stream",
        "add",
        "ORD",
        "--subjects",
        "ord.*",
        "--defaults",
    ]));
    let out = ok_stdout(natrium(&env.url()).args(["trace", "ord.new", "x"]));
    assert!(
        out.contains("\n--J JetStream action:\"stored\" stream:\"ORD\" subject:\"ord.new\"\n"),
        "{out}"
    );
    let info =
        crate::common::json_stdout(natrium(&env.url()).args(["stream", "info", "ORD", "-j"]));
    assert_eq!(info["state"]["messages"], 0, "trace only: nothing stored");
}

#[test]
fn no_events_is_a_timeout_error() {
    // A user who may not subscribe to inboxes never receives trace events, whether or
    // not the server traces.
    let env = Env::start_with(|o| {
        o.auth.users = vec![User {
            username: "u".into(),
            password: "u".into(),
            permissions: Some(Permissions {
                subscribe: Some(SubjectPermission {
                    allow: None,
                    deny: vec!["_INBOX.>".into()],
                }),
                ..Permissions::default()
            }),
            ..User::default()
        }];
    });
    let out = natrium(&env.url())
        .args(["--user", "u", "--password", "u"])
        .args(["trace", "quiet", "--timeout", "300ms"])
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("timeout waiting for trace events"), "{err}");
}

/// A nats-server started from a config text, killed on drop.
struct Go(std::process::Child);

impl Drop for Go {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

#[test]
fn a_hop_to_another_server_is_traced_there() {
    let Some(bin) = std::env::var_os("NATRIUM_REFERENCE_SERVER") else {
        eprintln!("skipped: set NATRIUM_REFERENCE_SERVER to a nats-server binary");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let client_ports = [free_port(), free_port()];
    let route_ports = [free_port(), free_port()];
    let routes = format!(
        "nats://127.0.0.1:{}, nats://127.0.0.1:{}",
        route_ports[0], route_ports[1]
    );
    let mut servers = Vec::new();
    for i in 0..2 {
        let conf = dir.path().join(format!("s{i}.conf"));
        std::fs::write(
            &conf,
            format!(
                "server_name: s{i}\nlisten: 127.0.0.1:{}\n\
                 cluster {{ name: c1, listen: 127.0.0.1:{}, routes: [{routes}] }}\n",
                client_ports[i], route_ports[i]
            ),
        )
        .unwrap();
        let child = std::process::Command::new(&bin)
            .args(["-c", conf.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        servers.push(Go(child));
    }
    let urls = client_ports.map(|p| format!("nats://127.0.0.1:{p}"));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (mut sub, sender) = rt.block_on(async {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        let connect = |url: String| async move {
            loop {
                if let Ok(c) = async_nats::connect(url.as_str()).await {
                    return c;
                }
                assert!(tokio::time::Instant::now() < deadline, "no server at {url}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        };
        let (far, near) = (
            connect(urls[1].clone()).await,
            connect(urls[0].clone()).await,
        );
        let mut sub = far.subscribe("foo").await.unwrap();
        far.flush().await.unwrap();
        // The route is up and carries the interest once a message gets across.
        loop {
            near.publish("foo", "ping".into()).await.unwrap();
            near.flush().await.unwrap();
            if tokio::time::timeout(Duration::from_millis(100), sub.next())
                .await
                .is_ok()
            {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the route never came up"
            );
        }
        // Drop the pings still on their way.
        while tokio::time::timeout(Duration::from_millis(200), sub.next())
            .await
            .is_ok()
        {}
        (sub, (far, near))
    });

    let out = ok_stdout(natrium(&urls[0]).args(["trace", "foo"]));
    let lines: Vec<&str> = out.lines().collect();
    let at = |prefix: &str| {
        lines
            .iter()
            .position(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line starting {prefix:?}: {out}"))
    };
    let ingress = at("Client ");
    assert!(
        lines[ingress].contains("cluster:\"c1\" server:\"s0\""),
        "{out}"
    );
    let route = at("--> Router \"s1\" rid:");
    let remote = at("    Router \"s0\" rid:");
    let delivered = at("    --C Client ");
    assert!(
        ingress < route && route < remote && remote < delivered,
        "{out}"
    );
    assert!(lines[remote].contains("server:\"s1\""), "{out}");
    assert!(lines[delivered].ends_with("subject:\"foo\""), "{out}");
    assert!(!out.contains("!!!"), "every hop reported: {out}");

    let got =
        rt.block_on(async { tokio::time::timeout(Duration::from_millis(300), sub.next()).await });
    assert!(
        got.is_err(),
        "trace only, yet the far subscriber got {got:?}"
    );
    drop(sender);
    drop(servers);
}
