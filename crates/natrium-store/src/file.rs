//! The file store: append-only segment files in one directory, an in-memory index
//! rebuilt at open (from an index checkpoint plus the records after it, or from every
//! segment), tombstone and floor records so that removals survive restarts.
//! `docs/STORE.md` describes the bytes, `docs/DURABILITY.md` every `fsync`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;

use crate::codec::{Reader, Writer};
use crate::consumer::{create_dir, sync_dir};
use crate::format::{
    decode_record, encode_record, erase_record, record_len, Record, SegmentHeader, FLAG_ERASED,
    KIND_FLOOR, KIND_MSG, KIND_TOMBSTONE, MIN_RECORD_LEN, SEGMENT_HEADER_LEN,
};
use crate::index::{Entry, Index, PurgePlan};
use crate::{
    NewMsg, PurgeRequest, Removed, Result, Store, StoreError, StoreLimits, StoredMsg, StreamState,
    SubjectState, SyncPolicy,
};

/// The bytes a message counts for in a file stream: nats-server's
/// `fileStoreMsgSize`, its record length in nats-server's own format (22 bytes of
/// header and an 8-byte hash, plus 4 for the header length when there are headers).
pub fn file_msg_size(subject_len: usize, headers_len: usize, payload_len: usize) -> u64 {
    let base = 22u64
        .saturating_add(subject_len as u64)
        .saturating_add(payload_len as u64)
        .saturating_add(8);
    if headers_len == 0 {
        base
    } else {
        base.saturating_add(4).saturating_add(headers_len as u64)
    }
}

/// Segments roll to a new file once they reach this many bytes.
pub const DEFAULT_SEGMENT_SIZE: u64 = 8 * 1024 * 1024;

const CHECKPOINT_FILE: &str = "index.ckpt";
const CHECKPOINT_TEMP: &str = "index.ckpt.tmp";
const CHECKPOINT_MAGIC: &[u8; 8] = b"NTRMCKP1";
const SEGMENT_SUFFIX: &str = ".blk";

/// How a [`FileStore`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStoreOptions {
    /// When flushed data reaches stable storage.
    pub sync: SyncPolicy,
    /// A segment rolls to the next file at this size (records never split).
    pub segment_size: u64,
}

impl FileStoreOptions {
    /// The given sync policy and [`DEFAULT_SEGMENT_SIZE`].
    pub fn new(sync: SyncPolicy) -> Self {
        FileStoreOptions {
            sync,
            segment_size: DEFAULT_SEGMENT_SIZE,
        }
    }
}

#[derive(Debug)]
struct FileEntry {
    subject: Arc<str>,
    ts: i64,
    ttl: i64,
    seg: u32,
    off: u64,
    headers_len: u32,
    payload_len: u32,
}

impl FileEntry {
    fn record_len(&self) -> usize {
        record_len(
            self.subject.len(),
            self.headers_len as usize,
            self.payload_len as usize,
        )
    }
}

impl Entry for FileEntry {
    fn subject(&self) -> &Arc<str> {
        &self.subject
    }
    fn ts(&self) -> i64 {
        self.ts
    }
    fn ttl(&self) -> i64 {
        self.ttl
    }
    fn size(&self) -> u64 {
        file_msg_size(
            self.subject.len(),
            self.headers_len as usize,
            self.payload_len as usize,
        )
    }
}

#[derive(Debug)]
struct Segment {
    path: PathBuf,
    file: File,
    /// Its length counting bytes still in the write buffer.
    len: u64,
    /// How much of it the OS has (the write buffer starts here).
    written: u64,
    /// Messages in it still in the index.
    live: u64,
    /// Tombstones in it for messages of older segments, by segment: while such a
    /// segment exists this one must too, or its messages would come back.
    deps: BTreeMap<u32, u64>,
}

/// A [`Store`] in a directory of segment files (a stream with `storage: file`).
///
/// Writes collect in memory until [`Store::flush`], which hands them to the OS and,
/// per the [`SyncPolicy`], to the disk. [`FileStore::close`] (or dropping the store)
/// flushes, syncs, and writes the index checkpoint that makes the next open fast.
#[derive(Debug)]
pub struct FileStore {
    dir: PathBuf,
    options: FileStoreOptions,
    index: Index<FileEntry>,
    segments: BTreeMap<u32, Segment>,
    /// The segment this process appends to; always the newest.
    active: Option<u32>,
    /// Bytes appended to the active segment and not yet given to the OS.
    buf: Vec<u8>,
    next_id: u32,
    /// Segment files whose every record is dead, unlinked at the next flush.
    doomed: Vec<PathBuf>,
    /// Segments written since their last `fsync`.
    unsynced: BTreeSet<u32>,
    /// A segment file was created since the directory's last `fsync`.
    dir_unsynced: bool,
    last_sync: Instant,
    report: Vec<StoreError>,
    closed: bool,
}

