//! Rules for events: matched by their name as sent, payload members by dotted path at every
//! depth (`data.FIELDS.ID`). Prose (titles, descriptions, examples) is not compared: no typed
//! handler depends on it.

use std::collections::BTreeMap;

use b24_spec::{Event, Param};

use super::params::join;
use super::{types, Scope};
use crate::change::Change;
use crate::rules::Rule;

/// Every event change from `old` to `new`.
pub(super) fn compare(old: &[Event], new: &[Event], changes: &mut Vec<Change>) {
    let old_by_name = by_name(old, |e| &e.event);
    let new_by_name = by_name(new, |e| &e.event);
    for (name, old_event) in &old_by_name {
        match new_by_name.get(name) {
            None => {
                let message = format!("event `{name}` is no longer documented");
                Scope::for_event(old_event, changes).record(Rule::EventRemoved, None, message);
            }
            Some(new_event) => {
                let mut scope = Scope::for_event(new_event, changes);
                members(&mut scope, &old_event.payload, &new_event.payload, None);
            }
        }
    }
    for (name, new_event) in &new_by_name {
        if !old_by_name.contains_key(name) {
            let message = format!("new event `{name}` ({})", new_event.source);
            Scope::for_event(new_event, changes).record(Rule::EventAdded, None, message);
        }
    }
}

fn members(scope: &mut Scope<'_>, old: &[Param], new: &[Param], parent: Option<&str>) {
    let old_by_name = by_name(old, |p| &p.name);
    let new_by_name = by_name(new, |p| &p.name);
    for (name, old_member) in &old_by_name {
        let path = join(parent, name);
        let Some(new_member) = new_by_name.get(name) else {
            let message = format!("payload member `{path}` removed");
            scope.record(Rule::EventMemberRemoved, Some(&path), message);
            continue;
        };
        let old_wire = super::wire_text(old_member.wire, None, old_member.pattern);
        let new_wire = super::wire_text(new_member.wire, None, new_member.pattern);
        let mut what = Vec::new();
        if types::differ(old_member.ty.as_ref(), new_member.ty.as_ref()) {
            what.push(format!(
                "changed type from {} to {}",
                types::describe(old_member.ty.as_ref()),
                types::describe(new_member.ty.as_ref())
            ));
        }
        if old_wire != new_wire {
            what.push(format!("travels as {new_wire} (was {old_wire})"));
        }
        if !what.is_empty() {
            let message = format!("payload member `{path}` {}", what.join(" and "));
            scope.record(Rule::EventMemberTypeChanged, Some(&path), message);
        }
        members(scope, &old_member.fields, &new_member.fields, Some(&path));
    }
    for (name, new_member) in &new_by_name {
        if !old_by_name.contains_key(name) {
            let path = join(parent, name);
            let message = format!(
                "new payload member `{path}` ({})",
                types::describe(new_member.ty.as_ref())
            );
            scope.record(Rule::EventMemberAdded, Some(&path), message);
        }
    }
}

/// The first item per name (validation reports duplicates separately).
fn by_name<'a, T>(items: &'a [T], name: impl Fn(&'a T) -> &'a str) -> BTreeMap<&'a str, &'a T> {
    let mut map = BTreeMap::new();
    for item in items {
        map.entry(name(item)).or_insert(item);
    }
    map
}

#[cfg(test)]
mod tests {
    use b24_spec::{Deprecation, Event, Param, Spec, TypeExpr};

    use crate::compare::compare;

    fn member(name: &str, ty: &str, fields: Vec<Param>) -> Param {
        let mut p = Param::new(name, Some(TypeExpr::named(ty)), false);
        p.fields = fields;
        p
    }

    fn event(name: &str, payload: Vec<Param>) -> Event {
        Event {
            event: name.into(),
            group: "crm".into(),
            title: name.into(),
            scope: vec![],
            subscribers: None,
            deprecated: Deprecation::Current,
            source: "api-reference/crm/events/x.md".into(),
            description: String::new(),
            payload,
            methods: vec![],
            example: None,
        }
    }

    fn ids(old: Vec<Event>, new: Vec<Event>) -> Vec<String> {
        let spec = |events| Spec {
            events,
            ..Spec::default()
        };
        let mut ids: Vec<String> = compare(&spec(old), &spec(new))
            .iter()
            .map(|c| c.id.to_string())
            .collect();
        ids.sort();
        ids
    }

    #[test]
    fn events_added_and_removed() {
        let found = ids(
            vec![event("ONCRMDEALADD", vec![])],
            vec![event("ONCRMDEALDELETE", vec![])],
        );
        assert_eq!(
            found,
            [
                "event-added event:ONCRMDEALDELETE",
                "event-removed event:ONCRMDEALADD"
            ]
        );
    }

    #[test]
    fn payload_members_removed_added_and_retyped_at_depth() {
        let fields = |members| {
            vec![member(
                "data",
                "object",
                vec![member("FIELDS", "object", members)],
            )]
        };
        let old = event(
            "ONCRMDEALADD",
            fields(vec![
                member("ID", "integer", vec![]),
                member("OLD", "string", vec![]),
            ]),
        );
        let mut pattern = member("UF_*", "string", vec![]);
        pattern.pattern = true;
        let new = event(
            "ONCRMDEALADD",
            fields(vec![member("ID", "string", vec![]), pattern]),
        );
        assert_eq!(
            ids(vec![old.clone()], vec![new]),
            [
                "event-member-added event:ONCRMDEALADD data.FIELDS.UF_*",
                "event-member-removed event:ONCRMDEALADD data.FIELDS.OLD",
                "event-member-type-changed event:ONCRMDEALADD data.FIELDS.ID"
            ]
        );
        let mut prose = old.clone();
        prose.title = "Another title".into();
        prose.example = Some(serde_json::json!({"event": "ONCRMDEALADD"}));
        assert_eq!(ids(vec![old], vec![prose]), Vec::<String>::new());
    }
}
