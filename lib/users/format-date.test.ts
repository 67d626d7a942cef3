import { describe, expect, it } from "vitest";

import { formatUtc, lastUsedText } from "./format-date";

describe("formatUtc", () => {
  it("writes a UTC time to the minute by default, and to the second when asked", () => {
    expect(formatUtc("2026-05-01T10:02:17.690Z")).toBe("2026-05-01 10:02 UTC");
    expect(formatUtc("2026-05-01T10:02:17.690Z", "second")).toBe("2026-05-01 10:02:17 UTC");
  });

  it("converts a time with an offset to UTC instead of cutting its text", () => {
    expect(formatUtc("2026-05-01T23:30:05+02:00", "second")).toBe("2026-05-01 21:30:05 UTC");
    expect(formatUtc("2026-05-01T01:15:00-03:00")).toBe("2026-05-01 04:15 UTC");
  });

  it("gives back text that is not a date as it is", () => {
    expect(formatUtc("not a date")).toBe("not a date");
    expect(formatUtc("")).toBe("");
  });
});

describe("lastUsedText", () => {
  it("names the UTC day of the last use, or says the account was never used", () => {
    expect(lastUsedText("2025-10-20T23:30:00-02:00")).toBe("last 2025-10-21");
    expect(lastUsedText(null)).toBe("never used");
  });
});
