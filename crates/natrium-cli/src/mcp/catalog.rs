//! The tool list: names (as the community NATS MCP servers name them), descriptions,
//! JSON schemas of the arguments, and which tools change state.

use std::sync::Arc;

use rmcp::model::{Tool, ToolAnnotations};
use serde_json::{json, Map, Value};

/// One argument: name, JSON type, description.
type Arg = (&'static str, &'static str, &'static str);

const STREAM: Arg = ("stream", "string", "Stream name");
const BUCKET: Arg = ("bucket", "string", "Bucket name");
const KEY: Arg = ("key", "string", "Key");
const CONSUMER: Arg = ("consumer", "string", "Consumer name");
const MAX_MESSAGES: Arg = (
    "max_messages",
    "integer",
    "Most messages/entries to return (default 100, at most 10000)",
);
const MAX_BYTES: Arg = (
    "max_bytes",
    "integer",
    "Most payload bytes to return (default 65536, at most 16 MiB)",
);
const SERVER: Arg = (
    "server",
    "string",
    "Server name or id (default: the connected server)",
);

/// A tool: name, description, arguments, required arguments, and whether it writes.
struct Spec {
    name: &'static str,
    description: &'static str,
    args: &'static [Arg],
    required: &'static [&'static str],
    writes: bool,
}

const fn read(
    name: &'static str,
    description: &'static str,
    args: &'static [Arg],
    required: &'static [&'static str],
) -> Spec {
    Spec {
        name,
        description,
        args,
        required,
        writes: false,
    }
}

const fn write(
    name: &'static str,
    description: &'static str,
    args: &'static [Arg],
    required: &'static [&'static str],
) -> Spec {
    Spec {
        name,
        description,
        args,
        required,
        writes: true,
    }
}

const SPECS: &[Spec] = &[
    read("server_info", "Information (VARZ) about a server; needs a system-account user for servers other than the connected one", &[SERVER], &[]),
    read("server_list", "Every server that answers a system ping, with name, version, connections and JetStream state (system account)", &[], &[]),
    read("server_ping", "Ping every server through the system account and report each one's round-trip time", &[], &[]),
    read("rtt", "Round-trip time of the client connection to its server", &[], &[]),
    read("account_info", "JetStream usage and limits of the connected account ($JS.API.INFO)", &[], &[]),
    read("account_report_connections", "Connections of the account (CONNZ through the system account), bounded by max_messages", &[SERVER, MAX_MESSAGES], &[]),
    read("stream_list", "Streams with their configuration and state", &[("subject", "string", "Only streams capturing this subject")], &[]),
    read("stream_info", "A stream's configuration and state", &[STREAM], &["stream"]),
    read("stream_state", "A stream's state: message and byte counts, first and last sequence", &[STREAM], &["stream"]),
    read("stream_subjects", "Subjects stored in a stream with their message counts", &[STREAM, ("filter", "string", "Subject filter (default >)"), MAX_MESSAGES], &["stream"]),
    read("stream_view", "Messages of a stream from a sequence on, without creating a consumer", &[STREAM, ("start_seq", "integer", "First sequence (default: the stream's first)"), ("subject", "string", "Only messages on this subject (wildcards allowed)"), MAX_MESSAGES, MAX_BYTES], &["stream"]),
    read("stream_get", "One message of a stream: by sequence, or the last on a subject", &[STREAM, ("seq", "integer", "Sequence"), ("last_by_subject", "string", "Subject whose last message to get"), MAX_BYTES], &["stream"]),
    read("stream_find", "Names of the streams that capture a subject", &[("subject", "string", "Subject (wildcards allowed)")], &["subject"]),
    read("consumer_list", "Consumers of a stream with their configuration and state", &[STREAM], &["stream"]),
    read("consumer_info", "A consumer's configuration and state", &[STREAM, CONSUMER], &["stream", "consumer"]),
    read("kv_ls", "Key-value buckets, or the keys of one bucket (bounded by max_messages)", &[("bucket", "string", "Bucket whose keys to list (default: list buckets)"), MAX_MESSAGES], &[]),
    read("kv_info", "A key-value bucket's configuration and state", &[BUCKET], &["bucket"]),
    read("kv_get", "A key's value (latest or at a revision)", &[BUCKET, KEY, ("revision", "integer", "Revision to read"), MAX_BYTES], &["bucket", "key"]),
    read("kv_history", "The stored revisions of a key, oldest first", &[BUCKET, KEY, MAX_MESSAGES, MAX_BYTES], &["bucket", "key"]),
    read("kv_watch", "Current values of a bucket's keys and changes during a short wait (bounded)", &[BUCKET, ("key", "string", "Key or wildcard (default >)"), ("wait_ms", "integer", "How long to wait for changes after the current values (default 1000, at most 30000)"), MAX_MESSAGES, MAX_BYTES], &["bucket"]),
    read("object_ls", "Object store buckets, or the objects in one bucket", &[("bucket", "string", "Bucket whose objects to list (default: list buckets)"), MAX_MESSAGES], &[]),
    read("object_info", "An object's metadata, or a bucket's status when no name is given", &[BUCKET, ("name", "string", "Object name")], &["bucket"]),
    read("object_get", "An object's content (text, or base64 for binary), bounded by max_bytes", &[BUCKET, ("name", "string", "Object name"), MAX_BYTES], &["bucket", "name"]),
    write("publish", "Publish a message", &[("subject", "string", "Subject"), ("body", "string", "Message body"), ("headers", "object", "Headers as name: value")], &["subject"]),
    write("request", "Send a request and return the reply (the request may trigger actions at its responder)", &[("subject", "string", "Subject"), ("body", "string", "Request body"), ("headers", "object", "Headers as name: value"), ("timeout_ms", "integer", "How long to wait for the reply"), MAX_BYTES], &["subject"]),
    write("consumer_pause", "Pause a consumer until a time", &[STREAM, CONSUMER, ("until", "string", "RFC 3339 time to pause until")], &["stream", "consumer", "until"]),
    write("consumer_resume", "Resume a paused consumer", &[STREAM, CONSUMER], &["stream", "consumer"]),
    write("kv_add", "Create a key-value bucket", &[BUCKET, ("history", "integer", "Revisions kept per key (default 1)"), ("max_bucket_bytes", "integer", "Size limit of the bucket in bytes"), ("storage", "string", "file or memory")], &["bucket"]),
    write("kv_put", "Set a key's value", &[BUCKET, KEY, ("value", "string", "Value")], &["bucket", "key", "value"]),
    write("kv_create", "Set a key only if it has no value", &[BUCKET, KEY, ("value", "string", "Value")], &["bucket", "key", "value"]),
    write("kv_update", "Set a key only if its latest revision is the one given", &[BUCKET, KEY, ("value", "string", "Value"), ("revision", "integer", "Expected latest revision")], &["bucket", "key", "value", "revision"]),
    write("kv_del", "Delete a key (keeps history)", &[BUCKET, KEY], &["bucket", "key"]),
    write("kv_purge", "Purge a key: delete it and its history", &[BUCKET, KEY], &["bucket", "key"]),
    write("object_add", "Create an object store bucket", &[BUCKET, ("storage", "string", "file or memory")], &["bucket"]),
    write("object_put", "Store an object from text (or base64 with encoding=base64)", &[BUCKET, ("name", "string", "Object name"), ("data", "string", "Content"), ("encoding", "string", "text (default) or base64")], &["bucket", "name", "data"]),
    write("object_del", "Delete an object", &[BUCKET, ("name", "string", "Object name")], &["bucket", "name"]),
    write("object_seal", "Seal an object store bucket: no more changes", &[BUCKET], &["bucket"]),
    write("account_backup", "Write streams (configuration and messages as JSON lines) into a directory under the backup directory", &[("path", "string", "Directory, relative to the server's --backup-dir"), ("streams", "array", "Stream names (default: every stream)")], &["path"]),
    write("account_restore", "Recreate streams from a backup directory under the backup directory", &[("path", "string", "Directory, relative to the server's --backup-dir"), ("streams", "array", "Stream names (default: every stream in the backup)")], &["path"]),
];

