// What `npm install` gives a host: the packed tarball, installed into an empty project, imported
// by name and run; its `earned check` command run through npx. Catches a file missing from the
// package's `files`, a wrong `exports` entry or a `bin` that does not start.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = new URL("../../", import.meta.url).pathname;
const PLAYBOOK = path.join(ROOT, "tests/fixtures/minimal.json");
let dir;
let packed;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "earned-host-"));
  const npm = (...args) => execFileSync("npm", [...args, "--loglevel=error"], { cwd: dir, encoding: "utf8" });
  packed = JSON.parse(npm("pack", ROOT, "--json"))[0];
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "host", private: true, type: "module" }));
  npm("install", "--offline", "--no-audit", "--no-fund", path.join(dir, packed.filename));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test("the tarball holds the built package and nothing of the sources", () => {
  const files = packed.files.map((f) => f.path).sort();
  const wanted = ["dist/earned.js", "pkg/earned_bg.wasm", "pkg/earned.d.ts", "js/index.d.ts", "dist/earned.css"];
  wanted.push("dist/runtime.js", "pkg-runtime/earned_bg.wasm", "js/runtime.d.ts");
  for (const want of [...wanted, "js/cli.js"]) {
    assert.ok(files.includes(want), `${want} is missing from ${files}`);
  }
  assert.deepEqual(files.filter((f) => /^(src|tests|demo|benches)\//.test(f)), []);
});

/** Runs, in the host project, a script that imports `module` and decides on `playbookFile`. */
function hostDecides(module, playbookFile) {
  const script = `
    import { createEngine } from ${JSON.stringify(module)};
    import fs from "node:fs";
    const playbook = JSON.parse(fs.readFileSync(${JSON.stringify(playbookFile)}, "utf8"));
    const account = { id: "acme", plan: "free", milestones: ["first_report"] };
    const engine = await createEngine({ playbook, account, user: { id: "u1" }, storage: "memory" });
    for (let i = 0; i < 3; i++) engine.track({ type: "limit_hit", metric: "reports" });
    console.log(JSON.stringify(engine.decide().prompt.id));`;
  return execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, encoding: "utf8" }).trim();
}

test("an installed host imports earned by name and gets a decision", () => {
  assert.equal(hostDecides("earned", PLAYBOOK), '"more_reports"');
  assert.ok(fs.existsSync(path.join(dir, "node_modules/earned/dist/earned.css")));
});

test("an installed host compiles with npx earned compile and runs it on earned/runtime", () => {
  const out = path.join(dir, "playbook.compiled.json");
  const r = spawnSync("npx", ["--no-install", "earned", "compile", PLAYBOOK, "-o", out], { cwd: dir, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(hostDecides("earned/runtime", out), '"more_reports"');
});

test("npx earned check runs the installed command", () => {
  const r = spawnSync("npx", ["--no-install", "earned", "check", PLAYBOOK], { cwd: dir, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /minimal\.json: loads: 1 offer, 0 warnings/);
});
