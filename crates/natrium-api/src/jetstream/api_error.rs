//! The `error` member of every `$JS.API` response (nats-server's `ApiError`).

use serde::{Deserialize, Serialize};

use super::{is_zero, ApiErrorCode};

/// A JetStream API error as it appears on the wire:
/// `{"code": 404, "err_code": 10059, "description": "stream not found"}`.
///
/// Build it from the table: `ApiError::stream_not_found()`,
/// `ApiError::invalid_json(e)`, or [`ApiError::new`] / [`ApiError::with_args`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApiError {
    /// HTTP-style status: 400, 404, 500, 503...
    pub code: u16,
    /// The JetStream error number (10000+); 0 (omitted) for bare status errors.
    #[serde(skip_serializing_if = "is_zero")]
    pub err_code: u16,
    /// Human-readable text, placeholders already filled.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl ApiError {
    /// The table entry's error with its template as description (placeholders, if any, left
    /// as written: use [`ApiError::with_args`] or the named constructor to fill them).
    pub fn new(kind: ApiErrorCode) -> Self {
        ApiError {
            code: kind.code(),
            err_code: kind.err_code(),
            description: kind.template().to_string(),
        }
    }

    /// The table entry's error, each `{name}` in its template replaced by the value paired
    /// with `name`. Like Go's `strings.Replacer`: one left-to-right pass, so inserted text
    /// is never itself scanned for placeholders; names not given stay as written.
    pub fn with_args(kind: ApiErrorCode, args: &[(&str, String)]) -> Self {
        let template = kind.template();
        let mut description = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let (before, from_brace) = rest.split_at(open);
            description.push_str(before);
            let hit = args.iter().find(|(name, _)| {
                from_brace
                    .strip_prefix('{')
                    .and_then(|s| s.strip_prefix(*name))
                    .is_some_and(|s| s.starts_with('}'))
            });
            match hit {
                Some((name, value)) => {
                    description.push_str(value);
                    rest = from_brace.get(name.len() + 2..).unwrap_or_default();
                }
                None => {
                    description.push('{');
                    rest = from_brace.get(1..).unwrap_or_default();
                }
            }
        }
        description.push_str(rest);
        ApiError {
            code: kind.code(),
            err_code: kind.err_code(),
            description,
        }
    }

    /// The table entry this error's `err_code` names, if any.
    pub fn kind(&self) -> Option<ApiErrorCode> {
        ApiErrorCode::from_err_code(self.err_code)
    }

    /// Whether this error is the given table entry (compares `err_code`, as Go's `IsNatsErr`).
    pub fn is(&self, kind: ApiErrorCode) -> bool {
        self.err_code == kind.err_code()
    }
}

/// Same text as nats-server's `ApiError.Error()`: `"<description> (<err_code>)"`.
impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.description, self.err_code)
    }
}

impl std::error::Error for ApiError {}
