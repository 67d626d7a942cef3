import { describe, expect, it } from "vitest";

import {
  badlyEncodedField,
  emailParam,
  MAX_EMAIL_LENGTH,
  oneOfParam,
  unknownOrRepeatedParam,
} from "./query-params";

describe("badlyEncodedField", () => {
  it("names the first field whose name or value is not percent-encoded UTF-8", () => {
    expect(badlyEncodedField("status=active&email=jos%E9%40x.com")).toBe("email");
    expect(badlyEncodedField("na%FFme=x")).toBe("na%FFme");
    expect(badlyEncodedField("a=%C3")).toBe("a");
  });

  it("takes UTF-8, plus signs and a % not followed by two hex digits as they are", () => {
    expect(badlyEncodedField("email=jos%C3%A9%40x.com&q=a+b")).toBeNull();
    expect(badlyEncodedField("password=50%&email=100%25%40x.com&x=%zz")).toBeNull();
    expect(badlyEncodedField("")).toBeNull();
  });
});

describe("unknownOrRepeatedParam", () => {
  const allowed = ["status", "flag"];

  it("passes known parameters given once", () => {
    expect(unknownOrRepeatedParam(new URLSearchParams("status=a&flag=b"), allowed)).toBeNull();
  });

  it("names an unknown parameter and lists the allowed ones", () => {
    expect(unknownOrRepeatedParam(new URLSearchParams("stauts=a"), allowed)).toEqual({
      ok: false,
      param: "stauts",
      message: 'unknown parameter "stauts"; allowed: status, flag',
    });
  });

  it("refuses a repeated parameter unless it may repeat", () => {
    const params = new URLSearchParams("flag=a&flag=b");
    expect(unknownOrRepeatedParam(params, allowed)).toEqual({
      ok: false,
      param: "flag",
      message: "flag must be given at most once",
    });
    expect(unknownOrRepeatedParam(params, allowed, ["flag"])).toBeNull();
  });

  it("refuses a value holding a NUL, repeated ones included (no database stores it)", () => {
    for (const query of ["status=a%00b", "flag=ok&flag=b%00"]) {
      expect(unknownOrRepeatedParam(new URLSearchParams(query), allowed, ["flag"])).toMatchObject({
        ok: false,
        message: expect.stringMatching(/^(status|flag) holds a NUL character/),
      });
    }
  });
});

describe("oneOfParam", () => {
  const values = ["keep", "revoke"] as const;

  it("is undefined when absent and the value when it is one of the list", () => {
    expect(oneOfParam(new URLSearchParams(""), "decision", values)).toBeUndefined();
    expect(oneOfParam(new URLSearchParams("decision=revoke"), "decision", values)).toBe("revoke");
  });

  it("names the parameter and lists the values otherwise, an empty value included", () => {
    for (const query of ["decision=Keep", "decision="]) {
      expect(oneOfParam(new URLSearchParams(query), "decision", values)).toEqual({
        ok: false,
        param: "decision",
        message: "decision must be one of keep, revoke",
      });
    }
  });
});

describe("emailParam", () => {
  it("takes 1 to MAX_EMAIL_LENGTH characters as given", () => {
    expect(emailParam(new URLSearchParams(""))).toBeUndefined();
    expect(emailParam(new URLSearchParams("email=%20Ann"))).toBe(" Ann");
    const longest = "a".repeat(MAX_EMAIL_LENGTH);
    expect(emailParam(new URLSearchParams({ email: longest }))).toBe(longest);
  });

  it("refuses an empty or too long filter", () => {
    for (const email of ["", "a".repeat(MAX_EMAIL_LENGTH + 1)]) {
      expect(emailParam(new URLSearchParams({ email }))).toEqual({
        ok: false,
        param: "email",
        message: `email must be from 1 to ${MAX_EMAIL_LENGTH} characters`,
      });
    }
  });
});
