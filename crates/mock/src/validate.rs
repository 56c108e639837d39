//! Checking a call against its spec entry: required members (at every nesting level whose
//! parent was sent) and documented types. Failures answer in the documented error shape.
//!
//! The checks are a list of [`Rule`]s derived from the method, evaluated against the
//! parameters; a new kind of constraint (the spec's coming one-of groups, e.g. `[[ID], [TAG]]`)
//! is one more `Rule` variant and one more arm in [`rules`] and [`Rule::violation`].
//!
//! Decisions where the portal's behaviour is not documented:
//! * REST v2 matches parameter names case-insensitively (`id` and `ID` reach the same
//!   handler on the portal); REST 3.0 matches them exactly.
//! * REST v2 parameters usually arrive form-encoded, so numbers and booleans are accepted as
//!   strings (`"5"`, `"Y"`); REST 3.0 is JSON and typed strictly.
//! * Types the checker does not know (entity types such as `crm_status`, dates, files) accept
//!   any value: the mock refuses only what the spec says is wrong.
//! * A v2 failure uses the page's own error when one of its documented errors names the
//!   parameter and says what is wrong with it; otherwise `ERROR_ARGUMENT`, the code the
//!   portal's argument checks use. REST 3.0 uses `..._REQUESTVALIDATIONEXCEPTION` with a
//!   `validation` entry per field.

use b24_spec::{ApiVersion, ErrorEntry, Method, Param, TypeExpr};
use serde_json::{Map, Value};

use crate::reply::{ApiError, FieldError};

/// The REST 3.0 validation error code.
pub const V3_VALIDATION: &str = "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION";

/// One constraint on a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule<'a> {
    /// `path` must be present (checked only when its parent object was sent).
    Required {
        /// Member names from the top level.
        path: Vec<&'a str>,
    },
    /// At least one whole alternative set of top-level parameters must be present (`one_of`);
    /// its members are then not required one by one.
    OneOf {
        /// The alternative sets, by parameter name.
        sets: &'a [Vec<String>],
    },
    /// `path`, when present, must have type `ty`.
    Type {
        /// Member names from the top level.
        path: Vec<&'a str>,
        /// The documented type.
        ty: &'a TypeExpr,
    },
}

/// What is wrong with one member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Violation {
    /// A required member is missing.
    Missing(String),
    /// None of the alternative parameter sets is complete.
    NoAlternative(String),
    /// A member has the wrong type.
    WrongType {
        /// Dotted path.
        field: String,
        /// The documented type.
        expected: String,
    },
}

impl Violation {
    fn field(&self) -> &str {
        match self {
            Violation::Missing(field)
            | Violation::NoAlternative(field)
            | Violation::WrongType { field, .. } => field,
        }
    }

    fn message(&self) -> String {
        match self {
            Violation::Missing(field) => format!("Required field `{field}` is not specified"),
            Violation::NoAlternative(sets) => {
                format!("One of the parameters must be specified: {sets}")
            }
            Violation::WrongType { field, expected } => {
                format!("Field `{field}` must be of type `{expected}`")
            }
        }
    }
}

/// Every rule the spec gives for `method`.
pub fn rules(method: &Method) -> Vec<Rule<'_>> {
    let mut out = Vec::new();
    collect(&method.params, &mut Vec::new(), &mut out);
    if !method.one_of.is_empty() {
        // A member of an alternative is required only as part of its set.
        let alternative = |key: &str| {
            method
                .one_of
                .iter()
                .flatten()
                .any(|n| key_of(method, n) == key)
        };
        out.retain(|rule| !matches!(rule, Rule::Required { path } if path.len() == 1 && alternative(path[0])));
        out.push(Rule::OneOf {
            sets: &method.one_of,
        });
    }
    out
}

/// The key a top-level parameter named `name` is sent under.
fn key_of<'a>(method: &'a Method, name: &'a str) -> &'a str {
    let param = method.params.iter().find(|p| p.name == name);
    param.map_or(name, Param::key)
}

