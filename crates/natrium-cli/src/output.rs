//! Human output: aligned tables and "label: value" sections; raw JSON passthrough.

use std::io::Write;

use crate::Error;

/// Writes a line to stdout; a closed pipe or full disk becomes an [`Error`] rather than a
/// panic. Use inside functions returning `Result<_, Error>`.
macro_rules! outln {
    () => {
        $crate::output::write_out("\n")?
    };
    ($($arg:tt)*) => {
        $crate::output::write_out(&format!("{}\n", format_args!($($arg)*)))?
    };
}

/// Like [`outln!`] without the newline.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::output::write_out(&format!($($arg)*))?
    };
}

/// Writes `text` to stdout and flushes.
pub fn write_out(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("stdout", e))
}

/// A table with a title line and aligned columns.
#[derive(Debug, Default)]
pub struct Table {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table titled `title` with these column names.
    pub fn new(title: impl Into<String>, headers: &[&str]) -> Self {
        Self {
            title: title.into(),
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table as text.
    pub fn render(&self) -> String {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                let w = cell.chars().count();
                match widths.get_mut(i) {
                    Some(cur) => *cur = (*cur).max(w),
                    None => widths.push(w),
                }
            }
        }
        let line = |cells: &[String]| {
            let parts: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let w = widths.get(i).copied().unwrap_or(0);
                    format!("{c:<w$}")
                })
                .collect();
            format!("│ {} │\n", parts.join(" │ "))
        };
        let rule = |left: &str, mid: &str, right: &str| {
            let parts: Vec<String> = widths.iter().map(|w| "─".repeat(w + 2)).collect();
            format!("{left}{}{right}\n", parts.join(mid))
        };
        let mut out = String::new();
        if !self.title.is_empty() {
            out.push_str(&self.title);
            out.push('\n');
        }
        out.push_str(&rule("╭", "┬", "╮"));
        out.push_str(&line(&self.headers));
        out.push_str(&rule("├", "┼", "┤"));
        for row in &self.rows {
            out.push_str(&line(row));
        }
        out.push_str(&rule("╰", "┴", "╯"));
        out
    }
}

/// "label: value" lines with the labels right-aligned, as the `nats` CLI's info views.
#[derive(Debug, Default)]
pub struct Section {
    lines: Vec<(String, String)>,
}

impl Section {
    /// An empty section.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a line.
    pub fn add(&mut self, label: &str, value: impl ToString) {
        self.lines.push((label.to_owned(), value.to_string()));
    }

    /// The section as text.
    pub fn render(&self) -> String {
        let width = self
            .lines
            .iter()
            .map(|(l, _)| l.chars().count())
            .max()
            .unwrap_or(0);
        self.lines
            .iter()
            .map(|(l, v)| format!("  {l:>width$}: {v}\n"))
            .collect()
    }
}

/// Prints a server's JSON response body as it came, with a final newline.
pub fn print_raw(body: &[u8]) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    out.write_all(body)
        .and_then(|()| {
            if body.ends_with(b"\n") {
                Ok(())
            } else {
                out.write_all(b"\n")
            }
        })
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("stdout", e))
}

/// An RFC 3339 time for people, from a `time` value.
pub fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_columns() {
        let mut t = Table::new("Streams", &["Name", "Messages"]);
        t.row(vec!["ORDERS".into(), "5".into()]);
        t.row(vec!["X".into(), "12345".into()]);
        let text = t.render();
        assert!(text.contains("│ ORDERS │ 5        │"), "{text}");
        assert!(text.contains("│ X      │ 12345    │"), "{text}");
    }

    #[test]
    fn section_right_aligns_labels() {
        let mut s = Section::new();
        s.add("Subjects", "a.>");
        s.add("Storage", "File");
        assert_eq!(s.render(), "  Subjects: a.>\n   Storage: File\n");
    }
}
