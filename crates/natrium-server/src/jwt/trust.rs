//! The trust chain of operator mode: trusted operators sign accounts, accounts (or their
//! signing keys) sign users, and a user proves it holds its key by signing the nonce.
//!
//! [`Trust`] is built once at start from [`OperatorOptions`]: the operator JWTs are
//! decoded and their keys become the trusted account issuers; every preloaded account JWT
//! must verify and be signed by one of them, or the start fails naming the account. The
//! accounts are then fixed (the memory resolver): a client's user JWT is checked against
//! them by [`Trust::check`].

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use natrium_api::jwt::{
    Account, CidrList, Claims, Operator, Permissions as JwtPermissions, SigningKey, User,
    UserPermissionLimits, NO_LIMIT, REVOKE_ALL,
};
use nkeys::KeyPairType;

use super::token::{self, TimeError, TokenError};
use crate::options::{
    AccountOptions, OperatorOptions, Options, Permissions, ResponsePermission, SubjectPermission,
    CONNECTION_TYPES,
};
use crate::permissions::Rules;

/// The server version operators' `assert_server_version` is compared with: the
/// nats-server release whose behaviour Natrium matches.
const COMPATIBLE_VERSION: (u64, u64, u64) = (2, 15, 0);

/// Why operator mode cannot start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrustError {
    /// An operator JWT does not decode or verify.
    #[error("operator JWT not valid: {0}")]
    Operator(TokenError),
    /// An operator JWT makes a claim that cannot be honoured.
    #[error("operator {operator}: {reason}")]
    OperatorClaim {
        /// The operator's public key.
        operator: String,
        /// What is wrong.
        reason: String,
    },
    /// Operator mode needs `resolver`.
    #[error("operators require an account resolver to be configured")]
    NoResolver,
    /// A preloaded account cannot be trusted.
    #[error("resolver_preload: account {account}: {reason}")]
    Account {
        /// The account's public key as configured.
        account: String,
        /// What is wrong.
        reason: String,
    },
    /// `system_account` differs from the operator's, or is not an account key.
    #[error("system_account: {0}")]
    SystemAccount(String),
    /// Settings operator mode excludes.
    #[error("{0}")]
    Excluded(&'static str),
}

/// A login refused; `reason` is for the log (it names keys, never tokens or signatures).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct Refused {
    /// Why.
    pub reason: String,
}

fn refuse(reason: impl Into<String>) -> Refused {
    Refused {
        reason: reason.into(),
    }
}

/// One account of the resolver.
#[derive(Debug)]
struct AccountEntry {
    claims: Claims<Account>,
    /// Keys that may sign the account's users: the account key itself (no template) and
    /// its signing keys (with the template a scoped key imposes).
    signers: HashMap<String, Option<UserPermissionLimits>>,
    /// Permissions of users whose JWT sets none.
    default_rules: Option<Arc<Rules>>,
    /// Client connections logged in to the account now.
    connections: Arc<AtomicI64>,
}

/// The trusted operators and the accounts they signed.
#[derive(Debug)]
pub struct Trust {
    /// The first operator's `system_account`.
    operator_system: Option<String>,
    accounts: HashMap<String, AccountEntry>,
}

/// A user the trust chain admitted, with what its connection must enforce.
#[derive(Debug, Clone)]
pub struct JwtUser {
    /// The user's public nkey (the JWT's `sub`).
    pub user: String,
    /// The account's public key: the account's name.
    pub account: String,
    /// The user's permissions; `None` allows everything.
    pub rules: Option<Arc<Rules>>,
    /// Largest payload the user may publish (user and account limits); `None`: no limit
    /// beyond the server's.
    pub max_payload: Option<usize>,
    /// Most subscriptions the connection may hold; `None`: no limit.
    pub max_subs: Option<usize>,
    /// When the user's or the account's JWT expires, whichever comes first.
    pub expires: Option<Expiry>,
    /// The account's connection count and limit, taken by [`JwtUser::take_slot`].
    connections: Arc<AtomicI64>,
    max_connections: i64,
}

