//! Browser tests of the default prompt UI (`src/wasm/ui.rs`), run in headless Chromium:
//! `CHROMEDRIVER=/usr/bin/chromedriver wasm-pack test --headless --chrome -- --test ui`
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use earned::wasm::ui::{Labels, PromptView, Ui, UiAction};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Document, Element, HtmlElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

const XSS: &str = "<img src=x onerror=alert(1)>";

type Log = Rc<RefCell<Vec<(String, UiAction)>>>;

fn doc() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh root element in the body, and a UI rendering into it that logs its actions.
fn setup() -> (Element, Ui, Log) {
    let d = doc();
    let root = d.create_element("div").unwrap();
    d.body().unwrap().append_child(&root).unwrap();
    let log: Log = Rc::default();
    let l = log.clone();
    let ui = Ui::new(d, Some(root.clone()), Box::new(move |offer: &str, a| l.borrow_mut().push((offer.to_owned(), a))));
    (root, ui, log)
}

fn view(placement: &str) -> PromptView {
    PromptView {
        offer: "more_reports".into(),
        placement: placement.into(),
        slot: None,
        title: "You hit the report limit 3 times this week".into(),
        body: "Pro lifts the limit of 10 reports a month.".into(),
        cta: "Upgrade to Pro".into(),
        cta_kind: "upgrade".into(),
        url: Some("/billing".into()),
        locale: "en".into(),
        labels: Labels { dismiss: "Not now".into(), snooze: Some("Remind me later".into()), close: "Close".into() },
    }
}

fn q(root: &Element, sel: &str) -> Element {
    root.query_selector(sel).unwrap().unwrap_or_else(|| panic!("no {sel}"))
}

fn html(el: Element) -> HtmlElement {
    el.dyn_into().unwrap()
}

fn key(target: &Element, key: &str, shift: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let e = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&e).unwrap();
}

fn active() -> Element {
    doc().active_element().unwrap()
}

fn no_style_attributes(root: &Element) {
    assert_eq!(root.query_selector_all("[style]").unwrap().length(), 0, "an element has a style attribute");
}

fn cleanup(root: Element) {
    root.remove();
}

#[wasm_bindgen_test]
fn banner_is_a_polite_labelled_region_at_the_top_of_root() {
    let (root, mut ui, _) = setup();
    let first = doc().create_element("p").unwrap();
    root.append_child(&first).unwrap();
    assert!(ui.show(&view("banner")).unwrap());
    let p = q(&root, ".earned-prompt");
    assert!(root.first_element_child().unwrap().is_same_node(Some(&p)), "banner is first in root");
    assert_eq!(p.class_name(), "earned-prompt earned-prompt--banner");
    assert_eq!(p.get_attribute("role").as_deref(), Some("region"));
    assert_eq!(p.get_attribute("aria-label").as_deref(), Some("You hit the report limit 3 times this week"));
    assert_eq!(p.get_attribute("aria-live").as_deref(), Some("polite"));
    assert_eq!(p.get_attribute("lang").as_deref(), Some("en"));
    assert_eq!(q(&p, ".earned-prompt__title").text_content().unwrap(), "You hit the report limit 3 times this week");
    assert_eq!(q(&p, ".earned-prompt__body").text_content().unwrap(), "Pro lifts the limit of 10 reports a month.");
    let buttons = p.query_selector_all("button").unwrap();
    assert_eq!(buttons.length(), 4);
    for i in 0..buttons.length() {
        let b: Element = buttons.item(i).unwrap().dyn_into().unwrap();
        assert_eq!(b.get_attribute("type").as_deref(), Some("button"));
    }
    assert_eq!(q(&p, ".earned-prompt__close").get_attribute("aria-label").as_deref(), Some("Close"));
    assert_eq!(q(&p, ".earned-prompt__dismiss").text_content().unwrap(), "Not now");
    assert_eq!(q(&p, ".earned-prompt__snooze").text_content().unwrap(), "Remind me later");
    no_style_attributes(&root);
    ui.hide();
    assert!(root.query_selector(".earned-prompt").unwrap().is_none());
    cleanup(root);
}

#[wasm_bindgen_test]
fn toast_is_a_status() {
    let (root, mut ui, _) = setup();
    let mut v = view("toast");
    v.labels.snooze = None;
    assert!(ui.show(&v).unwrap());
    let p = q(&root, ".earned-prompt--toast");
    assert_eq!(p.get_attribute("role").as_deref(), Some("status"));
    assert_eq!(p.get_attribute("aria-live").as_deref(), Some("polite"));
    assert!(p.query_selector(".earned-prompt__snooze").unwrap().is_none(), "no snooze label, no snooze button");
    no_style_attributes(&root);
    cleanup(root);
}

