import { decode, encode } from "next-auth/jwt";
import { afterEach, describe, expect, it, vi } from "vitest";

import { resetEnvCache } from "@/lib/env.mjs";

import { revocationStore } from "./revocation";
import { authSecret } from "./secret";
import { getAdminSession, sessionCookieName } from "./session";
import { adminCookieHeader } from "@/testing/auth";

const request = (cookie?: string) =>
  new Request("http://roster.test/api/x", { headers: cookie ? { cookie } : {} });

vi.mock("next-auth/jwt", async (importOriginal) => {
  const actual = await importOriginal<typeof import("next-auth/jwt")>();
  return { ...actual, decode: vi.fn(actual.decode) };
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  resetEnvCache();
});

/** How many times next-auth decoded `token`. */
const decodesOf = (token: string) =>
  vi.mocked(decode).mock.calls.filter(([params]) => params.token === token).length;

async function mintAdminToken(maxAge: number): Promise<string> {
  return encode({
    token: {
      email: "admin@roster.test",
      sid: `s-${maxAge}-${Math.random()}`,
      method: "credentials",
      auth_time: Math.floor(Date.now() / 1000),
    },
    secret: authSecret(),
    maxAge,
  });
}

describe("getAdminSession", () => {
  it("reads the admin from a minted session cookie", async () => {
    expect(await getAdminSession(request(await adminCookieHeader("Admin@Roster.test")))).toEqual({
      email: "Admin@Roster.test",
      name: "Test Admin",
    });
  });

  it("refuses an admin removed from ROSTER_ADMINS on the next request", async () => {
    const cookie = await adminCookieHeader();
    expect(await getAdminSession(request(cookie))).not.toBeNull();
    vi.stubEnv(
      "ROSTER_ADMINS",
      "other@roster.test=scrypt:32768:8:1:nR5Swn9Tn4J5r86gMEZzMg:nJilj0BDwhmxRhoSvsPjF90qJ60EFyYWcL8L8V0k8lI",
    );
    resetEnvCache();
    expect(await getAdminSession(request(cookie))).toBeNull();
  });

  it("ends a session SESSION_MAX_AGE after sign-in, however recently it was renewed", async () => {
    const mint = (authTime: number) =>
      encode({
        token: {
          email: "admin@roster.test",
          sid: "s-1",
          method: "credentials",
          auth_time: authTime,
        },
        secret: authSecret(),
        maxAge: 3600,
      });
    const now = Math.floor(Date.now() / 1000);
    const fresh = await mint(now - 60);
    expect(await getAdminSession(request(`${sessionCookieName()}=${fresh}`))).not.toBeNull();
    // A cookie re-issued a minute ago (jwt exp renewed) from a sign-in 8 hours and 1 minute ago.
    const old = await mint(now - 8 * 3600 - 60);
    expect(await getAdminSession(request(`${sessionCookieName()}=${old}`))).toBeNull();
    const legacy = await encode({
      token: { email: "admin@roster.test" },
      secret: authSecret(),
      maxAge: 3600,
    });
    expect(await getAdminSession(request(`${sessionCookieName()}=${legacy}`))).toBeNull();
  });

  it("refuses a session once it is signed out (revoked)", async () => {
    const token = await encode({
      token: {
        email: "admin@roster.test",
        sid: "revoked-sid",
        method: "credentials",
        auth_time: Math.floor(Date.now() / 1000),
      },
      secret: authSecret(),
      maxAge: 3600,
    });
    const cookie = `${sessionCookieName()}=${token}`;
    expect(await getAdminSession(request(cookie))).not.toBeNull();
    await revocationStore().revoke("revoked-sid", new Date(Date.now() + 3600_000));
    expect(await getAdminSession(request(cookie))).toBeNull();
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

  it("decodes a token once; later reads of it are answered from memory", async () => {
    const token = await mintAdminToken(3600);
    const cookie = `${sessionCookieName()}=${token}`;
    for (let i = 0; i < 3; i++) expect(await getAdminSession(request(cookie))).not.toBeNull();
    expect(decodesOf(token)).toBe(1);
  });

  it("refuses a remembered token once it has expired", async () => {
    vi.useFakeTimers({ now: Date.now(), toFake: ["Date"] });
    const token = await mintAdminToken(60);
    const cookie = `${sessionCookieName()}=${token}`;
    expect(await getAdminSession(request(cookie))).not.toBeNull();
    // Past exp and next-auth's 15 s of clock tolerance.
    vi.setSystemTime(Date.now() + 80_000);
    expect(await getAdminSession(request(cookie))).toBeNull();
    expect(decodesOf(token)).toBe(2);
  });

  it("refuses a remembered token once the secret has changed", async () => {
    const token = await mintAdminToken(3600);
    const cookie = `${sessionCookieName()}=${token}`;
    expect(await getAdminSession(request(cookie))).not.toBeNull();
    vi.stubEnv("NEXTAUTH_SECRET", "a-different-secret-that-is-long-enough-0123456789");
    resetEnvCache();
    expect(await getAdminSession(request(cookie))).toBeNull();
  });
});
