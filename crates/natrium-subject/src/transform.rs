//! Subject transforms: rewriting a subject that matches a source pattern into a
//! destination built from a template, as nats-server's subject mappings, stream
//! `subject_transform`s and source transforms do.
//!
//! A destination template is a subject whose tokens are literals, `>` (when the source
//! ends in `>`: the rest of the subject is copied), or placeholders:
//!
//! | token | result |
//! | --- | --- |
//! | `$n`, `{{wildcard(n)}}` | the token that matched the source's n-th `*` |
//! | `{{partition(p, n...)}}` | FNV-1a 32 hash of the named tokens (concatenated, no separator), or of the whole subject when none are named, modulo `p` |
//! | `{{split(n, delim)}}` | the token split on `delim` into several tokens (empty parts dropped) |
//! | `{{splitFromLeft(n, pos)}}`, `{{splitFromRight(n, pos)}}` | the token cut in two `pos` bytes from the left / right |
//! | `{{sliceFromLeft(n, size)}}`, `{{sliceFromRight(n, size)}}` | the token cut into `size`-byte pieces counted from the left / right |
//! | `{{left(n, len)}}`, `{{right(n, len)}}` | the first / last `len` bytes of the token |
//! | `{{random(p)}}` | a random number in `0..p` |
//!
//! Function names match nats-server's regular expressions: the first letter of each word
//! may be either case (`SplitFromLeft`, `splitfromleft`), the rest is as written. Errors
//! carry nats-server's texts, so a refused configuration reads the same.

use std::cell::Cell;
use std::fmt;
use std::hash::BuildHasher;

use crate::subject::{is_wildcard_token, tokens, FULL_WILDCARD, TOKEN_SEPARATOR};

/// What is wrong with a mapping destination (nats-server's `ErrMappingDestination*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DestinationError {
    /// An empty token, a token after `>`, or whitespace in a literal token.
    InvalidTransform,
    /// A strict (import) transform leaves a source wildcard unused.
    NotUsingAllWildcards,
    /// `{{name(...)}}` with a name that is not a mapping function.
    UnknownFunction,
    /// A wildcard index beyond the source's wildcards, or a function that needs a
    /// wildcard used with a source that has none.
    IndexOutOfRange,
    /// Too few arguments for the function.
    NotEnoughArgs,
    /// An argument that is not a number where one is needed, or a bad delimiter.
    InvalidArg,
    /// Too many arguments for the function.
    TooManyArgs,
    /// A strict (import) transform uses a function other than `wildcard`.
    NotSupportedForImport,
}

impl fmt::Display for DestinationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let detail = match self {
            Self::InvalidTransform => "invalid transform",
            Self::NotUsingAllWildcards => "not using all of the token wildcard(s)",
            Self::UnknownFunction => "unknown function",
            Self::IndexOutOfRange => "wildcard index out of range",
            Self::NotEnoughArgs => "not enough arguments passed to the function",
            Self::InvalidArg => "function argument is invalid or in the wrong format",
            Self::TooManyArgs => "too many arguments passed to the function",
            Self::NotSupportedForImport => {
                "the only mapping function allowed for import transforms is {{Wildcard()}}"
            }
        };
        write!(f, "invalid mapping destination: {detail}")
    }
}

/// Why a (source, destination) pair cannot be a transform.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransformError {
    /// The source or destination is not a valid subject, the destination has a `*`
    /// token, or only one of them ends in `>` (nats-server's `ErrBadSubject`).
    #[error("invalid subject")]
    BadSubject,
    /// The destination template is wrong; `token` names the offending part (may be empty).
    #[error("{}", destination_message(*.kind, .token))]
    Destination {
        /// What is wrong.
        kind: DestinationError,
        /// The destination token (or the whole destination) it is wrong in.
        token: String,
    },
}

fn destination_message(kind: DestinationError, token: &str) -> String {
    if token.is_empty() {
        kind.to_string()
    } else {
        format!("{kind} in {token}")
    }
}

fn dest_err(kind: DestinationError, token: impl Into<String>) -> TransformError {
    TransformError::Destination {
        kind,
        token: token.into(),
    }
}