#[wasm_bindgen_test]
fn inline_lands_in_its_slot_or_renders_nothing() {
    let (root, mut ui, _) = setup();
    let mut v = view("inline");
    v.slot = Some("reports \"]".into());
    assert!(!ui.show(&v).unwrap(), "no slot on the page");
    assert!(root.query_selector(".earned-prompt").unwrap().is_none());
    assert_eq!(ui.shown(), None);

    let other = doc().create_element("div").unwrap();
    other.set_attribute("data-earned-slot", "billing").unwrap();
    let slot = doc().create_element("div").unwrap();
    slot.set_attribute("data-earned-slot", "reports \"]").unwrap();
    root.append_child(&other).unwrap();
    root.append_child(&slot).unwrap();
    assert!(ui.show(&v).unwrap());
    let p = q(&slot, ".earned-prompt--inline");
    assert!(p.parent_element().unwrap().is_same_node(Some(&slot)));
    assert!(other.first_child().is_none());
    assert_eq!(p.get_attribute("role").as_deref(), Some("region"));
    assert_eq!(p.get_attribute("aria-live").as_deref(), Some("polite"));
    assert_eq!(ui.shown().as_deref(), Some("more_reports"));
    no_style_attributes(&root);
    cleanup(root);
}

#[wasm_bindgen_test]
fn showing_again_replaces_the_prompt() {
    let (root, mut ui, _) = setup();
    assert!(ui.show(&view("banner")).unwrap());
    let before = q(&root, ".earned-prompt");
    assert!(ui.show(&view("banner")).unwrap());
    assert!(q(&root, ".earned-prompt").is_same_node(Some(&before)), "the same view is left as it is");
    let mut v = view("toast");
    v.offer = "seats".into();
    assert!(ui.show(&v).unwrap());
    assert_eq!(root.query_selector_all(".earned-prompt").unwrap().length(), 1);
    assert_eq!(q(&root, ".earned-prompt").get_attribute("data-earned-offer").as_deref(), Some("seats"));
    cleanup(root);
}

#[wasm_bindgen_test]
fn modal_is_a_labelled_dialog_that_takes_and_returns_focus() {
    let (root, mut ui, log) = setup();
    let opener = doc().create_element("button").unwrap();
    opener.set_text_content(Some("Reports"));
    root.append_child(&opener).unwrap();
    html(opener.clone()).focus().unwrap();
    assert!(active().is_same_node(Some(&opener)));

    assert!(ui.show(&view("modal")).unwrap());
    let backdrop = q(&root, ".earned-backdrop");
    let d = q(&backdrop, ".earned-prompt--modal");
    assert_eq!(d.get_attribute("role").as_deref(), Some("dialog"));
    assert_eq!(d.get_attribute("aria-modal").as_deref(), Some("true"));
    let title = doc().get_element_by_id(&d.get_attribute("aria-labelledby").unwrap()).unwrap();
    assert_eq!(title.text_content().unwrap(), "You hit the report limit 3 times this week");
    assert!(d.contains(Some(&title)));
    let body = doc().get_element_by_id(&d.get_attribute("aria-describedby").unwrap()).unwrap();
    assert_eq!(body.text_content().unwrap(), "Pro lifts the limit of 10 reports a month.");
    assert!(active().is_same_node(Some(&q(&d, ".earned-prompt__cta"))), "focus moves to the CTA");
    no_style_attributes(&root);

    // Escape anywhere closes the modal, reports a dismissal once, and focus goes back.
    key(&doc().body().unwrap(), "Escape", false);
    assert!(root.query_selector(".earned-backdrop").unwrap().is_none());
    assert!(active().is_same_node(Some(&opener)), "focus returns to the opener");
    assert_eq!(*log.borrow(), vec![("more_reports".to_owned(), UiAction::Dismiss)]);
    key(&doc().body().unwrap(), "Escape", false);
    assert_eq!(log.borrow().len(), 1);
    cleanup(root);
}

#[wasm_bindgen_test]
fn tab_wraps_inside_the_modal() {
    let (root, mut ui, _) = setup();
    assert!(ui.show(&view("modal")).unwrap());
    let d = q(&root, ".earned-prompt--modal");
    let buttons = d.query_selector_all("button").unwrap();
    let first: Element = buttons.item(0).unwrap().dyn_into().unwrap();
    let last: Element = buttons.item(buttons.length() - 1).unwrap().dyn_into().unwrap();
    assert!(first.class_name().contains("__cta"));
    assert!(last.class_name().contains("__close"));

    html(last.clone()).focus().unwrap();
    key(&last, "Tab", false);
    assert!(active().is_same_node(Some(&first)), "Tab on the last button wraps to the first");
    key(&first, "Tab", true);
    assert!(active().is_same_node(Some(&last)), "Shift+Tab on the first button wraps to the last");

    // Focus outside the dialog (a click on the backdrop) is pulled back in by Tab.
    let outside = doc().create_element("button").unwrap();
    root.append_child(&outside).unwrap();
    html(outside.clone()).focus().unwrap();
    key(&outside, "Tab", false);
    assert!(active().is_same_node(Some(&first)));
    ui.hide();
    cleanup(root);
}

