//! Property tests over the frontends with a fixed number of cases (so CI time is bounded):
//! on any input built from the constructs they parse, in any order and nesting, the YFM
//! pre-pass and the markdown, HTML and text frontends (and extraction after them) never panic
//! or overflow the stack, build a page model of bounded depth, and report diagnostics at lines
//! that exist in the input.

use b24_docs::diagnostic::Sink;
use b24_docs::limits::MAX_NESTING;
use b24_docs::markdown::includes::Fragments;
use b24_docs::page::{Block, Inline, Page};
use proptest::prelude::*;

const CASES: u32 = 96;

/// YFM and markdown pieces, hostile ones included (BOM, CR, NUL, U+FFFD, unclosed things).
const MD_TOKENS: &[&str] = &[
    "{% note info \"T\" %}\n",
    "{% endnote %}\n",
    "{% list tabs %}\n",
    "- Tab\n",
    "{% endlist %}\n",
    "{% cut \"More\" %}\n",
    "{% endcut %}\n",
    "{% if x %}\n",
    "{% else %}\n",
    "{% endif %}\n",
    "{% include [x](../_includes/x.md) %}\n",
    "{% include [y](../../../../etc/passwd) %}\n",
    "{% bogus %}\n",
    "#|\n",
    "|| **Name**\n`type` | **Description** ||\n",
    "|| **id*** | `integer` | text ||\n",
    "|| a | b ||\n",
    "|| ",
    " | ",
    "||\n",
    "|#\n",
    "```json\n",
    "```\n",
    "~~~\n",
    "`code|span`",
    "\\|",
    "\\",
    "> ",
    ">>>> ",
    "- ",
    "1. ",
    "    ",
    "**",
    "*",
    "_",
    "^*^",
    "[link](#anchor)",
    "## Method Parameters {#params}\n",
    "## Response Handling\n",
    "# Title widget.thing.add\n",
    "curl https://**h**/rest/widget.thing.add -d '{\"a\":1}'\n",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\u{feff}",
    "\0",
    "\u{fffd}",
    "é",
    "text ",
];

const HTML_TOKENS: &[&str] = &[
    "<div>",
    "</div>",
    "<div class=\"yfm-note\"><p class=\"yfm-note-title\">Note</p><div class=\"yfm-note-content\">",
    "<div class=\"yfm-tabs\"><div class=\"yfm-tab-panel\">",
    "<details class=\"yfm-cut\"><summary>More</summary>",
    "</details>",
    "<table><tbody><tr><td>",
    "</td><td>",
    "</td></tr><tr><td>",
    "</td></tr></tbody></table>",
    "<blockquote>",
    "</blockquote>",
    "<ul><li>",
    "</li></ul>",
    "<p>",
    "</p>",
    "<b>",
    "</b>",
    "<em>",
    "<code>",
    "</code>",
    "<pre><code class=\"language-json\">",
    "</code></pre>",
    "<a href=\"#x\">",
    "</a>",
    "<br>",
    "<h2 id=\"p\">Parameters</h2>",
    "<h1>Add widget.thing.add</h1>",
    "<script id=\"diplodoc-state\" type=\"application/json\">{\"data\":{\"html\":\"<p>x",
    "</script>",
    "<!-- ",
    " -->",
    "&amp;",
    "\n",
    "text ",
];

const TEXT_TOKENS: &[&str] = &[
    "Add a thing widget.thing.add\n",
    "Method Parameters\n",
    "Name\ttype\tDescription\n",
    "id*\tinteger\tThe id\n",
    "| a | b |\n",
    "|---|---|\n",
    "curl -X POST https://h/rest/widget.thing.add -d '{\"a\": 1}'\n",
    "{\"result\": true}\n",
    "Error\tCode\tDescription\n",
    "400\tERROR_X\tBad\n",
    "\t",
    "\n",
    "\r\n",
    "\0",
    "text ",
];

