//! The one place where core problems become JS `Error`s.
//!
//! Every error the boundary throws or reports is a real `Error` with a stable `name`
//! (`EarnedPlaybookError`, `EarnedEventError`, ...), a `message` naming the first problem, and
//! structured fields: `problems: [{ path, code, reason, severity }]`, plus `path` and `code` of
//! the first problem. Exceptions thrown by host callbacks are never wrapped: they pass through
//! unchanged.

use wasm_bindgen::prelude::*;

use super::convert::array_to_js;
use crate::problem::Problem;

#[wasm_bindgen]
extern "C" {
    /// `Reflect.set(target, key, value)`, bound without `catch` (unlike js-sys's): setting a
    /// property of a new `Error` does not throw.
    #[wasm_bindgen(js_namespace = Reflect, js_name = set)]
    fn set_property(target: &js_sys::Error, key: &str, value: &JsValue);
}

/// Which input or facility an error is about; each has its own stable JS `name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The playbook does not load (`EarnedPlaybookError`).
    Playbook,
    /// An event passed to `track` is refused (`EarnedEventError`).
    Event,
    /// Account facts are refused (`EarnedAccountError`).
    Account,
    /// User facts are refused (`EarnedUserError`).
    User,
    /// An outcome names an unknown offer or kind (`EarnedOutcomeError`).
    Outcome,
    /// Stored state is corrupt or foreign, or the engine is in the wrong state for the call
    /// (`EarnedStateError`).
    State,
    /// Storage is missing, throwing or full; the engine keeps its state in memory
    /// (`EarnedStorageError`).
    Storage,
    /// An option of `create` is wrong (`EarnedOptionsError`).
    Options,
}

impl ErrorKind {
    /// The stable JS `name`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Playbook => "EarnedPlaybookError",
            ErrorKind::Event => "EarnedEventError",
            ErrorKind::Account => "EarnedAccountError",
            ErrorKind::User => "EarnedUserError",
            ErrorKind::Outcome => "EarnedOutcomeError",
            ErrorKind::State => "EarnedStateError",
            ErrorKind::Storage => "EarnedStorageError",
            ErrorKind::Options => "EarnedOptionsError",
        }
    }
}

/// Builds the JS `Error` for `problems` (at least one). `cause`, when given, is the original JS
/// exception (e.g. a `QuotaExceededError`), kept as the error's `cause`.
pub fn js_error(kind: ErrorKind, problems: &[Problem], cause: Option<&JsValue>) -> JsValue {
    let mut message = String::from("earned: ");
    match problems.first() {
        Some(first) => {
            message.push_str(&first.line());
            if problems.len() > 1 {
                message.push_str(" (and ");
                crate::read::push_uint(&mut message, (problems.len() - 1) as u64, 1);
                message.push_str(" more)");
            }
        }
        None => message.push_str(kind.name()),
    }
    let error = js_sys::Error::new(&message);
    let set = |key: &str, value: &JsValue| set_property(&error, key, value);
    set("name", &JsValue::from_str(kind.name()));
    set("problems", &array_to_js(problems, Problem::write_json));
    if let Some(first) = problems.first() {
        set("path", &JsValue::from_str(&first.path));
        set("code", &JsValue::from_str(first.code));
    }
    if let Some(cause) = cause {
        set("cause", cause);
    }
    error.into()
}

/// An error with one problem.
pub fn one(kind: ErrorKind, path: &str, code: &'static str, reason: impl Into<String>) -> JsValue {
    js_error(kind, &[Problem::error(path, code, reason)], None)
}
