//! The `INFO` the server sends, and the check nats-server applies to an
//! `INFO` a client sends.

use bytes::BufMut;

use crate::ProtoError;

/// INFO sent to clients. Field names, order and omission rules follow
/// nats-server's `Info` struct (`server/server.go`), so the JSON is
/// byte-compatible for the fields set.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ServerInfo {
    /// Server's unique id (`server_id`).
    pub server_id: String,
    /// Server name (`server_name`).
    pub server_name: String,
    /// Server version, e.g. `2.15.1`.
    pub version: String,
    /// Client protocol version (1).
    pub proto: u32,
    /// Build commit (`git_commit`), omitted when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_commit: Option<String>,
    /// Toolchain version (nats-server sends its Go version).
    pub go: String,
    /// Host the client listener is bound to.
    pub host: String,
    /// Port of the client listener.
    pub port: u16,
    /// Whether the server supports headers (HPUB/HMSG).
    pub headers: bool,
    /// Clients must authenticate.
    #[serde(skip_serializing_if = "is_false")]
    pub auth_required: bool,
    /// Clients must use TLS.
    #[serde(skip_serializing_if = "is_false")]
    pub tls_required: bool,
    /// Clients must present a certificate.
    #[serde(skip_serializing_if = "is_false")]
    pub tls_verify: bool,
    /// TLS is available but optional.
    #[serde(skip_serializing_if = "is_false")]
    pub tls_available: bool,
    /// Largest payload accepted.
    pub max_payload: usize,
    /// JetStream is enabled.
    #[serde(skip_serializing_if = "is_false")]
    pub jetstream: bool,
    /// Advertised IP (`ip`), omitted when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// The client's id (omitted when 0, as nats-server).
    #[serde(skip_serializing_if = "is_zero_u64")]
    pub client_id: u64,
    /// The client's address as seen by the server (omitted when empty).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub client_ip: String,
    /// Nonce to sign for nkey/JWT authentication.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    /// Cluster name, when clustered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// JetStream domain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// URLs clients may connect to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub connect_urls: Vec<String>,
    /// URLs websocket clients may connect to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ws_connect_urls: Vec<String>,
    /// Lame duck mode announcement.
    #[serde(skip_serializing_if = "is_false")]
    pub ldm: bool,
    /// This INFO answers a CONNECT.
    #[serde(skip_serializing_if = "is_false")]
    pub connect_info: bool,
    /// JetStream API level (`api_lvl`), omitted when 0.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub api_lvl: u32,
    /// Server's curve public key for encrypted auth callouts (`xkey`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub xkey: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero_u64(n: &u64) -> bool {
    *n == 0
}

fn is_zero_u32(n: &u32) -> bool {
    *n == 0
}

impl ServerInfo {
    /// Writes `INFO {json} \r\n`. Like nats-server, a blank separates the
    /// JSON from the CRLF. Allocates once (INFO is sent once per connection
    /// and on topology changes, never per message).
    pub fn encode<B: BufMut>(&self, out: &mut B) {
        out.put_slice(b"INFO ");
        match serde_json::to_vec(self) {
            Ok(json) => out.put_slice(&json),
            // Unreachable for this struct (no maps, no fallible fields).
            Err(_) => out.put_slice(b"{}"),
        }
        out.put_slice(b" \r\n");
    }
}

/// Checks an `INFO` JSON sent BY A CLIENT the way nats-server does: it must
/// decode as a JSON object (or `null`); otherwise nats-server closes the
/// connection silently ([`ProtoError::BadInfo`]). A valid one is ignored.
/// (nats-server would also reject type mismatches of its own `Info` fields;
/// that is not reproduced.)
pub fn check_client_info(json: &[u8]) -> Result<(), ProtoError> {
    serde_json::from_slice::<Option<serde::de::IgnoredAny>>(json)
        .map_err(|e| ProtoError::BadInfo(e.to_string()))?;
    if is_object_or_null(json) {
        Ok(())
    } else {
        Err(ProtoError::BadInfo("not a JSON object".to_owned()))
    }
}

fn is_object_or_null(json: &[u8]) -> bool {
    matches!(
        json.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'n')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_matches_nats_server_layout() {
        let info = ServerInfo {
            server_id: "NID".into(),
            server_name: "n1".into(),
            version: "2.15.1".into(),
            proto: 1,
            go: "go1.24".into(),
            host: "127.0.0.1".into(),
            port: 4222,
            headers: true,
            max_payload: 1048576,
            client_id: 5,
            client_ip: "127.0.0.1".into(),
            xkey: Some("XK".into()),
            ..ServerInfo::default()
        };
        let mut out = Vec::new();
        info.encode(&mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "INFO {\"server_id\":\"NID\",\"server_name\":\"n1\",\"version\":\"2.15.1\",\"proto\":1,\
             \"go\":\"go1.24\",\"host\":\"127.0.0.1\",\"port\":4222,\"headers\":true,\
             \"max_payload\":1048576,\"client_id\":5,\"client_ip\":\"127.0.0.1\",\"xkey\":\"XK\"} \r\n"
        );
    }

    #[test]
    fn optional_fields_appear_when_set() {
        let info = ServerInfo {
            auth_required: true,
            nonce: Some("abc".into()),
            connect_urls: vec!["1.2.3.4:4222".into()],
            ldm: true,
            ..ServerInfo::default()
        };
        let mut out = Vec::new();
        info.encode(&mut out);
        let s = String::from_utf8(out).unwrap();
        for want in [
            "\"auth_required\":true",
            "\"nonce\":\"abc\"",
            "\"connect_urls\":[\"1.2.3.4:4222\"]",
            "\"ldm\":true",
        ] {
            assert!(s.contains(want), "{s}");
        }
        assert!(
            !s.contains("client_id") && !s.contains("tls_required"),
            "{s}"
        );
    }

    #[test]
    fn client_info_check() {
        assert_eq!(check_client_info(b"{}"), Ok(()));
        assert_eq!(check_client_info(b" {\"a\":[1]} \r"), Ok(()));
        assert_eq!(check_client_info(b"null"), Ok(()));
        for bad in [&b"{bad"[..], b"\r", b"[]", b"1", b"\"s\"", b""] {
            assert!(
                matches!(check_client_info(bad), Err(ProtoError::BadInfo(_))),
                "{bad:?}"
            );
        }
    }
}
