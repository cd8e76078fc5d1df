//! Checking a client's CONNECT credentials against the configured token or users.
//!
//! Comparisons run in constant time so a client cannot learn a secret byte by byte from
//! response timing.

use natrium_proto::ConnectInfo;

use crate::options::AuthOptions;

/// The credentials in CONNECT match nothing configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("authorization violation")]
pub struct Denied;

/// Checks `connect` against `auth`. On success returns the authenticated user name, if
/// authentication was by user.
pub fn check(auth: &AuthOptions, connect: &ConnectInfo) -> Result<Option<String>, Denied> {
    if let Some(token) = &auth.token {
        if connect
            .auth_token
            .as_deref()
            .is_some_and(|given| secret_eq(given, token))
        {
            return Ok(None);
        }
    }
    let (Some(user), Some(pass)) = (connect.user.as_deref(), connect.pass.as_deref()) else {
        return Err(Denied);
    };
    auth.user
        .iter()
        .chain(auth.users.iter())
        .find(|u| u.username == user && secret_eq(pass, &u.password))
        .map(|u| Some(u.username.clone()))
        .ok_or(Denied)
}

fn secret_eq(given: &str, expected: &str) -> bool {
    let (a, b) = (given.as_bytes(), expected.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::User;

    fn connect(user: Option<&str>, pass: Option<&str>, token: Option<&str>) -> ConnectInfo {
        ConnectInfo {
            user: user.map(str::to_owned),
            pass: pass.map(str::to_owned),
            auth_token: token.map(str::to_owned),
            ..ConnectInfo::default()
        }
    }

    #[test]
    fn token_must_match_exactly() {
        let auth = AuthOptions {
            token: Some("s3cr3t".into()),
            ..AuthOptions::default()
        };
        assert_eq!(check(&auth, &connect(None, None, Some("s3cr3t"))), Ok(None));
        assert!(check(&auth, &connect(None, None, Some("s3cr3"))).is_err());
        assert!(check(&auth, &connect(None, None, None)).is_err());
    }

    #[test]
    fn any_configured_user_may_log_in_with_their_own_password() {
        let auth = AuthOptions {
            users: vec![
                User {
                    username: "a".into(),
                    password: "pa".into(),
                },
                User {
                    username: "b".into(),
                    password: "pb".into(),
                },
            ],
            ..AuthOptions::default()
        };
        assert_eq!(
            check(&auth, &connect(Some("b"), Some("pb"), None)),
            Ok(Some("b".into()))
        );
        assert!(check(&auth, &connect(Some("b"), Some("pa"), None)).is_err());
        assert!(check(&auth, &connect(Some("c"), Some("pc"), None)).is_err());
    }
}
