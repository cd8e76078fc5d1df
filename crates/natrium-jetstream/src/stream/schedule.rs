//! A stream's message schedules: which subject holds a schedule, when each fires
//! next, the checks a published schedule passes, and storing what a due schedule
//! produces. Schedules are ordinary stored messages (the last one on a subject wins,
//! through the `Nats-Rollup: sub` nats-server adds), so the table is rebuilt from the
//! store when the stream starts.

use std::collections::{BTreeSet, HashMap};

use natrium_api::jetstream::{ApiError, NATS_MSG_ID, NATS_ROLLUP, NATS_TTL};
use natrium_proto::header_value;
use natrium_store::{NewMsg, PurgeRequest, StoredMsg};

use super::StreamTask;
use crate::schedule::{self, Fire};

/// Every schedule of one stream, by the subject holding it.
#[derive(Default)]
pub(crate) struct Schedules {
    /// Subject → (sequence of the schedule message, when it fires).
    by_subject: HashMap<String, (u64, i64)>,
    /// (when, subject), for the earliest deadline.
    due: BTreeSet<(i64, String)>,
}

impl Schedules {
    fn set(&mut self, subject: &str, seq: u64, at: i64) {
        self.remove(subject);
        self.by_subject.insert(subject.to_string(), (seq, at));
        self.due.insert((at, subject.to_string()));
    }

    fn remove(&mut self, subject: &str) {
        if let Some((_, at)) = self.by_subject.remove(subject) {
            self.due.remove(&(at, subject.to_string()));
        }
    }

    /// When the next schedule is due.
    pub(crate) fn next_deadline(&self) -> Option<i64> {
        self.due.first().map(|(at, _)| *at)
    }

    /// The schedules due at `now`, oldest schedule message first; they leave the
    /// table until what they produce is stored (which re-arms a repeating one).
    fn take_due(&mut self, now: i64) -> Vec<(u64, String, i64)> {
        let mut out = Vec::new();
        while let Some((at, subject)) = self.due.first().cloned() {
            if at > now {
                break;
            }
            self.due.remove(&(at, subject.clone()));
            if let Some((seq, _)) = self.by_subject.remove(&subject) {
                out.push((seq, subject, at));
            }
        }
        out.sort_by_key(|(seq, _, _)| *seq);
        out
    }
}

fn text<'a>(headers: &'a [u8], key: &str) -> Option<&'a str> {
    header_value(headers, key.as_bytes()).and_then(|v| std::str::from_utf8(v).ok())
}

/// The schedule a header block asks for at `ts`: `Ok(None)` without a `Nats-Schedule`.
fn read_schedule(headers: &[u8], ts: i64, now: i64) -> Result<Option<Fire>, ApiError> {
    let zoned = schedule::time_zone(text(headers, schedule::TIME_ZONE))
        .map_err(|_| ApiError::message_schedules_time_zone_invalid())?;
    match text(headers, schedule::SCHEDULE) {
        None | Some("") => Ok(None),
        Some(pattern) => schedule::next_fire(pattern, zoned, ts, now)
            .map(Some)
            .ok_or_else(ApiError::message_schedules_pattern_invalid),
    }
}

