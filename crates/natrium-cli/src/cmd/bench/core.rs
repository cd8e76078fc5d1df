//! Core NATS benchmarks: publishers, subscribers, both at once, and request/reply.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_nats::{Client, Subject, Subscriber};
use bytes::Bytes;
use futures::{FutureExt, StreamExt};
use indicatif::ProgressBar;

use super::stats::{self, commas, split, Group, Sample};
use super::{
    banner, check, connect, finish, join, tick, Progress, PubArgs, PubSubArgs, ReqRepArgs,
    RequestArgs, ServeArgs, SubArgs,
};
use crate::conn::Settings;
use crate::Error;

/// Queue group of the benchmark responders.
const QUEUE: &str = "natrium-bench";

/// A payload of `size` bytes.
pub(super) fn payload(size: usize) -> Bytes {
    Bytes::from(vec![b'#'; size])
}

/// Publishes `n` messages as fast as the connection takes them (or with `sleep` between),
/// then waits for a round trip: the job ends when the server has processed them all (a
/// process that exits with them still unread by the server loses them when the closed
/// socket resets the connection).
async fn publish_job(
    client: Client,
    subject: Subject,
    body: Bytes,
    n: u64,
    sleep: Option<Duration>,
    timeout: Duration,
    bar: ProgressBar,
) -> Result<Sample, Error> {
    let start = Instant::now();
    for i in 1..=n {
        client.publish(subject.clone(), body.clone()).await?;
        if let Some(d) = sleep {
            tokio::time::sleep(d).await;
        }
        tick(&bar, i);
    }
    round_trip(&client, timeout).await?;
    bar.finish();
    Ok(Sample {
        msgs: n,
        bytes: n * body.len() as u64,
        start,
        end: Instant::now(),
        latency: None,
    })
}

/// The next message, without arming a timer when one is already waiting.
async fn next_within(sub: &mut Subscriber, wait: Option<Duration>) -> Option<Option<()>> {
    if let Some(msg) = sub.next().now_or_never() {
        return Some(msg.map(|_| ()));
    }
    match wait {
        Some(d) => tokio::time::timeout(d, sub.next())
            .await
            .ok()
            .map(|m| m.map(|_| ())),
        None => Some(sub.next().await.map(|_| ())),
    }
}

/// Receives `n` messages; the clock starts at the first. `first_wait` bounds the wait
/// for the first message (None: wait for a publisher as long as it takes), `idle` every
/// later one.
async fn receive_job(
    mut sub: Subscriber,
    n: u64,
    size: usize,
    first_wait: Option<Duration>,
    idle: Duration,
    bar: ProgressBar,
) -> Result<Sample, Error> {
    let closed = || Error::Nats("subscription closed".into());
    match next_within(&mut sub, first_wait).await {
        Some(Some(())) => {}
        Some(None) => return Err(closed()),
        None => return Err(Error::Timeout(format!("the first of {n} messages"))),
    }
    let start = Instant::now();
    let mut got = 1;
    tick(&bar, got);
    while got < n {
        match next_within(&mut sub, Some(idle)).await {
            Some(Some(())) => got += 1,
            Some(None) => return Err(closed()),
            None => {
                return Err(Error::Nats(format!(
                    "subscriber received {} of {} messages, then none for {:?}",
                    commas(got as f64),
                    commas(n as f64),
                    idle
                )))
            }
        }
        tick(&bar, got);
    }
    bar.finish();
    Ok(Sample {
        msgs: n,
        bytes: n * size as u64,
        start,
        end: Instant::now(),
        latency: None,
    })
}

