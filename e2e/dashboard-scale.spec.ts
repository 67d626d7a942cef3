import { SANDBOX_SIZES } from "./env";
import { expect, test } from "./fixtures";
import { DashboardPage } from "./pages/dashboard-page";

const TARGET = 10_000;

test("with 10,000 rows loaded the DOM holds fewer than 100 row elements", async ({
  page,
  signedIn,
}) => {
  void signedIn;
  test.skip(
    SANDBOX_SIZES.telnyxUsers < TARGET,
    `needs a sandbox with at least ${TARGET} Telnyx users: run with SANDBOX_TELNYX_USERS=10500`,
  );
  test.setTimeout(300_000);
  const dashboard = new DashboardPage(page);
  await dashboard.goto("?provider=telnyx");
  await dashboard.waitForList();

  await dashboard.scrollToEnd({ timeoutMs: 240_000 });
  const loaded = Number(
    ((await dashboard.count.textContent()) ?? "").match(/Showing ([\d,]+)/)?.[1]?.replace(/,/g, ""),
  );
  expect(loaded).toBeGreaterThanOrEqual(TARGET);

  // At the bottom, in the middle and at the top of 10,000 rows.
  for (const where of [1, 0.5, 0]) {
    await dashboard.scroller.evaluate((el, at) => {
      el.scrollTop = (el.scrollHeight - el.clientHeight) * at;
    }, where);
    await page.waitForTimeout(100);
    const rendered = await page.locator("[role=row]").count();
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(100);
  }

  // Smooth scrolling: frames keep coming while a long scroll runs through 10,000 rows.
  const frameTimes = await dashboard.scroller.evaluate(async (el) => {
    const times: number[] = [];
    let last = performance.now();
    for (let i = 0; i < 120; i++) {
      el.scrollTop += 400;
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const now = performance.now();
      times.push(now - last);
      last = now;
    }
    return times.sort((a, b) => a - b);
  });
  const median = frameTimes[Math.floor(frameTimes.length / 2)] ?? Infinity;
  test.info().annotations.push({ type: "median frame (ms)", description: median.toFixed(1) });
  expect(median).toBeLessThan(50);
});
