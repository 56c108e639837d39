//! Text from the docs made into rustdoc that renders as meant and builds without warnings:
//! plain text (error messages) escaped, and the docs' markdown tidied where YFM and rustdoc
//! disagree (`[{#T}](link)` titles, `[text](*term)` glossary links, brackets and angle brackets
//! that are not links or tags, bare URLs). Inline code spans are never touched.

/// Plain text (an error message as the portal sends it) as rustdoc markdown that shows it
/// literally.
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '[' | ']' | '<' | '>' | '*' | '_' | '`' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One line of the docs' markdown (outside code fences), tidied for rustdoc.
pub fn tidy(line: &str) -> String {
    tidy_prose(line)
}

/// The length of the code span starting at `text` (a run of backticks up to the same run), if
/// it closes on this line.
fn code_span(text: &str) -> Option<usize> {
    let ticks = text.len() - text.trim_start_matches('`').len();
    let fence = &text[..ticks];
    text[ticks..].find(fence).map(|at| ticks + at + ticks)
}

fn tidy_prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let consumed = match c {
            '`' => code_span(rest).inspect(|&len| out.push_str(&rest[..len])),
            '[' => bracket(rest, &mut out),
            '<' => angle(rest, &mut out),
            'h' if rest.starts_with("http://") || rest.starts_with("https://") => {
                bare_url(rest, &out).inspect(|&len| {
                    out.push('<');
                    out.push_str(&rest[..len]);
                    out.push('>');
                })
            }
            _ => None,
        };
        match consumed {
            Some(len) => rest = &rest[len..],
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// `[label](target)`: links keep their form (titles filled in, glossary links unwrapped);
/// any other `[` is literal text.
fn bracket(rest: &str, out: &mut String) -> Option<usize> {
    let close = matching(rest, '[', ']');
    let Some(close) = close else {
        out.push_str("\\[");
        return Some(1);
    };
    let label = &rest[1..close];
    let after = &rest[close + 1..];
    if let Some(target_len) = after.strip_prefix('(').and_then(|a| a.find(')')) {
        let target = &after[1..1 + target_len];
        let total = close + 1 + target_len + 2;
        if target.starts_with('*') || target.contains(' ') {
            out.push_str(&tidy_prose(label));
        } else if label == "{#T}" {
            let title = target.rsplit('/').next().unwrap_or(target);
            let title = title.split(['#', '.']).next().unwrap_or(title);
            out.push_str(&format!("[{title}]({target})"));
        } else {
            out.push_str(&format!("[{}]({target})", tidy_prose(label)));
        }
        return Some(total);
    }
    out.push_str("\\[");
    out.push_str(&tidy_prose(label));
    out.push_str("\\]");
    Some(close + 1)
}

/// `<https://...>` autolinks and a few inline HTML tags stay; any other `<` is literal.
fn angle(rest: &str, out: &mut String) -> Option<usize> {
    const TAGS: &[&str] = &[
        "br", "b", "i", "em", "strong", "code", "sup", "sub", "p", "ul", "li", "ol",
    ];
    let close = rest.find('>');
    let inner = close.map(|c| &rest[1..c]).unwrap_or("");
    let name = inner.trim_start_matches('/').trim_end_matches('/').trim();
    let keep = inner.starts_with("http://")
        || inner.starts_with("https://")
        || TAGS.contains(&name.to_ascii_lowercase().as_str());
    if keep {
        let len = close.unwrap_or(0) + 1;
        out.push_str(&rest[..len]);
        return Some(len);
    }
    out.push_str("\\<");
    Some(1)
}

/// A bare URL's length, unless it is already a link target or autolink.
fn bare_url(rest: &str, before: &str) -> Option<usize> {
    if before.ends_with('(') || before.ends_with('<') {
        return None;
    }
    let len = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\''))
        .unwrap_or(rest.len());
    let len = rest[..len].trim_end_matches(['.', ',', ';', ':']).len();
    Some(len)
}

/// The index of the bracket closing the one at the start of `text`, nesting respected and
/// code spans skipped.
fn matching(text: &str, open: char, close: char) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        if c == '`' {
            if let Some(len) = code_span(&text[i..]) {
                i += len;
                continue;
            }
        }
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
        i += c.len_utf8();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_shown_literally() {
        assert_eq!(
            plain("field [ENTITY_ID] <TYPE>"),
            "field \\[ENTITY\\_ID\\] \\<TYPE\\>"
        );
    }

    #[test]
    fn markdown_keeps_links_and_escapes_the_rest() {
        assert_eq!(
            tidy("see [the page](https://x.y/a.html)"),
            "see [the page](https://x.y/a.html)"
        );
        assert_eq!(
            tidy("Default is [TIMESTAMP_X:ASC]"),
            "Default is \\[TIMESTAMP_X:ASC\\]"
        );
        assert_eq!(
            tidy("nothing [is specified](*quotes)"),
            "nothing is specified"
        );
        assert_eq!(
            tidy("[{#T}](https://x.y/limits.html)"),
            "[limits](https://x.y/limits.html)"
        );
        assert_eq!(
            tidy("entity <TYPE> with <br> `a[i]`"),
            "entity \\<TYPE> with <br> `a[i]`"
        );
        assert_eq!(
            tidy("in Bitrix24 https://your.com/crm/."),
            "in Bitrix24 <https://your.com/crm/>."
        );
        assert_eq!(
            tidy("or [`REST_APP_URI`](https://x.y/a.html)"),
            "or [`REST_APP_URI`](https://x.y/a.html)"
        );
    }
}
