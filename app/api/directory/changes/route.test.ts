import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { adminCookieHeader } from "@/testing/auth";
import { closeDb, useDbForTests, type Db } from "@/lib/db/client";
import { createTestDb } from "@/testing/db";
import { openaiUser, seedDirectory } from "@/testing/directory";
import type { ChangesPage } from "@/lib/directory/schema";

import { GET } from "./route";
import { GET as EXPORT } from "./export/route";

const user = openaiUser;

describe("GET /api/directory/changes", () => {
  let cookie: string;
  let db: Db;
  const get = async (handler: typeof GET, path: string) => {
    const response = await handler(
      new Request(`http://roster.test${path}`, { headers: { cookie } }),
    );
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    cookie = await adminCookieHeader();
    const handle = await createTestDb();
    useDbForTests(handle);
    db = handle.db;
    await seedDirectory(handle.db, "openai", [user("a"), user("b"), user("c")]);
    await seedDirectory(handle.db, "openai", [user("a", { role: "owner" }), user("c"), user("d")]);
  });
  afterAll(() => closeDb());

  it("pages through every change exactly once", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const reply = await get(
        GET,
        `/api/directory/changes?provider=openai&limit=1${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(reply.status).toBe(200);
      const body = reply.body as unknown as ChangesPage;
      seen.push(...body.data.map((change) => `${change.change}:${change.id}`));
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(["changed:a", "removed:b", "added:d"]);
  });

  it.each([
    ["an unknown parameter", "provider=openai&since=1", /unknown parameter "since"/],
    ["a repeated parameter", "provider=openai&from=1&from=2", /from must be given at most once/],
    ["an empty cursor", "provider=openai&cursor=", /cursor must be the nextCursor/],
    [
      "a day February does not have",
      "provider=openai&from=2026-02-30T10:00Z",
      /from must be a snapshot id or an ISO 8601 time/,
    ],
    [
      "year 0",
      "provider=openai&to=0000-01-01T00:00Z",
      /to must be a snapshot id or an ISO 8601 time/,
    ],
    ["an instant in year 10000", "provider=openai&to=9999-12-31T23:00-23:00", /to must be/],
    ["a limit out of range", "provider=openai&limit=501", /limit must be an integer from 1 to 500/],
    ["no provider", "from=1", /provider must be telnyx or openai/],
    [
      "an unknown change",
      "provider=openai&change=moved",
      /change must be one of added, removed, changed/,
    ],
    ["an unknown field", "provider=openai&field=lastActiveAt", /field must be one of email, name/],
    [
      "a field with added users",
      "provider=openai&change=added&field=role",
      /field lists changed users only: leave change out or make it changed, not added/,
    ],
  ])("answers %s with 400 invalid_query naming it", async (_, query, message) => {
    const reply = await get(GET, `/api/directory/changes?${query}`);
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({
      code: "invalid_query",
      message: expect.stringMatching(message),
    });
  });

  it("answers a number that names no snapshot with 404, saying a time is written in ISO 8601", async () => {
    // Epoch seconds, say: a number is a snapshot id, so the message says how to give a time.
    const reply = await get(GET, "/api/directory/changes?provider=openai&from=1767225600");
    expect(reply.status).toBe(404);
    expect(reply.body.error).toEqual({
      code: "not_found",
      message:
        "from: no succeeded snapshot 1767225600 of openai (a number is read as a snapshot id; give a time in ISO 8601, such as 2026-11-30T00:00:00Z)",
    });
  });

  it("answers a cursor whose user id holds a NUL with 400 invalid_cursor, not a 500", async () => {
    const first = (await get(GET, "/api/directory/changes?provider=openai&limit=1"))
      .body as unknown as ChangesPage;
    const payload = JSON.parse(Buffer.from(first.nextCursor!, "base64url").toString("utf8"));
    const forged = { ...payload, after: "a\u0000" };
    const cursor = Buffer.from(JSON.stringify(forged)).toString("base64url");
    const reply = await get(GET, `/api/directory/changes?provider=openai&cursor=${cursor}`);
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ code: "invalid_cursor" });
  });

  it("answers a cursor that is not one with 400 invalid_cursor", async () => {
    const reply = await get(GET, "/api/directory/changes?provider=openai&cursor=bm90LWEtY3Vyc29y");
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ code: "invalid_cursor" });
  });

  it.each([
    [
      "a parameter the export does not take",
      "provider=openai&limit=5",
      /unknown parameter "limit"/,
    ],
    [
      "a repeated provider",
      "provider=openai&provider=telnyx",
      /provider must be given at most once/,
    ],
    ["a time out of range", "provider=openai&from=9999-12-31T23:00-23:00", /from must be/],
    ["a repeated change", "provider=openai&change=added&change=removed", /change must be given/],
  ])("refuses an export with %s", async (_, query, message) => {
    const reply = await get(EXPORT, `/api/directory/changes/export?${query}`);
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({
      code: "invalid_query",
      message: expect.stringMatching(message),
    });
  });

  // Last: it adds a snapshot. The page asks without `to`, so "the current snapshot" moves on
  // when a sync finishes between two pages; the cursor keeps the range the list began with.
  it("keeps paging through the same snapshots when a sync finishes between pages", async () => {
    const first = (await get(GET, "/api/directory/changes?provider=openai&limit=1"))
      .body as unknown as ChangesPage;
    expect(first.data.map((change) => change.id)).toEqual(["a"]);
    await seedDirectory(db, "openai", [user("c"), user("e")]);
    const seen = [...first.data.map((change) => `${change.change}:${change.id}`)];
    let cursor = first.nextCursor;
    while (cursor) {
      const reply = await get(GET, `/api/directory/changes?provider=openai&cursor=${cursor}`);
      expect(reply.status).toBe(200);
      const page = reply.body as unknown as ChangesPage;
      expect([page.from, page.to]).toEqual([first.from, first.to]);
      seen.push(...page.data.map((change) => `${change.change}:${change.id}`));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(["changed:a", "removed:b", "added:d"]);

    const other = await get(
      GET,
      `/api/directory/changes?provider=telnyx&cursor=${first.nextCursor}`,
    );
    expect(other.status).toBe(400);
    expect(other.body.error).toMatchObject({ code: "invalid_cursor" });
    const range = `from=${first.from!.snapshotId}&to=${first.to.snapshotId + 1}`;
    const moved = await get(
      GET,
      `/api/directory/changes?provider=openai&${range}&cursor=${first.nextCursor}`,
    );
    expect(moved.status).toBe(400);
    expect(moved.body.error).toMatchObject({ code: "invalid_cursor" });
  });

  it("keeps paging a range whose `to` is a time when a sync finishes between pages", async () => {
    // A script asking up to a time still to come (the end of today): the next page resolved the
    // time again, found the new sync and answered 400 invalid_cursor.
    const query = "provider=openai&to=2099-01-01T00:00:00Z&limit=1";
    const first = (await get(GET, `/api/directory/changes?${query}`))
      .body as unknown as ChangesPage;
    await seedDirectory(db, "openai", [user("c"), user("f")]);
    const seen = [...first.data.map((change) => `${change.change}:${change.id}`)];
    let cursor = first.nextCursor;
    while (cursor) {
      const reply = await get(GET, `/api/directory/changes?${query}&cursor=${cursor}`);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      const page = reply.body as unknown as ChangesPage;
      expect([page.from, page.to]).toEqual([first.from, first.to]);
      seen.push(...page.data.map((change) => `${change.change}:${change.id}`));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(["removed:a", "removed:d", "added:e"]);
  });
});
