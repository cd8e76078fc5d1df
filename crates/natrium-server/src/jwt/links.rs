//! The preloaded accounts in the form the account registry is set up from: each account
//! JWT becomes an [`AccountOptions`] (its exports, imports and JetStream limits), so
//! operator mode gets the same isolation, links and per-account JetStream as accounts
//! from a config file.
//!
//! Exports that restrict their importers are resolved here, since the registry only knows
//! lists of allowed accounts: an export with `token_req` admits the importers whose import
//! carries a valid activation token (signed by the exporter or one of its signing keys,
//! for that importer, subject and kind, not expired, not revoked by the export); one with
//! `account_token_position` admits an importer only for subjects whose token at that
//! position is the importer's own account. Imports that no export grants are skipped with
//! a warning, as nats-server skips them.

use std::collections::BTreeMap;
use std::time::Duration;

use natrium_api::jwt::{Account, Activation, Claims, JetStreamLimits, REVOKE_ALL};
use nkeys::KeyPairType;

use super::token;
use crate::options::{AccountJetStream, AccountOptions, Export, Import, LinkKind};

fn kind(kind: &str) -> Option<LinkKind> {
    match kind {
        "stream" => Some(LinkKind::Stream),
        "service" => Some(LinkKind::Service),
        _ => None,
    }
}

fn response_type(name: &str) -> natrium_core::ResponseType {
    match name {
        "Stream" => natrium_core::ResponseType::Stream,
        "Chunked" => natrium_core::ResponseType::Chunked,
        _ => natrium_core::ResponseType::Singleton,
    }
}

/// How an export restricts its importers beyond what [`Export`] can say.
#[derive(Debug, Clone, Default)]
struct Restriction {
    token_req: bool,
    /// 1-based token of the import subject that must be the importer's account.
    account_token_position: usize,
    /// Revoked activations: importer account (or `*`) to Unix seconds.
    revocations: BTreeMap<String, i64>,
}

impl Restriction {
    fn restricts(&self) -> bool {
        self.token_req || self.account_token_position > 0
    }
}

fn exports(claims: &Claims<Account>) -> Vec<(Export, Restriction)> {
    let name = &claims.sub;
    claims
        .nats
        .exports
        .iter()
        .filter_map(|e| {
            let Some(kind) = kind(&e.kind) else {
                tracing::warn!(account = %name, subject = %e.subject, "export of unknown type skipped");
                return None;
            };
            let export = Export {
                kind,
                subject: e.subject.clone(),
                accounts: None,
                response_type: response_type(&e.response_type),
                response_threshold: u64::try_from(e.response_threshold)
                    .ok()
                    .filter(|&n| n > 0)
                    .map(Duration::from_nanos),
                allow_trace: e.allow_trace,
            };
            let restriction = Restriction {
                token_req: e.token_req,
                account_token_position: usize::try_from(e.account_token_position)
                    .unwrap_or(usize::MAX),
                revocations: e.revocations.clone(),
            };
            Some((export, restriction))
        })
        .collect()
}

fn imports(claims: &Claims<Account>) -> Vec<(Import, String)> {
    let name = &claims.sub;
    claims
        .nats
        .imports
        .iter()
        .filter_map(|i| {
            let Some(kind) = kind(&i.kind) else {
                tracing::warn!(account = %name, subject = %i.subject, "import of unknown type skipped");
                return None;
            };
            let local = (!i.local_subject.is_empty()).then(|| i.local_subject.clone());
            let to = (!i.to.is_empty()).then(|| i.to.clone());
            // `to` is the deprecated form: a prefix for streams, the local subject for
            // services.
            let (to, prefix) = match kind {
                LinkKind::Stream => (local, if i.local_subject.is_empty() { to } else { None }),
                LinkKind::Service => (local.or(to), None),
            };
            let import = Import {
                kind,
                account: i.account.clone(),
                subject: i.subject.clone(),
                to,
                prefix,
                allow_trace: i.allow_trace,
            };
            Some((import, i.token.clone()))
        })
        .collect()
}

