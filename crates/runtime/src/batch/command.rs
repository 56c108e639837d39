//! One command of a classic `batch`: a name, a method and its parameters, encoded as the docs
//! describe (`method?query` with bracketed keys).

use serde_json::Value;

use crate::client::params_of;
use crate::error::Error;
use crate::form;
use crate::method::{is_read_method, ApiVersion, Method};

/// A command inside a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    pub(crate) name: String,
    pub(crate) method: String,
    pub(crate) params: Value,
    pub(crate) idempotent: bool,
}

impl Command {
    /// A command from a typed request. REST 3.0 methods cannot go into a classic batch.
    pub fn typed<M: Method>(name: impl Into<String>, request: &M) -> Result<Self, Error> {
        if M::API != ApiVersion::V2 {
            return Err(Error::Batch(format!(
                "{} is a REST 3.0 method; a classic batch takes only classic methods",
                M::NAME
            )));
        }
        let params = params_of(M::NAME, request)?;
        Self::checked(name.into(), M::NAME.to_owned(), params, M::IDEMPOTENT)
    }

    /// A command from a method name and JSON parameters; whether it is a read is guessed from
    /// the name.
    pub fn raw(
        name: impl Into<String>,
        method: impl Into<String>,
        params: Value,
    ) -> Result<Self, Error> {
        let method = method.into();
        let idempotent = is_read_method(&method);
        Self::checked(name.into(), method, params, idempotent)
    }

    fn checked(
        name: String,
        method: String,
        params: Value,
        idempotent: bool,
    ) -> Result<Self, Error> {
        let name_ok =
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !name_ok {
            return Err(Error::Batch(format!(
                "command name {name:?} must be non-empty ASCII letters, digits or _"
            )));
        }
        let method_ok = !method.is_empty()
            && method
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        if !method_ok || method.eq_ignore_ascii_case("batch") {
            return Err(Error::Batch(format!(
                "command {name}: {method:?} cannot be called inside a batch"
            )));
        }
        if !matches!(params, Value::Object(_) | Value::Null) {
            return Err(Error::Batch(format!(
                "command {name}: parameters must be a JSON object"
            )));
        }
        Ok(Self {
            name,
            method,
            params,
            idempotent,
        })
    }

    /// The command's name, used in `$result[name]` references and in the results.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The method it calls.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// `method?query` as sent in `cmd`.
    pub(crate) fn encode(&self) -> String {
        let query = form::encode(&self.params);
        if query.is_empty() {
            self.method.clone()
        } else {
            format!("{}?{query}", self.method)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn encodes_method_and_query() {
        let c = Command::raw("deal", "crm.deal.get", json!({"id": 5})).unwrap();
        assert_eq!(c.encode(), "crm.deal.get?id=5");
        assert!(c.idempotent);
        let bare = Command::raw("me", "user.current", Value::Null).unwrap();
        assert_eq!(bare.encode(), "user.current");
    }

    #[test]
    fn refuses_bad_names_methods_and_params() {
        assert!(Command::raw("", "user.current", Value::Null).is_err());
        assert!(Command::raw("a b", "user.current", Value::Null).is_err());
        assert!(Command::raw("x", "batch", Value::Null).is_err());
        assert!(Command::raw("x", "crm.deal.get?id=1", Value::Null).is_err());
        assert!(Command::raw("x", "crm.deal.get", json!([1])).is_err());
    }
}
