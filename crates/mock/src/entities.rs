//! Stateful handlers for the core entities, so add → get → list → update → delete
//! round-trips: classic CRM (`crm.deal|contact|company|lead.*`), `crm.item.*`,
//! `tasks.task.*` and `user.*`. Answers take each family's documented shape (classic CRM
//! returns the new ID and `true`, `crm.item` wraps records in `item`/`items`, tasks in
//! `task`/`tasks`). Other methods are answered from their documented example.

use heck::ToLowerCamelCase;
use serde_json::{json, Map, Value};

use crate::paging::{member, number, Page, Query};
use crate::reply::{Answer, ApiError};
use crate::state::{Entity, Store};

/// What a call does to an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Get,
    List,
    Update,
    Delete,
    Current,
}

/// The family of a method name, if it has state here.
fn route(name: &str) -> Option<(Entity, Op)> {
    let lower = name.to_ascii_lowercase();
    let (prefix, action) = lower.rsplit_once('.')?;
    let entity = match prefix {
        "crm.deal" => Entity::Deal,
        "crm.contact" => Entity::Contact,
        "crm.company" => Entity::Company,
        "crm.lead" => Entity::Lead,
        "crm.item" => Entity::Item,
        "tasks.task" => Entity::Task,
        "user" => Entity::User,
        _ => return None,
    };
    let op = match (entity, action) {
        (Entity::User, "get") => Op::List,
        (Entity::User, "current") => Op::Current,
        (Entity::User, "delete") => return None,
        (_, "add") => Op::Add,
        (_, "get") => Op::Get,
        (_, "list") => Op::List,
        (_, "update") => Op::Update,
        (_, "delete") => Op::Delete,
        _ => return None,
    };
    Some((entity, op))
}

/// Whether `name` is answered from state.
pub fn is_stateful(name: &str) -> bool {
    route(name).is_some()
}

/// Run a stateful call; `None` when the method has no state here. `not_found` is the error the
/// method's page documents for a missing record.
pub fn handle(
    store: &mut Store,
    name: &str,
    params: &Value,
    not_found: impl Fn() -> ApiError,
) -> Option<Result<Answer, ApiError>> {
    let (entity, op) = route(name)?;
    let type_id = match entity {
        Entity::Item => member(params, "entityTypeId")
            .and_then(number)
            .unwrap_or(0.0) as i64,
        _ => 0,
    };
    let collection = store.collection(entity, type_id);
    let outcome = match op {
        Op::Add => {
            let fields = fields_of(entity, params);
            let id = collection.add(entity, fields);
            Ok(added(entity, id, &collection.records[&id]))
        }
        Op::List => {
            let query = Query::from_params(&list_params(entity, params));
            Ok(listed(entity, query.page(collection, entity.id_field())))
        }
        Op::Current => Ok(Answer::of(
            collection
                .records
                .get(&1)
                .cloned()
                .map_or(Value::Null, Value::Object),
        )),
        Op::Get | Op::Update | Op::Delete => {
            let id = id_of(entity, params).filter(|id| collection.records.contains_key(id));
            match id {
                None => Err(not_found()),
                Some(id) => Ok(change(entity, op, id, params, collection)),
            }
        }
    };
    Some(outcome)
}

fn change(
    entity: Entity,
    op: Op,
    id: u64,
    params: &Value,
    collection: &mut crate::state::Collection,
) -> Answer {
    match op {
        Op::Update => {
            let fields = fields_of(entity, params);
            if let Some(record) = collection.records.get_mut(&id) {
                for (k, v) in fields {
                    if !k.eq_ignore_ascii_case(entity.id_field()) {
                        record.insert(k, v);
                    }
                }
            }
            let record = Value::Object(collection.records[&id].clone());
            Answer::of(match entity {
                Entity::Item => json!({ "item": record }),
                Entity::Task => json!({ "task": record }),
                _ => json!(true),
            })
        }
        Op::Delete => {
            collection.remove(id);
            Answer::of(match entity {
                Entity::Item => json!([]),
                Entity::Task => json!({ "task": true }),
                _ => json!(true),
            })
        }
        _ => {
            let record = Value::Object(collection.records[&id].clone());
            Answer::of(match entity {
                Entity::Item => json!({ "item": record }),
                Entity::Task => json!({ "task": record }),
                _ => record,
            })
        }
    }
}

/// The new record's fields: `fields` for most, the parameters themselves for `user.add`.
fn fields_of(entity: Entity, params: &Value) -> Map<String, Value> {
    let source = match entity {
        Entity::User => Some(params),
        _ => member(params, "fields"),
    };
    let mut fields = source
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if entity == Entity::User {
        fields.remove("ID");
        fields.remove("auth");
    }
    if entity == Entity::Task {
        fields = fields.into_iter().map(|(k, v)| (task_key(&k), v)).collect();
    }
    fields
}

/// `tasks.task.add`/`update` take `TITLE`, `RESPONSIBLE_ID`; the portal answers (and lists)
/// the same fields as `title`, `responsibleId`. Keys already in camel case are kept.
fn task_key(key: &str) -> String {
    if key.chars().any(|c| c.is_ascii_lowercase()) {
        return key.to_owned();
    }
    key.to_lowercase().to_lower_camel_case()
}

