//! `bench`: small runs against the in-process server, checking counts, report fields and
//! CSV rows (never speeds).

use async_nats::jetstream;

use crate::common::{fail_stderr, ok_stdout, Env};

/// The last stderr line of a run that failed with exit code 1 after its banner.
fn fail_after_start(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.assert().code(1).get_output().stderr.clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with("Starting "), "{text}");
    let last = text.lines().last().unwrap_or_default().to_owned();
    assert!(last.starts_with("natrium: error: "), "{text}");
    last
}

/// The CSV file's rows (header first).
fn csv_rows(path: &std::path::Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()
}

#[test]
fn pubsub_counts_every_message_per_client_and_writes_csv() {
    let env = Env::start();
    let csv = env.cfg.path().join("ps.csv");
    let out = env
        .cmd()
        .args([
            "bench", "pubsub", "b.ps", "--msgs", "2000", "--pub", "2", "--sub", "2",
        ])
        .args(["--size", "64", "--csv", csv.to_str().unwrap()])
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stdout.contains("Core NATS publisher stats (2 clients):"),
        "{stdout}"
    );
    assert!(stdout.contains(" [1] 1,000 msgs in "), "{stdout}");
    assert!(stdout.contains(" [2] 1,000 msgs in "), "{stdout}");
    assert!(
        stdout.contains("Core NATS subscriber stats (2 clients):"),
        "{stdout}"
    );
    assert!(stdout.contains(" aggregate: 4,000 msgs in "), "{stdout}");
    assert!(
        stdout.contains("NATS Pub/Sub overall: 6,000 msgs ~ "),
        "{stdout}"
    );
    assert!(stdout.contains("MB/sec"), "{stdout}");
    // Not a terminal: the banner only, no progress bars.
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("Starting Core NATS publish/subscribe benchmark [subject=b.ps, msgs=2,000, msgsize=64 B, pubs=2, subs=2]"), "{stderr}");

    let rows = csv_rows(&csv);
    assert_eq!(rows[0][0], "#RunID");
    assert_eq!(rows[0].len(), 7, "no latency columns for pub/sub");
    let ids: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(ids, ["P0", "P1", "S0", "S1"]);
    let counts: Vec<(&str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[2].as_str(), r[3].as_str()))
        .collect();
    assert_eq!(
        counts,
        [
            ("1000", "64000"),
            ("1000", "64000"),
            ("2000", "128000"),
            ("2000", "128000")
        ]
    );
    assert!(rows[1..].iter().all(|r| r[0] == rows[1][0]), "one run id");
}

#[test]
fn sub_waits_for_a_separate_publisher_and_fails_on_a_shortfall() {
    let env = Env::start();
    let sub = env.spawn(
        &["bench", "sub", "b.s", "--msgs", "2000", "--clients", "2"],
        "Waiting for messages",
    );
    let out = ok_stdout(env.cmd().args(["bench", "pub", "b.s", "--msgs", "2000"]));
    assert!(
        out.contains("Core NATS publisher stats (1 client):"),
        "{out}"
    );
    assert!(out.contains(" aggregate: 2,000 msgs in "), "{out}");
    assert!(
        !out.contains(" [1] "),
        "one client: no per-client lines: {out}"
    );
    let (code, out) = sub.finish();
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(" [1] 2,000 msgs in "), "{out}");
    assert!(out.contains(" [2] 2,000 msgs in "), "{out}");
    assert!(out.contains(" aggregate: 4,000 msgs in "), "{out}");

    // Fewer messages than expected: an error after the idle timeout, not a hang.
    let sub = env.spawn(
        &[
            "bench",
            "sub",
            "b.short",
            "--msgs",
            "2000",
            "--timeout",
            "1s",
        ],
        "Waiting for messages",
    );
    ok_stdout(
        env.cmd()
            .args(["bench", "pub", "b.short", "--msgs", "1500"]),
    );
    let (code, _) = sub.finish();
    assert_eq!(code, 1);

    let err = fail_stderr(env.cmd().args(["bench", "pub", "b.s", "--msgs", "0"]), 1);
    assert!(err.contains("--msgs must be greater than 0"), "{err}");
}

