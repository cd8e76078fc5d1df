//! `account info`: the connection's view plus `$JS.API.INFO`.

use std::time::Duration;

use async_nats::Client;
use clap::Subcommand;
use serde_json::Value;

use crate::jsapi::{self, i64_of, u64_of};
use crate::output::{print_raw, Section};
use crate::units::human_bytes;
use crate::Error;

/// Account commands.
#[derive(Debug, Subcommand)]
pub enum AccountCmd {
    /// Connection and JetStream account information
    Info {
        /// Print the server's JetStream account JSON
        #[arg(short = 'j', long)]
        json: bool,
    },
}

fn limit(v: i64) -> String {
    if v < 0 {
        "unlimited".to_owned()
    } else {
        v.to_string()
    }
}

/// Runs an account command.
pub async fn run(client: &Client, cmd: AccountCmd, t: Duration) -> Result<(), Error> {
    let AccountCmd::Info { json } = cmd;
    let js = jsapi::js(client, "INFO", &Value::Null, t).await;
    if json {
        return print_raw(&js?.raw);
    }
    let info = client.server_info();
    outln!("Connection Information:\n");
    let mut s = Section::new();
    s.add("Client ID", info.client_id);
    s.add("Client IP", &info.client_ip);
    s.add("Connected URL", format!("{}:{}", info.host, info.port));
    s.add("Connected Server", &info.server_name);
    s.add("Server Version", &info.version);
    s.add(
        "Maximum Payload",
        human_bytes(u64::try_from(info.max_payload).unwrap_or(0)),
    );
    s.add("JetStream", info.jetstream);
    out!("{}", s.render());
    outln!("\nJetStream Account Information:\n");
    match js {
        Ok(resp) => {
            let v = &resp.json;
            let limits = v.get("limits").unwrap_or(&Value::Null);
            let mut s = Section::new();
            s.add(
                "Memory",
                format!(
                    "{} of {}",
                    human_bytes(u64_of(v, "memory")),
                    limit(i64_of(limits, "max_memory"))
                ),
            );
            s.add(
                "Storage",
                format!(
                    "{} of {}",
                    human_bytes(u64_of(v, "storage")),
                    limit(i64_of(limits, "max_storage"))
                ),
            );
            s.add(
                "Streams",
                format!(
                    "{} of {}",
                    u64_of(v, "streams"),
                    limit(i64_of(limits, "max_streams"))
                ),
            );
            s.add(
                "Consumers",
                format!(
                    "{} of {}",
                    u64_of(v, "consumers"),
                    limit(i64_of(limits, "max_consumers"))
                ),
            );
            let api = v.get("api").unwrap_or(&Value::Null);
            s.add("API Requests", u64_of(api, "total"));
            s.add("API Errors", u64_of(api, "errors"));
            out!("{}", s.render());
        }
        Err(e) => outln!("  JetStream is not available: {e}"),
    }
    Ok(())
}
