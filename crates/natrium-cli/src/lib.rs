//! `natrium-cli`: the `natrium` command-line tool, in the spirit of the `nats` CLI, with the
//! same command and flag names wherever that tool has them (`stream add NAME --subjects ..
//! --defaults`, `kv get BUCKET KEY --raw`, `pub SUBJECT BODY`, `sub SUBJECT --count 1`).
//!
//! It owns: argument parsing, connection options and named contexts (stored in the user's
//! config dir), and the commands — messaging (`pub`/`sub`/`req`/`reply`), server requests
//! (`server info/ping/list/report/check`, `rtt`), message tracing (`trace`), local mapping tests (`server mapping`), JetStream admin (`stream`, `consumer`,
//! `account`), `kv`, `object`, questions at a terminal for settings not given, `bench` (load generation and measurement), `mcp` (a Model
//! Context Protocol server for AI agents) and shell completions.
//!
//! What it must never do: depend on Natrium's internals. It speaks to any NATS server —
//! the Go `nats-server` and `natrium-server` alike — only through the official
//! `async-nats` client and the public subjects (`$JS.API.*`, `$SYS.REQ.*`); the server
//! crates are dev-dependencies for tests only. The one exception is `natrium-subject`, a
//! pure leaf crate (no I/O, no server state): `server mapping` uses its transform engine so
//! a mapping tested here behaves exactly as the server will apply it. `--json` output is the server's own
//! response body, never a re-serialized client struct. A malformed server response is an
//! error line, never a panic, and nothing destructive happens without `--force` or an
//! interactive "y".

#[macro_use]
pub mod output;
pub mod cli;
mod cmd;
pub mod conn;
pub mod context;
pub mod error;
pub mod jsapi;
mod mcp;
pub mod prompt;
pub mod units;

use std::process::ExitCode;

pub use cli::Cli;
pub use error::Error;

/// Runs one parsed command line; the exit code is 0 unless a command (e.g. `server
/// check`) reports a status through it.
pub async fn run(cli: Cli) -> Result<ExitCode, Error> {
    cmd::dispatch(cli).await
}
