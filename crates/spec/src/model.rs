//! The spec types. Field order here is the key order in the YAML files, so it is chosen for
//! reviewers: identity first, then what a caller needs, then the long tail.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::TypeExpr;

/// The whole spec: where it came from, the system error catalogue and every method.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Spec {
    /// The upstream docs snapshot the spec was extracted from.
    pub snapshot: Snapshot,
    /// Errors any method can return (`spec/errors.yaml`).
    pub system_errors: Vec<SystemError>,
    /// Every method, sorted by [`Method::key`] (see [`Spec::sort`]).
    pub methods: Vec<Method>,
    /// Entity field tables, sorted by id (`spec/entities/<group>/<id>.yaml`).
    pub entities: Vec<crate::Entity>,
    /// Widget placements, sorted by code (`spec/placements.yaml`).
    pub placements: Vec<crate::Placement>,
    /// Events, sorted by group and name (`spec/events/<group>/<event>.yaml`).
    pub events: Vec<crate::Event>,
}

impl Spec {
    /// Puts methods into their canonical order so output never depends on discovery order.
    pub fn sort(&mut self) {
        self.methods.sort_by_key(Method::key);
        self.entities.sort_by(|a, b| a.id.cmp(&b.id));
        self.placements.sort_by(|a, b| a.code.cmp(&b.code));
        self.events
            .sort_by(|a, b| (&a.group, &a.event).cmp(&(&b.group, &b.event)));
    }

    /// Looks a method up by wire name and API version.
    pub fn method(&self, name: &str, api: ApiVersion) -> Option<&Method> {
        self.methods
            .iter()
            .find(|m| m.method == name && m.api == api)
    }
}

/// `spec/source.yaml`: the upstream repository and commit. No timestamps: the spec must be a
/// pure function of its input.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// `owner/name` of the upstream docs repository.
    pub repo: String,
    /// The upstream commit.
    pub commit: String,
    /// The snapshot's date as its `SNAPSHOT` file states it, if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// What the docs were read from: `markdown`, `html` or `text`.
    pub format: String,
}

/// Which REST API a method belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApiVersion {
    /// The classic REST API, `/rest/{method}`.
    V2,
    /// REST 3.0, `/rest/api/{method}`.
    V3,
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ApiVersion::V2 => "v2",
            ApiVersion::V3 => "v3",
        })
    }
}

/// What identifies a method across spec versions: its wire name and API version.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MethodKey {
    /// The API group (`crm`, `tasks`, ...): sorting by it keeps each group's files together.
    pub group: String,
    /// Wire name.
    pub method: String,
    /// API version.
    pub api: ApiVersion,
}

/// One REST method as its documentation page describes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Method {
    /// The name as called on the wire, e.g. `crm.deal.add`.
    pub method: String,
    /// `v2` or `v3`.
    pub api: ApiVersion,
    /// The API group, from the docs folder (`crm`, `tasks`, `chats`, ...); one cargo feature each.
    pub group: String,
    /// The page title.
    pub title: String,
    /// Permission scopes (`crm`, `task`, ...); empty when the page names none.
    #[serde(default)]
    pub scope: Vec<String>,
    /// "Who can execute the method", as the page says it.
    #[serde(default)]
    pub access: Option<String>,
    /// Whether the method is deprecated, and what replaces it.
    #[serde(default)]
    pub deprecated: Deprecation,
    /// The page, relative to the docs root.
    pub source: String,
    /// What the method does, as markdown.
    #[serde(default)]
    pub description: String,
    /// Request parameters, in page order.
    #[serde(default)]
    pub params: Vec<Param>,
    /// Fields of the returned data, in page order.
    #[serde(default)]
    pub result: Vec<ResultField>,
    /// How `result` itself travels when the result table lists its members (an `array` of
    /// them, where the table reads like one object); decided by the response example.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_wire: Option<Wire>,
    /// Method-specific errors, in page order.
    #[serde(default)]
    pub errors: Vec<ErrorEntry>,
    /// Whether the page includes the shared system errors table.
    #[serde(default)]
    pub system_errors: bool,
    /// The page's own request and response examples.
    #[serde(default, skip_serializing_if = "Examples::is_empty")]
    pub examples: Examples,
    /// Alternative sets of top-level parameters: exactly one set must be sent (for example
    /// `[[ID], [TAG], [SUB_TAG]]`). Members of a set are required together.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub one_of: Vec<Vec<String>>,
    /// What reviewed patches (`spec/patches/`) changed on the method itself (`one_of`,
    /// `examples.request`...); members carry their own marks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patched: Vec<String>,
}

/// Envelope keys some result tables list beside `result`; they are not part of `result`.
pub const ENVELOPE_KEYS: &[&str] = &["time", "total", "next"];

