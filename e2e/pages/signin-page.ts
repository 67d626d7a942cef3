import { expect, type Locator, type Page, type Response } from "@playwright/test";

import { waitForHydration } from "../hydration";

/** The sign-in page at /signin. */
export class SignInPage {
  readonly heading: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly alert: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { name: "Sign in to Roster" });
    this.email = page.getByLabel("Email");
    this.password = page.getByLabel("Password");
    this.submit = page.getByRole("button", { name: "Sign in", exact: true });
    // Inside <main>: Next's route announcer is an (empty) alert too.
    this.alert = page.getByRole("main").getByRole("alert");
  }

  async goto(callbackUrl?: string): Promise<void> {
    const query = callbackUrl === undefined ? "" : `?${new URLSearchParams({ callbackUrl })}`;
    await this.page.goto(`/signin${query}`);
    await this.expectVisible();
  }

  /**
   * The form is on screen and React has taken it over: submitted before that, it would go to the
   * server as a plain GET of /signin with the password in the address, not to next-auth.
   */
  async expectVisible(): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.page.getByRole("main").getByTestId("brand")).toContainText("Roster");
    await expect(this.submit).toBeEnabled();
    await waitForHydration(this.submit);
  }

  /**
   * Every request from this page claims to come from `address`, through the
   * one reverse proxy the e2e server trusts (TRUST_PROXY=1): tests stand in
   * for separate clients so the sign-in throttle keeps them apart.
   */
  async actAsClient(address: string): Promise<void> {
    await this.page.setExtraHTTPHeaders({ "x-forwarded-for": address });
  }

  /** Fills and submits the form; resolves with the server's answer to the credentials callback. */
  async signIn(email: string, password: string): Promise<Response> {
    await this.email.fill(email);
    await this.password.fill(password);
    const answer = this.page.waitForResponse(
      (response) =>
        response.url().endsWith("/api/auth/callback/credentials") &&
        response.request().method() === "POST",
    );
    await this.submit.click();
    return answer;
  }
}
