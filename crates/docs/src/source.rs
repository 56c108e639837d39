//! Reading a page file into text every frontend can trust: within the size budget, valid
//! UTF-8 (invalid bytes replaced and reported at their line), no byte-order mark, `\n` line
//! ends only, no NUL characters. What had to be changed is reported, never silently lost.

use std::path::Path;

use crate::diagnostic::DiagnosticKind;
use crate::limits::MAX_PAGE_BYTES;

/// A page's text and what reading it had to repair.
#[derive(Debug)]
pub(crate) struct Source {
    pub text: String,
    /// `(line, kind, message)` for each repair.
    pub notes: Vec<(u32, DiagnosticKind, String)>,
}

/// Why a page could not be read at all.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ReadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the file is {0} bytes, over the {MAX_PAGE_BYTES}-byte page budget; not read")]
    TooBig(u64),
}

impl ReadError {
    pub fn kind(&self) -> DiagnosticKind {
        match self {
            ReadError::Io(_) => DiagnosticKind::Unreadable,
            ReadError::TooBig(_) => DiagnosticKind::Limit,
        }
    }
}

/// Reads and normalises the page file at `path`.
///
/// The size is asked of the open file, and no more than the budget is read from it: one
/// lookup of the path instead of two, and a file that grows after the check still cannot
/// bring more than the budget into memory.
pub(crate) fn read(path: &Path) -> Result<Source, ReadError> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size > MAX_PAGE_BYTES {
        return Err(ReadError::TooBig(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    let read = file.take(MAX_PAGE_BYTES + 1).read_to_end(&mut bytes)?;
    if read as u64 > MAX_PAGE_BYTES {
        return Err(ReadError::TooBig(read as u64));
    }
    Ok(decode(bytes))
}

/// Bytes → normalised text.
pub(crate) fn decode(bytes: Vec<u8>) -> Source {
    let mut notes = Vec::new();
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let bytes = e.into_bytes();
            notes.push(invalid_utf8(&bytes));
            String::from_utf8_lossy(&bytes).into_owned()
        }
    };
    let text = normalise(text, &mut notes);
    if text.trim().is_empty() {
        notes.push((0, DiagnosticKind::EmptyPage, "the page is empty".into()));
    }
    Source { text, notes }
}

/// The diagnostic for invalid UTF-8: the line of the first bad byte and how many there are.
fn invalid_utf8(bytes: &[u8]) -> (u32, DiagnosticKind, String) {
    let mut first = None;
    let mut count = 0usize;
    let mut at = 0usize;
    for chunk in bytes.utf8_chunks() {
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            count += 1;
            first.get_or_insert(at);
        }
        at += chunk.invalid().len();
    }
    let first = first.unwrap_or(0);
    (
        line_of(bytes, first),
        DiagnosticKind::Encoding,
        format!("{count} invalid UTF-8 sequence(s), first at byte {first}; replaced with U+FFFD"),
    )
}

fn line_of(bytes: &[u8], at: usize) -> u32 {
    1 + bytes[..at.min(bytes.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count() as u32
}

/// Strips a byte-order mark, turns `\r\n` and lone `\r` into `\n`, removes NUL characters.
fn normalise(text: String, notes: &mut Vec<(u32, DiagnosticKind, String)>) -> String {
    let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
    // A vectorised byte search (both bytes are ASCII): a byte loop with an early exit is
    // not vectorised, and this runs over every byte of the docs.
    if memchr::memchr2(b'\r', 0, body.as_bytes()).is_none() {
        return if body.len() == text.len() {
            text
        } else {
            body.to_owned()
        };
    }
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    let mut line = 1u32;
    let mut nul_line = None;
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
                line += 1;
            }
            '\0' => {
                nul_line.get_or_insert(line);
            }
            '\n' => {
                out.push('\n');
                line += 1;
            }
            other => out.push(other),
        }
    }
    if let Some(line) = nul_line {
        notes.push((
            line,
            DiagnosticKind::Encoding,
            "NUL characters removed".into(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_normalised_silently() {
        let source = decode(b"\xef\xbb\xbf# Title\r\n\r\ntext\rmore\n".to_vec());
        assert_eq!(source.text, "# Title\n\ntext\nmore\n");
        assert!(source.notes.is_empty(), "{:?}", source.notes);
    }

    #[test]
    fn invalid_utf8_is_replaced_and_reported_at_its_line() {
        let source = decode(b"one\ntwo\nbad \xff byte\nfour \xfe\n".to_vec());
        assert_eq!(source.text, "one\ntwo\nbad \u{fffd} byte\nfour \u{fffd}\n");
        assert_eq!(source.notes.len(), 1);
        let (line, kind, message) = &source.notes[0];
        assert_eq!((*line, *kind), (3, DiagnosticKind::Encoding));
        assert!(message.starts_with("2 invalid UTF-8"), "{message}");
    }

    #[test]
    fn nul_is_removed_and_reported_and_empty_pages_are_reported() {
        let source = decode(b"a\n\0**Name**\n".to_vec());
        assert_eq!(source.text, "a\n**Name**\n");
        assert_eq!(source.notes[0].0, 2);
        let empty = decode(b"\xef\xbb\xbf \r\n".to_vec());
        assert_eq!(empty.notes[0].1, DiagnosticKind::EmptyPage);
    }
}
