//! `natrium mcp`: the real binary speaking JSON-RPC (MCP) over piped stdio to this test,
//! against the in-process server.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command as StdCommand, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use async_nats::jetstream;
use serde_json::{json, Value};

use crate::common::Env;

struct Mcp {
    child: Child,
    stdin: ChildStdin,
    lines: mpsc::Receiver<String>,
    next_id: u64,
}

impl Mcp {
    /// `natrium -s <url> mcp extra...`, initialized.
    fn start(env: &Env, extra: &[&str]) -> Self {
        let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("natrium"))
            .env_remove("NATS_URL")
            .env_remove("NATS_CONTEXT")
            .env("NATRIUM_CONFIG_DIR", env.cfg.path())
            .args(["-s", &env.url(), "mcp", "--backup-dir"])
            .arg(env.cfg.path().join("backups"))
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in stdout.lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut mcp = Self {
            child,
            stdin,
            lines,
            next_id: 1,
        };
        let init = mcp.rpc(
            "initialize",
            json!({
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": { "name": "natrium-test", "version": "0" }
            }),
        );
        assert_eq!(init["result"]["serverInfo"]["name"], "natrium", "{init}");
        assert!(
            init["result"]["capabilities"]["tools"].is_object(),
            "{init}"
        );
        mcp.send(&json!({ "jsonrpc": "2.0", "method": "notifications/initialized" }));
        mcp
    }

    fn send(&mut self, msg: &Value) {
        writeln!(self.stdin, "{msg}").unwrap();
        self.stdin.flush().unwrap();
    }

    /// A request and its response (other messages skipped).
    fn rpc(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(20))
                .unwrap_or_else(|_| panic!("no response to {method}"));
            let v: Value = serde_json::from_str(&line).unwrap();
            if v["id"] == json!(id) {
                return v;
            }
        }
    }

    fn tool_names(&mut self) -> Vec<String> {
        let list = self.rpc("tools/list", json!({}));
        let tools = list["result"]["tools"].as_array().unwrap().clone();
        for t in &tools {
            assert_eq!(t["inputSchema"]["type"], "object", "{t}");
            assert!(t["inputSchema"]["properties"].is_object(), "{t}");
            assert!(
                t["description"].as_str().is_some_and(|d| !d.is_empty()),
                "{t}"
            );
        }
        tools
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_owned())
            .collect()
    }

    /// A tool call's result object.
    fn call(&mut self, name: &str, args: Value) -> Value {
        let resp = self.rpc("tools/call", json!({ "name": name, "arguments": args }));
        resp["result"].clone()
    }

    /// A successful tool call's JSON result.
    fn ok(&mut self, name: &str, args: Value) -> Value {
        let r = self.call(name, args);
        assert_ne!(r["isError"], json!(true), "{name}: {r}");
        let text = r["content"][0]["text"].as_str().unwrap();
        serde_json::from_str(text).unwrap()
    }

    /// A failed tool call's error text.
    fn err(&mut self, name: &str, args: Value) -> String {
        let r = self.call(name, args);
        assert_eq!(r["isError"], json!(true), "{name}: {r}");
        r["content"][0]["text"].as_str().unwrap().to_owned()
    }
}

impl Drop for Mcp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn add_stream(env: &Env, name: &str, subject: &str) {
    let client = env.client();
    env.block_on(async {
        jetstream::new(client)
            .create_stream(jetstream::stream::Config {
                name: name.into(),
                subjects: vec![subject.into()],
                ..Default::default()
            })
            .await
            .unwrap();
    });
}

