//! Where each generated item lives. The generated client is several crates, so that no single
//! `rustc` holds the whole API in memory and cargo builds the groups in parallel:
//!
//! - `bitrix24` (`generated/`): what users depend on. The accessor tree (`client.crm()...`),
//!   `Call`, the typed events, and one re-exported group crate per enabled feature
//!   (`bitrix24::crm` is `bitrix24_crm`), so every path a user writes is the same as if it were
//!   one crate.
//! - `bitrix24-types` (`generated/types/`): what every group shares: `ErrorCode`, `EventName`,
//!   `Filter`/`Order`, `File`, `YesNo`, `Extra` and the wire helpers.
//! - `bitrix24-<feature>` (`generated/groups/<feature>/`): one API group's request, result and
//!   entity types, its REST 3.0 types in `v3`.
//!
//! Inside a group crate each entity has its own private module (file), re-exported at the crate
//! root: `crm.deal.*` and the `crm.deal` entity are in `src/deal.rs`, `crm.item.productrow.*` in
//! `src/item.rs`, `im.message.*` (group `chats`) in `src/im_message.rs`. Methods named after the
//! group alone (`user.get` in `user`) stay in `src/lib.rs`.

use crate::naming;

/// The package name of a group's crate: `bitrix24-crm`.
pub fn group_crate(feature: &str) -> String {
    format!("bitrix24-{feature}")
}

/// The crate as Rust code names it: `bitrix24_crm`.
pub fn group_crate_ident(feature: &str) -> String {
    group_crate(feature).replace('-', "_")
}

/// The crate's directory under `generated/`: `groups/crm`.
pub fn group_dir(feature: &str) -> String {
    format!("groups/{feature}")
}

/// The directory of the shared types crate under `generated/`.
pub const TYPES_DIR: &str = "types";

/// The module (file) of a group crate holding what belongs to `namespace`, a method's name
/// without its last segment or an entity id (`crm.deal`): its first two segments, without the
/// group's own name in front. `None` for the crate root.
pub fn entity_module(namespace: &str, group_module: &str) -> Option<String> {
    let mut segments: Vec<&str> = namespace.split('.').filter(|s| !s.is_empty()).collect();
    let named_after_group = segments
        .first()
        .is_some_and(|s| naming::snake(s) == group_module);
    if named_after_group {
        segments.remove(0);
        segments.truncate(1);
    } else {
        segments.truncate(2);
    }
    if segments.is_empty() {
        return None;
    }
    let module = naming::snake(&segments.join("_"));
    // The crate root imports these names (see `emit_group`) or declares them.
    if ["wire", "runtime", "v3"].contains(&module.as_str()) {
        return Some(format!("{module}_"));
    }
    Some(module)
}

/// The module of a method's types, from its wire name.
pub fn method_module(wire: &str, group_module: &str) -> Option<String> {
    let namespace = wire.rsplit_once('.').map_or("", |(ns, _)| ns);
    entity_module(namespace, group_module)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_method_goes_to_its_entity_module() {
        assert_eq!(
            method_module("crm.deal.list", "crm").as_deref(),
            Some("deal")
        );
        assert_eq!(
            method_module("crm.item.productrow.add", "crm").as_deref(),
            Some("item")
        );
        assert_eq!(
            method_module("im.message.add", "chats").as_deref(),
            Some("im_message")
        );
        assert_eq!(method_module("im.notify", "chats").as_deref(), Some("im"));
        assert_eq!(method_module("user.get", "user"), None);
        assert_eq!(method_module("scope", "common"), None);
        assert_eq!(entity_module("crm.deal", "crm").as_deref(), Some("deal"));
    }

    #[test]
    fn crate_names_follow_the_feature() {
        assert_eq!(group_crate("chat-bots"), "bitrix24-chat-bots");
        assert_eq!(group_crate_ident("chat-bots"), "bitrix24_chat_bots");
        assert_eq!(group_dir("crm"), "groups/crm");
    }
}
