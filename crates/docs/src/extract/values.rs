//! Closed value lists: the values a parameter, result field or entity field may take, when the
//! docs present them as a closed list. The typed SDK makes each list an enum.
//!
//! Read from the description markdown the extractor already keeps, once a method is extracted
//! (and for entities once they are assembled), so it sees every frontend's output the same
//! way. Three shapes count:
//!
//! - a lead ("Possible values:", "Allowed values", "can take the values", "one of the
//!   following") followed by a bullet list whose every item starts with the value in a code
//!   span, quotes or bold (`` - `NEW` — new deal``), the rest of the item being its meaning;
//! - the same lead followed, in the same sentence, by code spans only (`` Possible values:
//!   `M`, `F` ``);
//! - a bullet list of such items in the description of a parameter whose type is `enum`.
//!
//! A list is not closed, and is dropped, when the lead says it is a sample ("for example",
//! "such as", "etc.", "and others", "..."), when it refers elsewhere ("Possible values for
//! `field` correspond to the fields of ..."), when any item lacks a value, or when it has fewer
//! than two distinct values. A value travels as a number when the documented type is numeric
//! and every value is an integer; otherwise as text.

use std::sync::OnceLock;

use b24_spec::type_kind::{kind_of_expr, Kind};
use b24_spec::{ClosedValue, Entity, Method, Param, ResultField, Scalar, TypeExpr, Wire};
use rayon::prelude::*;
use regex::Regex;
use serde_json::Value;

use super::ascii::contains_ascii_ci;

/// The longest text a value may have: longer code spans are prose, not values.
const MAX_VALUE_CHARS: usize = 64;

/// Fills the closed values of one method's parameters and result fields that have none yet.
/// The extractor calls it on each method it extracts.
pub fn fill_method(method: &mut Method) {
    method.params.iter_mut().for_each(fill_param);
    method.result.iter_mut().for_each(fill_result);
}

/// Fills `values` of every parameter of `params`, at any depth.
pub fn fill_params(params: &mut [Param]) {
    params.iter_mut().for_each(fill_param);
}

/// Fills the closed values of entity fields; each entity is read on its own, in parallel.
pub fn fill_entities(entities: &mut [Entity]) {
    entities.par_iter_mut().for_each(|entity| {
        for field in &mut entity.fields {
            if field.values.is_empty() && is_scalar(field.ty.as_ref()) {
                let numeric = is_numeric(field.ty.as_ref(), None);
                let is_enum = is_enum_type(field.ty.as_ref());
                field.values = from_description(&field.description, numeric, is_enum);
            }
        }
    });
}

fn fill_param(p: &mut Param) {
    if p.values.is_empty() && p.fields.is_empty() && is_scalar(p.ty.as_ref()) {
        let numeric = is_numeric(p.ty.as_ref(), p.wire);
        p.values = from_description(&p.description, numeric, is_enum_type(p.ty.as_ref()));
    }
    p.fields.iter_mut().for_each(fill_param);
}

fn fill_result(r: &mut ResultField) {
    if r.values.is_empty() && r.fields.is_empty() && is_scalar(r.ty.as_ref()) {
        let numeric = is_numeric(r.ty.as_ref(), r.wire);
        r.values = from_description(&r.description, numeric, is_enum_type(r.ty.as_ref()));
    }
    r.fields.iter_mut().for_each(fill_result);
}

/// Only a value (or a list of values) has a closed list: an object's "possible values" name
/// its keys, and an undocumented type says too little.
fn is_scalar(ty: Option<&TypeExpr>) -> bool {
    let scalar = |k: Kind| {
        matches!(
            k,
            Kind::Int | Kind::Float | Kind::Str | Kind::Bool | Kind::YesNo
        )
    };
    match ty {
        Some(TypeExpr::Array(inner)) => scalar(kind_of_expr(inner)),
        Some(t) => scalar(kind_of_expr(t)),
        None => false,
    }
}

/// Numbers travel as numbers unless the page's examples send them as text.
fn is_numeric(ty: Option<&TypeExpr>, wire: Option<Wire>) -> bool {
    match wire {
        Some(Wire::Integer | Wire::Number) => true,
        Some(_) => false,
        None => ty.is_some_and(|t| matches!(kind_of_expr(t), Kind::Int | Kind::Float)),
    }
}

fn is_enum_type(ty: Option<&TypeExpr>) -> bool {
    matches!(ty, Some(TypeExpr::Named(name)) if name.eq_ignore_ascii_case("enum"))
}

