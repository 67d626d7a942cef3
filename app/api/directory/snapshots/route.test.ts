import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { adminCookieHeader } from "@/testing/auth";
import { closeDb, useDbForTests } from "@/lib/db/client";
import { createTestDb } from "@/testing/db";
import { openaiUser, seedDirectory } from "@/testing/directory";
import type { SnapshotList } from "@/lib/directory/schema";
import { beginSync } from "@/lib/directory/sync";

import { GET } from "./route";

describe("GET /api/directory/snapshots", () => {
  let cookie: string;
  const ids: number[] = [];
  const get = async (query: string) => {
    const response = await GET(
      new Request(`http://roster.test/api/directory/snapshots?${query}`, { headers: { cookie } }),
    );
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    cookie = await adminCookieHeader();
    const handle = await createTestDb();
    useDbForTests(handle);
    for (let n = 1; n <= 5; n++) {
      const users = Array.from({ length: n }, (_, i) => openaiUser(`u${i}`));
      ids.push((await seedDirectory(handle.db, "openai", users)).snapshotId);
    }
    // Neither a running sync nor another vendor's snapshot is one to count from.
    await beginSync(handle.db, "openai", "test");
    await seedDirectory(handle.db, "telnyx", []);
  });
  afterAll(() => closeDb());

  it("lists the vendor's succeeded snapshots newest first, page by page, each once", async () => {
    const seen: SnapshotList["data"] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const reply = await get(`provider=openai&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(reply.status).toBe(200);
      const body = reply.body as unknown as SnapshotList;
      seen.push(...body.data);
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(seen.map((s) => [s.snapshotId, s.rows])).toEqual(
      [...ids].reverse().map((id, i) => [id, 5 - i]),
    );
    expect(seen.every((s) => /^\d{4}-\d\d-\d\dT/.test(s.finishedAt))).toBe(true);
  });

  it.each([
    ["no provider", "limit=2", /provider must be telnyx or openai/],
    ["a limit out of range", "provider=openai&limit=201", /limit must be an integer from 1 to 200/],
    ["a cursor that is no snapshot id", "provider=openai&cursor=abc", /cursor must be/],
    ["an unknown parameter", "provider=openai&since=1", /unknown parameter "since"/],
  ])("answers %s with 400 invalid_query naming it", async (_, query, message) => {
    const reply = await get(query);
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({
      code: "invalid_query",
      message: expect.stringMatching(message),
    });
  });
});
