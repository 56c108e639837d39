//! How documented types (`integer`, `char`, `crm_contact`, `string[] | null`) become Rust types.
//!
//! The docs name types freely; this is the one table deciding what each name means in Rust. Names
//! it does not know become `serde_json::Value`, and every decision is recorded in a [`TypeLog`]
//! so the mapping over the real spec can be reviewed in a snapshot.

use std::collections::BTreeMap;

use b24_spec::{TypeExpr, Wire};

/// A Rust type a field or result can have.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RustType {
    /// `i64`: integers, timestamps and entity identifiers.
    Int,
    /// `f64`.
    Float,
    /// `String`: strings, dates, string identifiers (`crm_status`, `crm_currency`), enums.
    Str,
    /// `bool` sent as JSON `true`/`false` (`boolean`).
    Bool,
    /// `bool` sent as `"Y"`/`"N"` (`char`).
    YesNo,
    /// `bool` sent as the number `1`/`0`.
    Bit,
    /// `i64` sent as a string (`"5"`): the page's example quotes it.
    IntText,
    /// A whole `result` sent as `"Y"`/`"N"`: the generated `YesNo` (fields use `bool`).
    YesNoResult,
    /// The generated `File` type: an id or a `[name, base64]` upload.
    File,
    /// `serde_json::Value`: the docs give nothing better.
    Json,
    /// `serde_json::Map`: an object whose keys the docs do not list.
    JsonMap,
    /// `Vec<T>`.
    Vec(Box<RustType>),
    /// The generated `Keyed<T>`: an object keyed by ID or name whose values share one shape.
    Keyed(Box<RustType>),
    /// The generated `FieldDescription`: one field's type and attributes (`*.fields` answers).
    FieldDescription,
    /// A struct generated from the documented nested fields, by its Rust name.
    Struct(String),
    /// A list method's `filter`: the generated `Filter` (operator-prefixed keys).
    Filter,
    /// A list method's `order`: the generated `Order` (field → direction).
    Order,
    /// An event name (`event.bind`'s `event`): the generated `event::EventName`.
    EventName,
    /// A closed value list: the generated enum of the same module, by its Rust name.
    Enum(String),
    /// A documented `datetime`: the generated `DateTime` (text as sent + chrono value).
    DateTime,
    /// A documented `date`: the generated `Date`.
    Date,
}

use b24_spec::type_kind::{kind_of, Kind};

/// Every documented type name met, with the Rust type it became (for review).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TypeLog {
    /// Documented name → description of its mapping.
    pub names: BTreeMap<String, String>,
}

impl TypeLog {
    fn record(&mut self, name: &str, kind: Kind) {
        let mapped = match kind {
            Kind::Int => "i64",
            Kind::Float => "f64",
            Kind::Str if name == "datetime" => "DateTime (text as sent + chrono value)",
            Kind::Str if name == "date" => "Date (text as sent + chrono value)",
            Kind::Str => "String",
            Kind::Bool => "bool (true/false)",
            Kind::YesNo => "bool (\"Y\"/\"N\")",
            Kind::File => "File",
            Kind::Object => "struct from fields, else serde_json::Map",
            Kind::Array => "Vec of struct from fields, else Vec<serde_json::Value>",
            Kind::Any => "serde_json::Value",
            Kind::Null => "makes the field optional",
            Kind::Unknown => "unknown: struct from fields, else serde_json::Value",
        };
        self.names.insert(name.to_owned(), mapped.to_owned());
    }
}

/// Maps a documented type to Rust. `nested` is the struct generated for the field's documented
/// members, if it has any; it wins over any non-scalar name.
pub fn rust_type(ty: Option<&TypeExpr>, nested: Option<&str>, log: &mut TypeLog) -> RustType {
    match ty {
        None => nested.map_or(RustType::Json, |n| RustType::Struct(n.to_owned())),
        Some(ty) => map_expr(ty, nested, log),
    }
}

/// Maps a documented type as it travels: the spec's `wire` (decided by the page's examples or
/// a reviewed patch) wins over what the type name alone implies.
pub fn rust_type_on_wire(
    ty: Option<&TypeExpr>,
    nested: Option<&str>,
    wire: Option<Wire>,
    log: &mut TypeLog,
) -> RustType {
    let documented = rust_type(ty, nested, log);
    let Some(wire) = wire else {
        return documented;
    };
    let structured = || nested.map(|n| RustType::Struct(n.to_owned()));
    let element = || match &documented {
        RustType::Vec(inner) => (**inner).clone(),
        RustType::Json | RustType::JsonMap => RustType::Json,
        other => other.clone(),
    };
    match wire {
        Wire::YesNo => RustType::YesNo,
        Wire::Boolean => RustType::Bool,
        Wire::Bit => RustType::Bit,
        Wire::NumberString if documented == RustType::Int => RustType::IntText,
        // Dates travel as text already.
        Wire::String if matches!(documented, RustType::Date | RustType::DateTime) => documented,
        // A decimal written as text keeps its own digits ("1000.00"): a string is exact.
        Wire::NumberString | Wire::String => RustType::Str,
        Wire::Integer => RustType::Int,
        Wire::Number => RustType::Float,
        Wire::Object => structured().unwrap_or(RustType::JsonMap),
        // A list of the documented member objects, else of the documented element.
        Wire::Array => RustType::Vec(Box::new(structured().unwrap_or_else(element))),
        Wire::Any => RustType::Json,
    }
}

