import { describe, expect, it } from "vitest";

import { canonicalJson } from "./canonical";

describe("canonicalJson", () => {
  it("sorts keys at every depth and writes no whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: "x" } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it("gives the same text whatever the insertion order", () => {
    const one = canonicalJson({ kind: "k", admin: "a", details: { rows: 2, sha: "s" } });
    const two = canonicalJson({ details: { sha: "s", rows: 2 }, admin: "a", kind: "k" });
    expect(one).toBe(two);
  });

  it("leaves out undefined values but keeps null", () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });

  it("escapes strings as JSON does", () => {
    expect(canonicalJson({ 'q"': 'line\nbreak "é"' })).toBe('{"q\\"":"line\\nbreak \\"é\\""}');
  });

  it("refuses values without one canonical form", () => {
    expect(() => canonicalJson({ at: new Date() })).toThrow(/ISO/);
    expect(() => canonicalJson(Number.NaN)).toThrow(/non-finite/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow();
  });
});
