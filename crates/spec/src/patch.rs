//! The reviewed patch layer: maintainers' knowledge beside the faithful extraction.
//!
//! Patches live in `spec/patches/*.yaml`, a list of entries, each keyed by method and member
//! path, each with a `reason` and a `link`. They are applied after extraction, so the spec files
//! say what the docs say *plus* what review decided, and every patched member is marked
//! (`patched: [required]`). A patch that no longer applies (the method or member is gone) or
//! that the docs have made redundant (they now say the same) is an error naming its file and
//! line, so the layer never rots silently.
//!
//! ```yaml
//! - method: imbot.register
//!   one_of: [[EVENT_HANDLER], [EVENT_MESSAGE_ADD, EVENT_WELCOME_MESSAGE, EVENT_BOT_DELETE]]
//!   reason: EVENT_HANDLER replaces the three handlers; the page's example sends only it.
//!   link: https://apidocs.bitrix24.com/api-reference/chat-bots/imbot-register.html
//! - method: crm.deal.add
//!   path: params.fields
//!   set: { required: true }
//!   reason: Without fields the portal refuses the call.
//!   link: https://apidocs.bitrix24.com/api-reference/crm/deals/crm-deal-add.html
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{ApiVersion, Method, Param, ResultField, Spec, TypeExpr, Wire};

/// One reviewed change to the extracted spec.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patch {
    /// The method's wire name (its position in the file locates the patch in errors).
    pub method: serde_saphyr::Spanned<String>,
    /// The API version; `v2` when omitted.
    #[serde(default = "v2")]
    pub api: ApiVersion,
    /// `params.<name>[.<member>...]` or `result.<name>[...]`; none for the method itself.
    #[serde(default)]
    pub path: Option<String>,
    /// Attributes to set on the member at `path`.
    #[serde(default)]
    pub set: Option<MemberPatch>,
    /// Alternative parameter sets (method level).
    #[serde(default)]
    pub one_of: Option<Vec<Vec<String>>>,
    /// The page's example is wrong: it is recorded, and the gate expects it to keep failing.
    #[serde(default)]
    pub doc_defect: Option<DocDefect>,
    /// Why: what the docs get wrong and how we know.
    pub reason: String,
    /// Where the evidence is (the page, an issue, a forum answer).
    pub link: String,
}

fn v2() -> ApiVersion {
    ApiVersion::V2
}

/// Attributes a patch can set on a parameter or result field.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberPatch {
    /// Whether the parameter must be sent.
    #[serde(default)]
    pub required: Option<bool>,
    /// The documented type, corrected.
    #[serde(default, rename = "type")]
    pub ty: Option<TypeExpr>,
    /// How the value travels.
    #[serde(default)]
    pub wire: Option<Wire>,
    /// The key actually sent, when the page spells it differently.
    #[serde(default)]
    pub wire_name: Option<String>,
    /// The name is a family of keys.
    #[serde(default)]
    pub pattern: Option<bool>,
    /// The member is missing from the page: add it (with the attributes above).
    #[serde(default)]
    pub add: bool,
}

/// Which example a doc defect is about, and why it is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocDefect {
    /// `request` or `response`.
    pub example: ExampleKind,
    /// What is wrong with it.
    pub what: String,
}

/// A page's request or response example.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExampleKind {
    /// The curl body.
    Request,
    /// The success response.
    Response,
}

/// A patch file's entries, with where they came from.
#[derive(Clone, Debug, Default)]
pub struct PatchSet {
    /// `(file, patch)` in file order.
    pub patches: Vec<(PathBuf, Patch)>,
}

/// A patch that cannot be read or applied, located by file and line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatchError {
    /// The patch file.
    pub file: PathBuf,
    /// The line of the entry (1-based; 0 when the file itself is unreadable).
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for PatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

impl std::error::Error for PatchError {}

