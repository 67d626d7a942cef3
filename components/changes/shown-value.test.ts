import { describe, expect, it } from "vitest";

import { shownValue } from "./shown-value";

describe("shownValue", () => {
  it("says none for groups joined or left from an empty list, not an empty string", () => {
    expect(`groups: ${shownValue("")} → ${shownValue("Finance")}`).toBe("groups: none → Finance");
  });

  it("shows a missing value as a dash and flags as yes or no", () => {
    expect([null, true, false].map(shownValue)).toEqual(["—", "yes", "no"]);
  });
});
