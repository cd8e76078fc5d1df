//! Properties: no input makes the parser panic, and any tree printed in NATS syntax
//! parses back to the same tree.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use natrium_conf::{parse_str_with_env, Key, Map, Pos, Value, ValueKind};
use proptest::prelude::*;

fn no_env(_: &str) -> Option<String> {
    None
}

/// Environment variables whose text is itself config syntax, to exercise nested parses.
fn odd_env(name: &str) -> Option<String> {
    match name.len() % 4 {
        0 => None,
        1 => Some(format!("${name}")),
        2 => Some(format!("[{name}, {{ a = ${name}x }} ]")),
        _ => Some(name.chars().rev().collect()),
    }
}

/// Text made mostly of characters that mean something to the lexer.
fn config_soup() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        "k",
        "1",
        "0",
        "-",
        ".",
        "e",
        "b",
        "i",
        "m",
        "=",
        ":",
        " ",
        "\t",
        "\n",
        "\r",
        "{",
        "}",
        "[",
        "]",
        "(",
        ")",
        ",",
        ";",
        "#",
        "/",
        "//",
        "\"",
        "'",
        "\\",
        "\\x4",
        "$",
        "$a",
        "include ",
        "true",
        "2024-01-02T03:04:05Z",
        "\0",
        "é",
        "\u{2028}",
        "4222",
        "1kb",
        "a = ",
        "\n)\n",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_soup_never_panics(text in config_soup()) {
        let _ = parse_str_with_env(&text, &no_env);
        let _ = parse_str_with_env(&text, &odd_env);
    }

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        let _ = parse_str_with_env(&text, &odd_env);
    }
}

fn at() -> Pos {
    Pos::default()
}

fn val(kind: ValueKind) -> Value {
    Value { kind, pos: at() }
}

fn key_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z_][a-zA-Z0-9_-]{0,8}",
        "[a-zA-Z0-9 ._$#-]{1,8}".prop_map(|k| format!("\"{k}")),
    ]
    .prop_filter("include is a keyword", |k| {
        !k.eq_ignore_ascii_case("include")
    })
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(|i| val(ValueKind::Integer(i))),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| val(ValueKind::Float(f))),
        any::<bool>().prop_map(|b| val(ValueKind::Bool(b))),
        any::<String>().prop_map(|s| val(ValueKind::String(s))),
        (
            0u32..10000,
            1u32..13,
            1u32..29,
            0u32..24,
            0u32..60,
            0u32..60
        )
            .prop_map(|(y, mo, d, h, mi, s)| val(ValueKind::Datetime(format!(
                "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"
            )))),
    ]
}

fn to_map(entries: Vec<(String, Value)>) -> Map {
    let mut map = Map::new();
    for (name, v) in entries {
        // Quoted keys are marked with a leading '"' by the generator.
        let name = name.trim_start_matches('"').to_owned();
        if map.get_exact(&name).is_none() {
            map.insert(Key::new(name, at()), v);
        }
    }
    map
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(|a| val(ValueKind::Array(a))),
            prop::collection::vec((key_name(), inner), 0..6)
                .prop_map(|e| val(ValueKind::Map(to_map(e)))),
        ]
    })
}

fn print_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn print_key(k: &str, out: &mut String) {
    if k.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && k.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
    {
        out.push_str(k);
    } else {
        out.push('"');
        out.push_str(k);
        out.push('"');
    }
}

fn print_value(v: &Value, style: usize, out: &mut String) {
    match &v.kind {
        ValueKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        ValueKind::Integer(i) => out.push_str(&i.to_string()),
        ValueKind::Float(f) => {
            let text = f.to_string();
            out.push_str(&text);
            if !text.contains('.') {
                out.push_str(".0");
            }
        }
        ValueKind::String(s) => print_string(s, out),
        ValueKind::Datetime(d) => out.push_str(d),
        ValueKind::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                out.push_str(if i == 0 {
                    " "
                } else if style & 1 == 0 {
                    ", "
                } else {
                    "\n"
                });
                print_value(item, style / 2, out);
            }
            out.push_str(if matches!(style % 3, 0) { " ]" } else { "\n]" });
        }
        ValueKind::Map(m) => {
            out.push_str("{\n");
            print_entries(m, style / 2, out);
            out.push_str("\n}");
        }
    }
}

fn print_entries(m: &Map, style: usize, out: &mut String) {
    const SEPARATORS: [&str; 5] = [" = ", ": ", " ", "=", ":"];
    const TERMINATORS: [&str; 4] = ["\n", "; ", ", ", " # comment\n"];
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 {
            out.push_str(TERMINATORS[(style + i) % TERMINATORS.len()]);
        }
        print_key(k, out);
        out.push_str(SEPARATORS[(style + i) % SEPARATORS.len()]);
        print_value(v, style + i, out);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn printed_maps_parse_back(entries in prop::collection::vec((key_name(), value()), 0..8), style in 0usize..64) {
        let map = to_map(entries);
        let mut text = String::new();
        print_entries(&map, style, &mut text);
        let parsed = parse_str_with_env(&text, &no_env);
        prop_assert!(parsed.is_ok(), "{text}\n=> {:?}", parsed.err());
        let parsed = parsed.unwrap();
        prop_assert!(parsed.same_data(&map), "{text}\n=> {parsed:#?}\nwant {map:#?}");
    }
}
