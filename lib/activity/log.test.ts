import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type { Db } from "@/lib/db/client";
import { databaseNow } from "@/lib/db/clock";
import { activityChain, activityLog } from "@/lib/db/schema";
import { createTestDb, tableHeapBytes, TEST_DB_KINDS, type TestDbHandle } from "@/testing/db";

import { entryHash, GENESIS_HASH } from "./chain";
import { listActivity, pruneActivity, recordActivity, verifyActivity } from "./log";

const signIn = (admin: string) =>
  ({
    kind: "auth.sign_in",
    admin,
    details: { method: "credentials", outcome: "success" },
  }) as const;

/** Resolves once the clock has moved past `t`, so entries on either side have distinct times. */
async function clockPast(t: number): Promise<void> {
  while (Date.now() <= t) await new Promise((resolve) => setImmediate(resolve));
}

/** Retention with nothing kept: every entry so far is older than now, once the clock moved on. */
async function pruneEverything(db: Db) {
  const [last] = await db
    .select()
    .from(activityLog)
    .orderBy(sql`seq desc`)
    .limit(1);
  await clockPast(last!.at.getTime());
  return pruneActivity(db, { retentionDays: 0, now: new Date() });
}

describe.each(TEST_DB_KINDS)("activity log on %s", (kind) => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
  });
  afterAll(async () => {
    await handle.close();
  });

  async function reset() {
    await handle.db.delete(activityLog);
    await handle.db.delete(activityChain);
  }

  it("chains each entry to the one before, from the genesis hash", async () => {
    await reset();
    const a = await recordActivity(handle.db, signIn("ana@example.com"));
    const b = await recordActivity(handle.db, {
      kind: "auth.sign_out",
      admin: "ana@example.com",
      details: {},
    });
    const rows = await handle.db.select().from(activityLog).orderBy(activityLog.seq);
    expect(rows.map((r) => r.seq)).toEqual([a.seq, b.seq]);
    expect([a.seq, b.seq]).toEqual([1, 2]);
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
    expect(rows.map((r) => entryHash(r))).toEqual(rows.map((r) => r.hash));
    expect(await verifyActivity(handle.db)).toMatchObject({
      ok: true,
      checked: 2,
      firstBroken: null,
    });
  });

  // PGlite runs in this process and reads its clock from JavaScript's Date: faking the app's clock
  // moves the database's too. On PostgreSQL they are two clocks, and the entry takes the server's.
  it.skipIf(kind === "pglite")(
    "dates an entry on the database's clock, not the app server's",
    async () => {
      await reset();
      const before = await databaseNow(handle.db);
      // This server's clock is a quarter-century behind: the entry does not take its time.
      vi.useFakeTimers({ now: new Date("2001-01-01T00:00:00.000Z"), toFake: ["Date"] });
      let appended;
      try {
        appended = await recordActivity(handle.db, signIn("ana@example.com"));
      } finally {
        vi.useRealTimers();
      }
      const after = await databaseNow(handle.db);
      const [row] = await handle.db.select().from(activityLog);
      expect(row!.at.getTime()).toBe(appended.at.getTime());
      expect(row!.at.getTime()).toBeGreaterThanOrEqual(before.getTime());
      expect(row!.at.getTime()).toBeLessThanOrEqual(after.getTime());
      expect(entryHash(row!)).toBe(row!.hash);
      expect((await verifyActivity(handle.db)).ok).toBe(true);
    },
  );

  it("takes the time it is given, read earlier in the same transaction", async () => {
    await reset();
    const at = await handle.db.transaction(async (tx) => {
      const now = await databaseNow(tx);
      await recordActivity(tx, signIn("ana@example.com"), { at: now });
      return now;
    });
    const [row] = await handle.db.select().from(activityLog);
    expect(row!.at.toISOString()).toBe(at.toISOString());
    expect((await verifyActivity(handle.db)).ok).toBe(true);
  });

  it("refuses details that do not match the kind's schema", async () => {
    await expect(
      recordActivity(handle.db, {
        kind: "auth.sign_in",
        admin: "x@example.com",
        details: { method: "password" } as never,
      }),
    ).rejects.toThrow(/auth.sign_in/);
  });

  it("names the first entry edited in the database", async () => {
    await reset();
    for (let i = 0; i < 5; i++) await recordActivity(handle.db, signIn(`a${i}@example.com`));
    await handle.db.execute(
      sql`update activity_log set details = jsonb_set(details, '{outcome}', '"failure"') where seq = 3`,
    );
    const result = await verifyActivity(handle.db);
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toMatchObject({ seq: 3, reason: "hash_mismatch" });
    expect(result.checked).toBe(2);
  });

  it("catches an edit whose hash was recomputed, at the next entry", async () => {
    await reset();
    for (let i = 0; i < 4; i++) await recordActivity(handle.db, signIn(`b${i}@example.com`));
    const [row] = await handle.db
      .select()
      .from(activityLog)
      .where(sql`seq = 2`);
    const forged = { ...row!, admin: "mallory@example.com" };
    await handle.db
      .update(activityLog)
      .set({ admin: forged.admin, hash: entryHash(forged) })
      .where(sql`seq = 2`);
    expect((await verifyActivity(handle.db)).firstBroken).toMatchObject({
      seq: 3,
      reason: "prev_mismatch",
    });
  });

  it("notices a deleted entry, in the middle or at the end", async () => {
    await reset();
    for (let i = 0; i < 4; i++) await recordActivity(handle.db, signIn(`c${i}@example.com`));
    await handle.db.delete(activityLog).where(sql`seq = 4`);
    expect((await verifyActivity(handle.db)).firstBroken).toMatchObject({
      seq: 4,
      reason: "missing_entry",
    });
    await handle.db.delete(activityLog).where(sql`seq = 2`);
    expect((await verifyActivity(handle.db)).firstBroken).toMatchObject({
      seq: 2,
      reason: "missing_entry",
    });
  });

  it("notices the oldest entries deleted and the anchor moved after them, which no pruning named", async () => {
    await reset();
    for (let i = 0; i < 4; i++) await recordActivity(handle.db, signIn(`d${i}@example.com`));
    const [second] = await handle.db
      .select()
      .from(activityLog)
      .where(sql`seq = 2`);
    // What retention does, without its activity.pruned entry: the rest still chains from entry 2.
    await handle.db.delete(activityLog).where(sql`seq <= 2`);
    await handle.db.update(activityChain).set({ anchorSeq: 2, anchorHash: second!.hash });
    expect(await verifyActivity(handle.db)).toMatchObject({
      ok: false,
      checked: 2,
      firstBroken: { seq: 2, reason: "anchor_unexplained" },
    });
  });

  it("verifies after retention moved the anchor twice, each move named by its activity.pruned entry", async () => {
    await reset();
    const moves: number[] = [];
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 2; i++)
        await recordActivity(handle.db, signIn(`r${round}${i}@example.com`));
      const pruned = await pruneEverything(handle.db);
      moves.push(pruned.throughSeq!);
    }
    // The first prune took entries 1-2, the second its own entry 3 and entries 4-5.
    expect(moves).toEqual([2, 5]);
    expect(await verifyActivity(handle.db)).toMatchObject({
      ok: true,
      checked: 1,
      anchor: { seq: 5 },
    });
  });

  it("keeps one unbroken chain under concurrent appends", async () => {
    await reset();
    const n = 24;
    const appended = await Promise.all(
      Array.from({ length: n }, (_, i) => recordActivity(handle.db, signIn(`d${i}@example.com`))),
    );
    expect(appended.map((e) => e.seq).sort((x, y) => x - y)).toEqual(
      Array.from({ length: n }, (_, i) => i + 1),
    );
    expect(await verifyActivity(handle.db)).toMatchObject({ ok: true, checked: n });
  });

  it("prunes old entries and still verifies from the anchor", async () => {
    await reset();
    for (let i = 0; i < 3; i++) await recordActivity(handle.db, signIn(`old${i}@example.com`));
    const [lastOld] = await handle.db
      .select()
      .from(activityLog)
      .where(sql`seq = 3`);
    await clockPast(lastOld!.at.getTime());
    const boundary = Date.now();
    for (let i = 0; i < 2; i++) await recordActivity(handle.db, signIn(`new${i}@example.com`));
    const pruned = await pruneActivity(handle.db, {
      retentionDays: 10,
      now: new Date(boundary + 10 * 86_400_000),
    });
    expect(pruned).toEqual({ deleted: 3, throughSeq: 3 });
    const rows = await handle.db.select().from(activityLog).orderBy(activityLog.seq);
    expect(rows.map((r) => r.seq)).toEqual([4, 5, 6]);
    expect(rows[2]).toMatchObject({
      kind: "activity.pruned",
      details: { throughSeq: 3, deleted: 3, anchorHash: lastOld!.hash },
    });
    const result = await verifyActivity(handle.db);
    expect(result).toMatchObject({ ok: true, checked: 3, anchor: { seq: 3, hash: lastOld!.hash } });
    expect(await pruneActivity(handle.db, { retentionDays: 10, now: new Date(boundary) })).toEqual({
      deleted: 0,
      throughSeq: null,
    });
  });

  it.skipIf(kind === "pglite")("prunes by the database's clock, not the app server's", async () => {
    await reset();
    await recordActivity(handle.db, signIn("ana@example.com"));
    // This server's clock is two years ahead: a day-old retention must not take today's entry.
    const ahead = new Date((await databaseNow(handle.db)).getTime() + 2 * 365 * 86_400_000);
    vi.useFakeTimers({ now: ahead, toFake: ["Date"] });
    let pruned;
    try {
      pruned = await pruneActivity(handle.db, { retentionDays: 1 });
    } finally {
      vi.useRealTimers();
    }
    expect(pruned).toEqual({ deleted: 0, throughSeq: null });
    expect(await handle.db.select().from(activityLog)).toHaveLength(1);
  });

  it("notices an entry inserted at or before the anchor, which the listing would show", async () => {
    await reset();
    for (let i = 0; i < 3; i++) await recordActivity(handle.db, signIn(`e${i}@example.com`));
    const [first] = await handle.db
      .select()
      .from(activityLog)
      .where(sql`seq = 1`);
    // A forged entry chained as if it came first: its own hash and prevHash are consistent.
    const forged = { ...first!, seq: 0, admin: "mallory@example.com" };
    await handle.db.insert(activityLog).values({ ...forged, hash: entryHash(forged) });
    expect((await listActivity(handle.db, { limit: 10 })).data.map((e) => e.seq)).toContain(0);
    expect((await verifyActivity(handle.db)).firstBroken).toMatchObject({
      seq: 0,
      reason: "unexpected_entry",
    });
    // After retention, a pruned seq looks natural; it is not part of the chain either.
    await handle.db.delete(activityLog).where(sql`seq = 0`);
    const boundary = Date.now() + 1;
    await clockPast(boundary);
    await recordActivity(handle.db, signIn("late@example.com"));
    await pruneActivity(handle.db, {
      retentionDays: 1,
      now: new Date(boundary + 86_400_000),
    });
    expect(await verifyActivity(handle.db)).toMatchObject({ ok: true, anchor: { seq: 3 } });
    const back = { ...first!, seq: 2, prevHash: first!.hash, admin: "mallory@example.com" };
    await handle.db.insert(activityLog).values({ ...back, hash: entryHash(back) });
    expect(await verifyActivity(handle.db)).toMatchObject({
      ok: false,
      firstBroken: { seq: 2, reason: "unexpected_entry" },
    });
  });

  it("lists newest first with filters and a cursor that visits every entry once", async () => {
    await reset();
    for (let i = 0; i < 7; i++)
      await recordActivity(handle.db, signIn(i % 2 ? "Odd@Example.com" : "even@example.com"));
    await recordActivity(handle.db, {
      kind: "auth.sign_out",
      admin: "odd@example.com",
      details: {},
    });
    const seen: number[] = [];
    let before: number | undefined;
    do {
      const page = await listActivity(handle.db, { limit: 3, ...(before ? { before } : {}) });
      seen.push(...page.data.map((e) => e.seq));
      before = page.nextCursor ? Number(page.nextCursor) : undefined;
    } while (before);
    expect(seen).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    const odd = await listActivity(handle.db, {
      limit: 50,
      admin: "odd@EXAMPLE.com",
      kind: "auth.sign_in",
    });
    expect(odd.data.map((e) => e.seq)).toEqual([6, 4, 2]);
    // As throttled sign-ins were recorded before they were normalized: typed, spaces and all.
    await recordActivity(handle.db, signIn("  Odd@Example.COM "));
    const typed = await listActivity(handle.db, { limit: 50, admin: "odd@example.com" });
    expect(typed.data.map((e) => e.seq)).toEqual([9, 8, 6, 4, 2]);
    const none = await listActivity(handle.db, { limit: 50, from: new Date(Date.now() + 60_000) });
    expect(none).toEqual({ data: [], nextCursor: null });
  });
});

describe("the activity log's space on PGlite, which runs no autovacuum", () => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb("pglite");
  });
  afterAll(() => handle.close());

  const heapBytes = () => tableHeapBytes(handle.db, "activity_log");
  const record = async (n: number) => {
    for (let i = 0; i < n; i++) await recordActivity(handle.db, signIn(`a${i}@example.com`));
  };

  it("is reused after entries are pruned", async () => {
    await record(400);
    const one = await heapBytes();
    for (let day = 0; day < 4; day++) {
      expect((await pruneEverything(handle.db)).deleted).toBe(day === 0 ? 400 : 401);
      await record(400);
    }
    // Without the vacuum after a prune: five days of entries' worth.
    expect(await heapBytes()).toBeLessThanOrEqual(one * 2.2);
    expect(await verifyActivity(handle.db)).toMatchObject({ ok: true });
  });
});
