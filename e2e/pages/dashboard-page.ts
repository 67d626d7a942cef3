import { expect, type Locator, type Page } from "@playwright/test";

import type { ProviderId } from "../../lib/users/schema";
import { waitForHydration } from "../hydration";

const TAB_NAMES: Record<ProviderId, string> = { telnyx: "Telnyx", openai: "OpenAI" };

export interface CollectedRows {
  /** Row ids in row order (aria-rowindex 2, 3, ...). */
  ids: string[];
  /** Row indexes that showed two different ids while scrolling, or gaps in the sequence. */
  problems: string[];
}

/**
 * The users dashboard, by role and accessible name first. Rows are the grid's
 * `[role=row][data-row-id]` elements (the header row has no data-row-id).
 */
export class DashboardPage {
  readonly grid: Locator;
  readonly rows: Locator;
  readonly scroller: Locator;
  readonly emailFilter: Locator;
  readonly statusSelect: Locator;
  readonly groupsSwitch: Locator;
  readonly columnsButton: Locator;
  readonly exportButton: Locator;
  readonly count: Locator;
  readonly loadingMore: Locator;
  readonly endOfList: Locator;
  readonly inlineRetry: Locator;
  readonly errorPanel: Locator;
  readonly emptyState: Locator;
  readonly clearFilters: Locator;
  readonly detailPanel: Locator;
  readonly skeleton: Locator;

  constructor(readonly page: Page) {
    this.grid = page.getByRole("grid");
    this.rows = this.grid.locator("[role=row][data-row-id]");
    this.scroller = page.getByTestId("users-scroll");
    this.emailFilter = page.getByRole("searchbox", { name: "Filter by email" });
    this.statusSelect = page.getByRole("combobox", { name: "Status" });
    this.groupsSwitch = page.getByRole("switch", { name: "Show groups" });
    this.columnsButton = page.getByRole("button", { name: "Columns" });
    this.exportButton = page.getByRole("button", { name: "Export CSV" });
    this.count = page.getByTestId("users-count");
    this.loadingMore = page.getByText("Loading more…");
    this.endOfList = page.getByText("End of list");
    this.inlineRetry = page
      .getByRole("alert")
      .filter({ hasText: "Couldn’t load more users" })
      .getByRole("button", { name: "Try again" });
    this.errorPanel = page.getByRole("alert").filter({ hasText: "Couldn’t load users" });
    this.emptyState = page.getByRole("heading", { name: "No users match these filters" });
    this.clearFilters = page.getByRole("button", { name: "Clear filters" });
    this.detailPanel = page.getByRole("dialog");
    // The table's skeleton, not the toolbar's count (a live region too, showing the same words).
    this.skeleton = page
      .getByRole("status")
      .filter({ hasText: "Loading users…" })
      .and(page.locator(":not([data-testid=users-count])"));
  }

  tab(provider: ProviderId): Locator {
    return this.page.getByRole("tab", { name: TAB_NAMES[provider] });
  }

  /** Opens the dashboard and waits until React has taken it over (see waitForHydration). */
  async goto(search = ""): Promise<void> {
    await this.page.goto(`/${search}`);
    await waitForHydration(this.emailFilter);
  }

  /** The first rows (or a terminal state) are on screen. */
  async waitForList(): Promise<void> {
    await expect(this.rows.first().or(this.emptyState).or(this.errorPanel)).toBeVisible({
      timeout: 30_000,
    });
  }

  async renderedRowCount(): Promise<number> {
    return this.rows.count();
  }

  /**
   * Scrolls to the bottom until "End of list" shows. With `retryFailures`,
   * clicks the inline "Try again" whenever a later page fails.
   */
  async scrollToEnd({ timeoutMs = 180_000, retryFailures = false } = {}): Promise<{
    retries: number;
  }> {
    const deadline = Date.now() + timeoutMs;
    let retries = 0;
    await this.waitForList();
    while (Date.now() < deadline) {
      if (await this.endOfList.isVisible()) return { retries };
      if (retryFailures && (await this.inlineRetry.isVisible())) {
        await this.inlineRetry.click();
        retries++;
      }
      // In the page, a frame at a time: to the bottom until the end or an alert in the list shows
      // (up to 5 s, then again from here). A round trip from here for each page cost about twice
      // as long as the page's own request.
      await this.scroller.evaluate(
        async (el, ms) => {
          const until = performance.now() + ms;
          while (performance.now() < until) {
            const footer = el.querySelector("[data-testid=list-footer]")?.textContent ?? "";
            if (footer.includes("End of list") || el.querySelector("[role=alert]")) return;
            el.scrollTop = el.scrollHeight;
            await new Promise((resolve) => requestAnimationFrame(resolve));
          }
        },
        Math.max(0, Math.min(5000, deadline - Date.now())),
      );
      // A failure already shown waits here rather than in a loop of round trips.
      if (!retryFailures && (await this.scroller.getByRole("alert").count()) > 0)
        await this.page.waitForTimeout(250);
    }
    throw new Error("the list did not reach its end in time");
  }

