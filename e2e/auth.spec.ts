import { randomInt } from "node:crypto";

import {
  APP_URL,
  E2E_ADMIN_EMAIL,
  E2E_ADMIN_PASSWORD,
  E2E_SECOND_ADMIN_EMAIL,
  E2E_SECOND_ADMIN_PASSWORD,
} from "./env";
import type { APIRequestContext, APIResponse } from "@playwright/test";

import { expect, test } from "./fixtures";
import { waitForHydration } from "./hydration";
import { SignInPage } from "./pages/signin-page";

const INCORRECT = "Email or password is incorrect.";

/**
 * A distinct client per test, so one test's failures never throttle another: a /64 of the IPv6
 * documentation prefix each (the throttle counts IPv6 by /64), under a part drawn at random per
 * worker process. Playwright starts a new worker after a failure, and one counting from a fixed
 * start reused the addresses its predecessor had throttled: a later test's 19th attempt got 429.
 */
const WORKER_PART = randomInt(0x10000).toString(16);
let nextClient = 0;
const newClient = () => `2001:db8:${WORKER_PART}:${(nextClient++).toString(16)}::1`;

test.describe("sign-in", () => {
  test("an anonymous visit goes to sign-in and the API answers 401, not a redirect", async ({
    page,
    request,
  }) => {
    await page.goto("/?provider=openai");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2F%3Fprovider%3Dopenai$/);
    await new SignInPage(page).expectVisible();

    const api = await request.get("/api/openai/users", { maxRedirects: 0 });
    expect(api.status()).toBe(401);
    expect(await api.json()).toEqual({
      error: { code: "unauthenticated", message: expect.any(String) },
    });
  });

  test("a wrong password or an unknown email shows one message that does not say which", async ({
    page,
  }) => {
    const signIn = new SignInPage(page);
    await signIn.actAsClient(newClient());
    await signIn.goto("/?provider=openai");

    expect((await signIn.signIn(E2E_ADMIN_EMAIL, "not-the-password")).status()).toBe(401);
    await expect(signIn.alert).toHaveText(INCORRECT);
    await expect(page).toHaveURL(/\/signin/);
    await expect(signIn.email).toHaveValue(E2E_ADMIN_EMAIL);
    // The pressed button was disabled while the answer came: the focus is back on the password,
    // ready for another try, not on the page's body.
    await expect(signIn.password).toBeFocused();

    expect((await signIn.signIn("nobody@roster.test", "not-the-password")).status()).toBe(401);
    await expect(signIn.alert).toHaveText(INCORRECT);
  });

  test("the right password reaches the original path; sign out returns to sign-in", async ({
    page,
    context,
  }) => {
    const signIn = new SignInPage(page);
    await signIn.actAsClient(newClient());
    await page.goto("/?provider=openai");
    await signIn.expectVisible();

    await signIn.signIn(E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD);
    await expect(page).toHaveURL(`${APP_URL}/?provider=openai`);
    await expect(page.getByRole("heading", { name: "Roster", exact: true })).toBeVisible();
    await expect(page.getByText(E2E_ADMIN_EMAIL)).toBeVisible();

    const session = (await context.cookies()).find(
      (cookie) => cookie.name === "next-auth.session-token",
    );
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
    // 8 hours by default, give or take the test's own duration.
    expect((session?.expires ?? 0) - Date.now() / 1000).toBeGreaterThan(8 * 3600 - 120);
    expect((session?.expires ?? 0) - Date.now() / 1000).toBeLessThanOrEqual(8 * 3600);

    // The sign-in is in the activity log, as a success by password.
    const log = await page.request.get(
      `/api/activity?kind=auth.sign_in&admin=${encodeURIComponent(E2E_ADMIN_EMAIL)}&limit=1`,
    );
    const [latest] = ((await log.json()) as { data: { at: string; details: object }[] }).data;
    expect(latest?.details).toMatchObject({ method: "credentials", outcome: "success" });
    expect(Date.now() - Date.parse(latest?.at ?? "")).toBeLessThan(60_000);

    const live = await page.request.get("/api/auth/session");
    expect(((await live.json()) as { user?: { email?: string } }).user?.email).toBe(
      E2E_ADMIN_EMAIL,
    );

    // The sign-in loaded the page, whose text is the server's: a click before React took over
    // the button did nothing.
    await waitForHydration(page.getByRole("button", { name: "Sign out" }));
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin$/);
    await signIn.expectVisible();
    expect(
      (await context.cookies()).some((cookie) => cookie.name === "next-auth.session-token"),
    ).toBe(false);
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin$/);
    // A copy of the signed-out cookie: next-auth's own session endpoint agrees it is over.
    const copied = await page.request.get("/api/auth/session", {
      headers: { cookie: `next-auth.session-token=${session?.value}` },
    });
    expect(await copied.json()).toEqual({});
    expect(copied.headers()["set-cookie"]).toBeUndefined();
  });

  test("after sign-in, a callbackUrl to another site lands on Roster's home instead", async ({
    page,
  }) => {
    const signIn = new SignInPage(page);
    await signIn.actAsClient(newClient());
    await signIn.goto("//evil.example/steal");
    await signIn.signIn(E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD);
    await expect(page).toHaveURL(`${APP_URL}/`);
  });

  test("an admin who is signed in skips the sign-in page", async ({ page, signedIn }) => {
    void signedIn;
    await page.goto("/signin?callbackUrl=%2F%3Fprovider%3Dtelnyx");
    await expect(page).toHaveURL(`${APP_URL}/?provider=telnyx`);
  });
});

