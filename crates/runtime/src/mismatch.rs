//! Describing why a value did not fit its type without quoting the value.
//!
//! serde's messages quote what they got (`invalid type: string "…", expected u64`), and a
//! `result` may hold tokens, passwords or personal data the runtime cannot know to scrub. Typed
//! decode errors keep the JSON path (from `serde_path_to_error`) and what was expected, which
//! come from the type, and drop what was found.

/// A serde error message with every part that can quote the input removed.
pub(crate) fn describe(message: &str) -> String {
    const ELIDED: &str = "value elided";
    // The expectation comes from the type; the last ", expected " is the type's even when the
    // quoted value itself contains that text.
    let expected = message
        .rsplit_once(", expected ")
        .map(|(_, tail)| format!(", expected {tail}"))
        .unwrap_or_default();
    let kind = [
        ("invalid type: ", "invalid type"),
        ("invalid value: ", "invalid value"),
        ("unknown variant ", "unknown variant"),
        ("unknown field ", "unknown field"),
    ]
    .into_iter()
    .find(|(prefix, _)| message.starts_with(prefix));
    if let Some((_, kind)) = kind {
        return format!("{kind} ({ELIDED}){expected}");
    }
    // Field names and lengths come from the type and the shape, never from a value.
    let from_the_type = ["missing field `", "duplicate field `", "invalid length "];
    if from_the_type.iter().any(|p| message.starts_with(p)) && !message.contains('"') {
        return message.to_owned();
    }
    format!("value does not fit the expected type ({ELIDED})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_dropped_and_expectations_kept() {
        assert_eq!(
            describe(r#"invalid type: string "t0ken", expected u64"#),
            "invalid type (value elided), expected u64"
        );
        assert_eq!(
            describe(r#"invalid value: string "a, expected x", expected a date"#),
            "invalid value (value elided), expected a date"
        );
        assert_eq!(
            describe("unknown variant `t0ken`, expected `A` or `B`"),
            "unknown variant (value elided), expected `A` or `B`"
        );
        assert_eq!(describe("missing field `ID`"), "missing field `ID`");
        assert_eq!(
            describe("invalid length 3, expected a tuple of size 2"),
            "invalid length 3, expected a tuple of size 2"
        );
        assert_eq!(
            describe("integer 123456789 is out of range"),
            "value does not fit the expected type (value elided)"
        );
    }
}
