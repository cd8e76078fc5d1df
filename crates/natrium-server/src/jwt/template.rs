//! Permission templates of scoped signing keys: `{{name()}}`, `{{subject()}}`,
//! `{{account-name()}}`, `{{account-subject()}}`, `{{tag(key)}}` and
//! `{{account-tag(key)}}` in a template's subjects are filled in per user, as nats-server's
//! `processUserPermissionsTemplate` does.
//!
//! A tag function yields every value of the user's (or account's) tags `key:value`, so an
//! entry expands into the cartesian product of its functions' values (at most
//! [`MAX_EXPANSIONS`] subjects per list). An expansion that is not a valid subject is
//! dropped from an allow list but refuses the login in a deny list; an allow list that
//! expands to nothing denies everything, rather than allowing everything.

use natrium_api::jwt::{Permission, Permissions};

/// Most subjects one list may expand into (nats-server's limit).
pub const MAX_EXPANSIONS: usize = 4096;

/// What the template functions read.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The user JWT's `name`.
    pub name: &'a str,
    /// The user's public key.
    pub subject: &'a str,
    /// The account JWT's `name`.
    pub account_name: &'a str,
    /// The account's public key (the user JWT's `issuer_account`).
    pub account_subject: &'a str,
    /// The user JWT's tags.
    pub tags: &'a [String],
    /// The account JWT's tags.
    pub account_tags: &'a [String],
}

/// The `{{ ... }}` spans of `entry`: the whole span and the trimmed function inside.
fn functions(entry: &str) -> Vec<(&str, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = entry
        .get(from..)
        .and_then(|s| s.find("{{"))
        .map(|i| i + from)
    {
        let inner_start = start + 2;
        let rest = entry.get(inner_start..).unwrap_or_default();
        let inner_len = rest.find('}').unwrap_or(rest.len());
        let closes = rest.get(inner_len..).is_some_and(|r| r.starts_with("}}"));
        if inner_len > 0 && closes {
            let end = inner_start + inner_len + 2;
            if let (Some(span), Some(inner)) = (entry.get(start..end), rest.get(..inner_len)) {
                found.push((span, inner.trim()));
            }
            from = end;
        } else {
            from = start + 1;
        }
    }
    found
}

/// `tag(key)` or `account-tag(key)`: which tags and the key.
fn tag_call<'a>(op: &'a str, ctx: &Context<'a>) -> Option<(&'a [String], String)> {
    let lower = op.to_ascii_lowercase();
    let (tags, prefix) = if lower.starts_with("tag(") {
        (ctx.tags, "tag(".len())
    } else if lower.starts_with("account-tag(") {
        (ctx.account_tags, "account-tag(".len())
    } else {
        return None;
    };
    let key = op.get(prefix..)?.strip_suffix(')')?;
    Some((tags, key.to_ascii_lowercase()))
}

/// The values one function yields.
fn values(
    op: &str,
    ctx: &Context<'_>,
    fail_on_bad: bool,
    entry: &str,
) -> Result<Vec<String>, String> {
    let single = |v: &str| Ok(vec![v.to_owned()]);
    match op.to_ascii_lowercase().as_str() {
        "name()" => return single(ctx.name),
        "subject()" => return single(ctx.subject),
        "account-name()" => return single(ctx.account_name),
        "account-subject()" => return single(ctx.account_subject),
        _ => {}
    }
    let Some((tags, key)) = tag_call(op, ctx) else {
        return Err(format!(
            "template operation in {entry:?}: {op:?} is not defined"
        ));
    };
    let prefix = format!("{key}:");
    let found: Vec<String> = tags
        .iter()
        .filter_map(|t| t.strip_prefix(&prefix))
        .map(str::to_owned)
        .collect();
    match (found.is_empty(), fail_on_bad) {
        (false, _) => Ok(found),
        (true, true) => Err(format!(
            "generated invalid subject {entry:?}: {key:?} is not defined"
        )),
        // An allow entry whose tag is missing expands to nothing valid.
        (true, false) => Ok(vec![" ".to_owned()]),
    }
}

