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

use crate::options::{Export, Import, LinkKind, Options};

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
    /// An import or export names an account that is not configured.
    #[error("account {account:?}: {kind} {what} {subject:?} names account {other:?}, which is not configured")]
    UnknownLinkAccount {
        /// The account with the import or export.
        account: String,
        /// `stream` or `service`.
        kind: &'static str,
        /// `import` or `export`.
        what: &'static str,
        /// Its subject.
        subject: String,
        /// The account it names.
        other: String,
    },
    /// An import of something the other account does not export, or not to this one.
    #[error("account {importer:?} cannot import {kind} {subject:?} from account {exporter:?}: {kind} import not authorized (not exported to {importer:?})")]
    ImportNotAuthorized {
        /// The importing account.
        importer: String,
        /// The account imported from.
        exporter: String,
        /// `stream` or `service`.
        kind: &'static str,
        /// The subject imported.
        subject: String,
    },
    /// An import or export subject or prefix that cannot be used.
    #[error("account {account:?}: {reason}")]
    BadLink {
        /// The account with the import or export.
        account: String,
        /// What is wrong.
        reason: String,
    },
}

fn kind_name(kind: LinkKind) -> &'static str {
    match kind {
        LinkKind::Stream => "stream",
        LinkKind::Service => "service",
    }
}

/// nats-server's `isSubsetMatch`: whether every subject `subject` (wildcards allowed)
/// can stand for is matched by `export`.
fn is_subset_match(subject: &str, export: &str) -> bool {
    let tokens: Vec<&str> = subject.split('.').collect();
    let test: Vec<&str> = export.split('.').collect();
    for (i, t2) in test.iter().enumerate() {
        let Some(t1) = tokens.get(i) else {
            return false;
        };
        if t2.is_empty() {
            return false;
        }
        if *t2 == ">" {
            return true;
        }
        if t1.is_empty() || *t1 == ">" {
            return false;
        }
        if *t1 == "*" {
            if *t2 != "*" {
                return false;
            }
            continue;
        }
        if *t2 != "*" && t1 != t2 {
            return false;
        }
    }
    tokens.len() == test.len()
}

/// The export of `kind` in `exports` that lets `importer` import `subject`, as
/// nats-server picks it: an export of exactly that subject, else one covering it; an
/// export without an accounts list (or with an empty one) is public.
pub fn export_for<'a>(
    exports: &'a [Export],
    kind: LinkKind,
    importer: &str,
    subject: &str,
) -> Option<&'a Export> {
    let of_kind = || exports.iter().filter(move |e| e.kind == kind);
    let found = of_kind()
        .find(|e| e.subject == subject)
        .or_else(|| of_kind().find(|e| is_subset_match(subject, &e.subject)))?;
    let allowed = found
        .accounts
        .as_ref()
        .is_none_or(|list| list.is_empty() || list.iter().any(|a| a == importer));
    allowed.then_some(found)
}

/// The subject an import uses in the importing account.
fn import_local_subject(import: &Import) -> String {
    match (&import.prefix, &import.to) {
        (Some(prefix), _) if prefix.ends_with('.') => format!("{prefix}{}", import.subject),
        (Some(prefix), _) => format!("{prefix}.{}", import.subject),
        (None, Some(to)) => to.clone(),
        (None, None) => import.subject.clone(),
    }
}

/// Checks every import against the exports of the account it names.
fn check_links(opts: &Options) -> Result<(), SetupError> {
    let find = |name: &str| opts.accounts.iter().find(|a| a.name == name);
    for acc in &opts.accounts {
        for e in &acc.exports {
            for other in e.accounts.iter().flatten() {
                if find(other).is_none() {
                    return Err(SetupError::UnknownLinkAccount {
                        account: acc.name.clone(),
                        kind: kind_name(e.kind),
                        what: "export",
                        subject: e.subject.clone(),
                        other: other.clone(),
                    });
                }
            }
        }
        for i in &acc.imports {
            let Some(exporter) = find(&i.account) else {
                return Err(SetupError::UnknownLinkAccount {
                    account: acc.name.clone(),
                    kind: kind_name(i.kind),
                    what: "import",
                    subject: i.subject.clone(),
                    other: i.account.clone(),
                });
            };
            let bad = |reason: String| SetupError::BadLink {
                account: acc.name.clone(),
                reason,
            };
            if !natrium_subject::is_valid_subject(i.subject.as_bytes()) {
                return Err(bad(format!("invalid import subject {:?}", i.subject)));
            }
            if let Some(prefix) = &i.prefix {
                if !natrium_subject::is_literal_subject(prefix.trim_end_matches('.').as_bytes()) {
                    return Err(bad(format!(
                        "stream import prefix {prefix:?} can not contain wildcard tokens"
                    )));
                }
            }
            let local = import_local_subject(i);
            if !natrium_subject::is_valid_subject(local.as_bytes()) {
                return Err(bad(format!("invalid import subject {local:?}")));
            }
            if export_for(&exporter.exports, i.kind, &acc.name, &i.subject).is_none() {
                return Err(SetupError::ImportNotAuthorized {
                    importer: acc.name.clone(),
                    exporter: i.account.clone(),
                    kind: kind_name(i.kind),
                    subject: i.subject.clone(),
                });
            }
        }
    }
    Ok(())
}

