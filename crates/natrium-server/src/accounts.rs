//! The server's accounts: `$G` (the global account clients without an account bind to),
//! the configured ones, the system account, and any a peer or a JWT resolver introduces.
//!
//! Accounts are isolated subject namespaces: each has its own subscription index, so a
//! message published in one reaches only subscribers of the same account (imports and
//! exports, wired in by the account setup, are the only crossings).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use natrium_core::{Account, ClientHandle, InterestListener};
use parking_lot::RwLock;

use crate::options::Options;

/// The server's name for the global account, as in nats-server.
pub const GLOBAL_ACCOUNT: &str = "$G";
/// The system account's default name, as in nats-server.
pub const DEFAULT_SYSTEM_ACCOUNT: &str = "$SYS";

/// Why the account setup cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetupError {
    /// A user names an account that is not configured.
    #[error("user {user:?} names account {account:?}, which is not configured")]
    UnknownUserAccount {
        /// The user name or nkey.
        user: String,
        /// The account it names.
        account: String,
    },
    /// `system_account` names an account that is not configured.
    #[error("system_account: account {0:?} not found")]
    UnknownSystemAccount(String),
}

/// Checks that every account the options refer to is configured.
pub fn check(opts: &Options) -> Result<(), SetupError> {
    let known = |name: &str| {
        name == GLOBAL_ACCOUNT
            || opts.accounts.iter().any(|a| a.name == name)
            || opts.system_account_name().as_deref() == Some(name)
    };
    if let Some(sys) = &opts.system_account {
        if sys != DEFAULT_SYSTEM_ACCOUNT && !opts.accounts.iter().any(|a| &a.name == sys) {
            return Err(SetupError::UnknownSystemAccount(sys.clone()));
        }
    }
    let auth = &opts.auth;
    let users = auth
        .users
        .iter()
        .chain(&auth.user)
        .map(|u| (&u.username, &u.account));
    let nkeys = auth.nkeys.iter().map(|n| (&n.nkey, &n.account));
    for (user, account) in users.chain(nkeys) {
        if let Some(account) = account.as_deref().filter(|a| !known(a)) {
            return Err(SetupError::UnknownUserAccount {
                user: user.clone(),
                account: account.to_owned(),
            });
        }
    }
    Ok(())
}

/// Every account the server knows, by name.
#[derive(Debug)]
pub struct Accounts {
    global: Arc<Account>,
    by_name: RwLock<HashMap<String, Arc<Account>>>,
    system: Option<String>,
    /// Told about every account's local interest (the cluster, when routes are on).
    listener: Option<Arc<dyn InterestListener>>,
    /// Whether an account a peer names but this server does not know is created (as
    /// nats-server does when accounts come from a resolver); with accounts from a
    /// config file a peer cannot introduce one.
    dynamic: AtomicBool,
}

impl Accounts {
    /// The global account plus `configured` ones and the system account `system` (none
    /// with `no_system_account`). `listener` is installed on each of them.
    pub fn new(
        configured: &[String],
        system: Option<String>,
        listener: Option<Arc<dyn InterestListener>>,
    ) -> Self {
        let global = Arc::new(Account::new(GLOBAL_ACCOUNT));
        if let Some(l) = &listener {
            global.set_interest_listener(Arc::clone(l));
        }
        let accounts = Self {
            global: Arc::clone(&global),
            by_name: RwLock::new(HashMap::from([(GLOBAL_ACCOUNT.to_owned(), global)])),
            system,
            listener,
            dynamic: AtomicBool::new(false),
        };
        for name in configured.iter().chain(&accounts.system) {
            accounts.get_or_create(name);
        }
        accounts
    }

    /// The global account (`$G`).
    pub fn global(&self) -> &Arc<Account> {
        &self.global
    }

    /// The account called `name`, if it exists.
    pub fn get(&self, name: &str) -> Option<Arc<Account>> {
        self.by_name.read().get(name).cloned()
    }

    /// The account called `name`, registered now (with the interest listener every
    /// account has) if it did not exist.
    pub fn get_or_create(&self, name: &str) -> Arc<Account> {
        if let Some(acc) = self.get(name) {
            return acc;
        }
        let mut map = self.by_name.write();
        let acc = map.entry(name.to_owned()).or_insert_with(|| {
            let acc = Arc::new(Account::new(name));
            if let Some(l) = &self.listener {
                acc.set_interest_listener(Arc::clone(l));
            }
            acc
        });
        Arc::clone(acc)
    }

    /// The system account, unless disabled.
    pub fn system(&self) -> Option<Arc<Account>> {
        self.system.as_deref().and_then(|name| self.get(name))
    }

    /// The system account's name, unless disabled.
    pub fn system_name(&self) -> Option<&str> {
        self.system.as_deref()
    }

    /// Every account's name, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.by_name.read().keys().cloned().collect();
        names.sort();
        names
    }

    /// Every account, sorted by name.
    pub fn all(&self) -> Vec<Arc<Account>> {
        let mut all: Vec<Arc<Account>> = self.by_name.read().values().cloned().collect();
        all.sort_by(|a, b| a.name().cmp(b.name()));
        all
    }

    /// Lets peers introduce accounts this server does not know (operator mode).
    pub fn set_dynamic(&self, dynamic: bool) {
        self.dynamic.store(dynamic, Ordering::Relaxed);
    }

    /// The account a peer's `RS+`/`RS-`/`RMSG` names: an existing one, or a new one when
    /// accounts are dynamic. Unknown names are otherwise ignored, as nats-server does with
    /// accounts from a config file.
    pub fn for_route(&self, name: &[u8]) -> Option<Arc<Account>> {
        let name = std::str::from_utf8(name).ok()?;
        if let Some(acc) = self.get(name) {
            return Some(acc);
        }
        if self.dynamic.load(Ordering::Relaxed) && !name.is_empty() {
            tracing::debug!(account = name, "creating account a peer named");
            return Some(self.get_or_create(name));
        }
        None
    }

    /// Drops a route's interest in every account.
    pub fn remove_route(&self, route: &ClientHandle) {
        for acc in self.all() {
            acc.remove_client(route);
        }
    }

    /// Live subscriptions across every account.
    pub fn subscription_count(&self) -> usize {
        self.by_name
            .read()
            .values()
            .map(|a| a.subscription_count())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_knows_configured_global_and_system_accounts() {
        let accs = Accounts::new(&["A".into()], Some(DEFAULT_SYSTEM_ACCOUNT.into()), None);
        assert_eq!(accs.names(), ["$G", "$SYS", "A"]);
        assert_eq!(accs.global().name(), "$G");
        assert_eq!(accs.system().unwrap().name(), "$SYS");
        assert!(accs.get("B").is_none());
        let b = accs.get_or_create("B");
        assert!(Arc::ptr_eq(&b, &accs.get("B").unwrap()));
    }

    #[test]
    fn peers_introduce_accounts_only_when_dynamic() {
        let accs = Accounts::new(&[], None, None);
        assert!(accs.system().is_none());
        assert!(accs.for_route(b"X").is_none());
        assert!(accs.for_route(b"$G").is_some());
        accs.set_dynamic(true);
        assert_eq!(accs.for_route(b"X").unwrap().name(), "X");
    }
}
