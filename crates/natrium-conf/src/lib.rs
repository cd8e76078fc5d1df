//! The NATS configuration language (nats-server's `conf` package format), read into a
//! tree of values that remember their file, line and column.
//!
//! This crate owns the syntax only: lexing, parsing, `include` files, `$VARIABLE`
//! references and size-suffixed numbers. It does not know what any key means (that is
//! the server's job), and it must never touch the network, write files, or read any file
//! other than the one it is given and the ones that file `include`s. It must never panic
//! on any input: nesting, include depth and variable expansion are bounded, and every
//! malformed input is a [`ConfError`] that names file, line and column.
//!
//! # The language, as nats-server v2.15 reads it
//! - `key = value`, `key: value` or `key value`; keys bare or quoted. A bare key ends at
//!   whitespace, `=`, `:` or the end of input (so `a{b=1}` is the key `a{b`).
//! - Entries end at a new line, `;` or `,` (also `}` at top level). `#` and `//` start
//!   comments where an entry or array element may end (not inside a bare value:
//!   `nats://h:4222` and `a#b` are one value each).
//! - `name { ... }` maps, `[ ... ]` arrays (elements separated by `,` and/or new lines).
//!   The whole file may be wrapped in `{ ... }` (JSON-like).
//! - Values: `"double"` strings with escapes `\t \n \r \" \\ \xHH`; `'single'` strings
//!   without escapes; bare words; `( ... )` block strings that end at a `)` alone on a
//!   line; integers; floats (`1.5`); ISO8601 Zulu datetimes `2024-01-02T03:04:05Z`;
//!   booleans `true/false/yes/no/on/off` (any case, unquoted only).
//! - Integers may carry a size suffix: `k m g t p e` multiply by powers of 1000; with a
//!   trailing `b`, `i` or `ib` (`kb`, `Ki`, `KiB`, `MB`, `GiB`, ...) by powers of 1024.
//!   Case does not matter. Beware: `2m` is the integer 2,000,000 (not two minutes),
//!   while `10ms`, `30s`, `1h30m` are strings.
//! - A bare word made of digits and something else is a string (`10ms`, `4222:x`), except
//!   that `]` does not end a number: `[1]` is an error in nats-server and here, `[1, 2]`
//!   too; write `[1, 2 ]` or put a new line before `]`. `1.5s` is also an error.
//!   Dotted quads (`127.0.0.1:4222`) are strings. `-` must be followed by a digit.
//! - `include path` (quoted or bare) parses another file and merges its top-level keys
//!   into the current map. The path is joined to the including file's directory the way
//!   Go's `filepath.Join` does, so even an absolute path is taken below that directory.
//!   The included file does not see the including file's variables.
//! - `$NAME` (unquoted) refers to a key defined earlier in this map or an enclosing one
//!   (exact letter case, arrays skipped), else to the environment variable `NAME`, whose
//!   text is parsed as a value (`4222` becomes an integer). `$2a$...` (a bcrypt hash) is
//!   the literal text.
//! - Assigning a key again replaces its value.
//!
//! # Where this parser differs from nats-server on purpose
//! Go silently drops an integer with an unknown suffix (`1kbib`), lets suffix
//! multiplication wrap around, and panics or overflows its stack on some inputs
//! (include cycles, deep nesting). Here these are errors. Non-ASCII digits are not
//! digits here. Strings are UTF-8: a `\xHH` escape that forms invalid UTF-8 becomes
//! U+FFFD, as do invalid bytes in a file.
#![deny(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::indexing_slicing))]

mod error;
mod lex;
mod parse;
mod value;

use std::path::Path;
use std::sync::Arc;

pub use error::ConfError;
pub use parse::EnvLookup;
pub use value::{Key, Map, Pos, Value, ValueKind};

/// How deep maps and arrays may nest (the top-level map not counted).
pub const MAX_DEPTH: usize = 128;

/// The process environment, as nats-server reads it.
fn process_env(name: &str) -> Option<String> {
    // `var_os` may panic on such names; they cannot be set anyway.
    if name.is_empty() || name.contains(['=', '\0']) {
        return None;
    }
    std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
}

/// Parses the file at `path`, its includes relative to its directory, variables
/// resolved against the process environment.
pub fn parse_file(path: &Path) -> Result<Map, ConfError> {
    parse_file_with_env(path, &process_env)
}

/// Like [`parse_file`], with environment variables looked up through `env`.
pub fn parse_file_with_env(path: &Path, env: EnvLookup<'_>) -> Result<Map, ConfError> {
    let bytes = std::fs::read(path).map_err(|source| ConfError::Io {
        at: None,
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8_lossy(&bytes);
    let mut shared = parse::Shared::new(env);
    shared.enter_file(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()));
    let dir = parse::go_dir(&path.to_string_lossy());
    parse::parse_source(&text, Some(Arc::new(path.to_path_buf())), dir, &mut shared)
}

/// Parses `text`. Positions name no file; includes are relative to the current
/// directory (as in nats-server); variables resolve against the process environment.
pub fn parse_str(text: &str) -> Result<Map, ConfError> {
    parse_str_with_env(text, &process_env)
}

/// Like [`parse_str`], with environment variables looked up through `env`.
pub fn parse_str_with_env(text: &str, env: EnvLookup<'_>) -> Result<Map, ConfError> {
    let mut shared = parse::Shared::new(env);
    parse::parse_source(text, None, ".".to_owned(), &mut shared)
}
