//! The JS-facing `Engine` class: the core [`Engine`](crate::Engine) plus clock, `Intl`,
//! storage, two-tab sync and the default UI.
//!
//! Its state is an explicit lifecycle ([`Lifecycle`]): `Ready`, then `Destroyed`. Every method
//! borrows it for the core work only and calls host callbacks after the borrow ends, so a
//! callback may call back into the engine. A call made while the engine is busy (from inside a
//! storage getter, say) or after `destroy()` fails with an `EarnedStateError`, and never poisons
//! the next call.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, EventTarget};

use super::convert::{from_js, parse, write_array};
use super::error::{js_error, one, ErrorKind};
use super::intl::IntlLocalizer;
use super::store::{self, Store};
use super::ui::{listen, Labels, Listener, PromptView, Ui, UiAction};
use crate::decision::Decision;
use crate::outcomes::{OutcomeKind, WatchReport};
use crate::problem::{index, Problem};
use crate::trace::Trace;
use crate::value::{Json, Value};
use crate::{Engine, Playbook};

/// What a ready engine holds.
struct Inner {
    core: Engine,
    intl: IntlLocalizer,
    store: Store,
    /// The latest decision, for `explain()` and its trace.
    last: Option<Decision>,
    /// How many decisions were made; the latest one's number is `decisions`.
    decisions: u32,
    /// The traces of the decisions before the latest, newest last (at most [`KEPT_TRACES`]), so a
    /// host that reads `decision.trace` a little late still gets its own decision's trace.
    earlier: Vec<(u32, Trace)>,
}

/// How many earlier decisions keep their trace for a late `decision.trace` read.
const KEPT_TRACES: usize = 8;

impl Inner {
    /// Keeps a new decision, moving the previous one's trace to `earlier`.
    fn keep(&mut self, d: Decision) {
        if let Some(previous) = self.last.take() {
            if self.earlier.len() == KEPT_TRACES {
                self.earlier.remove(0);
            }
            self.earlier.push((self.decisions, previous.trace));
        }
        self.decisions = self.decisions.wrapping_add(1);
        self.last = Some(d);
    }

    /// The trace of decision number `n`, if still kept.
    fn trace(&self, n: u32) -> Option<&Trace> {
        match &self.last {
            Some(d) if n == self.decisions => Some(&d.trace),
            _ => self.earlier.iter().find(|(k, _)| *k == n).map(|(_, t)| t),
        }
    }
}

/// The engine's lifecycle.
enum Lifecycle {
    /// Working.
    Ready(Box<Inner>),
    /// `destroy()` was called: every call fails with `EarnedStateError`.
    Destroyed,
}

/// What the class and its event listeners share.
struct Shared {
    state: RefCell<Lifecycle>,
    ui: RefCell<Option<Ui>>,
    /// The default UI's button labels, while it is mounted.
    labels: RefCell<Option<Labels>>,
    clock: Option<Function>,
    on_error: Option<Function>,
    on_change: Option<Function>,
    /// Told about outcomes the engine records by itself (the default UI's shown, clicked, ...).
    on_outcome: Option<Function>,
}

/// The window events the engine listens for.
const WINDOW_EVENTS: [&str; 3] = ["storage", "pagehide", "pageshow"];

/// The upgrade-prompt engine for one signed-in user.
///
/// # Example
/// ```js
/// import init, { Engine } from "./pkg/earned.js";
/// await init();
/// const engine = new Engine(playbook, { account, user, onError: console.warn });
/// engine.track({ type: "limit_hit", metric: "reports" });
/// const decision = engine.decide();
/// if (decision.show) engine.outcome(decision.prompt.id, "shown");
/// ```
///
/// # Errors
/// Methods throw `Error`s named `EarnedPlaybookError`, `EarnedEventError`,
/// `EarnedAccountError`, `EarnedUserError`, `EarnedOutcomeError`, `EarnedStateError` or
/// `EarnedOptionsError`, each with `problems: [{ path, code, reason, severity }]`. An exception
/// thrown by a host callback (`now`, `onError`, a storage object) comes back unchanged.
#[wasm_bindgen(js_name = Engine)]
pub struct JsEngine {
    shared: Rc<Shared>,
    /// The one window listener (`storage`, `pagehide`, `pageshow`), while the engine lives.
    listener: RefCell<Option<(EventTarget, Listener)>>,
}

