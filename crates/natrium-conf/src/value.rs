//! The value tree: maps, arrays and scalars, each carrying where it was written.

use std::fmt;
use std::ops::Deref;
use std::path::PathBuf;
use std::sync::Arc;

/// Where something was written: the file (none for [`crate::parse_str`] input) and a
/// 1-based line and column. Columns count characters, not bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Pos {
    /// The file, as it was named to [`crate::parse_file`] or joined for an `include`.
    pub file: Option<Arc<PathBuf>>,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub col: u32,
}

impl fmt::Display for Pos {
    /// `file:line:col`, or `line:col` for text that came from no file.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{}:{}:{}", file.display(), self.line, self.col),
            None => write!(f, "{}:{}", self.line, self.col),
        }
    }
}

/// A value and where it starts (for a quoted string, the opening quote; for a map or
/// array, its `{` or `[`; for a `$VARIABLE`, the `$` of the reference).
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// What the value is.
    pub kind: ValueKind,
    /// Where it was written.
    pub pos: Pos,
}

/// The kinds of values the NATS configuration language has.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    /// `true`/`false`, `yes`/`no`, `on`/`off` (any letter case), unquoted.
    Bool(bool),
    /// A whole number, size suffixes (`1k`, `64MiB`, `2m`) already applied.
    Integer(i64),
    /// A number with a fractional part, e.g. `0.5`.
    Float(f64),
    /// A quoted, unquoted or `( ... )` block string.
    String(String),
    /// An ISO8601 Zulu date-time, kept as written: `YYYY-MM-DDTHH:MM:SSZ`.
    /// nats-server parses these into a time; no option of its uses one.
    Datetime(String),
    /// `[ ... ]`.
    Array(Vec<Value>),
    /// `{ ... }`.
    Map(Map),
}

impl ValueKind {
    /// A word for error messages: "boolean", "integer", "float", "string", "datetime",
    /// "array" or "map".
    pub fn type_name(&self) -> &'static str {
        match self {
            ValueKind::Bool(_) => "boolean",
            ValueKind::Integer(_) => "integer",
            ValueKind::Float(_) => "float",
            ValueKind::String(_) => "string",
            ValueKind::Datetime(_) => "datetime",
            ValueKind::Array(_) => "array",
            ValueKind::Map(_) => "map",
        }
    }
}

impl Value {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The integer, if this is one.
    pub fn as_i64(&self) -> Option<i64> {
        match self.kind {
            ValueKind::Integer(i) => Some(i),
            _ => None,
        }
    }

