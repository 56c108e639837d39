//! A text copy as a sequence of chunks with line numbers.
//!
//! Browsers copy a page in one of two shapes: one line per block with no blank lines (and
//! table cells as `cell |` lines), or blocks separated by blank lines (table cells as blocks,
//! code keeping the page template's indentation). A chunk is a line in the first shape and a
//! blank-line-separated block in the second.

/// One line or block of the copy.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Chunk {
    /// The text, lines joined with `\n`, trailing blanks removed.
    pub text: String,
    /// 1-based line of the chunk's first line.
    pub line: u32,
}

impl Chunk {
    /// The text trimmed.
    pub fn trimmed(&self) -> &str {
        self.text.trim()
    }
}

/// How the copy is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// One block per line; tables as `|` lines; inline code lost.
    Lines,
    /// Blocks separated by blank lines.
    Blocks,
}

/// Splits a copy into chunks and says which shape it has.
pub(crate) fn split(source: &str) -> (Shape, Vec<Chunk>) {
    let lines: Vec<&str> = source.lines().collect();
    let blank = lines.iter().filter(|l| l.is_empty()).count();
    let filled = lines.len() - blank;
    if blank * 4 > filled {
        (Shape::Blocks, blocks(&lines))
    } else {
        let chunks = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| Chunk {
                text: l.trim_end().to_owned(),
                line: i as u32 + 1,
            })
            .collect();
        (Shape::Lines, chunks)
    }
}

/// Blocks separated by truly empty lines: code copied with the page template keeps its
/// indentation on "blank" lines, so those do not split a block.
fn blocks(lines: &[&str]) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut current: Option<(u32, Vec<&str>)> = None;
    for (i, line) in lines.iter().enumerate() {
        if line.is_empty() {
            if let Some((start, body)) = current.take() {
                push_block(&mut out, start, &body);
            }
            continue;
        }
        current
            .get_or_insert_with(|| (i as u32 + 1, Vec::new()))
            .1
            .push(line);
    }
    if let Some((start, body)) = current {
        push_block(&mut out, start, &body);
    }
    out
}

fn push_block(out: &mut Vec<Chunk>, line: u32, body: &[&str]) {
    let mut body: Vec<&str> = body.iter().map(|l| l.trim_end()).collect();
    while body.last().is_some_and(|l| l.is_empty()) {
        body.pop();
    }
    if !body.is_empty() {
        out.push(Chunk {
            text: body.join("\n"),
            line,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_are_told_apart() {
        let (shape, chunks) = split("Title\nline two\n|\ncell |\n");
        assert_eq!(shape, Shape::Lines);
        assert_eq!(chunks.len(), 4);
        assert_eq!(chunks[3].line, 4);
        let (shape, chunks) =
            split("Title\n\npara one\nstill one\n\n{\n    \"a\": 1\n    \n}\n    \n\nend\n");
        assert_eq!(shape, Shape::Blocks);
        assert_eq!(chunks.len(), 4);
        assert_eq!(chunks[2].text, "{\n    \"a\": 1\n\n}");
        assert_eq!(chunks[3].line, 12);
    }
}
