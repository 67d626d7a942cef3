import { describe, expect, it } from "vitest";

import {
  NON_DOCUMENT_CSP,
  baseSecurityHeaders,
  createNonce,
  pageContentSecurityPolicy,
} from "./headers.mjs";

function directives(policy: string): Map<string, string> {
  return new Map(
    policy.split(";").map((part) => {
      const [name = "", ...values] = part.trim().split(/\s+/);
      return [name, values.join(" ")];
    }),
  );
}

describe("pageContentSecurityPolicy", () => {
  it("in production allows scripts only by nonce, without unsafe-eval or unsafe-inline scripts", () => {
    const policy = directives(
      pageContentSecurityPolicy({ nonce: "abc123", development: false, https: true }),
    );
    expect(policy.get("script-src")).toBe("'self' 'nonce-abc123' 'strict-dynamic'");
    expect(policy.get("style-src")).toBe("'self' 'nonce-abc123'");
    expect(policy.get("frame-ancestors")).toBe("'none'");
    expect(policy.get("object-src")).toBe("'none'");
    expect(policy.has("upgrade-insecure-requests")).toBe(true);
    expect([...policy.values()].join(" ")).not.toMatch(/unsafe-eval/);
  });

  it("adds unsafe-eval only in development, and upgrades requests only over https", () => {
    const policy = directives(
      pageContentSecurityPolicy({ nonce: "n", development: true, https: false }),
    );
    expect(policy.get("script-src")).toContain("'unsafe-eval'");
    expect(policy.has("upgrade-insecure-requests")).toBe(false);
  });
});

describe("baseSecurityHeaders", () => {
  const asMap = (production: boolean) =>
    new Map(baseSecurityHeaders({ production }).map(({ key, value }) => [key, value]));

  it("sets the fixed headers in every mode", () => {
    for (const production of [true, false]) {
      const headers = asMap(production);
      expect(headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
      expect(headers.get("Permissions-Policy")).toMatch(/(^|, )camera=\(\)/);
      expect(headers.get("Permissions-Policy")).toMatch(/(^|, )geolocation=\(\)/);
      expect(headers.get("Permissions-Policy")).not.toMatch(/=\((?!\))/);
    }
  });

  it("adds HSTS in production only", () => {
    expect(asMap(true).get("Strict-Transport-Security")).toMatch(
      /^max-age=\d{8,}; includeSubDomains$/,
    );
    expect(asMap(false).has("Strict-Transport-Security")).toBe(false);
  });
});

describe("NON_DOCUMENT_CSP", () => {
  it("forbids loading anything and framing", () => {
    const policy = directives(NON_DOCUMENT_CSP);
    expect(policy.get("default-src")).toBe("'none'");
    expect(policy.get("frame-ancestors")).toBe("'none'");
  });
});

describe("createNonce", () => {
  it("is fresh, base64 and at least 128 bits", () => {
    const nonces = new Set(Array.from({ length: 100 }, () => createNonce()));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) {
      expect(nonce).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect(Buffer.from(nonce, "base64").length).toBeGreaterThanOrEqual(16);
    }
  });
});
