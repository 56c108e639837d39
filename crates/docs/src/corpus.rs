//! Running the frontend over a whole docs tree: read, parse and extract every page in
//! parallel, then merge into one [`Spec`] with diagnostics and counts.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use b24_spec::{validate, Entity, Event, Method, Placement, Snapshot, Spec};
use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, DiagnosticKind, Sink};
use crate::entities;
use crate::events::{self, MethodRef};
use crate::extract::{self, values, SYSTEM_ERRORS_INCLUDE};
use crate::limits;
use crate::markdown::{includes::Fragments, parse_page};
use crate::page::Page;
use crate::page_kind::{self, PageKind};
use crate::param_refs::{self, ParamLink};
use crate::reference_pages::{self, ReferenceTable};
use crate::source;
use crate::system_errors;

/// The result of extracting a docs tree.
#[derive(Debug)]
pub struct Extraction {
    pub spec: Spec,
    /// Sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    pub stats: Stats,
}

/// Counts for the run summary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stats {
    /// Pages read, by kind.
    pub pages: BTreeMap<PageKind, usize>,
}

impl Extraction {
    /// Diagnostics counted by kind.
    pub fn diagnostics_by_kind(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for d in &self.diagnostics {
            *counts.entry(d.kind.as_str()).or_default() += 1;
        }
        counts
    }
}

/// Why a docs tree could not be read at all (single pages never cause this).
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The directory is not a Bitrix24 docs checkout.
    #[error("{0}: not a Bitrix24 docs checkout (no api-reference/ folder)")]
    NotDocs(PathBuf),
    /// The directory could not be listed.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Extracts the spec from the markdown docs checkout at `root`.
pub fn extract(root: &Path) -> Result<Extraction, ExtractError> {
    let reference = root.join("api-reference");
    if !reference.is_dir() {
        return Err(ExtractError::NotDocs(root.to_owned()));
    }
    let files = files_with_extension(&reference, &["md"])?;
    let fragments = Fragments::new(root);
    // The system error catalogue reads its own pages; it runs beside the page walk rather
    // than after it, where it would be a serial phase.
    let (pages, (system_errors, sink)) = rayon::join(
        || -> Vec<PageResult> {
            files
                .par_iter()
                .map(|path| extract_file(root, path, &fragments))
                .collect()
        },
        || {
            let mut sink = Sink::new(SYSTEM_ERRORS_INCLUDE);
            let system_errors = system_catalogue(root, &fragments, &mut sink);
            (system_errors, sink)
        },
    );
    Ok(assemble(pages, system_errors, sink.items, snapshot(root)))
}

fn extract_file(root: &Path, path: &Path, fragments: &Fragments) -> PageResult {
    let rel = relative(root, path);
    guarded(&rel, path, |source, mut sink| {
        let page = parse_page(&rel, source, fragments, &mut sink);
        page_result(&page, sink)
    })
    .unwrap_or_else(PageResult::failed)
}

/// Reads the page file at `path` (named `rel` in diagnostics) and runs a frontend's `read` on
/// its text. One page never ends a run: an unreadable, oversized or empty file, or a panic
/// inside `read` (the frontends are written not to panic; this is the last guard), comes back
/// as `Err` with the diagnostics to keep. What reading repaired (invalid UTF-8, NUL) is
/// reported in the sink `read` gets.
pub(crate) fn guarded<T>(
    rel: &str,
    path: &Path,
    read: impl FnOnce(&str, Sink) -> T,
) -> Result<T, Vec<Diagnostic>> {
    let mut sink = Sink::new(rel);
    let source = match source::read(path) {
        Ok(s) => s,
        Err(e) => {
            sink.report(0, e.kind(), e.to_string());
            return Err(sink.items);
        }
    };
    for (line, kind, message) in source.notes {
        sink.report(line, kind, message);
    }
    if sink
        .items
        .iter()
        .any(|d| d.kind == DiagnosticKind::EmptyPage)
    {
        return Err(sink.items);
    }
    let notes = sink.items.clone();
    catch_unwind(AssertUnwindSafe(|| read(&source.text, sink))).map_err(|_| {
        let mut sink = Sink::new(rel);
        sink.items = notes;
        sink.report(
            0,
            DiagnosticKind::Syntax,
            "internal error while reading this page",
        );
        sink.items
    })
}

