import { mkdirSync } from "node:fs";
import path from "node:path";

import type { Page } from "@playwright/test";

import { seriousViolations, THEMES, useTheme } from "./a11y";
import { expect, test } from "./fixtures";
import { waitForHydration } from "./hydration";
import { DashboardPage } from "./pages/dashboard-page";

const SCREENSHOTS = path.resolve("test-results/screenshots");

async function shoot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

for (const theme of THEMES) {
  test.describe(`${theme} theme`, () => {
    test("the dashboard and the detail panel have no serious accessibility violations", async ({
      page,
      signedIn,
    }) => {
      void signedIn;
      await useTheme(page, theme);
      await page.setViewportSize({ width: 1440, height: 900 });
      const dashboard = new DashboardPage(page);
      await dashboard.goto("?provider=telnyx&groups=1");
      await dashboard.waitForList();
      await expect(page.locator("html")).toHaveClass(theme);
      expect(await seriousViolations(page)).toEqual([]);
      await shoot(page, `dashboard-telnyx-${theme}`);

      await dashboard.rows.first().click();
      await expect(dashboard.detailPanel).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      await shoot(page, `detail-panel-${theme}`);
      await page.keyboard.press("Escape");

      await dashboard.tab("openai").click();
      await dashboard.waitForList();
      await dashboard.selectStatus("Disabled");
      await expect(page.getByText("filtered by Roster")).toBeVisible();
      await dashboard.waitForList();
      expect(await seriousViolations(page)).toEqual([]);
      await shoot(page, `dashboard-openai-${theme}`);
    });

    test("the empty, error and phone views have no serious accessibility violations", async ({
      page,
      signedIn,
      sandbox,
    }) => {
      void signedIn;
      test.setTimeout(120_000);
      await useTheme(page, theme);
      const dashboard = new DashboardPage(page);
      await dashboard.goto("?provider=telnyx&email=zz-nobody");
      await expect(dashboard.emptyState).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      await shoot(page, `empty-${theme}`);

      await sandbox.setFaults({ outageAfter: 0 });
      await dashboard.goto("?provider=openai&email=zz-error");
      await expect(dashboard.errorPanel).toBeVisible({ timeout: 60_000 });
      expect(await seriousViolations(page)).toEqual([]);
      await shoot(page, `error-${theme}`);
      await sandbox.reset();

      await page.setViewportSize({ width: 390, height: 844 });
      await dashboard.goto("?provider=telnyx");
      await dashboard.waitForList();
      expect(await seriousViolations(page)).toEqual([]);
      await shoot(page, `phone-${theme}`);
    });

    test("the sign-in page has no serious accessibility violations", async ({ page }) => {
      await useTheme(page, theme);
      await page.goto("/signin");
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      await shoot(page, `signin-${theme}`);
    });
  });
}

test("the theme toggle pins a theme that survives a reload; System follows the OS", async ({
  page,
  signedIn,
}) => {
  void signedIn;
  await page.emulateMedia({ colorScheme: "light" });
  const dashboard = new DashboardPage(page);
  await dashboard.goto();
  await dashboard.waitForList();
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();

  await page.getByRole("button", { name: "Dark theme" }).click();
  await expect(page.getByRole("button", { name: "Dark theme" })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  await expect(page.locator("html")).toHaveClass("dark");
  const dark = await background();
  expect(dark).not.toBe(light);

  await page.reload();
  await expect(page.locator("html")).toHaveClass("dark");
  expect(await background()).toBe(dark);

  // The theme is in the server's HTML (a cookie): a click before React took over did nothing.
  await waitForHydration(page.getByRole("button", { name: "System theme" }));
  await page.getByRole("button", { name: "System theme" }).click();
  await expect(page.locator("html")).not.toHaveClass(/dark|light/);
  expect(await background()).toBe(light);
  await page.emulateMedia({ colorScheme: "dark" });
  expect(await background()).toBe(dark);
});

test("screenshots of the loading states", async ({ page, signedIn, sandbox }) => {
  void signedIn;
  await sandbox.setFaults({ latencyMs: 1500 });
  const dashboard = new DashboardPage(page);
  await dashboard.goto("?provider=telnyx");
  await expect(dashboard.skeleton).toBeVisible();
  await shoot(page, "first-load-skeleton");
  await dashboard.waitForList();
  await dashboard.scroller.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await expect(dashboard.loadingMore).toBeVisible();
  await expect(dashboard.grid.locator('[role=row][aria-rowindex="101"]')).toBeVisible();
  await shoot(page, "loading-more");
});
