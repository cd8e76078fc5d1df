//! Publish and subscribe permissions of an authenticated user.
//!
//! [`Rules`] is compiled once per configured user and shared by its connections. Each
//! connection with rules owns a [`ConnPermissions`]: a bounded cache of publish decisions
//! (a publisher usually sends to few subjects, so most checks are one hash lookup) and,
//! with `allow_responses`, the [`Responses`] tracker the router feeds as it delivers
//! requests. Connections without rules have none of this: their hot path checks one
//! `Option`.
//!
//! Matching rules: a published subject is allowed when an allow entry matches it and no
//! deny entry does. A subscription is allowed when an allow entry covers every subject it
//! could match (so `foo.*` does not let a client subscribe to `foo.>`) and no deny entry
//! matches it. A wildcard subscription that overlaps a deny entry is accepted, but the
//! messages the deny entry matches are not delivered to it.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use natrium_subject::{is_valid_subject, subject_is_subset, subject_matches};
use parking_lot::Mutex;

use crate::options::{Permissions, ResponsePermission, SubjectPermission};

/// One allow or deny entry: a subject with wildcards and, for subscriptions, a queue.
#[derive(Debug, Clone)]
struct Entry {
    subject: Box<[u8]>,
    queue: Option<Box<[u8]>>,
}

#[derive(Debug, Clone, Default)]
struct Lists {
    allow: Option<Vec<Entry>>,
    deny: Vec<Entry>,
}

/// A user's compiled permissions.
#[derive(Debug)]
pub struct Rules {
    publish: Option<Lists>,
    subscribe: Option<Lists>,
    response: Option<ResponsePermission>,
}

fn entries(list: &[String], queues: bool, what: &str) -> Result<Vec<Entry>, String> {
    list.iter()
        .map(|s| {
            let mut parts = s.split_whitespace();
            let (subject, queue) = match (parts.next(), parts.next(), parts.next()) {
                (Some(subject), None, None) => (subject, None),
                (Some(subject), Some(queue), None) if queues => (subject, Some(queue)),
                _ => return Err(format!("{what}: subject {s:?} is not a valid subject")),
            };
            if !is_valid_subject(subject.as_bytes()) {
                return Err(format!("{what}: subject {s:?} is not a valid subject"));
            }
            if queue.is_some_and(|q| !is_valid_subject(q.as_bytes())) {
                return Err(format!("{what}: queue in {s:?} is not a valid queue"));
            }
            Ok(Entry {
                subject: subject.as_bytes().into(),
                queue: queue.map(|q| q.as_bytes().into()),
            })
        })
        .collect()
}

fn lists(p: &SubjectPermission, queues: bool, what: &str) -> Result<Lists, String> {
    Ok(Lists {
        allow: p
            .allow
            .as_deref()
            .map(|a| entries(a, queues, &format!("{what} allow")))
            .transpose()?,
        deny: entries(&p.deny, queues, &format!("{what} deny"))?,
    })
}

impl Lists {
    /// Whether a deny entry matches `subject`; an entry with a queue only denies that
    /// queue group.
    fn denies(&self, subject: &[u8], queue: Option<&[u8]>) -> bool {
        self.deny.iter().any(|e| {
            subject_matches(&e.subject, subject)
                && match (&e.queue, queue) {
                    (None, _) => true,
                    (Some(denied), Some(queue)) => queue_matches(queue, denied),
                    (Some(_), None) => false,
                }
        })
    }
}

/// Whether a queue name is matched by a permission's queue (literally, or as a pattern).
fn queue_matches(queue: &[u8], pattern: &[u8]) -> bool {
    queue == pattern || subject_is_subset(queue, pattern)
}

impl Rules {
    /// Compiles `p`; the error names the offending entry.
    pub fn new(p: &Permissions) -> Result<Self, String> {
        let mut publish = p
            .publish
            .as_ref()
            .map(|l| lists(l, false, "publish"))
            .transpose()?;
        // As in nats-server, allowing responses turns a missing publish allow list into
        // an empty one: such a user may only answer, unless allowed more explicitly.
        if p.response.is_some() {
            let publish = publish.get_or_insert_with(Lists::default);
            publish.allow.get_or_insert_with(Vec::new);
        }
        let subscribe = p
            .subscribe
            .as_ref()
            .map(|l| lists(l, true, "subscribe"))
            .transpose()?;
        Ok(Self {
            publish,
            subscribe,
            response: p.response,
        })
    }

