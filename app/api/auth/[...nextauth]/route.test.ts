/**
 * What the auth route refuses before next-auth sees a request. The throttle
 * itself is tested through a running server in e2e/auth.spec.ts, as next-auth
 * needs Next's request scope.
 */
import { decode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";

import { MemoryRevocationStore, revocationStore, setRevocationStore } from "@/lib/auth/revocation";
import { authSecret } from "@/lib/auth/secret";
import { sessionCookieName } from "@/lib/auth/session";
import { AUTH_TEST_BASE, authRouteEnv } from "@/testing/auth-route";
import { mintSessionToken } from "@/testing/session-token";

import { GET, POST } from "./route";

const ADMIN = "admin@roster.test";
const SECOND = "second-admin@roster.test";
const BASE = AUTH_TEST_BASE;

authRouteEnv({
  TRUST_PROXY: "1",
  ROSTER_ADMINS: [
    `${ADMIN}=scrypt:32768:8:1:nR5Swn9Tn4J5r86gMEZzMg:nJilj0BDwhmxRhoSvsPjF90qJ60EFyYWcL8L8V0k8lI`,
    `${SECOND}=scrypt:32768:8:1:xX0FHmCBinc_H8FS1CKGng:-SN-0SOkAMuG-gCTo5WGNdHVjab09Vd4hIMJhbyg5Fc`,
  ].join(","),
});

const context = (...segments: string[]) => ({ params: Promise.resolve({ nextauth: segments }) });

/** A sign-in post as a script would send it; the CSRF token does not matter to what is refused first. */
async function signIn(
  fields: [string, string][],
  options: { body?: string; type?: string; length?: string } = {},
): Promise<Response> {
  const form = new URLSearchParams([["csrfToken", "t"], ...fields]);
  const headers: Record<string, string> = {
    "content-type": options.type ?? "application/x-www-form-urlencoded",
    "x-forwarded-for": "198.51.100.1",
  };
  if (options.length) headers["content-length"] = options.length;
  return POST(
    new NextRequest(`${BASE}/api/auth/callback/credentials`, {
      method: "POST",
      headers,
      body: options.body ?? form.toString(),
    }),
    context("callback", "credentials"),
  );
}

describe("POST /api/auth/callback/credentials", () => {
  it("refuses a repeated email field, so no decoy can absorb the count", async () => {
    const response = await signIn([
      ["email", "decoy@example.com"],
      ["email", ADMIN],
      ["password", "x"],
    ]);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: "invalid_body", message: 'the sign-in field "email" is repeated' },
    });
  });

  it("refuses an email holding a NUL before the throttle keeps it (the database cannot)", async () => {
    const response = await signIn([
      ["email", "a\u0000b@x.com"],
      ["password", "x"],
    ]);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: "invalid_body",
        message:
          'the sign-in field "email" holds a NUL character or a broken (unpaired surrogate) character',
      },
    });
  });

  it("refuses a field that is not percent-encoded UTF-8, which would be read as another address", async () => {
    const response = await signIn([], { body: "csrfToken=t&email=jos%E9%40x.com&password=x" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: "invalid_body",
        message: 'the sign-in field "email" is not percent-encoded UTF-8',
      },
    });
  });

  it("refuses unknown fields and bodies that are not forms", async () => {
    const unknown = await signIn([
      ["email", ADMIN],
      ["password", "x"],
      ["role", "owner"],
    ]);
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      error: { code: "invalid_body", message: 'unknown sign-in field "role"' },
    });
    const json = await signIn([], {
      type: "application/json",
      body: JSON.stringify({ email: ADMIN, password: "x" }),
    });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe("invalid_body");
  });

  it("answers 413 to a 2 MB body, by its length or while it streams", async () => {
    const big = `email=${"a".repeat(2 * 1024 * 1024)}`;
    for (const response of [
      await signIn([], { body: big }),
      // A body that claims to be small is still cut off at the limit.
      await signIn([], { body: big, length: "10" }),
    ]) {
      expect(response.status).toBe(413);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        "payload_too_large",
      );
    }
    const other = await POST(
      new NextRequest(`${BASE}/api/auth/signout`, { method: "POST", body: big }),
      context("signout"),
    );
    expect(other.status).toBe(413);
  });
});

describe("GET /api/auth/session", () => {
  const sessionOf = async (token: string) => {
    const response = await GET(
      new NextRequest(`${BASE}/api/auth/session`, {
        headers: { cookie: `${sessionCookieName()}=${token}` },
      }),
      context("session"),
    );
    return { response, body: (await response.json()) as Record<string, unknown> };
  };

  it("answers as for no session, with no renewed cookie, when the session was signed out", async () => {
    const token = await mintSessionToken({ email: ADMIN, secret: authSecret() });
    const claims = await decode({ token, secret: authSecret() });
    await revocationStore().revoke(String(claims?.sid), new Date(Date.now() + 3_600_000));
    const { response, body } = await sessionOf(token);
    expect(response.status).toBe(200);
    expect(body).toEqual({});
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("answers 503 database_unavailable in JSON while the database is out of reach", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), {
      code: "ECONNREFUSED",
    });
    setRevocationStore({
      revoke: () => Promise.reject(refused),
      isRevoked: () => Promise.reject(new Error("Failed query", { cause: refused })),
    });
    try {
      const token = await mintSessionToken({ email: ADMIN, secret: authSecret() });
      const { response, body } = await sessionOf(token);
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(body).toMatchObject({ error: { code: "database_unavailable" } });
    } finally {
      setRevocationStore(new MemoryRevocationStore());
      warn.mockRestore();
    }
  });

  it("answers as for no session for an address no longer on the admin list", async () => {
    const token = await mintSessionToken({ email: "gone@roster.test", secret: authSecret() });
    const { body, response } = await sessionOf(token);
    expect(body).toEqual({});
    expect(response.headers.get("set-cookie")).toBeNull();
  });
});
