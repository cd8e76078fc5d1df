//! Priority groups of pull consumers (nats-server 2.11+): which waiting pull request a
//! message goes to under `priority_policy` `overflow`, `pinned_client` or `prioritized`,
//! and the checks a pull request's group fields must pass.
//!
//! - overflow: a request with `min_pending`/`min_ack_pending` is served only once the
//!   consumer has at least that many messages pending / awaiting acks;
//! - pinned_client: the first request of the group is pinned (a fresh `Nats-Pin-Id`),
//!   later requests must carry that id; requests without it wait, requests with another
//!   id are ended with 423. The pin lapses after `priority_timeout` without a request
//!   from the pinned client, or when an operator unpins it;
//! - prioritized: requests are served in order of `priority` (0 first), oldest first
//!   within one priority.

use natrium_api::jetstream::{ConsumerConfig, NextRequest, PriorityPolicy};

/// The group fields of a JSON pull request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupRequest {
    /// Priority group name.
    pub group: String,
    /// Pin id the client holds (pinned_client).
    pub id: String,
    /// Overflow threshold on messages pending.
    pub min_pending: i64,
    /// Overflow threshold on messages awaiting acks.
    pub min_ack_pending: i64,
    /// Prioritized: 0 (first) to 9.
    pub priority: i64,
}

impl GroupRequest {
    /// The group fields of `req`.
    pub fn from_request(req: &NextRequest) -> Self {
        Self {
            group: req.group.clone(),
            id: req.id.clone(),
            min_pending: req.min_pending,
            min_ack_pending: req.min_ack_pending,
            priority: req.priority,
        }
    }

    /// Whether an overflow request may be served with `pending` messages left to
    /// deliver and `ack_pending` awaiting acks.
    pub fn overflow_ready(&self, pending: u64, ack_pending: usize) -> bool {
        let thresholds = self.min_pending > 0 || self.min_ack_pending > 0;
        !thresholds
            || (self.min_pending > 0 && u64::try_from(self.min_pending).unwrap_or(0) <= pending)
            || (self.min_ack_pending > 0
                && usize::try_from(self.min_ack_pending).unwrap_or(0) <= ack_pending)
    }
}

/// The pinned client of a pinned_client consumer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// The id the pinned client must send (`Nats-Pin-Id`).
    pub id: String,
    /// The group it is pinned in.
    pub group: String,
    /// When it was pinned (unix nanoseconds).
    pub since: i64,
    /// When it lapses unless the client pulls again (unix nanoseconds).
    pub expires: i64,
}

/// A pull request refused for its group fields: status code and text.
pub type Refusal = (u16, String);

/// Checks the group fields of a JSON pull request against the consumer's policy (the
/// order and texts of nats-server's `processNextMsgRequest`). `Ok(true)` when the
/// request carries the current pin id, whose lapse time the caller then extends.
pub fn check(cfg: &ConsumerConfig, req: &GroupRequest, pin: Option<&Pin>) -> Result<bool, Refusal> {
    let bad = |text: &str| Err((400, format!("Bad Request - {text}")));
    let policy = cfg.priority_policy;
    if (req.min_pending != 0 || req.min_ack_pending != 0) && policy != PriorityPolicy::Overflow {
        return bad("Not a Overflow Priority consumer");
    }
    if !req.id.is_empty() && policy != PriorityPolicy::PinnedClient {
        return bad("Not a Pinned Client Priority consumer");
    }
    if !(0..=9).contains(&req.priority) {
        return bad("Priority must be between 0 and 9");
    }
    if policy == PriorityPolicy::None {
        return Ok(false);
    }
    if req.group.is_empty() {
        return bad("Priority Group missing");
    }
    if !cfg.priority_groups.contains(&req.group) {
        return bad("Invalid Priority Group");
    }
    match pin {
        Some(pin) if req.id == pin.id => Ok(true),
        Some(_) if !req.id.is_empty() => Err((423, "Nats-Pin-Id mismatch".to_owned())),
        _ => Ok(false),
    }
}

/// nats-server's rule for group names: 1 to 16 of `A-Z a-z 0-9 / _ = -`.
pub fn valid_group_name(name: &str) -> bool {
    (1..=16).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'=' | b'-'))
}

/// A new pin id, shaped like nats-server's (a 22-character nuid).
pub fn new_pin_id() -> String {
    crate::advisory::event_id()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(policy: PriorityPolicy) -> ConsumerConfig {
        ConsumerConfig {
            priority_policy: policy,
            priority_groups: vec!["A".into()],
            ..ConsumerConfig::default()
        }
    }

    fn req(group: &str) -> GroupRequest {
        GroupRequest {
            group: group.into(),
            ..GroupRequest::default()
        }
    }

    #[test]
    fn group_fields_must_fit_the_policy() {
        let overflow_fields = GroupRequest {
            min_pending: 1,
            ..req("A")
        };
        assert_eq!(
            check(&cfg(PriorityPolicy::PinnedClient), &overflow_fields, None),
            Err((400, "Bad Request - Not a Overflow Priority consumer".into()))
        );
        let pinned_fields = GroupRequest {
            id: "X".into(),
            ..req("A")
        };
        assert_eq!(
            check(&cfg(PriorityPolicy::Overflow), &pinned_fields, None),
            Err((
                400,
                "Bad Request - Not a Pinned Client Priority consumer".into()
            ))
        );
        let priority = GroupRequest {
            priority: 10,
            ..req("A")
        };
        assert_eq!(
            check(&cfg(PriorityPolicy::Prioritized), &priority, None),
            Err((400, "Bad Request - Priority must be between 0 and 9".into()))
        );
        assert_eq!(
            check(&cfg(PriorityPolicy::Prioritized), &req(""), None),
            Err((400, "Bad Request - Priority Group missing".into()))
        );
        assert_eq!(
            check(&cfg(PriorityPolicy::Prioritized), &req("B"), None),
            Err((400, "Bad Request - Invalid Priority Group".into()))
        );
        assert_eq!(check(&cfg(PriorityPolicy::None), &req(""), None), Ok(false));
    }

    #[test]
    fn a_pin_id_must_be_the_current_one() {
        let pin = Pin {
            id: "P1".into(),
            group: "A".into(),
            since: 0,
            expires: 10,
        };
        let c = cfg(PriorityPolicy::PinnedClient);
        let with = |id: &str| GroupRequest {
            id: id.into(),
            ..req("A")
        };
        assert_eq!(check(&c, &with("P1"), Some(&pin)), Ok(true));
        assert_eq!(check(&c, &with(""), Some(&pin)), Ok(false));
        assert_eq!(
            check(&c, &with("P0"), Some(&pin)),
            Err((423, "Nats-Pin-Id mismatch".into()))
        );
        assert_eq!(check(&c, &with("P0"), None), Ok(false));
    }

    #[test]
    fn overflow_thresholds() {
        let r = GroupRequest {
            min_pending: 5,
            ..req("A")
        };
        assert!(!r.overflow_ready(4, 100));
        assert!(r.overflow_ready(5, 0));
        let r = GroupRequest {
            min_ack_pending: 2,
            ..req("A")
        };
        assert!(!r.overflow_ready(100, 1));
        assert!(r.overflow_ready(0, 2));
        assert!(req("A").overflow_ready(0, 0));
    }

    #[test]
    fn group_names() {
        assert!(valid_group_name("A"));
        assert!(valid_group_name("jobs/high_1=-"));
        assert!(!valid_group_name(""));
        assert!(!valid_group_name("seventeen-chars-x"));
        assert!(!valid_group_name("a.b"));
    }
}