    /// Whether publishing to `subject` is allowed by the static lists (responses aside).
    pub fn publish_allowed(&self, subject: &[u8]) -> bool {
        let Some(p) = &self.publish else {
            return true;
        };
        let allowed = p
            .allow
            .as_ref()
            .is_none_or(|allow| allow.iter().any(|e| subject_matches(&e.subject, subject)));
        allowed && !p.deny.iter().any(|e| subject_matches(&e.subject, subject))
    }

    /// Whether `SUB subject [queue]` is allowed.
    ///
    /// As in nats-server, allow entries with a queue restrict queue subscriptions: with
    /// `["foo", "foo v1"]` a plain `foo` subscription is allowed but a queue subscription
    /// only in group `v1`; with only `["foo v1"]` no plain subscription is.
    pub fn subscribe_allowed(&self, subject: &[u8], queue: Option<&[u8]>) -> bool {
        let Some(s) = &self.subscribe else {
            return true;
        };
        if let Some(allow) = &s.allow {
            let covering = || {
                allow
                    .iter()
                    .filter(|e| subject_is_subset(subject, &e.subject))
            };
            let mut allowed = covering().any(|e| e.queue.is_none());
            if let Some(queue) = queue {
                let mut queued = covering().filter_map(|e| e.queue.as_deref()).peekable();
                if queued.peek().is_some() {
                    allowed = queued.any(|q| queue_matches(queue, q));
                }
            }
            if !allowed {
                return false;
            }
        }
        !s.denies(subject, queue)
    }

    /// Whether a message on `subject` may be delivered to a subscription (in `queue`):
    /// no subscribe deny entry may match it.
    fn delivery_allowed(&self, subject: &[u8], queue: Option<&[u8]>) -> bool {
        self.subscribe
            .as_ref()
            .is_none_or(|s| !s.denies(subject, queue))
    }

    /// Whether the router must consult these rules while delivering: for subscribe deny
    /// entries (wildcard subscriptions may overlap them) or to track requests.
    fn needs_delivery_hook(&self) -> bool {
        self.response.is_some() || self.subscribe.as_ref().is_some_and(|s| !s.deny.is_empty())
    }
}

/// Decisions a connection keeps before starting over: a client publishing to ever-new
/// subjects must not grow it without bound (nats-server keeps 128 as well).
const PUBLISH_CACHE_MAX: usize = 128;

/// Reply subjects tracked before expired and used-up ones are swept.
const RESPONSES_SWEEP_EVERY: usize = 1024;

/// Requests delivered to a client that may answer them (`allow_responses`).
#[derive(Debug)]
pub struct Responses {
    rules: Arc<Rules>,
    permission: ResponsePermission,
    open: Mutex<OpenRequests>,
}

#[derive(Debug, Default)]
struct OpenRequests {
    by_reply: HashMap<Box<[u8]>, (Instant, i64)>,
    since_sweep: usize,
}

impl Responses {
    /// Counts one answer to `reply`; false if `reply` is no open request of this client.
    fn answer(&self, reply: &[u8]) -> bool {
        let mut open = self.open.lock();
        let Some((at, sent)) = open.by_reply.get_mut(reply) else {
            return false;
        };
        *sent += 1;
        let used_up = self.permission.max_msgs > 0 && *sent > self.permission.max_msgs;
        let expired = self.expired(*at, Instant::now());
        if used_up || expired {
            open.by_reply.remove(reply);
            return false;
        }
        if self.permission.max_msgs > 0 && *sent == self.permission.max_msgs {
            open.by_reply.remove(reply);
        }
        true
    }

    fn expired(&self, at: Instant, now: Instant) -> bool {
        self.permission
            .expires
            .is_some_and(|ttl| now.saturating_duration_since(at) > ttl)
    }
}

impl natrium_core::DeliveryRules for Responses {
    fn may_deliver(&self, subject: &[u8], queue: Option<&[u8]>) -> bool {
        self.rules.delivery_allowed(subject, queue)
    }

    fn request_delivered(&self, reply: &[u8]) {
        if self.rules.publish_allowed(reply) {
            return;
        }
        let now = Instant::now();
        let mut open = self.open.lock();
        open.by_reply.insert(reply.into(), (now, 0));
        open.since_sweep += 1;
        if open.since_sweep >= RESPONSES_SWEEP_EVERY {
            open.since_sweep = 0;
            // Used-up requests are removed when answered; only expired ones remain.
            open.by_reply.retain(|_, (at, _)| !self.expired(*at, now));
        }
    }
}