/// Wires every configured import into the accounts; returns the accounts that answer
/// imported service requests, whose responses need routing back.
pub fn link(opts: &Options, accounts: &Accounts) -> Result<Vec<Arc<Account>>, SetupError> {
    let mut responders: Vec<Arc<Account>> = Vec::new();
    for acc in &opts.accounts {
        let importer = accounts.get_or_create(&acc.name);
        for i in &acc.imports {
            let bad = |e: natrium_core::LinkError| SetupError::BadLink {
                account: acc.name.clone(),
                reason: e.to_string(),
            };
            let exporter = accounts.get_or_create(&i.account);
            let local = import_local_subject(i);
            match i.kind {
                LinkKind::Stream => exporter
                    .link_stream(
                        &importer,
                        i.subject.as_bytes(),
                        local.as_bytes(),
                        i.allow_trace,
                    )
                    .map_err(bad)?,
                LinkKind::Service => {
                    let export = opts
                        .accounts
                        .iter()
                        .find(|a| a.name == i.account)
                        .and_then(|a| {
                            export_for(&a.exports, LinkKind::Service, &acc.name, &i.subject)
                        });
                    let response = export.map(|e| e.response_type).unwrap_or_default();
                    let threshold = export
                        .and_then(|e| e.response_threshold)
                        .unwrap_or(natrium_core::DEFAULT_RESPONSE_THRESHOLD);
                    importer
                        .link_service(
                            &exporter,
                            local.as_bytes(),
                            i.subject.as_bytes(),
                            response,
                            threshold,
                            export.is_some_and(|e| e.allow_trace),
                        )
                        .map_err(bad)?;
                    if !responders.iter().any(|r| Arc::ptr_eq(r, &exporter)) {
                        responders.push(exporter);
                    }
                }
            }
        }
    }
    Ok(responders)
}

/// Routes the responses published on `exporter`'s response subject back to the
/// importers' reply subjects, until shutdown. The subscription is a real one, so peers
/// send this server the responses to requests it forwarded.
pub fn spawn_response_router(
    shared: &Arc<crate::state::Shared>,
    exporter: Arc<Account>,
) -> Result<(), SetupError> {
    let (tx, mut inbox) = natrium_core::internal_channel();
    let client = Arc::new(ClientHandle::new_internal(shared.next_cid(), tx));
    exporter
        .subscribe(&client, &exporter.response_subject(), None, b"responses")
        .map_err(|e| SetupError::BadLink {
            account: exporter.name().to_owned(),
            reason: e.to_string(),
        })?;
    let mut shutdown = shared.shutdown.subscribe();
    tokio::spawn(async move {
        let mut p = natrium_core::Publisher::new(client.id);
        loop {
            let m = tokio::select! {
                m = inbox.recv() => m,
                _ = shutdown.wait_for(|down| *down) => None,
            };
            let Some(m) = m else { break };
            let Some((importer, reply)) = exporter.take_response(&m.subject) else {
                tracing::trace!(account = exporter.name(), subject = %String::from_utf8_lossy(&m.subject), "response without a live request mapping dropped");
                continue;
            };
            let response = natrium_core::Message {
                subject: &reply,
                reply: m.reply.as_deref(),
                headers: m.headers.as_deref(),
                payload: &m.payload,
            };
            importer.publish(None, &response, &mut p);
            p.wakes.flush();
        }
        exporter.remove_client(&client);
    });
    Ok(())
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
    check_links(opts)
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
