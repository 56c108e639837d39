//! The strict example gate: every documented request body decodes into its request type and
//! encodes back to exactly the same JSON; every documented success `result` decodes into the
//! response type and encodes back to the same JSON, with only the portal's three documented read
//! rules in between (a number quoted as a string is a number; an empty marker is an absent value;
//! PHP's empty array `[]` read into an object is `{}`). Every documented event body's `data`
//! decodes into the event's payload type through the typed dispatch and encodes back the same
//! way (events arrive form-encoded, every value as text: the response rules apply).
//!
//! Nothing here is "equal enough": `[v]` is not `{"K": v}`, `"Y"` is not `true`, a dropped or
//! invented key fails. An example that cannot pass is fixed by a reviewed patch (`spec/patches/`)
//! or recorded there as a doc defect, which must keep failing (a fixed defect is a stale entry).
//!
//! `B24_EXAMPLES_REPORT=FILE` writes the per-method table (what `cargo xtask examples` prints).
#![cfg(feature = "full")]
#![allow(deprecated)]

use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

use b24_spec::Spec;
use bitrix24::{ApiVersion, Method};
use serde_json::Value;

fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let root = std::env::var_os("B24_SPEC").map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"),
            Into::into,
        );
        b24_spec::layout::load(&root).expect("the spec the crate was generated from")
    })
}

fn method<M: Method>() -> &'static b24_spec::Method {
    let api = match M::API {
        ApiVersion::V2 => b24_spec::ApiVersion::V2,
        ApiVersion::V3 => b24_spec::ApiVersion::V3,
    };
    spec().method(M::NAME, api).expect("method in spec")
}

/// How one example fared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// Round-trips with the spec as extracted.
    Pass,
    /// Round-trips thanks to a reviewed patch of the method.
    Patched,
    /// Fails, and a reviewed patch records why the docs are wrong.
    DocDefect,
    /// Fails with nothing recorded, or a recorded defect no longer fails.
    Failing,
}

struct Row {
    method: String,
    example: &'static str,
    outcome: Outcome,
    detail: String,
}

#[derive(Default)]
struct Gate {
    rows: Vec<Row>,
}

impl Gate {
    fn record(&mut self, m: &b24_spec::Method, example: &'static str, result: Result<(), String>) {
        let (defect, patched) = match example {
            "request" => (m.examples.request_defect.as_deref(), m.is_request_patched()),
            _ => (m.examples.response_defect.as_deref(), m.is_response_patched()),
        };
        let (outcome, detail) = match (result, defect) {
            (Ok(()), None) if patched => (Outcome::Patched, String::new()),
            (Ok(()), None) => (Outcome::Pass, String::new()),
            (Ok(()), Some(reason)) => (
                Outcome::Failing,
                format!("recorded as a doc defect ({reason}) but passes: remove the entry"),
            ),
            (Err(_), Some(reason)) => (Outcome::DocDefect, reason.to_owned()),
            (Err(e), None) => (Outcome::Failing, e),
        };
        self.rows.push(Row {
            method: format!("{} ({})", m.method, m.api),
            example,
            outcome,
            detail,
        });
    }

    /// An event body: events have no patches or recorded defects; they pass or fail.
    fn record_event(&mut self, name: &str, result: Result<(), String>) {
        let (outcome, detail) = match result {
            Ok(()) => (Outcome::Pass, String::new()),
            Err(e) => (Outcome::Failing, e),
        };
        self.rows.push(Row {
            method: name.to_owned(),
            example: "event",
            outcome,
            detail,
        });
    }

    fn count(&self, example: &str, outcome: Outcome) -> usize {
        let rows = self.rows.iter().filter(|r| r.example == example);
        rows.filter(|r| r.outcome == outcome).count()
    }

    fn summary(&self) -> String {
        let total = |e: &str| self.rows.iter().filter(|r| r.example == e).count();
        let all = |o: Outcome| {
            self.count("request", o) + self.count("response", o) + self.count("event", o)
        };
        format!(
            "examples: requests {}/{}, responses {}/{}, events {}/{}, patched {}, doc-defects {}, failing {}",
            self.count("request", Outcome::Pass),
            total("request"),
            self.count("response", Outcome::Pass),
            total("response"),
            self.count("event", Outcome::Pass),
            total("event"),
            all(Outcome::Patched),
            all(Outcome::DocDefect),
            all(Outcome::Failing),
        )
    }

    fn table(&self) -> String {
        let mut out = String::from("| method | example | outcome | detail |\n|---|---|---|---|\n");
        for r in &self.rows {
            let detail = r.detail.replace('|', "\\|").replace('\n', " ");
            let _ = writeln!(out, "| {} | {} | {:?} | {} |", r.method, r.example, r.outcome, detail);
        }
        out.push('\n');
        out.push_str(&self.summary());
        out.push('\n');
        out
    }
}

/// Decodes the request example into `M` and encodes it again: the JSON must be the same.
fn request<M: Method + serde::de::DeserializeOwned>(gate: &mut Gate) {
    let m = method::<M>();
    let body = m.examples.request.clone().expect("request example in spec");
    let result = serde_json::from_value::<M>(body.clone())
        .map_err(|e| format!("decode: {e}"))
        .and_then(|typed| serde_json::to_value(&typed).map_err(|e| format!("encode: {e}")))
        .and_then(|back| same_request(&body, &back, "$").map_err(|e| format!("{e}; sent {back}")));
    gate.record(m, "request", result);
}

