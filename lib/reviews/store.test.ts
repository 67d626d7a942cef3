import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { verifyActivity } from "@/lib/activity/log";
import type { Db } from "@/lib/db/client";
import { activityLog, snapshots } from "@/lib/db/schema";
import { createTestDb, TEST_DB_KINDS, type TestDbHandle } from "@/testing/db";
import { openaiUser, seedDirectory } from "@/testing/directory";

import { closeReview, createReview, decide, decisionHistory, listItems } from "./store";

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

describe.each(TEST_DB_KINDS)("a review's log entries on %s", (kind) => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
    await seedDirectory(handle.db, "openai", [openaiUser("a"), openaiUser("b")]);
  });
  afterAll(() => handle.close());

  async function entry(entryKind: string) {
    const [row] = await handle.db
      .select()
      .from(activityLog)
      .where(eq(activityLog.kind, entryKind))
      .orderBy(desc(activityLog.seq))
      .limit(1);
    return row!;
  }

  it("carry the very times the review's rows do, on the database's clock", async () => {
    // On PostgreSQL the app server's clock, far behind, is not the one the entries take.
    // (PGlite reads its clock from this process's Date, so there the two clocks are one.)
    if (kind === "postgres") {
      vi.useFakeTimers({ now: new Date("2001-01-01T00:00:00.000Z"), toFake: ["Date"] });
    }
    try {
      const review = await createReview(handle.db, "ana@example.com", INPUT);
      expect((await entry("review.created")).at.toISOString()).toBe(review.createdAt);

      const items = (await listItems(handle.db, review.id, { limit: 10 })).data;
      const { decided } = await decide(
        handle.db,
        review.id,
        "bo@example.com",
        items.map((item) => ({ itemId: item.id, decision: "keep" as const })),
      );
      const decidedAt = (await entry("review.decided")).at.toISOString();
      expect(decided.map((item) => item.decidedAt)).toEqual(items.map(() => decidedAt));
      const history = await decisionHistory(handle.db, items[0]!.id);
      expect(history.map((row) => row.decidedAt.toISOString())).toEqual([decidedAt]);

      const closed = await closeReview(handle.db, review.id, "ana@example.com");
      const closedEntry = await entry("review.closed");
      expect(closedEntry.at.toISOString()).toBe(closed.closedAt);
      if (kind === "postgres") {
        expect(closedEntry.at.getUTCFullYear()).toBeGreaterThan(2001);
      }
    } finally {
      vi.useRealTimers();
    }
    expect((await verifyActivity(handle.db)).ok).toBe(true);
  });
});
