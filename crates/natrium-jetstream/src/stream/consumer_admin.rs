//! The consumer requests a stream task answers beyond create/info/delete: pause and
//! resume, unpin, reset; and the advisories consumers raise on their own (a pin given
//! or lapsed, a pause ended).

use natrium_api::jetstream::{
    ApiError, ApiResponse, ConsumerPauseRequest, ConsumerPauseResponse, ConsumerResetRequest,
    ConsumerResetResponse, ConsumerUnpinRequest, ConsumerUnpinResponse, ZERO_TIME,
};
use natrium_api::time::{parse_rfc3339, rfc3339_nano_from_unix_i64};

use super::StreamTask;
use crate::consumer::Event;
use crate::engine::now_nanos;
use crate::{advisory, persist, priority};

impl StreamTask {
    /// `CONSUMER.PAUSE`: a `pause_until` in the future pauses, none (or the zero time)
    /// resumes; the reply says whether it is paused now.
    pub(super) fn consumer_pause(&mut self, reply: &[u8], body: &[u8], name: &str) {
        let req: ConsumerPauseRequest = if body.trim_ascii().is_empty() {
            ConsumerPauseRequest::default()
        } else {
            match self.parse(body) {
                Ok(r) => r,
                Err(e) => return self.api_err(reply, ConsumerPauseResponse::err(e)),
            }
        };
        let now = now_nanos();
        let until = req
            .pause_until
            .as_deref()
            .and_then(parse_rfc3339)
            .filter(|t| *t > parse_rfc3339(ZERO_TIME).unwrap_or(i64::MIN));
        let Some(c) = self.consumers.get_mut(name) else {
            return self.api_err(
                reply,
                ConsumerPauseResponse::err(ApiError::consumer_not_found()),
            );
        };
        // A time too far out for nanoseconds is echoed as given (nats-server renders it).
        let text = until.map(|t| match (t, req.pause_until.as_deref()) {
            (i64::MAX, Some(given)) => given.to_owned(),
            _ => rfc3339_nano_from_unix_i64(t),
        });
        let changed = c.set_pause(text.clone(), now);
        let remaining = c.paused(now);
        if let (Some(dir), false) = (&self.dir, c.config.durable_name.is_empty()) {
            if let Err(e) = persist::write_consumer_meta(dir, name, &c.config, c.created) {
                return self.api_err(
                    reply,
                    ConsumerPauseResponse::err(ApiError::consumer_store_failed(e)),
                );
            }
        }
        if changed {
            self.pause_advisory(name, text.as_deref(), remaining.is_some());
        }
        self.out.reply_json(
            reply,
            &ConsumerPauseResponse {
                paused: remaining.is_some(),
                pause_until: text.unwrap_or_else(|| ZERO_TIME.to_owned()),
                pause_remaining: remaining.unwrap_or(0),
                ..ConsumerPauseResponse::default()
            },
        );
    }

    /// `CONSUMER.UNPIN`: releases the pinned client of a priority group.
    pub(super) fn consumer_unpin(&mut self, reply: &[u8], body: &[u8], name: &str) {
        let kind = ConsumerUnpinResponse::TYPE;
        let req: ConsumerUnpinRequest = match self.parse(body) {
            Ok(r) => r,
            Err(e) => return self.api_err(reply, ApiResponse::err(kind, e)),
        };
        let refuse = if req.group.is_empty() {
            Some(ApiError::invalid_json("consumer group not specified"))
        } else if !priority::valid_group_name(&req.group) {
            Some(ApiError::consumer_invalid_group_name())
        } else {
            match self.consumers.get(name) {
                None => Some(ApiError::consumer_not_found()),
                Some(c) if !c.config.priority_groups.contains(&req.group) => {
                    Some(ApiError::consumer_invalid_priority_group())
                }
                Some(_) => None,
            }
        };
        if let Some(e) = refuse {
            return self.api_err(reply, ApiResponse::err(kind, e));
        }
        if let Some(c) = self.consumers.get_mut(name) {
            c.unpin(&req.group);
        }
        self.announce_events(name);
        self.out.reply_json(reply, &ApiResponse::ok(kind));
    }

    /// `CONSUMER.RESET`: starts the consumer over from a stream sequence (none: just
    /// past its ack floor).
    pub(super) fn consumer_reset(&mut self, reply: &[u8], body: &[u8], name: &str) {
        let req: ConsumerResetRequest = if body.trim_ascii().is_empty() {
            ConsumerResetRequest::default()
        } else {
            match self.parse(body) {
                Ok(r) => r,
                Err(e) => return self.api_err(reply, ConsumerResetResponse::err(e)),
            }
        };
        let Some(c) = self.consumers.get_mut(name) else {
            return self.api_err(
                reply,
                ConsumerResetResponse::err(ApiError::consumer_not_found()),
            );
        };
        let seq = match c.reset(req.seq, self.store.as_ref()) {
            Ok(seq) => seq,
            Err(why) => {
                return self.api_err(
                    reply,
                    ConsumerResetResponse::err(ApiError::consumer_invalid_reset(why)),
                )
            }
        };
        if let Err(e) = c.save_now() {
            return self.api_err(
                reply,
                ConsumerResetResponse::err(ApiError::consumer_store_failed(e)),
            );
        }
        let info = self.consumers.get(name).map(|c| self.consumer_info(c));
        self.out.reply_json(
            reply,
            &ConsumerResetResponse {
                kind: ConsumerResetResponse::TYPE.to_owned(),
                error: None,
                info,
                reset_seq: seq,
            },
        );
    }

    /// Sends the advisories for what consumer `name` did on its own.
    pub(super) fn announce_events(&mut self, name: &str) {
        let Some(c) = self.consumers.get_mut(name) else {
            return;
        };
        let events = c.take_events();
        let until = c.config.pause_until.clone();
        let account = self.account.name().to_owned();
        for event in events {
            match event {
                Event::Pinned { group, id } => advisory::consumer_pinned(
                    &mut self.out,
                    &advisory::Pinning {
                        account: &account,
                        stream: &self.name,
                        consumer: name,
                        group: &group,
                        detail: &id,
                    },
                    &self.engine.domain,
                ),
                Event::Unpinned { group, reason } => advisory::consumer_unpinned(
                    &mut self.out,
                    &advisory::Pinning {
                        account: &account,
                        stream: &self.name,
                        consumer: name,
                        group: &group,
                        detail: reason,
                    },
                    &self.engine.domain,
                ),
                Event::Resumed => self.pause_advisory(name, until.as_deref(), false),
            }
        }
    }

    fn pause_advisory(&mut self, consumer: &str, until: Option<&str>, paused: bool) {
        advisory::consumer_pause(
            &mut self.out,
            &self.name,
            consumer,
            paused,
            until.unwrap_or(ZERO_TIME),
            &self.engine.domain,
        );
    }
}