/// One token of a compiled destination. Source token positions are indexes into the
/// tokens of the subject being transformed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(Box<[u8]>),
    /// The trailing `>`: the subject's remaining tokens follow.
    Rest,
    Wildcard(usize),
    /// An empty token list hashes the whole subject.
    Partition {
        buckets: i32,
        tokens: Vec<usize>,
    },
    SplitFromLeft(usize, i32),
    SplitFromRight(usize, i32),
    SliceFromLeft(usize, i32),
    SliceFromRight(usize, i32),
    Split(usize, Box<[u8]>),
    Left(usize, i32),
    Right(usize, i32),
    Random(i32),
}

/// A placeholder as written, before its wildcard numbers are resolved to token positions.
enum Placeholder {
    Literal,
    /// A function taking wildcard numbers (`wildcards`), an integer and a delimiter.
    Indexed {
        func: Func,
        wildcards: Vec<i64>,
        int: i32,
        delim: String,
    },
    Random(i32),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Func {
    Wildcard,
    Partition,
    SplitFromLeft,
    SplitFromRight,
    SliceFromLeft,
    SliceFromRight,
    Split,
    Left,
    Right,
}

/// A compiled (source pattern, destination template) pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectTransform {
    source: String,
    destination: String,
    source_tokens: Vec<Box<[u8]>>,
    parts: Vec<Part>,
    /// Source and destination are both `>`: every subject maps to itself.
    identity: bool,
}

impl SubjectTransform {
    /// Compiles `source` → `destination` as nats-server's `NewSubjectTransform` does. An
    /// empty source means `>`. The destination must not be empty (nats-server treats an
    /// empty destination as "no transform"; callers decide what that means for them).
    pub fn new(source: &str, destination: &str) -> Result<Self, TransformError> {
        Self::build(source, destination, false)
    }

    /// Compiles a transform that must be reversible (service and stream import
    /// subjects): only `$n` / `{{wildcard(n)}}` placeholders, and every source wildcard
    /// used.
    pub fn strict(source: &str, destination: &str) -> Result<Self, TransformError> {
        Self::build(source, destination, true)
    }

    /// The source pattern (`>` when it was given empty).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The destination template as given.
    pub fn destination(&self) -> &str {
        &self.destination
    }

    fn build(source: &str, destination: &str, strict: bool) -> Result<Self, TransformError> {
        let source = if source.is_empty() { ">" } else { source };
        let src = subject_info(source).ok_or(TransformError::BadSubject)?;
        let dst = subject_info(destination).ok_or(TransformError::BadSubject)?;
        if dst.partial_wildcards > 0 || src.full_wildcard != dst.full_wildcard {
            return Err(TransformError::BadSubject);
        }
        // Token position of the n-th `*` (1-based) of the source.
        let wildcard_positions: Vec<usize> = source
            .split('.')
            .enumerate()
            .filter(|(_, t)| *t == "*")
            .map(|(i, _)| i)
            .collect();
        let has_wildcards = src.partial_wildcards > 0 || src.full_wildcard;
        let mut parts = Vec::new();
        let mut placed = 0usize;
        for token in destination.split('.') {
            let placeholder = parse_placeholder(token)?;
            let part = match placeholder {
                Placeholder::Literal if token == ">" => Part::Rest,
                Placeholder::Literal => Part::Literal(token.as_bytes().into()),
                Placeholder::Random(_) if strict && has_wildcards => {
                    return Err(dest_err(DestinationError::NotSupportedForImport, token));
                }
                Placeholder::Random(n) => Part::Random(n),
                // A source without wildcards has no tokens to name: only functions that
                // need none make sense (a partition then hashes the whole subject).
                Placeholder::Indexed { func, int, .. } if !has_wildcards => {
                    if func != Func::Partition {
                        return Err(dest_err(DestinationError::IndexOutOfRange, token));
                    }
                    Part::Partition {
                        buckets: int,
                        tokens: Vec::new(),
                    }
                }
                Placeholder::Indexed { func, .. } if strict && func != Func::Wildcard => {
                    return Err(dest_err(DestinationError::NotSupportedForImport, token));
                }
                Placeholder::Indexed {
                    func,
                    wildcards,
                    int,
                    delim,
                } => {
                    placed += wildcards.len();
                    let mut positions = Vec::with_capacity(wildcards.len());
                    for n in wildcards {
                        if n > i64::try_from(src.partial_wildcards).unwrap_or(i64::MAX) {
                            return Err(dest_err(
                                DestinationError::IndexOutOfRange,
                                format!("{token}: [{n}]"),
                            ));
                        }
                        // nats-server looks numbers up in a map from wildcard number to
                        // position, so 0 and negative numbers (absent keys) mean token 0.
                        let position = usize::try_from(n)
                            .ok()
                            .and_then(|n| n.checked_sub(1))
                            .and_then(|i| wildcard_positions.get(i).copied())
                            .unwrap_or(0);
                        positions.push(position);
                    }
                    indexed_part(func, positions, int, delim)
                }
            };
            parts.push(part);
        }
        if strict && placed < src.partial_wildcards {
            return Err(dest_err(
                DestinationError::NotUsingAllWildcards,
                destination,
            ));
        }
        Ok(Self {
            source: source.to_owned(),
            destination: destination.to_owned(),
            source_tokens: source.split('.').map(|t| t.as_bytes().into()).collect(),
            parts,
            identity: source == ">" && destination == ">",
        })
    }

