//! `batch`: up to 50 commands (`cmd` as `name → "method?query"`), run in order with `halt`,
//! `$result[name][path...]` references resolved against earlier results, and the documented
//! answer (`result`, `result_error`, `result_total`, `result_next`, `result_time`; empty ones
//! as `[]`, the way PHP renders an empty array). The whole batch is one request for the bucket.
//!
//! A reference that points at nothing becomes an empty string; a whole-value reference is
//! replaced by the value itself (an array stays an array), a reference inside longer text by
//! its text.

use serde_json::{json, Map, Value};

use crate::form;
use crate::paging::{member, number};
use crate::reply::{ApiError, Timing};

/// The most commands one batch takes.
pub const MAX_COMMANDS: usize = 50;

/// One command's outcome as the caller of [`run`] reports it.
pub type CommandOutcome = Result<(crate::reply::Answer, Timing), ApiError>;

/// Run a batch; `call(method, params)` runs one command. Returns the `result` member and how
/// many commands ran.
pub fn run(
    params: &Value,
    mut call: impl FnMut(&str, &Value) -> CommandOutcome,
) -> Result<(Value, usize), ApiError> {
    let halt = member(params, "halt").is_some_and(truthy);
    let commands = commands(params)?;
    let mut out = Outcomes::default();
    let mut ran = 0;
    for (name, text) in commands {
        let (method, query) = text.split_once('?').unwrap_or((text.as_str(), ""));
        let method = method.trim_start_matches('/');
        let mut args = form::decode(query.as_bytes());
        resolve(&mut args, &out.results);
        ran += 1;
        let outcome = if method.eq_ignore_ascii_case("batch") {
            Err(ApiError::new(
                405,
                "ERROR_BATCH_METHOD_NOT_ALLOWED",
                "Method is not allowed for batch usage",
            ))
        } else {
            call(method, &args)
        };
        let failed = outcome.is_err();
        out.record(name, outcome);
        if halt && failed {
            break;
        }
    }
    Ok((out.into_value(), ran))
}

fn commands(params: &Value) -> Result<Vec<(String, String)>, ApiError> {
    let list: Vec<(String, String)> = match member(params, "cmd") {
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
            .collect(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v.as_str().unwrap_or_default().to_owned()))
            .collect(),
        _ => return Err(ApiError::new(400, "ERROR_BATCH_EMPTY", "Batch is empty")),
    };
    if list.len() > MAX_COMMANDS {
        return Err(ApiError::new(
            400,
            "ERROR_BATCH_LENGTH_EXCEEDED",
            "Max batch length exceeded",
        ));
    }
    Ok(list)
}

fn truthy(value: &Value) -> bool {
    value.as_bool().unwrap_or(false)
        || number(value).is_some_and(|n| n != 0.0)
        || value
            .as_str()
            .is_some_and(|s| s.eq_ignore_ascii_case("y") || s == "true")
}

#[derive(Default)]
struct Outcomes {
    results: Map<String, Value>,
    errors: Map<String, Value>,
    totals: Map<String, Value>,
    nexts: Map<String, Value>,
    times: Map<String, Value>,
}

impl Outcomes {
    fn record(&mut self, name: String, outcome: CommandOutcome) {
        match outcome {
            Ok((answer, timing)) => {
                if let Some(total) = answer.total {
                    self.totals.insert(name.clone(), json!(total));
                }
                if let Some(next) = answer.next {
                    self.nexts.insert(name.clone(), json!(next));
                }
                self.times.insert(name.clone(), timing.to_value());
                self.results.insert(name, answer.result);
            }
            Err(error) => {
                self.errors.insert(name, error.batch_entry());
            }
        }
    }

    fn into_value(self) -> Value {
        let php = |m: Map<String, Value>| {
            if m.is_empty() {
                json!([])
            } else {
                Value::Object(m)
            }
        };
        json!({
            "result": php(self.results),
            "result_error": php(self.errors),
            "result_total": php(self.totals),
            "result_next": php(self.nexts),
            "result_time": php(self.times),
        })
    }
}

