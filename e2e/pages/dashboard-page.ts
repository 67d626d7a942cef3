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
      await this.scroller.evaluate((el) => {
        el.scrollTop = el.scrollHeight;
      });
      await this.page.waitForTimeout(60);
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
      const byIndex = new Map<number, string>();
      const problems: string[] = [];
      const header =
        el.querySelector("[role=row]:not([data-row-id])")?.getBoundingClientRect().height ?? 0;

      // Rendered rows cover the visible part of the scroller (or the list ends inside it).
      const covered = () => {
        const rows = [...el.querySelectorAll<HTMLElement>("[role=row][data-row-id]")];
        if (rows.length === 0) return true;
        const box = el.getBoundingClientRect();
        const tops = rows.map((r) => r.getBoundingClientRect());
        const minTop = Math.min(...tops.map((r) => r.top));
        const maxBottom = Math.max(...tops.map((r) => r.bottom));
        const body = el
          .querySelector<HTMLElement>("[data-testid=users-body]")
          ?.getBoundingClientRect();
        return (
          minTop <= box.top + header + 1 &&
          (maxBottom >= box.bottom - 1 || (body !== undefined && maxBottom >= body.bottom - 1))
        );
      };

      el.scrollTop = 0;
      for (;;) {
        // Up to 5 s, not 60 frames (about 1 s): a CI run on a loaded machine once read no row 2
        // or 3 after the jump back to the top, most likely read before they were rendered.
        const until = performance.now() + 5000;
        while (!covered() && performance.now() < until) await frame();
        await frame();
        for (const row of el.querySelectorAll<HTMLElement>("[role=row][data-row-id]")) {
          const index = Number(row.getAttribute("aria-rowindex"));
          const id = row.dataset.rowId ?? "";
          const known = byIndex.get(index);
          if (known !== undefined && known !== id)
            problems.push(`row ${index}: ${known} then ${id}`);
          byIndex.set(index, id);
        }
        if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) break;
        el.scrollTop += Math.max(el.clientHeight - header - 44, 44);
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
