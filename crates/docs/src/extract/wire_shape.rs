//! Wire shapes from all the evidence on the page: the documented type, the value list in the
//! description (`Y` — yes, `N` — no) and the page's own request and response examples.
//!
//! Where the evidence disagrees, the example decides how the value travels: the spec keeps the
//! documented type and records the shape in `wire` (and the example's spelling of a top-level
//! key in `wire_name`), and a `wire-shape` diagnostic tells the reviewer. Response fields only
//! record structural disagreements: REST v2 quotes every number in responses, which the typed
//! reader accepts as the portal's documented habit, not a shape of its own.

use b24_spec::type_kind::{kind_of_expr, Kind};
use b24_spec::{Param, ResultField, TypeExpr, Wire};
use serde_json::{Map, Value};

use crate::diagnostic::{DiagnosticKind, Sink};

/// Which example is being read: requests record every disagreement, responses only shapes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

/// Decides `wire` (and `wire_name`) for the parameters from the request example at `line`.
pub fn params(params: &mut [Param], example: &Value, line: u32, sink: &mut Sink) {
    members_of(params, example, Side::Request, line, sink);
}

/// Decides `wire` (and `wire_name`) for an event's payload members from the page's example
/// body. The portal posts events form-encoded, every scalar as text, so like responses only
/// structural disagreements are recorded.
pub fn payload(members: &mut [Param], example: &Value, line: u32, sink: &mut Sink) {
    members_of(members, example, Side::Response, line, sink);
}

fn members_of(params: &mut [Param], example: &Value, side: Side, line: u32, sink: &mut Sink) {
    let Value::Object(body) = example else {
        return;
    };
    for p in params.iter_mut() {
        if p.pattern {
            continue;
        }
        let (key, value) = match lookup(body, &p.name) {
            Some(found) => found,
            None => {
                p.wire = p.wire.or_else(|| described_flag(p));
                continue;
            }
        };
        if key != p.name {
            sink.report(
                line,
                DiagnosticKind::WireShape,
                format!("`{}`: the example sends it as `{key}`", p.name),
            );
            p.wire_name = Some(key.to_owned());
        }
        param(p, &[value], side, line, sink);
    }
}

/// A flag whose page types it `boolean` but lists `Y`/`N` as its values travels as `"Y"`/`"N"`.
fn described_flag(p: &Param) -> Option<Wire> {
    let kind = p.ty.as_ref().map(kind_of_expr)?;
    (kind == Kind::Bool && lists_yes_no(&p.description)).then_some(Wire::YesNo)
}

fn lists_yes_no(description: &str) -> bool {
    let has = |v: &str| {
        description.contains(&format!("`{v}`")) || description.contains(&format!("'{v}'"))
    };
    has("Y") && has("N")
}

/// The key the example uses: exactly the name, else the same name in another case.
fn lookup<'v>(body: &'v Map<String, Value>, name: &str) -> Option<(&'v str, &'v Value)> {
    if let Some((k, v)) = body.get_key_value(name) {
        return Some((k, v));
    }
    body.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(k, v)| (k.as_str(), v))
}

fn param(p: &mut Param, values: &[&Value], side: Side, line: u32, sink: &mut Sink) {
    let decisions: Vec<Option<Wire>> = values
        .iter()
        .map(|v| {
            decide(p.ty.as_ref(), !p.fields.is_empty(), v, side).or_else(|| {
                described_flag(p)
                    .filter(|_| v.is_boolean())
                    .map(|_| Wire::Boolean)
            })
        })
        .collect();
    if let Some(wire) = agreed(&decisions) {
        record(&mut p.wire, wire, &p.name, p.ty.as_ref(), line, sink);
    }
    let members: Vec<&Map<String, Value>> = values.iter().flat_map(|v| members(v)).collect();
    for f in p.fields.iter_mut() {
        let nested: Vec<&Value> = members.iter().filter_map(|m| m.get(&f.name)).collect();
        if !nested.is_empty() {
            param(f, &nested, side, line, sink);
        }
    }
}

/// One decision for all the values a member has in the examples: `Any` when they disagree.
fn agreed(decisions: &[Option<Wire>]) -> Option<Wire> {
    let first = *decisions.first()?;
    if decisions.iter().all(|d| *d == first) {
        first
    } else {
        Some(Wire::Any)
    }
}