/// The moment a logged-in user's credentials run out, and nats-server's `-ERR` text for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expiry {
    /// Unix seconds.
    pub at: i64,
    /// `User Authentication Expired` or `Account Authentication Expired`.
    pub text: &'static str,
}

/// A connection counted against its account's `conn` limit until dropped.
#[derive(Debug)]
pub struct ConnectionSlot(Arc<AtomicI64>);

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl JwtUser {
    /// Counts this connection against the account's `conn` limit; `None` when the
    /// account already has as many connections as it may.
    pub fn take_slot(&self) -> Option<ConnectionSlot> {
        let limit = self.max_connections;
        self.connections
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (limit == NO_LIMIT || n < limit).then_some(n + 1)
            })
            .ok()
            .map(|_| ConnectionSlot(Arc::clone(&self.connections)))
    }
}

fn parse_version(v: &str) -> Option<(u64, u64, u64)> {
    let mut parts = v.split('.').map(str::parse::<u64>);
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(Ok(a)), Some(Ok(b)), Some(Ok(c)), None) => Some((a, b, c)),
        _ => None,
    }
}

fn is_key(key: &str, kind: KeyPairType) -> bool {
    nkeys::KeyPair::from_public_key(key).is_ok_and(|k| k.key_pair_type() == kind)
}

fn subject_permission(p: &natrium_api::jwt::Permission) -> Option<SubjectPermission> {
    (!p.allow.is_empty() || !p.deny.is_empty()).then(|| SubjectPermission {
        // An empty allow list in a JWT means "no allow restriction", as nats-server reads it.
        allow: (!p.allow.is_empty()).then(|| p.allow.clone()),
        deny: p.deny.clone(),
    })
}

/// The configuration-file form of JWT permissions (nats-server's
/// `buildPermissionsFromJwt`); `None` when the JWT sets none.
pub fn permissions(p: &JwtPermissions) -> Option<Permissions> {
    let publish = subject_permission(&p.publish);
    let subscribe = subject_permission(&p.subscribe);
    let response = p.response.map(|r| {
        let defaults = ResponsePermission::default();
        ResponsePermission {
            max_msgs: if r.max == 0 { defaults.max_msgs } else { r.max },
            expires: match r.ttl {
                0 => defaults.expires,
                ttl => u64::try_from(ttl).ok().map(Duration::from_nanos),
            },
        }
    });
    (publish.is_some() || subscribe.is_some() || response.is_some()).then_some(Permissions {
        publish,
        subscribe,
        response,
    })
}

fn compile(p: &JwtPermissions) -> Result<Option<Arc<Rules>>, String> {
    permissions(p)
        .map(|p| Rules::new(&p).map(Arc::new))
        .transpose()
}

impl Trust {
    /// Decodes and checks the operators and preloaded accounts of `opts`.
    pub fn new(opts: &OperatorOptions) -> Result<Self, TrustError> {
        let mut trusted = HashSet::new();
        let mut operator_system = None;
        for (i, jwt) in opts.operators.iter().enumerate() {
            let op: Claims<Operator> = token::decode(jwt, "operator", &[KeyPairType::Operator])
                .map_err(TrustError::Operator)?;
            let bad = |reason: String| TrustError::OperatorClaim {
                operator: op.sub.clone(),
                reason,
            };
            if !is_key(&op.sub, KeyPairType::Operator) {
                return Err(bad("subject is not an operator public key".into()));
            }
            if let Some(k) = op
                .nats
                .signing_keys
                .iter()
                .find(|k| !is_key(k, KeyPairType::Operator))
            {
                return Err(bad(format!(
                    "signing key {k:?} is not an operator public key"
                )));
            }
            let asserted = &op.nats.assert_server_version;
            if !asserted.is_empty() {
                let v = parse_version(asserted).ok_or_else(|| {
                    bad(format!(
                        "assert_server_version {asserted:?} is not major.minor.update"
                    ))
                })?;
                if v > COMPATIBLE_VERSION {
                    return Err(bad(format!(
                        "expects server version {asserted}, newer than the nats-server {}.{}.{} Natrium matches",
                        COMPATIBLE_VERSION.0, COMPATIBLE_VERSION.1, COMPATIBLE_VERSION.2
                    )));
                }
            }
            if !op.nats.strict_signing_key_usage {
                trusted.insert(op.sub.clone());
            }
            trusted.extend(op.nats.signing_keys.iter().cloned());
            if i == 0 && !op.nats.system_account.is_empty() {
                operator_system = Some(op.nats.system_account.clone());
            }
            tracing::info!(operator = %op.name, key = %op.sub, signing_keys = op.nats.signing_keys.len(), system_account = %op.nats.system_account, "trusted operator");
        }
        if opts.resolver.is_none() {
            return Err(TrustError::NoResolver);
        }
        let mut accounts = HashMap::new();
        for (name, jwt) in &opts.preload {
            let entry =
                Self::account(name, jwt, &trusted).map_err(|reason| TrustError::Account {
                    account: name.clone(),
                    reason,
                })?;
            tracing::info!(account = %entry.claims.name, key = %name, "account preloaded");
            accounts.insert(name.clone(), entry);
        }
        Ok(Self {
            operator_system,
            accounts,
        })
    }