/// Decodes the response example's `result` into `M::Response` and encodes it again.
fn response<M: Method>(gate: &mut Gate)
where
    M::Response: serde::Serialize,
{
    let m = method::<M>();
    let body = m.examples.response.as_ref().expect("response example in spec");
    let result = body.get("result").cloned().unwrap_or(Value::Null);
    let (decoded, unfit) =
        bitrix24_types::wire::census::watch(|| serde_json::from_value::<M::Response>(result.clone()));
    let outcome = decoded
        .map_err(|e| format!("decode: {e}"))
        .and_then(|typed| fits(typed, &unfit))
        .and_then(|typed| serde_json::to_value(&typed).map_err(|e| format!("encode: {e}")))
        .and_then(|back| same_response(&result, &back, "$.result"));
    gate.record(m, "response", outcome);
}

/// A value whose objects each took at least one documented field: an object read wholly into
/// `extra` round-trips perfectly and still means the typed API shows nothing of it.
fn fits<T>(typed: T, unfit: &[String]) -> Result<T, String> {
    match unfit.first() {
        None => Ok(typed),
        Some(first) => Err(format!("decode: {first} (and {} more)", unfit.len() - 1)),
    }
}

/// Types an event body's `data` by the event's name and encodes it again.
fn event(gate: &mut Gate, name: &str) {
    let spec_event = spec().events.iter().find(|e| e.event == name).expect("event in spec");
    let data = spec_event
        .example
        .as_ref()
        .and_then(|body| body.get("data"))
        .cloned()
        .expect("event example with data");
    let outcome = bitrix24::event::Event::from_data(name, data.clone())
        .map_err(|e| format!("decode: {e}"))
        .and_then(|typed| typed.data_json().map_err(|e| format!("encode: {e}")))
        .and_then(|back| same_response(&data, &back, "$.data"));
    gate.record_event(name, outcome);
}

/// Which example is compared: responses allow the portal's three read rules.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

/// Request bodies: the same JSON, numbers compared by value (JSON has one number type).
fn same_request(sent: &Value, back: &Value, path: &str) -> Result<(), String> {
    same(sent, back, path, Side::Request)
}

/// Response results: as requests, plus the portal's three read rules.
fn same_response(got: &Value, back: &Value, path: &str) -> Result<(), String> {
    same(got, back, path, Side::Response)
}

fn same(a: &Value, b: &Value, path: &str, side: Side) -> Result<(), String> {
    let response = side == Side::Response;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) => same(v, w, &format!("{path}.{k}"), side)?,
                    // An empty marker reads as an absent value.
                    None if response && is_empty_marker(v) => {}
                    None => return Err(format!("{path}.{k}: {} dropped", short(v))),
                }
            }
            match y.keys().find(|k| !x.contains_key(*k)) {
                Some(k) => Err(format!("{path}.{k}: invented")),
                None => Ok(()),
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .try_for_each(|(i, (v, w))| same(v, w, &format!("{path}[{i}]"), side)),
        (Value::Number(x), Value::Number(y)) if same_number(x, y) => Ok(()),
        // REST v2 quotes numbers: "5" read into a number field is the number 5.
        (Value::String(s), Value::Number(n)) if response && quoted_number(s, n) => Ok(()),
        // PHP encodes an empty associative array as `[]`: read into an object, it is `{}`.
        (Value::Array(x), Value::Object(y)) if response && x.is_empty() && y.is_empty() => Ok(()),
        _ if a == b => Ok(()),
        _ => Err(format!("{path}: {} became {}", short(a), short(b))),
    }
}

fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    match (a.as_i64(), b.as_i64()) {
        (Some(x), Some(y)) => x == y,
        _ => a.as_f64() == b.as_f64(),
    }
}

fn quoted_number(s: &str, n: &serde_json::Number) -> bool {
    let s = s.trim();
    match (s.parse::<i64>(), n.as_i64()) {
        (Ok(x), Some(y)) => x == y,
        _ => s.parse::<f64>().ok() == n.as_f64(),
    }
}

/// The portal's "nothing": what an optional typed value reads as absent.
fn is_empty_marker(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => true,
        // Events documented as `undefined | object` carry the text "undefined" for "absent".
        Value::String(s) => s.trim().is_empty() || s == "undefined",
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Number(_) | Value::Bool(true) => false,
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

#[test]
fn examples_are_wire_exact() {
    let mut gate = Gate::default();
    cases(&mut gate);
    if let Some(path) = std::env::var_os("B24_EXAMPLES_REPORT") {
        std::fs::write(&path, gate.table()).expect("write the examples report");
    }
    let failing: Vec<String> = gate
        .rows
        .iter()
        .filter(|r| r.outcome == Outcome::Failing)
        .map(|r| format!("{} {}: {}", r.method, r.example, r.detail))
        .collect();
    assert!(failing.is_empty(), "{}\n{}", failing.join("\n"), gate.summary());
}
