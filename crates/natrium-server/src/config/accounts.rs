//! The `accounts {}` block: account names, the users that bind to each, and the
//! account-level settings Natrium implements.

use natrium_conf::{Value, ValueKind};

use super::{array, invalid, map, permissions, string, unknown, user_entry, ConfigError, Entry};
use crate::accounts::GLOBAL_ACCOUNT;
use crate::options::{AccountOptions, AuthOptions, NkeyUser, Options, User};

/// Users declared inside accounts, kept until the whole file is read.
#[derive(Debug, Default)]
pub(super) struct AccountUsers {
    users: Vec<User>,
    nkeys: Vec<NkeyUser>,
    /// Where the first account user was declared, for errors found at the merge.
    pos: Option<natrium_conf::Pos>,
}

impl AccountUsers {
    /// Adds the account users to `auth`, refusing what nats-server refuses: accounts
    /// with users next to a single user or a token, and one user name or nkey twice.
    pub(super) fn merge_into(self, auth: &mut AuthOptions) -> Result<(), ConfigError> {
        let Some(pos) = self.pos else {
            return Ok(());
        };
        let err = |message: String| ConfigError::Invalid {
            pos: pos.clone(),
            message,
        };
        if auth.user.is_some() {
            return Err(err("Can not have a single user/pass and accounts".into()));
        }
        if auth.token.is_some() {
            return Err(err("Can not have a token and accounts".into()));
        }
        let mut seen: std::collections::HashSet<String> = auth
            .users
            .iter()
            .map(|u| u.username.clone())
            .chain(auth.nkeys.iter().map(|n| n.nkey.clone()))
            .collect();
        for u in self.users {
            if !seen.insert(u.username.clone()) {
                return Err(err(format!("Duplicate user {:?} detected", u.username)));
            }
            auth.users.push(u);
        }
        for n in self.nkeys {
            if !seen.insert(n.nkey.clone()) {
                return Err(err(format!("Duplicate nkey {:?} detected", n.nkey)));
            }
            auth.nkeys.push(n);
        }
        Ok(())
    }
}

/// `accounts: [A, B]` or `accounts { A: { users: [...] }, B: {} }`.
pub(super) fn accounts(
    v: &Value,
    opts: &mut Options,
    users: &mut AccountUsers,
) -> Result<(), ConfigError> {
    let add = |name: &str, at: &Value, opts: &mut Options| {
        if name == GLOBAL_ACCOUNT {
            return Err(invalid(at, format!("{name:?} is a Reserved Account")));
        }
        if opts.accounts.iter().any(|a| a.name == name) {
            return Err(invalid(at, format!("Duplicate Account Entry: {name}")));
        }
        opts.accounts.push(AccountOptions {
            name: name.to_owned(),
        });
        Ok(())
    };
    if let ValueKind::Array(names) = &v.kind {
        for n in names {
            add(&string(n)?, n, opts)?;
        }
        return Ok(());
    }
    for (key, av) in &map(v)?.entries {
        if key.used_as_variable {
            continue;
        }
        let ValueKind::Map(entries) = &av.kind else {
            return Err(invalid(av, "Expected map entries for accounts"));
        };
        let name = key.as_str();
        add(name, av, opts)?;
        let mut default_permissions = None;
        let (mut acc_users, mut acc_nkeys) = (Vec::new(), Vec::new());
        for (k, v) in &entries.entries {
            match k.as_str().to_ascii_lowercase().as_str() {
                "users" => {
                    for u in array(v)? {
                        match user_entry(u)? {
                            Entry::User(u) => acc_users.push(u),
                            Entry::Nkey(n) => acc_nkeys.push(n),
                        }
                    }
                    users.pos.get_or_insert_with(|| v.pos.clone());
                }
                "default_permissions" => default_permissions = Some(permissions(v)?),
                "nkey" | "imports" | "exports" | "jetstream" | "mappings" | "maps" | "limits"
                | "msg_trace" | "trace_dest" => {
                    return Err(invalid(
                        v,
                        format!("account {k:?} is not supported yet by natrium-server; refusing to start without it", k = k.as_str()),
                    ));
                }
                _ if k.used_as_variable => {}
                _ => return Err(unknown(k, "account")),
            }
        }
        for u in &mut acc_users {
            if u.account.as_deref().is_some_and(|a| a != name) {
                return Err(invalid(
                    av,
                    format!(
                        "user {:?} of account {name:?} names another account",
                        u.username
                    ),
                ));
            }
            u.account = Some(name.to_owned());
            if u.permissions.is_none() {
                u.permissions.clone_from(&default_permissions);
            }
        }
        for n in &mut acc_nkeys {
            if n.account.as_deref().is_some_and(|a| a != name) {
                return Err(invalid(
                    av,
                    format!(
                        "nkey {:?} of account {name:?} names another account",
                        n.nkey
                    ),
                ));
            }
            n.account = Some(name.to_owned());
            if n.permissions.is_none() {
                n.permissions.clone_from(&default_permissions);
            }
        }
        users.users.extend(acc_users);
        users.nkeys.extend(acc_nkeys);
    }
    Ok(())
}