impl StreamTask {
    /// nats-server's checks of the schedule headers of a message published to
    /// `subject`. `Ok(Some(block))` asks to store `block` instead: a schedule gets
    /// `Nats-Rollup: sub`, so a newer schedule on its subject replaces the older.
    pub(super) fn check_schedule_headers(
        &self,
        subject: &str,
        headers: &[u8],
        now: i64,
    ) -> Result<Option<Vec<u8>>, ApiError> {
        // Every header checked here starts with `Nats-Schedule`: one scan for the rest.
        let key = schedule::SCHEDULE.as_bytes();
        if !headers.windows(key.len()).any(|w| w == key) {
            return Ok(None);
        }
        let allowed = self.config.allow_msg_schedules;
        let fire = read_schedule(headers, now, now).map_err(|e| {
            if allowed {
                e
            } else {
                ApiError::message_schedules_disabled()
            }
        })?;
        let mut replace = None;
        if fire.is_some() {
            if !allowed {
                return Err(ApiError::message_schedules_disabled());
            }
            let ttl = text(headers, schedule::TTL).unwrap_or_default();
            if !ttl.is_empty() && crate::publish::parse_ttl(ttl).is_none() {
                return Err(ApiError::message_schedules_ttl_invalid());
            }
            let rollup = text(headers, schedule::ROLLUP).unwrap_or_default();
            if !rollup.is_empty() && rollup != "sub" {
                return Err(ApiError::message_schedules_rollup_invalid());
            }
            if !ttl.is_empty() && !self.config.allow_msg_ttl {
                return Err(ApiError::message_ttl_disabled());
            }
            let target = text(headers, schedule::TARGET).unwrap_or_default();
            if target.is_empty()
                || !natrium_subject::is_valid_publish_subject(target.as_bytes())
                || target == subject
            {
                return Err(ApiError::message_schedules_target_invalid());
            }
            let source = text(headers, schedule::SOURCE).unwrap_or_default();
            if !source.is_empty()
                && (source == target
                    || source == subject
                    || !natrium_subject::is_valid_publish_subject(source.as_bytes()))
            {
                return Err(ApiError::message_schedules_source_invalid());
            }
            let in_stream = |s: &str| {
                self.config
                    .subjects
                    .iter()
                    .any(|own| natrium_subject::subjects_collide(own.as_bytes(), s.as_bytes()))
            };
            if !in_stream(target) {
                return Err(ApiError::message_schedules_target_invalid());
            }
            if !source.is_empty() && !in_stream(source) {
                return Err(ApiError::message_schedules_source_invalid());
            }
            match text(headers, NATS_ROLLUP) {
                None => {
                    replace = Some(super::add_headers(Some(headers), &[(NATS_ROLLUP, b"sub")]));
                }
                Some("sub") => {}
                Some(_) => return Err(ApiError::message_schedules_rollup_invalid()),
            }
        }
        match text(headers, schedule::NEXT) {
            Some(next) if !next.is_empty() => {
                // Clients may only ask to purge a schedule, naming it in `Nats-Scheduler`.
                let scheduler = text(headers, schedule::SCHEDULER).unwrap_or_default();
                if next != schedule::NEXT_PURGE
                    || scheduler.is_empty()
                    || scheduler == subject
                    || !natrium_subject::is_valid_publish_subject(scheduler.as_bytes())
                {
                    return Err(ApiError::message_schedules_scheduler_invalid());
                }
                if !allowed {
                    return Err(ApiError::message_schedules_disabled());
                }
                let mut last = StoredMsg::default();
                if self.store.load_last(scheduler, &mut last).unwrap_or(false)
                    && text(&last.headers, schedule::SCHEDULE).is_none_or(str::is_empty)
                {
                    return Err(ApiError::message_schedules_scheduler_invalid());
                }
            }
            _ => {
                if text(headers, schedule::SCHEDULER).is_some_and(|s| !s.is_empty()) {
                    return Err(ApiError::message_schedules_scheduler_invalid());
                }
            }
        }
        Ok(replace)
    }

    /// Keeps the table in step with a message just stored at `seq`: a schedule arms
    /// its subject, any other message disarms it (unless it is a produced message,
    /// which re-arms its schedule for `Nats-Schedule-Next`, or removes it for `purge`).
    pub(super) fn schedule_stored(&mut self, seq: u64, subject: &str, headers: &[u8], ts: i64) {
        if !self.config.allow_msg_schedules {
            return;
        }
        let now = super::now_nanos();
        let scheduler = text(headers, schedule::SCHEDULER).filter(|s| !s.is_empty());
        match read_schedule(headers, ts, now) {
            Ok(Some(fire)) => self.schedules.set(subject, seq, fire.at),
            _ if scheduler.is_none() => self.schedules.remove(subject),
            _ => {}
        }
        let (Some(scheduler), Some(next)) = (scheduler, text(headers, schedule::NEXT)) else {
            return;
        };
        if next == schedule::NEXT_PURGE {
            self.schedules.remove(scheduler);
            let purge = PurgeRequest {
                filter: scheduler.to_string(),
                seq: None,
                keep: None,
            };
            if let Err(err) = self.store.purge(&purge) {
                tracing::warn!(stream = %self.name, %scheduler, %err, "schedule not purged");
            }
        } else if let Some(at) = natrium_api::time::parse_rfc3339(next) {
            let mut sched = StoredMsg::default();
            // Re-arm only the schedule still stored on that subject.
            if self.store.load_last(scheduler, &mut sched).unwrap_or(false)
                && text(&sched.headers, schedule::SCHEDULE).is_some_and(|p| !p.is_empty())
            {
                self.schedules.set(scheduler, sched.seq, at);
            }
        }
    }

    /// Rebuilds the table from the stored messages (stream start).
    pub(super) fn rebuild_schedules(&mut self) {
        if !self.config.allow_msg_schedules {
            return;
        }
        let mut msg = StoredMsg::default();
        let mut seq = self.store.state().first_seq;
        while self.store.load_next("", seq, &mut msg).unwrap_or(false) {
            let subject = msg.subject.clone();
            let headers = std::mem::take(&mut msg.headers);
            self.schedule_stored(msg.seq, &subject, &headers, msg.ts);
            seq = msg.seq + 1;
        }
    }