#[test]
fn reqrep_reports_latency_percentiles() {
    let env = Env::start();
    let csv = env.cfg.path().join("rr.csv");
    let out = ok_stdout(
        env.cmd()
            .args([
                "bench", "reqrep", "b.rr", "--msgs", "2000", "--pub", "2", "--sub", "2",
            ])
            .args(["--no-progress", "--csv", csv.to_str().unwrap()]),
    );
    assert!(
        out.contains("Core NATS service requester stats (2 clients):"),
        "{out}"
    );
    assert!(out.contains(" aggregate: 2,000 msgs in "), "{out}");
    let latency = out
        .lines()
        .find(|l| l.starts_with(" latency: "))
        .unwrap_or_else(|| panic!("no latency line: {out}"));
    for field in [
        "min ",
        "| p50 ",
        "| p90 ",
        "| p99 ",
        "| p99.9 ",
        "| max ",
        "(2,000 samples)",
    ] {
        assert!(latency.contains(field), "{field:?} in {latency}");
    }
    assert!(out.contains("Responders answered 2,000 requests"), "{out}");
    let rows = csv_rows(&csv);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].len(), 15);
    assert_eq!(rows[0][10], "P50LatencyMicroSecs");
    assert_eq!((rows[1][1].as_str(), rows[1][2].as_str()), ("P0", "1000"));
    let p50: f64 = rows[1][10].parse().unwrap();
    let max: f64 = rows[1][9].parse().unwrap();
    assert!(p50 > 0.0 && p50 <= max, "{:?}", rows[1]);

    // Nobody serving: the requester fails.
    let err = fail_after_start(
        env.cmd()
            .args(["bench", "service", "request", "b.nobody", "--msgs", "10"]),
    );
    assert!(err.contains("no responders"), "{err}");
}

#[test]
fn service_serve_answers_a_separate_requester() {
    let env = Env::start();
    let serve = env.spawn(
        &[
            "bench",
            "service",
            "serve",
            "b.svc",
            "--clients",
            "2",
            "--count",
            "2000",
        ],
        "Serving requests",
    );
    let out = ok_stdout(env.cmd().args([
        "bench",
        "service",
        "request",
        "b.svc",
        "--msgs",
        "2000",
        "--clients",
        "4",
    ]));
    assert!(out.contains("(4 clients)"), "{out}");
    assert!(out.contains(" [4] 500 msgs in "), "{out}");
    assert!(out.contains("(2,000 samples)"), "{out}");
    let (code, out) = serve.finish();
    assert_eq!(code, 0);
    assert_eq!(out, "Answered 2,000 requests\n");
}

#[test]
fn jetstream_publish_and_consume() {
    let env = Env::start();
    // Without --create, a missing stream is an error.
    let err = fail_stderr(
        env.cmd()
            .args(["bench", "js", "pub", "sync", "b.js", "--msgs", "10"]),
        1,
    );
    assert!(err.contains("--create"), "{err}");

    let out = ok_stdout(env.cmd().args([
        "bench",
        "js",
        "pub",
        "async",
        "b.js",
        "--create",
        "--msgs",
        "2000",
        "--batch",
        "50",
        "--clients",
        "2",
    ]));
    assert!(
        out.contains("JetStream asynchronous publisher stats (2 clients):"),
        "{out}"
    );
    assert!(out.contains("(2,000 samples)"), "{out}");
    let client = env.client();
    let count = |client: &async_nats::Client| {
        env.block_on(async {
            let js = jetstream::new(client.clone());
            let mut s = js.get_stream("benchstream").await.unwrap();
            s.info().await.unwrap().state.messages
        })
    };
    assert_eq!(count(&client), 2000);

    let out = ok_stdout(env.cmd().args([
        "bench", "js", "pub", "sync", "b.js", "--purge", "--msgs", "600",
    ]));
    assert!(
        out.contains("JetStream synchronous publisher stats (1 client):"),
        "{out}"
    );
    assert!(out.contains("(600 samples)"), "{out}");
    assert_eq!(count(&client), 600, "purged, then 600 published");

    let out = ok_stdout(env.cmd().args([
        "bench",
        "js",
        "fetch",
        "--msgs",
        "600",
        "--batch",
        "100",
        "--clients",
        "2",
    ]));
    assert!(
        out.contains("JetStream durable consumer (fetch) stats (2 clients):"),
        "{out}"
    );
    assert!(out.contains(" aggregate: 600 msgs in "), "{out}");
    let out = ok_stdout(
        env.cmd()
            .args(["bench", "js", "consume", "--msgs", "600", "--acks", "none"]),
    );
    assert!(out.contains(" aggregate: 600 msgs in "), "{out}");

    // More than the stream holds: an error naming the shortfall.
    let err = fail_after_start(env.cmd().args([
        "bench",
        "js",
        "fetch",
        "--msgs",
        "601",
        "--timeout",
        "1s",
    ]));
    assert!(err.contains("received 600 of 601 messages"), "{err}");
}
