import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Db } from "@/lib/db/client";
import { snapshots } from "@/lib/db/schema";
import { createTestDb, type TestDbHandle } from "@/testing/db";
import { openaiUser, seedDirectory } from "@/testing/directory";

import { createReview } from "./store";

const INPUT = { name: "clock", dueDate: "2026-12-31", scope: { providers: ["openai" as const] } };

/** `db`, but `before` runs (and is waited for) each time a transaction is asked for, before it begins. */
function beforeTransaction(db: Db, before: () => Promise<unknown>): Db {
  return new Proxy(db, {
    get(target, prop) {
      if (prop !== "transaction") return Reflect.get(target, prop);
      return async (run: (tx: Db) => Promise<unknown>) => {
        await before();
        return target.transaction(run);
      };
    },
  });
}

describe("createReview's date", () => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb("pglite");
    await seedDirectory(handle.db, "openai", [openaiUser("a")]);
  });
  afterAll(() => handle.close());

  it("is never before the snapshot it freezes, even one published while the request waited", async () => {
    let landed: number | null = null;
    const db = beforeTransaction(handle.db, async () => {
      // A later millisecond than the request's arrival, then a sync publishes.
      await new Promise((resolve) => setTimeout(resolve, 5));
      landed = (await seedDirectory(handle.db, "openai", [openaiUser("a"), openaiUser("b")]))
        .snapshotId;
    });
    const review = await createReview(db, "ana@example.com", INPUT);
    const [frozen] = review.snapshots;
    expect(frozen?.snapshotId).toBe(landed);
    expect(review.counts.total).toBe(2);
    expect(Date.parse(review.createdAt)).toBeGreaterThanOrEqual(Date.parse(frozen!.finishedAt!));
  });

  it("is never before the snapshot it freezes when the sync's server clock ran ahead", async () => {
    const [latest] = await handle.db
      .select({ id: snapshots.id })
      .from(snapshots)
      .orderBy(desc(snapshots.id))
      .limit(1);
    const ahead = new Date(Date.now() + 60_000);
    await handle.db
      .update(snapshots)
      .set({ finishedAt: ahead })
      .where(eq(snapshots.id, latest!.id));
    const review = await createReview(handle.db, "ana@example.com", INPUT);
    expect(review.snapshots[0]?.finishedAt).toBe(ahead.toISOString());
    expect(review.createdAt).toBe(ahead.toISOString());
  });
});
