//! Rustdoc text from the spec's markdown: absolute links to the official pages, code fences that
//! rustdoc will not mistake for Rust, and the assembled doc of a method.

use b24_spec::{ApiVersion, Method, Param};

use crate::doc_text;
use crate::error_catalogue::ErrorCatalogue;

/// Where the official docs are published.
pub const DOCS_BASE: &str = "https://apidocs.bitrix24.com/";

/// The published page for a docs source path (`.md` → `.html`), with an optional `#anchor`.
pub fn page_url(source: &str) -> String {
    let (path, anchor) = source.split_once('#').unwrap_or((source, ""));
    let path = path
        .strip_suffix(".md")
        .map_or_else(|| path.to_owned(), |p| format!("{p}.html"));
    let anchor = if anchor.is_empty() {
        String::new()
    } else {
        format!("#{anchor}")
    };
    format!("{DOCS_BASE}{}{anchor}", path.trim_start_matches('/'))
}

/// Markdown from a page, made safe and useful as rustdoc lines.
pub fn markdown_lines(markdown: &str, source: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_fence = false;
    for raw in markdown.trim().lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if let Some(lang) = trimmed.strip_prefix("```") {
            // Unlabeled fences would become doctests; the docs' snippets are never Rust.
            let indent = &line[..line.len() - trimmed.len()];
            if !in_fence && lang.trim().is_empty() {
                lines.push(format!("{indent}```text"));
            } else {
                lines.push(line.to_owned());
            }
            in_fence = !in_fence;
            continue;
        }
        lines.push(if in_fence {
            line.to_owned()
        } else {
            doc_text::tidy(&absolute_links(line, source))
        });
    }
    if in_fence {
        lines.push("```".to_owned());
    }
    lines
}

