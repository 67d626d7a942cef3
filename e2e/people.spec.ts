import { parse } from "csv-parse/sync";
import { readFile } from "node:fs/promises";

import { generateData } from "../sandbox/data";

import { seriousViolations, useTheme } from "./a11y";
import { SANDBOX_SIZES } from "./env";
import { expect, test } from "./fixtures";
import { PeoplePage } from "./pages/people-page";

/*
 * People through the real flow: an HR roster uploaded in the page, a directory
 * sync started with "Sync now" (the directory's sync and status API), then the
 * counts, filters, a person's page, Back and the export. Expected people come
 * from the sandbox's data, regenerated from the same seed.
 */
const data = generateData(SANDBOX_SIZES);
const key = (email: string) => email.trim().toLowerCase();
const enabledTelnyx = data.telnyx.filter((u) => u.user_status === "enabled");
const leavers = [...new Set(enabledTelnyx.map((u) => key(u.email)))].slice(0, 3);
const stayers = [...new Set(enabledTelnyx.map((u) => key(u.email)))].slice(3, 8);
const ROSTER = [
  "Email;Name;Status;End_Date",
  ...leavers.map((email, i) => `${email};Leaver ${i};left;2020-01-31`),
  ...stayers.map((email, i) => `${email};Stayer ${i};active;`),
].join("\n");

test.describe.configure({ mode: "serial" });

