//! Operator mode ("decentralized auth"): NATS JWTs and the trust chain they form.
//!
//! - [`token`]: decoding a JWT and verifying its `ed25519-nkey` signature.
//! - [`trust`]: the trusted operators, the accounts they signed (the memory resolver), and
//!   the check of a client's user JWT and nonce signature.
//! - [`template`]: permission templates of scoped signing keys, filled in per user.
//! - [`links`]: the preloaded accounts turned into the account registry's setup (exports,
//!   imports, JetStream).
//!
//! The claim types themselves are wire types in `natrium_api::jwt`.

pub mod links;
pub mod template;
pub mod token;
pub mod trust;

pub use token::{decode, undecorate, TokenError};
pub use trust::{ConnectionSlot, Expiry, JwtUser, Refused, Trust, TrustError};

#[cfg(test)]
mod tests;
