import { readFile } from "node:fs/promises";

import type { TestInfo } from "@playwright/test";
import { parse } from "csv-parse/sync";

import { generateData, type OpenAIUser, type TelnyxUser } from "../sandbox/data";

import { seriousViolations } from "./a11y";
import { CsvExportControls } from "./pages/csv-export";
import { SANDBOX_SIZES } from "./env";
import { expect, test, type SandboxControl } from "./fixtures";
import { iso, safe, unix } from "./expected-csv";

/*
 * The export from the dashboard, in Chromium, against the e2e sandbox (its
 * data, regenerated here from the same seed and sizes). Expected cells are
 * derived from the raw vendor records, independently of the app's code.
 */
const data = generateData(SANDBOX_SIZES);

function telnyxCells(u: TelnyxUser): Record<string, string> {
  return {
    id: u.id,
    email: safe(u.email),
    status: u.user_status,
    role: u.record_type === "organization_owner" ? "owner" : "member",
    sso_bypass: String(u.organization_user_bypasses_sso),
    created_at: iso(u.created_at),
    last_sign_in_at: iso(u.last_sign_in_at),
    groups: safe(u.groups.map((g) => g.name).join("; ")),
  };
}

function openaiStatus(u: OpenAIUser): string {
  if (u.user?.banned) return "blocked";
  if (u.user?.enabled === false) return "disabled";
  return "enabled";
}

function openaiCells(u: OpenAIUser): Record<string, string> {
  return {
    id: u.id,
    name: safe(u.name ?? u.user?.name),
    email: safe(u.email ?? u.user?.email),
    role: safe(u.role),
    status: openaiStatus(u),
    account: u.is_service_account ? "service_account" : u.is_scim_managed ? "scim_managed" : "user",
    added_at: unix(u.added_at),
    last_api_key_use: unix(u.api_key_last_used_at),
    projects: safe(u.projects ? u.projects.data.map((p) => p.name).join("; ") : null),
  };
}

/** The dashboard's export controls. */
class ExportControls extends CsvExportControls {
  /** Opens the dashboard on a view and waits for its first rows. */
  async open(query: string) {
    await this.page.goto(`/${query}`);
    await expect(this.page.getByTestId("users-count")).toContainText(/Showing|loaded/, {
      timeout: 20_000,
    });
  }

  /** Clicks "Export CSV" and parses the file the browser saved. */
  async download() {
    const downloaded = this.page.waitForEvent("download", { timeout: 30_000 });
    await this.button.click();
    const download = await downloaded;
    const path = await download.path();
    const bytes = await readFile(path);
    // The BOM is the file's first three bytes.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header = [], ...rows] = parse(bytes, { bom: true }) as string[][];
    return { filename: download.suggestedFilename(), header, rows };
  }
}

/** No serious or critical axe violation inside the export controls; a screenshot of them for review. */
async function checkControls(controls: ExportControls, testInfo: TestInfo, name: string) {
  expect(await seriousViolations(controls.page, '[role="group"][aria-label="CSV export"]')).toEqual(
    [],
  );
  await controls.page.screenshot({ path: testInfo.outputPath(`${name}.png`) });
}

async function vendorRequests(
  sandbox: SandboxControl,
  vendor: "telnyx" | "openai",
): Promise<number> {
  const { counters } = await sandbox.state();
  return (counters as { requests: Record<string, number> }).requests[vendor] ?? 0;
}

