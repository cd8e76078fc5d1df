//! Files: includes, a realistic nats-server config, and errors that name file, line
//! and column.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use std::path::{Path, PathBuf};

use natrium_conf::{parse_file, parse_file_with_env, parse_str_with_env, ConfError, Map};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, text).unwrap();
    path
}

fn env(name: &str) -> Option<String> {
    match name {
        "NATS_STORE" => Some("/var/lib/nats".to_owned()),
        "SYS_PASS" => Some("\"s3cr3t pass\"".to_owned()),
        _ => None,
    }
}

fn parse(path: &Path) -> Result<Map, ConfError> {
    parse_file_with_env(path, &env)
}

const MAIN: &str = r#"
# Natrium / nats-server configuration
server_name: "n1"
listen: 0.0.0.0:4222
http_port: 8222          // monitoring
max_payload: 1MB
max_pending: 64MiB
write_deadline: "10s"
ping_interval: 2m        # beware: an integer (2,000,000), not 2 minutes
debug: false; trace: off

include ./auth/users.conf

jetstream {
  store_dir: $NATS_STORE
  max_memory_store: 512MiB
  max_file_store: 10GiB
  limits { max_request_batch: 100 }
}

tls {
  cert_file: "./certs/server.pem"
  key_file:  './certs/server-key.pem'
  timeout:   2.5
  verify:    true
}

accounts {
  SYS: { users: [ { user: sys, password: $SYS_PASS } ] }
}
system_account: SYS
"#;

const USERS: &str = r#"
// Included from the main file; paths here are relative to auth/.
operator_pass = "op-pass"
authorization {
  default_permissions = { publish = "app.>", subscribe = ["app.>", "_INBOX.>"] }
  users = [
    {user: alice, password: "a-pass", permissions: {publish: ["orders.>"]}}
    {user: bob,   password: $2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG}
    {user: ops,   password: $operator_pass}
  ]
  timeout: 1.5
}
include 'more/limits.conf'
"#;

const LIMITS: &str = "max_connections: 64K\nmax_control_line = 4KB\n";

