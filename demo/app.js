// Helpwise, a made-up help desk, embedding earned the way a customer would: the ES module from
// /js/, the wasm from /pkg/, the playbook as JSON, the default UI in [data-earned-slot] elements.
// Everything on the page is built with textContent (see dom.js); nothing leaves 127.0.0.1.
import { createEngine } from "/dist/earned.js";
import { h, fill, day, isoDay, DAY } from "./dom.js";
import { PRESETS } from "./data.js";
import { renderApp } from "./desk.js";
import { renderInspector, renderDecision, renderLog } from "./inspector.js";

const KEY = "helpwise-demo:v1";

/** The demo's own state (what the host app's server would know), kept across reloads. */
function defaults() {
  return {
    offset: 0, // the demo clock runs this many ms ahead of the real one
    playbook: "support-desk",
    placement: "playbook",
    preset: "northwind",
    facts: {}, // per playbook: { account, user }
    custom: "", // the JSON text of "Your playbook"
    desk: null, // the support desk's own data (tickets, reports, invites ...)
    log: [],
  };
}

function loadState() {
  try {
    const s = JSON.parse(localStorage.getItem(KEY));
    if (s && typeof s === "object") return { ...defaults(), ...s };
  } catch {
    /* a broken demo state starts over */
  }
  return defaults();
}

export const app = {
  state: loadState(),
  engine: null,
  playbook: null,
  decision: null,
  error: "",
  save() {
    try {
      localStorage.setItem(KEY, JSON.stringify(this.state));
    } catch {
      /* private mode: the demo still works for this page */
    }
  },
  now: () => Date.now() + app.state.offset,
  /** Reports an event to earned and shows the decision it leads to. */
  track(event) {
    this.engine.track(event);
    this.refresh();
  },
  /** Decides again: the mounted UI updates itself; the inspector shows the trace. */
  refresh() {
    if (!this.engine) return;
    try {
      this.decision = this.engine.decide();
      this.error = "";
    } catch (e) {
      this.error = `${e.name}: ${e.message}`;
    }
    renderDecision(this);
  },
  log(entry) {
    this.state.log.unshift({ at: this.now(), ...entry });
    this.state.log.length = Math.min(this.state.log.length, 200);
    this.save();
    renderLog(this);
  },
  facts() {
    return currentFacts();
  },
  setAccount(account) {
    const f = currentFacts();
    try {
      this.engine.updateAccount(account);
      f.account = account;
      this.error = "";
    } catch (e) {
      this.error = `${e.name}: ${e.message}`;
    }
    this.save();
    this.refresh();
    renderAll();
  },
  setUser(user) {
    const f = currentFacts();
    try {
      this.engine.updateUser(user);
      f.user = user;
    } catch (e) {
      this.error = `${e.name}: ${e.message}`;
    }
    this.save();
    this.refresh();
  },
  advance(days) {
    this.state.offset += days * DAY;
    this.save();
    this.log({ kind: "clock", text: `Clock moved ${days} day${days === 1 ? "" : "s"} ahead, to ${day(this.now())}` });
    this.refresh();
    renderAll();
  },
  async switchPlaybook(id) {
    // "Your playbook" starts as a copy of the one on screen, to edit.
    if (id === "custom" && !this.state.custom) this.state.custom = JSON.stringify(this.playbook, null, 2);
    this.state.playbook = id;
    this.save();
    await start();
  },
  /** The editor's problems: what the last "Check and load" found (errors and warnings). */
  problems: [],
  /** The editor's text while it is being edited (undefined: the loaded playbook's). */
  draft: undefined,
  /**
   * Checks edited playbook text as `createEngine` would; loads it when it has no error. A
   * playbook with errors leaves the running one in place and its problems on screen.
   */
  async loadCustom(text) {
    try {
      JSON.parse(text);
    } catch (e) {
      this.problems = [{ severity: "error", path: "$", code: "not_json", reason: e.message }];
      return renderAll();
    }
    try {
      const trial = await createEngine({ playbook: text, account: { id: "check" }, user: { id: "check" }, storage: "memory" });
      this.problems = trial.warnings();
      trial.destroy();
    } catch (e) {
      if (e.name !== "EarnedPlaybookError") throw e;
      this.problems = e.problems;
      return renderAll();
    }
    this.state.custom = text;
    this.draft = undefined;
    this.state.playbook = "custom";
    this.state.facts.custom = undefined; // new plans and milestones: fresh facts
    this.save();
    await start();
  },
  async switchPreset(id) {
    // Another company: its own facts (for every playbook) and its own desk data.
    this.state.preset = id;
    this.state.facts = {};
    this.state.desk = null;
    this.save();
    await start();
  },
  async setPlacement(p) {
    this.state.placement = p;
    this.save();
    await start();
  },
  reset() {
    localStorage.clear();
    location.reload();
  },
  /** The user confirmed a purchase in the (simulated) checkout. */
  convert(offerId) {
    const offer = this.playbook.offers.find((o) => o.id === offerId);
    this.engine.outcome(offerId, "converted");
    const account = structuredClone(currentFacts().account);
    if (offer && offer.target && offer.target.plan) account.plan = offer.target.plan;
    if (offer && offer.target && offer.target.add_on) account.add_ons = [...new Set([...(account.add_ons || []), offer.target.add_on])];
    if (offer && offer.motion === "seat" && account.seats) account.seats = { ...account.seats, paid: account.seats.paid + 5 };
    account.last_purchase = isoDay(this.now());
    this.setAccount(account);
  },
};