/// What a parsed page contributes: its kind and method, how strongly it owns that method, and
/// the diagnostics collected in `sink`. A page over the work budget contributes only a
/// diagnostic.
pub(crate) fn page_result(page: &Page, mut sink: Sink) -> PageResult {
    if let Some(line) = limits::over_budget(page) {
        sink.report(
            line,
            DiagnosticKind::Limit,
            format!(
                "the page holds more than {} blocks, rows and cells; not extracted",
                limits::MAX_PAGE_NODES
            ),
        );
        return PageResult::failed(sink.items);
    }
    // Method pages are flattened once, for the method and for its parameters section's links.
    let (kind, name) = page_kind::classify(page);
    let outline = (kind == PageKind::Method && name.is_some())
        .then(|| extract::outline::outline(&page.blocks));
    let (method, entities) = match (name, &outline) {
        (Some(name), Some(outline)) => {
            let title = page_kind::title(page).unwrap_or_default();
            let (method, entities) = extract::method_in(page, outline, name, title, &mut sink);
            (Some(method), entities)
        }
        _ => (None, Vec::new()),
    };
    let ownership = method
        .as_ref()
        .map_or(0, |m| page_kind::ownership(page, &m.method));
    let placements = match kind {
        PageKind::Placement => {
            let title = page_kind::title(page).unwrap_or_default();
            crate::placements::extract(page, &title, &mut sink)
        }
        _ => Vec::new(),
    };
    let event = match kind {
        PageKind::Event => {
            let title = page_kind::title(page).unwrap_or_default();
            events::extract(page, &title, &mut sink)
        }
        _ => None,
    };
    let param_links = match (&method, &outline) {
        (Some(_), Some(outline)) => param_refs::links(&page.path, outline),
        _ => Vec::new(),
    };
    PageResult {
        kind,
        ownership,
        method,
        param_links,
        entities,
        reference: reference_pages::read(page, kind),
        placements,
        event,
        diagnostics: sink.items,
    }
}

/// Classifies a parsed page and extracts its method if it documents one, with the entity
/// field tables the method's query parameters link to on the page.
pub fn extract_page(page: &Page, sink: &mut Sink) -> (PageKind, Option<Method>, Vec<Entity>) {
    let (kind, name) = page_kind::classify(page);
    match (kind, name) {
        (PageKind::Method, Some(name)) => {
            let title = page_kind::title(page).unwrap_or_default();
            let (method, entities) = extract::method(page, name, title, sink);
            (kind, Some(method), entities)
        }
        _ => (kind, None, Vec::new()),
    }
}

fn system_catalogue(
    root: &Path,
    fragments: &Fragments,
    sink: &mut Sink,
) -> Vec<b24_spec::SystemError> {
    let Ok(blocks) = fragments.get(SYSTEM_ERRORS_INCLUDE, 0) else {
        sink.report(
            0,
            DiagnosticKind::MissingInclude,
            "the system errors fragment is missing",
        );
        return Vec::new();
    };
    let fragment = Page {
        path: SYSTEM_ERRORS_INCLUDE.into(),
        blocks: blocks.as_ref().clone(),
    };
    let general: Vec<Page> = system_errors::GENERAL_PAGES
        .iter()
        .filter_map(|path| {
            let source = std::fs::read_to_string(root.join(path)).ok()?;
            // The corpus walk reports this page's own diagnostics; parsing it again here must
            // not report them twice.
            let mut parse_sink = Sink::new(*path);
            Some(parse_page(path, &source, fragments, &mut parse_sink))
        })
        .collect();
    let include = system_errors::catalogue(&fragment, None, sink);
    system_errors::with_general_pages(include, &general, sink)
}

/// `SNAPSHOT` holds `owner/repo commit [date]`.
fn snapshot(root: &Path) -> Snapshot {
    let text = std::fs::read_to_string(root.join("SNAPSHOT")).unwrap_or_default();
    let mut parts = text.split_whitespace();
    Snapshot {
        repo: parts.next().unwrap_or("bitrix24/b24restdocs").to_owned(),
        commit: parts.next().unwrap_or("unknown").to_owned(),
        date: parts.next().map(str::to_owned),
        format: "markdown".into(),
    }
}

/// Every file under `dir` whose extension is one of `extensions`, sorted by path.
pub(crate) fn files_with_extension(
    dir: &Path,
    extensions: &[&str],
) -> Result<Vec<PathBuf>, ExtractError> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| ExtractError::Io {
            path: e
                .path()
                .map(Path::to_owned)
                .unwrap_or_else(|| dir.to_owned()),
            source: e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("walk error")),
        })?;
        let wanted = entry
            .path()
            .extension()
            .is_some_and(|e| extensions.iter().any(|x| e == *x));
        if entry.file_type().is_file() && wanted {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

/// `path` relative to `root`, with `/` separators (the spec's `source` form).
pub(crate) fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Extracts one page (path relative to the docs root `root`), for tools and tests that look
/// at a single page. Includes resolve against `root`.
pub fn extract_one(root: &Path, rel: &str) -> (PageKind, Option<Method>, Vec<Diagnostic>) {
    let fragments = Fragments::new(root);
    let outcome = extract_file(root, &root.join(rel), &fragments);
    (outcome.kind, outcome.method, outcome.diagnostics)
}

// Other input formats: a format-dispatching entry point over a directory or a single page, and
// the merge the HTML and text frontends share.

/// What a docs input is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// The markdown (Diplodoc/YFM) source repository.
    Markdown,
    /// Pages of the docs website.
    Html,
    /// Plain text copied from the website.
    Text,
}