test("a signed-out session is refused even if its cookie was kept", async ({
  page,
  request,
  signedIn,
}) => {
  void signedIn;
  await page.goto("/");
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name.endsWith("next-auth.session-token"));
  expect(session).toBeDefined();
  const header = { cookie: `${session!.name}=${session!.value}` };
  expect((await request.get("/api/directory/status", { headers: header })).status()).toBe(200);
  await waitForHydration(page.getByRole("button", { name: "Sign out" }));
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  expect((await request.get("/api/directory/status", { headers: header })).status()).toBe(401);
});

test.describe("sign-in throttling", () => {
  /** Sign-in as a script would do it: a plain form post, with next-auth's CSRF token and cookie. */
  async function post(
    request: APIRequestContext,
    address: string,
    fields: [string, string][],
  ): Promise<APIResponse> {
    const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as {
      csrfToken: string;
    };
    const form = new URLSearchParams([["csrfToken", csrfToken], ...fields]);
    return request.post("/api/auth/callback/credentials", {
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-forwarded-for": address,
      },
      data: form.toString(),
      maxRedirects: 0,
    });
  }
  const signedIn = (response: APIResponse) =>
    response
      .headersArray()
      .some((h) => /^set-cookie$/i.test(h.name) && h.value.startsWith("next-auth.session-token="));

  test("plain form posts: eight wrong passwords, then the right one is refused with 429", async ({
    request,
  }) => {
    const address = newClient();
    const statuses: number[] = [];
    for (let i = 1; i <= 8; i++) {
      const response = await post(request, address, [
        ["email", E2E_SECOND_ADMIN_EMAIL],
        ["password", `wrong-${i}`],
      ]);
      expect(signedIn(response)).toBe(false);
      statuses.push(response.status());
    }
    // next-auth answers a plain post with a redirect; the failures count all the same.
    expect(statuses[0]).toBe(302);
    expect(statuses.at(-1)).toBe(429);
    const right = await post(request, address, [
      ["email", E2E_SECOND_ADMIN_EMAIL],
      ["password", E2E_SECOND_ADMIN_PASSWORD],
    ]);
    expect(right.status()).toBe(429);
    expect(signedIn(right)).toBe(false);
  });

  test("a new address for every guess: the right password after eight failures is refused", async ({
    request,
  }) => {
    for (let i = 1; i <= 8; i++) {
      await post(request, newClient(), [
        ["email", E2E_SECOND_ADMIN_EMAIL],
        ["password", `wrong-${i}`],
      ]);
    }
    const right = await post(request, newClient(), [
      ["email", E2E_SECOND_ADMIN_EMAIL],
      ["password", E2E_SECOND_ADMIN_PASSWORD],
    ]);
    expect(right.status()).toBe(429);
    expect(Number(right.headers()["retry-after"])).toBeGreaterThan(0);
  });

  test("a repeated email field is refused, so a decoy cannot absorb the failures", async ({
    request,
  }) => {
    const response = await post(request, newClient(), [
      ["email", "decoy@roster.test"],
      ["email", E2E_SECOND_ADMIN_EMAIL],
      ["password", E2E_SECOND_ADMIN_PASSWORD],
    ]);
    expect(response.status()).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: "invalid_body", message: 'the sign-in field "email" is repeated' },
    });
  });

  test("a 2 MB body gets 413", async ({ request }) => {
    const response = await request.post("/api/auth/callback/credentials", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      data: `email=${"a".repeat(2 * 1024 * 1024)}`,
    });
    expect(response.status()).toBe(413);
  });

  test("the sign-in page says how long to wait once an email is slowed", async ({ page }) => {
    const signIn = new SignInPage(page);
    await signIn.goto();
    for (let attempt = 1; attempt <= 3; attempt++) {
      await signIn.actAsClient(newClient());
      expect((await signIn.signIn(E2E_ADMIN_EMAIL, `wrong-${attempt}`)).status()).toBe(401);
      await expect(signIn.alert).toHaveText(INCORRECT);
    }
    await signIn.actAsClient(newClient());
    expect((await signIn.signIn(E2E_ADMIN_EMAIL, "wrong-4")).status()).toBe(429);
    await expect(signIn.alert).toHaveText(
      /^Too many failed sign-in attempts\. Try again in \d+ seconds?\.$/,
    );
    // The real admin is slowed, never locked out: after the wait, the right password works.
    await page.waitForTimeout(2_100);
    await signIn.actAsClient(newClient());
    expect((await signIn.signIn(E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD)).status()).toBe(200);
  });

  test("twenty failures from one address lock that address, whatever the email", async ({
    request,
  }) => {
    const address = newClient();
    for (let attempt = 1; attempt <= 20; attempt++) {
      const response = await post(request, address, [
        ["email", `guess-${attempt}@roster.test`],
        ["password", "password"],
      ]);
      expect(response.status(), `attempt ${attempt}`).toBe(302);
    }
    const next = await post(request, address, [
      ["email", "guess-21@roster.test"],
      ["password", "password"],
    ]);
    expect(next.status()).toBe(429);
    // Another client is not affected.
    const other = await post(request, newClient(), [
      ["email", "guess-22@roster.test"],
      ["password", "password"],
    ]);
    expect(other.status()).toBe(302);
  });
});

test("sign-ins, failures and throttled attempts land in the activity log", async ({
  page,
  signedIn,
}) => {
  void signedIn;
  const stranger = `nobody-${Date.now()}@roster.test`;
  const address = newClient();
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as {
    csrfToken: string;
  };
  const guess = () =>
    page.request.post("/api/auth/callback/credentials", {
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": address },
      data: new URLSearchParams([
        ["csrfToken", csrfToken],
        ["email", stranger],
        ["password", "wrong"],
      ]).toString(),
      maxRedirects: 0,
    });
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await guess()).status());
  expect(statuses.at(-1)).toBe(429);

  const log = await page.request.get(
    `/api/activity?kind=auth.sign_in&admin=${encodeURIComponent(stranger)}`,
  );
  expect(log.status()).toBe(200);
  const entries = ((await log.json()) as { data: { details: { outcome: string } }[] }).data;
  const outcomes = entries.map((e) => e.details.outcome);
  expect(outcomes.filter((o) => o === "failure").length).toBe(
    statuses.filter((s) => s !== 429).length,
  );
  expect(outcomes).toContain("throttled");
  const verify = await page.request.get("/api/activity/verify");
  expect(((await verify.json()) as { ok: boolean }).ok).toBe(true);
});