impl PatchSet {
    /// Reads every `*.yaml` in `dir` (sorted); a missing directory is an empty set.
    pub fn load(dir: &Path) -> Result<PatchSet, PatchError> {
        let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(entries) => entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(file_error(dir, e.to_string())),
        };
        files.sort();
        let mut set = PatchSet::default();
        for file in files {
            let text =
                std::fs::read_to_string(&file).map_err(|e| file_error(&file, e.to_string()))?;
            set.extend(&file, &text)?;
        }
        Ok(set)
    }

    /// Adds the entries of one file's text.
    pub fn extend(&mut self, file: &Path, text: &str) -> Result<(), PatchError> {
        let patches: Vec<Patch> =
            serde_saphyr::from_str(text).map_err(|e| file_error(file, e.to_string()))?;
        self.patches
            .extend(patches.into_iter().map(|p| (file.to_owned(), p)));
        Ok(())
    }

    /// Applies every patch; all errors are collected, and patches that apply still do.
    pub fn apply(&self, spec: &mut Spec) -> Vec<PatchError> {
        let mut errors = Vec::new();
        for (file, patch) in &self.patches {
            if let Err(message) = apply_one(spec, patch) {
                errors.push(PatchError {
                    file: file.clone(),
                    line: patch.method.referenced.line(),
                    message,
                });
            }
        }
        errors
    }
}

fn file_error(file: &Path, message: String) -> PatchError {
    PatchError {
        file: file.to_owned(),
        line: 0,
        message,
    }
}

fn apply_one(spec: &mut Spec, patch: &Patch) -> Result<(), String> {
    if patch.reason.trim().is_empty() || patch.link.trim().is_empty() {
        return Err("a patch needs a reason and a link".into());
    }
    let name = &patch.method.value;
    let method = spec
        .methods
        .iter_mut()
        .find(|m| &m.method == name && m.api == patch.api)
        .ok_or_else(|| {
            format!(
                "no longer applies: {name} ({}) is not in the spec",
                patch.api
            )
        })?;
    let mut changed = false;
    if let Some(one_of) = &patch.one_of {
        changed |= set_one_of(method, one_of)?;
    }
    if let Some(defect) = &patch.doc_defect {
        changed |= set_defect(method, defect)?;
    }
    if let Some(set) = &patch.set {
        let path = patch
            .path
            .as_deref()
            .ok_or("`set` needs a `path` (params.<name> or result.<name>)")?;
        changed |= set_member(method, path, set)?;
    }
    if changed {
        Ok(())
    } else {
        Err("redundant: the docs now say what this patch sets; remove it".into())
    }
}

fn set_one_of(method: &mut Method, one_of: &[Vec<String>]) -> Result<bool, String> {
    for name in one_of.iter().flatten() {
        if !method.params.iter().any(|p| &p.name == name) {
            return Err(format!(
                "no longer applies: one_of names `{name}`, not a parameter"
            ));
        }
    }
    if method.one_of == one_of {
        return Ok(false);
    }
    method.one_of = one_of.to_vec();
    mark(&mut method.patched, "one_of");
    Ok(true)
}

fn set_defect(method: &mut Method, defect: &DocDefect) -> Result<bool, String> {
    let (example, slot, mark_as) = match defect.example {
        ExampleKind::Request => (
            &method.examples.request,
            &mut method.examples.request_defect,
            "examples.request_defect",
        ),
        ExampleKind::Response => (
            &method.examples.response,
            &mut method.examples.response_defect,
            "examples.response_defect",
        ),
    };
    if example.is_none() {
        return Err("no longer applies: the page has no such example".into());
    }
    *slot = Some(defect.what.clone());
    mark(&mut method.patched, mark_as);
    Ok(true)
}