    /// Whether this transform leaves every subject as it is (`>` → `>`).
    pub fn is_identity(&self) -> bool {
        self.identity
    }

    /// The transformed subject, or `None` when `subject` does not match the source or is
    /// not a valid literal subject (nats-server's `Match`).
    pub fn apply(&self, subject: &[u8]) -> Option<Vec<u8>> {
        if self.identity {
            return Some(subject.to_vec());
        }
        let toks: Vec<&[u8]> = tokens(subject).collect();
        if toks.iter().any(|t| t.is_empty() || is_wildcard_token(t)) {
            return None;
        }
        if !self.matches_tokens(&toks) {
            return None;
        }
        let mut out = Vec::with_capacity(subject.len() + self.destination.len());
        self.write_transformed(subject, &toks, &mut out);
        Some(out)
    }

    /// Whether the literal `toks` match the source pattern.
    pub(crate) fn matches_tokens(&self, toks: &[&[u8]]) -> bool {
        pattern_matches(&self.source_tokens, toks)
    }

    /// Writes the destination for a subject whose tokens `toks` matched the source.
    pub(crate) fn write_transformed(&self, subject: &[u8], toks: &[&[u8]], out: &mut Vec<u8>) {
        let token = |i: usize| toks.get(i).copied().unwrap_or_default();
        let last = self.parts.len().saturating_sub(1);
        for (i, part) in self.parts.iter().enumerate() {
            match part {
                Part::Rest => break,
                Part::Literal(lit) => out.extend_from_slice(lit),
                Part::Wildcard(at) => out.extend_from_slice(token(*at)),
                Part::Partition { buckets, tokens } => {
                    let hash = if tokens.is_empty() {
                        fnv1a32(subject.iter())
                    } else {
                        fnv1a32(tokens.iter().flat_map(|&at| token(at).iter()))
                    };
                    // Go converts the int32 bucket count to uint32: a negative count
                    // wraps to a huge one, as it does there.
                    let value = if *buckets == 0 {
                        0
                    } else {
                        hash % (*buckets as u32)
                    };
                    push_decimal(out, u64::from(value));
                }
                Part::SplitFromLeft(at, pos) => {
                    let t = token(*at);
                    split_at(out, t, cut(t, *pos));
                }
                Part::SplitFromRight(at, pos) => {
                    let t = token(*at);
                    split_at(out, t, cut(t, *pos).map(|p| t.len() - p));
                }
                Part::SliceFromLeft(at, size) => {
                    let t = token(*at);
                    match cut(t, *size) {
                        Some(size) => join(out, t.chunks(size)),
                        None => out.extend_from_slice(t),
                    }
                }
                Part::SliceFromRight(at, size) => {
                    let t = token(*at);
                    match cut(t, *size) {
                        Some(size) => {
                            let (head, tail) = t.split_at(t.len() % size);
                            let pieces = (!head.is_empty())
                                .then_some(head)
                                .into_iter()
                                .chain(tail.chunks(size));
                            join(out, pieces);
                        }
                        None => out.extend_from_slice(t),
                    }
                }
                Part::Split(at, delim) => split_on(out, token(*at), delim),
                Part::Left(at, len) => {
                    let t = token(*at);
                    let end = cut(t, *len).unwrap_or(t.len());
                    out.extend_from_slice(t.get(..end).unwrap_or(t));
                }
                Part::Right(at, len) => {
                    let t = token(*at);
                    let start = cut(t, *len).map_or(0, |n| t.len() - n);
                    out.extend_from_slice(t.get(start..).unwrap_or(t));
                }
                Part::Random(n) => {
                    let value = if *n == 0 {
                        0
                    } else {
                        random_u31() % n.unsigned_abs()
                    };
                    push_decimal(out, u64::from(value));
                }
            }
            if i < last {
                out.push(TOKEN_SEPARATOR);
            }
        }
        if matches!(self.parts.last(), Some(Part::Rest)) {
            let from = self.source_tokens.len().saturating_sub(1);
            join(out, toks.iter().skip(from).copied());
        }
    }
}