fn segment_name(id: u32) -> String {
    format!("{id:08}{SEGMENT_SUFFIX}")
}

fn segment_id(name: &str) -> Option<u32> {
    let digits = name.strip_suffix(SEGMENT_SUFFIX)?;
    if digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    }
}

fn too_large(path: &Path) -> StoreError {
    StoreError::io(
        path,
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "message too large for a 32-bit record",
        ),
    )
}

/// The bytes of the file at `path` from offset `from` on.
fn read_from(path: &Path, from: u64) -> std::io::Result<Vec<u8>> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(from))?;
    let mut out = Vec::new();
    file.read_to_end(&mut out)?;
    Ok(out)
}

/// The first offset at or after `from` where an intact record starts.
fn resync(bytes: &[u8], from: usize) -> Option<usize> {
    let last = bytes.len().checked_sub(MIN_RECORD_LEN)?;
    (from..=last).find(|at| decode_record(bytes, *at).is_ok())
}

/// A checkpoint as read from disk.
struct Checkpoint {
    last_seq: u64,
    last_ts: i64,
    /// Segment id, covered length, tombstone dependencies.
    segments: Vec<(u32, u64, BTreeMap<u32, u64>)>,
    entries: Vec<(u64, FileEntry)>,
}

impl FileStore {
    /// Opens the stream directory `dir` (creating it if needed) with
    /// [`DEFAULT_SEGMENT_SIZE`] segments; see [`FileStore::open_with`].
    pub fn open(dir: &Path, limits: &StoreLimits, sync: SyncPolicy) -> Result<Self> {
        Self::open_with(dir, limits, FileStoreOptions::new(sync))
    }

    /// Opens the stream directory `dir`, creating it if needed, and rebuilds the
    /// index: from `index.ckpt` and the records written after it when the checkpoint
    /// matches the segments, else from every segment. Damage found on the way is
    /// kept out of the index and listed by [`FileStore::recovery_report`]; a torn
    /// record at the end of the newest segment is cut off. Messages over `limits`
    /// are removed (without a report: the owner compares the state it expects).
    pub fn open_with(dir: &Path, limits: &StoreLimits, options: FileStoreOptions) -> Result<Self> {
        create_dir(dir)?;
        let mut store = FileStore {
            dir: dir.to_path_buf(),
            options,
            index: Index::new(limits),
            segments: BTreeMap::new(),
            active: None,
            buf: Vec::new(),
            next_id: 1,
            doomed: Vec::new(),
            unsynced: BTreeSet::new(),
            dir_unsynced: false,
            last_sync: Instant::now(),
            report: Vec::new(),
            closed: false,
        };
        let ids = store.list_segments()?;
        store.next_id = ids.last().map_or(1, |id| id.saturating_add(1));
        let newest = ids.last().copied();
        let tail = match store.read_checkpoint(&ids) {
            Some(ckpt) => store.apply_checkpoint(ckpt),
            None => None,
        };
        for id in ids {
            let from = match tail {
                Some((covered, _)) if id < covered => continue,
                Some((covered, off)) if id == covered => off,
                _ => 0,
            };
            store.scan_segment(id, from, Some(id) == newest)?;
        }
        let all: Vec<u32> = store.segments.keys().copied().collect();
        for id in all {
            store.maybe_doom(id);
        }
        let mut removed = Vec::new();
        store.enforce(None, &mut removed)?;
        store.flush()?;
        Ok(store)
    }

    /// What recovery at open found damaged: each entry names the file and offset.
    /// Empty after a clean shutdown.
    pub fn recovery_report(&self) -> &[StoreError] {
        &self.report
    }

    /// Under [`SyncPolicy::Interval`], how long until flushed data is due for its
    /// `fsync`: the owner arms a timer and calls [`Store::flush`] then, so that an
    /// idle stream's last writes are synced too. `None` when nothing flushed is
    /// waiting for a sync (always the case under [`SyncPolicy::Always`]).
    pub fn sync_due_in(&self) -> Option<Duration> {
        let SyncPolicy::Interval(every) = self.options.sync else {
            return None;
        };
        if self.unsynced.is_empty() && !self.dir_unsynced {
            return None;
        }
        Some(every.saturating_sub(self.last_sync.elapsed()))
    }

    /// Flushes, syncs everything written, and writes the index checkpoint, so that
    /// the next open reads only what is appended after this point.
    pub fn checkpoint(&mut self) -> Result<()> {
        self.live()?;
        self.flush()?;
        self.sync_all()?;
        self.write_checkpoint()
    }

