import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { adminCookieHeader } from "@/testing/auth";
import { closeDb, useDbForTests } from "@/lib/db/client";
import { createTestDb } from "@/testing/db";
import { openaiUser, seedDirectory } from "@/testing/directory";

import { GET } from "./route";

const user = openaiUser;

describe("GET /api/directory/changes/export", () => {
  let cookie: string;
  beforeAll(async () => {
    cookie = await adminCookieHeader();
    const handle = await createTestDb();
    useDbForTests(handle);
    await seedDirectory(handle.db, "openai", [user("a"), user("b"), user("c")]);
    await seedDirectory(handle.db, "openai", [
      user("a", { status: "blocked", name: "=HYPERLINK(1)" }),
      user("c"),
      user("d"),
    ]);
  });
  afterAll(() => closeDb());

  it("writes one line per changed field, added and removed users, with the formula guard", async () => {
    const response = await GET(
      new Request("http://roster.test/api/directory/changes/export?provider=openai", {
        headers: { cookie },
      }),
    );
    expect(response.status).toBe(200);
    const rows = parse(await response.text(), { bom: true }) as string[][];
    expect(rows[0]).toEqual(["change", "id", "email", "name", "field", "old", "new"]);
    expect(rows.slice(1)).toEqual([
      ["changed", "a", "a@example.com", "'=HYPERLINK(1)", "name", "", "'=HYPERLINK(1)"],
      ["changed", "a", "a@example.com", "'=HYPERLINK(1)", "status", "enabled", "blocked"],
      ["removed", "b", "b@example.com", "", "", "", ""],
      ["added", "d", "d@example.com", "", "", "", ""],
    ]);
  });

  it("answers 401 without a session and 400 for a bad provider", async () => {
    const anonymous = await GET(new Request("http://roster.test/api/directory/changes/export"));
    expect(anonymous.status).toBe(401);
    const bad = await GET(
      new Request("http://roster.test/api/directory/changes/export?provider=x", {
        headers: { cookie },
      }),
    );
    expect(bad.status).toBe(400);
  });
});
