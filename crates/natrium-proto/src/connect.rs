//! The `CONNECT` options a client sends.

use std::fmt;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::ProtoError;

/// CONNECT options sent by clients.
///
/// Decoding follows Go's `encoding/json` into nats-server's `ClientOpts`:
/// unknown fields are ignored; keys match case-insensitively (ASCII);
/// a `null` value leaves the field at its default; a repeated key: the last
/// one wins; a value of the wrong JSON type is an error. Defaults are
/// nats-server's (`verbose`, `pedantic` and `echo` are TRUE when absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectInfo {
    /// Reply `+OK` to every accepted op. Default true.
    pub verbose: bool,
    /// Extra checks (e.g. literal publish subjects). Default true.
    pub pedantic: bool,
    /// Client requires TLS.
    pub tls_required: bool,
    /// Receive own messages; `None` (absent or null) means true.
    pub echo: Option<bool>,
    /// Client supports headers (HPUB/HMSG).
    pub headers: bool,
    /// Client wants 503 status messages when no one listens.
    pub no_responders: bool,
    /// Client protocol version. A negative value (which nats-server accepts
    /// as JSON, then rejects with `invalid client protocol`) is mapped to
    /// `u32::MAX` so the server's `protocol > 1` check rejects it the same way.
    pub protocol: u32,
    /// Client name.
    pub name: Option<String>,
    /// Client library language.
    pub lang: Option<String>,
    /// Client library version.
    pub version: Option<String>,
    /// Username.
    pub user: Option<String>,
    /// Password.
    pub pass: Option<String>,
    /// Token.
    pub auth_token: Option<String>,
    /// NKey public key.
    pub nkey: Option<String>,
    /// Signature of the INFO nonce.
    pub sig: Option<String>,
    /// User JWT.
    pub jwt: Option<String>,
    /// Account to bind to (`account`).
    pub account: Option<String>,
    /// Create the account if missing (`new_account`).
    pub new_account: bool,
}

impl Default for ConnectInfo {
    /// nats-server's `defaultOpts`: verbose, pedantic and echo on.
    fn default() -> Self {
        ConnectInfo {
            verbose: true,
            pedantic: true,
            tls_required: false,
            echo: None,
            headers: false,
            no_responders: false,
            protocol: 0,
            name: None,
            lang: None,
            version: None,
            user: None,
            pass: None,
            auth_token: None,
            nkey: None,
            sig: None,
            jwt: None,
            account: None,
            new_account: false,
        }
    }
}

impl ConnectInfo {
    /// Decodes the JSON argument of `CONNECT`. Malformed JSON, a non-object,
    /// or a field of the wrong type gives [`ProtoError::BadConnect`], on which
    /// nats-server closes the connection without sending `-ERR`. A JSON
    /// `null` gives the defaults, as in Go.
    pub fn from_json(json: &[u8]) -> Result<Self, ProtoError> {
        serde_json::from_slice::<Option<ConnectInfo>>(json)
            .map(Option::unwrap_or_default)
            .map_err(|e| ProtoError::BadConnect(e.to_string()))
    }
}

impl<'de> Deserialize<'de> for ConnectInfo {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        de.deserialize_map(ConnectVisitor)
    }
}

struct ConnectVisitor;

/// Sets `slot` when the value is not `null`.
fn set<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut T,
) -> Result<(), A::Error> {
    if let Some(v) = map.next_value::<Option<T>>()? {
        *slot = v;
    }
    Ok(())
}

/// Sets an optional string; `null` leaves it as it was.
fn set_str<'de, A: MapAccess<'de>>(map: &mut A, slot: &mut Option<String>) -> Result<(), A::Error> {
    if let Some(v) = map.next_value::<Option<String>>()? {
        *slot = Some(v);
    }
    Ok(())
}