    /// Flushes, syncs and checkpoints, then closes the store.
    pub fn close(mut self) -> Result<()> {
        let done = self.checkpoint();
        self.closed = true;
        done
    }

    fn live(&self) -> Result<()> {
        if self.closed {
            Err(StoreError::Closed)
        } else {
            Ok(())
        }
    }

    fn list_segments(&self) -> Result<Vec<u32>> {
        let read = fs::read_dir(&self.dir).map_err(|e| StoreError::io(&self.dir, e))?;
        let mut ids = Vec::new();
        for entry in read {
            let entry = entry.map_err(|e| StoreError::io(&self.dir, e))?;
            if let Some(id) = entry.file_name().to_str().and_then(segment_id) {
                ids.push(id);
            }
        }
        ids.sort_unstable();
        Ok(ids)
    }

    fn segment_path(&self, id: u32) -> PathBuf {
        self.dir.join(segment_name(id))
    }

    /// The checkpoint, when it exists, is intact and matches the segment files: every
    /// segment it lists exists and is at least as long as it says, and no unlisted
    /// segment is older than its newest.
    fn read_checkpoint(&mut self, ids: &[u32]) -> Option<Checkpoint> {
        let path = self.dir.join(CHECKPOINT_FILE);
        let bytes = fs::read(&path).ok()?;
        // An unusable checkpoint is deleted: were it kept, segment ids it lists could
        // be created again and make it look valid.
        let discard = |path: &Path| {
            let _ = fs::remove_file(path);
        };
        let ckpt = match decode_checkpoint(&bytes, &path) {
            Ok(c) => c,
            Err(e) => {
                self.report.push(e);
                discard(&path);
                return None;
            }
        };
        let listed: BTreeSet<u32> = ckpt.segments.iter().map(|(id, _, _)| *id).collect();
        let newest_listed = listed.last().copied().unwrap_or(0);
        self.next_id = self.next_id.max(newest_listed.saturating_add(1));
        let on_disk: BTreeSet<u32> = ids.iter().copied().collect();
        let unlisted_older = on_disk
            .iter()
            .any(|id| *id <= newest_listed && !listed.contains(id));
        let short = ckpt.segments.iter().any(|(id, len, _)| {
            fs::metadata(self.segment_path(*id)).map_or(true, |m| m.len() < *len)
        });
        let lens: BTreeMap<u32, u64> = ckpt
            .segments
            .iter()
            .map(|(id, len, _)| (*id, *len))
            .collect();
        let dangling = ckpt.entries.iter().any(|(_, e)| {
            lens.get(&e.seg)
                .is_none_or(|len| e.off.saturating_add(e.record_len() as u64) > *len)
        });
        if unlisted_older || short || dangling {
            discard(&path);
            return None;
        }
        Some(ckpt)
    }

    /// Loads a checkpoint; returns where the scan of later records starts.
    fn apply_checkpoint(&mut self, ckpt: Checkpoint) -> Option<(u32, u64)> {
        let mut tail = None;
        for (id, len, deps) in ckpt.segments {
            let path = self.segment_path(id);
            let file = match OpenOptions::new().read(true).write(true).open(&path) {
                Ok(f) => f,
                Err(e) => {
                    self.report.push(StoreError::io(path, e));
                    continue;
                }
            };
            self.segments.insert(
                id,
                Segment {
                    path,
                    file,
                    len,
                    written: len,
                    live: 0,
                    deps,
                },
            );
            tail = Some((id, len));
        }
        for (seq, entry) in ckpt.entries {
            if let Some(seg) = self.segments.get_mut(&entry.seg) {
                seg.live = seg.live.saturating_add(1);
            }
            self.index.insert(seq, entry);
        }
        self.index.set_last(ckpt.last_seq, ckpt.last_ts);
        tail
    }

    fn write_checkpoint(&self) -> Result<()> {
        let mut w = Writer::default();
        w.bytes(CHECKPOINT_MAGIC);
        w.u64(self.index.last_seq());
        w.i64(self.index.last_ts());
        w.u32(self.segments.len() as u32);
        for (id, seg) in &self.segments {
            w.u32(*id);
            w.u64(seg.len);
            w.u64(seg.deps.len() as u64);
            for (dep, count) in &seg.deps {
                w.u32(*dep);
                w.u64(*count);
            }
        }
        let entries: Vec<_> = self.index.entries().collect();
        w.u64(entries.len() as u64);
        for (seq, e) in entries {
            w.u64(*seq);
            w.u32(e.seg);
            w.u64(e.off);
            w.i64(e.ts);
            w.i64(e.ttl);
            w.u32(e.headers_len);
            w.u32(e.payload_len);
            w.u32(e.subject.len() as u32);
            w.bytes(e.subject.as_bytes());
        }
        let bytes = w.seal();
        let temp = self.dir.join(CHECKPOINT_TEMP);
        let path = self.dir.join(CHECKPOINT_FILE);
        let mut file = File::create(&temp).map_err(|e| StoreError::io(&temp, e))?;
        std::io::Write::write_all(&mut file, &bytes).map_err(|e| StoreError::io(&temp, e))?;
        file.sync_data().map_err(|e| StoreError::io(&temp, e))?;
        drop(file);
        fs::rename(&temp, &path).map_err(|e| StoreError::io(&path, e))?;
        sync_dir(&self.dir)
    }