fn collect<'a>(params: &'a [Param], prefix: &mut Vec<&'a str>, out: &mut Vec<Rule<'a>>) {
    for param in params {
        // The key a typed client sends (`wire_name` when the page's example spells it apart).
        prefix.push(param.key());
        if param.required {
            out.push(Rule::Required {
                path: prefix.clone(),
            });
        }
        if let Some(ty) = &param.ty {
            out.push(Rule::Type {
                path: prefix.clone(),
                ty,
            });
        }
        collect(&param.fields, prefix, out);
        prefix.pop();
    }
}

impl Rule<'_> {
    /// The violation of this rule by `params`, if any.
    pub fn violation(&self, params: &Value, api: ApiVersion) -> Option<Violation> {
        match self {
            Rule::Required { path } => {
                let (parent, last) = path.split_at(path.len() - 1);
                let parent = lookup(params, parent, api)?;
                // Only objects have members; a parent of another shape is a type error elsewhere.
                parent.as_object()?;
                let present = lookup(parent, last, api).is_some_and(|v| !v.is_null());
                (!present).then(|| Violation::Missing(path.join(".")))
            }
            Rule::OneOf { sets } => {
                // v2 names are read in any case (see `lookup`), which also covers the few
                // alternatives whose key differs from the documented name only by case.
                let present = |name: &String| {
                    lookup(params, &[name.as_str()], api).is_some_and(|v| !v.is_null())
                };
                let complete = sets.iter().any(|set| set.iter().all(present));
                let names: Vec<String> = sets.iter().map(|set| set.join(" + ")).collect();
                (!complete).then(|| Violation::NoAlternative(names.join(" | ")))
            }
            Rule::Type { path, ty } => {
                let value = lookup(params, path, api)?;
                (!value.is_null() && !fits(ty, value, api)).then(|| Violation::WrongType {
                    field: path.join("."),
                    expected: ty.to_string(),
                })
            }
        }
    }
}

/// Check `params` against `method`; the first failure becomes the documented error.
pub fn check(method: &Method, params: &Value) -> Result<(), ApiError> {
    let violations: Vec<Violation> = rules(method)
        .iter()
        .filter_map(|rule| rule.violation(params, method.api))
        .collect();
    match violations.first() {
        None => Ok(()),
        Some(first) => Err(match method.api {
            ApiVersion::V2 => v2_error(method, first),
            ApiVersion::V3 => v3_error(&violations),
        }),
    }
}

fn v3_error(violations: &[Violation]) -> ApiError {
    let mut error = ApiError::new(400, V3_VALIDATION, violations[0].message());
    error.validation = violations
        .iter()
        .map(|v| FieldError {
            field: v.field().to_owned(),
            message: v.message(),
        })
        .collect();
    error
}

fn v2_error(method: &Method, violation: &Violation) -> ApiError {
    if let Some(entry) = documented_error(&method.errors, violation) {
        return ApiError::new(
            entry.status.unwrap_or(400),
            entry.code.clone(),
            entry.message.clone(),
        );
    }
    let name = violation.field();
    let message = match violation {
        Violation::Missing(_) => format!("Argument '{name}' is null or empty"),
        Violation::WrongType { expected, .. } => format!("Argument '{name}' must be {expected}"),
        Violation::NoAlternative(sets) => format!("One of the parameters is required: {sets}"),
    };
    ApiError::new(400, "ERROR_ARGUMENT", message)
}