fn expand_list(
    list: &[String],
    fail_on_bad: bool,
    ctx: &Context<'_>,
) -> Result<Vec<String>, String> {
    if !list.iter().any(|e| !functions(e).is_empty()) {
        return Ok(list.to_vec());
    }
    let mut out = Vec::new();
    for entry in list {
        let mut expansions = vec![entry.clone()];
        for (span, op) in functions(entry) {
            let vals = values(op, ctx, fail_on_bad, entry)?;
            if expansions.len().saturating_mul(vals.len()) > MAX_EXPANSIONS {
                return Err(format!(
                    "permission template expansion exceeds {MAX_EXPANSIONS} subjects"
                ));
            }
            expansions = expansions
                .iter()
                .flat_map(|e| vals.iter().map(move |v| e.replace(span, v)))
                .collect();
        }
        for subject in expansions {
            if natrium_subject::is_valid_subject(subject.as_bytes()) {
                if out.len() >= MAX_EXPANSIONS {
                    return Err(format!(
                        "permission template expansion exceeds {MAX_EXPANSIONS} subjects"
                    ));
                }
                out.push(subject);
            } else if fail_on_bad {
                return Err(format!(
                    "template {entry:?} generated invalid subject {subject:?}"
                ));
            }
        }
    }
    Ok(out)
}

fn expand_permission(p: &Permission, ctx: &Context<'_>) -> Result<Permission, String> {
    let mut out = Permission {
        allow: expand_list(&p.allow, false, ctx)?,
        deny: expand_list(&p.deny, true, ctx)?,
    };
    if !p.allow.is_empty() && out.allow.is_empty() {
        out.deny.push(">".to_owned());
    }
    Ok(out)
}

/// `p` with its template functions filled in for the user `ctx` describes.
pub fn expand(p: &Permissions, ctx: &Context<'_>) -> Result<Permissions, String> {
    Ok(Permissions {
        publish: expand_permission(&p.publish, ctx)?,
        subscribe: expand_permission(&p.subscribe, ctx)?,
        response: p.response,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx<'a>(tags: &'a [String], account_tags: &'a [String]) -> Context<'a> {
        Context {
            name: "alice",
            subject: "UKEY",
            account_name: "acme",
            account_subject: "AKEY",
            tags,
            account_tags,
        }
    }

    fn list(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn functions_fill_in_the_user_and_account() {
        let tags = list(&["dept:eng", "dept:ops", "site:x"]);
        let acc_tags = list(&["region:eu"]);
        let c = ctx(&tags, &acc_tags);
        let p = Permissions {
            publish: Permission {
                allow: list(&[
                    "u.{{name()}}.>",
                    "k.{{subject()}}",
                    "a.{{ account-name() }}.{{account-subject()}}",
                    "plain",
                ]),
                deny: Vec::new(),
            },
            subscribe: Permission {
                allow: list(&[
                    "d.{{tag(dept)}}.{{account-tag(region)}}",
                    "none.{{tag(missing)}}",
                ]),
                deny: Vec::new(),
            },
            response: None,
        };
        let out = expand(&p, &c).unwrap();
        assert_eq!(
            out.publish.allow,
            list(&["u.alice.>", "k.UKEY", "a.acme.AKEY", "plain"])
        );
        assert_eq!(out.subscribe.allow, list(&["d.eng.eu", "d.ops.eu"]));
        // Lists without templates are left alone.
        let plain = Permissions {
            subscribe: Permission {
                allow: list(&["q.> workers"]),
                deny: Vec::new(),
            },
            ..Permissions::default()
        };
        assert_eq!(expand(&plain, &c).unwrap(), plain);
    }

    #[test]
    fn bad_expansions_deny_rather_than_allow() {
        let c = ctx(&[], &[]);
        let only_missing = Permissions {
            publish: Permission {
                allow: list(&["x.{{tag(missing)}}"]),
                deny: Vec::new(),
            },
            ..Permissions::default()
        };
        let out = expand(&only_missing, &c).unwrap();
        assert!(out.publish.allow.is_empty());
        assert_eq!(
            out.publish.deny,
            [">"],
            "an allow list that expands to nothing denies all"
        );
        let deny_missing = Permissions {
            subscribe: Permission {
                allow: Vec::new(),
                deny: list(&["x.{{tag(missing)}}"]),
            },
            ..Permissions::default()
        };
        assert!(expand(&deny_missing, &c).is_err());
        let unknown = Permissions {
            publish: Permission {
                allow: list(&["x.{{bogus()}}"]),
                deny: Vec::new(),
            },
            ..Permissions::default()
        };
        assert!(expand(&unknown, &c).is_err());
        let many: Vec<String> = (0..70).map(|i| format!("t:{i}")).collect();
        let c = ctx(&many, &[]);
        let blowup = Permissions {
            publish: Permission {
                allow: list(&["{{tag(t)}}.{{tag(t)}}"]),
                deny: Vec::new(),
            },
            ..Permissions::default()
        };
        assert!(expand(&blowup, &c).is_err(), "70 x 70 > 4096");
    }
}