/// The delivery hook for a user with subscribe deny entries but no response permission.
#[derive(Debug)]
struct DenyFilter(Arc<Rules>);

impl natrium_core::DeliveryRules for DenyFilter {
    fn may_deliver(&self, subject: &[u8], queue: Option<&[u8]>) -> bool {
        self.0.delivery_allowed(subject, queue)
    }

    fn request_delivered(&self, _reply: &[u8]) {}
}

/// The delivery hook a connection installs once (the router reads it without a lock);
/// a config reload swaps the rules behind it.
#[derive(Debug)]
pub struct SwappableRules(parking_lot::RwLock<Option<Arc<dyn natrium_core::DeliveryRules>>>);

impl SwappableRules {
    /// Checks `rules` until replaced.
    pub fn new(rules: Arc<dyn natrium_core::DeliveryRules>) -> Self {
        Self(parking_lot::RwLock::new(Some(rules)))
    }

    /// Checks `rules` from now on; `None` lets every delivery through.
    pub fn replace(&self, rules: Option<Arc<dyn natrium_core::DeliveryRules>>) {
        *self.0.write() = rules;
    }
}

impl natrium_core::DeliveryRules for SwappableRules {
    fn may_deliver(&self, subject: &[u8], queue: Option<&[u8]>) -> bool {
        self.0
            .read()
            .as_ref()
            .is_none_or(|r| r.may_deliver(subject, queue))
    }

    fn request_delivered(&self, reply: &[u8]) {
        if let Some(r) = self.0.read().as_ref() {
            r.request_delivered(reply);
        }
    }
}

/// One connection's view of its user's permissions.
#[derive(Debug)]
pub struct ConnPermissions {
    rules: Arc<Rules>,
    responses: Option<Arc<Responses>>,
    publish_cache: HashMap<Box<[u8]>, bool, foldhash::fast::RandomState>,
}

impl ConnPermissions {
    /// The state for a connection of a user with `rules`, and the hook the router must
    /// call while delivering to it, if any.
    pub fn new(rules: Arc<Rules>) -> (Self, Option<Arc<dyn natrium_core::DeliveryRules>>) {
        let responses = rules.response.map(|permission| {
            Arc::new(Responses {
                rules: Arc::clone(&rules),
                permission,
                open: Mutex::new(OpenRequests::default()),
            })
        });
        let hook: Option<Arc<dyn natrium_core::DeliveryRules>> = match &responses {
            Some(r) => Some(Arc::clone(r) as _),
            None if rules.needs_delivery_hook() => Some(Arc::new(DenyFilter(Arc::clone(&rules)))),
            None => None,
        };
        let conn = Self {
            rules,
            responses,
            publish_cache: HashMap::default(),
        };
        (conn, hook)
    }

    /// Whether this connection may publish to `subject`.
    pub fn may_publish(&mut self, subject: &[u8]) -> bool {
        if let Some(&allowed) = self.publish_cache.get(subject) {
            if allowed {
                return true;
            }
        }
        let allowed = self.rules.publish_allowed(subject);
        if !allowed {
            if let Some(responses) = &self.responses {
                // An answer depends on the open requests, so it is never cached.
                return responses.answer(subject);
            }
        }
        if self.publish_cache.len() >= PUBLISH_CACHE_MAX {
            self.publish_cache.clear();
        }
        self.publish_cache.insert(subject.into(), allowed);
        allowed
    }

    /// Whether this connection may subscribe to `subject` (in `queue`).
    pub fn may_subscribe(&self, subject: &[u8], queue: Option<&[u8]>) -> bool {
        self.rules.subscribe_allowed(subject, queue)
    }
}