/// Whether the literal subject tokens `toks` match the tokens of `pattern`.
pub(crate) fn pattern_matches(pattern: &[Box<[u8]>], toks: &[&[u8]]) -> bool {
    let mut subject = toks.iter();
    for p in pattern {
        if &**p == FULL_WILDCARD {
            return subject.next().is_some();
        }
        match subject.next() {
            Some(t) if &**p == b"*" || **p == **t => {}
            _ => return false,
        }
    }
    subject.next().is_none()
}

/// Checks a mapping destination as nats-server's `ValidateMapping` does (account
/// mappings and stream `subject_transform`s), then compiles it: besides what
/// [`SubjectTransform::new`] refuses, literal tokens may not contain whitespace and no
/// token may be empty or follow `>`.
pub fn validate_mapping(
    source: &str,
    destination: &str,
) -> Result<SubjectTransform, TransformError> {
    let mut after_full_wildcard = false;
    for token in destination.split('.') {
        if token.is_empty() || after_full_wildcard {
            return Err(dest_err(DestinationError::InvalidTransform, token));
        }
        if looks_like_function(token) {
            // Unknown names are reported by the compile below, with the same error.
            continue;
        }
        if token == ">" {
            after_full_wildcard = true;
        } else if token.bytes().any(is_go_space) {
            return Err(dest_err(DestinationError::InvalidTransform, ""));
        }
    }
    SubjectTransform::new(source, destination)
}

/// Valid subject (as nats-server's `subjectInfo` sees it): counts `*` tokens and notes
/// a trailing `>`. Whitespace is not checked here.
struct SubjectInfo {
    partial_wildcards: usize,
    full_wildcard: bool,
}

fn subject_info(subject: &str) -> Option<SubjectInfo> {
    if subject.is_empty() {
        return None;
    }
    let mut info = SubjectInfo {
        partial_wildcards: 0,
        full_wildcard: false,
    };
    for token in subject.split('.') {
        if token.is_empty() || info.full_wildcard {
            return None;
        }
        match token {
            "*" => info.partial_wildcards += 1,
            ">" => info.full_wildcard = true,
            _ => {}
        }
    }
    Some(info)
}

fn indexed_part(func: Func, positions: Vec<usize>, int: i32, delim: String) -> Part {
    let first = positions.first().copied().unwrap_or(0);
    match func {
        Func::Wildcard => Part::Wildcard(first),
        Func::Partition => Part::Partition {
            buckets: int,
            tokens: positions,
        },
        Func::SplitFromLeft => Part::SplitFromLeft(first, int),
        Func::SplitFromRight => Part::SplitFromRight(first, int),
        Func::SliceFromLeft => Part::SliceFromLeft(first, int),
        Func::SliceFromRight => Part::SliceFromRight(first, int),
        Func::Split => Part::Split(first, delim.into_bytes().into()),
        Func::Left => Part::Left(first, int),
        Func::Right => Part::Right(first, int),
    }
}

/// Go's regexp `\s`.
fn is_go_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

fn looks_like_function(token: &str) -> bool {
    token.len() > 4 && token.starts_with("{{") && token.ends_with("}}")
}

/// The function names nats-server recognises, in the order it tries them; an upper-case
/// letter here accepts either case (its regular expressions spell `[sS]plit[fF]rom...`).
const FUNCTIONS: &[(&str, Func)] = &[
    ("Wildcard", Func::Wildcard),
    ("Partition", Func::Partition),
    ("SplitFromLeft", Func::SplitFromLeft),
    ("SplitFromRight", Func::SplitFromRight),
    ("SliceFromLeft", Func::SliceFromLeft),
    ("SliceFromRight", Func::SliceFromRight),
    ("Right", Func::Right),
    ("Left", Func::Left),
    ("Split", Func::Split),
];

