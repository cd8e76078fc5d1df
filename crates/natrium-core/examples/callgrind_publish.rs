//! A fixed workload for `scripts/callgrind.sh`: `N` publishes of a 128-byte message through
//! the router into subscribers' outbound buffers (match cache, queue pick, encode, append).
//!
//! Usage: `callgrind_publish <no_subs|one_sub|fanout4|queue4> <N>`. The buffers are never
//! drained (nothing here is I/O), so `N` should stay in the tens of thousands.

use std::process::ExitCode;
use std::sync::Arc;

use natrium_core::{Account, ClientHandle, Message, Publisher};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn run(case: &str, n: usize) -> Result<()> {
    let account = Account::new("$G");
    let publisher = Arc::new(ClientHandle::new(1, usize::MAX));
    let (subs, queue) = match case {
        "no_subs" => (0, None),
        "one_sub" => (1, None),
        "fanout4" => (4, None),
        "queue4" => (4, Some(&b"workers"[..])),
        _ => return Err(format!("unknown case {case}").into()),
    };
    let mut clients = Vec::new();
    for id in 0..subs {
        let client = Arc::new(ClientHandle::new(10 + id, usize::MAX));
        account.subscribe(&client, b"foo.bar", queue, b"1")?;
        clients.push(client);
    }
    let payload = [b'x'; 128];
    let msg = Message {
        subject: b"foo.bar",
        reply: None,
        headers: None,
        payload: &payload,
    };
    let mut p = Publisher::new(7);
    for _ in 0..n {
        account.publish(Some(&publisher), &msg, &mut p);
    }
    p.wakes.flush();
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(case), Some(Ok(n))) = (args.get(1), args.get(2).map(|n| n.parse::<usize>())) else {
        eprintln!("usage: callgrind_publish <case> <iterations>");
        return ExitCode::FAILURE;
    };
    match run(case, n) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
