import { describe, expect, it } from "vitest";

import { changesViewToSearch, parseChangesView } from "./use-changes-view";

const parse = (query: string) => parseChangesView(new URLSearchParams(query));

describe("the Changes view in the URL", () => {
  it("reads what it wrote", () => {
    for (const view of [
      { provider: "telnyx", since: "last", date: "", change: "all" },
      { provider: "openai", since: "week", date: "", change: "removed" },
      { provider: "openai", since: "date", date: "2026-03-01", change: "changed" },
    ] as const) {
      expect(parse(changesViewToSearch(view).slice(1))).toEqual(view);
    }
  });

  it("writes only what differs from the default", () => {
    expect(
      changesViewToSearch({ provider: "telnyx", since: "last", date: "", change: "all" }),
    ).toBe("");
    expect(
      changesViewToSearch({ provider: "telnyx", since: "day", date: "2026-03-01", change: "all" }),
    ).toBe("?since=day");
    expect(
      changesViewToSearch({ provider: "telnyx", since: "last", date: "", change: "added" }),
    ).toBe("?change=added");
  });

  it("falls back to the default for values it does not know", () => {
    expect(parse("provider=slack&since=month&date=2026-03-01&change=moved")).toEqual({
      provider: "telnyx",
      since: "last",
      date: "",
      change: "all",
    });
    expect(parse("since=date&date=10000-01-01").date).toBe("10000-01-01");
    expect(parse(`since=date&date=${"9".repeat(100)}`).date).toHaveLength(32);
  });
});
