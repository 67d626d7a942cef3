import { describe, expect, it } from "vitest";

import { ApiError } from "@/lib/api/errors";

import { exportLogEntry } from "./log";

const base = {
  admin: "admin@roster.test",
  provider: "openai" as const,
  filters: { status: "blocked" as const, email: "jane.doe@contoso.com", groups: true },
  columns: [{ id: "id" }, { id: "email" }],
  rows: 12,
  durationMs: 1234.56,
};

describe("exportLogEntry", () => {
  it("records who, what and how it ended, with only whether the email filter was set", () => {
    const entry = exportLogEntry({ ...base, outcome: "ok" });
    expect(entry).toEqual({
      event: "roster.export",
      admin: "admin@roster.test",
      provider: "openai",
      filters: { status: "blocked", email: true, groups: true },
      columns: ["id", "email"],
      rows: 12,
      durationMs: 1235,
      outcome: "ok",
    });
    expect(JSON.stringify(entry)).not.toContain("jane.doe");
  });

  it("adds the error code and the server-side detail of a failure, never its message or cause", () => {
    const error = new ApiError("upstream_unavailable", "OpenAI is not answering.", {
      detail: "openai 503 request=req_1",
      cause: new Error('503 {"error":{"message":"secret body"}}'),
    });
    const entry = exportLogEntry({ ...base, outcome: "failed", error });
    expect(entry).toMatchObject({
      error: "upstream_unavailable",
      detail: "openai 503 request=req_1",
    });
    expect(JSON.stringify(entry)).not.toMatch(/secret body|not answering/);

    const other = exportLogEntry({
      ...base,
      outcome: "failed",
      error: new TypeError("x is undefined"),
    });
    expect(other).toMatchObject({ error: "internal_error", detail: "unexpected TypeError" });
  });

  it("leaves error fields out of a cancelled export", () => {
    const entry = exportLogEntry({ ...base, outcome: "cancelled", error: new Error("aborted") });
    expect(entry).not.toHaveProperty("error");
    expect(entry).not.toHaveProperty("detail");
  });
});
