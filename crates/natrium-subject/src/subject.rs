//! Subject syntax: tokens, wildcards, validity checks and a simple matcher.
//!
//! The rules follow nats-server v2.15 (`server/sublist.go`, `server/client.go`):
//!
//! * a subject is a non-empty sequence of non-empty tokens separated by `.`;
//! * a token that is exactly `*` matches any one token, a token that is exactly
//!   `>` matches one or more trailing tokens and must be the last token;
//! * `*` and `>` inside a longer token are ordinary bytes: `foo.*bar` is a valid,
//!   literal subject whose second token is `*bar`;
//! * any byte other than `.` may appear in a token, except that
//!   [`is_valid_subject`] rejects the whitespace bytes space, `\t`, `\n`, `\r`
//!   and form feed (`\x0c`).

/// The token separator.
pub const TOKEN_SEPARATOR: u8 = b'.';
/// The single-token wildcard (`*`), when it is a whole token.
pub const PARTIAL_WILDCARD: &[u8] = b"*";
/// The trailing multi-token wildcard (`>`), when it is a whole (and the last) token.
pub const FULL_WILDCARD: &[u8] = b">";
/// The queue group nats-server reserves for itself: a client `SUB` with this queue
/// name gets a subscribe permissions violation, not an `Invalid Subject` error.
pub const SYSTEM_QUEUE_GROUP: &[u8] = b"_sys_";

/// Why a subject was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum SubjectError {
    /// The subject has an empty token (`foo..bar`, `.foo`, `foo.`), is empty, or has
    /// a token after `>`.
    #[error("invalid subject {subject:?}")]
    InvalidSubject {
        /// The refused subject (lossily decoded as UTF-8).
        subject: String,
    },
}

impl SubjectError {
    pub(crate) fn invalid(subject: &[u8]) -> Self {
        Self::InvalidSubject {
            subject: String::from_utf8_lossy(subject).into_owned(),
        }
    }
}

/// The tokens of `subject`, split on `.` (an empty subject yields one empty token).
pub fn tokens(subject: &[u8]) -> impl Iterator<Item = &[u8]> + Clone {
    subject.split(|&b| b == TOKEN_SEPARATOR)
}

/// The bytes nats-server treats as whitespace in subjects (`"\t\n\f\r "`).
fn is_subject_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

/// Whether `subject` is a valid subscription subject, exactly as nats-server's
/// `IsValidSubject`: non-empty tokens, nothing after a `>` token, and no whitespace
/// (space, `\t`, `\n`, `\r`, `\x0c`). Wildcards are allowed; other bytes (including
/// non-UTF-8) are not checked.
pub fn is_valid_subject(subject: &[u8]) -> bool {
    if subject.is_empty() {
        return false;
    }
    let mut after_full_wildcard = false;
    for token in tokens(subject) {
        if token.is_empty() || after_full_wildcard {
            return false;
        }
        if token == FULL_WILDCARD {
            after_full_wildcard = true;
        } else if token.iter().any(|&b| is_subject_whitespace(b)) {
            return false;
        }
    }
    true
}

/// Whether `subject` is structurally acceptable to the subscription index, exactly
/// what nats-server's `Sublist.Insert` refuses with `ErrInvalidSubject` (the error
/// behind `-ERR 'Invalid Subject'` on `SUB`): no empty token and no token after `>`.
/// Unlike [`is_valid_subject`] it does not look at whitespace.
pub fn is_valid_index_subject(subject: &[u8]) -> bool {
    let mut after_full_wildcard = false;
    for token in tokens(subject) {
        if token.is_empty() || after_full_wildcard {
            return false;
        }
        after_full_wildcard = token == FULL_WILDCARD;
    }
    true
}

/// Whether `subject` passes nats-server's publish check, `IsValidLiteralSubject`,
/// which a connection in `pedantic` mode applies to `PUB`/`HPUB` subjects
/// (`-ERR 'Invalid Publish Subject'`): non-empty tokens, none of them exactly `*`
/// or `>`. Like nats-server it does not look at whitespace (the protocol parser has
/// already split the line on it).
pub fn is_valid_publish_subject(subject: &[u8]) -> bool {
    tokens(subject).all(|t| !t.is_empty() && !is_wildcard_token(t))
}

