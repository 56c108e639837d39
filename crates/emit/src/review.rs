//! Plain-text reports of the emitter's decisions, for snapshot review: the full wire-name →
//! Rust-name table and the documented type names and their mapping.

use std::fmt::Write as _;

use crate::model::{CrateModel, StructModel};

/// Every wire name and the Rust name it became, module by module.
pub fn naming_table(model: &CrateModel) -> String {
    let mut out = String::new();
    for g in &model.groups {
        let _ = writeln!(
            out,
            "group {} → feature {}, module {}",
            g.group, g.feature, g.module
        );
        for e in &g.entities {
            let _ = writeln!(out, "  entity {} → {}", e.id, e.model.name);
            struct_names(&mut out, &e.model);
        }
        for m in g.v2.iter().chain(&g.v3) {
            let _ = writeln!(
                out,
                "  {} ({}) → {} / {}",
                m.wire, m.api, m.type_name, m.call
            );
            for s in std::iter::once(&m.request).chain(&m.nested) {
                struct_names(&mut out, s);
            }
        }
    }
    out.push_str("error codes\n");
    for c in &model.errors.codes {
        let _ = writeln!(out, "  {} → ErrorCode::{}", c.code, c.variant);
    }
    out
}

fn struct_names(out: &mut String, s: &StructModel) {
    let _ = writeln!(out, "    struct {}", s.name);
    for f in &s.fields {
        let _ = writeln!(out, "      {} → {}", f.wire, f.ident);
    }
}

/// Documented type name → Rust mapping.
pub fn type_table(model: &CrateModel) -> String {
    let mut out = String::new();
    for (name, mapped) in &model.type_log.names {
        let _ = writeln!(out, "{name} → {mapped}");
    }
    out
}