fn name_is(name: &str, canonical: &str) -> bool {
    name.len() == canonical.len()
        && name.bytes().zip(canonical.bytes()).all(|(a, c)| {
            if c.is_ascii_uppercase() {
                a.eq_ignore_ascii_case(&c)
            } else {
                a == c
            }
        })
}

/// Go's `strconv.Atoi`: optional sign, decimal digits, 64-bit range.
fn atoi(s: &str) -> Option<i64> {
    s.parse().ok()
}

fn parse_placeholder(token: &str) -> Result<Placeholder, TransformError> {
    if let Some(rest) = token.strip_prefix('$') {
        // `$foo` stays a literal: other features use tokens starting with `$`.
        return Ok(match atoi(rest) {
            Some(n) if !rest.is_empty() => Placeholder::Indexed {
                func: Func::Wildcard,
                wildcards: vec![n],
                int: -1,
                delim: String::new(),
            },
            _ => Placeholder::Literal,
        });
    }
    if !looks_like_function(token) {
        return Ok(Placeholder::Literal);
    }
    let unknown = || dest_err(DestinationError::UnknownFunction, token);
    let inner = token
        .get(2..token.len() - 2)
        .ok_or_else(unknown)?
        .trim_start_matches(|c: char| c.is_ascii() && is_go_space(c as u8))
        .trim_end_matches(|c: char| c.is_ascii() && is_go_space(c as u8));
    let open = inner.find('(').ok_or_else(unknown)?;
    let name = inner
        .get(..open)
        .unwrap_or_default()
        .trim_end_matches(|c: char| c.is_ascii() && is_go_space(c as u8));
    let args = inner
        .get(open + 1..)
        .and_then(|a| a.strip_suffix(')'))
        .ok_or_else(unknown)?;
    let args = split_args(args);
    let err = |kind| Err(dest_err(kind, token));
    let trimmed = |s: &str| s.trim_matches(' ').to_owned();
    if name_is(name, "Random") {
        let [arg] = args.as_slice() else {
            return err(DestinationError::NotEnoughArgs);
        };
        return match atoi(&trimmed(arg)) {
            Some(n) if n <= i64::from(i32::MAX) => Ok(Placeholder::Random(n as i32)),
            _ => err(DestinationError::InvalidArg),
        };
    }
    let Some(&(_, func)) = FUNCTIONS.iter().find(|(n, _)| name_is(name, n)) else {
        return Err(unknown());
    };
    let indexed = |wildcards: Vec<i64>, int: i32, delim: String| {
        Ok(Placeholder::Indexed {
            func,
            wildcards,
            int,
            delim,
        })
    };
    match func {
        Func::Wildcard => match args.as_slice() {
            [only] if only.is_empty() => err(DestinationError::NotEnoughArgs),
            [only] => match atoi(&trimmed(only)) {
                Some(n) => indexed(vec![n], -1, String::new()),
                None => err(DestinationError::InvalidArg),
            },
            _ => err(DestinationError::TooManyArgs),
        },
        Func::Partition => {
            let Some((count, positions)) = args.split_first() else {
                return err(DestinationError::NotEnoughArgs);
            };
            let buckets = match atoi(&trimmed(count)) {
                Some(n) if n <= i64::from(i32::MAX) => n as i32,
                _ => return err(DestinationError::InvalidArg),
            };
            let mut wildcards = Vec::with_capacity(positions.len());
            for p in positions {
                match atoi(&trimmed(p)) {
                    Some(n) => wildcards.push(n),
                    None => return err(DestinationError::InvalidArg),
                }
            }
            indexed(wildcards, buckets, String::new())
        }
        Func::Split => match args.as_slice() {
            [] | [_] => err(DestinationError::NotEnoughArgs),
            [index, delim] => {
                let Some(n) = atoi(&trimmed(index)) else {
                    return err(DestinationError::InvalidArg);
                };
                if delim.contains(' ') || delim.contains('.') {
                    return err(DestinationError::InvalidArg);
                }
                indexed(vec![n], -1, delim.clone())
            }
            _ => err(DestinationError::TooManyArgs),
        },
        _ => match args.as_slice() {
            [] | [_] => err(DestinationError::NotEnoughArgs),
            [index, int] => {
                let n = atoi(&trimmed(index));
                let int = trimmed(int).parse::<i32>().ok();
                match (n, int) {
                    (Some(n), Some(int)) => indexed(vec![n], int, String::new()),
                    _ => err(DestinationError::InvalidArg),
                }
            }
            _ => err(DestinationError::TooManyArgs),
        },
    }
}