/// Whether `subject` has no wildcard token (no token exactly `*` or `>`). Does not
/// check validity: `is_valid_subject(s) && is_literal_subject(s)` is nats-server's
/// `IsValidPublishSubject`.
pub fn is_literal_subject(subject: &[u8]) -> bool {
    !tokens(subject).any(is_wildcard_token)
}

/// Whether `token` is exactly `*` or `>`.
pub fn is_wildcard_token(token: &[u8]) -> bool {
    token == PARTIAL_WILDCARD || token == FULL_WILDCARD
}

/// Whether `queue` is a usable queue group name: non-empty with no whitespace
/// (space, `\t`, `\n`, `\r`, `\x0c`). nats-server does not check queue names
/// itself beyond the protocol splitting `SUB` arguments on whitespace (any other
/// bytes, `.`, `*` and `>` included, are accepted); see also
/// [`SYSTEM_QUEUE_GROUP`].
pub fn is_valid_queue_name(queue: &[u8]) -> bool {
    !queue.is_empty() && !queue.iter().any(|&b| is_subject_whitespace(b))
}

/// Whether the literal `subject` is matched by the subscription `pattern`.
///
/// `*` in `pattern` matches any one token, `>` one or more trailing tokens; other
/// pattern tokens must equal the subject's byte for byte. Tokens in `subject` are
/// never wildcards (a published `foo.*` is matched by `foo.*`, `foo.>` and `>`, just
/// as in the index). Returns false when either side is not acceptable to the index
/// (see [`is_valid_index_subject`]), e.g. has an empty token.
pub fn subject_matches(pattern: &[u8], subject: &[u8]) -> bool {
    let mut pattern_tokens = tokens(pattern);
    let mut subject_tokens = tokens(subject);
    loop {
        match (pattern_tokens.next(), subject_tokens.next()) {
            (None, None) => return true,
            (Some(p), Some(s)) if p == FULL_WILDCARD => {
                return pattern_tokens.next().is_none()
                    && !s.is_empty()
                    && subject_tokens.all(|t| !t.is_empty());
            }
            (Some(p), Some(s)) => {
                if p.is_empty() || s.is_empty() || (p != PARTIAL_WILDCARD && p != s) {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// Whether some literal subject is matched by both patterns (nats-server's
/// `SubjectsCollide`): streams may not capture overlapping subjects.
pub fn subjects_collide(a: &[u8], b: &[u8]) -> bool {
    let (mut a, mut b) = (tokens(a), tokens(b));
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) => {
                if x == FULL_WILDCARD || y == FULL_WILDCARD {
                    return true;
                }
                if x != PARTIAL_WILDCARD && y != PARTIAL_WILDCARD && x != y {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// Whether every subject `subset` matches is also matched by `pattern` (nats-server's
/// `subjectIsSubsetMatch`).
pub fn subject_is_subset(subset: &[u8], pattern: &[u8]) -> bool {
    let (mut s, mut p) = (tokens(subset), tokens(pattern));
    loop {
        match (s.next(), p.next()) {
            (None, None) => return true,
            (Some(_), Some(pt)) if pt == FULL_WILDCARD => return true,
            (Some(st), Some(pt)) => {
                if st == FULL_WILDCARD
                    || (pt != PARTIAL_WILDCARD && (st == PARTIAL_WILDCARD || st != pt))
                {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collisions_and_subsets() {
        let collide = |a: &str, b: &str| subjects_collide(a.as_bytes(), b.as_bytes());
        assert!(collide("foo.bar", "foo.bar"));
        assert!(collide("foo.*", "foo.bar"));
        assert!(collide("foo.*", "*.bar"));
        assert!(collide("foo.>", "foo.bar.baz"));
        assert!(collide(">", "anything.at.all"));
        assert!(!collide("foo.>", "foo"));
        assert!(!collide("foo.*", "foo.bar.baz"));
        assert!(!collide("foo.bar", "foo.baz"));
        let subset = |a: &str, b: &str| subject_is_subset(a.as_bytes(), b.as_bytes());
        assert!(subset("$JS.EVENT.ADVISORY.>", "$JS.EVENT.>"));
        assert!(subset("foo.bar", "foo.*"));
        assert!(subset("foo.*", "foo.*"));
        assert!(subset("foo.*.x", "foo.>"));
        assert!(!subset("foo.*", "foo.bar"));
        assert!(!subset("foo.>", "foo.*"));
        assert!(!subset("$JS.>", "$JS.EVENT.>"));
        assert!(!subset("foo", "foo.>"));
    }

    #[test]
    fn valid_subjects_follow_nats_server() {
        for s in [
            "foo",
            "foo.bar.*",
            "foo.bar.>",
            "*",
            ">",
            "foo*",
            "foo**",
            "foo.**",
            "foo*bar",
            "foo.*bar",
            "foo*.bar",
            "*bar",
            "foo>",
            "foo.>>",
            "foo>bar",
            "foo.>bar",
            "foo>.bar",
            ">bar",
            "*.>",
            "a.*.c",
        ] {
            assert!(is_valid_subject(s.as_bytes()), "{s:?} should be valid");
            assert!(
                is_valid_index_subject(s.as_bytes()),
                "{s:?} should be insertable"
            );
        }
        for s in [
            "",
            ".",
            ".foo",
            "foo.",
            "foo..bar",
            ">.bar",
            "foo.>.bar",
            "foo.>.>",
            "..",
        ] {
            assert!(!is_valid_subject(s.as_bytes()), "{s:?} should be invalid");
            assert!(
                !is_valid_index_subject(s.as_bytes()),
                "{s:?} should be refused"
            );
        }
    }

    #[test]
    fn whitespace_is_invalid_in_subjects_but_not_for_the_index() {
        for s in [
            "foo bar", "foo.bar ", " ", "foo.\t", "a\nb", "a\rb", "a\x0cb", "a.\x0c",
        ] {
            assert!(!is_valid_subject(s.as_bytes()), "{s:?}");
            assert!(is_valid_index_subject(s.as_bytes()), "{s:?}");
        }
        // Vertical tab and NUL are not whitespace to nats-server.
        assert!(is_valid_subject(b"a\x0bb"));
        assert!(is_valid_subject(b"a\0b"));
        assert!(is_valid_subject(b"caf\xc3\xa9.\xff"));
    }

    #[test]
    fn publish_subjects_are_literal() {
        for s in ["foo", "foo.bar", "foo*", "foo.*bar", ">bar", "foo bar"] {
            assert!(is_valid_publish_subject(s.as_bytes()), "{s:?}");
        }
        for s in [
            "", "*", ">", "foo.*", "foo.>", "*.foo", "foo..bar", ".foo", "foo.",
        ] {
            assert!(!is_valid_publish_subject(s.as_bytes()), "{s:?}");
        }
        assert!(is_literal_subject(b"foo.*bar"));
        assert!(!is_literal_subject(b"foo.*.bar"));
        assert!(is_literal_subject(b"foo..bar"));
    }

    #[test]
    fn queue_names() {
        assert!(is_valid_queue_name(b"workers"));
        assert!(is_valid_queue_name(b"a.b*>"));
        assert!(!is_valid_queue_name(b""));
        assert!(!is_valid_queue_name(b"a b"));
        assert!(!is_valid_queue_name(b"a\tb"));
        assert!(!is_valid_queue_name(b"\r"));
    }

    #[test]
    fn simple_matcher() {
        let m = |p: &str, s: &str| subject_matches(p.as_bytes(), s.as_bytes());
        assert!(m("foo", "foo"));
        assert!(!m("foo", "bar"));
        assert!(m("*", "foo"));
        assert!(m(">", "foo"));
        assert!(m(">", "foo.bar.baz"));
        assert!(m("foo.>", "foo.bar"));
        assert!(m("foo.>", "foo.bar.baz"));
        assert!(!m("foo.>", "foo"));
        assert!(!m("foo.*", "foo"));
        assert!(m("foo.*", "foo.bar"));
        assert!(!m("foo.*", "foo.bar.baz"));
        assert!(m("*.bar", "foo.bar"));
        assert!(m("stats.*.*", "stats.test.22"));
        assert!(!m("stats.*.*.foos", "stats.test.foos"));
        assert!(!m("foo", "foo.bar"));
        assert!(m("foo.*bar", "foo.*bar"));
        assert!(!m("foo.*bar", "foo.xbar"));
        // Published wildcards are literal tokens.
        assert!(m("foo.*", "foo.*"));
        assert!(m("foo.>", "foo.>"));
        // Empty tokens never match.
        for s in ["", ".", "foo.", ".foo", "foo..bar"] {
            assert!(!m(">", s), "{s:?}");
            assert!(!m(s, s), "{s:?}");
        }
        assert!(!m("foo.>.bar", "foo.x.bar"));
    }
}