fn set_member(method: &mut Method, path: &str, set: &MemberPatch) -> Result<bool, String> {
    let mut parts = path.split('.');
    match parts.next() {
        Some("params") => {
            let names: Vec<&str> = parts.collect();
            let param = find_param(&mut method.params, &names, set.add)
                .ok_or_else(|| format!("no longer applies: no parameter `{path}`"))?;
            Ok(patch_param(param, set))
        }
        Some("result") => {
            let names: Vec<&str> = parts.collect();
            let field = find_result(&mut method.result, &names, set.add)
                .ok_or_else(|| format!("no longer applies: no result field `{path}`"))?;
            Ok(patch_result(field, set))
        }
        _ => Err(format!(
            "path `{path}` must start with `params.` or `result.`"
        )),
    }
}

fn find_param<'a>(params: &'a mut Vec<Param>, names: &[&str], add: bool) -> Option<&'a mut Param> {
    let (first, rest) = names.split_first()?;
    let at = match params.iter().position(|p| p.name == *first) {
        Some(at) => at,
        None if add && rest.is_empty() => {
            params.push(Param::new(*first, None, false));
            params.len() - 1
        }
        None => return None,
    };
    if rest.is_empty() {
        return Some(&mut params[at]);
    }
    find_param(&mut params[at].fields, rest, add)
}

fn find_result<'a>(
    fields: &'a mut Vec<ResultField>,
    names: &[&str],
    add: bool,
) -> Option<&'a mut ResultField> {
    let (first, rest) = names.split_first()?;
    let at = match fields.iter().position(|f| f.name == *first) {
        Some(at) => at,
        None if add && rest.is_empty() => {
            fields.push(ResultField::new(*first, None));
            fields.len() - 1
        }
        None => return None,
    };
    if rest.is_empty() {
        return Some(&mut fields[at]);
    }
    find_result(&mut fields[at].fields, rest, add)
}

/// Sets one attribute if it differs; records the mark. True when something changed.
fn assign<T: PartialEq + Clone>(
    slot: &mut T,
    value: Option<&T>,
    marks: &mut Vec<String>,
    name: &str,
) -> bool {
    match value {
        Some(v) if slot != v => {
            *slot = v.clone();
            mark(marks, name);
            true
        }
        _ => false,
    }
}

fn patch_param(p: &mut Param, set: &MemberPatch) -> bool {
    let mut marks = std::mem::take(&mut p.patched);
    let mut changed = set.add && p.ty.is_none() && p.description.is_empty();
    if changed {
        mark(&mut marks, "added");
    }
    changed |= assign(
        &mut p.required,
        set.required.as_ref(),
        &mut marks,
        "required",
    );
    changed |= assign(
        &mut p.ty,
        set.ty.clone().map(Some).as_ref(),
        &mut marks,
        "type",
    );
    changed |= assign(&mut p.wire, set.wire.map(Some).as_ref(), &mut marks, "wire");
    let wire_name = set.wire_name.clone().map(Some);
    changed |= assign(
        &mut p.wire_name,
        wire_name.as_ref(),
        &mut marks,
        "wire_name",
    );
    changed |= assign(&mut p.pattern, set.pattern.as_ref(), &mut marks, "pattern");
    p.patched = marks;
    changed
}

fn patch_result(f: &mut ResultField, set: &MemberPatch) -> bool {
    let mut marks = std::mem::take(&mut f.patched);
    let mut changed = set.add && f.ty.is_none() && f.description.is_empty();
    if changed {
        mark(&mut marks, "added");
    }
    changed |= assign(
        &mut f.ty,
        set.ty.clone().map(Some).as_ref(),
        &mut marks,
        "type",
    );
    changed |= assign(&mut f.wire, set.wire.map(Some).as_ref(), &mut marks, "wire");
    changed |= assign(&mut f.pattern, set.pattern.as_ref(), &mut marks, "pattern");
    f.patched = marks;
    changed
}

