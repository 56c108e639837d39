//! Extracting a folder of website pages (or one page file) into a spec, in parallel.
//!
//! The system error catalogue comes from the system errors fragment as the first page that
//! inlines it shows it, and from `limits.html` when the folder has it.

use std::path::Path;
use std::sync::Arc;

use b24_spec::Method;
use rayon::prelude::*;

use crate::corpus::{self, files_with_extension, ExtractError, Extraction, Format, PageResult};
use crate::diagnostic::{Diagnostic, DiagnosticKind, Sink};
use crate::extract::SYSTEM_ERRORS_INCLUDE;
use crate::page::{Block, Page};
use crate::page_kind::PageKind;
use crate::system_errors;

/// The limits page on the website.
const LIMITS_PAGE: &str = "limits.html";

/// Extracts every page under `path` (a folder), or the single page file `path`.
pub fn extract(path: &Path) -> Result<Extraction, ExtractError> {
    let (root, files) = if path.is_file() {
        let (root, _) = corpus::split_at_docs_root(path);
        (root, vec![path.to_owned()])
    } else {
        (
            path.to_owned(),
            files_with_extension(path, &["html", "htm"])?,
        )
    };
    let outcomes: Vec<Outcome> = files
        .par_iter()
        .map(|file| extract_file(&root, file))
        .collect();
    let fragment = outcomes.iter().find_map(|o| o.system_errors.clone());
    let mut sink = Sink::new(SYSTEM_ERRORS_INCLUDE);
    let catalogue = catalogue(&root, fragment, &mut sink);
    let pages = outcomes.into_iter().map(|o| o.page).collect();
    Ok(corpus::assemble(
        pages,
        catalogue,
        sink.items,
        corpus::snapshot_of(&root, Format::Html),
    ))
}

/// Extracts one page file (`rel` relative to the site root `root`), for tools and tests that
/// look at a single page.
pub fn extract_one(root: &Path, rel: &str) -> (PageKind, Option<Method>, Vec<Diagnostic>) {
    let outcome = extract_file(root, &root.join(rel));
    (
        outcome.page.kind,
        outcome.page.method,
        outcome.page.diagnostics,
    )
}

/// Reads one page file into the page model (for tools that look at the model itself).
pub fn read_page(root: &Path, file: &Path) -> Result<(Page, Vec<Diagnostic>), std::io::Error> {
    let rel = crate::corpus::relative(root, file);
    let source = std::fs::read_to_string(file)?;
    let mut sink = Sink::new(rel.clone());
    let page = super::parse_page(&rel, &source, &mut sink);
    Ok((page, sink.items))
}

struct Outcome {
    page: PageResult,
    /// The system errors fragment as this page inlines it.
    system_errors: Option<Arc<Vec<Block>>>,
}

fn extract_file(root: &Path, file: &Path) -> Outcome {
    let rel = crate::corpus::relative(root, file);
    corpus::guarded(&rel, file, |source, mut sink| {
        let page = super::parse_page(&rel, source, &mut sink);
        Outcome {
            system_errors: find_include(&page.blocks, SYSTEM_ERRORS_INCLUDE),
            page: corpus::page_result(&page, sink),
        }
    })
    .unwrap_or_else(|diagnostics| Outcome {
        page: PageResult::failed(diagnostics),
        system_errors: None,
    })
}

fn find_include(blocks: &[Block], target: &str) -> Option<Arc<Vec<Block>>> {
    blocks.iter().find_map(|b| match b {
        Block::Include {
            target: t, blocks, ..
        } if t == target => Some(blocks.clone()),
        Block::List { items, .. } => items.iter().find_map(|i| find_include(i, target)),
        other => find_include(other.children(), target),
    })
}

fn catalogue(
    root: &Path,
    fragment: Option<Arc<Vec<Block>>>,
    sink: &mut Sink,
) -> Vec<b24_spec::SystemError> {
    let Some(blocks) = fragment else {
        sink.report(
            0,
            DiagnosticKind::MissingInclude,
            "no page shows the system errors table",
        );
        return Vec::new();
    };
    let fragment = Page {
        path: SYSTEM_ERRORS_INCLUDE.into(),
        blocks: blocks.as_ref().clone(),
    };
    let limits = std::fs::read_to_string(root.join(LIMITS_PAGE))
        .ok()
        .map(|source| {
            let mut limits_sink = Sink::new(LIMITS_PAGE);
            let mut page = super::parse_page(LIMITS_PAGE, &source, &mut limits_sink);
            page.path = system_errors::LIMITS_PAGE.into();
            page
        });
    system_errors::catalogue(&fragment, limits.as_ref(), sink)
}