    /// The float, if this is one (integers are not converted).
    pub fn as_f64(&self) -> Option<f64> {
        match self.kind {
            ValueKind::Float(f) => Some(f),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            ValueKind::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The map, if this is one.
    pub fn as_map(&self) -> Option<&Map> {
        match &self.kind {
            ValueKind::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The array's elements, if this is one.
    pub fn as_array(&self) -> Option<&[Value]> {
        match &self.kind {
            ValueKind::Array(a) => Some(a),
            _ => None,
        }
    }

    /// Whether `self` and `other` hold the same data, ignoring every position
    /// (floats compare bit for bit, so NaN equals NaN).
    pub fn same_data(&self, other: &Value) -> bool {
        match (&self.kind, &other.kind) {
            (ValueKind::Bool(a), ValueKind::Bool(b)) => a == b,
            (ValueKind::Integer(a), ValueKind::Integer(b)) => a == b,
            (ValueKind::Float(a), ValueKind::Float(b)) => a.to_bits() == b.to_bits(),
            (ValueKind::String(a), ValueKind::String(b)) => a == b,
            (ValueKind::Datetime(a), ValueKind::Datetime(b)) => a == b,
            (ValueKind::Array(a), ValueKind::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_data(y))
            }
            (ValueKind::Map(a), ValueKind::Map(b)) => a.same_data(b),
            _ => false,
        }
    }

    /// Sets the position of this value and of everything inside it to `pos`.
    pub(crate) fn relocate(&mut self, pos: &Pos) {
        self.pos = pos.clone();
        match &mut self.kind {
            ValueKind::Array(items) => items.iter_mut().for_each(|v| v.relocate(pos)),
            ValueKind::Map(m) => {
                for (k, v) in &mut m.entries {
                    k.pos = pos.clone();
                    v.relocate(pos);
                }
            }
            _ => {}
        }
    }
}

/// A map key and where it was written (useful for "unknown field" errors).
///
/// It dereferences to `str` and compares equal to strings, so `key.to_ascii_lowercase()`,
/// `key == "port"` and `format!("{key:?}")` work as they would on a `String`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Key {
    /// The key exactly as written (quotes removed, letter case kept).
    pub name: String,
    /// Where the key starts (its opening quote, if quoted).
    pub pos: Pos,
    /// Whether a later `$NAME` reference read this key's value. nats-server does not
    /// report such keys as unknown options, since they were written as variables.
    pub used_as_variable: bool,
}

impl Key {
    /// A key at `pos`.
    pub fn new(name: impl Into<String>, pos: Pos) -> Key {
        Key {
            name: name.into(),
            pos,
            used_as_variable: false,
        }
    }

    /// The key as a string slice.
    pub fn as_str(&self) -> &str {
        &self.name
    }
}

impl Deref for Key {
    type Target = str;
    fn deref(&self) -> &str {
        &self.name
    }
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        &self.name
    }
}

impl fmt::Debug for Key {
    /// Like the key's `String`: `"port"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.name, f)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl PartialEq<str> for Key {
    fn eq(&self, other: &str) -> bool {
        self.name == other
    }
}

impl PartialEq<&str> for Key {
    fn eq(&self, other: &&str) -> bool {
        self.name == *other
    }
}

impl PartialEq<String> for Key {
    fn eq(&self, other: &String) -> bool {
        &self.name == other
    }
}

/// A `{ ... }` block (or the whole file): keys and values in file order.
///
/// Keys are stored exactly as written. As in nats-server, where a Go map holds them,
/// assigning the same key again (same letter case) replaces the earlier value; the entry
/// keeps its place in the order. Keys differing only in letter case are distinct entries
/// here; [`Map::get`] matches letter-case-insensitively and returns the last of them
/// (nats-server lowercases keys while iterating its map, so which one wins there is
/// unspecified).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map {
    /// Keys and values in the order they were first written.
    pub entries: Vec<(Key, Value)>,
}

impl Map {
    /// An empty map.
    pub fn new() -> Map {
        Map::default()
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value of `key`, matching ASCII letter case insensitively (as nats-server
    /// does when it reads options); the last such entry if several match.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.get_entry(key).map(|(_, v)| v)
    }

    /// The key and value of `key`, matching as [`Map::get`] does.
    pub fn get_entry(&self, key: &str) -> Option<(&Key, &Value)> {
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| k.name.eq_ignore_ascii_case(key))
            .map(|(k, v)| (k, v))
    }

    /// The value of exactly `key` (letter case included), as `$VARIABLE` lookups match.
    pub fn get_exact(&self, key: &str) -> Option<&Value> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
    }

    /// Like [`Map::get_exact`], and marks the key as used by a variable reference.
    pub(crate) fn use_as_variable(&mut self, key: &str) -> Option<&Value> {
        let (k, v) = self.entries.iter_mut().find(|(k, _)| k.name == key)?;
        k.used_as_variable = true;
        Some(v)
    }

    /// Where `key` (matched as [`Map::get`] does) was written.
    pub fn key_pos(&self, key: &str) -> Option<&Pos> {
        self.get_entry(key).map(|(k, _)| &k.pos)
    }

    /// Entries in file order.
    pub fn iter(&self) -> impl Iterator<Item = (&Key, &Value)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// Keys in file order.
    pub fn keys(&self) -> impl Iterator<Item = &Key> {
        self.entries.iter().map(|(k, _)| k)
    }

    /// Sets `key` (exact match) to `value`, replacing and returning an earlier value;
    /// a replaced entry keeps its place but takes the new key position.
    pub fn insert(&mut self, key: Key, value: Value) -> Option<Value> {
        match self.entries.iter_mut().find(|(k, _)| k.name == key.name) {
            Some(entry) => {
                let old = std::mem::replace(entry, (key, value));
                Some(old.1)
            }
            None => {
                self.entries.push((key, value));
                None
            }
        }
    }

    /// Whether `self` and `other` hold the same keys (in the same order) and data,
    /// ignoring positions.
    pub fn same_data(&self, other: &Map) -> bool {
        self.entries.len() == other.entries.len()
            && self
                .entries
                .iter()
                .zip(&other.entries)
                .all(|((ka, va), (kb, vb))| ka.name == kb.name && va.same_data(vb))
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = &'a (Key, Value);
    type IntoIter = std::slice::Iter<'a, (Key, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter()
    }
}
