//! Finding the article in a docs website page.
//!
//! Diplodoc pages carry the article twice: rendered in the body (`.dc-doc-page__body`), where
//! the page template indents every line after the first by a fixed amount (code blocks
//! included), and as the original HTML in the JSON of `<script id="diplodoc-state">`. The JSON
//! copy is preferred; the body is the fallback for pages saved without it.

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use crate::diagnostic::{DiagnosticKind, Sink};

/// What the page's `diplodoc-state` says.
#[derive(Debug, Default)]
pub(crate) struct State {
    /// The article HTML, as built (no template indentation).
    pub html: String,
    /// The page title.
    pub title: Option<String>,
    /// The markdown source path (`meta.vcsPath`).
    pub source_path: Option<String>,
    /// Where the article starts in the page: byte offset of the body's first line.
    pub body_start: Option<usize>,
}

const STATE_MARK: &str = "id=\"diplodoc-state\"";
const BODY_MARK: &str = "dc-doc-page__body";
const TITLE_MARK: &str = "dc-doc-page-title";

/// Reads the `diplodoc-state` script, if the page has one that holds an article.
pub(crate) fn state(source: &str, sink: &mut Sink) -> Option<State> {
    let mark = source.find(STATE_MARK)?;
    let open_end = mark + source[mark..].find('>')? + 1;
    let close = open_end + source[open_end..].find("</script")?;
    let line = line_of(source, mark);
    let json: Value = match serde_json::from_str(&source[open_end..close]) {
        Ok(v) => v,
        Err(e) => {
            sink.report(
                line,
                DiagnosticKind::Syntax,
                format!("<script id=\"diplodoc-state\">: not JSON ({e}); reading the page body"),
            );
            return None;
        }
    };
    let data = json.get("data")?;
    let Some(escaped) = data.get("html").and_then(Value::as_str) else {
        sink.report(
            line,
            DiagnosticKind::Syntax,
            "<script id=\"diplodoc-state\">: no data.html; reading the page body",
        );
        return None;
    };
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    Some(State {
        html: decode_entities(escaped),
        title: text(data.get("title")),
        source_path: text(data.get("meta").and_then(|m| m.get("vcsPath"))),
        body_start: body_start(source),
    })
}

/// The state keeps the article entity-escaped (so it can never close its script early).
/// Parsing it as HTML text decodes the entities by the HTML rules themselves.
fn decode_entities(escaped: &str) -> String {
    if !escaped.contains('&') {
        return escaped.to_owned();
    }
    Html::parse_fragment(escaped)
        .root_element()
        .text()
        .collect()
}

/// Byte offset of the body's first line: just after the opening tag of the body element.
pub(crate) fn body_start(source: &str) -> Option<usize> {
    let mark = source.find(BODY_MARK)?;
    Some(mark + source[mark..].find('>')? + 1)
}

/// The indentation the template put before every line of the body after its first.
pub(crate) fn template_indent(source: &str, body_start: usize) -> usize {
    let rest = &source[body_start..];
    let Some(newline) = rest.find('\n') else {
        return 0;
    };
    rest[newline + 1..]
        .bytes()
        .take_while(|b| *b == b' ')
        .count()
}

/// The page title: the text of the page `h1` (hidden anchor text left out), else `fallback`.
/// Returns the title and the line of its `h1`.
pub(crate) fn title(source: &str) -> Option<(String, u32)> {
    let at = source
        .find(TITLE_MARK)
        .and_then(|m| source[..m].rfind("<h1"))
        .or_else(|| source.find("<h1"))?;
    let end = at + source[at..].find("</h1>")? + "</h1>".len();
    let fragment = Html::parse_fragment(&source[at..end]);
    let h1 = fragment
        .root_element()
        .child_elements()
        .find(|e| e.value().name() == "h1")?;
    let text = visible_text(h1);
    (!text.is_empty()).then(|| (text, line_of(source, at)))
}

/// Text of an element without the screen-reader copies the anchors carry.
pub(crate) fn visible_text(element: ElementRef<'_>) -> String {
    let mut out = String::new();
    push_visible(element, &mut out);
    crate::render::collapse_ws(&out)
}

fn push_visible(element: ElementRef<'_>, out: &mut String) {
    for child in element.children() {
        if let Some(text) = child.value().as_text() {
            out.push_str(text);
        } else if let Some(el) = ElementRef::wrap(child) {
            if !super::blocks::is_hidden(el.value()) {
                push_visible(el, out);
            }
        }
    }
}

/// The article element of a parsed whole page: the Diplodoc body, else `article`, `main`, or
/// the `body`.
pub(crate) fn body(document: &Html) -> ElementRef<'_> {
    for css in [".dc-doc-page__body", "article", "main", "body"] {
        if let Ok(selector) = Selector::parse(css) {
            if let Some(found) = document.select(&selector).next() {
                return found;
            }
        }
    }
    document.root_element()
}

/// 1-based line of byte `pos`.
pub(crate) fn line_of(source: &str, pos: usize) -> u32 {
    let pos = pos.min(source.len());
    source.as_bytes()[..pos]
        .iter()
        .filter(|b| **b == b'\n')
        .count() as u32
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_article_is_decoded() {
        let page = "<html><body><div class=\"dc-doc-page__body\">x\n    y</div>\n<script type=\"application/json\" id=\"diplodoc-state\">{\"data\":{\"html\":\"&lt;p&gt;a &amp;amp; b&lt;/p&gt;\",\"title\":\"T\",\"meta\":{\"vcsPath\":\"a/b.md\"}}}</script></body></html>";
        let mut sink = Sink::new("p.html");
        let state = state(page, &mut sink).expect("state");
        assert_eq!(state.html, "<p>a &amp; b</p>");
        assert_eq!(state.title.as_deref(), Some("T"));
        assert_eq!(state.source_path.as_deref(), Some("a/b.md"));
        let start = state.body_start.expect("body");
        assert_eq!(template_indent(page, start), 4);
        assert!(sink.items.is_empty());
    }

    #[test]
    fn broken_state_is_a_diagnostic() {
        let page = "\n<script id=\"diplodoc-state\">{not json</script>";
        let mut sink = Sink::new("p.html");
        assert!(state(page, &mut sink).is_none());
        assert_eq!(sink.items[0].line, 2);
        assert!(sink.items[0].message.contains("diplodoc-state"));
    }

    #[test]
    fn title_skips_hidden_anchor_text() {
        let page = "<h1 class=\"dc-doc-page-title\"><a class=\"yfm-anchor\"><span class=\"visually-hidden\">Do it</span></a>Do it</h1>";
        assert_eq!(title(page), Some(("Do it".to_owned(), 1)));
    }
}
