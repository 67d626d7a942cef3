import { describe, expect, it } from "vitest";

import { detailsText } from "./activity-list";

describe("detailsText", () => {
  it("writes lists of plain values as words and keeps nested objects as JSON", () => {
    expect(
      detailsText({
        items: 69,
        providers: ["openai", "telnyx"],
        snapshotIds: [2, 1],
        flags: [],
        scope: { roles: ["owner"] },
        pairs: [{ a: 1 }],
        admin: null,
      }),
    ).toBe(
      'items: 69 · providers: openai, telnyx · snapshotIds: 2, 1 · flags: none · scope: {"roles":["owner"]} · pairs: [{"a":1}] · admin: null',
    );
  });

  it("is empty for no details", () => {
    expect(detailsText({})).toBe("");
  });
});