/// Inputs from `tokens`: a random sequence, or one token repeated thousands of times (the
/// deep-nesting shape) followed by a random tail.
fn source(tokens: &'static [&'static str]) -> impl Strategy<Value = String> {
    let token = prop::sample::select(tokens);
    let sequence = prop::collection::vec(
        prop_oneof![token.clone().prop_map(str::to_owned), "[a-z .*|#{}%`]{0,6}"],
        0..160,
    )
    .prop_map(|parts| parts.concat());
    let deep = (
        token,
        500..4_000usize,
        prop::collection::vec(prop::sample::select(tokens), 0..20),
    )
        .prop_map(|(t, n, tail)| format!("{}{}", t.repeat(n), tail.concat()));
    prop_oneof![3 => sequence, 1 => deep]
}

/// The deepest nesting of blocks and inlines in the page, found without recursion.
fn depth(page: &Page) -> usize {
    enum Node<'a> {
        Block(&'a Block),
        Inline(&'a Inline),
    }
    let mut deepest = 0;
    let mut stack: Vec<(Node<'_>, usize)> =
        page.blocks.iter().map(|b| (Node::Block(b), 1)).collect();
    while let Some((node, d)) = stack.pop() {
        deepest = deepest.max(d);
        match node {
            Node::Block(block) => match block {
                Block::Heading { text, .. } | Block::Paragraph { text, .. } => {
                    stack.extend(text.iter().map(|i| (Node::Inline(i), d + 1)))
                }
                Block::List { items, .. } => {
                    stack.extend(items.iter().flatten().map(|b| (Node::Block(b), d + 1)))
                }
                Block::Table { rows, .. } => stack.extend(
                    rows.iter()
                        .flat_map(|r| &r.cells)
                        .flat_map(|c| &c.blocks)
                        .map(|b| (Node::Block(b), d + 1)),
                ),
                other => stack.extend(other.children().iter().map(|b| (Node::Block(b), d + 1))),
            },
            Node::Inline(inline) => match inline {
                Inline::Strong(c) | Inline::Emphasis(c) | Inline::Superscript(c) => {
                    stack.extend(c.iter().map(|i| (Node::Inline(i), d + 1)))
                }
                Inline::Link { content, .. } => {
                    stack.extend(content.iter().map(|i| (Node::Inline(i), d + 1)))
                }
                _ => {}
            },
        }
    }
    deepest
}

fn line_count(source: &str) -> u32 {
    source.matches('\n').count() as u32 + 1
}

/// Extraction after the frontend: no panic, and its diagnostics point into the input too.
fn extract_and_check_lines(page: &Page, mut sink: Sink, lines: u32) -> Result<(), TestCaseError> {
    let _ = b24_docs::corpus::extract_page(page, &mut sink);
    for d in &sink.items {
        prop_assert!(d.line <= lines, "{d} is past the input's {lines} lines");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn markdown_frontend_survives_any_yfm(src in source(MD_TOKENS)) {
        let fragments = Fragments::new("/nonexistent-docs-root");
        let mut sink = Sink::new("api-reference/x/page.md");
        let page = b24_docs::markdown::parse_page("api-reference/x/page.md", &src, &fragments, &mut sink);
        // Pre-pass levels plus markdown levels plus inline levels, each bounded.
        prop_assert!(depth(&page) <= 3 * MAX_NESTING, "depth {}", depth(&page));
        extract_and_check_lines(&page, sink, line_count(&src))?;
    }

    #[test]
    fn html_frontend_survives_any_markup(src in source(HTML_TOKENS)) {
        let mut sink = Sink::new("api-reference/x/page.html");
        let page = b24_docs::html::parse_page("api-reference/x/page.html", &src, &mut sink);
        prop_assert!(depth(&page) <= b24_docs::html::depth::MAX_DOM_DEPTH + 1, "depth {}", depth(&page));
        extract_and_check_lines(&page, sink, line_count(&src))?;
    }

    #[test]
    fn text_frontend_survives_any_copy(src in source(TEXT_TOKENS)) {
        let (page, _) = b24_docs::text::parse_page("page.txt", &src);
        prop_assert!(depth(&page) <= 3 * MAX_NESTING, "depth {}", depth(&page));
        extract_and_check_lines(&page, Sink::new("page.txt"), line_count(&src))?;
    }
}