/// Whether `token` lets `importer` import `import` from `exporter` (nats-io/jwt's
/// `Import.Validate` and nats-server's `checkActivation`).
fn activation_valid(
    token: &str,
    exporter: &Claims<Account>,
    importer: &str,
    import: &Import,
    revocations: &BTreeMap<String, i64>,
) -> Result<(), String> {
    let act: Claims<Activation> = token::decode(token, "activation", &[KeyPairType::Account])
        .map_err(|e| format!("activation token not valid: {e}"))?;
    let by_exporter = act.iss == exporter.sub
        || (act.nats.issuer_account == exporter.sub
            && exporter
                .nats
                .signing_keys
                .iter()
                .any(|k| k.key() == act.iss));
    if !by_exporter {
        return Err("activation token not issued by the exporting account".into());
    }
    if act.sub != importer {
        return Err("activation token is for another account".into());
    }
    if kind(&act.nats.import_type) != Some(import.kind) {
        return Err("activation token is for another import type".into());
    }
    token::check_times(&act, token::unix_now()).map_err(|e| format!("activation token {e}"))?;
    if !natrium_subject::subject_is_subset(
        import.subject.as_bytes(),
        act.nats.import_subject.as_bytes(),
    ) {
        return Err("activation token is for another subject".into());
    }
    let revoked = [importer, REVOKE_ALL]
        .iter()
        .any(|k| revocations.get(*k).is_some_and(|&at| at >= act.iat));
    if revoked {
        return Err("activation token revoked".into());
    }
    Ok(())
}

/// Whether `importer` may import `import` (carrying `token`) from `exporter`'s export
/// restricted by `r`.
fn grants(
    r: &Restriction,
    exporter: &Claims<Account>,
    importer: &str,
    import: &Import,
    token: &str,
) -> Result<(), String> {
    if r.account_token_position > 0 {
        let at = import.subject.split('.').nth(r.account_token_position - 1);
        if at != Some(importer) {
            return Err(format!(
                "token {} of the subject must be the importing account",
                r.account_token_position
            ));
        }
    }
    if r.token_req {
        if token.is_empty() {
            return Err("the export requires an activation token".into());
        }
        activation_valid(token, exporter, importer, import, &r.revocations)?;
    }
    Ok(())
}

/// JetStream is on for an account whose JWT grants memory or file storage (untiered, or
/// in any tier: the tiers' largest values apply, as Natrium has one tier).
fn jetstream(claims: &Claims<Account>) -> Option<AccountJetStream> {
    let limits = &claims.nats.limits;
    let tiers = limits.tiered_limits.values();
    let enabled = |l: &JetStreamLimits| l.mem_storage != 0 || l.disk_storage != 0;
    let chosen = if limits.tiered_limits.is_empty() {
        enabled(&limits.jetstream).then_some(limits.jetstream)
    } else {
        tiers
            .filter(|l| enabled(l))
            .copied()
            .reduce(|a, b| JetStreamLimits {
                mem_storage: widest(a.mem_storage, b.mem_storage),
                disk_storage: widest(a.disk_storage, b.disk_storage),
                streams: widest(a.streams, b.streams),
                consumer: widest(a.consumer, b.consumer),
                ..a
            })
    }?;
    // Storage: -1 is unlimited, 0 disabled. Counts: 0 or less is unlimited.
    let storage = |v: i64| (v >= 0).then_some(v);
    let count = |v: i64| (v > 0).then_some(v);
    Some(AccountJetStream {
        max_memory: storage(chosen.mem_storage),
        max_file: storage(chosen.disk_storage),
        max_streams: count(chosen.streams),
        max_consumers: count(chosen.consumer),
    })
}

/// The larger of two limits where a negative value is unlimited.
fn widest(a: i64, b: i64) -> i64 {
    if a < 0 || b < 0 {
        -1
    } else {
        a.max(b)
    }
}

