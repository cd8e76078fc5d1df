//! The claims of NATS JWTs (nats-io/jwt v2): operator, account and user tokens as
//! operator mode ("decentralized auth") reads them.
//!
//! A token is `header.claims.signature`, each part base64url without padding; the claims
//! are a [`Claims`] whose `nats` member holds the kind-specific part ([`Operator`],
//! [`Account`], [`User`]). Field names and JSON shapes follow the Go library exactly.
//! Fields the library omits when empty are optional here and default when absent; a
//! number Go would leave at zero is zero here too (nats-server reads a missing limit as
//! 0, not as "unlimited", which is `-1`). Unknown fields are ignored, as Go does.
//! Decoding, signature checks and the trust chain live in `natrium-server`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The `typ` every NATS JWT header carries.
pub const TOKEN_TYPE: &str = "JWT";
/// The `alg` of v2 tokens: Ed25519 signatures by an nkey.
pub const ALGORITHM: &str = "ed25519-nkey";
/// The revocation entry that revokes every user issued at or before its time.
pub const REVOKE_ALL: &str = "*";
/// A limit value meaning "no limit".
pub const NO_LIMIT: i64 = -1;

fn is_zero<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

fn is_false(v: &bool) -> bool {
    !*v
}

/// The JWT header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Token type, `JWT`.
    #[serde(default)]
    pub typ: String,
    /// Signature algorithm, `ed25519-nkey`.
    #[serde(default)]
    pub alg: String,
}

/// The registered claims every token has, with the kind-specific part in `nats`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Claims<T> {
    /// Audience.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub aud: String,
    /// Expiry, Unix seconds; 0 never expires.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub exp: i64,
    /// Token id: a hash of the claims.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub jti: String,
    /// Issued at, Unix seconds.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub iat: i64,
    /// The public nkey that signed the token.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub iss: String,
    /// A human-readable name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Not valid before, Unix seconds; 0 means at once.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub nbf: i64,
    /// The public nkey the token is about.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sub: String,
    /// The kind-specific claims.
    #[serde(default)]
    pub nats: T,
}

/// The fields every kind-specific part carries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generic {
    /// Tags (lower-case).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// `operator`, `account`, `user`, ...
    #[serde(default, rename = "type", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// Claim format version; 2 for tokens this module reads.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub version: i64,
}

/// Just enough of any token's claims to tell which kind and version it is: v1 tokens
/// carry `type` at the top level, v2 tokens inside `nats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Identifier {
    /// The v1 top-level kind.
    #[serde(default, rename = "type")]
    pub kind: String,
    /// The v2 kind and version.
    #[serde(default)]
    pub nats: Generic,
}

/// An operator's claims (`nats` of an operator token).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operator {
    /// Operator keys that may sign account tokens besides the operator's own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signing_keys: Vec<String>,
    /// Where account tokens can be fetched (`nsc push`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub account_server_url: String,
    /// URLs of servers of this operator.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operator_service_urls: Vec<String>,
    /// The system account's public key.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub system_account: String,
    /// The least server version this operator supports (`major.minor.update`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub assert_server_version: String,
    /// Whether only the signing keys, not the operator key itself, may sign accounts.
    #[serde(default, skip_serializing_if = "is_false")]
    pub strict_signing_key_usage: bool,
    /// Kind, version, tags.
    #[serde(flatten)]
    pub generic: Generic,
}

/// Allow and deny lists of one direction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permission {
    /// Subjects allowed (subscribe entries may carry a queue after a blank).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<String>,
    /// Subjects denied.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deny: Vec<String>,
}

/// Permission to answer requests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponsePermission {
    /// Responses per request.
    #[serde(default)]
    pub max: i64,
    /// How long a response may follow the request, Go nanoseconds.
    #[serde(default)]
    pub ttl: i64,
}

/// Publish, subscribe and response permissions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permissions {
    /// Publish lists.
    #[serde(default, rename = "pub")]
    pub publish: Permission,
    /// Subscribe lists.
    #[serde(default, rename = "sub")]
    pub subscribe: Permission,
    /// Response permission.
    #[serde(default, rename = "resp", skip_serializing_if = "Option::is_none")]
    pub response: Option<ResponsePermission>,
}

/// `src`: a list of CIDRs, or one comma-separated string of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CidrList {
    /// `["10.0.0.0/8", ...]`.
    List(Vec<String>),
    /// `"10.0.0.0/8,192.168.0.0/16"`.
    Joined(String),
}

/// A daily time window (`HH:MM:SS`, both ends).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeRange {
    /// Start of the window.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub start: String,
    /// End of the window.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub end: String,
}

