//! `ERRORS.md`: the error catalogue for people, every code with its status, message, meaning and
//! the methods documenting it.

use std::fmt::Write as _;

use crate::error_catalogue::{CodeEntry, ErrorCatalogue, Mention};

/// The document (without the generated-file header).
pub fn errors_md(catalogue: &ErrorCatalogue) -> String {
    let mut out = String::new();
    out.push_str("# Bitrix24 REST error codes\n\n");
    out.push_str(
        "Every code the docs document, as `bitrix24::ErrorCode` variants. System errors can come \
         from any method; the others are listed on the pages of the methods below.\n\n",
    );
    let (system, specific): (Vec<&CodeEntry>, Vec<&CodeEntry>) =
        catalogue.codes.iter().partition(|c| c.system);
    out.push_str("## System errors\n\n| Code | Variant | HTTP | Message | Meaning |\n|---|---|---|---|---|\n");
    for c in &system {
        let _ = writeln!(
            out,
            "| `{}` | `{}` | {} | {} | {} |",
            c.code,
            c.variant,
            status(c.status),
            cell(&c.message),
            cell(&c.description)
        );
    }
    out.push_str("\n## Method-specific errors\n");
    for c in specific
        .iter()
        .copied()
        .chain(system.iter().copied().filter(|c| !c.mentions.is_empty()))
    {
        let _ = write!(out, "\n### `{}`\n\n`ErrorCode::{}`", c.code, c.variant);
        if let Some(s) = c.status {
            let _ = write!(out, ", HTTP {s}");
        }
        out.push_str("\n\n");
        mention_table(&mut out, &c.mentions);
    }
    if !catalogue.empty.is_empty() {
        out.push_str("\n## Errors documented without a code\n\n");
        mention_table(&mut out, &catalogue.empty);
    }
    out
}

fn mention_table(out: &mut String, mentions: &[Mention]) {
    out.push_str("| Method | HTTP | Message | Meaning |\n|---|---|---|---|\n");
    for m in mentions {
        let _ = writeln!(
            out,
            "| `{}` ({}) | {} | {} | {} |",
            m.method,
            m.api,
            status(m.status),
            cell(&m.message),
            cell(&m.description)
        );
    }
}

fn status(status: Option<u16>) -> String {
    status.map_or_else(|| "—".to_owned(), |s| s.to_string())
}

/// Table cells hold one line and no unescaped pipes.
fn cell(text: &str) -> String {
    let joined: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    joined.join(" ").replace('|', "\\|")
}
