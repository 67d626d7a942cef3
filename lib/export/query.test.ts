import { describe, expect, it } from "vitest";

import { exportColumnIds } from "./columns";
import { exportPath, parseExportQuery } from "./query";

const q = (s: string) => new URLSearchParams(s);

describe("parseExportQuery", () => {
  it("exports every column but groups by default, and groups with groups=true", () => {
    const plain = parseExportQuery("telnyx", q(""));
    expect(plain.ok && plain.value.columns.map((c) => c.id)).toEqual(
      exportColumnIds("telnyx").filter((id) => id !== "groups"),
    );
    expect(plain.ok && plain.value.filters.groups).toBe(false);

    const grouped = parseExportQuery("openai", q("groups=true&status=blocked"));
    expect(grouped.ok && grouped.value.columns.map((c) => c.id)).toEqual(exportColumnIds("openai"));
    expect(grouped.ok && grouped.value.filters).toEqual({ status: "blocked", groups: true });
  });

  it("picks columns in the given order and fetches groups when the groups column is named", () => {
    const result = parseExportQuery("openai", q("columns=projects,email, id"));
    expect(result.ok && result.value.columns.map((c) => c.id)).toEqual(["projects", "email", "id"]);
    expect(result.ok && result.value.filters.groups).toBe(true);

    const noGroups = parseExportQuery("telnyx", q("groups=true&columns=id,email"));
    expect(noGroups.ok && noGroups.value.filters.groups).toBe(false);
  });

  it("rejects an unknown column, naming it and the valid ids", () => {
    const result = parseExportQuery("telnyx", q("columns=id,projects"));
    expect(result).toMatchObject({ ok: false, param: "columns" });
    expect(!result.ok && result.message).toContain('"projects"');
    expect(!result.ok && result.message).toContain(exportColumnIds("telnyx").join(", "));
  });

  it.each([
    ["columns=", "columns"],
    ["columns=id,,email", "columns"],
    ["columns=id,id", "columns"],
    ["columns=id&columns=email", "columns"],
    ["status=gone", "status"],
    ["email=", "email"],
    ["groups=yes", "groups"],
    ["limit=10", "limit"],
    ["cursor=abc", "cursor"],
  ])("rejects %s naming %s", (query, param) => {
    const result = parseExportQuery("openai", q(query));
    expect(result).toMatchObject({ ok: false, param });
    expect(!result.ok && result.message.length).toBeGreaterThan(10);
  });
});

describe("exportPath", () => {
  it("builds a URL the parser reads back to the same view", () => {
    const path = exportPath("telnyx", { status: "disabled", email: "a&b@x.com", groups: true }, [
      "id",
      "groups",
    ]);
    const url = new URL(path, "http://localhost");
    expect(url.pathname).toBe("/api/telnyx/users/export");
    const parsed = parseExportQuery("telnyx", url.searchParams);
    expect(parsed.ok && parsed.value.filters).toEqual({
      status: "disabled",
      email: "a&b@x.com",
      groups: true,
    });
    expect(parsed.ok && parsed.value.columns.map((c) => c.id)).toEqual(["id", "groups"]);
  });

  it("has no query string for the unfiltered view", () => {
    expect(exportPath("openai", { groups: false })).toBe("/api/openai/users/export");
  });
});
