//! The `accounts {}` block: account names, the users that bind to each, and the
//! account-level settings Natrium implements.

use natrium_conf::{Value, ValueKind};

use super::{
    array, boolean, integer, invalid, map, permissions, string, unknown, user_entry, ConfigError,
    Entry,
};
use crate::accounts::GLOBAL_ACCOUNT;
use crate::flags::parse_duration;
use crate::options::{
    AccountJetStream, AccountOptions, AuthOptions, Export, Import, LinkKind, NkeyUser, Options,
    User,
};
use natrium_core::ResponseType;

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
        // Routes carry the name as one token of a protocol line.
        if name.is_empty() || name.chars().any(char::is_whitespace) {
            return Err(invalid(at, format!("invalid account name {name:?}")));
        }
        if opts.accounts.iter().any(|a| a.name == name) {
            return Err(invalid(at, format!("Duplicate Account Entry: {name}")));
        }
        opts.accounts.push(AccountOptions {
            name: name.to_owned(),
            ..AccountOptions::default()
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
        let (mut exports, mut imports) = (Vec::new(), Vec::new());
        let mut jetstream = None;
        let mut mappings = Vec::new();
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
                "exports" => {
                    for e in array(v)? {
                        exports.push(export(e)?);
                    }
                }
                "imports" => {
                    for i in array(v)? {
                        imports.push(import(i)?);
                    }
                }
                "jetstream" => jetstream = account_jetstream(v)?,
                "mappings" | "maps" => mappings = crate::config::mappings(v)?,
                "nkey" | "limits" | "msg_trace" | "trace_dest" => {
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
        if let Some(acc) = opts.accounts.last_mut() {
            acc.exports = exports;
            acc.imports = imports;
            acc.jetstream = jetstream;
            acc.mappings = mappings;
        }
    }
    Ok(())
}

/// `{ stream: "subject" }` or `{ service: "subject", response_type: ..., response_threshold: ... }`,
/// each with an optional `accounts: [...]`.
fn export(v: &Value) -> Result<Export, ConfigError> {
    let ValueKind::Map(m) = &v.kind else {
        return Err(invalid(v, "Export Items should be a map with type entry"));
    };
    let mut e = Export::default();
    let (mut kind, mut response_seen, mut trace_seen) = (None, None, None);
    for (key, v) in &m.entries {
        match key.as_str().to_ascii_lowercase().as_str() {
            "stream" | "service" => {
                let k = if key.as_str().eq_ignore_ascii_case("stream") {
                    LinkKind::Stream
                } else {
                    LinkKind::Service
                };
                if kind.is_some_and(|seen| seen != k) {
                    return Err(invalid(v, "Detected a stream and a service in one export"));
                }
                kind = Some(k);
                e.subject = string(v)?;
                if !natrium_subject::is_valid_subject(e.subject.as_bytes()) {
                    return Err(invalid(
                        v,
                        format!("invalid export subject {:?}", e.subject),
                    ));
                }
            }
            "accounts" => {
                e.accounts = Some(array(v)?.iter().map(string).collect::<Result<_, _>>()?);
            }
            "response" | "response_type" => {
                response_seen = Some(v);
                e.response_type = match string(v)?.to_ascii_lowercase().as_str() {
                    "single" | "singleton" => ResponseType::Singleton,
                    "stream" => ResponseType::Stream,
                    "chunk" | "chunked" => ResponseType::Chunked,
                    other => return Err(invalid(v, format!("Unknown response type: {other:?}"))),
                };
            }
            "threshold" | "response_threshold" | "response_max_time" | "response_time" => {
                response_seen = Some(v);
                let text = string(v)?;
                e.response_threshold = Some(parse_duration(&text).ok_or_else(|| {
                    invalid(v, format!("Expected response threshold to be a parseable time duration, got {text:?}"))
                })?);
            }
            "allow_trace" => {
                trace_seen = Some(v);
                e.allow_trace = boolean(v)?;
            }
            "latency" | "account_token_position" | "advertise" => {
                return Err(invalid(
                    v,
                    format!("export {:?} is not supported yet by natrium-server; refusing to start without it", key.as_str()),
                ));
            }
            _ if key.used_as_variable => {}
            _ => return Err(unknown(key, "export")),
        }
    }
    e.kind = kind.ok_or_else(|| invalid(v, "export needs a stream or a service subject"))?;
    if let (LinkKind::Stream, Some(at)) = (e.kind, response_seen) {
        return Err(invalid(at, "Detected response directive on non-service"));
    }
    if let (LinkKind::Stream, Some(at)) = (e.kind, trace_seen) {
        return Err(invalid(at, "Detected allow_trace directive on non-service"));
    }
    Ok(e)
}

/// `{ stream: { account, subject }, prefix | to }` or `{ service: { account, subject }, to }`.
fn import(v: &Value) -> Result<Import, ConfigError> {
    let ValueKind::Map(m) = &v.kind else {
        return Err(invalid(v, "Import Items should be a map with type entry"));
    };
    let mut i = Import::default();
    let (mut kind, mut trace_seen) = (None, None);
    for (key, v) in &m.entries {
        match key.as_str().to_ascii_lowercase().as_str() {
            "stream" | "service" => {
                let k = if key.as_str().eq_ignore_ascii_case("stream") {
                    LinkKind::Stream
                } else {
                    LinkKind::Service
                };
                if kind.is_some() {
                    return Err(invalid(v, "Detected a stream and a service in one import"));
                }
                kind = Some(k);
                for (key, v) in &map(v)?.entries {
                    match key.as_str().to_ascii_lowercase().as_str() {
                        "account" => i.account = string(v)?,
                        "subject" => i.subject = string(v)?,
                        _ if key.used_as_variable => {}
                        _ => return Err(unknown(key, "import")),
                    }
                }
                if i.account.is_empty() || i.subject.is_empty() {
                    return Err(invalid(v, "Expect an account name and a subject"));
                }
            }
            "prefix" => i.prefix = Some(string(v)?),
            "to" => i.to = Some(string(v)?),
            "allow_trace" => {
                trace_seen = Some(v);
                i.allow_trace = boolean(v)?;
            }
            "share" => {
                return Err(invalid(
                    v,
                    format!("import {:?} is not supported yet by natrium-server; refusing to start without it", key.as_str()),
                ));
            }
            _ if key.used_as_variable => {}
            _ => return Err(unknown(key, "import")),
        }
    }
    i.kind = kind.ok_or_else(|| invalid(v, "import needs a stream or a service"))?;
    if let (LinkKind::Service, Some(at)) = (i.kind, trace_seen) {
        return Err(invalid(
            at,
            "Detected allow_trace directive on a non-stream",
        ));
    }
    if i.prefix.is_some() && i.to.is_some() {
        return Err(invalid(
            v,
            "Stream import can not have a 'prefix' and a 'to' property",
        ));
    }
    if i.kind == LinkKind::Service && i.prefix.is_some() {
        return Err(invalid(v, "a service import takes 'to', not 'prefix'"));
    }
    Ok(i)
}

/// An account's `jetstream`: `enabled`/`disabled`, a boolean, or
/// `{ max_mem, max_file, max_streams, max_consumers }`.
fn account_jetstream(v: &Value) -> Result<Option<AccountJetStream>, ConfigError> {
    match &v.kind {
        ValueKind::Bool(_) => Ok(boolean(v)?.then(AccountJetStream::default)),
        ValueKind::String(s) => match s.to_ascii_lowercase().as_str() {
            "enabled" | "enable" => Ok(Some(AccountJetStream::default())),
            "disabled" | "disable" => Ok(None),
            _ => Err(invalid(
                v,
                format!("Expected 'enabled' or 'disabled' for string value, got '{s}'"),
            )),
        },
        ValueKind::Map(m) => {
            let mut js = AccountJetStream::default();
            for (key, v) in &m.entries {
                match key.as_str().to_ascii_lowercase().as_str() {
                    "max_memory" | "max_mem" | "mem" | "memory" => {
                        js.max_memory = Some(integer(v)?)
                    }
                    "max_store" | "max_file" | "max_disk" | "store" | "disk" => {
                        js.max_file = Some(integer(v)?);
                    }
                    "max_streams" | "streams" => js.max_streams = Some(integer(v)?),
                    "max_consumers" | "consumers" => js.max_consumers = Some(integer(v)?),
                    "max_bytes_required"
                    | "max_stream_bytes"
                    | "max_bytes"
                    | "mem_max_stream_bytes"
                    | "memory_max_stream_bytes"
                    | "disk_max_stream_bytes"
                    | "store_max_stream_bytes"
                    | "max_ack_pending"
                    | "cluster_traffic" => {
                        return Err(invalid(
                            v,
                            format!("account jetstream {:?} is not supported yet by natrium-server; refusing to start without it", key.as_str()),
                        ));
                    }
                    _ if key.used_as_variable => {}
                    _ => return Err(unknown(key, "account jetstream")),
                }
            }
            Ok(Some(js))
        }
        _ => Err(invalid(
            v,
            "Expected map, bool or string to define JetStream",
        )),
    }
}
