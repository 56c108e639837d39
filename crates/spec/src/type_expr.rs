//! Parameter and field types as the docs write them, normalised into a small expression language.
//!
//! The docs spell types freely (`string[]`, `array of string`, `integer|string`, ```string \| null```,
//! `_crm_company_`). Frontends normalise them to this grammar; the spec stores the canonical
//! string form, and the emitter parses it back:
//!
//! ```text
//! expr  := term ( " | " term )*
//! term  := atom "[]"*
//! atom  := name | "(" expr ")"
//! ```
//!
//! Names are kept as documented (`crm_contact`, `user`, `object`), so entity types survive.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A documented type: a named type, an array of a type, or a union of alternatives.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeExpr {
    /// A single named type: `integer`, `crm_contact`, `object`.
    Named(String),
    /// `T[]`.
    Array(Box<TypeExpr>),
    /// `A | B | ...`, at least two alternatives, none of them a union.
    Union(Vec<TypeExpr>),
}

/// Why a type string is not in the canonical grammar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid type expression {input:?}: {reason}")]
pub struct TypeExprError {
    /// The text that failed to parse.
    pub input: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl TypeExpr {
    /// A named type.
    pub fn named(name: impl Into<String>) -> Self {
        TypeExpr::Named(name.into())
    }

    /// An array of `self`.
    pub fn array_of(self) -> Self {
        TypeExpr::Array(Box::new(self))
    }

    /// Union of the alternatives, flattened and deduplicated in order; a single alternative is
    /// returned as is.
    pub fn union(alternatives: Vec<TypeExpr>) -> Option<Self> {
        let mut flat: Vec<TypeExpr> = Vec::new();
        for alt in alternatives {
            let parts = match alt {
                TypeExpr::Union(inner) => inner,
                other => vec![other],
            };
            for part in parts {
                if !flat.contains(&part) {
                    flat.push(part);
                }
            }
        }
        match flat.len() {
            0 => None,
            1 => flat.pop(),
            _ => Some(TypeExpr::Union(flat)),
        }
    }

    /// Parses the canonical form (also tolerates missing spaces around `|`).
    pub fn parse(input: &str) -> Result<Self, TypeExprError> {
        let mut parser = Parser { src: input, pos: 0 };
        let expr = parser.expr()?;
        parser.skip_ws();
        if parser.pos != input.len() {
            return Err(parser.error("unexpected trailing text"));
        }
        Ok(expr)
    }

    /// The alternatives of a union, or `self` alone.
    pub fn alternatives(&self) -> &[TypeExpr] {
        match self {
            TypeExpr::Union(alts) => alts,
            other => std::slice::from_ref(other),
        }
    }

    /// The named type at the bottom of any arrays, if there is exactly one.
    pub fn base_name(&self) -> Option<&str> {
        match self {
            TypeExpr::Named(name) => Some(name),
            TypeExpr::Array(inner) => inner.base_name(),
            TypeExpr::Union(_) => None,
        }
    }
}

impl fmt::Display for TypeExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeExpr::Named(name) => f.write_str(name),
            TypeExpr::Array(inner) => match inner.as_ref() {
                TypeExpr::Union(_) => write!(f, "({inner})[]"),
                _ => write!(f, "{inner}[]"),
            },
            TypeExpr::Union(alts) => {
                for (i, alt) in alts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" | ")?;
                    }
                    write!(f, "{alt}")?;
                }
                Ok(())
            }
        }
    }
}

impl Serialize for TypeExpr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TypeExpr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        TypeExpr::parse(&text).map_err(serde::de::Error::custom)
    }
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn error(&self, reason: &'static str) -> TypeExprError {
        TypeExprError {
            input: self.src.to_owned(),
            reason,
        }
    }

    fn rest(&self) -> &str {
        &self.src[self.pos..]
    }

    fn skip_ws(&mut self) {
        let trimmed = self.rest().trim_start();
        self.pos = self.src.len() - trimmed.len();
    }

    fn eat(&mut self, token: &str) -> bool {
        self.skip_ws();
        if self.rest().starts_with(token) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }

    fn expr(&mut self) -> Result<TypeExpr, TypeExprError> {
        let mut alts = vec![self.term()?];
        while self.eat("|") {
            alts.push(self.term()?);
        }
        if alts.len() == 1 {
            return Ok(alts.remove(0));
        }
        if alts.iter().any(|a| matches!(a, TypeExpr::Union(_))) {
            return Err(self.error("nested union"));
        }
        Ok(TypeExpr::Union(alts))
    }

    fn term(&mut self) -> Result<TypeExpr, TypeExprError> {
        let mut ty = self.atom()?;
        while self.eat("[]") {
            ty = ty.array_of();
        }
        Ok(ty)
    }

    fn atom(&mut self) -> Result<TypeExpr, TypeExprError> {
        if self.eat("(") {
            let inner = self.expr()?;
            if !self.eat(")") {
                return Err(self.error("unclosed parenthesis"));
            }
            return Ok(inner);
        }
        self.skip_ws();
        let len = self
            .rest()
            .find(|c: char| !is_name_char(c))
            .unwrap_or(self.rest().len());
        if len == 0 {
            return Err(self.error("expected a type name"));
        }
        let name = self.rest()[..len].to_owned();
        self.pos += len;
        Ok(TypeExpr::Named(name))
    }
}

/// Characters a type name may hold: identifiers plus the dots and dashes some entity types use.
pub(crate) fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '\\' | ':')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_arrays_and_unions() {
        let ty = TypeExpr::parse("integer[] | string").unwrap();
        assert_eq!(
            ty,
            TypeExpr::Union(vec![
                TypeExpr::named("integer").array_of(),
                TypeExpr::named("string")
            ])
        );
        assert_eq!(ty.to_string(), "integer[] | string");
    }

    #[test]
    fn array_of_union_keeps_parentheses() {
        let ty = TypeExpr::parse("(integer|string)[]").unwrap();
        assert_eq!(ty.to_string(), "(integer | string)[]");
    }

    #[test]
    fn rejects_garbage() {
        assert!(TypeExpr::parse("").is_err());
        assert!(TypeExpr::parse("integer |").is_err());
        assert!(TypeExpr::parse("(integer").is_err());
        assert!(TypeExpr::parse("a b").is_err());
    }

    #[test]
    fn union_flattens_and_dedups() {
        let u = TypeExpr::union(vec![
            TypeExpr::named("a"),
            TypeExpr::Union(vec![TypeExpr::named("b"), TypeExpr::named("a")]),
        ]);
        assert_eq!(u.unwrap().to_string(), "a | b");
        assert_eq!(
            TypeExpr::union(vec![TypeExpr::named("a")]),
            Some(TypeExpr::named("a"))
        );
    }

    fn arb_type() -> impl Strategy<Value = TypeExpr> {
        let leaf = "[a-z_][a-z0-9_]{0,8}".prop_map(TypeExpr::Named);
        leaf.prop_recursive(3, 12, 4, |inner| {
            prop_oneof![
                inner.clone().prop_map(TypeExpr::array_of),
                prop::collection::vec(inner, 2..4)
                    .prop_filter_map("flattened union", TypeExpr::union),
            ]
        })
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(ty in arb_type()) {
            prop_assert_eq!(TypeExpr::parse(&ty.to_string()).unwrap(), ty);
        }
    }
}
