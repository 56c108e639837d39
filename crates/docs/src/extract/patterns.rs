//! Pattern members: rows whose name stands for a family of keys, not one key.
//!
//! Tables write user fields and per-id keys many ways: `UF_...`, `UF_CRM_*`, `PARENT_ID_xxx`,
//! `ufCrm…`, `chat<chatId>`, `upload{id}`, `<FIELD_CODE>`. Each becomes one canonical glob, the
//! literal prefix followed by `*` (`UF_CRM_*`, `chat*`, `*`), marked `pattern: true`, so no
//! stage ever sends the placeholder as a literal key.

use b24_spec::{Param, ResultField};

/// Marks and normalises the pattern members among `params`, at every depth.
pub fn params(params: &mut [Param]) {
    for p in params {
        if let Some(glob) = glob(&p.name) {
            p.name = glob;
            p.pattern = true;
        }
        self::params(&mut p.fields);
    }
}

/// Marks and normalises the pattern members among result fields, at every depth.
pub fn result(fields: &mut [ResultField]) {
    for f in fields {
        if let Some(glob) = glob(&f.name) {
            f.name = glob;
            f.pattern = true;
        }
        result(&mut f.fields);
    }
}

/// Placeholder tails a prefix is followed by.
const TAILS: [&str; 5] = ["...", "…", "*", "xxx", "XXX"];

/// The canonical glob for a pattern name, or `None` for an ordinary key.
pub fn glob(name: &str) -> Option<String> {
    let name = name.trim();
    if let Some(open) = name.find(['<', '{']) {
        let close = if name[open..].starts_with('<') {
            '>'
        } else {
            '}'
        };
        let ends_placeholder = name.ends_with(close) && name[open + 1..].find(close)? > 0;
        return ends_placeholder.then(|| format!("{}*", &name[..open]));
    }
    let prefix = TAILS.iter().find_map(|t| name.strip_suffix(t))?;
    let plain = prefix
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_');
    plain.then(|| format!("{prefix}*"))
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn placeholder_spellings_become_one_glob() {
        for (name, want) in [
            ("UF_...", "UF_*"),
            ("UF_CRM_*", "UF_CRM_*"),
            ("PARENT_ID_xxx", "PARENT_ID_*"),
            ("ufCrm…", "ufCrm*"),
            ("chat<chatId>", "chat*"),
            ("upload{id}", "upload*"),
            ("<FIELD_CODE>", "*"),
            ("*", "*"),
        ] {
            assert_eq!(glob(name).as_deref(), Some(want), "{name}");
        }
    }

    #[test]
    fn ordinary_names_are_not_patterns() {
        for name in ["TITLE", "items[]", "a.b", "<>", "x<y>z", "fields"] {
            assert_eq!(glob(name), None, "{name}");
        }
    }
}
