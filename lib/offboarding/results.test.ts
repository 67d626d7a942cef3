import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";

import { cellState, mergeRetry, resultsCsv, retryRequest } from "./results";
import { summarize, type CheckResponse } from "./schema";

const enabled = { status: "enabled", role: "member", id: "t1", lastActiveAt: null } as const;
const blocked = {
  status: "blocked",
  role: "owner",
  id: "o1",
  lastActiveAt: "2025-01-02T03:04:05.000Z",
} as const;

const first: CheckResponse = {
  checkedAt: "2025-01-01T00:00:00.000Z",
  checked: ["telnyx", "openai"],
  results: [
    { email: "ana@x.com", telnyx: enabled, openai: null },
    { email: "=bo@x.com", telnyx: null, openai: blocked },
    { email: "cy@x.com", telnyx: null, openai: null },
  ],
  invalid: [],
  duplicates: [],
  failed: [
    { email: "ana@x.com", provider: "openai", code: "upstream_unavailable" },
    { email: "cy@x.com", provider: "telnyx", code: "upstream_unavailable" },
    { email: "cy@x.com", provider: "openai", code: "upstream_unavailable" },
  ],
};

describe("cellState", () => {
  it("never calls a failed lookup not found", () => {
    const [ana, bo, cy] = first.results;
    if (!ana || !bo || !cy) throw new Error("fixture");
    expect(cellState(first, ana, "telnyx")).toBe("enabled");
    expect(cellState(first, ana, "openai")).toBe("not_checked");
    expect(cellState(first, bo, "telnyx")).toBe("not_found");
    expect(cellState(first, bo, "openai")).toBe("blocked");
    expect(
      cellState(
        {
          ...first,
          failed: [{ email: "=BO@x.com", provider: "telnyx", code: "provider_not_configured" }],
        },
        bo,
        "telnyx",
      ),
    ).toBe("not_configured");
  });
});

describe("retry", () => {
  it("asks again for the failed addresses and vendors alone, never for unconfigured vendors", () => {
    expect(retryRequest(first)).toEqual({
      emails: ["ana@x.com", "cy@x.com"],
      providers: ["telnyx", "openai"],
    });
    expect(
      retryRequest({
        ...first,
        failed: [{ email: "a@x.com", provider: "openai", code: "provider_not_configured" }],
      }),
    ).toBeNull();
  });

  it("replaces the retried cells and keeps what failed again", () => {
    const retry: CheckResponse = {
      checkedAt: "2025-01-01T00:01:00.000Z",
      checked: ["telnyx", "openai"],
      results: [
        { email: "ana@x.com", telnyx: enabled, openai: blocked },
        { email: "cy@x.com", telnyx: null, openai: null },
      ],
      invalid: [],
      duplicates: [],
      failed: [{ email: "cy@x.com", provider: "openai", code: "upstream_timeout" }],
    };
    const merged = mergeRetry(first, retry);
    expect(merged.results).toEqual([
      { email: "ana@x.com", telnyx: enabled, openai: blocked },
      first.results[1],
      { email: "cy@x.com", telnyx: null, openai: null },
    ]);
    expect(merged.failed).toEqual([
      { email: "cy@x.com", provider: "openai", code: "upstream_timeout" },
    ]);
    expect(summarize(merged)).toEqual({
      addresses: 3,
      stillWithAccess: 1,
      byProvider: { telnyx: 1, openai: 0 },
      notChecked: 1,
    });
  });
});

describe("resultsCsv", () => {
  it("writes every address once with each vendor's state, formula-guarded", () => {
    const text = resultsCsv(first);
    expect(text.startsWith("\uFEFF")).toBe(true);
    const rows = parse(text.slice(1), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.email)).toEqual(["ana@x.com", "'=bo@x.com", "cy@x.com"]);
    expect(rows[0]).toMatchObject({
      telnyx_status: "enabled",
      telnyx_id: "t1",
      openai_status: "not_checked",
      openai_id: "",
    });
    expect(rows[1]).toMatchObject({
      telnyx_status: "not_found",
      openai_status: "blocked",
      openai_role: "owner",
      openai_last_active: "2025-01-02T03:04:05.000Z",
    });
  });
});
