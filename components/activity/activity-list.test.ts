import { describe, expect, it } from "vitest";

import { actorText, detailsText } from "./activity-list";

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

describe("actorText", () => {
  it("names the admin, Roster for its own entries, and no one for a sign-in tried without an address", () => {
    expect(actorText({ kind: "review.closed", admin: "ana@example.com" })).toBe("ana@example.com");
    expect(actorText({ kind: "directory.sync", admin: null })).toBe("Roster");
    expect(actorText({ kind: "auth.sign_in", admin: null })).toBe("no address given");
  });
});
