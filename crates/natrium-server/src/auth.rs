//! Checking a client's CONNECT credentials: a token, a user and password (plain or
//! bcrypt), or an nkey that signs the nonce sent in INFO; and `no_auth_user` for clients
//! that send none. In operator mode only user JWTs are accepted, checked by
//! [`crate::jwt::Trust`].
//!
//! Plain secrets are compared in constant time so a client cannot learn one byte by byte
//! from response timing. A bcrypt comparison costs tens of milliseconds of CPU on
//! purpose, so [`Pending::needs_blocking`] tells the session to run it off the async
//! workers.

use std::collections::HashMap;
use std::sync::Arc;

use base64::Engine as _;
use natrium_proto::ConnectInfo;

use crate::jwt::{JwtUser, Trust, TrustError};
use crate::options::{AuthOptions, Permissions};
use crate::permissions::Rules;
use crate::transport::cert::CertIdentity;

/// The credentials in CONNECT match nothing configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("authorization violation")]
pub struct Denied;

/// Why an authorization setup cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetupError {
    /// A configured nkey is not a user's public key.
    #[error("not a valid public nkey for a user: {0:?}")]
    BadNkey(String),
    /// A bcrypt hash that cannot be read.
    #[error("invalid bcrypt hash for {0}")]
    BadBcrypt(String),
    /// `no_auth_user` names nobody configured.
    #[error("no_auth_user: {0:?} not present as user or nkey in authorization block")]
    UnknownNoAuthUser(String),
    /// Operator mode cannot start (an operator or account JWT is not valid or trusted).
    #[error(transparent)]
    Operator(#[from] TrustError),
    /// Operator mode combined with settings it excludes, or its settings without it.
    #[error("{0}")]
    OperatorMode(&'static str),
    /// A permission subject is not valid.
    #[error("invalid permissions for {who}: {reason}")]
    BadPermissions {
        /// The user or nkey.
        who: String,
        /// What is wrong.
        reason: String,
    },
}

/// Who a client authenticated as.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    /// The user name, for monitoring and logs.
    pub user: Option<String>,
    /// The public nkey, for monitoring and logs.
    pub nkey: Option<String>,
    /// The user's permissions; `None` allows everything.
    pub rules: Option<Arc<Rules>>,
    /// In operator mode: the account and limits from the user's JWT.
    pub jwt: Option<JwtUser>,
    /// The account the connection binds to; `None` is the global account.
    pub account: Option<String>,
}

/// A configured password or token.
#[derive(Debug, Clone)]
enum Secret {
    Plain(String),
    Bcrypt(String),
}

impl Secret {
    fn new(value: &str, what: &str) -> Result<Self, SetupError> {
        if !is_bcrypt(value) {
            return Ok(Self::Plain(value.to_owned()));
        }
        // Reject an unreadable hash at start rather than deny everyone later.
        bcrypt::verify("", value).map_err(|_| SetupError::BadBcrypt(what.to_owned()))?;
        Ok(Self::Bcrypt(value.to_owned()))
    }
}

/// nats-server's rule: `$2a$`, `$2b$`, `$2x$` or `$2y$` and a two-digit cost.
fn is_bcrypt(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() > 7
        && b.starts_with(b"$2")
        && matches!(b.get(2), Some(b'a' | b'b' | b'x' | b'y'))
        && b.get(3) == Some(&b'$')
        && b.get(4).is_some_and(u8::is_ascii_digit)
        && b.get(5).is_some_and(u8::is_ascii_digit)
        && b.get(6) == Some(&b'$')
}

#[derive(Debug)]
struct UserEntry {
    password: Secret,
    rules: Option<Arc<Rules>>,
    /// Whether the user may log in over a plain client connection (the only kind
    /// Natrium serves).
    standard: bool,
    account: Option<String>,
}

#[derive(Debug)]
struct NkeyEntry {
    key: nkeys::KeyPair,
    rules: Option<Arc<Rules>>,
    standard: bool,
    account: Option<String>,
}

/// Whether `allowed_connection_types` admits a plain client connection.
fn standard_allowed(types: &[String]) -> bool {
    types.is_empty() || types.iter().any(|t| t.eq_ignore_ascii_case("STANDARD"))
}