/// Rewrites `](relative.md)` links against the page's own location.
fn absolute_links(line: &str, source: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("](") {
        out.push_str(&rest[..at + 2]);
        rest = &rest[at + 2..];
        let end = rest.find(')').unwrap_or(rest.len());
        out.push_str(&resolve_link(&rest[..end], source));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn resolve_link(target: &str, source: &str) -> String {
    if target.contains("://")
        || target.starts_with("mailto:")
        || target.is_empty()
        || target.starts_with('*')
    {
        return target.to_owned();
    }
    if let Some(root) = target.strip_prefix('/') {
        return page_url(root);
    }
    if let Some(anchor) = target.strip_prefix('#') {
        return format!("{}#{anchor}", page_url(source));
    }
    let mut parts: Vec<&str> = source.split('/').collect();
    parts.pop();
    for segment in target.split('/') {
        match segment {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    page_url(&parts.join("/"))
}

/// The rustdoc of a method's request type.
pub fn method_doc(
    method: &Method,
    errors: &ErrorCatalogue,
    call: &str,
    deprecated: Option<&str>,
) -> Vec<String> {
    let mut doc = vec![title(method), String::new()];
    let api = match method.api {
        ApiVersion::V2 => "REST v2",
        ApiVersion::V3 => "REST 3.0",
    };
    let mut header = format!("Calls `{}` ({api})", method.method);
    if !method.scope.is_empty() {
        let scopes: Vec<String> = method.scope.iter().map(|s| format!("`{s}`")).collect();
        header.push_str(&format!("; scope {}", scopes.join(", ")));
    }
    doc.push(format!("{header}, as `{call}`."));
    if let Some(note) = deprecated {
        doc.push(String::new());
        doc.push(format!("**Deprecated:** {note}."));
    }
    if !method.description.trim().is_empty() {
        doc.push(String::new());
        doc.extend(markdown_lines(&method.description, &method.source));
    }
    if let Some(access) = method.access.as_deref().filter(|a| !a.trim().is_empty()) {
        doc.push(String::new());
        doc.push(format!("**Who can execute:** {}", access.trim()));
    }
    params_section(&method.params, &mut doc, &method.source);
    errors_section(method, errors, &mut doc);
    doc.push(String::new());
    doc.push(format!(
        "[Official documentation]({})",
        page_url(&method.source)
    ));
    doc
}

fn params_section(params: &[Param], doc: &mut Vec<String>, source: &str) {
    if params.is_empty() {
        return;
    }
    doc.extend(["".to_owned(), "# Parameters".to_owned(), String::new()]);
    for p in params {
        let ty =
            p.ty.as_ref()
                .map_or_else(|| "untyped".to_owned(), ToString::to_string);
        let required = if p.required { ", required" } else { "" };
        let summary = markdown_lines(&first_line(&p.description), source).join(" ");
        let sep = if summary.is_empty() { "" } else { ": " };
        doc.push(format!("- `{}` (`{ty}`{required}){sep}{summary}", p.name));
    }
}

fn errors_section(method: &Method, errors: &ErrorCatalogue, doc: &mut Vec<String>) {
    if method.errors.is_empty() && !method.system_errors {
        return;
    }
    doc.extend(["".to_owned(), "# Errors".to_owned(), String::new()]);
    for err in &method.errors {
        let status = err
            .status
            .map_or_else(String::new, |s| format!("HTTP {s}, "));
        let message = doc_text::plain(&first_line(&err.message));
        match errors.variant(&err.code) {
            Some(variant) => doc.push(format!(
                "- [`ErrorCode::{variant}`](crate::ErrorCode::{variant}) ({status}`{}`): {message}",
                err.code
            )),
            None => doc.push(format!("- empty code ({status}no code): {message}")),
        }
    }
    if method.system_errors {
        doc.push("- any of the system errors (see [`ErrorCode`](crate::ErrorCode))".to_owned());
    }
}

/// The page title without the method name most titles end with.
pub fn title(method: &Method) -> String {
    let full = first_line(&method.title);
    let short = full
        .strip_suffix(method.method.as_str())
        .map(str::trim_end)
        .unwrap_or(&full);
    let short = short.trim_end_matches([':', '—', '-']).trim_end();
    if short.is_empty() {
        full.clone()
    } else {
        short.to_owned()
    }
}

/// The note for `#[deprecated]`: the page's note, else the replacement, else a plain statement.
pub fn deprecation_note(
    note: Option<&str>,
    replacement: Option<&str>,
    rust_call: Option<&str>,
) -> String {
    match (replacement, note) {
        (Some(r), _) => match rust_call {
            Some(call) => format!("use `{call}` (`{r}`) instead"),
            None => format!("use `{r}` instead"),
        },
        (None, Some(n)) if !n.trim().is_empty() => first_line(n),
        _ => "deprecated by Bitrix24".to_owned(),
    }
}

/// The first non-empty line of markdown, trimmed.
pub fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_urls_use_html() {
        assert_eq!(
            page_url("api-reference/crm/deals/crm-deal-add.md"),
            "https://apidocs.bitrix24.com/api-reference/crm/deals/crm-deal-add.html"
        );
    }

    #[test]
    fn relative_links_become_absolute() {
        let lines = markdown_lines(
            "See [get](../universal/crm-item-get.md) and [x](#deal) or [y](https://e.com/a).",
            "api-reference/crm/deals/crm-deal-get.md",
        );
        assert_eq!(
            lines,
            ["See [get](https://apidocs.bitrix24.com/api-reference/crm/universal/crm-item-get.html) and \
              [x](https://apidocs.bitrix24.com/api-reference/crm/deals/crm-deal-get.html#deal) or [y](https://e.com/a)."]
        );
    }

    #[test]
    fn unlabeled_fences_become_text() {
        let lines = markdown_lines("a\n```\n{x](y)\n```\n```json\n{}\n```", "p.md");
        assert_eq!(
            lines,
            ["a", "```text", "{x](y)", "```", "```json", "{}", "```"]
        );
    }
}
