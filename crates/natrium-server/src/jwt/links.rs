//! The preloaded accounts in the form the account registry is set up from: each account
//! JWT becomes an [`AccountOptions`] (its exports, imports and JetStream limits), so
//! operator mode gets the same isolation, links and per-account JetStream as accounts
//! from a config file.
//!
//! What the registry cannot enforce is left out, never loosened: exports that need
//! activation tokens (`token_req`) or restrict importers by a subject token
//! (`account_token_position`), and imports that carry activation tokens, are skipped with
//! a warning, as are imports no export grants (nats-server skips those too).

use std::time::Duration;

use natrium_api::jwt::{Account, Claims, JetStreamLimits};

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

fn exports(claims: &Claims<Account>) -> Vec<Export> {
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
            if e.token_req || e.account_token_position > 0 {
                tracing::warn!(account = %name, subject = %e.subject, "exports requiring activation tokens or an account token position are not supported yet; not exported");
                return None;
            }
            Some(Export {
                kind,
                subject: e.subject.clone(),
                accounts: None,
                response_type: response_type(&e.response_type),
                response_threshold: u64::try_from(e.response_threshold)
                    .ok()
                    .filter(|&n| n > 0)
                    .map(Duration::from_nanos),
            })
        })
        .collect()
}

fn imports(claims: &Claims<Account>) -> Vec<Import> {
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
            if !i.token.is_empty() {
                tracing::warn!(account = %name, subject = %i.subject, "imports with activation tokens are not supported yet; not imported");
                return None;
            }
            let local = (!i.local_subject.is_empty()).then(|| i.local_subject.clone());
            let to = (!i.to.is_empty()).then(|| i.to.clone());
            // `to` is the deprecated form: a prefix for streams, the local subject for
            // services.
            let (to, prefix) = match kind {
                LinkKind::Stream => (local, if i.local_subject.is_empty() { to } else { None }),
                LinkKind::Service => (local.or(to), None),
            };
            Some(Import {
                kind,
                account: i.account.clone(),
                subject: i.subject.clone(),
                to,
                prefix,
            })
        })
        .collect()
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

/// The registry's setup of the accounts `claims`; imports no export grants are dropped.
pub fn account_options<'a>(
    claims: impl Iterator<Item = &'a Claims<Account>>,
) -> Vec<AccountOptions> {
    let mut accounts: Vec<AccountOptions> = claims
        .map(|c| AccountOptions {
            name: c.sub.clone(),
            exports: exports(c),
            imports: imports(c),
            jetstream: jetstream(c),
        })
        .collect();
    accounts.sort_by(|a, b| a.name.cmp(&b.name));
    let granted: Vec<Vec<bool>> = accounts
        .iter()
        .map(|importer| {
            importer
                .imports
                .iter()
                .map(|i| {
                    accounts
                        .iter()
                        .find(|a| a.name == i.account)
                        .and_then(|exporter| {
                            crate::accounts::export_for(
                                &exporter.exports,
                                i.kind,
                                &importer.name,
                                &i.subject,
                            )
                        })
                        .is_some()
                })
                .collect()
        })
        .collect();
    for (importer, granted) in accounts.iter_mut().zip(granted) {
        let name = importer.name.clone();
        let mut flags = granted.into_iter();
        importer.imports.retain(|i| {
            let ok = flags.next().unwrap_or(false);
            if !ok {
                tracing::warn!(account = %name, exporter = %i.account, subject = %i.subject, "import not granted by an export of a known account; skipped");
            }
            ok
        });
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

    #[test]
    fn imports_map_their_subjects_and_ungranted_ones_are_dropped() {
        let exporter = account("A", |a| {
            a.exports = vec![
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
            ];
        });
        let import = |subject: &str, kind: &str, edit: fn(&mut JwtImport)| {
            let mut i = JwtImport {
                subject: subject.into(),
                account: "A".into(),
                kind: kind.into(),
                ..JwtImport::default()
            };
            edit(&mut i);
            i
        };
        let importer = account("B", |a| {
            a.imports = vec![
                import("s.>", "stream", |i| i.to = "from_a".into()),
                import("s.x", "stream", |i| i.local_subject = "local.x".into()),
                import("svc", "service", |i| i.to = "ask".into()),
                import("acc.B", "service", |_| {}),
                import("nope", "stream", |_| {}),
                import("s.y", "stream", |i| i.token = "eyJ...".into()),
            ];
        });
        let opts = account_options([exporter, importer].iter());
        let [a, b] = opts.as_slice() else {
            panic!("two accounts")
        };
        assert_eq!(
            a.exports.len(),
            2,
            "the account-token-position export is left out"
        );
        assert_eq!(
            a.exports[1].response_type,
            natrium_core::ResponseType::Stream
        );
        let got: Vec<(&str, Option<&str>, Option<&str>)> = b
            .imports
            .iter()
            .map(|i| (i.subject.as_str(), i.to.as_deref(), i.prefix.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("s.>", None, Some("from_a")),
                ("s.x", Some("local.x"), None),
                ("svc", Some("ask"), None)
            ]
        );
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