/// One `items` entry of a `*.fields` response (`{"ID": "1", "VALUE": "Option A"}`): the value
/// is the id, its meaning the `VALUE` text.
pub fn item(value: Scalar, item: &Value) -> ClosedValue {
    let description = item
        .get("VALUE")
        .or_else(|| item.get("value"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    ClosedValue { value, description }
}

/// The closed list a description gives, or nothing.
pub fn from_description(text: &str, numeric: bool, is_enum: bool) -> Vec<ClosedValue> {
    let lead_found = may_hold_lead(text).then(|| find_lead(text)).flatten();
    let found = match lead_found {
        Some(m) => after_lead(text, m.start(), m.end()),
        None if is_enum => first_list(text).and_then(bullets),
        None => None,
    };
    let Some(items) = found else {
        return Vec::new();
    };
    finish(items, numeric)
}

/// What follows a lead: an inline list in the same sentence, else the bullet list after it.
fn after_lead(text: &str, start: usize, end: usize) -> Option<Vec<(String, String)>> {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let sentence = &text[line_start..line_end];
    if is_open(sentence) || text[end..line_end].trim_start().starts_with("for ") {
        return None;
    }
    let rest = text[end..line_end].trim();
    if !rest.is_empty() {
        return inline(rest);
    }
    let items = bullets(&text[line_end..])?;
    // The meanings may say the list is a sample ("... and others").
    let open = items.iter().any(|(_, meaning)| is_open(meaning));
    (!open).then_some(items)
}

/// `` `M`, `F` ``, `` `Y` or `N` ``: code spans joined by commas, "or", "and" or "/", up to
/// the end of the sentence.
fn inline(rest: &str) -> Option<Vec<(String, String)>> {
    let sentence = rest.split(". ").next().unwrap_or(rest);
    let sentence = sentence.trim_end_matches(['.', ';', '"']);
    let joined = inline_list().captures(sentence)?;
    let values = code_span()
        .captures_iter(joined.get(0)?.as_str())
        .map(|c| (c[1].to_owned(), String::new()))
        .collect();
    Some(values)
}

/// The bullet list starting at the first non-blank line of `text`; `None` when that line is no
/// bullet or an item carries no value.
fn bullets(text: &str) -> Option<Vec<(String, String)>> {
    let mut items = Vec::new();
    for line in text.lines().map(str::trim).skip_while(|l| l.is_empty()) {
        let Some(body) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) else {
            break;
        };
        let caps = bullet_item().captures(body)?;
        let value = caps
            .get(1)
            .or_else(|| caps.get(2))
            .or_else(|| caps.get(3))?;
        let meaning = caps.get(4).map_or("", |m| m.as_str());
        items.push((value.as_str().to_owned(), meaning.trim().to_owned()));
    }
    (!items.is_empty()).then_some(items)
}

/// The text from the description's first bullet line on.
fn first_list(text: &str) -> Option<&str> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("- ") || trimmed.starts_with("* ") {
            return Some(&text[at..]);
        }
        at += line.len();
    }
    None
}

/// Cleans values (`'Y'` → `Y`), refuses prose and duplicates, decides number or text.
fn finish(items: Vec<(String, String)>, numeric: bool) -> Vec<ClosedValue> {
    let mut seen: Vec<String> = Vec::new();
    let mut out: Vec<(String, String)> = Vec::new();
    for (value, meaning) in items {
        let value = value.trim().trim_matches(['\'', '"']).to_owned();
        // `SG<X>`, `{id}`, `UF_*`: a template for values, not a value.
        let template = value.contains(['<', '>', '{', '}', '*', '\n']);
        if value.is_empty() || value.chars().count() > MAX_VALUE_CHARS || template {
            return Vec::new();
        }
        if seen.contains(&value) {
            return Vec::new();
        }
        seen.push(value.clone());
        out.push((
            value,
            meaning.trim_end_matches([',', ';', '.']).trim().to_owned(),
        ));
    }
    if out.len() < 2 {
        return Vec::new();
    }
    let as_numbers = numeric && out.iter().all(|(v, _)| v.parse::<i64>().is_ok());
    out.into_iter()
        .map(|(value, description)| ClosedValue {
            value: match value.parse::<i64>() {
                Ok(n) if as_numbers => Scalar::Int(n),
                _ => Scalar::Text(value),
            },
            description,
        })
        .collect()
}

/// Words saying a list is a sample, not every value.
fn is_open(text: &str) -> bool {
    // In place rather than on a lower-case copy: the words are ASCII without `k` and not
    // ending in `i`, where [`contains_ascii_ci`] answers as the copy would.
    text.contains('…')
        || [
            "for example",
            "e.g.",
            "such as",
            "etc",
            "and others",
            "and so on",
            "...",
            "including",
            "among others",
        ]
        .iter()
        .any(|w| contains_ascii_ci(text, w))
}

