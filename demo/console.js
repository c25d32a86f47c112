// The event console: for playbooks other than the support desk, one card per offer with buttons
// that fire the events its trigger measures, and the offer's inline slot next to them.
import { h } from "./dom.js";

/** The leaves of a trigger tree: { kind, spec }. */
function leaves(trigger, out = []) {
  if (!trigger || typeof trigger !== "object") return out;
  for (const [kind, spec] of Object.entries(trigger)) {
    if (kind === "all" || kind === "any") for (const t of spec) leaves(t, out);
    else if (kind === "not") leaves(spec, out);
    else out.push({ kind, spec });
  }
  return out;
}

let serial = 0;

/** Buttons for one trigger leaf. */
function controls(app, leaf, offer) {
  const { kind, spec } = leaf;
  const fire = (label, make, n = 1) =>
    h(
      "button",
      {
        type: "button",
        class: "btn small",
        "data-offer": offer.id,
        onclick: () => {
          const events = Array.from({ length: n }, (_, i) => make(i));
          app.engine.trackBatch(events);
          app.log({ kind: "event", text: `${n}× ${events[0].type}${Object.keys(events[0]).length > 1 ? " " + JSON.stringify({ ...events[0], type: undefined }) : ""}` });
          app.refresh();
        },
      },
      label,
    );
  const where = spec.where || {};
  switch (kind) {
    case "count":
    case "since":
      return [
        fire(`${spec.event} ${Object.keys(where).length ? JSON.stringify(where) : ""}`, () => ({ type: spec.event, ...where })),
        fire("×5", () => ({ type: spec.event, ...where }), 5),
      ];
    case "distinct":
      return [fire(`${spec.event} with a new ${spec.of}`, () => ({ type: spec.event, ...where, [spec.of]: `${spec.of}-${++serial}` }))];
    case "concentration":
      return [fire(`10× ${spec.event} on few ${spec.of}s`, (i) => ({ type: spec.event, ...where, [spec.of]: `${spec.of}-${i % 2}` }), 10)];
    case "trend":
      return [fire(`10× ${spec.event} (${spec.direction})`, () => ({ type: spec.event, ...where }), 10)];
    case "usage": {
      const plan = app.playbook.plans.find((p) => p.id === app.facts().account.plan);
      const max = plan && plan.limits ? plan.limits[spec.metric] : undefined;
      if (max === undefined) return [h("span", { class: "muted" }, `usage of ${spec.metric}: no limit on this plan`)];
      const value = Math.ceil(max * spec.at_least);
      return [fire(`usage ${spec.metric} = ${value} of ${max}`, () => ({ type: "usage", metric: spec.metric, value, limit: max }))];
    }
    default:
      return [h("span", { class: "muted" }, `${kind}: ${JSON.stringify(spec)} (account facts: edit them in the inspector)`)];
  }
}

export function renderConsole(app) {
  const p = app.playbook;
  return [
    h("div", { class: "page-head" }, h("h1", {}, `Event console: ${p.id}`)),
    h("p", { class: "muted" }, p.description || ""),
    h(
      "ul",
      { class: "console" },
      p.offers.map((o) =>
        h(
          "li",
          { class: "card" },
          h("h2", {}, o.id, h("span", { class: "muted" }, ` · ${o.motion}`)),
          h("p", {}, o.description || ""),
          h("div", { class: "actions" }, leaves(o.trigger).map((l) => controls(app, l, o))),
          typeof o.placement === "object" && o.placement.inline ? h("div", { class: "slot", "data-earned-slot": o.placement.inline }) : null,
        ),
      ),
    ),
    h(
      "div",
      { class: "actions" },
      Object.keys(p.milestones || {}).map((m) =>
        h(
          "button",
          {
            type: "button",
            class: "btn small",
            onclick: () => {
              app.engine.track({ type: "milestone", milestone: m });
              app.log({ kind: "event", text: `milestone ${m}` });
              app.refresh();
            },
          },
          `milestone ${m}`,
        ),
      ),
      h(
        "button",
        {
          type: "button",
          class: "btn small",
          onclick: () => {
            app.engine.track({ type: "session" });
            app.refresh();
          },
        },
        "session",
      ),
    ),
  ];
}