/// A documented error that names the member and says the same kind of thing is wrong.
fn documented_error<'a>(errors: &'a [ErrorEntry], violation: &Violation) -> Option<&'a ErrorEntry> {
    let name = violation
        .field()
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let quoted = [
        format!("`{name}`"),
        format!("'{name}'"),
        format!("{{{name}}}"),
        format!("\"{name}\""),
        format!("{name} is"),
    ];
    let words: &[&str] = match violation {
        Violation::Missing(_) => &[
            "not defined",
            "not specified",
            "not passed",
            "missing",
            "required",
            "empty",
            "no value",
        ],
        Violation::WrongType { .. } => &["must be", "invalid", "not a"],
        // The alternatives have no single member to name; the generic error says them all.
        Violation::NoAlternative(_) => return None,
    };
    errors.iter().find(|entry| {
        let text = format!("{} {}", entry.message, entry.description).to_ascii_lowercase();
        !entry.code_lost
            && quoted.iter().any(|q| text.contains(q.as_str()))
            && words.iter().any(|w| text.contains(w))
    })
}

fn lookup<'v>(value: &'v Value, path: &[&str], api: ApiVersion) -> Option<&'v Value> {
    path.iter()
        .try_fold(value, |node, key| member(node.as_object()?, key, api))
}

fn member<'v>(map: &'v Map<String, Value>, key: &str, api: ApiVersion) -> Option<&'v Value> {
    map.get(key).or_else(|| match api {
        ApiVersion::V2 => map
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v),
        ApiVersion::V3 => None,
    })
}

/// Whether `value` has the documented type.
pub fn fits(ty: &TypeExpr, value: &Value, api: ApiVersion) -> bool {
    let loose = api == ApiVersion::V2;
    match ty {
        TypeExpr::Union(alternatives) => alternatives.iter().any(|t| fits(t, value, api)),
        TypeExpr::Array(inner) => match value {
            Value::Array(items) => items.iter().all(|v| fits(inner, v, api)),
            // PHP arrays with keys arrive as objects.
            Value::Object(map) => loose && map.values().all(|v| fits(inner, v, api)),
            _ => false,
        },
        TypeExpr::Named(name) => fits_named(&name.to_ascii_lowercase(), value, loose),
    }
}

