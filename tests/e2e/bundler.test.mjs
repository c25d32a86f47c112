// earned from a bundler: a host app (tests/e2e/vite-host/) that imports the package's runtime
// build by name, with a playbook compiled by `earned compile`, is built by Vite, then loaded in
// Chromium under a strict CSP. The runtime's wasm (and only it) and the CSS must come out as
// assets of the host's build, and the bundle must not pull in anything meant for Node.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { build } from "vite";
import * as H from "./helpers.mjs";

const OUT = join(H.ROOT, "test-results", "vite-host");
let server;
let browser;
const warnings = [];
before(async () => {
  const logger = {
    info() {},
    warn: (msg) => warnings.push(msg),
    warnOnce: (msg) => warnings.push(msg),
    error: (msg) => warnings.push(msg),
    clearScreen() {},
    hasErrorLogged: () => false,
    hasWarned: false,
  };
  const compiled = join(H.ROOT, "tests", "e2e", "vite-host", "playbook.compiled.json");
  const cli = join(H.ROOT, "js", "cli.js");
  execFileSync(process.execPath, [cli, "compile", join(H.ROOT, "tests/fixtures/minimal.json"), "-o", compiled]);
  await build({
    root: join(H.ROOT, "tests", "e2e", "vite-host"),
    base: "./",
    customLogger: logger,
    build: { outDir: OUT, emptyOutDir: true },
  });
  server = await H.serve();
  browser = await H.launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

test("Vite bundles the package with its wasm and stylesheet, without a warning", () => {
  assert.deepEqual(warnings, []);
  const assets = readdirSync(join(OUT, "assets"));
  const wasm = assets.filter((f) => f.endsWith(".wasm"));
  assert.equal(wasm.length, 1, `one wasm expected among ${assets}`);
  const runtime = statSync(join(H.ROOT, "pkg-runtime", "earned_bg.wasm")).size;
  assert.equal(statSync(join(OUT, "assets", wasm[0])).size, runtime, "the wasm is the runtime build's");
  assert.ok(assets.some((f) => f.endsWith(".css")), `no stylesheet among ${assets}`);
  const js = assets.filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(OUT, "assets", f), "utf8"));
  const nodeImport = /(?:import\s*\(|from\s*)["'`]node:/;
  assert.ok(!js.some((code) => nodeImport.test(code)), "the browser bundle imports a Node module");
});

test("the bundled host app shows the prompt in its slot, styled, under a strict CSP", async () => {
  const ctx = await H.open(browser, server.url);
  const page = await ctx.page(null);
  await page.goto(server.url + "/test-results/vite-host/index.html");
  await page.locator('body[data-engine="ready"]').waitFor();
  await page.evaluate(() => window.earned.decide());
  const prompt = page.locator('[data-earned-slot="reports"] .earned-prompt');
  await prompt.waitFor();
  assert.match(await prompt.innerText(), /You keep running out of reports/);
  // The stylesheet came through the bundle: the prompt is laid out by earned.css, not the UA's defaults.
  const padding = await prompt.evaluate((el) => getComputedStyle(el).paddingTop);
  assert.notEqual(padding, "0px");
  await H.screenshot(page, "vite-host");
  await ctx.check();
  await ctx.close();
});
