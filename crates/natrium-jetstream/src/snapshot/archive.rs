//! What a Natrium stream snapshot holds (documented in docs/COMPATIBILITY.md): a tar
//! archive of
//!
//! - `meta.json`: `{"config": <stream config>, "created": <unix ns>}`;
//! - `msgs.bin`: `NATRMSG1`, the first and last sequence (u64 LE), then per message
//!   its sequence (u64), timestamp (i64), subject, header and payload lengths (u32)
//!   and those bytes, all little-endian;
//! - `obs/<consumer>/meta.json` (same shape as the stream's) and
//!   `obs/<consumer>/state.json` (delivered, ack floor, pending, redelivered) for each
//!   durable consumer.

use std::collections::BTreeMap;

use natrium_api::jetstream::{ConsumerConfig, StreamConfig};
use natrium_store::{ConsumerState, PendingAck, SequencePair, Store, StoredMsg};
use serde::{Deserialize, Serialize};

use super::tar;

const MSGS_MAGIC: &[u8; 8] = b"NATRMSG1";

#[derive(Serialize, Deserialize)]
struct Meta<T> {
    config: T,
    created: i64,
}

#[derive(Serialize, Deserialize, Default)]
struct State {
    delivered: (u64, u64),
    ack_floor: (u64, u64),
    /// (stream seq, consumer seq, delivered at).
    pending: Vec<(u64, u64, i64)>,
    /// (stream seq, deliveries).
    redelivered: Vec<(u64, u64)>,
}

/// One durable consumer in a snapshot.
pub struct SavedConsumer {
    pub name: String,
    pub config: ConsumerConfig,
    pub created: i64,
    pub state: ConsumerState,
}

/// A message in a snapshot.
pub struct SavedMsg<'a> {
    pub seq: u64,
    pub ts: i64,
    pub subject: &'a str,
    pub headers: &'a [u8],
    pub payload: &'a [u8],
}

/// A snapshot read back.
pub struct Restored<'a> {
    pub created: i64,
    pub first_seq: u64,
    pub last_seq: u64,
    pub msgs: Vec<SavedMsg<'a>>,
    pub consumers: Vec<SavedConsumer>,
}

fn to_json<T: Serialize>(v: &T) -> Result<Vec<u8>, String> {
    serde_json::to_vec(v).map_err(|e| e.to_string())
}

/// Writes the archive of a stream and its durable consumers; with `check`, the
/// messages read must be as many as the store's state counts.
pub fn write(
    config: &StreamConfig,
    created: i64,
    store: &dyn Store,
    consumers: &[SavedConsumer],
    check: bool,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    tar::append_file(&mut out, "meta.json", &to_json(&Meta { config, created })?)?;
    let st = store.state();
    let mut msgs = Vec::with_capacity(24 + usize::try_from(st.bytes).unwrap_or(0));
    msgs.extend_from_slice(MSGS_MAGIC);
    msgs.extend_from_slice(&st.first_seq.to_le_bytes());
    msgs.extend_from_slice(&st.last_seq.to_le_bytes());
    let mut m = StoredMsg::default();
    let mut seq = st.first_seq;
    let mut count = 0u64;
    while store
        .load_next("", seq, &mut m)
        .map_err(|e| e.to_string())?
    {
        msgs.extend_from_slice(&m.seq.to_le_bytes());
        msgs.extend_from_slice(&m.ts.to_le_bytes());
        for part in [m.subject.as_bytes(), &m.headers, &m.payload] {
            let len = u32::try_from(part.len()).map_err(|_| "message too large".to_string())?;
            msgs.extend_from_slice(&len.to_le_bytes());
        }
        msgs.extend_from_slice(m.subject.as_bytes());
        msgs.extend_from_slice(&m.headers);
        msgs.extend_from_slice(&m.payload);
        seq = m.seq + 1;
        count += 1;
    }
    if check && count != st.msgs {
        return Err(format!(
            "message check failed: read {count} messages, state has {}",
            st.msgs
        ));
    }
    tar::append_file(&mut out, "msgs.bin", &msgs)?;
    for c in consumers {
        let meta = Meta {
            config: &c.config,
            created: c.created,
        };
        tar::append_file(
            &mut out,
            &format!("obs/{}/meta.json", c.name),
            &to_json(&meta)?,
        )?;
        let s = &c.state;
        let state = State {
            delivered: (s.delivered.consumer_seq, s.delivered.stream_seq),
            ack_floor: (s.ack_floor.consumer_seq, s.ack_floor.stream_seq),
            pending: s
                .pending
                .iter()
                .map(|(seq, p)| (*seq, p.consumer_seq, p.ts))
                .collect(),
            redelivered: s.redelivered.iter().map(|(k, v)| (*k, *v)).collect(),
        };
        tar::append_file(
            &mut out,
            &format!("obs/{}/state.json", c.name),
            &to_json(&state)?,
        )?;
    }
    tar::finish(&mut out);
    Ok(out)
}

