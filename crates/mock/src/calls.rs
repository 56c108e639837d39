//! One method call inside the portal, after routing and authentication: the method must be in
//! the spec, within its execution-time budget, valid against the spec, and not hit by a fault;
//! then it runs against state (core entities) or answers with the page's response example.
//!
//! A method without a documented response example answers `result: true`, the portal's usual
//! answer for writes, so a client always gets a decodable envelope.

use b24_spec::{ApiVersion, Method};
use serde_json::Value;

use crate::entities;
use crate::faults::FaultKind;
use crate::portal::Shared;
use crate::reply::{Answer, ApiError, Timing};
use crate::validate;

/// Run `method` for `caller`; `spent` is the simulated execution time charged to the budget.
pub fn run(
    shared: &Shared,
    caller: &str,
    api: ApiVersion,
    name: &str,
    params: &Value,
    spent: std::time::Duration,
    in_batch: bool,
) -> Result<(Answer, Timing), ApiError> {
    let method = shared
        .catalogue
        .method(name, api)
        .ok_or_else(|| ApiError::new(404, "ERROR_METHOD_NOT_FOUND", "Method not found!"))?;
    if let Err(status) = shared.limits.operating(caller, name) {
        let mut error = ApiError::new(
            429,
            "OPERATION_TIME_LIMIT",
            shared
                .catalogue
                .system_message("OPERATION_TIME_LIMIT")
                .unwrap_or("Method is blocked due to operation time limit."),
        );
        error.timing = Some(Timing {
            duration: 0.0,
            operating: status.used,
            operating_reset_at: status.reset_at,
        });
        return Err(error);
    }
    validate::check(method, params)?;
    // A plain call met its fault at the HTTP level already; commands meet theirs here.
    if in_batch {
        if let Some(FaultKind::Error(error)) = shared.faults.take(name) {
            return Err(error);
        }
    }
    let answer = answer(shared, method, params)?;
    let operating = shared.limits.spend(caller, name, spent);
    shared.count_call();
    Ok((
        answer,
        Timing {
            duration: spent.as_secs_f64(),
            operating: operating.used,
            operating_reset_at: operating.reset_at,
        },
    ))
}

fn answer(shared: &Shared, method: &Method, params: &Value) -> Result<Answer, ApiError> {
    if api_has_state(method) {
        let mut store = shared.lock_store();
        let not_found = || not_found(method);
        if let Some(outcome) = entities::handle(&mut store, &method.method, params, not_found) {
            return outcome;
        }
    }
    Ok(Answer::of(example_result(method)))
}

fn api_has_state(method: &Method) -> bool {
    method.api == ApiVersion::V2 && entities::is_stateful(&method.method)
}

/// The page's documented error for a missing record, else `NOT_FOUND`.
fn not_found(method: &Method) -> ApiError {
    method
        .errors
        .iter()
        .find(|e| !e.code_lost && e.message.to_ascii_lowercase().contains("not found"))
        .map_or_else(
            || ApiError::new(400, "NOT_FOUND", "Not found"),
            |e| ApiError::new(e.status.unwrap_or(400), e.code.clone(), e.message.clone()),
        )
}

/// `result` of the documented response example (the example is a whole body when it has a
/// `result` member, else the result itself).
fn example_result(method: &Method) -> Value {
    match &method.examples.response {
        Some(Value::Object(body)) if body.contains_key("result") => body["result"].clone(),
        Some(other) => other.clone(),
        None => Value::Bool(true),
    }
}
