import { describe, expect, it } from "vitest";

import { compareOrder, PageGaps, type OrderKey } from "./page-gaps";

const at = (day: number, id: string): OrderKey => ({
  createdAt: `2026-01-${String(day).padStart(2, "0")}T00:00:00.000Z`,
  id,
});

describe("compareOrder", () => {
  it("orders by created time, then by id, with no time last", () => {
    const keys = [
      { createdAt: null, id: "a" },
      at(2, "a"),
      at(1, "b"),
      at(1, "a"),
      { createdAt: null, id: "0" },
    ];
    expect([...keys].sort(compareOrder)).toEqual([
      at(1, "a"),
      at(1, "b"),
      at(2, "a"),
      { createdAt: null, id: "0" },
      { createdAt: null, id: "a" },
    ]);
    expect(compareOrder(at(1, "a"), at(1, "a"))).toBe(0);
  });
});

describe("PageGaps", () => {
  // Users 1 to 9, one a day, read as pages [1 2 3] [5 6] [8 9]: 4 and 7 are between pages.
  const user = (n: number) => at(n, `u${n}`);
  const read = () => {
    const gaps = new PageGaps();
    gaps.page([user(1), user(2), user(3)]);
    gaps.page([]);
    gaps.page([user(5), user(6)]);
    gaps.page([user(8), user(9)]);
    return gaps;
  };

  it("finds the users whose place is between two pages, not inside one or outside the read", () => {
    const gaps = read();
    expect(gaps.ordered).toBe(true);
    expect(gaps.boundaries).toBe(2);
    const unread = [user(0), user(4), at(5, "u5a"), user(7), at(7, "u7a"), user(10)];
    expect(gaps.between(unread)).toEqual([user(4), user(7), at(7, "u7a")]);
    // On the edge of a page is inside it (a user equal to one read is not between).
    expect(gaps.between([user(3), user(5), user(8)])).toEqual([]);
  });

  it("keeps, in each gap, the users nearest its start when asked for a few", () => {
    const gaps = read();
    const inFirst = [at(4, "c"), at(4, "a"), at(3, "z"), at(4, "b")];
    const inSecond = [at(7, "b"), at(7, "a")];
    expect(gaps.between([...inSecond, ...inFirst], 2)).toEqual([
      at(3, "z"),
      at(4, "a"),
      at(7, "a"),
      at(7, "b"),
    ]);
  });

  it("turns the check off when a page is out of vendor order, within it or after the last", () => {
    const within = new PageGaps();
    within.page([user(2), user(1)]);
    expect(within.ordered).toBe(false);
    expect(within.between([user(4)])).toEqual([]);

    const across = read();
    across.page([user(7)]);
    expect(across.ordered).toBe(false);
    expect(across.between([user(4)])).toEqual([]);
  });

  it("has no gap with one page", () => {
    const gaps = new PageGaps();
    gaps.page([user(1), user(5)]);
    expect(gaps.boundaries).toBe(0);
    expect(gaps.between([user(3)])).toEqual([]);
  });
});