fn get(options: &JsValue, name: &str) -> Result<JsValue, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(JsValue::UNDEFINED);
    }
    Reflect::get(options, &JsValue::from_str(name))
}

fn function(options: &JsValue, name: &str) -> Result<Option<Function>, JsValue> {
    let v = get(options, name)?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.dyn_into::<Function>()
        .map(Some)
        .map_err(|_| one(ErrorKind::Options, &["options.", name].concat(), "bad_option", "expected a function"))
}

/// Calls a host callback, passing `undefined` for arguments it does not take: every callback
/// goes through this one import.
fn call(f: &Function, a: &JsValue, b: &JsValue) -> Result<JsValue, JsValue> {
    f.call2(&JsValue::UNDEFINED, a, b)
}

/// A random tab id: 16 hex digits.
fn random_tab() -> String {
    let mut tab = String::with_capacity(16);
    for _ in 0..16 {
        tab.push(char::from(b"0123456789abcdef"[(js_sys::Math::random() * 16.0) as usize & 15]));
    }
    tab
}

/// Problems of one event of a batch, with paths under `events[i]`.
fn rebase(mut problems: Vec<Problem>, path: &str) -> Vec<Problem> {
    for p in &mut problems {
        if let Some(rest) = p.path.strip_prefix("event") {
            p.path = [path, rest].concat();
        }
    }
    problems
}

fn view(decision: &Decision, labels: &Labels) -> Option<PromptView> {
    let p = decision.prompt.as_ref()?;
    Some(PromptView {
        offer: p.offer.clone(),
        placement: p.placement.kind().to_owned(),
        slot: match &p.placement {
            crate::offers::Placement::Inline(s) => Some(s.clone()),
            _ => None,
        },
        title: p.title.clone(),
        body: p.body.clone(),
        cta: p.cta.clone(),
        cta_kind: p.cta_kind.as_str().to_owned(),
        url: p.url.clone(),
        locale: p.locale.clone(),
        labels: labels.clone(),
    })
}

impl Shared {
    /// The time: `options.now()` if given (its exception comes back unchanged), else `Date.now()`.
    fn now(&self) -> Result<i64, JsValue> {
        let Some(clock) = &self.clock else { return Ok(js_sys::Date::now() as i64) };
        let t = call(clock, &JsValue::UNDEFINED, &JsValue::UNDEFINED)?.as_f64().filter(|t| t.is_finite());
        t.map(|t| t as i64).ok_or_else(|| {
            one(ErrorKind::Options, "options.now", "bad_clock", "options.now() must return a number of milliseconds")
        })
    }

    /// Runs `f` on the ready engine, then reports the notices it collected through `onError`.
    fn with<R>(&self, f: impl FnOnce(&mut Inner, &mut Vec<JsValue>) -> Result<R, JsValue>) -> Result<R, JsValue> {
        let mut notices = Vec::new();
        let out = f(&mut *self.ready()?, &mut notices);
        self.report(notices)?;
        out
    }

