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
mod emit_enums;
mod emit_errors;
mod emit_events;
mod emit_group;
mod emit_lib;
mod emit_struct;
pub mod entities;
mod entity_fit;
pub mod enums;
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

pub use render::{HASH_HEADER, RUST_HEADER};

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
    generate_reported(spec).map(|(files, _)| files)
}

/// [`generate`], with how much of the API the crate types.
pub fn generate_reported(
    spec: &Spec,
) -> Result<(BTreeMap<PathBuf, String>, typing::TypingReport), EmitError> {
    let model = build::build(spec);
    let report = typing::report(spec, &model);
    let mut rust: Vec<(String, String)> = Vec::new();
    let mut add = |path: String, tokens| -> Result<(), EmitError> {
        let text = render::rust_file(&path, tokens)?;
        rust.push((path, text));
        Ok(())
    };
    add("src/lib.rs".into(), emit_lib::lib_module(&model))?;
    add("src/v3.rs".into(), emit_lib::v3_module(&model))?;
    add(
        "src/error_code.rs".into(),
        emit_errors::error_code_module(&model.errors),
    )?;
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
    add(
        "src/event.rs".into(),
        emit_events::event_module(&model.events),
    )?;
    add("src/calls.rs".into(), emit_lib::calls_module(&call_files))?;
    for (api, module, root) in &call_files {
        add(
            format!("src/calls/{module}.rs"),
            emit_calls::root_file(&model, *api, root),
        )?;
    }
    for group in &model.groups {
        if !group.v2.is_empty() || !group.entities.is_empty() {
            add(
                format!("src/{}.rs", group.module),
                emit_group::group_module(group, ApiVersion::V2),
            )?;
        }
        if !group.v3.is_empty() {
            add(
                format!("src/v3/{}.rs", group.module),
                emit_group::group_module(group, ApiVersion::V3),
            )?;
        }
    }
    let gate = "tests/examples.rs";
    rust.push((
        gate.to_owned(),
        render::rust_template(gate, &examples::examples_test(spec, &model))?,
    ));
    for (name, source) in TEMPLATES {
        let path = format!("src/{name}");
        let text = render::rust_template(&path, source)?;
        rust.push((path, text));
    }
    render::rustfmt_all(&mut rust)?;
    let mut files: BTreeMap<PathBuf, String> = rust
        .into_iter()
        .map(|(p, t)| (PathBuf::from(p), t))
        .collect();
    files.insert(
        "Cargo.toml".into(),
        render::hashed(&manifest::cargo_toml(&model)),
    );
    files.insert(
        "ERRORS.md".into(),
        render::hashed(&errors_md::errors_md(&model.errors)),
    );
    Ok((files, report))
}

/// The hand-written parts of the generated crate, formatted like the rest.
const TEMPLATES: [(&str, &str); 6] = [
    ("event_axum.rs", include_str!("../templates/event_axum.rs")),
    ("filter.rs", include_str!("../templates/filter.rs")),
    ("date.rs", include_str!("../templates/date.rs")),
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
