//! The default prompt UI: accessible banner, inline, modal and toast prompts built with DOM calls.
//!
//! Every string reaches the page through `textContent`, never as HTML, and no element gets a
//! `style` attribute: all looks come from class names styled by `js/earned.css`, so the UI works
//! under `style-src 'self'`. Buttons are real `<button type="button">` elements; Escape dismisses;
//! the modal traps Tab and gives focus back to where it was when it closes.
//!
//! Event listeners live in the [`Ui`] and are removed (and their closures freed) when the prompt
//! is hidden, so showing and hiding prompts leaks nothing.

use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::sync::atomic::{AtomicU32, Ordering};

use js_sys::{Array, Function};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, Event, EventTarget, FocusEvent, HtmlElement, KeyboardEvent, Node};

/// What to render. Every string is plain text, already rendered by the core.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromptView {
    /// The offer's id, passed back to the action callback.
    pub offer: String,
    /// Where the prompt goes: `"inline"`, `"banner"`, `"modal"` or `"toast"` (anything else is a banner).
    pub placement: String,
    /// For an inline prompt: the value of the host element's `data-earned-slot` attribute.
    pub slot: Option<String>,
    /// The prompt's title (also the accessible name of its region or dialog).
    pub title: String,
    /// The prompt's body text.
    pub body: String,
    /// The primary button's label.
    pub cta: String,
    /// What the primary button does: `"upgrade"`, `"ask_admin"` or `"talk_to_us"` (exposed as
    /// `data-earned-cta` on the prompt for styling; the host decides what the click does).
    pub cta_kind: String,
    /// Where an upgrade leads, if anywhere. The UI does not navigate: the host does, on [`UiAction::Cta`].
    pub url: Option<String>,
    /// The copy's locale, set as the prompt's `lang` attribute.
    pub locale: String,
    /// Labels of the secondary buttons.
    pub labels: Labels,
}

/// Labels of the secondary buttons, in the copy's locale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Labels {
    /// The dismiss button's text, e.g. "Not now".
    pub dismiss: String,
    /// The snooze button's text, e.g. "Remind me later"; `None` shows no snooze button.
    pub snooze: Option<String>,
    /// The accessible name of the close (×) button, which dismisses.
    pub close: String,
}

/// What the user did with a prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UiAction {
    /// Pressed the primary button.
    Cta,
    /// Pressed "Not now", the close button, or Escape.
    Dismiss,
    /// Pressed "Remind me later".
    Snooze,
}

/// The callback told about user actions: `on_action(offer_id, action)`.
pub type ActionFn = dyn Fn(&str, UiAction);
type OnAction = Rc<ActionFn>;
/// An event listener: one closure hears every event a prompt (or the engine, on the window)
/// listens for.
pub(super) type Listener = Closure<dyn FnMut(Event)>;

/// The prompt's listener, added to the prompt (and, for a modal, the document) while it lives.
struct Bound {
    f: Listener,
    prompt: EventTarget,
    document: EventTarget,
    modal: bool,
}

impl Bound {
    /// Adds the listener for every event the prompt listens for: clicks on its buttons; Escape
    /// inside it, or for a modal anywhere (on the document, in the capture phase, before the
    /// host's own handlers); for a non-modal prompt, focus moving in, to remember where from.
    fn new(f: Listener, prompt: &Element, document: &Document, modal: bool) -> Bound {
        let bound = Bound { f, prompt: prompt.clone().into(), document: document.clone().into(), modal };
        bound.listen(true);
        bound
    }

    /// Adds (or removes) the listener.
    fn listen(&self, add: bool) {
        // (event type, whether on the document in the capture phase rather than on the prompt)
        let events: &[(&str, bool)] = if self.modal {
            &[("click", false), ("keydown", true)]
        } else {
            &[("click", false), ("keydown", false), ("focusin", false)]
        };
        for &(kind, on_document) in events {
            let target = if on_document { &self.document } else { &self.prompt };
            listen(target, kind, &self.f, on_document, add);
        }
    }
}

