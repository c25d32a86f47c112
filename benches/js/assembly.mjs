// The peer assembly: what a frontend team writes around a JS rules engine and a template
// library to do earned's job. Everything here is shared by every peer; only the rule
// evaluation (triggers, audiences, guardrails) goes through each peer's own rule language.
//
// Semantics follow earned's Rust core: src/triggers.rs (measures and strength),
// src/decision.rs (trigger → audience → account veto → offer veto → caps → rank → holdout →
// copy), src/guardrails.rs, src/outcomes.rs, src/offers.rs (owner), src/copy (ICU copy).

import Mustache from "mustache";
import { DAY, HOUR, duration, Signals } from "./counters.mjs";

export const BUILTIN_EVENTS = [
  "limit_hit", "usage", "seat_invited", "workaround", "feature_used",
  "department_active", "integration_requested", "milestone", "support_ticket", "session",
];
const METRIC_EVENTS = new Set(["limit_hit", "usage"]);

// ---------------------------------------------------------------- hashing (GrowthBook's)

/** FNV-1a 32 over UTF-16 code units, as GrowthBook's SDK. */
export function fnv1a32(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
/** GrowthBook hash v2: fnv(String(fnv(seed + value))) % 10000 / 10000. */
export const hashV2 = (seed, value) => (fnv1a32(String(fnv1a32(seed + value))) % 10000) / 10000;

// ---------------------------------------------------------------- rule IR
// Comparisons on a flat facts object, combined with and / or / not; translated into each
// peer's rule language at load. `arr` tests an array attribute against a list of values.
const cmp = (fact, op, value) => ({ cmp: op, fact, value });
const and = (...parts) => ({ and: parts });
const or = (...parts) => ({ or: parts });
const not = (part) => ({ not: part });

/** A GrowthBook/Mongo audience condition → IR (the subset playbooks use). */
export function mongoToIR(cond, arrays) {
  const parts = [];
  for (const [k, v] of Object.entries(cond)) {
    if (k === "$and") parts.push(and(...v.map((c) => mongoToIR(c, arrays))));
    else if (k === "$or") parts.push(or(...v.map((c) => mongoToIR(c, arrays))));
    else if (k === "$nor") parts.push(not(or(...v.map((c) => mongoToIR(c, arrays)))));
    else if (k === "$not") parts.push(not(mongoToIR(v, arrays)));
    else if (v === null || typeof v !== "object" || Array.isArray(v)) parts.push(cmp(k, "==", v));
    else {
      for (const [op, x] of Object.entries(v)) {
        const isArr = arrays.has(k);
        switch (op) {
          case "$eq": parts.push(cmp(k, "==", x)); break;
          case "$ne": parts.push(cmp(k, "!=", x)); break;
          case "$gt": parts.push(cmp(k, ">", x)); break;
          case "$gte": parts.push(cmp(k, ">=", x)); break;
          case "$lt": parts.push(cmp(k, "<", x)); break;
          case "$lte": parts.push(cmp(k, "<=", x)); break;
          case "$in": parts.push(isArr ? { arr: "any", fact: k, values: x } : { in: x, fact: k }); break;
          case "$nin": parts.push(isArr ? { arr: "none", fact: k, values: x } : not({ in: x, fact: k })); break;
          case "$exists": parts.push(x ? cmp(k, "!=", null) : cmp(k, "==", null)); break;
          default: throw new Error(`audience operator ${op} is not translated`);
        }
      }
    }
  }
  return parts.length === 1 ? parts[0] : and(...parts);
}

// ---------------------------------------------------------------- compile the playbook

/** Reads the playbook once: counters, leaves (measured tests), rules as IR, copy as mustache. */
export function compile(playbook) {
  const catalog = [...BUILTIN_EVENTS, ...Object.keys(playbook.events ?? {})];
  const metrics = playbook.metrics ?? [];
  const counters = [];
  const leaves = [];

  const counter = (t) => {
    const filters = Object.entries(t.where ?? {});
    const distinctOf = t.of ?? null;
    let i = counters.findIndex(
      (c) => c.type === t.event && c.distinctOf === distinctOf && JSON.stringify(c.filters) === JSON.stringify(filters),
    );
    if (i < 0) {
      counters.push({ type: t.event, filters, distinctOf, width: DAY, slots: 1 });
      i = counters.length - 1;
    }
    return i;
  };
  const cover = (i, window) => {
    const c = counters[i];
    if (window % DAY !== 0 && c.width === DAY) {
      c.slots *= 24;
      c.width = HOUR;
    }
    c.slots = Math.max(c.slots, Math.trunc((2 * window) / c.width) + 1);
    return window;
  };

  /** A trigger → a tree of { all | any | not | leaf }. */
  const read = (t) => {
    const [[kind, b]] = Object.entries(t);
    if (kind === "all" || kind === "any") return { [kind]: b.map(read) };
    if (kind === "not") return { not: read(b) };
    const leaf = { kind, i: leaves.length };
    switch (kind) {
      case "count":
        leaf.counter = counter(b);
        leaf.atLeast = b.at_least;
        leaf.within = cover(leaf.counter, duration(b.within));
        leaf.metric = METRIC_EVENTS.has(b.event) && b.where && "metric" in b.where ? metrics.indexOf(b.where.metric) : -1;
        break;
      case "usage":
        leaf.metric = metrics.indexOf(b.metric);
        leaf.atLeast = b.at_least;
        break;
      case "distinct":
        leaf.counter = counter(b);
        leaf.atLeast = b.at_least;
        leaf.within = cover(leaf.counter, duration(b.within));
        break;
      case "concentration":
        leaf.counter = counter(b);
        leaf.top = b.top ?? 5;
        leaf.share = b.share_at_least;
        leaf.minCount = b.min_count ?? 10;
        leaf.within = cover(leaf.counter, duration(b.within));
        break;
      case "trend":
        leaf.counter = counter(b);
        leaf.within = cover(leaf.counter, duration(b.within));
        leaf.rising = b.direction === "rising";
        leaf.by = b.by_at_least ?? 0.25;
        leaf.minCount = b.min_count ?? 5;
        break;
      case "since":
        leaf.counter = counter(b);
        leaf.atMost = b.at_most ? duration(b.at_most) : null;
        leaf.atLeast = b.at_least ? duration(b.at_least) : null;
        break;
      case "seats":
        leaf.atLeast = b.used_at_least;
        break;
      case "health":
        leaf.atLeast = b.at_least;
        break;
      case "renewal":
        leaf.within = duration(b.within);
        break;
      default:
        throw new Error(`trigger kind ${kind}`);
    }
    leaves.push(leaf);
    return { leaf: leaf.i };
  };

  // Guardrails (defaults as src/guardrails.rs).
  const g = playbook.guardrails ?? {};
  const guard = {
    usageFalling: null,
    championQuiet: g.champion_quiet === undefined ? 21 * DAY : duration(g.champion_quiet),
    basicAtMost: g.basic_tickets_at_most ?? 0,
    health: g.health_at_least ?? 40,
    discountHealth: g.discount_health_at_least ?? 70,
    quietAfterPurchase: g.quiet_after_purchase === undefined ? 14 * DAY : duration(g.quiet_after_purchase),
    idleSeats: g.idle_seats_at_most ?? 0.25,
    cannotBuy: g.cannot_buy ?? "ask_admin",
  };
  if (g.usage_falling) {
    const u = g.usage_falling;
    const c = counter({ event: u.event });
    guard.usageFalling = { counter: c, within: cover(c, duration(u.within)), drop: u.drop ?? 0.3, minCount: u.min_count ?? 5 };
  }

  const c = playbook.caps ?? {};
  const caps = {
    perOffer: c.per_offer?.shows ?? 3,
    perOfferWithin: c.per_offer ? duration(c.per_offer.within) : 30 * DAY,
    perDay: c.per_day ?? 1,
    perWeek: c.per_week ?? 3,
    dismissCooldown: c.dismiss_cooldown ? duration(c.dismiss_cooldown) : 14 * DAY,
    snooze: c.snooze ? duration(c.snooze) : 3 * DAY,
    oneAtATime: c.one_at_a_time ?? true,
    activeFor: HOUR,
  };

  const plans = playbook.plans ?? [];
  const addOns = playbook.add_ons ?? [];
  const arrays = new Set(["milestones", "add_ons"]);
  const offers = playbook.offers.map((o) => {
    const trigger = read(o.trigger);
    const target = o.target.plan !== undefined
      ? plans.find((p) => p.id === o.target.plan)
      : addOns.find((a) => a.id === o.target.add_on);
    const removesLimit = o.removes?.limit !== undefined && o.target.plan !== undefined ? o.removes.limit : null;
    return {
      id: o.id,
      motion: o.motion,
      trigger,
      audience: o.audience ?? null,
      audienceIR: o.audience ? mongoToIR(o.audience, arrays) : null,
      discount: o.discount ?? null,
      owner: o.owner ?? null,
      targetName: target?.name ?? "",
      targetPrice: target?.price,
      nextLimit: removesLimit !== null ? target?.limits?.[removesLimit] : undefined,
      copy: compileCopy(o.copy),
    };
  });

  const countersByType = new Map();
  counters.forEach((c, i) => {
    if (!countersByType.has(c.type)) countersByType.set(c.type, []);
    countersByType.get(c.type).push(i);
  });

  const compiled = {
    id: playbook.id,
    catalog,
    metrics,
    counters,
    countersByType,
    leaves,
    guard,
    caps,
    plans,
    offers,
    locales: playbook.locales ?? ["en"],
    milestoneIds: Object.keys(playbook.milestones ?? {}),
    activation: playbook.activation?.all ? { all: true, ids: playbook.activation.all } : { all: false, ids: playbook.activation?.any ?? [] },
    ownership: playbook.ownership ?? [],
    holdout: playbook.holdout ?? { percent: 0, salt: "" },
  };
  compiled.rules = buildRules(compiled);
  return compiled;
}

// ---------------------------------------------------------------- rules as IR

/** Each leaf's test, each offer's trigger, the account and offer guardrails, in IR. */
function buildRules(c) {
  const f = (i, s = "") => `l${i}${s}`;
  const leafRule = (l) => {
    switch (l.kind) {
      case "count":
      case "distinct":
        return cmp(f(l.i), ">=", l.atLeast);
      case "usage":
      case "seats":
      case "health":
        return and(cmp(f(l.i, "_ok"), "==", true), cmp(f(l.i), ">=", l.atLeast));
      case "concentration":
        return and(cmp(f(l.i, "_n"), ">=", l.minCount), cmp(f(l.i), ">=", l.share));
      case "trend":
        return and(cmp(f(l.i, "_n"), ">=", l.minCount), cmp(f(l.i), ">=", l.by));
      case "since":
        return l.atMost !== null
          ? and(cmp(f(l.i, "_ok"), "==", true), cmp(f(l.i), "<=", l.atMost))
          : or(cmp(f(l.i, "_ok"), "==", false), cmp(f(l.i), ">=", l.atLeast));
      case "renewal":
        return and(cmp(f(l.i, "_ok"), "==", true), cmp(f(l.i), ">=", 0), cmp(f(l.i), "<=", l.within));
    }
    throw new Error(l.kind);
  };
  const tree = (t) =>
    t.all ? and(...t.all.map(tree)) : t.any ? or(...t.any.map(tree)) : t.not ? not(tree(t.not)) : leafRule(c.leaves[t.leaf]);

  const g = c.guard;
  const account = [
    ["activation_not_reached", cmp("g_missing", ">", 0)],
    ["cs_hold", cmp("g_cs_hold", "==", true)],
    ["recent_purchase", and(cmp("g_purchase_ok", "==", true), cmp("g_since_purchase", "<", g.quietAfterPurchase))],
    ["low_health", and(cmp("g_health_ok", "==", true), cmp("g_health", "<", g.health))],
  ];
  if (g.championQuiet !== null) {
    account.push(["champion_quiet", and(cmp("g_champion_ok", "==", true), cmp("g_champion_age", ">", g.championQuiet))]);
  }
  account.push(["basic_tickets", cmp("g_open_basic", ">", g.basicAtMost)]);
  if (g.usageFalling) {
    account.push(["usage_falling", and(cmp("g_act_before", ">=", g.usageFalling.minCount), cmp("g_act_excess", "<=", 0))]);
  }
  const offerVetoes = c.offers.map((o) => {
    const v = [];
    if (o.motion === "seat" || o.motion === "role_expansion") {
      v.push(["idle_seats", and(cmp("g_seats_ok", "==", true), cmp("g_idle_share", ">", g.idleSeats))]);
    }
    if (o.discount) v.push(["discount_unhealthy", or(cmp("g_health_ok", "==", false), cmp("g_health", "<", g.discountHealth))]);
    // A user who may not buy: vetoed when the playbook shows such users nothing, or when the
    // copy in the user's locale has no `ask_admin` call to action.
    v.push([
      "cannot_buy",
      g.cannotBuy === "nothing"
        ? cmp("u_can_buy", "==", false)
        : and(cmp("u_can_buy", "==", false), cmp(`o${c.offers.indexOf(o)}_ask_admin`, "==", false)),
    ]);
    return v;
  });
  return {
    triggers: c.offers.map((o) => tree(o.trigger)),
    audiences: c.offers.map((o) => o.audienceIR),
    account,
    offerVetoes,
  };
}

// ---------------------------------------------------------------- facts per decision

/** Account and user facts, normalized once per update. */
export function readFacts(c, account, user) {
  const time = (v) => (v === undefined || v === null ? null : typeof v === "number" ? v : Date.parse(v));
  const a = {
    id: account.id ?? "",
    plan: account.plan ?? null,
    acv: account.acv ?? null,
    seatsPaid: account.seats?.paid ?? null,
    seatsActive: account.seats?.active ?? null,
    health: account.health ?? null,
    renewal: time(account.renewal_date),
    lastPurchase: time(account.last_purchase),
    championLastActive: time(account.champion_last_active),
    tickets: (account.tickets ?? []).map((t) => ({ topic: t.topic, open: t.open ?? 1, basic: t.basic ?? false })),
    csHold: account.cs_hold ?? false,
    milestones: account.milestones ?? [],
    addOns: account.add_ons ?? [],
  };
  const u = { id: user.id ?? "", canBuy: user.can_buy ?? true, locale: user.locale ?? "", role: user.role ?? null };
  const attributes = {
    id: a.id, plan: a.plan, acv: a.acv, seats_paid: a.seatsPaid, seats_active: a.seatsActive, health: a.health,
    cs_hold: a.csHold, milestones: a.milestones, add_ons: a.addOns, user_id: u.id, can_buy: u.canBuy,
    locale: u.locale, role: u.role,
  };
  for (const extra of [account.attributes ?? {}, user.attributes ?? {}]) {
    for (const [k, v] of Object.entries(extra)) if (!(k in attributes)) attributes[k] = v;
  }
  const planIndex = c.plans.findIndex((p) => p.id === a.plan);
  const limits = c.metrics.map((m) => (planIndex >= 0 ? c.plans[planIndex].limits?.[m] ?? null : null));
  const h = c.holdout;
  const holdout = h.percent > 0 && a.id !== "" && hashV2(h.salt, a.id) < h.percent / 100;
  const chain = localeChain(u.locale, c.locales);
  // Whether each offer's copy in the user's locale (the first of the chain it has) can ask an admin.
  const askAdmin = c.offers.map((o) => {
    const l = chain.find((x) => o.copy[x]);
    return l !== undefined && o.copy[l].ask_admin !== undefined;
  });
  return { a, u, attributes, planName: planIndex >= 0 ? c.plans[planIndex].name : "", limits, holdout, chain, askAdmin };
}

function localeChain(requested, locales) {
  const chain = [];
  requested = requested.replaceAll("_", "-");
  if (requested) {
    chain.push(requested);
    const parts = requested.split("-");
    while (parts.length > 1) {
      parts.pop();
      chain.push(parts.join("-"));
    }
  }
  for (const l of locales) if (!chain.some((x) => x.toLowerCase() === l.toLowerCase())) chain.push(l);
  return chain;
}

/** One leaf's measurement: `{ measured, threshold, holds, inverse }` plus the facts it exposes. */
function measureLeaf(c, s, F, l, now, out) {
  const ctr = l.counter !== undefined ? s.counters[l.counter] : null;
  switch (l.kind) {
    case "count": {
      const n = ctr.buckets.within(now, l.within);
      out[`l${l.i}`] = n;
      return [n, l.atLeast, n >= l.atLeast, false];
    }
    case "usage": {
      const r = s.usage[l.metric];
      const limit = r && r.limit !== null ? r.limit : F.limits[l.metric];
      const share = r && limit !== null && limit > 0 ? r.value / limit : 0;
      out[`l${l.i}`] = share;
      // earned: holds when share ≥ at_least and a limit is known (a reading or the plan's).
      out[`l${l.i}_ok`] = limit !== null && limit !== undefined;
      return [share, l.atLeast, share >= l.atLeast && out[`l${l.i}_ok`], false];
    }
    case "distinct": {
      let n = 0;
      for (const x of ctr.countsWithin(now, l.within)) if (x > 0) n++;
      out[`l${l.i}`] = n;
      return [n, l.atLeast, n >= l.atLeast, false];
    }
    case "concentration": {
      const counts = ctr.countsWithin(now, l.within).sort((x, y) => y - x);
      const total = ctr.buckets.within(now, l.within);
      let top = 0;
      for (let k = 0; k < Math.min(l.top, counts.length); k++) top += counts[k];
      const share = total > 0 ? top / total : 0;
      out[`l${l.i}`] = share;
      out[`l${l.i}_n`] = total;
      return [share, l.share, total >= l.minCount && share >= l.share, false];
    }
    case "trend": {
      const nowN = ctr.buckets.within(now, l.within);
      const before = ctr.buckets.previous(now, l.within);
      const change = before > 0 ? (nowN - before) / before : nowN > 0 ? 1 : 0;
      const measured = l.rising ? change : -change;
      out[`l${l.i}`] = measured;
      out[`l${l.i}_n`] = Math.max(nowN, before);
      return [measured, l.by, Math.max(nowN, before) >= l.minCount && measured >= l.by, false];
    }
    case "since": {
      const age = ctr.last === null ? null : Math.max(0, now - ctr.last);
      out[`l${l.i}`] = age ?? -1;
      out[`l${l.i}_ok`] = age !== null;
      const holds = l.atMost !== null ? age !== null && age <= l.atMost : age === null || age >= l.atLeast;
      return [age === null ? Infinity : age / DAY, (l.atMost ?? l.atLeast) / DAY, holds, l.atMost !== null];
    }
    case "seats": {
      const { seatsPaid: p, seatsActive: a } = F.a;
      const share = p !== null && a !== null && p > 0 ? a / p : 0;
      out[`l${l.i}`] = share;
      out[`l${l.i}_ok`] = p !== null;
      return [share, l.atLeast, share >= l.atLeast && p !== null, false];
    }
    case "health": {
      const h = F.a.health;
      out[`l${l.i}`] = h ?? 0;
      out[`l${l.i}_ok`] = h !== null;
      return [h ?? 0, l.atLeast, h !== null && h >= l.atLeast, false];
    }
    case "renewal": {
      const left = F.a.renewal === null ? null : F.a.renewal - now;
      out[`l${l.i}`] = left ?? 0;
      out[`l${l.i}_ok`] = left !== null;
      return [left === null ? Infinity : left / DAY, l.within / DAY, left !== null && left >= 0 && left <= l.within, false];
    }
  }
}

/** measured / threshold capped at 1000, or its inverse for "at most" (src/triggers.rs `ratio`). */
function ratio(measured, threshold, inverse) {
  let r;
  if (!inverse && threshold > 0) r = measured / threshold;
  else if (inverse && measured > 0) r = threshold / measured;
  else r = 1;
  return Number.isFinite(r) ? Math.min(r, 1000) : 1000;
}

/** The facts object rule languages read, plus each leaf's [measured, threshold, holds, inverse]. */
export function buildFacts(c, s, F, history, now) {
  const out = {};
  const m = new Array(c.leaves.length);
  for (const l of c.leaves) m[l.i] = measureLeaf(c, s, F, l, now, out);
  const a = F.a;
  // Account guardrail facts.
  const reached = (id) => s.milestones.has(id) || a.milestones.includes(id);
  const missing = c.activation.ids.filter((id) => !reached(id));
  const activated = c.activation.all ? missing.length === 0 : missing.length < c.activation.ids.length;
  out.g_missing = activated ? 0 : missing.length;
  out.g_cs_hold = a.csHold;
  const lp = a.lastPurchase !== null && history.lastConversion !== null
    ? Math.max(a.lastPurchase, history.lastConversion)
    : a.lastPurchase ?? history.lastConversion;
  out.g_purchase_ok = lp !== null;
  out.g_since_purchase = lp === null ? 0 : now - lp;
  out.g_health_ok = a.health !== null;
  out.g_health = a.health ?? 0;
  out.g_champion_ok = a.championLastActive !== null;
  out.g_champion_age = a.championLastActive === null ? 0 : now - a.championLastActive;
  let basic = 0;
  for (const t of a.tickets) if (t.basic) basic += t.open;
  out.g_open_basic = basic;
  const uf = c.guard.usageFalling;
  if (uf) {
    const ctr = s.counters[uf.counter];
    const n = ctr.buckets.within(now, uf.within);
    const before = ctr.buckets.previous(now, uf.within);
    out.g_act_before = before;
    out.g_act_excess = n - before * (1 - uf.drop);
  }
  out.g_seats_ok = a.seatsPaid !== null && a.seatsActive !== null && a.seatsPaid > 0;
  out.g_idle_share = out.g_seats_ok ? Math.max(0, a.seatsPaid - a.seatsActive) / a.seatsPaid : 0;
  out.u_can_buy = F.u.canBuy;
  for (let i = 0; i < F.askAdmin.length; i++) out[`o${i}_ask_admin`] = F.askAdmin[i];
  return { facts: out, measures: m, missing };
}

/** Strength of a fired trigger: leaf ratio, `all` = min, `any` = the best firing part. */
function strength(c, t, m) {
  if (t.leaf !== undefined) {
    const [measured, threshold, holds, inverse] = m[t.leaf];
    return [holds, ratio(measured, threshold, inverse)];
  }
  if (t.all) {
    let all = true;
    let s = Infinity;
    for (const p of t.all) {
      const [h, x] = strength(c, p, m);
      all &&= h;
      s = Math.min(s, x);
    }
    return [all, Number.isFinite(s) ? s : 1];
  }
  if (t.any) {
    let best = null;
    let s = 0;
    for (const p of t.any) {
      const [h, x] = strength(c, p, m);
      s = Math.max(s, x);
      if (h && (best === null || x > best)) best = x;
    }
    return best === null ? [false, s] : [true, best];
  }
  const [h] = strength(c, t.not, m);
  return [!h, 1];
}

// ---------------------------------------------------------------- caps (src/outcomes.rs)

export class History {
  constructor(c) {
    this.c = c;
    this.offers = c.offers.map(() => ({ shows: [], cooldownUntil: null, snoozedUntil: null, convertedAt: null }));
    this.shows = [];
    this.active = null;
    this.lastConversion = null;
  }
  activeAt(now) {
    return this.active && now - this.active.since < this.c.caps.activeFor ? this.active : null;
  }
  cap(i, now) {
    const caps = this.c.caps;
    const h = this.offers[i];
    const active = this.activeAt(now);
    if (active && active.offer === i) return null;
    if (h.convertedAt !== null) return "converted";
    if (h.cooldownUntil !== null && now < h.cooldownUntil) return "cooldown";
    if (h.snoozedUntil !== null && now < h.snoozedUntil) return "snoozed";
    if (caps.oneAtATime && active) return "another_prompt_showing";
    let n = 0;
    for (const t of h.shows) if (now - t < caps.perOfferWithin) n++;
    if (n >= caps.perOffer) return "offer_cap";
    n = 0;
    for (const t of this.shows) if (now - t < DAY) n++;
    if (n >= caps.perDay) return "daily_cap";
    n = 0;
    for (const t of this.shows) if (now - t < 7 * DAY) n++;
    if (n >= caps.perWeek) return "weekly_cap";
    return null;
  }
  record(i, kind, now) {
    const caps = this.c.caps;
    const h = this.offers[i];
    if (kind === "shown") {
      if (this.active && this.active.offer === i && now - this.active.since < caps.activeFor) return;
      h.shows.push(now);
      if (h.shows.length > caps.perOffer + 1) h.shows.splice(0, h.shows.length - caps.perOffer - 1);
      this.shows.push(now);
      const keep = Math.max(caps.perWeek, caps.perDay) + 1;
      if (this.shows.length > keep) this.shows.splice(0, this.shows.length - keep);
      this.active = { offer: i, since: now };
      return;
    }
    if (kind === "dismissed") h.cooldownUntil = now + caps.dismissCooldown;
    else if (kind === "snoozed") h.snoozedUntil = now + caps.snooze;
    else if (kind === "converted") {
      h.convertedAt = now;
      this.lastConversion = this.lastConversion === null ? now : Math.max(this.lastConversion, now);
    }
    if (this.active && this.active.offer === i) this.active = null;
  }
}

// ---------------------------------------------------------------- evidence and copy

/** The evidence of a firing trigger, as src/triggers.rs gathers it for the picked offer. */
function evidence(c, s, F, t, m, now) {
  const days = (ms) => Math.round(ms / DAY);
  const merge = (into, from) => {
    for (const [k, v] of from) if (!into.some(([name]) => name === k)) into.push([k, v]);
  };
  const leafEvidence = (l) => {
    const [measured, , holds] = m[l.i];
    if (!holds) return [];
    const ctr = l.counter !== undefined ? s.counters[l.counter] : null;
    switch (l.kind) {
      case "count": {
        const ev = [["count", measured], ["days", days(l.within)]];
        if (l.metric >= 0) {
          ev.push(["metric", c.metrics[l.metric]]);
          if (F.limits[l.metric] !== null && F.limits[l.metric] !== undefined) ev.push(["limit", F.limits[l.metric]]);
        }
        return ev;
      }
      case "usage": {
        const r = s.usage[l.metric];
        const limit = r && r.limit !== null ? r.limit : F.limits[l.metric];
        const ev = [["metric", c.metrics[l.metric]], ["value", r ? r.value : 0], ["percent", Math.round(measured * 100)]];
        if (limit !== null && limit !== undefined) ev.push(["limit", limit]);
        return ev;
      }
      case "distinct": {
        const seen = ctr.distinctWithin(now, l.within);
        return [["distinct", measured], ["values", seen.map((x) => x[0]).join(", ")], ["days", days(l.within)]];
      }
      case "concentration": {
        const seen = ctr.distinctWithin(now, l.within);
        return [
          ["share", Math.round(measured * 100)],
          ["top", Math.min(l.top, seen.length)],
          ["values", seen.slice(0, l.top).map((x) => x[0]).join(", ")],
          ["count", ctr.buckets.within(now, l.within)],
          ["days", days(l.within)],
        ];
      }
      case "trend": {
        const n = ctr.buckets.within(now, l.within);
        const before = ctr.buckets.previous(now, l.within);
        const change = before > 0 ? (n - before) / before : n > 0 ? 1 : 0;
        return [["count", n], ["previous", before], ["change", Math.round(change * 100)], ["days", days(l.within)]];
      }
      case "since":
        return [["days_since", days(ctr.last === null ? 0 : Math.max(0, now - ctr.last))]];
      case "seats":
        return [["seats_paid", F.a.seatsPaid ?? 0], ["seats_active", F.a.seatsActive ?? 0]];
      case "health":
        return [["health", F.a.health ?? 0]];
      case "renewal":
        return [["renewal_days", days(Math.max(0, (F.a.renewal ?? now) - now))]];
    }
  };
  const walk = (t, out) => {
    if (t.leaf !== undefined) return merge(out, leafEvidence(c.leaves[t.leaf]));
    if (t.all) return t.all.forEach((p) => walk(p, out));
    if (t.any) {
      let best = null;
      for (const p of t.any) {
        const [h, x] = strength(c, p, m);
        if (h && (best === null || x > best[0])) {
          const ev = [];
          walk(p, ev);
          best = [x, ev];
        }
      }
      if (best) merge(out, best[1]);
    }
  };
  const out = [];
  walk(t, out);
  return out;
}

const formatters = new Map();
function fmt(locale) {
  let f = formatters.get(locale);
  if (!f) {
    let number, plural;
    try {
      number = new Intl.NumberFormat(locale);
      plural = new Intl.PluralRules(locale);
    } catch {
      number = new Intl.NumberFormat("en");
      plural = new Intl.PluralRules("en");
    }
    f = { number, plural, percent: new Intl.NumberFormat(locale, { style: "percent" }) };
    formatters.set(locale, f);
  }
  return f;
}

/**
 * ICU MessageFormat → a mustache template plus the steps that build its view. Mustache has no
 * plural or select, so each branch becomes a section whose flag the view sets.
 */
export function icuToMustache(src) {
  let pos = 0;
  const steps = []; // view builders
  let key = 0;
  const parse = (inPlural, pound) => {
    let out = "";
    while (pos < src.length) {
      const ch = src[pos];
      if (ch === "}") return out;
      if (ch === "'") {
        if (src[pos + 1] === "'") {
          out += "'";
          pos += 2;
          continue;
        }
        const next = src[pos + 1];
        if (next === "{" || next === "}" || (inPlural && next === "#")) {
          const end = src.indexOf("'", pos + 1);
          out += src.slice(pos + 1, end < 0 ? src.length : end);
          pos = end < 0 ? src.length : end + 1;
          continue;
        }
        out += "'";
        pos++;
        continue;
      }
      if (ch === "#" && inPlural) {
        out += `{{{${pound}}}}`;
        pos++;
        continue;
      }
      if (ch === "{") {
        pos++;
        out += argument(inPlural, pound);
        continue;
      }
      out += ch;
      pos++;
    }
    return out;
  };
  const word = () => {
    while (/\s/.test(src[pos])) pos++;
    const m = /^[^\s,{}]+/.exec(src.slice(pos));
    pos += m ? m[0].length : 0;
    while (/\s/.test(src[pos])) pos++;
    return m ? m[0] : "";
  };
  const argument = (inPlural, pound) => {
    const name = word();
    if (src[pos] === "}") {
      pos++;
      const k = `s${key++}`;
      steps.push({ kind: "simple", name, k });
      return `{{{${k}}}}`;
    }
    pos++; // ','
    const type = word();
    if (type === "number") {
      let style = "plain";
      if (src[pos] === ",") {
        pos++;
        style = word();
      }
      pos++; // '}'
      const k = `n${key++}`;
      steps.push({ kind: "number", name, style, k });
      return `{{{${k}}}}`;
    }
    pos++; // ','
    const k = `p${key++}`;
    const branches = [];
    let offset = 0;
    for (;;) {
      while (/\s/.test(src[pos])) pos++;
      if (src[pos] === "}") {
        pos++;
        break;
      }
      let sel = word();
      if (sel.startsWith("offset:")) {
        offset = Number(sel.slice(7) || word());
        continue;
      }
      pos++; // '{'
      const body = parse(type === "plural" || inPlural, type === "plural" ? `${k}_n` : pound);
      pos++; // '}'
      branches.push({ sel, flag: `${k}_${branches.length}`, body });
    }
    steps.push({ kind: type, name, k, offset, branches });
    return branches.map((b) => `{{#${b.flag}}}${b.body}{{/${b.flag}}}`).join("");
  };
  const template = parse(false, null);
  Mustache.parse(template);
  return { template, steps };
}

function compileCopy(copy) {
  const out = {};
  for (const [locale, set] of Object.entries(copy)) {
    out[locale] = {};
    for (const [k, v] of Object.entries(set)) if (typeof v === "string") out[locale][k] = icuToMustache(v);
  }
  return out;
}

/** Builds the mustache view of one message from the arguments, then renders it. */
function renderCopy(msg, args, locale) {
  const f = fmt(locale);
  const view = {};
  const num = (n) => f.number.format(n);
  for (const s of msg.steps) {
    const v = args.get(s.name);
    if (s.kind === "simple") {
      view[s.k] = v === undefined ? "" : typeof v === "number" ? num(v) : v;
    } else if (s.kind === "number") {
      if (v === undefined) view[s.k] = "";
      else view[s.k] = s.style === "percent" ? f.percent.format(v) : num(s.style === "integer" ? Math.round(v) : v);
    } else if (s.kind === "plural") {
      if (typeof v !== "number") continue;
      const shown = v - s.offset;
      let b = s.branches.find((x) => x.sel.startsWith("=") && Number(x.sel.slice(1)) === v);
      if (!b) {
        const cat = f.plural.select(shown);
        b = s.branches.find((x) => x.sel === cat) ?? s.branches.find((x) => x.sel === "other");
      }
      if (b) view[b.flag] = true;
      view[`${s.k}_n`] = num(shown);
    } else if (s.kind === "select") {
      if (v === undefined) continue;
      const keyText = String(v);
      const b = s.branches.find((x) => x.sel === keyText) ?? s.branches.find((x) => x.sel === "other");
      if (b) view[b.flag] = true;
    }
  }
  return Mustache.render(msg.template, view);
}

// ---------------------------------------------------------------- the decision

/**
 * One decision, given a `rules` object answering through the peer's rule language:
 * `fired(i)`, `audience(i)`, `accountVeto()`, `offerVeto(i)`.
 * Returns `{ show, offer, reason, title, body, cta }`.
 */
export function decideWith(c, s, F, history, now, built, rules) {
  const { measures: m } = built;
  let accountVeto;
  let firstObstacle;
  const candidates = [];
  for (let i = 0; i < c.offers.length; i++) {
    if (!rules.fired(i)) continue;
    const offer = c.offers[i];
    let obstacle = null;
    if (!rules.audience(i)) obstacle = "outside_audience";
    else {
      if (accountVeto === undefined) accountVeto = rules.accountVeto();
      const v = accountVeto ?? rules.offerVeto(i);
      if (v) obstacle = v;
      else {
        const cap = history.cap(i, now);
        if (cap) obstacle = cap;
        else candidates.push([i, strength(c, offer.trigger, m)[1]]);
      }
    }
    if (obstacle && firstObstacle === undefined) firstObstacle = obstacle;
  }
  if (candidates.length === 0) {
    return { show: false, offer: null, reason: firstObstacle ?? "no_trigger" };
  }
  const active = history.activeAt(now)?.offer;
  let best = candidates[0];
  for (let k = 1; k < candidates.length; k++) {
    const x = candidates[k];
    const xa = x[0] === active;
    const ba = best[0] === active;
    if (xa !== ba ? xa : x[1] > best[1]) best = x;
  }
  const i = best[0];
  const offer = c.offers[i];
  // Owner by motion and ACV band (src/offers.rs).
  const acv = F.a.acv ?? 0;
  const rule = c.ownership.find(
    (r) => (!r.motions || r.motions.length === 0 || r.motions.includes(offer.motion))
      && (r.acv_at_least === undefined || acv >= r.acv_at_least)
      && (r.acv_below === undefined || acv < r.acv_below),
  );
  const owner = offer.owner ?? rule?.owner ?? "product";
  const ui = rule?.ui ?? "talk_to_us";
  const routed = owner === "cs" || owner === "sales";
  const ctaKind = routed ? "talk_to_us" : !F.u.canBuy ? "ask_admin" : "cta";
  // Copy: locale chain, then render with mustache.
  let locale = null;
  for (const l of F.chain) if (offer.copy[l]) { locale = l; break; }
  const set = locale ? offer.copy[locale] : null;
  let prompt = null;
  if (set && set[ctaKind] && !F.holdout) {
    const args = new Map(evidence(c, s, F, offer.trigger, m, now));
    args.set("plan", F.planName);
    args.set("next_plan", offer.targetName);
    if (offer.targetPrice !== undefined) args.set("next_price", offer.targetPrice);
    if (offer.nextLimit !== undefined && offer.nextLimit !== null) args.set("next_limit", offer.nextLimit);
    prompt = {
      title: renderCopy(set.title, args, locale),
      body: renderCopy(set.body, args, locale),
      cta: renderCopy(set[ctaKind], args, locale),
    };
  }
  if (F.holdout) return { show: false, offer: null, reason: "holdout" };
  if (prompt && !(routed && ui === "nothing")) return { show: true, offer: offer.id, reason: null, ...prompt };
  return { show: false, offer: null, reason: "routed" };
}

/** The state one peer keeps: signals, facts, caps. */
export class PeerState {
  constructor(c, account, user) {
    this.c = c;
    this.signals = new Signals(c);
    this.history = new History(c);
    this.F = readFacts(c, account, user);
  }
  update(account, user) {
    this.F = readFacts(this.c, account, user);
  }
  track(event, now) {
    this.signals.track(event, now);
  }
  outcome(offerId, kind, now) {
    const i = this.c.offers.findIndex((o) => o.id === offerId);
    if (i >= 0) this.history.record(i, kind, now);
  }
  facts(now) {
    return buildFacts(this.c, this.signals, this.F, this.history, now);
  }
}
