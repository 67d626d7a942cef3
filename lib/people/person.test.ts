import { describe, expect, it } from "vitest";

import { historyFromVersions } from "./person";

const version = (from: number, to: number | null, over: Record<string, unknown> = {}) => ({
  provider: "telnyx" as const,
  user_id: "u1",
  from_snapshot: from,
  to_snapshot: to,
  email: "ana@x.com",
  name: null,
  status: "enabled",
  role: "member",
  groups: null,
  vendor: {},
  from_at: new Date(Date.UTC(2026, 0, from)),
  to_at: to === null ? null : new Date(Date.UTC(2026, 0, to)),
  ...over,
});

describe("historyFromVersions", () => {
  it("reports added, each change with its fields, a removal and a return, newest first", () => {
    const events = historyFromVersions([
      version(1, 3),
      version(3, 5, { status: "blocked", groups: [{ id: "g", name: "Ops" }] }),
      version(7, null, { status: "blocked", groups: [{ id: "g", name: "Ops" }] }),
    ]);
    expect(events.map((e) => [e.event, e.at?.slice(0, 10), e.changes.map((c) => c.field)])).toEqual(
      [
        ["added", "2026-01-07", []],
        ["removed", "2026-01-05", []],
        ["changed", "2026-01-03", ["status", "groups"]],
        ["added", "2026-01-01", []],
      ],
    );
    expect(events[2]?.changes[0]).toEqual({ field: "status", from: "enabled", to: "blocked" });
  });

  it("reports nothing but the addition for an unchanged current account", () => {
    expect(historyFromVersions([version(1, null)]).map((e) => e.event)).toEqual(["added"]);
  });
});

describe("historyFromVersions and Changes read fields alike", () => {
  it("reports a flag only as a boolean, and groups only when their names change", () => {
    const events = historyFromVersions([
      version(1, 2, { vendor: { is_scim_managed: "yes" }, groups: [{ id: "g", name: "Ops" }] }),
      version(2, 3, { vendor: {}, groups: [{ id: "h", name: "Ops" }] }),
      version(3, null, { vendor: { is_scim_managed: true }, groups: [{ id: "h", name: "Ops" }] }),
    ]);
    // "yes" is no flag (as Changes reads it): the first step changed nothing it reports.
    expect(events.map((e) => [e.event, e.changes])).toEqual([
      ["changed", [{ field: "scimManaged", from: null, to: true }]],
      ["added", []],
    ]);
  });
});
