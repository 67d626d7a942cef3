import { describe, expect, it } from "vitest";

import { parseUsersFilters } from "./contract";
import { dashboardViewToSearch, parseDashboardView, type DashboardView } from "./view-state";

const BOTH = { telnyx: true, openai: true };

function parse(search: string) {
  return parseDashboardView(new URLSearchParams(search), BOTH);
}

describe("the dashboard URL and the API share one filters codec", () => {
  const view: DashboardView = {
    provider: "openai",
    filters: { status: "blocked", email: "ann", groups: true },
    source: "directory",
  };

  it("writes the filters as the API reads them, and reads back the same view", () => {
    const search = dashboardViewToSearch(view);
    expect(search).toBe("?provider=openai&status=blocked&email=ann&groups=true&source=directory");
    expect(parse(search)).toEqual(view);
    const strict = new URLSearchParams(search);
    strict.delete("provider");
    strict.delete("source");
    expect(parseUsersFilters(strict)).toEqual({ ok: true, value: view.filters });
  });

  it("leaves out what is off or empty", () => {
    expect(
      dashboardViewToSearch({ provider: "telnyx", filters: { groups: false }, source: null }),
    ).toBe("?provider=telnyx");
  });

  it("reads older links and hand-edited ones leniently where the API refuses", () => {
    expect(parse("groups=1").filters.groups).toBe(true);
    expect(parseUsersFilters(new URLSearchParams("groups=1")).ok).toBe(false);
    expect(parse("provider=myspace&status=banana&groups=maybe&email=%20")).toEqual({
      provider: "telnyx",
      filters: { groups: false },
      source: null,
    });
    expect(parse(`email=${"a".repeat(300)}`).filters.email).toHaveLength(254);
  });

  it("falls back to the first configured vendor", () => {
    expect(
      parseDashboardView(new URLSearchParams(""), { telnyx: false, openai: true }).provider,
    ).toBe("openai");
  });
});
