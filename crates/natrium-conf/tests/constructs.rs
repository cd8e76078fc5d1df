//! Every construct of the language, as nats-server v2.15.1 reads it (the expectations
//! were checked against the real binary with `nats-server -c FILE -t`).
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use natrium_conf::{parse_str, parse_str_with_env, Map, Value, ValueKind};

fn parse(text: &str) -> Map {
    match parse_str_with_env(text, &|_| None) {
        Ok(m) => m,
        Err(e) => panic!("{text:?} should parse: {e}"),
    }
}

fn fails(text: &str) -> String {
    match parse_str_with_env(text, &|_| None) {
        Ok(m) => panic!("{text:?} should fail, got {m:?}"),
        Err(e) => e.to_string(),
    }
}

fn one(text: &str) -> ValueKind {
    let m = parse(text);
    assert_eq!(m.len(), 1, "{text:?} gave {m:?}");
    m.entries[0].1.kind.clone()
}

fn s(x: &str) -> ValueKind {
    ValueKind::String(x.to_owned())
}

fn int(i: i64) -> ValueKind {
    ValueKind::Integer(i)
}

fn kinds(v: &Value) -> Vec<ValueKind> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|v| v.kind.clone())
        .collect()
}

#[test]
fn separators() {
    for text in [
        "port = 4222",
        "port: 4222",
        "port 4222",
        "port=4222",
        "port:4222",
        "port\t4222",
        "port\n4222",
        "port :4222",
    ] {
        assert_eq!(one(text), int(4222), "{text:?}");
        assert_eq!(parse(text).entries[0].0, "port");
    }
    assert!(fails("port =\n4222").contains("Expected value but found new line"));
}

#[test]
fn quoted_keys() {
    assert_eq!(parse("\"my key\" = 1").entries[0].0, "my key");
    assert_eq!(parse("'my key': 1").entries[0].0, "my key");
    assert_eq!(
        parse("m { 'a b' = 1 }")
            .get("m")
            .unwrap()
            .as_map()
            .unwrap()
            .entries[0]
            .0,
        "a b"
    );
    // A bare key runs to whitespace or a separator, whatever it contains.
    assert_eq!(parse("a{b=1}").entries[0].0, "a{b");
}

