//! Consumer state stores: one in memory, one in a small file replaced atomically.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::codec::{Reader, Writer};
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
/// `state.dat`, so a crash leaves either the old or the new state, never a mix. Under
/// [`SyncPolicy::Interval`] a save syncs only when the interval has passed since the
/// last synced save (`docs/DURABILITY.md`).
#[derive(Debug)]
pub struct FileConsumerStore {
    dir: PathBuf,
    sync: SyncPolicy,
    last_sync: Instant,
    closed: bool,
}

impl FileConsumerStore {
    /// Opens (creating it if needed) the consumer directory `dir`.
    pub fn open(dir: &Path, sync: SyncPolicy) -> Result<Self> {
        create_dir(dir)?;
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
            last_sync: Instant::now(),
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
        let due = match self.sync {
            SyncPolicy::Always => true,
            SyncPolicy::Interval(every) => self.last_sync.elapsed() >= every,
        };
        self.write_state(state, due)
    }

    fn save_durable(&mut self, state: &ConsumerState) -> Result<()> {
        self.write_state(state, true)
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

impl FileConsumerStore {
    /// Writes `state.dat.tmp` and renames it over `state.dat`; with `sync`, the data
    /// and the rename are made durable.
    fn write_state(&mut self, state: &ConsumerState, sync: bool) -> Result<()> {
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
        if sync {
            file.sync_data().map_err(|e| StoreError::io(&temp, e))?;
        }
        drop(file);
        fs::rename(&temp, &path).map_err(|e| StoreError::io(&path, e))?;
        if sync {
            sync_dir(&self.dir)?;
            self.last_sync = Instant::now();
        }
        Ok(())
    }
}

/// Creates `dir` (and its parents) if missing, and makes its entry durable in its
/// parent, so that files synced inside it later cannot vanish with the directory.
pub(crate) fn create_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
    match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => sync_dir(parent),
        _ => Ok(()),
    }
}

/// Makes the entries of `dir` (created, renamed, removed files) durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| StoreError::io(dir, e))
}

fn put_pair(w: &mut Writer, pair: SequencePair) {
    w.u64(pair.consumer_seq);
    w.u64(pair.stream_seq);
}

fn get_pair(r: &mut Reader<'_>) -> Result<SequencePair> {
    Ok(SequencePair {
        consumer_seq: r.u64()?,
        stream_seq: r.u64()?,
    })
}

/// `state.dat`: magic, delivered, ack floor, pending, redelivered, CRC-32 of all
/// that precedes it; integers little-endian.
pub(crate) fn encode_state(state: &ConsumerState) -> Vec<u8> {
    let mut w = Writer::default();
    w.bytes(MAGIC);
    put_pair(&mut w, state.delivered);
    put_pair(&mut w, state.ack_floor);
    w.u64(state.pending.len() as u64);
    for (seq, p) in &state.pending {
        w.u64(*seq);
        w.u64(p.consumer_seq);
        w.i64(p.ts);
    }
    w.u64(state.redelivered.len() as u64);
    for (seq, count) in &state.redelivered {
        w.u64(*seq);
        w.u64(*count);
    }
    w.seal()
}

pub(crate) fn decode_state(bytes: &[u8], path: &Path) -> Result<ConsumerState> {
    let mut r = Reader::open(bytes, path, MAGIC)?;
    let mut state = ConsumerState {
        delivered: get_pair(&mut r)?,
        ack_floor: get_pair(&mut r)?,
        ..ConsumerState::default()
    };
    for _ in 0..r.count(24)? {
        let seq = r.u64()?;
        let consumer_seq = r.u64()?;
        let ts = r.i64()?;
        state.pending.insert(seq, PendingAck { consumer_seq, ts });
    }
    for _ in 0..r.count(16)? {
        let seq = r.u64()?;
        let count = r.u64()?;
        state.redelivered.insert(seq, count);
    }
    r.finish()?;
    Ok(state)
}
