// The inspector: for people evaluating earned. Account facts to edit, a clock to move, the live
// decision trace, the outcome log, a playbook switcher. Text only, never markup from data.
import { h, fill, day } from "./dom.js";
import { PLAYBOOKS, PRESETS } from "./data.js";

function section(title, id, ...children) {
  return h("section", { class: "panel", "aria-labelledby": `${id}-title`, id }, h("h2", { id: `${id}-title` }, title), ...children);
}

function field(label, input, hint) {
  return h("div", { class: "field" }, h("label", { for: input.id }, label), input, hint ? h("span", { class: "muted" }, hint) : null);
}

export function renderInspector(app, el) {
  const facts = app.facts();
  const a = facts.account;
  const p = app.playbook;
  const update = (change) => {
    const next = structuredClone(a);
    change(next);
    app.setAccount(next);
  };

  const playbook = h(
    "select",
    { id: "ins-playbook", onchange: (e) => app.switchPlaybook(e.target.value) },
    PLAYBOOKS.map(([id, name]) => h("option", { value: id, selected: id === app.state.playbook }, name)),
  );
  const placement = h(
    "select",
    { id: "ins-placement", onchange: (e) => app.setPlacement(e.target.value) },
    [
      ["playbook", "as in the playbook"],
      ["banner", "banner"],
      ["modal", "modal"],
      ["toast", "toast"],
    ].map(([v, t]) => h("option", { value: v, selected: v === app.state.placement }, t)),
  );
  const warnings = app.engine ? app.engine.warnings() : [];

  const preset = h(
    "select",
    { id: "ins-preset", onchange: (e) => app.switchPreset(e.target.value) },
    Object.entries(PRESETS).map(([id, pr]) => h("option", { value: id, selected: id === app.state.preset }, `${pr.name} (${pr.note})`)),
  );
  const plan = h(
    "select",
    { id: "ins-plan", onchange: (e) => update((n) => (n.plan = e.target.value)) },
    p.plans.map((pl) => h("option", { value: pl.id, selected: pl.id === a.plan }, pl.name)),
  );
  const num = (id, value, min, max, set) =>
    h("input", {
      id,
      type: "number",
      min,
      max,
      value: value ?? "",
      onchange: (e) => e.target.value !== "" && update((n) => set(n, Number(e.target.value))),
    });
  const date = (id, value, set) =>
    h("input", { id, type: "date", value: value || "", onchange: (e) => update((n) => set(n, e.target.value || undefined)) });
  const check = (id, label, checked, set) =>
    h("div", { class: "check" }, h("input", { id, type: "checkbox", checked, onchange: (e) => set(e.target.checked) }), h("label", { for: id }, label));

  const milestones = Object.entries(p.milestones || {}).map(([id, m]) =>
    check(`ins-ms-${id}`, id.replaceAll("_", " "), (a.milestones || []).includes(id), (on) =>
      update((n) => {
        const s = new Set(n.milestones || []);
        if (on) s.add(id);
        else s.delete(id);
        n.milestones = [...s];
      }),
    ),
  );
  const addOns = (p.add_ons || []).map((ad) =>
    check(`ins-addon-${ad.id}`, ad.name, (a.add_ons || []).includes(ad.id), (on) =>
      update((n) => {
        const s = new Set(n.add_ons || []);
        if (on) s.add(ad.id);
        else s.delete(ad.id);
        n.add_ons = [...s];
      }),
    ),
  );

  fill(
    el,
    h("h1", { class: "inspector-title" }, "earned inspector"),
    h("p", { class: "muted" }, "What the engine sees and why it decides. Your customers never see this panel."),
    h(
      "ol",
      { class: "tour", "aria-label": "Things to try" },
      h("li", {}, "Reports: save reports past the plan limit. The third hit in 30 days earns an inline upsell that quotes the count."),
      h("li", {}, "Click “Not now”, then reload: it stays quiet for 21 days."),
      h("li", {}, "Tick CS hold or untick a milestone below: the trace says which guardrail vetoes."),
      h("li", {}, "Buy, then jump 31 days: the log tells you whether the upgrade was used."),
    ),
    section(
      "Playbook",
      "ins-pb",
      field("Playbook", playbook),
      app.state.playbook === "custom" ? editor(app) : null,
      field("Preview placement", placement, "moves every offer, to try the other prompt kinds"),
      h("p", { class: "muted", id: "ins-lint" }, warnings.length ? `Linter: ${warnings.length} warning(s): ${warnings.map((w) => `${w.path}: ${w.reason}`).join("; ")}` : "Linter: clean"),
    ),
    section(
      "Clock",
      "ins-clock",
      h("p", {}, "Today in the demo: ", h("strong", { id: "ins-today" }, day(app.now()))),
      h(
        "div",
        { class: "actions" },
        [1, 7, 31].map((n) => h("button", { type: "button", class: "btn small", id: `ins-advance-${n}`, onclick: () => app.advance(n) }, `+${n} day${n > 1 ? "s" : ""}`)),
      ),
    ),
    section("Decision", "ins-decision", h("div", { id: "decision" })),
    section("Outcome log", "ins-log", h("ol", { id: "log", class: "log", reversed: true })),
    section(
      "Account facts (from your server)",
      "ins-facts",
      field("Account", preset),
      field("Plan", plan),
      field("Health score", num("ins-health", a.health, 0, 100, (n, v) => (n.health = v)), "0–100"),
      field("ACV (USD)", num("ins-acv", a.acv, 0, 10_000_000, (n, v) => (n.acv = v))),
      field("Seats paid", num("ins-seats-paid", a.seats?.paid, 0, 100_000, (n, v) => (n.seats = { ...n.seats, paid: v }))),
      field("Seats active", num("ins-seats-active", a.seats?.active, 0, 100_000, (n, v) => (n.seats = { ...n.seats, active: v }))),
      field("Renewal date", date("ins-renewal", a.renewal_date, (n, v) => (n.renewal_date = v))),
      field("Last purchase", date("ins-purchase", a.last_purchase, (n, v) => (v ? (n.last_purchase = v) : delete n.last_purchase))),
      check("ins-cs-hold", "CS hold (success team asked for quiet)", !!a.cs_hold, (on) => update((n) => (n.cs_hold = on))),
      check("ins-can-buy", "This user may buy", facts.user.can_buy !== false, (on) => app.setUser({ ...facts.user, can_buy: on })),
      h("fieldset", {}, h("legend", {}, "Milestones reached"), milestones),
      addOns.length ? h("fieldset", {}, h("legend", {}, "Add-ons owned"), addOns) : null,
    ),
    h("p", {}, h("button", { type: "button", class: "btn small danger", id: "ins-reset", onclick: () => app.reset() }, "Reset the demo")),
  );
  renderDecision(app);
  renderLog(app);
}