/// How a result table describes `result`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResultLayout {
    /// The table documents nothing of `result`.
    Nothing,
    /// One `result` row (the index) documents `result` itself; its members are nested.
    Whole(usize),
    /// The rows (indices) are the members of `result` (an object, or each item of a list).
    Members(Vec<usize>),
}

/// Reads the layout the way every stage must: envelope keys aside, a lone `result` row is
/// `result`; otherwise the rows are its members (an untyped `result` row beside them is only a
/// heading for them).
pub fn result_layout(fields: &[ResultField]) -> ResultLayout {
    let body: Vec<usize> = (0..fields.len())
        .filter(|i| !ENVELOPE_KEYS.contains(&fields[*i].name.as_str()))
        .collect();
    match body.as_slice() {
        [] => ResultLayout::Nothing,
        [only] if fields[*only].name == "result" => ResultLayout::Whole(*only),
        _ => {
            let wrapper = body
                .iter()
                .any(|i| fields[*i].name == "result" && fields[*i].fields.is_empty());
            ResultLayout::Members(
                body.into_iter()
                    .filter(|i| !wrapper || fields[*i].name != "result")
                    .collect(),
            )
        }
    }
}

impl Method {
    /// True when a reviewed patch changed the method or any of its members.
    pub fn is_patched(&self) -> bool {
        !self.patched.is_empty() || self.is_request_patched() || self.is_response_patched()
    }

    /// True when a reviewed patch changed what the request sends (a parameter or `one_of`).
    pub fn is_request_patched(&self) -> bool {
        fn param(p: &Param) -> bool {
            !p.patched.is_empty() || p.fields.iter().any(param)
        }
        self.patched.iter().any(|m| m == "one_of") || self.params.iter().any(param)
    }

    /// True when a reviewed patch changed how the result is read.
    pub fn is_response_patched(&self) -> bool {
        fn result(f: &ResultField) -> bool {
            !f.patched.is_empty() || f.fields.iter().any(result)
        }
        self.result.iter().any(result)
    }

    /// The method's identity.
    pub fn key(&self) -> MethodKey {
        MethodKey {
            group: self.group.clone(),
            method: self.method.clone(),
            api: self.api,
        }
    }
}

/// A request parameter, or a nested field of one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// The name as sent on the wire.
    pub name: String,
    /// The documented type; `None` when the page gives none (or the copy lost it).
    #[serde(rename = "type")]
    pub ty: Option<TypeExpr>,
    /// Marked with `*` on the page.
    pub required: bool,
    /// The description, as markdown.
    #[serde(default)]
    pub description: String,
    /// The default value, when the page states one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Members of an object (or of the elements of an array), in page order.
    #[serde(default)]
    pub fields: Vec<Param>,
    /// How the value travels when that differs from what the documented type says (decided by
    /// the page's own examples and value lists; see [`Wire`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wire: Option<Wire>,
    /// The key the page's example sends when its spelling differs from `name` (REST v2 reads
    /// many top-level names case-insensitively; the SDK sends what the example sends).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wire_name: Option<String>,
    /// `name` is a family of keys (`UF_CRM_*`): every key starting with the part before `*`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pattern: bool,
    /// Attributes a reviewed patch set (`required`, `type`, `wire`...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patched: Vec<String>,
    /// The entity whose field table this parameter refers to (`select`, `filter`, `order`
    /// take field *names* and operator-prefixed keys, not nested members); see
    /// [`crate::Entity`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields_ref: Option<String>,
    /// The closed list of values the docs give, as they travel (empty when the docs give none
    /// or present the list as examples only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<crate::ClosedValue>,
}

impl Param {
    /// The key sent on the wire.
    pub fn key(&self) -> &str {
        self.wire_name.as_deref().unwrap_or(&self.name)
    }

    /// A plain parameter with no members and no wire decisions (fixtures and tests).
    pub fn new(name: impl Into<String>, ty: Option<TypeExpr>, required: bool) -> Self {
        Param {
            name: name.into(),
            ty,
            required,
            description: String::new(),
            default: None,
            fields: Vec::new(),
            wire: None,
            wire_name: None,
            pattern: false,
            patched: Vec::new(),
            fields_ref: None,
            values: Vec::new(),
        }
    }
}

/// A field of the returned data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultField {
    /// The key in the response.
    pub name: String,
    /// The documented type; `None` when the page gives none.
    #[serde(rename = "type")]
    pub ty: Option<TypeExpr>,
    /// The description, as markdown.
    #[serde(default)]
    pub description: String,
    /// Members of an object field, in page order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<ResultField>,
    /// How the value travels when that differs from the documented type (see [`Wire`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wire: Option<Wire>,
    /// `name` is a family of keys (`UF_CRM_*`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pattern: bool,
    /// Attributes a reviewed patch set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patched: Vec<String>,
    /// The closed list of values the docs give (see [`Param::values`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<crate::ClosedValue>,
}

