import {
  expect,
  type APIRequestContext,
  type Download,
  type Locator,
  type Page,
} from "@playwright/test";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";

import { APP_URL } from "../env";
import { waitForHydration } from "../hydration";

/** Runs a directory sync of `provider` through the real API and waits for its snapshot. */
export async function syncDirectory(request: APIRequestContext, provider: "telnyx" | "openai") {
  const started = await request.post("/api/directory/sync", {
    data: { provider },
    headers: { Origin: APP_URL },
  });
  expect(started.status(), await started.text()).toBe(202);
  const body = (await started.json()) as { syncs: { provider: string; snapshotId: number }[] };
  const syncId = body.syncs.find((sync) => sync.provider === provider)?.snapshotId;
  expect(syncId).toBeDefined();
  await expect
    .poll(
      async () => {
        const status = await (await request.get("/api/directory/status")).json();
        return status.providers[provider].current?.snapshotId ?? null;
      },
      { timeout: 60_000 },
    )
    .toBe(syncId);
  return syncId;
}

/** What the New review form is filled with; a field left out is left as it is. */
export interface ReviewForm {
  name?: string;
  dueDate?: string;
  vendors?: readonly ("Telnyx" | "OpenAI")[];
  roles?: string;
}

/** The list of reviews and the form that starts one. */
export class ReviewsPage {
  readonly heading: Locator;
  readonly name: Locator;
  readonly dueDate: Locator;
  readonly roles: Locator;
  readonly start: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { name: "Access reviews" });
    this.name = page.getByLabel("Name");
    this.dueDate = page.getByLabel("Due date");
    this.roles = page.getByLabel("Roles (comma-separated, optional)");
    this.start = page.getByRole("button", { name: "Start review" });
  }

  /** Opens the page and waits until React has taken over the New review form. */
  async goto() {
    await this.page.goto("/reviews");
    await expect(this.heading).toBeVisible();
    await waitForHydration(this.name);
  }

  vendor(label: "Telnyx" | "OpenAI"): Locator {
    return this.page.getByRole("group", { name: "Vendors" }).getByLabel(label);
  }

  /** Fills the fields given, in the form's order. */
  async fill(form: ReviewForm) {
    if (form.name !== undefined) await this.name.fill(form.name);
    if (form.dueDate !== undefined) await this.dueDate.fill(form.dueDate);
    for (const vendor of form.vendors ?? []) await this.vendor(vendor).check();
    if (form.roles !== undefined) await this.roles.fill(form.roles);
  }

  /** Presses Start review and waits for the new review's page. */
  async submit() {
    await this.start.click();
    await this.page.waitForURL(/\/reviews\/\d+$/);
  }

  /**
   * Fills the form and starts the review, waiting for its page. `beforeSubmit` runs between
   * the two: to route a request the review's page will make, or to check the filled form.
   */
  async startReview(form: ReviewForm, options: { beforeSubmit?: () => Promise<unknown> } = {}) {
    await this.fill(form);
    await options.beforeSubmit?.();
    await this.submit();
  }
}

/** One review: its accounts, decisions, closing and the evidence downloads. */
type ReviewFilter = "All" | "Undecided" | "Keep" | "Revoke" | "Follow up" | "Flagged" | "Changed";

export class ReviewPage {
  readonly progress: Locator;
  readonly rows: Locator;
  readonly alert: Locator;
  readonly closeButton: Locator;
  readonly bulkComment: Locator;
  /** "Showing 200 of 1,501 accounts" under the table, while it holds only some of them. */
  readonly rowsShown: Locator;

  constructor(readonly page: Page) {
    this.progress = page.getByTestId("review-progress");
    this.rows = page.locator("tr[data-item-id]");
    this.alert = page.getByRole("main").getByRole("alert");
    this.closeButton = page.getByRole("button", { name: "Close review" });
    this.bulkComment = page.getByLabel("Comment for the selected accounts");
    this.rowsShown = page.getByTestId("rows-shown");
  }

  /** "12 of 340 decided" as numbers. */
  async counts(): Promise<{ decided: number; total: number }> {
    const text = (await this.progress.textContent()) ?? "";
    const match = /([\d,]+) of ([\d,]+) decided/.exec(text);
    if (!match) throw new Error(`no progress in "${text}"`);
    const count = (digits: string) => Number(digits.replaceAll(",", ""));
    return { decided: count(match[1]!), total: count(match[2]!) };
  }

  /** A filter's button, named by its label and the review's count of its accounts ("Keep 12"). */
  filterButton(filter: ReviewFilter) {
    return this.page
      .getByRole("group", { name: "Show" })
      .getByRole("button", { name: new RegExp(`^${filter} [\\d,]+$`) });
  }

  show(filter: ReviewFilter) {
    return this.filterButton(filter).click();
  }

  select(row: Locator) {
    return row.getByRole("checkbox").check();
  }

  selectAllShown() {
    return this.page.getByRole("checkbox", { name: "Select all shown" }).check();
  }

  bulk(decision: "Keep" | "Revoke" | "Follow up") {
    return this.page.getByRole("button", { name: `${decision} selected` }).click();
  }

  decideRow(row: Locator, decision: "Keep" | "Revoke" | "Follow up") {
    return row.getByRole("combobox").selectOption({ label: decision });
  }

  /** The sha256 a closed review shows for one of its evidence files. */
  evidenceSha256(file: "Evidence CSV" | "Evidence manifest"): Locator {
    return this.page
      .locator("dt", { hasText: `${file} sha256` })
      .locator("xpath=following-sibling::dd[1]");
  }

  async download(name: "Evidence CSV" | "Evidence manifest" | "Revoke list"): Promise<Buffer> {
    const [download]: [Download, void] = await Promise.all([
      this.page.waitForEvent("download"),
      this.page.getByRole("link", { name }).click(),
    ]);
    return readFile((await download.path())!);
  }
}

export function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}
