// Every prompt placement (inline, banner, modal, toast) in the demo, checked with axe-core.
//
// How axe gets in under the strict CSP: `page.addScriptTag` would add an inline <script>, which
// `script-src 'self'` blocks (and reports as a violation). Instead the tests evaluate axe's source
// (npm axe-core's `axe.source`) with `page.evaluate`, which Chromium runs through the DevTools
// protocol and does not subject to the page's CSP. The page under test keeps its CSP meta, and
// the test still asserts that the page itself caused no violation.
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

/** Opens the reports page with every offer moved to `placement`, then hits the limit three times. */
async function promptIn(ctx, placement) {
  const page = await ctx.page("/demo/#/reports");
  if (placement !== "inline") {
    await page.locator("#ins-placement").selectOption(placement);
    await H.ready(page);
    assert.equal(await page.locator("#ins-placement").inputValue(), placement);
  }
  await page.locator("#report-meter", { hasText: "8 of 10" }).waitFor();
  await H.saveReports(page, 5); // two fit, three hit the limit
  const p = page.locator(`.earned-prompt--${placement}`);
  await p.waitFor();
  assert.equal(await p.getAttribute("data-earned-offer"), "more_reports");
  assert.match(await p.innerText(), /limit 3 times/);
  // Let the entrance animation end, so the screenshot and axe's contrast check see the final colours.
  await p.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));
  await H.screenshot(page, `prompt-${placement}`);
  return { page, p };
}

function assertNoViolations(violations, where) {
  assert.deepEqual(
    violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.join(", ")}`),
    [],
    `axe found problems with the ${where}`,
  );
}

test("inline prompt: in its slot, a labelled region, axe finds nothing", async () => {
  await H.world(browser, "a11y-inline", async (ctx) => {
    const { page, p } = await promptIn(ctx, "inline");
    assert.equal(await p.evaluate((el) => el.parentElement.dataset.earnedSlot), "reports");
    assert.equal(await p.getAttribute("role"), "region");
    assert.equal(await p.getAttribute("aria-label"), "Out of reports again");
    assertNoViolations(await H.axe(page), "page with an inline prompt");
  });
});

test("banner prompt: at the top of the app, axe finds nothing", async () => {
  await H.world(browser, "a11y-banner", async (ctx) => {
    const { page, p } = await promptIn(ctx, "banner");
    assert.equal(await p.evaluate((el) => el.parentElement.id), "prompt-root");
    const box = await p.boundingBox();
    assert.ok(box.y < 10, `the banner is at the top (y=${box.y})`);
    assertNoViolations(await H.axe(page), "page with a banner prompt");
  });
});

test("modal prompt: a labelled dialog that takes focus and closes on Escape, axe finds nothing", async () => {
  await H.world(browser, "a11y-modal", async (ctx) => {
    const { page, p } = await promptIn(ctx, "modal");
    assert.equal(await p.getAttribute("role"), "dialog");
    assert.equal(await p.getAttribute("aria-modal"), "true");
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Move to Team");
    assertNoViolations(await H.axe(page), "page with a modal prompt");
    await page.keyboard.press("Escape");
    await p.waitFor({ state: "detached" });
    await page.locator("#log li", { hasText: "more_reports: dismissed" }).waitFor();
    // Focus goes back to where it was: the button that caused the prompt.
    assert.equal(await page.evaluate(() => document.activeElement?.id), "save-report");
  });
});

test("toast prompt: a polite status in the corner, axe finds nothing", async () => {
  await H.world(browser, "a11y-toast", async (ctx) => {
    const { page, p } = await promptIn(ctx, "toast");
    assert.equal(await p.getAttribute("role"), "status");
    assert.equal(await p.getAttribute("aria-live"), "polite");
    const box = await p.boundingBox();
    const vp = page.viewportSize();
    assert.ok(box.x + box.width > vp.width - 40 && box.y + box.height > vp.height - 40, "bottom corner");
    assertNoViolations(await H.axe(page), "page with a toast prompt");
  });
});
