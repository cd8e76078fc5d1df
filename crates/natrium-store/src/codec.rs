//! Little-endian reading and writing for the small state files (consumer state,
//! index checkpoint): each is a body followed by a CRC-32 of the body.

use std::path::Path;

use crate::StoreError;

/// Appends fixed-width little-endian integers.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub(crate) fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn i64(&mut self, v: i64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn bytes(&mut self, v: &[u8]) {
        self.buf.extend_from_slice(v);
    }
    /// Closes the body with its checksum.
    pub(crate) fn seal(mut self) -> Vec<u8> {
        let crc = crc32fast::hash(&self.buf);
        self.buf.extend_from_slice(&crc.to_le_bytes());
        self.buf
    }
}

/// Reads what [`Writer`] wrote; every failure names the file and offset.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    path: &'a Path,
}

impl<'a> Reader<'a> {
    /// Checks the trailing checksum of `file` and starts reading its body.
    pub(crate) fn open(file: &'a [u8], path: &'a Path, magic: &[u8]) -> Result<Self, StoreError> {
        let corrupt = |offset: usize, reason: &str| StoreError::Corrupt {
            path: path.to_path_buf(),
            offset: offset as u64,
            reason: reason.to_string(),
        };
        let body_len = file
            .len()
            .checked_sub(4)
            .ok_or_else(|| corrupt(0, "shorter than a checksum"))?;
        let (body, crc) = file.split_at(body_len);
        let crc = <[u8; 4]>::try_from(crc).map_err(|_| corrupt(body_len, "truncated"))?;
        if crc32fast::hash(body) != u32::from_le_bytes(crc) {
            return Err(corrupt(body_len, "checksum mismatch"));
        }
        if body.get(..magic.len()) != Some(magic) {
            return Err(corrupt(0, "wrong magic"));
        }
        Ok(Reader {
            bytes: body,
            pos: magic.len(),
            path,
        })
    }

    pub(crate) fn corrupt(&self, reason: &str) -> StoreError {
        StoreError::Corrupt {
            path: self.path.to_path_buf(),
            offset: self.pos as u64,
            reason: reason.to_string(),
        }
    }

    pub(crate) fn bytes(&mut self, n: usize) -> Result<&'a [u8], StoreError> {
        let end = self
            .pos
            .checked_add(n)
            .ok_or_else(|| self.corrupt("length overflow"))?;
        let out = self
            .bytes
            .get(self.pos..end)
            .ok_or_else(|| self.corrupt("truncated"))?;
        self.pos = end;
        Ok(out)
    }

    pub(crate) fn u32(&mut self) -> Result<u32, StoreError> {
        let raw = self.bytes(4)?;
        Ok(u32::from_le_bytes(
            raw.try_into().map_err(|_| self.corrupt("truncated"))?,
        ))
    }

    pub(crate) fn u64(&mut self) -> Result<u64, StoreError> {
        let raw = self.bytes(8)?;
        Ok(u64::from_le_bytes(
            raw.try_into().map_err(|_| self.corrupt("truncated"))?,
        ))
    }

    pub(crate) fn i64(&mut self) -> Result<i64, StoreError> {
        Ok(self.u64()? as i64)
    }

    /// A count of entries at least `entry_len` bytes each, checked against what is
    /// left so that a damaged count cannot ask for a huge allocation.
    pub(crate) fn count(&mut self, entry_len: usize) -> Result<u64, StoreError> {
        let n = self.u64()?;
        let room = (self.bytes.len().saturating_sub(self.pos) / entry_len.max(1)) as u64;
        if n > room {
            return Err(self.corrupt("count larger than the file"));
        }
        Ok(n)
    }

    /// Fails unless every byte of the body was read.
    pub(crate) fn finish(&self) -> Result<(), StoreError> {
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err(self.corrupt("trailing bytes"))
        }
    }
}
