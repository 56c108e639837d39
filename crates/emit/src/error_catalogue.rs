//! The error catalogue: every system error and every method-specific code in the spec, merged by
//! code (case-insensitively, as the portal compares them), each with its Rust variant name and
//! the methods whose pages document it.

use std::collections::BTreeMap;

use b24_spec::{ApiVersion, Spec};

use crate::naming::{self, Namespace};

/// All codes, system errors first, then method-specific ones by code.
#[derive(Debug, Default)]
pub struct ErrorCatalogue {
    /// One entry per distinct code.
    pub codes: Vec<CodeEntry>,
    /// Rows whose code the page leaves empty: they cannot be matched on, only listed.
    pub empty: Vec<Mention>,
}

/// One error code.
#[derive(Debug)]
pub struct CodeEntry {
    /// The code as first documented (system spelling wins).
    pub code: String,
    /// `ErrorCode` variant name.
    pub variant: String,
    /// HTTP status: the system one, else the one most pages give.
    pub status: Option<u16>,
    /// `error_description`: the system one, else the first page's.
    pub message: String,
    /// What the error means.
    pub description: String,
    /// Listed in the system errors table (any method can return it).
    pub system: bool,
    /// The method pages documenting it, in spec order.
    pub mentions: Vec<Mention>,
}

/// A method page's row for a code.
#[derive(Clone, Debug)]
pub struct Mention {
    /// Wire name of the method.
    pub method: String,
    /// Its API version.
    pub api: ApiVersion,
    /// Status on that page.
    pub status: Option<u16>,
    /// Message on that page.
    pub message: String,
    /// Meaning on that page.
    pub description: String,
}

impl ErrorCatalogue {
    /// Builds the catalogue from the spec.
    pub fn from_spec(spec: &Spec) -> Self {
        let mut by_key: BTreeMap<String, CodeEntry> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        for sys in &spec.system_errors {
            let key = sys.code.to_ascii_uppercase();
            if by_key.contains_key(&key) || sys.code.is_empty() {
                continue;
            }
            order.push(key.clone());
            by_key.insert(
                key,
                entry(&sys.code, sys.status, &sys.message, &sys.description, true),
            );
        }
        let mut empty = Vec::new();
        let mut method_keys = Vec::new();
        for method in &spec.methods {
            for err in &method.errors {
                let mention = Mention {
                    method: method.method.clone(),
                    api: method.api,
                    status: err.status,
                    message: err.message.clone(),
                    description: err.description.clone(),
                };
                if err.code.trim().is_empty() {
                    empty.push(mention);
                    continue;
                }
                let key = err.code.to_ascii_uppercase();
                let code = by_key.entry(key.clone()).or_insert_with(|| {
                    method_keys.push(key);
                    entry(&err.code, err.status, &err.message, &err.description, false)
                });
                code.mentions.push(mention);
            }
        }
        method_keys.sort();
        order.extend(method_keys);
        let mut names = Namespace::with_reserved(&["Other", "Empty"]);
        let vocabulary = naming::vocabulary(by_key.values().flat_map(|c| {
            let mentions = c
                .mentions
                .iter()
                .flat_map(|m| [m.message.as_str(), m.description.as_str()]);
            [c.code.as_str(), c.message.as_str(), c.description.as_str()]
                .into_iter()
                .chain(mentions)
        }));
        let codes = order
            .into_iter()
            .filter_map(|key| by_key.remove(&key))
            .map(|mut code| {
                code.variant = names.claim(naming::error_variant(&code.code, &vocabulary));
                if !code.system {
                    code.status = common_status(&code.mentions);
                }
                code
            })
            .collect();
        ErrorCatalogue { codes, empty }
    }

    /// The variant for a wire code, if the catalogue has it.
    pub fn variant(&self, code: &str) -> Option<&str> {
        self.codes
            .iter()
            .find(|c| c.code.eq_ignore_ascii_case(code))
            .map(|c| c.variant.as_str())
    }
}

fn entry(
    code: &str,
    status: Option<u16>,
    message: &str,
    description: &str,
    system: bool,
) -> CodeEntry {
    CodeEntry {
        code: code.to_owned(),
        variant: String::new(),
        status,
        message: message.to_owned(),
        description: description.to_owned(),
        system,
        mentions: Vec::new(),
    }
}

/// The status most pages give; ties go to the lowest status, so the choice is stable.
fn common_status(mentions: &[Mention]) -> Option<u16> {
    let mut counts: BTreeMap<u16, usize> = BTreeMap::new();
    for status in mentions.iter().filter_map(|m| m.status) {
        *counts.entry(status).or_default() += 1;
    }
    let best = counts.values().copied().max()?;
    counts.into_iter().find(|(_, n)| *n == best).map(|(s, _)| s)
}
