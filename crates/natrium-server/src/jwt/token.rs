//! Decoding a NATS JWT and checking its signature.
//!
//! No JWT crate speaks nats' `ed25519-nkey` algorithm, and the format is small: three
//! base64url parts without padding, `header.claims.signature`, where the signature is the
//! issuer's Ed25519 signature of the ASCII text `header.claims` and the issuer is the
//! claims' `iss`, a public nkey. A token is only returned once that signature verifies
//! and the issuer is of a kind allowed to sign this kind of claims.

use base64::Engine as _;
use natrium_api::jwt::{Claims, Header, Identifier, ALGORITHM, TOKEN_TYPE};
use nkeys::KeyPairType;
use serde::de::DeserializeOwned;

/// The largest token accepted, as in nats-io/jwt.
pub const MAX_TOKEN_SIZE: usize = 1024 * 1024;

/// Why a token was refused. The texts never include the token or its signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Larger than [`MAX_TOKEN_SIZE`].
    #[error("token larger than {MAX_TOKEN_SIZE} bytes")]
    TooLarge,
    /// Not three dot-separated parts of base64url JSON.
    #[error("malformed token: {0}")]
    Malformed(&'static str),
    /// A header other than `JWT` / `ed25519-nkey`.
    #[error("unsupported token type or algorithm")]
    Algorithm,
    /// Not the expected kind of claims, or a claims version other than 2.
    #[error("expected {expected} claims (version 2), got {got:?} version {version}")]
    Kind {
        /// What was asked for.
        expected: &'static str,
        /// What the token says.
        got: String,
        /// Its version.
        version: i64,
    },
    /// `iss` is not a public key of a kind that may sign these claims.
    #[error("issuer {0:?} may not sign these claims")]
    Issuer(String),
    /// The signature does not verify with the issuer's key.
    #[error("signature does not verify with issuer {0:?}")]
    Signature(String),
}

fn b64(part: &str, what: &'static str) -> Result<Vec<u8>, TokenError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| TokenError::Malformed(what))
}

/// Decodes `token` as claims of `kind` (`operator`, `account`, `user`), checking the
/// header, the claims kind and version, that `iss` is a public key of one of `issuers`,
/// and the signature. Times (`exp`, `nbf`) are not checked here: see [`check_times`].
pub fn decode<T: DeserializeOwned + Default>(
    token: &str,
    kind: &'static str,
    issuers: &[KeyPairType],
) -> Result<Claims<T>, TokenError> {
    if token.len() > MAX_TOKEN_SIZE {
        return Err(TokenError::TooLarge);
    }
    let mut parts = token.split('.');
    let (Some(header), Some(claims), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Malformed("expected 3 parts"));
    };
    let header: Header = serde_json::from_slice(&b64(header, "header is not base64url")?)
        .map_err(|_| TokenError::Malformed("header is not JSON"))?;
    if !header.typ.eq_ignore_ascii_case(TOKEN_TYPE) || !header.alg.eq_ignore_ascii_case(ALGORITHM) {
        return Err(TokenError::Algorithm);
    }
    let json = b64(claims, "claims are not base64url")?;
    let id: Identifier =
        serde_json::from_slice(&json).map_err(|_| TokenError::Malformed("claims are not JSON"))?;
    // Version 1 tokens name their kind at the top level and sign only the claims part;
    // nats tooling has written version 2 since 2020.
    if !id.kind.is_empty() || id.nats.version != 2 || id.nats.kind != kind {
        return Err(TokenError::Kind {
            expected: kind,
            got: if id.kind.is_empty() {
                id.nats.kind
            } else {
                id.kind
            },
            version: if id.nats.version == 0 {
                1
            } else {
                id.nats.version
            },
        });
    }
    let parsed: Claims<T> = serde_json::from_slice(&json)
        .map_err(|_| TokenError::Malformed("claims do not have the expected shape"))?;
    let sig = b64(sig, "signature is not base64url")?;
    let key = nkeys::KeyPair::from_public_key(&parsed.iss)
        .ok()
        .filter(|k| issuers.contains(&k.key_pair_type()))
        .ok_or_else(|| TokenError::Issuer(parsed.iss.clone()))?;
    // The signed text is everything before the last dot: `header.claims`.
    let (signed, _) = token
        .rsplit_once('.')
        .ok_or(TokenError::Malformed("expected 3 parts"))?;
    key.verify(signed.as_bytes(), &sig)
        .map_err(|_| TokenError::Signature(parsed.iss.clone()))?;
    Ok(parsed)
}

/// Why claims are not valid at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// Past `exp`.
    #[error("expired")]
    Expired,
    /// Before `nbf`.
    #[error("not yet valid")]
    NotYetValid,
}

/// Whether claims are valid at `now` (Unix seconds), as nats-io/jwt decides: expired only
/// once `now` is past `exp`, not yet valid while `now` is before `nbf`.
pub fn check_times<T>(claims: &Claims<T>, now: i64) -> Result<(), TimeError> {
    if claims.exp > 0 && now > claims.exp {
        return Err(TimeError::Expired);
    }
    if claims.nbf > 0 && claims.nbf > now {
        return Err(TimeError::NotYetValid);
    }
    Ok(())
}

/// The token inside a "decorated" file (`-----BEGIN NATS OPERATOR JWT-----` ... as `nsc`
/// writes them), or the whole trimmed text when it is not decorated.
pub fn undecorate(text: &str) -> &str {
    let mut lines = text.lines().map(str::trim);
    if !text.contains("-----BEGIN") {
        return text.trim();
    }
    while let Some(line) = lines.next() {
        if line.starts_with("-----BEGIN") && line.contains("JWT") {
            return lines.find(|l| !l.is_empty()).unwrap_or_default();
        }
    }
    ""
}

/// Unix seconds now.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