    /// The ready engine, borrowed; out of line so that each `with` stays small. Calls that
    /// collect no notices (reads, `track`) borrow it directly.
    #[inline(never)]
    fn ready(&self) -> Result<std::cell::RefMut<'_, Inner>, JsValue> {
        let state = self.state.try_borrow_mut().map_err(|_| {
            one(
                ErrorKind::State,
                "engine",
                "busy",
                "the engine was called from inside one of its own calls (a storage object or getter)",
            )
        })?;
        std::cell::RefMut::filter_map(state, |s| match s {
            Lifecycle::Ready(inner) => Some(&mut **inner),
            Lifecycle::Destroyed => None,
        })
        .map_err(|_| one(ErrorKind::State, "engine", "destroyed", "the engine was destroyed"))
    }

    /// Hands notices to `onError`; the first exception it throws comes back unchanged.
    #[inline(never)]
    fn report(&self, notices: Vec<JsValue>) -> Result<(), JsValue> {
        let Some(on_error) = &self.on_error else { return Ok(()) };
        let mut first = Ok(());
        for n in notices {
            if let Err(e) = call(on_error, &n, &JsValue::UNDEFINED) {
                if first.is_ok() {
                    first = Err(e);
                }
            }
        }
        first
    }

    /// Hands an error that has no caller to throw to (from a UI event or `onChange`) to
    /// `onError`, which may throw in turn: there is nobody left to tell.
    fn report_one(&self, error: &JsValue) {
        if let Some(on_error) = &self.on_error {
            let _ = call(on_error, error, &JsValue::UNDEFINED);
        }
    }

    fn outcome(&self, offer: &str, kind: OutcomeKind) -> Result<(), JsValue> {
        let now = self.now()?;
        self.with(|inner, notices| {
            inner.core.outcome(offer, kind, now).map_err(|p| js_error(ErrorKind::Outcome, &[p], None))?;
            inner.store.persist(&mut inner.core, notices);
            Ok(())
        })
    }

    /// Records an outcome the engine saw by itself, then tells `onOutcome(offerId, outcome)`.
    fn own_outcome(&self, offer: &str, kind: OutcomeKind) -> Result<(), JsValue> {
        self.outcome(offer, kind)?;
        match &self.on_outcome {
            Some(f) => call(f, &offer.into(), &kind.as_str().into()).map(drop),
            None => Ok(()),
        }
    }

    /// What the default UI reports: a click, a dismissal or a snooze.
    fn ui_action(&self, offer: &str, action: UiAction) {
        let kind = match action {
            UiAction::Cta => OutcomeKind::Clicked,
            UiAction::Dismiss => OutcomeKind::Dismissed,
            UiAction::Snooze => OutcomeKind::Snoozed,
        };
        if let Err(e) = self.own_outcome(offer, kind) {
            // A UI event has no caller to throw to: the error (or the host's own exception) goes to onError.
            self.report_one(&e);
        }
    }

    /// Another tab wrote state: merge it, then tell the host (`onChange`) so it can decide again.
    fn storage_changed(&self, key: Option<String>) {
        let merged = self.with(|inner, notices| {
            let ours = key.as_deref().is_none_or(|k| k == inner.store.key());
            Ok(ours && inner.store.sync(&mut inner.core, notices))
        });
        if let Ok(true) = merged {
            self.changed();
        }
    }

    /// Tells the host (`onChange`) to decide again; what it throws goes to `onError`.
    fn changed(&self) {
        if let Some(f) = &self.on_change {
            if let Err(e) = call(f, &JsValue::UNDEFINED, &JsValue::UNDEFINED) {
                self.report_one(&e);
            }
        }
    }

    /// The page came back from the back/forward cache: its prompt no longer holds the screen
    /// (pagehide freed it), so take it down and let the host decide again (`onChange`).
    fn page_restored(&self) {
        if let Ok(mut ui) = self.ui.try_borrow_mut() {
            if let Some(ui) = ui.as_mut() {
                ui.hide();
            }
        }
        self.changed();
    }

    /// Frees the screen if this tab holds it, and writes the state (`unmount()`, `pagehide`).
    fn release(&self) -> Result<(), JsValue> {
        self.with(|inner, notices| {
            inner.core.release();
            inner.store.persist(&mut inner.core, notices);
            Ok(())
        })
    }
}

impl JsEngine {
    /// Adds or removes the window listener for the events it handles.
    fn listening(target: &EventTarget, f: &Listener, add: bool) {
        for kind in WINDOW_EVENTS {
            listen(target, kind, f, false, add);
        }
    }

    fn weak(&self) -> Weak<Shared> {
        Rc::downgrade(&self.shared)
    }

