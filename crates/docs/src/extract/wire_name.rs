//! The method name as called on the wire, and its API version.
//!
//! The title usually ends with the name, but it can sit mid-title, be missing, or be
//! mistyped; the endpoints the page's own examples call settle it.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use b24_spec::ApiVersion;
use memchr::memmem::Finder;
use regex::Regex;

use crate::page::{Block, Container, Inline, Page};
use crate::render::blocks_plain;

/// A page's method: wire name and API version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MethodName {
    pub name: String,
    pub api: ApiVersion,
}

const ENDPOINT_PATTERN: &str = r"/rest/(api/)?(?:\*\*[^*\s/]+\*\*/|\{[^}\s/]+\}/|[0-9]+/[A-Za-z0-9]+/)*([A-Za-z][\w]*(?:\.[\w]+)+)";
// `CRest::call(` is not spelled out: its `call(` matches the same name, and only the name is read.
const SDK_CALL_PATTERN: &str =
    r#"(?:callMethod\(|call\(|method:)\s*['"]([A-Za-z][\w]*(?:\.[\w]+)+)['"]"#;
// Both patterns are tried only where a match can begin (a `/rest/`, `call` or `method:` found
// by a SIMD finder), anchored there: an unanchored search pays a reverse scan for every match
// start and a prefilter restart per candidate.
static ENDPOINT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^(?:{ENDPOINT_PATTERN})")).expect("endpoint pattern"));
static SDK_CALL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^(?:{SDK_CALL_PATTERN})")).expect("sdk call pattern"));
static REST: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("/rest/"));
static CALL: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("call"));
static METHOD: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("method:"));
// Four methods have no dot (`events`, `methods`, `profile`, `scope`). A bare name must end the
// URL or the quoted SDK argument, and it only names the page's method when the file is named
// after it (see `choose`): `/rest/download.json?...` links and `/rest/api/batch` in guides stay
// calls of nothing.
static BARE_ENDPOINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"/rest/(?:api/)?(?:\*\*[^*\s/]+\*\*/|\{[^}\s/]+\}/|[0-9]+/[A-Za-z0-9]+/)*([A-Za-z][A-Za-z0-9_]*)(?:\.json)?(?:[\s'"?`\\]|$)"#)
        .expect("bare endpoint pattern")
});
static BARE_SDK_CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:callMethod\(|CRest::call\(|method:)\s*['"]([A-Za-z][A-Za-z0-9_]*)['"]"#)
        .expect("bare sdk call pattern")
});
static DOTTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z][\w]*(?:\.[\w]+)+").expect("dotted pattern"));

/// Every method the page's code examples call, with whether a call used `/rest/api/`.
#[derive(Debug, Default)]
pub struct Calls {
    /// Wire name → (number of calls, called through REST 3.0).
    pub endpoints: BTreeMap<String, (usize, bool)>,
    /// Names passed to SDK helpers (`BX24.callMethod('x.y')`).
    pub sdk: BTreeMap<String, usize>,
    /// Dotless names called by URL or SDK helper (`/rest/profile`), kept apart: they only name
    /// a page's method when its file is named after them, and only when the page calls no
    /// dotted name, so they are looked for only then (empty otherwise).
    pub bare: BTreeMap<String, usize>,
}

/// Finds the page's wire name, if it documents a method.
pub fn find(page: &Page, title: &str, calls: &Calls) -> Option<MethodName> {
    let title_names: Vec<String> = DOTTED
        .find_iter(title)
        .map(|m| m.as_str().to_owned())
        .filter(|t| !t.ends_with(".md") && !t.ends_with(".html"))
        .collect();
    let name = choose(&title_names, calls, &page.path)?;
    let api = match calls.endpoints.get(&name) {
        Some((_, true)) => ApiVersion::V3,
        Some(_) => ApiVersion::V2,
        None if mentions_rest3(title) => ApiVersion::V3,
        None => ApiVersion::V2,
    };
    Some(MethodName { name, api })
}

fn mentions_rest3(title: &str) -> bool {
    title.contains("v 3.0") || title.contains("REST 3.0") || title.contains("v3.0")
}

fn choose(title_names: &[String], calls: &Calls, path: &str) -> Option<String> {
    let called = |n: &str| calls.endpoints.contains_key(n) || calls.sdk.contains_key(n);
    if let Some(hit) = title_names.iter().rev().find(|t| called(t)) {
        return Some(hit.clone());
    }
    // Title and file name agree: a copy-pasted example calling another method does not win.
    if let Some(hit) = title_names.iter().rev().find(|t| file_matches(path, t)) {
        return Some(hit.clone());
    }
    // The title's name is mid-title, truncated or mistyped: the endpoints settle it, the one
    // closest to the title's name winning, then the one called most.
    let candidates: Vec<(&String, usize)> = if calls.endpoints.is_empty() {
        calls.sdk.iter().map(|(n, c)| (n, *c)).collect()
    } else {
        calls.endpoints.iter().map(|(n, (c, _))| (n, *c)).collect()
    };
    let closest = |target: &str| {
        candidates
            .iter()
            .min_by_key(|(name, count)| {
                (
                    edit_distance(&name.to_lowercase(), &target.to_lowercase()),
                    usize::MAX - count,
                )
            })
            .map(|(name, _)| (*name).clone())
    };
    match title_names.last() {
        Some(last) => Some(closest(last).unwrap_or_else(|| last.clone())),
        None if candidates.len() == 1 => Some(candidates[0].0.clone()),
        None if candidates.is_empty() => calls
            .bare
            .keys()
            .find(|name| file_matches(path, name))
            .cloned(),
        None => None,
    }
}

/// `crm-deal-add.md`, `tasks-task-get-rest-v3.md` and `crm.deal.add` name the same thing.
pub fn file_matches(path: &str, method: &str) -> bool {
    let stem = path
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".md");
    let stem = stem.trim_end_matches("-rest-v3").trim_end_matches("-v3");
    let letters = |s: &str| {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase()
    };
    letters(stem) == letters(method)
}

/// Collects calls from every code block of the page.
pub fn calls(blocks: &[Block]) -> Calls {
    let mut calls = Calls::default();
    walk_code(blocks, &mut |code| {
        // Most code blocks call nothing; a substring test is far cheaper than the patterns.
        let (endpoints, sdk) = may_call(code);
        // Matches only, no capture groups: a capture search reruns a slower engine over
        // every match; the groups are read off the matched text (`endpoint_name`, `quoted`).
        if endpoints {
            for found in matches_at(code, REST.find_iter(code.as_bytes()), &ENDPOINT) {
                let (name, rest3) = endpoint_name(found);
                let name = name.trim_end_matches(".json").trim_end_matches(".xml");
                // `/rest/download.json?...` is a file link; dotless names are `bare_calls'` job.
                if !name.contains('.') {
                    continue;
                }
                let entry = calls.endpoints.entry(name.to_owned()).or_insert((0, false));
                entry.0 += 1;
                entry.1 |= rest3;
            }
        }
        if sdk {
            for found in matches_at(code, sdk_starts(code), &SDK_CALL) {
                *calls.sdk.entry(quoted(found).to_owned()).or_default() += 1;
            }
        }
    });
    // Dotless names matter only to a page that calls no dotted one (see `choose`): most
    // pages are spared two more patterns over every code block.
    if calls.endpoints.is_empty() && calls.sdk.is_empty() {
        walk_code(blocks, &mut |code| {
            let (endpoints, sdk) = may_call(code);
            bare_calls(code, endpoints, sdk, &mut calls.bare);
        });
    }
    calls
}

