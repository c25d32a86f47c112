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

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, Event, EventTarget, FocusEvent, HtmlElement, KeyboardEvent};

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
/// Every listener has this one closure type, so the JS glue exists once.
type Listener = Closure<dyn FnMut(Event)>;

/// An event listener added by the UI, removed from its target when dropped.
struct Bound {
    target: EventTarget,
    kind: &'static str,
    capture: bool,
    f: Listener,
}

impl Drop for Bound {
    fn drop(&mut self) {
        // Dropping a closure while it runs (a click that hides the prompt) is safe: the glue frees
        // it once the call returns.
        let _ = self.target.remove_event_listener_with_callback_and_bool(
            self.kind,
            self.f.as_ref().unchecked_ref(),
            self.capture,
        );
    }
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
    listeners: Vec<Bound>,
}

/// State shared between the [`Ui`] and its listeners (which hold it weakly).
struct Shared {
    document: Document,
    mounted: RefCell<Option<Mounted>>,
}

impl Shared {
    /// Takes the prompt off the page; returns its offer id if one was there.
    fn take_down(&self) -> Option<String> {
        let Mounted { view, node, restore, modal, listeners } = self.mounted.borrow_mut().take()?;
        // A non-modal prompt gives focus back only if it has it: hiding must not steal focus.
        let had_focus = modal || self.document.active_element().is_some_and(|a| node.contains(Some(&a)));
        node.remove();
        if let Some(el) = restore.filter(|el| had_focus && el.is_connected()) {
            // No borrow is held here, so a host focus handler may show the next prompt.
            let _ = el.focus();
        }
        drop(listeners);
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

const P: &str = "earned-prompt";

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
        let placement = match view.placement.as_str() {
            p @ ("inline" | "modal" | "toast") => p,
            _ => "banner",
        };
        let parent: Element = if placement == "inline" {
            match find_slot(doc, view.slot.as_deref().unwrap_or(""))? {
                Some(slot) => slot,
                None => return Ok(false),
            }
        } else {
            match &self.root {
                Some(root) => root.clone(),
                None => doc.body().ok_or_else(|| JsValue::from_str("earned: the document has no body"))?.into(),
            }
        };
        let modal = placement == "modal";
        let n = NEXT_ID.fetch_add(1, Ordering::Relaxed);

        let prompt = el(doc, if modal { "div" } else { "section" }, &[P, " ", P, "--", placement].concat())?;
        prompt.set_attribute("data-earned-offer", &view.offer)?;
        prompt.set_attribute("data-earned-cta", &view.cta_kind)?;
        if !view.locale.is_empty() {
            prompt.set_attribute("lang", &view.locale)?;
        }
        match placement {
            "modal" => {
                let (title_id, body_id) = (
                    ["earned-t", &crate::read::uint_text(n.into())].concat(),
                    ["earned-b", &crate::read::uint_text(n.into())].concat(),
                );
                prompt.set_attribute("role", "dialog")?;
                prompt.set_attribute("aria-modal", "true")?;
                prompt.set_attribute("aria-labelledby", &title_id)?;
                prompt.set_attribute("aria-describedby", &body_id)?;
                prompt.set_attribute("tabindex", "-1")?;
                let title = text_el(doc, "h2", "title", &view.title)?;
                title.set_attribute("id", &title_id)?;
                prompt.append_child(&title)?;
                let body = text_el(doc, "p", "body", &view.body)?;
                body.set_attribute("id", &body_id)?;
                prompt.append_child(&body)?;
            }
            _ => {
                if placement == "toast" {
                    prompt.set_attribute("role", "status")?;
                } else {
                    prompt.set_attribute("role", "region")?;
                    prompt.set_attribute("aria-label", &view.title)?;
                }
                prompt.set_attribute("aria-live", "polite")?;
                let (title, body) = (text_el(doc, "p", "title", &view.title)?, text_el(doc, "p", "body", &view.body)?);
                prompt.append_child(&title)?;
                prompt.append_child(&body)?;
            }
        }
        let actions = el(doc, "div", &[P, "__actions"].concat())?;
        let cta = button(doc, "cta", &view.cta)?;
        let mut buttons = vec![(cta.clone(), UiAction::Cta)];
        if let Some(label) = &view.labels.snooze {
            buttons.push((button(doc, "snooze", label)?, UiAction::Snooze));
        }
        buttons.push((button(doc, "dismiss", &view.labels.dismiss)?, UiAction::Dismiss));
        for (b, _) in &buttons {
            actions.append_child(b)?;
        }
        prompt.append_child(&actions)?;
        // The close button comes last in the DOM (CSS puts it in the corner), so the tab order
        // reads title, body, the offer, then the ways out.
        let close = button(doc, "close", "\u{d7}")?;
        close.set_attribute("aria-label", &view.labels.close)?;
        prompt.append_child(&close)?;
        buttons.push((close, UiAction::Dismiss));

        // Listeners: one click per button, Escape anywhere (modal: on the document) or inside.
        // Every listener is the same closure type, dispatching on what it is for.
        let mut listeners = Vec::with_capacity(buttons.len() + 2);
        for (b, action) in &buttons {
            listeners.push(self.listen(b.as_ref(), "click", false, On::Click(*action))?);
        }
        let node = if modal {
            let backdrop = el(doc, "div", "earned-backdrop")?;
            backdrop.append_child(&prompt)?;
            let focusable: Vec<HtmlElement> = buttons.iter().map(|(b, _)| b.clone()).collect();
            // Capture phase: the dialog sees Escape and Tab before the host's own handlers.
            let on = On::ModalKey(doc.clone(), prompt.clone(), focusable);
            listeners.push(self.listen(doc.as_ref(), "keydown", true, on)?);
            backdrop
        } else {
            listeners.push(self.listen(prompt.as_ref(), "keydown", false, On::Key)?);
            // Remember where focus came from, to give it back when the prompt goes.
            listeners.push(self.listen(prompt.as_ref(), "focusin", false, On::Focus(prompt.clone()))?);
            prompt.clone()
        };

        let restore = if modal { doc.active_element().and_then(|a| a.dyn_into::<HtmlElement>().ok()) } else { None };
        match placement {
            "banner" => {
                parent.prepend_with_node_1(&node)?;
            }
            _ => {
                parent.append_child(&node)?;
            }
        }
        if modal {
            let _ = cta.focus();
        }
        *self.shared.mounted.borrow_mut() = Some(Mounted { view: view.clone(), node, restore, modal, listeners });
        Ok(true)
    }