    /// Applies new account or user facts; when the storage key changes, the engine continues
    /// with the state stored under the new key.
    fn update(&self, value: JsValue, kind: ErrorKind, path: &'static str) -> Result<(), JsValue> {
        let value = from_js(value, kind, path)?;
        self.shared.with(|inner, notices| {
            // What is stored under the current key is this account's and user's: write it first.
            inner.store.persist(&mut inner.core, notices);
            // Each setter is all or nothing: on error the previous facts stay in use.
            let set = match kind {
                ErrorKind::Account => inner.core.set_account(&value),
                _ => inner.core.set_user(&value),
            };
            set.map_err(|p| js_error(kind, &p, None))?;
            let core = &inner.core;
            let key = store::key(&core.playbook().id, &core.account().id, &core.user().id);
            if key != inner.store.key() {
                // Another account or user: continue with what is stored under the new key.
                inner.core.reset();
                inner.store.set_key(key);
                inner.store.load(&mut inner.core, notices);
                inner.last = None;
                inner.earlier.clear();
            }
            Ok(())
        })
    }

    fn render(&self, decision: &Option<PromptView>) -> Result<(), JsValue> {
        let newly_shown = {
            let Ok(mut ui) = self.shared.ui.try_borrow_mut() else { return Ok(()) };
            let Some(ui) = ui.as_mut() else { return Ok(()) };
            match decision {
                None => {
                    ui.hide();
                    None
                }
                Some(v) => {
                    let before = ui.shows(&v.offer);
                    let on_page = ui.show(v)?;
                    (on_page && !before).then(|| v.offer.clone())
                }
            }
        };
        match newly_shown {
            Some(offer) => self.shared.own_outcome(&offer, OutcomeKind::Shown),
            None => Ok(()),
        }
    }
}

/// A playbook from JS: compiled text (`earned:1:...`), JSON text or a JSON value.
#[cfg(feature = "loader")]
fn read_playbook(playbook: JsValue) -> Result<Playbook, JsValue> {
    let fail = |p: Vec<Problem>| js_error(ErrorKind::Playbook, &p, None);
    let value = match playbook.as_string() {
        Some(text) if text.starts_with("earned:") => return Playbook::from_compiled(&text).map_err(|p| fail(vec![p])),
        Some(text) => Value::parse_json(&text).map_err(|e| {
            let reason = ["not JSON: ", e.reason, " at offset ", &crate::read::uint_text(e.offset as u64)].concat();
            fail(vec![Problem::error("$", "bad_json", reason)])
        })?,
        None => from_js(playbook, ErrorKind::Playbook, "$")?,
    };
    Playbook::load(&value).map_err(fail)
}

/// A playbook from JS, in the runtime build: compiled text only. Leaving the loader out (its
/// reader, validation, linter and ICU parser) is what makes this build smaller.
#[cfg(not(feature = "loader"))]
fn read_playbook(playbook: JsValue) -> Result<Playbook, JsValue> {
    let text = playbook.as_string().filter(|t| t.starts_with("earned:")).ok_or_else(|| {
        let reason = "earned/runtime takes a compiled playbook (`earned compile playbook.json`); \
                      import `earned` to load playbook JSON";
        js_error(ErrorKind::Playbook, &[Problem::error("$", "not_compiled", reason)], None)
    })?;
    Playbook::from_compiled(&text).map_err(|p| js_error(ErrorKind::Playbook, &[p], None))
}

/// Validates and lints a playbook (a JSON value or text), then returns its compiled form
/// (`earned:1:...`), which both builds load and `earned/runtime` requires.
///
/// # Errors
/// `EarnedPlaybookError` with every problem, as `new Engine` throws it.
#[cfg(feature = "loader")]
#[wasm_bindgen(skip_jsdoc)]
pub fn compile(
    #[wasm_bindgen(unchecked_param_type = "Playbook | string")] playbook: JsValue,
) -> Result<String, JsValue> {
    Ok(read_playbook(playbook)?.compile())
}