/// Whether `code` can hold an endpoint match (every one holds `/rest/`) and an SDK call match
/// (every one holds `call` or `method:`: `callMethod(`, `CRest::call(`, `call(`). Searched with prebuilt SIMD finders: this runs on every code block of every
/// page.
fn may_call(code: &str) -> (bool, bool) {
    let bytes = code.as_bytes();
    let endpoints = REST.find(bytes).is_some();
    let sdk = CALL.find(bytes).is_some() || METHOD.find(bytes).is_some();
    (endpoints, sdk)
}

/// Where an [`SDK_CALL`] match can begin: every `call(`, `callMethod(` and `method:`, in text
/// order (`callback`, `recall` and the like are left out before the pattern is asked).
fn sdk_starts(code: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = code.as_bytes();
    let mut calls = CALL
        .find_iter(bytes)
        .filter(|&at| {
            let after = &bytes[at + 4..];
            after.starts_with(b"(") || after.starts_with(b"Method(")
        })
        .peekable();
    let mut methods = METHOD.find_iter(bytes).peekable();
    std::iter::from_fn(move || match (calls.peek(), methods.peek()) {
        (Some(c), Some(m)) if m < c => methods.next(),
        (Some(_), _) => calls.next(),
        (None, _) => methods.next(),
    })
}