/// Decides `wire` for result fields from the success response's `result` at `line`.
pub fn result(fields: &mut [ResultField], result: &Value, line: u32, sink: &mut Sink) {
    result_members(fields, &[result], line, sink);
}

fn result_members(fields: &mut [ResultField], values: &[&Value], line: u32, sink: &mut Sink) {
    let members: Vec<&Map<String, Value>> = values.iter().flat_map(|v| members(v)).collect();
    for f in fields.iter_mut().filter(|f| !f.pattern) {
        let nested: Vec<&Value> = members.iter().filter_map(|m| m.get(&f.name)).collect();
        if nested.is_empty() {
            continue;
        }
        let decisions: Vec<Option<Wire>> = nested
            .iter()
            .map(|v| decide(f.ty.as_ref(), !f.fields.is_empty(), v, Side::Response))
            .collect();
        if let Some(wire) = agreed(&decisions) {
            record(&mut f.wire, wire, &f.name, f.ty.as_ref(), line, sink);
        }
        if !f.fields.is_empty() {
            result_members(&mut f.fields, &nested, line, sink);
        }
    }
}

/// When the result table lists the members of `result`, the example shows whether `result`
/// is one such object or a list of them (an `array` the table cannot say).
pub fn members_holder(result: &Value, line: u32, sink: &mut Sink) -> Option<Wire> {
    let list = match result {
        Value::Array(items) => !items.is_empty(),
        _ => false,
    };
    if list {
        sink.report(
            line,
            DiagnosticKind::WireShape,
            "`result`: the table lists its members, the example sends a list of them",
        );
    }
    list.then_some(Wire::Array)
}

/// The objects a value holds for member matching: itself, or each element of a list.
pub(crate) fn members(value: &Value) -> Vec<&Map<String, Value>> {
    match value {
        Value::Object(map) => vec![map],
        Value::Array(items) => items.iter().filter_map(Value::as_object).collect(),
        _ => Vec::new(),
    }
}

/// Sets `wire` and tells the reviewer.
fn record(
    slot: &mut Option<Wire>,
    wire: Wire,
    name: &str,
    ty: Option<&TypeExpr>,
    line: u32,
    sink: &mut Sink,
) {
    if *slot != Some(wire) {
        let documented = ty.map_or_else(|| "untyped".to_owned(), ToString::to_string);
        sink.report(
            line,
            DiagnosticKind::WireShape,
            format!("`{name}`: documented as {documented}, the example sends {wire:?}"),
        );
    }
    *slot = Some(wire);
}

/// The shape the example shows when it differs from what the documented type implies.
fn decide(ty: Option<&TypeExpr>, has_members: bool, value: &Value, side: Side) -> Option<Wire> {
    let kind = ty.map_or(
        if has_members { Kind::Object } else { Kind::Any },
        kind_of_expr,
    );
    let element = match ty {
        Some(TypeExpr::Array(inner)) => Some(kind_of_expr(inner)),
        _ => None,
    };
    decide_kind(kind, element, has_members, value, side)
}

/// [`decide`] for a documented kind (and, for a documented list, its element kind).
fn decide_kind(
    kind: Kind,
    element: Option<Kind>,
    has_members: bool,
    value: &Value,
    side: Side,
) -> Option<Wire> {
    let unknown = matches!(kind, Kind::Any | Kind::Unknown | Kind::Null | Kind::File);
    if value.is_null() || unknown || value.as_str().is_some_and(is_placeholder) {
        return None;
    }
    if let Value::Array(items) = value {
        if !items.is_empty() {
            return list(kind, element, has_members, items, side);
        }
    }
    let seen = seen(value);
    let agrees = match (kind, seen) {
        (Kind::Int, Seen::Integer) | (Kind::Float, Seen::Integer | Seen::Fraction) => true,
        (Kind::Int | Kind::Float, Seen::NumberText) => side == Side::Response,
        (Kind::Str, Seen::Text | Seen::NumberText | Seen::YesNo) => true,
        (Kind::Bool, Seen::Boolean) | (Kind::YesNo, Seen::YesNo) => true,
        (Kind::Object, Seen::Object) | (Kind::Array, Seen::Array) => true,
        // PHP's empty array is also its empty object.
        (Kind::Object, Seen::EmptyArray) | (Kind::Array, Seen::EmptyArray) => true,
        _ => false,
    };
    if agrees {
        return None;
    }
    Some(match seen {
        Seen::Integer if kind == Kind::Bool && is_bit(value) => Wire::Bit,
        Seen::Integer => Wire::Integer,
        Seen::Fraction => Wire::Number,
        Seen::NumberText if matches!(kind, Kind::Int | Kind::Float) => Wire::NumberString,
        Seen::YesNo if matches!(kind, Kind::Bool) => Wire::YesNo,
        Seen::Text | Seen::NumberText | Seen::YesNo => Wire::String,
        Seen::Boolean => Wire::Boolean,
        Seen::Object => Wire::Object,
        Seen::Array | Seen::EmptyArray => Wire::Array,
    })
}