#[test]
fn realistic_config_with_includes() {
    let dir = tempfile::tempdir().unwrap();
    let main = write(dir.path(), "nats.conf", MAIN);
    write(dir.path(), "auth/users.conf", USERS);
    let limits = write(dir.path(), "auth/more/limits.conf", LIMITS);

    let m = parse(&main).unwrap();
    assert_eq!(m.get("server_name").unwrap().as_str(), Some("n1"));
    assert_eq!(m.get("listen").unwrap().as_str(), Some("0.0.0.0:4222"));
    assert_eq!(m.get("http_port").unwrap().as_i64(), Some(8222));
    assert_eq!(m.get("max_payload").unwrap().as_i64(), Some(1 << 20));
    assert_eq!(m.get("max_pending").unwrap().as_i64(), Some(64 << 20));
    assert_eq!(m.get("write_deadline").unwrap().as_str(), Some("10s"));
    assert_eq!(m.get("ping_interval").unwrap().as_i64(), Some(2_000_000));
    assert_eq!(m.get("debug").unwrap().as_bool(), Some(false));
    assert_eq!(m.get("trace").unwrap().as_bool(), Some(false));

    let js = m.get("jetstream").unwrap().as_map().unwrap();
    assert_eq!(js.get("store_dir").unwrap().as_str(), Some("/var/lib/nats"));
    assert_eq!(
        js.get("max_memory_store").unwrap().as_i64(),
        Some(512 << 20)
    );
    assert_eq!(js.get("max_file_store").unwrap().as_i64(), Some(10 << 30));

    let tls = m.get("tls").unwrap().as_map().unwrap();
    assert_eq!(
        tls.get("key_file").unwrap().as_str(),
        Some("./certs/server-key.pem")
    );
    assert_eq!(tls.get("timeout").unwrap().as_f64(), Some(2.5));
    assert_eq!(tls.get("verify").unwrap().as_bool(), Some(true));

    let sys = m
        .get("accounts")
        .unwrap()
        .as_map()
        .unwrap()
        .get("SYS")
        .unwrap();
    let sys_user = &sys
        .as_map()
        .unwrap()
        .get("users")
        .unwrap()
        .as_array()
        .unwrap()[0];
    assert_eq!(
        sys_user.as_map().unwrap().get("password").unwrap().as_str(),
        Some("s3cr3t pass")
    );

    // Keys from the included files, merged in place.
    let auth = m.get("authorization").unwrap().as_map().unwrap();
    let users = auth.get("users").unwrap().as_array().unwrap();
    assert_eq!(users.len(), 3);
    let user = |i: usize, k: &str| {
        users[i]
            .as_map()
            .unwrap()
            .get(k)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(user(0, "user"), "alice");
    assert!(user(1, "password").starts_with("$2a$11$"));
    assert_eq!(user(2, "password"), "op-pass");
    let perms = auth.get("default_permissions").unwrap().as_map().unwrap();
    assert_eq!(perms.get("subscribe").unwrap().as_array().unwrap().len(), 2);
    assert_eq!(m.get("max_connections").unwrap().as_i64(), Some(64_000));
    assert_eq!(m.get("max_control_line").unwrap().as_i64(), Some(4096));

    // Positions name the file each value was written in.
    let max_conn = m.get_entry("max_connections").unwrap();
    assert_eq!(max_conn.0.pos.file.as_deref(), Some(&limits));
    assert_eq!((max_conn.1.pos.line, max_conn.1.pos.col), (1, 18));
    let sn = m.get("server_name").unwrap();
    assert_eq!(sn.pos.to_string(), format!("{}:3:14", main.display()));
}

#[test]
fn include_forms_and_scoping() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.conf", "a = 1\n");
    write(dir.path(), "sub/b.conf", "b = 2\n");
    write(dir.path(), "uses_var.conf", "c = $outer\n");
    let main = write(
        dir.path(),
        "main.conf",
        "include a.conf\ninclude \"sub/b.conf\"\nm { include 'a.conf' }\na = 3\n",
    );
    let m = parse(&main).unwrap();
    assert_eq!(
        m.get("a").unwrap().as_i64(),
        Some(3),
        "later keys replace included ones"
    );
    assert_eq!(m.get("b").unwrap().as_i64(), Some(2));
    assert_eq!(
        m.get("m")
            .unwrap()
            .as_map()
            .unwrap()
            .get("a")
            .unwrap()
            .as_i64(),
        Some(1)
    );

    // Like Go's filepath.Join, an absolute name is still taken below the directory.
    let abs = write(dir.path(), "abs.conf", "include /sub/b.conf\n");
    assert_eq!(parse(&abs).unwrap().get("b").unwrap().as_i64(), Some(2));

    // An included file does not see the including file's variables.
    let scoped = write(
        dir.path(),
        "scoped.conf",
        "outer = 1\ninclude uses_var.conf\n",
    );
    let e = parse(&scoped).unwrap_err();
    let text = e.to_string();
    assert!(
        text.starts_with(&format!(
            "{}:2:1: error parsing include file 'uses_var.conf': ",
            scoped.display()
        )),
        "{text}"
    );
    assert!(
        text.contains("uses_var.conf:1:5: variable reference for 'outer' can not be found"),
        "{text}"
    );
    assert!(matches!(e.root(), ConfError::Syntax { .. }));
    assert_eq!(
        e.root().pos().unwrap().file.as_deref(),
        Some(&dir.path().join("uses_var.conf"))
    );
}

