//! The parser: tokens to a [`Map`], following nats-server's `conf/parse.go`.
//!
//! Like Go's parser it keeps one stack of open maps/arrays and one stack of pending keys
//! shared by all levels, so inputs nats-server accepts in odd ways mean the same here.
//! Where Go would panic, silently drop a value, or let a number wrap around, this parser
//! returns an error instead (see the crate documentation).

use std::path::PathBuf;
use std::sync::Arc;

use crate::error::ConfError;
use crate::lex::{Lexer, Tok};
use crate::value::{Key, Map, Pos, Value, ValueKind};
use crate::MAX_DEPTH;

/// How many files one parse may read through `include` (a fan-out of includes would
/// otherwise take exponential time).
const MAX_INCLUDES: usize = 1024;
/// How deep `include`s may nest.
const MAX_INCLUDE_DEPTH: usize = 32;
/// How deep environment variables may refer to further environment variables.
const MAX_ENV_DEPTH: usize = 32;
/// How many values `$VARIABLE` references may copy in one parse (each reference copies
/// the value; nested references could otherwise grow the tree exponentially).
const MAX_COPIED_NODES: usize = 1 << 20;

/// Looks up an environment variable.
pub type EnvLookup<'e> = &'e dyn Fn(&str) -> Option<String>;

/// State shared by a parse and the parses it starts for includes and env variables.
pub(crate) struct Shared<'e> {
    env: EnvLookup<'e>,
    /// Environment variables being resolved (cycle detection).
    env_refs: Vec<String>,
    /// Canonical paths of the files being parsed, outermost first (cycle detection).
    include_chain: Vec<PathBuf>,
    includes_read: usize,
    copied_nodes: usize,
}

impl<'e> Shared<'e> {
    pub(crate) fn new(env: EnvLookup<'e>) -> Shared<'e> {
        Shared {
            env,
            env_refs: Vec::new(),
            include_chain: Vec::new(),
            includes_read: 0,
            copied_nodes: 0,
        }
    }

    pub(crate) fn enter_file(&mut self, canonical: PathBuf) {
        self.include_chain.push(canonical);
    }
}

enum Frame {
    Map(Map, Pos),
    Array(Vec<Value>, Pos),
}

/// Byte offsets to 1-based lines and columns.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines { text, starts }
    }

    fn locate(&self, offset: usize) -> (u32, u32) {
        let idx = self.starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = self.starts.get(idx).copied().unwrap_or(0);
        let col = self
            .text
            .get(start..offset.min(self.text.len()))
            .map_or(0, |s| s.chars().count());
        (sat_u32(idx + 1), sat_u32(col + 1))
    }
}

fn sat_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Parses `text`; `file` names it in positions, `dir` is where its includes are found.
pub(crate) fn parse_source(
    text: &str,
    file: Option<Arc<PathBuf>>,
    dir: String,
    shared: &mut Shared<'_>,
) -> Result<Map, ConfError> {
    let mut p = Parser {
        lx: Lexer::new(text),
        lines: Lines::new(text),
        file,
        dir,
        frames: Vec::new(),
        keys: Vec::new(),
        shared,
    };
    p.run()
}

struct Parser<'a, 's, 'e> {
    lx: Lexer<'a>,
    lines: Lines<'a>,
    file: Option<Arc<PathBuf>>,
    dir: String,
    frames: Vec<Frame>,
    keys: Vec<Key>,
    shared: &'s mut Shared<'e>,
}

