/**
 * A sign-out whose session cannot be revoked. next-auth's own handler needs
 * Next's request scope, so a stand-in plays its part as it does it: it runs
 * the `signOut` event, swallows what that throws, and answers with the cookie
 * cleared. What is under test is Roster's: the event's revocation and the
 * route's answer when that failed.
 */
import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { NextAuthOptions } from "next-auth";

import { MemoryRevocationStore, setRevocationStore } from "@/lib/auth/revocation";
import { AUTH_TEST_BASE, authRouteEnv } from "@/testing/auth-route";

import { POST } from "./route";

const SID = "sid-sign-out-test";
const CLEARED = "next-auth.session-token=; Path=/; Max-Age=0";

vi.mock("next-auth", () => ({
  default: (options: NextAuthOptions) => async () => {
    try {
      await options.events?.signOut?.({
        token: { sid: SID, auth_time: Math.floor(Date.now() / 1000), email: "admin@roster.test" },
        session: null as never,
      });
    } catch {
      // next-auth logs SIGNOUT_ERROR and signs out anyway.
    }
    return Response.json(
      { url: `${AUTH_TEST_BASE}/signin` },
      { headers: { "set-cookie": CLEARED } },
    );
  },
}));

authRouteEnv();

const signOut = () =>
  POST(
    new NextRequest(`${AUTH_TEST_BASE}/api/auth/signout`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken: "t", json: "true" }).toString(),
    }),
    { params: Promise.resolve({ nextauth: ["signout"] }) },
  );

const refused = () =>
  Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });

describe("POST /api/auth/signout", () => {
  let logged: string[];
  beforeEach(() => {
    logged = [];
    const keep = (...args: unknown[]) => void logged.push(args.join(" "));
    vi.spyOn(console, "error").mockImplementation(keep);
    vi.spyOn(console, "warn").mockImplementation(keep);
  });
  afterEach(() => {
    setRevocationStore(new MemoryRevocationStore());
    vi.restoreAllMocks();
  });

  it("revokes the session and passes next-auth's answer on", async () => {
    const store = new MemoryRevocationStore();
    setRevocationStore(store);
    const response = await signOut();
    expect(response.status).toBe(200);
    expect(response.headers.get("set-cookie")).toBe(CLEARED);
    expect(await store.isRevoked(SID)).toBe(true);
  });

  it("answers 503 database_unavailable, keeping the cookie, while the database is out of reach", async () => {
    setRevocationStore({
      revoke: () => Promise.reject(new Error("Failed query", { cause: refused() })),
      isRevoked: () => Promise.resolve(false),
    });
    const response = await signOut();
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await response.json()).toEqual({
      error: {
        code: "database_unavailable",
        message:
          "Sign-out failed: Roster's database is not answering, so the session could not be ended. Try again in a moment.",
      },
    });
    expect(logged.join("\n")).toContain("database_unavailable (ECONNREFUSED)");
    expect(logged.join("\n")).not.toContain("5432");
  });

  it("answers 500 internal_error, keeping the cookie, when the revocation fails otherwise", async () => {
    setRevocationStore({
      revoke: () => Promise.reject(new TypeError("boom")),
      isRevoked: () => Promise.resolve(false),
    });
    const response = await signOut();
    expect(response.status).toBe(500);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await response.json()).toMatchObject({ error: { code: "internal_error" } });
  });
});