impl Drop for Bound {
    fn drop(&mut self) {
        // Dropping a closure while it runs (a click that hides the prompt) is safe: the glue frees
        // it once the call returns.
        self.listen(false);
    }
}

/// Where a prompt goes (the `placement` of a [`PromptView`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Placement {
    Inline,
    Banner,
    Modal,
    Toast,
}

/// The prompt on screen.
struct Mounted {
    view: PromptView,
    /// What `hide` removes: the prompt, or the modal's backdrop holding it.
    node: Element,
    /// Where focus goes back to if the prompt had it when it goes: for a modal, what had focus
    /// when it opened; otherwise what had focus before it last moved into the prompt.
    restore: Option<HtmlElement>,
    modal: bool,
    listener: Bound,
}

/// State shared between the [`Ui`] and its listeners (which hold it weakly).
struct Shared {
    document: Document,
    mounted: RefCell<Option<Mounted>>,
}

impl Shared {
    /// Takes the prompt off the page; returns its offer id if one was there.
    fn take_down(&self) -> Option<String> {
        let Mounted { view, node, restore, modal, listener } = self.mounted.borrow_mut().take()?;
        // A non-modal prompt gives focus back only if it has it: hiding must not steal focus.
        let had_focus = modal || self.document.active_element().is_some_and(|a| node.contains(Some(&a)));
        node.remove();
        if let Some(el) = restore.filter(|el| had_focus && el.is_connected()) {
            // No borrow is held here, so a host focus handler may show the next prompt.
            el.unchecked_ref::<Part>().focus();
        }
        drop(listener);
        Some(view.offer)
    }
}

/// The default prompt UI: shows one prompt at a time and reports what the user does with it.
pub struct Ui {
    shared: Rc<Shared>,
    root: Option<Element>,
    on_action: OnAction,
}

/// Distinct ids for `aria-labelledby` / `aria-describedby`, across every `Ui` on the page.
static NEXT_ID: AtomicU32 = AtomicU32::new(0);

/// The buttons, by class name, and what each does.
const BUTTONS: [(&str, UiAction); 4] = [
    ("earned-prompt__cta", UiAction::Cta),
    ("earned-prompt__snooze", UiAction::Snooze),
    ("earned-prompt__dismiss", UiAction::Dismiss),
    ("earned-prompt__close", UiAction::Dismiss),
];

impl Ui {
    /// Creates the UI. `root` is where banner, modal and toast prompts go (`document.body` when
    /// `None`); `on_action(offer_id, action)` is called once for each user action, after the
    /// prompt has been hidden.
    pub fn new(document: Document, root: Option<Element>, on_action: Box<ActionFn>) -> Ui {
        Ui { shared: Rc::new(Shared { document, mounted: RefCell::new(None) }), root, on_action: Rc::from(on_action) }
    }

    /// The offer id of the prompt on screen, if any.
    pub fn shown(&self) -> Option<String> {
        self.shared.mounted.borrow().as_ref().map(|m| m.view.offer.clone())
    }

    /// Whether the prompt on screen is `offer`'s.
    pub fn shows(&self, offer: &str) -> bool {
        self.shared.mounted.borrow().as_ref().is_some_and(|m| m.view.offer == offer)
    }

