//! The generated crates' `Cargo.toml`s: `bitrix24` with one feature per API group (each
//! pulling in that group's crate) and `full` for all of them; `bitrix24-types`; one per group.

use std::fmt::Write as _;

use crate::layout;
use crate::model::{CrateModel, GroupModel};

/// What every generated crate's `[package]` shares.
const PACKAGE_COMMON: &str = r#"edition.workspace = true
rust-version.workspace = true
license.workspace = true
publish.workspace = true
"#;

/// `Cargo.toml` of `bitrix24-types` (without the header).
pub fn types_cargo_toml() -> String {
    format!(
        r#"[package]
name = "bitrix24-types"
version = "0.1.0"
description = "Types shared by the crates of the generated Bitrix24 client; use them through `bitrix24`"
{PACKAGE_COMMON}
[lib]
doctest = false
test = false

[dependencies]
bitrix24-runtime = {{ path = "../../crates/runtime", version = "0.1.0" }}
chrono.workspace = true
indexmap.workspace = true
serde.workspace = true
serde_json.workspace = true
"#
    )
}

/// `Cargo.toml` of one group's crate (without the header).
pub fn group_cargo_toml(group: &GroupModel) -> String {
    format!(
        r#"[package]
name = "{name}"
version = "0.1.0"
description = "The `{group}` group of the generated Bitrix24 client; use it through `bitrix24` (feature `{feature}`)"
{PACKAGE_COMMON}
[lib]
doctest = false
test = false

[dependencies]
bitrix24-runtime = {{ path = "../../../crates/runtime", version = "0.1.0" }}
bitrix24-types = {{ path = "../../types", version = "0.1.0" }}
serde.workspace = true
serde_json.workspace = true
"#,
        name = layout::group_crate(&group.feature),
        group = group.group,
        feature = group.feature,
    )
}

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
        let _ = writeln!(
            out,
            "{} = [\"dep:{}\"]",
            g.feature,
            layout::group_crate(&g.feature)
        );
    }
    out.push_str(
        "# A ready axum handler for incoming events (`event::handler`).\naxum = [\"dep:axum\"]\n",
    );
    out.push_str(
        r#"
[dependencies]
axum = { workspace = true, optional = true }
bitrix24-runtime = { path = "../crates/runtime", version = "0.1.0" }
bitrix24-types = { path = "types", version = "0.1.0" }
futures.workspace = true
serde.workspace = true
serde_json.workspace = true
"#,
    );
    for g in &model.groups {
        let _ = writeln!(
            out,
            "{} = {{ path = \"{}\", version = \"0.1.0\", optional = true }}",
            layout::group_crate(&g.feature),
            layout::group_dir(&g.feature)
        );
    }
    out.push_str(
        r#"
[dev-dependencies]
b24-spec.workspace = true
"#,
    );
    out
}