/// Sends `n` requests one after the other, timing each round trip.
async fn request_job(
    client: Client,
    subject: Subject,
    body: Bytes,
    n: u64,
    sleep: Option<Duration>,
    bar: ProgressBar,
) -> Result<Sample, Error> {
    let mut hist = stats::histogram()?;
    let start = Instant::now();
    for i in 1..=n {
        let t = Instant::now();
        client
            .request(subject.clone(), body.clone())
            .await
            .map_err(|e| Error::Nats(format!("request on {subject}: {e}")))?;
        stats::record(&mut hist, t.elapsed());
        if let Some(d) = sleep {
            tokio::time::sleep(d).await;
        }
        tick(&bar, i);
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

/// Answers requests on `sub` with their own body until the subscription ends or
/// `answered` reaches `limit`.
async fn serve_job(
    client: Client,
    mut sub: Subscriber,
    sleep: Option<Duration>,
    answered: Arc<AtomicU64>,
    limit: Option<u64>,
    done: Arc<tokio::sync::Notify>,
) -> Result<(), Error> {
    while let Some(msg) = sub.next().await {
        if let Some(reply) = msg.reply {
            if let Some(d) = sleep {
                tokio::time::sleep(d).await;
            }
            client.publish(reply, msg.payload).await?;
            let n = answered.fetch_add(1, Ordering::Relaxed) + 1;
            if limit.is_some_and(|l| n >= l) {
                client
                    .flush()
                    .await
                    .map_err(|e| Error::Nats(e.to_string()))?;
                done.notify_one();
            }
        }
    }
    Ok(())
}

/// Starts publishers for `counts` on fresh connections.
async fn start_publishers(
    settings: &Settings,
    subject: &str,
    size: usize,
    counts: &[u64],
    sleep: Option<Duration>,
    progress: &Progress,
) -> Result<Vec<tokio::task::JoinHandle<Result<Sample, Error>>>, Error> {
    let mut clients = Vec::with_capacity(counts.len());
    for _ in counts {
        clients.push(connect(settings).await?);
    }
    let body = payload(size);
    let subject = Subject::from(subject);
    Ok(clients
        .into_iter()
        .zip(counts)
        .enumerate()
        .map(|(i, (client, n))| {
            let bar = progress.bar(*n, format!("pub [{}]", i + 1));
            tokio::spawn(publish_job(
                client,
                subject.clone(),
                body.clone(),
                *n,
                sleep,
                settings.timeout,
                bar,
            ))
        })
        .collect())
}

/// Returns once the server has processed everything `client` sent so far: a message to
/// its own inbox comes back only after everything sent before it (subscriptions,
/// publishes) was processed; async-nats' `flush` only empties the client's buffer. The
/// probe needs a user who may use `_INBOX`, as benchmark users can.
async fn round_trip(
    client: &async_nats::Client,
    timeout: std::time::Duration,
) -> Result<(), Error> {
    use futures::StreamExt as _;
    let inbox = client.new_inbox();
    let mut probe = client.subscribe(inbox.clone()).await?;
    client
        .publish(inbox, bytes::Bytes::new())
        .await
        .map_err(|e| Error::Nats(e.to_string()))?;
    match tokio::time::timeout(timeout, probe.next()).await {
        Ok(Some(_)) => Ok(()),
        _ => Err(Error::Nats(
            "the server did not answer a round trip in time".into(),
        )),
    }
}

/// Subscribes `count` clients (registered on the server before this returns) and starts
/// their receivers.
async fn start_subscribers(
    settings: &Settings,
    subject: &str,
    count: usize,
    expect: u64,
    size: usize,
    first_wait: Option<Duration>,
    progress: &Progress,
) -> Result<
    (
        Vec<Client>,
        Vec<tokio::task::JoinHandle<Result<Sample, Error>>>,
    ),
    Error,
> {
    let mut clients = Vec::with_capacity(count);
    let mut tasks = Vec::with_capacity(count);
    for i in 0..count {
        let client = connect(settings).await?;
        let sub = client.subscribe(subject.to_owned()).await?;
        round_trip(&client, settings.timeout).await?;
        let bar = progress.bar(expect, format!("sub [{}]", i + 1));
        tasks.push(tokio::spawn(receive_job(
            sub,
            expect,
            size,
            first_wait,
            settings.timeout,
            bar,
        )));
        clients.push(client);
    }
    Ok((clients, tasks))
}

/// `bench pub`.
pub async fn publish(settings: &Settings, a: PubArgs) -> Result<(), Error> {
    check(&a.common, &[("--clients", a.clients)])?;
    let clients = a
        .clients
        .min(usize::try_from(a.common.msgs).unwrap_or(usize::MAX));
    banner(
        "Core NATS publisher",
        &[
            ("subject", a.subject.clone()),
            ("msgs", commas(a.common.msgs as f64)),
            ("msgsize", crate::units::human_bytes(a.common.size as u64)),
            ("clients", clients.to_string()),
        ],
    );
    let progress = Progress::new(&a.common);
    let counts = split(a.common.msgs, clients);
    let tasks = start_publishers(
        settings,
        &a.subject,
        a.common.size,
        &counts,
        a.sleep,
        &progress,
    )
    .await?;
    let mut group = Group::new("Core NATS publisher", 'P');
    group.samples = join(tasks).await?;
    finish("NATS", &[group], &a.common)
}

/// `bench sub`.
pub async fn subscribe(settings: &Settings, a: SubArgs) -> Result<(), Error> {
    check(&a.common, &[("--clients", a.clients)])?;
    banner(
        "Core NATS subscriber",
        &[
            ("subject", a.subject.clone()),
            ("msgs", commas(a.common.msgs as f64)),
            ("clients", a.clients.to_string()),
        ],
    );
    let progress = Progress::new(&a.common);
    let (_clients, tasks) = start_subscribers(
        settings,
        &a.subject,
        a.clients,
        a.common.msgs,
        a.common.size,
        None,
        &progress,
    )
    .await?;
    eprintln!("Waiting for messages on {}", a.subject);
    let mut group = Group::new("Core NATS subscriber", 'S');
    group.samples = join(tasks).await?;
    finish("NATS", &[group], &a.common)
}

/// `bench pubsub`: subscribers first, then publishers; every subscriber must see every
/// message.
pub async fn pubsub(settings: &Settings, a: PubSubArgs) -> Result<(), Error> {
    check(
        &a.common,
        &[("--pub", a.publishers), ("--sub", a.subscribers)],
    )?;
    let publishers = a
        .publishers
        .min(usize::try_from(a.common.msgs).unwrap_or(usize::MAX));
    banner(
        "Core NATS publish/subscribe",
        &[
            ("subject", a.subject.clone()),
            ("msgs", commas(a.common.msgs as f64)),
            ("msgsize", crate::units::human_bytes(a.common.size as u64)),
            ("pubs", publishers.to_string()),
            ("subs", a.subscribers.to_string()),
        ],
    );
    let progress = Progress::new(&a.common);
    let (_subs, sub_tasks) = start_subscribers(
        settings,
        &a.subject,
        a.subscribers,
        a.common.msgs,
        a.common.size,
        Some(settings.timeout),
        &progress,
    )
    .await?;
    let counts = split(a.common.msgs, publishers);
    let pub_tasks = start_publishers(
        settings,
        &a.subject,
        a.common.size,
        &counts,
        a.sleep,
        &progress,
    )
    .await?;
    let mut pubs = Group::new("Core NATS publisher", 'P');
    pubs.samples = join(pub_tasks).await?;
    let mut subs = Group::new("Core NATS subscriber", 'S');
    subs.samples = join(sub_tasks).await?;
    finish("NATS Pub/Sub", &[pubs, subs], &a.common)
}

/// Starts `count` responders in the benchmark queue group.
async fn start_responders(
    settings: &Settings,
    subject: &str,
    count: usize,
    sleep: Option<Duration>,
    limit: Option<u64>,
) -> Result<
    (
        Arc<AtomicU64>,
        Arc<tokio::sync::Notify>,
        Vec<tokio::task::JoinHandle<Result<(), Error>>>,
    ),
    Error,
> {
    let answered = Arc::new(AtomicU64::new(0));
    let done = Arc::new(tokio::sync::Notify::new());
    let mut tasks = Vec::with_capacity(count);
    for _ in 0..count {
        let client = connect(settings).await?;
        let sub = client
            .queue_subscribe(subject.to_owned(), QUEUE.to_owned())
            .await?;
        client
            .flush()
            .await
            .map_err(|e| Error::Nats(e.to_string()))?;
        tasks.push(tokio::spawn(serve_job(
            client,
            sub,
            sleep,
            answered.clone(),
            limit,
            done.clone(),
        )));
    }
    Ok((answered, done, tasks))
}

/// `bench service serve`: answers until Ctrl-C or `--count`.
pub async fn serve(settings: &Settings, a: ServeArgs) -> Result<(), Error> {
    if a.clients == 0 {
        return Err(Error::Usage("--clients must be at least 1".into()));
    }
    let (answered, done, tasks) =
        start_responders(settings, &a.subject, a.clients, a.sleep, a.count).await?;
    eprintln!(
        "Serving requests on {} (clients: {}, queue group {QUEUE})",
        a.subject, a.clients
    );
    tokio::select! {
        _ = done.notified() => {}
        r = tokio::signal::ctrl_c() => r.map_err(|e| Error::io("waiting for Ctrl-C", e))?,
    }
    for t in tasks {
        t.abort();
    }
    outln!(
        "Answered {} requests",
        commas(answered.load(Ordering::Relaxed) as f64)
    );
    Ok(())
}

/// Starts requesters for `counts`.
async fn start_requesters(
    settings: &Settings,
    subject: &str,
    size: usize,
    counts: &[u64],
    sleep: Option<Duration>,
    progress: &Progress,
) -> Result<Vec<tokio::task::JoinHandle<Result<Sample, Error>>>, Error> {
    let mut clients = Vec::with_capacity(counts.len());
    for _ in counts {
        clients.push(connect(settings).await?);
    }
    let body = payload(size);
    let subject = Subject::from(subject);
    Ok(clients
        .into_iter()
        .zip(counts)
        .enumerate()
        .map(|(i, (client, n))| {
            let bar = progress.bar(*n, format!("req [{}]", i + 1));
            tokio::spawn(request_job(
                client,
                subject.clone(),
                body.clone(),
                *n,
                sleep,
                bar,
            ))
        })
        .collect())
}

/// `bench service request`.
pub async fn request(settings: &Settings, a: RequestArgs) -> Result<(), Error> {
    check(&a.common, &[("--clients", a.clients)])?;
    let clients = a
        .clients
        .min(usize::try_from(a.common.msgs).unwrap_or(usize::MAX));
    banner(
        "Core NATS service requester",
        &[
            ("subject", a.subject.clone()),
            ("msgs", commas(a.common.msgs as f64)),
            ("msgsize", crate::units::human_bytes(a.common.size as u64)),
            ("clients", clients.to_string()),
        ],
    );
    let progress = Progress::new(&a.common);
    let counts = split(a.common.msgs, clients);
    let tasks = start_requesters(
        settings,
        &a.subject,
        a.common.size,
        &counts,
        a.sleep,
        &progress,
    )
    .await?;
    let mut group = Group::new("Core NATS service requester", 'P');
    group.samples = join(tasks).await?;
    finish("NATS", &[group], &a.common)
}

/// `bench reqrep`: responders and requesters in one process.
pub async fn reqrep(settings: &Settings, a: ReqRepArgs) -> Result<(), Error> {
    check(
        &a.common,
        &[("--pub", a.requesters), ("--sub", a.responders)],
    )?;
    let requesters = a
        .requesters
        .min(usize::try_from(a.common.msgs).unwrap_or(usize::MAX));
    banner(
        "Core NATS request/reply",
        &[
            ("subject", a.subject.clone()),
            ("msgs", commas(a.common.msgs as f64)),
            ("msgsize", crate::units::human_bytes(a.common.size as u64)),
            ("requesters", requesters.to_string()),
            ("responders", a.responders.to_string()),
        ],
    );
    let (answered, _done, responders) =
        start_responders(settings, &a.subject, a.responders, None, None).await?;
    let progress = Progress::new(&a.common);
    let counts = split(a.common.msgs, requesters);
    let tasks = start_requesters(
        settings,
        &a.subject,
        a.common.size,
        &counts,
        None,
        &progress,
    )
    .await?;
    let result = join(tasks).await;
    for t in responders {
        t.abort();
    }
    let mut group = Group::new("Core NATS service requester", 'P');
    group.samples = result?;
    finish("NATS", &[group], &a.common)?;
    outln!(
        "Responders answered {} requests",
        commas(answered.load(Ordering::Relaxed) as f64)
    );
    Ok(())
}
