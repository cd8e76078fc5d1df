//! The byte layout of segment files (`docs/STORE.md` is the reference): a segment
//! header, then records, each closed by a CRC-32 of its own bytes.

/// Leads every segment file.
pub(crate) const SEGMENT_MAGIC: &[u8; 8] = b"NTRMBLK1";
/// Magic, floor, last sequence, last timestamp, reserved, CRC.
pub(crate) const SEGMENT_HEADER_LEN: usize = 40;
/// Length, kind, flags, reserved, sequence, timestamp, TTL, subject and header lengths.
pub(crate) const RECORD_HEADER_LEN: usize = 40;
/// The checksum closing each record.
pub(crate) const CRC_LEN: usize = 4;
/// The shortest record: a header and a checksum.
pub(crate) const MIN_RECORD_LEN: usize = RECORD_HEADER_LEN + CRC_LEN;

/// A stored message.
pub(crate) const KIND_MSG: u8 = 1;
/// "The message at `seq` was removed."
pub(crate) const KIND_TOMBSTONE: u8 = 2;
/// "Every message below `seq` was removed; the next sequence is at least `seq`."
pub(crate) const KIND_FLOOR: u8 = 3;

/// On a message record: its subject, headers and payload were overwritten.
pub(crate) const FLAG_ERASED: u8 = 1;

/// The first bytes of a segment: the stream's bounds when the segment was created, so
/// that bounds survive the removal of the older segments that recorded them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SegmentHeader {
    /// Every sequence below this was removed.
    pub floor: u64,
    /// The last sequence assigned.
    pub last_seq: u64,
    /// Its timestamp.
    pub last_ts: i64,
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let raw = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes(raw.try_into().ok()?))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    let raw = b.get(at..at.checked_add(8)?)?;
    Some(u64::from_le_bytes(raw.try_into().ok()?))
}

impl SegmentHeader {
    pub(crate) fn encode(&self) -> [u8; SEGMENT_HEADER_LEN] {
        let mut out = [0u8; SEGMENT_HEADER_LEN];
        let mut body = Vec::with_capacity(SEGMENT_HEADER_LEN);
        body.extend_from_slice(SEGMENT_MAGIC);
        body.extend_from_slice(&self.floor.to_le_bytes());
        body.extend_from_slice(&self.last_seq.to_le_bytes());
        body.extend_from_slice(&self.last_ts.to_le_bytes());
        body.extend_from_slice(&[0u8; 4]);
        body.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
        out.copy_from_slice(&body);
        out
    }

    /// `None` when `b` does not start with an intact header.
    pub(crate) fn decode(b: &[u8]) -> Option<Self> {
        let body = b.get(..SEGMENT_HEADER_LEN - CRC_LEN)?;
        if body.get(..8)? != SEGMENT_MAGIC.as_slice()
            || crc32fast::hash(body) != u32_at(b, SEGMENT_HEADER_LEN - CRC_LEN)?
        {
            return None;
        }
        Some(SegmentHeader {
            floor: u64_at(b, 8)?,
            last_seq: u64_at(b, 16)?,
            last_ts: u64_at(b, 24)? as i64,
        })
    }
}

/// A decoded record, borrowing its variable parts from the segment bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Record<'a> {
    pub kind: u8,
    pub flags: u8,
    pub seq: u64,
    pub ts: i64,
    pub ttl: i64,
    pub subject: &'a [u8],
    pub headers: &'a [u8],
    pub payload: &'a [u8],
    /// The whole record's length in bytes.
    pub len: usize,
}

/// Why bytes at an offset are not a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Damage {
    /// The bytes end before the record does: a write cut short.
    Short,
    /// The record is complete but wrong (bad length, kind or checksum).
    Bad(&'static str),
}

impl Damage {
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Damage::Short => "record cut short",
            Damage::Bad(r) => r,
        }
    }
}

/// The length of a record holding these parts.
pub(crate) fn record_len(subject: usize, headers: usize, payload: usize) -> usize {
    MIN_RECORD_LEN
        .saturating_add(subject)
        .saturating_add(headers)
        .saturating_add(payload)
}

/// Appends one record to `out`; the caller has checked that the parts fit the
/// 32-bit length fields.
#[allow(clippy::too_many_arguments)]
pub(crate) fn encode_record(
    out: &mut Vec<u8>,
    kind: u8,
    flags: u8,
    seq: u64,
    ts: i64,
    ttl: i64,
    subject: &[u8],
    headers: &[u8],
    payload: &[u8],
) {
    let start = out.len();
    let len = record_len(subject.len(), headers.len(), payload.len());
    out.extend_from_slice(&(len as u32).to_le_bytes());
    out.push(kind);
    out.push(flags);
    out.extend_from_slice(&[0u8; 2]);
    out.extend_from_slice(&seq.to_le_bytes());
    out.extend_from_slice(&ts.to_le_bytes());
    out.extend_from_slice(&ttl.to_le_bytes());
    out.extend_from_slice(&(subject.len() as u32).to_le_bytes());
    out.extend_from_slice(&(headers.len() as u32).to_le_bytes());
    out.extend_from_slice(subject);
    out.extend_from_slice(headers);
    out.extend_from_slice(payload);
    let crc = crc32fast::hash(out.get(start..).unwrap_or_default());
    out.extend_from_slice(&crc.to_le_bytes());
}