    /// Reads segment `id` from offset `from` (0: the whole file, header first) and
    /// applies its records to the index.
    fn scan_segment(&mut self, id: u32, from: u64, newest: bool) -> Result<()> {
        let path = self.segment_path(id);
        let bytes = match read_from(&path, from) {
            Ok(b) => b,
            Err(e) => {
                self.report.push(StoreError::io(path, e));
                return Ok(());
            }
        };
        // Offsets in `bytes` are relative to `from`.
        let mut at = 0;
        if from == 0 {
            let Some(header) = SegmentHeader::decode(&bytes) else {
                if newest && bytes.len() < SEGMENT_HEADER_LEN {
                    // Created but its header never fully written: it holds nothing.
                    fs::remove_file(&path).map_err(|e| StoreError::io(&path, e))?;
                    self.report.push(StoreError::Corrupt {
                        path,
                        offset: 0,
                        reason: "segment header cut short; empty segment removed".into(),
                    });
                } else {
                    self.report.push(StoreError::Corrupt {
                        path,
                        offset: 0,
                        reason: "not a segment (bad header); skipped".into(),
                    });
                }
                return Ok(());
            };
            self.apply_floor(header.floor, header.last_ts);
            self.index.set_last(header.last_seq, header.last_ts);
            at = SEGMENT_HEADER_LEN;
        }
        if let std::collections::btree_map::Entry::Vacant(slot) = self.segments.entry(id) {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .open(&path)
                .map_err(|e| StoreError::io(&path, e))?;
            slot.insert(Segment {
                path: path.clone(),
                file,
                len: 0,
                written: 0,
                live: 0,
                deps: BTreeMap::new(),
            });
        }
        let mut end = bytes.len();
        while at < bytes.len() {
            match decode_record(&bytes, at) {
                Ok(rec) => {
                    if let Err(reason) = self.apply_record(id, from + at as u64, &rec) {
                        self.report.push(StoreError::Corrupt {
                            path: path.clone(),
                            offset: from + at as u64,
                            reason: reason.into(),
                        });
                    }
                    at = at.saturating_add(rec.len);
                }
                Err(damage) => match resync(&bytes, at.saturating_add(1)) {
                    Some(next) => {
                        self.report.push(StoreError::Corrupt {
                            path: path.clone(),
                            offset: from + at as u64,
                            reason: format!("{}; {} bytes skipped", damage.reason(), next - at),
                        });
                        at = next;
                    }
                    None => {
                        let reason = if newest {
                            end = at;
                            format!("{}; torn tail cut off", damage.reason())
                        } else {
                            format!("{}; rest of segment unreadable", damage.reason())
                        };
                        self.report.push(StoreError::Corrupt {
                            path: path.clone(),
                            offset: from + at as u64,
                            reason,
                        });
                        break;
                    }
                },
            }
        }
        if end < bytes.len() {
            let seg_file = self.segments.get(&id).map(|s| &s.file);
            if let Some(f) = seg_file {
                f.set_len(from + end as u64)
                    .and_then(|()| f.sync_all())
                    .map_err(|e| StoreError::io(&path, e))?;
            }
        }
        if let Some(seg) = self.segments.get_mut(&id) {
            seg.len = from + end as u64;
            seg.written = seg.len;
        }
        Ok(())
    }

    fn apply_floor(&mut self, floor: u64, ts: i64) {
        for (_, e) in self.index.remove_below(floor) {
            if let Some(seg) = self.segments.get_mut(&e.seg) {
                seg.live = seg.live.saturating_sub(1);
            }
        }
        self.index.set_last(floor.saturating_sub(1), ts);
    }

