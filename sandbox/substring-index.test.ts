import { describe, expect, it } from "vitest";

import { createRng } from "./random";
import { SubstringIndex } from "./substring-index";

/** What the index must answer: a scan of every value, in order. */
function scan(values: readonly string[], query: string, keep: (i: number) => boolean = () => true) {
  return values.flatMap((value, i) => (keep(i) && value.includes(query) ? [i] : []));
}

describe("SubstringIndex", () => {
  const values = [
    "ana@x.com",
    "hana@x.com",
    "ANA@x.com".toLowerCase(),
    "bo@example.com",
    "anabel@x.com",
    "",
    "xx",
  ];
  const index = new SubstringIndex(values);

  it("finds partial matches in order, as a scan does", () => {
    expect(index.find("ana@x.com")).toEqual([0, 1, 2]);
    expect(index.find("hana@")).toEqual([1]);
    expect(index.find("@x.com")).toEqual([0, 1, 2, 4]);
    expect(index.find("example")).toEqual([3]);
  });

  it("answers queries shorter than a sequence by scanning", () => {
    expect(index.find("xx")).toEqual([6]);
    expect(index.find("")).toEqual(values.map((_, i) => i));
  });

  it("answers nothing when a sequence of the query appears nowhere", () => {
    expect(index.find("zzz@x.com")).toEqual([]);
  });

  it("applies the extra condition", () => {
    expect(index.find("@x.com", (i) => i % 2 === 0)).toEqual([0, 2, 4]);
  });

  it("agrees with a scan on generated values and queries", () => {
    const rng = createRng(7);
    const alphabet = "abcab.@";
    const word = (length: number) => Array.from({ length }, () => rng.pick([...alphabet])).join("");
    const many = Array.from({ length: 400 }, () => word(rng.int(0, 11)));
    const generated = new SubstringIndex(many);
    for (let q = 0; q < 300; q++) {
      const query = rng.chance(0.5) ? word(rng.int(1, 5)) : rng.pick(many);
      const keep = (i: number) => i % 3 !== 0;
      expect(generated.find(query)).toEqual(scan(many, query));
      expect(generated.find(query, keep)).toEqual(scan(many, query, keep));
    }
  });
});