/// Overwrites the subject, headers and payload of the message record in `rec`
/// (exactly one record) with zeros, marks it erased and re-seals it.
pub(crate) fn erase_record(rec: &mut [u8]) {
    let end = rec.len().saturating_sub(CRC_LEN);
    if let Some(flags) = rec.get_mut(5) {
        *flags |= FLAG_ERASED;
    }
    if let Some(body) = rec.get_mut(RECORD_HEADER_LEN..end) {
        body.fill(0);
    }
    let crc = crc32fast::hash(rec.get(..end).unwrap_or_default());
    if let Some(tail) = rec.get_mut(end..) {
        tail.copy_from_slice(&crc.to_le_bytes());
    }
}

/// Decodes the record starting at `at` in `b`.
pub(crate) fn decode_record(b: &[u8], at: usize) -> Result<Record<'_>, Damage> {
    let rest = b.get(at..).unwrap_or_default();
    let len = u32_at(rest, 0).ok_or(Damage::Short)? as usize;
    if len < MIN_RECORD_LEN {
        return Err(Damage::Bad("record length below the minimum"));
    }
    let kind = *rest.get(4).ok_or(Damage::Short)?;
    if !(KIND_MSG..=KIND_FLOOR).contains(&kind) {
        return Err(Damage::Bad("unknown record kind"));
    }
    // Cheap checks before the checksum: recovery tries every offset of a damaged
    // region, and most must be rejected without hashing megabytes.
    let flags = *rest.get(5).ok_or(Damage::Short)?;
    if flags & !FLAG_ERASED != 0 || rest.get(6..8).ok_or(Damage::Short)? != [0, 0] {
        return Err(Damage::Bad("reserved bits set"));
    }
    let subject_len = u32_at(rest, 32).ok_or(Damage::Short)? as usize;
    let headers_len = u32_at(rest, 36).ok_or(Damage::Short)? as usize;
    let body_end = len - CRC_LEN;
    let subject_end = RECORD_HEADER_LEN
        .checked_add(subject_len)
        .filter(|e| *e <= body_end)
        .ok_or(Damage::Bad("subject longer than the record"))?;
    let headers_end = subject_end
        .checked_add(headers_len)
        .filter(|e| *e <= body_end)
        .ok_or(Damage::Bad("headers longer than the record"))?;
    let rec = rest.get(..len).ok_or(Damage::Short)?;
    let stored = u32_at(rec, body_end).ok_or(Damage::Short)?;
    if crc32fast::hash(rec.get(..body_end).ok_or(Damage::Short)?) != stored {
        return Err(Damage::Bad("checksum mismatch"));
    }
    let field = |at| u64_at(rec, at).ok_or(Damage::Short);
    Ok(Record {
        kind,
        flags,
        seq: field(8)?,
        ts: field(16)? as i64,
        ttl: field(24)? as i64,
        subject: rec.get(RECORD_HEADER_LEN..subject_end).unwrap_or_default(),
        headers: rec.get(subject_end..headers_end).unwrap_or_default(),
        payload: rec.get(headers_end..body_end).unwrap_or_default(),
        len,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_round_trip_and_damage() {
        let mut b = Vec::new();
        encode_record(&mut b, KIND_MSG, 0, 7, -3, 9, b"a.b", b"hdr", b"payload");
        let r = decode_record(&b, 0).unwrap();
        assert_eq!((r.seq, r.ts, r.ttl, r.len), (7, -3, 9, b.len()));
        assert_eq!(
            (r.subject, r.headers, r.payload),
            (&b"a.b"[..], &b"hdr"[..], &b"payload"[..])
        );
        for cut in 0..b.len() {
            assert!(decode_record(&b[..cut], 0).is_err());
        }
        for i in 0..b.len() {
            let mut c = b.clone();
            c[i] ^= 0x40;
            assert!(decode_record(&c, 0).is_err(), "flip at {i}");
        }
        erase_record(&mut b);
        let r = decode_record(&b, 0).unwrap();
        assert_eq!(r.flags, FLAG_ERASED);
        assert_eq!(r.payload, &[0u8; 7][..]);
    }

    #[test]
    fn header_round_trip() {
        let h = SegmentHeader {
            floor: 5,
            last_seq: 9,
            last_ts: -1,
        };
        let b = h.encode();
        assert_eq!(SegmentHeader::decode(&b), Some(h));
        let mut c = b;
        c[10] ^= 1;
        assert_eq!(SegmentHeader::decode(&c), None);
    }
}
