//! A docs-quality report for upstream maintainers: real defects in the markdown docs, grouped by
//! page. Each check is its own module; the ones that need the page model reuse the extractor's
//! diagnostics and the spec it extracted, so the report and the spec never disagree.

mod example_types;
mod extractor;
mod request_keys;
mod required_omitted;
mod response_keys;
mod stale_links;
mod undocumented;

use std::collections::BTreeMap;
use std::path::Path;

use b24_spec::{Method, Param, ResultField};

use crate::ExtractError;

/// What is wrong, as a stable kebab-case name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LintKind {
    /// A link to an anchor the target page does not have (from the extractor).
    BrokenAnchor,
    /// A `#|` table, `{% note %}`, `{% list %}`, `{% cut %}` or fence that is never closed (from
    /// the extractor).
    UnclosedConstruct,
    /// A link to a `.md` file that does not exist.
    StaleLink,
    /// The request example sends a key the parameters table does not document.
    RequestKeyUndocumented,
    /// The response example has a key the result table does not document.
    ResponseKeyUndocumented,
    /// An example value whose shape (object, array, scalar) contradicts the documented type.
    TypeMismatch,
    /// A required parameter the request example leaves out.
    RequiredOmitted,
}

impl LintKind {
    /// Every kind, in report order.
    pub const ALL: [LintKind; 7] = [
        LintKind::BrokenAnchor,
        LintKind::UnclosedConstruct,
        LintKind::StaleLink,
        LintKind::RequestKeyUndocumented,
        LintKind::ResponseKeyUndocumented,
        LintKind::TypeMismatch,
        LintKind::RequiredOmitted,
    ];

    /// The stable name used in the report.
    pub fn as_str(self) -> &'static str {
        match self {
            LintKind::BrokenAnchor => "broken-anchor",
            LintKind::UnclosedConstruct => "unclosed-construct",
            LintKind::StaleLink => "stale-link",
            LintKind::RequestKeyUndocumented => "request-key-undocumented",
            LintKind::ResponseKeyUndocumented => "response-key-undocumented",
            LintKind::TypeMismatch => "type-mismatch",
            LintKind::RequiredOmitted => "required-omitted",
        }
    }
}

/// One defect on one page. `line` is 0 when the finding is about a table as a whole (checks
/// that compare the extracted spec name the field instead).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// The page, relative to the docs root.
    pub file: String,
    /// 1-based line, or 0.
    pub line: u32,
    /// What is wrong.
    pub kind: LintKind,
    /// The detail, naming the key, field or link.
    pub message: String,
}

/// Every finding of a run, sorted by page, line and kind.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// The findings.
    pub findings: Vec<Finding>,
}

impl Report {
    /// How many findings of each kind, in [`LintKind::ALL`] order (zero counts included).
    pub fn counts(&self) -> Vec<(LintKind, usize)> {
        LintKind::ALL
            .iter()
            .map(|k| (*k, self.findings.iter().filter(|f| f.kind == *k).count()))
            .collect()
    }

    /// The findings grouped by page, pages in path order.
    pub fn by_page(&self) -> BTreeMap<&str, Vec<&Finding>> {
        let mut pages: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for finding in &self.findings {
            pages
                .entry(finding.file.as_str())
                .or_default()
                .push(finding);
        }
        pages
    }
}

/// Lints the markdown docs tree at `root`.
pub fn lint(root: &Path) -> Result<Report, ExtractError> {
    let extraction = crate::extract(root)?;
    let mut findings = extractor::findings(&extraction.diagnostics);
    findings.extend(stale_links::findings(root)?);
    for method in &extraction.spec.methods {
        findings.extend(method_findings(method));
    }
    findings.sort();
    findings.dedup();
    Ok(Report { findings })
}

/// The checks that compare a method's tables with its own examples.
pub fn method_findings(method: &Method) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut push = |kind: LintKind, message: String| {
        out.push(Finding {
            file: method.source.clone(),
            line: 0,
            kind,
            message: format!("{} ({}): {message}", method.method, method.api),
        })
    };
    request_keys::check(method, &mut push);
    required_omitted::check(method, &mut push);
    response_keys::check(method, &mut push);
    example_types::check(method, &mut push);
    out
}

/// Request keys compare case-insensitively (the portal reads `FIELDS` and `fields` alike),
/// without a filter's operator prefix (`>=DATE_CREATE` filters on `DATE_CREATE`).
fn find_param<'a>(params: &'a [Param], key: &str) -> Option<&'a Param> {
    let key = key.trim_start_matches(['>', '<', '=', '!', '%', '@']);
    params.iter().find(|p| p.name.eq_ignore_ascii_case(key))
}

/// Keys no table can list by name: user fields (`UF_CRM_...`, `ufCrm...`) and the portal's
/// numbered custom fields (`PROPERTY_259`, `parentId1220`, `upload5249`).
fn is_custom_field(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    lower.starts_with("uf_")
        || lower.starts_with("ufcrm")
        || key.ends_with(|c: char| c.is_ascii_digit())
}

/// Response keys compare exactly: the portal sends them as documented.
fn find_field<'a>(fields: &'a [ResultField], key: &str) -> Option<&'a ResultField> {
    fields.iter().find(|f| f.name == key)
}
