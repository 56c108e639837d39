//! List reads as the docs describe them: pages of 50, `start` as the offset with `total` and
//! `next` in the answer, `start = -1` to skip counting (no `total`, no `next`), `filter` with
//! the operator prefixes (`>ID`, `>=`, `<`, `<=`, `!`, `=`, `%`), `order`, and `select`.
//!
//! Decisions: field names in `filter`, `order` and `select` match case-insensitively (tasks
//! filter on `ID` but answer with `id`); values compare as numbers when both sides are numeric,
//! else as text; the ID member is always returned, whatever `select` says, so a client can
//! continue a `>ID` scan; without `order` records come in ascending ID order.

use std::cmp::Ordering;
use std::ops::Bound;

use serde_json::{Map, Value};

use crate::state::Collection;

/// Items per page.
pub const PAGE_SIZE: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Like,
}

/// One `filter` entry.
#[derive(Debug, Clone, PartialEq)]
struct Condition {
    field: String,
    op: Op,
    /// Several values mean "any of" (`IN`).
    values: Vec<Value>,
}

/// A parsed list request.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    filter: Vec<Condition>,
    /// `(field, descending)`.
    order: Vec<(String, bool)>,
    /// `None` for `start = -1`.
    start: Option<usize>,
    select: Option<Vec<String>>,
}

/// One page of a list answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The records, projected by `select`.
    pub items: Vec<Value>,
    /// How many records match (absent with `start = -1`).
    pub total: Option<u64>,
    /// Offset of the next page (absent on the last page and with `start = -1`).
    pub next: Option<u64>,
}

impl Query {
    /// Read `filter`, `order`, `start` and `select` from a request (any letter case).
    pub fn from_params(params: &Value) -> Self {
        let get = |name: &str| member(params, name);
        Self::new(get("filter"), get("order"), get("start"), get("select"))
    }

