//! Query parameters decoded the way nats-server decodes them, with its error texts (the
//! first value of a repeated parameter wins; an empty value means "not given").

use std::num::IntErrorKind;

/// A request's query parameters, in order.
#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl From<Vec<(String, String)>> for Params {
    fn from(pairs: Vec<(String, String)>) -> Self {
        Self(pairs)
    }
}

impl Params {
    /// The first value of `name`, or `""`.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// A boolean as Go's `strconv.ParseBool` reads it; `false` when absent.
    pub fn bool(&self, name: &str) -> Result<bool, String> {
        let s = self.get(name);
        match s {
            "" => Ok(false),
            "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
            "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
            _ => Err(format!(
                "Error decoding boolean for '{name}': strconv.ParseBool: parsing {s:?}: invalid syntax"
            )),
        }
    }

    /// A signed integer as Go's `strconv.Atoi` reads it; 0 when absent.
    pub fn int(&self, name: &str) -> Result<i64, String> {
        let s = self.get(name);
        if s.is_empty() {
            return Ok(0);
        }
        s.parse::<i64>().map_err(|e| {
            format!(
                "Error decoding int for '{name}': strconv.Atoi: parsing {s:?}: {}",
                go_reason(e.kind())
            )
        })
    }

    /// An unsigned integer as Go's `strconv.ParseUint` reads it; 0 when absent.
    pub fn uint(&self, name: &str) -> Result<u64, String> {
        let s = self.get(name);
        if s.is_empty() {
            return Ok(0);
        }
        let parsed = if s.starts_with('+') {
            // Go refuses a sign on unsigned numbers; Rust would accept it.
            "x".parse::<u64>()
        } else {
            s.parse::<u64>()
        };
        parsed.map_err(|e| {
            format!(
                "Error decoding uint64 for '{name}': strconv.ParseUint: parsing {s:?}: {}",
                go_reason(e.kind())
            )
        })
    }

    /// `subs`: `detail` asks for details, otherwise a boolean. Returns (list, detail).
    pub fn subs(&self) -> Result<(bool, bool), String> {
        if self.get("subs").eq_ignore_ascii_case("detail") {
            Ok((false, true))
        } else {
            Ok((self.bool("subs")?, false))
        }
    }
}

fn go_reason(kind: &IntErrorKind) -> &'static str {
    match kind {
        IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => "value out of range",
        _ => "invalid syntax",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn go_error_texts() {
        let p = params(&[("limit", "abc"), ("subs", "maybe"), ("cid", "-1")]);
        assert_eq!(
            p.int("limit").unwrap_err(),
            r#"Error decoding int for 'limit': strconv.Atoi: parsing "abc": invalid syntax"#
        );
        assert_eq!(
            p.subs().unwrap_err(),
            r#"Error decoding boolean for 'subs': strconv.ParseBool: parsing "maybe": invalid syntax"#
        );
        assert_eq!(
            p.uint("cid").unwrap_err(),
            r#"Error decoding uint64 for 'cid': strconv.ParseUint: parsing "-1": invalid syntax"#
        );
        let big = params(&[("offset", "99999999999999999999")]);
        assert!(big
            .int("offset")
            .unwrap_err()
            .ends_with("value out of range"));
    }

    #[test]
    fn first_value_wins_and_absent_is_default() {
        let p = params(&[("offset", "2"), ("offset", "5"), ("subs", "DETAIL")]);
        assert_eq!(p.int("offset").unwrap(), 2);
        assert_eq!(p.int("limit").unwrap(), 0);
        assert_eq!(p.subs().unwrap(), (false, true));
        assert!(!p.bool("auth").unwrap());
        assert!(params(&[("auth", "T")]).bool("auth").unwrap());
    }
}