    /// Renders the prompt, replacing any previous one (the same view, still on the page, is left
    /// as it is). Returns `Ok(false)`, rendering nothing, when an inline prompt's slot
    /// `[data-earned-slot="<slot>"]` is not on the page.
    pub fn show(&mut self, view: &PromptView) -> Result<bool, JsValue> {
        if let Some(m) = self.shared.mounted.borrow().as_ref() {
            if m.view == *view && m.node.is_connected() {
                return Ok(true);
            }
        }
        self.hide();
        let doc = &self.shared.document;
        let (placement, class) = match view.placement.as_str() {
            "inline" => (Placement::Inline, "earned-prompt earned-prompt--inline"),
            "modal" => (Placement::Modal, "earned-prompt earned-prompt--modal"),
            "toast" => (Placement::Toast, "earned-prompt earned-prompt--toast"),
            _ => (Placement::Banner, "earned-prompt earned-prompt--banner"),
        };
        let parent: Element = if placement == Placement::Inline {
            match find_slot(doc, view.slot.as_deref().unwrap_or("")) {
                Some(slot) => slot,
                None => return Ok(false),
            }
        } else {
            match &self.root {
                Some(root) => root.clone(),
                None => doc.body().ok_or_else(|| JsValue::from_str("earned: the document has no body"))?.into(),
            }
        };
        let modal = placement == Placement::Modal;
        let id = |prefix: &str| {
            let mut id = String::from(prefix);
            crate::read::push_uint(&mut id, NEXT_ID.fetch_add(1, Ordering::Relaxed).into(), 0);
            id
        };
        let (title_id, body_id) = if modal { (id("earned-t"), id("earned-b")) } else { Default::default() };

        let prompt = el(doc, if modal { "div" } else { "section" }, class);
        set_attributes(&prompt, &[("data-earned-offer", &view.offer), ("data-earned-cta", &view.cta_kind)]);
        if !view.locale.is_empty() {
            prompt.set_attribute("lang", &view.locale);
        }
        let roles: &[(&str, &str)] = match placement {
            Placement::Modal => &[("role", "dialog"), ("aria-modal", "true"), ("tabindex", "-1")],
            Placement::Toast => &[("role", "status"), ("aria-live", "polite")],
            _ => &[("role", "region"), ("aria-live", "polite")],
        };
        set_attributes(&prompt, roles);
        // A dialog is named and described by its title and body, a region by its title.
        if modal {
            set_attributes(&prompt, &[("aria-labelledby", &title_id), ("aria-describedby", &body_id)]);
        } else if placement != Placement::Toast {
            prompt.set_attribute("aria-label", &view.title);
        }
        let title = child(doc, &prompt, if modal { "h2" } else { "p" }, "earned-prompt__title", Some(&view.title));
        let body = child(doc, &prompt, "p", "earned-prompt__body", Some(&view.body));
        if modal {
            title.set_attribute("id", &title_id);
            body.set_attribute("id", &body_id);
        }
        let actions = child(doc, &prompt, "div", "earned-prompt__actions", None);
        let cta: HtmlElement = button(doc, &actions, "earned-prompt__cta", &view.cta).unchecked_into();
        if let Some(label) = &view.labels.snooze {
            button(doc, &actions, "earned-prompt__snooze", label);
        }
        button(doc, &actions, "earned-prompt__dismiss", &view.labels.dismiss);
        // The close button comes last in the DOM (CSS puts it in the corner), so the tab order
        // reads title, body, the offer, then the ways out.
        let close = button(doc, &prompt, "earned-prompt__close", "\u{d7}");
        close.set_attribute("aria-label", &view.labels.close);

        let on = On {
            shared: Rc::downgrade(&self.shared),
            on_action: self.on_action.clone(),
            prompt: prompt.clone(),
            trap: modal.then(|| (cta.clone(), close.unchecked_into())),
        };
        let f: Listener = Closure::wrap(Box::new(move |e: Event| on.run(e)) as Box<dyn FnMut(Event)>);
        let listener = Bound::new(f, &prompt, doc, modal);
        let node = if modal {
            let backdrop = el(doc, "div", "earned-backdrop");
            backdrop.append(&prompt);
            backdrop
        } else {
            prompt
        };

        let restore = if modal { doc.active_element().and_then(|a| a.dyn_into::<HtmlElement>().ok()) } else { None };
        let parent: &Part = parent.unchecked_ref();
        if placement == Placement::Banner {
            parent.prepend(&node);
        } else {
            parent.append(&node);
        }
        if modal {
            cta.unchecked_ref::<Part>().focus();
        }
        let node = node.into();
        *self.shared.mounted.borrow_mut() = Some(Mounted { view: view.clone(), node, restore, modal, listener });
        Ok(true)
    }

