//! Reading a classic `batch` answer into one outcome per command: `result`, `result_error`,
//! `result_total`, `result_next` and `result_time` are keyed by command name (or are `[]`
//! when empty — PHP's empty array).

use serde_json::Value;

use super::command::Command;
use crate::envelope::{api_error, Envelope, Time};
use crate::error::Error;

/// The outcome of one command.
pub type Outcome = Result<Envelope<Value>, Error>;

/// Split a batch `result` into per-command outcomes, in command order. Each command's result
/// is moved out of the answer, never copied: list chains carry thousands of items.
pub(crate) fn outcomes(
    commands: &[Command],
    result: Value,
    status: u16,
) -> Result<Vec<(String, Outcome)>, Error> {
    let Value::Object(mut parts) = result else {
        return Err(Error::decode(
            "batch",
            status,
            "batch result is not an object",
        ));
    };
    let mut part = |key: &str| parts.remove(key).unwrap_or(Value::Null);
    let mut results = part("result");
    let meta = Meta {
        errors: part("result_error"),
        totals: part("result_total"),
        nexts: part("result_next"),
        times: part("result_time"),
    };
    Ok(meta.outcomes(commands, status, |name| take(&mut results, name)))
}

/// The small members of a batch answer, keyed by command name (or `[]` when empty).
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct Meta {
    #[serde(default, rename = "result_error")]
    pub errors: Value,
    #[serde(default, rename = "result_total")]
    pub totals: Value,
    #[serde(default, rename = "result_next")]
    pub nexts: Value,
    #[serde(default, rename = "result_time")]
    pub times: Value,
}

impl Meta {
    /// One outcome per command, its result taken by `take` (a `Value` or raw JSON text).
    pub(crate) fn outcomes<T>(
        &self,
        commands: &[Command],
        status: u16,
        mut take: impl FnMut(&str) -> Option<T>,
    ) -> Vec<(String, Result<Envelope<T>, Error>)> {
        commands
            .iter()
            .map(|command| {
                let name = command.name.as_str();
                let outcome = match (take(name), entry(&self.errors, name)) {
                    (_, Some(error)) => Err(command_error(status, error)),
                    (Some(value), None) => Ok(Envelope {
                        result: value,
                        time: entry(&self.times, name)
                            .and_then(|t| serde_json::from_value::<Time>(t.clone()).ok()),
                        total: entry(&self.totals, name).and_then(count),
                        next: entry(&self.nexts, name).and_then(count),
                        replayed: false,
                    }),
                    (None, None) => Err(Error::NotRun {
                        command: name.to_owned(),
                    }),
                };
                (name.to_owned(), outcome)
            })
            .collect()
    }
}

/// Move a command's entry out of an object keyed by name, or out of an array by index.
fn take(container: &mut Value, name: &str) -> Option<Value> {
    match container {
        Value::Object(map) => map.remove(name),
        Value::Array(items) => name
            .parse::<usize>()
            .ok()
            .and_then(|i| items.get_mut(i))
            .map(Value::take),
        _ => None,
    }
}

/// Look a command up in an object keyed by name, or in an array when names are indices.
pub(crate) fn entry<'a>(container: &'a Value, name: &str) -> Option<&'a Value> {
    match container {
        Value::Object(map) => map.get(name),
        Value::Array(items) => name.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    }
}

fn command_error(status: u16, error: &Value) -> Error {
    match error {
        Value::Object(map) if map.contains_key("error") => api_error(
            status,
            map["error"].clone(),
            map.get("error_description").cloned(),
        ),
        other => api_error(status, other.clone(), None),
    }
}

fn count(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn commands(names: &[&str]) -> Vec<Command> {
        names
            .iter()
            .map(|n| Command::raw(*n, "crm.deal.list", Value::Null).unwrap())
            .collect()
    }

    #[test]
    fn successes_errors_and_not_run_side_by_side() {
        let result = json!({
            "result": {"a": [{"ID": "1"}]},
            "result_error": {"b": {"error": "ACCESS_DENIED", "error_description": "no"}},
            "result_total": {"a": 120},
            "result_next": {"a": 50},
            "result_time": {"a": {"start": 1, "operating_reset_at": 5}}
        });
        let out = outcomes(&commands(&["a", "b", "c"]), result, 200).unwrap();
        let a = out[0].1.as_ref().unwrap();
        assert_eq!((a.total, a.next), (Some(120), Some(50)));
        assert_eq!(a.time.as_ref().unwrap().operating_reset_at, Some(5.0));
        assert!(out[1].1.as_ref().unwrap_err().is_code("ACCESS_DENIED"));
        assert!(matches!(out[2].1, Err(Error::NotRun { .. })));
    }

    #[test]
    fn empty_php_arrays_mean_nothing() {
        let result = json!({"result": [], "result_error": {"a": {"error": "insufficient_scope", "error_description": ""}}, "result_total": [], "result_next": [], "result_time": []});
        let out = outcomes(&commands(&["a"]), result, 200).unwrap();
        assert!(out[0].1.as_ref().unwrap_err().is_code("insufficient_scope"));
        assert!(outcomes(&commands(&["a"]), json!([1]), 200).is_err());
    }

    /// JSON with the secret planted in strings, raw or percent-encoded.
    fn batch_json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let text = prop_oneof![
            Just(format!("code {CODE} echoed")),
            Just(format!("url /rest/1/{CODE}/x")),
            Just("k%3Dc0de%2F7".to_owned()),
            "[a-z0-9]{0,6}",
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<i64>().prop_map(Value::from),
            text.prop_map(Value::String),
        ];
        let keys = prop_oneof![
            Just("result".to_owned()),
            Just("result_error".to_owned()),
            Just("result_total".to_owned()),
            Just("result_next".to_owned()),
            Just("result_time".to_owned()),
            Just("error".to_owned()),
            Just("error_description".to_owned()),
            Just("a".to_owned()),
            Just("0".to_owned()),
        ];
        leaf.prop_recursive(4, 32, 5, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(keys.clone(), inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    const CODE: &str = "c0de/7";

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(256))]

        #[test]
        fn arbitrary_batch_answers_never_panic_nor_leak(result in batch_json(), status in 100u16..600) {
            let names = commands(&["a", "0", "b"]);
            let secret = crate::secret::Secret::new(CODE);
            let Ok(out) = outcomes(&names, result, status) else {
                return Ok(());
            };
            proptest::prop_assert_eq!(out.len(), 3);
            for (_, outcome) in out {
                if let Err(err) = outcome {
                    let err = err.scrubbed(&|t| secret.scrub(t));
                    let shown = format!("{err} {err:?}");
                    proptest::prop_assert!(!shown.contains(CODE) && !shown.contains("c0de%2F7"), "{}", shown);
                }
            }
        }
    }

    #[test]
    fn numeric_names_index_arrays() {
        let out = outcomes(&commands(&["0", "1"]), json!({"result": [10, 11]}), 200).unwrap();
        assert_eq!(out[1].1.as_ref().unwrap().result, json!(11));
    }
}