/// The configured credentials in the form CONNECT is checked against.
#[derive(Debug, Default)]
pub struct Authenticator {
    /// What this was built from: INFO and the session read `required` and
    /// `nonce_required` from the authenticator in force, which a reload replaces.
    opts: AuthOptions,
    token: Option<Secret>,
    users: HashMap<String, UserEntry>,
    nkeys: HashMap<String, NkeyEntry>,
    no_auth_user: Option<String>,
    /// Operator mode: the trust chain user JWTs are checked against.
    trust: Option<Trust>,
}

fn compile(who: &str, perms: Option<&Permissions>) -> Result<Option<Arc<Rules>>, SetupError> {
    perms
        .map(|p| {
            Rules::new(p)
                .map(Arc::new)
                .map_err(|reason| SetupError::BadPermissions {
                    who: who.to_owned(),
                    reason,
                })
        })
        .transpose()
}

impl Authenticator {
    /// Checks and prepares `opts`: nkeys parsed, bcrypt hashes read, permissions compiled.
    pub fn new(opts: &AuthOptions) -> Result<Self, SetupError> {
        if opts.operator.enabled() {
            return Self::operator_mode(opts);
        }
        let op = &opts.operator;
        if op.resolver.is_some() || !op.preload.is_empty() {
            return Err(SetupError::OperatorMode(
                "resolver and resolver_preload need operator mode (operator)",
            ));
        }
        let mut auth = Self {
            opts: opts.clone(),
            token: opts
                .token
                .as_deref()
                .map(|t| Secret::new(t, "the token"))
                .transpose()?,
            ..Self::default()
        };
        for u in opts.user.iter().chain(&opts.users) {
            let who = format!("user {:?}", u.username);
            auth.users.insert(
                u.username.clone(),
                UserEntry {
                    password: Secret::new(&u.password, &who)?,
                    rules: compile(&who, u.permissions.as_ref())?,
                    standard: standard_allowed(&u.allowed_connection_types),
                    account: u.account.clone(),
                },
            );
        }
        for n in &opts.nkeys {
            let key = nkeys::KeyPair::from_public_key(&n.nkey)
                .ok()
                .filter(|k| k.key_pair_type() == nkeys::KeyPairType::User)
                .ok_or_else(|| SetupError::BadNkey(n.nkey.clone()))?;
            let rules = compile(&format!("nkey {:?}", n.nkey), n.permissions.as_ref())?;
            let standard = standard_allowed(&n.allowed_connection_types);
            auth.nkeys.insert(
                n.nkey.clone(),
                NkeyEntry {
                    key,
                    rules,
                    standard,
                    account: n.account.clone(),
                },
            );
        }
        if let Some(name) = &opts.no_auth_user {
            if !auth.users.contains_key(name) && !auth.nkeys.contains_key(name) {
                return Err(SetupError::UnknownNoAuthUser(name.clone()));
            }
            auth.no_auth_user = Some(name.clone());
        }
        Ok(auth)
    }

    /// The options this authenticator enforces.
    pub fn options(&self) -> &AuthOptions {
        &self.opts
    }

    /// Operator mode excludes users configured directly, as in nats-server.
    fn operator_mode(opts: &AuthOptions) -> Result<Self, SetupError> {
        if !opts.users.is_empty() || !opts.nkeys.is_empty() || opts.user.is_some() {
            return Err(SetupError::OperatorMode(
                "operators do not allow users to be configured directly",
            ));
        }
        if opts.token.is_some() {
            return Err(SetupError::OperatorMode(
                "operators do not allow an authorization token to be configured",
            ));
        }
        if opts.no_auth_user.is_some() {
            return Err(SetupError::OperatorMode(
                "no_auth_user not compatible with Trusted Operator",
            ));
        }
        Ok(Self {
            opts: opts.clone(),
            trust: Some(Trust::new(&opts.operator)?),
            ..Self::default()
        })
    }

    /// The trust chain, in operator mode.
    pub fn trust(&self) -> Option<&Trust> {
        self.trust.as_ref()
    }

