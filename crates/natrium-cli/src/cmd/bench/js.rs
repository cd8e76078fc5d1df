//! JetStream benchmarks: publishing with acknowledgements (one at a time, or a window in
//! flight) and consuming through a durable pull consumer.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use async_nats::jetstream::{self, consumer, stream};
use async_nats::{Client, Subject};
use bytes::Bytes;
use futures::StreamExt;
use indicatif::ProgressBar;

use super::core::payload;
use super::stats::{self, commas, split, Group, Sample};
use super::{
    banner, check, connect, finish, join, tick, AckMode, JsConsumeArgs, JsPubArgs, Progress,
    Storage,
};
use crate::conn::Settings;
use crate::Error;

/// How a consumer pulls.
#[derive(Debug, Clone, Copy)]
pub enum Pull {
    /// One no-wait fetch request per batch.
    Fetch,
    /// A continuous pull, refilled by the client library.
    Continuous,
}

fn js_err(what: &str) -> impl Fn(String) -> Error + '_ {
    move |e| Error::Nats(format!("{what}: {e}"))
}

/// Publishes `n` messages; with `window`, up to that many acknowledgements are awaited
/// at once. Each message's latency is from its publish to its acknowledgement.
async fn publish_job(
    client: Client,
    subject: Subject,
    body: Bytes,
    n: u64,
    window: Option<usize>,
    sleep: Option<Duration>,
    bar: ProgressBar,
) -> Result<Sample, Error> {
    let js = jetstream::new(client);
    let mut hist = stats::histogram()?;
    let mut in_flight = VecDeque::with_capacity(window.unwrap_or(1));
    let start = Instant::now();
    for i in 1..=n {
        let sent = Instant::now();
        let ack = js
            .publish(subject.clone(), body.clone())
            .await
            .map_err(|e| js_err("publish")(e.to_string()))?;
        in_flight.push_back((sent, ack));
        while in_flight.len() >= window.unwrap_or(1) {
            let Some((sent, ack)) = in_flight.pop_front() else {
                break;
            };
            ack.await
                .map_err(|e| js_err("publish acknowledgement")(e.to_string()))?;
            stats::record(&mut hist, sent.elapsed());
        }
        if let Some(d) = sleep {
            tokio::time::sleep(d).await;
        }
        tick(&bar, i);
    }
    while let Some((sent, ack)) = in_flight.pop_front() {
        ack.await
            .map_err(|e| js_err("publish acknowledgement")(e.to_string()))?;
        stats::record(&mut hist, sent.elapsed());
    }
    bar.finish();
    Ok(Sample {
        msgs: n,
        bytes: n * body.len() as u64,
        start,
        end: Instant::now(),
        latency: Some(hist),
    })
}

/// `bench js pub sync` (no window) and `bench js pub async` (a window of acks).
pub async fn publish(
    settings: &Settings,
    a: JsPubArgs,
    window: Option<usize>,
) -> Result<(), Error> {
    check(&a.common, &[("--clients", a.clients)])?;
    let clients = a
        .clients
        .min(usize::try_from(a.common.msgs).unwrap_or(usize::MAX));
    let label = if window.is_some() {
        "JetStream asynchronous publisher"
    } else {
        "JetStream synchronous publisher"
    };
    let mut fields = vec![
        ("subject", a.subject.clone()),
        ("stream", a.stream.clone()),
        ("msgs", commas(a.common.msgs as f64)),
        ("msgsize", crate::units::human_bytes(a.common.size as u64)),
        ("clients", clients.to_string()),
    ];
    if let Some(w) = window {
        fields.push(("batch", w.to_string()));
    }
    let admin = jetstream::new(connect(settings).await?);
    let stream = if a.create {
        admin
            .get_or_create_stream(stream::Config {
                name: a.stream.clone(),
                subjects: vec![a.subject.clone()],
                storage: match a.storage {
                    Storage::File => stream::StorageType::File,
                    Storage::Memory => stream::StorageType::Memory,
                },
                ..Default::default()
            })
            .await
            .map_err(|e| js_err("creating the stream")(e.to_string()))?
    } else {
        admin.get_stream(&a.stream).await.map_err(|e| {
            Error::Nats(format!(
                "stream {}: {e} (use --create to make it)",
                a.stream
            ))
        })?
    };
    if a.purge {
        stream
            .purge()
            .await
            .map_err(|e| js_err("purging the stream")(e.to_string()))?;
    }
    banner(label, &fields);

    let progress = Progress::new(&a.common);
    let counts = split(a.common.msgs, clients);
    let mut conns = Vec::with_capacity(counts.len());
    for _ in &counts {
        conns.push(connect(settings).await?);
    }
    let body = payload(a.common.size);
    let subject = Subject::from(a.subject.as_str());
    let tasks = conns
        .into_iter()
        .zip(&counts)
        .enumerate()
        .map(|(i, (client, n))| {
            tokio::spawn(publish_job(
                client,
                subject.clone(),
                body.clone(),
                *n,
                window,
                a.sleep,
                progress.bar(*n, format!("pub [{}]", i + 1)),
            ))
        })
        .collect();
    let mut group = Group::new(label, 'P');
    group.samples = join(tasks).await?;
    finish("JetStream", &[group], &a.common)
}

/// Acknowledges `msg` as `mode` asks; `last_of_batch` marks where `all` acks.
async fn acknowledge(
    msg: &jetstream::Message,
    mode: AckMode,
    last_of_batch: bool,
) -> Result<(), Error> {
    let due = match mode {
        AckMode::Explicit => true,
        AckMode::All => last_of_batch,
        AckMode::None => false,
    };
    if due {
        msg.ack()
            .await
            .map_err(|e| js_err("acknowledging")(e.to_string()))?;
    }
    Ok(())
}

