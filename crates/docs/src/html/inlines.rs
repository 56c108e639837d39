//! HTML phrasing content → page-model [`Inline`]s, shaped like the markdown frontend's: a line
//! break in the source text is an [`Inline::Break`] (markdown soft breaks are), `<br>` is one
//! break however many newlines follow it, and whitespace runs are single spaces.

use scraper::node::Node;
use scraper::ElementRef;

use crate::page::Inline;

/// Same-page links are written as `#anchor` (as the markdown has them); `own_page` is the
/// page's site path, which the website prefixes to its own anchors.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LinkContext<'a> {
    pub own_page: &'a str,
}

/// Appends the inline content of every child of `parent` to `out`.
pub(crate) fn push_children(parent: ElementRef<'_>, links: LinkContext<'_>, out: &mut Vec<Inline>) {
    for child in parent.children() {
        match child.value() {
            Node::Text(text) => out.push(Inline::Text(text.to_string())),
            Node::Element(_) => {
                if let Some(element) = ElementRef::wrap(child) {
                    push_element(element, links, out);
                }
            }
            _ => {}
        }
    }
}

/// Appends one phrasing element to `out`.
pub(crate) fn push_element(element: ElementRef<'_>, links: LinkContext<'_>, out: &mut Vec<Inline>) {
    let el = element.value();
    if super::blocks::is_hidden(el) {
        return;
    }
    let wrapped = |make: fn(Vec<Inline>) -> Inline, out: &mut Vec<Inline>| {
        let mut inner = Vec::new();
        push_children(element, links, &mut inner);
        out.push(make(inner));
    };
    match el.name() {
        "br" => out.push(Inline::Break),
        "code" | "kbd" | "samp" => {
            let text: String = element.text().collect();
            out.push(Inline::Code(text.replace('\n', " ")));
        }
        "strong" | "b" | "s" | "del" | "strike" => wrapped(Inline::Strong, out),
        "em" | "i" | "u" | "mark" => wrapped(Inline::Emphasis, out),
        "sup" => wrapped(Inline::Superscript, out),
        "a" => {
            let href = local_href(el.attr("href").unwrap_or(""), links.own_page);
            let mut content = Vec::new();
            push_children(element, links, &mut content);
            out.push(Inline::Link { href, content });
        }
        "img" => {
            if let Some(alt) = el.attr("alt").filter(|a| !a.trim().is_empty()) {
                out.push(Inline::Text(alt.to_owned()));
            }
        }
        _ => push_children(element, links, out),
    }
}

/// Website links back to the markdown's: the site writes every link from its root (the page
/// sets `<base>`), to `.html` pages. `api-reference/x/y.html#a` on page
/// `api-reference/x/y.html` is `#a`; `api-reference/z.html` from there is `../z.md`.
fn local_href(href: &str, own_page: &str) -> String {
    if href.contains("://") || href.starts_with('/') || href.starts_with("mailto:") {
        return href.to_owned();
    }
    let (page, anchor) = match href.split_once('#') {
        Some((page, anchor)) => (page, Some(anchor)),
        None => (href, None),
    };
    let anchor = anchor.map(|a| format!("#{a}")).unwrap_or_default();
    if page.is_empty() || page == own_page {
        return anchor;
    }
    if !page.ends_with(".html") {
        return href.to_owned();
    }
    format!(
        "{}{anchor}",
        relative_to(own_page, &super::path::with_md_extension(page))
    )
}

/// `target` (from the site root) as seen from the folder of `from` (from the site root).
fn relative_to(from: &str, target: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len().saturating_sub(1)];
    let target_parts: Vec<&str> = target.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&target_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(target_parts.len().saturating_sub(1));
    let ups = "../".repeat(from_dirs.len() - common);
    format!("{ups}{}", target_parts[common..].join("/"))
}

