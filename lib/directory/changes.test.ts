import { describe, expect, it } from "vitest";

import type { directoryUsers } from "@/lib/db/schema";

import { changedFields } from "./changes";

type Row = typeof directoryUsers.$inferSelect;

function version(patch: Partial<Row>): Row {
  return {
    provider: "telnyx",
    userId: "u1",
    fromSnapshot: 1,
    toSnapshot: null,
    email: "ana@example.com",
    emailKey: "ana@example.com",
    name: null,
    status: "enabled",
    role: "member",
    createdAt: new Date("2026-01-01T00:00:00.000Z"),
    lastActiveAt: null,
    groups: null,
    vendor: {},
    hash: "h",
    ...patch,
  };
}

describe("changedFields", () => {
  const sales = { id: "g1", name: "Sales" };
  const eng = { id: "g2", name: "Engineering" };

  it("does not report groups listed in another order: the same groups, no change", () => {
    // The vendor's record differs (a new version is stored), but no one's access changed.
    expect(
      changedFields(version({ groups: [sales, eng] }), version({ groups: [eng, sales] })),
    ).toEqual([]);
  });

  it("reports a group joined or left, with the names sorted on both sides", () => {
    expect(changedFields(version({ groups: [sales] }), version({ groups: [sales, eng] }))).toEqual([
      { field: "groups", old: "Sales", new: "Engineering; Sales" },
    ]);
  });

  it("reports what a sign-in time alone does not change: nothing", () => {
    expect(
      changedFields(
        version({ lastActiveAt: null }),
        version({ lastActiveAt: new Date("2026-02-01T00:00:00.000Z") }),
      ),
    ).toEqual([]);
  });
});