/// The matches of `anchored` (a pattern starting with `^`) tried at each of `starts`
/// (ascending), leaving out starts inside the previous match: the matches `find_iter` of the
/// unanchored pattern finds, when each of them begins at one of `starts` (or, for
/// `CRest::call(`, ends where the match at its `call` does).
fn matches_at<'h>(
    code: &'h str,
    starts: impl Iterator<Item = usize> + 'h,
    anchored: &'h Regex,
) -> impl Iterator<Item = &'h str> + 'h {
    let mut end = 0;
    starts.filter_map(move |start| {
        if start < end {
            return None;
        }
        let found = anchored.find(&code[start..])?;
        end = start + found.end();
        Some(found.as_str())
    })
}

/// The method name an [`ENDPOINT`] or [`BARE_ENDPOINT`] match ends with (the text after its
/// last `/`, up to the first character a name cannot hold: the bare pattern's terminator),
/// and whether it was called through `/rest/api/`. Everything before the name in both
/// patterns ends with `/` and the name holds none; `api/` is taken whenever it is there, as
/// no other branch can start with `a` and go on with `/`.
fn endpoint_name(found: &str) -> (&str, bool) {
    let after = found.rfind('/').map_or(found, |at| &found[at + 1..]);
    (after, found.starts_with("/rest/api/"))
}

/// The quoted argument an [`SDK_CALL`] or [`BARE_SDK_CALL`] match ends with: between the first
/// quote (the call prefixes and the spaces before the argument hold none) and the closing one.
fn quoted(found: &str) -> &str {
    let open = found.find(['\'', '"']).map_or(0, |at| at + 1);
    &found[open.min(found.len().saturating_sub(1))..found.len().saturating_sub(1)]
}

fn bare_calls(code: &str, endpoints: bool, sdk: bool, bare: &mut BTreeMap<String, usize>) {
    if endpoints {
        for found in BARE_ENDPOINT.find_iter(code) {
            let (after, _) = endpoint_name(found.as_str());
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            *bare.entry(after[..end].to_owned()).or_default() += 1;
        }
    }
    if sdk {
        for found in BARE_SDK_CALL.find_iter(code) {
            *bare.entry(quoted(found.as_str()).to_owned()).or_default() += 1;
        }
    }
}

fn walk_code(blocks: &[Block], f: &mut impl FnMut(&str)) {
    for block in blocks {
        match block {
            Block::Code { code, .. } => f(code),
            Block::List { items, .. } => items.iter().for_each(|i| walk_code(i, f)),
            Block::Table { rows, .. } => rows
                .iter()
                .flat_map(|r| &r.cells)
                .for_each(|c| walk_code(&c.blocks, f)),
            // Shared fragments (error tables, notes) call nothing of the page's own.
            Block::Include { .. } => {}
            other => walk_code(other.children(), f),
        }
    }
}

