//! Alternative parameter sets the page states in prose.
//!
//! A required flag per parameter cannot say "`IBLOCK_ID` or `IBLOCK_CODE`"; the pages say it in
//! the descriptions instead, in two forms: "at least one of the parameters must be specified:
//! `A` or `B`" / "pass one of the parameters: `A`, `B`, or `C`", and "required if `B` is not
//! provided" on `A`. Each statement links top-level parameters into a group; a method with
//! several independent groups (`IBLOCK_ID`/`IBLOCK_CODE` and `ELEMENT_ID`/`ELEMENT_CODE`) needs
//! one member of each, so `one_of` lists every combination.

use std::collections::BTreeSet;

use b24_spec::Param;

use super::ascii::contains_ascii_ci;
use crate::diagnostic::{DiagnosticKind, Sink};

/// More combinations than this is a page the reader misunderstood, not an API.
const MAX_SETS: usize = 8;

/// The alternative sets of top-level `params`, in parameter order; empty when the page states
/// none.
pub fn one_of(params: &[Param], sink: &mut Sink) -> Vec<Vec<String>> {
    let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
    let mut groups: Vec<BTreeSet<usize>> = Vec::new();
    for (i, p) in params.iter().enumerate() {
        for linked in linked_names(&p.description) {
            let Some(j) = names.iter().position(|n| *n == linked) else {
                continue;
            };
            if j != i {
                join(&mut groups, [i, j]);
            }
        }
        if let Some(listed) = listed_alternatives(&p.description, &names) {
            join(&mut groups, listed);
        }
    }
    let sets = combinations(&groups);
    if sets.len() > MAX_SETS {
        sink.report(
            0,
            DiagnosticKind::ParamRow,
            format!(
                "{} alternative parameter sets stated in prose: too many, ignored",
                sets.len()
            ),
        );
        return Vec::new();
    }
    sets.into_iter()
        .map(|set| set.into_iter().map(|i| names[i].to_owned()).collect())
        .collect()
}

/// Merges `members` into the group any of them is already in (or a new group).
fn join(groups: &mut Vec<BTreeSet<usize>>, members: impl IntoIterator<Item = usize>) {
    let members: BTreeSet<usize> = members.into_iter().collect();
    let (touching, mut rest): (Vec<_>, Vec<_>) = std::mem::take(groups)
        .into_iter()
        .partition(|g| !g.is_disjoint(&members));
    let merged = touching.into_iter().flatten().chain(members).collect();
    rest.push(merged);
    rest.sort();
    *groups = rest;
}

/// One member of each group, every way: the product of the groups.
fn combinations(groups: &[BTreeSet<usize>]) -> Vec<Vec<usize>> {
    let mut sets: Vec<Vec<usize>> = if groups.is_empty() {
        Vec::new()
    } else {
        vec![Vec::new()]
    };
    for group in groups {
        sets = sets
            .iter()
            .flat_map(|set| {
                group.iter().map(move |m| {
                    let mut next = set.clone();
                    next.push(*m);
                    next.sort_unstable();
                    next
                })
            })
            .collect();
    }
    sets
}

/// "Required if `X` is not provided" / "required if the `X` parameter is not passed": `X`.
fn linked_names(description: &str) -> Vec<&str> {
    let mut found = Vec::new();
    // Most descriptions state nothing of the kind: no copy for them.
    if !contains_ascii_ci(description, "required if ") {
        return found;
    }
    let lower = description.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("required if ") {
        let mut start = from + at + "required if ".len();
        from = start;
        if lower[start..].starts_with("the ") {
            start += "the ".len();
        }
        if !lower[start..].starts_with('`') {
            continue;
        }
        start += 1;
        let Some(len) = description[start..].find('`') else {
            break;
        };
        let tail = lower[start + len + 1..].trim_start();
        let tail = tail.strip_prefix("parameter ").unwrap_or(tail);
        let negated = ["is not ", "are not ", "was not "]
            .iter()
            .any(|n| tail.starts_with(n));
        if negated {
            found.push(&description[start..start + len]);
        }
    }
    found
}

/// "one of the parameters ... `A` or `B`" (two or more names, every one a parameter).
fn listed_alternatives(description: &str, names: &[&str]) -> Option<Vec<usize>> {
    // The phrase holds no sentence break, so a description without it has no such sentence.
    if !contains_ascii_ci(description, "one of the parameters") {
        return None;
    }
    for sentence in description.split(['.', '\n']) {
        if !contains_ascii_ci(sentence, "one of the parameters") {
            continue;
        }
        let listed: Vec<&str> = sentence.split('`').skip(1).step_by(2).collect();
        let indices: Option<Vec<usize>> = listed
            .iter()
            .map(|n| names.iter().position(|name| name == n))
            .collect();
        match indices {
            Some(indices) if indices.len() >= 2 => return Some(indices),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(name: &str, description: &str) -> Param {
        let mut p = Param::new(name, None, true);
        p.description = description.to_owned();
        p
    }

    fn sets(params: &[Param]) -> Vec<Vec<String>> {
        one_of(params, &mut Sink::new("page.md"))
    }

    #[test]
    fn listed_alternatives_make_one_group() {
        let params = [
            param(
                "ID",
                "Pass one of the parameters: `ID`, `TAG`, or `SUB_TAG`",
            ),
            param("TAG", "A tag"),
            param("SUB_TAG", "A sub tag"),
            param("CLIENT_ID", "Only for webhooks"),
        ];
        assert_eq!(sets(&params), [["ID"], ["TAG"], ["SUB_TAG"]]);
    }

    #[test]
    fn required_if_not_links_two_parameters() {
        let params = [
            param("CHAT_ID", "Required if `DIALOG_ID` is not provided"),
            param("DIALOG_ID", "Required if `CHAT_ID` is not provided"),
            param("FILE", "Required if `USE_PLACEMENT = 'Y'`"),
        ];
        assert_eq!(sets(&params), [["CHAT_ID"], ["DIALOG_ID"]]);
    }

    #[test]
    fn required_if_the_parameter_is_not_passed() {
        let params = [
            param(
                "companyUuid",
                "Required if the `companyCrmId` parameter is not provided.",
            ),
            param(
                "companyCrmId",
                "Required if the `companyUuid` parameter is not provided.",
            ),
        ];
        assert_eq!(sets(&params), [["companyUuid"], ["companyCrmId"]]);
    }

    #[test]
    fn independent_groups_combine() {
        let params = [
            param("IBLOCK_ID", ""),
            param(
                "IBLOCK_CODE",
                "> At least one of the parameters must be specified: `IBLOCK_ID` or `IBLOCK_CODE`",
            ),
            param("ELEMENT_ID", ""),
            param(
                "ELEMENT_CODE",
                "At least one of the parameters must be specified: `ELEMENT_ID` or `ELEMENT_CODE`",
            ),
        ];
        assert_eq!(
            sets(&params),
            [
                ["IBLOCK_ID", "ELEMENT_ID"],
                ["IBLOCK_ID", "ELEMENT_CODE"],
                ["IBLOCK_CODE", "ELEMENT_ID"],
                ["IBLOCK_CODE", "ELEMENT_CODE"],
            ]
        );
    }

    #[test]
    fn prose_naming_unknown_or_single_parameters_is_ignored() {
        let params = [
            param("A", "Required if `afterCursor` is specified"),
            param("B", "One of the parameters `B` must be set"),
            param("C", "Error in one of the parameters inside `FIELDS`"),
        ];
        assert!(sets(&params).is_empty());
    }
}