test("a roster with leavers, a sync, the leaver count, a person and Back, the export", async ({
  page,
  signedIn,
}) => {
  void signedIn;
  test.setTimeout(240_000);
  const people = new PeoplePage(page);
  await people.goto();

  await people.uploadRoster(ROSTER);
  await expect(people.rosterStatus).toContainText(
    `HR roster: ${leavers.length + stayers.length} people`,
  );
  await people.syncAndWait();
  await people.goto();

  // Column names over the rows; each row's link names the vendor of each account it shows.
  await expect(people.scroller.locator("[aria-hidden=true]").first()).toHaveText(
    "PersonTelnyxOpenAIFlags",
  );
  await expect(people.rows.first()).toHaveAccessibleName(
    /(Telnyx|OpenAI): (Enabled|Disabled|Blocked)/,
  );

  const chip = people.flagChip("leaver_with_access");
  await expect(chip).toHaveText(`${leavers.length} leavers with access`);
  expect(await seriousViolations(page)).toEqual([]);

  // Back returns to the same row of a long list.
  const row = await people.scrollToRow(150);
  const rowKey = await row.getAttribute("data-key");
  // Focusing the row may scroll it into view: the offset to come back to is the one after that.
  await row.focus();
  const top = await people.scroller.evaluate((el) => el.scrollTop);
  await row.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/people/${encodeURIComponent(rowKey ?? "")}$`));
  // The header every page has, People marked current; roles shown as the dashboard shows them.
  await expect(
    page.getByRole("banner").getByRole("navigation").getByRole("link", { name: "People" }),
  ).toHaveAttribute("aria-current", "page");
  const roles = await page.locator("article dt:text-is('Role') + dd").allTextContents();
  expect(roles.length).toBeGreaterThan(0);
  for (const role of roles) expect(role).toMatch(/^(\p{Lu}|—$)/u);
  expect(await seriousViolations(page)).toEqual([]);
  // "← People" steps back in history, to the same row.
  await page.getByRole("link", { name: "← People" }).click();
  await expect(page.locator(`a[data-key="${rowKey}"]`)).toBeFocused();
  expect(Math.abs((await people.scroller.evaluate((el) => el.scrollTop)) - top)).toBeLessThan(5);

  await chip.click();
  await expect(page).toHaveURL(/flag=leaver_with_access/);
  await expect(people.rows).toHaveCount(leavers.length);
  expect(
    (await people.rows.evaluateAll((els) => els.map((el) => el.getAttribute("data-key")))).sort(),
  ).toEqual([...leavers].sort());

  const first = people.rows.first();
  const firstKey = await first.getAttribute("data-key");
  await first.click();
  await expect(page).toHaveURL(new RegExp(`/people/${encodeURIComponent(firstKey ?? "")}$`));
  expect(key((await page.getByRole("heading", { level: 1 }).textContent()) ?? "")).toBe(firstKey);
  await expect(page.getByRole("region", { name: "Flags" })).toContainText(
    "Leaver with access: Left per the HR roster (end date 2020-01-31), still enabled in Telnyx",
  );
  // The same person and the filtered list again in the dark theme.
  await useTheme(page, "dark");
  await page.reload();
  await expect(page.locator("html")).toHaveClass("dark");
  await expect(page.getByRole("region", { name: "Flags" })).toContainText("Leaver with access");
  expect(await seriousViolations(page)).toEqual([]);
  await page.goBack();
  await expect(page).toHaveURL(/\/people\?flag=leaver_with_access$/);
  await expect(people.rows).toHaveCount(leavers.length);
  expect(await seriousViolations(page)).toEqual([]);

  const downloading = page.waitForEvent("download");
  await people.csvExport.button.click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^roster-people-\d{4}-\d\d-\d\d\.csv$/);
  const text = await readFile((await download.path()) ?? "", "utf8");
  const records = parse(text, { bom: true, columns: true }) as Record<string, string>[];
  expect(records.map((r) => r.key).sort()).toEqual([...leavers].sort());
  for (const record of records) expect(record.flags).toContain("leaver_with_access");
  await expect(people.csvExport.notice).toHaveText(
    `Exported ${leavers.length} rows to ${download.suggestedFilename()}.`,
  );
});

test("Export CSV says why an export was refused or cut, and saves no file", async ({
  page,
  signedIn,
}) => {
  void signedIn;
  const people = new PeoplePage(page);
  await people.goto("?flag=leaver_with_access");
  const exportRoute = "**/api/people/export?*";

  // Refused before the first row: the API's own message, not a JSON page or a .csv of JSON.
  const refused =
    "You already have 2 exports running, the most one admin may run at once. Wait for one to finish or cancel it, then try again.";
  await page.route(exportRoute, (route) =>
    route.fulfill({
      status: 429,
      json: { error: { code: "too_many_exports", message: refused } },
    }),
  );
  await people.csvExport.button.click();
  const alert = people.csvExport.alert;
  await expect(alert).toContainText(refused);

  // Cut midway: the body's last line names why (People rebuilt meanwhile).
  await page.unroute(exportRoute);
  await page.route(exportRoute, (route) =>
    route.fulfill({
      status: 200,
      contentType: "text/csv; charset=utf-8",
      headers: { "Content-Disposition": 'attachment; filename="roster-people-2026-01-31.csv"' },
      body: "\uFEFFkey,email\r\nana@example.com,ana@example.com\r\n\r\n#roster-export-failed:list_changed\r\n",
    }),
  );
  await alert.getByRole("button", { name: "Try again" }).click();
  await expect(alert).toContainText("The people list changed during the export: try again.");
  await expect(people.csvExport.button).toBeEnabled();
  expect(people.csvExport.downloads).toEqual([]);
});

test("a roster with a bad line shows that line's error and imports nothing", async ({
  page,
  signedIn,
}) => {
  void signedIn;
  const people = new PeoplePage(page);
  await people.goto();
  const before = await people.rosterStatus.textContent();
  await people.uploadRoster("email,status\nana@example.com,active\nbo@example.com,retired\n");
  await expect(people.rosterAlert).toContainText("Line 3, status: must be active or left");
  await expect(people.rosterAlert).toContainText("nothing was imported");
  await expect(people.rosterStatus).toHaveText(before ?? "");
});

test("Upload roster CSV shows where the keyboard focus is", async ({ page, signedIn }) => {
  void signedIn;
  const people = new PeoplePage(page);
  await people.goto();
  await people.syncNow.focus();
  await page.keyboard.press("Tab");
  await expect(people.rosterInput).toBeFocused();
  // The input itself is visually hidden: its button-looking label carries the ring.
  const outline = await people.rosterInput.evaluate(
    (el) => getComputedStyle((el as HTMLInputElement).labels?.[0] ?? el).outlineStyle,
  );
  expect(outline).not.toBe("none");
});

test("Remove roster leaves the keyboard focus on uploading another", async ({ page, signedIn }) => {
  void signedIn;
  const people = new PeoplePage(page);
  await people.goto();
  await people.uploadRoster("email,status\nana@example.com,active\n");
  await expect(people.rosterStatus).toContainText("HR roster: 1 person,");
  // Announced: the file dialog closes onto a page that otherwise changes silently.
  await expect(people.rosterStatus).toHaveRole("status");
  await page.getByRole("button", { name: "Remove roster" }).focus();
  await page.keyboard.press("Enter");
  await expect(people.rosterStatus).toHaveText("No HR roster loaded");
  await expect(people.rosterInput).toBeFocused();
});

test("Sync now reloads the list when each vendor's sync lands, not only the first", async ({
  page,
  signedIn,
  sandbox,
}) => {
  void signedIn;
  test.setTimeout(180_000);
  const people = new PeoplePage(page);
  await people.goto();
  // Telnyx's pages come slowly: OpenAI's sync lands many seconds (several polls) before Telnyx's.
  await sandbox.setFaults({ vendor: "telnyx", latencyMs: 1200 });
  const shown: { telnyx: string | null; openai: string | null }[] = [];
  page.on("response", async (response) => {
    if (new URL(response.url()).pathname !== "/api/people" || !response.ok()) return;
    const body = (await response.json().catch(() => null)) as {
      asOf?: { telnyx: string | null; openai: string | null };
    } | null;
    if (body?.asOf) shown.push(body.asOf);
  });
  await people.syncAndWait();
  // The button keeps the focus it took when pressed (it is not disabled while the request runs).
  await expect(people.syncNow).toBeFocused();
  const status = (await (await page.request.get("/api/directory/status")).json()) as {
    providers: Record<"telnyx" | "openai", { current: { finishedAt: string } | null }>;
  };
  const latest = {
    telnyx: status.providers.telnyx.current?.finishedAt ?? null,
    openai: status.providers.openai.current?.finishedAt ?? null,
  };
  // Without a reload of the page, the list (and its "as of") comes to both new snapshots.
  await expect
    .poll(
      () => shown.some((asOf) => asOf.telnyx === latest.telnyx && asOf.openai === latest.openai),
      {
        timeout: 15_000,
      },
    )
    .toBe(true);
  // Once both have landed, the page no longer says it waits for them.
  await expect(page.getByText("Sync started; the view updates when it finishes.")).toHaveCount(0);
});
