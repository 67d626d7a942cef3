import "server-only";

import { and, asc, desc, eq, gt, gte, lt, lte, sql, type SQL } from "drizzle-orm";

import { getDb, type Db } from "@/lib/db/client";
import { databaseNow } from "@/lib/db/clock";
import { vacuumEmbedded } from "@/lib/db/reclaim";
import { activityChain, activityLog } from "@/lib/db/schema";

import {
  ACTIVITY_DETAILS,
  type ActivityDetails,
  type ActivityEntry,
  type ActivityPage,
  type ActivityQuery,
  type VerifyResult,
} from "./schema";
import { type ActivityKind } from "./contract";
import { entryHash, GENESIS_HASH } from "./chain";

const HEAD_ID = 1;

export interface ActivityInput<K extends ActivityKind> {
  kind: K;
  /**
   * The admin who acted (an email), or null for Roster itself. An empty string
   * is stored as null: the CSV export writes both as an empty cell, so an
   * auditor re-hashing a row could not tell which one was hashed.
   */
  admin: string | null;
  details: ActivityDetails<K>;
}

export interface AppendedEntry {
  seq: number;
  hash: string;
  at: Date;
}

/** Inserts the head row if this is the chain's first append, then locks it. */
async function lockHead(tx: Db) {
  await tx
    .insert(activityChain)
    .values({
      id: HEAD_ID,
      headSeq: 0,
      headHash: GENESIS_HASH,
      anchorSeq: 0,
      anchorHash: GENESIS_HASH,
    })
    .onConflictDoNothing();
  const [head] = await tx
    .select()
    .from(activityChain)
    .where(eq(activityChain.id, HEAD_ID))
    .for("update");
  if (!head) throw new Error("activity chain head missing");
  return head;
}

/**
 * Locks the chain's head until transaction `tx` ends and returns the seq and
 * prevHash of the next entry appended in it. For a record that names its own
 * log entry while that entry holds the record's hash (a review's evidence
 * manifest): the entry's own hash cannot be known before the record is.
 */
export async function nextActivityEntry(tx: Db): Promise<{ seq: number; prevHash: string }> {
  const head = await lockHead(tx);
  return { seq: head.headSeq + 1, prevHash: head.headHash };
}

export interface AppendOptions {
  /**
   * The entry's time, when the change it records was dated in the same
   * transaction by `databaseNow` (a review's closedAt): one reading for both,
   * so they are equal. Never the app server's clock.
   */
  at?: Date;
}

/**
 * Appends one entry to the activity log. Details are validated against the
 * kind's schema (a wrong shape is a bug in the caller and throws). The head
 * row is locked for the length of a short transaction, so appends from any
 * number of instances form one unbroken chain. The entry is dated on the
 * database's clock, read once the head is locked (or `options.at`), so
 * instances whose own clocks disagree still write comparable times. Pass a
 * transaction as `db` to commit the entry together with the change it records.
 */
export async function recordActivity<K extends ActivityKind>(
  db: Db | undefined,
  input: ActivityInput<K>,
  options: AppendOptions = {},
): Promise<AppendedEntry> {
  const parsed = ACTIVITY_DETAILS[input.kind].safeParse(input.details);
  if (!parsed.success) {
    throw new TypeError(`recordActivity: details of ${input.kind} do not match its schema`);
  }
  const details = parsed.data as Record<string, unknown>;
  const admin = input.admin === "" ? null : input.admin;
  const target = db ?? (await getDb());
  return target.transaction(async (tx) => {
    const head = await lockHead(tx);
    const seq = head.headSeq + 1;
    const at = options.at ?? (await databaseNow(tx));
    const hash = entryHash({
      seq,
      at,
      kind: input.kind,
      admin,
      details,
      prevHash: head.headHash,
    });
    await tx.insert(activityLog).values({
      seq,
      at,
      kind: input.kind,
      admin,
      details,
      prevHash: head.headHash,
      hash,
    });
    await tx
      .update(activityChain)
      .set({ headSeq: seq, headHash: hash })
      .where(eq(activityChain.id, HEAD_ID));
    return { seq, hash, at };
  });
}

type Row = typeof activityLog.$inferSelect;

