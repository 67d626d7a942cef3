import { describe, expect, it } from "vitest";

import { isoFromMillis, isoFromText } from "./time";

describe("vendor times", () => {
  it("gives each call its own value, as a new Date would", () => {
    const a = isoFromMillis(0);
    const b = isoFromMillis(1_709_251_199_000);
    expect([a, b]).toEqual(["1970-01-01T00:00:00.000Z", "2024-02-29T23:59:59.000Z"]);
  });

  it("normalizes a vendor's ISO text with an offset to UTC", () => {
    expect(isoFromText("2025-01-15T12:55:09+02:00")).toBe("2025-01-15T10:55:09.000Z");
    expect(isoFromText("2025-01-15T10:55:09.123456Z")).toBe("2025-01-15T10:55:09.123Z");
  });

  it("throws a RangeError for a time that is not one, and the next call still works", () => {
    expect(() => isoFromText("not a date")).toThrow(RangeError);
    expect(() => isoFromMillis(Number.NaN)).toThrow(RangeError);
    expect(isoFromMillis(86_400_000)).toBe("1970-01-02T00:00:00.000Z");
  });
});
