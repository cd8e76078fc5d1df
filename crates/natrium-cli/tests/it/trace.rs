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
#[ignore = "needs server message tracing"]
fn trace_against_natrium_server() {
    let env = Env::start();
    let rt = tokio::runtime::Runtime::new().unwrap();
    trace_one_subscriber(&env.url(), &rt);
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