    /// Checks the rest of `opts` against operator mode, settles the system account
    /// (`system_account` if configured, which must then equal the operator's if the
    /// operator names one, else the operator's) and sets `opts.accounts` from the
    /// preloaded JWTs. Accounts come only from JWTs, so configured ones are refused, as
    /// nats-server does.
    pub fn settle_options(&self, opts: &mut Options) -> Result<(), TrustError> {
        if !opts.accounts.is_empty() {
            return Err(TrustError::Excluded(
                "operators do not allow Accounts to be configured directly",
            ));
        }
        let system = match (&opts.system_account, &self.operator_system) {
            (Some(configured), Some(op)) if configured != op => {
                return Err(TrustError::SystemAccount(
                    "system_account in config and operator JWT must be identical".into(),
                ))
            }
            (Some(configured), _) => Some(configured.clone()),
            (None, op) if !opts.no_system_account => op.clone(),
            (None, _) => None,
        };
        if let Some(sys) = &system {
            if !is_key(sys, KeyPairType::Account) {
                return Err(TrustError::SystemAccount(format!(
                    "{sys:?} is not an account public key"
                )));
            }
        }
        let claims: Vec<&Claims<Account>> = self.accounts.values().map(|e| &e.claims).collect();
        let mut accounts = super::links::account_options(&claims);
        if let Some(sys) = system
            .as_ref()
            .filter(|s| !accounts.iter().any(|a| &a.name == *s))
        {
            // The registry needs the system account even when no JWT for it is preloaded
            // (then none of its users can log in).
            accounts.push(AccountOptions {
                name: sys.clone(),
                ..AccountOptions::default()
            });
        }
        opts.accounts = accounts;
        opts.system_account = system;
        Ok(())
    }

    fn account(name: &str, jwt: &str, trusted: &HashSet<String>) -> Result<AccountEntry, String> {
        if !is_key(name, KeyPairType::Account) {
            return Err("not an account public key".into());
        }
        let claims: Claims<Account> = token::decode(
            jwt,
            "account",
            &[KeyPairType::Operator, KeyPairType::Account],
        )
        .map_err(|e| format!("invalid account JWT: {e}"))?;
        if claims.sub != name {
            return Err(format!("the JWT is for account {:?}", claims.sub));
        }
        if !trusted.contains(&claims.iss) {
            return Err(format!(
                "issuer {:?} is not a trusted operator or operator signing key",
                claims.iss
            ));
        }
        if let Err(e) = token::check_times(&claims, token::unix_now()) {
            tracing::warn!(account = %name, "account JWT is {e}: its users cannot log in");
        }
        let nats = &claims.nats;
        if !nats.mappings.is_empty() {
            tracing::warn!(account = %name, "account JWT mappings are not supported yet and are ignored");
        }
        let mut signers = HashMap::from([(name.to_owned(), None)]);
        for key in &nats.signing_keys {
            if !is_key(key.key(), KeyPairType::Account) {
                return Err(format!(
                    "signing key {:?} is not an account public key",
                    key.key()
                ));
            }
            let template = match key {
                SigningKey::Key(_) => None,
                SigningKey::Scoped(scope) => {
                    if scope.kind != "user_scope" {
                        return Err(format!("unknown signing key scope {:?}", scope.kind));
                    }
                    Some(scope.template.clone())
                }
            };
            signers.insert(key.key().to_owned(), template);
        }
        let default_rules = compile(&nats.default_permissions)
            .map_err(|e| format!("invalid default permissions: {e}"))?;
        Ok(AccountEntry {
            claims,
            signers,
            default_rules,
            connections: Arc::new(AtomicI64::new(0)),
        })
    }

