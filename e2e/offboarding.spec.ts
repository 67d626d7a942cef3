import type { Locator } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { readFile } from "node:fs/promises";

import { addressInBoth, expectedAccounts, partialMatchTrap } from "../testing/offboarding";
import { csvCell } from "../lib/export/csv";
import type { CellState } from "../lib/offboarding/results";
import type { ProviderId } from "../lib/users/schema";
import { PROVIDER_IDS } from "../lib/users/contract";

import { seriousViolations } from "./a11y";
import { sandboxData } from "./dashboard-expected";
import { expect, test } from "./fixtures";
import { OffboardingPage } from "./pages/offboarding-page";

/** What the page must show for `email` at `provider`, from the sandbox's own data. */
function expectedState(email: string, provider: ProviderId): CellState {
  return expectedAccounts(sandboxData(), email)[provider]?.status ?? "not_found";
}

test.describe("the offboarding check", () => {
  test("a pasted list gives the right row for each address, lists invalid lines and merges duplicates", async ({
    page,
    signedIn,
    sandbox,
  }) => {
    void signedIn;
    void sandbox;
    const data = sandboxData();
    const leaver = addressInBoth(data);
    const openaiEmails = new Set(data.openai.map((u) => u.email?.toLowerCase()));
    const telnyxOnly = data.telnyx.find(
      (u) => u.user_status === "enabled" && !openaiEmails.has(u.email.toLowerCase()),
    );
    expect(telnyxOnly).toBeDefined();
    const otherCase = (telnyxOnly?.email ?? "").toUpperCase();
    const { trap, matches } = partialMatchTrap(data);
    expect(matches.length).toBeGreaterThan(0);
    const unknown = "nobody.at.all@nowhere.example";

    const offboarding = new OffboardingPage(page);
    await offboarding.goto();
    await expect(offboarding.nav.getByRole("link", { name: "Offboarding" })).toHaveAttribute(
      "aria-current",
      "page",
    );
    await offboarding.check([
      leaver,
      `Leaving Person <${leaver.toUpperCase()}>`,
      unknown,
      otherCase,
      trap,
      "not-an-address",
    ]);

    const checked = [leaver, unknown, otherCase, trap];
    await expect(offboarding.rows).toHaveCount(checked.length, { timeout: 30_000 });
    // When it was asked, in UTC as every other time on record (not the browser's locale).
    await expect(page.getByText(/^Asked live at/).locator("time")).toHaveText(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/,
    );
    for (const email of checked) {
      for (const provider of PROVIDER_IDS) {
        await offboarding.expectState(email, provider, expectedState(email, provider));
      }
    }
    // The leaver has accounts at both vendors; the case variant and the trap are told apart.
    expect(expectedState(leaver, "telnyx")).not.toBe("not_found");
    expect(expectedState(leaver, "openai")).not.toBe("not_found");
    await offboarding.expectState(otherCase, "telnyx", "enabled");
    // The day of its last sign-in, comparable with a leaving date, not "last year".
    const lastSignIn = telnyxOnly?.last_sign_in_at;
    await expect(offboarding.cell(otherCase, "telnyx")).toContainText(
      lastSignIn ? `last ${new Date(lastSignIn).toISOString().slice(0, 10)}` : "never used",
    );
    await offboarding.expectState(trap, "telnyx", "not_found");
    await offboarding.expectState(unknown, "openai", "not_found");

    await expect(offboarding.invalidList).toContainText("not-an-address: no @");
    await expect(offboarding.duplicatesList).toContainText(`${leaver} ×2`);

    const withAccess = checked.filter((email) =>
      PROVIDER_IDS.some((p) => expectedState(email, p) === "enabled"),
    );
    await expect(offboarding.summary).toContainText(`${withAccess.length} of 4 `);
    for (const provider of PROVIDER_IDS) {
      const n = checked.filter((email) => expectedState(email, provider) === "enabled").length;
      if (n > 0) await expect(offboarding.summary).toContainText(`${n} in `);
    }

    expect(await seriousViolations(page)).toEqual([]);
    // The results in the dark theme, switched in place (a reload would lose them).
    await page.getByRole("button", { name: "Dark theme" }).click();
    await expect(page.locator("html")).toHaveClass("dark");
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "System theme" }).click();

    await offboarding.accessOnly.click();
    await expect(offboarding.rows).toHaveCount(withAccess.length);
    await expect(offboarding.row(unknown)).toHaveCount(0);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      offboarding.exportButton.click(),
    ]);
    const text = await readFile((await download.path()) ?? "", "utf8");
    const rows = parse(text.replace(/^\uFEFF/, ""), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.email)).toEqual(checked);
    expect(rows.map((r) => r.telnyx_status)).toEqual(
      checked.map((e) => expectedState(e, "telnyx")),
    );
  });

  test("a long list of invalid lines and duplicates shows ten of each, the rest on Show more", async ({
    page,
    signedIn,
    sandbox,
  }) => {
    void signedIn;
    void sandbox;
    const invalid = Array.from({ length: 13 }, (_, i) => `not-an-address-${i + 1}`);
    const repeated = Array.from({ length: 12 }, (_, i) => `twice-${i + 1}@nowhere.example`);
    const offboarding = new OffboardingPage(page);
    await offboarding.goto();
    await offboarding.check([...invalid, ...repeated, ...repeated.map((e) => e.toUpperCase())]);
    await expect(offboarding.rows).toHaveCount(repeated.length, { timeout: 30_000 });

    const folded = async (list: Locator, shown: string[], more: number, rest: string[]) => {
      await expect(list.locator("li").filter({ visible: true })).toHaveCount(shown.length);
      for (const [i, text] of shown.entries()) {
        await expect(list.locator("li").filter({ visible: true }).nth(i)).toContainText(text);
      }
      const summary = list.getByText(`Show ${more} more`);
      await summary.focus();
      await page.keyboard.press("Enter");
      await expect(list.locator("li").filter({ visible: true })).toHaveCount(shown.length + more);
      for (const text of rest) await expect(list.getByText(text, { exact: false })).toBeVisible();
    };
    await folded(
      offboarding.invalidList,
      invalid.slice(0, 10).map((e) => `${e}: no @`),
      3,
      invalid.slice(10),
    );
    await folded(
      offboarding.duplicatesList,
      repeated.slice(0, 10).map((e) => `${e} ×2`),
      2,
      repeated.slice(10),
    );
    expect(await seriousViolations(page)).toEqual([]);
  });

  test("addresses pasted from a Roster export are checked without the formula guard's `'`", async ({
    page,
    signedIn,
    sandbox,
  }) => {
    void signedIn;
    // A leaver whose address a spreadsheet would read as a formula: Roster exports it as `'+...`.
    const leaver = sandboxData().telnyx.find((u) => u.user_status === "enabled");
    expect(leaver).toBeDefined();
    const address = "+alerts@northwind.example";
    await sandbox.mutate({ vendor: "telnyx", change: [{ id: leaver?.id, email: address }] });

    const offboarding = new OffboardingPage(page);
    await offboarding.goto();
    await offboarding.check([csvCell(address)]);
    await expect(offboarding.rows).toHaveCount(1, { timeout: 30_000 });
    await offboarding.expectState(address, "telnyx", "enabled");
  });

  test("a vendor failing partway shows not checked, and Retry not checked fixes it", async ({
    page,
    signedIn,
    sandbox,
  }) => {
    void signedIn;
    test.setTimeout(120_000);
    const emails = sandboxData()
      .telnyx.slice(100, 106)
      .map((u) => u.email);
    await sandbox.setFaults({ vendor: "telnyx", outageAfter: 2 });
    const offboarding = new OffboardingPage(page);
    await offboarding.goto();
    await offboarding.check(emails);

    await expect(offboarding.retryButton).toBeVisible({ timeout: 60_000 });
    const telnyx = await offboarding.states("telnyx");
    expect(telnyx.filter((s) => s === "not_checked")).toHaveLength(4);
    // A failed lookup is never shown as not found.
    expect(telnyx).not.toContain("not_found");
    expect(await offboarding.states("openai")).toEqual(
      emails.map((email) => expectedState(email, "openai")),
    );
    await expect(offboarding.page.getByText("4 addresses were not checked")).toBeVisible();

    await sandbox.reset();
    await offboarding.retryButton.click();
    await expect(offboarding.retryButton).toHaveCount(0, { timeout: 60_000 });
    expect(await offboarding.states("telnyx")).toEqual(
      emails.map((email) => expectedState(email, "telnyx")),
    );
    const { counters } = await sandbox.state();
    // The retry asked Telnyx for the 4 that failed, and OpenAI not at all.
    expect(counters).toMatchObject({ requests: { telnyx: 4, openai: 0 } });
  });

  test("Cancel stops the check and its vendor calls", async ({ page, signedIn, sandbox }) => {
    void signedIn;
    const emails = sandboxData()
      .telnyx.slice(200, 240)
      .map((u) => u.email);
    await sandbox.setFaults({ vendor: "telnyx", latencyMs: 1000 });
    const offboarding = new OffboardingPage(page);
    await offboarding.goto();
    await offboarding.check(emails);
    await expect(offboarding.progress).toBeVisible();
    await offboarding.cancelButton.click();
    await expect(offboarding.cancelled).toBeVisible();
    await expect(offboarding.rows).toHaveCount(0);
    const atCancel = ((await sandbox.state()).counters as { requests: { telnyx: number } }).requests
      .telnyx;
    // Nothing to wait for but time itself: had the check gone on, 4 more calls would start each second.
    await page.waitForTimeout(2_500);
    const later = ((await sandbox.state()).counters as { requests: { telnyx: number } }).requests
      .telnyx;
    expect(later - atCancel).toBeLessThanOrEqual(1);
    expect(later).toBeLessThan(emails.length);
  });

  test("with the keyboard, the focus goes to Cancel while a check runs, then to how it ended", async ({
    page,
    signedIn,
    sandbox,
  }) => {
    void signedIn;
    const emails = sandboxData()
      .telnyx.slice(300, 304)
      .map((u) => u.email);
    await sandbox.setFaults({ vendor: "telnyx", latencyMs: 1000 });
    const offboarding = new OffboardingPage(page);
    await offboarding.goto();
    await offboarding.emails.fill(emails.join("\n"));
    // The button pressed is disabled while the check runs: the focus must not fall to the page.
    await offboarding.checkButton.focus();
    await page.keyboard.press("Enter");
    await expect(offboarding.cancelButton).toBeFocused();
    await expect(offboarding.summary).toBeVisible({ timeout: 30_000 });
    await expect(offboarding.summary).toBeFocused();

    await offboarding.checkButton.focus();
    await page.keyboard.press("Enter");
    await expect(offboarding.cancelButton).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(offboarding.cancelled).toBeFocused();
  });

  test("Upload CSV shows where the keyboard focus is", async ({ page, signedIn }) => {
    void signedIn;
    const offboarding = new OffboardingPage(page);
    await offboarding.goto();
    await offboarding.emails.focus();
    await page.keyboard.press("Tab");
    const input = page.getByLabel("Upload CSV");
    await expect(input).toBeFocused();
    // The input itself is visually hidden: its button-looking label carries the ring.
    const outline = await input.evaluate(
      (el) => getComputedStyle(el.closest("label") ?? el).outlineStyle,
    );
    expect(outline).not.toBe("none");
  });

  test("a CSV fixed after an error can be chosen again under the same name", async ({
    page,
    signedIn,
  }) => {
    void signedIn;
    const offboarding = new OffboardingPage(page);
    await offboarding.goto();
    const input = page.getByLabel("Upload CSV");
    await input.setInputFiles({
      name: "leavers.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("name;mail\nAna;ana@example.com\n"),
    });
    await expect(page.getByRole("main").getByRole("alert")).toContainText(
      "leavers.csv: The file has no “email” column",
    );
    // A browser fires no change for the file an input already holds: the file the admin fixes
    // and picks again under the same name would be ignored. Read, the input lets go of it.
    await expect(input).toHaveValue("");
    await input.setInputFiles({
      name: "leavers.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("name,email\nAna,ana@example.com\n"),
    });
    // In a live region: the file dialog closes onto a page that otherwise changes silently.
    await expect(
      page.getByRole("status").filter({ hasText: "leavers.csv: 1 row from its email column" }),
    ).toBeVisible();
    await expect(input).toHaveValue("");
    // A header alone says why there is nothing to check (the button stays disabled).
    await page.getByRole("button", { name: "Remove file" }).click();
    await input.setInputFiles({
      name: "header.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("name,email\n"),
    });
    await expect(
      page
        .getByRole("status")
        .filter({ hasText: "header.csv: its email column is empty: there is nothing to check" }),
    ).toBeVisible();
  });

  test("the API: JSON for scripts, 400 for an empty list, 403 for another site", async ({
    page,
    signedIn,
  }) => {
    void signedIn;
    const leaver = addressInBoth(sandboxData());
    const ok = await page.request.post("/api/offboarding/check", {
      data: { emails: [leaver, "bad"] },
    });
    expect(ok.status()).toBe(200);
    const body = (await ok.json()) as { results: unknown[]; invalid: unknown[]; failed: unknown[] };
    expect(body.results).toEqual([{ email: leaver, ...expectedAccounts(sandboxData(), leaver) }]);
    expect(body.invalid).toEqual([{ input: "bad", reason: "no @" }]);
    expect(body.failed).toEqual([]);

    const empty = await page.request.post("/api/offboarding/check", { data: { emails: [] } });
    expect(empty.status()).toBe(400);
    expect(await empty.json()).toMatchObject({ error: { code: "invalid_body" } });

    const crossSite = await page.request.post("/api/offboarding/check", {
      data: { emails: [leaver] },
      headers: { Origin: "https://evil.example" },
    });
    expect(crossSite.status()).toBe(403);
    expect(await crossSite.json()).toMatchObject({ error: { code: "forbidden_origin" } });
  });
});
