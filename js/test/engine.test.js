// The `earned` package as hosts use it, against the built pkg/ (run `make build` first).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createEngine } from "earned";
import { playbook, account, user, memoryStorage, clock, hit, T0, DAY } from "./helpers.js";

const XSS = "<img src=x onerror=alert(1)>";

async function engine(extra = {}) {
  const errors = [];
  const outcomes = [];
  const e = await createEngine({
    playbook: playbook(),
    account,
    user,
    storage: "memory",
    now: clock(),
    onError: (x) => errors.push(x),
    onOutcome: (o) => outcomes.push(o),
    ...extra,
  });
  return { e, errors, outcomes };
}

test("three limit hits show the usage prompt, in camelCase, with its trace", async () => {
  const { e, errors } = await engine();
  for (let i = 0; i < 3; i++) e.track(hit);
  const d = e.decide();
  assert.equal(d.show, true);
  assert.equal(d.prompt.id, "more_reports");
  assert.equal(d.prompt.ctaKind, "upgrade");
  assert.deepEqual(d.prompt.placement, { kind: "inline", slot: "reports" });
  assert.equal(d.prompt.body, "You hit the 5-report limit 3 times in 30 days. Pro gives you 100.");
  assert.equal(d.trace.offers[0].verdict, "shown");
  assert.match(e.explain(), /Shows `more_reports`/);
  assert.deepEqual(errors, []);
  e.destroy();
});

test("the trace is read lazily, and a decision read late still gets its own trace", async () => {
  const { e } = await engine();
  for (let i = 0; i < 3; i++) e.track(hit);
  const first = e.decide();
  e.outcome("more_reports", "dismissed");
  const second = e.decide();
  assert.equal(second.trace.offers[0].verdict, "capped");
  assert.equal(first.trace.offers[0].verdict, "shown", "its own trace, not the latest");
  assert.equal(JSON.parse(JSON.stringify(first)).trace.offers[0].verdict, "shown", "serializes with the trace");
  e.destroy();
});

test("track never throws: a bad event goes to onError naming the field, and is ignored", async () => {
  const { e, errors } = await engine();
  const cyclic = { type: "limit_hit" };
  cyclic.self = cyclic;
  for (const bad of [{ type: "limit_hit", metric: "nope" }, 42, undefined, null, cyclic, { type: "x", n: 1n }, () => 1]) {
    assert.doesNotThrow(() => e.track(bad));
  }
  assert.equal(errors.length, 7);
  assert.ok(errors.every((x) => x instanceof Error && x.name === "EarnedEventError"));
  assert.equal(errors[0].path, "event.metric");
  assert.equal(errors[0].problems[0].code, "unknown_metric");
  assert.equal(e.decide().trace.eventsSeen, 0);
  e.destroy();
});

test("trackBatch returns how many were accepted and names the bad ones by index", async () => {
  const { e, errors } = await engine();
  assert.equal(e.trackBatch([hit, { type: "limit_hit" }, hit, hit]), 3);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].path, "events[1]");
  assert.equal(e.decide().show, true);
  assert.equal(e.trackBatch("nope"), 0);
  e.destroy();
});

test("a bad playbook rejects createEngine with the JSON path and every problem", async () => {
  const bad = playbook();
  bad.offers[0].trigger = { after: "30d" };
  await assert.rejects(createEngine({ playbook: bad, storage: "memory" }), (x) => {
    assert.equal(x.name, "EarnedPlaybookError");
    assert.ok(x.path.startsWith("offers[0].trigger"), x.path);
    assert.ok(Array.isArray(x.problems) && x.problems.length >= 1);
    assert.deepEqual(Object.keys(x.problems[0]).sort(), ["code", "path", "reason", "severity"]);
    return true;
  });
  await assert.rejects(createEngine({ playbook: "{ nope", storage: "memory" }), { name: "EarnedPlaybookError", path: "$" });
  await assert.rejects(createEngine({ playbook: '{"id": "p", "plans": [1,]}', storage: "memory" }), (x) => {
    assert.equal(x.code, "bad_json");
    assert.match(x.message, /at offset 24/);
    return true;
  });
  const text = await createEngine({ playbook: JSON.stringify(playbook()), storage: "memory", now: clock() });
  assert.equal(typeof text.decide().show, "boolean");
  text.destroy();
  await assert.rejects(createEngine({ playbook: playbook(), account: { id: "a", health: 900 }, storage: "memory" }), {
    name: "EarnedAccountError",
    path: "account.health",
  });
});

