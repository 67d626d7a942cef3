import { expect, type Locator, type Page } from "@playwright/test";

import { waitForHydration } from "../hydration";

/** The activity log page. */
export class ActivityPage {
  readonly list: Locator;
  readonly entries: Locator;
  readonly verifyButton: Locator;
  readonly verifyResult: Locator;
  readonly kind: Locator;

  constructor(readonly page: Page) {
    this.list = page.getByRole("list", { name: "Activity" });
    this.entries = this.list.getByRole("listitem");
    this.verifyButton = page.getByRole("button", { name: "Verify chain" });
    this.verifyResult = page.getByTestId("verify-result");
    this.kind = page.getByLabel("Kind");
  }

  /** Opens the log (with `query`'s filters) and waits until React has taken over its controls. */
  async goto(query = "") {
    await this.page.goto(`/activity${query}`);
    await expect(this.page.getByRole("heading", { name: "Activity" })).toBeVisible();
    await waitForHydration(this.kind);
  }

  entry(kind: string): Locator {
    return this.entries.filter({ hasText: kind });
  }
}