    /// Stores what every due schedule produces on its target subject.
    pub(super) fn fire_schedules(&mut self, now: i64) {
        for (seq, subject, at) in self.schedules.take_due(now) {
            let mut sched = StoredMsg::default();
            if !self.store.load(seq, &mut sched).unwrap_or(false) || sched.subject != subject {
                continue;
            }
            let Some(produced) = produce(&sched, at, now, |src, out| {
                self.store.load_last(src, out).unwrap_or(false)
            }) else {
                continue;
            };
            self.store_produced(&subject, produced, now);
        }
    }

    fn store_produced(&mut self, scheduler: &str, p: Produced, now: i64) {
        // What a publish would be refused for, a produced message is too.
        let size = (p.headers.len() + p.payload.len()) as u64;
        let (used, limit) = self.engine.storage(self.config.storage);
        let full = limit >= 0
            && used.load(std::sync::atomic::Ordering::Relaxed) + size > limit.unsigned_abs();
        let too_big = self.config.max_msg_size > 0
            && size > u64::from(self.config.max_msg_size.unsigned_abs());
        if self.config.sealed || full || too_big {
            tracing::warn!(stream = %self.name, %scheduler, "scheduled message refused by the stream's limits");
            return;
        }
        let ttl = text(&p.headers, NATS_TTL)
            .and_then(crate::publish::parse_ttl)
            .unwrap_or(0);
        let appended = self.store.append(
            NewMsg {
                subject: &p.target,
                headers: &p.headers,
                payload: &p.payload,
                ts: now,
                ttl,
            },
            &mut self.removed,
        );
        let seq = match appended {
            Ok(seq) => seq,
            Err(err) => {
                tracing::warn!(stream = %self.name, %scheduler, %err, "scheduled message not stored");
                return;
            }
        };
        if text(&p.headers, NATS_ROLLUP) == Some("sub") {
            let _ = self.store.purge(&PurgeRequest {
                filter: p.target.clone(),
                seq: Some(seq),
                keep: None,
            });
        }
        self.schedule_stored(seq, &p.target, &p.headers, now);
        if self.config.retention == natrium_api::jetstream::RetentionPolicy::Interest
            && !self.consumers.values().any(|c| c.wants(&p.target))
        {
            let _ = self.store.remove(seq, false);
        }
    }
}

/// A message a due schedule produces.
struct Produced {
    target: String,
    headers: Vec<u8>,
    payload: Vec<u8>,
}

/// Builds what schedule `sched`, due at `at`, produces, as nats-server does: the
/// schedule's (or its source's last) payload and headers without the schedule's own
/// and those that could stop it being stored, plus `Nats-Scheduler`,
/// `Nats-Schedule-Next` and the schedule's TTL and rollup. `None` when the stored
/// schedule is no longer valid (it is then dropped).
fn produce(
    sched: &StoredMsg,
    at: i64,
    now: i64,
    load_last: impl FnOnce(&str, &mut StoredMsg) -> bool,
) -> Option<Produced> {
    let hdr = &sched.headers;
    let fire = read_schedule(hdr, at, now).ok().flatten()?;
    let ttl = text(hdr, schedule::TTL).unwrap_or_default();
    if !ttl.is_empty() && crate::publish::parse_ttl(ttl).is_none() {
        return None;
    }
    let target = text(hdr, schedule::TARGET).filter(|t| !t.is_empty())?;
    let rollup = text(hdr, schedule::ROLLUP).unwrap_or_default();
    let mut source_msg = StoredMsg::default();
    let from = match text(hdr, schedule::SOURCE).filter(|s| !s.is_empty()) {
        Some(src) if load_last(src, &mut source_msg) => &source_msg,
        _ => sched,
    };
    let kept = schedule::strip_headers(
        &from.headers,
        &["Nats-Schedule", "Nats-Expected-"],
        &[NATS_MSG_ID, NATS_TTL, NATS_ROLLUP],
    );
    let next = if fire.repeat {
        natrium_api::time::rfc3339_nano_from_unix_i64(fire.at)
    } else {
        schedule::NEXT_PURGE.to_string()
    };
    let mut pairs: Vec<(&str, &[u8])> = vec![
        (schedule::SCHEDULER, sched.subject.as_bytes()),
        (schedule::NEXT, next.as_bytes()),
    ];
    if !ttl.is_empty() {
        pairs.push((NATS_TTL, ttl.as_bytes()));
    }
    if !rollup.is_empty() {
        pairs.push((NATS_ROLLUP, rollup.as_bytes()));
    }
    Some(Produced {
        target: target.to_string(),
        headers: super::add_headers(kept.as_deref(), &pairs),
        payload: from.payload.to_vec(),
    })
}
