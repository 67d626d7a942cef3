import { expectedIds } from "./dashboard-expected";
import { expect, test } from "./fixtures";

test.describe("the dashboard's view lives in the URL", () => {
  test("a pasted link restores provider, filters and groups, and survives a reload", async ({
    page,
    dashboard,
  }) => {
    await dashboard.goto("?provider=openai&status=disabled&email=son&groups=1");
    const check = async () => {
      await expect(dashboard.tab("openai")).toHaveAttribute("aria-selected", "true");
      await expect(dashboard.statusSelect).toHaveValue("disabled");
      await expect(dashboard.emailFilter).toHaveValue("son");
      await expect(dashboard.groupsSwitch).toHaveAttribute("aria-checked", "true");
      await expect(dashboard.columnHeaders().filter({ hasText: "Projects" })).toBeVisible();
      await dashboard.scrollToEnd();
      const { ids, problems } = await dashboard.collectRowIds();
      expect(problems).toEqual([]);
      expect(ids).toEqual(expectedIds("openai", { status: "disabled", email: "son" }));
    };
    await check();
    await page.reload();
    await check();
  });

  test("back and forward walk through the views", async ({ page, dashboard }) => {
    await dashboard.goto("?provider=telnyx");
    await dashboard.waitForList();
    const firstAll = await dashboard.rows.first().getAttribute("data-row-id");

    await dashboard.selectStatus("Blocked");
    await expect(page).toHaveURL(/provider=telnyx&status=blocked/);
    await dashboard.waitForList();
    const firstBlocked = expectedIds("telnyx", { status: "blocked" })[0];
    await expect(dashboard.rows.first()).toHaveAttribute("data-row-id", firstBlocked ?? "");

    await dashboard.groupsSwitch.click();
    await expect(page).toHaveURL(/status=blocked&groups=true/);

    await dashboard.tab("openai").click();
    await expect(page).toHaveURL(/provider=openai&status=blocked&groups=true/);
    await expect(dashboard.tab("openai")).toHaveAttribute("aria-selected", "true");

    await page.goBack();
    await expect(dashboard.tab("telnyx")).toHaveAttribute("aria-selected", "true");
    await expect(dashboard.groupsSwitch).toHaveAttribute("aria-checked", "true");
    await page.goBack();
    await expect(dashboard.groupsSwitch).toHaveAttribute("aria-checked", "false");
    await expect(dashboard.statusSelect).toHaveValue("blocked");
    await page.goBack();
    await expect(dashboard.statusSelect).toHaveValue("");
    await expect(dashboard.rows.first()).toHaveAttribute("data-row-id", firstAll ?? "");

    await page.goForward();
    await expect(dashboard.statusSelect).toHaveValue("blocked");
    await expect(dashboard.rows.first()).toHaveAttribute("data-row-id", firstBlocked ?? "");
  });

  test("typing an email replaces the URL after the debounce; back and forward restore the box", async ({
    page,
    dashboard,
  }) => {
    await dashboard.goto("?provider=telnyx");
    await dashboard.waitForList();
    await dashboard.selectStatus("Disabled");
    await expect(page).toHaveURL(/status=disabled/);
    await dashboard.filterByEmail("mar");
    await expect(page).toHaveURL(/status=disabled&email=mar/);
    await dashboard.groupsSwitch.click();
    await expect(page).toHaveURL(/groups=true/);

    await page.goBack();
    await expect(dashboard.emailFilter).toHaveValue("mar");
    await expect(dashboard.groupsSwitch).toHaveAttribute("aria-checked", "false");
    // The typing replaced the "disabled" entry rather than adding one per keystroke.
    await page.goBack();
    await expect(dashboard.emailFilter).toHaveValue("");
    await expect(dashboard.statusSelect).toHaveValue("");
    await page.goForward();
    await expect(dashboard.emailFilter).toHaveValue("mar");
    await expect(dashboard.statusSelect).toHaveValue("disabled");
  });

  test("invalid values in the URL fall back to a sensible view", async ({ dashboard }) => {
    await dashboard.goto("?provider=myspace&status=banana&groups=maybe&email=");
    await expect(dashboard.tab("telnyx")).toHaveAttribute("aria-selected", "true");
    await expect(dashboard.statusSelect).toHaveValue("");
    await expect(dashboard.groupsSwitch).toHaveAttribute("aria-checked", "false");
    await dashboard.waitForList();
    await expect(dashboard.rows.first()).toHaveAttribute(
      "data-row-id",
      expectedIds("telnyx")[0] ?? "",
    );
    await expect(dashboard.errorPanel).toHaveCount(0);
  });
});
