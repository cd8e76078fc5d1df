//! `STREAM.SNAPSHOT` on the stream's task: the archive is written here, at one point
//! between two batches, and handed to a sender task that streams it out.

use natrium_api::jetstream::ApiError;

use super::StreamTask;
use crate::snapshot::{self, archive, SnapshotRequest, SnapshotResponse};

impl StreamTask {
    pub(super) fn snapshot(&mut self, reply: &[u8], body: &[u8]) {
        let answer_err = |task: &mut Self, e: ApiError| {
            task.engine
                .api_errors
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            task.out.reply_json(reply, &snapshot::snapshot_error(e));
        };
        if body.iter().all(u8::is_ascii_whitespace) {
            return answer_err(self, ApiError::bad_request());
        }
        let req: SnapshotRequest = match self.parse(body) {
            Ok(r) => r,
            Err(e) => return answer_err(self, e),
        };
        if !natrium_subject::is_valid_publish_subject(req.deliver_subject.as_bytes()) {
            return answer_err(self, ApiError::snapshot_deliver_subject_invalid());
        }
        let bytes = self.store.state().bytes;
        if usize::try_from(bytes).map_or(true, |b| b > snapshot::MAX_ARCHIVE) {
            let limit = snapshot::MAX_ARCHIVE;
            return answer_err(
                self,
                ApiError::stream_snapshot(format!(
                    "stream holds {bytes} bytes, more than a snapshot takes ({limit})"
                )),
            );
        }
        let consumers: Vec<archive::SavedConsumer> = if req.no_consumers {
            Vec::new()
        } else {
            self.consumers
                .values()
                .filter(|c| c.is_durable())
                .map(|c| archive::SavedConsumer {
                    name: c.name.clone(),
                    config: c.config.clone(),
                    created: c.created,
                    state: c.state().clone(),
                })
                .collect()
        };
        let data = match archive::write(
            &self.config,
            self.created,
            self.store.as_ref(),
            &consumers,
            req.jsck,
        ) {
            Ok(d) => d,
            Err(e) => return answer_err(self, ApiError::stream_snapshot(e)),
        };
        let info = self.info(&natrium_api::jetstream::StreamInfoRequest::default());
        let resp = SnapshotResponse {
            kind: SnapshotResponse::TYPE,
            error: None,
            config: Some(self.config.clone()),
            state: Some(info.state),
        };
        self.out.reply_json(reply, &resp);
        let deliver = req.deliver_subject.clone();
        snapshot::spawn_sender(&self.engine, &self.name, deliver, &req, data);
    }
}
