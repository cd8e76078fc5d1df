//! The trust chain against tokens made here with real keys.

use base64::Engine as _;
use natrium_api::jwt::{Account, Claims, Operator, SigningKey, User, UserScope, NO_LIMIT};
use nkeys::KeyPair;
use serde::Serialize;

use super::token::{self, TokenError};
use super::trust::{Trust, TrustError};
use crate::options::{OperatorOptions, Resolver};

const NONCE: &[u8] = b"a-nonce-of-the-connection";
const NOW: i64 = 1_700_000_000;
const PEER: std::net::IpAddr = std::net::IpAddr::V4(std::net::Ipv4Addr::new(10, 1, 2, 3));

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Signs `claims` with `signer` as nsc would (issuer set from the key).
pub(super) fn encode<T: Serialize>(mut claims: Claims<T>, signer: &KeyPair) -> String {
    claims.iss = signer.public_key();
    let header = b64(br#"{"typ":"JWT","alg":"ed25519-nkey"}"#);
    let body = b64(&serde_json::to_vec(&claims).unwrap());
    let signed = format!("{header}.{body}");
    let sig = signer.sign(signed.as_bytes()).unwrap();
    format!("{signed}.{}", b64(&sig))
}

fn operator_jwt(op: &KeyPair, edit: impl FnOnce(&mut Operator)) -> String {
    let mut nats = Operator::default();
    nats.generic.kind = "operator".into();
    nats.generic.version = 2;
    edit(&mut nats);
    encode(
        Claims {
            sub: op.public_key(),
            iat: NOW - 100,
            nats,
            ..Claims::default()
        },
        op,
    )
}

fn account_jwt(
    account: &KeyPair,
    signer: &KeyPair,
    edit: impl FnOnce(&mut Claims<Account>),
) -> String {
    let mut claims = Claims {
        sub: account.public_key(),
        iat: NOW - 50,
        nats: Account::default(),
        ..Claims::default()
    };
    claims.nats.generic.kind = "account".into();
    claims.nats.generic.version = 2;
    claims.nats.limits.conn = NO_LIMIT;
    claims.nats.limits.subs = NO_LIMIT;
    claims.nats.limits.payload = NO_LIMIT;
    edit(&mut claims);
    encode(claims, signer)
}

fn user_jwt(user: &KeyPair, signer: &KeyPair, edit: impl FnOnce(&mut Claims<User>)) -> String {
    let mut claims = Claims {
        sub: user.public_key(),
        iat: NOW - 10,
        nats: User::default(),
        ..Claims::default()
    };
    claims.nats.generic.kind = "user".into();
    claims.nats.generic.version = 2;
    claims.nats.limits.subs = NO_LIMIT;
    claims.nats.limits.payload = NO_LIMIT;
    claims.nats.limits.data = NO_LIMIT;
    edit(&mut claims);
    encode(claims, signer)
}

fn sign(user: &KeyPair, nonce: &[u8]) -> String {
    b64(&user.sign(nonce).unwrap())
}

struct Setup {
    operator: KeyPair,
    account: KeyPair,
    trust: Trust,
}

fn setup(edit_account: impl FnOnce(&mut Claims<Account>)) -> Setup {
    let operator = KeyPair::new_operator();
    let account = KeyPair::new_account();
    let opts = OperatorOptions {
        operators: vec![operator_jwt(&operator, |_| {})],
        resolver: Some(Resolver::Memory),
        preload: vec![(
            account.public_key(),
            account_jwt(&account, &operator, edit_account),
        )],
    };
    let trust = Trust::new(&opts).unwrap();
    Setup {
        operator,
        account,
        trust,
    }
}

#[test]
fn a_user_of_a_trusted_account_logs_in_by_signing_the_nonce() {
    let s = setup(|_| {});
    let user = KeyPair::new_user();
    let jwt = user_jwt(&user, &s.account, |_| {});
    let ok = s
        .trust
        .check(&jwt, Some(&sign(&user, NONCE)), NONCE, NOW, PEER)
        .unwrap();
    assert_eq!(ok.user, user.public_key());
    assert_eq!(ok.account, s.account.public_key());
    assert!(ok.rules.is_none());
    assert_eq!(
        (ok.max_payload, ok.max_subs, ok.expires),
        (None, None, None)
    );
    let err = s
        .trust
        .check(&jwt, Some(&sign(&user, b"another nonce")), NONCE, NOW, PEER)
        .unwrap_err();
    assert!(err.reason.contains("signature not verified"), "{err}");
    let other = KeyPair::new_user();
    assert!(s
        .trust
        .check(&jwt, Some(&sign(&other, NONCE)), NONCE, NOW, PEER)
        .is_err());
    assert!(s.trust.check(&jwt, None, NONCE, NOW, PEER).is_err());
    assert!(s.trust.check(&jwt, Some("!!"), NONCE, NOW, PEER).is_err());
}

#[test]
fn tampered_tokens_do_not_verify() {
    let s = setup(|_| {});
    let user = KeyPair::new_user();
    let jwt = user_jwt(&user, &s.account, |_| {});
    let (signed, sig) = jwt.rsplit_once('.').unwrap();
    // Claims granting themselves more, under the original signature.
    let forged_claims = user_jwt(&user, &s.account, |c| c.nats.limits.bearer_token = true);
    let (forged_signed, _) = forged_claims.rsplit_once('.').unwrap();
    let forged = format!("{forged_signed}.{sig}");
    let sig_ok = sign(&user, NONCE);
    assert!(matches!(
        token::decode::<User>(&forged, "user", &[nkeys::KeyPairType::Account]),
        Err(TokenError::Signature(_))
    ));
    assert!(s
        .trust
        .check(&forged, Some(&sig_ok), NONCE, NOW, PEER)
        .is_err());
    let mut bad_sig = b64(&user.sign(b"x").unwrap());
    bad_sig.insert(0, 'A');
    for bad in [
        format!("{signed}.{bad_sig}"),
        format!("{signed}."),
        signed.to_owned(),
        format!("{jwt}.x"),
        String::new(),
        "e30.e30.e30".to_owned(),
    ] {
        assert!(
            s.trust
                .check(&bad, Some(&sig_ok), NONCE, NOW, PEER)
                .is_err(),
            "{bad}"
        );
    }
    // An account token is not a user token.
    let acct = account_jwt(&s.account, &s.operator, |_| {});
    assert!(matches!(
        token::decode::<User>(
            &acct,
            "user",
            &[nkeys::KeyPairType::Account, nkeys::KeyPairType::Operator]
        ),
        Err(TokenError::Kind { .. })
    ));
}

#[test]
fn users_from_unknown_keys_or_accounts_are_refused() {
    let s = setup(|_| {});
    let user = KeyPair::new_user();
    let sig = sign(&user, NONCE);
    let stranger = KeyPair::new_account();
    let jwt = user_jwt(&user, &stranger, |_| {});
    let err = s
        .trust
        .check(&jwt, Some(&sig), NONCE, NOW, PEER)
        .unwrap_err();
    assert!(err.reason.contains("not known"), "{err}");
    // Claiming the known account while signed by a key that is not one of its keys.
    let jwt = user_jwt(&user, &stranger, |c| {
        c.nats.issuer_account = s.account.public_key()
    });
    let err = s
        .trust
        .check(&jwt, Some(&sig), NONCE, NOW, PEER)
        .unwrap_err();
    assert!(err.reason.contains("not a key of account"), "{err}");
    // Signed by the operator directly: not an account key.
    let jwt = user_jwt(&user, &s.operator, |_| {});
    assert!(s.trust.check(&jwt, Some(&sig), NONCE, NOW, PEER).is_err());
}

#[test]
fn expired_and_not_yet_valid_users_are_refused() {
    let s = setup(|_| {});
    let user = KeyPair::new_user();
    let sig = sign(&user, NONCE);
    let expired = user_jwt(&user, &s.account, |c| c.exp = NOW - 1);
    assert!(s
        .trust
        .check(&expired, Some(&sig), NONCE, NOW, PEER)
        .unwrap_err()
        .reason
        .contains("expired"));
    let early = user_jwt(&user, &s.account, |c| c.nbf = NOW + 60);
    assert!(s
        .trust
        .check(&early, Some(&sig), NONCE, NOW, PEER)
        .unwrap_err()
        .reason
        .contains("not yet valid"));
    let expiring = user_jwt(&user, &s.account, |c| c.exp = NOW + 60);
    assert_eq!(
        s.trust
            .check(&expiring, Some(&sig), NONCE, NOW, PEER)
            .unwrap()
            .expires
            .map(|e| (e.at, e.text)),
        Some((NOW + 60, "User Authentication Expired"))
    );
    let s = setup(|a| a.exp = NOW + 30);
    let expiring = user_jwt(&user, &s.account, |c| c.exp = NOW + 60);
    let e = s
        .trust
        .check(&expiring, Some(&sig), NONCE, NOW, PEER)
        .unwrap()
        .expires;
    assert_eq!(
        e.map(|e| (e.at, e.text)),
        Some((NOW + 30, "Account Authentication Expired"))
    );
    let s = setup(|a| a.exp = NOW - 1);
    let jwt = user_jwt(&user, &s.account, |_| {});
    assert!(s
        .trust
        .check(&jwt, Some(&sig), NONCE, NOW, PEER)
        .unwrap_err()
        .reason
        .contains("account"));
}

#[test]
fn revocations_cover_users_issued_at_or_before_their_time() {
    let user = KeyPair::new_user();
    let sig = sign(&user, NONCE);
    let key = user.public_key();
    for (entry, at, refused) in [
        (key.as_str(), NOW - 10, true),
        (key.as_str(), NOW - 11, false),
        ("*", NOW, true),
        ("*", NOW - 20, false),
    ] {
        let s = setup(|a| {
            a.nats.revocations.insert(entry.to_owned(), at);
        });
        let jwt = user_jwt(&user, &s.account, |_| {});
        let r = s.trust.check(&jwt, Some(&sig), NONCE, NOW, PEER);
        assert_eq!(r.is_err(), refused, "{entry} at {at}");
    }
}

#[test]
fn signing_keys_issue_users_for_their_account() {
    let signing = KeyPair::new_account();
    let scoped = KeyPair::new_account();
    let scoped_key = scoped.public_key();
    let s = setup(|a| {
        a.nats
            .signing_keys
            .push(SigningKey::Key(signing.public_key()));
        let mut scope = UserScope {
            kind: "user_scope".into(),
            key: scoped_key,
            ..UserScope::default()
        };
        scope.template.permissions.publish.allow = vec!["scoped.>".into()];
        scope.template.subs = 5;
        scope.template.payload = NO_LIMIT;
        a.nats
            .signing_keys
            .push(SigningKey::Scoped(Box::new(scope)));
    });
    let user = KeyPair::new_user();
    let sig = sign(&user, NONCE);
    let acct = s.account.public_key();
    let jwt = user_jwt(&user, &signing, |c| c.nats.issuer_account = acct.clone());
    assert_eq!(
        s.trust
            .check(&jwt, Some(&sig), NONCE, NOW, PEER)
            .unwrap()
            .account,
        acct
    );
    // Without issuer_account the signing key is looked up as an account: unknown.
    let jwt = user_jwt(&user, &signing, |_| {});
    assert!(s.trust.check(&jwt, Some(&sig), NONCE, NOW, PEER).is_err());

    // A scoped key imposes its template; the user JWT must claim nothing itself.
    let jwt = user_jwt(&user, &scoped, |c| {
        c.nats = User::default();
        c.nats.generic.kind = "user".into();
        c.nats.generic.version = 2;
        c.nats.issuer_account = acct.clone();
    });
    let ok = s.trust.check(&jwt, Some(&sig), NONCE, NOW, PEER).unwrap();
    let rules = ok.rules.unwrap();
    assert!(rules.publish_allowed(b"scoped.x") && !rules.publish_allowed(b"other"));
    assert_eq!(ok.max_subs, Some(5));
    let jwt = user_jwt(&user, &scoped, |c| c.nats.issuer_account = acct.clone());
    let err = s
        .trust
        .check(&jwt, Some(&sig), NONCE, NOW, PEER)
        .unwrap_err();
    assert!(err.reason.contains("scoped"), "{err}");
}

#[test]
fn permissions_limits_and_bearer_tokens_come_from_the_claims() {
    let s = setup(|a| {
        a.nats.limits.payload = 100;
        a.nats.limits.conn = 1;
        a.nats.default_permissions.subscribe.deny = vec!["secret.>".into()];
    });
    let user = KeyPair::new_user();
    let jwt = user_jwt(&user, &s.account, |c| {
        c.nats.limits.permissions.publish.allow = vec!["a.>".into()];
        c.nats.limits.payload = 1000;
        c.nats.limits.subs = 3;
    });
    let ok = s
        .trust
        .check(&jwt, Some(&sign(&user, NONCE)), NONCE, NOW, PEER)
        .unwrap();
    let rules = ok.rules.as_ref().unwrap();
    assert!(rules.publish_allowed(b"a.b") && !rules.publish_allowed(b"b"));
    assert!(
        rules.subscribe_allowed(b"secret.x", None),
        "the user's own permissions replace the defaults"
    );
    assert_eq!((ok.max_payload, ok.max_subs), (Some(100), Some(3)));
    let slot = ok.take_slot().unwrap();
    assert!(ok.take_slot().is_none(), "conn: 1");
    drop(slot);
    assert!(ok.take_slot().is_some());

    // No permissions of its own: the account's defaults apply.
    let plain = user_jwt(&user, &s.account, |_| {});
    let ok = s
        .trust
        .check(&plain, Some(&sign(&user, NONCE)), NONCE, NOW, PEER)
        .unwrap();
    assert!(!ok.rules.unwrap().subscribe_allowed(b"secret.x", None));

    let bearer = user_jwt(&user, &s.account, |c| c.nats.limits.bearer_token = true);
    assert!(
        s.trust.check(&bearer, None, NONCE, NOW, PEER).is_ok(),
        "bearer tokens need no signature"
    );
    let s = setup(|a| a.nats.limits.disallow_bearer = true);
    let bearer = user_jwt(&user, &s.account, |c| c.nats.limits.bearer_token = true);
    assert!(s.trust.check(&bearer, None, NONCE, NOW, PEER).is_err());

    for edit in [
        (|c: &mut Claims<User>| c.nats.limits.allowed_connection_types = vec!["WEBSOCKET".into()])
            as fn(&mut Claims<User>),
        |c| c.nats.limits.allowed_connection_types = vec!["BOGUS".into()],
        |c| {
            c.nats.limits.times = vec![natrium_api::jwt::TimeRange {
                start: "00:00:00".into(),
                end: "23:59:59".into(),
            }]
        },
        |c| c.nats.limits.proxy_required = true,
    ] {
        let jwt = user_jwt(&user, &s.account, edit);
        assert!(s
            .trust
            .check(&jwt, Some(&sign(&user, NONCE)), NONCE, NOW, PEER)
            .is_err());
    }
    let jwt = user_jwt(&user, &s.account, |c| {
        c.nats.limits.allowed_connection_types = vec!["standard".into(), "BOGUS".into()]
    });
    assert!(s
        .trust
        .check(&jwt, Some(&sign(&user, NONCE)), NONCE, NOW, PEER)
        .is_ok());
}

#[test]
fn setup_refuses_accounts_the_operator_did_not_sign() {
    let operator = KeyPair::new_operator();
    let op_signing = KeyPair::new_operator();
    let account = KeyPair::new_account();
    let base = |op: String, preload: Vec<(String, String)>| OperatorOptions {
        operators: vec![op],
        resolver: Some(Resolver::Memory),
        preload,
    };
    let op = operator_jwt(&operator, |o| {
        o.signing_keys = vec![op_signing.public_key()]
    });
    let by_signing_key = account_jwt(&account, &op_signing, |_| {});
    assert!(Trust::new(&base(
        op.clone(),
        vec![(account.public_key(), by_signing_key.clone())]
    ))
    .is_ok());

    let rogue = KeyPair::new_operator();
    let by_rogue = account_jwt(&account, &rogue, |_| {});
    let err = Trust::new(&base(op.clone(), vec![(account.public_key(), by_rogue)])).unwrap_err();
    assert!(
        matches!(&err, TrustError::Account { account: a, .. } if *a == account.public_key()),
        "{err}"
    );
    let self_signed = account_jwt(&account, &account, |_| {});
    assert!(Trust::new(&base(op.clone(), vec![(account.public_key(), self_signed)])).is_err());
    let other = KeyPair::new_account();
    assert!(
        Trust::new(&base(
            op.clone(),
            vec![(other.public_key(), by_signing_key)]
        ))
        .is_err(),
        "key must be the JWT's subject"
    );

    // With strict signing key usage the operator key itself may not sign accounts.
    let strict = operator_jwt(&operator, |o| {
        o.signing_keys = vec![op_signing.public_key()];
        o.strict_signing_key_usage = true;
    });
    let by_operator = account_jwt(&account, &operator, |_| {});
    assert!(Trust::new(&base(strict, vec![(account.public_key(), by_operator)])).is_err());

    let mut no_resolver = base(op.clone(), Vec::new());
    no_resolver.resolver = None;
    assert_eq!(
        Trust::new(&no_resolver).unwrap_err(),
        TrustError::NoResolver
    );
    let with_sys = Trust::new(&base(
        operator_jwt(&operator, |o| o.system_account = account.public_key()),
        Vec::new(),
    ))
    .unwrap();
    let mut opts = crate::Options::default();
    with_sys.settle_options(&mut opts).unwrap();
    assert_eq!(opts.system_account, Some(account.public_key()));
    let names: Vec<&str> = opts.accounts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(
        names,
        [account.public_key()],
        "the registry gets the system account"
    );
    assert!(
        matches!(
            with_sys.settle_options(&mut opts),
            Err(TrustError::Excluded(_))
        ),
        "configured accounts are refused in operator mode"
    );
    let with = |sys: String| crate::Options {
        system_account: Some(sys),
        ..crate::Options::default()
    };
    assert!(matches!(
        with_sys.settle_options(&mut with(KeyPair::new_account().public_key())),
        Err(TrustError::SystemAccount(_))
    ));
    assert!(with_sys.settle_options(&mut with("$SYS".into())).is_err());
    let future = operator_jwt(&operator, |o| o.assert_server_version = "3.0.0".into());
    assert!(Trust::new(&base(future, Vec::new())).is_err());
    let mut bad_op = op.clone();
    bad_op.push('x');
    assert!(matches!(
        Trust::new(&base(bad_op, Vec::new())),
        Err(TrustError::Operator(_))
    ));
}

#[test]
fn decorated_files_yield_their_token() {
    let text =
        "-----BEGIN NATS OPERATOR JWT-----\neyJ0.abc.def\n------END NATS OPERATOR JWT------\n";
    assert_eq!(token::undecorate(text), "eyJ0.abc.def");
    assert_eq!(token::undecorate("  eyJ0.a.b \n"), "eyJ0.a.b");
}

#[test]
fn src_networks_admit_only_addresses_inside_them() {
    use natrium_api::jwt::CidrList;
    let s = setup(|_| {});
    let user = KeyPair::new_user();
    let sig = sign(&user, NONCE);
    let v6: std::net::IpAddr = "2001:db8::7".parse().unwrap();
    let mapped: std::net::IpAddr = "::ffff:10.1.2.3".parse().unwrap();
    for (src, peer, allowed) in [
        (CidrList::List(vec!["10.0.0.0/8".into()]), PEER, true),
        (CidrList::List(vec!["10.0.0.0/8".into()]), mapped, true),
        (CidrList::List(vec!["192.168.0.0/16".into()]), PEER, false),
        (
            CidrList::Joined("192.168.0.0/16, 10.1.2.3/32".into()),
            PEER,
            true,
        ),
        (CidrList::Joined("10.1.2.4/32".into()), PEER, false),
        (CidrList::List(vec!["2001:db8::/32".into()]), v6, true),
        (CidrList::List(vec!["2001:db8::/32".into()]), PEER, false),
        (CidrList::List(vec!["0.0.0.0/0".into()]), PEER, true),
        (CidrList::List(vec!["not a cidr".into()]), PEER, false),
        (CidrList::Joined(String::new()), PEER, true),
    ] {
        let label = format!("{src:?} from {peer}");
        let jwt = user_jwt(&user, &s.account, |c| c.nats.limits.src = Some(src));
        let r = s.trust.check(&jwt, Some(&sig), NONCE, NOW, peer);
        assert_eq!(r.is_ok(), allowed, "{label}");
    }
}

#[test]
fn scoped_templates_are_filled_in_per_user() {
    let scoped = KeyPair::new_account();
    let scoped_key = scoped.public_key();
    let s = setup(|a| {
        let mut scope = UserScope {
            kind: "user_scope".into(),
            key: scoped_key,
            ..UserScope::default()
        };
        scope.template.permissions.publish.allow = vec!["user.{{name()}}.>".into()];
        scope.template.permissions.subscribe.deny = vec!["team.{{tag(team)}}.secret".into()];
        scope.template.subs = NO_LIMIT;
        scope.template.payload = NO_LIMIT;
        a.nats
            .signing_keys
            .push(SigningKey::Scoped(Box::new(scope)));
    });
    let user = KeyPair::new_user();
    let sig = sign(&user, NONCE);
    let acct = s.account.public_key();
    let jwt = |team: Option<&str>| {
        user_jwt(&user, &scoped, |c| {
            c.name = "bob".into();
            c.nats = User::default();
            c.nats.generic.kind = "user".into();
            c.nats.generic.version = 2;
            c.nats.generic.tags = team.map(|t| vec![format!("team:{t}")]).unwrap_or_default();
            c.nats.issuer_account = acct.clone();
        })
    };
    let ok = s
        .trust
        .check(&jwt(Some("red")), Some(&sig), NONCE, NOW, PEER)
        .unwrap();
    let rules = ok.rules.unwrap();
    assert!(rules.publish_allowed(b"user.bob.x") && !rules.publish_allowed(b"user.eve.x"));
    assert!(!rules.subscribe_allowed(b"team.red.secret", None));
    assert!(rules.subscribe_allowed(b"team.blue.secret", None));
    // A deny entry whose tag the user lacks refuses the login.
    let err = s
        .trust
        .check(&jwt(None), Some(&sig), NONCE, NOW, PEER)
        .unwrap_err();
    assert!(err.reason.contains("template"), "{err}");
}