    /// Removes the prompt, if one is shown. After a modal, focus returns to the element that had
    /// it when the modal opened; after another prompt that has focus, to where focus came from.
    pub fn hide(&mut self) {
        self.shared.take_down();
    }
}

/// What the prompt's listener knows.
struct On {
    shared: Weak<Shared>,
    on_action: OnAction,
    prompt: Element,
    /// A modal's first and last buttons, between which Tab wraps.
    trap: Option<(HtmlElement, HtmlElement)>,
}

impl On {
    /// A button click hides the prompt and reports its action; Escape dismisses; in a modal, Tab
    /// stays inside; focus moving into a non-modal prompt is remembered.
    fn run(&self, e: Event) {
        if let Some(e) = e.dyn_ref::<KeyboardEvent>() {
            match (e.key().as_str(), &self.trap) {
                ("Escape" | "Esc", trap) => {
                    if trap.is_some() {
                        e.prevent_default();
                    }
                    e.stop_propagation();
                    self.act(UiAction::Dismiss);
                }
                ("Tab", Some((first, last))) => {
                    if let Some(shared) = self.shared.upgrade() {
                        trap_tab(&shared.document, &self.prompt, first, last, e);
                    }
                }
                _ => {}
            }
        } else if let Some(e) = e.dyn_ref::<FocusEvent>() {
            let Some(from) = e.related_target().and_then(|t| t.dyn_into::<HtmlElement>().ok()) else { return };
            if self.prompt.contains(Some(&from)) {
                return;
            }
            let Some(shared) = self.shared.upgrade() else { return };
            let Ok(mut mounted) = shared.mounted.try_borrow_mut() else { return };
            if let Some(m) = mounted.as_mut() {
                m.restore = Some(from);
            }
        } else {
            // A click: on one of the buttons if the target's class names one.
            let class = e.target().and_then(|t| t.dyn_into::<Element>().ok()).and_then(|t| t.get_attribute("class"));
            if let Some((_, action)) = BUTTONS.iter().find(|(b, _)| Some(*b) == class.as_deref()) {
                self.act(*action);
            }
        }
    }

    /// Hides the prompt, then reports `action` for it (once: a second call, or a call after the
    /// prompt was replaced, finds nothing shown and does nothing).
    fn act(&self, action: UiAction) {
        let Some(shared) = self.shared.upgrade() else { return };
        if let Some(offer) = shared.take_down() {
            (self.on_action)(&offer, action);
        }
    }
}

impl Drop for Ui {
    fn drop(&mut self) {
        self.hide();
    }
}

/// Keeps Tab and Shift+Tab inside the dialog: from the last button to the first and back, and
/// into the dialog when focus has left it (e.g. after a click on the backdrop).
fn trap_tab(doc: &Document, dialog: &Element, first: &HtmlElement, last: &HtmlElement, e: &KeyboardEvent) {
    let active = doc.active_element();
    let active_node = active.as_ref().map(|a| a.as_ref());
    let inside = dialog.contains(active_node) && !dialog.is_same_node(active_node);
    let (edge, to) = if e.shift_key() { (first, last) } else { (last, first) };
    if !inside || edge.is_same_node(active_node) {
        e.prevent_default();
        to.unchecked_ref::<Part>().focus();
    }
}

/// The first element whose `data-earned-slot` equals `slot`. Compared in Rust, not in a CSS
/// selector, so a slot name needs no escaping.
fn find_slot(doc: &Document, slot: &str) -> Option<Element> {
    let found = doc.unchecked_ref::<Doc>().query_selector_all("[data-earned-slot]");
    for i in 0..found.length() {
        // What `querySelectorAll` finds are elements.
        let el: Element = found.get_unchecked(i).unchecked_into();
        if el.get_attribute("data-earned-slot").as_deref() == Some(slot) {
            return Some(el);
        }
    }
    None
}

