//! The Rust emitter: a Bitrix24 [`Spec`] in, every file of the generated `bitrix24` crate out.
//!
//! The pipeline is spec → emit model ([`build`]: names, types, modules and features decided once,
//! by [`naming`] and [`types`]) → `quote!` tokens → `syn::File` → prettyplease → rustfmt (piped,
//! so the output is what `cargo fmt` keeps). Nothing here touches the file system: [`generate`]
//! returns paths and contents, and the caller (`cargo xtask codegen`) writes them, removes
//! orphans ([`is_generated_path`]) and implements `--check`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use b24_spec::{ApiVersion, Spec};

pub mod build;
pub mod calls;
mod doc_text;
pub mod docs;
mod emit_calls;
mod emit_errors;
mod emit_events;
mod emit_group;
mod emit_lib;
mod emit_struct;
pub mod entities;
mod entity_fit;
pub mod error_catalogue;
mod errors_md;
pub mod events;
pub mod examples;
mod list_items;
mod manifest;
pub mod model;
pub mod naming;
mod render;
pub mod review;
pub mod types;
pub mod typing;

use render::Unformatted;
pub use render::{FormatCache, NoCache, HASH_HEADER, RUST_HEADER};

/// Why the crate could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    /// Emitted tokens did not parse as Rust: an emitter bug, reported with the file.
    #[error("generated {file} is not valid Rust: {message}")]
    Syntax {
        /// The generated file.
        file: String,
        /// The parser's message.
        message: String,
    },
    /// rustfmt is missing or refused a generated file.
    #[error("rustfmt on generated {file}: {message}")]
    Rustfmt {
        /// The generated file.
        file: String,
        /// What went wrong.
        message: String,
    },
}

/// Every file of `generated/`, relative path → contents.
pub fn generate(spec: &Spec) -> Result<BTreeMap<PathBuf, String>, EmitError> {
    generate_reported(spec, &NoCache).map(|(files, _)| files)
}

/// [`generate`], with how much of the API the crate types; files whose unformatted source
/// `cache` knows are not formatted again.
pub fn generate_reported(
    spec: &Spec,
    cache: &dyn FormatCache,
) -> Result<(BTreeMap<PathBuf, String>, typing::TypingReport), EmitError> {
    let model = build::build(spec);
    let report = typing::report(spec, &model);
    let mut call_files = Vec::new();
    let mut call_modules = naming::Namespace::default();
    for (api, tree, prefix) in [
        (ApiVersion::V2, &model.calls_v2, ""),
        (ApiVersion::V3, &model.calls_v3, "v3_"),
    ] {
        for root in &tree.children {
            let module = call_modules.claim(format!("{prefix}{}", root.fn_name));
            call_files.push((api, module, root));
        }
    }
    // Each file's source is made and formatted on rayon's pool; tokens cannot cross threads,
    // so each job builds its tokens where it runs and hands on their text.
    let mut jobs: Vec<Unformatted<'_>> = Vec::new();
    let model = &model;
    jobs.push(Unformatted::tokens("src/lib.rs".into(), || {
        emit_lib::lib_module(model)
    }));
    jobs.push(Unformatted::tokens("src/v3.rs".into(), || {
        emit_lib::v3_module(model)
    }));
    jobs.push(Unformatted::tokens("src/error_code.rs".into(), || {
        emit_errors::error_code_module(&model.errors)
    }));
    jobs.push(Unformatted::tokens("src/event.rs".into(), || {
        emit_events::event_module(&model.events)
    }));
    let call_files = &call_files;
    jobs.push(Unformatted::tokens("src/calls.rs".into(), move || {
        emit_lib::calls_module(call_files)
    }));
    for (api, module, root) in call_files {
        jobs.push(Unformatted::tokens(
            format!("src/calls/{module}.rs"),
            move || emit_calls::root_file(model, *api, root),
        ));
    }
    for group in &model.groups {
        if !group.v2.is_empty() || !group.entities.is_empty() {
            jobs.push(Unformatted::tokens(
                format!("src/{}.rs", group.module),
                || emit_group::group_module(group, ApiVersion::V2),
            ));
        }
        if !group.v3.is_empty() {
            jobs.push(Unformatted::tokens(
                format!("src/v3/{}.rs", group.module),
                || emit_group::group_module(group, ApiVersion::V3),
            ));
        }
    }
    jobs.push(Unformatted::text("tests/examples.rs".into(), || {
        examples::examples_test(spec, model)
    }));
    for (name, source) in TEMPLATES {
        jobs.push(Unformatted::text(format!("src/{name}"), move || {
            source.to_owned()
        }));
    }
    let mut files: BTreeMap<PathBuf, String> = render::format_all(jobs, cache)?
        .into_iter()
        .map(|(p, t)| (PathBuf::from(p), t))
        .collect();
    files.insert(
        "Cargo.toml".into(),
        render::hashed(&manifest::cargo_toml(model)),
    );
    files.insert(
        "ERRORS.md".into(),
        render::hashed(&errors_md::errors_md(&model.errors)),
    );
    Ok((files, report))
}

/// The hand-written parts of the generated crate, formatted like the rest.
const TEMPLATES: [(&str, &str); 5] = [
    ("event_axum.rs", include_str!("../templates/event_axum.rs")),
    ("filter.rs", include_str!("../templates/filter.rs")),
    ("wire.rs", include_str!("../templates/wire.rs")),
    ("file.rs", include_str!("../templates/file.rs")),
    ("call.rs", include_str!("../templates/call.rs")),
];

/// Whether the generator owns this path (relative to `generated/`): everything it can write.
/// Files it owns but no longer writes are orphans for the caller to delete.
pub fn is_generated_path(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str());
    let under = |dir: &str| path.starts_with(dir);
    path == Path::new("Cargo.toml")
        || path == Path::new("ERRORS.md")
        || (under("src") && ext == Some("rs"))
        || path == Path::new("tests/examples.rs")
}
