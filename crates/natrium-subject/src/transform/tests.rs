//! Expectations taken from nats-server's `subject_transform_test.go`, and partition
//! values checked against the reference server.

use super::*;

fn ok(src: &str, dest: &str) -> SubjectTransform {
    SubjectTransform::new(src, dest).unwrap_or_else(|e| panic!("{src} -> {dest}: {e}"))
}

fn map(src: &str, dest: &str, subject: &str) -> String {
    let out = ok(src, dest)
        .apply(subject.as_bytes())
        .unwrap_or_else(|| panic!("{subject} should match {src}"));
    String::from_utf8(out).unwrap()
}

fn refused(src: &str, dest: &str, strict: bool) -> TransformError {
    let r = if strict {
        SubjectTransform::strict(src, dest)
    } else {
        SubjectTransform::new(src, dest)
    };
    r.expect_err(&format!("{src} -> {dest} should be refused"))
}

#[test]
fn refused_transforms() {
    use DestinationError::*;
    let kind = |e: TransformError| match e {
        TransformError::Destination { kind, .. } => Some(kind),
        TransformError::BadSubject => None,
    };
    assert_eq!(refused("foo..", "bar", false), TransformError::BadSubject);
    assert_eq!(refused("foo.*", "bar.*", false), TransformError::BadSubject);
    assert_eq!(
        kind(refused("foo.*", "bar.$2", false)),
        Some(IndexOutOfRange)
    );
    assert_eq!(
        refused("foo.*", "bar.$1.>", false),
        TransformError::BadSubject
    );
    assert_eq!(
        refused("foo.>", "bar.baz", false),
        TransformError::BadSubject
    );
    assert_eq!(
        kind(refused("foo.*.*", "bar.$2", true)),
        Some(NotUsingAllWildcards)
    );
    assert_eq!(
        kind(refused("foo.*", "foo.$foo", true)),
        Some(NotUsingAllWildcards)
    );
    assert_eq!(
        kind(refused("foo.*", "bar.{{Partition(2,1)}}", true)),
        Some(NotSupportedForImport)
    );
    assert_eq!(
        kind(refused("foo.*", "foo.{{wildcard(2)}}", false)),
        Some(IndexOutOfRange)
    );
    assert_eq!(
        kind(refused("foo.*", "foo.{{unimplemented(1)}}", false)),
        Some(UnknownFunction)
    );
    assert_eq!(
        kind(refused("foo.*", "foo.{{partition()}}", false)),
        Some(InvalidArg)
    );
    assert_eq!(
        kind(refused("foo.*", "foo.{{random()}}", false)),
        Some(InvalidArg)
    );
    assert_eq!(
        kind(refused("foo.*", "foo.{{wildcard(foo)}}", false)),
        Some(InvalidArg)
    );
    assert_eq!(
        kind(refused("foo.*", "foo.{{wildcard()}}", false)),
        Some(NotEnoughArgs)
    );
    assert_eq!(
        kind(refused("foo.*", "foo.{{wildcard(1,2)}}", false)),
        Some(TooManyArgs)
    );
    assert_eq!(
        kind(refused("foo.*", "foo.{{ wildcard5) }}", false)),
        Some(UnknownFunction)
    );
    assert_eq!(
        kind(refused("foo.*", "foo.{{splitLeft(2,2}}", false)),
        Some(UnknownFunction)
    );
    assert_eq!(
        kind(refused("foo", "bla.{{wildcard(1)}}", false)),
        Some(IndexOutOfRange)
    );
    assert_eq!(
        kind(refused("foo.*", "foo.{{partition(2147483648)}}", false)),
        Some(InvalidArg)
    );
    assert_eq!(
        kind(refused("foo.*", "foo.{{random(2147483648)}}", false)),
        Some(InvalidArg)
    );
    assert_eq!(
        kind(refused("*", "{{split(1,a b)}}", false)),
        Some(InvalidArg)
    );
    assert_eq!(
        kind(refused("*", "{{split(1)}}", false)),
        Some(NotEnoughArgs)
    );
    assert_eq!(
        kind(refused("*", "{{left(1,2,3)}}", false)),
        Some(TooManyArgs)
    );
    assert_eq!(
        kind(refused("*", "{{right(1,x)}}", false)),
        Some(InvalidArg)
    );
    // Only the first letter of each word may change case, as in nats-server's patterns.
    assert_eq!(
        kind(refused("*", "{{WILDCARD(1)}}", false)),
        Some(UnknownFunction)
    );
}

