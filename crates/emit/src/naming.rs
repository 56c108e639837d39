//! Every Rust identifier the emitter writes comes from here: wire names in, valid, idiomatic and
//! collision-free Rust names out.
//!
//! Bitrix24 wire names mix `SCREAMING_CASE`, `camelCase`, symbols (`>=DATE`, `select[]`) and
//! digits (`ufCrm5_1700000000`); two of them can fold to one Rust name (`TYPE_ID` and `typeId`).
//! [`Namespace`] hands out names in a fixed order and suffixes later duplicates, so the mapping is
//! deterministic and reviewable (see the wire-name → Rust-name snapshot test).

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict and reserved, all editions) that cannot be used as plain identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Words symbols in wire names stand for, so `>=DATE` and `DATE` stay distinguishable.
const SYMBOL_WORDS: &[(char, &str)] = &[
    ('>', "gt"),
    ('<', "lt"),
    ('=', "eq"),
    ('!', "not"),
    ('%', "like"),
    ('@', "in"),
    ('*', "any"),
];

/// A `snake_case` identifier for a field, function or module.
pub fn snake(wire: &str) -> String {
    let words = spell_symbols(wire).to_snake_case();
    let ident = ascii_ident(&words, '_');
    let ident = if ident.is_empty() {
        "field".to_owned()
    } else if ident.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{ident}")
    } else {
        ident
    };
    unkeyword(ident)
}

/// An `UpperCamelCase` identifier for a type or enum variant.
pub fn pascal(wire: &str) -> String {
    let words = spell_symbols(wire).to_upper_camel_case();
    let ident = ascii_ident(&words, '\0');
    if ident.is_empty() {
        "Unnamed".to_owned()
    } else if ident.starts_with(|c: char| c.is_ascii_digit()) {
        format!("N{ident}")
    } else {
        unkeyword(ident)
    }
}

/// The variant name of an error code. REST 3.0 sends exception class names upper-cased with
/// their words run together (`BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION`); those become
/// `V3AccessDenied`, the run-together words split by `vocabulary` (every word of the error
/// catalogue's codes and messages) where they split completely.
pub fn error_variant(code: &str, vocabulary: &BTreeSet<String>) -> String {
    const V3: &str = "BITRIX_REST_V3_";
    let upper = code.to_ascii_uppercase();
    let Some(rest) = upper.strip_prefix(V3).filter(|r| r.contains("EXCEPTION")) else {
        return pascal(code);
    };
    let words: Vec<String> = rest
        .split('_')
        .filter(|part| !part.is_empty() && *part != "EXCEPTION")
        .flat_map(|part| {
            let part = part.strip_suffix("EXCEPTION").unwrap_or(part);
            segment(part, vocabulary).unwrap_or_else(|| vec![part.to_owned()])
        })
        .collect();
    pascal(&format!("V3_{}", words.join("_")))
}

/// An upper-case run of words split into vocabulary words where it splits entirely, else kept
/// whole.
pub fn segment_words(word: &str, vocabulary: &BTreeSet<String>) -> Vec<String> {
    segment(word, vocabulary).unwrap_or_else(|| vec![word.to_owned()])
}

/// Splits an upper-case run of words into the fewest vocabulary words, if it splits entirely.
fn segment(word: &str, vocabulary: &BTreeSet<String>) -> Option<Vec<String>> {
    let n = word.len();
    // best[i]: the fewest words covering word[..i], with the start of the last one.
    let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
    best[0] = Some((0, 0));
    for end in 1..=n {
        for start in 0..end {
            let Some((count, _)) = best[start] else {
                continue;
            };
            if !word.is_char_boundary(start) || !word.is_char_boundary(end) {
                continue;
            }
            if vocabulary.contains(&word[start..end])
                && best[end].is_none_or(|(c, _)| count + 1 < c)
            {
                best[end] = Some((count + 1, start));
            }
        }
    }
    best[n]?;
    let mut words = Vec::new();
    let mut end = n;
    while end > 0 {
        let (_, start) = best[end]?;
        words.push(word[start..end].to_owned());
        end = start;
    }
    words.reverse();
    Some(words)
}

/// The upper-cased words (two letters or more) of free text and codes.
pub fn vocabulary<'a>(texts: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    texts
        .into_iter()
        .flat_map(|t| t.split(|c: char| !c.is_ascii_alphanumeric()))
        .flat_map(|w| {
            let snake = w.to_snake_case();
            snake.split('_').map(str::to_owned).collect::<Vec<_>>()
        })
        .filter(|w| w.len() >= 2)
        .map(|w| w.to_ascii_uppercase())
        .collect()
}

/// A cargo feature name for an API group: the group itself when cargo accepts it.
pub fn feature(group: &str) -> String {
    let cleaned: String = group
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    match cleaned.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => cleaned,
        _ => format!("g-{cleaned}"),
    }
}

