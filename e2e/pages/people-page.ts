import { expect, type Locator, type Page } from "@playwright/test";

import { waitForHydration } from "../hydration";

import { CsvExportControls } from "./csv-export";

/** The People view and a person's page, by role and accessible name first. */
export class PeoplePage {
  readonly list: Locator;
  readonly rows: Locator;
  readonly scroller: Locator;
  readonly count: Locator;
  readonly rosterStatus: Locator;
  readonly rosterInput: Locator;
  readonly rosterAlert: Locator;
  readonly syncNow: Locator;
  readonly csvExport: CsvExportControls;
  readonly emailFilter: Locator;

  constructor(readonly page: Page) {
    this.list = page.getByRole("list", { name: /^People/ });
    this.rows = this.list.locator("a[data-key]");
    this.scroller = page.getByTestId("people-scroll");
    this.count = page.getByTestId("people-count");
    this.rosterStatus = page.getByTestId("roster-status");
    this.rosterInput = page.getByLabel("Upload roster CSV");
    this.rosterAlert = page.getByRole("region", { name: "HR roster" }).getByRole("alert");
    this.syncNow = page.getByRole("button", { name: "Sync now" });
    this.csvExport = new CsvExportControls(page);
    this.emailFilter = page.getByRole("searchbox", { name: "Filter by email" });
  }

  async goto(query = ""): Promise<void> {
    await this.page.goto(`/people${query}`);
    await waitForHydration(this.emailFilter);
    // The count comes from the list the browser fetches (the server's HTML has it empty).
    await expect(this.count).toContainText("people");
  }

  flagChip(flag: string): Locator {
    return this.page.locator(`button[data-flag="${flag}"]`);
  }

  async uploadRoster(csv: string, name = "roster.csv"): Promise<void> {
    await this.rosterInput.setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(csv) });
  }

  /**
   * Starts a sync with the view's button, then waits until every vendor has a
   * snapshot newer than before, through the directory's own status API.
   */
  async syncAndWait(): Promise<void> {
    const status = async () => {
      // A fresh connection each time: while a sync publishes, the server's event loop can stall
      // long enough to expire a kept-alive socket just as the next request is sent on it.
      const res = await this.page.request.get("/api/directory/status", {
        headers: { connection: "close" },
      });
      expect(res.ok(), await res.text()).toBe(true);
      const body = (await res.json()) as {
        providers: Record<string, { current: { snapshotId: number } | null; running: unknown }>;
      };
      return body.providers;
    };
    const before = await status();
    await this.syncNow.click();
    await expect
      .poll(
        async () => {
          const now = await status();
          return Object.entries(now).every(
            ([id, p]) =>
              p.running === null &&
              p.current !== null &&
              p.current.snapshotId !== before[id]?.current?.snapshotId,
          );
        },
        { timeout: 120_000, intervals: [500, 1000, 2000] },
      )
      .toBe(true);
  }

  /** Scrolls the list until the row with this index is rendered, and returns it. */
  async scrollToRow(index: number): Promise<Locator> {
    const row = this.list.locator(`li[data-index="${index}"] a`);
    for (let i = 0; i < 200 && !(await row.isVisible()); i++) {
      await this.scroller.evaluate((el) => el.scrollBy(0, el.clientHeight));
    }
    await expect(row).toBeVisible();
    return row;
  }
}
