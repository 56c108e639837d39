//! The docs' own examples against the generated types: the generated crate's strict example
//! gate (`tests/examples.rs`). Every request and success response the spec carries becomes one
//! case; the rules live in `templates/examples_gate.rs`, and the gate runs the real generated
//! code, so nothing here predicts or filters what passes.

use std::collections::HashMap;

use b24_spec::{ApiVersion, Spec};
use proc_macro2::TokenStream;
use quote::quote;

use crate::emit_struct::ident;
use crate::model::CrateModel;

/// `tests/examples.rs` of the generated crate: the strict gate (`templates/examples_gate.rs`)
/// and one case per documented example.
pub fn examples_test(spec: &Spec, model: &CrateModel) -> String {
    let paths = method_paths(model);
    let mut cases = Vec::new();
    for method in &spec.methods {
        let Some(path) = paths.get(&(method.method.clone(), method.api)) else {
            continue;
        };
        if method.examples.request.is_some() {
            cases.push(quote!(request::<#path>(gate);));
        }
        if method
            .examples
            .response
            .as_ref()
            .is_some_and(|r| r.get("result").is_some())
        {
            cases.push(quote!(response::<#path>(gate);));
        }
    }
    for e in &spec.events {
        let typed = model
            .events
            .iter()
            .any(|m| m.name == e.event && m.data.is_some());
        let data = e.example.as_ref().and_then(|b| b.get("data"));
        if typed && data.is_some() {
            let name = &e.event;
            cases.push(quote!(event(gate, #name);));
        }
    }
    let cases = quote! {
        /// Every documented example, in spec order.
        fn cases(gate: &mut Gate) {
            #(#cases)*
        }
    };
    format!(
        "{}\n{cases}\n",
        include_str!("../templates/examples_gate.rs")
    )
}

/// `bitrix24::crm::DealAdd` for each method.
fn method_paths(model: &CrateModel) -> HashMap<(String, ApiVersion), TokenStream> {
    let mut paths = HashMap::new();
    for g in &model.groups {
        let module = ident(&g.module);
        for m in &g.v2 {
            let ty = ident(&m.type_name);
            paths.insert((m.wire.clone(), m.api), quote!(bitrix24::#module::#ty));
        }
        for m in &g.v3 {
            let ty = ident(&m.type_name);
            paths.insert((m.wire.clone(), m.api), quote!(bitrix24::v3::#module::#ty));
        }
    }
    paths
}
