// Compiled playbooks and `earned/runtime`, the build production pages load: `compile()` checks a
// playbook as createEngine does and gives its compiled form; the runtime build takes only that
// form and behaves as the full build does with the JSON.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { compile, createEngine } from "earned";
import { createEngine as createRuntimeEngine } from "earned/runtime";
import { account, clock, hit, memoryStorage, playbook, user } from "./helpers.js";

const rejection = (promise) =>
  promise.then(
    () => assert.fail("expected a rejection"),
    (e) => e,
  );
const examples = fs
  .readdirSync(new URL("../../examples/playbooks/", import.meta.url))
  .map((f) => JSON.parse(fs.readFileSync(new URL(`../../examples/playbooks/${f}`, import.meta.url), "utf8")));

test("compile gives the same text for the same playbook, object or JSON text", async () => {
  const compiled = await compile(playbook());
  assert.match(compiled, /^earned:1:[A-Za-z0-9_-]+$/);
  assert.equal(await compile(JSON.stringify(playbook())), compiled);
  const other = playbook();
  other.offers[0].copy.en.title = "Reports ran out again";
  assert.notEqual(await compile(other), compiled);
});

test("compile rejects a bad playbook as createEngine does: every problem with its path", async () => {
  const bad = playbook();
  bad.offers[0].trigger = { renewal: { within: "60d" } };
  const compiling = await rejection(compile(bad));
  const creating = await rejection(createEngine({ playbook: bad, account, user, storage: "memory" }));
  assert.equal(compiling.name, "EarnedPlaybookError");
  assert.equal(compiling.path, "offers[0].trigger");
  assert.deepEqual(compiling.problems, creating.problems);
});

test("the runtime build refuses playbook JSON, naming what it takes instead", async () => {
  for (const json of [playbook(), JSON.stringify(playbook())]) {
    const e = await rejection(createRuntimeEngine({ playbook: json, account, user, storage: "memory" }));
    assert.equal(e.name, "EarnedPlaybookError");
    assert.equal(e.code, "not_compiled");
    assert.equal(e.path, "$");
    assert.match(e.message, /earned compile/);
  }
});

test("a damaged or foreign compiled playbook is refused, in both builds", async () => {
  const compiled = await compile(playbook());
  const cut = compiled.slice(0, -7);
  const flipped = compiled.slice(0, 40) + (compiled[40] === "A" ? "B" : "A") + compiled.slice(41);
  for (const create of [createEngine, createRuntimeEngine]) {
    for (const damaged of [cut, flipped, "earned:1:", "earned:1:!!!!"]) {
      const e = await rejection(create({ playbook: damaged, account, user, storage: "memory" }));
      assert.equal(e.name, "EarnedPlaybookError");
      assert.equal(e.code, "compiled_corrupt", `${damaged.slice(0, 20)}...: ${e.message}`);
    }
    const newer = compiled.replace(/^earned:1:/, "earned:9:");
    const e = await rejection(create({ playbook: newer, account, user, storage: "memory" }));
    assert.equal(e.code, "compiled_prefix");
    assert.match(e.message, /9/);
  }
});

test("every example playbook compiles; its warnings and readiness stay with the full build", async () => {
  for (const json of examples) {
    const options = { account: { id: "a" }, user: { id: "u" }, storage: "memory", now: () => 0 };
    const full = await createEngine({ ...options, playbook: json });
    const compiled = await compile(json);
    const fromCompiled = await createEngine({ ...options, playbook: compiled });
    const runtime = await createRuntimeEngine({ ...options, playbook: compiled });
    assert.deepEqual(fromCompiled.warnings(), full.warnings(), json.id);
    assert.deepEqual(fromCompiled.readiness(), full.readiness(), json.id);
    assert.ok(full.readiness().length > 0, json.id);
    // The runtime build leaves the linter's output to `earned compile`.
    assert.equal(runtime.warnings, undefined);
    assert.equal(runtime.readiness, undefined);
    assert.equal(runtime.engine.warnings, undefined);
    assert.deepEqual(runtime.decide(), fromCompiled.decide(), json.id);
    for (const engine of [full, fromCompiled, runtime]) engine.destroy();
  }
});

test("state written by the full build is read by the runtime build: same storage key", async () => {
  const storage = memoryStorage();
  const now = clock();
  const full = await createEngine({ playbook: playbook(), account, user, storage, now });
  for (let i = 0; i < 3; i++) full.track(hit);
  const shown = full.decide();
  assert.equal(shown.show, true);
  full.outcome(shown.prompt.id, "dismissed");
  full.destroy();
  const keys = [...storage.map.keys()];
  assert.deepEqual(keys, ["earned:v1:minimal:acme:u1"]);

  const runtime = await createRuntimeEngine({ playbook: await compile(playbook()), account, user, storage, now });
  const after = runtime.decide();
  assert.equal(after.show, false, "the dismissal made in the full build holds in the runtime build");
  assert.equal(after.reason.code, "cooldown");
  runtime.destroy();
  assert.deepEqual([...storage.map.keys()], keys, "the runtime build wrote under the same key");
});
