//! The generated crate's `Cargo.toml`: one feature per API group, `full` for all of them.

use std::fmt::Write as _;

use crate::model::CrateModel;

/// `Cargo.toml` of the generated crate (without the generated-file header).
pub fn cargo_toml(model: &CrateModel) -> String {
    let mut out = String::new();
    out.push_str(
        r#"[package]
name = "bitrix24"
version = "0.1.0"
description = "Typed client for the Bitrix24 REST API, generated from the official documentation"
edition.workspace = true
rust-version.workspace = true
license.workspace = true
publish.workspace = true
keywords = ["bitrix24", "rest", "api", "crm", "client"]
categories = ["api-bindings", "web-programming::http-client"]

[lib]
# Doc comments quote the upstream docs, whose snippets are not Rust.
doctest = false

[features]
default = []
"#,
    );
    let features: Vec<String> = model
        .groups
        .iter()
        .map(|g| format!("\"{}\"", g.feature))
        .collect();
    let _ = writeln!(out, "full = [{}]", features.join(", "));
    for g in &model.groups {
        let _ = writeln!(out, "{} = []", g.feature);
    }
    out.push_str(
        "# A ready axum handler for incoming events (`event::handler`).\naxum = [\"dep:axum\"]\n",
    );
    out.push_str(
        r#"
[dependencies]
axum = { workspace = true, optional = true }
bitrix24-runtime = { path = "../crates/runtime", version = "0.1.0" }
chrono.workspace = true
futures.workspace = true
serde.workspace = true
serde_json.workspace = true

[dev-dependencies]
b24-spec.workspace = true
"#,
    );
    out
}
