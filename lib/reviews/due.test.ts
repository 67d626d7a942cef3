import { describe, expect, it } from "vitest";

import { isOverdue, utcDay } from "./due";

describe("isOverdue", () => {
  it("is overdue from the day after the due date (UTC) while open, never once closed", () => {
    const due = { state: "open", dueDate: "2026-03-31" } as const;
    expect(isOverdue(due, "2026-03-30")).toBe(false);
    expect(isOverdue(due, "2026-03-31")).toBe(false);
    expect(isOverdue(due, "2026-04-01")).toBe(true);
    expect(isOverdue(due, "2027-01-01")).toBe(true);
    expect(isOverdue({ ...due, state: "closed" }, "2026-04-01")).toBe(false);
  });

  it("takes today's date in UTC, not the machine's time zone", () => {
    expect(utcDay(new Date("2026-03-31T23:30:00-05:00"))).toBe("2026-04-01");
    expect(utcDay(new Date("2026-04-01T00:30:00+02:00"))).toBe("2026-03-31");
  });
});