fn fits_named(name: &str, value: &Value, loose: bool) -> bool {
    let text = value.as_str().map(str::trim);
    match name {
        "integer" | "int" => {
            value.is_i64()
                || value.is_u64()
                || (loose && text.is_some_and(|t| t.parse::<i64>().is_ok()))
        }
        "double" | "float" | "number" => {
            value.is_number() || (loose && text.is_some_and(|t| t.parse::<f64>().is_ok()))
        }
        "boolean" | "bool" => {
            value.is_boolean()
                || (loose
                    && (text.is_some_and(|t| {
                        matches!(t, "Y" | "N" | "y" | "n" | "true" | "false" | "0" | "1" | "")
                    }) || value.as_u64().is_some_and(|n| n <= 1)))
        }
        "string" | "text" => {
            value.is_string() || (loose && (value.is_number() || value.is_boolean()))
        }
        "object" => value.is_object() || value.as_array().is_some_and(Vec::is_empty),
        "array" => value.is_array() || (loose && value.is_object()),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn param(name: &str, ty: &str, required: bool, fields: Vec<Param>) -> Param {
        Param {
            name: name.into(),
            ty: Some(TypeExpr::parse(ty).unwrap()),
            required,
            fields,
            ..Param::new(name, None, required)
        }
    }

    fn method(api: ApiVersion, params: Vec<Param>, errors: Vec<ErrorEntry>) -> Method {
        Method {
            method: "x.thing.add".into(),
            api,
            group: "x".into(),
            title: "t".into(),
            scope: vec![],
            access: None,
            deprecated: Default::default(),
            source: "s.md".into(),
            description: String::new(),
            params,
            result: vec![],
            result_wire: None,
            errors,
            system_errors: true,
            examples: Default::default(),
            one_of: vec![],
            patched: vec![],
        }
    }

    fn entry(code: &str, message: &str, description: &str) -> ErrorEntry {
        ErrorEntry {
            status: None,
            code: code.into(),
            message: message.into(),
            description: description.into(),
            code_recovered: false,
            code_lost: false,
        }
    }

    fn shape() -> Vec<Param> {
        vec![
            param("id", "integer", true, vec![]),
            param(
                "fields",
                "object",
                false,
                vec![
                    param("NAME", "string", true, vec![]),
                    param("SORT", "integer", false, vec![]),
                ],
            ),
        ]
    }

    #[test]
    fn v2_missing_member_uses_the_pages_own_error_when_it_names_it() {
        let m = method(
            ApiVersion::V2,
            shape(),
            vec![
                entry("", "Access denied", "No permission for `id`"),
                entry(
                    "",
                    "ID is not defined or invalid",
                    "The `id` parameter has no value",
                ),
            ],
        );
        let err = check(&m, &json!({"fields": {"NAME": "n"}})).unwrap_err();
        assert_eq!(err, ApiError::new(400, "", "ID is not defined or invalid"));
        // Names are case-insensitive in v2, and numbers may be strings.
        assert!(check(&m, &json!({"ID": "5"})).is_ok());
    }

    #[test]
    fn nested_required_members_are_checked_only_when_the_parent_is_sent() {
        let m = method(ApiVersion::V2, shape(), vec![]);
        assert!(check(&m, &json!({"id": 1})).is_ok());
        let err = check(&m, &json!({"id": 1, "fields": {"SORT": "2"}})).unwrap_err();
        assert_eq!(
            err,
            ApiError::new(
                400,
                "ERROR_ARGUMENT",
                "Argument 'fields.NAME' is null or empty"
            )
        );
        let err = check(&m, &json!({"id": 1, "fields": {"NAME": "n", "SORT": "x"}})).unwrap_err();
        assert_eq!(err.message, "Argument 'fields.SORT' must be integer");
    }

    #[test]
    fn one_of_needs_one_whole_alternative_and_nothing_more() {
        let mut m = method(
            ApiVersion::V2,
            vec![
                param("ID", "integer", true, vec![]),
                param("TAG", "string", true, vec![]),
            ],
            vec![],
        );
        m.one_of = vec![vec!["ID".into()], vec!["TAG".into()]];
        assert!(check(&m, &json!({"TAG": "t"})).is_ok());
        assert!(check(&m, &json!({"ID": 5})).is_ok());
        let err = check(&m, &json!({})).unwrap_err();
        assert_eq!(err.message, "One of the parameters is required: ID | TAG");
    }

    #[test]
    fn parameters_are_checked_under_the_key_the_client_sends() {
        let mut sprint = param("sprintId", "integer", true, vec![]);
        sprint.wire_name = Some("id".into());
        let m = method(ApiVersion::V2, vec![sprint], vec![]);
        assert!(check(&m, &json!({"id": 2})).is_ok());
        assert!(check(&m, &json!({"sprintId": 2})).is_err());
    }

    #[test]
    fn v3_is_strict_and_lists_every_field() {
        let m = method(ApiVersion::V3, shape(), vec![]);
        let err = check(&m, &json!({"id": "1", "fields": {}})).unwrap_err();
        assert_eq!(err.code, V3_VALIDATION);
        let fields: Vec<&str> = err.validation.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, vec!["id", "fields.NAME"]);
        assert!(check(&m, &json!({"ID": 1})).is_err(), "v3 names are exact");
        assert!(check(&m, &json!({"id": 1})).is_ok());
    }

    #[test]
    fn types_follow_the_documented_grammar() {
        let ty = |s: &str| TypeExpr::parse(s).unwrap();
        assert!(fits(&ty("integer[]"), &json!([1, "2"]), ApiVersion::V2));
        assert!(!fits(&ty("integer[]"), &json!([1, "x"]), ApiVersion::V2));
        assert!(fits(&ty("string | integer"), &json!(3), ApiVersion::V3));
        assert!(!fits(&ty("boolean"), &json!("maybe"), ApiVersion::V2));
        assert!(fits(&ty("boolean"), &json!("Y"), ApiVersion::V2));
        assert!(!fits(&ty("object"), &json!([1]), ApiVersion::V2));
        assert!(fits(&ty("crm_status"), &json!({"any": 1}), ApiVersion::V3));
    }
}
