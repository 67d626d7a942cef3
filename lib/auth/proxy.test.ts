/** proxy.ts (at the repo root, outside Vitest's include globs): which paths it runs on, and what it does there. */
import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";

import { config, proxy, undecodableSegment } from "@/proxy";

import {
  MemoryRevocationStore,
  setRevocationStore,
  type SessionRevocationStore,
} from "@/lib/auth/revocation";
import { adminCookieHeader } from "@/testing/auth";

const BASE = "http://127.0.0.1:3000";

function request(path: string, cookie?: string) {
  return new NextRequest(`${BASE}${path}`, { headers: cookie ? { cookie } : {} });
}

describe("proxy matcher", () => {
  it.each([
    "/",
    "/?provider=openai",
    "/signin",
    "/auth-error",
    "/settings/x",
    // A person's page ends in the address's domain, which looks like a file's extension.
    "/people/ana%40example.com",
    "/people/ana@example.com",
    "/people/account%3Aopenai%3Auser_1",
  ])("runs on the page %s", (url) => {
    expect(unstable_doesMiddlewareMatch({ config, url })).toBe(true);
  });

  it.each([
    "/api/telnyx/users",
    "/api/openai/users/export",
    "/api/auth/session",
    "/api",
    "/_next/static/chunks/main.js",
    "/_next/image?url=x",
    "/favicon.ico",
    "/robots.txt",
  ])("leaves %s alone (API routes answer 401 themselves; assets are public)", (url) => {
    expect(unstable_doesMiddlewareMatch({ config, url })).toBe(false);
  });

  it.each(["/api/people/%", "/api/people/ana%40example.com", "/api/reviews/1%", "/api/%/users"])(
    "runs on the API path %s, which has a percent sign (it may not decode)",
    (url) => {
      expect(unstable_doesMiddlewareMatch({ config, url })).toBe(true);
    },
  );
});

describe("a path that does not decode", () => {
  it.each([
    ["/api/people/%", "%"],
    ["/api/people/a%2", "a%2"],
    ["/api/reviews/%E0%A4%A", "%E0%A4%A"],
    ["/people/%C3", "%C3"],
    ["/people/ana%40example.com", null],
    ["/api/people/%F0%9F%92%A9%40example.com", null],
  ])("%s: its undecodable segment is %j", (path, segment) => {
    expect(undecodableSegment(path)).toBe(segment);
  });

  it("gets 401 without a session and 400 invalid_path with one, in JSON, on an API path", async () => {
    const anonymous = await proxy(request("/api/people/%"));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: "unauthenticated" } });
    const admin = await proxy(request("/api/reviews/1%", await adminCookieHeader()));
    expect(admin.status).toBe(400);
    expect(admin.headers.get("cache-control")).toBe("no-store");
    expect(await admin.json()).toEqual({
      error: {
        code: "invalid_path",
        message: 'The path segment "1%" is not percent-encoded UTF-8.',
      },
    });
  });

  it("passes an API path that decodes on to its route, unread", async () => {
    const response = await proxy(request("/api/people/ana%40example.com"));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.headers.get("content-security-policy")).toBeNull();
  });

  it("gets a 400 page for an admin, with the segment escaped and cut to 40 characters", async () => {
    const cookie = await adminCookieHeader();
    const response = await proxy(request(`/people/a&amp;${"x".repeat(60)}%`, cookie));
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await response.text();
    expect(html).toContain("This address is not valid");
    expect(html).toContain(`&#34;a&#38;amp;${"x".repeat(34)}…&#34;`);
    // Anonymous: signed in first, as for any page.
    expect((await proxy(request("/people/%"))).status).toBe(307);
  });
});

describe("proxy", () => {
  it("sends anonymous page visits to sign-in, remembering path and query", async () => {
    const response = await proxy(request("/?provider=openai"));
    expect(response.status).toBe(307);
    const location = new URL(response.headers.get("location") ?? "");
    expect(location.pathname).toBe("/signin");
    expect(location.searchParams.get("callbackUrl")).toBe("/?provider=openai");
  });

  it("does not redirect the sign-in and error pages", async () => {
    for (const path of ["/signin?callbackUrl=%2F", "/auth-error?error=AccessDenied"]) {
      const response = await proxy(request(path));
      expect(response.headers.get("location"), path).toBeNull();
      expect(response.headers.get("x-middleware-next"), path).toBe("1");
    }
  });

  it("lets admins through with a nonce-based CSP, passing the nonce on to rendering", async () => {
    const response = await proxy(request("/?provider=telnyx", await adminCookieHeader()));
    expect(response.headers.get("location")).toBeNull();
    const csp = response.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    // NextResponse.next({ request: { headers } }) forwards overridden request headers this way.
    expect(response.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
    expect(response.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
  });

  it("uses a fresh nonce for every response", async () => {
    const cookie = await adminCookieHeader();
    const [a, b] = await Promise.all([proxy(request("/", cookie)), proxy(request("/", cookie))]);
    expect(a.headers.get("content-security-policy")).not.toBe(
      b.headers.get("content-security-policy"),
    );
  });

  it("answers a page with 503 and plain words while the database is out of reach, not a bare 500", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const down: SessionRevocationStore = {
      revoke: () => Promise.resolve(),
      isRevoked: () =>
        Promise.reject(
          new Error("Failed query: select sid from revoked_sessions", {
            cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), {
              code: "ECONNREFUSED",
            }),
          }),
        ),
    };
    setRevocationStore(down);
    try {
      const response = await proxy(request("/people", await adminCookieHeader()));
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(await response.text()).toContain("Roster’s database is not answering");
      expect(warn).toHaveBeenCalledWith(
        "[roster] page /people: database_unavailable (ECONNREFUSED)",
      );
      // The sign-in page reads no session: it still renders.
      expect((await proxy(request("/signin"))).status).toBe(200);
    } finally {
      setRevocationStore(new MemoryRevocationStore());
      warn.mockRestore();
    }
  });
});
