import { expectedIds } from "./dashboard-expected";
import { SANDBOX_SIZES } from "./env";
import { expect, test } from "./fixtures";
import { DashboardPage } from "./pages/dashboard-page";

const fmt = (n: number) => n.toLocaleString("en-US");

test.describe("the dashboard under vendor faults", () => {
  test("a failing first page shows the API's message, and Try again recovers", async ({
    page,
    signedIn,
    sandbox,
  }) => {
    void signedIn;
    test.setTimeout(120_000);
    await sandbox.setFaults({ outageAfter: 0 });
    // What the API itself says during the outage: the panel must show that message.
    const res = await page.request.get("/api/telnyx/users?limit=100");
    expect(res.status()).toBe(503);
    const body = (await res.json()) as { error: { code: string; message: string } };

    const dashboard = new DashboardPage(page);
    await dashboard.goto("?provider=telnyx");
    await expect(dashboard.errorPanel).toBeVisible({ timeout: 60_000 });
    await expect(dashboard.errorPanel).toContainText(body.error.message);
    await expect(dashboard.errorPanel.getByTestId("error-code")).toHaveText(body.error.code);
    await expect(dashboard.rows).toHaveCount(0);

    await sandbox.reset();
    await dashboard.errorPanel.getByRole("button", { name: "Try again" }).click();
    await expect(dashboard.rows.first()).toHaveAttribute(
      "data-row-id",
      expectedIds("telnyx")[0] ?? "",
    );
    await expect(dashboard.errorPanel).toHaveCount(0);
  });

  test("a failing later page keeps the loaded rows and offers an inline retry", async ({
    page,
    signedIn,
    sandbox,
  }) => {
    void signedIn;
    test.setTimeout(120_000);
    const dashboard = new DashboardPage(page);
    await dashboard.goto("?provider=telnyx");
    await dashboard.waitForList();
    const total = fmt(SANDBOX_SIZES.telnyxUsers);
    await expect(dashboard.count).toHaveText(`Showing 100 of ${total} users`);

    await sandbox.setFaults({ outageAfter: 0 });
    await dashboard.scroller.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await expect(dashboard.inlineRetry).toBeVisible({ timeout: 60_000 });
    await expect(dashboard.count).toHaveText(`Showing 100 of ${total} users`);
    await expect(dashboard.rows.last()).toHaveAttribute("aria-rowindex", "101");
    await expect(dashboard.endOfList).toHaveCount(0);

    await sandbox.reset();
    await dashboard.inlineRetry.click();
    await expect(dashboard.count).toHaveText(new RegExp(`Showing (200|300) of ${total} users`));
    await expect(dashboard.inlineRetry).toHaveCount(0);
  });

  test("with 20% of vendor requests failing, scrolling to the end still shows every row exactly once", async ({
    page,
    signedIn,
    sandbox,
  }) => {
    void signedIn;
    test.setTimeout(400_000);
    await sandbox.setFaults({ rate429: 0.1, rate5xx: 0.1, retryAfterSeconds: 0 });
    const dashboard = new DashboardPage(page);
    for (const provider of ["openai", "telnyx"] as const) {
      await dashboard.goto(`?provider=${provider}`);
      const { retries } = await dashboard.scrollToEnd({ retryFailures: true, timeoutMs: 180_000 });
      const { ids, problems } = await dashboard.collectRowIds();
      expect(problems).toEqual([]);
      expect(ids).toEqual(expectedIds(provider));
      test
        .info()
        .annotations.push({ type: `${provider} inline retries`, description: String(retries) });
    }
    // The faults really happened (40 or so vendor requests at 20%).
    const faults = (await sandbox.state()).counters.faults as Record<string, number>;
    expect((faults.rate429 ?? 0) + (faults.rate5xx ?? 0)).toBeGreaterThan(0);
  });
});