#[test]
fn include_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = write(
        dir.path(),
        "missing.conf",
        "port = 1\n  include nope.conf\n",
    );
    let e = parse(&missing).unwrap_err();
    assert!(matches!(e, ConfError::Io { at: Some(_), .. }), "{e:?}");
    let text = e.to_string();
    assert!(
        text.starts_with(&format!(
            "{}:2:3: cannot read config file '",
            missing.display()
        )),
        "{text}"
    );
    assert!(text.contains("nope.conf"), "{text}");

    let a = write(dir.path(), "cycle_a.conf", "x = 1\ninclude cycle_b.conf\n");
    write(dir.path(), "cycle_b.conf", "include cycle_a.conf\n");
    let text = parse(&a).unwrap_err().to_string();
    assert!(text.contains("cycle_b.conf:1:1: include cycle"), "{text}");

    let own = write(dir.path(), "self.conf", "include self.conf\n");
    assert!(parse(&own)
        .unwrap_err()
        .to_string()
        .contains("include cycle"));

    let e = parse_file(&dir.path().join("absent.conf")).unwrap_err();
    assert!(matches!(e, ConfError::Io { at: None, .. }));
    assert!(e.pos().is_none());
}

#[test]
fn error_positions() {
    let cases: &[(&str, &str)] = &[
        (
            "port = 1\nhost = \"abc\n",
            "2:8: Unexpected EOF: this quoted string is never closed.",
        ),
        (
            "port = 1\nhost = 'abc",
            "2:8: Unexpected EOF: this quoted string is never closed.",
        ),
        ("a = (\nabc\n", "3:1: Unexpected EOF processing block."),
        ("a = [1, 2 ", "1:11: Expected an array value terminator"),
        ("a = [ \"x\"", "1:10: Expected an array value terminator"),
        ("a = { b = 1 ", "1:13: Expected a map value terminator"),
        ("a = { b = 1,", "1:13: Unexpected EOF processing map."),
        ("\n\nport", "3:1: expected a value after 'port'"),
        ("port =\n", "1:7: Expected value but found new line"),
        ("a = 1.5s", "1:8: Expected a top-level value to end"),
        (
            "a {\n  b = 99999999999999999999\n}",
            "2:7: integer '99999999999999999999' is out of the range",
        ),
        (
            "a = 1\nb = $nope",
            "2:5: variable reference for 'nope' can not be found",
        ),
        ("x {\n  = 1\n}", "2:3: Unexpected key separator '='."),
        ("a = \"\\q\"", "1:7: Invalid escape character 'q'"),
    ];
    for (text, want) in cases {
        let got = parse_str_with_env(text, &env).unwrap_err().to_string();
        assert!(
            got.starts_with(want),
            "{text:?}: got {got:?}, want {want:?}"
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "nats.conf",
        "# comment\nport = 4222\n\n    max_payload: 1kbib\n",
    );
    let got = parse(&f).unwrap_err().to_string();
    assert_eq!(
        got,
        format!("{}:4:18: unknown size suffix in '1kbib'", f.display())
    );
}

#[test]
fn nesting_is_bounded() {
    let deep = format!("a = {}{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = parse_str_with_env(&deep, &env).unwrap_err().to_string();
    assert!(e.contains("nest deeper than 128"), "{e}");
    let deep = format!("a {}", "{ a ".repeat(50_000));
    assert!(parse_str_with_env(&deep, &env).is_err());
    let blocks = "{".repeat(100_000);
    assert!(parse_str_with_env(&blocks, &env).is_err());
    // 128 levels are fine.
    let ok = format!("a = {}{}", "[".repeat(128), "]".repeat(128));
    parse_str_with_env(&ok, &env).unwrap();

    // Variables cannot be used to nest deeper either.
    let inner = format!("{}{}", "[".repeat(100), "]".repeat(100));
    let text = format!(
        "a = {inner}\nb = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ $a ]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
    );
    let e = parse_str_with_env(&text, &env).unwrap_err().to_string();
    assert!(e.contains("nest deeper"), "{e}");
}

#[test]
fn variable_expansion_is_bounded() {
    // Each level doubles the size: 2^40 values if nothing stopped it.
    let mut text = String::from("v0 = [1, 2, 3, 4, 5, 6, 7, 8 ]\n");
    for i in 1..40 {
        text.push_str(&format!("v{i} = [$v{}, $v{} ]\n", i - 1, i - 1));
    }
    let e = parse_str_with_env(&text, &env).unwrap_err().to_string();
    assert!(e.contains("copy too much"), "{e}");
}
