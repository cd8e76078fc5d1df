//! The one error type of the CLI: every failure becomes one line on stderr.

use std::fmt::{Debug, Display};

/// Anything that stops a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line or a config/context file asks for something impossible.
    #[error("{0}")]
    Usage(String),
    /// The client library reported an error (connect, publish, subscribe, ...).
    #[error("{0}")]
    Nats(String),
    /// A `$JS.API` request came back with an error object; shown like the `nats` CLI.
    #[error("{description} ({err_code})")]
    Api {
        /// HTTP-like status code (404, 400, 500, ...).
        code: u64,
        /// JetStream error code (10059 for "stream not found", ...).
        err_code: u64,
        /// The server's description.
        description: String,
    },
    /// A local file or stream could not be read or written.
    #[error("{context}: {source}")]
    Io {
        /// What was being done, e.g. the file name.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A response or file was not the JSON expected.
    #[error("invalid JSON in {context}: {source}")]
    Json {
        /// Where the JSON came from.
        context: String,
        /// The parse error.
        #[source]
        source: serde_json::Error,
    },
    /// Nothing answered in time.
    #[error("timeout waiting for {0}")]
    Timeout(String),
}

impl Error {
    /// An I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// Whether this is a closed stdout (e.g. piped into `head`): not worth a message.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }

    /// A JSON error with where the JSON came from.
    pub fn json(context: impl Into<String>, source: serde_json::Error) -> Self {
        Error::Json {
            context: context.into(),
            source,
        }
    }
}

impl<K> From<async_nats::error::Error<K>> for Error
where
    K: Clone + Debug + Display + PartialEq,
{
    fn from(e: async_nats::error::Error<K>) -> Self {
        Error::Nats(e.to_string())
    }
}
