// The Helpwise demo, end to end through its real UI: earned's decisions as a customer of the
// support desk meets them, and as the inspector explains them.
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

const slot = (page, name) => page.locator(`[data-earned-slot="${name}"]`);
const prompt = (page, name) => slot(page, name).locator(".earned-prompt");

test("repeated report-limit hits show the usage upsell inline next to the reports, with the count", async () => {
  await H.world(browser, "limit-hits-inline", async (ctx) => {
    const page = await ctx.page("/demo/#/reports");
    await H.nav(page, "Reports");
    await assert.doesNotReject(page.locator("#report-meter").filter({ hasText: "8 of 10" }).waitFor());
    // Two reports still fit, the next two hit the limit: not yet a pattern.
    await H.saveReports(page, 4);
    await page.locator("#report-meter").filter({ hasText: "10 of 10" }).waitFor();
    assert.equal(await prompt(page, "reports").count(), 0, "two limit hits are not enough");
    assert.match((await H.decision(page)).explain, /limit_hit where metric=reports within 30d: measured 2 against 3/);
    // The third hit is.
    await H.saveReports(page, 1);
    const p = prompt(page, "reports");
    await p.waitFor();
    assert.equal(await p.getAttribute("data-earned-offer"), "more_reports");
    assert.match(await p.innerText(), /10-report monthly limit 3 times in the last 30 days/);
    assert.match(await p.innerText(), /Move to Team/);
    // Inline: inside the reports slot, right under the "Save report" form.
    const formBox = await page.locator("#new-report").boundingBox();
    const promptBox = await p.boundingBox();
    assert.ok(promptBox.y > formBox.y && promptBox.y - (formBox.y + formBox.height) < 80, "the prompt sits next to the report form");
    assert.match((await H.decision(page)).summary, /Shows more_reports \(inline in “reports”/);
    await page.locator("#log li", { hasText: "more_reports: shown" }).waitFor();
    // Two more hits: the copy follows the evidence.
    await H.saveReports(page, 2);
    await page.waitForFunction(() => /limit 5 times/.test(document.querySelector('[data-earned-slot="reports"]')?.textContent || ""));
    await H.screenshot(page, "support-desk-inline-prompt");
  });
});

test("an account that has not reached its first outcome gets nothing, and the trace says why", async () => {
  await H.world(browser, "not-activated", async (ctx) => {
    const page = await ctx.page();
    await H.preset(page, "brightside-tea");
    await H.nav(page, "Reports");
    await H.saveReports(page, 6);
    await page.locator("#explain", { hasText: "measured 4 against 3" }).waitFor();
    assert.equal(await prompt(page, "reports").count(), 0);
    const d = await H.decision(page);
    assert.match(d.summary, /^Nothing shown/);
    assert.match(d.summary, /activation_not_reached/);
    assert.match(d.explain, /Activation: NOT reached \(missing first_ticket_solved, first_teammate_assigned\)/);
    // Reaching both milestones in the inbox earns the right to ask.
    await H.nav(page, "Inbox");
    await page.getByRole("button", { name: "Assign to Priya" }).first().click();
    await page.getByRole("button", { name: "Solve" }).first().click();
    await page.locator("#explain", { hasText: "Activation: reached." }).waitFor();
    await H.nav(page, "Reports");
    await prompt(page, "reports").waitFor();
  });
});

test("a dismissal and its cooldown survive a reload", async () => {
  await H.world(browser, "dismissal-reload", async (ctx) => {
    const page = await ctx.page("/demo/#/reports");
    await H.saveReports(page, 5);
    const p = prompt(page, "reports");
    await p.waitFor();
    await p.getByRole("button", { name: "Not now" }).click();
    await p.waitFor({ state: "detached" });
    await page.locator("#log li", { hasText: "more_reports: dismissed" }).waitFor();

    await H.reload(page);
    await page.locator("#report-meter").waitFor();
    assert.equal(await prompt(page, "reports").count(), 0, "still dismissed after the reload");
    let d = await H.decision(page);
    assert.match(d.explain, /more_reports \(usage\): capped/);
    assert.match(d.explain, /cap `cooldown`: dismissed/);
    // A week later and three more hits: the 21-day cooldown still holds.
    await page.locator("#ins-advance-7").click();
    await H.saveReports(page, 3);
    await page.locator("#explain", { hasText: "measured 6 against 3" }).waitFor();
    assert.equal(await prompt(page, "reports").count(), 0);
    d = await H.decision(page);
    assert.match(d.summary, /\[cooldown\]/);
    assert.deepEqual(
      (await H.log(page)).filter((l) => /more_reports: shown/.test(l)).length,
      1,
      "shown once, never again during the cooldown",
    );
  });
});

test("a conversion starts the post-expansion watch; past its window the log gets the verdict", async () => {
  await H.world(browser, "conversion-watch", async (ctx) => {
    const page = await ctx.page("/demo/#/reports");
    await H.saveReports(page, 5);
    const p = prompt(page, "reports");
    await p.waitFor();
    await p.getByRole("button", { name: "Move to Team" }).click();
    const checkout = page.locator("#checkout");
    await checkout.waitFor();
    assert.match(await checkout.innerText(), /Team for Northwind Bikes/);
    await page.locator("#checkout-confirm").click();
    await page.locator("#log li", { hasText: "more_reports: converted" }).waitFor();
    await page.locator("#plan-badge", { hasText: "Team plan" }).waitFor();
    assert.ok((await H.log(page)).some((l) => /more_reports: clicked/.test(l)));
    // On Team the limit is 60: the team uses what it bought (the watch wants 12 reports in 30 days).
    await page.locator("#report-meter", { hasText: "of 60" }).waitFor();
    await H.saveReports(page, 12);
    await page.locator("#report-meter", { hasText: "22 of 60" }).waitFor();
    assert.ok(!(await H.log(page)).some((l) => /expansion_/.test(l)), "no verdict before the window ends");
    await page.locator("#ins-advance-31").click();
    const verdict = page.locator("#log li", { hasText: "expansion_realized" });
    await verdict.waitFor();
    assert.match(await verdict.innerText(), /more_reports: expansion_realized \(12 of the 12 uses the watch expects/);
  });
});

test("a conversion nobody uses is flagged at risk", async () => {
  await H.world(browser, "conversion-at-risk", async (ctx) => {
    const page = await ctx.page("/demo/#/reports");
    await H.saveReports(page, 5);
    await prompt(page, "reports").getByRole("button", { name: "Move to Team" }).click();
    await page.locator("#checkout-confirm").click();
    await page.locator("#log li", { hasText: "more_reports: converted" }).waitFor();
    await page.locator("#ins-advance-31").click();
    await page.locator("#log li", { hasText: "more_reports: expansion_at_risk" }).waitFor();
    assert.ok(!(await H.log(page)).some((l) => /expansion_realized/.test(l)));
  });
});

test("a CS hold silences a prompt that is on screen, and lifting it brings it back", async () => {
  await H.world(browser, "cs-hold", async (ctx) => {
    const page = await ctx.page("/demo/#/reports");
    await H.saveReports(page, 5);
    await prompt(page, "reports").waitFor();
    await page.locator("#ins-cs-hold").check();
    await prompt(page, "reports").waitFor({ state: "detached" });
    const d = await H.decision(page);
    assert.match(d.summary, /customer success holds this account \[cs_hold\]/);
    await page.locator("#ins-cs-hold").uncheck();
    await prompt(page, "reports").waitFor();
  });
});

test("two tabs: a prompt shown and dismissed in one counts in the other", async () => {
  await H.world(browser, "two-tabs", async (ctx) => {
    const a = await ctx.page("/demo/#/reports");
    await H.saveReports(a, 5);
    await prompt(a, "reports").waitFor();
    const b = await ctx.page("/demo/#/reports");
    // The prompt belongs to the tab that shows it.
    assert.equal(await prompt(b, "reports").count(), 0);
    assert.match((await H.decision(b)).summary, /\[shown_in_another_tab\]/);
    await prompt(a, "reports").getByRole("button", { name: "Not now" }).click();
    await b.locator("#decision-summary", { hasText: "[cooldown]" }).waitFor();
    // Tab B's own friction (four CSV exports) fires another offer, but today's one prompt was shown in tab A.
    await H.nav(b, "Inbox");
    for (let i = 0; i < 4; i++) await b.locator("#export-csv").click();
    await b.locator("#explain", { hasText: "csv_export within 30d: measured 4 against 4" }).waitFor();
    assert.match((await H.decision(b)).explain, /automation_tier \(feature_tier\): capped\n.*\n\s+cap `daily_cap`/);
    assert.equal(await b.locator(".earned-prompt").count(), 0);
    // The next day tab B may ask.
    await b.locator("#ins-advance-1").click();
    await prompt(b, "export-menu").waitFor();
    assert.match(await prompt(b, "export-menu").innerText(), /exported tickets to CSV 4 times/);
  });
});

test("a holdout account never sees a prompt; the trace names what it would have shown", async () => {
  await H.world(browser, "holdout", async (ctx) => {
    const page = await ctx.page();
    await H.preset(page, "fig-support");
    await H.nav(page, "Reports");
    await H.saveReports(page, 5);
    await page.locator("#explain", { hasText: "measured 3 against 3" }).waitFor();
    assert.equal(await prompt(page, "reports").count(), 0);
    const d = await H.decision(page);
    assert.match(d.summary, /holdout group.*\[holdout\]/);
    assert.match(d.explain, /more_reports \(usage\): held out/);
    assert.match(d.explain, /Would have shown `more_reports` \(held out\)/);
    assert.ok(!(await H.log(page)).some((l) => /more_reports: shown$/.test(l)), "no shown outcome in the log");
  });
});

test("each friction in the desk earns its own offer, next to it, naming the evidence", async () => {
  await H.world(browser, "every-friction", async (ctx) => {
    const page = await ctx.page();
    const steps = [
      {
        page: "Inbox",
        act: async () => {
          await page.locator("#simulate-tickets").click();
          await page.locator("#simulate-tickets").click();
        },
        slot: "ticket-list",
        offer: "kb_addon",
        copy: /% of your 2\d tickets in the last 30 days were about 3 topics: /,
      },
      {
        page: "Integrations",
        act: async () => {
          for (let i = 0; i < 3; i++) await page.locator("#request-salesforce").click();
        },
        slot: "integrations",
        offer: "crm_sync",
        copy: /asked for the Salesforce connection 3 times in 30 days/,
      },
      {
        page: "Team",
        act: async () => {
          for (let i = 0; i < 2; i++) await page.locator("#send-invite").click();
        },
        slot: "team-settings",
        offer: "agent_seats",
        copy: /5 of 5 agent seats are in use, and 2 more people were invited in the last 14 days/,
      },
      {
        page: "Inbox",
        act: async () => {
          for (let i = 0; i < 4; i++) await page.locator("#export-csv").click();
        },
        slot: "export-menu",
        offer: "automation_tier",
        copy: /exported tickets to CSV 4 times in 30 days/,
      },
    ];
    for (const step of steps) {
      await H.nav(page, step.page);
      await step.act();
      const p = prompt(page, step.slot);
      await p.waitFor();
      assert.equal(await p.getAttribute("data-earned-offer"), step.offer);
      assert.match(await p.innerText(), step.copy);
      await p.getByRole("button", { name: "Not now" }).click();
      await p.waitFor({ state: "detached" });
      // One prompt a day and two a week at most: the next friction gets its turn four days later
      // (still inside the 21-day cooldown of the dismissed ones).
      for (let i = 0; i < 4; i++) await page.locator("#ins-advance-1").click();
    }
    const shown = (await H.log(page)).filter((l) => /: shown$/.test(l)).map((l) => l.replace(/.* · (\w+): shown$/, "$1"));
    assert.deepEqual(shown.reverse(), steps.map((s) => s.offer));
  });
});

test("the right owner asks: a user who may not buy is told to ask an admin; a large account is routed to sales", async () => {
  await H.world(browser, "owners", async (ctx) => {
    const page = await ctx.page("/demo/#/reports");
    await page.locator("#ins-can-buy").uncheck();
    await H.saveReports(page, 5);
    const p = prompt(page, "reports");
    await p.waitFor();
    assert.equal(await p.getAttribute("data-earned-cta"), "ask_admin");
    assert.match(await p.innerText(), /Ask your admin for Team/);
    await p.getByRole("button", { name: "Not now" }).click();
    await page.locator("#ins-can-buy").check();
    // A $25k account: the feature-tier offer belongs to sales. The UI says so, the host is told.
    await page.locator("#ins-acv").fill("25000");
    await page.locator("#ins-acv").press("Tab");
    await page.locator("#ins-advance-1").click();
    await H.nav(page, "Inbox");
    for (let i = 0; i < 4; i++) await page.locator("#export-csv").click();
    const q = prompt(page, "export-menu");
    await q.waitFor();
    assert.equal(await q.getAttribute("data-earned-cta"), "talk_to_us");
    assert.match(await q.innerText(), /Talk to sales about Automation/);
    await page.locator("#log li", { hasText: "automation_tier: routed to sales (count 4, days 30)" }).waitFor();
    assert.match((await H.decision(page)).summary, /owner sales/);
  });
});