fn id_of(entity: Entity, params: &Value) -> Option<u64> {
    let key = match entity {
        Entity::Task => "taskId",
        _ => "id",
    };
    let n = member(params, key).and_then(number)?;
    (n >= 1.0 && n.fract() == 0.0).then_some(n as u64)
}

/// `user.get` filters by any parameter it is given (`ID`, `ACTIVE`...), or by `FILTER`.
fn list_params(entity: Entity, params: &Value) -> Value {
    if entity != Entity::User || member(params, "filter").is_some() {
        return params.clone();
    }
    let Some(map) = params.as_object() else {
        return params.clone();
    };
    let (mut control, mut filter) = (Map::new(), Map::new());
    for (k, v) in map {
        let is_control = ["sort", "order", "start", "select", "admin_mode", "auth"]
            .iter()
            .any(|c| c.eq_ignore_ascii_case(k));
        if is_control {
            control.insert(k.clone(), v.clone());
        } else {
            filter.insert(k.clone(), v.clone());
        }
    }
    if let Some(sort) = member(params, "sort").and_then(Value::as_str) {
        let dir = member(params, "order").cloned().unwrap_or(json!("ASC"));
        control.insert("order".into(), json!({ sort: dir }));
    }
    control.insert("filter".into(), Value::Object(filter));
    Value::Object(control)
}

fn added(entity: Entity, id: u64, record: &Map<String, Value>) -> Answer {
    let record = Value::Object(record.clone());
    Answer::of(match entity {
        Entity::Item => json!({ "item": record }),
        Entity::Task => json!({ "task": record }),
        _ => json!(id),
    })
}

fn listed(entity: Entity, page: Page) -> Answer {
    let items = Value::Array(page.items);
    let result = match entity {
        Entity::Item => json!({ "items": items }),
        Entity::Task => json!({ "tasks": items }),
        _ => items,
    };
    Answer {
        result,
        total: page.total,
        next: page.next,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(store: &mut Store, name: &str, params: Value) -> Result<Answer, ApiError> {
        handle(store, name, &params, || {
            ApiError::new(400, "NOT_FOUND", "Not found")
        })
        .unwrap()
    }

    #[test]
    fn classic_crm_round_trip() {
        let mut store = Store::default();
        let id = run(
            &mut store,
            "crm.deal.add",
            json!({"fields": {"TITLE": "A"}}),
        )
        .unwrap();
        assert_eq!(id.result, json!(1));
        let got = run(&mut store, "crm.deal.get", json!({"ID": "1"})).unwrap();
        assert_eq!(got.result, json!({"TITLE": "A", "ID": "1"}));
        run(
            &mut store,
            "crm.deal.update",
            json!({"id": 1, "fields": {"TITLE": "B"}}),
        )
        .unwrap();
        let list = run(
            &mut store,
            "crm.deal.list",
            json!({"filter": {"TITLE": "B"}}),
        )
        .unwrap();
        assert_eq!(
            (list.result.as_array().unwrap().len(), list.total),
            (1, Some(1))
        );
        assert_eq!(
            run(&mut store, "crm.deal.delete", json!({"id": 1}))
                .unwrap()
                .result,
            json!(true)
        );
        assert_eq!(
            run(&mut store, "crm.deal.get", json!({"id": 1}))
                .unwrap_err()
                .code,
            "NOT_FOUND"
        );
    }

    #[test]
    fn items_tasks_and_users_take_their_own_shapes() {
        let mut store = Store::seeded(&[]);
        let item = run(
            &mut store,
            "crm.item.add",
            json!({"entityTypeId": 2, "fields": {"title": "x"}}),
        )
        .unwrap();
        assert_eq!(item.result["item"]["id"], 1);
        let items = run(&mut store, "crm.item.list", json!({"entityTypeId": 2})).unwrap();
        assert_eq!(items.result["items"][0]["title"], "x");
        assert!(run(
            &mut store,
            "crm.item.get",
            json!({"entityTypeId": 3, "id": 1})
        )
        .is_err());
        let task = run(
            &mut store,
            "tasks.task.add",
            json!({"fields": {"TITLE": "t", "RESPONSIBLE_ID": 1}}),
        )
        .unwrap();
        assert_eq!(task.result["task"]["id"], "1");
        let tasks = run(&mut store, "tasks.task.list", json!({"filter": {">ID": 0}})).unwrap();
        assert_eq!(tasks.result["tasks"].as_array().unwrap().len(), 1);
        // Sent as `TITLE`, answered as `title`, as the portal does.
        assert_eq!(tasks.result["tasks"][0]["title"], "t");
        assert_eq!(tasks.result["tasks"][0]["responsibleId"], 1);
        let user = run(&mut store, "user.add", json!({"EMAIL": "a@b.c"})).unwrap();
        assert_eq!(user.result, json!(2));
        let users = run(&mut store, "user.get", json!({"ID": 2})).unwrap();
        assert_eq!(users.result[0]["EMAIL"], "a@b.c");
        assert_eq!(
            run(&mut store, "user.current", json!({})).unwrap().result["ID"],
            "1"
        );
    }
}