/// What a user may do and from where: the part of a user's claims a scoped signing key's
/// template replaces (Go's `UserPermissionLimits`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPermissionLimits {
    /// Permissions; all empty means the account's default permissions apply.
    #[serde(flatten)]
    pub permissions: Permissions,
    /// Source networks the user may connect from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub src: Option<CidrList>,
    /// Times of day the user may connect.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub times: Vec<TimeRange>,
    /// IANA zone of `times` (server local time when empty).
    #[serde(
        default,
        rename = "times_location",
        skip_serializing_if = "String::is_empty"
    )]
    pub locale: String,
    /// Most subscriptions at once; -1 unlimited.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub subs: i64,
    /// Most bytes; -1 unlimited.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub data: i64,
    /// Largest message payload; -1 unlimited.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub payload: i64,
    /// The token alone authenticates: no nonce signature is asked for.
    #[serde(default, skip_serializing_if = "is_false")]
    pub bearer_token: bool,
    /// The user may only connect through a trusted proxy.
    #[serde(default, skip_serializing_if = "is_false")]
    pub proxy_required: bool,
    /// Kinds of connection allowed; empty allows all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_connection_types: Vec<String>,
}

/// A user's claims (`nats` of a user token).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Permissions and limits.
    #[serde(flatten)]
    pub limits: UserPermissionLimits,
    /// The account, when the token was signed by one of its signing keys.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub issuer_account: String,
    /// Kind, version, tags.
    #[serde(flatten)]
    pub generic: Generic,
}

impl User {
    /// Whether the token sets no permissions or limits at all, as tokens issued by a
    /// scoped signing key must.
    pub fn is_unrestricted(&self) -> bool {
        self.limits == UserPermissionLimits::default()
    }
}

/// A signing key with a role: users it signs get the template, whatever they claim.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserScope {
    /// `user_scope`.
    #[serde(default)]
    pub kind: String,
    /// The signing key.
    #[serde(default)]
    pub key: String,
    /// A role name.
    #[serde(default)]
    pub role: String,
    /// What users signed by the key may do.
    #[serde(default)]
    pub template: UserPermissionLimits,
    /// Free text.
    #[serde(default)]
    pub description: String,
}

/// One entry of an account's `signing_keys`: a plain key or a scoped one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SigningKey {
    /// A key whose users keep their own permissions.
    Key(String),
    /// A key whose users get the scope's template.
    Scoped(Box<UserScope>),
}

impl SigningKey {
    /// The public key.
    pub fn key(&self) -> &str {
        match self {
            Self::Key(k) => k,
            Self::Scoped(s) => &s.key,
        }
    }
}

/// JetStream limits of an account (one tier).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JetStreamLimits {
    /// Memory storage bytes; 0 disables.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub mem_storage: i64,
    /// File storage bytes; 0 disables.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub disk_storage: i64,
    /// Most streams.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub streams: i64,
    /// Most consumers.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub consumer: i64,
    /// Most unacknowledged messages per consumer.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub max_ack_pending: i64,
    /// Largest memory stream.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub mem_max_stream_bytes: i64,
    /// Largest file stream.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub disk_max_stream_bytes: i64,
    /// Streams must set `max_bytes`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub max_bytes_required: bool,
}

/// The limits an operator puts on an account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLimits {
    /// Most subscriptions per connection of the account.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub subs: i64,
    /// Most bytes.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub data: i64,
    /// Largest payload.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub payload: i64,
    /// Most imports.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub imports: i64,
    /// Most exports.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub exports: i64,
    /// Whether exports may contain wildcards.
    #[serde(default, skip_serializing_if = "is_false")]
    pub wildcards: bool,
    /// Whether users may not be bearer tokens.
    #[serde(default, skip_serializing_if = "is_false")]
    pub disallow_bearer: bool,
    /// Most client connections at once; -1 unlimited.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub conn: i64,
    /// Most leaf node connections.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub leaf: i64,
    /// JetStream limits without tiers.
    #[serde(flatten)]
    pub jetstream: JetStreamLimits,
    /// JetStream limits per tier (`R1`, `R3`, ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tiered_limits: BTreeMap<String, JetStreamLimits>,
}

/// A subject an account exports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Export {
    /// Name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Subject (may contain wildcards).
    #[serde(default)]
    pub subject: String,
    /// `stream` or `service`.
    #[serde(default, rename = "type")]
    pub kind: String,
    /// Whether importers need an activation token.
    #[serde(default, skip_serializing_if = "is_false")]
    pub token_req: bool,
    /// Revoked activations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub revocations: BTreeMap<String, i64>,
    /// Service response type (`Singleton`, `Stream`, `Chunked`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub response_type: String,
    /// Service response threshold, Go nanoseconds.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub response_threshold: i64,
    /// Which token of the subject must be the importing account.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub account_token_position: u32,
    /// Whether the export is advertised.
    #[serde(default, skip_serializing_if = "is_false")]
    pub advertise: bool,
    /// A traced request stays traced in the exporting account (services).
    #[serde(default, skip_serializing_if = "is_false")]
    pub allow_trace: bool,
    /// Free text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// A subject an account imports from another.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Import {
    /// Name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Subject in the exporting account.
    #[serde(default)]
    pub subject: String,
    /// The exporting account.
    #[serde(default)]
    pub account: String,
    /// Activation token.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub token: String,
    /// Deprecated local prefix.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub to: String,
    /// Subject in the importing account.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub local_subject: String,
    /// `stream` or `service`.
    #[serde(default, rename = "type")]
    pub kind: String,
    /// Whether latency tracking is shared.
    #[serde(default, skip_serializing_if = "is_false")]
    pub share: bool,
    /// A traced message stays traced in the importing account (streams).
    #[serde(default, skip_serializing_if = "is_false")]
    pub allow_trace: bool,
}