#[test]
fn error_texts_match_nats_server() {
    assert_eq!(
        refused("foo.*", "foo.{{wildcard(2)}}", false).to_string(),
        "invalid mapping destination: wildcard index out of range in {{wildcard(2)}}: [2]"
    );
    assert_eq!(
        refused("foo.*", "foo.{{bad(1)}}", false).to_string(),
        "invalid mapping destination: unknown function in {{bad(1)}}"
    );
    assert_eq!(
        refused("foo.*.*", "bar.$2", true).to_string(),
        "invalid mapping destination: not using all of the token wildcard(s) in bar.$2"
    );
    assert_eq!(
        refused("foo..", "bar", false).to_string(),
        "invalid subject"
    );
    assert_eq!(
        validate_mapping("foo", "bar baz").unwrap_err().to_string(),
        "invalid mapping destination: invalid transform"
    );
    assert_eq!(
        validate_mapping("foo", "bar..baz").unwrap_err().to_string(),
        "invalid mapping destination: invalid transform"
    );
}

#[test]
fn accepted_transforms() {
    ok("foo.*", "bar.{{Wildcard(1)}}");
    SubjectTransform::strict("foo.*", "bar.{{Wildcard(1)}}").unwrap();
    SubjectTransform::strict("foo.*.*", "bar.$2.{{wildcard(1)}}").unwrap();
    ok("foo.*.*", "bar.$2");
    ok("foo.*.*", "bar.{{wildcard(1)}}");
    ok("foo.*.*", "bar.{{partition(1)}}");
    ok("foo.*.*", "bar.{{random(5)}}");
    ok("foo", "bar");
    ok("foo.*.bar.*.baz", "req.$2.$1");
    ok("baz.>", "mybaz.>");
    ok("*", "{{splitfromleft(1,1)}}");
    ok("", "prefix.>");
    ok("*.*", "{{partition(10,1,2)}}");
    ok(
        "foo.*.*",
        "foo.{{wildcard(1)}}.{{wildcard(2)}}.{{partition(5,1,2)}}",
    );
    ok("foo.*", "foo.{{partition(2147483647)}}");
    ok("foo.*", "foo.{{random(2147483647)}}");
    ok("foo.bar", "foo.{{random(2147483647)}}");
    ok("foo.*", "foo.{{ Partition (10,1) }}");
    // `$` followed by something other than a number is a literal token.
    assert_eq!(map("foo.*", "x.$foo.$1", "foo.a"), "x.$foo.a");
    validate_mapping("foo.*", "bar.{{ wildcard(1) }}").unwrap();
}

#[test]
fn matches_like_nats_server() {
    assert_eq!(map("", "prefix.>", "foo"), "prefix.foo");
    assert_eq!(map("foo", "bar", "foo"), "bar");
    assert_eq!(
        map("foo.*.bar.*.baz", "req.$2.$1", "foo.A.bar.B.baz"),
        "req.B.A"
    );
    assert_eq!(
        map(
            "foo.*.bar.*.baz",
            "req.{{wildcard(2)}}.{{wildcard(1)}}",
            "foo.A.bar.B.baz"
        ),
        "req.B.A"
    );
    assert_eq!(map("baz.>", "my.pre.>", "baz.1.2.3"), "my.pre.1.2.3");
    assert_eq!(map("baz.>", "foo.bar.>", "baz.1.2.3"), "foo.bar.1.2.3");
    assert_eq!(map("*", "foo.bar.$1", "foo"), "foo.bar.foo");
    assert_eq!(map("*", "{{splitfromleft(1,3)}}", "12345"), "123.45");
    assert_eq!(map("*", "{{SplitFromRight(1,3)}}", "12345"), "12.345");
    assert_eq!(
        map("*", "{{SliceFromLeft(1,3)}}", "1234567890"),
        "123.456.789.0"
    );
    assert_eq!(
        map("*", "{{SliceFromRight(1,3)}}", "1234567890"),
        "1.234.567.890"
    );
    assert_eq!(map("*", "{{split(1,-)}}", "-abc-def--ghi-"), "abc.def.ghi");
    assert_eq!(map("*", "{{split(1,-)}}", "abc-def--ghi-"), "abc.def.ghi");
    assert_eq!(
        map(
            "*.*",
            "{{split(2,-)}}.{{splitfromleft(1,2)}}",
            "foo.-abc-def--ghij-"
        ),
        "abc.def.ghij.fo.o"
    );
    assert_eq!(map("*", "{{right(1,1)}}", "1234"), "4");
    assert_eq!(map("*", "{{right(1,3)}}", "1234"), "234");
    assert_eq!(map("*", "{{right(1,6)}}", "1234"), "1234");
    assert_eq!(map("*", "{{left(1,1)}}", "1234"), "1");
    assert_eq!(map("*", "{{left(1,3)}}", "1234"), "123");
    assert_eq!(map("*", "{{left(1,6)}}", "1234"), "1234");
    assert_eq!(map("*", "bar.{{partition(0)}}", "baz"), "bar.0");
    assert_eq!(map("*", "bar.{{partition(10, 0)}}", "foo"), "bar.3");
    assert_eq!(map("*.*", "bar.{{partition(10)}}", "foo.bar"), "bar.6");
    assert_eq!(map("*", "bar.{{partition(10)}}", "foo"), "bar.3");
    assert_eq!(map("*", "bar.{{partition(10)}}", "baz"), "bar.0");
    assert_eq!(map("*", "bar.{{partition(10)}}", "qux"), "bar.9");
    assert_eq!(map("*", "bar.{{random(0)}}", "qux"), "bar.0");
    for _ in 0..100 {
        let n: u32 = map("*", "bar.{{random(6)}}", "qux")
            .strip_prefix("bar.")
            .unwrap()
            .parse()
            .unwrap();
        assert!(n < 6);
    }
    assert_eq!(map("foo.bar", "baz.{{partition(10)}}", "foo.bar"), "baz.6");
    assert_eq!(map("foo.baz", "qux.{{partition(10)}}", "foo.baz"), "qux.4");
    assert_eq!(
        map("test.subject", "result.{{partition(5)}}", "test.subject"),
        "result.0"
    );
}

