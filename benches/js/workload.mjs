// The recorded workload every contender replays: a seeded stream of events over 90 days,
// decision points every N events, account facts that move through phases (activation, low
// health, a quiet champion, basic tickets, idle seats, a CS hold, ACV bands, a user who may
// not buy, a plan change and a purchase) and what the user does with each prompt.
// Events are derived from the playbook's own triggers, so both playbooks get a stream that
// makes their triggers fire and stop firing.

import { DAY, duration } from "./counters.mjs";
import { hashV2 } from "./assembly.mjs";

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOPICS = [
  "password reset", "billing", "login", "refund", "shipping", "invoice", "api error", "export",
  "sso", "webhooks", "mobile app", "notifications", "permissions", "integrations", "reports",
  "macros", "sla", "spam", "attachments", "languages",
];
const DEPARTMENTS = ["support", "finance", "sales", "marketing", "legal", "hr", "it", "ops", "product", "design"];
const FEATURES = ["macros", "collision_detection", "scheduled_exports", "salesforce_sync", "views", "tags"];
const START = Date.parse("2026-09-05T00:00:00Z");

/** Every leaf of a trigger tree. */
function leaves(t, out = []) {
  const [[kind, b]] = Object.entries(t);
  if (kind === "all" || kind === "any") b.forEach((x) => leaves(x, out));
  else if (kind === "not") leaves(b, out);
  else out.push([kind, b]);
  return out;
}

/** Poisson sample (Knuth; small rates). */
function poisson(rnd, lambda) {
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rnd();
  } while (p > l);
  return k - 1;
}

/**
 * Generates the workload for `playbook`: `{ events, points, accountId, start, end }`.
 * `points[k]`: `{ after, now, account, user, action }` — decide after `events[after - 1]`.
 */
