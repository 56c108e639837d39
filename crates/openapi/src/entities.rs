//! Entity field tables (`spec/entities/`) as shared component schemas: one per entity id,
//! its fields as properties (read-only ones marked, multiple ones as arrays), what is required
//! on add and the closed value lists as `x-bitrix24-*` extensions.

use b24_spec::{Entity, TypeExpr};
use serde_json::{json, Map, Value};

use crate::schema::{self, Context, Side};

/// The component schema of one entity.
pub fn schema(entity: &Entity, cx: &Context) -> Value {
    let mut properties = Map::new();
    let mut required_on_add = Vec::new();
    for field in &entity.fields {
        let mut field_schema = schema::of_type(field.ty.as_ref(), None, Side::Receive, cx);
        if field.multiple && !matches!(field.ty, Some(TypeExpr::Array(_))) {
            field_schema = json!({ "type": "array", "items": field_schema });
        }
        let map = field_schema.as_object_mut().expect("schemas are objects");
        if map.contains_key("$ref") {
            field_schema = json!({ "allOf": [field_schema] });
        }
        let map = field_schema.as_object_mut().expect("schemas are objects");
        if !field.description.is_empty() {
            map.insert("description".into(), field.description.clone().into());
        }
        if field.read_only {
            map.insert("readOnly".into(), true.into());
        }
        if !field.values.is_empty() {
            let values: Vec<&b24_spec::Scalar> = field.values.iter().map(|v| &v.value).collect();
            map.insert("x-bitrix24-values".into(), json!(values));
        }
        if field.required_on_add {
            required_on_add.push(field.name.clone());
        }
        properties.insert(field.name.clone(), field_schema);
    }
    let mut out = json!({
        "type": "object",
        "description": format!("The fields of `{}`.", entity.id),
        "properties": properties,
        "x-bitrix24-source": entity.source
    });
    if !required_on_add.is_empty() {
        out["x-bitrix24-required-on-add"] = json!(required_on_add);
    }
    out
}
