//! The Rust emitter: a Bitrix24 [`Spec`] in, every file of the generated `bitrix24` crate out.
//!
//! The pipeline is spec → emit model ([`build`]: names, types, modules and features decided once,
//! by [`naming`] and [`types`]) → `quote!` tokens → `syn::File` → prettyplease → rustfmt (piped,
//! so the output is what `cargo fmt` keeps). Nothing here touches the file system: [`generate`]
//! returns paths and contents, and the caller (`cargo xtask codegen`) writes them, removes
//! orphans ([`is_generated_path`]) and implements `--check`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

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
pub mod layout;
mod list_items;
mod manifest;
pub mod model;
pub mod naming;
mod render;
pub mod review;
pub mod timings;
pub mod types;
pub mod typing;

use render::Unformatted;
pub use render::{FormatCache, NoCache, HASH_HEADER, RUST_HEADER};
pub use timings::EmitTimings;

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
    generate_reported(spec, &NoCache).map(|generated| generated.files)
}

/// What [`generate_reported`] made: the files, the typing report and where the time went.
#[derive(Debug)]
pub struct Generated {
    /// Every file of `generated/`, relative path → contents.
    pub files: BTreeMap<PathBuf, String>,
    /// How much of the API the crate types.
    pub typing: typing::TypingReport,
    /// Phase times, for `codegen --timings`.
    pub timings: EmitTimings,
}

/// [`generate`], with how much of the API the crate types and where the time went; files
/// whose unformatted source `cache` knows are not formatted again.
pub fn generate_reported(spec: &Spec, cache: &dyn FormatCache) -> Result<Generated, EmitError> {
    let mut timings = EmitTimings::default();
    let started = Instant::now();
    let model = build::build(spec);
    timings.model = started.elapsed();
    let started = Instant::now();
    let report = typing::report(spec, &model);
    timings.typing = started.elapsed();
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
    let types = layout::TYPES_DIR;
    jobs.push(Unformatted::tokens(
        format!("{types}/src/lib.rs"),
        emit_lib::types_root,
    ));
    jobs.push(Unformatted::tokens(
        format!("{types}/src/error_code.rs"),
        || emit_errors::error_code_module(&model.errors),
    ));
    jobs.push(Unformatted::tokens(format!("{types}/src/event.rs"), || {
        emit_events::event_name_module(&model.events)
    }));
    for group in &model.groups {
        let dir = layout::group_dir(&group.feature);
        for (path, file) in emit_group::group_crate_files(group) {
            jobs.push(Unformatted::tokens(format!("{dir}/{path}"), move || {
                emit_group::group_file_tokens(group, &file)
            }));
        }
    }
    jobs.push(Unformatted::text("tests/examples.rs".into(), || {
        examples::examples_test(spec, model)
    }));
    for (path, source) in TEMPLATES {
        jobs.push(Unformatted::text(path.to_owned(), move || {
            source.to_owned()
        }));
    }
    let started = Instant::now();
    let formatted = render::format_all(jobs, cache)?;
    timings.jobs_wall = started.elapsed();
    let mut files = BTreeMap::new();
    for (path, text, job) in formatted {
        timings.add(job);
        files.insert(PathBuf::from(path), text);
    }
    files.insert(
        "Cargo.toml".into(),
        render::hashed(&manifest::cargo_toml(model)),
    );
    files.insert(
        PathBuf::from(types).join("Cargo.toml"),
        render::hashed(&manifest::types_cargo_toml()),
    );
    for group in &model.groups {
        files.insert(
            PathBuf::from(layout::group_dir(&group.feature)).join("Cargo.toml"),
            render::hashed(&manifest::group_cargo_toml(group)),
        );
    }
    files.insert(
        "ERRORS.md".into(),
        render::hashed(&errors_md::errors_md(&model.errors)),
    );
    Ok(Generated {
        files,
        typing: report,
        timings,
    })
}

/// The hand-written parts of the generated crates, by path, formatted like the rest.
const TEMPLATES: [(&str, &str); 8] = [
    (
        "src/event_axum.rs",
        include_str!("../templates/event_axum.rs"),
    ),
    ("src/call.rs", include_str!("../templates/call.rs")),
    (
        "types/src/filter.rs",
        include_str!("../templates/filter.rs"),
    ),
    ("types/src/wire.rs", include_str!("../templates/wire.rs")),
    ("types/src/file.rs", include_str!("../templates/file.rs")),
    ("types/src/date.rs", include_str!("../templates/date.rs")),
    ("types/src/keyed.rs", include_str!("../templates/keyed.rs")),
    (
        "types/src/field_description.rs",
        include_str!("../templates/field_description.rs"),
    ),
];

/// Whether the generator owns this path (relative to `generated/`): everything it can write.
/// Files it owns but no longer writes are orphans for the caller to delete.
pub fn is_generated_path(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str());
    let crate_dir = |dir: &Path| {
        dir == Path::new("")
            || dir == Path::new(layout::TYPES_DIR)
            || (dir.parent() == Some(Path::new("groups")))
    };
    let in_crate = |rest: &Path| {
        rest == Path::new("Cargo.toml") || (rest.starts_with("src") && ext == Some("rs"))
    };
    let owned_by_a_crate = path
        .ancestors()
        .skip(1)
        .any(|dir| crate_dir(dir) && path.strip_prefix(dir).is_ok_and(in_crate));
    owned_by_a_crate || path == Path::new("ERRORS.md") || path == Path::new("tests/examples.rs")
}
