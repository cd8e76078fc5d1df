//! Links between accounts: stream exports that copy an account's messages into the
//! accounts importing them, service imports that send an account's requests into the
//! exporting account, and the response map that routes each answer back.
//!
//! An account without links pays one relaxed atomic load per publish for all of this
//! ([`crate::Account::publish`]).

use std::collections::HashMap;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use crate::account::Account;

/// How many responses a service export may send to one request (nats-server's
/// `response_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResponseType {
    /// One response.
    #[default]
    Singleton,
    /// Any number of responses until the response threshold passes.
    Stream,
    /// Any number of responses (chunks of one answer) until the threshold passes.
    Chunked,
}

/// How long a service request's reply mapping lives by default (nats-server's
/// `DEFAULT_SERVICE_EXPORT_RESPONSE_THRESHOLD`).
pub const DEFAULT_RESPONSE_THRESHOLD: Duration = Duration::from_secs(120);

/// The prefix of the reply subjects the server puts on imported service requests.
pub const RESPONSE_PREFIX: &str = "_R_.";

/// Why a link cannot be made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LinkError {
    /// The destination's wildcards do not line up with the source's.
    #[error("cannot map subject {from:?} to {to:?}: the wildcards differ")]
    Mapping {
        /// The subject filter.
        from: String,
        /// The destination.
        to: String,
    },
}

/// Rewrites subjects matching `from` into `to`, wildcard by wildcard: the n-th `*` of
/// `to` takes the token the n-th `*` of `from` matched, a trailing `>` takes the tail.
#[derive(Debug, Clone)]
pub(crate) struct SubjectMap {
    pub(crate) from: Box<[u8]>,
    to: Box<[u8]>,
    /// `to == from`: the subject passes unchanged.
    same: bool,
}

fn wildcard_shape(subject: &[u8]) -> (usize, bool) {
    let tokens = subject.split(|b| *b == b'.');
    let mut stars = 0;
    let mut tail = false;
    for t in tokens {
        match t {
            b"*" => stars += 1,
            b">" => tail = true,
            _ => {}
        }
    }
    (stars, tail)
}

impl SubjectMap {
    pub(crate) fn new(from: &[u8], to: &[u8]) -> Result<Self, LinkError> {
        let (from_stars, from_tail) = wildcard_shape(from);
        let (to_stars, to_tail) = wildcard_shape(to);
        if from_stars != to_stars || from_tail != to_tail {
            return Err(LinkError::Mapping {
                from: String::from_utf8_lossy(from).into_owned(),
                to: String::from_utf8_lossy(to).into_owned(),
            });
        }
        Ok(Self {
            from: from.into(),
            to: to.into(),
            same: from == to,
        })
    }

    /// Whether `subject` is one this map applies to.
    pub(crate) fn matches(&self, subject: &[u8]) -> bool {
        natrium_subject::subject_matches(&self.from, subject)
    }

    /// `subject` (which [`Self::matches`]) rewritten.
    pub(crate) fn apply(&self, subject: &[u8]) -> Vec<u8> {
        if self.same {
            return subject.to_vec();
        }
        let mut stars = Vec::new();
        let mut tail: &[u8] = &[];
        let mut rest = subject;
        for pattern in self.from.split(|b| *b == b'.') {
            let (token, after) = match rest.iter().position(|b| *b == b'.') {
                Some(i) => (
                    rest.get(..i).unwrap_or_default(),
                    rest.get(i + 1..).unwrap_or_default(),
                ),
                None => (rest, &[][..]),
            };
            match pattern {
                b">" => {
                    tail = rest;
                    break;
                }
                b"*" => stars.push(token),
                _ => {}
            }
            rest = after;
        }
        let mut out = Vec::with_capacity(self.to.len() + subject.len());
        let mut next_star = stars.into_iter();
        for (i, token) in self.to.split(|b| *b == b'.').enumerate() {
            if i > 0 {
                out.push(b'.');
            }
            match token {
                b"*" => out.extend_from_slice(next_star.next().unwrap_or_default()),
                b">" => out.extend_from_slice(tail),
                literal => out.extend_from_slice(literal),
            }
        }
        out
    }
}

/// Messages an exporter copies into an importer (kept by the exporter).
#[derive(Debug, Clone)]
pub(crate) struct StreamLink {
    pub(crate) map: SubjectMap,
    pub(crate) importer: Weak<Account>,
    /// A traced message stays traced in the importer (the import's `allow_trace`).
    pub(crate) allow_trace: bool,
}

/// Requests an importer sends into an exporter (kept by the importer).
#[derive(Debug, Clone)]
pub(crate) struct ServiceLink {
    pub(crate) map: SubjectMap,
    pub(crate) importer: Weak<Account>,
    pub(crate) exporter: Weak<Account>,
    pub(crate) response: ResponseType,
    pub(crate) threshold: Duration,
    /// A traced request stays traced in the exporter (the export's `allow_trace`).
    pub(crate) allow_trace: bool,
}