/// Values a 2.15.1 nats-server produced for the same mappings.
#[test]
fn partition_matches_reference_server() {
    let tr = "p.{{partition(5,1,2)}}.{{wildcard(1)}}.{{wildcard(2)}}";
    // Named tokens are hashed concatenated, without a separator.
    assert_eq!(map("p.*.*", tr, "p.a.b"), "p.1.a.b");
    assert_eq!(map("p.*.*", tr, "p.x.y"), "p.2.x.y");
    assert_eq!(
        map("q.*", "q.{{partition(7)}}.{{wildcard(1)}}", "q.hello"),
        "q.4.hello"
    );
    assert_eq!(map("lit", "lit2.{{partition(10)}}", "lit"), "lit2.0");
    assert_eq!(map("foo.*", "bar.{{left(1,2)}}", "foo.abcd"), "bar.ab");
}

#[test]
fn split_edge_cases_follow_nats_server() {
    // A leading doubled delimiter leaves an empty first token, as nats-server does.
    assert_eq!(map("s.*", "s.{{split(1,-)}}", "s.--a-b"), "s..a.b");
    // An empty delimiter splits into characters (Go's strings.Split).
    assert_eq!(map("*", "{{split(1,)}}", "aé"), "a.é");
    assert_eq!(map("*", "{{split(1,ab)}}", "xabyabz"), "x.y.z");
}

#[test]
fn non_matching_and_invalid_subjects() {
    let tr = ok("foo.*", "bar.$1");
    assert_eq!(tr.apply(b"foo"), None);
    assert_eq!(tr.apply(b"foo.a.b"), None);
    assert_eq!(tr.apply(b"bar.a"), None);
    assert_eq!(tr.apply(b"foo.*"), None);
    assert_eq!(tr.apply(b"foo."), None);
    let full = ok("foo.>", "bar.>");
    assert_eq!(full.apply(b"foo"), None);
    assert_eq!(full.apply(b"foo.a.b").as_deref(), Some(&b"bar.a.b"[..]));
    let identity = ok(">", ">");
    assert!(identity.is_identity());
    assert_eq!(identity.apply(b"a.b").as_deref(), Some(&b"a.b"[..]));
}

#[test]
fn wildcard_zero_means_first_token() {
    // nats-server resolves wildcard numbers through a map where absent keys are 0.
    assert_eq!(map("foo.*", "x.$0", "foo.a"), "x.foo");
    assert_eq!(map("foo.*", "x.{{wildcard(-1)}}", "foo.a"), "x.foo");
}

mod model {
    use super::super::SubjectTransform;
    use proptest::prelude::*;

    /// A source pattern token: a literal, or a wildcard.
    #[derive(Debug, Clone)]
    enum Src {
        Lit(String),
        Star,
    }

    /// A destination token: a literal, or the n-th wildcard (0-based) in `$n` or
    /// `{{wildcard(n)}}` form.
    #[derive(Debug, Clone)]
    enum Dst {
        Lit(String),
        Wild(usize, bool),
    }