/// A non-empty list in the example. A documented list agrees when its items are what the
/// table says they are (member objects, or the documented element type); a single documented
/// value sent as a list is a list of it. Items of another kind than documented are `Any`: the
/// SDK does not guess an element type the docs contradict.
fn list(
    kind: Kind,
    element: Option<Kind>,
    has_members: bool,
    items: &[Value],
    side: Side,
) -> Option<Wire> {
    let objects = items.iter().all(Value::is_object);
    if kind == Kind::Array {
        return match (objects, has_members, element) {
            (true, true, Some(e)) if !matches!(e, Kind::Object | Kind::Any | Kind::Unknown) => {
                Some(Wire::Array)
            }
            (true, true, _) => None,
            (false, true, _) => Some(Wire::Any),
            (true, false, Some(e)) if !matches!(e, Kind::Object | Kind::Any | Kind::Unknown) => {
                Some(Wire::Any)
            }
            (false, false, Some(e)) => items
                .iter()
                .any(|item| decide_element(e, item, side))
                .then_some(Wire::Any),
            _ => None,
        };
    }
    let same_kind = if has_members {
        objects
    } else {
        items.iter().all(|item| !decide_element(kind, item, side))
    };
    Some(if same_kind { Wire::Array } else { Wire::Any })
}

/// True when an item of a list disagrees with the documented element kind.
fn decide_element(kind: Kind, item: &Value, side: Side) -> bool {
    decide_kind(kind, None, false, item, side).is_some()
}

/// What kind of JSON value an example holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Seen {
    Integer,
    Fraction,
    NumberText,
    YesNo,
    Text,
    Boolean,
    Object,
    Array,
    EmptyArray,
}

fn seen(value: &Value) -> Seen {
    match value {
        Value::Number(n) if n.is_i64() || n.is_u64() => Seen::Integer,
        Value::Number(_) => Seen::Fraction,
        Value::String(s) if s == "Y" || s == "N" => Seen::YesNo,
        Value::String(s) if !s.trim().is_empty() && s.trim().parse::<f64>().is_ok() => {
            Seen::NumberText
        }
        Value::String(_) => Seen::Text,
        Value::Bool(_) => Seen::Boolean,
        Value::Object(_) => Seen::Object,
        Value::Array(items) if items.is_empty() => Seen::EmptyArray,
        Value::Array(_) => Seen::Array,
        Value::Null => Seen::Text,
    }
}

/// Example values that stand for "put yours here" (`your_invoice_id`, `**put_id_here**`): no
/// evidence of a shape. The gate still sees them; a reviewed patch records the defect.
fn is_placeholder(text: &str) -> bool {
    let t = text.trim().to_ascii_lowercase();
    t.contains("**") || t.starts_with("your_") || t.starts_with("put_") || t.ends_with("_here")
}