impl Parser<'_, '_, '_> {
    fn pos(&self, offset: usize) -> Pos {
        let (line, col) = self.lines.locate(offset);
        Pos {
            file: self.file.clone(),
            line,
            col,
        }
    }

    fn run(&mut self) -> Result<Map, ConfError> {
        self.frames.push(Frame::Map(Map::new(), self.pos(0)));
        let mut last_key: Option<Key> = None;
        loop {
            let token = self.lx.next_token();
            let pos = self.pos(token.offset);
            if token.tok == Tok::Eof {
                // As in Go, a key with no value at the very end is an error; a stray
                // "}" key (from JSON-like input) is not.
                if let Some(key) = last_key.filter(|k| k.name != "}") {
                    return Err(ConfError::syntax(
                        key.pos.clone(),
                        format!("expected a value after '{key}'"),
                    ));
                }
                break;
            }
            last_key = match &token.tok {
                Tok::Key(k) => Some(Key::new(k.clone(), pos.clone())),
                _ => None,
            };
            self.process(token.tok, pos)?;
        }
        match (self.frames.pop(), self.frames.is_empty()) {
            (Some(Frame::Map(map, _)), true) => Ok(map),
            // Go quietly drops a map or array still open at the end; here it is an error.
            (Some(Frame::Map(_, pos)), false) => Err(ConfError::syntax(
                pos,
                "Unexpected EOF: this '{' is never closed.",
            )),
            (Some(Frame::Array(_, pos)), _) => Err(ConfError::syntax(
                pos,
                "Unexpected EOF: this '[' is never closed.",
            )),
            (None, _) => Err(ConfError::syntax(self.pos(0), "empty parser state")),
        }
    }

    fn process(&mut self, tok: Tok, pos: Pos) -> Result<(), ConfError> {
        match tok {
            Tok::Error(message) => return Err(ConfError::syntax(pos, message)),
            Tok::Eof => {}
            Tok::Key(name) => self.keys.push(Key::new(name, pos)),
            Tok::MapStart => self.open(Frame::Map(Map::new(), pos))?,
            Tok::ArrayStart => self.open(Frame::Array(Vec::new(), pos))?,
            Tok::MapEnd | Tok::ArrayEnd => {
                if self.frames.len() < 2 {
                    return Err(ConfError::syntax(pos, "unbalanced '}' or ']'"));
                }
                let value = match self.frames.pop() {
                    Some(Frame::Map(m, p)) => Value {
                        kind: ValueKind::Map(m),
                        pos: p,
                    },
                    Some(Frame::Array(a, p)) => Value {
                        kind: ValueKind::Array(a),
                        pos: p,
                    },
                    None => return Err(ConfError::syntax(pos, "unbalanced '}' or ']'")),
                };
                self.set_value(value)?;
            }
            Tok::Str(s) => self.set(ValueKind::String(s), pos)?,
            Tok::Bool(b) => {
                let b = match b.to_ascii_lowercase().as_str() {
                    "true" | "yes" | "on" => true,
                    "false" | "no" | "off" => false,
                    _ => {
                        return Err(ConfError::syntax(
                            pos,
                            format!("expected boolean value, but got '{b}'"),
                        ))
                    }
                };
                self.set(ValueKind::Bool(b), pos)?;
            }
            Tok::Int(text) => match parse_int(&text) {
                Ok(n) => self.set(ValueKind::Integer(n), pos)?,
                Err(message) => return Err(ConfError::syntax(pos, message)),
            },
            Tok::Float(text) => match text.parse::<f64>() {
                Ok(f) if f.is_finite() => self.set(ValueKind::Float(f), pos)?,
                Ok(_) => {
                    return Err(ConfError::syntax(
                        pos,
                        format!("float '{text}' is out of the range"),
                    ))
                }
                Err(_) => {
                    return Err(ConfError::syntax(
                        pos,
                        format!("expected float, but got '{text}'"),
                    ))
                }
            },
            Tok::Datetime(text) => {
                if !valid_datetime(&text) {
                    return Err(ConfError::syntax(
                        pos,
                        format!("expected Zulu formatted DateTime, but got '{text}'"),
                    ));
                }
                self.set(ValueKind::Datetime(text), pos)?;
            }
            Tok::Variable(name) => {
                let value = self.lookup_variable(&name, &pos)?;
                self.set_copied(value, &pos)?;
            }
            Tok::Include(name) => self.include(&name, pos)?,
        }
        Ok(())
    }

    fn open(&mut self, frame: Frame) -> Result<(), ConfError> {
        if self.frames.len() > MAX_DEPTH {
            let pos = match &frame {
                Frame::Map(_, p) | Frame::Array(_, p) => p.clone(),
            };
            return Err(ConfError::syntax(
                pos,
                format!("maps and arrays nest deeper than {MAX_DEPTH} levels"),
            ));
        }
        self.frames.push(frame);
        Ok(())
    }

    fn set(&mut self, kind: ValueKind, pos: Pos) -> Result<(), ConfError> {
        self.set_value(Value { kind, pos })
    }

    /// Stores a value that was not built here (a variable's or an included file's):
    /// checks that it does not nest too deep where it lands.
    fn set_copied(&mut self, value: Value, pos: &Pos) -> Result<(), ConfError> {
        if self.frames.len().saturating_sub(1) + depth(&value) > MAX_DEPTH {
            return Err(ConfError::syntax(
                pos.clone(),
                format!("maps and arrays nest deeper than {MAX_DEPTH} levels"),
            ));
        }
        self.set_value(value)
    }

    fn set_value(&mut self, value: Value) -> Result<(), ConfError> {
        match self.frames.last_mut() {
            Some(Frame::Array(items, _)) => {
                items.push(value);
                Ok(())
            }
            Some(Frame::Map(map, _)) => match self.keys.pop() {
                Some(key) => {
                    map.insert(key, value);
                    Ok(())
                }
                None => Err(ConfError::syntax(value.pos, "value without a key")),
            },
            None => Err(ConfError::syntax(value.pos, "value outside any map")),
        }
    }

    fn lookup_variable(&mut self, name: &str, pos: &Pos) -> Result<Value, ConfError> {
        // A bare bcrypt hash ($2a$...) lexes as a variable; nats-server takes it as text.
        if name.starts_with("2a$") {
            return Ok(Value {
                kind: ValueKind::String(format!("${name}")),
                pos: pos.clone(),
            });
        }
        let found = self.frames.iter_mut().rev().find_map(|f| match f {
            Frame::Map(m, _) => m.use_as_variable(name),
            Frame::Array(..) => None,
        });
        if let Some(v) = found {
            let nodes = count_nodes(v);
            self.shared.copied_nodes = self.shared.copied_nodes.saturating_add(nodes);
            if self.shared.copied_nodes > MAX_COPIED_NODES {
                return Err(ConfError::syntax(
                    pos.clone(),
                    "variable references copy too much data",
                ));
            }
            let mut v = v.clone();
            v.pos = pos.clone();
            return Ok(v);
        }
        if self.shared.env_refs.iter().any(|r| r == name) {
            return Err(ConfError::syntax(
                pos.clone(),
                format!("variable reference cycle for '{name}'"),
            ));
        }
        if self.shared.env_refs.len() >= MAX_ENV_DEPTH {
            return Err(ConfError::syntax(
                pos.clone(),
                format!("variable reference for '{name}': environment variables nest too deep"),
            ));
        }
        let not_found = || {
            ConfError::syntax(
                pos.clone(),
                format!("variable reference for '{name}' can not be found"),
            )
        };
        let Some(text) = (self.shared.env)(name) else {
            return Err(not_found());
        };
        // As nats-server does, the variable's text is parsed as the value of a key.
        self.shared.env_refs.push(name.to_owned());
        let parsed = parse_source(
            &format!("pk={text}"),
            None,
            ".".to_owned(),
            &mut *self.shared,
        );
        self.shared.env_refs.pop();
        match parsed {
            Ok(map) => {
                let mut v = map.get_exact("pk").cloned().ok_or_else(not_found)?;
                v.relocate(pos);
                Ok(v)
            }
            Err(e) => Err(ConfError::syntax(
                pos.clone(),
                format!("variable reference for '{name}' could not be parsed: {e}"),
            )),
        }
    }

    fn include(&mut self, name: &str, pos: Pos) -> Result<(), ConfError> {
        // Go's filepath.Join: an absolute name is still taken below the directory.
        let joined = go_join(&self.dir, name);
        let path = PathBuf::from(&joined);
        let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if self.shared.include_chain.contains(&canonical) {
            return Err(ConfError::syntax(
                pos,
                format!("include cycle: '{joined}' is already being parsed"),
            ));
        }
        if self.shared.include_chain.len() >= MAX_INCLUDE_DEPTH {
            return Err(ConfError::syntax(
                pos,
                format!("includes nest deeper than {MAX_INCLUDE_DEPTH} files"),
            ));
        }
        self.shared.includes_read += 1;
        if self.shared.includes_read > MAX_INCLUDES {
            return Err(ConfError::syntax(
                pos,
                format!("more than {MAX_INCLUDES} files included"),
            ));
        }
        let bytes = std::fs::read(&path).map_err(|source| ConfError::Io {
            at: Some(pos.clone()),
            path: path.clone(),
            source,
        })?;
        let text = String::from_utf8_lossy(&bytes);
        self.shared.include_chain.push(canonical);
        // As in Go, the included file starts with a fresh variable scope.
        let parsed = parse_source(
            &text,
            Some(Arc::new(path)),
            go_dir(&joined),
            &mut *self.shared,
        );
        self.shared.include_chain.pop();
        let map = parsed.map_err(|e| ConfError::Include {
            pos: pos.clone(),
            name: name.to_owned(),
            source: Box::new(e),
        })?;
        for (key, value) in map.entries {
            self.keys.push(key);
            self.set_copied(value, &pos)?;
        }
        Ok(())
    }
}