fn schema(spec: &Spec) -> Map<String, Value> {
    let mut props = Map::new();
    for (name, ty, description) in spec.args {
        let mut p = json!({ "type": ty, "description": description });
        if *ty == "array" {
            p["items"] = json!({ "type": "string" });
        }
        if *ty == "object" {
            p["additionalProperties"] = json!({ "type": "string" });
        }
        props.insert((*name).to_owned(), p);
    }
    let mut schema = Map::new();
    schema.insert("type".into(), json!("object"));
    schema.insert("properties".into(), Value::Object(props));
    schema.insert("required".into(), json!(spec.required));
    schema.insert("additionalProperties".into(), json!(false));
    schema
}

/// The tools to offer; without the writing ones when `read_only`.
pub fn tools(read_only: bool) -> Vec<Tool> {
    SPECS
        .iter()
        .filter(|s| !(read_only && s.writes))
        .map(|s| {
            Tool::new(s.name, s.description, Arc::new(schema(s))).with_annotations(
                ToolAnnotations::new()
                    .read_only(!s.writes)
                    .destructive(s.writes),
            )
        })
        .collect()
}

/// Whether `name` is one of the tools that change state.
pub fn is_write_tool(name: &str) -> bool {
    SPECS.iter().any(|s| s.name == name && s.writes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_drops_exactly_the_writing_tools() {
        let all = tools(false);
        let ro = tools(true);
        assert_eq!(all.len(), SPECS.len());
        assert!(ro.iter().all(|t| !is_write_tool(&t.name)));
        assert!(ro.len() < all.len());
        for name in [
            "publish",
            "request",
            "kv_put",
            "object_put",
            "account_restore",
        ] {
            assert!(is_write_tool(name), "{name}");
        }
    }

    #[test]
    fn every_required_argument_is_declared() {
        for s in SPECS {
            for r in s.required {
                assert!(s.args.iter().any(|(n, _, _)| n == r), "{}: {r}", s.name);
            }
        }
        let mut names: Vec<&str> = SPECS.iter().map(|s| s.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), SPECS.len(), "tool names are unique");
    }
}
