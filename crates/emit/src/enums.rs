//! Closed value lists → Rust enums.
//!
//! Every field whose spec carries a closed list (`values`) and whose Rust type is text or an
//! integer (or a `char` documented with codes other than `Y`/`N`, which is no flag; a `Y`/`N`
//! list stays `bool`) becomes an enum of that list, one per distinct list in a module
//! (identical lists share one). Each enum has an `Other` variant holding any value the docs do
//! not list, so a value added upstream never breaks decoding and is written back exactly as
//! read.
//!
//! Naming rules (deterministic, in spec order):
//! - the enum is the field's key in `UpperCamelCase` (`STATUS_ID` → `StatusId`); when that name
//!   is taken in the module (by a struct, a prelude type or another list), or is a word too
//!   generic to say whose it is (`TYPE`, `status`, `scope`...), it is prefixed by the owning
//!   struct (`DealAddFieldsType`), then numbered (`…2`, `…3`);
//! - a variant is the value in `UpperCamelCase` (`NEW` → `New`, `C1:WON` → `C1Won`); a value
//!   that gives no name starting with a letter (numbers, `+`) is named from its description's
//!   first words (`1` — "low priority" → `LowPriority`), else `V1`, `VMinus1`; a name taken
//!   twice gets the value appended, then a number.

use std::collections::{BTreeMap, BTreeSet};

use b24_spec::{ApiVersion, ClosedValue, Scalar};
use heck::ToUpperCamelCase;

use crate::docs;
use crate::model::{GroupModel, StructModel};
use crate::types::RustType;

/// One enum of a module.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumModel {
    /// Rust name.
    pub name: String,
    /// The module it lives in (the group's REST v2 or REST 3.0 module).
    pub api: ApiVersion,
    /// Values are JSON numbers (`Other(i64)`), else strings (`Other(String)`).
    pub numeric: bool,
    /// Rustdoc lines.
    pub doc: Vec<String>,
    /// The listed values.
    pub variants: Vec<VariantModel>,
}

/// One listed value.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantModel {
    /// Rust name.
    pub ident: String,
    /// The value as sent.
    pub value: Scalar,
    /// Rustdoc lines (the value's description).
    pub doc: Vec<String>,
}

/// A field's closed list, with each value's rustdoc already made from the page's markdown.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedValue {
    /// The value as sent.
    pub value: Scalar,
    /// Rustdoc lines of its description.
    pub doc: Vec<String>,
}

/// The field's list with rustdoc made relative to `source` (the page it was read from).
pub fn listed(values: &[ClosedValue], source: &str) -> Vec<ListedValue> {
    values
        .iter()
        .map(|v| ListedValue {
            value: v.value.clone(),
            doc: docs::markdown_lines(&v.description, source),
        })
        .collect()
}

/// Names that would shadow what generated code spells unqualified.
const RESERVED: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "Into",
    "From",
    "Iterator",
    "Other",
    // The crate root's own types, so a module's enum never reads as one of them.
    "Filter",
    "Order",
    "SortOrder",
    "File",
    "Extra",
    "YesNo",
    "Call",
    "Client",
    "Method",
    "Error",
    "ErrorCode",
    "DateTime",
    "Date",
    "Moment",
    "Envelope",
    "ApiVersion",
];

/// Field names that say nothing about whose value they are: the owner goes first.
const GENERIC: &[&str] = &[
    "Type",
    "Status",
    "State",
    "Scope",
    "Mode",
    "Kind",
    "Display",
    "Value",
    "Code",
    "Active",
    "Order",
    "Sort",
    "By",
    "Direction",
    "Format",
    "Level",
    "Action",
    "Entity",
    "Name",
    "Id",
];

