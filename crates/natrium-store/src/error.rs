//! Storage errors: separate from the numbered JetStream API errors, which the stream
//! layer maps these to.

use std::path::PathBuf;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// `max_msgs` reached with discard new.
    #[error("maximum messages exceeded")]
    MaxMsgs,
    /// `max_bytes` reached with discard new.
    #[error("maximum bytes exceeded")]
    MaxBytes,
    /// `max_msgs_per_subject` reached with discard new per subject.
    #[error("maximum messages per subject exceeded")]
    MaxMsgsPerSubject,
    /// The store was destroyed or closed.
    #[error("store closed")]
    Closed,
    /// [`crate::Store::append_at`] was given a sequence not after the last one.
    #[error("sequence {seq} is not after the last sequence {last}")]
    SequenceNotAfterLast {
        /// The sequence asked for.
        seq: u64,
        /// The store's last sequence.
        last: u64,
    },
    /// A file holds bytes that are not a valid record.
    #[error("corrupt store file {}: {reason} at offset {offset}", path.display())]
    Corrupt {
        /// The damaged file.
        path: PathBuf,
        /// Where in it.
        offset: u64,
        /// What was wrong.
        reason: String,
    },
    /// The operating system refused a file operation.
    #[error("store I/O on {}: {source}", path.display())]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl StoreError {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        StoreError::Io {
            path: path.into(),
            source,
        }
    }
}
