import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { ApiError } from "@/lib/api/errors";
import type { Db } from "@/lib/db/client";
import { exportFailureCode } from "@/lib/export/failure";
import { createTestDb, type TestDbHandle } from "@/testing/db";
import { openaiUser, seedDirectory } from "@/testing/directory";
import { drainText } from "@/testing/stream";

import { listChanges } from "./changes";
import { startChangesCsvExport } from "./changes-csv";

const ids = Array.from({ length: 10 }, (_, i) => `u${String(i).padStart(2, "0")}`);
const decoder = () => new TextDecoder("utf-8", { ignoreBOM: true });

/** `listChanges`, counting its calls. */
function watchedReads(fail?: { at: number; error: Error }) {
  const calls = { count: 0 };
  const readPage: typeof listChanges = async (db, query) => {
    calls.count += 1;
    if (calls.count === fail?.at) throw fail.error;
    return await listChanges(db, query);
  };
  return { calls, readPage };
}

const rowsOf = (body: string) => (parse(body, { bom: true }) as string[][]).slice(1);

describe("startChangesCsvExport", () => {
  let handle: TestDbHandle;
  let db: Db;
  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db;
    await seedDirectory(
      db,
      "openai",
      ids.map((id) => openaiUser(id)),
    );
    // Ten changed users: ten lines, five pages of two.
    await seedDirectory(
      db,
      "openai",
      ids.map((id) => openaiUser(id, { role: "owner" })),
    );
  });
  afterAll(() => handle.close());

  const query = { provider: "openai" as const };
  const expected = ids.map((id) => [
    "changed",
    id,
    `${id}@example.com`,
    "",
    "role",
    "reader",
    "owner",
  ]);

  it("reads the changes one page per read as the client takes them, each exactly once", async () => {
    const { calls, readPage } = watchedReads();
    const exported = await startChangesCsvExport({
      db,
      query,
      signal: new AbortController().signal,
      pageSize: 2,
      readPage,
    });
    // The first page is read before the response, so a bad range is a JSON error.
    expect(calls.count).toBe(1);
    const reader = exported.stream.getReader();
    const first = decoder().decode((await reader.read()).value);
    expect(rowsOf(first)).toEqual(expected.slice(0, 2));
    // One page waiting for the client at most, not the whole range.
    expect(calls.count).toBeLessThanOrEqual(2);
    reader.releaseLock();
    const rest = await drainText(exported.stream);
    expect(rest.error).toBeNull();
    expect(rowsOf(first + rest.body)).toEqual(expected);
    // Five full pages, then the empty one that shows there is no more.
    expect(calls.count).toBe(6);
  });

  it("reads no further page once the request's signal aborts", async () => {
    const { calls, readPage } = watchedReads();
    const client = new AbortController();
    const exported = await startChangesCsvExport({
      db,
      query,
      signal: client.signal,
      pageSize: 2,
      readPage,
    });
    const reader = exported.stream.getReader();
    await reader.read();
    // Let the read-ahead of the next page settle before the client goes away.
    await vi.waitFor(() => expect(calls.count).toBe(2));
    client.abort();
    const after = calls.count;
    reader.releaseLock();
    const rest = await drainText(exported.stream);
    expect(rest.error).not.toBeNull();
    expect(calls.count).toBe(after);
  });

  it("reads every page from the snapshots of the first, also when a sync finishes midway", async () => {
    const whole = await startChangesCsvExport({
      db,
      query,
      signal: new AbortController().signal,
      pageSize: 2,
    });
    const reader = whole.stream.getReader();
    const first = decoder().decode((await reader.read()).value);
    // A later sync: "the latest snapshot" now means another range, removing u00 to u04.
    await seedDirectory(
      db,
      "openai",
      ids.slice(5).map((id) => openaiUser(id)),
    );
    reader.releaseLock();
    const rest = await drainText(whole.stream);
    expect(rowsOf(first + rest.body)).toEqual(expected);
    expect(whole.range.to.snapshotId).toBe(2);
  });

  it.each([
    ["an API error", new ApiError("directory_empty", "gone"), "directory_empty"],
    ["a database error", new Error("connection reset"), "internal_error"],
  ])(
    "ends a download that fails midway with %s with the failure line, then errors it",
    async (_name, error, code) => {
      vi.spyOn(console, "error").mockImplementation(() => undefined);
      const { readPage } = watchedReads({ at: 3, error });
      const exported = await startChangesCsvExport({
        db,
        query: { provider: "openai", from: "1", to: "2" },
        signal: new AbortController().signal,
        pageSize: 2,
        readPage,
      });
      const { body, error: ended } = await drainText(exported.stream);
      expect(ended).toMatchObject({ name: "AbortError" });
      expect(exportFailureCode(body)).toBe(code);
      expect(rowsOf(body.slice(0, body.indexOf("\r\n#roster-export-failed")))).toEqual(
        expected.slice(0, 4),
      );
    },
  );

  it("rejects before any byte when the first page fails", async () => {
    await expect(
      startChangesCsvExport({
        db,
        query: { provider: "telnyx" },
        signal: new AbortController().signal,
      }),
    ).rejects.toMatchObject({ code: "directory_empty" });
    // A database error there stays as it is: the route answers its usual 500, or 499 for a
    // client that went away.
    const broken = new Error("connection reset");
    await expect(
      startChangesCsvExport({
        db,
        query,
        signal: new AbortController().signal,
        readPage: watchedReads({ at: 1, error: broken }).readPage,
      }),
    ).rejects.toBe(broken);
  });
});
