//! Heap bytes one list item costs while a stream holds it, parsed into a `serde_json::Value`
//! (the fast path before) and kept as raw JSON text (`Box<RawValue>`, the fast path now), with
//! this workspace's serde_json features (`preserve_order`, `raw_value`). dhat's allocator
//! measures the live heap after parsing a page of 2,500 items each way.
//!
//! `cargo run --release -p bitrix24-runtime --example kept_item_bytes`

use serde_json::value::RawValue;
use serde_json::Value;

#[global_allocator]
static ALLOCATOR: dhat::Alloc = dhat::Alloc;

const ITEMS: usize = 2_500;

/// A page as the mock answers `select: [ID, TITLE]`, and one with a deal's usual 20 fields.
fn page(fields: usize) -> String {
    let items: Vec<String> = (1..=ITEMS)
        .map(|id| {
            let mut members = vec![format!(r#""ID":"{id}""#), format!(r#""TITLE":"Deal {id}""#)];
            members.extend((2..fields).map(|f| format!(r#""UF_FIELD_{f}":"value {f} of {id}""#)));
            format!("{{{}}}", members.join(","))
        })
        .collect();
    format!("[{}]", items.join(","))
}

fn held<T>(text: &str, parse: impl Fn(&str) -> Vec<T>) -> f64 {
    let before = dhat::HeapStats::get().curr_bytes;
    let items = parse(text);
    let after = dhat::HeapStats::get().curr_bytes;
    assert_eq!(items.len(), ITEMS);
    drop(items);
    (after - before) as f64 / ITEMS as f64
}

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    println!(
        "{:<22} {:>10} {:>10} {:>10}",
        "item shape", "text B", "Value B", "raw B"
    );
    for (name, fields) in [("ID + TITLE (bench)", 2), ("20 fields", 20)] {
        let text = page(fields);
        let value = held(&text, |t| {
            serde_json::from_str::<Vec<Value>>(t).expect("page")
        });
        let raw = held(&text, |t| {
            serde_json::from_str::<Vec<Box<RawValue>>>(t).expect("page")
        });
        let text_per_item = text.len() as f64 / ITEMS as f64;
        println!("{name:<22} {text_per_item:>10.0} {value:>10.0} {raw:>10.0}");
    }
}