#[test]
fn lists_tools_and_round_trips_publish_through_stream_view() {
    let env = Env::start();
    add_stream(&env, "ORDERS", "orders.>");
    let mut mcp = Mcp::start(&env, &[]);
    let names = mcp.tool_names();
    for want in [
        "server_info",
        "server_list",
        "server_ping",
        "rtt",
        "account_info",
        "account_report_connections",
        "stream_list",
        "stream_info",
        "stream_state",
        "stream_subjects",
        "stream_view",
        "stream_get",
        "stream_find",
        "kv_ls",
        "kv_info",
        "kv_get",
        "kv_put",
        "kv_create",
        "kv_update",
        "kv_del",
        "kv_purge",
        "kv_history",
        "kv_watch",
        "kv_add",
        "object_ls",
        "object_info",
        "object_get",
        "object_put",
        "object_del",
        "object_add",
        "object_seal",
        "publish",
        "request",
        "consumer_list",
        "consumer_info",
        "consumer_pause",
        "consumer_resume",
        "account_backup",
        "account_restore",
    ] {
        assert!(
            names.iter().any(|n| n == want),
            "{want} missing from {names:?}"
        );
    }

    mcp.ok(
        "publish",
        json!({ "subject": "orders.1", "body": "hello", "headers": { "X-Id": "7" } }),
    );
    for i in 2..=6 {
        mcp.ok(
            "publish",
            json!({ "subject": format!("orders.{i}"), "body": format!("m{i}") }),
        );
    }
    let view = mcp.ok("stream_view", json!({ "stream": "ORDERS" }));
    assert_eq!(view["count"], 6, "{view}");
    assert_eq!(view["truncated"], false);
    let first = &view["messages"][0];
    assert_eq!(first["subject"], "orders.1");
    assert_eq!(first["data"], "hello");
    assert_eq!(first["seq"], 1);
    assert_eq!(first["headers"]["X-Id"][0], "7", "{first}");

    // Bounded: two messages, then a truncation marker and where to go on.
    let view = mcp.ok(
        "stream_view",
        json!({ "stream": "ORDERS", "max_messages": 2 }),
    );
    assert_eq!(view["count"], 2);
    assert_eq!(view["truncated"], true);
    assert_eq!(view["next_seq"], 3);
    let view = mcp.ok("stream_view", json!({ "stream": "ORDERS", "max_bytes": 3 }));
    assert_eq!(
        view["count"], 1,
        "a first message larger than max_bytes comes cut"
    );
    assert_eq!(view["messages"][0]["data"], "hel");
    assert_eq!(view["messages"][0]["data_truncated"], true);
    assert_eq!(view["truncated"], true);
    let view = mcp.ok(
        "stream_view",
        json!({ "stream": "ORDERS", "start_seq": 5, "subject": "orders.6" }),
    );
    assert_eq!(view["count"], 1);
    assert_eq!(view["messages"][0]["data"], "m6");

    let got = mcp.ok(
        "stream_get",
        json!({ "stream": "ORDERS", "last_by_subject": "orders.3" }),
    );
    assert_eq!(got["messages"][0]["data"], "m3");
    let state = mcp.ok("stream_state", json!({ "stream": "ORDERS" }));
    assert_eq!(state["messages"], 6);
    let found = mcp.ok("stream_find", json!({ "subject": "orders.9" }));
    assert_eq!(found["streams"], json!(["ORDERS"]));
    let err = mcp.err("stream_info", json!({ "stream": "NOPE" }));
    assert!(err.contains("not found"), "{err}");
    let err = mcp.err("stream_view", json!({}));
    assert!(err.contains("missing argument \"stream\""), "{err}");
}