    /// A query from its parts.
    pub fn new(
        filter: Option<&Value>,
        order: Option<&Value>,
        start: Option<&Value>,
        select: Option<&Value>,
    ) -> Self {
        let filter = filter
            .and_then(Value::as_object)
            .map(|f| f.iter().map(|(k, v)| condition(k, v)).collect())
            .unwrap_or_default();
        let order = order
            .and_then(Value::as_object)
            .map(|o| {
                o.iter()
                    .map(|(k, v)| {
                        let desc = v.as_str().is_some_and(|d| d.eq_ignore_ascii_case("desc"));
                        (k.clone(), desc)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let start = match start.map(number) {
            Some(Some(n)) if n < 0.0 => None,
            Some(Some(n)) => Some(n as usize),
            _ => Some(0),
        };
        let select = select.and_then(|s| {
            let names: Vec<String> = match s {
                Value::Array(items) => items.iter().filter_map(as_text).collect(),
                Value::Object(map) => map.values().filter_map(as_text).collect(),
                _ => Vec::new(),
            };
            (!names.is_empty() && !names.iter().any(|n| n == "*")).then_some(names)
        });
        Self {
            filter,
            order,
            start,
            select,
        }
    }

    /// The page this query asks for.
    pub fn page(&self, collection: &Collection, id_field: &str) -> Page {
        let by_id_only = self
            .order
            .iter()
            .all(|(f, _)| f.eq_ignore_ascii_case(id_field));
        let descending = self.order.first().is_some_and(|(_, d)| *d);
        if by_id_only {
            if let Some((low, high)) = self.id_bounds_only(id_field) {
                return self.indexed(collection, id_field, low, high, descending);
            }
            let low = self.id_floor(id_field);
            let range = collection.records.range((low, Bound::Unbounded));
            let matching = range.filter(|(_, r)| self.matches(r));
            if descending {
                let all: Vec<_> = matching.collect();
                self.slice(all.into_iter().rev(), id_field)
            } else {
                self.slice(matching, id_field)
            }
        } else {
            let mut all: Vec<_> = collection
                .records
                .iter()
                .filter(|(_, r)| self.matches(r))
                .collect();
            all.sort_by(|a, b| self.compare(a.1, b.1).then(a.0.cmp(b.0)));
            self.slice(all.into_iter(), id_field)
        }
    }

    /// `[low, high]` when every filter condition is an ID bound (so the ID index answers).
    fn id_bounds_only(&self, id_field: &str) -> Option<(u64, u64)> {
        let (mut low, mut high) = (0u64, u64::MAX);
        for c in &self.filter {
            let n = (c.field.eq_ignore_ascii_case(id_field) && c.values.len() == 1)
                .then(|| number(&c.values[0]))
                .flatten()?;
            if n < 0.0 {
                return None;
            }
            match c.op {
                Op::Gt => low = low.max(n.floor() as u64 + 1),
                Op::Ge => low = low.max(n.ceil() as u64),
                Op::Lt => high = high.min((n.ceil() as u64).saturating_sub(1)),
                Op::Le => high = high.min(n.floor() as u64),
                _ => return None,
            }
        }
        Some((low, high))
    }

    /// A page straight from the ID index: counting and offsets are slice operations.
    fn indexed(
        &self,
        collection: &Collection,
        id_field: &str,
        low: u64,
        high: u64,
        descending: bool,
    ) -> Page {
        let ids = collection.ids();
        let from = ids.partition_point(|id| *id < low);
        let to = ids.partition_point(|id| *id <= high).max(from);
        let matching = &ids[from..to];
        let total = matching.len();
        let start = self.start.unwrap_or(0).min(total);
        let end = start.saturating_add(PAGE_SIZE).min(total);
        let picked: Vec<u64> = if descending {
            matching
                .iter()
                .rev()
                .skip(start)
                .take(end - start)
                .copied()
                .collect()
        } else {
            matching[start..end].to_vec()
        };
        let items = picked
            .iter()
            .filter_map(|id| collection.records.get(id))
            .map(|r| self.project(r, id_field))
            .collect();
        match self.start {
            None => Page {
                items,
                total: None,
                next: None,
            },
            Some(_) => Page {
                items,
                total: Some(total as u64),
                next: (end < total).then_some(end as u64),
            },
        }
    }

    /// Where an ascending ID scan can start: the tightest `>ID`/`>=ID` bound of the filter.
    fn id_floor(&self, id_field: &str) -> Bound<u64> {
        let mut floor = Bound::Unbounded;
        for c in &self.filter {
            if !c.field.eq_ignore_ascii_case(id_field) || c.values.len() != 1 {
                continue;
            }
            let Some(n) = number(&c.values[0]) else {
                continue;
            };
            let bound = match c.op {
                Op::Gt if n >= 0.0 => Bound::Excluded(n.floor() as u64),
                Op::Ge if n >= 0.0 => Bound::Included(n.ceil() as u64),
                _ => continue,
            };
            floor = tighter(floor, bound);
        }
        floor
    }

    fn slice<'a>(
        &self,
        records: impl Iterator<Item = (&'a u64, &'a Map<String, Value>)>,
        id_field: &str,
    ) -> Page {
        let Some(start) = self.start else {
            let items = records
                .take(PAGE_SIZE)
                .map(|(_, r)| self.project(r, id_field))
                .collect();
            return Page {
                items,
                total: None,
                next: None,
            };
        };
        let mut total = 0usize;
        let mut items = Vec::new();
        for (_, record) in records {
            if total >= start && items.len() < PAGE_SIZE {
                items.push(self.project(record, id_field));
            }
            total += 1;
        }
        let end = start.saturating_add(PAGE_SIZE);
        Page {
            items,
            total: Some(total as u64),
            next: (end < total).then_some(end as u64),
        }
    }

    fn matches(&self, record: &Map<String, Value>) -> bool {
        self.filter.iter().all(|c| {
            let value = field(record, &c.field);
            match c.op {
                Op::Ne => !c.values.iter().any(|v| equal(value, v)),
                op => c.values.iter().any(|v| holds(op, value, v)),
            }
        })
    }

    fn compare(&self, a: &Map<String, Value>, b: &Map<String, Value>) -> Ordering {
        for (name, desc) in &self.order {
            let ord = compare(field(a, name), field(b, name));
            let ord = if *desc { ord.reverse() } else { ord };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    }

    fn project(&self, record: &Map<String, Value>, id_field: &str) -> Value {
        let Some(select) = &self.select else {
            return Value::Object(record.clone());
        };
        let out = record
            .iter()
            .filter(|(k, _)| {
                k.eq_ignore_ascii_case(id_field) || select.iter().any(|s| s.eq_ignore_ascii_case(k))
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Value::Object(out)
    }
}

fn tighter(a: Bound<u64>, b: Bound<u64>) -> Bound<u64> {
    let key = |x: &Bound<u64>| match x {
        Bound::Unbounded => (0, 0),
        Bound::Included(n) => (*n, 0),
        Bound::Excluded(n) => (*n, 1),
    };
    if key(&b) > key(&a) {
        b
    } else {
        a
    }
}

fn condition(key: &str, value: &Value) -> Condition {
    const PREFIXES: [(&str, Op); 8] = [
        (">=", Op::Ge),
        ("<=", Op::Le),
        ("!=", Op::Ne),
        (">", Op::Gt),
        ("<", Op::Lt),
        ("!", Op::Ne),
        ("=", Op::Eq),
        ("%", Op::Like),
    ];
    let (op, field) = PREFIXES
        .iter()
        .find_map(|(p, op)| key.strip_prefix(p).map(|rest| (*op, rest)))
        .unwrap_or((Op::Eq, key));
    let values = match value {
        Value::Array(items) => items.clone(),
        Value::Object(map) => map.values().cloned().collect(),
        other => vec![other.clone()],
    };
    Condition {
        field: field.to_owned(),
        op,
        values,
    }
}

fn holds(op: Op, value: Option<&Value>, wanted: &Value) -> bool {
    match op {
        Op::Eq => equal(value, wanted),
        Op::Like => {
            let (Some(text), Some(part)) = (value.and_then(as_text), as_text(wanted)) else {
                return false;
            };
            text.to_lowercase()
                .contains(&part.trim_matches('%').to_lowercase())
        }
        Op::Ne => !equal(value, wanted),
        Op::Gt => compare(value, Some(wanted)) == Ordering::Greater,
        Op::Ge => compare(value, Some(wanted)) != Ordering::Less,
        Op::Lt => compare(value, Some(wanted)) == Ordering::Less,
        Op::Le => compare(value, Some(wanted)) != Ordering::Greater,
    }
}

fn equal(value: Option<&Value>, wanted: &Value) -> bool {
    compare(value, Some(wanted)) == Ordering::Equal && value.is_some()
}

fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => match (number(a), number(b)) {
            (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
            _ => as_text(a).cmp(&as_text(b)),
        },
    }
}

fn field<'r>(record: &'r Map<String, Value>, name: &str) -> Option<&'r Value> {
    record.get(name).or_else(|| {
        record
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// A member of a parameter object, any letter case.
pub fn member<'v>(params: &'v Value, name: &str) -> Option<&'v Value> {
    let map = params.as_object()?;
    map.get(name).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// A number from a JSON number or a numeric string.
pub fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "Y" } else { "N" }.to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Entity, Store};
    use serde_json::json;

    fn deals(n: u64) -> Store {
        Store::seeded(&[(Entity::Deal, n)])
    }

    fn ids(page: &Page) -> Vec<u64> {
        page.items
            .iter()
            .map(|i| i["ID"].as_str().unwrap().parse().unwrap())
            .collect()
    }

    #[test]
    fn offsets_report_total_and_next_until_the_last_page() {
        let mut store = deals(120);
        let c = store.collection(Entity::Deal, 0);
        let first = Query::from_params(&json!({})).page(c, "ID");
        assert_eq!(
            (first.items.len(), first.total, first.next),
            (50, Some(120), Some(50))
        );
        let last = Query::from_params(&json!({"start": "100"})).page(c, "ID");
        assert_eq!(ids(&last), (101..=120).collect::<Vec<_>>());
        assert_eq!((last.total, last.next), (Some(120), None));
    }

    #[test]
    fn start_minus_one_skips_counting_and_gt_id_continues_a_scan() {
        let mut store = deals(120);
        let c = store.collection(Entity::Deal, 0);
        let q = Query::from_params(
            &json!({"start": -1, "filter": {">ID": "100"}, "order": {"ID": "ASC"}}),
        );
        let page = q.page(c, "ID");
        assert_eq!(ids(&page), (101..=120).collect::<Vec<_>>());
        assert_eq!((page.total, page.next), (None, None));
    }

    #[test]
    fn order_filter_and_select() {
        let mut store = deals(10);
        let c = store.collection(Entity::Deal, 0);
        let q = Query::from_params(&json!({
            "order": {"ID": "DESC"},
            "filter": {"<=ID": 5, "!ID": [2, 3]},
            "select": ["TITLE"]
        }));
        let page = q.page(c, "ID");
        assert_eq!(ids(&page), vec![5, 4, 1]);
        assert_eq!(page.items[0], json!({"ID": "5", "TITLE": "Deal 5"}));
        let q = Query::from_params(
            &json!({"order": {"TITLE": "DESC"}, "filter": {"%TITLE": "deal 1"}}),
        );
        assert_eq!(ids(&q.page(c, "ID")), vec![10, 1]);
    }
}
