import { parse } from "csv-parse/sync";
import type { SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type { Db } from "@/lib/db/client";
import { exportFailureCode } from "@/lib/export/failure";
import { createTestDb, type TestDbHandle } from "@/testing/db";
import { openaiUser, seedDirectory } from "@/testing/directory";
import { drainText, expectNoReadAfterAbort } from "@/testing/stream";

import { ensurePeople, rebuildPeople, type PeopleState } from "./build";
import { startPeopleCsvExport } from "./export";

const ids = Array.from({ length: 10 }, (_, i) => `u${String(i).padStart(2, "0")}`);
const everyone = { flags: [], vendors: [] };

/**
 * `db`, counting the reads of people (the only raw statements an export runs); `before` runs
 * ahead of read `n`, to land a rebuild or fail it there.
 */
function watched(db: Db, before?: (n: number) => Promise<void>) {
  const reads = { count: 0 };
  const proxy = new Proxy(db, {
    get(target, prop) {
      if (prop !== "execute") return Reflect.get(target, prop);
      return async (query: SQL) => {
        reads.count += 1;
        await before?.(reads.count);
        return await target.execute(query);
      };
    },
  });
  return { reads, db: proxy };
}

const keysOf = (body: string) =>
  (parse(body, { bom: true, columns: true }) as Record<string, string>[]).map((r) => r.key);
const beforeFailureLine = (body: string) =>
  body.slice(0, body.indexOf("\r\n#roster-export-failed"));

/** Everyone's export two people per chunk, with a signal nobody aborts. */
const exportInTwos = (db: Db, state: PeopleState) =>
  startPeopleCsvExport({
    db,
    filters: everyone,
    state,
    signal: new AbortController().signal,
    chunk: 2,
  });

describe("startPeopleCsvExport", () => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb();
    await seedDirectory(
      handle.db,
      "openai",
      ids.map((id) => openaiUser(id)),
    );
  });
  afterAll(() => handle.close());

  const expected = ids.map((id) => `${id}@example.com`);

  it("reads one chunk per read as the client takes them", async () => {
    const state = await ensurePeople(handle.db);
    const { reads, db } = watched(handle.db);
    const stream = await exportInTwos(db, state);
    // The first chunk is read before the response, so a failure there is a JSON error.
    expect(reads.count).toBe(1);
    const { body, error } = await drainText(stream);
    expect(error).toBeNull();
    expect(keysOf(body)).toEqual(expected);
    // Five full chunks, then the empty one that shows there is no more.
    expect(reads.count).toBe(6);
  });

  it("ends the download with list_changed, then errors it, when People are rebuilt midway", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const state = await ensurePeople(handle.db);
    // A rebuild (forced: same inputs, a new generation) lands before the third chunk is read.
    const { db } = watched(handle.db, async (n) => {
      if (n === 3) await rebuildPeople(handle.db, { force: true });
    });
    const stream = await exportInTwos(db, state);
    const { body, error } = await drainText(stream);
    expect(error).toMatchObject({ name: "AbortError" });
    expect(body.endsWith("\r\n#roster-export-failed:list_changed\r\n")).toBe(true);
    expect(exportFailureCode(body)).toBe("list_changed");
    // The rows read from the first build, none from the second.
    expect(keysOf(beforeFailureLine(body))).toEqual(expected.slice(0, 4));
  });

  it("ends the download with internal_error when the database fails midway", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const state = await ensurePeople(handle.db);
    const { db } = watched(handle.db, async (n) => {
      if (n === 2) throw new Error("connection reset");
    });
    const stream = await exportInTwos(db, state);
    const { body, error } = await drainText(stream);
    expect(error).toMatchObject({ name: "AbortError" });
    expect(exportFailureCode(body)).toBe("internal_error");
    expect(keysOf(beforeFailureLine(body))).toEqual(expected.slice(0, 2));
  });

  it("rejects before any byte when the first chunk fails", async () => {
    const state = await ensurePeople(handle.db);
    // Rebuilt between ensurePeople and the first chunk: 409 list_changed.
    await expect(
      startPeopleCsvExport({
        db: handle.db,
        filters: everyone,
        state: { ...state, generation: state.generation - 1 },
        signal: new AbortController().signal,
      }),
    ).rejects.toMatchObject({ code: "list_changed", status: 409 });
    // A database error stays as it is: the route answers its usual 500.
    const broken = new Error("connection reset");
    await expect(
      startPeopleCsvExport({
        db: watched(handle.db, () => Promise.reject(broken)).db,
        filters: everyone,
        state,
        signal: new AbortController().signal,
      }),
    ).rejects.toBe(broken);
  });

  it("reads no further chunk once the request's signal aborts", async () => {
    const state = await ensurePeople(handle.db);
    const { reads, db } = watched(handle.db);
    const client = new AbortController();
    const stream = await startPeopleCsvExport({
      db,
      filters: everyone,
      state,
      signal: client.signal,
      chunk: 2,
    });
    await expectNoReadAfterAbort(stream, client, reads);
  });
});
