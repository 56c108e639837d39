//! Small hand-made specs for the rule tests: a builder per spec type, with defaults a test
//! only overrides where it matters.

use b24_spec::{
    ApiVersion, Deprecation, ErrorEntry, Examples, Method, Param, ResultField, Snapshot, Spec,
    TypeExpr,
};

/// A method in group `<first name segment>`, documented at `api-reference/<group>/<name>.md`.
pub(crate) fn method(name: &str) -> MethodBuilder {
    let group = name.split('.').next().unwrap_or(name).to_owned();
    MethodBuilder(Method {
        method: name.to_owned(),
        api: ApiVersion::V2,
        source: format!("api-reference/{group}/{name}.md"),
        group,
        title: format!("The {name} method"),
        scope: vec!["crm".to_owned()],
        access: Some("any user".to_owned()),
        deprecated: Deprecation::Current,
        description: "Does a thing.".to_owned(),
        params: Vec::new(),
        result: Vec::new(),
        result_wire: None,
        errors: Vec::new(),
        system_errors: true,
        examples: Examples::default(),
        one_of: Vec::new(),
        patched: Vec::new(),
    })
}

/// Builds a [`Method`] field by field.
#[derive(Clone, Debug)]
pub(crate) struct MethodBuilder(Method);

impl MethodBuilder {
    pub(crate) fn v3(mut self) -> Self {
        self.0.api = ApiVersion::V3;
        self.0.source = self.0.source.replace(".md", "-v3.md");
        self
    }

    pub(crate) fn group(mut self, group: &str) -> Self {
        self.0.group = group.to_owned();
        self
    }

    pub(crate) fn source(mut self, source: &str) -> Self {
        self.0.source = source.to_owned();
        self
    }

    pub(crate) fn title(mut self, title: &str) -> Self {
        self.0.title = title.to_owned();
        self
    }

    pub(crate) fn description(mut self, description: &str) -> Self {
        self.0.description = description.to_owned();
        self
    }

    pub(crate) fn scope(mut self, scope: &[&str]) -> Self {
        self.0.scope = scope.iter().map(|s| (*s).to_owned()).collect();
        self
    }

    pub(crate) fn access(mut self, access: &str) -> Self {
        self.0.access = Some(access.to_owned());
        self
    }

    pub(crate) fn deprecated(mut self, replacement: Option<&str>) -> Self {
        self.0.deprecated = Deprecation::Deprecated {
            note: Some("Use something else.".to_owned()),
            replacement: replacement.map(str::to_owned),
            outdated_folder: false,
        };
        self
    }

    pub(crate) fn params(mut self, params: Vec<Param>) -> Self {
        self.0.params = params;
        self
    }

    pub(crate) fn result(mut self, result: Vec<ResultField>) -> Self {
        self.0.result = result;
        self
    }

    pub(crate) fn errors(mut self, errors: Vec<ErrorEntry>) -> Self {
        self.0.errors = errors;
        self
    }

    pub(crate) fn response_example(mut self, json: serde_json::Value) -> Self {
        self.0.examples.response = Some(json);
        self
    }

    pub(crate) fn build(self) -> Method {
        self.0
    }
}

fn ty(text: &str) -> Option<TypeExpr> {
    (!text.is_empty()).then(|| TypeExpr::parse(text).expect("fixture type"))
}

/// An optional parameter; `ty` in the canonical grammar, `""` for none.
pub(crate) fn param(name: &str, ty_text: &str) -> Param {
    Param {
        name: name.to_owned(),
        ty: ty(ty_text),
        required: false,
        description: format!("The {name}."),
        default: None,
        fields: Vec::new(),
        ..Param::new(name, None, false)
    }
}

/// A required parameter.
pub(crate) fn required(name: &str, ty_text: &str) -> Param {
    Param {
        required: true,
        ..param(name, ty_text)
    }
}

/// `parent` with nested `fields`.
pub(crate) fn with_fields(parent: Param, fields: Vec<Param>) -> Param {
    Param { fields, ..parent }
}

/// A result field.
pub(crate) fn field(name: &str, ty_text: &str) -> ResultField {
    ResultField {
        name: name.to_owned(),
        ty: ty(ty_text),
        description: format!("The {name}."),
        fields: Vec::new(),
        ..ResultField::new(name, None)
    }
}

/// `parent` with nested result `fields`.
pub(crate) fn with_result_fields(parent: ResultField, fields: Vec<ResultField>) -> ResultField {
    ResultField { fields, ..parent }
}

/// An error row.
pub(crate) fn error(status: Option<u16>, code: &str, message: &str) -> ErrorEntry {
    ErrorEntry {
        status,
        code: code.to_owned(),
        message: message.to_owned(),
        description: String::new(),
        code_recovered: false,
        code_lost: false,
    }
}

/// A spec holding `methods`.
pub(crate) fn spec(methods: Vec<Method>) -> Spec {
    let mut spec = Spec {
        snapshot: Snapshot {
            repo: "example/docs".to_owned(),
            commit: "0123456789abcdef".to_owned(),
            date: Some("2026-01-01".to_owned()),
            format: "markdown".to_owned(),
        },
        system_errors: Vec::new(),
        methods,
        entities: Vec::new(),
        placements: Vec::new(),
        events: Vec::new(),
    };
    spec.sort();
    spec
}
