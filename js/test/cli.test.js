// `earned check` (the playbook linter) and `earned compile` on the command line, run as a playbook
// author or a CI job runs them: their output, files and exit status.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createEngine } from "earned/runtime";
import { createEngine as createFullEngine } from "earned";
import { playbook } from "./helpers.js";

const CLI = new URL("../cli.js", import.meta.url).pathname;
const earned = (...args) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "earned-check-"));
const write = (name, content) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
};

test("a clean playbook loads: its offers and their readiness, exit 0", () => {
  const r = earned("check", "examples/playbooks/support-desk.json");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /support-desk\.json: loads: 5 offers, 0 warnings/);
  assert.match(r.stdout, /kb_addon\s+ready/);
});

test("a bad playbook: every error with its JSON path and code, exit 1", () => {
  const bad = playbook();
  bad.offers[0].trigger = { renewal: { within: "60d" } };
  bad.offers[0].audience = { plan: { $inn: ["free"] } };
  const r = earned("check", write("bad.json", bad));
  assert.equal(r.status, 1);
  assert.match(r.stdout, /bad\.json: \d+ errors/);
  assert.match(r.stdout, /error\s+offers\[0\]\.trigger\s+calendar_trigger: /);
  assert.match(r.stdout, /error\s+offers\[0\]\.audience\.plan\.\$inn\s+bad_audience: unknown operator \$inn/);
});

test("warnings pass unless --strict; readiness names what is missing", () => {
  const loose = playbook();
  delete loose.offers[0].watch;
  const file = write("loose.json", loose);
  const r = earned("check", file);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /warning\s+offers\[0\]\s+no_outcome_tracking: /);
  assert.match(r.stdout, /more_reports\s+not ready: Will we track retention after expansion\? no watch/);
  assert.equal(earned("check", "--strict", file).status, 1);
  assert.doesNotMatch(earned("check", "--quiet", file).stdout, /not ready/);
});

test("every file is checked; text that is not JSON, a missing file and a folder are errors too", () => {
  const broken = write("broken.json", "{");
  const r = earned("check", broken, path.join(dir, "missing.json"), dir, "tests/fixtures/minimal.json");
  assert.equal(r.status, 1);
  assert.match(r.stdout, /earned-check-\w+: 1 error, 0 warnings\n\s+error\s+\$\s+unreadable: EISDIR/);
  assert.match(r.stdout, /broken\.json: 1 error, 0 warnings\n\s+error\s+\$\s+not_json: /);
  assert.match(r.stdout, /missing\.json: 1 error, 0 warnings\n\s+error\s+\$\s+not_found: /);
  assert.match(r.stdout, /minimal\.json: loads: 1 offer, 0 warnings/);
});

test("bad usage prints the usage, exit 2", () => {
  const usage = [[], ["check"], ["lint", "x.json"], ["check", "--fast", "x.json"], ["check", "x.json", "-o", "y.json"]];
  const compiling = [["compile"], ["compile", "a.json", "b.json"], ["compile", "a.json", "-o"], ["compile", "--quiet", "a.json"]];
  for (const args of [...usage, ...compiling]) {
    const r = earned(...args);
    assert.equal(r.status, 2, args.join(" "));
    assert.match(r.stderr, /usage: earned check/);
  }
});

test("compile writes the compiled playbook as a JSON string that earned/runtime loads", async () => {
  const out = path.join(dir, "support-desk.compiled.json");
  const r = earned("compile", "examples/playbooks/support-desk.json", "-o", out);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /support-desk\.json: compiled to .*support-desk\.compiled\.json \(\d+ bytes\)/);
  const compiled = JSON.parse(fs.readFileSync(out, "utf8"));
  assert.match(compiled, /^earned:1:/);
  assert.equal(JSON.parse(earned("compile", "examples/playbooks/support-desk.json").stdout), compiled, "stdout too");
  const options = { playbook: compiled, account: { id: "a" }, user: { id: "u" }, storage: "memory", now: () => 0 };
  const engine = await createEngine(options);
  const full = await createFullEngine(options);
  assert.equal(full.readiness().length, 5, "the compiled form carries the readiness of the 5 offers");
  assert.deepEqual(engine.decide(), full.decide());
  engine.destroy();
  full.destroy();
});

test("compile refuses a playbook with errors (with --strict, warnings): problems on stderr, exit 1, no file", () => {
  const bad = playbook();
  bad.offers[0].trigger = { renewal: { within: "60d" } };
  const out = path.join(dir, "bad.compiled.json");
  const r = earned("compile", write("bad.json", bad), "-o", out);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bad\.json:\s+error\s+offers\[0\]\.trigger\s+calendar_trigger: /);
  assert.match(r.stderr, /not compiled \(\d+ errors?, \d+ warnings?\)/);
  assert.equal(r.stdout, "");
  assert.equal(fs.existsSync(out), false);

  const loose = playbook();
  delete loose.offers[0].watch;
  const file = write("loose.json", loose);
  const lenient = earned("compile", file);
  assert.equal(lenient.status, 0);
  assert.match(lenient.stderr, /warning\s+offers\[0\]\s+no_outcome_tracking/);
  assert.equal(earned("compile", "--strict", file).status, 1);
});
