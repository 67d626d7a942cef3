import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { rosterRows, rosterUploads } from "@/lib/db/schema";
import { createTestDb, tableHeapBytes, TEST_DB_KINDS, type TestDbHandle } from "@/testing/db";

import { rosterInForce, removeRoster, saveRoster } from "./roster";
import { parseRosterCsv } from "./roster-csv";

function rows(email: string) {
  const parsed = parseRosterCsv(`email\n${email}\n`);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.rows;
}

describe.each(TEST_DB_KINDS)("rosters uploaded at the same moment, on %s", (kind) => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
  });
  afterAll(() => handle.close());

  it("take turns: each one in force after the one before, the last one left active", async () => {
    await saveRoster(handle.db, rows("zero@acme.com"), { uploadedBy: "hr@acme.com", sha256: "0" });
    const saved = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        saveRoster(handle.db, rows(`p${n}@acme.com`), {
          uploadedBy: "hr@acme.com",
          sha256: String(n),
        }),
      ),
    );
    expect(saved).toHaveLength(5);
    const active = await handle.db
      .select({ id: rosterUploads.id })
      .from(rosterUploads)
      .where(eq(rosterUploads.state, "active"));
    expect(active).toHaveLength(1);
    // The one in force is the last to commit, and only its rows are kept.
    const last = Math.max(...saved.map((upload) => upload.id));
    expect(active[0]?.id).toBe(last);
    expect((await rosterInForce(handle.db))?.id).toBe(last);
    const kept = await handle.db.select({ upload: rosterRows.uploadId }).from(rosterRows);
    expect(kept).toEqual([{ upload: last }]);

    const removed = await Promise.all([
      removeRoster(handle.db, "hr@acme.com"),
      removeRoster(handle.db, "hr@acme.com"),
    ]);
    expect(removed.filter((upload) => upload !== null)).toHaveLength(1);
    expect(await rosterInForce(handle.db)).toBeNull();
  });
});

describe("the roster's space on PGlite, which runs no autovacuum", () => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb("pglite");
  });
  afterAll(() => handle.close());

  const heapBytes = () => tableHeapBytes(handle.db, "roster_rows");

  it("is given back when a roster is replaced or removed", async () => {
    const csv = ["email,name", ...Array.from({ length: 2000 }, (_, i) => `p${i}@acme.com,P ${i}`)];
    const parsed = parseRosterCsv(csv.join("\n"));
    if (!parsed.ok) throw new Error(parsed.message);
    const meta = { uploadedBy: "hr@acme.com", sha256: "x" };
    await saveRoster(handle.db, parsed.rows, meta);
    const one = await heapBytes();
    for (let upload = 0; upload < 5; upload++) await saveRoster(handle.db, parsed.rows, meta);
    // New rows go where the last vacuum found room: at most the replaced roster's and the new one's.
    // Without the vacuums: six rosters' worth.
    expect(await heapBytes()).toBeLessThanOrEqual(one * 2);
    await removeRoster(handle.db, "hr@acme.com");
    await saveRoster(handle.db, parsed.rows, meta);
    expect(await heapBytes()).toBeLessThanOrEqual(one * 2);
  });
});
