import { readFile } from "node:fs/promises";

import { generateData } from "../sandbox/data";
import { personKeyOf } from "../lib/people/contract";

import { seriousViolations, THEMES } from "./a11y";
import { SANDBOX_SIZES } from "./env";
import { expect, test } from "./fixtures";
import { waitForHydration } from "./hydration";
import { CsvExportControls } from "./pages/csv-export";
import { syncAndWait } from "./directory-sync";

test.describe("the directory", () => {
  test("Sync now fills it; the Directory view lists the same users as live, with its age", async ({
    dashboard,
    page,
  }) => {
    await dashboard.goto("?provider=openai&status=blocked");
    await dashboard.scrollToEnd();
    const live = await dashboard.collectRowIds();
    expect(live.problems).toEqual([]);
    expect(live.ids.length).toBeGreaterThan(0);

    await page.getByRole("radio", { name: "Directory" }).click();
    await expect(page).toHaveURL(/[?&]source=directory(&|$)/);
    // Before any sync the table says so, and how to fix it.
    await expect(dashboard.errorPanel).toContainText("sync it first");
    await page.getByRole("button", { name: "Sync now" }).click();
    await expect(page.getByTestId("as-of")).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId("as-of")).toContainText(/as of (just now|\d+ seconds? ago)/);

    await dashboard.scrollToEnd();
    const stored = await dashboard.collectRowIds();
    expect(stored.problems).toEqual([]);
    expect(stored.ids).toEqual(live.ids);

    // Reload keeps the source; Live switches back.
    await page.reload();
    await expect(page.getByRole("radio", { name: "Directory" })).toHaveAttribute(
      "aria-checked",
      "true",
    );
    // The switch's state is in the server's HTML too: a click before React took over did nothing.
    await waitForHydration(page.getByRole("radio", { name: "Live" }));
    await page.getByRole("radio", { name: "Live" }).click();
    await expect(page).toHaveURL(/[?&]source=vendor(&|$)/);
    await expect(page.getByTestId("as-of")).toHaveCount(0);

    // With no source in the URL, a filter OpenAI cannot apply is read from the fresh snapshot, and
    // the toolbar says why; a filter the vendor applies stays live.
    await dashboard.goto("?provider=openai&status=blocked");
    await expect(page.getByRole("radio", { name: "Directory" })).toHaveAttribute(
      "aria-checked",
      "true",
    );
    await expect(page.getByTestId("source-note")).toHaveText(
      "OpenAI cannot filter by status: read from the directory.",
    );
    expect(await seriousViolations(page)).toEqual([]);
    await dashboard.scrollToEnd();
    expect((await dashboard.collectRowIds()).ids).toEqual(live.ids);
    await dashboard.goto("?provider=openai");
    await expect(page.getByRole("radio", { name: "Live" })).toHaveAttribute("aria-checked", "true");
    await expect(page.getByTestId("source-note")).toHaveCount(0);
  });

  test("a sync that meets a vendor outage leaves the previous snapshot current and says why", async ({
    dashboard,
    page,
    sandbox,
  }) => {
    const good = await syncAndWait(page, "telnyx");
    await dashboard.goto("?provider=telnyx&source=directory");
    await dashboard.waitForList();
    const count = await dashboard.count.textContent();

    await sandbox.setFaults({ outageAfter: 3, vendor: "telnyx" });
    await page.getByRole("button", { name: "Sync now" }).click();
    await expect(page.getByTestId("sync-control").getByRole("alert")).toContainText(
      /Last sync failed.*The previous snapshot is still in use\./,
      { timeout: 60_000 },
    );
    expect(await seriousViolations(page)).toEqual([]);
    const status = (await (await page.request.get("/api/directory/status")).json()) as {
      providers: {
        telnyx: {
          current: { snapshotId: number };
          lastFailure: { code: string };
          nextScheduledAt: string | null;
        };
      };
    };
    expect(status.providers.telnyx.current.snapshotId).toBe(good);
    expect(status.providers.telnyx.lastFailure.code).toBe("upstream_unavailable");
    // The schedule is off in these tests (SYNC_INTERVAL_MINUTES=0): no retry to announce.
    expect(status.providers.telnyx.nextScheduledAt).toBeNull();
    await expect(page.getByTestId("next-sync")).toHaveCount(0);
    await page.reload();
    await dashboard.waitForList();
    await expect(dashboard.count).toHaveText(count ?? "");
  });

  test("a second sync while one runs gets 409; the page shows the running one, and Cancel stops it", async ({
    dashboard,
    page,
    sandbox,
  }) => {
    await sandbox.setFaults({ latencyMs: 400, vendor: "openai" });
    await dashboard.goto("?provider=openai&source=directory");
    await page.getByRole("button", { name: "Sync now" }).click();
    await expect(page.getByRole("status").filter({ hasText: /Syncing OpenAI/ })).toBeVisible();
    // The button pressed becomes "Cancel sync" and keeps the focus, not the page's body.
    await expect(page.getByRole("button", { name: "Cancel sync" })).toBeFocused();

    const second = await page.request.post("/api/directory/sync", {
      data: { provider: "openai" },
    });
    expect(second.status()).toBe(409);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe("sync_running");

    await page.getByRole("button", { name: "Cancel sync" }).click();
    await expect(page.getByTestId("sync-control").getByRole("alert")).toContainText(
      "The sync was cancelled.",
      { timeout: 30_000 },
    );
    await expect(page.getByRole("button", { name: "Sync now" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Sync now" })).toBeFocused();
  });

  test("the Changes page lists what changed between two syncs of a vendor", async ({
    page,
    signedIn,
    sandbox,
  }) => {
    void signedIn;
    await syncAndWait(page, "openai");
    const { openai } = generateData(SANDBOX_SIZES);
    const [removed, renamed] = [openai[3]!, openai[5]!];
    await sandbox.mutate({
      vendor: "openai",
      add: 1,
      remove: [removed.id],
      change: [{ id: renamed.id, email: "renamed@example.com" }],
    });
    const second = await syncAndWait(page, "openai");
    await page.goto("/");
    await page.getByRole("link", { name: "Changes" }).click();
    await expect(page).toHaveURL(/\/changes$/);
    // The link may have loaded the page (a click before the dashboard was React's does).
    await waitForHydration(page.getByLabel("Vendor"));
    await page.getByLabel("Vendor").selectOption("openai");
    await expect(page.getByTestId("changes-range")).toContainText(`to snapshot ${second} `);
    // Both ends as UTC minutes, like every other sync time on screen, not raw ISO text.
    await expect(page.getByTestId("changes-range")).toHaveText(
      /^From snapshot \d+ \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\) to snapshot \d+ \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\): /,
    );
    await expect(page.getByTestId("changes-range")).toContainText(": 3 changes");
    await expect(page.locator("[data-change=added]")).toHaveCount(1);
    await expect(page.locator("[data-change=removed]")).toContainText(removed.id);
    // A removed user's address leads to their person's page too (it keeps their history).
    await expect(page.locator("[data-change=removed]").getByRole("link")).toHaveAttribute(
      "href",
      `/people/${encodeURIComponent(personKeyOf({ provider: "openai", id: removed.id, email: removed.email ?? null }))}`,
    );
    await expect(page.locator("[data-change=changed]")).toContainText(
      `email: ${renamed.email} → renamed@example.com`,
    );
    // Export CSV downloads this range: the same three changes, the notice names the file.
    const controls = new CsvExportControls(page);
    let downloading = page.waitForEvent("download");
    let exported = page.waitForRequest((r) => r.url().includes("/api/directory/changes/export"));
    await controls.button.click();
    expect(new URL((await exported).url()).search).toBe("?provider=openai");
    const download = await downloading;
    expect(download.suggestedFilename()).toBe("roster-openai-changes.csv");
    const saved = (await readFile((await download.path()) ?? "", "utf8")).trim().split("\r\n");
    expect(saved.slice(1).map((line) => line.split(",")[0])).toEqual(
      expect.arrayContaining(["added", "removed", "changed"]),
    );
    expect(saved).toHaveLength(4);
    await expect(controls.notice).toHaveText("Exported 3 rows to roster-openai-changes.csv.");
    // The file, streamed through the production server: the same three changes, not gzipped
    // (gzip would hold back the line that says why a cut download failed).
    const file = await page.request.get("/api/directory/changes/export?provider=openai");
    expect(file.status()).toBe(200);
    expect(file.headers()["cache-control"]).toBe("no-store, no-transform");
    const lines = (await file.text()).trim().split("\r\n");
    expect(lines.slice(1).map((line) => line.split(",")[0])).toEqual(
      expect.arrayContaining(["added", "removed", "changed"]),
    );
    expect(lines).toHaveLength(4);
    expect(lines.find((line) => line.startsWith("removed,"))).toContain(removed.id);

    // Only the removed users: the list, its count, the address and the export follow the choice.
    await page.getByLabel("Show").selectOption("removed");
    await expect(page).toHaveURL(/\/changes\?provider=openai&change=removed$/);
    await expect(page.getByTestId("changes-range")).toContainText(": 1 removed user");
    await expect(page.locator("[data-change]")).toHaveCount(1);
    await expect(page.locator("[data-change=removed]")).toContainText(removed.id);
    downloading = page.waitForEvent("download");
    exported = page.waitForRequest((r) => r.url().includes("/api/directory/changes/export"));
    await controls.button.click();
    expect(new URL((await exported).url()).search).toBe("?provider=openai&change=removed");
    const removedFile = await downloading;
    expect(removedFile.suggestedFilename()).toBe("roster-openai-changes-removed.csv");
    const onlyRemoved = (await readFile((await removedFile.path()) ?? "", "utf8"))
      .trim()
      .split("\r\n");
    expect(onlyRemoved.slice(1).map((line) => line.split(",")[0])).toEqual(["removed"]);
    // Only the users whose email changed: the Field choice appears with "changed users".
    await expect(page.getByLabel("Field")).toHaveCount(0);
    await page.getByLabel("Show").selectOption("changed");
    await page.getByLabel("Field").selectOption("email");
    await expect(page).toHaveURL(/\/changes\?provider=openai&change=changed&field=email$/);
    await expect(page.getByTestId("changes-range")).toContainText(": 1 user whose email changed");
    await expect(page.locator("[data-change]")).toHaveCount(1);
    await expect(page.locator("[data-change=changed]")).toContainText(renamed.id);
    await page.getByLabel("Field").selectOption("role");
    await expect(page.getByTestId("changes-range")).toContainText(": 0 users whose role changed");
    await expect(page.locator("[data-change]")).toHaveCount(0);
    await page.getByLabel("Show").selectOption("all");
    await expect(page.getByLabel("Field")).toHaveCount(0);
    await expect(page).toHaveURL(/\/changes\?provider=openai$/);
    await expect(page.getByTestId("changes-range")).toContainText(": 3 changes");

    // Since a chosen snapshot: the vendor's snapshots newest first; the one before the latest
    // gives the same three changes, and the address and the export say which.
    await page.getByLabel("Since").selectOption("snapshot");
    await expect(page.getByText("Pick a snapshot to list what changed since it.")).toBeVisible();
    // By its name's start: the Since choice's name holds "a snapshot…", its chosen option.
    const snapshotChoice = page.getByRole("combobox", { name: /^Snapshot/ });
    await expect(snapshotChoice.locator("option").nth(1)).toHaveAttribute("value", String(second));
    const previous = await snapshotChoice.locator("option").nth(2).getAttribute("value");
    expect(Number(previous)).toBeLessThan(second);
    await expect(snapshotChoice.locator("option").nth(2)).toHaveText(
      new RegExp(`^#${previous} · \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC · [\\d,]+ users$`),
    );
    await snapshotChoice.selectOption(previous!);
    await expect(page).toHaveURL(
      new RegExp(`/changes\\?provider=openai&since=snapshot&snapshot=${previous}$`),
    );
    await expect(page.getByTestId("changes-range")).toContainText(`From snapshot ${previous} (`);
    await expect(page.getByTestId("changes-range")).toContainText(": 3 changes");
    exported = page.waitForRequest((r) => r.url().includes("/api/directory/changes/export"));
    downloading = page.waitForEvent("download");
    await controls.button.click();
    expect(new URL((await exported).url()).searchParams.get("from")).toBe(previous);
    await downloading;
    // Another vendor's snapshots are others: the choice starts again.
    await page.getByLabel("Vendor").selectOption("telnyx");
    await expect(page).toHaveURL(/\/changes\?since=snapshot$/);
    await expect(page.getByText("Pick a snapshot to list what changed since it.")).toBeVisible();
    await page.getByLabel("Vendor").selectOption("openai");

    // "Yesterday" is a time fixed when it is chosen: one request, not a new one on every render.
    const asked: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/api/directory/changes?")) asked.push(request.url());
    });
    await page.getByLabel("Since").selectOption("day");
    await expect(page.getByTestId("changes-range")).toContainText("From the start to snapshot");
    await page.waitForTimeout(1000);
    expect(asked).toHaveLength(1);
    expect(new URL(asked[0]!).searchParams.get("from")).toMatch(/^\d{4}-\d\d-\d\dT/);
    // A date: nothing is asked (and nothing exported) until one is picked, and one the API
    // cannot take is said, not a crash.
    await page.getByLabel("Since").selectOption("date");
    await expect(page.getByText("Pick a date to list what changed since it.")).toBeVisible();
    await expect(controls.button).toHaveAttribute("aria-disabled", "true");
    await page.getByLabel("Date (UTC)").fill("10000-01-01");
    // Named: a date input cannot show a date it cannot hold, so it may look empty.
    const dateError = page.getByRole("alert").filter({ hasText: "pick one from" });
    await expect(dateError).toHaveText(
      "“10000-01-01” is not a date that can be asked for: pick one from 0001-01-01 to 9999-12-31.",
    );
    await expect(page.getByLabel("Date (UTC)")).toHaveAttribute("aria-invalid", "true");
    await page.getByLabel("Date (UTC)").fill("2020-01-01");
    await expect(dateError).toHaveCount(0);
    await expect(page.getByTestId("changes-range")).toContainText("From the start to snapshot");
    await expect(controls.button).not.toHaveAttribute("aria-disabled");
    downloading = page.waitForEvent("download");
    exported = page.waitForRequest((r) => r.url().includes("/api/directory/changes/export"));
    await controls.button.click();
    expect(new URL((await exported).url()).search).toBe(
      "?provider=openai&from=2020-01-01T00%3A00%3A00.000Z",
    );
    await downloading;
    // The range is in the address: a reload (or a shared link) shows the same one.
    await expect(page).toHaveURL(/\/changes\?provider=openai&since=date&date=2020-01-01$/);
    await page.reload();
    await expect(page.getByLabel("Vendor")).toHaveValue("openai");
    await expect(page.getByLabel("Since")).toHaveValue("date");
    await expect(page.getByLabel("Date (UTC)")).toHaveValue("2020-01-01");
    await expect(page.getByTestId("changes-range")).toContainText("From the start to snapshot");
    // Away to another range and back to "a date…": the date still on screen is the one in the
    // address, so a reload shows what was on screen.
    await page.getByLabel("Since").selectOption("week");
    await expect(page).toHaveURL(/\/changes\?provider=openai&since=week$/);
    await page.getByLabel("Since").selectOption("date");
    await expect(page.getByLabel("Date (UTC)")).toHaveValue("2020-01-01");
    await expect(page).toHaveURL(/\/changes\?provider=openai&since=date&date=2020-01-01$/);
    await page.reload();
    await expect(page.getByLabel("Date (UTC)")).toHaveValue("2020-01-01");
    await expect(page.getByTestId("changes-range")).toContainText("From the start to snapshot");
    const loadMore = page.getByRole("button", { name: "Load more" });
    await expect(page.getByTestId("changes-range")).toContainText(": 200+ changes");
    // Both themes' accessibility on a full page of 200 changes (axe takes about 11 s a theme over
    // 600 of them, and they are the same rows).
    for (const theme of THEMES) {
      await page
        .getByRole("button", { name: `${theme === "dark" ? "Dark" : "Light"} theme` })
        .click();
      await expect(page.locator("html")).toHaveClass(theme);
      expect(await seriousViolations(page), theme).toEqual([]);
    }
    await page.getByRole("button", { name: "System theme" }).click();
    // "Load more" from the keyboard keeps the focus while the next page loads, and after it, so
    // Enter again asks for the page after that.
    await loadMore.focus();
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("changes-range")).toContainText(": 400+ changes");
    await expect(loadMore).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("changes-range")).toContainText(": 600+ changes");
    // Leave the directory as the sandbox will be again: later specs read the current snapshot (a
    // status filter on OpenAI is answered from it).
    await sandbox.reset();
    await syncAndWait(page, "openai");
  });

  test("the Changes page's Export CSV says why an export was cut, and saves no file", async ({
    page,
    signedIn,
  }) => {
    void signedIn;
    const controls = new CsvExportControls(page);
    // A database error after the first rows: the body's last line names it before the cut.
    await page.route("**/api/directory/changes/export?*", (route) =>
      route.fulfill({
        status: 200,
        contentType: "text/csv; charset=utf-8",
        headers: { "Content-Disposition": 'attachment; filename="roster-openai-changes.csv"' },
        body: "\uFEFFchange,id\r\nadded,user-1\r\n\r\n#roster-export-failed:internal_error\r\n",
      }),
    );
    await page.goto("/changes?provider=openai");
    await waitForHydration(controls.button);
    await controls.button.click();
    await expect(controls.alert).toContainText(
      "The export stopped before it finished: Roster's server hit an error. No file was saved.",
    );
    expect(controls.downloads).toEqual([]);
  });

  test("the snapshot choice lists older snapshots when asked, keeping the choice as it was", async ({
    page,
    signedIn,
  }) => {
    void signedIn;
    const current = await syncAndWait(page, "openai");
    // A vendor with more snapshots than one list holds: its latest 100 are made up (ids above any
    // real one), the older ones are the real list read from there on.
    await page.route(/\/api\/directory\/snapshots\?/, async (route) => {
      if (new URL(route.request().url()).searchParams.has("cursor")) return route.continue();
      await route.fulfill({
        json: {
          provider: "openai",
          data: Array.from({ length: 100 }, (_, i) => ({
            snapshotId: 900_100 - i,
            finishedAt: "2026-12-01T00:00:00.000Z",
            rows: 1,
          })),
          nextCursor: "900001",
        },
      });
    });
    await page.goto("/changes?provider=openai&since=snapshot");
    const choice = page.getByRole("combobox", { name: /^Snapshot/ });
    await waitForHydration(choice);
    // "pick one", the 100 listed, then the way to older ones.
    await expect(choice.locator("option")).toHaveCount(102);
    await expect(choice.locator("option").last()).toHaveText("older snapshots…");
    await expect(choice.locator(`option[value="${current}"]`)).toHaveCount(0);
    const older = page.waitForRequest(
      (r) =>
        r.url().includes("/api/directory/snapshots?") &&
        new URL(r.url()).searchParams.get("cursor") === "900001",
    );
    await choice.selectOption("older");
    await older;
    await expect(choice.locator(`option[value="${current}"]`)).toHaveCount(1);
    // Asking for older ones chose nothing.
    await expect(choice).toHaveValue("");
    await expect(page).toHaveURL(/\/changes\?provider=openai&since=snapshot$/);
    await choice.selectOption(String(current));
    await expect(page).toHaveURL(
      new RegExp(`/changes\\?provider=openai&since=snapshot&snapshot=${current}$`),
    );
    await expect(page.getByTestId("changes-range")).toContainText(`From snapshot ${current} (`);
  });

  test("on a phone a long address wraps on the Changes page and on its person's page", async ({
    page,
    signedIn,
    sandbox,
  }) => {
    void signedIn;
    await syncAndWait(page, "openai");
    // No hyphen to break at: wider than a phone's screen in one piece.
    const long = "alexandra.konstantinopoulou@northwindtraders.com";
    const { openai } = generateData(SANDBOX_SIZES);
    await sandbox.mutate({ vendor: "openai", change: [{ id: openai[7]!.id, email: long }] });
    await syncAndWait(page, "openai");
    await page.setViewportSize({ width: 390, height: 844 });
    const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);

    await page.goto("/changes?provider=openai");
    await expect(page.locator("[data-change=changed]")).toContainText(`→ ${long}`);
    expect(await pageWidth(), "Changes").toBeLessThanOrEqual(390);

    // The address leads to the person's page.
    await page.locator("[data-change=changed]").getByRole("link", { name: long }).click();
    await expect(page).toHaveURL(`/people/${encodeURIComponent(long)}`);
    await expect(page.getByRole("listitem").filter({ hasText: `→ ${long}` })).toBeVisible();
    expect(await pageWidth(), "person").toBeLessThanOrEqual(390);

    // Leave the directory as the sandbox will be again (see above).
    await sandbox.reset();
    await syncAndWait(page, "openai");
  });

  test("sync routes refuse another site's Origin and oversized bodies", async ({
    page,
    signedIn,
  }) => {
    void signedIn;
    const crossSite = await page.request.post("/api/directory/sync", {
      data: {},
      headers: { Origin: "https://evil.example" },
    });
    expect(crossSite.status()).toBe(403);
    const big = await page.request.post("/api/directory/sync", {
      data: JSON.stringify({ provider: "x".repeat(4096) }),
      headers: { "content-type": "application/json" },
    });
    expect(big.status()).toBe(413);
  });
});
