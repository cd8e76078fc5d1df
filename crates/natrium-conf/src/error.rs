//! Why a configuration could not be read. Every message names file, line and column.

use std::path::PathBuf;

use crate::value::Pos;

/// A configuration that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfError {
    /// Malformed text, an unknown `$VARIABLE`, a bad number, nesting too deep, ...
    #[error("{pos}: {message}")]
    Syntax {
        /// Where the problem is.
        pos: Pos,
        /// What is wrong.
        message: String,
    },
    /// A file could not be read: the top-level file (`at` is `None`) or an `include`d one
    /// (`at` is the `include` statement).
    #[error("{}cannot read config file '{}': {source}", at_prefix(.at), .path.display())]
    Io {
        /// The `include` statement that named the file, if any.
        at: Option<Pos>,
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// An `include`d file is malformed.
    #[error("{pos}: error parsing include file '{name}': {source}")]
    Include {
        /// The `include` statement.
        pos: Pos,
        /// The file name as written after `include`.
        name: String,
        /// What is wrong inside it (its own position names the included file).
        source: Box<ConfError>,
    },
}

fn at_prefix(at: &Option<Pos>) -> String {
    at.as_ref().map(|p| format!("{p}: ")).unwrap_or_default()
}

impl ConfError {
    /// Where the problem was found in the file the caller named (for an error inside an
    /// included file, the `include` statement); `None` when the top-level file could
    /// not be read.
    pub fn pos(&self) -> Option<&Pos> {
        match self {
            ConfError::Syntax { pos, .. } | ConfError::Include { pos, .. } => Some(pos),
            ConfError::Io { at, .. } => at.as_ref(),
        }
    }

    /// The innermost error: for an error inside (nested) included files, the one in the
    /// file where the problem actually is.
    pub fn root(&self) -> &ConfError {
        match self {
            ConfError::Include { source, .. } => source.root(),
            other => other,
        }
    }

    pub(crate) fn syntax(pos: Pos, message: impl Into<String>) -> ConfError {
        ConfError::Syntax {
            pos,
            message: message.into(),
        }
    }
}
