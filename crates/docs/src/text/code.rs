//! Code examples in a text copy. Block-shaped copies keep code as an indented block; line-shaped
//! copies flatten it to unindented lines among the prose, so a run of lines is taken as code
//! when it is a curl command (continued by `\`), a JSON value (until its brackets balance), or
//! lines that read as program text rather than sentences.

use super::chunks::Chunk;
use crate::page::Block;

/// A code block starting at `chunks[0]` in a line-shaped copy: the block and chunks used.
pub(crate) fn line_code(chunks: &[Chunk]) -> Option<(Block, usize)> {
    let first = chunks.first()?.trimmed();
    let used = if first.starts_with("curl ") {
        curl_lines(chunks)
    } else if first.starts_with('{') || first == "[" {
        json_lines(chunks)
    } else if looks_like_code(first) {
        chunks
            .iter()
            .take_while(|c| looks_like_code(c.trimmed()))
            .count()
    } else {
        return None;
    };
    let code: Vec<&str> = chunks[..used].iter().map(|c| c.text.as_str()).collect();
    Some((block(code.join("\n") + "\n", chunks[0].line), used))
}

/// A block-shaped copy's chunk as code, when it is one: lines after the first indented (the
/// page template's indentation, taken off), or a curl command or JSON value.
pub(crate) fn block_code(chunk: &Chunk) -> Option<Block> {
    let mut lines = chunk.text.lines();
    let first = lines.next()?.trim();
    let rest: Vec<&str> = lines.collect();
    let indented = !rest.is_empty()
        && rest
            .iter()
            .filter(|l| !l.trim().is_empty())
            .all(|l| l.starts_with("    "));
    let code_start = first.starts_with("curl ") || first.starts_with('{') || first == "[";
    let one_line_code = looks_like_code(first) && rest.is_empty();
    if !(indented || code_start || one_line_code) {
        return None;
    }
    let indent = rest
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut code = format!("{first}\n");
    for line in rest {
        code.push_str(line.get(indent..).unwrap_or(line.trim_start()));
        code.push('\n');
    }
    Some(block(code, chunk.line))
}

fn block(code: String, line: u32) -> Block {
    let trimmed = code.trim_start();
    let lang = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        "json"
    } else if trimmed.starts_with("curl ") {
        "bash"
    } else {
        ""
    };
    Block::Code {
        lang: lang.to_owned(),
        code,
        line,
    }
}

/// A curl command goes on while its lines end with `\\` or a quoted body is still open.
fn curl_lines(chunks: &[Chunk]) -> usize {
    let mut used = 0;
    let mut quotes = 0usize;
    for chunk in chunks {
        used += 1;
        quotes += chunk.text.matches('\'').count();
        if quotes % 2 == 0 && !chunk.trimmed().ends_with('\\') {
            break;
        }
    }
    used
}

/// Lines up to where the brackets opened on the first one balance again (strings skipped).
fn json_lines(chunks: &[Chunk]) -> usize {
    let mut depth = 0i32;
    for (i, chunk) in chunks.iter().enumerate() {
        let mut in_string = false;
        let mut escaped = false;
        for c in chunk.text.chars() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '{' | '[' if !in_string => depth += 1,
                '}' | ']' if !in_string => depth -= 1,
                _ => {}
            }
        }
        if depth <= 0 {
            return i + 1;
        }
    }
    chunks.len()
}

/// Program text, not a sentence: code punctuation, and not a long line ending like prose.
pub(crate) fn looks_like_code(line: &str) -> bool {
    let punctuated = line.contains(['(', ')', ';', '{', '}', '$', '[', ']'])
        || line.contains("=>")
        || line.contains("->")
        || line.starts_with("//")
        || line.starts_with('<')
        || line.starts_with('\'')
        || line.starts_with('"');
    let words = line.split_whitespace().count();
    let sentence = words >= 6 && line.ends_with(['.', ':']) && !line.ends_with(");");
    punctuated && !sentence
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(lines: &[&str]) -> Vec<Chunk> {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| Chunk {
                text: (*l).to_owned(),
                line: i as u32 + 1,
            })
            .collect()
    }

    #[test]
    fn curl_and_json_runs_end_where_they_close() {
        let input = chunks(&[
            "curl -X POST \\",
            "-d '{",
            "\"a\": 1",
            "}' \\",
            "https://x/rest/a.b",
            "{",
            "\"a\": \"}\",",
            "\"b\": [1]",
            "}",
            "Prose follows here.",
        ]);
        assert_eq!(line_code(&input).map(|(_, n)| n), Some(5));
        assert_eq!(line_code(&input[5..]).map(|(_, n)| n), Some(4));
        assert!(line_code(&input[9..]).is_none());
    }

    #[test]
    fn indented_blocks_lose_the_template_indent() {
        let chunk = Chunk {
            text: "{\n            \"a\": 1\n        }".into(),
            line: 4,
        };
        let Some(Block::Code { code, lang, .. }) = block_code(&chunk) else {
            panic!("code")
        };
        assert_eq!(
            (code.as_str(), lang.as_str()),
            ("{\n    \"a\": 1\n}\n", "json")
        );
    }
}