test("a failed call never poisons the next; a throwing host callback gets its own exception back", async () => {
  const mine = new Error("host clock broke");
  let broken = false;
  const c = clock();
  const { e } = await engine({ now: () => (broken ? (() => { throw mine; })() : c()) });
  assert.throws(() => e.outcome("nope", "shown"), { name: "EarnedOutcomeError", path: "outcome.offer" });
  assert.throws(() => e.outcome("more_reports", "liked"), { name: "EarnedOutcomeError", path: "outcome.kind" });
  assert.throws(() => e.updateAccount({ id: 5 }), { name: "EarnedAccountError", path: "account.id" });
  broken = true;
  assert.throws(() => e.decide(), (x) => x === mine);
  broken = false;
  for (let i = 0; i < 3; i++) e.track(hit);
  assert.equal(e.decide().show, true);
  e.destroy();
  assert.throws(() => e.decide(), { name: "EarnedStateError" });
  assert.doesNotThrow(() => e.track(hit));
});

test("state persists under earned:v1:<playbook>:<account>:<user> and comes back", async () => {
  const storage = memoryStorage();
  const c = clock();
  const a = await engine({ storage, now: c });
  for (let i = 0; i < 3; i++) a.e.track(hit);
  a.e.outcome("more_reports", "dismissed");
  a.e.destroy();
  const stored = storage.getItem("earned:v1:minimal:acme:u1");
  assert.ok(stored && JSON.parse(stored).version === 1, stored);
  const b = await engine({ storage, now: c });
  const d = b.e.decide();
  assert.equal(d.show, false);
  assert.equal(d.reason.code, "cooldown");
  assert.equal(d.trace.eventsSeen, 3);
  assert.deepEqual(b.errors, []);
  b.e.destroy();
});

test("corrupt or foreign stored state is kept under a backup key; the engine starts fresh and says so", async () => {
  for (const bad of ["{not json", JSON.stringify({ version: 99 }), JSON.stringify({ version: 1, playbook: "other" })]) {
    const storage = memoryStorage({ "earned:v1:minimal:acme:u1": bad });
    const { e, errors } = await engine({ storage });
    assert.equal(errors.length, 1);
    assert.equal(errors[0].name, "EarnedStateError");
    assert.equal(errors[0].code, "corrupt_state");
    assert.equal(storage.getItem("earned:v1:minimal:acme:u1:backup"), bad);
    for (let i = 0; i < 3; i++) e.track(hit);
    assert.equal(e.decide().show, true);
    assert.equal(JSON.parse(storage.getItem("earned:v1:minimal:acme:u1")).version, 1);
    assert.equal(errors.length, 1);
    e.destroy();
  }
});

