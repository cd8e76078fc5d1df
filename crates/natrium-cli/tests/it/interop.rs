//! The same commands against the reference nats-server (Go), including the system-account
//! requests (`server ping/list/info`) natrium-server does not answer yet.
//!
//! Skipped, with a message, unless `NATRIUM_REFERENCE_SERVER` names a nats-server binary.

use std::process::{Child, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;

use crate::common::{fail_stderr, json_stdout, ok_stdout, RELAXED};

pub struct GoServer {
    child: Child,
    pub url: String,
    _dir: tempfile::TempDir,
}

impl Drop for GoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_go() -> Option<GoServer> {
    start_go_with(String::new())
}

/// Starts nats-server with the test accounts and `extra` appended to its config.
fn start_go_with(extra: String) -> Option<GoServer> {
    start_go_conf(|dir| {
        format!(
            "jetstream {{ store_dir: {:?} }}\n\
             accounts {{\n  SYS {{ users [{{user: sys, password: sys}}] }}\n  \
             APP {{ jetstream: enabled, users [{{user: app, password: app}}] }}\n}}\n\
             system_account: SYS\n{extra}\n",
            dir.join("js").display().to_string()
        )
    })
}

/// Starts nats-server on a free port with `body(its temporary directory)` as the rest of
/// its config.
pub fn start_go_conf(body: impl FnOnce(&std::path::Path) -> String) -> Option<GoServer> {
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
    let body = body(dir.path());
    std::fs::write(
        &conf,
        format!("listen: 127.0.0.1:{port}\nserver_name: go1\n{body}"),
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
    let by_name = json_stdout(natrium(&go, "sys").args(["server", "info", "go1", "--json"]));
    assert_eq!(by_name["data"]["server_id"], varz["data"]["server_id"]);
    let by_id = varz["data"]["server_id"].as_str().unwrap().to_owned();
    let again = json_stdout(natrium(&go, "sys").args(["server", "info", &by_id, "-j"]));
    assert_eq!(again["data"]["server_name"], "go1");
    fail_stderr(
        natrium(&go, "sys").args(["server", "info", "nosuch", "--timeout", "500ms"]),
        1,
    );
    let human = ok_stdout(natrium(&go, "sys").args(["server", "info"]));
    assert!(human.contains("Name: go1"), "{human}");
    // An ordinary account may not send system requests.
    let err = fail_stderr(
        natrium(&go, "app").args(["server", "ping", "--timeout", "500ms"]),
        1,
    );
    assert!(err.contains("system account"), "{err}");
    let out = ok_stdout(
        natrium(&go, "app")
            .args(["server", "check", "connection"])
            .args(RELAXED),
    );
    assert!(out.starts_with("OK Connection"), "{out}");
}

/// Runs `openssl args...` in `dir`; false if openssl is missing or fails.
fn openssl(dir: &std::path::Path, args: &[&str]) -> bool {
    StdCommand::new("openssl")
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl.
fn make_certs(dir: &std::path::Path) -> bool {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut ok = openssl(
        dir,
        &[
            &["req", "-x509"][..],
            &ec,
            &[
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=natrium test CA",
            ],
        ]
        .concat(),
    );
    for (name, ext) in [
        (
            "server",
            "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
        ),
        (
            "client",
            "subjectAltName=DNS:client\nextendedKeyUsage=clientAuth\n",
        ),
    ] {
        std::fs::write(dir.join(format!("{name}.ext")), ext).unwrap();
        let (key, csr, pem, extfile) = (
            format!("{name}.key"),
            format!("{name}.csr"),
            format!("{name}.pem"),
            format!("{name}.ext"),
        );
        ok =
            ok && openssl(
                dir,
                &[
                    &["req"][..],
                    &ec,
                    &[
                        "-keyout",
                        &key,
                        "-out",
                        &csr,
                        "-subj",
                        &format!("/CN={name}"),
                    ],
                ]
                .concat(),
            ) && openssl(
                dir,
                &[
                    "x509",
                    "-req",
                    "-in",
                    &csr,
                    "-CA",
                    "ca.pem",
                    "-CAkey",
                    "ca.key",
                    "-CAcreateserial",
                    "-out",
                    &pem,
                    "-days",
                    "2",
                    "-extfile",
                    &extfile,
                ],
            );
    }
    ok
}

#[test]
fn tls_options_against_nats_server() {
    if std::env::var_os("NATRIUM_REFERENCE_SERVER").is_none() {
        eprintln!(
            "skipped: set NATRIUM_REFERENCE_SERVER to a nats-server binary to run the interop test"
        );
        return;
    }
    let certs = tempfile::tempdir().unwrap();
    if !make_certs(certs.path()) {
        eprintln!("skipped: openssl could not make test certificates");
        return;
    }
    let p = |f: &str| certs.path().join(f).display().to_string();
    let tls = format!(
        "tls {{ cert_file: {:?}, key_file: {:?}, ca_file: {:?}, verify: true }}",
        p("server.pem"),
        p("server.key"),
        p("ca.pem")
    );
    let Some(go) = start_go_with(tls) else {
        return;
    };
    let (ca, cert, key) = (p("ca.pem"), p("client.pem"), p("client.key"));
    let out = ok_stdout(
        natrium(&go, "app")
            .args([
                "--tlsca",
                &ca,
                "--tlscert",
                &cert,
                "--tlskey",
                &key,
                "server",
                "check",
                "connection",
            ])
            .args(RELAXED),
    );
    assert!(out.starts_with("OK Connection"), "{out}");
    // Without a client certificate the server refuses the handshake.
    let out = natrium(&go, "app")
        .args(["--tlsca", &ca, "server", "check", "connection"])
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out).unwrap().starts_with("CRITICAL"));
    // Without the CA the server's certificate is not trusted.
    fail_stderr(
        natrium(&go, "app").args(["--tlscert", &cert, "--tlskey", &key, "pub", "x", "y"]),
        1,
    );
}

/// A NATS JWT: `claims` under a fresh header, signed by `issuer`.
fn jwt(issuer: &nkeys::KeyPair, subject: &str, name: &str, nats: serde_json::Value) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let claims = serde_json::json!({
        "jti": format!("{name}{now}"),
        "iat": now,
        "iss": issuer.public_key(),
        "sub": subject,
        "name": name,
        "nats": nats,
    });
    let header = b64.encode(br#"{"typ":"JWT","alg":"ed25519-nkey"}"#);
    let body = b64.encode(claims.to_string());
    let signing_input = format!("{header}.{body}");
    let sig = issuer.sign(signing_input.as_bytes()).unwrap();
    format!("{signing_input}.{}", b64.encode(sig))
}

#[test]
fn creds_file_in_operator_mode() {
    let operator = nkeys::KeyPair::new_operator();
    let account = nkeys::KeyPair::new_account();
    let user = nkeys::KeyPair::new_user();
    let unlimited = serde_json::json!({
        "subs": -1, "data": -1, "payload": -1, "imports": -1, "exports": -1,
        "wildcards": true, "conn": -1, "leaf": -1,
    });
    let op_jwt = jwt(
        &operator,
        &operator.public_key(),
        "op",
        serde_json::json!({"type": "operator", "version": 2}),
    );
    let acct_jwt = jwt(
        &operator,
        &account.public_key(),
        "acct",
        serde_json::json!({"limits": unlimited, "type": "account", "version": 2}),
    );
    let user_jwt = jwt(
        &account,
        &user.public_key(),
        "user",
        serde_json::json!({
            "pub": {}, "sub": {}, "subs": -1, "data": -1, "payload": -1, "type": "user", "version": 2,
        }),
    );
    let account_pub = account.public_key();
    let Some(go) = start_go_conf(move |_| {
        format!("operator: {op_jwt}\nresolver: MEMORY\nresolver_preload: {{ {account_pub}: {acct_jwt} }}\n")
    }) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let creds = dir.path().join("user.creds");
    std::fs::write(
        &creds,
        format!(
            "-----BEGIN NATS USER JWT-----\n{user_jwt}\n------END NATS USER JWT------\n\n\
             -----BEGIN USER NKEY SEED-----\n{}\n------END USER NKEY SEED------\n",
            user.seed().unwrap()
        ),
    )
    .unwrap();
    let run = || {
        let mut cmd = Command::cargo_bin("natrium").unwrap();
        cmd.env_remove("NATS_URL")
            .env_remove("NATS_CONTEXT")
            .args(["--no-context", "-s", &go.url])
            .timeout(Duration::from_secs(30));
        cmd
    };
    let out = ok_stdout(
        run()
            .args([
                "--creds",
                creds.to_str().unwrap(),
                "server",
                "check",
                "connection",
            ])
            .args(RELAXED),
    );
    assert!(out.starts_with("OK Connection"), "{out}");
    // The same JWT with another user's seed cannot sign the nonce.
    let other = nkeys::KeyPair::new_user();
    let forged = dir.path().join("forged.creds");
    let text = std::fs::read_to_string(&creds)
        .unwrap()
        .replace(&user.seed().unwrap(), &other.seed().unwrap());
    std::fs::write(&forged, text).unwrap();
    fail_stderr(
        run().args(["--creds", forged.to_str().unwrap(), "pub", "x", "y"]),
        1,
    );
}
