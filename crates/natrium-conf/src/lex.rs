//! The lexer: text to tokens, following nats-server's `conf/lex.go` state machine rule
//! for rule, quirks included (they decide which files nats-server accepts).
//!
//! It is a state machine with an explicit stack of return states (no recursion), pulled
//! one token at a time by the parser. Notable rules:
//! - a key ends at whitespace, `=`, `:` or end of input; the separator is optional;
//! - a bare value ends at whitespace, a new line, `,`, `;`, `]`, `}` or a `'` (which is
//!   eaten); `#` and `//` do not end it (`nats://a:4222` is one value);
//! - a number followed by `k m g t p e` (any case) and then only `b`/`i` letters is an
//!   integer with a size suffix, unless something other than a terminator follows, in
//!   which case the whole word is a string (`10ms`, `1h30m`, `4k2`); note `]` is not a number
//!   terminator, so `[1]` is an error and `[1k]` is the string `1k`;
//! - `1.5x` is the float `1.5` followed by junk (an error), `1.2.3.4:5` is a string;
//! - `(` starts a block string that ends at a `)` alone on its line.

use std::collections::VecDeque;

/// How deep the lexer's stack of return states may grow. Each level of `{`/`[`
/// nesting needs one or two entries; this is well above what [`crate::MAX_DEPTH`]
/// lets the parser accept.
const MAX_STACK: usize = 4 * crate::MAX_DEPTH + 64;

/// What a token is. Scalars carry their raw text; the parser interprets it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Key(String),
    Str(String),
    Bool(String),
    Int(String),
    Float(String),
    Datetime(String),
    ArrayStart,
    ArrayEnd,
    MapStart,
    MapEnd,
    Variable(String),
    Include(String),
    Eof,
    Error(String),
}

/// A token and the byte offset where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) offset: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum St {
    Top,
    TopValueEnd,
    BlockStart,
    BlockValueEnd,
    BlockEnd,
    KeyStart,
    DubQuotedKey,
    QuotedKey,
    IncludeStart,
    Include,
    IncludeQuoted,
    IncludeDubQuoted,
    IncludeString,
    Key,
    KeyEnd,
    Value,
    ArrayValue,
    ArrayValueEnd,
    MapKeyStart,
    MapQuotedKey,
    MapDubQuotedKey,
    MapKey,
    MapKeyEnd,
    MapValue,
    MapValueEnd,
    QuotedString,
    DubQuotedString,
    BareString,
    Block,
    StringEscape,
    StringBinary,
    NumberStart,
    Number,
    ConvenientNumber,
    DateAfterYear,
    NegNumberStart,
    NegNumber,
    FloatStart,
    Float,
    IpAddr,
    Comment,
}

/// End of input, as the Go lexer spells it (a NUL character reads the same, as in Go).
const EOF: char = '\0';

/// Pulls tokens out of a text.
pub(crate) struct Lexer<'a> {
    input: &'a str,
    /// Start of the pending text.
    start: usize,
    /// Read position.
    pos: usize,
    /// Width of the last character read (0 at end of input).
    width: usize,
    /// Where the token being built started (quotes included); reported as its position.
    mark: usize,
    /// Start of the last character read, for error positions.
    last: usize,
    /// Where the last `include` keyword started: an include token is reported there.
    include_at: usize,
    state: Option<St>,
    stack: Vec<St>,
    /// Text already unescaped for the string being built.
    parts: Vec<u8>,
    /// Where to go back to after an escape sequence.
    string_state: St,
    out: VecDeque<Token>,
}

fn is_ws(r: char) -> bool {
    r == ' ' || r == '\t'
}

fn is_nl(r: char) -> bool {
    r == '\n' || r == '\r'
}

/// Go's `unicode.IsSpace`; Rust's White_Space set is the same.
fn is_space(r: char) -> bool {
    r.is_whitespace()
}

fn is_sep(r: char) -> bool {
    r == '=' || r == ':'
}

fn is_digit(r: char) -> bool {
    r.is_ascii_digit()
}

fn is_suffix(r: char) -> bool {
    matches!(r.to_ascii_lowercase(), 'k' | 'm' | 'g' | 't' | 'p' | 'e')
}

