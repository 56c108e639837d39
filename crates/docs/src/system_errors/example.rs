//! Error bodies in a page's code blocks: `"error": "CODE"` with `"error_description"` (JSON),
//! `'error' => 'CODE'` with `'error_description'` (PHP arrays), or REST 3.0's
//! `"error": {"code": ..., "message": ...}`; an `HTTP/1.1 401 ...` line in the same block gives
//! the status. The section's lead paragraph (the first paragraph under its heading) says what
//! the error is about: the paragraph right before an example is mostly "returns:". That holds
//! for a block that shows a response; a block of program code that builds an error body (a
//! server-side handler returning `['error' => ...]`) sits under a section about the program,
//! so its bodies carry no lead.

use std::sync::LazyLock;

use regex::Regex;

use crate::page::Block;
use crate::render::{blocks_markdown, collapse_ws};

/// One error body shown in an example.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct ErrorBody {
    pub code: String,
    pub status: Option<u16>,
    pub message: String,
    /// The lead paragraph of the example's section (markdown), empty when there is none.
    pub context: String,
}

static BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r#"["']error["']\s*(?::|=>)\s*["'](?<code>[A-Za-z0-9_]+)["']\s*,\s*"#,
        r#"["']error_description["']\s*(?::|=>)\s*["'](?<message>[^"']*)["']"#,
    ))
    .expect("error body pattern")
});

static V3_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r#""error"\s*:\s*\{\s*"code"\s*:\s*"(?<code>[A-Za-z0-9_]+)"\s*,\s*"#,
        r#""message"\s*:\s*"(?<message>[^"]*)""#,
    ))
    .expect("REST 3.0 error body pattern")
});

static STATUS_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"HTTP/\d(?:\.\d)?\s+(?<status>[1-5]\d\d)\b").expect("status line")
});

/// Every error body in `blocks`, in page order.
pub(super) fn read(blocks: &[Block]) -> Vec<ErrorBody> {
    let mut out = Vec::new();
    walk(blocks, &mut String::new(), true, &mut out);
    out
}

/// `top` is false inside notes, tabs and includes: their paragraphs are asides, not leads.
fn walk(blocks: &[Block], lead: &mut String, top: bool, out: &mut Vec<ErrorBody>) {
    for block in blocks {
        match block {
            Block::Paragraph { .. } if top && lead.is_empty() => {
                *lead = collapse_ws(&blocks_markdown(std::slice::from_ref(block), true));
            }
            Block::Heading { .. } if top => lead.clear(),
            Block::Code { code, .. } => out.extend(bodies(code, lead)),
            Block::List { items, .. } => items.iter().for_each(|i| walk(i, lead, false, out)),
            other => walk(other.children(), lead, false, out),
        }
    }
}

fn bodies(code: &str, context: &str) -> Vec<ErrorBody> {
    let context = if shows_response(code) { context } else { "" };
    let status = STATUS_LINE
        .captures(code)
        .and_then(|c| c["status"].parse::<u16>().ok());
    BODY.captures_iter(code)
        .chain(V3_BODY.captures_iter(code))
        .filter(|c| super::is_code(&c["code"]))
        .map(|c| ErrorBody {
            code: c["code"].to_owned(),
            status,
            message: c["message"].to_owned(),
            context: context.to_owned(),
        })
        .collect()
}

/// Whether a code block shows a response: the body itself, optionally after the exchange's
/// request line, status line and headers, rather than program code that contains a body
/// somewhere.
fn shows_response(code: &str) -> bool {
    let exchange = |line: &str| {
        let method = line.split_once(' ').is_some_and(|(verb, _)| {
            matches!(verb, "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD")
        });
        let header = line.split_once(": ").is_some_and(|(name, _)| {
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
        line.trim().is_empty() || method || header || STATUS_LINE.is_match(line)
    };
    code.lines()
        .find(|line| !exchange(line))
        .is_some_and(|body| body.trim_start().starts_with(['{', '[']))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEAD: &str = "What the section is about.";

    fn contexts(code: &str) -> Vec<(String, String)> {
        bodies(code, LEAD)
            .into_iter()
            .map(|b| (b.code, b.context))
            .collect()
    }

    #[test]
    fn a_response_block_takes_the_section_lead() {
        let json = "{\"error\": \"SOME_CODE\", \"error_description\": \"Text\"}";
        assert_eq!(contexts(json), [("SOME_CODE".into(), LEAD.into())]);
        let exchange = format!(
            "GET https://example.test/rest/a.b?x=1\nHTTP/1.1 401 Unauthorized\n\
             Content-Type: application/json\n\n{json}"
        );
        assert_eq!(contexts(&exchange), [("SOME_CODE".into(), LEAD.into())]);
    }

    #[test]
    fn program_code_that_builds_a_body_takes_no_lead() {
        let php = "<?php\nfunction check() {\n  return array('error' => 'some_code', 'error_description' => 'Text');\n}\n";
        assert_eq!(contexts(php), [("some_code".into(), String::new())]);
    }
}
