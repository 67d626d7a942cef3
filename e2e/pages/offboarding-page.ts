import { expect, type Locator, type Page } from "@playwright/test";

import type { CellState } from "../../lib/offboarding/results";
import type { ProviderId } from "../../lib/users/schema";
import { waitForHydration } from "../hydration";

/** The offboarding check page, by role and accessible name first. */
export class OffboardingPage {
  readonly emails: Locator;
  readonly checkButton: Locator;
  readonly progress: Locator;
  readonly cancelButton: Locator;
  readonly cancelled: Locator;
  readonly summary: Locator;
  readonly retryButton: Locator;
  readonly accessOnly: Locator;
  readonly exportButton: Locator;
  readonly rows: Locator;
  readonly invalidList: Locator;
  readonly duplicatesList: Locator;
  readonly nav: Locator;

  constructor(readonly page: Page) {
    this.emails = page.getByRole("textbox", { name: "Email addresses" });
    this.checkButton = page.getByRole("button", { name: /^Check \d/ });
    this.progress = page.getByRole("status").filter({ hasText: /Checking|Retrying/ });
    this.cancelButton = page.getByRole("button", { name: "Cancel" });
    this.cancelled = page.getByRole("status").filter({ hasText: "Check cancelled." });
    this.summary = page.getByTestId("offboarding-summary");
    this.retryButton = page.getByRole("button", { name: "Retry not checked" });
    this.accessOnly = page.getByRole("switch", { name: "Still has access only" });
    this.exportButton = page.getByRole("button", { name: "Export CSV" });
    this.rows = page.locator("tbody tr[data-email]");
    this.invalidList = page.getByRole("region", { name: /not an email address/ });
    this.duplicatesList = page.getByRole("region", { name: /given more than once/ });
    this.nav = page.getByRole("navigation", { name: "Main" });
  }

  /**
   * Opens the page and waits until React has taken over the form (its props are on the
   * textarea): typed text or a key pressed on the server's HTML before that was lost.
   */
  async goto(): Promise<void> {
    await this.page.goto("/offboarding");
    await waitForHydration(this.emails);
  }

  /** Pastes the lines and starts the check. */
  async check(lines: readonly string[]): Promise<void> {
    await this.emails.fill(lines.join("\n"));
    await this.checkButton.click();
  }

  row(email: string): Locator {
    return this.page.locator(`tbody tr[data-email=${JSON.stringify(email)}]`);
  }

  cell(email: string, provider: ProviderId): Locator {
    return this.row(email).locator(`td[data-provider=${provider}]`);
  }

  async expectState(email: string, provider: ProviderId, state: CellState): Promise<void> {
    await expect(this.cell(email, provider), `${email} at ${provider}`).toHaveAttribute(
      "data-state",
      state,
    );
  }

  /** Every row's state at `provider`, in row order. */
  async states(provider: ProviderId): Promise<string[]> {
    return this.rows.evaluateAll(
      (rows, p) =>
        rows.map(
          (row) => row.querySelector(`td[data-provider=${p}]`)?.getAttribute("data-state") ?? "",
        ),
      provider,
    );
  }
}