/// Whether `text` may match [`lead`]: every lead holds `values` or `one of the following`, so
/// it holds `alue` or `following` in any case. The lead's Unicode `\b` makes the regex fall
/// back to a slow engine on text with non-ASCII letters (most descriptions have a dash or
/// quotes), and most descriptions hold no lead at all. No non-ASCII letter folds to an ASCII
/// letter of these words (only `K` and `ſ` fold into ASCII: `k`, `s`).
fn may_hold_lead(text: &str) -> bool {
    // Both words hold an `l` (`a·lue`, `fo·llowing`): only the places of an `l` are checked,
    // found a word at a time by memchr, instead of comparing at every byte.
    let bytes = text.as_bytes();
    let word_at = |start: Option<usize>, word: &[u8]| {
        start
            .and_then(|s| bytes.get(s..s + word.len()))
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    };
    memchr::memchr2_iter(b'l', b'L', bytes)
        .any(|at| word_at(at.checked_sub(1), b"alue") || word_at(at.checked_sub(2), b"following"))
}

/// A lead's words; the `\b` before them is added by [`lead`] and [`ascii_lead`].
const LEAD_WORDS: &str = r"(?i)(?:(?:possible|acceptable|allowed|valid|supported|available) values(?: are)?|can take (?:the )?(?:following )?values|(?:takes|accepts) (?:one of )?the following values|one of the following(?: values)?)\s*[:\-—–]?";

fn lead() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(&format!(r"\b{LEAD_WORDS}")).expect("valid lead pattern"))
}

/// [`lead`] with an ASCII word boundary, which the fast engine can run on any text (a
/// Unicode `\b` sends text with non-ASCII letters to a slow one).
fn ascii_lead() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(r"(?-u:\b){LEAD_WORDS}")).expect("valid ascii lead pattern")
    })
}

/// The first [`lead`] match. Every lead starts with an ASCII letter, so the two boundaries
/// agree wherever the character before it is ASCII (or there is none); the ASCII one also
/// passes after any non-ASCII character, so its first match is [`lead`]'s unless it follows
/// one: only then is the Unicode pattern asked.
fn find_lead(text: &str) -> Option<regex::Match<'_>> {
    let found = ascii_lead().find(text)?;
    // A non-ASCII character's last byte is not ASCII either.
    if text.as_bytes()[..found.start()]
        .last()
        .is_some_and(|b| !b.is_ascii())
    {
        return lead().find(text);
    }
    Some(found)
}

fn inline_list() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^`[^`]+`(?:\s*(?:,|, or|, and|or|and|/)\s*`[^`]+`)+$")
            .expect("valid inline pattern")
    })
}

fn code_span() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"`([^`]+)`").expect("valid code span pattern"))
}

/// `` `V` — meaning``, `'V' - meaning`, `**V**: meaning`, or the value alone.
fn bullet_item() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?:`([^`]+)`|'([^']+)'|\*\*([^*]+)\*\*)\s*(?:(?:—|–|-|:|=)\s*(.*))?$")
            .expect("valid bullet pattern")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lead_prefilter_passes_every_lead() {
        for text in [
            "Possible values: `A`",
            "ALLOWED VALUES are",
            "It can take the following values",
            "accepts one of the following values",
            "One of the following:",
            "valid values —",
        ] {
            assert!(lead().is_match(text), "{text}");
            assert!(may_hold_lead(text), "{text}");
        }
        assert!(!may_hold_lead(
            "Identifier of the deal — see `crm.deal.get`"
        ));
        // The words at the very start and end of the text, and split by a non-ASCII letter.
        assert!(may_hold_lead("alue"));
        assert!(may_hold_lead("FOLLOWING"));
        assert!(may_hold_lead("x — Following"));
        assert!(!may_hold_lead("lue folowing fol·lowing a—lue"));
    }

    #[test]
    fn a_sample_list_is_open_in_any_case() {
        for text in ["Values, For Example:", "A, B ETC", "A, B…", "INCLUDING `A`"] {
            assert!(is_open(text), "{text}");
        }
        assert!(!is_open("Possible values: `A`, `B` — Ünïcode"));
    }

    #[test]
    fn the_ascii_boundary_finds_the_unicode_leads() {
        let span = |m: Option<regex::Match<'_>>| m.map(|m| m.range());
        for text in [
            "Possible values: `A`",
            "Тип — possible values: `A`, `B`",
            "éPossible values: `A`",
            "épossible values — then «Possible values:» `A`",
            "xpossible values, Possible values: `A`",
            "«Valid values» — `A`",
            "Nothing here — ünï",
        ] {
            assert_eq!(span(find_lead(text)), span(lead().find(text)), "{text}");
        }
        // After a non-ASCII letter there is no boundary: the later lead is the first one.
        let text = "épossible values — then Possible values: `A`";
        assert_eq!(find_lead(text).map(|m| m.start()), text.find("Possible"));
    }
}