/// The registry's setup of the accounts `claims`: imports no export grants are dropped,
/// restricted exports list exactly the importers they admit (and are dropped when they
/// admit none).
pub fn account_options(claims: &[&Claims<Account>]) -> Vec<AccountOptions> {
    let mut by_name: Vec<&Claims<Account>> = claims.to_vec();
    by_name.sort_by(|a, b| a.sub.cmp(&b.sub));
    let (exports, restrictions): (Vec<Vec<Export>>, Vec<Vec<Restriction>>) = by_name
        .iter()
        .map(|c| exports(c).into_iter().unzip())
        .unzip();
    // Importers each restricted export admits, by (exporter, export) index.
    let mut admitted: BTreeMap<(usize, usize), Vec<String>> = BTreeMap::new();
    let mut accounts = Vec::with_capacity(by_name.len());
    for importer in &by_name {
        let name = &importer.sub;
        let mut kept = Vec::new();
        for (import, token) in imports(importer) {
            let granted = (|| {
                let x = by_name
                    .iter()
                    .position(|c| c.sub == import.account)
                    .ok_or("no such account")?;
                let list = exports.get(x).ok_or("no such account")?;
                let found = crate::accounts::export_for(list, import.kind, name, &import.subject)
                    .and_then(|e| list.iter().position(|p| std::ptr::eq(p, e)))
                    .ok_or("no export grants it")?;
                let r = restrictions
                    .get(x)
                    .and_then(|r| r.get(found))
                    .ok_or("no export grants it")?;
                let exporter = by_name.get(x).ok_or("no such account")?;
                grants(r, exporter, name, &import, &token)?;
                Ok::<_, String>(r.restricts().then_some((x, found)))
            })();
            match granted {
                Ok(restricted) => {
                    if let Some(key) = restricted {
                        let list = admitted.entry(key).or_default();
                        if !list.contains(name) {
                            list.push(name.clone());
                        }
                    }
                    kept.push(import);
                }
                Err(reason) => {
                    tracing::warn!(account = %name, exporter = %import.account, subject = %import.subject, %reason, "import skipped");
                }
            }
        }
        accounts.push(AccountOptions {
            name: name.clone(),
            exports: Vec::new(),
            imports: kept,
            jetstream: jetstream(importer),
            mappings: Vec::new(),
        });
    }
    for (x, ((account, list), restrictions)) in accounts
        .iter_mut()
        .zip(exports)
        .zip(restrictions)
        .enumerate()
    {
        account.exports = list
            .into_iter()
            .zip(restrictions)
            .enumerate()
            .filter_map(|(i, (mut export, r))| {
                if r.restricts() {
                    // An empty list would make the export public: drop it instead.
                    export.accounts = Some(admitted.remove(&(x, i))?);
                }
                Some(export)
            })
            .collect();
    }
    accounts
}

#[cfg(test)]
mod tests {
    use natrium_api::jwt::{Export as JwtExport, Import as JwtImport};

    use super::*;

    fn account(name: &str, edit: impl FnOnce(&mut Account)) -> Claims<Account> {
        let mut c = Claims {
            sub: name.to_owned(),
            ..Claims::default()
        };
        edit(&mut c.nats);
        c
    }

    fn activation(
        signer: &nkeys::KeyPair,
        importer: &str,
        subject: &str,
        edit: impl FnOnce(&mut Claims<Activation>),
    ) -> String {
        let mut c: Claims<Activation> = Claims {
            sub: importer.to_owned(),
            iat: token::unix_now() - 10,
            ..Claims::default()
        };
        c.nats.import_subject = subject.to_owned();
        c.nats.import_type = "stream".into();
        c.nats.generic.kind = "activation".into();
        c.nats.generic.version = 2;
        edit(&mut c);
        crate::jwt::tests::encode(c, signer)
    }

