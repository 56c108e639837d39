//! Events as OpenAPI 3.1 `webhooks`: what the portal POSTs to a handler bound with
//! `event.bind`, one entry per event name as sent. The body is form-encoded (`data[FIELDS][ID]`),
//! so every scalar arrives as text; the schema is the documented payload.

use b24_spec::Event;
use serde_json::{json, Map, Value};

use crate::schema::{self, Context, Member, Side};

/// The webhook entry of one event.
pub fn path_item(event: &Event, cx: &Context) -> Value {
    let members: Vec<Member<'_>> = event.payload.iter().map(Member::param).collect();
    let mut media = json!({ "schema": schema::object(&members, Side::Receive, cx) });
    if let Some(example) = &event.example {
        media["example"] = example.clone();
    }
    let mut op = Map::new();
    op.insert(
        "operationId".into(),
        format!("event.{}", event.event).into(),
    );
    op.insert("summary".into(), event.title.clone().into());
    if !event.description.is_empty() {
        op.insert("description".into(), event.description.clone().into());
    }
    op.insert("tags".into(), json!([event.group]));
    if event.deprecated.is_deprecated() {
        op.insert("deprecated".into(), true.into());
    }
    op.insert("x-bitrix24-scope".into(), json!(event.scope));
    if let Some(who) = &event.subscribers {
        op.insert("x-bitrix24-subscribers".into(), who.clone().into());
    }
    if !event.methods.is_empty() {
        op.insert("x-bitrix24-methods".into(), json!(event.methods));
    }
    op.insert("x-bitrix24-source".into(), event.source.clone().into());
    op.insert(
        "requestBody".into(),
        json!({
            "required": true,
            "content": { "application/x-www-form-urlencoded": media }
        }),
    );
    op.insert(
        "responses".into(),
        json!({ "200": { "description": "The handler took the event" } }),
    );
    json!({ "post": op })
}