/** Facts for a preset and a playbook: the host's server would send these. */
function factsFor(playbook, presetId) {
  const preset = PRESETS[presetId] || PRESETS.northwind;
  const plans = [...playbook.plans].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  const a = preset.account;
  return {
    account: {
      id: presetId,
      plan: plans[0].id,
      health: a.health,
      acv: a.acv,
      seats: { ...a.seats },
      renewal_date: isoDay(app.now() + a.renewalInDays * DAY),
      cs_hold: false,
      milestones: preset.activated ? Object.keys(playbook.milestones || {}) : [],
      add_ons: [],
    },
    user: { id: "mara", can_buy: true, role: "admin", locale: "en" },
  };
}

function currentFacts() {
  const id = app.state.playbook;
  if (!app.state.facts[id]) app.state.facts[id] = factsFor(app.playbook, app.state.preset);
  return app.state.facts[id];
}

/** The playbook with every offer moved to one placement, to preview banner / modal / toast. */
function withPlacement(playbook, placement) {
  if (placement === "playbook") return playbook;
  const copy = structuredClone(playbook);
  for (const o of copy.offers) o.placement = placement;
  return copy;
}

const root = {
  app: document.getElementById("app"),
  prompts: document.getElementById("prompt-root"),
  inspector: document.getElementById("inspector"),
};

function renderAll() {
  // Both halves are rebuilt: keep keyboard focus on the control that had it.
  const focused = document.activeElement && document.activeElement.id;
  renderApp(app, root.app);
  renderInspector(app, root.inspector);
  if (focused) document.getElementById(focused)?.focus();
  // A view change may have put the slot for the current prompt on the page.
  if (app.engine) app.refresh();
}

async function start() {
  // For scripts (and the e2e tests): "starting" until the new engine has decided once.
  document.body.dataset.engine = "starting";
  if (app.engine) {
    app.engine.destroy();
    app.engine = null;
  }
  let id = app.state.playbook;
  if (id === "custom") {
    try {
      app.playbook = JSON.parse(app.state.custom);
    } catch {
      id = app.state.playbook = "support-desk"; // a stored edit that is no longer JSON
    }
  }
  if (id !== "custom") {
    const response = await fetch(`/examples/playbooks/${encodeURIComponent(id)}.json`);
    if (!response.ok) throw new Error(`playbook ${id}: HTTP ${response.status}`);
    app.playbook = await response.json();
  }
  const facts = currentFacts();
  app.save();
  app.engine = await createEngine({
    playbook: withPlacement(app.playbook, app.state.placement),
    account: facts.account,
    user: facts.user,
    storage: "local",
    now: app.now,
    onOutcome(o) {
      const r = o.report;
      app.log({
        kind: "outcome",
        offer: o.offer,
        outcome: o.outcome,
        text: r
          ? `${o.offer}: ${o.outcome} (${r.count} of the ${r.atLeast} uses the watch expects, ${day(r.started)} to ${day(r.ended)})`
          : `${o.offer}: ${o.outcome}`,
      });
      // Outcomes from the default UI arrive inside a click: decide again after it.
      setTimeout(() => app.refresh(), 0);
    },
    onRoute(route) {
      const evidence = Object.entries(route.evidence || {}).map(([k, v]) => `${k} ${v}`).join(", ");
      app.log({ kind: "route", offer: route.offer, text: `${route.offer}: routed to ${route.owner}${evidence ? ` (${evidence})` : ""}` });
    },
    onUpgrade(prompt) {
      openCheckout(prompt);
    },
    onError(e) {
      app.log({ kind: "error", text: `${e.name}: ${e.message}` });
    },
  });
  app.engine.mount({ root: root.prompts });
  renderAll();
  document.body.dataset.engine = "ready";
}

// ----- the simulated checkout: a host-owned dialog, where the conversion happens -----

const checkout = document.getElementById("checkout");
function openCheckout(prompt) {
  const offer = app.playbook.offers.find((o) => o.id === prompt.offer);
  const target = offer && offer.target ? offer.target.plan || offer.target.add_on : prompt.offer;
  const names = [...app.playbook.plans, ...(app.playbook.add_ons || [])];
  const name = (names.find((p) => p.id === target) || { name: target }).name;
  fill(checkout.querySelector("#checkout-what"), `${name} for ${PRESETS[app.state.preset]?.name || "this account"}`);
  checkout.dataset.offer = prompt.offer;
  checkout.showModal();
}
checkout.querySelector("#checkout-confirm").addEventListener("click", () => {
  const offer = checkout.dataset.offer;
  checkout.close();
  app.convert(offer);
});
checkout.querySelector("#checkout-cancel").addEventListener("click", () => checkout.close());

// Another tab moved the clock or changed the facts: follow it.
window.addEventListener("storage", (e) => {
  // earned's own state changed in another tab (a prompt shown or dismissed there): the engine
  // merges it by itself; decide again after it did, for the inspector.
  if (e.key && e.key.startsWith("earned:")) return void setTimeout(() => app.refresh(), 0);
  if (e.key !== KEY || !e.newValue) return;
  const next = loadState();
  const playbookChanged = next.playbook !== app.state.playbook || next.placement !== app.state.placement;
  app.state = next;
  if (playbookChanged) return void start();
  try {
    app.engine.updateAccount(currentFacts().account);
  } catch {
    /* the other tab checked them */
  }
  renderAll();
});

window.addEventListener("hashchange", () => renderAll());

start().catch((e) => {
  fill(root.app, h("p", { class: "fatal", role: "alert" }, `The demo could not start: ${e.name}: ${e.message}`));
  console.error(e);
});

