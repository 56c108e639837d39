//! Diagnostics: everything a frontend could not understand, located by file and line.
//!
//! Extraction never stops on a bad page; it records a diagnostic and goes on. The corpus
//! summary counts them by kind, and a snapshot of those counts catches regressions.

use std::fmt;

/// One finding about one page.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Path relative to the docs root.
    pub file: String,
    /// 1-based line (0 when the finding is about the whole file).
    pub line: u32,
    /// What sort of problem it is.
    pub kind: DiagnosticKind,
    /// Human-readable detail.
    pub message: String,
}

/// Kinds of diagnostics, stable names for summaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DiagnosticKind {
    /// The file could not be read or is not UTF-8.
    Unreadable,
    /// YFM syntax the pre-pass could not follow (unclosed table or directive...).
    Syntax,
    /// An `{% include %}` whose target does not exist.
    MissingInclude,
    /// A method page whose wire name could not be determined.
    NoMethodName,
    /// A parameter table row the reader could not interpret.
    ParamRow,
    /// A type that is not in the type grammar after normalisation.
    UnknownType,
    /// A nested-field link (anchor or heading) that leads nowhere.
    BrokenAnchor,
    /// A fields table that no field links to (nesting may be lost).
    UnlinkedTable,
    /// An error table or row that could not be interpreted.
    ErrorTable,
    /// An example that should be JSON but does not parse.
    BadExample,
    /// Two pages describe the same method; the first one is kept.
    DuplicateMethod,
    /// The extracted method fails spec validation.
    Invalid,
    /// The page's example sends a value in another shape than its table documents.
    WireShape,
    /// A nesting or work limit was reached; the part past it is flattened or the page skipped.
    Limit,
    /// Invalid UTF-8 or NUL characters, replaced or removed.
    Encoding,
    /// A page with no content (its method, if any, is lost).
    EmptyPage,
    /// An `{% include %}` that leads outside the docs root; not followed.
    OutsideRoot,
    /// A table laid out like a fields table whose header was not recognised; its rows are not
    /// read.
    UnreadTable,
    /// A parameters section that refers to a page that documents no parameters.
    UnresolvedReference,
    /// An event page whose event name could not be determined.
    NoEventName,
    /// Two pages document the same event; the first one (by path) is kept.
    DuplicateEvent,
}

impl DiagnosticKind {
    /// The stable name used in summaries and snapshots.
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticKind::Unreadable => "unreadable",
            DiagnosticKind::Syntax => "syntax",
            DiagnosticKind::MissingInclude => "missing-include",
            DiagnosticKind::NoMethodName => "no-method-name",
            DiagnosticKind::ParamRow => "param-row",
            DiagnosticKind::UnknownType => "unknown-type",
            DiagnosticKind::BrokenAnchor => "broken-anchor",
            DiagnosticKind::UnlinkedTable => "unlinked-table",
            DiagnosticKind::ErrorTable => "error-table",
            DiagnosticKind::BadExample => "bad-example",
            DiagnosticKind::DuplicateMethod => "duplicate-method",
            DiagnosticKind::Invalid => "invalid",
            DiagnosticKind::WireShape => "wire-shape",
            DiagnosticKind::Limit => "limit",
            DiagnosticKind::Encoding => "encoding",
            DiagnosticKind::EmptyPage => "empty-page",
            DiagnosticKind::OutsideRoot => "outside-root",
            DiagnosticKind::UnreadTable => "unread-table",
            DiagnosticKind::UnresolvedReference => "unresolved-reference",
            DiagnosticKind::NoEventName => "no-event-name",
            DiagnosticKind::DuplicateEvent => "duplicate-event",
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.file,
            self.line,
            self.kind.as_str(),
            self.message
        )
    }
}

/// Collects diagnostics for one page.
#[derive(Debug)]
pub struct Sink {
    file: String,
    /// What was reported so far.
    pub items: Vec<Diagnostic>,
}

impl Sink {
    /// A sink for the page at `file`.
    pub fn new(file: impl Into<String>) -> Self {
        Sink {
            file: file.into(),
            items: Vec::new(),
        }
    }

    /// Records a finding.
    pub fn report(&mut self, line: u32, kind: DiagnosticKind, message: impl Into<String>) {
        self.items.push(Diagnostic {
            file: self.file.clone(),
            line,
            kind,
            message: message.into(),
        });
    }
}