/// Turns the closed lists of every field of `group` into enums, typing the fields with them.
pub fn assign(group: &mut GroupModel) {
    let mut enums = Vec::new();
    for api in [ApiVersion::V2, ApiVersion::V3] {
        let mut structs: Vec<&mut StructModel> = Vec::new();
        if api == ApiVersion::V2 {
            structs.extend(group.entities.iter_mut().map(|e| &mut e.model));
        }
        let methods = match api {
            ApiVersion::V2 => &mut group.v2,
            ApiVersion::V3 => &mut group.v3,
        };
        for m in methods.iter_mut() {
            structs.push(&mut m.request);
            structs.extend(m.nested.iter_mut());
        }
        enums.extend(module_enums(api, &mut structs));
    }
    group.enums = enums;
}

fn module_enums(api: ApiVersion, structs: &mut [&mut StructModel]) -> Vec<EnumModel> {
    let mut taken: BTreeSet<String> = structs.iter().map(|s| s.name.clone()).collect();
    taken.extend(RESERVED.iter().map(|s| (*s).to_owned()));
    let mut by_list: BTreeMap<(bool, Vec<Scalar>), String> = BTreeMap::new();
    let mut out = Vec::new();
    for s in structs.iter_mut() {
        let owner = s.name.clone();
        for f in &mut s.fields {
            let Some(numeric) = enum_kind(&f.ty, &f.values) else {
                continue;
            };
            let key = (numeric, f.values.iter().map(|v| v.value.clone()).collect());
            let name = match by_list.get(&key) {
                Some(name) => name.clone(),
                None => {
                    let name = enum_name(&owner, &f.wire, &mut taken);
                    by_list.insert(key, name.clone());
                    out.push(EnumModel {
                        name: name.clone(),
                        api,
                        numeric,
                        doc: vec![format!("The values of `{}` the docs list.", f.wire)],
                        variants: variants(&f.values),
                    });
                    name
                }
            };
            f.ty = retype(&f.ty, &name);
        }
    }
    out
}

/// `Some(numeric)` when the field's type can carry the list: text values in a text field,
/// integers in an integer field (either may be a list of them).
fn enum_kind(ty: &RustType, values: &[ListedValue]) -> Option<bool> {
    if values.is_empty() {
        return None;
    }
    let all_int = values.iter().all(|v| matches!(v.value, Scalar::Int(_)));
    let all_text = values.iter().all(|v| matches!(v.value, Scalar::Text(_)));
    // A `char` documented with other letters than `Y`/`N` is a code, not a flag.
    let flags_only = values
        .iter()
        .all(|v| matches!(&v.value, Scalar::Text(t) if t == "Y" || t == "N"));
    match ty {
        RustType::Str if all_text => Some(false),
        RustType::YesNo if all_text && !flags_only => Some(false),
        RustType::Int if all_int => Some(true),
        RustType::Vec(inner) => enum_kind(inner, values),
        _ => None,
    }
}

fn retype(ty: &RustType, name: &str) -> RustType {
    match ty {
        RustType::Vec(inner) => RustType::Vec(Box::new(retype(inner, name))),
        _ => RustType::Enum(name.to_owned()),
    }
}

fn enum_name(owner: &str, wire: &str, taken: &mut BTreeSet<String>) -> String {
    let own = crate::naming::pascal(wire);
    let candidates = [own.clone(), format!("{owner}{own}")];
    let skip = usize::from(GENERIC.contains(&own.as_str()));
    let name = candidates
        .into_iter()
        .skip(skip)
        .find(|c| !taken.contains(c))
        .unwrap_or_else(|| {
            (2..)
                .map(|n| format!("{owner}{own}{n}"))
                .find(|c| !taken.contains(c))
                .unwrap_or_default()
        });
    taken.insert(name.clone());
    name
}

fn variants(values: &[ListedValue]) -> Vec<VariantModel> {
    let mut used: BTreeSet<String> = BTreeSet::from(["Other".to_owned()]);
    values
        .iter()
        .map(|v| {
            let base = variant_base(v);
            let ident = if used.contains(&base) {
                let with_value = format!("{base}{}", value_word(&v.value));
                (1..)
                    .map(|n| match n {
                        1 => with_value.clone(),
                        _ => format!("{with_value}{n}"),
                    })
                    .find(|c| !used.contains(c))
                    .unwrap_or_default()
            } else {
                base
            };
            used.insert(ident.clone());
            VariantModel {
                ident,
                value: v.value.clone(),
                doc: v.doc.clone(),
            }
        })
        .collect()
}