/// How many maps/arrays deep a value is (a scalar is 0).
fn depth(v: &Value) -> usize {
    match &v.kind {
        ValueKind::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        ValueKind::Map(m) => 1 + m.entries.iter().map(|(_, v)| depth(v)).max().unwrap_or(0),
        _ => 0,
    }
}

fn count_nodes(v: &Value) -> usize {
    match &v.kind {
        ValueKind::Array(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        ValueKind::Map(m) => 1 + m.entries.iter().map(|(_, v)| count_nodes(v)).sum::<usize>(),
        _ => 1,
    }
}

/// An integer token: digits, then an optional size suffix. `k`, `m`, `g`, `t`, `p`, `e`
/// multiply by powers of 1000; with `b`, `i` or `ib` after them, by powers of 1024.
pub(crate) fn parse_int(text: &str) -> Result<i64, String> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '-'))
        .unwrap_or(text.len());
    let (digits, suffix) = text.split_at(split);
    let out_of_range = || format!("integer '{text}' is out of the range");
    let n: i64 = digits.parse().map_err(|e: std::num::ParseIntError| {
        use std::num::IntErrorKind::{NegOverflow, PosOverflow};
        match e.kind() {
            PosOverflow | NegOverflow => out_of_range(),
            _ => format!("expected integer, but got '{text}'"),
        }
    })?;
    let suffix = suffix.trim().to_ascii_lowercase();
    let mut chars = suffix.chars();
    let Some(letter) = chars.next() else {
        return Ok(n);
    };
    let binary = match chars.as_str() {
        "" => false,
        "b" | "i" | "ib" => true,
        _ => return Err(format!("unknown size suffix in '{text}'")),
    };
    let power = match letter {
        'k' => 1,
        'm' => 2,
        'g' => 3,
        't' => 4,
        'p' => 5,
        'e' => 6,
        _ => return Err(format!("unknown size suffix in '{text}'")),
    };
    let base: i64 = if binary { 1024 } else { 1000 };
    let mult = base.checked_pow(power).ok_or_else(out_of_range)?;
    n.checked_mul(mult).ok_or_else(out_of_range)
}