/// Consumes `n` messages from `consumer`.
#[allow(clippy::too_many_arguments)]
async fn consume_job(
    consumer: consumer::PullConsumer,
    n: u64,
    batch: usize,
    acks: AckMode,
    pull: Pull,
    idle: Duration,
    bar: ProgressBar,
) -> Result<Sample, Error> {
    let mut got = 0u64;
    let mut bytes = 0u64;
    let mut start = None;
    let stalled = |got: u64| {
        Error::Nats(format!(
            "consumer received {} of {} messages, then none for {idle:?}: does the stream hold enough?",
            commas(got as f64),
            commas(n as f64)
        ))
    };
    match pull {
        Pull::Fetch => {
            let mut last_progress = Instant::now();
            while got < n {
                let want = usize::try_from(n - got).unwrap_or(usize::MAX).min(batch);
                let mut msgs = consumer
                    .fetch()
                    .max_messages(want)
                    .messages()
                    .await
                    .map_err(|e| js_err("fetch")(e.to_string()))?;
                let mut in_batch = 0usize;
                while let Some(msg) = msgs.next().await {
                    let msg = msg.map_err(|e| js_err("fetch")(e.to_string()))?;
                    start.get_or_insert_with(Instant::now);
                    got += 1;
                    in_batch += 1;
                    bytes += msg.payload.len() as u64;
                    acknowledge(&msg, acks, in_batch == want || got == n).await?;
                    tick(&bar, got);
                }
                if in_batch == 0 {
                    if last_progress.elapsed() > idle {
                        return Err(stalled(got));
                    }
                    tokio::time::sleep(Duration::from_millis(10)).await;
                } else {
                    last_progress = Instant::now();
                }
            }
        }
        Pull::Continuous => {
            let mut msgs = consumer
                .stream()
                .max_messages_per_batch(batch)
                .messages()
                .await
                .map_err(|e| js_err("consume")(e.to_string()))?;
            while got < n {
                let msg = match tokio::time::timeout(idle, msgs.next()).await {
                    Ok(Some(Ok(msg))) => msg,
                    Ok(Some(Err(e))) => return Err(js_err("consume")(e.to_string())),
                    Ok(None) => return Err(Error::Nats("consumer stream ended".into())),
                    Err(_) => return Err(stalled(got)),
                };
                start.get_or_insert_with(Instant::now);
                got += 1;
                bytes += msg.payload.len() as u64;
                let last = got == n || got.is_multiple_of(batch.max(1) as u64);
                acknowledge(&msg, acks, last).await?;
                tick(&bar, got);
            }
        }
    }
    bar.finish();
    let end = Instant::now();
    Ok(Sample {
        msgs: n,
        bytes,
        start: start.unwrap_or(end),
        end,
        latency: None,
    })
}

/// `bench js fetch` and `bench js consume`.
pub async fn consume(settings: &Settings, a: JsConsumeArgs, pull: Pull) -> Result<(), Error> {
    check(&a.common, &[("--clients", a.clients), ("--batch", a.batch)])?;
    let clients = a
        .clients
        .min(usize::try_from(a.common.msgs).unwrap_or(usize::MAX));
    let label = match pull {
        Pull::Fetch => "JetStream durable consumer (fetch)",
        Pull::Continuous => "JetStream durable consumer (consume)",
    };
    banner(
        label,
        &[
            ("stream", a.stream.clone()),
            ("consumer", a.consumer.clone()),
            ("msgs", commas(a.common.msgs as f64)),
            ("batch", a.batch.to_string()),
            ("acks", format!("{:?}", a.acks).to_lowercase()),
            ("clients", clients.to_string()),
        ],
    );
    let admin = jetstream::new(connect(settings).await?);
    let stream = admin
        .get_stream(&a.stream)
        .await
        .map_err(|e| Error::Nats(format!("stream {}: {e}", a.stream)))?;
    // A durable left by an earlier run has delivered its messages already.
    let _ = stream.delete_consumer(&a.consumer).await;
    stream
        .create_consumer(consumer::pull::Config {
            durable_name: Some(a.consumer.clone()),
            ack_policy: match a.acks {
                AckMode::Explicit => consumer::AckPolicy::Explicit,
                AckMode::All => consumer::AckPolicy::All,
                AckMode::None => consumer::AckPolicy::None,
            },
            max_ack_pending: i64::try_from(a.batch.saturating_mul(clients))
                .unwrap_or(i64::MAX)
                .max(1000),
            ..Default::default()
        })
        .await
        .map_err(|e| js_err("creating the consumer")(e.to_string()))?;

    let progress = Progress::new(&a.common);
    let counts = split(a.common.msgs, clients);
    let mut tasks = Vec::with_capacity(counts.len());
    for (i, n) in counts.iter().enumerate() {
        let js = jetstream::new(connect(settings).await?);
        let consumer: consumer::PullConsumer = js
            .get_consumer_from_stream(&a.consumer, &a.stream)
            .await
            .map_err(|e| js_err("binding to the consumer")(e.to_string()))?;
        tasks.push(tokio::spawn(consume_job(
            consumer,
            *n,
            a.batch,
            a.acks,
            pull,
            settings.timeout,
            progress.bar(*n, format!("sub [{}]", i + 1)),
        )));
    }
    let mut group = Group::new(label, 'S');
    group.samples = join(tasks).await?;
    finish("JetStream", &[group], &a.common)
}
