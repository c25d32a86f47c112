// No input from JS may panic the module (a panic is a trap under panic = "abort", and would
// leave the wasm instance unusable): mutated playbooks, facts, events and outcomes only ever
// produce Earned* errors, and the engine keeps answering afterwards.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createEngine, load, Engine } from "earned";
import { playbook, account, user, clock } from "./helpers.js";

/** A small deterministic PRNG, so a failure reproduces. */
function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0) / 2 ** 32);
}

const odd = [
  null, true, false, 0, -1, -0, 1e308, -1e308, 2 ** 53 + 2, 0.5, NaN, Infinity, "", "x", "30d", "-5d", "999999999d",
  "2027-02-30", "\u0000", "<img src=x onerror=alert(1)>", "é".repeat(5000), [], [[]], {}, { $in: [] }, { $regex: "(" },
  { $gt: "a" }, [1, "a", null], { a: { b: { c: {} } } },
];

function mutate(value, r, depth = 0, rate = 0.12) {
  if (r() < rate || depth > 6) return odd[Math.floor(r() * odd.length)];
  if (Array.isArray(value)) {
    const out = value.map((v) => mutate(v, r, depth + 1, rate));
    if (r() < 0.1) out.push(odd[Math.floor(r() * odd.length)]);
    if (r() < 0.1) out.splice(0, 1);
    return out;
  }
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (r() < 0.06) continue;
      out[r() < rate / 4 ? k + "_" : k] = r() < 0.5 ? mutate(v, r, depth + 1, rate) : v;
    }
    return out;
  }
  return r() < rate * 2 ? odd[Math.floor(r() * odd.length)] : value;
}

const earned = (e) => e instanceof Error && /^Earned[A-Za-z]+Error$/.test(e.name);
const attempt = (f) => {
  try {
    return f();
  } catch (e) {
    if (!earned(e)) throw e; // a RuntimeError (trap) or a TypeError from the glue fails the test
  }
};

test("mutated inputs give Earned errors, never a trap", async () => {
  await load();
  const base = playbook();
  const events = [
    { type: "limit_hit", metric: "reports" },
    { type: "usage", metric: "reports", value: 4, limit: 5 },
    { type: "feature_used", feature: "reports" },
    { type: "milestone", milestone: "first_report" },
    { type: "session", at: 1796342400000 },
  ];
  const r = rng(20261204);
  const c = clock();
  let loaded = 0;
  for (let i = 0; i < 400; i++) {
    const p = i % 4 === 0 ? base : mutate(base, r, 0, i % 2 ? 0.12 : 0.015);
    const engine = attempt(() =>
      new Engine(p, { account: r() < 0.3 ? mutate(account, r) : account, user: r() < 0.3 ? mutate(user, r) : user, storage: "memory", now: c }),
    );
    const e = engine || new Engine(base, { account, user, storage: "memory", now: c });
    if (engine) loaded++;
    for (let j = 0; j < 12; j++) {
      c.t += Math.floor(r() * 3 * 86_400_000);
      attempt(() => e.track(r() < 0.5 ? events[j % events.length] : mutate(events[j % events.length], r)));
      attempt(() => e.updateAccount(r() < 0.7 ? account : mutate(account, r)));
      const d = attempt(() => e.decide());
      if (d && d.prompt) attempt(() => e.outcome(d.prompt.id, ["shown", "dismissed", "snoozed", "clicked", "converted"][j % 5]));
      attempt(() => e.outcome(mutate("more_reports", r), mutate("shown", r)));
    }
    assert.equal(typeof attempt(() => e.explain()), "string");
    e.destroy();
  }
  assert.ok(loaded > 80, `only ${loaded} playbooks loaded`);
  // The instance still works after all that.
  const ok = await createEngine({ playbook: base, account, user, storage: "memory", now: c });
  assert.equal(typeof ok.decide().show, "boolean");
  ok.destroy();
});