#[test]
fn kv_tools_put_get_and_bound_history() {
    let env = Env::start();
    let mut mcp = Mcp::start(&env, &[]);
    mcp.ok("kv_add", json!({ "bucket": "CFG", "history": 10 }));
    let put = mcp.ok(
        "kv_put",
        json!({ "bucket": "CFG", "key": "color", "value": "red" }),
    );
    assert_eq!(put["revision"], 1);
    mcp.ok(
        "kv_put",
        json!({ "bucket": "CFG", "key": "color", "value": "blue" }),
    );
    let got = mcp.ok("kv_get", json!({ "bucket": "CFG", "key": "color" }));
    assert_eq!(got["entries"][0]["data"], "blue", "{got}");
    assert_eq!(got["entries"][0]["revision"], 2);
    let old = mcp.ok(
        "kv_get",
        json!({ "bucket": "CFG", "key": "color", "revision": 1 }),
    );
    assert_eq!(old["entries"][0]["data"], "red");
    let err = mcp.err(
        "kv_create",
        json!({ "bucket": "CFG", "key": "color", "value": "x" }),
    );
    assert!(!err.is_empty());
    let err = mcp.err("kv_get", json!({ "bucket": "CFG", "key": "missing" }));
    assert!(err.contains("not found"), "{err}");
    let hist = mcp.ok(
        "kv_history",
        json!({ "bucket": "CFG", "key": "color", "max_messages": 1 }),
    );
    assert_eq!(hist["count"], 1);
    assert_eq!(hist["truncated"], true);
    let keys = mcp.ok("kv_ls", json!({ "bucket": "CFG" }));
    assert_eq!(keys["keys"], json!(["color"]));
    let buckets = mcp.ok("kv_ls", json!({}));
    assert_eq!(buckets["buckets"], json!(["CFG"]));
    let watch = mcp.ok("kv_watch", json!({ "bucket": "CFG", "wait_ms": 200 }));
    assert_eq!(watch["entries"][0]["data"], "blue", "{watch}");
}

#[test]
fn read_only_hides_and_refuses_every_writing_tool() {
    let env = Env::start();
    add_stream(&env, "RO", "ro.>");
    let mut mcp = Mcp::start(&env, &["--read-only"]);
    let names = mcp.tool_names();
    for gone in [
        "publish",
        "request",
        "kv_put",
        "kv_add",
        "kv_del",
        "object_put",
        "object_seal",
        "consumer_pause",
        "account_backup",
        "account_restore",
    ] {
        assert!(
            !names.iter().any(|n| n == gone),
            "{gone} listed in read-only mode"
        );
    }
    assert!(names.iter().any(|n| n == "stream_view"));
    let err = mcp.err("publish", json!({ "subject": "ro.1", "body": "x" }));
    assert!(err.contains("read-only"), "{err}");
    let err = mcp.err("kv_put", json!({ "bucket": "B", "key": "k", "value": "v" }));
    assert!(err.contains("read-only"), "{err}");
    let state = mcp.ok("stream_state", json!({ "stream": "RO" }));
    assert_eq!(state["messages"], 0, "nothing was published");
}

#[test]
fn backup_and_restore_stay_inside_the_backup_directory() {
    let env = Env::start();
    add_stream(&env, "BK", "bk.>");
    let mut mcp = Mcp::start(&env, &[]);
    for i in 1..=3 {
        mcp.ok("publish", json!({ "subject": format!("bk.{i}"), "body": format!("v{i}"), "headers": { "H": "x" } }));
    }
    let out = mcp.ok("account_backup", json!({ "path": "b1", "streams": ["BK"] }));
    assert_eq!(out["streams"][0]["messages"], 3, "{out}");
    let dir = env.cfg.path().join("backups/b1/BK");
    assert!(dir.join("config.json").is_file());
    let lines = std::fs::read_to_string(dir.join("messages.jsonl")).unwrap();
    assert_eq!(lines.lines().count(), 3);

    let client = env.client();
    env.block_on(async {
        jetstream::new(client.clone())
            .delete_stream("BK")
            .await
            .unwrap();
    });
    let out = mcp.ok("account_restore", json!({ "path": "b1" }));
    assert_eq!(out["streams"][0]["messages"], 3, "{out}");
    let view = mcp.ok("stream_view", json!({ "stream": "BK" }));
    assert_eq!(view["count"], 3);
    assert_eq!(view["messages"][2]["data"], "v3");
    assert_eq!(view["messages"][2]["headers"]["H"][0], "x");

    for bad in ["../elsewhere", "/tmp", "b1/../../x"] {
        let err = mcp.err("account_restore", json!({ "path": bad }));
        assert!(err.contains("inside the backup directory"), "{bad}: {err}");
        let err = mcp.err("account_backup", json!({ "path": bad }));
        assert!(err.contains("inside the backup directory"), "{bad}: {err}");
    }
}

