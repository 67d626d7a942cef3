import { expect, test } from "./fixtures";
import { ActivityPage } from "./pages/activity-page";

test("a date in the URL that does not exist says so, and Clear filters shows the log", async ({
  page,
  signedIn,
}) => {
  void signedIn;
  const activity = new ActivityPage(page);
  // A date input cannot show 2026-02-30: the From field looks empty, with nothing to clear.
  await page.goto("/activity?from=2026-02-30&kind=auth.sign_in");
  const alert = page.getByRole("main").getByRole("alert");
  await expect(alert).toContainText("from must be a date");
  const asked = page.waitForResponse(
    (response) => new URL(response.url()).pathname === "/api/activity" && response.ok(),
  );
  await alert.getByRole("button", { name: "Clear filters" }).click();
  expect(new URL((await asked).url()).searchParams.has("from")).toBe(false);
  await expect(page).toHaveURL(/\/activity$/);
  await expect(alert).toHaveCount(0);
  await expect(activity.kind).toHaveValue("");
});
