import { describe, expect, it } from "vitest";

import { activityFiltersFromSearchParams, activityFiltersToSearchParams } from "./contract";

describe("the activity filters in the URL", () => {
  it("reads what the page wrote", () => {
    const filters = {
      kind: "review.closed",
      admin: "ana@example.com",
      from: "2026-12-01",
      to: "2026-12-05",
    };
    expect(activityFiltersFromSearchParams(activityFiltersToSearchParams(filters))).toEqual(
      filters,
    );
    expect(activityFiltersFromSearchParams(new URLSearchParams(""))).toEqual({});
  });

  it("leaves out what the page could not have written", () => {
    expect(
      activityFiltersFromSearchParams(
        new URLSearchParams(`kind=login&admin=${"a".repeat(255)}&from=yesterday&to=2026-12-5`),
      ),
    ).toEqual({});
    expect(activityFiltersFromSearchParams(new URLSearchParams("admin=%20bo%40x.com%20"))).toEqual({
      admin: "bo@x.com",
    });
  });
});
