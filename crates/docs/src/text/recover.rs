//! Giving back error codes a text copy lost.
//!
//! A row whose code cell the copy emptied keeps its message (or description). The code is
//! taken back only when exactly one code goes with that text among: the page's own JSON error
//! examples, the same method's errors in a known spec, and the system error catalogue. Such
//! entries say `code_recovered: true`; the rest keep an empty code and get a diagnostic.

use std::collections::BTreeSet;

use b24_spec::{ErrorEntry, Method, Spec, SystemError};
use serde_json::Value;

use super::tables::LOST;
use crate::diagnostic::{DiagnosticKind, Sink};
use crate::page::{Block, Page};

/// A code and the message it was shown with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownError {
    pub code: String,
    pub texts: Vec<String>,
}

/// Everything a lost code may be recovered from, for one method.
#[derive(Debug, Default)]
pub struct Catalogue {
    pub errors: Vec<KnownError>,
}

impl Catalogue {
    /// The page's error examples, the method's errors in `known`, and the system errors.
    pub fn for_method(
        page: &Page,
        method: &Method,
        known: Option<&Spec>,
        system: &[SystemError],
    ) -> Self {
        let mut errors = page_examples(&page.blocks);
        if let Some(known) = known.and_then(|k| k.method(&method.method, method.api)) {
            errors.extend(
                known
                    .errors
                    .iter()
                    .filter(|e| !e.code.is_empty())
                    .map(|e| KnownError {
                        code: e.code.clone(),
                        texts: vec![e.message.clone(), e.description.clone()],
                    }),
            );
        }
        errors.extend(system.iter().map(|e| KnownError {
            code: e.code.clone(),
            texts: vec![e.message.clone()],
        }));
        Catalogue { errors }
    }

    /// The one code whose texts include `text`, if exactly one does.
    fn code_for(&self, text: &str) -> Result<String, Vec<String>> {
        let wanted = normal(text);
        let codes: BTreeSet<&str> = self
            .errors
            .iter()
            .filter(|e| !wanted.is_empty() && e.texts.iter().any(|t| normal(t) == wanted))
            .map(|e| e.code.as_str())
            .collect();
        match codes.len() {
            1 => Ok(codes.into_iter().next().unwrap_or_default().to_owned()),
            _ => Err(codes.into_iter().map(str::to_owned).collect()),
        }
    }
}

/// Recovers lost codes in `errors` in place; reports the ones it cannot, at the line `locate`
/// finds their text on.
pub fn recover(
    errors: &mut [ErrorEntry],
    catalogue: &Catalogue,
    locate: impl Fn(&str) -> u32,
    sink: &mut Sink,
) {
    for entry in errors.iter_mut().filter(|e| e.code == LOST) {
        let text = if entry.message.is_empty() {
            entry.description.clone()
        } else {
            entry.message.clone()
        };
        entry.code = String::new();
        entry.code_lost = true;
        match catalogue.code_for(&text) {
            Ok(code) => {
                entry.code = code;
                entry.code_recovered = true;
                entry.code_lost = false;
            }
            Err(candidates) if candidates.is_empty() => sink.report(
                locate(&text),
                DiagnosticKind::ErrorTable,
                format!(
                    "error `{text}`: the copy lost its code and nothing known matches the text"
                ),
            ),
            Err(candidates) => sink.report(
                locate(&text),
                DiagnosticKind::ErrorTable,
                format!(
                    "error `{text}`: the copy lost its code and the text fits several: {}",
                    candidates.join(", ")
                ),
            ),
        }
    }
}

/// Text compared case- and space-insensitively, without closing punctuation.
fn normal(text: &str) -> String {
    crate::render::collapse_ws(text)
        .trim_end_matches(['.', '!', ';'])
        .to_lowercase()
}

/// `error`/`error_description` pairs (and REST 3.0 `error.code`/`error.message`) in the page's
/// JSON code blocks.
fn page_examples(blocks: &[Block]) -> Vec<KnownError> {
    let mut out = Vec::new();
    for block in blocks {
        match block {
            Block::Code { code, .. } => {
                if let Ok(value) = serde_json::from_str::<Value>(code) {
                    collect_pairs(&value, &mut out);
                }
            }
            Block::List { items, .. } => items.iter().for_each(|i| out.extend(page_examples(i))),
            Block::Include { .. } => {}
            other => out.extend(page_examples(other.children())),
        }
    }
    out
}

fn collect_pairs(value: &Value, out: &mut Vec<KnownError>) {
    match value {
        Value::Object(map) => {
            let text = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_owned);
            match (map.get("error"), text("error_description")) {
                (Some(Value::String(code)), Some(message)) => out.push(KnownError {
                    code: code.clone(),
                    texts: vec![message],
                }),
                (Some(Value::Object(inner)), _) => {
                    let get = |key: &str| inner.get(key).and_then(Value::as_str).map(str::to_owned);
                    if let (Some(code), Some(message)) = (get("code"), get("message")) {
                        out.push(KnownError {
                            code,
                            texts: vec![message],
                        });
                    }
                }
                _ => {}
            }
            map.values().for_each(|v| collect_pairs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_pairs(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(message: &str) -> ErrorEntry {
        ErrorEntry {
            status: None,
            code: LOST.into(),
            message: message.into(),
            description: String::new(),
            code_recovered: false,
            code_lost: false,
        }
    }

    #[test]
    fn only_unambiguous_texts_give_a_code() {
        let catalogue = Catalogue {
            errors: vec![
                KnownError {
                    code: "A".into(),
                    texts: vec!["Thing went wrong.".into()],
                },
                KnownError {
                    code: "B".into(),
                    texts: vec!["Same text".into()],
                },
                KnownError {
                    code: "C".into(),
                    texts: vec!["same text".into()],
                },
            ],
        };
        let mut errors = vec![
            entry("thing  went wrong"),
            entry("Same text"),
            entry("Other"),
        ];
        let mut sink = Sink::new("p.txt");
        recover(&mut errors, &catalogue, |_| 7, &mut sink);
        assert_eq!(
            (errors[0].code.as_str(), errors[0].code_recovered),
            ("A", true)
        );
        assert_eq!(
            (errors[1].code.as_str(), errors[1].code_recovered),
            ("", false)
        );
        assert_eq!(
            (errors[2].code.as_str(), errors[2].code_recovered),
            ("", false)
        );
        assert!(
            sink.items[0].message.contains("several: B, C"),
            "{:?}",
            sink.items
        );
        assert_eq!(sink.items.len(), 2);
        assert_eq!(sink.items[0].line, 7);
    }

    #[test]
    fn pairs_are_found_in_nested_examples() {
        let json: Value = serde_json::from_str(
            r#"{"result": {"result": false, "error": "X_FAILED", "error_description": "X failed"}}"#,
        )
        .unwrap();
        let mut out = Vec::new();
        collect_pairs(&json, &mut out);
        assert_eq!(
            out,
            vec![KnownError {
                code: "X_FAILED".into(),
                texts: vec!["X failed".into()]
            }]
        );
    }
}
