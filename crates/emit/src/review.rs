//! Plain-text reports of the emitter's decisions, for snapshot review: the full wire-name →
//! Rust-name table, the documented type names and their mapping, and the example check.

use std::fmt::Write as _;

use crate::examples::ExampleReport;
use crate::model::{CrateModel, StructModel};

/// Every wire name and the Rust name it became, module by module.
pub fn naming_table(model: &CrateModel) -> String {
    let mut out = String::new();
    for g in &model.groups {
        let _ = writeln!(
            out,
            "group {} → feature {}, module {}, accessor {}",
            g.group, g.feature, g.module, g.accessor
        );
        for m in g.v2.iter().chain(&g.v3) {
            let _ = writeln!(
                out,
                "  {} ({}) → {} / fn {}",
                m.wire, m.api, m.type_name, m.fn_name
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

/// Counts and every discrepancy between examples and their pages.
pub fn example_table(report: &ExampleReport) -> String {
    let mut out = String::new();
    let listed_fatal = report.discrepancies.iter().filter(|d| d.fatal).count();
    let _ = writeln!(
        out,
        "requests: {} tried, {} tested; responses: {} tried, {} tested; {} discrepancies ({} fatal)",
        report.requests_tried,
        report.requests_tested,
        report.responses_tried,
        report.responses_tested,
        report.discrepancies.len(),
        listed_fatal
    );
    for d in &report.discrepancies {
        let kind = if d.fatal { "untestable" } else { "note" };
        let _ = writeln!(
            out,
            "{} {} {}: {} [{kind}]",
            d.method, d.example, d.path, d.problem
        );
    }
    out
}
