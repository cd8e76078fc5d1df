//! API CONTRACT STUB — the conf helper replaces this file.
#![allow(missing_docs)]
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq)]
pub struct Pos { pub file: Option<Arc<PathBuf>>, pub line: u32, pub col: u32 }

#[derive(Debug, Clone, PartialEq)]
pub struct Value { pub kind: ValueKind, pub pos: Pos }

#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    Bool(bool),
    Integer(i64),
    Float(f64),
    String(String),
    Array(Vec<Value>),
    Map(Map),
}

/// Keys in file order; lookups are case-sensitive, callers lowercase as nats-server does.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map { pub entries: Vec<(String, Value)> }

#[derive(Debug, thiserror::Error)]
pub enum ConfError {
    #[error("{0}")]
    Syntax(String),
}

pub fn parse_file(_path: &Path) -> Result<Map, ConfError> { todo!() }
pub fn parse_str(_text: &str) -> Result<Map, ConfError> { todo!() }