/// True when the page text mentions REST 3.0 membership in a note.
pub fn says_rest3(blocks: &[Block]) -> bool {
    // The REST 3.0 membership note sits in a note near the top; code tabs are never read.
    blocks.iter().take(12).any(|b| match b {
        Block::Container {
            kind: Container::Note { .. },
            blocks,
            ..
        } => holds_byte(blocks, b'3') && blocks_plain(blocks).contains("belongs to REST 3.0"),
        _ => false,
    })
}

/// Whether any text of `blocks` that plain rendering shows holds `byte` (an ASCII digit: the
/// rendering adds none of its own). Most notes hold no `3`, so they need no rendering to know
/// they do not say "REST 3.0".
fn holds_byte(blocks: &[Block], byte: u8) -> bool {
    let has = |text: &str| text.as_bytes().contains(&byte);
    blocks.iter().any(|block| match block {
        Block::Heading { text, .. } | Block::Paragraph { text, .. } => inlines_hold(text, &has),
        Block::List { items, .. } => items.iter().any(|item| holds_byte(item, byte)),
        Block::Code { lang, code, .. } => has(lang) || has(code),
        Block::Table { rows, .. } => rows
            .iter()
            .flat_map(|r| &r.cells)
            .any(|c| holds_byte(&c.blocks, byte)),
        Block::Container {
            kind: Container::Note { title, .. },
            blocks,
            ..
        } => has(title) || holds_byte(blocks, byte),
        other => holds_byte(other.children(), byte),
    })
}

