import { describe, expect, it } from "vitest";

import { parseEnv } from "@/lib/env.mjs";

import { parseAdmins, parsePasswordHash } from "./admins.mjs";
import { hashPassword } from "./password";

const FAST = { N: 1024, r: 8, p: 1 };
const hashA = await hashPassword("password-a", FAST);
const hashB = await hashPassword("password-b", FAST);

describe("parseAdmins", () => {
  it("reads several email=hash entries, ignoring spaces and line breaks, lower-casing emails", () => {
    const admins = parseAdmins(` Ana@Example.com=${hashA},\n  bo@example.org = ${hashB} `);
    expect(admins.map((admin) => admin.email)).toEqual(["ana@example.com", "bo@example.org"]);
    const expected = parsePasswordHash(hashB);
    expect(expected.ok && admins[1]?.hash.key.equals(expected.hash.key)).toBe(true);
  });

  it("is empty when unset or blank", () => {
    expect(parseAdmins(undefined)).toEqual([]);
    expect(parseAdmins("  ")).toEqual([]);
  });

  it.each([
    [`a@example.com=${hashA},`, /entry 2 of 2 is empty/],
    [`a@example.com ${hashA}`, /entry 1 of 1 is not email=hash/],
    [`not-an-email=${hashA}`, /entry 1 of 1 does not start with an email/],
    [`a@example.com=bcrypt:10:abc`, /entry 1 of 1 \(a@example.com\) is not a password hash/],
    [`a@example.com=${hashA.replace(":1024:", ":1000:")}`, /cost N/],
    [`a@example.com=${hashA.replace(/:8:1:/, ":99:1:")}`, /r or p out of range/],
    [`a@example.com=${hashA.slice(0, -30)}`, /wrong length/],
    [`a@example.com=${hashA.replace(/:[^:]+$/, ":not+base64url")}`, /not base64url/],
    [`a@example.com=${hashA},A@example.com=${hashB}`, /entry 2 of 2 repeats a@example.com/],
  ])("rejects %j with a message saying which entry and why", (value, message) => {
    expect(() => parseAdmins(value)).toThrow(message);
  });

  it("never puts a hash into its error messages", () => {
    const broken = `${hashA.slice(0, -30)}`;
    try {
      parseAdmins(`a@example.com=${broken}`);
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain(broken.split(":")[4]);
    }
  });
});

describe("env validation of auth variables", () => {
  it("names ROSTER_ADMINS when it is malformed", () => {
    expect(() => parseEnv({ ROSTER_ADMINS: "someone@example.com=plaintext" })).toThrow(
      /ROSTER_ADMINS: entry 1 of 1 \(someone@example.com\) is not a password hash/,
    );
  });

  it("accepts a well-formed ROSTER_ADMINS", () => {
    expect(parseEnv({ ROSTER_ADMINS: `a@example.com=${hashA}` }).ROSTER_ADMINS).toContain(
      "a@example.com=",
    );
  });

  it("names the missing OIDC variables when single sign-on is half configured", () => {
    expect(() => parseEnv({ OIDC_ISSUER: "https://id.example.com" })).toThrow(
      /OIDC_CLIENT_ID: is required[\s\S]*OIDC_CLIENT_SECRET: is required/,
    );
  });

  it("requires an allowlist with single sign-on", () => {
    const oidc = {
      OIDC_ISSUER: "https://id.example.com",
      OIDC_CLIENT_ID: "id",
      OIDC_CLIENT_SECRET: "secret",
    };
    expect(() => parseEnv(oidc)).toThrow(
      /OIDC_ALLOWED_EMAILS: or OIDC_ALLOWED_DOMAINS is required/,
    );
    expect(parseEnv({ ...oidc, OIDC_ALLOWED_DOMAINS: "example.com" }).OIDC_CLIENT_ID).toBe("id");
  });

  it.each([
    [undefined, 0],
    ["true", 1],
    ["false", 0],
    ["2", 2],
  ])("reads TRUST_PROXY=%j as %i trusted hops", (value, hops) => {
    expect(parseEnv({ TRUST_PROXY: value }).TRUST_PROXY).toBe(hops);
  });

  it("rejects a TRUST_PROXY that is neither a boolean nor a hop count", () => {
    expect(() => parseEnv({ TRUST_PROXY: "yes" })).toThrow(/TRUST_PROXY/);
    expect(() => parseEnv({ TRUST_PROXY: "11" })).toThrow(/TRUST_PROXY/);
  });
});