fn mark(marks: &mut Vec<String>, name: &str) {
    if !marks.iter().any(|m| m == name) {
        marks.push(name.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Spec {
        let mut m: Method = crate::codec::from_yaml(
            "method: im.notify.delete\napi: v2\ngroup: chats\ntitle: t\nsource: s.md\n\
             params:\n- {name: ID, type: integer, required: false}\n\
             - {name: TAG, type: string, required: false}\n\
             examples: {request: {ID: 1}}\n",
            "fixture",
        )
        .unwrap();
        m.params[0].fields.push(Param::new("X", None, false));
        Spec {
            methods: vec![m],
            ..Spec::default()
        }
    }

    fn apply(text: &str) -> (Spec, Vec<String>) {
        let mut set = PatchSet::default();
        set.extend(Path::new("p.yaml"), text).unwrap();
        let mut spec = spec();
        let errors = set.apply(&mut spec).iter().map(|e| e.to_string()).collect();
        (spec, errors)
    }

    #[test]
    fn sets_members_and_marks_them() {
        let (spec, errors) = apply(
            "- method: im.notify.delete\n  path: params.ID\n  set: {required: true, wire: number_string}\n  reason: r\n  link: l\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let p = &spec.methods[0].params[0];
        assert!(p.required);
        assert_eq!(p.wire, Some(Wire::NumberString));
        assert_eq!(p.patched, ["required", "wire"]);
        assert!(spec.methods[0].is_patched());
    }

    #[test]
    fn one_of_and_defects_apply_at_method_level() {
        let (spec, errors) = apply(
            "- method: im.notify.delete\n  one_of: [[ID], [TAG]]\n  reason: r\n  link: l\n\
             - method: im.notify.delete\n  doc_defect: {example: request, what: wrong}\n  reason: r\n  link: l\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let m = &spec.methods[0];
        assert_eq!(m.one_of, [vec!["ID".to_owned()], vec!["TAG".to_owned()]]);
        assert_eq!(m.examples.request_defect.as_deref(), Some("wrong"));
        assert_eq!(m.patched, ["one_of", "examples.request_defect"]);
    }

    #[test]
    fn stale_and_redundant_patches_name_file_and_line() {
        let (_, errors) = apply(
            "- method: im.notify.delete\n  path: params.ID\n  set: {required: false}\n  reason: r\n  link: l\n\
             - method: im.notify.gone\n  one_of: [[ID]]\n  reason: r\n  link: l\n\
             - method: im.notify.delete\n  path: params.NOPE\n  set: {required: true}\n  reason: r\n  link: l\n\
             - method: im.notify.delete\n  one_of: [[ID], [NOPE]]\n  reason: r\n  link: l\n",
        );
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(
            errors[0].starts_with("p.yaml:1: redundant"),
            "{}",
            errors[0]
        );
        assert!(
            errors[1].starts_with("p.yaml:6: no longer applies"),
            "{}",
            errors[1]
        );
        assert!(
            errors[2].starts_with("p.yaml:10: no longer applies: no parameter"),
            "{}",
            errors[2]
        );
        assert!(
            errors[3].contains("`NOPE`, not a parameter"),
            "{}",
            errors[3]
        );
    }

    #[test]
    fn nested_members_and_added_members() {
        let (spec, errors) = apply(
            "- method: im.notify.delete\n  path: params.ID.X\n  set: {type: string}\n  reason: r\n  link: l\n\
             - method: im.notify.delete\n  path: params.NEW\n  set: {add: true, type: integer}\n  reason: r\n  link: l\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let m = &spec.methods[0];
        assert_eq!(m.params[0].fields[0].patched, ["type"]);
        assert_eq!(m.params[2].name, "NEW");
        assert_eq!(m.params[2].patched, ["added", "type"]);
    }

    #[test]
    fn a_patch_without_reason_is_refused() {
        let (_, errors) =
            apply("- method: im.notify.delete\n  one_of: [[ID], [TAG]]\n  reason: ''\n  link: l\n");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].contains("reason and a link"));
    }
}