test("storage that throws or is full: in memory from then on, reported once", async () => {
  const security = Object.assign(new Error("denied"), { name: "SecurityError" });
  const quota = Object.assign(new Error("full"), { name: "QuotaExceededError" });
  const cases = [
    [{ getItem() { throw security; }, setItem() { throw security; }, removeItem() {} }, "storage_unavailable"],
    [{ getItem: () => null, setItem() { throw quota; }, removeItem() {} }, "storage_full"],
  ];
  for (const [throwing, code] of cases) {
    let calls = 0;
    const storage = Object.fromEntries(Object.entries(throwing).map(([k, f]) => [k, (...a) => (calls++, f(...a))]));
    const { e, errors } = await engine({ storage });
    for (let i = 0; i < 3; i++) e.track(hit);
    const d = e.decide();
    assert.equal(d.show, true);
    e.outcome("more_reports", "dismissed");
    assert.equal(e.decide().reason.code, "cooldown");
    assert.equal(errors.length, 1, errors.map(String).join());
    assert.equal(errors[0].name, "EarnedStorageError");
    assert.equal(errors[0].code, code);
    assert.ok(errors[0].cause === security || errors[0].cause === quota);
    const before = calls;
    e.outcome("more_reports", "clicked");
    e.destroy();
    assert.equal(calls, before, "in memory from then on: storage is not called again");
  }
});

test("a burst of events is written to storage once, at the end of the task", async () => {
  const storage = memoryStorage();
  let writes = 0;
  const counting = { ...storage, getItem: (k) => storage.getItem(k), setItem: (k, v) => (writes++, storage.setItem(k, v)), removeItem: (k) => storage.removeItem(k) };
  const { e } = await engine({ storage: counting });
  const before = writes;
  for (let i = 0; i < 50; i++) e.track(hit);
  assert.equal(writes, before, "track itself does not write");
  await Promise.resolve();
  assert.equal(writes, before + 1, "one write for the burst");
  assert.equal(JSON.parse(storage.getItem("earned:v1:minimal:acme:u1")).events, 50);
  e.destroy();
});

test("two tabs on one storage: the same prompt never shows in both; a dismissal in one holds in the other", async () => {
  const storage = memoryStorage();
  const c = clock();
  const a = await engine({ storage, now: c });
  const b = await engine({ storage, now: c });
  for (let i = 0; i < 3; i++) a.e.track(hit);
  const da = a.e.decide();
  assert.equal(da.show, true);
  a.e.outcome(da.prompt.id, "shown");
  const db = b.e.decide();
  assert.equal(db.show, false);
  assert.equal(db.reason.code, "shown_in_another_tab");
  a.e.outcome(da.prompt.id, "dismissed");
  c.t += 60_000;
  const after = b.e.decide();
  assert.equal(after.show, false);
  assert.equal(after.reason.code, "cooldown");
  a.e.destroy();
  b.e.destroy();
});

test("a tab that goes away frees the screen for the other", async () => {
  const storage = memoryStorage();
  const c = clock();
  const a = await engine({ storage, now: c });
  const b = await engine({ storage, now: c });
  for (let i = 0; i < 3; i++) a.e.track(hit);
  a.e.outcome(a.e.decide().prompt.id, "shown");
  assert.equal(b.e.decide().show, false);
  assert.equal(b.e.decide().reason.code, "shown_in_another_tab");
  a.e.destroy();
  // The screen is free; what holds the prompt back now is the daily cap both tabs share.
  assert.equal(b.e.decide().reason.code, "daily_cap");
  b.e.destroy();
});

test("data is text, not HTML: copy, account facts and event properties come through verbatim", async () => {
  const p = playbook();
  p.offers[0].copy.en.title = XSS;
  p.offers[0].copy.en.body = "{metric}: " + XSS;
  const { e, errors } = await engine({ playbook: p, account: { ...account, attributes: { note: XSS } } });
  for (let i = 0; i < 3; i++) e.track(hit);
  e.track({ type: "feature_used", feature: XSS });
  assert.deepEqual(errors, []);
  const d = e.decide();
  assert.equal(d.prompt.title, XSS);
  assert.equal(d.prompt.body, "reports: " + XSS);
  e.destroy();
});

test("subscribe gets the current decision, then each new one", async () => {
  const { e } = await engine();
  const seen = [];
  const off = e.subscribe((d) => seen.push(d.show));
  assert.deepEqual(seen, [false]);
  for (let i = 0; i < 3; i++) e.track(hit);
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(seen, [false, true]);
  off();
  e.destroy();
});