test.describe("CSV export", () => {
  test("exports every Telnyx user of the view, groups included", async ({
    page,
    sandbox,
    signedIn,
  }, testInfo) => {
    void signedIn;
    void sandbox;
    const controls = new ExportControls(page);
    await controls.open("?provider=telnyx&groups=1");
    const { filename, header, rows } = await controls.download();

    expect(filename).toMatch(/^roster-telnyx-users-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(header[0]).toBe("id");
    expect(header).toContain("email");
    expect(header).toContain("groups");
    const expected = data.telnyx.map(telnyxCells);
    expect(rows).toHaveLength(expected.length);
    expect(rows).toEqual(expected.map((cells) => header.map((id) => cells[id])));
    await expect(controls.group.getByRole("status")).toContainText(
      `Exported ${expected.length.toLocaleString("en-US")} rows`,
    );
    await expect(controls.button).toBeEnabled();
    await checkControls(controls, testInfo, "export-done-light");
  });

  test("a view with no users offers no export: the button says why, keeps the focus and does nothing", async ({
    page,
    signedIn,
  }) => {
    void signedIn;
    const controls = new ExportControls(page);
    const exports: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/users/export")) exports.push(request.url());
    });
    await page.goto("/?provider=telnyx&email=no-such-user-anywhere");
    await expect(page.getByRole("heading", { name: "No users match these filters" })).toBeVisible();
    await expect(controls.button).toHaveAttribute("aria-disabled", "true");
    await expect(controls.button).toHaveAttribute("title", "No users match these filters");
    await controls.button.focus();
    await expect(controls.button).toBeFocused();
    await page.keyboard.press("Enter");
    // Playwright waits for an aria-disabled button to be enabled; a click is what a mouse does.
    await controls.button.click({ force: true });
    await expect(controls.button).toBeFocused();
    await page.waitForTimeout(500);
    expect(exports).toEqual([]);
    await expect(controls.notice).toHaveText("");
    await expect(controls.progress).toHaveCount(0);
  });

  test("exports a filtered OpenAI view", async ({ page, sandbox, signedIn }) => {
    void signedIn;
    void sandbox;
    const controls = new ExportControls(page);
    await controls.open("?provider=openai&status=enabled&email=contoso");
    const { filename, header, rows } = await controls.download();

    expect(filename).toMatch(/^roster-openai-users-/);
    expect(header[0]).toBe("id");
    expect(header).not.toContain("projects");
    const expected = data.openai
      .filter(
        (u) =>
          openaiStatus(u) === "enabled" &&
          (u.email ?? u.user?.email ?? "").toLowerCase().includes("contoso"),
      )
      .map(openaiCells);
    expect(expected.length).toBeGreaterThan(10);
    expect(rows).toEqual(expected.map((cells) => header.map((id) => cells[id])));
  });

  test("Cancel stops the export: back to idle, no file, no more vendor calls", async ({
    page,
    sandbox,
    signedIn,
  }, testInfo) => {
    void signedIn;
    const controls = new ExportControls(page);
    await controls.open("?provider=telnyx");
    // Slow enough (3 s a page, 10 pages, 4 at a time) that the export is still running when Cancel is clicked.
    await sandbox.setFaults({ latencyMs: 3_000, vendor: "telnyx" });

    await controls.button.click();
    await expect(controls.button).toBeDisabled();
    // The first page is in: the total is known and the bar counts towards it.
    await expect(controls.progress).toHaveAttribute("aria-valuemax", String(data.telnyx.length), {
      timeout: 15_000,
    });
    await expect(controls.progress).toHaveAttribute("aria-valuenow", /^\d+$/);
    await checkControls(controls, testInfo, "export-running-light");
    await controls.cancel.click();

    await expect(controls.group.getByRole("status")).toHaveText(
      "Export cancelled. No file was saved.",
    );
    await expect(controls.button).toBeEnabled();
    await expect(controls.progress).toHaveCount(0);

    // Requests already in flight may still arrive; after that, none.
    await page.waitForTimeout(1_000);
    const settled = await vendorRequests(sandbox, "telnyx");
    await page.waitForTimeout(4_000);
    expect(await vendorRequests(sandbox, "telnyx")).toBe(settled);
    expect(settled).toBeLessThan(1 + Math.ceil(data.telnyx.length / 250));
    expect(controls.downloads).toEqual([]);
  });

  test("a vendor failing mid-export fails the download visibly; Try again succeeds", async ({
    page,
    sandbox,
    signedIn,
  }, testInfo) => {
    void signedIn;
    await page.emulateMedia({ colorScheme: "dark" });
    const controls = new ExportControls(page);
    await controls.open("?provider=openai");
    await sandbox.setFaults({ outageAfter: 3, vendor: "openai" });

    await controls.button.click();
    const alert = controls.group.getByRole("alert");
    // The failure line's code (upstream_unavailable) is named, not only that the export stopped.
    await expect(alert).toContainText(
      "The export stopped before it finished: the vendor stopped answering. No file was saved.",
      { timeout: 30_000 },
    );
    expect(controls.downloads).toEqual([]);
    await checkControls(controls, testInfo, "export-failed-dark");

    await sandbox.reset();
    const downloaded = page.waitForEvent("download", { timeout: 30_000 });
    await alert.getByRole("button", { name: "Try again" }).click();
    const download = await downloaded;
    const rows = parse(await readFile(await download.path()), { bom: true }) as string[][];
    expect(rows.slice(1).map((r) => r[0])).toEqual(data.openai.map((u) => u.id));
    await expect(alert).toHaveCount(0);
    await checkControls(controls, testInfo, "export-done-dark");
  });

  test("a third export while two run shows why it was refused; it runs once they end", async ({
    page,
    sandbox,
    signedIn,
  }, testInfo) => {
    void signedIn;
    const controls = new ExportControls(page);
    await controls.open("?provider=telnyx");
    // 2 s a vendor page, 42 pages: each export runs for about 20 s after its first page.
    await sandbox.setFaults({ latencyMs: 2_000, vendor: "telnyx" });

    // Two exports of the same admin (EXPORT_MAX_PER_ADMIN's default), from another tab's session.
    const statuses = await page.evaluate(async () => {
      const responses = await Promise.all(
        [1, 2].map(() => fetch("/api/telnyx/users/export?columns=id", { cache: "no-store" })),
      );
      const held = window as unknown as { running: Promise<string[]>; ended: boolean };
      held.ended = false;
      held.running = Promise.all(responses.map((r) => r.text()));
      void held.running.finally(() => (held.ended = true));
      return responses.map((r) => r.status);
    });
    expect(statuses).toEqual([200, 200]);

    await controls.button.click();
    const alert = controls.group.getByRole("alert");
    await expect(alert).toContainText(
      "You already have 2 exports running, the most one admin may run at once.",
    );
    await expect(controls.button).toBeEnabled();
    await expect(controls.progress).toHaveCount(0);
    expect(controls.downloads).toEqual([]);
    await checkControls(controls, testInfo, "export-refused-light");
    // Still running: the refusal came from the limit, not after an export had ended.
    expect(await page.evaluate(() => (window as unknown as { ended: boolean }).ended)).toBe(false);

    // Once both end, their slots are free again and the same button works.
    await sandbox.reset();
    const bodies = await page.evaluate(
      () => (window as unknown as { running: Promise<string[]> }).running,
    );
    for (const body of bodies) {
      expect(parse(body, { bom: true }).length - 1).toBe(data.telnyx.length);
    }
    const downloaded = page.waitForEvent("download", { timeout: 30_000 });
    await alert.getByRole("button", { name: "Try again" }).click();
    const rows = parse(await readFile(await (await downloaded).path()), {
      bom: true,
    }) as string[][];
    expect(rows.slice(1).map((r) => r[0])).toEqual(data.telnyx.map((u) => u.id));
    await expect(alert).toHaveCount(0);
  });
});
