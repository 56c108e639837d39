//! Extracting text copies (a folder of `.txt` pages, or one file) into a spec.
//!
//! A copy does not say where its page lives, so a method found in the known spec takes its
//! `source` and `group` from there (the markdown page, as the other frontends name it); without
//! one the source is the copy's own path and the group `text`. The system error catalogue is
//! the known spec's, else the first copy that shows the table with its codes.

use std::path::{Path, PathBuf};

use b24_spec::{Method, Spec, SystemError};

use super::recover::{self, Catalogue};
use crate::corpus::{self, files_with_extension, ExtractError, Extraction, Format, PageResult};
use crate::diagnostic::{DiagnosticKind, Sink};
use crate::extract::SYSTEM_ERRORS_INCLUDE;
use crate::page::{Block, Page};
use crate::page_kind;

/// The group of methods no known spec places.
const UNPLACED_GROUP: &str = "text";

/// Extracts every `.txt` copy under `path` (a folder), or the single copy `path`. `known`, when
/// given, places methods and lets lost error codes be recovered.
pub fn extract(path: &Path, known: Option<&Spec>) -> Result<Extraction, ExtractError> {
    let (root, files) = if path.is_file() {
        let root = path.parent().map(Path::to_owned).unwrap_or_default();
        (root, vec![path.to_owned()])
    } else {
        (path.to_owned(), files_with_extension(path, &["txt"])?)
    };
    let mut sink = Sink::new(SYSTEM_ERRORS_INCLUDE);
    let system = match known {
        Some(known) => known.system_errors.clone(),
        None => page_catalogue(&files, &mut sink),
    };
    let pages = files
        .iter()
        .map(|file| extract_file(&root, file, known, &system))
        .collect();
    Ok(corpus::assemble(
        pages,
        system,
        sink.items,
        corpus::snapshot_of(&root, Format::Text),
    ))
}

/// Extracts one copy; `root` is the folder its path is given from.
pub fn extract_file(
    root: &Path,
    file: &Path,
    known: Option<&Spec>,
    system: &[SystemError],
) -> PageResult {
    let rel = crate::corpus::relative(root, file);
    corpus::guarded(&rel, file, |source, mut sink| {
        let (page, _) = super::parse_page(&provisional_path(file), source);
        // Text copies keep no links, so their tables cannot be told apart as entity tables.
        let (kind, method, _) = corpus::extract_page(&page, &mut sink);
        let locate = |text: &str| {
            source
                .lines()
                .position(|l| !text.is_empty() && l.contains(text))
                .map_or(0, |i| i as u32 + 1)
        };
        let method = method.map(|m| finish(m, &page, &rel, known, system, locate, &mut sink));
        let ownership = method
            .as_ref()
            .map_or(0, |m| page_kind::ownership(&page, &m.method));
        PageResult {
            kind,
            ownership,
            method,
            // Text copies keep no link targets to resolve a reference by.
            param_links: Vec::new(),
            entities: Vec::new(),
            reference: None,
            placements: Vec::new(),
            // Text copies lose the tables' markup an event payload is read from.
            event: None,
            diagnostics: sink.items,
        }
    })
    .unwrap_or_else(PageResult::failed)
}

/// Classification wants a page under `api-reference/`; the real place comes later.
fn provisional_path(file: &Path) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("api-reference/{UNPLACED_GROUP}/{stem}.md")
}

fn finish(
    mut method: Method,
    page: &Page,
    rel: &str,
    known: Option<&Spec>,
    system: &[SystemError],
    locate: impl Fn(&str) -> u32,
    sink: &mut Sink,
) -> Method {
    let catalogue = Catalogue::for_method(page, &method, known, system);
    recover::recover(&mut method.errors, &catalogue, locate, sink);
    match known.and_then(|k| k.method(&method.method, method.api)) {
        Some(placed) => {
            method.source = placed.source.clone();
            method.group = placed.group.clone();
        }
        None => {
            method.source = rel.to_owned();
            method.group = UNPLACED_GROUP.to_owned();
        }
    }
    method
}

/// The catalogue from the first copy whose system errors table kept its codes.
fn page_catalogue(files: &[PathBuf], sink: &mut Sink) -> Vec<SystemError> {
    for file in files {
        let Ok(source) = std::fs::read_to_string(file) else {
            continue;
        };
        let (page, shape) = super::parse_page(&provisional_path(file), &source);
        if shape.lost_inline_code {
            continue;
        }
        let Some(blocks) = system_include(&page.blocks) else {
            continue;
        };
        let fragment = Page {
            path: SYSTEM_ERRORS_INCLUDE.into(),
            blocks,
        };
        let mut page_sink = Sink::new(SYSTEM_ERRORS_INCLUDE);
        let errors = crate::system_errors::catalogue(&fragment, None, &mut page_sink);
        if !errors.is_empty() {
            return errors;
        }
    }
    sink.report(
        0,
        DiagnosticKind::MissingInclude,
        "no copy shows the system errors with their codes, and no known spec was given",
    );
    Vec::new()
}

fn system_include(blocks: &[Block]) -> Option<Vec<Block>> {
    blocks.iter().find_map(|b| match b {
        Block::Include { target, blocks, .. } if target == SYSTEM_ERRORS_INCLUDE => {
            Some(blocks.as_ref().clone())
        }
        _ => None,
    })
}
