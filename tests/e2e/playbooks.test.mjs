// The inspector's playbook switcher: every example playbook loads in the demo, gets an event
// console, and its events can earn a prompt in the offer's inline slot; "Your playbook" checks and
// loads an edited one.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as H from "./helpers.mjs";

let browser;
before(async () => {
  browser = await H.launch();
});
after(async () => {
  await browser?.close();
});

const OTHERS = ["crm", "project-management", "seo", "data-warehouse", "hr", "dev-tool", "email-platform"];

test("each of the other seven example playbooks loads with an event console", async () => {
  const server = await H.serve();
  const ctx = await H.open(browser, server.url);
  try {
    const page = await ctx.page();
    for (const id of OTHERS) {
      await page.locator("#ins-playbook").selectOption(id);
      await H.ready(page);
      await page.locator("h1", { hasText: `Event console: ${id}` }).waitFor();
      await page.locator("#explain", { hasText: `playbook \`${id}\`` }).waitFor();
      const offers = await page.evaluate(async (pid) => (await (await fetch(`/examples/playbooks/${pid}.json`)).json()).offers.length, id);
      assert.equal(await page.locator(".console > li").count(), offers, `${id}: one card per offer`);
      assert.match(await page.locator("#explain").innerText(), /Activation: reached\./, id);
    }
    await H.screenshot(page, "playbook-console");
    await ctx.check();
  } finally {
    await ctx.close();
    server.stop();
  }
});

test("the HR playbook: repeated payroll exports earn the payroll add-on prompt in its slot", async () => {
  const server = await H.serve();
  const ctx = await H.open(browser, server.url);
  try {
    const page = await ctx.page();
    await page.locator("#ins-playbook").selectOption("hr");
    await H.ready(page);
    await page.locator("h1", { hasText: "Event console: hr" }).waitFor();
    const card = page.locator(".console > li", { hasText: "payroll" }).first();
    await card.getByRole("button", { name: /workaround/ }).click();
    await page.locator("#explain", { hasText: "payroll_export within 45d: measured 1 against 2" }).waitFor();
    assert.equal(await page.locator(".earned-prompt").count(), 0);
    await card.getByRole("button", { name: /workaround/ }).click();
    const p = page.locator('[data-earned-slot="exports"] .earned-prompt');
    await p.waitFor();
    assert.equal(await p.getAttribute("data-earned-offer"), "payroll");
    await H.screenshot(page, "playbook-hr-prompt");
    await ctx.check();
  } finally {
    await ctx.close();
    server.stop();
  }
});

test("your playbook: edited JSON is checked as createEngine checks it; errors name the path, a clean edit loads", async () => {
  const server = await H.serve();
  const ctx = await H.open(browser, server.url);
  try {
    const page = await ctx.page();
    await page.locator("#ins-playbook").selectOption("custom");
    await H.ready(page);
    const editor = page.locator("#ins-custom");
    const playbook = JSON.parse(await editor.inputValue());
    assert.equal(playbook.id, "support-desk", "the editor starts from the playbook on screen");

    // A calendar-only trigger is refused with its path; the running playbook stays.
    const calendar = structuredClone(playbook);
    calendar.offers[0].trigger = { renewal: { within: "60d" } };
    await editor.fill(JSON.stringify(calendar, null, 2));
    await page.locator("#ins-custom-load").click();
    await page.locator("#ins-problems", { hasText: "error at offers[0].trigger [calendar_trigger]" }).waitFor();
    assert.match(await page.locator("#explain").innerText(), /playbook `support-desk`/);

    await editor.fill("{ not json");
    await page.locator("#ins-custom-load").click();
    await page.locator("#ins-problems", { hasText: "[not_json]" }).waitFor();

    // A clean edit loads, gets the event console, and is still there after a reload.
    const mine = structuredClone(playbook);
    mine.id = "my-desk";
    await editor.fill(JSON.stringify(mine));
    await page.locator("#ins-custom-load").click();
    await page.locator("#explain", { hasText: "playbook `my-desk`" }).waitFor();
    await page.locator("h1", { hasText: "Event console" }).waitFor();
    await H.reload(page);
    await page.locator("#explain", { hasText: "playbook `my-desk`" }).waitFor();
    assert.equal(JSON.parse(await page.locator("#ins-custom").inputValue()).id, "my-desk");
    await H.screenshot(page, "playbook-custom");
    await ctx.check();
  } finally {
    await ctx.close();
    server.stop();
  }
});
