import { seriousViolations, THEMES, useTheme } from "./a11y";
import { E2E_ADMIN_EMAIL } from "./env";
import { expect, test } from "./fixtures";
import { waitForHydration } from "./hydration";

/** Every page the header leads to, in its order. */
const PAGES = [
  { path: "/", name: "Users" },
  { path: "/people", name: "People" },
  { path: "/changes", name: "Changes" },
  { path: "/offboarding", name: "Offboarding" },
  { path: "/reviews", name: "Reviews" },
  { path: "/activity", name: "Activity" },
] as const;

test("every page's header leads to every page and marks the one it is on", async ({
  page,
  signedIn,
}) => {
  void signedIn;
  for (const current of PAGES) {
    await page.goto(current.path);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link")).toHaveText(PAGES.map((p) => p.name));
    for (const target of PAGES) {
      const link = nav.getByRole("link", { name: target.name, exact: true });
      await expect(link).toHaveAttribute("href", target.path);
      if (target === current) await expect(link).toHaveAttribute("aria-current", "page");
      else await expect(link).not.toHaveAttribute("aria-current");
    }
  }
  // A plain click navigates in place and the header follows (before React took over the link,
  // the browser would load the page instead).
  const reviews = page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Reviews" });
  await waitForHydration(reviews);
  await reviews.click();
  await expect(page).toHaveURL(/\/reviews$/);
  await expect(page.getByRole("heading", { name: "Access reviews" })).toBeVisible();
});

test("every page has one h1 and no serious accessibility violations, in both themes", async ({
  page,
  signedIn,
}) => {
  void signedIn;
  for (const theme of THEMES) {
    await useTheme(page, theme);
    for (const { path } of PAGES) {
      await page.goto(path);
      await expect(page.locator("html")).toHaveClass(theme);
      await expect(page.getByRole("heading", { level: 1 })).toHaveCount(1);
      // Whatever loads in the browser has settled: the checks see the page as an admin does.
      await page.waitForLoadState("networkidle");
      expect(await seriousViolations(page), `${path} (${theme})`).toEqual([]);
    }
  }
});

test("on a phone every page's links stay in view, wrapping instead of scrolling sideways", async ({
  page,
  signedIn,
}) => {
  void signedIn;
  await page.setViewportSize({ width: 360, height: 780 });
  for (const current of PAGES) {
    await page.goto(current.path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const target of PAGES) {
      const box = await nav.getByRole("link", { name: target.name, exact: true }).boundingBox();
      expect(box, `${target.name} on ${current.path}`).not.toBeNull();
      expect(box!.x, `${target.name} on ${current.path}`).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width, `${target.name} on ${current.path}`).toBeLessThanOrEqual(360);
    }
    // The admin's name and email give way (truncated) to the brand beside them.
    const header = page.getByRole("banner");
    const brand = await header.locator("h1, p").first().boundingBox();
    const admin = await header.getByTitle(E2E_ADMIN_EMAIL).boundingBox();
    expect(brand!.x + brand!.width, `brand and admin on ${current.path}`).toBeLessThanOrEqual(
      admin!.x,
    );
    // Nothing on the page is wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
  }
});

test("every page's title starts where the header's brand does, so switching pages keeps it in place", async ({
  page,
  signedIn,
}) => {
  void signedIn;
  await page.setViewportSize({ width: 1440, height: 900 });
  for (const current of PAGES.filter((p) => p.path !== "/")) {
    await page.goto(current.path);
    const title = await page.getByRole("heading", { level: 1 }).boundingBox();
    const brand = await page.getByRole("banner").locator("p").first().boundingBox();
    expect(title, current.path).not.toBeNull();
    expect(Math.round(title!.x), current.path).toBe(Math.round(brand!.x));
  }
});

test("an unknown address and an unknown person get Roster's 404 page, with the way back", async ({
  page,
  signedIn,
}) => {
  void signedIn;
  const blocked: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && message.text().includes("Content Security Policy")) {
      blocked.push(message.text());
    }
  });
  const missing = await page.goto("/no-such-page");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await expect(page).toHaveTitle("Page not found · Roster");
  await page.getByRole("link", { name: "Go to Users" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();

  const person = await page.goto("/people/nobody%40nowhere.example");
  expect(person?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("No such person");
  await expect(page.getByRole("link", { name: "Back to People" })).toHaveAttribute(
    "href",
    "/people",
  );
  // Next.js's own 404 page has an inline <style> that the CSP blocks; Roster's has none.
  expect(blocked).toEqual([]);
});
