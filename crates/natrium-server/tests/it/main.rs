//! Integration tests: a real server on a free port, real clients over TCP.

mod accounts;
mod auth;
mod binary;
mod cluster;
mod interop;
mod jetstream;
mod jwt;
mod limits;
mod monitor;
mod permissions;
mod protocol;
mod pubsub;
