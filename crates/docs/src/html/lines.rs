//! Source lines for elements of a parsed HTML page.
//!
//! The HTML parser keeps no positions, but every element the converter reads is visited in
//! document order, so the next `<tag` in the source from a moving cursor is that element's start
//! tag. Diagnostics and the page model then carry real line numbers of the HTML file, and
//! distinct tables get distinct lines (extraction tells tables apart by line).

/// A forward-only locator of start tags in one source text.
#[derive(Debug)]
pub(crate) struct Lines<'a> {
    text: &'a str,
    cursor: usize,
    /// The last position counted and its line, so counting never restarts from the top.
    counted: (usize, u32),
    /// The file line of the text's first line.
    first_line: u32,
}

impl<'a> Lines<'a> {
    /// A locator over `text`, starting its search at byte `start`; `text`'s first line is line
    /// `first_line` of the file.
    pub(crate) fn new(text: &'a str, start: usize, first_line: u32) -> Self {
        Lines {
            text,
            cursor: start.min(text.len()),
            counted: (0, 0),
            first_line,
        }
    }

    /// The line of the next `<tag` start tag, moving past it; the cursor's line when the tag is
    /// not found (the locator never fails, it only becomes less precise).
    pub(crate) fn next(&mut self, tag: &str) -> u32 {
        match self.find(tag) {
            Some(at) => {
                self.cursor = at + 1;
                self.line_at(at)
            }
            None => self.line_at(self.cursor),
        }
    }

    /// The line the cursor is on.
    pub(crate) fn current(&mut self) -> u32 {
        self.line_at(self.cursor)
    }

    fn find(&self, tag: &str) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut from = self.cursor;
        while let Some(rel) = self.text.get(from..)?.find('<') {
            let at = from + rel;
            let name_end = at + 1 + tag.len();
            let is_tag = self
                .text
                .get(at + 1..name_end)
                .is_some_and(|name| name.eq_ignore_ascii_case(tag))
                && bytes
                    .get(name_end)
                    .is_none_or(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/');
            if is_tag {
                return Some(at);
            }
            from = at + 1;
        }
        None
    }

    fn line_at(&mut self, pos: usize) -> u32 {
        let (seen, line) = self.counted;
        let bytes = self.text.as_bytes();
        let count = |range: &[u8]| range.iter().filter(|b| **b == b'\n').count() as u32;
        let line = if pos >= seen {
            line + count(&bytes[seen..pos])
        } else {
            line - count(&bytes[pos..seen])
        };
        self.counted = (pos, line);
        self.first_line + line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tags_in_order_and_not_their_prefixes() {
        let text = "<p>a</p>\n<pre>x</pre>\n<p class=\"b\">c</p>\n<table>\n<tr>";
        let mut lines = Lines::new(text, 0, 10);
        assert_eq!(lines.next("p"), 10);
        assert_eq!(lines.next("p"), 12);
        assert_eq!(lines.next("tr"), 14);
        // Not found: stays where it is.
        assert_eq!(lines.next("table"), 14);
        assert_eq!(lines.current(), 14);
    }
}