    fn apply_record(
        &mut self,
        id: u32,
        off: u64,
        rec: &Record<'_>,
    ) -> std::result::Result<(), &'static str> {
        match rec.kind {
            KIND_MSG => {
                if rec.seq <= self.index.last_seq() {
                    return Err("message sequence not above the last one; skipped");
                }
                if rec.flags & FLAG_ERASED != 0 {
                    self.index.set_last(rec.seq, rec.ts);
                    return Ok(());
                }
                let subject = std::str::from_utf8(rec.subject)
                    .map_err(|_| "subject is not UTF-8; skipped")?;
                let entry = FileEntry {
                    subject: self.index.intern(subject),
                    ts: rec.ts,
                    ttl: rec.ttl,
                    seg: id,
                    off,
                    headers_len: rec.headers.len() as u32,
                    payload_len: rec.payload.len() as u32,
                };
                self.index.insert(rec.seq, entry);
                if let Some(seg) = self.segments.get_mut(&id) {
                    seg.live = seg.live.saturating_add(1);
                }
            }
            KIND_TOMBSTONE => {
                if let Some(e) = self.index.remove(rec.seq) {
                    self.note_removal(e.seg, id);
                }
            }
            KIND_FLOOR => self.apply_floor(rec.seq, rec.ts),
            _ => return Err("unknown record kind"),
        }
        Ok(())
    }

    /// Accounts for a message of segment `from` removed by a tombstone in `by`.
    fn note_removal(&mut self, from: u32, by: u32) {
        if let Some(seg) = self.segments.get_mut(&from) {
            seg.live = seg.live.saturating_sub(1);
        }
        if from != by {
            if let Some(seg) = self.segments.get_mut(&by) {
                *seg.deps.entry(from).or_insert(0) += 1;
            }
        }
    }

    /// Schedules segment `id` for unlinking when nothing in it matters any more, and
    /// then the segments that only held tombstones for it.
    fn maybe_doom(&mut self, id: u32) {
        let mut check = vec![id];
        while let Some(id) = check.pop() {
            let newest = self.segments.keys().next_back().copied();
            let dead = self
                .segments
                .get(&id)
                .is_some_and(|s| s.live == 0 && s.deps.is_empty());
            if !dead || Some(id) == newest {
                continue;
            }
            if let Some(seg) = self.segments.remove(&id) {
                self.unsynced.remove(&id);
                self.doomed.push(seg.path);
            }
            for (other, seg) in self.segments.iter_mut() {
                if seg.deps.remove(&id).is_some() {
                    check.push(*other);
                }
            }
        }
    }

    /// The active segment, rolling to a new file when there is none or it is full.
    fn active_segment(&mut self) -> Result<u32> {
        if let Some(id) = self.active {
            if self
                .segments
                .get(&id)
                .is_some_and(|s| s.len < self.options.segment_size)
            {
                return Ok(id);
            }
        }
        self.roll()
    }

    fn roll(&mut self) -> Result<u32> {
        self.write_buffer()?;
        let previous = self.segments.keys().next_back().copied();
        let id = self.next_id;
        self.next_id = id.saturating_add(1);
        let path = self.segment_path(id);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| StoreError::io(&path, e))?;
        let header = SegmentHeader {
            floor: self.index.first_seq(),
            last_seq: self.index.last_seq(),
            last_ts: self.index.last_ts(),
        };
        self.buf.clear();
        self.buf.extend_from_slice(&header.encode());
        self.segments.insert(
            id,
            Segment {
                path,
                file,
                len: SEGMENT_HEADER_LEN as u64,
                written: 0,
                live: 0,
                deps: BTreeMap::new(),
            },
        );
        self.active = Some(id);
        self.dir_unsynced = true;
        self.unsynced.insert(id);
        if let Some(prev) = previous {
            self.maybe_doom(prev);
        }
        Ok(id)
    }

    /// Appends one record to the active segment; returns where it went.
    #[allow(clippy::too_many_arguments)]
    fn push_record(
        &mut self,
        kind: u8,
        seq: u64,
        ts: i64,
        ttl: i64,
        subject: &[u8],
        headers: &[u8],
        payload: &[u8],
    ) -> Result<(u32, u64)> {
        let len = record_len(subject.len(), headers.len(), payload.len());
        if u32::try_from(len).is_err() {
            return Err(too_large(&self.dir));
        }
        let id = self.active_segment()?;
        let seg = self.segments.get_mut(&id).ok_or(StoreError::Closed)?;
        let off = seg.len;
        encode_record(
            &mut self.buf,
            kind,
            0,
            seq,
            ts,
            ttl,
            subject,
            headers,
            payload,
        );
        seg.len = seg.len.saturating_add(len as u64);
        Ok((id, off))
    }

    /// Gives the write buffer to the OS.
    fn write_buffer(&mut self) -> Result<()> {
        let Some(id) = self.active else {
            return Ok(());
        };
        if self.buf.is_empty() {
            return Ok(());
        }
        if let Some(seg) = self.segments.get_mut(&id) {
            seg.file
                .write_all_at(&self.buf, seg.written)
                .map_err(|e| StoreError::io(&seg.path, e))?;
            seg.written = seg.len;
            self.unsynced.insert(id);
        }
        self.buf.clear();
        Ok(())
    }

    fn sync_all(&mut self) -> Result<()> {
        for id in std::mem::take(&mut self.unsynced) {
            if let Some(seg) = self.segments.get(&id) {
                seg.file
                    .sync_data()
                    .map_err(|e| StoreError::io(&seg.path, e))?;
            }
        }
        if self.dir_unsynced {
            sync_dir(&self.dir)?;
            self.dir_unsynced = false;
        }
        self.last_sync = Instant::now();
        Ok(())
    }

    /// The bytes of the record of `e`, from the write buffer or the file.
    fn record_bytes(&self, e: &FileEntry) -> Result<Bytes> {
        let len = e.record_len();
        let seg = self
            .segments
            .get(&e.seg)
            .ok_or_else(|| StoreError::Corrupt {
                path: self.segment_path(e.seg),
                offset: e.off,
                reason: "indexed segment missing".into(),
            })?;
        if self.active == Some(e.seg) && e.off >= seg.written {
            let start = usize::try_from(e.off - seg.written).unwrap_or(usize::MAX);
            let rec = start
                .checked_add(len)
                .and_then(|end| self.buf.get(start..end))
                .ok_or_else(|| StoreError::Corrupt {
                    path: seg.path.clone(),
                    offset: e.off,
                    reason: "indexed record beyond the write buffer".into(),
                })?;
            return Ok(Bytes::copy_from_slice(rec));
        }
        let mut raw = vec![0u8; len];
        seg.file
            .read_exact_at(&mut raw, e.off)
            .map_err(|err| StoreError::io(&seg.path, err))?;
        Ok(Bytes::from(raw))
    }

    fn fill(&self, seq: u64, out: &mut StoredMsg) -> Result<bool> {
        let Some(e) = self.index.get(seq) else {
            return Ok(false);
        };
        let raw = self.record_bytes(e)?;
        let corrupt = |reason: &str| StoreError::Corrupt {
            path: self.segment_path(e.seg),
            offset: e.off,
            reason: reason.to_string(),
        };
        let rec = decode_record(&raw, 0).map_err(|d| corrupt(d.reason()))?;
        if rec.seq != seq || rec.kind != KIND_MSG {
            return Err(corrupt("record does not hold the indexed message"));
        }
        if rec.flags & FLAG_ERASED != 0 {
            // Only a checkpoint that outlived the tombstone of an erase gets here.
            return Err(corrupt("indexed message was erased"));
        }
        let hdr_start = crate::format::RECORD_HEADER_LEN + rec.subject.len();
        let pay_start = hdr_start + rec.headers.len();
        out.seq = seq;
        out.ts = rec.ts;
        out.subject.clear();
        out.subject.push_str(&e.subject);
        out.headers = raw.slice(hdr_start..pay_start);
        out.payload = raw.slice(pay_start..pay_start + rec.payload.len());
        Ok(true)
    }

    /// Overwrites the stored bytes of a removed message.
    fn erase(&mut self, id: u32, off: u64, len: usize) -> Result<()> {
        let Some(seg) = self.segments.get(&id) else {
            return Ok(());
        };
        if self.active == Some(id) && off >= seg.written {
            let start = usize::try_from(off - seg.written).unwrap_or(usize::MAX);
            if let Some(rec) = start
                .checked_add(len)
                .and_then(|end| self.buf.get_mut(start..end))
            {
                erase_record(rec);
            }
            return Ok(());
        }
        let mut raw = vec![0u8; len];
        seg.file
            .read_exact_at(&mut raw, off)
            .map_err(|err| StoreError::io(&seg.path, err))?;
        erase_record(&mut raw);
        seg.file
            .write_all_at(&raw, off)
            .map_err(|err| StoreError::io(&seg.path, err))?;
        self.unsynced.insert(id);
        Ok(())
    }

    /// Removes `seq` and records the removal with a tombstone. The tombstone is
    /// written first, so that a failure to write it leaves the message in place both
    /// in memory and on disk; a failed erase still removes the message (and reports
    /// the error), its bytes left as they were.
    fn remove_seq(&mut self, seq: u64, erase: bool) -> Result<Option<(Arc<str>, i64)>> {
        let Some(e) = self.index.get(seq) else {
            return Ok(None);
        };
        let (seg, off, len) = (e.seg, e.off, e.record_len());
        let (by, _) = self.push_record(KIND_TOMBSTONE, seq, 0, 0, &[], &[], &[])?;
        let erased = if erase {
            self.erase(seg, off, len)
        } else {
            Ok(())
        };
        let subject = self.index.remove(seq).map(|e| {
            let ttl = e.ttl();
            (e.subject, ttl)
        });
        self.note_removal(seg, by);
        self.maybe_doom(seg);
        erased.map(|()| subject)
    }

    fn remove_into(&mut self, seq: u64, removed: &mut Vec<Removed>) -> Result<()> {
        if let Some((subject, ttl)) = self.remove_seq(seq, false)? {
            removed.push(Removed {
                seq,
                subject: subject.to_string(),
                ttl,
            });
        }
        Ok(())
    }

    fn enforce(&mut self, subject: Option<&str>, removed: &mut Vec<Removed>) -> Result<()> {
        while let Some(seq) = self.index.next_victim(subject) {
            self.remove_into(seq, removed)?;
        }
        Ok(())
    }
}