fn is_bit(value: &Value) -> bool {
    value.as_u64().is_some_and(|n| n <= 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(name: &str, ty: &str) -> Param {
        Param::new(name, Some(TypeExpr::parse(ty).unwrap()), false)
    }

    fn run(mut params: Vec<Param>, example: Value) -> (Vec<Param>, Vec<String>) {
        let mut sink = Sink::new("page.md");
        super::params(&mut params, &example, 7, &mut sink);
        let messages = sink.items.iter().map(ToString::to_string).collect();
        (params, messages)
    }

    #[test]
    fn the_example_decides_flags_and_numbers() {
        let (params, messages) = run(
            vec![
                p("OPENED", "boolean"),
                p("ID", "integer"),
                p("FLAG", "char"),
            ],
            json!({"OPENED": "Y", "ID": "5", "FLAG": true}),
        );
        assert_eq!(params[0].wire, Some(Wire::YesNo));
        assert_eq!(params[1].wire, Some(Wire::NumberString));
        assert_eq!(params[2].wire, Some(Wire::Boolean));
        assert_eq!(messages.len(), 3);
        assert!(
            messages[0].starts_with("page.md:7: wire-shape: `OPENED`"),
            "{}",
            messages[0]
        );
    }

    #[test]
    fn placeholders_are_no_evidence() {
        let (params, messages) = run(
            vec![p("id", "integer"), p("ID", "integer")],
            json!({"id": "your_invoice_id", "ID": "**put_id_here**"}),
        );
        assert!(params.iter().all(|p| p.wire.is_none()));
        assert!(messages.is_empty(), "{messages:?}");
    }

    #[test]
    fn agreeing_examples_record_nothing() {
        let (params, messages) = run(
            vec![
                p("TITLE", "string"),
                p("SUM", "double"),
                p("F", "object"),
                p("L", "array"),
            ],
            json!({"TITLE": "5", "SUM": 5, "F": {}, "L": []}),
        );
        assert!(params.iter().all(|p| p.wire.is_none()));
        assert!(messages.is_empty(), "{messages:?}");
    }

    #[test]
    fn value_lists_decide_without_an_example() {
        let mut flag = p("EXPORT", "boolean");
        flag.description = "Possible values:\n- `Y` — yes\n- `N` — no".into();
        let (params, _) = run(vec![flag], json!({}));
        assert_eq!(params[0].wire, Some(Wire::YesNo));
    }

    #[test]
    fn members_and_key_case_follow_the_example() {
        let mut data = p("data", "array");
        data.fields.push(p("NAME", "string"));
        let (params, messages) = run(
            vec![p("EVENT_TOKEN", "string"), data],
            json!({"event_token": "x", "data": {"NAME": "a"}}),
        );
        assert_eq!(params[0].wire_name.as_deref(), Some("event_token"));
        assert_eq!(params[1].wire, Some(Wire::Object));
        assert_eq!(messages.len(), 2, "{messages:?}");
    }

    #[test]
    fn responses_accept_quoted_numbers_but_not_other_shapes() {
        let mut fields = vec![
            ResultField::new("ID", Some(TypeExpr::parse("integer").unwrap())),
            ResultField::new("tasks", Some(TypeExpr::parse("object").unwrap())),
        ];
        let mut sink = Sink::new("page.md");
        result(
            &mut fields,
            &json!({"ID": "5", "tasks": [{"id": 1}]}),
            3,
            &mut sink,
        );
        assert_eq!(fields[0].wire, None);
        assert_eq!(fields[1].wire, Some(Wire::Array));
    }

    #[test]
    fn lists_agree_with_their_documented_items_or_become_any() {
        let mut colleagues = p("users", "array");
        colleagues.fields.push(p("id", "integer"));
        let mut departments = p("departments", "department[]");
        departments.fields.push(p("NAME", "string"));
        let (params, _) = run(
            vec![
                colleagues,
                departments,
                p("CONFIG_ID", "integer"),
                p("CURRENCIES", "crm_currency[]"),
                p("FLAGS", "boolean"),
                p("IDS", "integer[]"),
            ],
            json!({
                "users": [9, 547],
                "departments": [{"NAME": "R&D"}],
                "CONFIG_ID": [1, 2],
                "CURRENCIES": [{"CURRENCY": "USD"}],
                "FLAGS": [{"a": 1}],
                "IDS": [1, 2],
            }),
        );
        let wires: Vec<Option<Wire>> = params.iter().map(|p| p.wire).collect();
        assert_eq!(
            wires,
            [
                Some(Wire::Any),
                Some(Wire::Array),
                Some(Wire::Array),
                Some(Wire::Any),
                Some(Wire::Any),
                None
            ]
        );
    }

    #[test]
    fn disagreeing_examples_become_any() {
        let mut list = p("rows", "object[]");
        list.fields.push(p("V", "integer"));
        let (params, _) = run(vec![list], json!({"rows": [{"V": 1}, {"V": "x"}]}));
        assert_eq!(params[0].fields[0].wire, Some(Wire::Any));
    }
}
