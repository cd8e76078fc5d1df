//! API CONTRACT STUB — the proto helper replaces this file.
#![allow(missing_docs)]

/// Limits the parser enforces while bytes enter.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_control_line: usize,
    pub max_payload: usize,
}

/// One client operation, borrowing from the read buffer.
#[derive(Debug, PartialEq, Eq)]
pub enum ClientOp<'a> {
    Connect(&'a [u8]),
    Pub { subject: &'a [u8], reply: Option<&'a [u8]>, payload: &'a [u8] },
    HPub { subject: &'a [u8], reply: Option<&'a [u8]>, headers: &'a [u8], payload: &'a [u8] },
    Sub { subject: &'a [u8], queue: Option<&'a [u8]>, sid: &'a [u8] },
    Unsub { sid: &'a [u8], max: Option<u64> },
    Ping,
    Pong,
    Ok,
    Err(&'a [u8]),
    Info(&'a [u8]),
}

#[derive(Debug, PartialEq, Eq)]
pub enum Parsed<'a> {
    Op(ClientOp<'a>, usize),
    Incomplete { needed: Option<usize> },
}

#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum ProtoError {
    #[error("unknown protocol operation")]
    UnknownOp,
}

impl ProtoError {
    pub fn client_text(&self) -> &'static str { todo!() }
    pub fn closes_connection(&self) -> bool { todo!() }
}

pub fn parse_client_op<'a>(_buf: &'a [u8], _limits: &Limits) -> Result<Parsed<'a>, ProtoError> { todo!() }

pub fn encode_msg<B: bytes::BufMut>(_out: &mut B, _subject: &[u8], _sid: &[u8], _reply: Option<&[u8]>, _payload: &[u8]) { todo!() }
pub fn encode_hmsg<B: bytes::BufMut>(_out: &mut B, _subject: &[u8], _sid: &[u8], _reply: Option<&[u8]>, _headers: &[u8], _payload: &[u8]) { todo!() }
pub fn encode_err<B: bytes::BufMut>(_out: &mut B, _text: &str) { todo!() }

/// INFO sent to clients (field names as nats-server).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ServerInfo {
    pub server_id: String,
    pub server_name: String,
    pub version: String,
    pub proto: u32,
    pub go: String,
    pub host: String,
    pub port: u16,
    pub headers: bool,
    pub max_payload: usize,
    #[serde(skip_serializing_if = "is_false")]
    pub auth_required: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub tls_required: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub tls_available: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub jetstream: bool,
    pub client_id: u64,
    pub client_ip: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub connect_urls: Vec<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub ldm: bool,
}
fn is_false(b: &bool) -> bool { !*b }

impl ServerInfo {
    pub fn encode<B: bytes::BufMut>(&self, _out: &mut B) { todo!() }
}

/// CONNECT options sent by clients.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ConnectInfo {
    pub verbose: bool,
    pub pedantic: bool,
    pub tls_required: bool,
    pub echo: Option<bool>,
    pub headers: bool,
    pub no_responders: bool,
    pub protocol: u32,
    pub name: Option<String>,
    pub lang: Option<String>,
    pub version: Option<String>,
    pub user: Option<String>,
    pub pass: Option<String>,
    pub auth_token: Option<String>,
    pub nkey: Option<String>,
    pub sig: Option<String>,
    pub jwt: Option<String>,
}
impl ConnectInfo {
    pub fn from_json(_json: &[u8]) -> Result<Self, ProtoError> { todo!() }
}
