//! `natrium mcp`: a Model Context Protocol server on stdin/stdout (through `rmcp`) that
//! lets an AI agent inspect and, unless `--read-only`, change a NATS system: servers,
//! accounts, streams, consumers, key-value and object buckets, plus publish/request and a
//! stream backup/restore to a directory.
//!
//! Two safety rules shape it. Every tool that changes anything (on the server or on the
//! local disk) is marked as writing and, with `--read-only`, is neither listed nor
//! callable. Every tool that returns messages or values is bounded by `max_messages` and
//! `max_bytes` (defaults [`DEFAULT_MAX_MESSAGES`], [`DEFAULT_MAX_BYTES`]; hard caps
//! [`CAP_MAX_MESSAGES`], [`CAP_MAX_BYTES`]) and says `"truncated": true` when it stopped
//! early, so an agent cannot pull a whole stream into its context by accident.

mod backup;
mod catalog;
mod tools;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use async_nats::Client;
use clap::Args;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde_json::{Map, Value};

use crate::conn::Settings;
use crate::Error;

/// Messages returned by one call when `max_messages` is not given.
pub const DEFAULT_MAX_MESSAGES: u64 = 100;
/// Payload bytes returned by one call when `max_bytes` is not given.
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024;
/// The most messages one call returns, whatever it asks for.
pub const CAP_MAX_MESSAGES: u64 = 10_000;
/// The most payload bytes one call returns, whatever it asks for.
pub const CAP_MAX_BYTES: u64 = 16 * 1024 * 1024;

/// `mcp` flags.
#[derive(Debug, Args)]
pub struct McpArgs {
    /// Offer only tools that change nothing (no publish, request, put, delete, ...)
    #[arg(long)]
    pub read_only: bool,
    /// Directory that account_backup writes into and account_restore reads from; tool
    /// paths are relative to it and may not leave it
    #[arg(long, value_name = "DIR", default_value = "natrium-backups")]
    pub backup_dir: PathBuf,
}

/// What a tool call gets to work with.
pub(crate) struct Ctx {
    pub client: Client,
    pub timeout: Duration,
    pub backup_dir: PathBuf,
}

/// The MCP server: the enabled tools and the NATS connection.
struct NatsMcp {
    ctx: Arc<Ctx>,
    tools: Vec<Tool>,
}

impl NatsMcp {
    fn enabled(&self, name: &str) -> bool {
        self.tools.iter().any(|t| t.name == name)
    }
}

impl ServerHandler for NatsMcp {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("natrium", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "NATS tools: servers, accounts, JetStream streams and consumers, key-value \
                 and object buckets. Results that carry messages are bounded by max_messages \
                 and max_bytes and say \"truncated\": true when more was available.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.tools.clone()))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.tools.iter().find(|t| t.name == name).cloned()
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let name = request.name.as_ref();
        if !self.enabled(name) {
            let why = if catalog::is_write_tool(name) {
                format!("tool {name} is not available: this server runs --read-only")
            } else {
                format!("unknown tool {name}")
            };
            return Ok(CallToolResult::error(vec![ContentBlock::text(why)]).into());
        }
        let args = request.arguments.unwrap_or_default();
        let result = match tools::call(&self.ctx, name, &args).await {
            Ok(value) => {
                let text =
                    serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string());
                let mut r = CallToolResult::success(vec![ContentBlock::text(text)]);
                if value.is_object() {
                    r.structured_content = Some(value);
                }
                r
            }
            Err(e) => CallToolResult::error(vec![ContentBlock::text(e.to_string())]),
        };
        Ok(result.into())
    }
}

/// Runs the MCP server on stdin/stdout until the client closes stdin.
pub async fn run(settings: &Settings, args: McpArgs) -> Result<(), Error> {
    let client = settings.connect().await?;
    let tools = catalog::tools(args.read_only);
    let server = NatsMcp {
        ctx: Arc::new(Ctx {
            client,
            timeout: settings.timeout,
            backup_dir: args.backup_dir,
        }),
        tools,
    };
    let running = server
        .serve(rmcp::transport::stdio())
        .await
        .map_err(|e| Error::Nats(format!("MCP session: {e}")))?;
    running
        .waiting()
        .await
        .map_err(|e| Error::Nats(format!("MCP session: {e}")))?;
    Ok(())
}

/// A tool's arguments, read with clear errors.
pub(crate) struct Params<'a>(pub &'a Map<String, Value>);

impl Params<'_> {
    /// A required string.
    pub fn str(&self, key: &str) -> Result<&str, Error> {
        self.opt_str(key)?
            .ok_or_else(|| Error::Usage(format!("missing argument {key:?}")))
    }

    /// An optional string.
    pub fn opt_str(&self, key: &str) -> Result<Option<&str>, Error> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(Error::Usage(format!("argument {key:?} must be a string"))),
        }
    }

    /// An optional non-negative integer.
    pub fn opt_u64(&self, key: &str) -> Result<Option<u64>, Error> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v.as_u64().map(Some).ok_or_else(|| {
                Error::Usage(format!("argument {key:?} must be a non-negative integer"))
            }),
        }
    }

    /// `max_messages` and `max_bytes`, defaulted and capped.
    pub fn bounds(&self) -> Result<Bounds, Error> {
        let max_messages = self
            .opt_u64("max_messages")?
            .unwrap_or(DEFAULT_MAX_MESSAGES)
            .clamp(1, CAP_MAX_MESSAGES);
        let max_bytes = self
            .opt_u64("max_bytes")?
            .unwrap_or(DEFAULT_MAX_BYTES)
            .clamp(1, CAP_MAX_BYTES);
        Ok(Bounds {
            max_messages: max_messages as usize,
            max_bytes: max_bytes as usize,
            items: Vec::new(),
            bytes: 0,
            truncated: false,
        })
    }
}

/// Collects items until `max_messages` or `max_bytes` would be exceeded.
pub(crate) struct Bounds {
    max_messages: usize,
    max_bytes: usize,
    items: Vec<Value>,
    bytes: usize,
    truncated: bool,
}

impl Bounds {
    /// Adds an item carrying `data`; `render` turns the (possibly cut) data into the
    /// item. Returns false, marking the result truncated, when the item does not fit: a
    /// first item larger than `max_bytes` is still returned, cut, with
    /// `"data_truncated": true`.
    pub fn push(&mut self, data: &[u8], render: impl FnOnce(&[u8]) -> Value) -> bool {
        if self.items.len() >= self.max_messages {
            self.truncated = true;
            return false;
        }
        if self.bytes + data.len() > self.max_bytes {
            self.truncated = true;
            if self.items.is_empty() {
                let cut = data.get(..self.max_bytes).unwrap_or(data);
                let mut item = render(cut);
                if let Some(obj) = item.as_object_mut() {
                    obj.insert("data_truncated".into(), Value::Bool(true));
                }
                self.bytes = cut.len();
                self.items.push(item);
            }
            return false;
        }
        self.bytes += data.len();
        self.items.push(render(data));
        true
    }

    /// `{ <key>: [...], "count": n, "truncated": bool }` plus `extra`.
    pub fn finish(self, key: &str, extra: Map<String, Value>) -> Value {
        let mut out = Map::new();
        out.insert("count".into(), Value::from(self.items.len()));
        out.insert(key.into(), Value::Array(self.items));
        out.insert("truncated".into(), Value::Bool(self.truncated));
        out.extend(extra);
        Value::Object(out)
    }
}
