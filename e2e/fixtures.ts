import { test as base, expect, type APIRequestContext } from "@playwright/test";

import { HTTP_SESSION_COOKIE, mintSessionToken } from "../testing/session-token";

import { DashboardPage } from "./pages/dashboard-page";
import { APP_URL, E2E_AUTH_SECRET, SANDBOX_ADMIN_TOKEN, SANDBOX_URL } from "./env";

/** Drives the sandbox's control endpoint (faults, counters and changes to its users). */
export class SandboxControl {
  constructor(private readonly request: APIRequestContext) {}

  private headers() {
    return { Authorization: `Bearer ${SANDBOX_ADMIN_TOKEN}` };
  }

  async setFaults(faults: Record<string, unknown>): Promise<void> {
    const res = await this.request.post(`${SANDBOX_URL}/_sandbox/faults`, {
      headers: this.headers(),
      data: faults,
    });
    expect(res.ok(), await res.text()).toBe(true);
  }

  /** Adds, removes or changes users (see sandbox/mutate.ts); `reset()` undoes it. */
  async mutate(mutation: Record<string, unknown>): Promise<Record<string, unknown>> {
    const res = await this.request.post(`${SANDBOX_URL}/_sandbox/mutate`, {
      headers: this.headers(),
      data: mutation,
    });
    expect(res.ok(), await res.text()).toBe(true);
    return res.json();
  }

  /** Clears every fault, zeroes the counters and undoes every mutation. */
  async reset(): Promise<void> {
    const res = await this.request.post(`${SANDBOX_URL}/_sandbox/reset`, {
      headers: this.headers(),
    });
    expect(res.ok(), await res.text()).toBe(true);
  }

  async state(): Promise<{ faults: Record<string, unknown>; counters: Record<string, unknown> }> {
    const res = await this.request.get(`${SANDBOX_URL}/_sandbox/state`, {
      headers: this.headers(),
    });
    expect(res.ok()).toBe(true);
    return res.json();
  }
}

/** The cookie next-auth sets after sign-in, minted directly so tests need not go through the form. */
export async function adminSessionCookie(email = "admin@roster.test") {
  const value = await mintSessionToken({ email, name: "E2E Admin", secret: E2E_AUTH_SECRET });
  const url = new URL(APP_URL);
  return {
    name: HTTP_SESSION_COOKIE,
    value,
    domain: url.hostname,
    path: "/",
    httpOnly: true,
    sameSite: "Lax" as const,
  };
}

export const test = base.extend<{
  sandbox: SandboxControl;
  signedIn: void;
  dashboard: DashboardPage;
}>({
  sandbox: async ({ playwright }, use) => {
    const request = await playwright.request.newContext();
    const control = new SandboxControl(request);
    await control.reset();
    await use(control);
    await control.reset();
    await request.dispose();
  },
  /** Ask for this fixture to start the test signed in as an admin. */
  signedIn: async ({ context }, use) => {
    await context.addCookies([await adminSessionCookie()]);
    await use();
  },
  /** The dashboard's page object, signed in. */
  dashboard: async ({ page, signedIn }, use) => {
    void signedIn;
    await use(new DashboardPage(page));
  },
});

export { expect };
