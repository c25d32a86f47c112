//! Persistence: the engine's state in `localStorage` (or a Storage-like object, or memory).
//!
//! The key is `earned:v1:<playbook id>:<account id>:<user id>`; the value is
//! [`Engine::save_json`] (what `JSON.stringify(engine.save())` gives). Before every write the
//! stored value is read back and, if another tab changed it, merged in first, so no tab's caps
//! or dismissals are lost.
//!
//! Storage that is missing, throws (`SecurityError`) or is full (`QuotaExceededError`) turns
//! the store into memory for good, with one notice. A stored value that is corrupt or foreign
//! is copied to `<key>:backup` and the engine starts fresh, with a notice.

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};

use super::error::{js_error, ErrorKind};
use crate::engine::Engine;
use crate::problem::Problem;
use crate::value::Value;

/// The storage key for a playbook, account and user.
pub fn key(playbook: &str, account: &str, user: &str) -> String {
    ["earned:v1:", playbook, ":", account, ":", user].concat()
}

/// Where state is written.
enum Backend {
    /// Nowhere: state lives as long as the engine.
    Memory,
    /// `localStorage` or a Storage-like object with `getItem`, `setItem`, `removeItem`.
    Storage(web_sys::Storage),
}

/// The engine's persisted state.
pub struct Store {
    backend: Backend,
    key: String,
    /// The stored text as last read or written here; a different one was written by another tab.
    seen: Option<String>,
    /// Events were recorded since the last write (they are written in one go, soon after).
    dirty: bool,
}

impl Store {
    /// Opens the store `choice` names: `"local"` (the default), `"memory"`, or a Storage-like
    /// object. Notices (storage missing or throwing) are pushed to `notices`.
    ///
    /// # Errors
    /// An unknown `storage` option (`EarnedOptionsError`).
    pub fn open(choice: &JsValue, key: String, notices: &mut Vec<JsValue>) -> Result<Store, JsValue> {
        let mut store = Store { backend: Backend::Memory, key, seen: None, dirty: false };
        match choice.as_string().as_deref() {
            Some("memory") => {}
            None if choice.is_undefined() || choice.is_null() => store.open_local(notices),
            Some("local") => store.open_local(notices),
            None if choice.is_object() => store.backend = Backend::Storage(choice.clone().unchecked_into()),
            _ => {
                return Err(super::error::one(
                    ErrorKind::Options,
                    "options.storage",
                    "bad_option",
                    "expected \"local\", \"memory\" or a Storage-like object",
                ))
            }
        }
        Ok(store)
    }

    fn open_local(&mut self, notices: &mut Vec<JsValue>) {
        match super::window().map(|window| window.local_storage()) {
            Some(Ok(Some(storage))) => self.backend = Backend::Storage(storage),
            Some(Err(e)) => {
                notices.push(storage_notice("storage_unavailable", "localStorage cannot be opened", Some(&e)))
            }
            _ => notices.push(storage_notice("no_storage", "localStorage is not available here", None)),
        }
    }

    /// The key in use.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Uses another key (the account or user changed); nothing stored under it is seen yet.
    pub fn set_key(&mut self, key: String) {
        self.key = key;
        self.seen = None;
    }

    /// Reads the stored text; storage that throws turns the store into memory.
    fn read(&mut self, notices: &mut Vec<JsValue>) -> Option<String> {
        let Backend::Storage(s) = &self.backend else { return None };
        match s.get_item(&self.key) {
            Ok(text) => text,
            Err(e) => {
                self.fail(&e, notices);
                None
            }
        }
    }

    fn fail(&mut self, e: &JsValue, notices: &mut Vec<JsValue>) {
        self.backend = Backend::Memory;
        let full =
            Reflect::get(e, &"name".into()).ok().and_then(|n| n.as_string()).as_deref() == Some("QuotaExceededError");
        let (code, reason) = if full {
            ("storage_full", "storage is full; state is kept in memory from now on")
        } else {
            ("storage_unavailable", "storage threw; state is kept in memory from now on")
        };
        notices.push(storage_notice(code, reason, Some(e)));
    }

    /// Restores what is stored (at start, or after the key changed). A corrupt or foreign value
    /// is backed up and the engine starts fresh.
    pub fn load(&mut self, core: &mut Engine, notices: &mut Vec<JsValue>) {
        self.seen = None;
        self.take_in(core, notices, Engine::restore);
    }

    /// Merges what another tab stored since we last looked. Returns true when it merged.
    pub fn sync(&mut self, core: &mut Engine, notices: &mut Vec<JsValue>) -> bool {
        self.take_in(core, notices, Engine::merge)
    }

    /// Reads the stored text and, unless it is the one last seen here, hands it to `apply`
    /// (restore or merge); text that is not JSON, or that `apply` refuses, is backed up.
    /// Returns true when `apply` took it.
    fn take_in(
        &mut self,
        core: &mut Engine,
        notices: &mut Vec<JsValue>,
        apply: fn(&mut Engine, &Value) -> Result<(), Problem>,
    ) -> bool {
        let Some(text) = self.read(notices) else { return false };
        if self.seen.as_deref() == Some(text.as_str()) {
            return false;
        }
        let taken = match parse(&text).and_then(|v| apply(core, &v)) {
            Ok(()) => true,
            Err(problem) => {
                self.backup(&text, problem, notices);
                false
            }
        };
        self.seen = Some(text);
        taken
    }

    /// Notes that events were recorded: the next [`Store::flush`] (or any write) stores them.
    /// `track` does not write each event by itself: a write is a full serialization plus a
    /// synchronous `localStorage` call, so a burst of events is written once.
    pub fn mark_dirty(&mut self) {
        self.dirty = true;
    }

    /// Writes the state if events were recorded since the last write.
    pub fn flush(&mut self, core: &mut Engine, notices: &mut Vec<JsValue>) {
        if self.dirty {
            self.persist(core, notices);
        }
    }

    /// Writes the engine's state, after merging what another tab wrote meanwhile.
    pub fn persist(&mut self, core: &mut Engine, notices: &mut Vec<JsValue>) {
        self.dirty = false;
        self.sync(core, notices);
        let Backend::Storage(s) = &self.backend else { return };
        let text = core.save_json();
        if self.seen.as_deref() == Some(text.as_str()) {
            return;
        }
        match s.set_item(&self.key, &text) {
            Ok(()) => self.seen = Some(text),
            Err(e) => self.fail(&e, notices),
        }
    }

    fn backup(&mut self, text: &str, problem: Problem, notices: &mut Vec<JsValue>) {
        let backup = [self.key.as_str(), ":backup"].concat();
        if let Backend::Storage(s) = &self.backend {
            if let Err(e) = s.set_item(&backup, text) {
                self.fail(&e, notices);
            }
        }
        let head = Problem::warning(
            "storage",
            "corrupt_state",
            [
                "the state stored under `",
                &self.key,
                "` is not readable; it is kept under `",
                &backup,
                "` and the engine starts fresh",
            ]
            .concat(),
        );
        let detail = Problem { severity: crate::problem::Severity::Warning, ..problem };
        notices.push(js_error(ErrorKind::State, &[head, detail], None));
    }
}

/// Parses stored text into a value; bad JSON is a problem like any other.
fn parse(text: &str) -> Result<Value, Problem> {
    Value::parse_json(text).map_err(|_| Problem::error("state", "bad_json", "not JSON"))
}

fn storage_notice(code: &'static str, reason: &str, cause: Option<&JsValue>) -> JsValue {
    js_error(ErrorKind::Storage, &[Problem::warning("storage", code, reason)], cause)
}