fn decode_checkpoint(bytes: &[u8], path: &Path) -> Result<Checkpoint> {
    let mut r = Reader::open(bytes, path, CHECKPOINT_MAGIC)?;
    let last_seq = r.u64()?;
    let last_ts = r.i64()?;
    let nseg = r.u32()?;
    let mut segments = Vec::new();
    for _ in 0..nseg {
        let id = r.u32()?;
        let len = r.u64()?;
        let mut deps = BTreeMap::new();
        for _ in 0..r.count(12)? {
            let dep = r.u32()?;
            deps.insert(dep, r.u64()?);
        }
        segments.push((id, len, deps));
    }
    let mut entries = Vec::new();
    let mut subjects: BTreeMap<&[u8], Arc<str>> = BTreeMap::new();
    for _ in 0..r.count(48)? {
        let seq = r.u64()?;
        let seg = r.u32()?;
        let off = r.u64()?;
        let ts = r.i64()?;
        let ttl = r.i64()?;
        let headers_len = r.u32()?;
        let payload_len = r.u32()?;
        let subject_len = r.u32()? as usize;
        let raw = r.bytes(subject_len)?;
        let subject = match subjects.get(raw) {
            Some(s) => Arc::clone(s),
            None => {
                let s: Arc<str> = Arc::from(
                    std::str::from_utf8(raw).map_err(|_| r.corrupt("subject is not UTF-8"))?,
                );
                subjects.insert(raw, Arc::clone(&s));
                s
            }
        };
        entries.push((
            seq,
            FileEntry {
                subject,
                ts,
                ttl,
                seg,
                off,
                headers_len,
                payload_len,
            },
        ));
    }
    r.finish()?;
    Ok(Checkpoint {
        last_seq,
        last_ts,
        segments,
        entries,
    })
}

