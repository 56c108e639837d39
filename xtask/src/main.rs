//! `cargo xtask`: the maintainers' commands (rust-analyzer style: plain Rust, no make, no scripts).
//!
//! Each subcommand lives in its own module; this file only parses arguments and dispatches.

mod bench_codegen;
mod codegen;
mod docs_lint;
mod docs_source;
mod examples;
mod extract;
mod format_cache;
mod openapi;
mod output_memo;
mod spec_diff;
mod sync;
mod timings;

use clap::{Parser, Subcommand};

// Extraction builds a large tree of small strings; mimalloc makes a full run markedly faster
// (measured by `cargo bench -p b24-docs --bench extract`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(name = "cargo xtask", about = "Maintainer commands for b24-codegen")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// docs → spec/ (when a docs checkout is given) → generated/.
    Codegen(codegen::Args),
    /// Print the whole spec as one JSON document (for tools).
    Spec(extract::SpecArgs),
    /// What changed for users between two specs (spec dirs, docs checkouts or git revisions).
    SpecDiff(spec_diff::Args),
    /// Run the strict example gate and write its per-method table.
    Examples(examples::Args),
    /// The docs-quality report for upstream maintainers (markdown docs, grouped by page).
    DocsLint(docs_lint::Args),
    /// spec/ → the OpenAPI 3.1 document (openapi/bitrix24.openapi.json).
    Openapi(openapi::Args),
    /// Time whole `codegen` runs (warm, trees made, cold), each in its own process.
    BenchCodegen(bench_codegen::Args),
    /// Serve a local Bitrix24 portal built from spec/ (`bitrix24-mock`).
    Mock(bitrix24_mock::cli::Args),
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Codegen(args) => codegen::run(args),
        Command::Spec(args) => extract::print_spec(args),
        Command::SpecDiff(args) => spec_diff::run(args),
        Command::Examples(args) => examples::run(args),
        Command::DocsLint(args) => docs_lint::run(args),
        Command::Openapi(args) => openapi::run(args),
        Command::BenchCodegen(args) => bench_codegen::run(args),
        Command::Mock(args) => bitrix24_mock::cli::run_blocking(args).map_err(anyhow::Error::msg),
    }
}
