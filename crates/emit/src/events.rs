//! Typed events: one payload struct per documented event (its `data` member), the `EventName`
//! enum `event.bind`/`event.unbind` take, and the `Event` enum a verified incoming event is
//! dispatched into. Naming: the event's camel-case spelling from its page title
//! (`onCrmDealAdd` → `CrmDealAdd`), else its upper-case name split into the words of every
//! title (`ONVOXIMPLANTCALLINIT` → `VoximplantCallInit`).

use b24_spec::{Spec, TypeExpr};

use crate::build::payload_structs;
use crate::docs;
use crate::model::StructModel;
use crate::naming::{self, pascal, Namespace};
use crate::types::TypeLog;

/// One event as the crate types it.
#[derive(Debug)]
pub struct EventModel {
    /// The name as sent (`ONCRMDEALADD`).
    pub name: String,
    /// The variant of `EventName` and `Event` (`CrmDealAdd`).
    pub variant: String,
    /// The cargo feature of its group.
    pub feature: String,
    /// Rustdoc of the variant.
    pub doc: Vec<String>,
    /// The `data` struct and its nested structs, when the page documents `data`'s members.
    pub data: Option<Vec<StructModel>>,
}

/// Every event of the spec, sorted by name.
pub fn build(spec: &Spec, log: &mut TypeLog) -> Vec<EventModel> {
    let vocabulary = naming::vocabulary(spec.events.iter().map(|e| e.title.as_str()));
    let mut variants = Namespace::with_reserved(&["Other"]);
    let mut types = Namespace::with_reserved(&["Event", "EventName", "EventExt", "Error"]);
    let mut events: Vec<&b24_spec::Event> = spec.events.iter().collect();
    events.sort_by(|a, b| a.event.cmp(&b.event));
    events
        .into_iter()
        .map(|e| {
            let variant = variants.claim(variant_name(&e.event, &e.title, &vocabulary));
            let data = e.data().filter(|d| is_object(d.ty.as_ref())).and_then(|d| {
                payload_structs(&format!("{variant}Data"), d, &e.source, &mut types, log)
            });
            let mut doc = vec![
                format!("`{}`: {}", e.event, docs::first_line(&e.title)),
                String::new(),
            ];
            doc.extend(docs::markdown_lines(
                &docs::first_line(&e.description),
                &e.source,
            ));
            doc.push(String::new());
            doc.push(format!(
                "[Official documentation]({})",
                docs::page_url(&e.source)
            ));
            EventModel {
                name: e.event.clone(),
                variant,
                feature: naming::feature(&e.group),
                doc,
                data,
            }
        })
        .collect()
}

fn is_object(ty: Option<&TypeExpr>) -> bool {
    !matches!(ty, Some(TypeExpr::Named(n)) if n == "string" || n == "integer")
}

/// `onCrmDealAdd` in the title wins; else the name split into known words; without `On`.
fn variant_name(
    name: &str,
    title: &str,
    vocabulary: &std::collections::BTreeSet<String>,
) -> String {
    let from_title = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| w.eq_ignore_ascii_case(name) && w.chars().any(|c| c.is_ascii_lowercase()));
    let words = match from_title {
        Some(camel) => pascal(camel),
        None => {
            let upper = name.to_ascii_uppercase();
            let rest = upper.strip_prefix("ON").unwrap_or(&upper);
            let words = naming::segment_words(rest, vocabulary);
            pascal(&format!("ON_{}", words.join("_")))
        }
    };
    let trimmed = words
        .strip_prefix("On")
        .filter(|r| r.starts_with(|c: char| c.is_ascii_uppercase()));
    trimmed.unwrap_or(&words).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_read_as_words() {
        let vocabulary = naming::vocabulary(["Voximplant call init"]);
        assert_eq!(
            variant_name("ONCRMDEALADD", "Deal created onCrmDealAdd", &vocabulary),
            "CrmDealAdd"
        );
        assert_eq!(
            variant_name("ONVOXIMPLANTCALLINIT", "Call Initialization", &vocabulary),
            "VoximplantCallInit"
        );
        assert_eq!(
            variant_name("ONAPPTEST", "How to test", &vocabulary),
            "Apptest"
        );
    }
}
