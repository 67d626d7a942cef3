import { describe, expect, it } from "vitest";

import { changesViewToSearch, parseChangesView } from "./use-changes-view";

const parse = (query: string) => parseChangesView(new URLSearchParams(query));

describe("the Changes view in the URL", () => {
  const view = {
    provider: "telnyx",
    since: "last",
    date: "",
    snapshot: "",
    change: "all",
    field: "any",
  } as const;

  it("reads what it wrote", () => {
    for (const written of [
      view,
      { ...view, provider: "openai", since: "week", change: "removed" },
      { ...view, provider: "openai", since: "date", date: "2026-03-01", change: "changed" },
      { ...view, change: "changed", field: "ssoBypass" },
      { ...view, since: "snapshot", snapshot: "12" },
    ] as const) {
      expect(parse(changesViewToSearch(written).slice(1))).toEqual(written);
    }
  });

  it("writes only what differs from the default", () => {
    expect(changesViewToSearch(view)).toBe("");
    expect(changesViewToSearch({ ...view, since: "day", date: "2026-03-01" })).toBe("?since=day");
    expect(changesViewToSearch({ ...view, change: "added" })).toBe("?change=added");
    // A field narrows changed users only: with another choice it is left out.
    expect(changesViewToSearch({ ...view, change: "added", field: "role" })).toBe("?change=added");
    expect(changesViewToSearch({ ...view, change: "changed", field: "role" })).toBe(
      "?change=changed&field=role",
    );
  });

  it("falls back to the default for values it does not know", () => {
    expect(parse("provider=slack&since=month&date=2026-03-01&change=moved&field=role")).toEqual(
      view,
    );
    expect(parse("change=changed&field=lastActiveAt").field).toBe("any");
    // A snapshot is an id, and only with "a snapshot…".
    expect(parse("since=snapshot&snapshot=0x12").snapshot).toBe("");
    expect(parse("since=snapshot&snapshot=-3").snapshot).toBe("");
    expect(parse("since=last&snapshot=12").snapshot).toBe("");
    expect(parse("since=date&date=10000-01-01").date).toBe("10000-01-01");
    expect(parse(`since=date&date=${"9".repeat(100)}`).date).toHaveLength(32);
  });
});
