//! Normalising documented types into the spec's type grammar.
//!
//! The docs write `string[]`, ```string|null```, `[`integer`](..) \| [`string`](..)`,
//! `array of string`, `_crm_company_`; all become canonical [`TypeExpr`]s. Entity types such as
//! `crm_contact` or `catalog_product.id` are kept by name.

use std::borrow::Cow;
use std::sync::LazyLock;

use b24_spec::TypeExpr;
use regex::Regex;

static REFERENCE_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[([^\[\]]*(?:\[\])*)\]\[[^\]]*\]").expect("reference link pattern")
});

/// Parses a documented type. `Err` carries the text that did not fit the grammar.
pub fn normalise(raw: &str) -> Result<Option<TypeExpr>, String> {
    if let Some(ty) = plain_name(raw) {
        return Ok(Some(ty));
    }
    // Reference-style links (`[integer][1]`) are not resolved inside table cells; every match
    // of the pattern holds `][`. Most types hold no such link, no escape, slash, backtick or
    // no-break space: they are used as they are, without the regex and the copies (this runs
    // on every row of every fields table).
    let unlinked = if raw.contains("][") {
        REFERENCE_LINK.replace_all(raw, "$1")
    } else {
        Cow::Borrowed(raw)
    };
    let cleaned = if unlinked.contains(['\\', '/', '`', '\u{a0}']) {
        Cow::Owned(
            unlinked
                .replace("\\|", "|")
                .replace('/', "|")
                .replace(['`', '\u{a0}'], " "),
        )
    } else {
        unlinked
    };
    let cleaned = cleaned.trim().trim_end_matches(['.', ',', ';', ':']).trim();
    if cleaned.is_empty() {
        return Ok(None);
    }
    let mut alternatives = Vec::new();
    for part in split_alternatives(cleaned) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        alternatives.push(term(part).ok_or_else(|| cleaned.to_owned())?);
    }
    Ok(TypeExpr::union(alternatives))
}

/// The common case, `string` or `integer[]`: an ASCII name (letters, digits, inner
/// underscores) with at most one array suffix. Every step of the general path leaves such a
/// text as it is (nothing to unlink, clean, trim or split, no prose prefix), so it is the
/// named type, made canonical, without the copies.
fn plain_name(raw: &str) -> Option<TypeExpr> {
    let (name, array) = match raw.strip_suffix("[]") {
        Some(name) => (name, true),
        None => (raw, false),
    };
    let bytes = name.as_bytes();
    let plain = bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'_');
    if !plain {
        return None;
    }
    let named = TypeExpr::Named(name.to_owned());
    Some(canonical(if array { named.array_of() } else { named }))
}

fn split_alternatives(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    for piece in text.split('|') {
        for sub in piece.split(" or ") {
            parts.extend(sub.split(','));
        }
    }
    parts
}

fn term(part: &str) -> Option<TypeExpr> {
    let part = part.trim().trim_matches(|c| c == '_' || c == '*').trim();
    // Most parts are lower-case ASCII already: their lower case is the part itself.
    let lower = if part
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        Cow::Borrowed(part)
    } else {
        Cow::Owned(part.to_lowercase())
    };
    for prefix in ["array of ", "list of "] {
        if lower.starts_with(prefix) {
            return term(&part[prefix.len()..]).map(TypeExpr::array_of);
        }
    }
    // `array<integer>`, the generic spelling.
    if let Some(inner) = lower
        .strip_prefix("array<")
        .and_then(|r| r.strip_suffix('>'))
    {
        return term(&part[6..6 + inner.len()]).map(TypeExpr::array_of);
    }
    if let Some(inner) = part.strip_prefix("[]") {
        return term(inner).map(TypeExpr::array_of);
    }
    // `integer []` is a spacing slip; `see below` is prose.
    let compact = if part.contains(" []") {
        Cow::Owned(part.replace(" []", "[]"))
    } else {
        Cow::Borrowed(part)
    };
    if compact.contains(char::is_whitespace) {
        return None;
    }
    let parsed = TypeExpr::parse(&compact).ok()?;
    // Only single names (with array suffixes) here; a union was split above.
    parsed.base_name().is_some().then(|| canonical(parsed))
}

/// Short spellings of the basic types (`int`, `bool`) mean the documented basic type; the
/// docs use both, and a respelling must not look like a type change.
fn canonical(ty: TypeExpr) -> TypeExpr {
    match ty {
        TypeExpr::Named(name) => TypeExpr::Named(match name.as_str() {
            "int" | "Integer" | "INTEGER" | "Int" => "integer".to_owned(),
            "bool" | "Boolean" | "BOOLEAN" | "Bool" => "boolean".to_owned(),
            "String" | "STRING" | "str" => "string".to_owned(),
            _ => name,
        }),
        TypeExpr::Array(inner) => canonical(*inner).array_of(),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(raw: &str) -> String {
        normalise(raw)
            .unwrap()
            .map(|t| t.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn spellings_of_unions_and_arrays() {
        assert_eq!(norm("string|null"), "string | null");
        assert_eq!(norm("string \\| null"), "string | null");
        assert_eq!(norm("`integer` | `string`"), "integer | string");
        assert_eq!(norm("integer or string"), "integer | string");
        assert_eq!(norm("array of string"), "string[]");
        assert_eq!(norm("object[]"), "object[]");
        assert_eq!(norm("string[] | null"), "string[] | null");
        assert_eq!(norm("_crm_company_"), "crm_company");
        assert_eq!(norm("catalog_product.id"), "catalog_product.id");
        assert_eq!(norm("integer |"), "integer");
        assert_eq!(norm("[integer][1]"), "integer");
        assert_eq!(norm("[user[]][1]"), "user[]");
        assert_eq!(norm("object / array"), "object | array");
        assert_eq!(norm("integer/array"), "integer | array");
        assert_eq!(norm("array<integer>"), "integer[]");
        assert_eq!(norm("int[] | bool"), "integer[] | boolean");
        assert_eq!(norm(""), "");
        assert_eq!(norm("string[][]"), "string");
        assert_eq!(norm("Int"), "integer");
        assert_eq!(norm("crm_item[]"), "crm_item[]");
    }

    /// The shortcut for plain names agrees with the general path on every shape it takes.
    #[test]
    fn plain_names_read_as_the_general_path_reads_them() {
        for raw in [
            "string",
            "Int",
            "BOOLEAN[]",
            "crm_item",
            "a1",
            "x[]",
            "user_field_id",
        ] {
            let fast = plain_name(raw);
            assert!(fast.is_some(), "{raw}");
            assert_eq!(
                fast,
                term(raw).and_then(|t| TypeExpr::union(vec![t])),
                "{raw}"
            );
        }
        for raw in ["_x_", "x_", "1x", "a.b", "x[][]", "a b", "[]x", ""] {
            assert_eq!(plain_name(raw), None, "{raw}");
        }
    }

    #[test]
    fn prose_is_not_a_type() {
        assert!(normalise("see the table below").is_err());
    }
}