/// Replace `$result[name][path...]` references in every string of `value`.
fn resolve(value: &mut Value, results: &Map<String, Value>) {
    match value {
        Value::String(text) if text.contains("$result[") => *value = substitute(text, results),
        Value::Object(map) => map.values_mut().for_each(|v| resolve(v, results)),
        Value::Array(items) => items.iter_mut().for_each(|v| resolve(v, results)),
        _ => {}
    }
}

fn substitute(text: &str, results: &Map<String, Value>) -> Value {
    if let Some((target, "")) = lookup_ref(text, results) {
        return target.map_or_else(|| json!(""), Value::clone);
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("$result[") {
        out.push_str(&rest[..at]);
        let Some((target, after)) = lookup_ref(&rest[at..], results) else {
            out.push_str(&rest[at..]);
            return Value::String(out);
        };
        out.push_str(&scalar_text(target));
        rest = after;
    }
    out.push_str(rest);
    Value::String(out)
}

/// The value a reference at the start of `text` points at, and the text after it.
fn lookup_ref<'t, 'r>(
    text: &'t str,
    results: &'r Map<String, Value>,
) -> Option<(Option<&'r Value>, &'t str)> {
    let mut rest = text.strip_prefix("$result")?;
    let mut keys = Vec::new();
    while let Some(inner) = rest.strip_prefix('[') {
        let close = inner.find(']')?;
        keys.push(&inner[..close]);
        rest = &inner[close + 1..];
    }
    let (first, path) = keys.split_first()?;
    let mut node = results.get(*first);
    for key in path {
        node = node.and_then(|n| match n {
            Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            other => other.get(*key),
        });
    }
    Some((node, rest))
}

fn scalar_text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::Answer;

    fn echo(method: &str, params: &Value) -> CommandOutcome {
        if method == "fail" {
            return Err(ApiError::new(400, "BAD", "bad"));
        }
        Ok((
            Answer::of(json!({"method": method, "params": params, "list": [{"ID": "7"}]})),
            Timing::default(),
        ))
    }

    #[test]
    fn references_resolve_against_earlier_results() {
        let params = json!({"cmd": {
            "a": "x.get?id=1",
            "b": "y.get?id=$result[a][list][0][ID]&whole=$result[a][list]&text=n-$result[a][method]&gone=$result[zz][q]"
        }});
        let (result, ran) = run(&params, echo).unwrap();
        assert_eq!(ran, 2);
        let b = &result["result"]["b"]["params"];
        assert_eq!(b["id"], "7");
        assert_eq!(b["whole"], json!([{"ID": "7"}]));
        assert_eq!(b["text"], "n-x.get");
        assert_eq!(b["gone"], "");
        assert_eq!(result["result_error"], json!([]));
    }

    #[test]
    fn halt_stops_at_the_first_error_and_limits_apply() {
        let params = json!({"halt": 1, "cmd": {"a": "fail", "b": "x.get"}});
        let (result, ran) = run(&params, echo).unwrap();
        assert_eq!(ran, 1);
        assert_eq!(result["result_error"]["a"]["error"], "BAD");
        assert_eq!(result["result"], json!([]));
        let params = json!({"halt": 0, "cmd": {"a": "fail", "b": "batch?cmd[c]=x"}});
        let (result, _) = run(&params, echo).unwrap();
        assert_eq!(
            result["result_error"]["b"]["error"],
            "ERROR_BATCH_METHOD_NOT_ALLOWED"
        );
        let many: Map<String, Value> = (0..51).map(|i| (format!("c{i}"), json!("x.get"))).collect();
        let err = run(&json!({"cmd": many}), echo).unwrap_err();
        assert_eq!(err.code, "ERROR_BATCH_LENGTH_EXCEEDED");
    }
}
