//! Account subject mappings (nats-server's `mappings {}`): a published subject that
//! matches a mapping's source is routed to one of the mapping's destinations, chosen at
//! random by weight.
//!
//! As in nats-server, destinations whose weights add up to less than 100% leave the
//! rest to the original subject (an implicit source → source destination), unless the
//! source is itself listed as a destination: then the rest of the messages are dropped.
//! Destinations may be scoped to a cluster; a server uses the ones for its own cluster
//! when there are any, the unscoped ones otherwise.

use crate::subject::{is_valid_subject, is_wildcard_token, tokens};
use crate::transform::{
    pattern_matches, random_u31, validate_mapping, SubjectTransform, TransformError,
};

/// One destination of a mapping as configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapDest {
    /// The destination template.
    pub subject: String,
    /// Share of the messages, in percent (0–100).
    pub weight: u8,
    /// Only on servers of this cluster, when set.
    pub cluster: Option<String>,
}

impl MapDest {
    /// An unscoped destination.
    pub fn new(subject: impl Into<String>, weight: u8) -> Self {
        Self {
            subject: subject.into(),
            weight,
            cluster: None,
        }
    }
}

/// Why a mapping was refused (texts as nats-server's `AddWeightedMappings`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    /// The source is not a valid subject.
    #[error("invalid subject")]
    BadSource,
    /// The same destination listed twice.
    #[error("duplicate entry for {0:?}")]
    Duplicate(String),
    /// A weight above 100.
    #[error("individual weights need to be <= 100")]
    WeightTooLarge,
    /// Weights (per cluster) adding up to more than 100.
    #[error("total weight needs to be <= 100")]
    TotalTooLarge,
    /// A destination that cannot be compiled against the source.
    #[error(transparent)]
    Transform(#[from] TransformError),
}

/// A destination with the upper bound of its share on a 0–100 scale (the shares are
/// laid end to end, smallest first, as nats-server does).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Weighted {
    transform: SubjectTransform,
    upto: u8,
}

/// One compiled mapping: a source pattern and its weighted destinations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectMapping {
    source: String,
    dests: Vec<Weighted>,
    cluster_dests: Vec<(String, Vec<Weighted>)>,
}

impl SubjectMapping {
    /// Compiles `source` → `dests`; a plain `"a": "b"` mapping is one destination of
    /// weight 100.
    pub fn new(source: &str, dests: &[MapDest]) -> Result<Self, MappingError> {
        if !is_valid_subject(source.as_bytes()) {
            return Err(MappingError::BadSource);
        }
        let mut seen: Vec<&str> = Vec::new();
        let mut unscoped = Vec::new();
        let mut scoped: Vec<(String, Vec<Weighted>)> = Vec::new();
        let scope = |d: &MapDest| d.cluster.clone().filter(|c| !c.is_empty());
        for (i, d) in dests.iter().enumerate() {
            if seen.contains(&d.subject.as_str()) {
                return Err(MappingError::Duplicate(d.subject.clone()));
            }
            seen.push(&d.subject);
            if d.weight > 100 {
                return Err(MappingError::WeightTooLarge);
            }
            let cluster = scope(d);
            let total: u32 = dests
                .iter()
                .take(i + 1)
                .filter(|o| scope(o) == cluster)
                .map(|o| u32::from(o.weight))
                .sum();
            if total > 100 {
                return Err(MappingError::TotalTooLarge);
            }
            let weighted = Weighted {
                transform: validate_mapping(source, &d.subject)?,
                upto: d.weight,
            };
            match cluster {
                None => unscoped.push(weighted),
                Some(name) => match scoped.iter_mut().find(|(c, _)| *c == name) {
                    Some((_, list)) => list.push(weighted),
                    None => scoped.push((name, vec![weighted])),
                },
            }
        }
        let source_listed = seen.contains(&source);
        let dests = lay_out(source, unscoped, source_listed)?;
        let cluster_dests = scoped
            .into_iter()
            .map(|(c, list)| Ok((c, lay_out(source, list, source_listed)?)))
            .collect::<Result<_, MappingError>>()?;
        Ok(Self {
            source: source.to_owned(),
            dests,
            cluster_dests,
        })
    }