    /// Checks `connect`, whose client (at `peer`) was sent `nonce` in INFO. A bcrypt
    /// comparison, if one is needed, is left in the returned [`Pending`].
    pub fn check(
        &self,
        connect: &ConnectInfo,
        nonce: &[u8],
        peer: std::net::IpAddr,
    ) -> Result<Pending, Denied> {
        if let Some(trust) = &self.trust {
            let Some(jwt) = connect.jwt.as_deref() else {
                tracing::debug!("authentication requires a user JWT");
                return Err(Denied);
            };
            let now = crate::jwt::token::unix_now();
            return match trust.check(jwt, connect.sig.as_deref(), nonce, now, peer) {
                Ok(user) => Ok(Pending::done(Identity {
                    user: None,
                    nkey: Some(user.user.clone()),
                    rules: user.rules.clone(),
                    account: Some(user.account.clone()),
                    jwt: Some(user),
                })),
                Err(refused) => {
                    tracing::info!(reason = %refused, "user JWT refused");
                    Err(Denied)
                }
            };
        }
        if let (Some(nkey), false) = (&connect.nkey, self.nkeys.is_empty()) {
            let entry = self.nkeys.get(nkey).filter(|e| e.standard).ok_or(Denied)?;
            verify_signature(&entry.key, connect.sig.as_deref(), nonce)?;
            return Ok(Pending::done(Identity {
                user: None,
                nkey: Some(nkey.clone()),
                rules: entry.rules.clone(),
                jwt: None,
                account: entry.account.clone(),
            }));
        }
        if let (Some(user), false) = (&connect.user, self.users.is_empty()) {
            let entry = self.users.get(user).filter(|e| e.standard).ok_or(Denied)?;
            let identity = Identity {
                user: Some(user.clone()),
                nkey: None,
                rules: entry.rules.clone(),
                jwt: None,
                account: entry.account.clone(),
            };
            return Pending::compare(&entry.password, connect.pass.as_deref(), identity);
        }
        let no_credentials = connect.user.is_none()
            && connect.pass.is_none()
            && connect.auth_token.is_none()
            && connect.nkey.is_none();
        if let (Some(name), true) = (&self.no_auth_user, no_credentials) {
            return self.no_auth_identity(name).map(Pending::done);
        }
        match &self.token {
            Some(token) => {
                Pending::compare(token, connect.auth_token.as_deref(), Identity::default())
            }
            None => Err(Denied),
        }
    }

    fn no_auth_identity(&self, name: &str) -> Result<Identity, Denied> {
        if let Some(entry) = self.users.get(name) {
            return entry
                .standard
                .then(|| Identity {
                    user: Some(name.to_owned()),
                    nkey: None,
                    rules: entry.rules.clone(),
                    jwt: None,
                    account: entry.account.clone(),
                })
                .ok_or(Denied);
        }
        let entry = self.nkeys.get(name).filter(|e| e.standard).ok_or(Denied)?;
        Ok(Identity {
            user: None,
            nkey: Some(name.to_owned()),
            rules: entry.rules.clone(),
            jwt: None,
            account: entry.account.clone(),
        })
    }
}

/// The signature in CONNECT must be the nonce signed with the nkey's seed, in base64
/// (URL-safe without padding, as clients send it; standard base64 is accepted too, as
/// nats-server does).
fn verify_signature(key: &nkeys::KeyPair, sig: Option<&str>, nonce: &[u8]) -> Result<(), Denied> {
    let sig = sig.ok_or(Denied)?;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(sig)
        .or_else(|_| base64::engine::general_purpose::STANDARD.decode(sig))
        .map_err(|_| Denied)?;
    key.verify(nonce, &raw).map_err(|_| Denied)
}

/// An authentication that has passed every check except, perhaps, a bcrypt comparison.
#[derive(Debug)]
pub struct Pending {
    identity: Identity,
    bcrypt: Option<(String, String)>,
}

impl Pending {
    fn done(identity: Identity) -> Self {
        Self {
            identity,
            bcrypt: None,
        }
    }

    fn compare(expected: &Secret, given: Option<&str>, identity: Identity) -> Result<Self, Denied> {
        let given = given.unwrap_or_default();
        match expected {
            Secret::Plain(p) if secret_eq(given, p) => Ok(Self::done(identity)),
            Secret::Plain(_) => Err(Denied),
            Secret::Bcrypt(hash) => Ok(Self {
                identity,
                bcrypt: Some((hash.clone(), given.to_owned())),
            }),
        }
    }

    /// Whether [`Self::finish`] does slow work (bcrypt) that must not run on an async
    /// worker.
    pub fn needs_blocking(&self) -> bool {
        self.bcrypt.is_some()
    }

    /// Completes the check.
    pub fn finish(self) -> Result<Identity, Denied> {
        match &self.bcrypt {
            None => Ok(self.identity),
            Some((hash, given)) => match bcrypt::verify(given, hash) {
                Ok(true) => Ok(self.identity),
                _ => Err(Denied),
            },
        }
    }
}