    fn literal() -> impl Strategy<Value = String> {
        "[a-z0-9_-]{1,4}"
    }

    fn case() -> impl Strategy<Value = (Vec<Src>, Vec<String>, Vec<Dst>, bool)> {
        (
            prop::collection::vec(
                prop_oneof![literal().prop_map(Src::Lit), Just(Src::Star)],
                1..6,
            ),
            any::<bool>(),
        )
            .prop_flat_map(|(src, full)| {
                let stars = src.iter().filter(|t| matches!(t, Src::Star)).count();
                let values = prop::collection::vec(literal(), src.len() + 2);
                let dst_token = if stars == 0 {
                    literal().prop_map(Dst::Lit).boxed()
                } else {
                    prop_oneof![
                        literal().prop_map(Dst::Lit),
                        (0..stars, any::<bool>()).prop_map(|(n, m)| Dst::Wild(n, m)),
                    ]
                    .boxed()
                };
                let dst = prop::collection::vec(dst_token, 1..6);
                (Just(src), values, dst, Just(full))
            })
    }

    fn render_src(src: &[Src], full: bool) -> String {
        let mut t: Vec<String> = src
            .iter()
            .map(|s| match s {
                Src::Lit(l) => l.clone(),
                Src::Star => "*".into(),
            })
            .collect();
        if full {
            t.push(">".into());
        }
        t.join(".")
    }

    fn render_dst(dst: &[Dst], full: bool) -> String {
        let mut t: Vec<String> = dst
            .iter()
            .map(|d| match d {
                Dst::Lit(l) => l.clone(),
                Dst::Wild(n, true) => format!("${}", n + 1),
                Dst::Wild(n, false) => format!("{{{{wildcard({})}}}}", n + 1),
            })
            .collect();
        if full {
            t.push(">".into());
        }
        t.join(".")
    }

    proptest! {
        /// A matching subject maps to the destination with each wildcard replaced by
        /// the token it captured (and the `>` tail copied); the naive model builds it
        /// by substitution.
        #[test]
        fn wildcard_remap_matches_model((src, values, dst, full) in case(), tail in 0usize..3) {
            let tr = SubjectTransform::new(&render_src(&src, full), &render_dst(&dst, full)).unwrap();
            let mut subject = Vec::new();
            let mut captured = Vec::new();
            for (s, v) in src.iter().zip(&values) {
                match s {
                    Src::Lit(l) => subject.push(l.clone()),
                    Src::Star => { subject.push(v.clone()); captured.push(v.clone()); }
                }
            }
            let rest: Vec<String> = values.iter().skip(src.len()).take(tail.max(usize::from(full))).cloned().collect();
            if full {
                subject.extend(rest.iter().cloned());
            }
            let mut expected: Vec<String> = dst.iter().map(|d| match d {
                Dst::Lit(l) => l.clone(),
                Dst::Wild(n, _) => captured[*n].clone(),
            }).collect();
            if full {
                expected.extend(rest);
            }
            let got = tr.apply(subject.join(".").as_bytes());
            prop_assert_eq!(got, Some(expected.join(".").into_bytes()));
        }

        /// A transform applies exactly to the subjects its source pattern matches: the
        /// subjects are built from the pattern (so about half of them match), with tokens
        /// replaced, dropped or added, and sometimes a wildcard or empty token.
        #[test]
        fn applies_only_where_source_matches(
            (src, values, dst, full) in case(),
            keep in prop::collection::vec(0u8..8, 8),
            extra in 0usize..3,
            odd in prop_oneof![Just(""), Just("*"), Just(">"), Just("x")],
        ) {
            let source = render_src(&src, full);
            let tr = SubjectTransform::new(&source, &render_dst(&dst, full)).unwrap();
            let mut tokens: Vec<String> = src.iter().zip(&values).zip(&keep).map(|((s, v), k)| {
                match (s, k) {
                    (_, 0) => odd.to_string(),
                    (Src::Lit(l), 1) => format!("{l}x"),
                    (Src::Lit(l), _) => l.clone(),
                    (Src::Star, _) => v.clone(),
                }
            }).collect();
            if keep.last() == Some(&7) {
                tokens.pop();
            }
            tokens.extend(values.iter().rev().take(extra).cloned());
            let subject = tokens.join(".");
            let literal = crate::is_valid_publish_subject(subject.as_bytes());
            let matches = literal && crate::subject_matches(source.as_bytes(), subject.as_bytes());
            prop_assert_eq!(tr.apply(subject.as_bytes()).is_some(), matches);
        }
    }
}