#[test]
fn object_consumer_and_account_tools() {
    let env = Env::start();
    add_stream(&env, "WORK", "work.>");
    let client = env.client();
    env.block_on(async {
        let js = jetstream::new(client.clone());
        let stream = js.get_stream("WORK").await.unwrap();
        stream
            .create_consumer(jetstream::consumer::pull::Config {
                durable_name: Some("w1".into()),
                ..Default::default()
            })
            .await
            .unwrap();
    });
    let mut mcp = Mcp::start(&env, &[]);

    mcp.ok("object_add", json!({ "bucket": "FILES" }));
    let put = mcp.ok(
        "object_put",
        json!({ "bucket": "FILES", "name": "a.txt", "data": "0123456789" }),
    );
    assert_eq!(put["size"], 10, "{put}");
    let bin = mcp.ok(
        "object_put",
        json!({ "bucket": "FILES", "name": "b.bin", "data": "/wD+", "encoding": "base64" }),
    );
    assert_eq!(bin["size"], 3);
    let got = mcp.ok(
        "object_get",
        json!({ "bucket": "FILES", "name": "a.txt", "max_bytes": 4 }),
    );
    assert_eq!(got["data"], "0123");
    assert_eq!(got["truncated"], true);
    let got = mcp.ok("object_get", json!({ "bucket": "FILES", "name": "b.bin" }));
    assert_eq!(got["data_base64"], "/wD+");
    assert_eq!(got["truncated"], false);
    let ls = mcp.ok("object_ls", json!({ "bucket": "FILES", "max_messages": 1 }));
    assert_eq!(ls["count"], 1);
    assert_eq!(ls["truncated"], true);
    assert_eq!(mcp.ok("object_ls", json!({}))["buckets"], json!(["FILES"]));
    mcp.ok("object_del", json!({ "bucket": "FILES", "name": "b.bin" }));
    let gone = mcp.ok("object_info", json!({ "bucket": "FILES", "name": "b.bin" }));
    assert_eq!(gone["deleted"], true, "{gone}");
    let err = mcp.err("object_get", json!({ "bucket": "FILES", "name": "b.bin" }));
    assert!(!err.is_empty());
    mcp.ok("object_seal", json!({ "bucket": "FILES" }));
    let info = mcp.ok("object_info", json!({ "bucket": "FILES" }));
    assert_eq!(info["config"]["sealed"], true, "{info}");
    let err = mcp.err(
        "object_put",
        json!({ "bucket": "FILES", "name": "c", "data": "x" }),
    );
    assert!(!err.is_empty(), "a sealed bucket takes no more objects");

    let list = mcp.ok("consumer_list", json!({ "stream": "WORK" }));
    assert_eq!(list["count"], 1);
    let info = mcp.ok(
        "consumer_info",
        json!({ "stream": "WORK", "consumer": "w1" }),
    );
    assert_eq!(info["name"], "w1");
    let err = mcp.err(
        "consumer_info",
        json!({ "stream": "WORK", "consumer": "nope" }),
    );
    assert!(err.contains("not found"), "{err}");

    let acct = mcp.ok("account_info", json!({}));
    assert!(acct["streams"].as_u64().unwrap() >= 2, "{acct}");
    let rtt = mcp.ok("rtt", json!({}));
    assert!(rtt["rtt_ns"].as_u64().is_some(), "{rtt}");

    // A reply comes back bounded; nobody listening is an error result.
    let err = mcp.err(
        "request",
        json!({ "subject": "nobody.home", "timeout_ms": 500 }),
    );
    assert!(err.contains("nobody.home"), "{err}");
}