/// `subject` quoted as Go's `%q` prints it, for the `-ERR` texts nats-server sends.
pub fn go_quote(subject: &[u8]) -> String {
    let mut out = String::with_capacity(subject.len() + 2);
    out.push('"');
    for chunk in subject.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn sp(allow: Option<&[&str]>, deny: &[&str]) -> Option<SubjectPermission> {
        Some(SubjectPermission {
            allow: allow.map(|a| a.iter().map(|s| s.to_string()).collect()),
            deny: deny.iter().map(|s| s.to_string()).collect(),
        })
    }

    #[test]
    fn publish_allow_and_deny() {
        let r = Rules::new(&Permissions {
            publish: sp(Some(&["foo.>", "bar"]), &["foo.secret"]),
            ..Permissions::default()
        })
        .unwrap();
        assert!(r.publish_allowed(b"foo.a.b"));
        assert!(r.publish_allowed(b"bar"));
        assert!(!r.publish_allowed(b"foo.secret"));
        assert!(!r.publish_allowed(b"baz"));
        assert!(!r.publish_allowed(b"foo"));
        let only_deny = Rules::new(&Permissions {
            publish: sp(None, &["admin.>"]),
            ..Permissions::default()
        })
        .unwrap();
        assert!(only_deny.publish_allowed(b"x"));
        assert!(!only_deny.publish_allowed(b"admin.x"));
    }

    #[test]
    fn subscribe_covers_wildcards_and_queues() {
        let r = Rules::new(&Permissions {
            subscribe: sp(
                Some(&["foo.*", "q.> workers", "both", "both v1"]),
                &["foo.secret"],
            ),
            ..Permissions::default()
        })
        .unwrap();
        assert!(r.subscribe_allowed(b"foo.a", None));
        assert!(r.subscribe_allowed(b"foo.*", None));
        assert!(!r.subscribe_allowed(b"foo.>", None));
        assert!(!r.subscribe_allowed(b"foo.secret", None));
        assert!(!r.subscribe_allowed(b"q.x", None));
        assert!(r.subscribe_allowed(b"q.x", Some(b"workers")));
        assert!(!r.subscribe_allowed(b"q.x", Some(b"others")));
        assert!(r.subscribe_allowed(b"both", None));
        assert!(r.subscribe_allowed(b"both", Some(b"v1")));
        assert!(!r.subscribe_allowed(b"both", Some(b"v2")));
        assert!(!r.delivery_allowed(b"foo.secret", None));
        assert!(r.delivery_allowed(b"foo.open", None));
    }

    #[test]
    fn queue_deny_entries_only_refuse_that_queue() {
        let r = Rules::new(&Permissions {
            subscribe: sp(None, &["jobs.> bad"]),
            ..Permissions::default()
        })
        .unwrap();
        assert!(r.subscribe_allowed(b"jobs.a", None));
        assert!(r.subscribe_allowed(b"jobs.a", Some(b"good")));
        assert!(!r.subscribe_allowed(b"jobs.a", Some(b"bad")));
    }

    #[test]
    fn invalid_entries_are_refused() {
        for bad in ["foo bar", "foo..bar", ""] {
            let p = Permissions {
                publish: sp(Some(&[bad]), &[]),
                ..Permissions::default()
            };
            assert!(Rules::new(&p).is_err(), "{bad:?}");
        }
        let p = Permissions {
            subscribe: sp(Some(&["foo bar baz"]), &[]),
            ..Permissions::default()
        };
        assert!(Rules::new(&p).is_err());
    }

    #[test]
    fn responses_allow_one_answer_per_delivered_request() {
        let rules = Arc::new(
            Rules::new(&Permissions {
                response: Some(ResponsePermission::default()),
                ..Permissions::default()
            })
            .unwrap(),
        );
        let (mut conn, hook) = ConnPermissions::new(rules);
        let hook = hook.expect("responses need the delivery hook");
        assert!(!conn.may_publish(b"_INBOX.1"));
        hook.request_delivered(b"_INBOX.1");
        assert!(conn.may_publish(b"_INBOX.1"));
        assert!(!conn.may_publish(b"_INBOX.1"), "one response by default");
        assert!(!conn.may_publish(b"other"));
    }

    #[test]
    fn responses_expire() {
        let rules = Arc::new(
            Rules::new(&Permissions {
                response: Some(ResponsePermission {
                    max_msgs: 0,
                    expires: Some(Duration::from_millis(1)),
                }),
                ..Permissions::default()
            })
            .unwrap(),
        );
        let (mut conn, hook) = ConnPermissions::new(rules);
        let hook = hook.unwrap();
        hook.request_delivered(b"r");
        assert!(
            conn.may_publish(b"r") && conn.may_publish(b"r"),
            "unlimited count"
        );
        std::thread::sleep(Duration::from_millis(5));
        assert!(!conn.may_publish(b"r"));
    }

    #[test]
    fn go_quoting() {
        assert_eq!(go_quote(b"foo.bar"), "\"foo.bar\"");
        assert_eq!(go_quote(b"a\"b\\"), "\"a\\\"b\\\\\"");
        assert_eq!(go_quote(b"\xff"), "\"\\xff\"");
    }
}
