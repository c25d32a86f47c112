//! The wasm boundary, run by wasm-bindgen-test in Node (`wasm-pack test --node -- --test web`)
//! and in headless Chromium (`WASM_BINDGEN_USE_BROWSER=1 wasm-pack test --headless --chrome -- --test web`).
#![cfg(target_arch = "wasm32")]

use earned::copy::{Localizer, PluralCategory};
use earned::wasm::intl::IntlLocalizer;
use earned::wasm::JsEngine;
use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

const XSS: &str = "<img src=x onerror=alert(1)>";
const KEY: &str = "earned:v1:minimal:acme:u1";

#[wasm_bindgen(inline_js = r#"
export function memoryStorage(initial) {
  const map = new Map(Object.entries(initial || {}));
  return {
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => void map.set(k, String(v)),
    removeItem: (k) => void map.delete(k),
  };
}
export function throwingStorage(name) {
  const boom = () => { const e = new Error(name); e.name = name; throw e; };
  return { getItem: name === "QuotaExceededError" ? () => null : boom, setItem: boom, removeItem: boom };
}
export function options(storage, errors, extra) {
  let t = 1796342400000;
  return Object.assign({
    account: { id: "acme", plan: "free", milestones: ["first_report"] },
    user: { id: "u1" },
    storage,
    now: () => t,
    onError: (e) => errors.push(e),
  }, extra || {});
}
export function throwingClock(thrown) {
  return { now: () => { throw thrown; } };
}
export function pageTransition(kind, persisted) {
  const e = new Event(kind);
  Object.defineProperty(e, "persisted", { value: persisted });
  globalThis.dispatchEvent(e);
}
export function cyclic() { const o = { type: "limit_hit" }; o.self = o; return o; }
"#)]
extern "C" {
    #[wasm_bindgen(js_name = memoryStorage)]
    fn memory_storage(initial: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = throwingStorage)]
    fn throwing_storage(name: &str) -> JsValue;
    fn options(storage: &JsValue, errors: &Array, extra: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = throwingClock)]
    fn throwing_clock(thrown: &JsValue) -> JsValue;
    fn cyclic() -> JsValue;
    #[wasm_bindgen(js_name = pageTransition)]
    fn page_transition(kind: &str, persisted: bool);
}

fn playbook() -> JsValue {
    JSON::parse(include_str!("fixtures/minimal.json")).unwrap()
}

fn json(text: &str) -> JsValue {
    JSON::parse(text).unwrap()
}

/// `value.a.b.c`, following keys and array indices.
fn at(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |v, k| Reflect::get(&v, &JsValue::from_str(k)).unwrap())
}

fn text(value: &JsValue, path: &str) -> String {
    at(value, path).as_string().unwrap_or_else(|| format!("<not a string at {path}>"))
}

/// What a Storage-like object holds under `key`.
fn stored(storage: &JsValue, key: &str) -> Option<String> {
    let get: js_sys::Function = Reflect::get(storage, &"getItem".into()).unwrap().into();
    get.call1(storage, &key.into()).unwrap().as_string()
}

fn engine(storage: &JsValue, errors: &Array) -> JsEngine {
    JsEngine::new(playbook(), options(storage, errors, &JsValue::UNDEFINED)).unwrap()
}

