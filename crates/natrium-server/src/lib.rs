//! `natrium-server`: a NATS server. It owns sockets, the client session (CONNECT, auth,
//! limits, PING/PONG liveness), monitoring over HTTP, options from flags and config files,
//! and signals; it is both the `natrium-server` binary and a library that starts a server
//! in-process ([`Server::builder`]).
//!
//! Clustering lives in [`route`]: route connections to the other servers, interest
//! propagation and the client URLs clients learn about.
//!
//! What it must never do: route messages itself (that is `natrium-core`), parse wire bytes
//! by hand (that is `natrium-proto`), or panic on anything a client or a config file sends.

pub mod accounts;
pub mod auth;
pub mod client;
pub mod config;
pub mod flags;
pub mod info;
pub mod jwt;
pub mod monitor;
pub mod options;
pub mod permissions;
pub mod reload;
pub mod route;
pub mod server;
pub mod state;
pub mod sys;
pub mod transport;

pub use options::Options;
pub use server::{Builder, Server, StartError};
