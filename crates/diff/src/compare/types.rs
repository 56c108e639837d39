//! Type equality as a caller sees it: union alternatives are a set, so `integer | string` and
//! `string | integer` are the same type.

use b24_spec::TypeExpr;

/// True when the two documented types differ for a caller. A type that appears or disappears
/// counts: the generated field changes between a JSON value and a typed one.
pub(super) fn differ(old: Option<&TypeExpr>, new: Option<&TypeExpr>) -> bool {
    old.map(canonical) != new.map(canonical)
}

/// How a type is named in messages.
pub(super) fn describe(ty: Option<&TypeExpr>) -> String {
    match ty {
        Some(ty) => format!("`{ty}`"),
        None => "no documented type".to_owned(),
    }
}

fn canonical(ty: &TypeExpr) -> TypeExpr {
    match ty {
        TypeExpr::Named(name) => TypeExpr::Named(name.clone()),
        TypeExpr::Array(inner) => canonical(inner).array_of(),
        TypeExpr::Union(alternatives) => {
            let mut sorted: Vec<TypeExpr> = alternatives.iter().map(canonical).collect();
            sorted.sort();
            TypeExpr::Union(sorted)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> TypeExpr {
        TypeExpr::parse(text).unwrap()
    }

    #[test]
    fn union_order_does_not_matter_even_inside_arrays() {
        assert!(!differ(
            Some(&parse("(integer | string)[]")),
            Some(&parse("(string | integer)[]"))
        ));
    }

    #[test]
    fn other_types_and_lost_types_differ() {
        assert!(differ(Some(&parse("integer")), Some(&parse("integer[]"))));
        assert!(differ(Some(&parse("integer")), None));
        assert!(!differ(None, None));
    }
}