/// Normalises collected inlines: newlines become breaks (not after a `<br>`), whitespace runs
/// become one space, and the ends are trimmed.
pub(crate) fn normalise(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut at_break = true;
    normalise_into(inlines, &mut out, &mut at_break);
    trim_end(&mut out);
    while matches!(out.last(), Some(Inline::Break)) {
        out.pop();
        trim_end(&mut out);
    }
    out
}

fn normalise_into(inlines: Vec<Inline>, out: &mut Vec<Inline>, at_break: &mut bool) {
    for inline in inlines {
        match inline {
            Inline::Text(text) => push_text(&text, out, at_break),
            Inline::Break => {
                trim_end(out);
                out.push(Inline::Break);
                *at_break = true;
            }
            Inline::Strong(c) => wrap(c, Inline::Strong, out, at_break),
            Inline::Emphasis(c) => wrap(c, Inline::Emphasis, out, at_break),
            Inline::Superscript(c) => wrap(c, Inline::Superscript, out, at_break),
            Inline::Link { href, content } => {
                let mut inner = Vec::new();
                normalise_into(content, &mut inner, at_break);
                out.push(Inline::Link {
                    href,
                    content: inner,
                });
                *at_break = false;
            }
            Inline::Code(code) => {
                out.push(Inline::Code(code));
                *at_break = false;
            }
        }
    }
}

fn wrap(
    content: Vec<Inline>,
    make: fn(Vec<Inline>) -> Inline,
    out: &mut Vec<Inline>,
    at_break: &mut bool,
) {
    let mut inner = Vec::new();
    normalise_into(content, &mut inner, at_break);
    if !inner.is_empty() {
        out.push(make(inner));
    }
}

fn push_text(text: &str, out: &mut Vec<Inline>, at_break: &mut bool) {
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 && !*at_break {
            trim_end(out);
            out.push(Inline::Break);
            *at_break = true;
        }
        let mut piece = collapse(line);
        if *at_break {
            piece = piece.trim_start().to_owned();
        }
        if piece.is_empty() {
            continue;
        }
        *at_break = false;
        match out.last_mut() {
            Some(Inline::Text(prev)) => {
                if prev.ends_with(' ') && piece.starts_with(' ') {
                    piece.remove(0);
                }
                prev.push_str(&piece);
            }
            _ => out.push(Inline::Text(piece)),
        }
    }
}

fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

/// Drops trailing whitespace text and breaks at the end of `out`.
fn trim_end(out: &mut Vec<Inline>) {
    while let Some(last) = out.last_mut() {
        match last {
            Inline::Text(t) => {
                let trimmed = t.trim_end();
                if trimmed.is_empty() {
                    out.pop();
                    continue;
                }
                let len = trimmed.len();
                t.truncate(len);
                return;
            }
            _ => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newlines_are_breaks_but_not_after_br() {
        let got = normalise(vec![
            Inline::Strong(vec![Inline::Text("id".into())]),
            Inline::Text("*".into()),
            Inline::Break,
            Inline::Text("\n        ".into()),
            Inline::Code("int".into()),
            Inline::Text(" and\n  more  text\n".into()),
        ]);
        assert_eq!(
            got,
            vec![
                Inline::Strong(vec![Inline::Text("id".into())]),
                Inline::Text("*".into()),
                Inline::Break,
                Inline::Code("int".into()),
                Inline::Text(" and".into()),
                Inline::Break,
                Inline::Text("more text".into()),
            ]
        );
    }

    #[test]
    fn own_page_links_become_anchors() {
        assert_eq!(local_href("a/b.html#x", "a/b.html"), "#x");
        assert_eq!(local_href("#y", "a/b.html"), "#y");
        assert_eq!(local_href("a/c.html#x", "a/b.html"), "c.md#x");
        assert_eq!(local_href("d/e.html", "a/b/c.html"), "../../d/e.md");
        assert_eq!(local_href("a/b/x/y.html", "a/b/c.html"), "x/y.md");
        assert_eq!(
            local_href("https://x.invalid/a.html", "a/b.html"),
            "https://x.invalid/a.html"
        );
        assert_eq!(local_href("/limits.html", "a/b.html"), "/limits.html");
    }
}
