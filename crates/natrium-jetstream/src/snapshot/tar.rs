//! The subset of POSIX tar (ustar) a stream snapshot uses: regular files only.
//!
//! The reader is strict because a restore archive comes from the network: an entry
//! must be a regular file (or a directory, which is skipped) whose path is relative
//! and stays inside the archive — no `..`, no absolute path, no backslash, no empty
//! component; links, devices and every other entry type are refused.

const BLOCK: usize = 512;

/// Appends one regular file to `out`.
pub fn append_file(out: &mut Vec<u8>, path: &str, data: &[u8]) -> Result<(), String> {
    let name = path.as_bytes();
    if name.len() > 100 {
        return Err(format!("archive path too long: {path}"));
    }
    let mut header = [0u8; BLOCK];
    put(&mut header, 0, name);
    put(&mut header, 100, b"0000644\0");
    put(&mut header, 108, b"0000000\0");
    put(&mut header, 116, b"0000000\0");
    put(
        &mut header,
        124,
        format!("{:011o}\0", data.len()).as_bytes(),
    );
    put(&mut header, 136, b"00000000000\0");
    put(&mut header, 148, b"        ");
    put(&mut header, 156, b"0");
    put(&mut header, 257, b"ustar\0");
    put(&mut header, 263, b"00");
    let sum: u32 = header.iter().map(|b| u32::from(*b)).sum();
    put(&mut header, 148, format!("{sum:06o}\0 ").as_bytes());
    out.extend_from_slice(&header);
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(BLOCK) * BLOCK, 0);
    Ok(())
}

/// Ends an archive (two zero blocks).
pub fn finish(out: &mut Vec<u8>) {
    out.resize(out.len() + 2 * BLOCK, 0);
}

fn put(header: &mut [u8; BLOCK], at: usize, bytes: &[u8]) {
    if let Some(dst) = header.get_mut(at..at + bytes.len()) {
        dst.copy_from_slice(bytes);
    }
}

/// The regular files of an archive, as (path, contents).
pub fn read(archive: &[u8]) -> Result<Vec<(String, &[u8])>, String> {
    let mut files = Vec::new();
    let mut at = 0;
    loop {
        let Some(header) = archive.get(at..at + BLOCK) else {
            return Err("archive truncated".into());
        };
        if header.iter().all(|b| *b == 0) {
            return Ok(files);
        }
        check_sum(header)?;
        let name = field_text(header, 0, 100)?;
        let prefix = field_text(header, 345, 155)?;
        let path = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let size = octal(header.get(124..136).unwrap_or_default())?;
        let kind = header.get(156).copied().unwrap_or(0);
        let start = at + BLOCK;
        let len = usize::try_from(size).map_err(|_| "archive entry too large".to_string())?;
        let data = start
            .checked_add(len)
            .and_then(|end| archive.get(start..end))
            .ok_or("archive truncated")?;
        match kind {
            b'0' | 0 => {
                check_path(&path)?;
                files.push((path, data));
            }
            b'5' => check_path(path.trim_end_matches('/'))?,
            b'1' | b'2' => return Err(format!("archive holds a link: {path}")),
            other => {
                return Err(format!(
                    "archive entry {path} has unsupported type {:?}",
                    char::from(other)
                ))
            }
        }
        at = start + len.div_ceil(BLOCK) * BLOCK;
    }
}

fn check_sum(header: &[u8]) -> Result<(), String> {
    let stored = octal(header.get(148..156).unwrap_or_default())?;
    let sum: u64 = header
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if (148..156).contains(&i) {
                u64::from(b' ')
            } else {
                u64::from(*b)
            }
        })
        .sum();
    if sum != stored {
        return Err("archive header checksum mismatch".into());
    }
    Ok(())
}

fn field_text(header: &[u8], at: usize, len: usize) -> Result<String, String> {
    let raw = header.get(at..at + len).unwrap_or_default();
    let end = raw.iter().position(|b| *b == 0).unwrap_or(raw.len());
    std::str::from_utf8(raw.get(..end).unwrap_or_default())
        .map(str::to_string)
        .map_err(|_| "archive path is not UTF-8".to_string())
}

fn octal(raw: &[u8]) -> Result<u64, String> {
    let text: String = raw
        .iter()
        .take_while(|b| **b != 0)
        .map(|b| char::from(*b))
        .collect();
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    u64::from_str_radix(text, 8).map_err(|_| format!("archive header number {text:?}"))
}

/// A path that stays inside the directory it is extracted to.
fn check_path(path: &str) -> Result<(), String> {
    let bad = path.is_empty()
        || path.starts_with('/')
        || path.contains('\\')
        || path.contains(':')
        || path
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..");
    if bad {
        return Err(format!("archive path not allowed: {path:?}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_files() {
        let mut out = Vec::new();
        append_file(&mut out, "meta.json", b"{}").unwrap();
        append_file(&mut out, "obs/C/state.json", &[7u8; 700]).unwrap();
        finish(&mut out);
        let files = read(&out).unwrap();
        assert_eq!(files.len(), 2);
        assert_eq!(files[0], ("meta.json".to_string(), &b"{}"[..]));
        assert_eq!(files[1].1.len(), 700);
    }

    fn with_entry(path: &str, kind: u8) -> Vec<u8> {
        let mut out = Vec::new();
        append_file(&mut out, path, b"x").unwrap();
        out[156] = kind;
        let mut sum = 0u32;
        out[148..156].copy_from_slice(b"        ");
        for b in &out[..512] {
            sum += u32::from(*b);
        }
        out[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        finish(&mut out);
        out
    }

    #[test]
    fn refuses_escaping_paths_links_and_damage() {
        for path in ["../x", "/etc/passwd", "a/../../b", "a//b", "./a", "a\\b"] {
            assert!(read(&with_entry(path, b'0')).is_err(), "{path}");
        }
        assert!(read(&with_entry("link", b'2')).is_err());
        assert!(read(&with_entry("hard", b'1')).is_err());
        assert!(read(&with_entry("dev", b'3')).is_err());
        let mut ok = with_entry("fine", b'0');
        assert!(read(&ok).is_ok());
        ok[10] ^= 1;
        assert!(read(&ok).is_err(), "checksum");
        assert!(read(&ok[..600]).is_err(), "truncated");
    }
}
