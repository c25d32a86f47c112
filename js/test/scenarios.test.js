// The scenario and bad-playbook fixtures that tests/scenarios.rs runs natively, run again through
// the built package in Node: the browser build's own code paths (Intl plurals and numbers, JS
// RegExp, String()/Number(), the JSON boundary) must reach the same decisions and errors. The
// scenarios run twice: with the playbook JSON through `earned`, and compiled through
// `earned/runtime` (the build without the loader).
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { compile, createEngine } from "earned";
import { createEngine as createRuntimeEngine } from "earned/runtime";

const root = new URL("../../", import.meta.url);
const readJson = (path) => JSON.parse(fs.readFileSync(new URL(path, root), "utf8"));
const jsonFiles = (dir) =>
  fs
    .readdirSync(new URL(dir, root))
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => `${dir}/${f}`);

const UNIT = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };
const duration = (text) => {
  const m = /^(\d+)([smhdw])$/.exec(text);
  if (!m) throw new Error(`bad duration ${text}`);
  return Number(m[1]) * UNIT[m[2]];
};
/** `"-3d"` / `"+1d"` / an ISO time / absent → ms, as the Rust runner reads them. */
const timeAt = (text, now) => {
  if (text === undefined) return now;
  if (text.startsWith("-")) return now - duration(text.slice(1));
  if (text.startsWith("+")) return now + duration(text.slice(1));
  return Date.parse(text);
};

/** Runs one scenario through the public API (`createEngine` of either build); returns what did not match. */
async function run(createEngine, playbook, s) {
  const errors = [];
  const now = timeAt(s.now, 0);
  let clock = now;
  const reports = [];
  const refused = [];
  const engine = await createEngine({
    playbook,
    account: s.account,
    user: s.user,
    storage: "memory",
    now: () => clock,
    onError: (e) => refused.push(`${e.name} at ${e.path}: ${e.message}`),
    onOutcome: (o) => o.report && reports.push({ offer: o.offer, outcome: o.outcome }),
  });
  // Events and outcomes in time order, each with the clock at its own time (never past `now`).
  const steps = [];
  for (const { at, times = 1, every, ...event } of s.events || []) {
    const t0 = timeAt(at, now);
    for (let k = 0; k < times; k++) {
      const t = t0 - k * (every ? duration(every) : 0);
      steps.push([t, 0, { ...event, at: t }]);
    }
  }
  for (const o of s.outcomes || []) steps.push([timeAt(o.at, now), 1, o]);
  steps.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [t, kind, v] of steps) {
    clock = Math.min(t, now);
    if (kind === 0) engine.track(v);
    else engine.outcome(v.offer, v.kind);
  }
  for (const r of refused) errors.push(`refused: ${r}`);
  clock = now;
  const d = engine.decide();
  const explain = engine.explain();
  const expect = s.expect;
  const check = (ok, what) => ok || errors.push(what);
  const same = (key, got, want) => check((got ?? null) === want, `${key}: expected ${want}, got ${got}`);
  const p = d.prompt;
  if ("show" in expect) same("show", p?.offer, expect.show);
  if ("reason" in expect) same("reason", d.reason?.code, expect.reason);
  for (const want of expect.body_contains || []) {
    const body = p?.body ?? "";
    check(body.includes(want), `body: expected it to contain ${JSON.stringify(want)}, got ${JSON.stringify(body)}`);
  }
  const fields = {
    title: p?.title,
    cta: p?.cta,
    cta_kind: p?.ctaKind,
    locale: p?.locale,
    variant: p?.variant,
    route: d.route?.owner,
    would_have_shown: d.trace.wouldHaveShown?.offer,
  };
  for (const [key, got] of Object.entries(fields)) {
    if (key in expect) same(key, got, expect[key]);
  }
  const offer = (id) => d.trace.offers.find((o) => o.offer === id);
  for (const [id, want] of Object.entries(expect.verdicts || {})) same(`verdict of ${id}`, offer(id)?.verdict, want);
  for (const [id, want] of Object.entries(expect.guardrails || {})) {
    same(`guardrail of ${id}`, offer(id)?.guardrail?.code, want);
  }
  for (const want of expect.explain_contains || []) {
    check(explain.includes(want), `explain: expected it to contain ${JSON.stringify(want)}`);
  }
  if ("reports" in expect) same("reports", JSON.stringify(reports), JSON.stringify(expect.reports));
  engine.destroy();
  if (errors.length) errors.push(`trace:\n${explain}`);
  return errors;
}

/** Every scenario of the Rust runner's fixtures: `[file, playbook path, scenario]`. */
const scenarios = () =>
  [...jsonFiles("tests/scenarios"), ...jsonFiles("examples/scenarios")].flatMap((file) => {
    const spec = readJson(file);
    return spec.scenarios.map((s) => [file, spec.playbook, s]);
  });

/** Runs every scenario with `createEngine`, the playbook made by `prepare(json)`. */
async function runAll(createEngine, prepare) {
  const failures = [];
  const playbooks = new Map();
  const all = scenarios();
  for (const [file, path, s] of all) {
    if (!playbooks.has(path)) playbooks.set(path, await prepare(readJson(path)));
    const errors = await run(createEngine, playbooks.get(path), s);
    if (errors.length) failures.push(`${file} — ${s.name}:\n  ${errors.join("\n  ")}`);
  }
  assert.ok(all.length >= 100, `expected the 100+ scenarios of the Rust runner, found ${all.length}`);
  assert.equal(failures.length, 0, `${failures.length} scenario(s) failed:\n\n${failures.join("\n\n")}`);
}

test("every scenario fixture decides in the built package as it does natively", () =>
  runAll(createEngine, (json) => json));

test("every scenario decides the same in earned/runtime, from the compiled playbook", () =>
  runAll(createRuntimeEngine, compile));

test("every bad playbook fixture rejects createEngine with its path, code and reason", async () => {
  const failures = [];
  const files = jsonFiles("tests/bad-playbooks");
  for (const file of files) {
    const spec = readJson(file);
    const options = { playbook: spec.playbook, account: { id: "a" }, user: { id: "u" }, storage: "memory" };
    const error = await createEngine(options).then(
      () => undefined,
      (e) => e,
    );
    if (error?.name !== "EarnedPlaybookError") {
      failures.push(`${file}: expected an EarnedPlaybookError, got ${error?.name ?? "an engine"}`);
      continue;
    }
    for (const want of spec.errors) {
      const hit = error.problems.find((p) => p.path === want.path && p.code === want.code && p.severity === "error");
      if (!hit) failures.push(`${file}: no error ${want.code} at ${want.path}; got ${JSON.stringify(error.problems)}`);
      else if (want.reason_contains && !hit.reason.includes(want.reason_contains)) {
        failures.push(`${file}: reason ${JSON.stringify(hit.reason)} lacks ${JSON.stringify(want.reason_contains)}`);
      }
    }
  }
  assert.ok(files.length >= 10);
  assert.equal(failures.length, 0, failures.join("\n\n"));
});