/// Adds (`add`) or removes `f` as a listener for `kind` events on `target`, in the capture phase
/// if `capture`.
pub(super) fn listen(target: &EventTarget, kind: &str, f: &Listener, capture: bool, add: bool) {
    let (target, f): (&Target, _) = (target.unchecked_ref(), f.as_ref().unchecked_ref());
    if add {
        target.add_event_listener(kind, f, capture);
    } else {
        target.remove_event_listener(kind, f, capture);
    }
}

// The DOM calls of the UI that cannot throw with what it passes them (constant tag names,
// attribute names and selector; elements it has made or found; function listeners). Unlike web-sys's, they are bound
// without `catch`, so neither side of the boundary carries an error path for them.
#[wasm_bindgen]
extern "C" {
    /// The document, as the UI builds prompts with it and looks for slots in it.
    #[wasm_bindgen(extends = Document)]
    type Doc;
    /// `document.createElement`.
    #[wasm_bindgen(method, js_name = createElement)]
    fn create_element(this: &Doc, tag: &str) -> Part;
    /// `document.querySelectorAll`: a `NodeList`, read through js-sys's `Array` bindings
    /// (`length` and `[i]` work on it too), which the boundary imports anyway, not `NodeList`'s.
    #[wasm_bindgen(method, js_name = querySelectorAll)]
    fn query_selector_all(this: &Doc, selector: &str) -> Array;

    /// Where the UI and the engine listen for events: a prompt, the document, the window.
    #[wasm_bindgen(extends = EventTarget)]
    type Target;
    /// `target.addEventListener(type, listener, capture)`.
    #[wasm_bindgen(method, js_name = addEventListener)]
    fn add_event_listener(this: &Target, kind: &str, listener: &Function, capture: bool);
    /// `target.removeEventListener(type, listener, capture)`.
    #[wasm_bindgen(method, js_name = removeEventListener)]
    fn remove_event_listener(this: &Target, kind: &str, listener: &Function, capture: bool);

    /// An element the UI builds, puts a prompt in, or gives focus to.
    #[wasm_bindgen(extends = Element, extends = Node, extends = EventTarget)]
    type Part;
    /// `element.setAttribute(name, value)`.
    #[wasm_bindgen(method, js_name = setAttribute)]
    fn set_attribute(this: &Part, name: &str, value: &str);
    /// `element.append(child)`.
    #[wasm_bindgen(method)]
    fn append(this: &Part, child: &Part);
    /// `element.prepend(child)`.
    #[wasm_bindgen(method)]
    fn prepend(this: &Part, child: &Part);
    /// `element.focus()`.
    #[wasm_bindgen(method)]
    fn focus(this: &Part);
}

fn el(doc: &Document, tag: &str, class: &str) -> Part {
    let e = doc.unchecked_ref::<Doc>().create_element(tag);
    e.set_attribute("class", class);
    e
}

fn set_attributes(e: &Part, attributes: &[(&str, &str)]) {
    for (name, value) in attributes {
        e.set_attribute(name, value);
    }
}

/// A `<tag>` of class `class` holding `text` as text, added to the end of `parent`.
fn child(doc: &Document, parent: &Part, tag: &str, class: &str, text: Option<&str>) -> Part {
    let e = el(doc, tag, class);
    if text.is_some() {
        e.set_text_content(text);
    }
    parent.append(&e);
    e
}

/// A `<button type="button">` of class `class`, added to the end of `parent`.
fn button(doc: &Document, parent: &Part, class: &str, text: &str) -> Part {
    let b = child(doc, parent, "button", class, Some(text));
    b.set_attribute("type", "button");
    b
}
