// Shared helpers for the end-to-end tests: a server of our own on a free port, Debian's
// Chromium through playwright-core, and the checks every test makes (nothing left 127.0.0.1,
// no CSP violation, no console error).
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { resolve, join } from "node:path";
import { createRequire } from "node:module";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

export const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const RESULTS = join(ROOT, "test-results", "e2e");
const require = createRequire(import.meta.url);
export const AXE_PATH = require.resolve("axe-core/axe.min.js");

/** Starts scripts/serve.mjs on a free port; resolves to { url, stop }. */
export function serve() {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [join(ROOT, "scripts/serve.mjs"), "--port", "0"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const timer = setTimeout(() => fail(new Error(`serve.mjs did not start: ${out}`)), 10_000);
    child.stdout.on("data", (b) => {
      out += b;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) {
        clearTimeout(timer);
        ok({ url: `http://127.0.0.1:${m[1]}`, stop: () => child.kill("SIGTERM") });
      }
    });
    child.stderr.on("data", (b) => (out += b));
    child.on("exit", (code) => fail(new Error(`serve.mjs exited with ${code}: ${out}`)));
  });
}

export async function launch() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

// Runs in the page before any of its scripts: records CSP violations where the test can read them.
const RECORD_CSP = () => {
  window.__cspViolations = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
  });
};

/**
 * A fresh browser context with the watchers every test needs. `ctx.page()` opens a watched page.
 * `ctx.check()` asserts: no request left 127.0.0.1, no CSP violation, no console error.
 */
export async function open(browser, base) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript(RECORD_CSP);
  const offsite = [];
  const errors = [];
  const pages = [];
  const ctx = {
    context,
    async page(path = "/demo/") {
      const page = await context.newPage();
      page.on("request", (r) => {
        const u = new URL(r.url());
        if (!(u.protocol === "data:" || u.protocol === "blob:" || u.hostname === "127.0.0.1")) offsite.push(r.url());
      });
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
      pages.push(page);
      if (path) await goto(page, base + path);
      return page;
    },
    async check() {
      assert.deepEqual(offsite, [], "requests left 127.0.0.1");
      for (const page of pages) {
        if (page.isClosed()) continue;
        const violations = await page.evaluate(() => window.__cspViolations || []);
        assert.deepEqual(violations, [], "CSP violations");
      }
      assert.deepEqual(errors, [], "console errors");
    },
    close: () => context.close(),
  };
  return ctx;
}

/** Loads a page and waits until the demo has decided once (the inspector shows a decision). */
export async function goto(page, url) {
  await page.goto(url);
  await ready(page);
}

export async function ready(page) {
  // The demo shows a decision once the engine runs, or says why it could not start.
  await page.locator('body[data-engine="ready"] #decision-summary, .fatal').first().waitFor();
  const fatal = page.locator(".fatal");
  if (await fatal.count()) throw new Error(`the demo did not start: ${await fatal.innerText()}`);
}

export async function reload(page) {
  await page.reload();
  await ready(page);
}

export async function screenshot(page, name) {
  mkdirSync(RESULTS, { recursive: true });
  const path = join(RESULTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** The text of the inspector's decision summary and of engine.explain(). */
export async function decision(page) {
  return {
    summary: await page.locator("#decision-summary").innerText(),
    explain: await page.locator("#explain").innerText(),
  };
}

/** The outcome log's lines, newest first. */
export async function log(page) {
  return page.locator("#log li").allInnerTexts();
}

/** Go to a desk page by its navigation link. */
export async function nav(page, name) {
  await page.getByRole("link", { name, exact: true }).click();
  await page.locator("h1", { hasText: name }).waitFor();
}

/** Saves `n` reports on the reports page (past the limit each one is a limit hit). */
export async function saveReports(page, n) {
  for (let i = 0; i < n; i++) await page.locator("#save-report").click();
}

/** Picks an account preset in the inspector and waits for the engine to restart. */
export async function preset(page, id) {
  await page.locator("#ins-preset").selectOption(id);
  await ready(page);
  assert.equal(await page.locator("#ins-preset").inputValue(), id);
}

/** Runs axe-core on the page (see a11y notes in prompts.test.mjs) and returns its violations. */
export async function axe(page, include) {
  const { source } = await import("axe-core").then((m) => m.default || m);
  // The strict CSP would block an injected <script>; evaluating axe's source is not subject to it
  // (Playwright evaluates through the DevTools protocol), so the page and its CSP stay as they are.
  await page.evaluate(source);
  return page.evaluate(async (sel) => {
    const r = await window.axe.run(sel ? { include: [sel] } : document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  }, include);
}

/**
 * One test's world: its own server on a free port and a fresh browser context; afterwards the
 * page's checks (no CSP violation, no console error, no request off 127.0.0.1), a screenshot
 * named `name`, and everything closed.
 */
export async function world(browser, name, fn) {
  const server = await serve();
  const ctx = await open(browser, server.url);
  try {
    await fn(ctx, server.url);
    await ctx.check();
  } finally {
    const pages = ctx.context.pages();
    if (pages.length) await screenshot(pages[0], name).catch(() => {});
    await ctx.close();
    server.stop();
  }
}
