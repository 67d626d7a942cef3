import { expect, test } from "./fixtures";
import { waitForHydration } from "./hydration";

/*
 * waitForHydration itself (e2e/hydration.ts). The page's scripts come a second late, and the
 * test goes on as soon as the server's HTML arrives, as it does after a click that loads a page
 * (signing in, the redirect back from single sign-on): for that second the controls are on screen
 * and do nothing. page.goto's load event waits for the scripts, but React takes over in tasks of
 * its own after them, so the same race, narrower, follows every goto and reload.
 */
test("waitForHydration holds a key back until React has taken over the page", async ({
  page,
  signedIn,
}) => {
  void signedIn;
  await page.route("**/_next/static/chunks/**", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await route.continue();
  });
  await page.goto("/?provider=openai", { waitUntil: "commit" });
  const live = page.getByRole("radio", { name: "Live" });
  await expect(live).toHaveAttribute("aria-checked", "true");

  await waitForHydration(live);
  await live.focus();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("radio", { name: "Directory" })).toHaveAttribute(
    "aria-checked",
    "true",
  );
});