fn hit() -> JsValue {
    json(r#"{"type":"limit_hit","metric":"reports"}"#)
}

fn three_hits(e: &JsEngine) {
    for _ in 0..3 {
        e.track(hit()).unwrap();
    }
}

#[wasm_bindgen_test]
fn decides_in_camel_case_with_a_trace() {
    let errors = Array::new();
    let e = engine(&"memory".into(), &errors);
    three_hits(&e);
    let d = e.decide().unwrap();
    assert_eq!(at(&d, "show"), JsValue::TRUE);
    assert_eq!(text(&d, "prompt.id"), "more_reports");
    assert_eq!(text(&d, "prompt.ctaKind"), "upgrade");
    assert!(at(&d, "trace").is_undefined(), "the trace crosses only when asked for");
    let first = e.decisions().unwrap();
    assert_eq!(text(&e.trace(first).unwrap(), "offers.0.verdict"), "shown");
    assert!(e.explain().unwrap().as_string().unwrap().contains("Shows `more_reports`"));
    // A later decision keeps the earlier one's trace for a late read; a number never decided is null.
    e.outcome("more_reports".into(), "dismissed".into()).unwrap();
    e.decide().unwrap();
    assert_eq!(text(&e.trace(first).unwrap(), "offers.0.verdict"), "shown");
    assert_eq!(text(&e.trace(first + 1).unwrap(), "offers.0.verdict"), "capped");
    assert!(e.trace(first + 2).unwrap().is_null());
    assert_eq!(Array::from(&e.readiness().unwrap()).length(), 1);
    assert_eq!(errors.length(), 0);
}

#[wasm_bindgen_test]
fn errors_have_stable_names_paths_and_problems() {
    let errors = Array::new();
    let e = engine(&"memory".into(), &errors);
    let err = e.track(json(r#"{"type":"limit_hit","metric":"nope"}"#)).unwrap_err();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(text(&err, "name"), "EarnedEventError");
    assert_eq!(text(&err, "path"), "event.metric");
    assert_eq!(text(&err, "problems.0.code"), "unknown_metric");
    assert_eq!(text(&err, "problems.0.severity"), "error");

    let err = e.outcome("nope".into(), "shown".into()).unwrap_err();
    assert_eq!((text(&err, "name"), text(&err, "path")), ("EarnedOutcomeError".into(), "outcome.offer".into()));
    let err = e.update_account(json(r#"{"id":"acme","health":900}"#)).unwrap_err();
    assert_eq!((text(&err, "name"), text(&err, "path")), ("EarnedAccountError".into(), "account.health".into()));

    let bad = json(r#"{"id":"x","locales":["en"],"plans":[],"offers":[{"id":"o","trigger":{"after":"30d"}}]}"#);
    let err = JsEngine::new(bad, options(&"memory".into(), &errors, &JsValue::UNDEFINED)).err().unwrap();
    assert_eq!(text(&err, "name"), "EarnedPlaybookError");
    assert!(Array::from(&at(&err, "problems")).length() > 1);
    let err = JsEngine::new("{ nope".into(), JsValue::UNDEFINED).err().unwrap();
    assert_eq!((text(&err, "name"), text(&err, "path")), ("EarnedPlaybookError".into(), "$".into()));
}

#[wasm_bindgen_test]
fn a_failed_call_never_poisons_the_next() {
    let errors = Array::new();
    let e = engine(&"memory".into(), &errors);
    assert!(e.track(cyclic()).is_err());
    assert!(e.track(JsValue::from(42)).is_err());
    assert!(e.track_batch(JsValue::from("x")).is_err());
    assert!(e.outcome(JsValue::from(7), JsValue::NULL).is_err());
    three_hits(&e);
    assert_eq!(at(&e.decide().unwrap(), "show"), JsValue::TRUE);
    e.destroy().unwrap();
    assert_eq!(text(&e.decide().unwrap_err(), "name"), "EarnedStateError");
    e.destroy().unwrap();
}

#[wasm_bindgen_test]
fn a_throwing_host_callback_gets_its_own_exception_back() {
    let errors = Array::new();
    let mine: JsValue = js_sys::Error::new("host clock broke").into();
    let opts = options(&"memory".into(), &errors, &throwing_clock(&mine));
    let e = JsEngine::new(playbook(), opts).unwrap();
    let thrown = e.decide().unwrap_err();
    assert!(Object::is(&thrown, &mine));
    assert!(Object::is(&e.track(hit()).unwrap_err(), &mine));
    assert!(e.warnings().is_ok());
}

#[wasm_bindgen_test]
fn batches_count_what_was_accepted() {
    let errors = Array::new();
    let e = engine(&"memory".into(), &errors);
    let batch = json(
        r#"[{"type":"limit_hit","metric":"reports"},{"type":"limit_hit"},{"type":"limit_hit","metric":"reports"}]"#,
    );
    assert_eq!(e.track_batch(batch).unwrap(), 2);
    assert_eq!(errors.length(), 1);
    assert_eq!(text(&errors.get(0), "path"), "events[1]");
}

#[wasm_bindgen_test]
fn state_round_trips_through_storage() {
    let errors = Array::new();
    let storage = memory_storage(&JsValue::UNDEFINED);
    let a = engine(&storage, &errors);
    three_hits(&a);
    a.outcome("more_reports".into(), "dismissed".into()).unwrap();
    a.destroy().unwrap();
    assert!(stored(&storage, KEY).is_some());
    let b = engine(&storage, &errors);
    let d = b.decide().unwrap();
    assert_eq!(text(&d, "reason.code"), "cooldown");
    assert_eq!(at(&b.trace(b.decisions().unwrap()).unwrap(), "eventsSeen").as_f64(), Some(3.0));
    assert_eq!(errors.length(), 0);
}

#[wasm_bindgen_test]
fn corrupt_state_is_backed_up_and_the_engine_starts_fresh() {
    let errors = Array::new();
    let initial = Object::new();
    Reflect::set(&initial, &KEY.into(), &"{oops".into()).unwrap();
    let storage = memory_storage(&initial);
    let e = engine(&storage, &errors);
    assert_eq!(errors.length(), 1);
    assert_eq!(text(&errors.get(0), "name"), "EarnedStateError");
    assert_eq!(text(&errors.get(0), "code"), "corrupt_state");
    assert_eq!(stored(&storage, &[KEY, ":backup"].concat()).as_deref(), Some("{oops"));
    three_hits(&e);
    assert_eq!(at(&e.decide().unwrap(), "show"), JsValue::TRUE);
    assert!(stored(&storage, KEY).is_some_and(|s| s.starts_with('{') && s.contains("\"version\":1")));
    assert_eq!(errors.length(), 1);
}

#[wasm_bindgen_test]
fn storage_that_throws_or_is_full_is_reported_once() {
    for (name, code) in [("SecurityError", "storage_unavailable"), ("QuotaExceededError", "storage_full")] {
        let errors = Array::new();
        let e = engine(&throwing_storage(name), &errors);
        three_hits(&e);
        e.outcome("more_reports".into(), "dismissed".into()).unwrap();
        assert_eq!(text(&e.decide().unwrap(), "reason.code"), "cooldown");
        // In memory from the first failure on: the later writes report nothing more.
        assert_eq!(errors.length(), 1, "{name}");
        assert_eq!(text(&errors.get(0), "name"), "EarnedStorageError");
        assert_eq!(text(&errors.get(0), "code"), code);
        assert_eq!(text(&errors.get(0), "cause.name"), name);
    }
}

fn two_tabs(storage: &JsValue) {
    let errors = Array::new();
    let a = engine(storage, &errors);
    let b = engine(storage, &errors);
    three_hits(&a);
    let d = a.decide().unwrap();
    a.outcome(at(&d, "prompt.id"), "shown".into()).unwrap();
    assert_eq!(text(&b.decide().unwrap(), "reason.code"), "shown_in_another_tab");
    a.outcome("more_reports".into(), "dismissed".into()).unwrap();
    assert_eq!(text(&b.decide().unwrap(), "reason.code"), "cooldown");
    assert_eq!(errors.length(), 0);
    a.destroy().unwrap();
    b.destroy().unwrap();
}

#[wasm_bindgen_test]
fn two_tabs_share_caps_and_never_show_the_same_prompt() {
    two_tabs(&memory_storage(&JsValue::UNDEFINED));
}

#[wasm_bindgen_test]
fn two_tabs_on_real_local_storage() {
    let Some(window) = web_sys::window() else { return }; // Node has no localStorage
    let local = window.local_storage().unwrap().unwrap();
    local.clear().unwrap();
    two_tabs(&"local".into());
    assert!(local.get_item(KEY).unwrap().is_some());
    local.clear().unwrap();
}

#[wasm_bindgen_test]
fn data_is_text_not_html() {
    let p = playbook();
    let en = at(&p, "offers.0.copy.en");
    Reflect::set(&en, &"title".into(), &XSS.into()).unwrap();
    Reflect::set(&en, &"body".into(), &["{metric} ", XSS].concat().into()).unwrap();
    let errors = Array::new();
    let opts = options(&"memory".into(), &errors, &JsValue::UNDEFINED);
    Reflect::set(&at(&opts, "account"), &"attributes".into(), &json(r#"{"note":"<img src=x onerror=alert(1)>"}"#))
        .unwrap();
    let e = JsEngine::new(p, opts).unwrap();
    three_hits(&e);
    e.track(json(r#"{"type":"feature_used","feature":"<img src=x onerror=alert(1)>"}"#)).unwrap();
    let d = e.decide().unwrap();
    assert_eq!(text(&d, "prompt.title"), XSS);
    assert_eq!(text(&d, "prompt.body"), ["reports ", XSS].concat());
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    // In the browser: the default UI puts the same strings on the page as text.
    let slot = document.create_element("div").unwrap();
    slot.set_attribute("data-earned-slot", "reports").unwrap();
    document.body().unwrap().append_child(&slot).unwrap();
    e.mount(JsValue::UNDEFINED).unwrap();
    assert!(slot.query_selector("img").unwrap().is_none());
    assert!(slot.text_content().unwrap_or_default().contains(XSS));
    e.destroy().unwrap();
    assert!(slot.query_selector(".earned-prompt").unwrap().is_none());
    slot.remove();
}

#[wasm_bindgen_test]
fn mounting_records_shown_once_and_ui_actions_record_outcomes() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let errors = Array::new();
    let storage = memory_storage(&JsValue::UNDEFINED);
    let e = engine(&storage, &errors);
    let slot = document.create_element("div").unwrap();
    slot.set_attribute("data-earned-slot", "reports").unwrap();
    document.body().unwrap().append_child(&slot).unwrap();
    three_hits(&e);
    e.mount(JsValue::UNDEFINED).unwrap();
    e.decide().unwrap();
    let state = json(&stored(&storage, KEY).expect("the state was written"));
    assert_eq!(Array::from(&at(&state, "offers.more_reports.shows")).length(), 1);
    let dismiss: web_sys::HtmlElement =
        slot.query_selector(".earned-prompt__dismiss").unwrap().expect("a dismiss button").dyn_into().unwrap();
    dismiss.click();
    assert_eq!(text(&e.decide().unwrap(), "reason.code"), "cooldown");
    assert!(slot.query_selector(".earned-prompt").unwrap().is_none());
    e.destroy().unwrap();
    slot.remove();
}

#[wasm_bindgen_test]
fn intl_formats_every_locale_and_survives_bad_tags() {
    let intl = IntlLocalizer::default();
    assert_eq!(intl.plural_category("ru", 3.0), PluralCategory::Few);
    assert_eq!(intl.plural_category("ar", 2.0), PluralCategory::Two);
    assert_eq!(intl.plural_category("en", 1.0), PluralCategory::One);
    assert_eq!(intl.format_number("en", 1234.5), "1,234.5");
    // Swiss German groups with an apostrophe (ASCII in Node's ICU, U+2019 in Chrome's): Intl's
    // own answer, which the built-in rules ("1.234,5" for any `de`) would not give.
    let swiss = intl.format_number("de-CH", 1234.5);
    assert!(swiss.starts_with('1') && swiss.ends_with("234.5") && swiss.len() > "1234.5".len(), "{swiss}");
    assert_eq!(intl.format_percent("en", 0.25), "25%");
    assert_eq!(intl.format_number("not a locale!", 1234.5), "1,234.5");
}

#[wasm_bindgen_test]
fn pagehide_frees_the_screen_and_a_restored_page_takes_its_prompt_down() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let errors = Array::new();
    let storage = memory_storage(&JsValue::UNDEFINED);
    let (a, b) = (engine(&storage, &errors), engine(&storage, &errors));
    let slot = document.create_element("div").unwrap();
    slot.set_attribute("data-earned-slot", "reports").unwrap();
    document.body().unwrap().append_child(&slot).unwrap();
    three_hits(&a);
    a.mount(JsValue::UNDEFINED).unwrap();
    assert!(slot.query_selector(".earned-prompt").unwrap().is_some());
    assert_eq!(text(&b.decide().unwrap(), "reason.code"), "shown_in_another_tab");
    page_transition("pagehide", true);
    assert_eq!(text(&b.decide().unwrap(), "reason.code"), "daily_cap");
    page_transition("pageshow", true);
    assert!(slot.query_selector(".earned-prompt").unwrap().is_none());
    a.destroy().unwrap();
    b.destroy().unwrap();
    slot.remove();
    assert_eq!(errors.length(), 0);
}

/// The wasm build's allocator (`src/wasm/alloc.rs`, the global allocator of this test binary
/// too): many live blocks of many sizes and alignments, freed and reused in a mixed order,
/// never overlap (each keeps the bytes written into it).
#[wasm_bindgen_test]
fn the_allocator_never_hands_out_overlapping_blocks() {
    #[repr(align(64))]
    struct Aligned([u8; 64]);

    let mut seed = 0x2545_f491_u32;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed
    };
    let mut live: Vec<(Vec<u8>, u8)> = Vec::new();
    let mut aligned: Vec<Box<Aligned>> = Vec::new();
    for round in 0..20_000u32 {
        let r = next();
        if r % 3 == 0 && !live.is_empty() {
            let i = (next() as usize) % live.len();
            let (block, fill) = live.swap_remove(i);
            assert!(block.iter().all(|b| *b == fill), "a freed block was overwritten while live");
        } else {
            let size = 1 + (next() % 3000) as usize;
            let fill = (round % 251) as u8;
            live.push((vec![fill; size], fill));
        }
        if r % 7 == 0 {
            aligned.push(Box::new(Aligned([(round % 256) as u8; 64])));
            let last = aligned.last().map_or(0, |b| &**b as *const Aligned as usize);
            assert_eq!(last % 64, 0, "alignment kept");
        }
        if r % 11 == 0 && !aligned.is_empty() {
            let gone = aligned.swap_remove((next() as usize) % aligned.len());
            assert!(gone.0.iter().all(|b| *b == gone.0[0]), "an aligned block was overwritten while live");
        }
    }
    for (block, fill) in &live {
        assert!(block.iter().all(|b| b == fill));
    }
    // Growing a vector across size classes keeps its contents.
    let mut v: Vec<u32> = Vec::new();
    for i in 0..100_000u32 {
        v.push(i);
    }
    assert!(v.iter().enumerate().all(|(i, x)| *x == i as u32));
}

#[wasm_bindgen_test]
fn audience_conditions_read_numbers_as_js_does() {
    // `$regex` on a number matches its `String(n)`; in the browser that is JS's own conversion, so
    // the digits agree with the GrowthBook SDK even where a hand-written one would be an ulp off.
    let tiny = 1.726_497_319_137_789_8e-6;
    let shown = |pattern: &str| {
        let book = playbook();
        let offer = at(&book, "offers.0");
        let audience = Object::new();
        let op = Object::new();
        Reflect::set(&op, &"$regex".into(), &pattern.into()).unwrap();
        Reflect::set(&audience, &"score".into(), &op).unwrap();
        Reflect::set(&offer, &"audience".into(), &audience).unwrap();
        let extra = json(r#"{"account":{"id":"acme","plan":"free","milestones":["first_report"],"attributes":{}}}"#);
        Reflect::set(&at(&extra, "account.attributes"), &"score".into(), &tiny.into()).unwrap();
        let errors = Array::new();
        let e = JsEngine::new(book, options(&"memory".into(), &errors, &extra)).unwrap();
        three_hits(&e);
        at(&e.decide().unwrap(), "show") == JsValue::TRUE
    };
    assert_eq!(js_sys::Number::from(tiny).to_string_with_radix(10).unwrap(), "0.0000017264973191377898");
    assert!(shown("^0\\.0000017264973191377898$"));
    assert!(!shown("^0\\.0000017264973191377897$"));
}

/// In the browser `Date` writes the times in cap reasons: the same text as the native calendar
/// code, and a time beyond what a `Date` holds is clamped rather than thrown.
#[wasm_bindgen_test]
fn times_in_reasons_are_written_as_natively() {
    use earned::read::{format_time, parse_iso_time};
    assert_eq!(format_time(0), "1970-01-01T00:00Z");
    assert_eq!(format_time(-60_000), "1969-12-31T23:59Z");
    assert_eq!(format_time(parse_iso_time("2024-02-29T23:59:00Z").unwrap()), "2024-02-29T23:59Z");
    assert_eq!(format_time(parse_iso_time("2026-12-04T10:30:59Z").unwrap()), "2026-12-04T10:30Z");
    assert_eq!(format_time(i64::MAX), "+275760-09-13T00:00Z");
}