/// Reads an archive; any path, entry or record out of place refuses the whole restore.
pub fn read(archive: &[u8]) -> Result<Restored<'_>, String> {
    let mut created = None;
    let mut msgs_bin = None;
    let mut metas: BTreeMap<String, Meta<ConsumerConfig>> = BTreeMap::new();
    let mut states: BTreeMap<String, State> = BTreeMap::new();
    for (path, data) in tar::read(archive)? {
        match path.split('/').collect::<Vec<_>>().as_slice() {
            ["meta.json"] => {
                let meta: Meta<StreamConfig> =
                    serde_json::from_slice(data).map_err(|e| format!("meta.json: {e}"))?;
                created = Some(meta.created);
            }
            ["msgs.bin"] => msgs_bin = Some(data),
            ["obs", name, file] if crate::stream_config::is_valid_asset_name(name) => match *file {
                "meta.json" => {
                    let meta = serde_json::from_slice(data).map_err(|e| format!("{path}: {e}"))?;
                    metas.insert((*name).to_string(), meta);
                }
                "state.json" => {
                    let state = serde_json::from_slice(data).map_err(|e| format!("{path}: {e}"))?;
                    states.insert((*name).to_string(), state);
                }
                _ => return Err(format!("unexpected archive entry {path:?}")),
            },
            _ => return Err(format!("unexpected archive entry {path:?}")),
        }
    }
    let created = created.ok_or("archive lacks meta.json")?;
    let (first_seq, last_seq, msgs) = read_msgs(msgs_bin.ok_or("archive lacks msgs.bin")?)?;
    let consumers = metas
        .into_iter()
        .map(|(name, meta)| {
            let s = states.remove(&name).unwrap_or_default();
            let pair = |(consumer_seq, stream_seq)| SequencePair {
                consumer_seq,
                stream_seq,
            };
            SavedConsumer {
                state: ConsumerState {
                    delivered: pair(s.delivered),
                    ack_floor: pair(s.ack_floor),
                    pending: s
                        .pending
                        .into_iter()
                        .map(|(seq, consumer_seq, ts)| (seq, PendingAck { consumer_seq, ts }))
                        .collect(),
                    redelivered: s.redelivered.into_iter().collect(),
                },
                name,
                config: meta.config,
                created: meta.created,
            }
        })
        .collect();
    Ok(Restored {
        created,
        first_seq,
        last_seq,
        msgs,
        consumers,
    })
}

struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.0.len() < n {
            return Err("msgs.bin truncated".into());
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn u64(&mut self) -> Result<u64, String> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(b))
    }

    fn len(&mut self) -> Result<usize, String> {
        let mut b = [0u8; 4];
        b.copy_from_slice(self.take(4)?);
        usize::try_from(u32::from_le_bytes(b)).map_err(|e| e.to_string())
    }
}

type Msgs<'a> = (u64, u64, Vec<SavedMsg<'a>>);

fn read_msgs(data: &[u8]) -> Result<Msgs<'_>, String> {
    let mut c = Cursor(data);
    if c.take(8)? != MSGS_MAGIC {
        return Err("msgs.bin: not a Natrium message archive".into());
    }
    let first = c.u64()?;
    let last = c.u64()?;
    let mut msgs: Vec<SavedMsg<'_>> = Vec::new();
    while !c.0.is_empty() {
        let seq = c.u64()?;
        let ts = i64::from_le_bytes(c.u64()?.to_le_bytes());
        let (sl, hl, pl) = (c.len()?, c.len()?, c.len()?);
        let subject = std::str::from_utf8(c.take(sl)?).map_err(|e| e.to_string())?;
        if !natrium_subject::is_valid_publish_subject(subject.as_bytes()) {
            return Err(format!("msgs.bin: invalid subject {subject:?}"));
        }
        if seq < first || seq > last || msgs.last().is_some_and(|m| m.seq >= seq) {
            return Err(format!("msgs.bin: sequence {seq} out of order"));
        }
        let headers = c.take(hl)?;
        let payload = c.take(pl)?;
        msgs.push(SavedMsg {
            seq,
            ts,
            subject,
            headers,
            payload,
        });
    }
    Ok((first, last, msgs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use natrium_store::{MemStore, NewMsg, StoreLimits};

    #[test]
    fn round_trips_messages_gaps_and_consumers() {
        let mut store = MemStore::new(&StoreLimits::default());
        let mut removed = Vec::new();
        for i in 0..5 {
            let body = format!("m{i}");
            let msg = NewMsg {
                subject: "a.b",
                headers: b"",
                payload: body.as_bytes(),
                ts: 10 + i,
                ttl: 0,
            };
            store.append(msg, &mut removed).unwrap();
        }
        store.remove(3, false).unwrap();
        let mut state = ConsumerState::default();
        state.ack_floor.stream_seq = 2;
        state.pending.insert(
            4,
            PendingAck {
                consumer_seq: 3,
                ts: 99,
            },
        );
        let consumer = SavedConsumer {
            name: "C".into(),
            config: ConsumerConfig::default(),
            created: 5,
            state: state.clone(),
        };
        let config = StreamConfig::default();
        let bytes = write(&config, 7, &store, &[consumer], true).unwrap();
        let back = read(&bytes).unwrap();
        assert_eq!(back.created, 7);
        assert_eq!((back.first_seq, back.last_seq), (1, 5));
        let seqs: Vec<u64> = back.msgs.iter().map(|m| m.seq).collect();
        assert_eq!(seqs, [1, 2, 4, 5]);
        assert_eq!(back.msgs[2].payload, b"m3");
        assert_eq!(back.consumers[0].state, state);
    }

    #[test]
    fn refuses_foreign_entries() {
        let mut out = Vec::new();
        tar::append_file(&mut out, "meta.json", b"{\"config\":{},\"created\":0}").unwrap();
        tar::append_file(&mut out, "obs/../x/meta.json", b"{}").unwrap();
        tar::finish(&mut out);
        assert!(read(&out).is_err());
        let mut out = Vec::new();
        tar::append_file(&mut out, "other", b"").unwrap();
        tar::finish(&mut out);
        assert!(read(&out).is_err());
    }
}
