//! The page's own examples as JSON: the curl request body and the success response.
//!
//! They feed round-trip tests of the generated types, so only what really parses is kept;
//! an example that should be JSON and is not becomes a diagnostic.

use serde_json::Value;

use super::outline::{Content, Item, Section};
use crate::diagnostic::{DiagnosticKind, Sink};

/// The JSON body of the first curl example (its `auth` key removed), with its line.
pub fn request(items: &[Item<'_>], sink: &mut Sink) -> Option<(Value, u32)> {
    for item in items.iter().filter(|i| i.include.is_none()) {
        let Content::Code { code, line, .. } = &item.content else {
            continue;
        };
        if !code.contains("curl") {
            continue;
        }
        let Some(body) = curl_body(code) else {
            continue;
        };
        return match serde_json::from_str::<Value>(&body) {
            Ok(mut value) => {
                if let Value::Object(map) = &mut value {
                    map.shift_remove("auth");
                }
                Some((value, *line))
            }
            Err(e) => {
                sink.report(
                    *line,
                    DiagnosticKind::BadExample,
                    format!("curl body is not JSON: {e}"),
                );
                None
            }
        };
    }
    None
}

/// The text of `-d '...'` (or `--data '...'`) in a curl command.
fn curl_body(code: &str) -> Option<String> {
    let start = ["-d '", "--data '", "--data-raw '"]
        .iter()
        .find_map(|flag| code.find(flag).map(|i| i + flag.len()))?;
    let rest = &code[start..];
    let end = rest.find("' \\").or_else(|| rest.rfind('\''))?;
    Some(unsplice(&rest[..end]))
}

/// Shell splices inside the single-quoted body (`"'"$(date --iso-8601=seconds)"'"`) close the
/// quote, expand a command and reopen it; the body the shell would send holds the command's
/// output. The command text stands in for it (`"$(date --iso-8601=seconds)"`), so the example
/// keeps its shape: a string where the page puts a string.
fn unsplice(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find("'\"$") {
        let inner = &rest[at + 2..];
        let Some(close) = inner.find("\"'") else {
            break;
        };
        out.push_str(&rest[..at]);
        out.push_str(&inner[..close]);
        rest = &inner[close + 2..];
    }
    out.push_str(rest);
    out
}

/// The first JSON code block of the response section that is a success envelope, with its line.
pub fn response(items: &[Item<'_>], sink: &mut Sink) -> Option<(Value, u32)> {
    for item in items
        .iter()
        .filter(|i| i.section == Section::Response && i.include.is_none())
    {
        let Content::Code { code, lang, line } = &item.content else {
            continue;
        };
        let looks_json = lang.eq_ignore_ascii_case("json") || code.trim_start().starts_with('{');
        if !looks_json {
            continue;
        }
        match serde_json::from_str::<Value>(code) {
            Ok(value) if value.get("result").is_some() => return Some((value, *line)),
            Ok(_) => {}
            Err(e) => sink.report(
                *line,
                DiagnosticKind::BadExample,
                format!("response example is not JSON: {e}"),
            ),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_bodies_single_and_multi_line() {
        assert_eq!(
            curl_body("curl -X POST -d '{\"a\":1}' \\\n https://x/rest/a.b").as_deref(),
            Some("{\"a\":1}")
        );
        let multi = "curl -X POST \\\n-d '{\n  \"a\": \"b\"\n}' \\\nhttps://x";
        assert_eq!(curl_body(multi).as_deref(), Some("{\n  \"a\": \"b\"\n}"));
        assert_eq!(curl_body("curl https://x/rest/a.b"), None);
    }

    #[test]
    fn shell_splices_keep_the_command_text() {
        let code = "curl -d '{\"D\":\"'\"$(date +%F)\"'\",\"N\":1}' \\\n https://x";
        assert_eq!(
            curl_body(code).as_deref(),
            Some("{\"D\":\"$(date +%F)\",\"N\":1}")
        );
    }
}
