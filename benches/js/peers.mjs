// The contenders besides earned: one adapter per JS rule engine. Each translates the shared
// rule IR (triggers, guardrails; audiences from GrowthBook conditions) into its own language
// once, at load, and answers `fired / audience / accountVeto / offerVeto` per decision.
// Counters, caps, ranking and mustache copy are the shared assembly (assembly.mjs).

import jsonLogic from "json-logic-js";
import { LogicEngine } from "json-logic-engine";
import { Engine as RulesEngine } from "json-rules-engine";
import { evalCondition } from "@growthbook/growthbook";
import { compile, decideWith, PeerState } from "./assembly.mjs";

// ---------------------------------------------------------------- IR → each language

function toJsonLogic(ir) {
  if (ir.and) return { and: ir.and.map(toJsonLogic) };
  if (ir.or) return { or: ir.or.map(toJsonLogic) };
  if (ir.not) return { "!": toJsonLogic(ir.not) };
  if (ir.in) return { in: [{ var: ir.fact }, ir.in] };
  if (ir.arr) return { [ir.arr === "any" ? "some" : "none"]: [{ var: ir.fact }, { in: [{ var: "" }, ir.values] }] };
  const op = { "==": "===", "!=": "!==" }[ir.cmp] ?? ir.cmp;
  return { [op]: [{ var: ir.fact }, ir.value] };
}

function toMongo(ir) {
  if (ir.and) return { $and: ir.and.map(toMongo) };
  if (ir.or) return { $or: ir.or.map(toMongo) };
  if (ir.not) return { $not: toMongo(ir.not) };
  if (ir.in) return { [ir.fact]: { $in: ir.in } };
  if (ir.arr) return { [ir.fact]: { [ir.arr === "any" ? "$in" : "$nin"]: ir.values } };
  const op = { "==": "$eq", "!=": "$ne", ">": "$gt", ">=": "$gte", "<": "$lt", "<=": "$lte" }[ir.cmp];
  return { [ir.fact]: { [op]: ir.value } };
}

function toRulesEngine(ir) {
  if (ir.and) return { all: ir.and.map(toRulesEngine) };
  if (ir.or) return { any: ir.or.map(toRulesEngine) };
  if (ir.not) return { not: toRulesEngine(ir.not) };
  if (ir.in) return { fact: ir.fact, operator: "in", value: ir.in };
  if (ir.arr === "any") return { any: ir.values.map((v) => ({ fact: ir.fact, operator: "contains", value: v })) };
  if (ir.arr === "none") return { all: ir.values.map((v) => ({ fact: ir.fact, operator: "doesNotContain", value: v })) };
  const op = {
    "==": "equal", "!=": "notEqual", ">": "greaterThan", ">=": "greaterThanInclusive",
    "<": "lessThan", "<=": "lessThanInclusive",
  }[ir.cmp];
  return { fact: ir.fact, operator: op, value: ir.value };
}
const topLevel = (cond) => (cond.all || cond.any || cond.not ? cond : { all: [cond] });

/** IR → a plain JS closure (the hand-written reference). */
function toClosure(ir) {
  if (ir.and) {
    const ps = ir.and.map(toClosure);
    return (f) => ps.every((p) => p(f));
  }
  if (ir.or) {
    const ps = ir.or.map(toClosure);
    return (f) => ps.some((p) => p(f));
  }
  if (ir.not) {
    const p = toClosure(ir.not);
    return (f) => !p(f);
  }
  const k = ir.fact;
  if (ir.in) return (f) => ir.in.includes(f[k]);
  if (ir.arr === "any") return (f) => Array.isArray(f[k]) && f[k].some((x) => ir.values.includes(x));
  if (ir.arr === "none") return (f) => !Array.isArray(f[k]) || !f[k].some((x) => ir.values.includes(x));
  const v = ir.value;
  switch (ir.cmp) {
    case "==": return (f) => f[k] === v;
    case "!=": return (f) => f[k] !== v;
    case ">": return (f) => f[k] > v;
    case ">=": return (f) => f[k] >= v;
    case "<": return (f) => f[k] < v;
    case "<=": return (f) => f[k] <= v;
  }
  throw new Error(ir.cmp);
}

