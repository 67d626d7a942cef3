import { describe, expect, it } from "vitest";

import { changesViewToSearch, parseChangesView } from "./use-changes-view";

const parse = (query: string) => parseChangesView(new URLSearchParams(query));

describe("the Changes view in the URL", () => {
  it("reads what it wrote", () => {
    for (const view of [
      { provider: "telnyx", since: "last", date: "" },
      { provider: "openai", since: "week", date: "" },
      { provider: "openai", since: "date", date: "2026-03-01" },
    ] as const) {
      expect(parse(changesViewToSearch(view).slice(1))).toEqual(view);
    }
  });

  it("writes only what differs from the default", () => {
    expect(changesViewToSearch({ provider: "telnyx", since: "last", date: "" })).toBe("");
    expect(changesViewToSearch({ provider: "telnyx", since: "day", date: "2026-03-01" })).toBe(
      "?since=day",
    );
  });

  it("falls back to the default for values it does not know", () => {
    expect(parse("provider=slack&since=month&date=2026-03-01")).toEqual({
      provider: "telnyx",
      since: "last",
      date: "",
    });
    expect(parse("since=date&date=10000-01-01").date).toBe("10000-01-01");
    expect(parse(`since=date&date=${"9".repeat(100)}`).date).toHaveLength(32);
  });
});
