//! The walk both key checks share: every key of an example object that its table does not
//! list, at the top level and inside members whose own members the page lists.

use b24_spec::{Param, ResultField};
use serde_json::{Map, Value};

use super::LintKind;

/// A documented member: a request parameter or a result field.
pub(super) trait Member: Sized {
    /// The member the example key `key` stands for.
    fn find<'a>(members: &'a [Self], key: &str) -> Option<&'a Self>;
    /// Its documented members.
    fn members(&self) -> &[Self];
}

impl Member for Param {
    fn find<'a>(members: &'a [Self], key: &str) -> Option<&'a Self> {
        super::find_param(members, key)
    }

    fn members(&self) -> &[Self] {
        &self.fields
    }
}

impl Member for ResultField {
    fn find<'a>(members: &'a [Self], key: &str) -> Option<&'a Self> {
        super::find_field(members, key)
    }

    fn members(&self) -> &[Self] {
        &self.fields
    }
}

/// Reports each key of `object` (and of documented members' objects) no member lists, as
/// `kind` with `say(path)` as the message.
pub(super) fn walk<M: Member>(
    members: &[M],
    object: &Map<String, Value>,
    path: &str,
    kind: LintKind,
    say: &impl Fn(&str) -> String,
    push: &mut impl FnMut(LintKind, String),
) {
    for (key, value) in object {
        let here = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        match M::find(members, key) {
            None if super::is_custom_field(key) => {}
            None => push(kind, say(&here)),
            Some(member) if !member.members().is_empty() => {
                for nested in crate::extract::wire_shape::members(value) {
                    walk(member.members(), nested, &here, kind, say, push);
                }
            }
            Some(_) => {}
        }
    }
}
