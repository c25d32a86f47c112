// <earned-prompt> on a page without a framework (js/examples/element.html): the newest engine's
// prompt for the element's slot shows inside it, as text, under a strict CSP.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as H from "./helpers.mjs";

let server;
let browser;
before(async () => {
  server = await H.serve();
  browser = await H.launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

test("<earned-prompt slot> renders the prompt of its placement and follows the engine", async () => {
  const ctx = await H.open(browser, server.url);
  const page = await ctx.page(null);
  await page.goto(server.url + "/js/examples/element.html");
  await page.locator('body[data-engine="ready"]').waitFor();
  const el = page.locator("earned-prompt[slot=reports]");
  assert.equal(await el.getAttribute("data-earned-slot"), "reports");
  assert.equal(await el.locator(".earned-prompt").count(), 0);

  await page.evaluate(() => {
    localStorage.clear();
    for (let i = 0; i < 3; i++) window.earned.track({ type: "limit_hit", metric: "reports" });
  });
  const prompt = el.locator(".earned-prompt");
  await prompt.waitFor();
  assert.match(await prompt.innerText(), /You keep running out of reports/);

  await prompt.getByRole("button", { name: "Upgrade to Pro" }).click();
  await page.locator("body[data-upgrade]").waitFor();
  assert.equal(await page.locator("body").getAttribute("data-upgrade"), "/billing?plan=pro");
  assert.equal(await el.locator(".earned-prompt").count(), 0);
  await ctx.check();
  await ctx.close();
});