    /// Checks a client's user JWT and nonce signature at `now` (Unix seconds), for a
    /// client connecting from `peer`.
    pub fn check(
        &self,
        jwt: &str,
        sig: Option<&str>,
        nonce: &[u8],
        now: i64,
        peer: IpAddr,
    ) -> Result<JwtUser, Refused> {
        let user: Claims<User> = token::decode(jwt, "user", &[KeyPairType::Account])
            .map_err(|e| refuse(format!("user JWT not valid: {e}")))?;
        let who = |reason: &str| refuse(format!("user {:?}: {reason}", user.sub));
        if !is_key(&user.sub, KeyPairType::User) {
            return Err(who("subject is not a user public key"));
        }
        token::check_times(&user, now).map_err(|e| who(&format!("user JWT {e}")))?;
        let u = &user.nats;
        let account_key = if u.issuer_account.is_empty() {
            &user.iss
        } else {
            &u.issuer_account
        };
        let account = self
            .accounts
            .get(account_key)
            .ok_or_else(|| who(&format!("account {account_key:?} is not known")))?;
        let scope = account.signers.get(&user.iss).ok_or_else(|| {
            who(&format!(
                "issuer {:?} is not a key of account {account_key}",
                user.iss
            ))
        })?;
        match token::check_times(&account.claims, now) {
            Err(TimeError::Expired) => {
                return Err(who(&format!("account {account_key} JWT has expired")))
            }
            Err(TimeError::NotYetValid) => {
                return Err(who(&format!("account {account_key} JWT is not yet valid")))
            }
            Ok(()) => {}
        }
        let limits = &account.claims.nats.limits;
        // A scoped signing key's template replaces whatever the user JWT would claim; the
        // user JWT must then claim nothing (nats-io/jwt `ValidateScopedSigner`).
        let expanded;
        let grant: &UserPermissionLimits = match scope {
            Some(template) => {
                if !u.is_unrestricted() {
                    return Err(who("scoped users require no permissions or limits set"));
                }
                let ctx = super::template::Context {
                    name: &user.name,
                    subject: &user.sub,
                    account_name: &account.claims.name,
                    account_subject: &u.issuer_account,
                    tags: &u.generic.tags,
                    account_tags: &account.claims.nats.generic.tags,
                };
                let permissions = super::template::expand(&template.permissions, &ctx)
                    .map_err(|e| who(&format!("permission template: {e}")))?;
                expanded = UserPermissionLimits {
                    permissions,
                    ..template.clone()
                };
                &expanded
            }
            None => &u.limits,
        };
        if grant.bearer_token && limits.disallow_bearer {
            return Err(who("account does not allow bearer tokens"));
        }
        if grant.proxy_required {
            return Err(who("requires a trusted proxy, and none is configured"));
        }
        if !connection_type_allowed(&grant.allowed_connection_types) {
            return Err(who("connection type not allowed"));
        }
        if !source_allowed(grant.src.as_ref(), peer) {
            return Err(who(&format!("source address {peer} not allowed")));
        }
        // Fail closed on a restriction Natrium cannot check yet.
        if !grant.times.is_empty() {
            return Err(who("connect time restrictions are not supported"));
        }
        if !grant.bearer_token {
            verify_nonce(&user.sub, sig, nonce).map_err(who)?;
        }
        if revoked(&account.claims.nats.revocations, &user.sub, user.iat) {
            return Err(who("user authentication revoked"));
        }
        let rules = match compile(&grant.permissions)
            .map_err(|e| who(&format!("invalid permissions: {e}")))?
        {
            Some(rules) => Some(rules),
            None => account.default_rules.clone(),
        };
        let expires = [
            (user.exp, "User Authentication Expired"),
            (account.claims.exp, "Account Authentication Expired"),
        ]
        .into_iter()
        .filter(|&(at, _)| at > 0)
        .min_by_key(|&(at, _)| at)
        .map(|(at, text)| Expiry { at, text });
        Ok(JwtUser {
            user: user.sub.clone(),
            account: account.claims.sub.clone(),
            rules,
            max_payload: min_limit(grant.payload, limits.payload),
            max_subs: min_limit(grant.subs, limits.subs),
            expires,
            connections: Arc::clone(&account.connections),
            max_connections: if limits.conn < 0 {
                NO_LIMIT
            } else {
                limits.conn
            },
        })
    }
}

