//! Renders `docs/spec-diff-rules.md`, the reviewers' table of every rule, from [`Rule::ALL`].
//! The `rules_doc` test fails (and rewrites the file) when the committed copy is stale.

use crate::change::Level;
use crate::rules::Rule;

/// The path of the rendered table, relative to the repository root.
pub const RULES_DOC: &str = "docs/spec-diff-rules.md";

/// The full text of `docs/spec-diff-rules.md`.
pub fn render() -> String {
    let mut out = String::from(
        "<!-- @generated from crates/diff/src/rules.rs by the rules_doc test (cargo test -p b24-spec-diff); do not edit -->\n\
         # Spec diff rules\n\n\
         `cargo xtask spec-diff OLD NEW` compares two specs and reports each change under one of these rules.\n\
         Methods are matched by wire name and API version, parameters and result fields by dotted path\n\
         (`fields.TITLE`), errors by code; so a moved page is `page-moved` and a reordered table is no change.\n\
         Events (`event:ONCRMDEALADD`) are matched by their name as sent, payload members by dotted path (`data.FIELDS.ID`).\n\n\
         Levels:\n\n",
    );
    for level in Level::ALL {
        out.push_str(&format!("- **{level}**: {}\n", level_meaning(level)));
    }
    out.push_str("\n| Rule id | Level | What it detects |\n|---|---|---|\n");
    for rule in Rule::ALL {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            rule.id(),
            rule.level(),
            rule.summary().replace('|', "\\|")
        ));
    }
    out.push_str(
        "\nA change id is `<rule> <method>(<api>) [<subject>]`, e.g.\n\
         `param-became-required crm.deal.add(v2) fields.TITLE`; `system-errors` stands for the method\n\
         for the system error catalogue, and `\"\"` for the empty error code. `spec/accepted-changes.txt`\n\
         lists accepted changes by these ids.\n",
    );
    out
}

fn level_meaning(level: Level) -> &'static str {
    match level {
        Level::Err => "breaks Rust callers (code that compiled or worked no longer does); fails `--fail-on err` unless accepted",
        Level::Warn => "may break callers at run time, or needs a reviewer's eye",
        Level::Info => "compatible",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_row() {
        let doc = render();
        for rule in Rule::ALL {
            assert!(doc.contains(&format!("| `{}` | {} |", rule.id(), rule.level())));
        }
    }
}
