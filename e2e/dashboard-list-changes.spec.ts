import { expectedIds } from "./dashboard-expected";
import { SANDBOX_SIZES } from "./env";
import { syncAndWait } from "./directory-sync";
import { expect, test } from "./fixtures";
import type { DashboardPage } from "./pages/dashboard-page";

/*
 * Users added or removed at the vendor while the dashboard scrolls or exports:
 * the sandbox changes its data through its control endpoint, and the fixture's
 * reset puts the generated users back after each test.
 */
const fmt = (n: number) => n.toLocaleString("en-US");

/** Scrolls the grid to its end, where the next page is asked for, and waits for the alert that the list changed. */
async function scrollIntoListChange(dashboard: DashboardPage) {
  await dashboard.scroller.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  const changed = dashboard.page
    .getByRole("alert")
    .filter({ hasText: "The list changed while you scrolled" });
  await expect(changed).toBeVisible({ timeout: 30_000 });
  return changed;
}

test.describe("the list changing at the vendor", () => {
  test("Telnyx: a user removed mid-scroll stops the scroll with a reload, which starts over", async ({
    dashboard,
    sandbox,
  }) => {
    test.setTimeout(120_000);
    await dashboard.goto("?provider=telnyx");
    await dashboard.waitForList();
    const total = SANDBOX_SIZES.telnyxUsers;
    await expect(dashboard.count).toHaveText(`Showing 100 of ${fmt(total)} users`);

    const removed = expectedIds("telnyx")[10] ?? "";
    await sandbox.mutate({ vendor: "telnyx", remove: [removed] });
    const changed = await scrollIntoListChange(dashboard);
    // Nothing was appended from the shifted page.
    await expect(dashboard.count).toHaveText(`Showing 100 of ${fmt(total)} users`);

    await changed.getByRole("button", { name: "Reload the list" }).click();
    await expect(dashboard.count).toHaveText(`Showing 100 of ${fmt(total - 1)} users`, {
      timeout: 30_000,
    });
    await expect(changed).toHaveCount(0);
    await expect(dashboard.rows.first()).toHaveAttribute(
      "data-row-id",
      expectedIds("telnyx")[0] ?? "",
    );
    await expect(dashboard.grid.locator(`[data-row-id="${removed}"]`)).toHaveCount(0);
  });

  test("Telnyx: a user removed and another added mid-scroll (the total holds) stop the scroll, once the directory knows the users", async ({
    dashboard,
    page,
    sandbox,
  }) => {
    test.setTimeout(120_000);
    await syncAndWait(page, "telnyx");
    await dashboard.goto("?provider=telnyx");
    await dashboard.waitForList();
    const total = SANDBOX_SIZES.telnyxUsers;
    await expect(dashboard.count).toHaveText(`Showing 100 of ${fmt(total)} users`);

    // Page 2 now starts one user later: the user that was first on it is on no page.
    const skipped = expectedIds("telnyx")[100] ?? "";
    await sandbox.mutate({ vendor: "telnyx", remove: [expectedIds("telnyx")[10] ?? ""], add: 1 });
    const changed = await scrollIntoListChange(dashboard);
    await expect(dashboard.count).toHaveText(`Showing 100 of ${fmt(total)} users`);

    await changed.getByRole("button", { name: "Reload the list" }).click();
    await expect(changed).toHaveCount(0);
    await expect(dashboard.count).toHaveText(`Showing 100 of ${fmt(total)} users`, {
      timeout: 30_000,
    });
    // Read again from the top, the user the shift had hidden is the first page's last.
    const firstPage = (await (await page.request.get("/api/telnyx/users?limit=100")).json()) as {
      data: { id: string }[];
    };
    expect(firstPage.data.map((user) => user.id).at(-1)).toBe(skipped);
  });

  test("OpenAI: when the user the list had reached is deleted, the list restarts with a notice", async ({
    dashboard,
    sandbox,
  }) => {
    test.setTimeout(120_000);
    await dashboard.goto("?provider=openai");
    await dashboard.waitForList();
    await expect(dashboard.rows.first()).toHaveAttribute(
      "data-row-id",
      expectedIds("openai")[0] ?? "",
    );
    await expect(dashboard.count).toContainText("100");
    // The first page's cursor resumes after its 100th user.
    const cursorUser = expectedIds("openai")[99] ?? "";
    await sandbox.mutate({ vendor: "openai", remove: [cursorUser] });
    await dashboard.scroller.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });

    const notice = dashboard.page.getByTestId("list-notice");
    await expect(notice).toContainText("A user was removed while you scrolled", {
      timeout: 30_000,
    });
    await expect(dashboard.rows.first()).toHaveAttribute(
      "data-row-id",
      expectedIds("openai")[0] ?? "",
    );
    await expect(dashboard.grid.locator(`[data-row-id="${cursorUser}"]`)).toHaveCount(0);
    await expect(dashboard.inlineRetry).toHaveCount(0);
    await notice.getByRole("button", { name: "Dismiss" }).click();
    await expect(notice).toHaveCount(0);
  });

  test("Telnyx export: users added midway fail the download loudly, and no file is saved", async ({
    dashboard,
    sandbox,
  }) => {
    test.setTimeout(120_000);
    await dashboard.goto("?provider=telnyx");
    await dashboard.waitForList();
    // Slow pages (about 10 s for the whole export at 4 pages at once), so that the change lands
    // while the export is still reading: at 250 ms a busy machine could see the export end first.
    await sandbox.setFaults({ latencyMs: 1_000 });
    const controls = dashboard.page.getByRole("group", { name: "CSV export" });
    let downloads = 0;
    dashboard.page.on("download", () => downloads++);
    await controls.getByRole("button", { name: "Export CSV" }).click();
    const progress = controls.getByRole("progressbar", { name: "Export progress" });
    await expect(progress).toHaveAttribute("aria-valuenow", /^[1-9]\d*$/, { timeout: 30_000 });

    await sandbox.mutate({ vendor: "telnyx", add: 1 });
    await expect(controls).toContainText("The user list changed during the export: try again.", {
      timeout: 60_000,
    });
    expect(downloads).toBe(0);
  });
});
