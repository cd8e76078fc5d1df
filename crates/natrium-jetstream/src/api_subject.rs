//! Routing a `$JS.API.…` subject to the request it names.
//!
//! Names are taken from the subject as written; whether a name is valid (no wildcards,
//! no `.`) is for the handler to judge, with nats-server's error.

/// A JetStream API request, by subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiSubject<'a> {
    /// `$JS.API.INFO`
    AccountInfo,
    /// `$JS.API.STREAM.CREATE.<stream>`
    StreamCreate(&'a str),
    /// `$JS.API.STREAM.UPDATE.<stream>`
    StreamUpdate(&'a str),
    /// `$JS.API.STREAM.INFO.<stream>`
    StreamInfo(&'a str),
    /// `$JS.API.STREAM.DELETE.<stream>`
    StreamDelete(&'a str),
    /// `$JS.API.STREAM.PURGE.<stream>`
    StreamPurge(&'a str),
    /// `$JS.API.STREAM.NAMES`
    StreamNames,
    /// `$JS.API.STREAM.LIST`
    StreamList,
    /// `$JS.API.STREAM.MSG.GET.<stream>`
    StreamMsgGet(&'a str),
    /// `$JS.API.STREAM.SNAPSHOT.<stream>`
    StreamSnapshot(&'a str),
    /// `$JS.API.STREAM.RESTORE.<stream>`
    StreamRestore(&'a str),
    /// `$JS.API.STREAM.MSG.DELETE.<stream>`
    StreamMsgDelete(&'a str),
    /// `$JS.API.DIRECT.GET.<stream>` (request body) or `$JS.API.DIRECT.GET.<stream>.<subject>`
    /// (last message on that subject).
    DirectGet {
        /// The stream.
        stream: &'a str,
        /// The subject whose last message is wanted, when given in the subject.
        last_by_subject: Option<&'a str>,
    },
    /// `$JS.API.CONSUMER.CREATE.<stream>[.<consumer>[.<filter>]]`
    ConsumerCreate {
        /// The stream.
        stream: &'a str,
        /// The consumer name, when given in the subject.
        consumer: Option<&'a str>,
        /// The filter subject, when given in the subject (may contain `.`).
        filter: Option<&'a str>,
    },
    /// `$JS.API.CONSUMER.DURABLE.CREATE.<stream>.<durable>`
    ConsumerDurableCreate {
        /// The stream.
        stream: &'a str,
        /// The durable name.
        durable: &'a str,
    },
    /// `$JS.API.CONSUMER.INFO.<stream>.<consumer>`
    ConsumerInfo {
        /// The stream.
        stream: &'a str,
        /// The consumer.
        consumer: &'a str,
    },
    /// `$JS.API.CONSUMER.DELETE.<stream>.<consumer>`
    ConsumerDelete {
        /// The stream.
        stream: &'a str,
        /// The consumer.
        consumer: &'a str,
    },
    /// `$JS.API.CONSUMER.PAUSE.<stream>.<consumer>`
    ConsumerPause {
        /// The stream.
        stream: &'a str,
        /// The consumer.
        consumer: &'a str,
    },
    /// `$JS.API.CONSUMER.UNPIN.<stream>.<consumer>`
    ConsumerUnpin {
        /// The stream.
        stream: &'a str,
        /// The consumer.
        consumer: &'a str,
    },
    /// `$JS.API.CONSUMER.RESET.<stream>.<consumer>`
    ConsumerReset {
        /// The stream.
        stream: &'a str,
        /// The consumer.
        consumer: &'a str,
    },
    /// `$JS.API.CONSUMER.NAMES.<stream>`
    ConsumerNames(&'a str),
    /// `$JS.API.CONSUMER.LIST.<stream>`
    ConsumerList(&'a str),
    /// `$JS.API.CONSUMER.MSG.NEXT.<stream>.<consumer>`: a pull request.
    ConsumerNext {
        /// The stream.
        stream: &'a str,
        /// The consumer.
        consumer: &'a str,
    },
    /// Any other `$JS.API` subject (nats-server answers these with an error or not at all).
    Unknown,
}

/// The prefix of every API subject.
pub const API_PREFIX: &str = "$JS.API.";

/// Routes `subject`; `None` when it is not under `$JS.API.`.
pub fn parse(subject: &str) -> Option<ApiSubject<'_>> {
    let rest = subject.strip_prefix(API_PREFIX)?;
    Some(route(rest))
}

fn route(rest: &str) -> ApiSubject<'_> {
    use ApiSubject as A;
    if rest == "INFO" {
        return A::AccountInfo;
    }
    if let Some(s) = rest.strip_prefix("STREAM.") {
        return stream(s);
    }
    if let Some(s) = rest.strip_prefix("DIRECT.GET.") {
        return match s.split_once('.') {
            None if !s.is_empty() => A::DirectGet {
                stream: s,
                last_by_subject: None,
            },
            Some((stream, subject)) if !stream.is_empty() && !subject.is_empty() => A::DirectGet {
                stream,
                last_by_subject: Some(subject),
            },
            _ => A::Unknown,
        };
    }
    if let Some(s) = rest.strip_prefix("CONSUMER.") {
        return consumer(s);
    }
    A::Unknown
}

/// Exactly one non-empty token.
fn one(s: &str) -> Option<&str> {
    (!s.is_empty() && !s.contains('.')).then_some(s)
}

/// Exactly two non-empty tokens.
fn two(s: &str) -> Option<(&str, &str)> {
    let (a, b) = s.split_once('.')?;
    Some((one(a)?, one(b)?))
}

fn stream(s: &str) -> ApiSubject<'_> {
    use ApiSubject as A;
    match s {
        "NAMES" => return A::StreamNames,
        "LIST" => return A::StreamList,
        _ => {}
    }
    let Some((op, name)) = [
        "CREATE.",
        "UPDATE.",
        "INFO.",
        "DELETE.",
        "PURGE.",
        "MSG.GET.",
        "MSG.DELETE.",
        "SNAPSHOT.",
        "RESTORE.",
    ]
    .iter()
    .find_map(|prefix| Some((*prefix, s.strip_prefix(prefix).and_then(one)?))) else {
        return A::Unknown;
    };
    match op {
        "CREATE." => A::StreamCreate(name),
        "UPDATE." => A::StreamUpdate(name),
        "INFO." => A::StreamInfo(name),
        "DELETE." => A::StreamDelete(name),
        "PURGE." => A::StreamPurge(name),
        "MSG.GET." => A::StreamMsgGet(name),
        "SNAPSHOT." => A::StreamSnapshot(name),
        "RESTORE." => A::StreamRestore(name),
        _ => A::StreamMsgDelete(name),
    }
}

fn consumer(s: &str) -> ApiSubject<'_> {
    use ApiSubject as A;
    if let Some(rest) = s.strip_prefix("CREATE.") {
        let mut parts = rest.splitn(3, '.');
        let stream = parts.next().unwrap_or_default();
        let consumer = parts.next();
        let filter = parts.next();
        if stream.is_empty()
            || consumer.is_some_and(str::is_empty)
            || filter.is_some_and(str::is_empty)
        {
            return A::Unknown;
        }
        return A::ConsumerCreate {
            stream,
            consumer,
            filter,
        };
    }
    if let Some((stream, durable)) = s.strip_prefix("DURABLE.CREATE.").and_then(two) {
        return A::ConsumerDurableCreate { stream, durable };
    }
    if let Some((stream, consumer)) = s.strip_prefix("MSG.NEXT.").and_then(two) {
        return A::ConsumerNext { stream, consumer };
    }
    if let Some(stream) = s.strip_prefix("NAMES.").and_then(one) {
        return A::ConsumerNames(stream);
    }
    if let Some(stream) = s.strip_prefix("LIST.").and_then(one) {
        return A::ConsumerList(stream);
    }
    let Some((op, (stream, consumer))) = ["INFO.", "DELETE.", "PAUSE.", "UNPIN.", "RESET."]
        .iter()
        .find_map(|prefix| Some((*prefix, s.strip_prefix(prefix).and_then(two)?)))
    else {
        return A::Unknown;
    };
    match op {
        "INFO." => A::ConsumerInfo { stream, consumer },
        "DELETE." => A::ConsumerDelete { stream, consumer },
        "PAUSE." => A::ConsumerPause { stream, consumer },
        "UNPIN." => A::ConsumerUnpin { stream, consumer },
        _ => A::ConsumerReset { stream, consumer },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApiSubject as A;

    #[test]
    fn every_request_subject_routes() {
        let cases: &[(&str, ApiSubject<'_>)] = &[
            ("$JS.API.INFO", A::AccountInfo),
            ("$JS.API.STREAM.CREATE.ORDERS", A::StreamCreate("ORDERS")),
            ("$JS.API.STREAM.UPDATE.ORDERS", A::StreamUpdate("ORDERS")),
            ("$JS.API.STREAM.INFO.ORDERS", A::StreamInfo("ORDERS")),
            ("$JS.API.STREAM.DELETE.ORDERS", A::StreamDelete("ORDERS")),
            ("$JS.API.STREAM.PURGE.ORDERS", A::StreamPurge("ORDERS")),
            ("$JS.API.STREAM.NAMES", A::StreamNames),
            (
                "$JS.API.STREAM.SNAPSHOT.ORDERS",
                A::StreamSnapshot("ORDERS"),
            ),
            ("$JS.API.STREAM.RESTORE.ORDERS", A::StreamRestore("ORDERS")),
            ("$JS.API.STREAM.LIST", A::StreamList),
            ("$JS.API.STREAM.MSG.GET.ORDERS", A::StreamMsgGet("ORDERS")),
            (
                "$JS.API.STREAM.MSG.DELETE.ORDERS",
                A::StreamMsgDelete("ORDERS"),
            ),
            (
                "$JS.API.DIRECT.GET.KV_b",
                A::DirectGet {
                    stream: "KV_b",
                    last_by_subject: None,
                },
            ),
            (
                "$JS.API.DIRECT.GET.KV_b.$KV.b.some.key",
                A::DirectGet {
                    stream: "KV_b",
                    last_by_subject: Some("$KV.b.some.key"),
                },
            ),
            (
                "$JS.API.CONSUMER.CREATE.S",
                A::ConsumerCreate {
                    stream: "S",
                    consumer: None,
                    filter: None,
                },
            ),
            (
                "$JS.API.CONSUMER.CREATE.S.c",
                A::ConsumerCreate {
                    stream: "S",
                    consumer: Some("c"),
                    filter: None,
                },
            ),
            (
                "$JS.API.CONSUMER.CREATE.S.c.orders.*.eu",
                A::ConsumerCreate {
                    stream: "S",
                    consumer: Some("c"),
                    filter: Some("orders.*.eu"),
                },
            ),
            (
                "$JS.API.CONSUMER.DURABLE.CREATE.S.d",
                A::ConsumerDurableCreate {
                    stream: "S",
                    durable: "d",
                },
            ),
            (
                "$JS.API.CONSUMER.INFO.S.c",
                A::ConsumerInfo {
                    stream: "S",
                    consumer: "c",
                },
            ),
            (
                "$JS.API.CONSUMER.DELETE.S.c",
                A::ConsumerDelete {
                    stream: "S",
                    consumer: "c",
                },
            ),
            (
                "$JS.API.CONSUMER.PAUSE.S.c",
                A::ConsumerPause {
                    stream: "S",
                    consumer: "c",
                },
            ),
            (
                "$JS.API.CONSUMER.UNPIN.S.c",
                A::ConsumerUnpin {
                    stream: "S",
                    consumer: "c",
                },
            ),
            (
                "$JS.API.CONSUMER.RESET.S.c",
                A::ConsumerReset {
                    stream: "S",
                    consumer: "c",
                },
            ),
            ("$JS.API.CONSUMER.NAMES.S", A::ConsumerNames("S")),
            ("$JS.API.CONSUMER.LIST.S", A::ConsumerList("S")),
            (
                "$JS.API.CONSUMER.MSG.NEXT.S.c",
                A::ConsumerNext {
                    stream: "S",
                    consumer: "c",
                },
            ),
        ];
        for (subject, expected) in cases {
            assert_eq!(parse(subject).as_ref(), Some(expected), "{subject}");
        }
    }

    #[test]
    fn malformed_and_foreign_subjects() {
        assert_eq!(parse("foo.bar"), None);
        assert_eq!(parse("$JS.APIX.INFO"), None);
        for subject in [
            "$JS.API.INFO.EXTRA",
            "$JS.API.STREAM.CREATE.",
            "$JS.API.STREAM.CREATE.A.B",
            "$JS.API.STREAM.BOGUS.A",
            "$JS.API.CONSUMER.INFO.S",
            "$JS.API.CONSUMER.INFO.S.c.x",
            "$JS.API.CONSUMER.CREATE.S..f",
            "$JS.API.CONSUMER.MSG.NEXT.S",
            "$JS.API.DIRECT.GET.",
            "$JS.API.SERVER.REMOVE",
        ] {
            assert_eq!(parse(subject), Some(A::Unknown), "{subject}");
        }
    }
}
