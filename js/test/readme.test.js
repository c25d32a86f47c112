// The README's examples are tests: the README quotes js/examples/embed.js and headless.js
// verbatim, and each file runs against the built package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const run = (file) =>
  execFileSync(process.execPath, [file.pathname], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

const EXAMPLES = {
  "embed.js": (out) => {
    assert.match(out, /^You keep running out of reports$/m);
    assert.match(out, /Shows `more_reports`/);
  },
  "headless.js": (out) => {
    // Nothing yet, the prompt once earned, nothing once it is dismissed.
    const rendered = ["(no prompt)", "You keep running out of reports | Upgrade to Pro", "(no prompt)"];
    assert.deepEqual(out.trim().split("\n"), rendered);
  },
};

for (const [name, check] of Object.entries(EXAMPLES)) {
  const file = new URL(`../examples/${name}`, import.meta.url);
  test(`the README quotes js/examples/${name} verbatim`, () => {
    assert.ok(readme.includes("```js\n" + readFileSync(file, "utf8") + "```"), `README.md and ${name} differ`);
  });
  test(`js/examples/${name} runs against the built package`, () => check(run(file)));
}
