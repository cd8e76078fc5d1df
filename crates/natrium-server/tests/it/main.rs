//! Integration tests: a real server on a free port, real clients over TCP.

mod accounts;
mod auth;
mod batch;
mod binary;
mod cluster;
mod consumer_control;
mod interop;
mod jetstream;
mod jwt;
mod kv_links;
mod limits;
mod mapping;
mod monitor;
mod permissions;
mod protocol;
mod pubsub;
mod reload;
mod schedule;
mod snapshot;
mod sourcing;
mod tls;
mod trace;
mod websocket;
