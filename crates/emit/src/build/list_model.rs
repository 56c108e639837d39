//! Which methods are lists and what they tell the runtime (`ListMethod`).

use b24_spec::{ApiVersion, Method};

use crate::entities::GroupEntities;
use crate::model::{FieldModel, ListModel, StructModel};
use crate::types::RustType;

/// A list method's streaming facts: a `list`/`getlist` method whose `result` is the item array,
/// or an object with exactly one array member (`items`, `tasks`).
pub(super) fn list_model(
    m: &Method,
    response: &RustType,
    nested: &[StructModel],
    entities: &GroupEntities,
    params: &[FieldModel],
) -> Option<ListModel> {
    let verb = m.method.rsplit('.').next()?.to_ascii_lowercase();
    if verb != "list" && verb != "getlist" {
        return None;
    }
    let (item, items_key) = match response {
        RustType::Vec(inner) => ((**inner).clone(), None),
        RustType::Struct(name) => {
            let s = nested.iter().find(|s| &s.name == name)?;
            let mut arrays = s.fields.iter().filter(|f| matches!(f.ty, RustType::Vec(_)));
            let only = arrays.next()?;
            if arrays.next().is_some() {
                return None;
            }
            let RustType::Vec(inner) = &only.ty else {
                return None;
            };
            ((**inner).clone(), Some(only.wire.clone()))
        }
        _ => return None,
    };
    let takes = |name: &str| params.iter().any(|p| p.wire.eq_ignore_ascii_case(name));
    let item_has_id = match &item {
        RustType::Struct(name) => {
            let fields = nested
                .iter()
                .find(|s| &s.name == name)
                .map(|s| &s.fields)
                .or_else(|| entities.fields_of(name));
            fields.is_some_and(|fs| fs.iter().any(|f| f.wire == "ID"))
        }
        _ => false,
    };
    let fast = m.api == ApiVersion::V2
        && items_key.is_none()
        && takes("filter")
        && takes("order")
        && takes("start")
        && item_has_id;
    Some(ListModel {
        item,
        items_key,
        id_field: fast.then(|| "ID".to_owned()),
    })
}