#[wasm_bindgen_test]
fn escape_inside_a_banner_dismisses_once() {
    let (root, mut ui, log) = setup();
    assert!(ui.show(&view("banner")).unwrap());
    let snooze = q(&root, ".earned-prompt__snooze");
    html(snooze.clone()).focus().unwrap();
    key(&snooze, "Escape", false);
    assert!(root.query_selector(".earned-prompt").unwrap().is_none());
    assert_eq!(*log.borrow(), vec![("more_reports".to_owned(), UiAction::Dismiss)]);
    key(&snooze, "Escape", false);
    assert_eq!(log.borrow().len(), 1);
    cleanup(root);
}

#[wasm_bindgen_test]
fn buttons_report_their_action_and_hide_the_prompt() {
    for (class, action) in [
        ("__cta", UiAction::Cta),
        ("__snooze", UiAction::Snooze),
        ("__dismiss", UiAction::Dismiss),
        ("__close", UiAction::Dismiss),
    ] {
        for placement in ["banner", "modal", "toast"] {
            let (root, mut ui, log) = setup();
            assert!(ui.show(&view(placement)).unwrap());
            let b = html(q(&root, &[".earned-prompt", class].concat()));
            b.click();
            b.click();
            assert!(root.query_selector(".earned-prompt").unwrap().is_none(), "{placement}{class} hides");
            assert_eq!(*log.borrow(), vec![("more_reports".to_owned(), action)], "{placement}{class}");
            assert_eq!(ui.shown(), None);
            cleanup(root);
        }
    }
}

#[wasm_bindgen_test]
fn an_action_may_show_the_next_prompt() {
    let d = doc();
    let root = d.create_element("div").unwrap();
    d.body().unwrap().append_child(&root).unwrap();
    let ui: Rc<RefCell<Option<Ui>>> = Rc::default();
    let ui2 = ui.clone();
    *ui.borrow_mut() = Some(Ui::new(
        d,
        Some(root.clone()),
        Box::new(move |_, _| {
            // The host decides again inside the callback; the UI must not be borrowed.
            let mut v = view("toast");
            v.offer = "next".into();
            let mut guard = ui2.borrow_mut();
            guard.as_mut().unwrap().show(&v).unwrap();
        }),
    ));
    ui.borrow_mut().as_mut().unwrap().show(&view("modal")).unwrap();
    let cta = html(q(&root, ".earned-prompt__cta"));
    // The callback borrows the cell; release ours before clicking.
    cta.click();
    assert_eq!(q(&root, ".earned-prompt").get_attribute("data-earned-offer").as_deref(), Some("next"));
    drop(ui.borrow_mut().take());
    assert!(root.query_selector(".earned-prompt").unwrap().is_none(), "dropping the Ui hides its prompt");
    cleanup(root);
}

#[wasm_bindgen_test]
fn markup_in_copy_renders_as_text() {
    for placement in ["banner", "modal", "toast"] {
        let (root, mut ui, _) = setup();
        let mut v = view(placement);
        v.title = XSS.into();
        v.body = XSS.into();
        v.cta = XSS.into();
        v.labels.dismiss = XSS.into();
        v.labels.close = XSS.into();
        v.offer = XSS.into();
        assert!(ui.show(&v).unwrap());
        assert_eq!(root.query_selector_all("img").unwrap().length(), 0, "{placement}: no element from copy");
        let p = q(&root, ".earned-prompt");
        assert_eq!(q(&p, ".earned-prompt__title").text_content().unwrap(), XSS);
        assert_eq!(q(&p, ".earned-prompt__body").text_content().unwrap(), XSS);
        assert_eq!(q(&p, ".earned-prompt__cta").text_content().unwrap(), XSS);
        assert_eq!(q(&p, ".earned-prompt__close").get_attribute("aria-label").as_deref(), Some(XSS));
        no_style_attributes(&root);
        cleanup(root);
    }
}

#[wasm_bindgen_test]
fn a_banner_gives_focus_back_only_when_it_had_it() {
    let (root, mut ui, _) = setup();
    let field = doc().create_element("button").unwrap();
    field.set_text_content(Some("Export"));
    root.append_child(&field).unwrap();
    html(field.clone()).focus().unwrap();

    // Focus never entered the prompt: clicking its button (a mouse user) leaves focus alone.
    assert!(ui.show(&view("banner")).unwrap());
    html(q(&root, ".earned-prompt__cta")).click();
    assert!(active().is_same_node(Some(&field)));

    // Focus moved into the prompt from the field: dismissing gives it back.
    assert!(ui.show(&view("banner")).unwrap());
    let dismiss = q(&root, ".earned-prompt__dismiss");
    html(dismiss.clone()).focus().unwrap();
    html(q(&root, ".earned-prompt__snooze")).focus().unwrap();
    key(&active(), "Escape", false);
    assert!(active().is_same_node(Some(&field)), "focus returns to where it came from");

    // Hiding while focus is elsewhere does not steal it.
    assert!(ui.show(&view("toast")).unwrap());
    let other = doc().create_element("button").unwrap();
    root.append_child(&other).unwrap();
    html(other.clone()).focus().unwrap();
    ui.hide();
    assert!(active().is_same_node(Some(&other)));
    cleanup(root);
}