/// Splits function arguments on a comma and the whitespace after it (`,\s*`).
fn split_args(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = args;
    while let Some(comma) = rest.find(',') {
        out.push(rest.get(..comma).unwrap_or_default().to_owned());
        rest = rest
            .get(comma + 1..)
            .unwrap_or_default()
            .trim_start_matches(|c: char| c.is_ascii() && is_go_space(c as u8));
    }
    out.push(rest.to_owned());
    out
}

/// `n` as a cut position inside `token`: only when `0 < n < token.len()`.
fn cut(token: &[u8], n: i32) -> Option<usize> {
    usize::try_from(n)
        .ok()
        .filter(|&n| n > 0 && n < token.len())
}

fn split_at(out: &mut Vec<u8>, token: &[u8], at: Option<usize>) {
    match at.map(|at| token.split_at(at)) {
        Some((head, tail)) => join(out, [head, tail]),
        None => out.extend_from_slice(token),
    }
}

fn join<'a>(out: &mut Vec<u8>, pieces: impl IntoIterator<Item = &'a [u8]>) {
    for (i, piece) in pieces.into_iter().enumerate() {
        if i > 0 {
            out.push(TOKEN_SEPARATOR);
        }
        out.extend_from_slice(piece);
    }
}

/// `split(n, delim)`: nats-server writes each non-empty piece, and a separator before a
/// non-empty piece unless the previous one is the (empty) first piece. So a leading
/// doubled delimiter yields an empty first token, as it does there.
fn split_on(out: &mut Vec<u8>, token: &[u8], delim: &[u8]) {
    let pieces = split_bytes(token, delim);
    for (j, piece) in pieces.iter().enumerate() {
        out.extend_from_slice(piece);
        let next_non_empty = pieces.get(j + 1).is_some_and(|p| !p.is_empty());
        if next_non_empty && !(j == 0 && piece.is_empty()) {
            out.push(TOKEN_SEPARATOR);
        }
    }
}

/// Go's `strings.Split`: an empty separator splits after each UTF-8 sequence (an invalid
/// byte counts as one).
fn split_bytes<'a>(s: &'a [u8], sep: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    if sep.is_empty() {
        let mut rest = s;
        while !rest.is_empty() {
            let len = (1..=4.min(rest.len()))
                .find(|&l| {
                    rest.get(..l)
                        .is_some_and(|p| std::str::from_utf8(p).is_ok())
                })
                .unwrap_or(1);
            let (head, tail) = rest.split_at(len);
            out.push(head);
            rest = tail;
        }
        return out;
    }
    let mut start = 0;
    let mut i = 0;
    while i + sep.len() <= s.len() {
        if s.get(i..i + sep.len()) == Some(sep) {
            out.push(s.get(start..i).unwrap_or_default());
            i += sep.len();
            start = i;
        } else {
            i += 1;
        }
    }
    out.push(s.get(start..).unwrap_or_default());
    out
}

fn fnv1a32<'a>(bytes: impl Iterator<Item = &'a u8>) -> u32 {
    bytes.fold(0x811c_9dc5, |h: u32, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

fn push_decimal(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(n.to_string().as_bytes());
}

thread_local! {
    /// Per-thread xorshift state for `{{random(n)}}` and weighted mappings; seeded from
    /// the standard library's per-process random hash keys (no clock, no syscall here).
    static RNG: Cell<u64> = Cell::new(
        std::collections::hash_map::RandomState::new().hash_one(0x6e61_7472_6975_6d00u64) | 1,
    );
}

/// A random number in `0..2^31` (the range of Go's `rand.Int31`).
pub(crate) fn random_u31() -> u32 {
    RNG.with(|state| {
        let mut x = state.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        state.set(x);
        (x >> 33) as u32
    })
}

#[cfg(test)]
mod tests;