    /// The source pattern.
    pub fn source(&self) -> &str {
        &self.source
    }
}

/// Adds the implicit source → source share when the weights leave some over (and the
/// source is not listed explicitly), sorts by weight and turns weights into bounds.
fn lay_out(
    source: &str,
    mut dests: Vec<Weighted>,
    source_listed: bool,
) -> Result<Vec<Weighted>, MappingError> {
    let total: u32 = dests.iter().map(|d| u32::from(d.upto)).sum();
    if total != 100 && !source_listed {
        let rest = if dests.is_empty() { 100 } else { 100 - total };
        dests.push(Weighted {
            transform: SubjectTransform::new(source, &to_placeholders(source))?,
            upto: u8::try_from(rest).map_err(|_| MappingError::TotalTooLarge)?,
        });
    }
    dests.sort_by_key(|d| d.upto);
    let mut bound = 0u8;
    for d in &mut dests {
        bound = bound.saturating_add(d.upto);
        d.upto = bound;
    }
    Ok(dests)
}

/// `foo.*.*` → `foo.$1.$2`: the destination that maps a subject to itself.
fn to_placeholders(source: &str) -> String {
    let mut n = 0;
    source
        .split('.')
        .map(|t| {
            if t == "*" {
                n += 1;
                format!("${n}")
            } else {
                t.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// Where a mapping sends a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mapped {
    /// Publish under this subject instead.
    Subject(Vec<u8>),
    /// The weights chose no destination (the source is listed with a share below
    /// 100%): the message goes nowhere.
    Dropped,
}

/// One mapping resolved for this server's cluster.
#[derive(Debug, Clone)]
struct Resolved {
    source: Box<[u8]>,
    source_tokens: Vec<Box<[u8]>>,
    literal: bool,
    dests: Vec<Weighted>,
}

/// An account's mappings, in the order they were configured; the first whose source
/// matches a subject applies.
#[derive(Debug, Clone, Default)]
pub struct SubjectMappings {
    list: Vec<Resolved>,
}

impl SubjectMappings {
    /// The mappings as a server of cluster `cluster` (if any) applies them.
    pub fn new(mappings: Vec<SubjectMapping>, cluster: Option<&str>) -> Self {
        let list = mappings
            .into_iter()
            .map(|m| {
                let dests = cluster
                    .and_then(|name| m.cluster_dests.iter().find(|(c, _)| c == name))
                    .map_or(m.dests, |(_, d)| d.clone());
                let source_tokens: Vec<Box<[u8]>> =
                    tokens(m.source.as_bytes()).map(Into::into).collect();
                Resolved {
                    literal: !source_tokens.iter().any(|t| is_wildcard_token(t)),
                    source_tokens,
                    source: m.source.into_bytes().into(),
                    dests,
                }
            })
            .collect();
        Self { list }
    }

    /// Whether there are no mappings.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Where a message published to `subject` goes, or `None` when no mapping applies.
    pub fn map(&self, subject: &[u8]) -> Option<Mapped> {
        let mut toks: Option<Vec<&[u8]>> = None;
        let found = self.list.iter().find(|m| {
            if m.literal {
                return *m.source == *subject;
            }
            let toks = toks.get_or_insert_with(|| tokens(subject).collect());
            toks.iter().all(|t| !t.is_empty() && !is_wildcard_token(t))
                && pattern_matches(&m.source_tokens, toks)
        })?;
        let dest = match found.dests.as_slice() {
            [only] if only.upto == 100 => Some(only),
            dests => {
                let roll = random_u31() % 100;
                dests.iter().find(|d| roll < u32::from(d.upto))
            }
        };
        let Some(dest) = dest else {
            return Some(Mapped::Dropped);
        };
        let toks = toks.unwrap_or_else(|| tokens(subject).collect());
        let mut out = Vec::with_capacity(subject.len() + dest.transform.destination().len());
        dest.transform.write_transformed(subject, &toks, &mut out);
        Some(Mapped::Subject(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mappings(list: &[(&str, &[MapDest])], cluster: Option<&str>) -> SubjectMappings {
        let list = list
            .iter()
            .map(|(src, dests)| SubjectMapping::new(src, dests).unwrap())
            .collect();
        SubjectMappings::new(list, cluster)
    }

    fn to(subject: &str) -> Option<Mapped> {
        Some(Mapped::Subject(subject.as_bytes().to_vec()))
    }

    #[test]
    fn first_matching_mapping_applies() {
        let m = mappings(
            &[
                ("foo", &[MapDest::new("bar", 100)]),
                (
                    "orders.*.*",
                    &[MapDest::new("orders.{{wildcard(2)}}.{{wildcard(1)}}", 100)],
                ),
                ("orders.>", &[MapDest::new("never.>", 100)]),
            ],
            None,
        );
        assert_eq!(m.map(b"foo"), to("bar"));
        assert_eq!(m.map(b"orders.a.b"), to("orders.b.a"));
        assert_eq!(m.map(b"orders.a.b.c"), to("never.a.b.c"));
        assert_eq!(m.map(b"other"), None);
        assert_eq!(m.map(b"foo.bar"), None);
        assert!(!m.is_empty());
        assert!(SubjectMappings::default().is_empty());
    }

    #[test]
    fn weights_leave_the_rest_to_the_source() {
        let m = mappings(&[("load.*", &[MapDest::new("a.$1", 40)])], None);
        let (mut a, mut same) = (0, 0);
        for _ in 0..2000 {
            match m.map(b"load.x") {
                Some(Mapped::Subject(s)) if s == b"a.x" => a += 1,
                Some(Mapped::Subject(s)) if s == b"load.x" => same += 1,
                other => panic!("unexpected {other:?}"),
            }
        }
        // 40% expected; bounds generous enough never to fail by chance.
        assert!((600..1000).contains(&a), "a={a} same={same}");
    }

    #[test]
    fn listed_source_drops_the_rest() {
        let m = mappings(
            &[("drop", &[MapDest::new("drop", 0), MapDest::new("kept", 0)])],
            None,
        );
        for _ in 0..50 {
            assert_eq!(m.map(b"drop"), Some(Mapped::Dropped));
        }
        let all = mappings(
            &[("w", &[MapDest::new("x", 100), MapDest::new("y", 0)])],
            None,
        );
        for _ in 0..50 {
            assert_eq!(all.map(b"w"), to("x"));
        }
    }

    #[test]
    fn cluster_scoped_destinations() {
        let dests = [
            MapDest::new("plain", 100),
            MapDest {
                cluster: Some("east".into()),
                ..MapDest::new("eastern", 100)
            },
        ];
        let list = [("m", &dests[..])];
        assert_eq!(mappings(&list, Some("east")).map(b"m"), to("eastern"));
        assert_eq!(mappings(&list, Some("west")).map(b"m"), to("plain"));
        assert_eq!(mappings(&list, None).map(b"m"), to("plain"));
    }

    #[test]
    fn refused_mappings() {
        let err = |src: &str, dests: &[MapDest]| SubjectMapping::new(src, dests).unwrap_err();
        assert_eq!(
            err("foo..bar", &[MapDest::new("x", 100)]),
            MappingError::BadSource
        );
        assert_eq!(
            err("foo", &[MapDest::new("x", 50), MapDest::new("x", 50)]).to_string(),
            "duplicate entry for \"x\""
        );
        assert_eq!(
            err("foo", &[MapDest::new("x", 101)]),
            MappingError::WeightTooLarge
        );
        assert_eq!(
            err("foo", &[MapDest::new("x", 60), MapDest::new("y", 50)]).to_string(),
            "total weight needs to be <= 100"
        );
        assert!(matches!(
            err("foo.*", &[MapDest::new("x.{{wildcard(2)}}", 100)]),
            MappingError::Transform(_)
        ));
        assert!(matches!(
            err("foo", &[MapDest::new("", 100)]),
            MappingError::Transform(_)
        ));
        assert!(matches!(
            err("foo", &[MapDest::new("a b", 100)]),
            MappingError::Transform(_)
        ));
    }
}