/// What may follow a number (note: not `]`).
fn ends_number(r: char) -> bool {
    is_nl(r) || r == EOF || r == '}' || r == ';' || r == ',' || is_ws(r) || is_digit(r)
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(input: &'a str) -> Lexer<'a> {
        Lexer {
            input,
            start: 0,
            pos: 0,
            width: 0,
            mark: 0,
            last: 0,
            include_at: 0,
            state: Some(St::Top),
            stack: Vec::new(),
            parts: Vec::new(),
            string_state: St::BareString,
            out: VecDeque::new(),
        }
    }

    /// The next token; after `Eof` or `Error` it keeps returning `Eof`.
    pub(crate) fn next_token(&mut self) -> Token {
        loop {
            if let Some(t) = self.out.pop_front() {
                return t;
            }
            match self.state {
                Some(st) => self.state = self.step(st),
                None => {
                    return Token {
                        tok: Tok::Eof,
                        offset: self.input.len(),
                    }
                }
            }
        }
    }

    fn next(&mut self) -> char {
        self.last = self.pos;
        match self.input.get(self.pos..).and_then(|s| s.chars().next()) {
            Some(c) => {
                self.width = c.len_utf8();
                self.pos += self.width;
                c
            }
            None => {
                self.width = 0;
                EOF
            }
        }
    }

    fn backup(&mut self) {
        self.pos = self.pos.saturating_sub(self.width);
    }

    fn peek(&mut self) -> char {
        let r = self.next();
        self.backup();
        r
    }

    fn ignore(&mut self) {
        self.start = self.pos;
        self.mark = self.pos;
    }

    /// Like `ignore`, but the token about to start includes the character just read
    /// (an opening quote, bracket or brace): report it from there.
    fn ignore_opener(&mut self) {
        self.ignore();
        self.mark = self.last;
    }

    fn pending(&self) -> String {
        let mut bytes = self.parts.clone();
        bytes.extend_from_slice(
            self.input
                .as_bytes()
                .get(self.start..self.pos)
                .unwrap_or_default(),
        );
        match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }
    }

    fn emit_with(&mut self, make: fn(String) -> Tok) {
        let tok = make(self.pending());
        self.parts.clear();
        let offset = match tok {
            Tok::Include(_) => self.include_at,
            _ => self.mark,
        };
        self.out.push_back(Token { tok, offset });
        self.start = self.pos;
        self.mark = self.pos;
    }

    fn emit(&mut self, tok: Tok) {
        self.parts.clear();
        self.out.push_back(Token {
            tok,
            offset: self.mark,
        });
        self.start = self.pos;
        self.mark = self.pos;
    }

    /// Pushes a return state; false (with an error token queued) if the stack is full.
    fn push(&mut self, st: St) -> bool {
        if self.stack.len() >= MAX_STACK {
            self.error_at(self.last, "nesting too deep".to_owned());
            return false;
        }
        self.stack.push(st);
        true
    }

    /// Pushes `ret` and goes to `next`, unless the stack is full.
    fn call(&mut self, ret: St, next: St) -> Option<St> {
        if self.push(ret) {
            Some(next)
        } else {
            None
        }
    }

    fn pop(&mut self) -> Option<St> {
        match self.stack.pop() {
            Some(st) => Some(st),
            None => self.error("BUG in lexer: no states to pop.".to_owned()),
        }
    }

    fn show(&self, r: char) -> String {
        match r {
            EOF if self.width == 0 => "EOF".to_owned(),
            '\n' => "\\n".to_owned(),
            '\r' => "\\r".to_owned(),
            '\0' => "\\0".to_owned(),
            c => c.to_string(),
        }
    }

    fn error(&mut self, message: String) -> Option<St> {
        self.error_at(self.last, message)
    }

    fn error_at(&mut self, offset: usize, message: String) -> Option<St> {
        self.out.push_back(Token {
            tok: Tok::Error(message),
            offset,
        });
        None
    }

    /// What Go does on end of input where a key or value could start: fine if nothing
    /// is pending, an error otherwise.
    fn eof_here(&mut self) -> Option<St> {
        if self.pos > self.start {
            self.error("Unexpected EOF.".to_owned())
        } else {
            self.emit(Tok::Eof);
            None
        }
    }

    /// End of input inside a quoted value. Go reports this only when text is pending
    /// (else it ends quietly and the parser then fails on the key without a value, or,
    /// inside an array, drops the unclosed array); here it is always an error, reported
    /// at the opening quote.
    fn unterminated_string(&mut self) -> Option<St> {
        self.error_at(
            self.mark,
            "Unexpected EOF: this quoted string is never closed.".to_owned(),
        )
    }

    fn comment(&mut self, ret: St) -> Option<St> {
        self.ignore();
        self.call(ret, St::Comment)
    }

    /// After a `/` was read: a second `/` starts a comment returning to `ret`
    /// (`Ok(..)`); otherwise the character after the `/` is put back (`Err(())`).
    fn slash(&mut self, ret: St) -> Result<Option<St>, ()> {
        if self.next() == '/' {
            Ok(self.comment(ret))
        } else {
            self.backup();
            Err(())
        }
    }

    /// At a closing quote just read: emits the text before it, skips the quote and
    /// returns to the state on the stack.
    fn end_quoted(&mut self, make: fn(String) -> Tok) -> Option<St> {
        self.backup();
        self.emit_with(make);
        self.next();
        self.ignore();
        self.pop()
    }

    fn close(&mut self, tok: Tok) -> Option<St> {
        self.ignore_opener();
        self.emit(tok);
        self.pop()
    }

    fn key_or_include(&mut self, fall: St, ret: Option<St>) -> Option<St> {
        let word = self.input.get(self.start..self.pos).unwrap_or_default();
        if word.eq_ignore_ascii_case("include") {
            self.include_at = self.start;
            self.ignore();
            if let Some(ret) = ret {
                if !self.push(ret) {
                    return None;
                }
            }
            return Some(St::IncludeStart);
        }
        self.emit_with(Tok::Key);
        Some(fall)
    }

    /// Where a top-level or block-level entry may start (`here` is `Top` or
    /// `BlockStart`): skips space and comments, opens a `{` block returning to
    /// `brace_ret`, closes a block on `}` (inside one), or lexes a key, returning to
    /// `value_end` after its value.
    fn entry_start(&mut self, here: St, brace_ret: St, value_end: St) -> Option<St> {
        let r = self.next();
        if is_space(r) {
            self.ignore();
            return Some(here);
        }
        match r {
            '{' => {
                self.ignore();
                return self.call(brace_ret, St::BlockStart);
            }
            '}' if here == St::BlockStart => {
                self.ignore();
                return self.pop();
            }
            '#' => return self.comment(here),
            '/' => {
                if let Ok(next) = self.slash(here) {
                    return next;
                }
                return self.eof_here();
            }
            EOF => return self.eof_here(),
            _ => {}
        }
        self.backup();
        self.call(value_end, St::KeyStart)
    }

    /// After an array element (`close` is `]`) or a map entry (`close` is `}`):
    /// whitespace and comments are skipped; `,` or a new line (and `;` in a map) lead
    /// to the next element at `next`; `close` ends the array or map.
    fn element_end(&mut self, here: St, next: St, close: char) -> Option<St> {
        let r = self.next();
        let is_map = close == '}';
        match r {
            _ if is_ws(r) => {
                self.ignore();
                Some(here)
            }
            '#' => self.comment(here),
            '/' => match self.slash(here) {
                Ok(state) => state,
                Err(()) => {
                    self.ignore();
                    Some(next)
                }
            },
            _ if r == ',' || is_nl(r) || (is_map && r == ';') => {
                self.ignore();
                Some(next)
            }
            _ if r == close => self.close(if is_map { Tok::MapEnd } else { Tok::ArrayEnd }),
            _ => {
                let what = if is_map { "a map" } else { "an array" };
                self.error(format!(
                    "Expected {what} value terminator \",\" or {what} terminator \"{close}\", but got '{}' instead.",
                    self.show(r)
                ))
            }
        }
    }

    /// Inside a bare key, at top or block level or (`in_map`) in a `{ }` value.
    fn key_body(&mut self, in_map: bool) -> Option<St> {
        let (here, end) = if in_map {
            (St::MapKey, St::MapKeyEnd)
        } else {
            (St::Key, St::KeyEnd)
        };
        let r = self.peek();
        if in_map && r == EOF {
            return self.error("Unexpected EOF processing map key.".to_owned());
        }
        if is_space(r) {
            return self.key_or_include(end, in_map.then_some(St::MapValueEnd));
        }
        if is_sep(r) || r == EOF {
            self.emit_with(Tok::Key);
            return Some(end);
        }
        self.next();
        Some(here)
    }

    /// After a key: skips space (new lines too) and one optional separator.
    fn key_end(&mut self, in_map: bool) -> Option<St> {
        let (here, value) = if in_map {
            (St::MapKeyEnd, St::MapValue)
        } else {
            (St::KeyEnd, St::Value)
        };
        let r = self.next();
        if is_space(r) {
            self.ignore();
            return Some(here);
        }
        if is_sep(r) {
            self.ignore();
            return Some(value);
        }
        if !in_map && r == EOF {
            self.emit(Tok::Eof);
            return None;
        }
        self.backup();
        Some(value)
    }

    fn step(&mut self, st: St) -> Option<St> {
        match st {
            St::Top => self.entry_start(St::Top, St::Top, St::TopValueEnd),
            St::TopValueEnd => {
                let r = self.next();
                match r {
                    '#' => self.comment(St::Top),
                    '/' => match self.slash(St::Top) {
                        Ok(next) => next,
                        Err(()) => Some(St::TopValueEnd),
                    },
                    _ if is_ws(r) => Some(St::TopValueEnd),
                    _ if is_nl(r) || r == EOF || r == ';' || r == ',' || r == '}' => {
                        self.ignore();
                        Some(St::Top)
                    }
                    _ => self.error(format!(
                        "Expected a top-level value to end with a new line, comment or EOF, but got '{}' instead.",
                        self.show(r)
                    )),
                }
            }
            St::BlockStart => self.entry_start(St::BlockStart, St::BlockEnd, St::BlockValueEnd),
            St::BlockValueEnd => {
                let r = self.next();
                match r {
                    '#' => self.comment(St::BlockValueEnd),
                    '/' => match self.slash(St::BlockValueEnd) {
                        Ok(next) => next,
                        Err(()) => Some(St::BlockValueEnd),
                    },
                    _ if is_ws(r) => Some(St::BlockValueEnd),
                    _ if is_nl(r) || r == ';' || r == ',' => {
                        self.ignore();
                        Some(St::BlockStart)
                    }
                    '}' => {
                        self.backup();
                        Some(St::BlockEnd)
                    }
                    _ => self.error(format!(
                        "Expected a block-level value to end with a new line, comment or EOF, but got '{}' instead.",
                        self.show(r)
                    )),
                }
            }
            St::BlockEnd => {
                let r = self.next();
                match r {
                    '#' => self.comment(St::BlockStart),
                    '/' => match self.slash(St::BlockStart) {
                        Ok(next) => next,
                        Err(()) => Some(St::BlockEnd),
                    },
                    _ if is_nl(r) || is_ws(r) => Some(St::BlockEnd),
                    ';' | ',' => {
                        self.ignore();
                        Some(St::BlockStart)
                    }
                    '}' => {
                        self.ignore();
                        self.pop()
                    }
                    _ => self.error(format!(
                        "Expected a block-level to end with a '}}', but got '{}' instead.",
                        self.show(r)
                    )),
                }
            }
            St::KeyStart => {
                let r = self.peek();
                if is_sep(r) {
                    return self.error(format!("Unexpected key separator '{r}'"));
                }
                if is_space(r) {
                    self.next();
                    self.ignore();
                    return Some(St::KeyStart);
                }
                match r {
                    '"' => {
                        self.next();
                        self.ignore_opener();
                        Some(St::DubQuotedKey)
                    }
                    '\'' => {
                        self.next();
                        self.ignore_opener();
                        Some(St::QuotedKey)
                    }
                    _ => {
                        self.ignore();
                        self.next();
                        Some(St::Key)
                    }
                }
            }
            St::DubQuotedKey | St::QuotedKey => {
                let quote = if st == St::DubQuotedKey { '"' } else { '\'' };
                let r = self.peek();
                if r == quote {
                    self.emit_with(Tok::Key);
                    self.next();
                    self.ignore();
                    return Some(St::KeyEnd);
                }
                if r == EOF {
                    return self.eof_here();
                }
                self.next();
                Some(st)
            }
            St::IncludeStart => {
                let r = self.next();
                if is_ws(r) {
                    self.ignore();
                    return Some(St::IncludeStart);
                }
                self.backup();
                Some(St::Include)
            }
            St::Include => {
                let r = self.next();
                let what = match r {
                    '\'' => {
                        self.ignore_opener();
                        return Some(St::IncludeQuoted);
                    }
                    '"' => {
                        self.ignore_opener();
                        return Some(St::IncludeDubQuoted);
                    }
                    '[' => "start of an array",
                    '{' => "start of a map",
                    '(' => "start of a block",
                    '-' => "start of a number",
                    _ if is_digit(r) => "start of a number",
                    '\\' => "escape sequence",
                    _ if is_nl(r) => "new line",
                    _ => {
                        self.backup();
                        return Some(St::IncludeString);
                    }
                };
                self.error(format!("Expected include value but found {what}"))
            }
            St::IncludeQuoted | St::IncludeDubQuoted => {
                let (quote, what) = if st == St::IncludeQuoted {
                    ('\'', "quoted")
                } else {
                    ('"', "double quoted")
                };
                let r = self.next();
                if r == quote {
                    return self.end_quoted(Tok::Include);
                }
                if r == EOF {
                    return self.error(format!("Unexpected EOF in {what} include"));
                }
                Some(st)
            }
            St::IncludeString => {
                let r = self.next();
                if is_nl(r) || r == EOF || r == ';' || r == '}' || is_ws(r) {
                    self.backup();
                    self.emit_with(Tok::Include);
                    return self.pop();
                }
                if r == '\'' {
                    return self.end_quoted(Tok::Include);
                }
                Some(St::IncludeString)
            }
            St::Key => self.key_body(false),
            St::KeyEnd => self.key_end(false),
            St::Value => {
                let r = self.next();
                if is_ws(r) {
                    self.ignore();
                    return Some(St::Value);
                }
                match r {
                    '[' => {
                        self.ignore_opener();
                        self.emit(Tok::ArrayStart);
                        Some(St::ArrayValue)
                    }
                    '{' => {
                        self.ignore_opener();
                        self.emit(Tok::MapStart);
                        Some(St::MapKeyStart)
                    }
                    '\'' => {
                        self.ignore_opener();
                        Some(St::QuotedString)
                    }
                    '"' => {
                        self.ignore_opener();
                        self.string_state = St::DubQuotedString;
                        Some(St::DubQuotedString)
                    }
                    '-' => Some(St::NegNumberStart),
                    '(' => {
                        self.ignore_opener();
                        Some(St::Block)
                    }
                    _ if is_digit(r) => {
                        self.backup();
                        Some(St::NumberStart)
                    }
                    '.' => self.error("Floats must start with a digit".to_owned()),
                    _ if is_nl(r) => self.error("Expected value but found new line".to_owned()),
                    _ => {
                        self.backup();
                        self.string_state = St::BareString;
                        Some(St::BareString)
                    }
                }
            }
            St::ArrayValue => {
                let r = self.next();
                if is_space(r) {
                    self.ignore();
                    return Some(St::ArrayValue);
                }
                match r {
                    '#' => self.comment(St::ArrayValue),
                    '/' => match self.slash(St::ArrayValue) {
                        Ok(next) => next,
                        Err(()) => self.error("Unexpected array value terminator ','.".to_owned()),
                    },
                    ',' => self.error("Unexpected array value terminator ','.".to_owned()),
                    ']' => self.close(Tok::ArrayEnd),
                    _ => {
                        self.backup();
                        self.call(St::ArrayValueEnd, St::Value)
                    }
                }
            }
            St::ArrayValueEnd => self.element_end(St::ArrayValueEnd, St::ArrayValue, ']'),
            St::MapKeyStart => {
                let r = self.peek();
                if is_sep(r) {
                    return self.error(format!("Unexpected key separator '{r}'."));
                }
                if r == ']' {
                    return self.error("Unexpected array end ']' processing map.".to_owned());
                }
                if is_space(r) {
                    self.next();
                    self.ignore();
                    return Some(St::MapKeyStart);
                }
                match r {
                    '}' => {
                        self.next();
                        return self.close(Tok::MapEnd);
                    }
                    '#' => {
                        self.next();
                        return self.comment(St::MapKeyStart);
                    }
                    '/' => {
                        self.next();
                        if let Ok(next) = self.slash(St::MapKeyStart) {
                            return next;
                        }
                        // As in Go, the lone '/' is dropped from the key.
                    }
                    '\'' => {
                        self.next();
                        self.ignore_opener();
                        return Some(St::MapQuotedKey);
                    }
                    '"' => {
                        self.next();
                        self.ignore_opener();
                        return Some(St::MapDubQuotedKey);
                    }
                    EOF => return self.error("Unexpected EOF processing map.".to_owned()),
                    _ => {}
                }
                self.ignore();
                self.next();
                Some(St::MapKey)
            }
            St::MapQuotedKey | St::MapDubQuotedKey => {
                let (quote, what) = if st == St::MapQuotedKey {
                    ('\'', "quoted")
                } else {
                    ('"', "double quoted")
                };
                let r = self.peek();
                if r == EOF {
                    return self.error(format!("Unexpected EOF processing {what} map key."));
                }
                if r == quote {
                    self.emit_with(Tok::Key);
                    self.next();
                    self.ignore();
                    return Some(St::MapKeyEnd);
                }
                self.next();
                Some(st)
            }
            St::MapKey => self.key_body(true),
            St::MapKeyEnd => self.key_end(true),
            St::MapValue => {
                let r = self.next();
                if is_space(r) {
                    self.ignore();
                    return Some(St::MapValue);
                }
                match r {
                    ',' => self.error("Unexpected map value terminator ','.".to_owned()),
                    '}' => self.close(Tok::MapEnd),
                    _ => {
                        self.backup();
                        self.call(St::MapValueEnd, St::Value)
                    }
                }
            }
            St::MapValueEnd => self.element_end(St::MapValueEnd, St::MapKeyStart, '}'),
            St::QuotedString => {
                let r = self.next();
                if r == '\'' {
                    return self.end_quoted(Tok::Str);
                }
                if r == EOF {
                    return self.unterminated_string();
                }
                Some(St::QuotedString)
            }
            St::DubQuotedString => {
                let r = self.next();
                match r {
                    '\\' => {
                        self.add_current_part();
                        Some(St::StringEscape)
                    }
                    '"' => self.end_quoted(Tok::Str),
                    EOF => self.unterminated_string(),
                    _ => Some(St::DubQuotedString),
                }
            }
            St::BareString => {
                let r = self.next();
                if r == '\\' {
                    self.add_current_part();
                    return Some(St::StringEscape);
                }
                if is_nl(r) || r == EOF || r == ';' || r == ',' || r == ']' || r == '}' || is_ws(r)
                {
                    self.backup();
                    let word = self.input.get(self.start..self.pos).unwrap_or_default();
                    if !self.parts.is_empty() {
                        self.emit_with(Tok::Str);
                    } else if is_bool_word(word) {
                        self.emit_with(Tok::Bool);
                    } else if word.starts_with('$') {
                        self.start += 1;
                        self.emit_with(Tok::Variable);
                    } else {
                        self.emit_with(Tok::Str);
                    }
                    return self.pop();
                }
                if r == '\'' {
                    return self.end_quoted(Tok::Str);
                }
                Some(St::BareString)
            }
            St::Block => {
                let r = self.next();
                if r == ')' {
                    // Ends only at a ')' alone on its line: a '\n' before it and a
                    // '\n' or the end of input after it. At the true end of input the
                    // ')' stays in the text, as in Go.
                    let close = self.pos;
                    let nl_before = close
                        .checked_sub(2)
                        .and_then(|i| self.input.as_bytes().get(i))
                        == Some(&b'\n');
                    if !nl_before {
                        return Some(St::Block);
                    }
                    let after = self.next();
                    if after == '\n' || after == EOF {
                        if self.width > 0 {
                            self.pos = close - 1;
                        }
                        self.emit_with(Tok::Str);
                        self.next();
                        self.ignore();
                        return self.pop();
                    }
                    self.backup();
                    return Some(St::Block);
                }
                if r == EOF {
                    return self.error("Unexpected EOF processing block.".to_owned());
                }
                Some(St::Block)
            }
            St::StringEscape => {
                let r = self.next();
                let text = match r {
                    'x' => return Some(St::StringBinary),
                    't' => "\t",
                    'n' => "\n",
                    'r' => "\r",
                    '"' => "\"",
                    '\\' => "\\",
                    _ => {
                        return self.error(format!(
                            "Invalid escape character '{}'. Only the following escape characters are allowed: \\xXX, \\t, \\n, \\r, \\\", \\\\.",
                            self.show(r)
                        ))
                    }
                };
                self.parts.extend_from_slice(text.as_bytes());
                self.start = self.pos;
                Some(self.string_state)
            }
            St::StringBinary => {
                let end_of_line =
                    "Expected two hexadecimal digits after '\\x', but hit end of line";
                if is_nl(self.next()) {
                    return self.error(end_of_line.to_owned());
                }
                if is_nl(self.next()) {
                    return self.error(end_of_line.to_owned());
                }
                let digits = self
                    .input
                    .as_bytes()
                    .get(self.pos.saturating_sub(2)..self.pos)
                    .unwrap_or_default();
                let byte = match digits {
                    [hi, lo] => hex_val(*hi).zip(hex_val(*lo)).map(|(h, l)| h * 16 + l),
                    _ => None,
                };
                match byte {
                    Some(b) => {
                        self.parts.push(b);
                        self.start = self.pos;
                        Some(self.string_state)
                    }
                    None => {
                        let got = String::from_utf8_lossy(digits).into_owned();
                        self.error(format!(
                            "Expected two hexadecimal digits after '\\x', but got '{got}'"
                        ))
                    }
                }
            }
            St::NumberStart | St::NegNumberStart => {
                let r = self.next();
                if !is_digit(r) {
                    if r == '.' {
                        return self.error("Floats must start with a digit, not '.'.".to_owned());
                    }
                    return self.error(format!("Expected a digit but got '{}'.", self.show(r)));
                }
                Some(if st == St::NumberStart {
                    St::Number
                } else {
                    St::NegNumber
                })
            }
            St::Number => {
                let r = self.next();
                if r == '-' {
                    if self.pos - self.start != 5 {
                        return self
                            .error("All ISO8601 dates must be in full Zulu form.".to_owned());
                    }
                    return Some(St::DateAfterYear);
                }
                if is_digit(r) {
                    return Some(St::Number);
                }
                if r == '.' {
                    return Some(St::FloatStart);
                }
                if is_suffix(r) {
                    return Some(St::ConvenientNumber);
                }
                if !ends_number(r) {
                    // Not a number after all: the whole word is a string.
                    self.string_state = St::BareString;
                    return Some(St::BareString);
                }
                self.backup();
                self.emit_with(Tok::Int);
                self.pop()
            }
            St::ConvenientNumber => {
                let r = self.next();
                if matches!(r, 'b' | 'B' | 'i' | 'I') {
                    return Some(St::ConvenientNumber);
                }
                self.backup();
                // nats-server v2.15.1 (the binary) reads `4k2` as a string, so a digit
                // does not end a suffixed number.
                if ends_number(r) && !is_digit(r) {
                    self.emit_with(Tok::Int);
                    return self.pop();
                }
                self.string_state = St::BareString;
                Some(St::BareString)
            }
            St::DateAfterYear => {
                for f in "00-00T00:00:00Z".chars() {
                    let r = self.next();
                    if f == '0' {
                        if !is_digit(r) {
                            return self.error(format!(
                                "Expected digit in ISO8601 datetime, but found '{}' instead.",
                                self.show(r)
                            ));
                        }
                    } else if f != r {
                        return self.error(format!(
                            "Expected '{f}' in ISO8601 datetime, but found '{}' instead.",
                            self.show(r)
                        ));
                    }
                }
                self.emit_with(Tok::Datetime);
                self.pop()
            }
            St::NegNumber => {
                let r = self.next();
                if is_digit(r) {
                    return Some(St::NegNumber);
                }
                if r == '.' {
                    return Some(St::FloatStart);
                }
                if is_suffix(r) {
                    return Some(St::ConvenientNumber);
                }
                self.backup();
                self.emit_with(Tok::Int);
                self.pop()
            }
            St::FloatStart => {
                let r = self.next();
                if !is_digit(r) {
                    return self.error(format!(
                        "Floats must have a digit after the '.', but got '{}' instead.",
                        self.show(r)
                    ));
                }
                Some(St::Float)
            }
            St::Float => {
                let r = self.next();
                if is_digit(r) {
                    return Some(St::Float);
                }
                if r == '.' {
                    return Some(St::IpAddr);
                }
                self.backup();
                self.emit_with(Tok::Float);
                self.pop()
            }
            St::IpAddr => {
                let r = self.next();
                if is_digit(r) || r == '.' || r == ':' || r == '-' {
                    return Some(St::IpAddr);
                }
                self.backup();
                self.emit_with(Tok::Str);
                self.pop()
            }
            St::Comment => {
                let r = self.peek();
                if is_nl(r) || r == EOF {
                    self.ignore();
                    return self.pop();
                }
                self.next();
                Some(St::Comment)
            }
        }
    }

    /// Moves the pending text (less the `\` just read) into the unescaped parts.
    fn add_current_part(&mut self) {
        let end = self.pos.saturating_sub(1);
        if let Some(bytes) = self.input.as_bytes().get(self.start..end) {
            self.parts.extend_from_slice(bytes);
        }
        self.start = self.pos;
    }
}