impl Format {
    /// The name used on the command line and in `spec/source.yaml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Text => "text",
        }
    }

    /// Parses `md`/`markdown`, `html`/`htm`, `text`/`txt`.
    pub fn parse(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "text" | "txt" => Some(Format::Text),
            _ => None,
        }
    }

    fn of_extension(path: &Path) -> Option<Format> {
        Format::parse(path.extension()?.to_str()?)
    }
}

/// What `path` holds: a single page by its extension, or a directory by the kind of page
/// files most common in it (a markdown checkout is recognised by its `api-reference/*.md`).
/// `None` when nothing there looks like docs.
pub fn detect_format(path: &Path) -> Option<Format> {
    if path.is_file() {
        return Format::of_extension(path);
    }
    let mut counts: BTreeMap<&'static str, (usize, Format)> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(path)
        .max_depth(8)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .take(20_000)
    {
        if let Some(format) = Format::of_extension(entry.path()) {
            counts.entry(format.as_str()).or_insert((0, format)).0 += 1;
        }
    }
    if path.join("api-reference").is_dir() && counts.contains_key("markdown") {
        return Some(Format::Markdown);
    }
    counts.into_values().max_by_key(|(n, _)| *n).map(|(_, f)| f)
}

/// Extracts a docs directory or a single page file read as `format`. `known` is a spec whose
/// system errors and method errors let the text frontend recover error codes a copy lost;
/// the other formats do not need it.
pub fn extract_with(
    path: &Path,
    format: Format,
    known: Option<&Spec>,
) -> Result<Extraction, ExtractError> {
    if !path.exists() {
        return Err(ExtractError::Io {
            path: path.to_owned(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
        });
    }
    match format {
        Format::Markdown if path.is_dir() => extract(path),
        Format::Markdown => Ok(extract_markdown_page(path)),
        Format::Html => crate::html::site::extract(path),
        Format::Text => crate::text::site::extract(path, known),
    }
}

/// One markdown page on its own; includes resolve against the folder above its
/// `api-reference/` (or its own folder).
fn extract_markdown_page(path: &Path) -> Extraction {
    let (root, _) = split_at_docs_root(path);
    let fragments = Fragments::new(&root);
    let outcome = extract_file(&root, path, &fragments);
    let mut sink = Sink::new(SYSTEM_ERRORS_INCLUDE);
    let system_errors = match fragments.get(SYSTEM_ERRORS_INCLUDE, 0) {
        Ok(_) => system_catalogue(&root, &fragments, &mut sink),
        Err(_) => Vec::new(),
    };
    assemble(
        vec![outcome],
        system_errors,
        sink.items,
        snapshot_of(&root, Format::Markdown),
    )
}

/// The docs root a page file sits under (the folder holding its `api-reference/`, else its
/// own folder) and the page's path relative to it, with `/` separators.
pub fn split_at_docs_root(path: &Path) -> (PathBuf, String) {
    let parts: Vec<&std::ffi::OsStr> = path.iter().collect();
    let at = parts
        .iter()
        .rposition(|p| *p == "api-reference")
        .unwrap_or(parts.len().saturating_sub(1));
    let root: PathBuf = parts[..at].iter().collect();
    let rel = parts[at..]
        .iter()
        .map(|p| p.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    (root, rel)
}

/// One page read by any frontend, ready to be merged into a spec.
#[derive(Debug)]
pub struct PageResult {
    pub kind: PageKind,
    /// [`page_kind::ownership`] of the method, to choose between pages naming one method.
    pub ownership: u8,
    pub method: Option<Method>,
    /// The page links of the method's parameters section, for [`param_refs::resolve`].
    pub param_links: Vec<ParamLink>,
    /// Entity field tables the page's query parameters link to, for [`entities::assemble`].
    pub entities: Vec<Entity>,
    /// The page's fields when it is a reference page, for [`entities::assemble`].
    pub reference: Option<ReferenceTable>,
    /// The placements a placement page documents.
    pub placements: Vec<Placement>,
    /// The event an event page documents, with the methods it may name.
    pub event: Option<(Event, Vec<MethodRef>)>,
    pub diagnostics: Vec<Diagnostic>,
}

impl PageResult {
    /// A page that could not be read at all: counted as "other", with its diagnostics.
    pub(crate) fn failed(diagnostics: Vec<Diagnostic>) -> Self {
        PageResult {
            kind: PageKind::Other,
            ownership: 0,
            method: None,
            param_links: Vec::new(),
            entities: Vec::new(),
            reference: None,
            placements: Vec::new(),
            event: None,
            diagnostics,
        }
    }
}

/// Merges pages into an [`Extraction`]: one method per (name, API version), the page that owns
/// it most winning (the first on a tie), then validation. The same rules as [`extract`].
pub fn assemble(
    pages: Vec<PageResult>,
    system_errors: Vec<b24_spec::SystemError>,
    mut diagnostics: Vec<Diagnostic>,
    snapshot: Snapshot,
) -> Extraction {
    let mut stats = Stats::default();
    type Chosen = (u8, Method, Vec<ParamLink>);
    let mut chosen: BTreeMap<(String, b24_spec::ApiVersion), Chosen> = BTreeMap::new();
    let mut page_tables = Vec::new();
    let mut references = Vec::new();
    let mut placements: BTreeMap<String, Placement> = BTreeMap::new();
    let mut events: BTreeMap<String, (Event, Vec<MethodRef>)> = BTreeMap::new();
    for page in pages {
        *stats.pages.entry(page.kind).or_default() += 1;
        diagnostics.extend(page.diagnostics);
        page_tables.extend(page.entities);
        references.extend(page.reference);
        for placement in page.placements {
            // A code listed on two pages (an overview table and its own page) keeps the page
            // met first; pages arrive sorted by path.
            placements
                .entry(placement.code.clone())
                .or_insert(placement);
        }
        if let Some((event, refs)) = page.event {
            // Pages arrive sorted by path; the first page naming an event keeps it.
            match events.get(&event.event) {
                Some((kept, _)) => diagnostics.push(duplicate_event(&event, kept)),
                None => {
                    events.insert(event.event.clone(), (event, refs));
                }
            }
        }
        let Some(method) = page.method else {
            continue;
        };
        let key = (method.method.clone(), method.api);
        match chosen.remove(&key) {
            Some(first) if first.0 >= page.ownership => {
                diagnostics.push(duplicate(&method, &first.1));
                chosen.insert(key, first);
            }
            Some(first) => {
                diagnostics.push(duplicate(&first.1, &method));
                chosen.insert(key, (page.ownership, method, page.param_links));
            }
            None => {
                chosen.insert(key, (page.ownership, method, page.param_links));
            }
        }
    }
    let mut linked: Vec<(Method, Vec<ParamLink>)> =
        chosen.into_values().map(|(_, m, l)| (m, l)).collect();
    // Each page's method was filled as it was extracted; parameters given by reference are
    // new here (copies of filled ones, or shared ones made from them, nested members dropped).
    for at in param_refs::resolve(&mut linked, &mut diagnostics) {
        values::fill_params(&mut linked[at].0.params);
    }
    let mut methods: Vec<Method> = linked.into_iter().map(|(m, _)| m).collect();
    let entities = entities::assemble(&mut methods, page_tables, references, &mut diagnostics);
    let mut events: Vec<(Event, Vec<MethodRef>)> = events.into_values().collect();
    events::resolve_methods(&mut events, &methods);
    let mut spec = Spec {
        snapshot,
        system_errors,
        methods,
        entities,
        placements: placements.into_values().collect(),
        events: events.into_iter().map(|(e, _)| e).collect(),
    };
    values::fill_entities(&mut spec.entities);
    spec.sort();
    for issue in validate::validate(&spec) {
        diagnostics.push(Diagnostic {
            file: issue.source.clone(),
            line: 0,
            kind: DiagnosticKind::Invalid,
            message: issue.to_string(),
        });
    }
    diagnostics.sort();
    Extraction {
        spec,
        diagnostics,
        stats,
    }
}

fn duplicate(dropped: &Method, kept: &Method) -> Diagnostic {
    Diagnostic {
        file: dropped.source.clone(),
        line: 0,
        kind: DiagnosticKind::DuplicateMethod,
        message: format!(
            "{} ({}) is documented in {}; this page is not used for it",
            dropped.method, dropped.api, kept.source
        ),
    }
}

fn duplicate_event(dropped: &Event, kept: &Event) -> Diagnostic {
    Diagnostic {
        file: dropped.source.clone(),
        line: 0,
        kind: DiagnosticKind::DuplicateEvent,
        message: format!(
            "event {} is documented in {}; this page is not used for it",
            dropped.event, kept.source
        ),
    }
}

/// `SNAPSHOT` (`owner/repo commit [date]`) of a docs input of any format, marked with it.
pub fn snapshot_of(root: &Path, format: Format) -> Snapshot {
    let mut snapshot = snapshot(root);
    snapshot.format = format.as_str().into();
    snapshot
}
