import { describe, expect, it } from "vitest";

import { parsePasswordHash } from "./admins.mjs";
import { DEFAULT_SCRYPT, hashPassword, verifyAdminPassword, verifyPassword } from "./password";

// Low cost keeps the suite fast; one test covers the default cost.
const FAST = { N: 1024, r: 8, p: 1 };

describe("hashPassword / verifyPassword", () => {
  it("accepts the password a hash was made from and nothing else", async () => {
    const hash = await hashPassword("correct horse battery staple", FAST);
    expect(await verifyPassword("correct horse battery staple", hash)).toBe(true);
    expect(await verifyPassword("correct horse battery stapl", hash)).toBe(false);
    expect(await verifyPassword("Correct horse battery staple", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
  });

  it("writes the default cost into a $-free hash that ROSTER_ADMINS accepts", async () => {
    const hash = await hashPassword("s3cret-enough-password");
    expect(hash).not.toContain("$");
    const parsed = parsePasswordHash(hash);
    expect(parsed.ok && { N: parsed.hash.N, r: parsed.hash.r, p: parsed.hash.p }).toEqual(
      DEFAULT_SCRYPT,
    );
    expect(await verifyPassword("s3cret-enough-password", hash)).toBe(true);
  });

  it("salts every hash", async () => {
    const [a, b] = await Promise.all([hashPassword("same", FAST), hashPassword("same", FAST)]);
    expect(a).not.toBe(b);
    expect(await verifyPassword("same", a)).toBe(true);
    expect(await verifyPassword("same", b)).toBe(true);
  });

  it("treats canonically equivalent Unicode spellings as the same password", async () => {
    const composed = "caf\u00e9-passphrase";
    const decomposed = "cafe\u0301-passphrase";
    const hash = await hashPassword(composed, FAST);
    expect(await verifyPassword(decomposed, hash)).toBe(true);
  });

  it("rejects an empty password when hashing", async () => {
    await expect(hashPassword("", FAST)).rejects.toThrow(/empty/);
  });

  it("answers false, not an exception, for a malformed or tampered hash", async () => {
    const hash = await hashPassword("pw-for-tamper-test", FAST);
    expect(await verifyPassword("pw-for-tamper-test", "not-a-hash")).toBe(false);
    const parts = hash.split(":");
    parts[5] = Buffer.alloc(32, 1).toString("base64url");
    expect(await verifyPassword("pw-for-tamper-test", parts.join(":"))).toBe(false);
  });
});

describe("verifyAdminPassword", () => {
  it("is false for an unknown admin whatever the password", async () => {
    expect(await verifyAdminPassword("anything", undefined)).toBe(false);
    expect(await verifyAdminPassword("", undefined)).toBe(false);
  });

  it("checks a known admin's password", async () => {
    const parsed = parsePasswordHash(await hashPassword("admin-pass-123", FAST));
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(await verifyAdminPassword("admin-pass-123", parsed.hash)).toBe(true);
    expect(await verifyAdminPassword("admin-pass-124", parsed.hash)).toBe(false);
  });

  it("spends scrypt work on unknown emails too, so timing does not reveal them", async () => {
    const parsed = parsePasswordHash(await hashPassword("timing-pass", DEFAULT_SCRYPT));
    if (!parsed.ok) throw new Error(parsed.reason);
    const time = async (run: () => Promise<unknown>) => {
      const start = performance.now();
      await run();
      return performance.now() - start;
    };
    // Warm up, then compare medians of a few runs: the unknown-email path must not be near-instant.
    await verifyAdminPassword("x", undefined);
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      known.push(await time(() => verifyAdminPassword("wrong", parsed.hash)));
      unknown.push(await time(() => verifyAdminPassword("wrong", undefined)));
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[1] ?? 0;
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
  });
});