/// The value's own name, else its description's, else `V<value>`.
fn variant_base(v: &ListedValue) -> String {
    let own = camel(&v.value.text());
    if starts_with_letter(&own) {
        return own;
    }
    let described = v
        .doc
        .first()
        .map(|line| {
            let head = line
                .split([',', '.', '(', ';', ':'])
                .next()
                .unwrap_or_default();
            let words: Vec<&str> = head.split_whitespace().take(5).collect();
            camel(&words.join(" "))
        })
        .unwrap_or_default();
    if starts_with_letter(&described) {
        described
    } else {
        format!("V{}", value_word(&v.value))
    }
}

/// `1` → `1`, `-1` → `Minus1`, `C1:WON` → `C1Won`.
fn value_word(value: &Scalar) -> String {
    let text = value.text();
    match text.strip_prefix('-') {
        Some(rest) => format!("Minus{}", camel(rest)),
        None => camel(&text),
    }
}

/// `UpperCamelCase`, ASCII letters and digits only.
fn camel(text: &str) -> String {
    text.to_upper_camel_case()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

fn starts_with_letter(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed_text(values: &[(&str, &str)]) -> Vec<ListedValue> {
        values
            .iter()
            .map(|(v, d)| ListedValue {
                value: Scalar::Text((*v).to_owned()),
                doc: if d.is_empty() {
                    Vec::new()
                } else {
                    vec![(*d).to_owned()]
                },
            })
            .collect()
    }

    fn idents(values: &[ListedValue]) -> Vec<String> {
        variants(values).into_iter().map(|v| v.ident).collect()
    }

    #[test]
    fn variants_are_named_from_values_then_descriptions() {
        let values = listed_text(&[
            ("NEW", ""),
            ("C1:WON", ""),
            ("1", "Low priority, rarely used"),
            ("2", ""),
            ("new", ""),
            ("Other", ""),
        ]);
        assert_eq!(
            idents(&values),
            ["New", "C1Won", "LowPriority", "V2", "NewNew", "OtherOther"]
        );
    }

    #[test]
    fn numeric_values_without_descriptions_are_numbered() {
        let values = vec![
            ListedValue {
                value: Scalar::Int(-1),
                doc: vec![],
            },
            ListedValue {
                value: Scalar::Int(3),
                doc: vec!["3 items".into()],
            },
        ];
        assert_eq!(idents(&values), ["VMinus1", "V3"]);
    }

    #[test]
    fn enum_names_avoid_structs_prelude_and_each_other() {
        let mut taken: BTreeSet<String> = ["Status", "Result"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        assert_eq!(enum_name("Deal", "STATUS", &mut taken), "DealStatus");
        assert_eq!(enum_name("Deal", "result", &mut taken), "DealResult");
        assert_eq!(enum_name("Deal", "STATUS", &mut taken), "DealStatus2");
        assert_eq!(enum_name("Deal", "STAGE_ID", &mut taken), "StageId");
        assert_eq!(enum_name("Deal", "TYPE", &mut taken), "DealType");
    }

    #[test]
    fn only_text_fields_take_text_lists_and_integer_fields_integer_lists() {
        let text = listed_text(&[("A", ""), ("B", "")]);
        assert_eq!(enum_kind(&RustType::Str, &text), Some(false));
        assert_eq!(enum_kind(&RustType::Int, &text), None);
        assert_eq!(enum_kind(&RustType::YesNo, &text), Some(false));
        let flags = listed_text(&[("Y", ""), ("N", "")]);
        assert_eq!(enum_kind(&RustType::YesNo, &flags), None);
        let vec = RustType::Vec(Box::new(RustType::Str));
        assert_eq!(enum_kind(&vec, &text), Some(false));
        assert_eq!(enum_kind(&RustType::Str, &[]), None);
    }
}