    #[test]
    fn imports_map_their_subjects_and_only_granted_ones_are_kept() {
        let a_key = nkeys::KeyPair::new_account();
        let a_signer = nkeys::KeyPair::new_account();
        let (a, b, c) = (a_key.public_key(), "B".to_owned(), "C".to_owned());
        let exporter = account(&a, |acc| {
            acc.signing_keys = vec![natrium_api::jwt::SigningKey::Key(a_signer.public_key())];
            acc.exports = vec![
                JwtExport {
                    subject: "s.>".into(),
                    kind: "stream".into(),
                    ..JwtExport::default()
                },
                JwtExport {
                    subject: "svc".into(),
                    kind: "service".into(),
                    response_type: "Stream".into(),
                    ..JwtExport::default()
                },
                JwtExport {
                    subject: "acc.*".into(),
                    kind: "service".into(),
                    account_token_position: 2,
                    ..JwtExport::default()
                },
                JwtExport {
                    subject: "priv.>".into(),
                    kind: "stream".into(),
                    token_req: true,
                    ..JwtExport::default()
                },
                JwtExport {
                    subject: "nobody.>".into(),
                    kind: "stream".into(),
                    token_req: true,
                    ..JwtExport::default()
                },
            ];
            acc.exports[3]
                .revocations
                .insert("C".into(), token::unix_now());
        });
        let import = |subject: &str, kind: &str, token: String, edit: fn(&mut JwtImport)| {
            let mut i = JwtImport {
                subject: subject.into(),
                account: a.clone(),
                kind: kind.into(),
                token,
                ..JwtImport::default()
            };
            edit(&mut i);
            i
        };
        let by_signer = activation(&a_signer, &b, "priv.x", |c| {
            c.nats.issuer_account = a.clone()
        });
        let importer = account(&b, |acc| {
            acc.imports = vec![
                import("s.>", "stream", String::new(), |i| i.to = "from_a".into()),
                import("s.x", "stream", String::new(), |i| {
                    i.local_subject = "local.x".into()
                }),
                import("svc", "service", String::new(), |i| i.to = "ask".into()),
                import("acc.B", "service", String::new(), |_| {}),
                import("acc.C", "service", String::new(), |_| {}),
                import("nope", "stream", String::new(), |_| {}),
                import(
                    "priv.x",
                    "stream",
                    activation(&a_key, &b, "priv.>", |_| {}),
                    |_| {},
                ),
                import("priv.x", "stream", by_signer, |i| {
                    i.local_subject = "signed.x".into()
                }),
                import(
                    "priv.y",
                    "stream",
                    activation(&a_key, &b, "priv.x", |_| {}),
                    |_| {},
                ),
                import("priv.z", "stream", String::new(), |_| {}),
                import(
                    "priv.w",
                    "stream",
                    activation(&a_key, &b, "priv.w", |c| c.exp = token::unix_now() - 1),
                    |_| {},
                ),
                import(
                    "priv.v",
                    "stream",
                    activation(&nkeys::KeyPair::new_account(), &b, "priv.v", |_| {}),
                    |_| {},
                ),
            ];
        });
        // C holds B's activation, and one of its own the export revoked.
        let thief = account(&c, |acc| {
            acc.imports = vec![
                import(
                    "priv.x",
                    "stream",
                    activation(&a_key, &b, "priv.x", |_| {}),
                    |_| {},
                ),
                import(
                    "priv.u",
                    "stream",
                    activation(&a_key, &c, "priv.u", |c| c.iat = token::unix_now() - 100),
                    |_| {},
                ),
            ];
        });
        let opts = account_options(&[&thief, &exporter, &importer]);
        let find = |n: &str| opts.iter().find(|o| o.name == n).unwrap();
        let subjects: Vec<(&str, Option<Vec<String>>)> = find(&a)
            .exports
            .iter()
            .map(|e| (e.subject.as_str(), e.accounts.clone()))
            .collect();
        assert_eq!(
            subjects,
            [
                ("s.>", None),
                ("svc", None),
                ("acc.*", Some(vec![b.clone()])),
                ("priv.>", Some(vec![b.clone()])),
            ],
            "restricted exports list their importers; one nobody may import is dropped"
        );
        assert_eq!(
            find(&a).exports[1].response_type,
            natrium_core::ResponseType::Stream
        );
        let got: Vec<(&str, Option<&str>, Option<&str>)> = find(&b)
            .imports
            .iter()
            .map(|i| (i.subject.as_str(), i.to.as_deref(), i.prefix.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("s.>", None, Some("from_a")),
                ("s.x", Some("local.x"), None),
                ("svc", Some("ask"), None),
                ("acc.B", None, None),
                ("priv.x", None, None),
                ("priv.x", Some("signed.x"), None),
            ]
        );
        assert!(find(&c).imports.is_empty());
    }

    #[test]
    fn jetstream_follows_the_storage_limits() {
        let none = account("A", |_| {});
        assert_eq!(jetstream(&none), None);
        let unlimited = account("A", |a| {
            a.limits.jetstream.mem_storage = -1;
            a.limits.jetstream.disk_storage = 1000;
        });
        assert_eq!(
            jetstream(&unlimited),
            Some(AccountJetStream {
                max_memory: None,
                max_file: Some(1000),
                max_streams: None,
                max_consumers: None
            })
        );
        let tiered = account("A", |a| {
            let tier = |mem, streams| JetStreamLimits {
                mem_storage: mem,
                streams,
                ..JetStreamLimits::default()
            };
            a.limits.tiered_limits.insert("R1".into(), tier(100, 2));
            a.limits.tiered_limits.insert("R3".into(), tier(300, 1));
        });
        let js = jetstream(&tiered).unwrap();
        assert_eq!((js.max_memory, js.max_streams), (Some(300), Some(2)));
    }
}