fn is_bool_word(word: &str) -> bool {
    ["true", "false", "on", "off", "yes", "no"]
        .iter()
        .any(|b| word.eq_ignore_ascii_case(b))
}

fn hex_val(b: u8) -> Option<u8> {
    (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn toks(input: &str) -> Vec<Tok> {
        let mut lx = Lexer::new(input);
        let mut out = Vec::new();
        loop {
            let t = lx.next_token();
            let done = matches!(t.tok, Tok::Eof | Tok::Error(_));
            out.push(t.tok);
            if done {
                return out;
            }
        }
    }

    fn s(x: &str) -> String {
        x.to_owned()
    }

    #[test]
    fn simple_key_values() {
        assert_eq!(
            toks("foo = bar"),
            vec![Tok::Key(s("foo")), Tok::Str(s("bar")), Tok::Eof]
        );
        assert_eq!(
            toks("foo 1k"),
            vec![Tok::Key(s("foo")), Tok::Int(s("1k")), Tok::Eof]
        );
        assert_eq!(
            toks("a: 10ms"),
            vec![Tok::Key(s("a")), Tok::Str(s("10ms")), Tok::Eof]
        );
        assert_eq!(
            toks("a: 127.0.0.1:4222"),
            vec![Tok::Key(s("a")), Tok::Str(s("127.0.0.1:4222")), Tok::Eof]
        );
        assert_eq!(
            toks("a: $FOO"),
            vec![Tok::Key(s("a")), Tok::Variable(s("FOO")), Tok::Eof]
        );
    }

    #[test]
    fn offsets_point_at_openers() {
        let mut lx = Lexer::new("k = \"v\"");
        assert_eq!(lx.next_token().offset, 0);
        assert_eq!(lx.next_token().offset, 4);
        let mut lx = Lexer::new("k = [ 1 ]");
        lx.next_token();
        assert_eq!(lx.next_token().offset, 4);
    }

    #[test]
    fn include_keyword() {
        assert_eq!(
            toks("include './x.conf'"),
            vec![Tok::Include(s("./x.conf")), Tok::Eof]
        );
        assert_eq!(
            toks("m { include x.conf }"),
            vec![
                Tok::Key(s("m")),
                Tok::MapStart,
                Tok::Include(s("x.conf")),
                Tok::MapEnd,
                Tok::Eof
            ]
        );
    }
}
