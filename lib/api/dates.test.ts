import { describe, expect, it } from "vitest";

import { addDaysClamped, LATEST_INSTANT, parseCalendarDate, parseIsoDateTime } from "./dates";

describe("parseCalendarDate", () => {
  it("reads a calendar day as UTC midnight", () => {
    expect(parseCalendarDate("2026-03-31")?.toISOString()).toBe("2026-03-31T00:00:00.000Z");
    expect(parseCalendarDate("2024-02-29")?.toISOString()).toBe("2024-02-29T00:00:00.000Z");
    expect(parseCalendarDate("0001-01-01")?.toISOString()).toBe("0001-01-01T00:00:00.000Z");
    expect(parseCalendarDate("9999-12-31")?.toISOString()).toBe("9999-12-31T00:00:00.000Z");
  });

  it.each([
    "2026-02-30",
    "2025-02-29",
    "2026-13-01",
    "2026-00-10",
    "2026-04-31",
    "0000-01-01",
    "2026-3-31",
    "+02026-03-31",
    "2026-03-31T00:00Z",
    "",
  ])("refuses %j", (text) => {
    expect(parseCalendarDate(text)).toBeNull();
  });
});

describe("parseIsoDateTime", () => {
  it("reads zones, seconds and fractions", () => {
    expect(parseIsoDateTime("2026-11-30T10:00Z")?.toISOString()).toBe("2026-11-30T10:00:00.000Z");
    expect(parseIsoDateTime("2026-11-30T10:00:05.25+02:00")?.toISOString()).toBe(
      "2026-11-30T08:00:05.250Z",
    );
    expect(parseIsoDateTime("2026-11-30T23:30-01:00")?.toISOString()).toBe(
      "2026-12-01T00:30:00.000Z",
    );
  });

  it.each([
    ["a day the month does not have", "2026-02-30T10:00Z"],
    ["month 13", "2026-13-01T10:00Z"],
    ["hour 24", "2026-11-30T24:00Z"],
    ["minute 60", "2026-11-30T10:60Z"],
    ["second 60", "2026-11-30T10:00:60Z"],
    ["an offset of 24 hours", "2026-11-30T10:00+24:00"],
    ["no zone", "2026-11-30T10:00"],
    ["year 0", "0000-06-01T00:00Z"],
    ["an instant in year 10000", "9999-12-31T23:00-23:00"],
    ["an instant before year 1", "0001-01-01T00:00+01:00"],
  ])("refuses %s", (_, text) => {
    expect(parseIsoDateTime(text)).toBeNull();
  });
});

describe("addDaysClamped", () => {
  it("adds whole days, and stops at the last instant of year 9999", () => {
    expect(addDaysClamped(new Date("2026-02-28T00:00:00Z"), 1).toISOString()).toBe(
      "2026-03-01T00:00:00.000Z",
    );
    const last = addDaysClamped(new Date("9999-12-31T00:00:00Z"), 1);
    expect(last.getTime()).toBe(LATEST_INSTANT);
    expect(last.toISOString()).toBe("9999-12-31T23:59:59.999Z");
  });
});
