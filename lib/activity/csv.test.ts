import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type { Db } from "@/lib/db/client";
import { exportFailureCode } from "@/lib/export/failure";
import { createTestDb, type TestDbHandle } from "@/testing/db";
import { drainText, expectNoReadAfterAbort } from "@/testing/stream";

import { startActivityCsvExport } from "./csv";
import { recordActivity } from "./log";

/**
 * `db`, counting the reads of the log (each batch is one `select`); `before` runs ahead of
 * read `n`, to fail it there.
 */
function watched(db: Db, before?: (n: number) => void) {
  const reads = { count: 0 };
  const proxy = new Proxy(db, {
    get(target, prop) {
      if (prop !== "select") return Reflect.get(target, prop);
      return (...args: Parameters<Db["select"]>) => {
        reads.count += 1;
        before?.(reads.count);
        return target.select(...args);
      };
    },
  });
  return { reads, db: proxy };
}

const seqsOf = (body: string) =>
  (parse(body, { bom: true }) as string[][]).slice(1).map((row) => Number(row[0]));
const everything = {};
const expected = Array.from({ length: 10 }, (_, i) => i + 1);

describe("startActivityCsvExport", () => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb();
    for (let i = 0; i < 10; i++) {
      await recordActivity(handle.db, {
        kind: "auth.sign_out",
        admin: `a${i}@example.com`,
        details: {},
      });
    }
  });
  afterAll(() => handle.close());

  it("reads one batch per read as the client takes them", async () => {
    const { reads, db } = watched(handle.db);
    const stream = await startActivityCsvExport({
      db,
      query: everything,
      signal: new AbortController().signal,
      batchSize: 2,
    });
    // The first batch is read before the response, so a failure there is a JSON error.
    expect(reads.count).toBe(1);
    const { body, error } = await drainText(stream);
    expect(error).toBeNull();
    expect(seqsOf(body)).toEqual(expected);
    // Five full batches, then the empty one that shows there is no more.
    expect(reads.count).toBe(6);
  });

  it("ends the download with internal_error, then errors it, when the database fails midway", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { db } = watched(handle.db, (n) => {
      if (n === 3) throw new Error("connection reset");
    });
    const stream = await startActivityCsvExport({
      db,
      query: everything,
      signal: new AbortController().signal,
      batchSize: 2,
    });
    const { body, error } = await drainText(stream);
    expect(error).toMatchObject({ name: "AbortError" });
    expect(body.endsWith("\r\n#roster-export-failed:internal_error\r\n")).toBe(true);
    expect(exportFailureCode(body)).toBe("internal_error");
    expect(seqsOf(body.slice(0, body.indexOf("\r\n#roster-export-failed")))).toEqual(
      expected.slice(0, 4),
    );
  });

  it("rejects before any byte when the first batch fails", async () => {
    const broken = new Error("connection reset");
    await expect(
      startActivityCsvExport({
        db: watched(handle.db, () => {
          throw broken;
        }).db,
        query: everything,
        signal: new AbortController().signal,
      }),
    ).rejects.toBe(broken);
  });

  it("reads no further batch once the request's signal aborts", async () => {
    const { reads, db } = watched(handle.db);
    const client = new AbortController();
    const stream = await startActivityCsvExport({
      db,
      query: everything,
      signal: client.signal,
      batchSize: 2,
    });
    await expectNoReadAfterAbort(stream, client, reads);
  });
});
