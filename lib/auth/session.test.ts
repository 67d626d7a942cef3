import { encode } from "next-auth/jwt";
import { afterEach, describe, expect, it, vi } from "vitest";

import { resetEnvCache } from "@/lib/env.mjs";

import { authSecret } from "./secret";
import { getAdminSession, sessionCookieName } from "./session";
import { adminCookieHeader } from "./testing";

const request = (cookie?: string) =>
  new Request("http://roster.test/api/x", { headers: cookie ? { cookie } : {} });

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe("getAdminSession", () => {
  it("reads the admin from a minted session cookie", async () => {
    expect(await getAdminSession(request(await adminCookieHeader("Ana@example.com")))).toEqual({
      email: "Ana@example.com",
      name: "Test Admin",
    });
  });

  it("is null without a cookie, or with a tampered one", async () => {
    expect(await getAdminSession(request())).toBeNull();
    const cookie = await adminCookieHeader();
    const tampered = cookie.slice(0, -6) + (cookie.endsWith("AAAAAA") ? "BBBBBB" : "AAAAAA");
    expect(await getAdminSession(request(tampered))).toBeNull();
  });

  it("is null for a token made with another secret, or expired", async () => {
    const foreign = await encode({
      token: { email: "a@example.com" },
      secret: "another-secret",
      maxAge: 60,
    });
    expect(await getAdminSession(request(`${sessionCookieName()}=${foreign}`))).toBeNull();
    const expired = await encode({
      token: { email: "a@example.com" },
      secret: authSecret(),
      maxAge: -60,
    });
    expect(await getAdminSession(request(`${sessionCookieName()}=${expired}`))).toBeNull();
  });

  it("is null for a token without an email", async () => {
    const token = await encode({ token: { name: "x" }, secret: authSecret(), maxAge: 60 });
    expect(await getAdminSession(request(`${sessionCookieName()}=${token}`))).toBeNull();
  });

  it("uses the __Secure- cookie when Roster is served over https, and only that one", async () => {
    const plain = await adminCookieHeader();
    vi.stubEnv("NEXTAUTH_URL", "https://roster.example.com");
    resetEnvCache();
    expect(sessionCookieName()).toBe("__Secure-next-auth.session-token");
    const secure = await adminCookieHeader();
    expect(secure.startsWith("__Secure-next-auth.session-token=")).toBe(true);
    expect(await getAdminSession(request(secure))).not.toBeNull();
    expect(await getAdminSession(request(plain))).toBeNull();
  });
});