export function generate(playbook, { events: total = 100_000, days = 90, every = 1000, seed = 0xea24ed } = {}) {
  const rnd = mulberry32(seed);
  const end = START + days * DAY;
  const declared = new Set(Object.keys(playbook.events ?? {}));
  const wave = (d, period, phase, amp) => 1 + amp * Math.sin((2 * Math.PI * d) / period + phase);

  // Rare sources: one per (event, where) a count / distinct leaf reads, with a rate that swings
  // around the thresholds the playbook sets.
  const sources = new Map();
  for (const o of playbook.offers) {
    for (const [kind, b] of leaves(o.trigger)) {
      if (kind !== "count" && kind !== "distinct") continue;
      if (b.event === "session" || b.event === "ticket_created") continue;
      const key = JSON.stringify([b.event, b.where ?? {}, b.of ?? null]);
      const windowDays = duration(b.within) / DAY;
      const s = sources.get(key) ?? { event: b.event, where: b.where ?? {}, of: b.of ?? null, rate: 0 };
      // Mean count in the window about 0.7 × the highest threshold (distinct: events for it).
      const want = kind === "distinct" ? (1.5 * b.at_least) / windowDays : (0.7 * b.at_least) / windowDays;
      s.rate = Math.max(s.rate, want);
      sources.set(key, s);
    }
  }
  const rare = [];
  let k = 0;
  for (const s of sources.values()) {
    const period = 23 + 9 * k;
    const phase = rnd() * 2 * Math.PI;
    k++;
    for (let d = 0; d < days; d++) {
      const n = poisson(rnd, s.rate * wave(d, period, phase, 0.95));
      for (let j = 0; j < n; j++) {
        const e = { type: s.event, at: START + Math.floor((d + rnd()) * DAY), ...s.where };
        if (s.of === "department") e.department = DEPARTMENTS[Math.floor(rnd() * (2 + 7 * (0.5 + 0.5 * Math.sin(d / 9))))];
        else if (s.of) e[s.of] = `v${Math.floor(rnd() * 6)}`;
        fill(e, rnd, false, playbook.metrics ?? []);
        rare.push(e);
      }
      // Near misses that a filter must reject.
      if (Object.keys(s.where).length && rnd() < 0.3) {
        const e = { type: s.event, at: START + Math.floor((d + rnd()) * DAY) };
        fill(e, rnd, true, playbook.metrics ?? []);
        rare.push(e);
      }
    }
  }
  // Daily usage readings per metric, swinging between half and 110 % of the first plan's limit.
  const firstLimits = playbook.plans?.[0]?.limits ?? {};
  for (const [i, m] of (playbook.metrics ?? []).entries()) {
    const limit = firstLimits[m] ?? 100;
    for (let d = 0; d < days; d++) {
      const v = Math.round(limit * (0.8 + 0.3 * Math.sin(d / (6 + i))));
      rare.push({ type: "usage", at: START + d * DAY + 3_600_000 + i, metric: m, value: v });
    }
  }
  // Activation milestones, reached on days 1.5 and 3.
  const ms = playbook.activation?.all ?? playbook.activation?.any ?? [];
  ms.forEach((m, i) => rare.push({ type: "milestone", at: START + Math.floor((1.5 + 1.5 * i) * DAY), milestone: m }));

  // The bulk: sessions (with a dip on days 50-58 that trips "usage falling"), tickets whose
  // topics cluster on three hot ones for weeks at a time, reports, feature use.
  const bulk = total - rare.length;
  const sessionRate = (d) => wave(d, 40, 0.3, 0.3) * (d >= 50 && d < 58 ? 0.25 : 1);
  const weights = [];
  let sum = 0;
  for (let d = 0; d < days; d++) {
    sum += sessionRate(d) + 0.6;
    weights.push(sum);
  }
  const bulkEvents = [];
  for (let j = 0; j < bulk; j++) {
    const x = rnd() * sum;
    let d = 0;
    while (weights[d] < x) d++;
    const at = START + Math.floor((d + rnd()) * DAY);
    const r = rnd() * (sessionRate(d) + 0.6);
    let e;
    if (r < sessionRate(d)) e = { type: "session", at };
    else if (r < sessionRate(d) + 0.35 && declared.has("ticket_created")) {
      const hot = 0.3 + 0.3 * Math.sin(d / 7);
      const topic = rnd() < hot ? TOPICS[Math.floor(rnd() * 3)] : TOPICS[Math.floor(rnd() * TOPICS.length)];
      e = { type: "ticket_created", at, topic, channel: rnd() < 0.7 ? "email" : "chat" };
    } else if (r < sessionRate(d) + 0.45 && declared.has("report_created")) e = { type: "report_created", at };
    else e = { type: "feature_used", at, feature: FEATURES[Math.floor(rnd() * FEATURES.length)] };
    bulkEvents.push(e);
  }
  const events = rare.concat(bulkEvents).sort((a, b) => a.at - b.at);
  if (events.length !== total) throw new Error(`generated ${events.length} events, expected ${total}`);

  // An account outside the holdout group, so prompts can show.
  const h = playbook.holdout ?? { percent: 0, salt: "" };
  let n = 1;
  while (h.percent > 0 && hashV2(h.salt, `acct-${n}`) < h.percent / 100) n++;
  const accountId = `acct-${n}`;

  const plans = playbook.plans ?? [];
  const addOns = playbook.add_ons ?? [];
  const points = [];
  let lastFacts = null;
  let lastUser = null;
  const actions = ["none", "shown", "shown", "dismissed", "dismissed", "snoozed", "clicked"];
  for (let after = every, p = 0; after <= total; after += every, p++) {
    const now = events[after - 1].at + 1000;
    const phase = Math.floor((p * 10) / Math.ceil(total / every));
    const day = (t) => START + t * DAY;
    const phaseStart = events[Math.min(total, Math.floor((phase * total) / 10))]?.at ?? now;
    const facts = {
      id: accountId,
      plan: phase === 9 ? plans[1]?.id ?? plans[0]?.id : plans[0]?.id,
      acv: phase === 6 ? 25_000 : phase === 8 ? 60_000 : 348,
      health: phase === 1 ? 45 : phase === 4 ? 90 : 85,
      seats: { paid: 10, active: phase === 4 ? 7 : 10 },
      renewal_date: day(120),
      champion_last_active: phase === 2 ? phaseStart - 25 * DAY : phaseStart - DAY,
      cs_hold: p >= 50 && p < 55,
      tickets: phase === 3 ? [{ topic: "login", open: 2, basic: true }] : [{ topic: "webhooks", open: 1 }],
      add_ons: phase === 9 && addOns[0] ? [addOns[0].id] : [],
    };
    if (p >= 97) facts.last_purchase = now - 2 * DAY;
    const user = { id: "user-1", locale: "en", can_buy: phase !== 7 };
    const key = JSON.stringify(facts);
    const account = lastFacts && lastFacts[0] === key ? lastFacts[1] : facts;
    lastFacts = [key, account];
    const ukey = JSON.stringify(user);
    const u = lastUser && lastUser[0] === ukey ? lastUser[1] : user;
    lastUser = [ukey, u];
    let action = actions[Math.floor(rnd() * actions.length)];
    if (p === 72) action = "converted";
    points.push({ after, now, account, user: u, action });
  }
  return { events, points, accountId, start: START, end };
}

/** Required properties of built-in events, so earned accepts every event. */
function fill(e, rnd, miss, metrics) {
  switch (e.type) {
    case "limit_hit":
    case "usage":
      break;
    case "workaround":
      if (miss || !e.kind) e.kind = "copy_paste";
      break;
    case "integration_requested":
      if (miss || !e.integration) e.integration = "hubspot";
      break;
    case "feature_used":
      if (miss || !e.feature) e.feature = "macros";
      break;
    case "department_active":
      if (!e.department) e.department = "support";
      break;
    case "support_ticket":
      if (!e.topic) e.topic = TOPICS[Math.floor(rnd() * TOPICS.length)];
      break;
    default:
  }
  if (e.type === "limit_hit" && (miss || !e.metric)) e.metric = metrics[miss ? metrics.length - 1 : 0];
}
