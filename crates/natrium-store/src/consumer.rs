//! Consumer state stores: one in memory, one in a small file replaced atomically.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{
    ConsumerState, ConsumerStore, PendingAck, Result, SequencePair, StoreError, SyncPolicy,
};

/// A [`ConsumerStore`] for memory streams: the state lives as long as the process.
#[derive(Debug, Default)]
pub struct MemConsumerStore {
    state: Option<ConsumerState>,
    closed: bool,
}

impl MemConsumerStore {
    /// A store with no saved state.
    pub fn new() -> Self {
        MemConsumerStore::default()
    }
}

impl ConsumerStore for MemConsumerStore {
    fn load(&self) -> Result<Option<ConsumerState>> {
        if self.closed {
            return Err(StoreError::Closed);
        }
        Ok(self.state.clone())
    }

    fn save(&mut self, state: &ConsumerState) -> Result<()> {
        if self.closed {
            return Err(StoreError::Closed);
        }
        self.state = Some(state.clone());
        Ok(())
    }

    fn destroy(&mut self) -> Result<()> {
        self.state = None;
        self.closed = true;
        Ok(())
    }
}

const STATE_FILE: &str = "state.dat";
const TEMP_FILE: &str = "state.dat.tmp";
const MAGIC: &[u8; 8] = b"NTRMCNS1";

/// A [`ConsumerStore`] keeping the state in `state.dat` inside its directory; the
/// layout is in `docs/STORE.md`. Each save writes `state.dat.tmp` and renames it over
/// `state.dat`, so a crash leaves either the old or the new state, never a mix.
#[derive(Debug)]
pub struct FileConsumerStore {
    dir: PathBuf,
    sync: SyncPolicy,
    closed: bool,
}

impl FileConsumerStore {
    /// Opens (creating it if needed) the consumer directory `dir`.
    pub fn open(dir: &Path, sync: SyncPolicy) -> Result<Self> {
        fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
        // A temp file left by a crash mid-save was never renamed: it is not the state.
        let temp = dir.join(TEMP_FILE);
        match fs::remove_file(&temp) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::io(temp, e)),
        }
        Ok(FileConsumerStore {
            dir: dir.to_path_buf(),
            sync,
            closed: false,
        })
    }
}

impl ConsumerStore for FileConsumerStore {
    fn load(&self) -> Result<Option<ConsumerState>> {
        if self.closed {
            return Err(StoreError::Closed);
        }
        let path = self.dir.join(STATE_FILE);
        match fs::read(&path) {
            Ok(bytes) => decode_state(&bytes, &path).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::io(path, e)),
        }
    }

    fn save(&mut self, state: &ConsumerState) -> Result<()> {
        if self.closed {
            return Err(StoreError::Closed);
        }
        let temp = self.dir.join(TEMP_FILE);
        let path = self.dir.join(STATE_FILE);
        let bytes = encode_state(state);
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&temp)
            .map_err(|e| StoreError::io(&temp, e))?;
        file.write_all(&bytes)
            .map_err(|e| StoreError::io(&temp, e))?;
        let always = self.sync == SyncPolicy::Always;
        if always {
            file.sync_data().map_err(|e| StoreError::io(&temp, e))?;
        }
        drop(file);
        fs::rename(&temp, &path).map_err(|e| StoreError::io(&path, e))?;
        if always {
            sync_dir(&self.dir)?;
        }
        Ok(())
    }

    fn destroy(&mut self) -> Result<()> {
        self.closed = true;
        match fs::remove_dir_all(&self.dir) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StoreError::io(&self.dir, e)),
        }
    }
}

/// Makes the entries of `dir` (created, renamed, removed files) durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| StoreError::io(dir, e))
}

fn put_pair(out: &mut Vec<u8>, pair: SequencePair) {
    out.extend_from_slice(&pair.consumer_seq.to_le_bytes());
    out.extend_from_slice(&pair.stream_seq.to_le_bytes());
}

/// `state.dat`: magic, delivered, ack floor, pending, redelivered, CRC-32 of all
/// that precedes it; integers little-endian.
pub(crate) fn encode_state(state: &ConsumerState) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + state.pending.len() * 24 + state.redelivered.len() * 16);
    out.extend_from_slice(MAGIC);
    put_pair(&mut out, state.delivered);
    put_pair(&mut out, state.ack_floor);
    out.extend_from_slice(&(state.pending.len() as u64).to_le_bytes());
    for (seq, p) in &state.pending {
        out.extend_from_slice(&seq.to_le_bytes());
        out.extend_from_slice(&p.consumer_seq.to_le_bytes());
        out.extend_from_slice(&p.ts.to_le_bytes());
    }
    out.extend_from_slice(&(state.redelivered.len() as u64).to_le_bytes());
    for (seq, count) in &state.redelivered {
        out.extend_from_slice(&seq.to_le_bytes());
        out.extend_from_slice(&count.to_le_bytes());
    }
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    path: &'a Path,
}

impl Reader<'_> {
    fn corrupt(&self, reason: &str) -> StoreError {
        StoreError::Corrupt {
            path: self.path.to_path_buf(),
            offset: self.pos as u64,
            reason: reason.to_string(),
        }
    }

    fn u64(&mut self) -> Result<u64> {
        let end = self.pos.saturating_add(8);
        let raw = self
            .bytes
            .get(self.pos..end)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .ok_or_else(|| self.corrupt("truncated"))?;
        self.pos = end;
        Ok(u64::from_le_bytes(raw))
    }

    fn pair(&mut self) -> Result<SequencePair> {
        Ok(SequencePair {
            consumer_seq: self.u64()?,
            stream_seq: self.u64()?,
        })
    }

    fn count(&mut self, entry_len: usize) -> Result<u64> {
        let n = self.u64()?;
        let room = (self.bytes.len().saturating_sub(self.pos) / entry_len) as u64;
        if n > room {
            return Err(self.corrupt("count larger than the file"));
        }
        Ok(n)
    }
}

pub(crate) fn decode_state(bytes: &[u8], path: &Path) -> Result<ConsumerState> {
    let corrupt = |offset: usize, reason: &str| StoreError::Corrupt {
        path: path.to_path_buf(),
        offset: offset as u64,
        reason: reason.to_string(),
    };
    let body_len = bytes
        .len()
        .checked_sub(4)
        .ok_or_else(|| corrupt(0, "shorter than a checksum"))?;
    let (body, crc) = bytes.split_at(body_len);
    let crc = <[u8; 4]>::try_from(crc).map_err(|_| corrupt(body_len, "truncated"))?;
    if crc32fast::hash(body) != u32::from_le_bytes(crc) {
        return Err(corrupt(body_len, "checksum mismatch"));
    }
    if body.get(..MAGIC.len()) != Some(MAGIC.as_slice()) {
        return Err(corrupt(0, "not a consumer state file"));
    }
    let mut r = Reader {
        bytes: body,
        pos: MAGIC.len(),
        path,
    };
    let mut state = ConsumerState {
        delivered: r.pair()?,
        ack_floor: r.pair()?,
        ..ConsumerState::default()
    };
    for _ in 0..r.count(24)? {
        let seq = r.u64()?;
        let consumer_seq = r.u64()?;
        let ts = r.u64()? as i64;
        state.pending.insert(seq, PendingAck { consumer_seq, ts });
    }
    for _ in 0..r.count(16)? {
        let seq = r.u64()?;
        let count = r.u64()?;
        state.redelivered.insert(seq, count);
    }
    if r.pos != body.len() {
        return Err(r.corrupt("trailing bytes"));
    }
    Ok(state)
}
