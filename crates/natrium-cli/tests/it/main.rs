//! `natrium` end to end: the real binary (via `assert_cmd`) against an in-process
//! natrium-server on a free port, checking output and exit codes; `interop` runs a few of
//! the same commands against the reference nats-server when `NATRIUM_REFERENCE_SERVER`
//! names one.

mod backup;
mod bench;
mod common;
mod connection;
mod consumer;
mod interop;
mod kv;
mod mcp;
mod messaging;
mod misc;
mod object;
mod prompt;
mod server;
mod stream;
mod trace;
