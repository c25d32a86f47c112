// A tiny element builder: every piece of text goes in with textContent, never innerHTML, so
// nothing the engine or a playbook says can become markup.

/**
 * h("button", { class: "btn", onclick: fn, "data-x": 1 }, "Label", child, [more, children])
 * Attributes that start with "on" become listeners; `hidden`, `checked`, `disabled`, `value`,
 * `selected` are set as properties; null/false attributes are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (["hidden", "checked", "disabled", "value", "selected"].includes(name)) el[name] = value;
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** "4 Dec 2026" for a time in milliseconds (UTC, so every tab and test agrees). */
export function day(ms) {
  return new Date(ms).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

/** "2026-12-04" for <input type="date">. */
export function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

export const DAY = 86_400_000;
