//! What a documented type name means on the wire (`integer`, `char`, `crm_contact`...).
//!
//! The docs name types freely; this is the one table deciding which JSON value each name stands
//! for. The emitter maps kinds to Rust types; the extractor compares them with the page's own
//! examples to decide wire shapes. Both read the same table, so they can never disagree.

/// What a documented type name means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A JSON integer: integers, timestamps, entity identifiers.
    Int,
    /// A JSON number.
    Float,
    /// A JSON string: text, dates, string identifiers, enumerations.
    Str,
    /// A flag sent as `true`/`false`.
    Bool,
    /// A flag sent as `"Y"`/`"N"` (`char`).
    YesNo,
    /// A file: an id or a `[name, base64]` upload.
    File,
    /// A JSON object.
    Object,
    /// A JSON array.
    Array,
    /// Any JSON value.
    Any,
    /// `null`: makes the value optional.
    Null,
    /// A name the table does not know.
    Unknown,
}

const INT_NAMES: &[&str] = &[
    "integer",
    "int",
    "long",
    "bigint",
    "smallint",
    "unsigned",
    "timestamp",
    "id",
    "user",
    "crm_contact",
    "crm_company",
    "crm_lead",
    "crm_deal",
    "crm_quote",
    "crm_invoice",
    "crm_smart_invoice",
    "crm_category",
    "crm_activity",
    "crm_requisite",
    "crm_item",
    "task",
    "group",
    "sonet_group",
    "department",
    "disk_file",
    "disk_folder",
    "disk_storage",
    "chat",
    "dialog",
];
const FLOAT_NAMES: &[&str] = &["double", "float", "number", "decimal", "numeric", "money"];
const STR_NAMES: &[&str] = &[
    "string",
    "text",
    "str",
    "enum",
    "date",
    "datetime",
    "crm_status",
    "crm_currency",
    "crm",
    "lang",
    "language",
    "url",
    "email",
    "phone",
    "color",
    "html",
    "uuid",
    "guid",
    "varchar",
    "crm_entity_type",
    "dialog_id",
];
const BOOL_NAMES: &[&str] = &["boolean", "bool"];
const YES_NO_NAMES: &[&str] = &["char"];
const FILE_NAMES: &[&str] = &["file"];
const OBJECT_NAMES: &[&str] = &["object", "json", "map", "struct", "lang_map", "hash"];
const ARRAY_NAMES: &[&str] = &["array", "list"];
const ANY_NAMES: &[&str] = &["any", "mixed"];

pub fn kind_of(name: &str) -> Kind {
    // Case matters: `user` is an id, `User` is an object a page describes.
    let lower = name.trim_matches('_');
    let tables: [(&[&str], Kind); 10] = [
        (INT_NAMES, Kind::Int),
        (FLOAT_NAMES, Kind::Float),
        (STR_NAMES, Kind::Str),
        (BOOL_NAMES, Kind::Bool),
        (YES_NO_NAMES, Kind::YesNo),
        (FILE_NAMES, Kind::File),
        (OBJECT_NAMES, Kind::Object),
        (ARRAY_NAMES, Kind::Array),
        (ANY_NAMES, Kind::Any),
        (&["null", "void"], Kind::Null),
    ];
    if let Some((_, kind)) = tables.iter().find(|(names, _)| names.contains(&lower)) {
        return *kind;
    }
    let folded = lower.to_ascii_lowercase();
    if folded.ends_with(".id") || folded.ends_with("_id") {
        return Kind::Int;
    }
    // `catalog_measure.code`, `sale_lang.lid`: a reference by some other (string) key.
    if lower.contains('.') {
        return Kind::Str;
    }
    Kind::Unknown
}

/// The kind a whole type expression stands for: arrays are arrays, `T | null` is `T`, a union
/// of different kinds is `Any`.
pub fn kind_of_expr(ty: &crate::TypeExpr) -> Kind {
    match ty {
        crate::TypeExpr::Named(name) => kind_of(name),
        crate::TypeExpr::Array(_) => Kind::Array,
        crate::TypeExpr::Union(alts) => {
            let mut kinds = alts.iter().map(kind_of_expr).filter(|k| *k != Kind::Null);
            let first = kinds.next().unwrap_or(Kind::Null);
            if kinds.all(|k| k == first) {
                first
            } else {
                Kind::Any
            }
        }
    }
}
