//! List items typed like their `get`: Bitrix24 lists return the same objects its `get` does
//! (`crm.item.list`'s `items` are `crm.item.get`'s `item`), but most list pages document no item
//! members. A list whose items are untyped takes the type of its sibling `get`'s object, when
//! the list page's own examples fit that type exactly ([`crate::entity_fit`]).

use b24_spec::Method;

use crate::entity_fit::{self, Direction};
use crate::model::{ListModel, MethodModel, StructModel};
use crate::types::RustType;
use crate::typing::is_untyped;

/// Gives untyped list items the type of the sibling `get`'s object, in place.
pub fn share_get_items(models: &mut [MethodModel], methods: &[&Method]) {
    let mut changes = Vec::new();
    for (i, m) in models.iter().enumerate() {
        let Some(list) = &m.list else { continue };
        if !is_untyped(&list.item) {
            continue;
        }
        let Some((subject, _)) = m.wire.rsplit_once('.') else {
            continue;
        };
        let get = format!("{subject}.get");
        let Some(sibling) = models.iter().find(|g| g.wire.eq_ignore_ascii_case(&get)) else {
            continue;
        };
        let Some((item, item_struct)) = object_of(sibling) else {
            continue;
        };
        let lookup = |name: &str| find(sibling, name).map(|s| s.fields.as_slice());
        let examples = items_in_example(methods[i], list);
        let fits = !examples.is_empty()
            && entity_fit::all_fit(&item_struct.fields, &examples, Direction::Response, &lookup);
        if fits {
            changes.push((i, item));
        }
    }
    for (i, item) in changes {
        retype_items(&mut models[i], item);
    }
}

/// The object `get` returns: its result struct, or the one struct member wrapping it
/// (`{"item": {...}}`).
fn object_of(get: &MethodModel) -> Option<(String, &StructModel)> {
    let RustType::Struct(name) = &get.response else {
        return None;
    };
    let outer = find(get, name)?;
    if let [only] = outer.fields.as_slice() {
        if let RustType::Struct(inner) = &only.ty {
            return find(get, inner).map(|s| (inner.clone(), s));
        }
    }
    Some((name.clone(), outer))
}

fn find<'m>(m: &'m MethodModel, name: &str) -> Option<&'m StructModel> {
    m.nested.iter().find(|s| s.name == name)
}

/// The item objects of the list page's response example.
fn items_in_example<'m>(
    m: &'m Method,
    list: &ListModel,
) -> Vec<&'m serde_json::Map<String, serde_json::Value>> {
    let Some(result) = m.examples.response.as_ref().and_then(|r| r.get("result")) else {
        return Vec::new();
    };
    let items = match &list.items_key {
        Some(key) => result.get(key),
        None => Some(result),
    };
    match items {
        Some(items @ serde_json::Value::Array(_)) => entity_fit::objects_in(items),
        _ => Vec::new(),
    }
}

/// Points the list's item type (and the array member or response holding it) at `item`.
fn retype_items(m: &mut MethodModel, item: String) {
    let ty = RustType::Struct(item);
    let Some(list) = m.list.as_mut() else { return };
    list.item = ty.clone();
    match (&list.items_key, &mut m.response) {
        (None, RustType::Vec(inner)) => **inner = ty,
        (Some(key), RustType::Struct(name)) => {
            let name = name.clone();
            if let Some(s) = m.nested.iter_mut().find(|s| s.name == name) {
                if let Some(f) = s.fields.iter_mut().find(|f| &f.wire == key) {
                    f.ty = RustType::Vec(Box::new(ty));
                }
            }
        }
        _ => {}
    }
}
