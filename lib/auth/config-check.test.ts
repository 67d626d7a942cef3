import { afterEach, describe, expect, it, vi } from "vitest";

import { parseEnv } from "@/lib/env.mjs";

import {
  assertProductionAuthConfig,
  productionAuthProblems,
  signInMethods,
} from "./config-check.mjs";

const HASH = "scrypt:1024:8:1:AAAAAAAAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const complete = {
  NODE_ENV: "production",
  NEXTAUTH_SECRET: "s".repeat(32),
  NEXTAUTH_URL: "https://roster.example.com",
  ROSTER_ADMINS: `a@example.com=${HASH}`,
};
const oidc = {
  OIDC_ISSUER: "https://id.example.com",
  OIDC_CLIENT_ID: "roster",
  OIDC_CLIENT_SECRET: "shh",
  OIDC_ALLOWED_DOMAINS: "example.com",
};

afterEach(() => vi.restoreAllMocks());

describe("productionAuthProblems", () => {
  it("is empty for a complete configuration, with either sign-in method", () => {
    expect(productionAuthProblems(parseEnv(complete))).toEqual([]);
    expect(
      productionAuthProblems(parseEnv({ ...complete, ROSTER_ADMINS: undefined, ...oidc })),
    ).toEqual([]);
  });

  it("refuses a NEXTAUTH_SECRET shorter than 32 bytes", () => {
    const short = parseEnv({ ...complete, NEXTAUTH_SECRET: "s".repeat(31) });
    expect(productionAuthProblems(short)).toEqual([
      expect.stringMatching(/^NEXTAUTH_SECRET is shorter than 32 bytes/),
    ]);
    expect(() => assertProductionAuthConfig(short)).toThrow(/shorter than 32 bytes/);
  });

  it("names each missing piece", () => {
    const problems = productionAuthProblems(parseEnv({ NODE_ENV: "production" }));
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^NEXTAUTH_SECRET is not set/);
    expect(problems[1]).toMatch(/^NEXTAUTH_URL is not set/);
    expect(problems[2]).toMatch(
      /no way to sign in: set ROSTER_ADMINS .* or OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET/,
    );
  });

  it("has no built-in credentials to fall back on", () => {
    const problems = productionAuthProblems(parseEnv({ ...complete, ROSTER_ADMINS: "" }));
    expect(problems).toEqual([expect.stringMatching(/no way to sign in/)]);
  });
});

describe("assertProductionAuthConfig", () => {
  it("throws one message listing the problems", () => {
    expect(() =>
      assertProductionAuthConfig(parseEnv({ ...complete, NEXTAUTH_SECRET: undefined })),
    ).toThrow(/Roster will not start in production:\n {2}- NEXTAUTH_SECRET is not set/);
  });

  it("warns when a public NEXTAUTH_URL is not https", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    assertProductionAuthConfig(
      parseEnv({ ...complete, NEXTAUTH_URL: "http://roster.example.com" }),
    );
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/not https/));
    warn.mockClear();
    assertProductionAuthConfig(parseEnv({ ...complete, NEXTAUTH_URL: "http://127.0.0.1:3000" }));
    expect(warn).not.toHaveBeenCalled();
  });
});

describe("signInMethods", () => {
  it("enables single sign-on only with all three OIDC variables", () => {
    expect(signInMethods(parseEnv({ ...oidc }))).toEqual({ credentials: false, oidc: true });
    expect(signInMethods(parseEnv(complete))).toEqual({ credentials: true, oidc: false });
  });
});