fn inlines_hold(inlines: &[Inline], has: &impl Fn(&str) -> bool) -> bool {
    inlines.iter().any(|inline| match inline {
        Inline::Text(t) | Inline::Code(t) => has(t),
        Inline::Strong(inner) | Inline::Emphasis(inner) | Inline::Superscript(inner) => {
            inlines_hold(inner, has)
        }
        Inline::Link { content, .. } => inlines_hold(content, has),
        Inline::Break => false,
    })
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_off_matches_equal_the_capture_groups() {
        let code = concat!(
            "curl https://x/rest/crm.deal.add.json?a=1 /rest/api/tasks.task.get ",
            "/rest/1/abc/user.get /rest/**hook**/{id}/im.message.add.xml /rest/api/profile ",
            "/rest/download.json?x /rest/scope\n/rest/methods` /rest/api/batch'",
            " BX24.callMethod( 'crm.deal.list') CRest::call(\"profile\") call(\"a.b\")",
            " method: 'events' callMethod(\"ünï.côde\") /rest/ünï.côde.get",
            " /rest/1/rest/x.y method:\"a.call.b\" CRest::call('c.d')",
        );
        // The anchored searches at each possible start find what an unanchored search would.
        let unanchored = Regex::new(ENDPOINT_PATTERN).unwrap();
        let endpoints: Vec<(String, bool)> = unanchored
            .captures_iter(code)
            .map(|c| (c[2].to_owned(), c.get(1).is_some()))
            .collect();
        let read: Vec<(String, bool)> =
            matches_at(code, REST.find_iter(code.as_bytes()), &ENDPOINT)
                .map(|m| {
                    let (name, rest3) = endpoint_name(m);
                    (name.to_owned(), rest3)
                })
                .collect();
        assert_eq!(read, endpoints);
        assert!(endpoints.len() >= 4, "{endpoints:?}");
        let unanchored = Regex::new(
            r#"(?:callMethod\(|CRest::call\(|call\(|method:)\s*['"]([A-Za-z][\w]*(?:\.[\w]+)+)['"]"#,
        )
        .unwrap();
        let groups: Vec<String> = unanchored
            .captures_iter(code)
            .map(|c| c[1].to_owned())
            .collect();
        let read: Vec<String> = matches_at(code, sdk_starts(code), &SDK_CALL)
            .map(|m| quoted(m).to_owned())
            .collect();
        assert_eq!(read, groups);
        assert!(groups.len() >= 3, "{groups:?}");
        let bare: Vec<String> = BARE_ENDPOINT
            .captures_iter(code)
            .map(|c| c[1].to_owned())
            .collect();
        let read: Vec<String> = BARE_ENDPOINT
            .find_iter(code)
            .map(|m| {
                let (after, _) = endpoint_name(m.as_str());
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                after[..end].to_owned()
            })
            .collect();
        assert_eq!(read, bare);
        assert!(bare.contains(&"methods".to_owned()), "{bare:?}");
        let re = &*BARE_SDK_CALL;
        let groups: Vec<String> = re.captures_iter(code).map(|c| c[1].to_owned()).collect();
        let read: Vec<String> = re
            .find_iter(code)
            .map(|m| quoted(m.as_str()).to_owned())
            .collect();
        assert_eq!(read, groups);
        assert!(!groups.is_empty());
    }

    fn page_with(title: &str, code: &str) -> (Page, String) {
        let page = Page {
            path: "api-reference/x/y.md".into(),
            blocks: vec![Block::Code {
                lang: "bash".into(),
                code: code.into(),
                line: 3,
            }],
        };
        (page, title.into())
    }

    #[test]
    fn title_name_confirmed_by_curl() {
        let (page, title) = page_with(
            "Add a thing widget.thing.add",
            "curl https://**host**/rest/**1**/**code**/widget.thing.add",
        );
        assert_eq!(
            find(&page, &title, &calls(&page.blocks)),
            Some(MethodName {
                name: "widget.thing.add".into(),
                api: ApiVersion::V2
            })
        );
    }

    #[test]
    fn mistyped_title_is_settled_by_the_endpoint() {
        let (page, title) = page_with(
            "Add widget.thng.add",
            "https://**host**/rest/api/widget.thing.add",
        );
        assert_eq!(
            find(&page, &title, &calls(&page.blocks)),
            Some(MethodName {
                name: "widget.thing.add".into(),
                api: ApiVersion::V3
            })
        );
    }

    #[test]
    fn missing_title_name_uses_the_only_endpoint() {
        let (page, title) = page_with("Add a thing", "https://**host**/rest/widget.thing.add.json");
        assert_eq!(
            find(&page, &title, &calls(&page.blocks)).map(|m| m.name),
            Some("widget.thing.add".into())
        );
        let (page, title) = page_with("Overview", "/rest/a.b\n/rest/c.d");
        assert_eq!(find(&page, &title, &calls(&page.blocks)), None);
    }

    #[test]
    fn dotless_name_is_found_when_the_file_is_named_after_it() {
        let mut page = page_with(
            "Read the widgets",
            "curl https://**host**/rest/**1**/**hook**/gizmos\n",
        )
        .0;
        page.path = "api-reference/x/gizmos.md".into();
        assert_eq!(
            find(&page, "Read the widgets", &calls(&page.blocks)).map(|m| m.name),
            Some("gizmos".into())
        );
        let sdk = page_with("Read", "BX24.callMethod('gizmos', {})").0;
        let mut sdk_page = sdk.clone();
        sdk_page.path = "api-reference/x/gizmos.md".into();
        assert_eq!(
            find(&sdk_page, "Read", &calls(&sdk_page.blocks)).map(|m| m.name),
            Some("gizmos".into())
        );
        // A bare name in a page named otherwise, and a download link, name nothing.
        let (other, title) = page_with(
            "Guide",
            "https://**host**/rest/gizmos\n/rest/download.json?id=1",
        );
        assert_eq!(find(&other, &title, &calls(&other.blocks)), None);
    }

    #[test]
    fn mid_title_name_is_found() {
        let (page, title) = page_with(
            "The widget.thing.get method (legacy)",
            "BX24.callMethod('widget.thing.get', {})",
        );
        assert_eq!(
            find(&page, &title, &calls(&page.blocks)).map(|m| m.name),
            Some("widget.thing.get".into())
        );
    }
}
