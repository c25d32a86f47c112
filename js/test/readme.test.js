// The README's examples are tests: the README quotes js/examples/embed.js and headless.js
// verbatim, and each file runs against the built package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";

const example = new URL("../examples/embed.js", import.meta.url);

test("the README quotes the embed example verbatim", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  assert.ok(readme.includes("```js\n" + readFileSync(example, "utf8") + "```"), "README.md and js/examples/embed.js differ");
});

test("the embed example runs and shows the prompt", () => {
  const out = execFileSync(process.execPath, [example.pathname], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  assert.match(out, /^You keep running out of reports$/m);
  assert.match(out, /Shows `more_reports`/);
});

const headless = new URL("../examples/headless.js", import.meta.url);

test("the README quotes the headless example verbatim", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const quoted = readme.includes("```js\n" + readFileSync(headless, "utf8") + "```");
  assert.ok(quoted, "README.md and js/examples/headless.js differ");
});

test("the headless example renders the prompt, then nothing once it is dismissed", () => {
  const out = execFileSync(process.execPath, [headless.pathname], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const rendered = ["(no prompt)", "You keep running out of reports | Upgrade to Pro", "(no prompt)"];
  assert.deepEqual(out.trim().split("\n"), rendered);
});