/// An account's links, replaced as a whole when one is added.
#[derive(Debug, Default, Clone)]
pub(crate) struct Links {
    pub(crate) streams: Vec<StreamLink>,
    pub(crate) services: Vec<ServiceLink>,
}

/// Where the answer to one imported request goes.
#[derive(Debug)]
struct PendingResponse {
    importer: Weak<Account>,
    reply: Box<[u8]>,
    response: ResponseType,
    expires: Instant,
}

/// The reply subjects an exporter handed out and the importers' replies they stand for.
#[derive(Debug, Default)]
pub(crate) struct ResponseMap {
    pending: HashMap<Box<[u8]>, PendingResponse>,
    /// Size at which expired mappings (requests never answered) are swept next.
    sweep_at: usize,
}

/// Entries past which expired mappings are swept on insert.
const SWEEP_AT: usize = 1024;

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Appends `n` base-62 digits of `x` to `out` (how nats-server spells reply tokens and ids).
pub fn base62(mut x: u64, n: usize, out: &mut Vec<u8>) {
    for _ in 0..n {
        let digit = usize::try_from(x % 62).unwrap_or(0);
        out.push(BASE62.get(digit).copied().unwrap_or(b'0'));
        x /= 62;
    }
}

impl ResponseMap {
    /// Records a mapping from a fresh reply subject under `prefix` to the importer's
    /// `reply`; returns the fresh subject.
    pub(crate) fn insert(
        &mut self,
        prefix: &[u8],
        mut rand: impl FnMut() -> u64,
        importer: Weak<Account>,
        reply: &[u8],
        response: ResponseType,
        threshold: Duration,
    ) -> Vec<u8> {
        let now = Instant::now();
        if self.pending.len() >= self.sweep_at.max(SWEEP_AT) {
            self.pending.retain(|_, p| p.expires > now);
            self.sweep_at = self.pending.len() * 2;
        }
        loop {
            let mut subject = prefix.to_vec();
            base62(rand(), 10, &mut subject);
            if self.pending.contains_key(subject.as_slice()) {
                continue;
            }
            self.pending.insert(
                subject.clone().into(),
                PendingResponse {
                    importer,
                    reply: reply.into(),
                    response,
                    expires: now + threshold,
                },
            );
            return subject;
        }
    }

    /// The importer and reply a response on `subject` goes to; a singleton mapping is
    /// used up by it.
    pub(crate) fn take(&mut self, subject: &[u8]) -> Option<(Arc<Account>, Box<[u8]>)> {
        let entry = self.pending.get(subject)?;
        if entry.expires <= Instant::now() {
            self.pending.remove(subject);
            return None;
        }
        let importer = entry.importer.upgrade()?;
        if entry.response == ResponseType::Singleton {
            let entry = self.pending.remove(subject)?;
            return Some((importer, entry.reply));
        }
        Some((importer, entry.reply.clone()))
    }

    /// Mappings not yet used up or expired.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.pending.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(from: &str, to: &str, subject: &str) -> String {
        let m = SubjectMap::new(from.as_bytes(), to.as_bytes()).unwrap();
        assert!(m.matches(subject.as_bytes()));
        String::from_utf8(m.apply(subject.as_bytes())).unwrap()
    }

    #[test]
    fn subjects_map_wildcard_by_wildcard() {
        assert_eq!(map("foo.>", "p.foo.>", "foo.a.b"), "p.foo.a.b");
        assert_eq!(map("a.*.c.*", "x.*.*", "a.1.c.2"), "x.1.2");
        assert_eq!(map("req.*", "req.*", "req.z"), "req.z");
        assert_eq!(map("lit", "other", "lit"), "other");
        assert!(SubjectMap::new(b"a.*", b"b.>").is_err());
        assert!(SubjectMap::new(b"a.>", b"b").is_err());
    }

    #[test]
    fn singleton_responses_are_used_up_and_streams_last_until_expiry() {
        let acc = Arc::new(Account::new("I"));
        let mut responses = ResponseMap::default();
        let mut n = 0;
        let mut rand = || {
            n += 1;
            n
        };
        let one = responses.insert(
            b"_R_.x.",
            &mut rand,
            Arc::downgrade(&acc),
            b"inbox.1",
            ResponseType::Singleton,
            DEFAULT_RESPONSE_THRESHOLD,
        );
        let many = responses.insert(
            b"_R_.x.",
            &mut rand,
            Arc::downgrade(&acc),
            b"inbox.2",
            ResponseType::Stream,
            DEFAULT_RESPONSE_THRESHOLD,
        );
        let gone = responses.insert(
            b"_R_.x.",
            &mut rand,
            Arc::downgrade(&acc),
            b"inbox.3",
            ResponseType::Stream,
            Duration::ZERO,
        );
        assert_eq!(&*responses.take(&one).unwrap().1, b"inbox.1");
        assert!(responses.take(&one).is_none());
        assert_eq!(&*responses.take(&many).unwrap().1, b"inbox.2");
        assert_eq!(&*responses.take(&many).unwrap().1, b"inbox.2");
        assert!(responses.take(&gone).is_none());
        assert_eq!(responses.len(), 1);
    }
}