  /**
   * Scrolls the loaded list from top to bottom a screen at a time, reading
   * every rendered row's index and id, so duplicates and gaps show up even
   * though only a window of rows is ever in the DOM.
   */
  async collectRowIds(): Promise<CollectedRows> {
    return this.scroller.evaluate(async (el) => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      // Whichever comes first: a frame, or a few ms for a render the frame's scroll event started.
      const soon = () => Promise.race([frame(), new Promise((resolve) => setTimeout(resolve, 2))]);
      const byIndex = new Map<number, string>();
      const problems: string[] = [];
      const header =
        el.querySelector("[role=row]:not([data-row-id])")?.getBoundingClientRect().height ?? 0;

      // How far down, from just below the sticky header, rendered rows reach without a gap (in
      // viewport px): rows above the view (the active row, the previous window's) do not count.
      const reach = () => {
        const top = el.getBoundingClientRect().top + header;
        let reached = top;
        for (const rect of [...el.querySelectorAll("[role=row][data-row-id]")]
          .map((row) => row.getBoundingClientRect())
          .filter((rect) => rect.bottom > top + 1)
          .sort((a, b) => a.top - b.top)) {
          if (rect.top > reached + 1) break;
          reached = Math.max(reached, rect.bottom);
        }
        return { top, reached };
      };
      // Every row slot the scroller shows has a rendered row (or the rows end inside it).
      const covered = () => {
        const box = el.getBoundingClientRect();
        const body = el.querySelector("[data-testid=users-body]")?.getBoundingClientRect();
        return reach().reached >= Math.min(box.bottom, body?.bottom ?? box.bottom) - 1;
      };

      el.scrollTop = 0;
      for (;;) {
        // A frame first: the browser fires the scroll event in it, and the grid renders the new
        // rows after it. Then up to 5 s for them (a CI run on a loaded machine once read no row 2
        // or 3 after the jump back to the top), checked every few ms rather than every frame.
        await frame();
        const until = performance.now() + 5000;
        while (!covered() && performance.now() < until) await soon();
        for (const row of el.querySelectorAll<HTMLElement>("[role=row][data-row-id]")) {
          const index = Number(row.getAttribute("aria-rowindex"));
          const id = row.dataset.rowId ?? "";
          const known = byIndex.get(index);
          if (known !== undefined && known !== id)
            problems.push(`row ${index}: ${known} then ${id}`);
          byIndex.set(index, id);
        }
        if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) break;
        // On past every row just read: the rows rendered below the view (the grid's overscan),
        // joined to it without a gap, were read too, so the next view starts at the last of them.
        // A row never read still shows as a gap below.
        const { top, reached } = reach();
        el.scrollTop += Math.max(reached - top - 44, 44);
      }
      const indexes = [...byIndex.keys()].sort((a, b) => a - b);
      indexes.forEach((index, i) => {
        if (index !== i + 2) problems.push(`gap before row ${index}`);
      });
      return { ids: indexes.map((i) => byIndex.get(i) ?? ""), problems };
    });
  }

  /** Types into the email box and waits for the debounced URL change. */
  async filterByEmail(value: string): Promise<void> {
    await this.emailFilter.fill(value);
    await expect(this.page).toHaveURL(
      value ? new RegExp(`[?&]email=${encodeURIComponent(value)}(&|$)`) : /^(?!.*[?&]email=)/,
    );
  }

  async selectStatus(label: "All" | "Enabled" | "Disabled" | "Blocked"): Promise<void> {
    await this.statusSelect.selectOption({ label });
  }

  /** Opens the column chooser and returns its checkbox for `label`. */
  async columnCheckbox(label: string): Promise<Locator> {
    if (!(await this.page.getByRole("group", { name: "Columns" }).isVisible()))
      await this.columnsButton.click();
    return this.page.getByRole("group", { name: "Columns" }).getByRole("checkbox", { name: label });
  }

  columnHeaders(): Locator {
    return this.grid.getByRole("columnheader");
  }
}
