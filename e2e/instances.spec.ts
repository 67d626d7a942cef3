/**
 * Two Roster instances on one PostgreSQL server share what must be shared:
 * the sync lease, the sign-in throttle's counts and signed-out sessions.
 * Runs where the e2e app uses PostgreSQL (npm test sets E2E_DATABASE_URL).
 */
import { spawn, type ChildProcess } from "node:child_process";

import { request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import pg from "pg";

import { APP_PORT, APP_URL, E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD, appEnv } from "./env";
import { expect, test } from "./fixtures";

const SECOND_PORT = APP_PORT + 1;
const SECOND_URL = `http://127.0.0.1:${SECOND_PORT}`;

test.describe("two instances on one PostgreSQL", () => {
  test.skip(!process.env.E2E_DATABASE_URL, "needs PostgreSQL (E2E_DATABASE_URL); npm test sets it");

  let second: ChildProcess;
  let one: APIRequestContext;
  let two: APIRequestContext;

  test.beforeAll(async () => {
    second = spawn(process.execPath, ["scripts/start-standalone.mjs", String(SECOND_PORT)], {
      env: {
        ...process.env,
        ...appEnv,
        NEXTAUTH_URL: SECOND_URL,
        ROSTER_DIST_DIR: process.env.ROSTER_DIST_DIR ?? ".next",
      },
      stdio: "ignore",
    });
    one = await playwrightRequest.newContext({ baseURL: APP_URL });
    two = await playwrightRequest.newContext({ baseURL: SECOND_URL });
    await expect
      .poll(async () => (await two.get("/api/health").catch(() => null))?.status(), {
        timeout: 60_000,
      })
      .toBe(200);
  });

  test.afterAll(async () => {
    await one?.dispose();
    await two?.dispose();
    second?.kill("SIGTERM");
  });

  async function signIn(
    context: APIRequestContext,
    address: string,
    password: string,
    email = E2E_ADMIN_EMAIL,
  ) {
    const { csrfToken } = (await (await context.get("/api/auth/csrf")).json()) as {
      csrfToken: string;
    };
    return context.post("/api/auth/callback/credentials", {
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": address },
      data: new URLSearchParams({ csrfToken, email, password, json: "true" }).toString(),
      maxRedirects: 0,
    });
  }

  test("a session signed out on one instance is refused by the other", async () => {
    const signedIn = await signIn(one, "192.0.2.50", E2E_ADMIN_PASSWORD);
    expect(signedIn.status()).toBe(200);
    const state = await one.storageState();
    const session = state.cookies.find((c) => c.name === "next-auth.session-token");
    expect(session).toBeDefined();
    const cookie = { cookie: `next-auth.session-token=${session!.value}` };
    expect((await two.get("/api/directory/status", { headers: cookie })).status()).toBe(200);

    const { csrfToken } = (await (await one.get("/api/auth/csrf")).json()) as {
      csrfToken: string;
    };
    const out = await one.post("/api/auth/signout", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      data: new URLSearchParams({ csrfToken, json: "true" }).toString(),
      maxRedirects: 0,
    });
    expect(out.status()).toBeLessThan(400);
    expect((await two.get("/api/directory/status", { headers: cookie })).status()).toBe(401);
  });

  test("a sign-out whose revocation cannot be written fails instead of seeming done", async () => {
    expect((await signIn(one, "192.0.2.52", E2E_ADMIN_PASSWORD)).status()).toBe(200);
    const session = (await one.storageState()).cookies.find(
      (c) => c.name === "next-auth.session-token",
    )!;
    const cookie = { cookie: `next-auth.session-token=${session.value}` };
    const signOut = async () => {
      const { csrfToken } = (await (await one.get("/api/auth/csrf")).json()) as {
        csrfToken: string;
      };
      return one.post("/api/auth/signout", {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        data: new URLSearchParams({ csrfToken, json: "true" }).toString(),
        maxRedirects: 0,
      });
    };
    const db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
    try {
      // The database refuses the revocation (as it would while it is unreachable).
      await db.query(`create or replace function e2e_refuse() returns trigger language plpgsql
        as $$ begin raise exception 'refused by the test'; end $$`);
      await db.query(`create trigger e2e_refuse before insert on revoked_sessions
        for each row execute function e2e_refuse()`);
      const refused = await signOut();
      // Before: 200 and the cookie cleared, so the page said signed out while a copy still worked.
      expect(refused.status()).toBe(500);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
        "internal_error",
      );
      const cleared = refused
        .headersArray()
        .some(
          (h) => /^set-cookie$/i.test(h.name) && h.value.startsWith("next-auth.session-token="),
        );
      expect(cleared).toBe(false);
    } finally {
      await db.query("drop trigger if exists e2e_refuse on revoked_sessions");
      await db.query("drop function if exists e2e_refuse()");
      await db.end();
    }
    expect((await two.get("/api/directory/status", { headers: cookie })).status()).toBe(200);
    expect((await signOut()).status()).toBeLessThan(400);
    expect((await two.get("/api/directory/status", { headers: cookie })).status()).toBe(401);
  });

  test("failures counted on one instance throttle the other", async () => {
    const address = "192.0.2.60";
    const email = "shared-count@roster.test";
    for (let i = 0; i < 5; i++) {
      const response = await signIn(i % 2 ? one : two, address, `wrong-${i}`, email);
      expect([401, 429]).toContain(response.status());
    }
    // Five failures of this pair, split across both instances: the pair is locked on both.
    for (const context of [one, two]) {
      expect((await signIn(context, address, "wrong-again", email)).status()).toBe(429);
    }
  });

  test("one sync per vendor across both instances", async ({ sandbox, signedIn }) => {
    void signedIn;
    await sandbox.setFaults({ latencyMs: 300, vendor: "openai" });
    const token = (await signIn(one, "192.0.2.70", E2E_ADMIN_PASSWORD)).status();
    expect(token).toBe(200);
    const started = await one.post("/api/directory/sync", { data: { provider: "openai" } });
    expect(started.status()).toBe(202);
    // The second instance gets the first instance's session through the shared secret.
    const state = await one.storageState();
    const session = state.cookies.find((c) => c.name === "next-auth.session-token")!;
    const headers = { cookie: `next-auth.session-token=${session.value}` };
    const again = await two.post("/api/directory/sync", { data: { provider: "openai" }, headers });
    expect(again.status()).toBe(409);
    const status = (await (await two.get("/api/directory/status", { headers })).json()) as {
      providers: { openai: { running: unknown } };
    };
    expect(status.providers.openai.running).not.toBeNull();
    const cancelled = await two.post("/api/directory/sync/cancel", {
      data: { provider: "openai" },
      headers,
    });
    expect(cancelled.status()).toBe(200);
    await expect
      .poll(
        async () =>
          (
            (await (await one.get("/api/directory/status")).json()) as {
              providers: { openai: { running: unknown } };
            }
          ).providers.openai.running,
        { timeout: 30_000 },
      )
      .toBeNull();
  });

  // Last: it stops the second instance.
  test("an instance stopped mid-sync records why and frees the vendor at once", async ({
    sandbox,
    signedIn,
  }) => {
    void signedIn;
    await sandbox.setFaults({ latencyMs: 300, vendor: "openai" });
    expect((await signIn(one, "192.0.2.71", E2E_ADMIN_PASSWORD)).status()).toBe(200);
    const session = (await one.storageState()).cookies.find(
      (c) => c.name === "next-auth.session-token",
    )!;
    const headers = { cookie: `next-auth.session-token=${session.value}` };
    const openaiStatus = async () =>
      (
        (await (await one.get("/api/directory/status")).json()) as {
          providers: {
            openai: { running: unknown; lastFailure: { code: string; message: string } | null };
          };
        }
      ).providers.openai;

    const started = await two.post("/api/directory/sync", {
      data: { provider: "openai" },
      headers,
    });
    expect(started.status()).toBe(202);
    await expect.poll(async () => (await openaiStatus()).running).not.toBeNull();
    const exited = new Promise<number | null>((resolve) => second.once("exit", resolve));
    second.kill("SIGTERM");
    // The exit code Next.js uses for SIGTERM, after the sync recorded that it stopped.
    expect(await exited).toBe(143);

    const status = await openaiStatus();
    expect(status.running).toBeNull();
    expect(status.lastFailure).toMatchObject({ code: "server_stopped" });
    // No wait for a stale lease: the first instance syncs the vendor right away.
    await sandbox.setFaults({ latencyMs: 0, vendor: "all" });
    const again = await one.post("/api/directory/sync", { data: { provider: "openai" } });
    expect(again.status()).toBe(202);
    await expect.poll(async () => (await openaiStatus()).running, { timeout: 30_000 }).toBeNull();
  });
});
