import {
  APP_URL,
  E2E_ADMIN_EMAIL,
  E2E_ADMIN_PASSWORD,
  E2E_SECOND_ADMIN_EMAIL,
  E2E_SECOND_ADMIN_PASSWORD,
} from "./env";
import { expect, test } from "./fixtures";
import { SignInPage } from "./pages/signin-page";

const INCORRECT = "Email or password is incorrect.";

/** A distinct documentation-range address per test, so one test's failures never throttle another. */
let nextClient = 10;
const newClient = () => `198.51.100.${nextClient++}`;

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

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin$/);
    await signIn.expectVisible();
    expect(
      (await context.cookies()).some((cookie) => cookie.name === "next-auth.session-token"),
    ).toBe(false);
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin$/);
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

test.describe("sign-in throttling", () => {
  test("the sixth attempt for one email within 15 minutes is refused, even from new addresses", async ({
    page,
  }) => {
    const signIn = new SignInPage(page);
    await signIn.goto();
    for (let attempt = 1; attempt <= 5; attempt++) {
      await signIn.actAsClient(newClient());
      expect(
        (await signIn.signIn(E2E_SECOND_ADMIN_EMAIL, `wrong-${attempt}`)).status(),
        `attempt ${attempt}`,
      ).toBe(401);
      await expect(signIn.alert).toHaveText(INCORRECT);
    }

    await signIn.actAsClient(newClient());
    // Even the right password: the account is locked for now.
    const refused = await signIn.signIn(E2E_SECOND_ADMIN_EMAIL, E2E_SECOND_ADMIN_PASSWORD);
    expect(refused.status()).toBe(429);
    const retryAfter = Number(refused.headers()["retry-after"]);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    await expect(signIn.alert).toHaveText(
      "Too many failed sign-in attempts. Try again in 15 minutes.",
    );
    await expect(page).toHaveURL(/\/signin/);
  });

  test("the sixth attempt from one address is refused, whatever the email", async ({ page }) => {
    const signIn = new SignInPage(page);
    await signIn.actAsClient(newClient());
    await signIn.goto();
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect((await signIn.signIn(`guess-${attempt}@roster.test`, "password")).status()).toBe(401);
    }
    expect((await signIn.signIn(`guess-6@roster.test`, "password")).status()).toBe(429);
    await expect(signIn.alert).toContainText("Too many failed sign-in attempts.");

    // Another client is not affected.
    await signIn.actAsClient(newClient());
    expect((await signIn.signIn(E2E_ADMIN_EMAIL, "still-wrong")).status()).toBe(401);
  });
});
