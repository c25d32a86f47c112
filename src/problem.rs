//! Problems found in input: a JSON path, a severity and a reason.
//!
//! Every reader in the engine (playbook, events, account facts, stored state) reports through
//! [`Problem`], so a host sees the same shape of message whatever was wrong.

use std::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The input is refused.
    Error,
    /// The input is accepted; the problem is reported so someone can fix it.
    Warning,
}

/// One problem in an input, located by its JSON path (`offers[2].trigger.count.within`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where: a JSON path from the root of the input, `$` for the root itself.
    pub path: String,
    /// Error (refuse) or warning (report).
    pub severity: Severity,
    /// A stable, machine-readable class, e.g. `unknown_field`, `calendar_trigger`.
    pub code: &'static str,
    /// What is wrong, in a sentence a playbook author can act on.
    pub reason: String,
}

impl Problem {
    /// An error at `path`.
    pub fn error(path: impl Into<String>, code: &'static str, reason: impl Into<String>) -> Self {
        Problem { path: path.into(), severity: Severity::Error, code, reason: reason.into() }
    }

    /// A warning at `path`.
    pub fn warning(path: impl Into<String>, code: &'static str, reason: impl Into<String>) -> Self {
        Problem { path: path.into(), severity: Severity::Warning, code, reason: reason.into() }
    }

    /// True for [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl Problem {
    /// One line for a message: `error at offers[0].id: ...`.
    pub fn line(&self) -> String {
        [self.severity.as_str(), " at ", &self.path, ": ", &self.reason].concat()
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.line())
    }
}

/// Joins a path and a member name: `offers[1]` + `id` → `offers[1].id`. A key that is not a
/// plain name is quoted: `plans[0].limits["monthly reports"]`.
pub fn join(path: &str, key: &str) -> String {
    let root = path == "$" || path.is_empty();
    let plain = plain_key(key);
    let mut p = String::with_capacity(path.len() + key.len() + 4);
    match (root, plain) {
        (true, true) => {}
        (true, false) => p.push('$'),
        (false, true) => {
            p.push_str(path);
            p.push('.');
        }
        (false, false) => p.push_str(path),
    }
    if plain {
        p.push_str(key);
    } else {
        p.push_str("[\"");
        for c in key.chars() {
            match c {
                '"' => p.push_str("\\\""),
                '\\' => p.push_str("\\\\"),
                c if c.is_control() => p.push('?'),
                c => p.push(c),
            }
        }
        p.push_str("\"]");
    }
    p
}

/// Whether `key` is a plain name: not empty, and only letters and digits
/// (`char::is_alphanumeric`), `_`, `-` and `$`.
#[cfg(not(target_arch = "wasm32"))]
fn plain_key(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || "_-$".contains(c))
}

/// Whether `key` is a plain name, as above. An ASCII key is checked here; another is checked by
/// the browser's own Unicode properties (`\p{Alphabetic}` and `\p{N}`, what `char::is_alphanumeric`
/// tests), which spares the wasm build Rust's Unicode tables (~2 KB gzip), as `toLowerCase` does.
#[cfg(target_arch = "wasm32")]
fn plain_key(key: &str) -> bool {
    if key.is_ascii() {
        return !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'$'));
    }
    js_sys::RegExp::new(r"^[\p{Alphabetic}\p{N}_$-]+$", "u").test(key)
}

/// Joins a path and an array index: `offers` + 2 → `offers[2]`.
pub fn index(path: &str, i: usize) -> String {
    let mut p = String::from(if path.is_empty() { "$" } else { path });
    p.push('[');
    crate::read::push_uint(&mut p, i as u64, 1);
    p.push(']');
    p
}

impl Severity {
    /// `"error"` or `"warning"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl Problem {
    /// Writes the problem as the object a host reads: `{ path, code, reason, severity }`.
    pub fn write_json(&self, json: &mut crate::value::Json) {
        json.begin_object().key("path").str(&self.path).key("code").str(self.code);
        json.key("reason").str(&self.reason).key("severity").str(self.severity.as_str()).end_object();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_quote_keys_that_are_not_plain_names() {
        assert_eq!(join("$", "offers"), "offers");
        assert_eq!(join("offers[0]", "id"), "offers[0].id");
        assert_eq!(join("$", ""), "$[\"\"]");
        assert_eq!(join("plans[0].limits", "monthly reports"), "plans[0].limits[\"monthly reports\"]");
        assert_eq!(join("a", "say \"hi\""), "a[\"say \\\"hi\\\"\"]");
        assert_eq!(index("offers", 2), "offers[2]");
    }
}