test("onOutcome hears every outcome, including the post-expansion verdict", async () => {
  const c = clock();
  const { e, outcomes } = await engine({ now: c });
  e.outcome("more_reports", "converted");
  c.t += 31 * DAY;
  const decision = e.decide();
  assert.deepEqual(
    outcomes.map((o) => o.outcome),
    ["converted", "expansion_at_risk"],
  );
  assert.equal(outcomes[1].report.atLeast, 5);
  assert.ok(!("reports" in decision), "the verdict goes to onOutcome, not into the decision");
  // Each verdict is heard once.
  e.decide();
  assert.equal(outcomes.length, 2);
  e.destroy();
});

test("an offer sales owns is routed to the host, not shown", async () => {
  const p = playbook();
  p.offers[0].owner = "sales";
  const routes = [];
  const { e } = await engine({ playbook: p, onRoute: (r) => routes.push(r) });
  for (let i = 0; i < 3; i++) e.track(hit);
  const d = e.decide();
  assert.equal(d.show, false);
  assert.equal(d.route.owner, "sales");
  e.decide();
  assert.equal(routes.length, 1);
  assert.equal(routes[0].offer, "more_reports");
  e.destroy();
});

test("warnings and readiness come from the linter", async () => {
  const { e } = await engine();
  assert.ok(Array.isArray(e.warnings()));
  const r = e.readiness();
  assert.equal(r[0].offer, "more_reports");
  assert.equal(r[0].answers.length, 5);
  e.destroy();
});

test("numbers and plurals follow the user's locale through Intl", async () => {
  const p = playbook();
  p.locales = ["en", "de-CH"];
  p.offers[0].copy["de-CH"] = {
    title: "{count, plural, one {Ein Limit} other {# Limits}}",
    body: "{next_price, number} pro Monat",
    cta: "Upgrade",
    ask_admin: "Admin fragen",
  };
  p.plans[1].price = 1234.5;
  const { e } = await engine({ playbook: p, user: { id: "u1", locale: "de-CH" } });
  for (let i = 0; i < 3; i++) e.track(hit);
  const d = e.decide();
  assert.equal(d.prompt.locale, "de-CH");
  assert.equal(d.prompt.title, "3 Limits");
  assert.equal(d.prompt.body, new Intl.NumberFormat("de-CH").format(1234.5) + " pro Monat");
  e.destroy();
});

test("another account continues with that account's stored state, and back", async () => {
  const storage = memoryStorage();
  const { e, errors } = await engine({ storage });
  for (let i = 0; i < 3; i++) e.track(hit);
  e.outcome("more_reports", "dismissed");
  e.updateAccount({ ...account, id: "globex" });
  assert.equal(e.decide().trace.eventsSeen, 0);
  assert.throws(() => e.updateAccount({ id: "globex", health: "good" }), { name: "EarnedAccountError" });
  e.track(hit); // still globex's: the refused update changed nothing
  await Promise.resolve();
  assert.equal(JSON.parse(storage.getItem("earned:v1:minimal:globex:u1")).events, 1);
  e.updateAccount(account);
  const back = e.decide();
  assert.equal(back.trace.eventsSeen, 3);
  assert.equal(back.reason.code, "cooldown");
  assert.deepEqual(errors, []);
  e.destroy();
});

test("the default upgrade follows only http(s) URLs", async () => {
  const { safeUrl } = await import("earned");
  globalThis.location = { href: "https://app.example/reports" };
  try {
    assert.equal(safeUrl("/billing?plan=pro"), "https://app.example/billing?plan=pro");
    assert.equal(safeUrl("javascript:alert(1)"), undefined);
    assert.equal(safeUrl(" JavaScript:alert(1)"), undefined);
    assert.equal(safeUrl("data:text/html,<b>x</b>"), undefined);
    assert.equal(safeUrl(undefined), undefined);
  } finally {
    delete globalThis.location;
  }
});