impl Store for FileStore {
    fn sync_due_in(&self) -> Option<Duration> {
        FileStore::sync_due_in(self)
    }

    fn append_at(&mut self, seq: u64, msg: NewMsg<'_>, removed: &mut Vec<Removed>) -> Result<u64> {
        self.live()?;
        let last = self.index.last_seq();
        if seq <= last {
            return Err(StoreError::SequenceNotAfterLast { seq, last });
        }
        // The gap is implicit: sequences between the last one and a stored one are
        // interior deletes, and a message record carries its own sequence.
        let last_ts = self.index.last_ts();
        self.index.set_last(seq - 1, msg.ts);
        let appended = self.append(msg, removed);
        if appended.is_err() {
            self.index.restore_last(last, last_ts);
        }
        appended
    }

    fn append(&mut self, msg: NewMsg<'_>, removed: &mut Vec<Removed>) -> Result<u64> {
        self.live()?;
        let size = file_msg_size(msg.subject.len(), msg.headers.len(), msg.payload.len());
        self.index.check_append(msg.subject, size)?;
        let headers_len = u32::try_from(msg.headers.len()).map_err(|_| too_large(&self.dir))?;
        let payload_len = u32::try_from(msg.payload.len()).map_err(|_| too_large(&self.dir))?;
        let seq = self.index.last_seq().saturating_add(1);
        let (seg, off) = self.push_record(
            KIND_MSG,
            seq,
            msg.ts,
            msg.ttl,
            msg.subject.as_bytes(),
            msg.headers,
            msg.payload,
        )?;
        let entry = FileEntry {
            subject: self.index.intern(msg.subject),
            ts: msg.ts,
            ttl: msg.ttl,
            seg,
            off,
            headers_len,
            payload_len,
        };
        self.index.insert(seq, entry);
        if let Some(s) = self.segments.get_mut(&seg) {
            s.live = s.live.saturating_add(1);
        }
        self.enforce(Some(msg.subject), removed)?;
        Ok(seq)
    }