#[test]
fn strings() {
    assert_eq!(one(r#"a = "x y""#), s("x y"));
    assert_eq!(one(r#"a = "t\tn\nr\rq\"b\\x\x41""#), s("t\tn\nr\rq\"b\\xA"));
    assert_eq!(one(r#"a = "\xc3\xa9""#), s("é"));
    assert_eq!(one(r"a = 'no \escapes here'"), s(r"no \escapes here"));
    assert_eq!(one("a = \"\""), s(""));
    assert_eq!(one("a = ''"), s(""));
    assert_eq!(one("a = localhost"), s("localhost"));
    assert_eq!(one("a = nats://a:4222//x"), s("nats://a:4222//x"));
    assert_eq!(one("a = foo#bar"), s("foo#bar"));
    assert_eq!(one(r"a = x\ty"), s("x\ty"));
    // A single quote ends a bare word and is dropped.
    assert_eq!(one("a = abc'"), s("abc"));
    // `=` with nothing after it at the very end is an empty string.
    assert_eq!(one("a ="), s(""));
    assert!(fails(r#"a = "\q""#).contains("Invalid escape character 'q'"));
    assert!(fails(r#"a = "\xZZ""#).contains("hexadecimal"));
    assert!(fails(r"a = C:\dir").contains("Invalid escape character 'd'"));
}

#[test]
fn numbers_and_size_suffixes() {
    assert_eq!(one("a = 4222"), int(4222));
    assert_eq!(one("a = -1"), int(-1));
    assert_eq!(one("a = 04222"), int(4222));
    assert_eq!(one("a = 1k"), int(1000));
    assert_eq!(one("a = 1K"), int(1000));
    assert_eq!(one("a = 1kb"), int(1024));
    assert_eq!(one("a = 1ki"), int(1024));
    assert_eq!(one("a = 1KiB"), int(1024));
    assert_eq!(one("a = 128KB"), int(128 * 1024));
    assert_eq!(one("a = 1MB"), int(1 << 20));
    assert_eq!(one("a = 64MiB"), int(64 << 20));
    assert_eq!(one("a = 10GiB"), int(10 << 30));
    assert_eq!(one("a = 1G"), int(1_000_000_000));
    assert_eq!(one("a = 2T"), int(2_000_000_000_000));
    assert_eq!(one("a = 1pb"), int(1 << 50));
    assert_eq!(one("a = 1e"), int(1_000_000_000_000_000_000));
    assert_eq!(one("a = -2k"), int(-2000));
    // `m` is mega, not minutes.
    assert_eq!(one("a = 2m"), int(2_000_000));
    // Anything else after the digits makes the whole word a string.
    assert_eq!(one("a = 10ms"), s("10ms"));
    assert_eq!(one("a = 30s"), s("30s"));
    assert_eq!(one("a = 1h30m"), s("1h30m"));
    assert_eq!(one("a = 4k2"), s("4k2"));
    assert_eq!(one("a = 4222:x"), s("4222:x"));
    assert_eq!(one("a = 127.0.0.1:4222"), s("127.0.0.1:4222"));
    assert_eq!(one("a = 1.2.3"), s("1.2.3"));
    assert_eq!(one("a = 1.5"), ValueKind::Float(1.5));
    assert_eq!(one("a = -0.25"), ValueKind::Float(-0.25));

    assert!(fails("a = 1.5s").contains("but got 's'"));
    assert!(fails("a = 1-2").contains("ISO8601"));
    assert!(fails("a = -x").contains("Expected a digit"));
    assert!(fails("a = .5").contains("Floats must start with a digit"));
    assert!(fails("a = 1.x").contains("digit after the '.'"));
    assert!(fails("a = 99999999999999999999").contains("out of the range"));
    assert!(fails("a = 10e").contains("out of the range"));
    assert!(fails("a = 1kbib").contains("unknown size suffix"));
}

#[test]
fn booleans() {
    for (word, b) in [
        ("true", true),
        ("TRUE", true),
        ("yes", true),
        ("Yes", true),
        ("on", true),
        ("ON", true),
        ("false", false),
        ("False", false),
        ("no", false),
        ("NO", false),
        ("off", false),
        ("Off", false),
    ] {
        assert_eq!(one(&format!("a = {word}")), ValueKind::Bool(b), "{word}");
    }
    assert_eq!(one("a = \"true\""), s("true"));
    assert_eq!(one("a = y"), s("y"));
    assert_eq!(one("a = truthy"), s("truthy"));
}

#[test]
fn datetimes() {
    assert_eq!(
        one("a = 2024-02-29T23:59:59Z"),
        ValueKind::Datetime("2024-02-29T23:59:59Z".to_owned())
    );
    assert!(fails("a = 2024-01-02").contains("ISO8601"));
    assert!(fails("a = 2023-02-29T00:00:00Z").contains("Zulu"));
}

#[test]
fn maps_and_top_level_blocks() {
    let m = parse("cluster { port: 6222, name = c1 }");
    let c = m.get("cluster").unwrap().as_map().unwrap();
    assert_eq!(c.get("port").unwrap().as_i64(), Some(6222));
    assert_eq!(c.get("name").unwrap().as_str(), Some("c1"));

    for text in [
        "c = {a = 1; b = 2}",
        "c: {a: 1, b: 2}",
        "c {\n a 1\n b 2\n}",
        "c {a=1,b=2,}",
    ] {
        let c = parse(text);
        let c = c.get("c").unwrap().as_map().unwrap();
        assert_eq!(c.len(), 2, "{text:?}");
        assert_eq!(c.get("b").unwrap().as_i64(), Some(2), "{text:?}");
    }
    assert!(parse("c {}").get("c").unwrap().as_map().unwrap().is_empty());

    // The whole file may be one JSON-like block.
    let m = parse("{ \"port\": 4222, \"server_name\": \"x\" }");
    assert_eq!(m.get("port").unwrap().as_i64(), Some(4222));
    assert_eq!(m.get("server_name").unwrap().as_str(), Some("x"));
    assert_eq!(
        parse("{{ port = 1 }}").get("port").unwrap().as_i64(),
        Some(1)
    );
    assert_eq!(parse("port = 1 }}").get("port").unwrap().as_i64(), Some(1));

    // Entries end at new lines, `;` or `,`.
    let m = parse("a = 1; b = 2, c = 3\nd = 4");
    assert_eq!(
        m.keys().map(|k| k.as_str()).collect::<Vec<_>>(),
        ["a", "b", "c", "d"]
    );
    assert!(fails("a = 1 b = 2").contains("top-level value to end"));
}

#[test]
fn arrays() {
    let m = parse("a = [1, 2 ]\nb = [\n  x\n  y, z\n]\nc = []\nd = [ {k: v}, [1, 2 ], \"q\" ]");
    assert_eq!(kinds(m.get("a").unwrap()), [int(1), int(2)]);
    assert_eq!(kinds(m.get("b").unwrap()), [s("x"), s("y"), s("z")]);
    assert!(kinds(m.get("c").unwrap()).is_empty());
    let d = m.get("d").unwrap().as_array().unwrap();
    assert_eq!(d[0].as_map().unwrap().get("k").unwrap().as_str(), Some("v"));
    assert_eq!(kinds(&d[1]), [int(1), int(2)]);
    // A trailing comma is fine, a leading one is not.
    assert_eq!(
        kinds(parse("a = [a, b,]").get("a").unwrap()),
        [s("a"), s("b")]
    );
    assert!(fails("a = [, a]").contains("Unexpected array value terminator"));
    // `]` does not end a number, as in nats-server: `[1]` and `[1, 2]` fail, while
    // `[1k]` is the string "1k".
    assert!(fails("a = [1]\n").contains("array value terminator"));
    assert!(fails("a = [1, 2]\n").contains("array value terminator"));
    assert_eq!(kinds(parse("a = [1k]").get("a").unwrap()), [s("1k")]);
}

#[test]
fn comments() {
    let m = parse(
        "# hash\n// slashes\na = 1 # after\nb = 2 // after\nc [\n  1 # in array\n  2 // too\n]\nd {\n  # in map\n  e = 3 // end\n}\n",
    );
    assert_eq!(m.get("a").unwrap().as_i64(), Some(1));
    assert_eq!(m.get("b").unwrap().as_i64(), Some(2));
    assert_eq!(kinds(m.get("c").unwrap()), [int(1), int(2)]);
    assert_eq!(
        m.get("d")
            .unwrap()
            .as_map()
            .unwrap()
            .get("e")
            .unwrap()
            .as_i64(),
        Some(3)
    );
}

#[test]
fn block_strings() {
    assert_eq!(
        one("a = (\nline one\n  line (two)\n)\n"),
        s("\nline one\n  line (two)\n")
    );
    // At the very end of the input the `)` stays in the text, as in nats-server.
    assert_eq!(one("a = (\nabc\n)"), s("\nabc\n)"));
    assert!(fails("a = (\nabc\n").contains("Unexpected EOF processing block"));
}

#[test]
fn variables() {
    let m =
        parse("host = example.com\nlisten = $host\nm { port = 1, inner { p = $port, h = $host } }");
    assert_eq!(m.get("listen").unwrap().as_str(), Some("example.com"));
    let inner = m.get("m").unwrap().as_map().unwrap().get("inner").unwrap();
    let inner = inner.as_map().unwrap();
    assert_eq!(inner.get("p").unwrap().as_i64(), Some(1));
    assert_eq!(inner.get("h").unwrap().as_str(), Some("example.com"));

    // Maps and arrays can be referenced; lookups are case-sensitive; quoted `$` is text.
    let m = parse("a = [1, 2 ]\nb = { c = 3 }\nx = $a\ny = $b\nz = \"$a\"");
    assert_eq!(kinds(m.get("x").unwrap()), [int(1), int(2)]);
    assert_eq!(
        m.get("y")
            .unwrap()
            .as_map()
            .unwrap()
            .get("c")
            .unwrap()
            .as_i64(),
        Some(3)
    );
    assert_eq!(m.get("z").unwrap().as_str(), Some("$a"));
    assert!(fails("A = 1\nb = $a").contains("variable reference for 'a' can not be found"));
    // Keys defined later, or inside a sibling map, are not visible.
    assert!(fails("b = $a\na = 1").contains("can not be found"));
    assert!(fails("m { a = 1 }\nb = $a").contains("can not be found"));
    // A bcrypt hash is not a variable.
    assert_eq!(
        one("password = $2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG"),
        s("$2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG")
    );
}

#[test]
fn keys_read_by_a_variable_reference_are_marked() {
    let m = parse("NAME = n1\nserver_name = $NAME\nother = 1\nm { P = 2, q = $P }");
    let used = |m: &natrium_conf::Map, key: &str| {
        m.iter()
            .find(|(k, _)| k.as_str() == key)
            .unwrap()
            .0
            .used_as_variable
    };
    assert!(used(&m, "NAME"));
    assert!(!used(&m, "server_name"));
    assert!(!used(&m, "other"));
    let inner = m.get("m").unwrap().as_map().unwrap();
    assert!(used(inner, "P"));
    assert!(!used(inner, "q"));
}

#[test]
fn environment_variables() {
    let env = |name: &str| match name {
        "PORT" => Some("4222".to_owned()),
        "HOST" => Some("example.com".to_owned()),
        "LIST" => Some("[a, b ]".to_owned()),
        "INDIRECT" => Some("$PORT".to_owned()),
        "LOOP" => Some("$LOOP2".to_owned()),
        "LOOP2" => Some("$LOOP".to_owned()),
        "BAD" => Some("\"unterminated".to_owned()),
        _ => None,
    };
    let m = parse_str_with_env(
        "port = $PORT\nhost = $HOST\nl = $LIST\ni = $INDIRECT\nPORT = 1\nshadow = $PORT",
        &env,
    )
    .unwrap();
    assert_eq!(m.get_exact("port").unwrap().as_i64(), Some(4222));
    assert_eq!(m.get("host").unwrap().as_str(), Some("example.com"));
    assert_eq!(kinds(m.get("l").unwrap()), [s("a"), s("b")]);
    assert_eq!(m.get("i").unwrap().as_i64(), Some(4222));
    // A key defined earlier wins over the environment.
    assert_eq!(m.get("shadow").unwrap().as_i64(), Some(1));
    // Values from the environment are placed at the reference.
    let l = m.get("l").unwrap();
    assert_eq!((l.pos.line, l.pos.col), (3, 5));
    assert_eq!(l.as_array().unwrap()[1].pos, l.pos);

    let e = parse_str_with_env("a = $LOOP", &env)
        .unwrap_err()
        .to_string();
    assert!(e.contains("variable reference cycle for 'LOOP'"), "{e}");
    let e = parse_str_with_env("a = $BAD", &env)
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("1:5: variable reference for 'BAD' could not be parsed"),
        "{e}"
    );

    // The process environment is what parse_str uses.
    std::env::set_var("NATRIUM_CONF_TEST_VAR", "64MB");
    let m = parse_str("max = $NATRIUM_CONF_TEST_VAR").unwrap();
    assert_eq!(m.get("max").unwrap().as_i64(), Some(64 << 20));
}

#[test]
fn duplicate_keys_replace_and_lookup_ignores_case() {
    let m = parse("port = 1\nPort = 2\nport = 3");
    assert_eq!(m.len(), 2);
    assert_eq!(m.get_exact("port").unwrap().as_i64(), Some(3));
    assert_eq!(m.get_exact("Port").unwrap().as_i64(), Some(2));
    // `get` ignores ASCII case and returns the last matching entry.
    assert_eq!(m.get("PORT").unwrap().as_i64(), Some(2));
    assert_eq!(
        m.entries[0].0.pos.line, 3,
        "a replaced entry takes the new key position"
    );
}

#[test]
fn go_key_stack_quirks() {
    // nats-server keeps one stack of pending keys for all levels: a key with no value
    // inside a map gets the map itself, one level up.
    let m = parse("foo { server_name }");
    assert!(m.get("foo").is_none());
    assert!(m.get("server_name").unwrap().as_map().unwrap().is_empty());
    // A lone '/' before a key in a map is dropped.
    let m = parse("j { /store: x }");
    assert_eq!(m.get("j").unwrap().as_map().unwrap().entries[0].0, "store");
}

#[test]
fn positions() {
    let m = parse("# c\nport = 4222\nauth {\n  user: \"bob\"\n  list: [ 1, 'x' ]\n}\n");
    let (k, v) = m.get_entry("port").unwrap();
    assert_eq!((k.pos.line, k.pos.col), (2, 1));
    assert_eq!((v.pos.line, v.pos.col), (2, 8));
    let auth = m.get("auth").unwrap();
    assert_eq!((auth.pos.line, auth.pos.col), (3, 6));
    let auth = auth.as_map().unwrap();
    assert_eq!(auth.key_pos("user").map(|p| (p.line, p.col)), Some((4, 3)));
    let user = auth.get("user").unwrap();
    assert_eq!((user.pos.line, user.pos.col), (4, 9));
    let list = auth.get("list").unwrap();
    assert_eq!((list.pos.line, list.pos.col), (5, 9));
    let x = &list.as_array().unwrap()[1];
    assert_eq!((x.pos.line, x.pos.col), (5, 14));
    assert_eq!(x.pos.to_string(), "5:14");
    assert!(x.pos.file.is_none());
    // Columns count characters, not bytes.
    let m = parse("é = 1\nb = ééé\nc = 2");
    assert_eq!(m.get("c").unwrap().pos.col, 5);
    assert_eq!(m.key_pos("é").unwrap().col, 1);
}

#[test]
fn empty_inputs() {
    for text in [
        "",
        "   \n\n",
        "# only a comment",
        "// c\n# d\n",
        "{}",
        "{ }",
    ] {
        assert!(parse(text).is_empty(), "{text:?}");
    }
}

#[test]
fn key_type_behaves_like_a_string() {
    let m = parse("Max_Payload = 1");
    let (key, _) = &m.entries[0];
    assert_eq!(key.to_ascii_lowercase(), "max_payload");
    assert!(*key == "Max_Payload");
    assert_eq!(format!("{key:?} {key}"), "\"Max_Payload\" Max_Payload");
    assert!(m
        .iter()
        .any(|(k, v)| k == "Max_Payload" && v.as_i64() == Some(1)));
}