export function toEntry(row: Row): ActivityEntry {
  return {
    seq: row.seq,
    at: row.at.toISOString(),
    kind: row.kind,
    admin: row.admin,
    details: row.details,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

function conditions(query: Omit<ActivityQuery, "limit">): SQL | undefined {
  const where: SQL[] = [];
  if (query.kind) where.push(eq(activityLog.kind, query.kind));
  // Trimmed too: throttled sign-ins were once recorded as typed, spaces included.
  if (query.admin) {
    where.push(sql`lower(trim(${activityLog.admin})) = ${query.admin.trim().toLowerCase()}`);
  }
  if (query.from) where.push(gte(activityLog.at, query.from));
  if (query.to) where.push(lt(activityLog.at, query.to));
  if (query.before !== undefined) where.push(lt(activityLog.seq, query.before));
  return where.length > 0 ? and(...where) : undefined;
}

/** One page of entries, newest first; `nextCursor` continues below the last seq. */
export async function listActivity(db: Db, query: ActivityQuery): Promise<ActivityPage> {
  const rows = await db
    .select()
    .from(activityLog)
    .where(conditions(query))
    .orderBy(desc(activityLog.seq))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map(toEntry),
    nextCursor: rows.length > query.limit && last ? String(last.seq) : null,
  };
}

/** Every matching entry, oldest first, in batches (the CSV export); `signal` stops the reads. */
export async function* iterateActivity(
  db: Db,
  query: Omit<ActivityQuery, "limit" | "before">,
  options: { batchSize?: number; signal?: AbortSignal } = {},
): AsyncGenerator<ActivityEntry[]> {
  const { batchSize = 1000, signal } = options;
  let after = 0;
  for (;;) {
    signal?.throwIfAborted();
    const base = conditions(query);
    const rows = await db
      .select()
      .from(activityLog)
      .where(base ? and(base, gt(activityLog.seq, after)) : gt(activityLog.seq, after))
      .orderBy(asc(activityLog.seq))
      .limit(batchSize);
    if (rows.length === 0) return;
    yield rows.map(toEntry);
    after = rows[rows.length - 1]!.seq;
    if (rows.length < batchSize) return;
  }
}

/**
 * Checks the whole chain from the anchor: every seq present, each entry's
 * prevHash the hash of the one before, each hash recomputed from its fields,
 * and the head row pointing at the last entry. Reads in one repeatable-read
 * transaction, so appends running meanwhile are not mistaken for breaks.
 */
export async function verifyActivity(db: Db, batchSize = 1000): Promise<VerifyResult> {
  return db.transaction(
    async (tx) => {
      const [head] = await tx.select().from(activityChain).where(eq(activityChain.id, HEAD_ID));
      const anchor = {
        seq: head?.anchorSeq ?? 0,
        hash: head?.anchorHash ?? GENESIS_HASH,
      };
      const tip = { seq: head?.headSeq ?? 0, hash: head?.headHash ?? GENESIS_HASH };
      let expectedSeq = anchor.seq + 1;
      let prevHash = anchor.hash;
      let checked = 0;
      const broken = (
        seq: number,
        reason: NonNullable<VerifyResult["firstBroken"]>["reason"],
        message: string,
      ): VerifyResult => ({
        ok: false,
        checked,
        anchor,
        head: tip,
        firstBroken: { seq, reason, message },
      });
      // The chain holds nothing at or before its anchor (retention deleted it), yet the listing
      // and the export would show such an entry: one there was inserted.
      const [early] = await tx
        .select({ seq: activityLog.seq })
        .from(activityLog)
        .where(lte(activityLog.seq, anchor.seq))
        .orderBy(asc(activityLog.seq))
        .limit(1);
      if (early) {
        return broken(
          Math.max(early.seq, 0),
          "unexpected_entry",
          `Entry ${early.seq} is at or before the anchor (entry ${anchor.seq}), where the chain holds none: it was inserted.`,
        );
      }
      for (;;) {
        const rows = await tx
          .select()
          .from(activityLog)
          .where(gt(activityLog.seq, expectedSeq - 1))
          .orderBy(asc(activityLog.seq))
          .limit(batchSize);
        for (const row of rows) {
          if (row.seq !== expectedSeq) {
            return broken(expectedSeq, "missing_entry", `Entry ${expectedSeq} is missing.`);
          }
          if (row.prevHash !== prevHash) {
            return broken(
              row.seq,
              "prev_mismatch",
              `Entry ${row.seq} does not carry the hash of entry ${row.seq - 1}.`,
            );
          }
          if (entryHash(row) !== row.hash) {
            return broken(
              row.seq,
              "hash_mismatch",
              `Entry ${row.seq} was changed after it was written: its hash does not match its fields.`,
            );
          }
          prevHash = row.hash;
          expectedSeq += 1;
          checked += 1;
        }
        if (rows.length < batchSize) break;
      }
      if (expectedSeq - 1 !== tip.seq || prevHash !== tip.hash) {
        const seq = Math.max(expectedSeq, 1);
        return expectedSeq - 1 < tip.seq
          ? broken(expectedSeq, "missing_entry", `Entry ${expectedSeq} is missing.`)
          : broken(seq - 1, "head_mismatch", `The chain head does not point at entry ${seq - 1}.`);
      }
      // Only retention moves the anchor, and it names the new one in the `activity.pruned` entry it
      // appends in the same transaction: the latest such entry names the anchor. An anchor moved
      // without one (the oldest entries deleted, the anchor set to the first one left) is caught.
      if (anchor.seq > 0) {
        const [pruned] = await tx
          .select({ details: activityLog.details })
          .from(activityLog)
          .where(eq(activityLog.kind, "activity.pruned"))
          .orderBy(desc(activityLog.seq))
          .limit(1);
        const named = ACTIVITY_DETAILS["activity.pruned"].safeParse(pruned?.details);
        if (
          !named.success ||
          named.data.throughSeq !== anchor.seq ||
          named.data.anchorHash !== anchor.hash
        ) {
          return broken(
            anchor.seq,
            "anchor_unexplained",
            `The chain starts after entry ${anchor.seq}, but no activity.pruned entry names that anchor: entries before it were deleted, not pruned.`,
          );
        }
      }
      return { ok: true, checked, anchor, head: tip, firstBroken: null };
    },
    { isolationLevel: "repeatable read" },
  );
}

/**
 * Retention: deletes entries older than `retentionDays` and moves the anchor
 * to the last one deleted, so the rest still verifies; records what it did as
 * an `activity.pruned` entry. Runs under the head lock, so it is safe from
 * any number of instances.
 */
export async function pruneActivity(
  db: Db,
  options: { retentionDays: number; now?: Date },
): Promise<{ deleted: number; throughSeq: number | null }> {
  const pruned = await db.transaction(async (tx) => {
    await lockHead(tx);
    // The database's clock, which dates the entries (recordActivity), not this server's.
    const now = options.now ?? (await databaseNow(tx));
    const cutoff = new Date(now.getTime() - options.retentionDays * 86_400_000);
    const [last] = await tx
      .select({ seq: activityLog.seq, hash: activityLog.hash })
      .from(activityLog)
      .where(lt(activityLog.at, cutoff))
      .orderBy(desc(activityLog.seq))
      .limit(1);
    if (!last) return { deleted: 0, throughSeq: null };
    const deleted = await tx
      .delete(activityLog)
      .where(lte(activityLog.seq, last.seq))
      .returning({ seq: activityLog.seq });
    await tx
      .update(activityChain)
      .set({ anchorSeq: last.seq, anchorHash: last.hash })
      .where(eq(activityChain.id, HEAD_ID));
    await recordActivity(tx, {
      kind: "activity.pruned",
      admin: null,
      details: { throughSeq: last.seq, deleted: deleted.length, anchorHash: last.hash },
    });
    return { deleted: deleted.length, throughSeq: last.seq };
  });
  // PGlite gets the pruned entries' space back: without it the table grew as if nothing was
  // pruned. Once a day at most (retention runs daily).
  if (pruned.deleted > 0) {
    await vacuumEmbedded(
      db,
      "activity_log",
      "activity retention: pruned entries' space not reclaimed",
    );
  }
  return pruned;
}