    fn flush(&mut self) -> Result<()> {
        self.live()?;
        self.write_buffer()?;
        let due = match self.options.sync {
            SyncPolicy::Always => true,
            SyncPolicy::Interval(every) => self.last_sync.elapsed() >= every,
        };
        // Unlinking a segment is safe only once the records that made it dead are
        // on disk, whatever the policy.
        if due || !self.doomed.is_empty() {
            self.sync_all()?;
        }
        // One at a time, oldest first, each made durable before the next: a newer
        // segment may hold the tombstones that keep an older one's messages dead.
        for path in std::mem::take(&mut self.doomed) {
            fs::remove_file(&path).map_err(|e| StoreError::io(&path, e))?;
            sync_dir(&self.dir)?;
        }
        Ok(())
    }

    fn load(&self, seq: u64, out: &mut StoredMsg) -> Result<bool> {
        self.live()?;
        self.fill(seq, out)
    }

    fn load_next(&self, filter: &str, start: u64, out: &mut StoredMsg) -> Result<bool> {
        self.live()?;
        match self.index.find_next(filter, start) {
            Some(seq) => self.fill(seq, out),
            None => Ok(false),
        }
    }

    fn load_last(&self, filter: &str, out: &mut StoredMsg) -> Result<bool> {
        self.live()?;
        match self.index.find_last(filter) {
            Some(seq) => self.fill(seq, out),
            None => Ok(false),
        }
    }

    fn remove(&mut self, seq: u64, erase: bool) -> Result<bool> {
        self.live()?;
        Ok(self.remove_seq(seq, erase)?.is_some())
    }

    fn purge(&mut self, request: &PurgeRequest) -> Result<u64> {
        self.live()?;
        match self.index.purge_plan(request) {
            PurgePlan::Nothing => Ok(0),
            PurgePlan::Compact(seq) => self.compact(seq),
            PurgePlan::Seqs(seqs) => {
                let mut n = 0;
                for seq in seqs {
                    if self.remove_seq(seq, false)?.is_some() {
                        n += 1;
                    }
                }
                Ok(n)
            }
        }
    }

    fn compact(&mut self, seq: u64) -> Result<u64> {
        self.live()?;
        // Any new segment is created before the index changes, so that the floor
        // record below cannot fail to be written once it has.
        self.active_segment()?;
        let Some(gone) = self.index.compact(seq) else {
            return Ok(0);
        };
        let floor = self.index.first_seq();
        let last_ts = self.index.last_ts();
        self.push_record(KIND_FLOOR, floor, last_ts, 0, &[], &[], &[])?;
        let mut touched = BTreeSet::new();
        for (_, e) in &gone {
            if let Some(s) = self.segments.get_mut(&e.seg) {
                s.live = s.live.saturating_sub(1);
            }
            touched.insert(e.seg);
        }
        if self.index.is_empty() && !gone.is_empty() {
            // Start afresh so that the segment holding the floor record, and every
            // older one, can go: the new segment's header carries the bounds.
            self.roll()?;
            touched.extend(self.segments.keys().copied());
        }
        for id in touched {
            self.maybe_doom(id);
        }
        Ok(gone.len() as u64)
    }

    fn expire(&mut self, now: i64, removed: &mut Vec<Removed>) -> Result<()> {
        self.live()?;
        for seq in self.index.expired(now) {
            self.remove_into(seq, removed)?;
        }
        Ok(())
    }

    fn next_expiry(&self) -> Option<i64> {
        self.index.next_expiry()
    }

    fn update_limits(&mut self, limits: &StoreLimits, removed: &mut Vec<Removed>) -> Result<()> {
        self.live()?;
        self.index.set_limits(limits);
        self.enforce(None, removed)
    }

    fn state(&self) -> StreamState {
        self.index.state()
    }

    fn deleted(&self) -> Vec<u64> {
        self.index.deleted()
    }

    fn subjects_state(&self, filter: &str) -> Vec<(String, SubjectState)> {
        self.index.subjects_state(filter)
    }

    fn num_pending(&self, start: u64, filter: &str, last_per_subject: bool) -> u64 {
        self.index.num_pending(start, filter, last_per_subject)
    }

    fn seq_for_time(&self, ts: i64) -> u64 {
        self.index.seq_for_time(ts)
    }

    fn destroy(&mut self) -> Result<()> {
        self.closed = true;
        self.segments.clear();
        self.buf.clear();
        self.index.reset();
        match fs::remove_dir_all(&self.dir) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StoreError::io(&self.dir, e)),
        }
    }
}

impl Drop for FileStore {
    fn drop(&mut self) {
        if !self.closed {
            // Errors have nowhere to go here; `close` reports them.
            let _ = self.checkpoint();
        }
    }
}
