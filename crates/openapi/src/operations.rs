//! One operation per method: `POST /{method}` (REST v2, under the webhook and OAuth servers)
//! or `POST /api/{method}` (REST 3.0, `/rest/api/` under the OAuth server), the request body
//! from the parameters (required members, `one_of` sets as `anyOf` of `required` lists), the
//! success envelope from the result table (its members placed as the page's example answer
//! has them, [`crate::result_schema`]), and the documented and system errors as error
//! responses.

use std::collections::BTreeMap;

use b24_spec::result_shape;
use b24_spec::{result_layout, ApiVersion, Method, ResultField, ResultLayout, Spec, Wire};
use serde_json::{json, Map, Value};

use crate::schema::{self, Context, Member, Side};

/// The path an operation is served at, relative to its servers.
pub fn path(method: &Method) -> String {
    match method.api {
        ApiVersion::V2 => format!("/{}", method.method),
        ApiVersion::V3 => format!("/api/{}", method.method),
    }
}

/// The operation id: the method name, REST 3.0 ones prefixed (six names exist in both).
pub fn operation_id(method: &Method) -> String {
    match method.api {
        ApiVersion::V2 => method.method.clone(),
        ApiVersion::V3 => format!("v3.{}", method.method),
    }
}

/// The path item of one method.
pub fn path_item(method: &Method, spec: &Spec, cx: &Context) -> Value {
    let mut op = Map::new();
    op.insert("operationId".into(), operation_id(method).into());
    op.insert("summary".into(), method.title.clone().into());
    if !method.description.is_empty() {
        op.insert("description".into(), method.description.clone().into());
    }
    op.insert("tags".into(), json!([method.group]));
    if method.deprecated.is_deprecated() {
        op.insert("deprecated".into(), true.into());
    }
    op.insert("x-bitrix24-scope".into(), json!(method.scope));
    if let Some(access) = &method.access {
        op.insert("x-bitrix24-access".into(), access.clone().into());
    }
    op.insert("x-bitrix24-source".into(), method.source.clone().into());
    op.insert(
        "security".into(),
        crate::security::requirement(&method.scope),
    );
    op.insert("requestBody".into(), request_body(method, cx));
    op.insert("responses".into(), responses(method, spec, cx));
    let mut item = Map::new();
    if method.api == ApiVersion::V3 {
        // `/rest/api/{method}` with the OAuth `auth` parameter. A webhook calls it at
        // `/rest/api/{user_id}/{webhook_code}/{method}`: the webhook sits between `api` and the
        // method, which no server prefix expresses, so the URL is given as an extension.
        item.insert("servers".into(), json!([crate::security::oauth_server()]));
        let url = format!(
            "https://{{portal}}/rest/api/{{user_id}}/{{webhook_code}}/{}",
            method.method
        );
        op.insert("x-bitrix24-webhook-url".into(), url.into());
    }
    item.insert("post".into(), op.into());
    item.into()
}

fn request_body(method: &Method, cx: &Context) -> Value {
    let members: Vec<Member<'_>> = method.params.iter().map(Member::param).collect();
    let mut body = schema::object(&members, Side::Send, cx);
    let sets: Vec<Value> = method
        .one_of
        .iter()
        .map(|set| {
            let keys: Vec<&str> = set
                .iter()
                .map(|name| {
                    method
                        .params
                        .iter()
                        .find(|p| &p.name == name)
                        .map_or(name.as_str(), |p| p.key())
                })
                .collect();
            json!({ "required": keys })
        })
        .collect();
    if !sets.is_empty() {
        // The portal reads the first complete set it finds, so more than one is allowed.
        body["anyOf"] = sets.into();
    }
    let required = method.params.iter().any(|p| p.required) || !method.one_of.is_empty();
    let mut media = json!({ "schema": body });
    if let Some(example) = &method.examples.request {
        media["example"] = example.clone();
    }
    json!({ "required": required, "content": { "application/json": media } })
}

fn responses(method: &Method, spec: &Spec, cx: &Context) -> Value {
    // Codes by status: the page's own first, then the system catalogue's.
    let mut by_status: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for error in &method.errors {
        let key = error.status.map_or("default".to_owned(), |s| s.to_string());
        by_status.entry(key).or_default().push(error.code.clone());
    }
    let system: BTreeMap<String, Vec<String>> = crate::errors::system_by_status(spec);
    // Codes the portal answers with HTTP 200 share the success response: its body is the
    // envelope or an error (keyed apart, the error response would replace the success one).
    let mut ok_codes = by_status.remove("200").unwrap_or_default();
    ok_codes.extend(system.get("200").into_iter().flatten().cloned());
    let mut success = json!({ "schema": envelope(method, cx) });
    if !ok_codes.is_empty() {
        let error = json!({ "$ref": crate::errors::schema_ref(method.api) });
        success["schema"] = json!({ "anyOf": [success["schema"].take(), error] });
    }
    if let Some(example) = &method.examples.response {
        success["example"] = example.clone();
    }
    let description = if ok_codes.is_empty() {
        "Success".to_owned()
    } else {
        format!(
            "Success, or an error answered with HTTP 200. {}",
            crate::errors::codes_listed(&ok_codes)
        )
    };
    let mut out = Map::new();
    out.insert(
        "200".into(),
        json!({ "description": description, "content": { "application/json": success } }),
    );
    let mut errors: BTreeMap<String, Value> = BTreeMap::new();
    for (status, codes) in system.iter().filter(|(status, _)| *status != "200") {
        match by_status.get_mut(status) {
            Some(own) => own.extend(codes.iter().cloned()),
            None => {
                let shared = json!({ "$ref": crate::errors::response_ref(status, method.api) });
                errors.insert(status.clone(), shared);
            }
        }
    }
    for (status, codes) in by_status {
        errors.insert(status, crate::errors::response(&codes, method.api));
    }
    // By status, `default` (codes with no documented status) last.
    out.extend(errors);
    out.into()
}

/// The success envelope: `result` as the result table describes it, `time`, and `total`/`next`
/// for lists.
fn envelope(method: &Method, cx: &Context) -> Value {
    let example = method
        .examples
        .response
        .as_ref()
        .and_then(|r| r.get("result"));
    let result = match result_layout(&method.result) {
        ResultLayout::Nothing => json!({}),
        ResultLayout::Whole(at) => {
            Member::result(&method.result[at], example).schema(Side::Receive, cx)
        }
        ResultLayout::Members(rows) => {
            let fields: Vec<ResultField> = rows.iter().map(|i| method.result[*i].clone()).collect();
            match crate::result_schema::moved(&fields, example, Side::Receive, cx) {
                Some(moved) => moved,
                None => {
                    let object = result_shape::one_object(example);
                    let members = crate::result_schema::members(&fields, object);
                    let object = schema::object(&members, Side::Receive, cx);
                    match method.result_wire {
                        Some(Wire::Array) => json!({ "type": "array", "items": object }),
                        _ => object,
                    }
                }
            }
        }
    };
    json!({
        "type": "object",
        "properties": {
            "result": result,
            "time": { "$ref": "#/components/schemas/Time" },
            "total": { "type": ["integer", "string"] },
            "next": { "type": ["integer", "string"] }
        }
    })
}
