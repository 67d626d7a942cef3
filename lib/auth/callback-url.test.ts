import { describe, expect, it } from "vitest";

import { pathWithQuery, safeCallbackUrl, signInCallbackUrl, signInPath } from "./callback-url";

describe("safeCallbackUrl", () => {
  it.each([
    ["/", "/"],
    ["/?provider=openai", "/?provider=openai"],
    ["/users?provider=telnyx&status=enabled#top", "/users?provider=telnyx&status=enabled#top"],
    ["/a/../b", "/b"],
    ["/apix", "/apix"],
  ])("keeps the same-origin path %j", (input, expected) => {
    expect(safeCallbackUrl(input)).toBe(expected);
  });

  it.each([
    undefined,
    null,
    42,
    "",
    "//evil.com",
    "//evil.com/path",
    "https://evil.com",
    "http://evil.com/?x=/",
    "javascript:alert(1)",
    "/\\evil.com",
    "\\\\evil.com",
    "/\t/evil.com",
    "/\n/evil.com",
    "/.//evil.com",
    "/..//evil.com",
    "evil.com",
    "/signin",
    "/signin?callbackUrl=/x",
    // An API route: a link could make signing in start a download (an export) in the admin's name.
    "/api/activity/export",
    "/api",
    "/x/../api/telnyx/users/export?columns=id",
    `/${"a".repeat(3000)}`,
  ])("falls back to / for %j", (input) => {
    expect(safeCallbackUrl(input)).toBe("/");
  });
});

describe("signInCallbackUrl", () => {
  const ORIGIN = "https://roster.example.com";

  it("reads an absolute URL on Roster's origin as its path, as next-auth sends a failed SSO back", () => {
    expect(signInCallbackUrl(`${ORIGIN}/?provider=openai`, ORIGIN)).toBe("/?provider=openai");
    expect(signInCallbackUrl(`${ORIGIN}/people/ana%40example.com#x`, `${ORIGIN}/`)).toBe(
      "/people/ana%40example.com#x",
    );
    expect(signInCallbackUrl("/reviews", ORIGIN)).toBe("/reviews");
  });

  it.each([
    "https://roster.example.com.evil.io/",
    "https://roster.example.com:8443/",
    "http://roster.example.com/",
    "https://roster.example.com@evil.io/",
    "https://roster.example.com//evil.io/",
    "https://roster.example.com/signin",
    "https://roster.example.com/api/openai/users/export",
    "//evil.io",
    "not a url",
  ])("sends %j home, as any other unsafe destination", (input) => {
    expect(signInCallbackUrl(input, ORIGIN)).toBe("/");
  });

  it("keeps only paths when Roster's origin is unknown", () => {
    expect(signInCallbackUrl(`${ORIGIN}/?provider=openai`, undefined)).toBe("/");
    expect(signInCallbackUrl("/?provider=openai", undefined)).toBe("/?provider=openai");
  });
});

describe("signInPath", () => {
  it("carries the return path, encoded", () => {
    expect(signInPath("/?provider=openai")).toBe("/signin?callbackUrl=%2F%3Fprovider%3Dopenai");
  });

  it("drops a return path that is the default or unsafe", () => {
    expect(signInPath("/")).toBe("/signin");
    expect(signInPath("//evil.com")).toBe("/signin");
  });
});

describe("pathWithQuery", () => {
  it("keeps every value of a repeated key, in order, encoded", () => {
    expect(
      pathWithQuery("/", { provider: "openai", status: ["enabled", "blocked"], email: "a&b c" }),
    ).toBe("/?provider=openai&status=enabled&status=blocked&email=a%26b+c");
  });

  it("is the bare path without a query", () => {
    expect(pathWithQuery("/people", {})).toBe("/people");
    expect(pathWithQuery("/people", { flag: undefined })).toBe("/people");
  });
});