impl<'de> Visitor<'de> for ConnectVisitor {
    type Value = ConnectInfo;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a CONNECT JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ConnectInfo, A::Error> {
        let mut c = ConnectInfo::default();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let key = key.to_ascii_lowercase();
            match key.as_str() {
                "verbose" => set(&mut map, &mut c.verbose)?,
                "pedantic" => set(&mut map, &mut c.pedantic)?,
                "tls_required" => set(&mut map, &mut c.tls_required)?,
                "echo" => {
                    if let Some(v) = map.next_value::<Option<bool>>()? {
                        c.echo = Some(v);
                    }
                }
                "headers" => set(&mut map, &mut c.headers)?,
                "no_responders" => set(&mut map, &mut c.no_responders)?,
                "protocol" => {
                    if let Some(v) = map.next_value::<Option<i64>>()? {
                        c.protocol = u32::try_from(v).unwrap_or(u32::MAX);
                    }
                }
                "name" => set_str(&mut map, &mut c.name)?,
                "lang" => set_str(&mut map, &mut c.lang)?,
                "version" => set_str(&mut map, &mut c.version)?,
                "user" => set_str(&mut map, &mut c.user)?,
                "pass" => set_str(&mut map, &mut c.pass)?,
                "auth_token" => set_str(&mut map, &mut c.auth_token)?,
                "nkey" => set_str(&mut map, &mut c.nkey)?,
                "sig" => set_str(&mut map, &mut c.sig)?,
                "jwt" => set_str(&mut map, &mut c.jwt)?,
                "account" => set_str(&mut map, &mut c.account)?,
                "new_account" => set(&mut map, &mut c.new_account)?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(json: &str) -> ConnectInfo {
        ConnectInfo::from_json(json.as_bytes()).unwrap()
    }

    #[test]
    fn defaults_are_nats_servers() {
        let c = ok("{}");
        assert!(c.verbose && c.pedantic && c.echo.is_none() && !c.headers);
        assert_eq!(c, ConnectInfo::default());
        assert_eq!(ok("null"), ConnectInfo::default());
    }

    #[test]
    fn typical_client_connect() {
        let c = ok(
            r#"{"verbose":false,"pedantic":false,"tls_required":false,"name":"svc","lang":"go",
            "version":"1.41.0","protocol":1,"echo":false,"headers":true,"no_responders":true,
            "user":"u","pass":"p","extra":{"nested":[1,2,{"x":null}]}}"#,
        );
        assert!(!c.verbose && !c.pedantic && c.headers && c.no_responders);
        assert_eq!(c.echo, Some(false));
        assert_eq!(c.protocol, 1);
        assert_eq!(c.name.as_deref(), Some("svc"));
        assert_eq!(
            (c.user.as_deref(), c.pass.as_deref()),
            (Some("u"), Some("p"))
        );
    }

    #[test]
    fn go_json_quirks() {
        // Keys match case-insensitively; null keeps the default; last key wins.
        let c = ok(r#"{"VERBOSE":false,"Pedantic":null,"name":"a","NAME":"b","echo":null}"#);
        assert!(!c.verbose && c.pedantic && c.echo.is_none());
        assert_eq!(c.name.as_deref(), Some("b"));
        // Negative protocol is accepted as JSON and left for the server to refuse.
        assert_eq!(ok(r#"{"protocol":-1}"#).protocol, u32::MAX);
    }

    #[test]
    fn malformed_is_bad_connect() {
        for bad in [
            "{bad",
            "[]",
            "\r",
            "",
            "1",
            r#"{"verbose":1}"#,
            r#"{"name":5}"#,
            r#"{"protocol":1.5}"#,
            r#"{"protocol":"1"}"#,
            "{} x",
        ] {
            let e = ConnectInfo::from_json(bad.as_bytes()).unwrap_err();
            assert!(matches!(e, ProtoError::BadConnect(_)), "{bad}");
            assert_eq!(e.client_text(), "");
            assert!(e.closes_connection() && !e.sends_err());
        }
    }
}
