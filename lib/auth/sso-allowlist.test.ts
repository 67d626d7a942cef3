import { describe, expect, it } from "vitest";

import { isAllowedSsoEmail, parseSsoAllowlist } from "./sso-allowlist";

const allowlist = parseSsoAllowlist(
  " Boss@Partner.io , ops@elsewhere.net",
  "Example.com, @corp.example",
);

describe("isAllowedSsoEmail", () => {
  it.each([
    "boss@partner.io",
    "BOSS@PARTNER.IO",
    "ana@example.com",
    "Ana@EXAMPLE.com",
    "x@corp.example",
  ])("admits %s", (email) => expect(isAllowedSsoEmail(email, allowlist)).toBe(true));

  it.each([
    "other@partner.io",
    "ana@eu.example.com",
    "ana@example.com.evil.io",
    "ana@notexample.com",
    "example.com",
    "@example.com",
    "ana@",
    "",
    undefined,
    null,
  ])("refuses %j", (email) => expect(isAllowedSsoEmail(email, allowlist)).toBe(false));

  it("admits nobody when both lists are empty", () => {
    expect(isAllowedSsoEmail("ana@example.com", parseSsoAllowlist(undefined, " "))).toBe(false);
  });
});