/// Replaces filter-style symbols with words, and separators with `_`.
fn spell_symbols(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len());
    for c in wire.chars() {
        match SYMBOL_WORDS.iter().find(|(s, _)| *s == c) {
            Some((_, word)) => {
                out.push('_');
                out.push_str(word);
                out.push('_');
            }
            None if c.is_ascii_alphanumeric() => out.push(c),
            None => out.push('_'),
        }
    }
    out
}

/// Keeps ASCII identifier characters; `keep` is the one separator that survives (or `\0`).
fn ascii_ident(words: &str, keep: char) -> String {
    let kept: String = words
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == keep)
        .collect();
    let trimmed = kept.trim_matches('_');
    let mut out = String::with_capacity(trimmed.len());
    for c in trimmed.chars() {
        if !(c == '_' && out.ends_with('_')) {
            out.push(c);
        }
    }
    out
}

fn unkeyword(ident: String) -> String {
    if KEYWORDS.contains(&ident.as_str()) {
        format!("{ident}_")
    } else {
        ident
    }
}

/// One scope of names (a struct's fields, a module's types, an impl's methods): hands out each
/// wanted name once, suffixing `_2`, `_3`... (or `2`, `3` for types) on collision.
#[derive(Clone, Debug, Default)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    /// A namespace where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namespace {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Whether `name` is already handed out (or reserved).
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Claims `wanted`, or the first free suffixed variant of it.
    pub fn claim(&mut self, wanted: String) -> String {
        let separator = if wanted.starts_with(|c: char| c.is_ascii_uppercase()) {
            ""
        } else {
            "_"
        };
        let base = wanted.trim_end_matches('_').to_owned();
        let mut candidate = wanted;
        let mut n = 2;
        while self.taken.contains(&candidate) {
            candidate = format!("{base}{separator}{n}");
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_handles_bitrix_shapes() {
        assert_eq!(snake("TYPE_ID"), "type_id");
        assert_eq!(snake("typeId"), "type_id");
        assert_eq!(snake("ufCrm5_1700000000"), "uf_crm5_1700000000");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("1C_CODE"), "n1c_code");
        assert_eq!(snake(">=DATE_CREATE"), "gt_eq_date_create");
        assert_eq!(snake("select[]"), "select");
        assert_eq!(snake("ÿ"), "field");
    }

    #[test]
    fn pascal_handles_bitrix_shapes() {
        assert_eq!(pascal("deal.add"), "DealAdd");
        assert_eq!(
            pascal("productrow.getAvailableForPayment"),
            "ProductrowGetAvailableForPayment"
        );
        assert_eq!(pascal("ACCESS_DENIED"), "AccessDenied");
        assert_eq!(pascal("404"), "N404");
        assert_eq!(pascal("self"), "Self_");
        assert_eq!(pascal(""), "Unnamed");
    }

    #[test]
    fn namespace_suffixes_collisions_in_claim_order() {
        let mut ns = Namespace::with_reserved(&["new"]);
        assert_eq!(ns.claim(snake("TYPE_ID")), "type_id");
        assert_eq!(ns.claim(snake("typeId")), "type_id_2");
        assert_eq!(ns.claim(snake("new")), "new_2");
        assert_eq!(ns.claim(snake("type")), "type_");
        assert_eq!(ns.claim(snake("TYPE")), "type_2");
        let mut types = Namespace::default();
        assert_eq!(types.claim(pascal("deal.add")), "DealAdd");
        assert_eq!(types.claim(pascal("deal_add")), "DealAdd2");
    }

    #[test]
    fn rest_v3_exception_codes_read_as_words() {
        let vocabulary = vocabulary(["Access denied", "ENTITY_NOT_FOUND", "a DTO validation"]);
        let name = |code: &str| error_variant(code, &vocabulary);
        assert_eq!(
            name("BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION"),
            "V3AccessDenied"
        );
        assert_eq!(
            name("BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION"),
            "V3EntityNotFound"
        );
        assert_eq!(
            name("BITRIX_REST_V3_EXCEPTION_VALIDATION_DTOVALIDATIONEXCEPTION"),
            "V3ValidationDtoValidation"
        );
        // A run that does not split entirely stays one word.
        assert_eq!(name("BITRIX_REST_V3_EXCEPTION_QWERTYEXCEPTION"), "V3Qwerty");
        assert_eq!(name("ACCESS_DENIED"), "AccessDenied");
    }

    #[test]
    fn features_are_valid_cargo_names() {
        assert_eq!(feature("crm"), "crm");
        assert_eq!(feature("chat-bots"), "chat-bots");
        assert_eq!(feature("Sale Center"), "sale-center");
        assert_eq!(feature("1c"), "g-1c");
    }
}