/// The smaller of two nats limits (-1, or any negative value, is none), as a size.
fn min_limit(a: i64, b: i64) -> Option<usize> {
    [a, b]
        .into_iter()
        .filter(|&v| v >= 0)
        .min()
        .map(|v| usize::try_from(v).unwrap_or(usize::MAX))
}

/// Natrium serves only plain client connections: `STANDARD` must be allowed. Unknown
/// kinds are skipped, but a list of only unknown kinds allows nothing (nats-server's
/// rule: the issuer meant to restrict).
fn connection_type_allowed(types: &[String]) -> bool {
    types.is_empty()
        || types
            .iter()
            .map(|t| t.to_ascii_uppercase())
            .filter(|t| CONNECTION_TYPES.contains(&t.as_str()))
            .any(|t| t == "STANDARD")
}

/// Whether `peer` is inside one of the `src` networks (no list allows every address; an
/// entry that is not a CIDR matches nothing, as nats-server reads it).
fn source_allowed(src: Option<&CidrList>, peer: IpAddr) -> bool {
    let entries: Vec<&str> = match src {
        None => return true,
        Some(CidrList::List(list)) => list.iter().map(String::as_str).collect(),
        Some(CidrList::Joined(joined)) => joined.split(',').collect(),
    };
    let entries: Vec<&str> = entries
        .into_iter()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect();
    entries.is_empty() || entries.iter().any(|cidr| cidr_contains(cidr, peer))
}

fn cidr_contains(cidr: &str, ip: IpAddr) -> bool {
    let Some((net, bits)) = cidr.split_once('/') else {
        return false;
    };
    let (Ok(net), Ok(bits)) = (net.parse::<IpAddr>(), bits.parse::<u32>()) else {
        return false;
    };
    match (net, ip.to_canonical()) {
        (IpAddr::V4(net), IpAddr::V4(ip)) if bits <= 32 => {
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(net) & mask == u32::from(ip) & mask
        }
        (IpAddr::V6(net), IpAddr::V6(ip)) if bits <= 128 => {
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(net) & mask == u128::from(ip) & mask
        }
        _ => false,
    }
}

/// The CONNECT signature must be the nonce signed by the user's key (base64url, or
/// standard base64 as nats-server also accepts).
fn verify_nonce(user: &str, sig: Option<&str>, nonce: &[u8]) -> Result<(), &'static str> {
    let sig = sig.filter(|s| !s.is_empty()).ok_or("signature missing")?;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(sig)
        .or_else(|_| base64::engine::general_purpose::STANDARD.decode(sig))
        .map_err(|_| "signature not valid base64")?;
    let key = nkeys::KeyPair::from_public_key(user).map_err(|_| "user nkey not valid")?;
    key.verify(nonce, &raw)
        .map_err(|_| "signature not verified")
}

/// A user is revoked when its key, or `*`, was revoked at or after the time its JWT was
/// issued.
fn revoked(revocations: &std::collections::BTreeMap<String, i64>, user: &str, issued: i64) -> bool {
    [user, REVOKE_ALL]
        .iter()
        .any(|k| revocations.get(*k).is_some_and(|&at| at >= issued))
}