/// A fresh nonce for INFO, as nats-server makes it: 11 random bytes in URL-safe base64
/// without padding (15 characters).
pub fn new_nonce() -> String {
    let raw: [u8; 11] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

fn secret_eq(given: &str, expected: &str) -> bool {
    let (a, b) = (given.as_bytes(), expected.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Authenticator {
    /// `verify_and_map`: the user a verified client certificate names, looked up as
    /// nats-server does: the certificate's e-mail addresses, then its DNS names, then its
    /// URIs, each as a user name; then a user whose name is a DN equal to the subject;
    /// then the subject in RFC 2253 form as a user name. No password is checked: the
    /// TLS handshake proved the certificate.
    pub fn check_certificate(&self, cert: &CertIdentity) -> Result<Identity, Denied> {
        let found = cert
            .alt_names()
            .find_map(|name| self.users.get_key_value(name).filter(|(_, e)| e.standard))
            .or_else(|| {
                self.users
                    .iter()
                    .filter(|(_, e)| e.standard)
                    .find(|(name, _)| cert.subject_equals(name))
            })
            .or_else(|| {
                self.users
                    .get_key_value(cert.subject())
                    .filter(|(_, e)| e.standard)
            });
        match found {
            Some((name, entry)) => Ok(Identity {
                user: Some(name.clone()),
                nkey: None,
                rules: entry.rules.clone(),
                account: entry.account.clone(),
                jwt: None,
            }),
            _ => Err(Denied),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::{NkeyUser, User};

    const LOCAL: std::net::IpAddr = std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    fn connect(user: Option<&str>, pass: Option<&str>, token: Option<&str>) -> ConnectInfo {
        ConnectInfo {
            user: user.map(str::to_owned),
            pass: pass.map(str::to_owned),
            auth_token: token.map(str::to_owned),
            ..ConnectInfo::default()
        }
    }

    fn ok(auth: &Authenticator, c: &ConnectInfo) -> bool {
        auth.check(c, b"nonce", LOCAL)
            .and_then(Pending::finish)
            .is_ok()
    }

    fn user(name: &str, password: &str) -> User {
        User {
            username: name.into(),
            password: password.into(),
            permissions: None,
            allowed_connection_types: Vec::new(),
            account: None,
        }
    }

    #[test]
    fn token_must_match_exactly() {
        let auth = Authenticator::new(&AuthOptions {
            token: Some("s3cr3t".into()),
            ..AuthOptions::default()
        })
        .unwrap();
        assert!(ok(&auth, &connect(None, None, Some("s3cr3t"))));
        assert!(!ok(&auth, &connect(None, None, Some("s3cr3"))));
        assert!(!ok(&auth, &connect(None, None, None)));
    }

    #[test]
    fn any_configured_user_may_log_in_with_their_own_password() {
        let auth = Authenticator::new(&AuthOptions {
            users: vec![user("a", "pa"), user("b", "pb")],
            ..AuthOptions::default()
        })
        .unwrap();
        let id = auth
            .check(&connect(Some("b"), Some("pb"), None), b"", LOCAL)
            .and_then(Pending::finish)
            .unwrap();
        assert_eq!(id.user.as_deref(), Some("b"));
        assert!(!ok(&auth, &connect(Some("b"), Some("pa"), None)));
        assert!(!ok(&auth, &connect(Some("c"), Some("pc"), None)));
    }

    #[test]
    fn bcrypt_passwords_are_compared_by_hash() {
        let hash = bcrypt::hash("pw", 4).unwrap();
        let auth = Authenticator::new(&AuthOptions {
            users: vec![user("a", &hash)],
            ..AuthOptions::default()
        })
        .unwrap();
        let pending = auth
            .check(&connect(Some("a"), Some("pw"), None), b"", LOCAL)
            .unwrap();
        assert!(pending.needs_blocking());
        assert!(pending.finish().is_ok());
        assert!(!ok(&auth, &connect(Some("a"), Some(&hash), None)));
        assert!(!ok(&auth, &connect(Some("a"), Some("pW"), None)));
        assert!(is_bcrypt(&hash) && !is_bcrypt("$2a$x") && !is_bcrypt("plain"));
        let bad = Authenticator::new(&AuthOptions {
            token: Some("$2a$10$short".into()),
            ..AuthOptions::default()
        });
        assert!(matches!(bad, Err(SetupError::BadBcrypt(_))));
    }

    #[test]
    fn nkey_users_sign_the_nonce() {
        let kp = nkeys::KeyPair::new_user();
        let auth = Authenticator::new(&AuthOptions {
            nkeys: vec![NkeyUser {
                nkey: kp.public_key(),
                permissions: None,
                allowed_connection_types: Vec::new(),
                account: None,
            }],
            ..AuthOptions::default()
        })
        .unwrap();
        let signed = |nonce: &[u8], sig_of: &[u8]| {
            let sig = kp.sign(sig_of).unwrap();
            let c = ConnectInfo {
                nkey: Some(kp.public_key()),
                sig: Some(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sig)),
                ..ConnectInfo::default()
            };
            auth.check(&c, nonce, LOCAL)
                .and_then(Pending::finish)
                .is_ok()
        };
        assert!(signed(b"abc", b"abc"));
        assert!(!signed(b"abc", b"abd"));
        let mut no_sig = connect(None, None, None);
        no_sig.nkey = Some(kp.public_key());
        assert!(!ok(&auth, &no_sig));
        no_sig.sig = Some("!!not base64!!".into());
        assert!(!ok(&auth, &no_sig));
        no_sig.nkey = Some(nkeys::KeyPair::new_user().public_key());
        assert!(!ok(&auth, &no_sig));
    }

    #[test]
    fn setup_refuses_bad_nkeys_and_unknown_no_auth_user() {
        let account_key = nkeys::KeyPair::new_account().public_key();
        for nkey in [account_key.as_str(), "UABC", ""] {
            let r = Authenticator::new(&AuthOptions {
                nkeys: vec![NkeyUser {
                    nkey: nkey.into(),
                    permissions: None,
                    allowed_connection_types: Vec::new(),
                    account: None,
                }],
                ..AuthOptions::default()
            });
            assert!(matches!(r, Err(SetupError::BadNkey(_))), "{nkey}");
        }
        let r = Authenticator::new(&AuthOptions {
            users: vec![user("a", "p")],
            no_auth_user: Some("b".into()),
            ..AuthOptions::default()
        });
        assert!(matches!(r, Err(SetupError::UnknownNoAuthUser(_))));
    }

    #[test]
    fn users_limited_to_other_connection_kinds_cannot_log_in() {
        let mut ws_only = user("w", "p");
        ws_only.allowed_connection_types = vec!["WEBSOCKET".into()];
        let mut both = user("b", "p");
        both.allowed_connection_types = vec!["WEBSOCKET".into(), "STANDARD".into()];
        let auth = Authenticator::new(&AuthOptions {
            users: vec![ws_only, both],
            ..AuthOptions::default()
        })
        .unwrap();
        assert!(!ok(&auth, &connect(Some("w"), Some("p"), None)));
        assert!(ok(&auth, &connect(Some("b"), Some("p"), None)));
    }

    #[test]
    fn operator_mode_excludes_configured_users_and_needs_an_operator() {
        let operator = crate::options::OperatorOptions {
            operators: vec!["eyJ.not.checked-before-the-mix".into()],
            resolver: Some(crate::options::Resolver::Memory),
            preload: Vec::new(),
        };
        for mixed in [
            AuthOptions {
                users: vec![user("a", "p")],
                ..AuthOptions::default()
            },
            AuthOptions {
                token: Some("t".into()),
                ..AuthOptions::default()
            },
            AuthOptions {
                no_auth_user: Some("a".into()),
                ..AuthOptions::default()
            },
        ] {
            let r = Authenticator::new(&AuthOptions {
                operator: operator.clone(),
                ..mixed
            });
            assert!(matches!(r, Err(SetupError::OperatorMode(_))), "{r:?}");
        }
        let resolver_alone = AuthOptions {
            operator: crate::options::OperatorOptions {
                operators: Vec::new(),
                ..operator
            },
            ..AuthOptions::default()
        };
        assert!(matches!(
            Authenticator::new(&resolver_alone),
            Err(SetupError::OperatorMode(_))
        ));
    }

    #[test]
    fn no_auth_user_logs_in_clients_without_credentials() {
        let auth = Authenticator::new(&AuthOptions {
            users: vec![user("a", "p"), user("guest", "g")],
            no_auth_user: Some("guest".into()),
            ..AuthOptions::default()
        })
        .unwrap();
        let id = auth
            .check(&connect(None, None, None), b"", LOCAL)
            .and_then(Pending::finish)
            .unwrap();
        assert_eq!(id.user.as_deref(), Some("guest"));
        assert!(!ok(&auth, &connect(Some("a"), Some("wrong"), None)));
        assert!(!ok(&auth, &connect(None, None, Some("tok"))));
        assert!(!ok(&auth, &connect(None, Some("g"), None)));
    }
}
