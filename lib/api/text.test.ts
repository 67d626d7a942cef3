import { describe, expect, it } from "vitest";

import { findUnstorableText, isStorableText, toStorableText } from "./text";

describe("isStorableText", () => {
  it("takes any text a database keeps, emoji and other languages included", () => {
    for (const text of ["", "ana@example.com", "Zoë 😀 अनन्या", "tab\tand\nnewline", "\ufffd"]) {
      expect(isStorableText(text), text).toBe(true);
    }
  });

  it.each([
    ["a NUL", "a\u0000b"],
    ["a lone high surrogate", "Ana \ud83d"],
    ["a lone low surrogate", "\ude00 x"],
    ["two high surrogates", "\ud83d\ud83d\ude00"],
  ])("refuses %s", (_, text) => {
    expect(isStorableText(text)).toBe(false);
  });
});

describe("findUnstorableText", () => {
  it("names where in a body the refused text is, keys included", () => {
    expect(findUnstorableText({ name: "ok", scope: { roles: ["a", "b\u0000"] } })).toBe(
      "scope.roles[1]",
    );
    expect(findUnstorableText([{ itemId: 1, comment: "x\ud800" }])).toBe("[0].comment");
    expect(findUnstorableText({ ok: { "k\u0000": 1 } })).toBe("a field name in ok");
    expect(findUnstorableText("\u0000")).toBe("the body");
    expect(findUnstorableText({ name: "Zoë 😀", n: 1, list: [null, true] })).toBeNull();
  });
});

describe("toStorableText", () => {
  it("replaces each refused character with U+FFFD and leaves other text as it is", () => {
    expect(toStorableText("u3\u0000x\ud83d y \ud83d\ude00")).toBe("u3\ufffdx\ufffd y \ud83d\ude00");
    const plain = "Zoë 😀";
    expect(toStorableText(plain)).toBe(plain);
  });
});