/** "Your playbook": its JSON to edit, checked and loaded as createEngine would, problems listed. */
function editor(app) {
  // What is typed survives the inspector's re-renders until it is loaded.
  const text = h("textarea", {
    id: "ins-custom",
    rows: 14,
    spellcheck: "false",
    value: app.draft ?? app.state.custom,
    oninput: (e) => (app.draft = e.target.value),
  });
  const problems = app.problems.map((p) =>
    h("li", { class: p.severity === "error" ? "veto" : "muted" }, `${p.severity} at ${p.path} [${p.code}]: ${p.reason}`),
  );
  return h(
    "div",
    { class: "editor" },
    h("label", { for: "ins-custom" }, "Playbook JSON"),
    text,
    h("button", { type: "button", class: "btn small", id: "ins-custom-load", onclick: () => app.loadCustom(text.value) }, "Check and load"),
    h("ul", { id: "ins-problems", "aria-live": "polite", "aria-label": "Problems found in the playbook" }, problems),
  );
}

export function renderDecision(app) {
  const el = document.getElementById("decision");
  if (!el) return;
  const d = app.decision;
  if (!d) return void fill(el, h("p", { class: "muted" }, "No decision yet."));
  const t = d.trace;
  const summary = d.show
    ? `Shows ${d.prompt.offer} (${d.prompt.placement.kind}${d.prompt.placement.slot ? ` in “${d.prompt.placement.slot}”` : ""}, owner ${d.prompt.owner}).`
    : `Nothing shown${d.reason ? `: ${d.reason.message} [${d.reason.code}]` : "."}`;
  const offers = t.offers.map((o) =>
    h(
      "li",
      { class: `offer verdict-${o.verdict}`, "data-offer": o.offer },
      h("div", { class: "offer-head" }, h("strong", {}, o.offer), h("span", { class: "muted" }, ` ${o.motion}`), h("span", { class: "verdict" }, o.verdict.replaceAll("_", " "))),
      o.measures.map((m) => h("div", { class: m.holds ? "ok" : "muted" }, `${m.holds ? "✓" : "✗"} ${m.what}: ${fmt(m.measured)} of ${fmt(m.threshold)} [${m.source}]`)),
      o.audience === false ? h("div", { class: "veto" }, "audience: outside") : null,
      o.guardrail ? h("div", { class: "veto" }, `guardrail ${o.guardrail.code}${o.guardrail.reason ? `: ${o.guardrail.reason}` : ""}`) : null,
      o.cap ? h("div", { class: "veto" }, `cap ${o.cap.code}${o.cap.reason ? `: ${o.cap.reason}` : ""}`) : null,
    ),
  );
  let explain = "";
  try {
    explain = app.engine.explain();
  } catch (e) {
    explain = `${e.name}: ${e.message}`;
  }
  fill(
    el,
    h("p", { id: "decision-summary", class: d.show ? "ok" : "" }, summary),
    app.error ? h("p", { class: "error", role: "alert" }, app.error) : null,
    h(
      "p",
      { class: "facts-line" },
      `Activation: ${t.activated ? "reached" : `not reached (missing ${t.missingMilestones.join(", ")})`} · Holdout: ${t.holdout ? "yes" : "no"} · Events seen: ${t.eventsSeen}`,
      t.accountVeto ? ` · Account veto: ${t.accountVeto.code}` : "",
    ),
    h("ul", { class: "trace", "aria-label": "Every offer: trigger evidence, guardrail, cap and verdict" }, offers),
    h("details", { open: true }, h("summary", {}, "engine.explain()"), h("pre", { id: "explain", tabindex: "0" }, explain)),
  );
}

function fmt(n) {
  return typeof n === "number" ? String(Math.round(n * 100) / 100) : String(n);
}

export function renderLog(app) {
  const el = document.getElementById("log");
  if (!el) return;
  fill(
    el,
    app.state.log.length
      ? app.state.log.map((e) => h("li", { class: `log-${e.kind}`, "data-outcome": e.outcome || null }, h("span", { class: "muted" }, `${day(e.at)} · `), e.text))
      : h("li", { class: "muted" }, "Nothing yet: shown, dismissed, clicked and converted prompts appear here, and after a purchase the watch's verdict."),
  );
}