/// One destination of a subject mapping.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeightedMapping {
    /// Destination subject.
    #[serde(default)]
    pub subject: String,
    /// Percentage; 0 means 100.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub weight: u8,
    /// Only in this cluster.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cluster: String,
}

/// Auth callout settings of an account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalAuthorization {
    /// Users that bypass the callout.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub auth_users: Vec<String>,
    /// Accounts the callout may place users in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_accounts: Vec<String>,
    /// Curve key for encrypted requests.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub xkey: String,
}

/// An account's claims (`nats` of an account token).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Imports from other accounts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub imports: Vec<Import>,
    /// Exports to other accounts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exports: Vec<Export>,
    /// Limits.
    #[serde(default)]
    pub limits: AccountLimits,
    /// Keys that may sign the account's users besides the account key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signing_keys: Vec<SigningKey>,
    /// Revoked users (`*` for all): user key to Unix seconds; tokens issued at or before
    /// that time are refused.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub revocations: BTreeMap<String, i64>,
    /// Permissions of users whose token sets none.
    #[serde(default)]
    pub default_permissions: Permissions,
    /// Subject mappings.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub mappings: BTreeMap<String, Vec<WeightedMapping>>,
    /// Auth callout.
    #[serde(default)]
    pub authorization: ExternalAuthorization,
    /// Free text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Link to more information.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub info_url: String,
    /// Kind, version, tags.
    #[serde(flatten)]
    pub generic: Generic,
}

/// An activation's claims (`nats` of an activation token): the exporting account lets
/// the importing account (`sub`) import a subject of an export that requires a token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activation {
    /// The subject (or subject space) the importer may import.
    #[serde(default, rename = "subject", skip_serializing_if = "String::is_empty")]
    pub import_subject: String,
    /// `stream` or `service`.
    #[serde(default, rename = "kind", skip_serializing_if = "String::is_empty")]
    pub import_type: String,
    /// The exporting account, when one of its signing keys issued the token.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub issuer_account: String,
    /// Kind, version, tags.
    #[serde(flatten)]
    pub generic: Generic,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_shapes_nsc_writes() -> Result<(), serde_json::Error> {
        let account: Claims<Account> = serde_json::from_str(
            r#"{"iss":"O1","sub":"A1","iat":5,"nats":{"limits":{"subs":-1,"conn":3,"mem_storage":-1},
            "signing_keys":["A2",{"kind":"user_scope","key":"A3","role":"r","template":{"pub":{"allow":["x"]},"subs":-1}}],
            "revocations":{"U1":10,"*":4},"type":"account","version":2,"unknown":true}}"#,
        )?;
        assert_eq!(account.nats.limits.conn, 3);
        assert_eq!(
            account.nats.limits.payload, 0,
            "absent limits read as 0, as in Go"
        );
        assert_eq!(account.nats.limits.jetstream.mem_storage, -1);
        let keys: Vec<&str> = account
            .nats
            .signing_keys
            .iter()
            .map(SigningKey::key)
            .collect();
        assert_eq!(keys, ["A2", "A3"]);
        assert!(
            matches!(account.nats.signing_keys.get(1), Some(SigningKey::Scoped(s)) if s.template.permissions.publish.allow == ["x"])
        );
        assert_eq!(account.nats.revocations.get(REVOKE_ALL), Some(&4));
        assert_eq!(account.nats.generic.version, 2);

        let user: Claims<User> = serde_json::from_str(
            r#"{"sub":"U1","nats":{"pub":{"deny":["a"]},"sub":{},"resp":{"max":2,"ttl":1000000000},
            "src":"10.0.0.0/8,127.0.0.1/32","issuer_account":"A1","type":"user","version":2}}"#,
        )?;
        assert_eq!(user.nats.limits.permissions.publish.deny, ["a"]);
        assert_eq!(
            user.nats.limits.permissions.response.map(|r| r.max),
            Some(2)
        );
        assert!(matches!(&user.nats.limits.src, Some(CidrList::Joined(s)) if s.contains(',')));
        assert!(!user.nats.is_unrestricted());
        Ok(())
    }
}