fn map_expr(ty: &TypeExpr, nested: Option<&str>, log: &mut TypeLog) -> RustType {
    match ty {
        TypeExpr::Named(name) => map_named(name, nested, log),
        TypeExpr::Array(inner) => RustType::Vec(Box::new(map_element(inner, nested, log))),
        TypeExpr::Union(alts) => map_union(alts, nested, log),
    }
}

/// Element of `T[]`: an `object[]` with fields is a list of the nested struct.
fn map_element(inner: &TypeExpr, nested: Option<&str>, log: &mut TypeLog) -> RustType {
    match map_expr(inner, nested, log) {
        RustType::Vec(_) | RustType::JsonMap | RustType::Json if nested.is_some() => {
            RustType::Struct(nested.unwrap_or_default().to_owned())
        }
        other => other,
    }
}

fn map_named(name: &str, nested: Option<&str>, log: &mut TypeLog) -> RustType {
    let kind = kind_of(name);
    log.record(name, kind);
    let structured = nested.map(|n| RustType::Struct(n.to_owned()));
    match kind {
        Kind::Int => RustType::Int,
        Kind::Float => RustType::Float,
        Kind::Str => date_type(name).unwrap_or(RustType::Str),
        Kind::Bool => RustType::Bool,
        Kind::YesNo => RustType::YesNo,
        Kind::File => RustType::File,
        Kind::Object => structured.unwrap_or(RustType::JsonMap),
        Kind::Array => RustType::Vec(Box::new(structured.unwrap_or(RustType::Json))),
        Kind::Any | Kind::Null | Kind::Unknown => structured.unwrap_or(RustType::Json),
    }
}

/// `T | null` is `T` (every field is optional anyway); alternatives that agree collapse; the
/// rest is JSON, since no single Rust type fits.
fn map_union(alts: &[TypeExpr], nested: Option<&str>, log: &mut TypeLog) -> RustType {
    let mut mapped: Vec<RustType> = Vec::new();
    for alt in alts {
        if let TypeExpr::Named(name) = alt {
            if kind_of(name) == Kind::Null {
                log.record(name, Kind::Null);
                continue;
            }
        }
        let ty = map_expr(alt, nested, log);
        if !mapped.contains(&ty) {
            mapped.push(ty);
        }
    }
    match mapped.as_slice() {
        [single] => single.clone(),
        // `datetime | date` reads either; `datetime | string` stays text as it always was.
        [a, b] if is_date(a) && is_date(b) => RustType::DateTime,
        [a, b] if (is_date(a) && *b == RustType::Str) || (is_date(b) && *a == RustType::Str) => {
            RustType::Str
        }
        _ => RustType::Json,
    }
}

/// `datetime` and `date` are real date types; every other text name stays `String`.
fn date_type(name: &str) -> Option<RustType> {
    match name {
        "datetime" => Some(RustType::DateTime),
        "date" => Some(RustType::Date),
        _ => None,
    }
}

fn is_date(ty: &RustType) -> bool {
    matches!(ty, RustType::Date | RustType::DateTime)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(text: &str, nested: Option<&str>) -> RustType {
        let ty = TypeExpr::parse(text).unwrap();
        rust_type(Some(&ty), nested, &mut TypeLog::default())
    }

    #[test]
    fn scalars_and_entities() {
        assert_eq!(map("integer", None), RustType::Int);
        assert_eq!(map("crm_contact", None), RustType::Int);
        assert_eq!(map("catalog_product.id", None), RustType::Int);
        assert_eq!(map("crm_status", None), RustType::Str);
        assert_eq!(map("char", None), RustType::YesNo);
        assert_eq!(map("weird_thing", None), RustType::Json);
    }

    #[test]
    fn dates_are_date_types_but_not_the_timing_object() {
        assert_eq!(map("datetime", None), RustType::DateTime);
        assert_eq!(map("date", None), RustType::Date);
        assert_eq!(map("datetime | date", None), RustType::DateTime);
        assert_eq!(map("datetime | string", None), RustType::Str);
        assert_eq!(map("datetime | null", None), RustType::DateTime);
        assert_eq!(map("time", None), RustType::Json);
        let ty = TypeExpr::parse("datetime").unwrap();
        let on_wire =
            rust_type_on_wire(Some(&ty), None, Some(Wire::String), &mut TypeLog::default());
        assert_eq!(on_wire, RustType::DateTime);
    }

    #[test]
    fn nullable_arrays_and_unions() {
        assert_eq!(map("string | null", None), RustType::Str);
        assert_eq!(
            map("integer[]", None),
            RustType::Vec(Box::new(RustType::Int))
        );
        assert_eq!(map("integer | string", None), RustType::Json);
        assert_eq!(map("int | integer", None), RustType::Int);
    }

    #[test]
    fn nested_fields_become_structs() {
        let s = || RustType::Struct("Item".into());
        assert_eq!(map("object", Some("Item")), s());
        assert_eq!(map("object[]", Some("Item")), RustType::Vec(Box::new(s())));
        assert_eq!(map("array", Some("Item")), RustType::Vec(Box::new(s())));
        assert_eq!(map("object", None), RustType::JsonMap);
        assert_eq!(map("integer", Some("Item")), RustType::Int);
    }

    #[test]
    fn log_records_each_name() {
        let mut log = TypeLog::default();
        let ty = TypeExpr::parse("crm_contact[] | null").unwrap();
        rust_type(Some(&ty), None, &mut log);
        assert_eq!(log.names.len(), 2);
        assert_eq!(log.names["crm_contact"], "i64");
    }
}
