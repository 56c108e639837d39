//! ASCII case-insensitive text tests, standing in for `text.to_lowercase().contains(..)`.
//!
//! The extractor asks headings, cells and descriptions whether they hold a lower-case ASCII
//! word ("parameter", "default"). A lower-case copy per question cost an allocation and a
//! Unicode pass; these tests read the text in place. They answer exactly as the copy did
//! for needles without `k` or `i`: the only non-ASCII characters whose lower case holds an
//! ASCII letter are the Kelvin sign (→ `k`) and `İ` (→ `i` plus a combining dot, which no
//! ASCII needle can continue past). Callers keep to needles without `k` and not ending in
//! `i`.

/// True when `haystack` contains `needle` (lower-case ASCII) in any ASCII case.
pub fn contains_ascii_ci(haystack: &str, needle: &str) -> bool {
    find_ascii_ci(haystack, needle).is_some()
}

/// Where `haystack` first contains `needle` (lower-case ASCII) in any ASCII case.
pub fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    debug_assert!(
        !needle
            .bytes()
            .any(|b| b.is_ascii_uppercase() || !b.is_ascii()),
        "needle must be lower-case ASCII: {needle}"
    );
    let (hay, pat) = (haystack.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = pat.split_first() else {
        return Some(0);
    };
    if hay.len() < pat.len() {
        return None;
    }
    let last_start = hay.len() - pat.len();
    let mut from = 0;
    // Candidates by the first byte in either case (memchr), then the rest compared in place.
    while let Some(at) = memchr::memchr2(first, first.to_ascii_uppercase(), &hay[from..=last_start])
    {
        let start = from + at;
        if hay[start + 1..start + pat.len()].eq_ignore_ascii_case(rest) {
            return Some(start);
        }
        from = start + 1;
    }
    None
}

/// `text` in lower case, in place when it is ASCII (as `to_lowercase` would make it).
pub fn lower_owned(mut text: String) -> String {
    if text.is_ascii() {
        text.make_ascii_lowercase();
        text
    } else {
        text.to_lowercase()
    }
}

/// True when `text` starts with `prefix` (lower-case ASCII) in any ASCII case.
pub fn starts_with_ascii_ci(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_as_a_lower_case_copy_does() {
        let texts = [
            "",
            "Default",
            "by DEFAULT, `Y`",
            "defaul",
            "xdefaultx",
            "Параметры parameter",
            "PARAMETERS",
            "parametr",
            "d",
            "ddefault",
            "Fİeld field",
            "Fİeld",
        ];
        for text in texts {
            for needle in ["default", "parameter", "field", "d", "", "error"] {
                let lower = text.to_lowercase();
                assert_eq!(
                    contains_ascii_ci(text, needle),
                    lower.contains(needle),
                    "{text:?} / {needle:?}"
                );
                assert_eq!(
                    starts_with_ascii_ci(text, needle),
                    lower.starts_with(needle),
                    "{text:?} / {needle:?}"
                );
            }
        }
        assert_eq!(find_ascii_ci("a Default", "default"), Some(2));
    }
}