/// `YYYY-MM-DDTHH:MM:SSZ` with a real calendar date and time of day, as Go's
/// `time.Parse` requires.
fn valid_datetime(text: &str) -> bool {
    let num = |r: std::ops::Range<usize>| text.get(r).and_then(|s| s.parse::<u32>().ok());
    let (Some(year), Some(month), Some(day), Some(h), Some(m), Some(s)) = (
        num(0..4),
        num(5..7),
        num(8..10),
        num(11..13),
        num(14..16),
        num(17..19),
    ) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day) && h < 24 && m < 60 && s < 60
}

/// Go's `path.Clean` for `/`-separated paths.
pub(crate) fn go_clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

/// Go's `filepath.Join(dir, name)`: concatenates, then cleans.
pub(crate) fn go_join(dir: &str, name: &str) -> String {
    match (dir.is_empty(), name.is_empty()) {
        (true, true) => String::new(),
        (true, false) => go_clean(name),
        (false, true) => go_clean(dir),
        (false, false) => go_clean(&format!("{dir}/{name}")),
    }
}

/// Go's `filepath.Dir`.
pub(crate) fn go_dir(path: &str) -> String {
    match path.rfind('/') {
        Some(i) => go_clean(path.get(..=i).unwrap_or("/")),
        None => ".".to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn size_suffixes() {
        assert_eq!(parse_int("42"), Ok(42));
        assert_eq!(parse_int("-42"), Ok(-42));
        assert_eq!(parse_int("1k"), Ok(1000));
        assert_eq!(parse_int("1K"), Ok(1000));
        assert_eq!(parse_int("1kb"), Ok(1024));
        assert_eq!(parse_int("1KB"), Ok(1024));
        assert_eq!(parse_int("1Ki"), Ok(1024));
        assert_eq!(parse_int("1KiB"), Ok(1024));
        assert_eq!(parse_int("2m"), Ok(2_000_000));
        assert_eq!(parse_int("64MiB"), Ok(64 << 20));
        assert_eq!(parse_int("10GiB"), Ok(10 << 30));
        assert_eq!(parse_int("3g"), Ok(3_000_000_000));
        assert_eq!(parse_int("1t"), Ok(1_000_000_000_000));
        assert_eq!(parse_int("1tb"), Ok(1 << 40));
        assert_eq!(parse_int("1p"), Ok(1_000_000_000_000_000));
        assert_eq!(parse_int("1pb"), Ok(1 << 50));
        assert_eq!(parse_int("1e"), Ok(1_000_000_000_000_000_000));
        assert_eq!(parse_int("1eb"), Ok(1 << 60));
        assert_eq!(parse_int("-5k"), Ok(-5000));
        assert!(parse_int("1kbib").is_err());
        assert!(parse_int("8eb").is_err());
        assert!(parse_int("10e").is_err());
        assert!(parse_int("99999999999999999999").is_err());
    }

    #[test]
    fn datetimes() {
        assert!(valid_datetime("2024-02-29T23:59:59Z"));
        assert!(!valid_datetime("2023-02-29T00:00:00Z"));
        assert!(!valid_datetime("2023-13-01T00:00:00Z"));
        assert!(!valid_datetime("2023-12-01T24:00:00Z"));
        assert!(!valid_datetime("2023-12-00T00:00:00Z"));
    }

    #[test]
    fn go_paths() {
        assert_eq!(go_join("/etc/nats", "/abs/x.conf"), "/etc/nats/abs/x.conf");
        assert_eq!(go_join(".", "x.conf"), "x.conf");
        assert_eq!(go_join("a/b", "../c"), "a/c");
        assert_eq!(go_join(".", "../c"), "../c");
        assert_eq!(go_dir("x.conf"), ".");
        assert_eq!(go_dir("/x.conf"), "/");
        assert_eq!(go_dir("a/b/x.conf"), "a/b");
        assert_eq!(go_clean("/../a"), "/a");
    }
}
