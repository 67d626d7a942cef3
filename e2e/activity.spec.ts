import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";

import { parse } from "csv-parse/sync";

import { E2E_ADMIN_EMAIL } from "./env";
import { expect, test } from "./fixtures";
import { ActivityPage } from "./pages/activity-page";
import { CsvExportControls } from "./pages/csv-export";

test("a date in the URL that does not exist says so, and Clear filters shows the log", async ({
  page,
  signedIn,
}) => {
  void signedIn;
  const activity = new ActivityPage(page);
  // A date input cannot show 2026-02-30: the From field looks empty, with nothing to clear.
  await activity.goto("?from=2026-02-30&kind=auth.sign_in");
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
  // The button went with the error: the focus is on the filters, not the page.
  await expect(activity.kind).toBeFocused();
});

test("each entry says what happened in words, with its raw details on hover", async ({
  page,
  signedIn,
}) => {
  void signedIn;
  const exported = await page.request.get("/api/activity/export");
  expect(exported.ok()).toBe(true);
  const sha256 = createHash("sha256")
    .update(await exported.body())
    .digest("hex");
  const activity = new ActivityPage(page);
  await activity.goto("?kind=activity.exported");
  // This test's export, whatever other tests exported meanwhile.
  const details = activity.entries.filter({ hasText: sha256 }).getByTestId("activity-details");
  await expect(details).toHaveText(
    new RegExp(`^Activity log exported: [\\d,]+ entr(y|ies), sha256 ${sha256}$`),
  );
  // The hover text: the words, then the raw details (keys in the database's order).
  const title = (await details.getAttribute("title"))!;
  const [words, raw] = title.split("\n\n");
  expect(words).toBe(await details.textContent());
  expect(raw!.split(" · ")).toEqual(expect.arrayContaining(["outcome: ok", `sha256: ${sha256}`]));
});

test("on a phone each entry shows its whole kind and admin inside the row", async ({
  page,
  signedIn,
}) => {
  void signedIn;
  // An entry with one of the longest kinds, by the signed-in admin.
  expect((await page.request.get("/api/activity/export")).ok()).toBe(true);
  await page.setViewportSize({ width: 390, height: 844 });
  const activity = new ActivityPage(page);
  await activity.goto("?kind=activity.exported");
  const entry = activity.entries.first();
  await expect(entry).toContainText(E2E_ADMIN_EMAIL);
  const row = (await entry.boundingBox())!;
  for (const text of ["activity.exported", E2E_ADMIN_EMAIL]) {
    const part = entry.getByText(text, { exact: true });
    const box = (await part.boundingBox())!;
    expect(box.x + box.width, `${text} ends inside the row`).toBeLessThanOrEqual(row.x + row.width);
    // Not cut short with an ellipsis.
    expect(await part.evaluate((el) => el.scrollWidth <= el.clientWidth), text).toBe(true);
  }
});

test("filters that match nothing say so in a live region", async ({ page, signedIn }) => {
  void signedIn;
  await new ActivityPage(page).goto();
  await page.getByLabel("Admin").fill("nobody@example.invalid");
  await page.getByLabel("Admin").press("Enter");
  await expect(
    page.getByRole("status").filter({ hasText: "No entries match these filters." }),
  ).toBeVisible();
});

test("Export CSV saves the filtered entries, and says why an export was refused", async ({
  page,
  signedIn,
}) => {
  void signedIn;
  const activity = new ActivityPage(page);
  const controls = new CsvExportControls(page);
  // At least one entry of the kind exported below.
  expect((await page.request.get("/api/activity/export")).ok()).toBe(true);
  await activity.goto("?kind=activity.exported");
  const downloading = page.waitForEvent("download");
  await controls.button.click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^roster-activity-\d{4}-\d\d-\d\d\.csv$/);
  const records = parse(await readFile((await download.path()) ?? ""), {
    bom: true,
    columns: true,
  }) as Record<string, string>[];
  expect(records.length).toBeGreaterThan(0);
  for (const record of records) expect(record.kind).toBe("activity.exported");
  await expect(controls.notice).toHaveText(
    `Exported ${records.length.toLocaleString("en-US")} ${records.length === 1 ? "row" : "rows"} to ${download.suggestedFilename()}.`,
  );

  // A day the calendar does not have: the export is refused with 400, and its message is shown
  // (not a JSON page or a saved .csv of JSON).
  await activity.goto("?from=2026-02-30");
  await controls.button.click();
  await expect(controls.alert).toContainText("from must be a date");
  expect(controls.downloads).toHaveLength(1);
});