// ---------------------------------------------------------------- synchronous peers

/**
 * A peer whose rule language evaluates synchronously: `build(ir)` → `(data) => boolean`, and
 * `audience(offer)` → `(attributes) => boolean` (GrowthBook evaluates the condition as written).
 */
function syncPeer(name, playbook, build, audience = (o) => (o.audienceIR ? build(o.audienceIR) : null)) {
  const c = compile(playbook);
  const triggers = c.rules.triggers.map(build);
  const audiences = c.offers.map(audience);
  const account = c.rules.account.map(([code, ir]) => [code, build(ir)]);
  const offerVetoes = c.rules.offerVetoes.map((list) => list.map(([code, ir]) => [code, build(ir)]));
  return {
    name,
    compiled: c,
    state: (acct, user) => new PeerState(c, acct, user),
    decide(st, now) {
      const built = st.facts(now);
      const f = built.facts;
      const attrs = st.F.attributes;
      return decideWith(c, st.signals, st.F, st.history, now, built, {
        fired: (i) => triggers[i](f),
        audience: (i) => audiences[i] === null || audiences[i](attrs),
        accountVeto: () => {
          for (const [code, p] of account) if (p(f)) return code;
          return null;
        },
        offerVeto: (i) => {
          for (const [code, p] of offerVetoes[i]) if (p(f)) return code;
          return null;
        },
      });
    },
  };
}

export function plainJs(playbook) {
  return syncPeer("plain-js", playbook, toClosure);
}

export function jsonLogicJs(playbook) {
  return syncPeer("json-logic-js", playbook, (ir) => {
    const rule = toJsonLogic(ir);
    return (data) => jsonLogic.truthy(jsonLogic.apply(rule, data));
  });
}

export function jsonLogicEngine(playbook) {
  const engine = new LogicEngine();
  return syncPeer("json-logic-engine", playbook, (ir) => {
    const fn = engine.build(toJsonLogic(ir));
    return (data) => !!fn(data);
  });
}

export function growthbook(playbook) {
  return syncPeer(
    "growthbook",
    playbook,
    (ir) => {
      const cond = toMongo(ir);
      return (data) => evalCondition(data, cond);
    },
    (o) => (o.audience ? (attrs) => evalCondition(attrs, o.audience) : null),
  );
}

// ---------------------------------------------------------------- json-rules-engine (async)

/** One json-rules-engine Engine holding every rule; one `run` per decision. */
export function jsonRulesEngine(playbook) {
  const c = compile(playbook);
  const engine = new RulesEngine([], { allowUndefinedFacts: true });
  const add = (name, ir) => engine.addRule({ name, conditions: topLevel(toRulesEngine(ir)), event: { type: name } });
  c.rules.triggers.forEach((ir, i) => add(`t${i}`, ir));
  c.offers.forEach((o, i) => o.audienceIR && add(`a${i}`, o.audienceIR));
  c.rules.account.forEach(([code, ir]) => add(`g:${code}`, ir));
  c.rules.offerVetoes.forEach((list, i) => list.forEach(([code, ir]) => add(`o${i}:${code}`, ir)));
  return {
    name: "json-rules-engine",
    compiled: c,
    async: true,
    state: (acct, user) => new PeerState(c, acct, user),
    async decide(st, now) {
      const built = st.facts(now);
      const { events } = await engine.run({ ...st.F.attributes, ...built.facts });
      const ok = new Set(events.map((e) => e.type));
      return decideWith(c, st.signals, st.F, st.history, now, built, {
        fired: (i) => ok.has(`t${i}`),
        audience: (i) => !c.offers[i].audienceIR || ok.has(`a${i}`),
        accountVeto: () => {
          for (const [code] of c.rules.account) if (ok.has(`g:${code}`)) return code;
          return null;
        },
        offerVeto: (i) => {
          for (const [code] of c.rules.offerVetoes[i]) if (ok.has(`o${i}:${code}`)) return code;
          return null;
        },
      });
    },
  };
}

export const PEERS = {
  "json-rules-engine": jsonRulesEngine,
  "json-logic-js": jsonLogicJs,
  "json-logic-engine": jsonLogicEngine,
  growthbook,
};
export const REFERENCE = { "plain-js": plainJs };