impl ResultField {
    /// A plain result field with no members and no wire decisions (fixtures and tests).
    pub fn new(name: impl Into<String>, ty: Option<TypeExpr>) -> Self {
        ResultField {
            name: name.into(),
            ty,
            description: String::new(),
            fields: Vec::new(),
            wire: None,
            pattern: false,
            patched: Vec::new(),
            values: Vec::new(),
        }
    }
}

/// An error a method's page documents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorEntry {
    /// The HTTP status, when the page gives one.
    pub status: Option<u16>,
    /// The `error` code on the wire; `""` when the page says the code is empty.
    pub code: String,
    /// The `error_description` text.
    #[serde(default)]
    pub message: String,
    /// What the error means.
    #[serde(default)]
    pub description: String,
    /// True when the code was not on the page but recovered from its message (lossy copies).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub code_recovered: bool,
    /// True when the copy lost the code and nothing recovered it: `code` is empty because it is
    /// unknown, not because the docs say the code is empty.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub code_lost: bool,
}

/// An error any method can return, from a page that documents codes for every call: the system
/// errors table, the limits page, the OAuth server's codes, method confirmation, REST 3.0's
/// common errors. One entry per documented (status, code) pair.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemError {
    /// The HTTP status; absent where the page does not say (the OAuth server's codes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The `error` code on the wire.
    pub code: String,
    /// The `error_description` text (the page's reason where it shows no message).
    pub message: String,
    /// What the error means.
    pub description: String,
    /// What the page says to do about it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub remedy: String,
    /// The docs page it is documented on.
    pub source: String,
}

/// The page's request and success-response examples, as JSON.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// The JSON body of the curl example (without `auth`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Value>,
    /// The success response example.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<Value>,
    /// Why the request example is wrong, when a reviewed patch records it as a doc defect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_defect: Option<String>,
    /// Why the response example is wrong, when a reviewed patch records it as a doc defect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_defect: Option<String>,
}

impl Examples {
    /// True when the page had neither example.
    pub fn is_empty(&self) -> bool {
        self.request.is_none() && self.response.is_none()
    }
}

/// Deprecation status. On disk: `deprecated: false`, or a mapping with the details.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Deprecation {
    /// The method is current.
    #[default]
    Current,
    /// The method is deprecated.
    Deprecated {
        /// The deprecation note, as markdown, when the page has one.
        note: Option<String>,
        /// The method the note names as the replacement.
        replacement: Option<String>,
        /// True when the page lives in an `outdated/` folder.
        outdated_folder: bool,
    },
}

impl Deprecation {
    /// True for [`Deprecation::Deprecated`].
    pub fn is_deprecated(&self) -> bool {
        matches!(self, Deprecation::Deprecated { .. })
    }
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum DeprecationRepr {
    Flag(bool),
    Details(DeprecationDetails),
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeprecationDetails {
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    replacement: Option<String>,
    #[serde(default)]
    outdated_folder: bool,
}

impl Serialize for Deprecation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Deprecation::Current => DeprecationRepr::Flag(false),
            Deprecation::Deprecated {
                note,
                replacement,
                outdated_folder,
            } => DeprecationRepr::Details(DeprecationDetails {
                note: note.clone(),
                replacement: replacement.clone(),
                outdated_folder: *outdated_folder,
            }),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Deprecation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match DeprecationRepr::deserialize(deserializer)? {
            DeprecationRepr::Flag(false) => Deprecation::Current,
            DeprecationRepr::Flag(true) => Deprecation::Deprecated {
                note: None,
                replacement: None,
                outdated_folder: false,
            },
            DeprecationRepr::Details(d) => Deprecation::Deprecated {
                note: d.note,
                replacement: d.replacement,
                outdated_folder: d.outdated_folder,
            },
        })
    }
}

/// How a value travels when that differs from what its documented type says. The page's own
/// examples decide it (a `boolean` the curl example sends as `"Y"`), or its value list (`Y` —
/// yes, `N` — no), or a reviewed patch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Wire {
    /// A flag sent as `"Y"`/`"N"`.
    YesNo,
    /// A flag sent as JSON `true`/`false`.
    Boolean,
    /// A flag sent as the number `1`/`0`.
    Bit,
    /// A number sent as a JSON string (`"5"`).
    NumberString,
    /// A JSON integer.
    Integer,
    /// A JSON number with a fraction.
    Number,
    /// A JSON string.
    String,
    /// A JSON object whose keys are the documented members (or free keys when none are).
    Object,
    /// A JSON array of the documented member type.
    Array,
    /// Anything: the examples disagree with each other or the value has no fixed shape.
    Any,
}