#[wasm_bindgen(js_class = Engine)]
impl JsEngine {
    /// Loads the playbook and starts the engine: restores stored state, listens for other tabs
    /// (`storage` events) and for `pagehide`.
    ///
    /// `options`: `{ account?, user?, storage?: "local" | "memory" | Storage, now?: () => number,
    /// tab?: string, onError?(error), onChange?(), onOutcome?(offerId, outcome) }`: `onChange` is
    /// called when another tab's state merged in, `onOutcome` for outcomes the default UI records.
    ///
    /// # Errors
    /// `EarnedPlaybookError` with every problem (paths like `offers[0].trigger`),
    /// `EarnedAccountError` / `EarnedUserError` for bad facts, `EarnedOptionsError`.
    #[wasm_bindgen(skip_jsdoc, constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Playbook | string")] playbook: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "EngineOptions")] options: JsValue,
    ) -> Result<JsEngine, JsValue> {
        if !(options.is_undefined() || options.is_null() || options.is_object()) {
            return Err(one(ErrorKind::Options, "options", "bad_option", "expected an object"));
        }
        let mut core = Engine::new(read_playbook(playbook)?);
        let account = from_js(get(&options, "account")?, ErrorKind::Account, "account")?;
        let user = from_js(get(&options, "user")?, ErrorKind::User, "user")?;
        if !matches!(account, Value::Null) {
            core.set_account(&account).map_err(|p| js_error(ErrorKind::Account, &p, None))?;
        }
        if !matches!(user, Value::Null) {
            core.set_user(&user).map_err(|p| js_error(ErrorKind::User, &p, None))?;
        }
        let tab = get(&options, "tab")?.as_string().unwrap_or_else(random_tab);
        core.set_tab(&tab);
        let shared = Shared {
            state: RefCell::new(Lifecycle::Destroyed),
            ui: RefCell::new(None),
            labels: RefCell::new(None),
            clock: function(&options, "now")?,
            on_error: function(&options, "onError")?,
            on_change: function(&options, "onChange")?,
            on_outcome: function(&options, "onOutcome")?,
        };
        let mut notices = Vec::new();
        let key = store::key(&core.playbook().id, &core.account().id, &core.user().id);
        let mut store = Store::open(&get(&options, "storage")?, key, &mut notices)?;
        store.load(&mut core, &mut notices);
        let inner =
            Inner { core, intl: IntlLocalizer::default(), store, last: None, decisions: 0, earlier: Vec::new() };
        *shared.state.borrow_mut() = Lifecycle::Ready(Box::new(inner));
        let engine = JsEngine { shared: Rc::new(shared), listener: RefCell::new(None) };
        if let Some(window) = super::window() {
            // One listener for the three window events: another tab wrote state, the tab goes
            // away, the page came back from the back/forward cache.
            let weak = engine.weak();
            let f: Listener = Closure::wrap(Box::new(move |e: Event| {
                let Some(s) = weak.upgrade() else { return };
                let field = |name: &str| Reflect::get(&e, &name.into()).unwrap_or_default();
                match field("type").as_string().as_deref() {
                    Some("storage") => s.storage_changed(field("key").as_string()),
                    Some("pagehide") => {
                        let _ = s.release();
                    }
                    Some("pageshow") if field("persisted").is_truthy() => s.page_restored(),
                    _ => {}
                }
            }) as Box<dyn FnMut(Event)>);
            Self::listening(&window, &f, true);
            *engine.listener.borrow_mut() = Some((window.into(), f));
        }
        engine.shared.report(notices)?;
        Ok(engine)
    }

    /// Records one product event, e.g. `{ type: "limit_hit", metric: "reports" }`.
    ///
    /// # Errors
    /// `EarnedEventError` naming the field (`path: "event.metric"`); nothing is recorded.
    #[wasm_bindgen(skip_jsdoc)]
    pub fn track(&self, #[wasm_bindgen(unchecked_param_type = "Event")] event: JsValue) -> Result<(), JsValue> {
        let now = self.shared.now()?;
        let value = from_js(event, ErrorKind::Event, "event")?;
        let mut inner = self.shared.ready()?;
        inner.core.track(&value, now).map_err(|p| js_error(ErrorKind::Event, &p, None))?;
        inner.store.mark_dirty();
        Ok(())
    }

    /// Records many events at once and returns how many were accepted; each refused one is
    /// reported through `onError` as an `EarnedEventError` with paths like `events[3].metric`.
    ///
    /// # Errors
    /// `EarnedEventError` when `events` is not an array.
    #[wasm_bindgen(skip_jsdoc, js_name = trackBatch)]
    pub fn track_batch(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Event[]")] events: JsValue,
    ) -> Result<u32, JsValue> {
        if !Array::is_array(&events) {
            return Err(one(ErrorKind::Event, "events", "not_array", "expected an array of events"));
        }
        // One JSON text for the whole batch crosses the boundary once; only if that fails (a
        // cycle or a BigInt in some event) is each event converted on its own, to name it.
        let whole = from_js(events.clone(), ErrorKind::Event, "events").ok();
        let events: Array = events.unchecked_into();
        let now = self.shared.now()?;
        self.shared.with(|inner, notices| {
            let mut accepted = 0;
            let mut record = |i: usize, value: Result<Value, JsValue>| {
                let result = value.and_then(|v| {
                    let rebased = |p| js_error(ErrorKind::Event, &rebase(p, &index("events", i)), None);
                    inner.core.track(&v, now).map_err(rebased)
                });
                match result {
                    Ok(()) => accepted += 1,
                    Err(e) => notices.push(e),
                }
            };
            match whole {
                Some(Value::Array(items)) => items.into_iter().enumerate().for_each(|(i, v)| record(i, Ok(v))),
                _ => events
                    .iter()
                    .enumerate()
                    .for_each(|(i, event)| record(i, from_js(event, ErrorKind::Event, &index("events", i)))),
            }
            if accepted > 0 {
                inner.store.mark_dirty();
            }
            Ok(accepted)
        })
    }

    /// Decides whether a prompt shows now, and why: `{ show, prompt?, reason?, route? }`. The
    /// trace stays in the engine until asked for with [`JsEngine::trace`] (`js/index.js` turns it
    /// into a lazy `decision.trace`), because building it as JS objects costs far more than
    /// deciding. Post-expansion verdicts that came due are taken and returned under `reports`
    /// (`js/index.js` hands them to `onOutcome`); each is returned once.
    /// When the default UI is mounted, it shows the prompt (and records it as `shown`).
    ///
    /// # Errors
    /// Only `EarnedStateError` (destroyed) or the `now` option's own exception.
    #[wasm_bindgen(skip_jsdoc, unchecked_return_type = "Decision")]
    pub fn decide(&self) -> Result<JsValue, JsValue> {
        let now = self.shared.now()?;
        let labels = self.shared.labels.borrow().clone();
        let (json, view) = self.shared.with(|inner, notices| {
            inner.store.sync(&mut inner.core, notices);
            inner.store.flush(&mut inner.core, notices);
            let d = inner.core.decide(now, &inner.intl);
            let mut json = Json::default();
            json.begin_object();
            d.write_summary(&mut json);
            // Watch verdicts that came due ride along (taken: each comes out once), so the
            // wrapper needs no second call per decision to look for them.
            let reports = inner.core.take_reports(now);
            if !reports.is_empty() {
                inner.store.persist(&mut inner.core, notices);
                json.key("reports");
                write_array(&mut json, &reports, WatchReport::write_json);
            }
            json.end_object();
            let out = (json.finish(), labels.as_ref().and_then(|l| view(&d, l)));
            inner.keep(d);
            Ok(out)
        })?;
        if labels.is_some() {
            self.render(&view)?;
        }
        Ok(parse(&json))
    }

    /// The number of the latest decision (read right after `decide()` to ask for its trace).
    #[wasm_bindgen(getter)]
    pub fn decisions(&self) -> Result<u32, JsValue> {
        Ok(self.shared.ready()?.decisions)
    }

    /// The trace of decision number `n` (see [`JsEngine::decisions`]): every offer considered,
    /// its measurements, audience, veto, cap and verdict. `null` once the engine has made
    /// more than eight newer decisions.
    #[wasm_bindgen(unchecked_return_type = "Trace | null")]
    pub fn trace(&self, n: u32) -> Result<JsValue, JsValue> {
        let json = self.shared.ready()?.trace(n).map(Trace::to_json);
        Ok(json.map_or(JsValue::NULL, |json| parse(&json)))
    }

    /// Records what happened to a prompt: `"shown"`, `"dismissed"`, `"snoozed"`, `"clicked"` or
    /// `"converted"` (which starts the post-expansion watch).
    ///
    /// # Errors
    /// `EarnedOutcomeError` for an unknown offer id (`path: "outcome.offer"`) or kind.
    #[wasm_bindgen(skip_jsdoc)]
    pub fn outcome(
        &self,
        #[wasm_bindgen(js_name = offerId, unchecked_param_type = "string")] offer_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Outcome")] kind: JsValue,
    ) -> Result<(), JsValue> {
        let offer = offer_id
            .as_string()
            .ok_or_else(|| one(ErrorKind::Outcome, "outcome.offer", "not_string", "expected an offer id"))?;
        let kind = kind.as_string().as_deref().and_then(OutcomeKind::parse).ok_or_else(|| {
            one(
                ErrorKind::Outcome,
                "outcome.kind",
                "unknown_outcome",
                "expected \"shown\", \"dismissed\", \"snoozed\", \"clicked\" or \"converted\"",
            )
        })?;
        self.shared.outcome(&offer, kind)
    }

    /// Replaces the account facts (from the host's server).
    ///
    /// # Errors
    /// `EarnedAccountError` with every problem; the previous facts stay in use.
    #[wasm_bindgen(skip_jsdoc, js_name = updateAccount)]
    pub fn update_account(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Account")] account: JsValue,
    ) -> Result<(), JsValue> {
        self.update(account, ErrorKind::Account, "account")
    }

    /// Replaces the user facts.
    ///
    /// # Errors
    /// `EarnedUserError` with every problem; the previous facts stay in use.
    #[wasm_bindgen(skip_jsdoc, js_name = updateUser)]
    pub fn update_user(&self, #[wasm_bindgen(unchecked_param_type = "User")] user: JsValue) -> Result<(), JsValue> {
        self.update(user, ErrorKind::User, "user")
    }

    /// The latest decision's trace as readable text (deciding first if nothing was decided yet).
    ///
    /// # Errors
    /// As `decide()`.
    #[wasm_bindgen(skip_jsdoc, unchecked_return_type = "string")]
    pub fn explain(&self) -> Result<JsValue, JsValue> {
        let decided = self.shared.ready()?.last.is_some();
        if !decided {
            self.decide()?;
        }
        Ok(self.shared.ready()?.last.as_ref().map(|d| d.trace.explain()).unwrap_or_default().into())
    }

    /// Writes recorded events to storage now. `track` and `trackBatch` leave the write to
    /// this call, which `js/index.js` makes once per task, and to `decide`, `outcome`,
    /// `pagehide` and `destroy`, which write anyway.
    ///
    /// # Errors
    /// `EarnedStateError` after `destroy()`.
    #[wasm_bindgen(skip_jsdoc)]
    pub fn flush(&self) -> Result<(), JsValue> {
        self.shared.with(|inner, notices| {
            inner.store.flush(&mut inner.core, notices);
            Ok(())
        })
    }

    /// Shows prompts with the default UI: inline prompts in `[data-earned-slot]` elements,
    /// others in `options.root` (default `document.body`). Decides at once and returns the decision.
    ///
    /// `options`: `{ root?: Element, labels?: { dismiss, snooze, close } }`.
    ///
    /// # Errors
    /// `EarnedStateError` where there is no document.
    #[wasm_bindgen(skip_jsdoc, unchecked_return_type = "Decision")]
    pub fn mount(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "MountOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let document = super::window()
            .and_then(|w| w.document())
            .ok_or_else(|| one(ErrorKind::State, "engine", "no_document", "the default UI needs a document"))?;
        let root = get(&options, "root")?.dyn_into::<Element>().ok();
        let labels = get(&options, "labels")?;
        let text = |name: &str, default: &str| -> Result<Option<String>, JsValue> {
            let v = get(&labels, name)?;
            Ok(if v.is_null() { None } else { Some(v.as_string().unwrap_or_else(|| default.to_owned())) })
        };
        let labels = Labels {
            dismiss: text("dismiss", "Not now")?.unwrap_or_else(|| "Not now".into()),
            snooze: text("snooze", "Remind me later")?,
            close: text("close", "Close")?.unwrap_or_else(|| "Close".into()),
        };
        let weak = self.weak();
        let ui = Ui::new(
            document,
            root,
            Box::new(move |offer: &str, action| {
                if let Some(s) = weak.upgrade() {
                    s.ui_action(offer, action);
                }
            }),
        );
        let Ok(mut slot) = self.shared.ui.try_borrow_mut() else {
            return Err(one(ErrorKind::State, "engine", "busy", "mount() was called from inside the UI"));
        };
        *slot = Some(ui);
        *self.shared.labels.borrow_mut() = Some(labels);
        drop(slot);
        self.decide()
    }

    /// Removes the default UI (and frees the screen for other tabs).
    ///
    /// # Errors
    /// `EarnedStateError` after `destroy()`.
    #[wasm_bindgen(skip_jsdoc)]
    pub fn unmount(&self) -> Result<(), JsValue> {
        if let Ok(mut ui) = self.shared.ui.try_borrow_mut() {
            ui.take();
        }
        self.shared.labels.borrow_mut().take();
        self.shared.release()
    }

    /// Stops the engine: removes its listeners and UI, frees the screen, writes its state.
    /// Every later call fails with `EarnedStateError`; a second `destroy()` does nothing.
    ///
    /// # Errors
    /// Only an exception thrown by `onError`.
    #[wasm_bindgen(skip_jsdoc)]
    pub fn destroy(&self) -> Result<(), JsValue> {
        if let Some((target, f)) = self.listener.borrow_mut().take() {
            Self::listening(&target, &f, false);
        }
        let _ = self.unmount();
        let Ok(mut state) = self.shared.state.try_borrow_mut() else {
            return Err(one(ErrorKind::State, "engine", "busy", "destroy() was called from inside the engine"));
        };
        let mut notices = Vec::new();
        if let Lifecycle::Ready(inner) = &mut *state {
            inner.core.release();
            inner.store.persist(&mut inner.core, &mut notices);
        }
        *state = Lifecycle::Destroyed;
        drop(state);
        self.shared.report(notices)
    }
}

/// The linter's output, in the full build only: for `earned/runtime` (the runtime build, without
/// the `loader` feature) `earned compile` reports it, and leaving it out saves 0.7 KB gzip.
#[cfg(feature = "loader")]
#[wasm_bindgen(js_class = Engine)]
impl JsEngine {
    /// The playbook linter's warnings: `[{ path, code, reason, severity }]`.
    ///
    /// # Errors
    /// `EarnedStateError` after `destroy()`.
    #[wasm_bindgen(skip_jsdoc, unchecked_return_type = "Problem[]")]
    pub fn warnings(&self) -> Result<JsValue, JsValue> {
        Ok(super::convert::array_to_js(&self.shared.ready()?.core.playbook().warnings, Problem::write_json))
    }

    /// Per offer, the five questions to answer before any pitch, answered by the linter.
    ///
    /// # Errors
    /// `EarnedStateError` after `destroy()`.
    #[wasm_bindgen(skip_jsdoc, unchecked_return_type = "Readiness[]")]
    pub fn readiness(&self) -> Result<JsValue, JsValue> {
        Ok(super::convert::array_to_js(
            &self.shared.ready()?.core.playbook().readiness,
            crate::playbook::Readiness::write_json,
        ))
    }
}