    /// Removes the prompt, if one is shown. After a modal, focus returns to the element that had
    /// it when the modal opened; after another prompt that has focus, to where focus came from.
    pub fn hide(&mut self) {
        self.shared.take_down();
    }

    /// Adds a listener of `kind` to `target` that does what `on` says.
    fn listen(&self, target: &EventTarget, kind: &'static str, capture: bool, on: On) -> Result<Bound, JsValue> {
        let (shared, on_action) = (Rc::downgrade(&self.shared), self.on_action.clone());
        let f: Listener =
            Closure::wrap(Box::new(move |e: Event| on.run(&shared, &on_action, e)) as Box<dyn FnMut(Event)>);
        target.add_event_listener_with_callback_and_bool(kind, f.as_ref().unchecked_ref(), capture)?;
        Ok(Bound { target: target.clone(), kind, capture, f })
    }
}

/// What a listener of the prompt is for.
enum On {
    /// A button: hide the prompt, then report the action.
    Click(UiAction),
    /// Escape dismisses, Tab stays inside the dialog (document, capture phase).
    ModalKey(Document, Element, Vec<HtmlElement>),
    /// Escape dismisses (on a non-modal prompt).
    Key,
    /// Focus moved into the prompt: remember where from.
    Focus(Element),
}

impl On {
    fn run(&self, shared: &Weak<Shared>, on_action: &OnAction, e: Event) {
        // Hides the prompt, then reports `action` for it (once: a second call, or a call after
        // the prompt was replaced, finds nothing shown and does nothing).
        let act = |action| {
            let Some(shared) = shared.upgrade() else { return };
            if let Some(offer) = shared.take_down() {
                on_action(&offer, action);
            }
        };
        match self {
            On::Click(action) => act(*action),
            On::ModalKey(doc, dialog, focusable) => {
                let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
                match e.key().as_str() {
                    "Escape" | "Esc" => {
                        e.prevent_default();
                        e.stop_propagation();
                        act(UiAction::Dismiss);
                    }
                    "Tab" => trap_tab(doc, dialog, focusable, e),
                    _ => {}
                }
            }
            On::Key => {
                if let Some(e) = e.dyn_ref::<KeyboardEvent>() {
                    if matches!(e.key().as_str(), "Escape" | "Esc") {
                        e.stop_propagation();
                        act(UiAction::Dismiss);
                    }
                }
            }
            On::Focus(inner) => {
                let from = e.dyn_ref::<FocusEvent>().and_then(|f| f.related_target());
                let Some(from) = from.and_then(|t| t.dyn_into::<HtmlElement>().ok()) else { return };
                if inner.contains(Some(&from)) {
                    return;
                }
                let Some(strong) = shared.upgrade() else { return };
                let Ok(mut mounted) = strong.mounted.try_borrow_mut() else { return };
                if let Some(m) = mounted.as_mut() {
                    m.restore = Some(from);
                }
            }
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
fn trap_tab(doc: &Document, dialog: &Element, focusable: &[HtmlElement], e: &KeyboardEvent) {
    let (Some(first), Some(last)) = (focusable.first(), focusable.last()) else { return };
    let active = doc.active_element();
    let active_node = active.as_ref().map(|a| a.as_ref());
    let inside = dialog.contains(active_node) && !dialog.is_same_node(active_node);
    let (edge, to) = if e.shift_key() { (first, last) } else { (last, first) };
    if !inside || edge.is_same_node(active_node) {
        e.prevent_default();
        let _ = to.focus();
    }
}

/// The first element whose `data-earned-slot` equals `slot`. Compared in Rust, not in a CSS
/// selector, so a slot name needs no escaping.
fn find_slot(doc: &Document, slot: &str) -> Result<Option<Element>, JsValue> {
    let list = doc.query_selector_all("[data-earned-slot]")?;
    for i in 0..list.length() {
        if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
            if el.get_attribute("data-earned-slot").as_deref() == Some(slot) {
                return Ok(Some(el));
            }
        }
    }
    Ok(None)
}

fn el(doc: &Document, tag: &str, class: &str) -> Result<Element, JsValue> {
    let e = doc.create_element(tag)?;
    e.set_attribute("class", class)?;
    Ok(e)
}

/// An element of class `earned-prompt__<part>` holding `text` as text.
fn text_el(doc: &Document, tag: &str, part: &str, text: &str) -> Result<Element, JsValue> {
    let e = el(doc, tag, &[P, "__", part].concat())?;
    e.set_text_content(Some(text));
    Ok(e)
}

/// A `<button type="button">` of class `earned-prompt__<part>`.
fn button(doc: &Document, part: &str, text: &str) -> Result<HtmlElement, JsValue> {
    let b = text_el(doc, "button", part, text)?;
    b.set_attribute("type", "button")?;
    Ok(b.unchecked_into())
}
