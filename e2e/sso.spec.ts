/**
 * Single sign-on end to end: a second Roster instance (the same build) signs
 * admins in through OpenID Connect against the mock provider in
 * testing/mock-oidc-provider.ts, which refuses a wrong client secret, a reused
 * code and a code_verifier that does not match its S256 challenge.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";

import type { APIRequestContext, Page, Route } from "@playwright/test";

import {
  startMockOidcProvider,
  type MockOidcProvider,
  type MockOidcUser,
} from "../testing/mock-oidc-provider";
import { HTTP_SESSION_COOKIE, mintSessionToken } from "../testing/session-token";

import {
  APP_PORT,
  E2E_ADMIN_EMAIL,
  E2E_AUTH_SECRET,
  E2E_DATA_DIR,
  SANDBOX_PORT,
  appEnv,
} from "./env";
import { expect, test } from "./fixtures";
import { waitForHydration } from "./hydration";

const SSO_PORT = APP_PORT + 2;
const SSO_URL = `http://127.0.0.1:${SSO_PORT}`;
const OIDC_PORT = Number(process.env.E2E_OIDC_PORT ?? SANDBOX_PORT + 1000);
const CLIENT = {
  clientId: "roster-e2e",
  clientSecret: "e2e-oidc-client-secret",
  redirectUri: `${SSO_URL}/api/auth/callback/oidc`,
};

const ANA: MockOidcUser = {
  sub: "sso-ana",
  // As some providers send it: Roster keeps addresses in lower case.
  email: "Ana.Okafor@Example.com",
  email_verified: true,
  name: "Ana Okafor",
};
const OUTSIDER: MockOidcUser = {
  sub: "sso-eve",
  email: "eve@elsewhere.io",
  email_verified: true,
  name: "Eve",
};
const UNVERIFIED: MockOidcUser = {
  sub: "sso-bo",
  email: "bo@example.com",
  email_verified: false,
  name: "Bo",
};

test.describe("single sign-on (OpenID Connect)", () => {
  test.use({ baseURL: SSO_URL });

  let provider: MockOidcProvider;
  let server: ChildProcess | undefined;
  let exited: Promise<unknown> | undefined;
  // Its own embedded database (the app's is locked by the app); on PostgreSQL, the app's database.
  const dataDir = `${E2E_DATA_DIR}-sso`;
  let admin: APIRequestContext;

  test.beforeAll(async ({ playwright }) => {
    provider = await startMockOidcProvider({ ...CLIENT, port: OIDC_PORT });
    let log = "";
    server = spawn(process.execPath, ["scripts/start-standalone.mjs", String(SSO_PORT)], {
      env: {
        ...process.env,
        ...appEnv,
        ...(appEnv.DATABASE_URL ? {} : { ROSTER_DATA_DIR: dataDir }),
        NEXTAUTH_URL: SSO_URL,
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: CLIENT.clientId,
        OIDC_CLIENT_SECRET: CLIENT.clientSecret,
        OIDC_ALLOWED_DOMAINS: "example.com",
        OIDC_ALLOWED_EMAILS: "partner@contractor.io",
        ROSTER_DIST_DIR: process.env.ROSTER_DIST_DIR ?? ".next",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    server.stderr?.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    exited = new Promise((resolve) => server!.once("exit", resolve));
    admin = await playwright.request.newContext({
      baseURL: SSO_URL,
      extraHTTPHeaders: {
        cookie: `${HTTP_SESSION_COOKIE}=${await mintSessionToken({ email: E2E_ADMIN_EMAIL, secret: E2E_AUTH_SECRET })}`,
      },
    });
    await expect
      .poll(
        async () => {
          if (server?.exitCode !== null) throw new Error(`the SSO instance exited:\n${log}`);
          return (await admin.get("/api/health").catch(() => null))?.status();
        },
        { timeout: 60_000 },
      )
      .toBe(200);
  });

  test.afterAll(async () => {
    await admin?.dispose();
    if (server?.exitCode === null) server.kill("SIGTERM");
    await exited;
    if (!appEnv.DATABASE_URL) rmSync(dataDir, { recursive: true, force: true });
    await provider?.close();
  });

  async function startSso(page: Page, user: MockOidcUser, path = "/"): Promise<void> {
    provider.signInAs(user);
    await page.goto(path);
    await expect(page).toHaveURL(/\/signin/);
    await (await ssoButton(page)).click();
  }

  /** The sign-in page's SSO button, once React has taken it over (it does nothing before). */
  async function ssoButton(page: Page) {
    const button = page.getByRole("button", { name: "Sign in with single sign-on" });
    await waitForHydration(button);
    return button;
  }

  async function sessionOf(page: Page): Promise<unknown> {
    return (await page.request.get("/api/auth/session")).json();
  }

  async function latestSignIn(email: string) {
    const log = await admin.get(
      `/api/activity?kind=auth.sign_in&admin=${encodeURIComponent(email)}&limit=1`,
    );
    expect(log.ok()).toBe(true);
    return ((await log.json()) as { data: { at: string; details: object }[] }).data[0];
  }

  test("an allowlisted admin signs in with PKCE (S256) and state, and the log says oidc", async ({
    page,
  }) => {
    const authorizationsBefore = provider.authorizations.length;
    const tokensBefore = provider.tokenRequests.length;
    await startSso(page, ANA, "/?provider=openai");

    // Back where the admin was going, signed in under the address in lower case.
    await expect(page).toHaveURL(`${SSO_URL}/?provider=openai`);
    await expect(page.getByRole("heading", { name: "Roster", exact: true })).toBeVisible();
    await expect(page.getByText("ana.okafor@example.com")).toBeVisible();
    expect(await sessionOf(page)).toMatchObject({
      user: { email: "ana.okafor@example.com", name: "Ana Okafor" },
    });

    // What the provider saw: one authorization request with state and an S256 challenge...
    const authorizations = provider.authorizations.slice(authorizationsBefore);
    expect(authorizations).toHaveLength(1);
    const { query, outcome } = authorizations[0]!;
    expect(query).toMatchObject({
      response_type: "code",
      client_id: CLIENT.clientId,
      redirect_uri: CLIENT.redirectUri,
      code_challenge_method: "S256",
    });
    expect(query.scope?.split(" ")).toEqual(expect.arrayContaining(["openid", "email"]));
    expect(query.state).toMatch(/^[\w-]{20,}$/);
    expect(query.code_challenge).toMatch(/^[\w-]{43}$/);
    // ...and one token request, with the client's secret, that code, and the verifier behind it.
    const tokens = provider.tokenRequests.slice(tokensBefore);
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ clientAuth: "client_secret_basic", outcome: "issued" });
    expect(tokens[0]!.form.code).toBe("code" in outcome ? outcome.code : "no code");
    const verifier = tokens[0]!.form.code_verifier ?? "";
    expect(createHash("sha256").update(verifier).digest("base64url")).toBe(query.code_challenge);

    const entry = await latestSignIn("ana.okafor@example.com");
    expect(entry?.details).toEqual({ method: "oidc", outcome: "success" });
    expect(Date.now() - Date.parse(entry?.at ?? "")).toBeLessThan(60_000);
  });

  for (const { user, reason } of [
    { user: OUTSIDER, reason: "not_allowed" },
    { user: UNVERIFIED, reason: "email_unverified" },
  ]) {
    test(`${user.email} (${reason}) sees Access denied and gets no session`, async ({
      page,
      context,
    }) => {
      const tokensBefore = provider.tokenRequests.length;
      await startSso(page, user);

      await expect(page).toHaveURL(`${SSO_URL}/auth-error?error=AccessDenied`);
      await expect(page.getByRole("heading", { name: "Access denied" })).toBeVisible();
      // The provider did sign the user in: Roster refused after reading the id_token.
      expect(provider.tokenRequests.slice(tokensBefore)).toMatchObject([{ outcome: "issued" }]);
      expect((await context.cookies()).some((cookie) => cookie.name === HTTP_SESSION_COOKIE)).toBe(
        false,
      );
      expect(await sessionOf(page)).toEqual({});
      await page.goto("/");
      await expect(page).toHaveURL(`${SSO_URL}/signin`);

      const entry = await latestSignIn(user.email);
      expect(entry?.details).toEqual({ method: "oidc", outcome: "failure", reason });
    });
  }

  test("a callback whose state was changed on the way is refused before the code is redeemed", async ({
    page,
  }) => {
    // A forged or replayed callback: the provider's answer, with another state.
    const forge = async (route: Route) => {
      const answer = await route.fetch({ maxRedirects: 0 });
      const back = new URL(answer.headers().location ?? "");
      back.searchParams.set("state", "forged-state");
      await route.fulfill({ status: 302, headers: { location: back.toString() } });
    };
    await page.route(`${provider.issuer}/authorize?*`, forge);
    const tokensBefore = provider.tokenRequests.length;
    await startSso(page, ANA, "/?provider=openai");

    await expect(page).toHaveURL(/\/signin\?.*error=OAuthCallback/);
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(
      "Single sign-on did not complete. Try again.",
    );
    expect(provider.tokenRequests).toHaveLength(tokensBefore);
    expect(await sessionOf(page)).toEqual({});

    // Trying again from there still goes where the admin was going.
    await page.unroute(`${provider.issuer}/authorize?*`, forge);
    await (await ssoButton(page)).click();
    await expect(page).toHaveURL(`${SSO_URL}/?provider=openai`);
    await expect(page.getByText("ana.okafor@example.com")).toBeVisible();
  });

  test("sign-ins reuse the provider's discovery document instead of fetching it each time", async ({
    browser,
  }) => {
    for (let i = 0; i < 2; i++) {
      const context = await browser.newContext({ baseURL: SSO_URL });
      const page = await context.newPage();
      await startSso(page, ANA);
      await expect(page.getByText("ana.okafor@example.com")).toBeVisible();
      await context.close();
    }
    // Each sign-in and each callback fetched it before; now one fetch serves this instance for ten
    // minutes, whichever tests ran before this one.
    expect(provider.discoveryRequests).toBe(1);
  });

  test("signing out ends an SSO session", async ({ page, context }) => {
    await startSso(page, ANA);
    await expect(page.getByText("ana.okafor@example.com")).toBeVisible();
    const session = (await context.cookies()).find((c) => c.name === HTTP_SESSION_COOKIE);
    expect(session).toBeDefined();

    // The page was loaded by the redirect back from the provider: its text is the server's.
    const signOutButton = page.getByRole("button", { name: "Sign out" });
    await waitForHydration(signOutButton);
    await signOutButton.click();
    await expect(page).toHaveURL(`${SSO_URL}/signin`);
    expect((await context.cookies()).some((c) => c.name === HTTP_SESSION_COOKIE)).toBe(false);
    await page.goto("/");
    await expect(page).toHaveURL(`${SSO_URL}/signin`);
    // A copy of the signed-out cookie is refused too: the session was revoked, not just forgotten.
    const copied = await page.request.get("/api/auth/session", {
      headers: { cookie: `${HTTP_SESSION_COOKIE}=${session!.value}` },
    });
    expect(await copied.json()).toEqual({});
    const signOuts = await admin.get(
      `/api/activity?kind=auth.sign_out&admin=${encodeURIComponent("ana.okafor@example.com")}&limit=1`,
    );
    const [signOut] = ((await signOuts.json()) as { data: { at: string }[] }).data;
    expect(Date.now() - Date.parse(signOut?.at ?? "")).toBeLessThan(60_000);
  });
});
