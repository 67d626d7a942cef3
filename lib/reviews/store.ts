import "server-only";

import { createHash } from "node:crypto";
import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  getTableName,
  gt,
  inArray,
  isNotNull,
  isNull,
  lte,
  or,
  sql,
  type SQL,
} from "drizzle-orm";
import { z } from "zod/mini";

import { canonicalJson } from "@/lib/activity/canonical";
import { nextActivityEntry, recordActivity } from "@/lib/activity/log";
import { ApiError } from "@/lib/api/errors";
import type { Db } from "@/lib/db/client";
import { databaseNow } from "@/lib/db/clock";
import { jsonbArray } from "@/lib/db/json-param";
import { directoryUsers, reviewDecisions, reviewItems, reviews, snapshots } from "@/lib/db/schema";
import type { ProviderId } from "@/lib/users/schema";
import { PROVIDER_LABELS } from "@/lib/users/contract";
import { formatCount } from "@/lib/users/format-count";

import { buildEvidence } from "./evidence";
import { accountFlags, FLAG_VENDOR_KEYS, type FlaggableAccount } from "./flags";
import {
  DECISIONS,
  FLAG_LABELS,
  type AccountFlag,
  type CreateReview,
  type Decision,
  type DecisionInput,
  type DecisionsResult,
  type ItemsQuery,
  type ReviewCounts,
  type ReviewItem,
  type ReviewItemsPage,
  type ReviewScope,
  type ReviewSnapshotInfo,
  type ReviewSummary,
} from "./schema";

type ReviewRow = typeof reviews.$inferSelect;
/**
 * An item's columns as its readers take them: all but the vendor's record,
 * which no reader of a review shows (it stays stored with the item), and
 * which was most of each row's bytes.
 */
const itemColumns = (() => {
  const { vendor, ...read } = getTableColumns(reviewItems);
  void vendor;
  return read;
})();
type ItemRow = Omit<typeof reviewItems.$inferSelect, "vendor">;

/** One order everywhere (arrays sorted, email lowercased), so equal scopes compare equal. */
export function normalizeScope(scope: ReviewScope): ReviewScope {
  const sorted = <T extends string>(values: readonly T[] | undefined) =>
    values && values.length > 0 ? [...new Set(values)].sort() : undefined;
  const normalized: ReviewScope = { providers: sorted(scope.providers) ?? [] };
  const statuses = sorted(scope.statuses);
  const roles = sorted(scope.roles?.map((role) => role.trim().toLowerCase()).filter(Boolean));
  const flags = sorted(scope.flags);
  const email = scope.email?.trim().toLowerCase();
  if (statuses) normalized.statuses = statuses;
  if (roles) normalized.roles = roles;
  if (email) normalized.email = email;
  if (flags) normalized.flags = flags;
  return normalized;
}

export function scopeKey(scope: ReviewScope): string {
  return createHash("sha256")
    .update(canonicalJson(normalizeScope(scope)))
    .digest("hex");
}

/**
 * What "changed since the previous review" compares: the account's access,
 * not its activity (a last sign-in moves every day without changing access).
 */
export function itemHash(item: {
  provider: string;
  userId: string;
  email: string | null;
  name: string | null;
  status: string;
  role: string | null;
  groups: { id: string; name: string }[] | null;
  flags: readonly AccountFlag[];
}): string {
  const groups = item.groups
    ? [...item.groups].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    : null;
  return createHash("sha256")
    .update(
      canonicalJson({
        provider: item.provider,
        userId: item.userId,
        email: item.email,
        name: item.name,
        status: item.status,
        role: item.role,
        groups,
        flags: item.flags.filter((flag) => flag !== "dormant"),
      }),
    )
    .digest("hex");
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toItem(row: ItemRow): ReviewItem {
  return {
    id: row.id,
    provider: row.provider as ProviderId,
    userId: row.userId,
    email: row.email,
    name: row.name,
    status: row.status,
    role: row.role,
    createdAt: iso(row.createdAt),
    lastActiveAt: iso(row.lastActiveAt),
    groups: row.groups ?? null,
    flags: row.flags as AccountFlag[],
    change: row.change as ReviewItem["change"],
    decision: row.decision as Decision | null,
    comment: row.comment,
    decidedBy: row.decidedBy,
    decidedAt: iso(row.decidedAt),
  };
}

function notFound(id: number | string): ApiError {
  return new ApiError("not_found", `There is no review ${id}.`);
}

/** A route's `[id]` segment as a review id, or 404. */
export function parseReviewId(raw: string): number {
  const id = /^[1-9][0-9]{0,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id)) throw notFound(raw);
  return id;
}

/** A normalized scope in words, for messages: `OpenAI; status disabled; role "owner"`. */
export function describeScope(scope: ReviewScope): string {
  const or = (values: readonly string[]) => values.join(" or ");
  const parts = [scope.providers.map((p) => PROVIDER_LABELS[p]).join(" and ")];
  if (scope.statuses) parts.push(`status ${or(scope.statuses)}`);
  if (scope.roles) parts.push(`role ${or(scope.roles.map((role) => JSON.stringify(role)))}`);
  if (scope.email) parts.push(`email containing ${JSON.stringify(scope.email)}`);
  if (scope.flags) parts.push(`flagged ${scope.flags.map((f) => FLAG_LABELS[f]).join(" and ")}`);
  return parts.join("; ");
}

/** The population of `provider` valid at snapshot `snapshotId`, narrowed by the scope's SQL-side filters. */
function populationWhere(provider: ProviderId, snapshotId: number, scope: ReviewScope): SQL {
  const where: (SQL | undefined)[] = [
    eq(directoryUsers.provider, provider),
    lte(directoryUsers.fromSnapshot, snapshotId),
    or(isNull(directoryUsers.toSnapshot), gt(directoryUsers.toSnapshot, snapshotId)),
  ];
  if (scope.statuses) where.push(inArray(directoryUsers.status, scope.statuses));
  if (scope.roles) where.push(inArray(sql`lower(${directoryUsers.role})`, scope.roles));
  if (scope.email) where.push(sql`strpos(${directoryUsers.emailKey}, ${scope.email}) > 0`);
  return and(...where)!;
}

/** What a review computes of an item; the rest of its row is copied from the directory's version. */
interface FrozenItem {
  provider: ProviderId;
  userId: string;
  snapshotId: number;
  flags: AccountFlag[];
  hash: string;
  change: "new" | "changed" | null;
}

/** The directory's columns an item keeps as they are (in the items table's order). */
const accountColumns = {
  email: directoryUsers.email,
  name: directoryUsers.name,
  status: directoryUsers.status,
  role: directoryUsers.role,
  createdAt: directoryUsers.createdAt,
  lastActiveAt: directoryUsers.lastActiveAt,
  groups: directoryUsers.groups,
};

/** Items written per statement. */
export const ITEM_CHUNK = 5000;

/**
 * The vendor record's keys that the flags read (FLAG_VENDOR_KEYS), as an
 * object of those keys only: a review reads no more of each record.
 */
function flagKeysOf(vendor: typeof directoryUsers.vendor): SQL<FlaggableAccount["vendor"]> {
  const pairs = FLAG_VENDOR_KEYS.map((key) => sql`${key}::text, ${vendor} -> ${key}::text`);
  return sql<FlaggableAccount["vendor"]>`jsonb_build_object(${sql.join(pairs, sql`, `)})`.mapWith(
    vendor,
  );
}

/**
 * Writes a review's items in their order, `ITEM_CHUNK` per statement: each
 * row is copied in SQL from the directory's version of the account at its
 * snapshot, with the flags, hash and change computed here (one JSON parameter
 * per chunk). The vendor's record goes from table to table without a trip
 * through JavaScript: a review of 20,000 accounts took 2.0 s to write them as
 * rows of values. The ids follow `ord`, the items' order: PostgreSQL computes
 * a volatile select-list expression (`nextval`) after the sort. A version must
 * be found for every item, or the review is not written.
 */
async function copyItems(tx: Db, reviewId: number, items: readonly FrozenItem[]): Promise<void> {
  const at = (column: string) => sql`${sql.identifier("picked")}.${sql.identifier(column)}`;
  for (let from = 0; from < items.length; from += ITEM_CHUNK) {
    const chunk = items.slice(from, from + ITEM_CHUNK);
    const picked = chunk.map((item, i) =>
      JSON.stringify({
        ord: from + i,
        provider: item.provider,
        user_id: item.userId,
        snapshot_id: item.snapshotId,
        flags: item.flags,
        hash: item.hash,
        change: item.change,
      }),
    );
    const snapshot = at("snapshot_id");
    const written = await tx
      .insert(reviewItems)
      .select(
        tx
          .select({
            // Drizzle's insert-select names every column; the ids come from the column's sequence.
            id: sql<number>`nextval(pg_get_serial_sequence(${getTableName(reviewItems)}, ${reviewItems.id.name}))`.as(
              "id",
            ),
            reviewId: sql<number>`${reviewId}::bigint`.as("review_id"),
            provider: directoryUsers.provider,
            userId: directoryUsers.userId,
            snapshotId: sql<number>`${snapshot}`.as("snapshot_id"),
            ...accountColumns,
            vendor: directoryUsers.vendor,
            flags: sql<string[]>`${at("flags")}`.as("flags"),
            hash: sql<string>`${at("hash")}`.as("hash"),
            change: sql<string | null>`${at("change")}`.as("change"),
            decision: sql<string | null>`null::text`.as("decision"),
            comment: sql<string | null>`null::text`.as("comment"),
            decidedBy: sql<string | null>`null::text`.as("decided_by"),
            decidedAt: sql<Date | null>`null::timestamptz`.as("decided_at"),
          })
          .from(
            sql`jsonb_to_recordset(${jsonbArray(picked)}) as picked(ord int, provider text, user_id text, snapshot_id bigint, flags jsonb, hash text, change text)`,
          )
          .innerJoin(
            directoryUsers,
            and(
              eq(directoryUsers.provider, at("provider")),
              eq(directoryUsers.userId, at("user_id")),
              lte(directoryUsers.fromSnapshot, snapshot),
              or(isNull(directoryUsers.toSnapshot), gt(directoryUsers.toSnapshot, snapshot)),
            ),
          )
          .orderBy(at("ord")),
      )
      .returning({ id: reviewItems.id });
    if (written.length !== chunk.length) {
      throw new Error(`${chunk.length} review items were to be copied but ${written.length} were`);
    }
  }
}

/**
 * Starts a review: in one transaction, reads each provider's latest succeeded
 * snapshot and the accounts valid at it, and copies them (with flags, the
 * snapshot id and its completeness proof) into the review, so later syncs
 * change nothing under review. The review's createdAt (and the time its
 * dormant flags are judged at) is taken once the snapshots are chosen; its
 * `review.created` entry carries the same time.
 */
export async function createReview(
  db: Db,
  admin: string,
  input: CreateReview,
): Promise<ReviewSummary> {
  const scope = normalizeScope(input.scope);
  const key = scopeKey(scope);
  const id = await db.transaction(async (tx) => {
    const [previous] = await tx
      .select({ id: reviews.id })
      .from(reviews)
      .where(and(eq(reviews.scopeKey, key), eq(reviews.state, "closed")))
      .orderBy(desc(reviews.closedAt), desc(reviews.id))
      .limit(1);
    const previousHashes = new Map<string, string>();
    if (previous) {
      const rows = await tx
        .select({
          provider: reviewItems.provider,
          userId: reviewItems.userId,
          hash: reviewItems.hash,
        })
        .from(reviewItems)
        .where(eq(reviewItems.reviewId, previous.id));
      for (const row of rows) previousHashes.set(`${row.provider}\u0000${row.userId}`, row.hash);
    }

    const chosen: { provider: ProviderId; snapshot: typeof snapshots.$inferSelect }[] = [];
    for (const provider of scope.providers) {
      const [snapshot] = await tx
        .select()
        .from(snapshots)
        .where(and(eq(snapshots.provider, provider), eq(snapshots.state, "succeeded")))
        .orderBy(desc(snapshots.id))
        .limit(1);
      if (!snapshot) {
        throw new ApiError(
          "directory_empty",
          `${PROVIDER_LABELS[provider]} has no completed directory sync yet; sync it before starting a review.`,
        );
      }
      chosen.push({ provider, snapshot });
    }
    // Dated once the snapshots are chosen, so a sync published while the request waited is
    // never later than the review that froze it. A sync stamps finishedAt on its own server's
    // clock (lib/directory/sync.ts), which may run ahead of the database's: never before it.
    const now = new Date(
      Math.max(
        (await databaseNow(tx)).getTime(),
        ...chosen.map(({ snapshot }) => snapshot.finishedAt?.getTime() ?? 0),
      ),
    );

    const frozen: ReviewSnapshotInfo[] = [];
    const items: FrozenItem[] = [];
    for (const { provider, snapshot } of chosen) {
      const rows = await tx
        .select({
          userId: directoryUsers.userId,
          ...accountColumns,
          vendor: flagKeysOf(directoryUsers.vendor),
        })
        .from(directoryUsers)
        .where(populationWhere(provider, snapshot.id, scope))
        .orderBy(sql`${directoryUsers.emailKey} asc nulls last`, asc(directoryUsers.userId));
      let inScope = 0;
      for (const row of rows) {
        const flags = accountFlags({ ...row, provider }, now);
        if (scope.flags && !scope.flags.every((flag) => flags.includes(flag))) continue;
        inScope += 1;
        const hash = itemHash({ ...row, provider, flags });
        const before = previous ? previousHashes.get(`${provider}\u0000${row.userId}`) : undefined;
        items.push({
          provider,
          userId: row.userId,
          snapshotId: snapshot.id,
          flags,
          hash,
          change: !previous
            ? null
            : before === undefined
              ? "new"
              : before !== hash
                ? "changed"
                : null,
        });
      }
      frozen.push({
        provider,
        snapshotId: snapshot.id,
        finishedAt: iso(snapshot.finishedAt),
        snapshotRows: snapshot.rows,
        vendorTotal: snapshot.total,
        accountsInScope: inScope,
        proof: snapshot.proof ?? null,
      });
    }
    // A review of nobody would close at once with empty evidence: refused before anything is written.
    if (items.length === 0) {
      const at = frozen
        .map((s) => `${PROVIDER_LABELS[s.provider]} snapshot ${s.snapshotId}`)
        .join(", ");
      throw new ApiError(
        "empty_scope",
        `No account matches this scope (${describeScope(scope)}) in the latest directory sync (${at}); widen the scope, or sync the directory if it is out of date.`,
      );
    }

    const [review] = await tx
      .insert(reviews)
      .values({
        name: input.name,
        dueDate: input.dueDate,
        scope,
        scopeKey: key,
        state: "open",
        createdBy: admin,
        createdAt: now,
        snapshots: frozen as unknown as Record<string, unknown>[],
        previousReviewId: previous?.id ?? null,
        itemCount: items.length,
      })
      .returning({ id: reviews.id });
    if (!review) throw new Error("review not written");
    await copyItems(tx, review.id, items);
    await recordActivity(
      tx,
      {
        kind: "review.created",
        admin,
        details: {
          reviewId: review.id,
          providers: scope.providers,
          items: items.length,
          snapshotIds: frozen.map((s) => s.snapshotId),
        },
      },
      { at: now },
    );
    return review.id;
  });
  return (await getReview(db, id))!;
}

/** What a review's items are counted by; `decided` and `undecided` follow from them. */
const tallySchema = z.object({
  total: z.number(),
  keep: z.number(),
  revoke: z.number(),
  follow_up: z.number(),
  flagged: z.number(),
  changed: z.number(),
});
type Tally = z.infer<typeof tallySchema>;

function countsFrom(tally: Tally): ReviewCounts {
  const decided = tally.keep + tally.revoke + tally.follow_up;
  return { ...tally, decided, undecided: tally.total - decided };
}

/** Counts the items of each review in `reviewIds` (a review without items is left out). */
async function tallyItems(db: Db, reviewIds: number[]): Promise<Map<number, Tally>> {
  const result = new Map<number, Tally>();
  if (reviewIds.length === 0) return result;
  const filtered = (condition: SQL) =>
    sql<number>`count(*) filter (where ${condition})`.mapWith(Number);
  const rows = await db
    .select({
      reviewId: reviewItems.reviewId,
      total: count(),
      keep: filtered(sql`${reviewItems.decision} = 'keep'`),
      revoke: filtered(sql`${reviewItems.decision} = 'revoke'`),
      follow_up: filtered(sql`${reviewItems.decision} = 'follow_up'`),
      flagged: filtered(sql`jsonb_array_length(${reviewItems.flags}) > 0`),
      changed: filtered(sql`${reviewItems.change} is not null`),
    })
    .from(reviewItems)
    .where(inArray(reviewItems.reviewId, reviewIds))
    .groupBy(reviewItems.reviewId);
  for (const { reviewId, ...tally } of rows) result.set(reviewId, tally);
  return result;
}

/**
 * Each review's counts: a closed review's as stored at closing (its items no
 * longer change), an open one's counted from its items now.
 */
async function countsOf(
  db: Db,
  rows: readonly { id: number; closedCounts: unknown }[],
): Promise<Map<number, ReviewCounts>> {
  const result = new Map<number, ReviewCounts>();
  const toCount: number[] = [];
  for (const row of rows) {
    const stored = tallySchema.safeParse(row.closedCounts);
    if (stored.success) result.set(row.id, countsFrom(stored.data));
    else toCount.push(row.id);
  }
  for (const [id, tally] of await tallyItems(db, toCount)) result.set(id, countsFrom(tally));
  return result;
}

const EMPTY_COUNTS: ReviewCounts = {
  total: 0,
  decided: 0,
  undecided: 0,
  keep: 0,
  revoke: 0,
  follow_up: 0,
  flagged: 0,
  changed: 0,
};

function toSummary(row: ReviewRow, counts: ReviewCounts | undefined): ReviewSummary {
  return {
    id: row.id,
    name: row.name,
    dueDate: row.dueDate,
    scope: row.scope as ReviewScope,
    state: row.state as ReviewSummary["state"],
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    closedBy: row.closedBy,
    closedAt: iso(row.closedAt),
    previousReviewId: row.previousReviewId,
    snapshots: row.snapshots as unknown as ReviewSnapshotInfo[],
    counts: counts ?? EMPTY_COUNTS,
    evidenceCsvSha256: row.evidenceCsvSha256,
    evidenceJsonSha256: row.evidenceJsonSha256,
  };
}

const summaryColumns = {
  id: reviews.id,
  name: reviews.name,
  dueDate: reviews.dueDate,
  scope: reviews.scope,
  scopeKey: reviews.scopeKey,
  state: reviews.state,
  createdBy: reviews.createdBy,
  createdAt: reviews.createdAt,
  closedBy: reviews.closedBy,
  closedAt: reviews.closedAt,
  snapshots: reviews.snapshots,
  previousReviewId: reviews.previousReviewId,
  itemCount: reviews.itemCount,
  evidenceCsvSha256: reviews.evidenceCsvSha256,
  evidenceJsonSha256: reviews.evidenceJsonSha256,
  closedCounts: reviews.closedCounts,
};

/** Every review, newest first, with its counts (the evidence itself is left out). */
export async function listReviews(db: Db): Promise<ReviewSummary[]> {
  const rows = await db.select(summaryColumns).from(reviews).orderBy(desc(reviews.id));
  const counts = await countsOf(db, rows);
  return rows.map((row) =>
    toSummary({ ...row, evidenceCsv: null, evidenceJson: null }, counts.get(row.id)),
  );
}

export async function getReview(db: Db, id: number): Promise<ReviewSummary | null> {
  const [row] = await db.select(summaryColumns).from(reviews).where(eq(reviews.id, id));
  if (!row) return null;
  const counts = await countsOf(db, [row]);
  return toSummary({ ...row, evidenceCsv: null, evidenceJson: null }, counts.get(id));
}

export async function requireReview(db: Db, id: number): Promise<ReviewSummary> {
  const review = await getReview(db, id);
  if (!review) throw notFound(id);
  return review;
}

/** One page of a review's items in id order, filtered; every item once across pages. */
export async function listItems(
  db: Db,
  reviewId: number,
  query: ItemsQuery,
): Promise<ReviewItemsPage> {
  const where: (SQL | undefined)[] = [eq(reviewItems.reviewId, reviewId)];
  if (query.decision === "undecided") where.push(isNull(reviewItems.decision));
  else if (query.decision) where.push(eq(reviewItems.decision, query.decision));
  if (query.flagged !== undefined) {
    where.push(
      query.flagged
        ? sql`jsonb_array_length(${reviewItems.flags}) > 0`
        : sql`jsonb_array_length(${reviewItems.flags}) = 0`,
    );
  }
  if (query.changed !== undefined) {
    where.push(query.changed ? isNotNull(reviewItems.change) : isNull(reviewItems.change));
  }
  if (query.after !== undefined) where.push(gt(reviewItems.id, query.after));
  const rows = await db
    .select(itemColumns)
    .from(reviewItems)
    .where(and(...where))
    .orderBy(asc(reviewItems.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    data: page.map(toItem),
    nextCursor: rows.length > query.limit ? String(page.at(-1)!.id) : null,
  };
}

/** Locks the review row (shared for decisions, exclusive for closing) and checks it is open. */
async function lockOpenReview(tx: Db, id: number, mode: "share" | "update"): Promise<ReviewRow> {
  const [row] = await tx
    .select()
    .from(reviews)
    .where(eq(reviews.id, id))
    .for(mode === "share" ? "share" : "update");
  if (!row) throw notFound(id);
  if (row.state !== "open") {
    throw new ApiError(
      "review_closed",
      `Review ${id} is closed; its decisions can no longer change.`,
    );
  }
  return row;
}

/**
 * Records decisions. The items are locked in id order (so two admins'
 * overlapping batches queue rather than deadlock), then updated; each
 * decision also goes into the append-only history, so an overwritten decision
 * is never lost. The visible decision is the last one committed, with who
 * made it and when: the database's clock, read once after the lock, dates
 * the batch's items, its history rows and its `review.decided` entry alike.
 */
export async function decide(
  db: Db,
  reviewId: number,
  admin: string,
  decisions: readonly DecisionInput[],
): Promise<DecisionsResult> {
  const seen = new Set<number>();
  for (const d of decisions) {
    if (seen.has(d.itemId)) {
      throw new ApiError(
        "invalid_body",
        `itemId ${d.itemId} appears more than once in the request.`,
      );
    }
    seen.add(d.itemId);
  }
  const decided = await db.transaction(async (tx) => {
    await lockOpenReview(tx, reviewId, "share");
    const ids = [...seen].sort((a, b) => a - b);
    const locked = await tx
      .select({ id: reviewItems.id })
      .from(reviewItems)
      .where(and(eq(reviewItems.reviewId, reviewId), inArray(reviewItems.id, ids)))
      .orderBy(asc(reviewItems.id))
      .for("update");
    if (locked.length !== ids.length) {
      const found = new Set(locked.map((row) => row.id));
      const missing = ids.find((id) => !found.has(id));
      throw new ApiError(
        "invalid_body",
        `itemId ${missing} is not an account of review ${reviewId}.`,
      );
    }
    const now = await databaseNow(tx);
    const groups = new Map<string, { decision: Decision; comment: string | null; ids: number[] }>();
    for (const d of decisions) {
      const comment = d.comment?.trim() ? d.comment.trim() : null;
      const key = JSON.stringify([d.decision, comment]);
      const group = groups.get(key) ?? { decision: d.decision, comment, ids: [] };
      group.ids.push(d.itemId);
      groups.set(key, group);
    }
    const updated: ItemRow[] = [];
    for (const group of groups.values()) {
      updated.push(
        ...(await tx
          .update(reviewItems)
          .set({
            decision: group.decision,
            comment: group.comment,
            decidedBy: admin,
            decidedAt: now,
          })
          .where(inArray(reviewItems.id, group.ids))
          .returning(itemColumns)),
      );
    }
    await tx.insert(reviewDecisions).values(
      updated.map((row) => ({
        reviewId,
        itemId: row.id,
        decision: row.decision!,
        comment: row.comment,
        decidedBy: admin,
        decidedAt: row.decidedAt!,
      })),
    );
    const tally = Object.fromEntries(DECISIONS.map((d) => [d, 0])) as Record<Decision, number>;
    for (const d of decisions) tally[d.decision] += 1;
    await recordActivity(
      tx,
      {
        kind: "review.decided",
        admin,
        details: { reviewId, items: decisions.length, ...tally },
      },
      { at: now },
    );
    return updated.sort((a, b) => a.id - b.id).map(toItem);
  });
  const tally = (await tallyItems(db, [reviewId])).get(reviewId);
  return { decided, counts: tally ? countsFrom(tally) : EMPTY_COUNTS };
}

/** The decision history of one item, oldest first. */
export async function decisionHistory(db: Db, itemId: number) {
  return db
    .select()
    .from(reviewDecisions)
    .where(eq(reviewDecisions.itemId, itemId))
    .orderBy(asc(reviewDecisions.id));
}

/**
 * Closes a review when every account is decided, and stores its evidence (the
 * CSV and the JSON manifest) so each download is byte-for-byte the same. The
 * close is dated once the review is locked, on the database's clock that
 * decisions are stamped with: a decision still being recorded when Close was
 * pressed has committed by then, so no decision is ever later than the close.
 * The `review.closed` entry carries that same time: closedAt equals its `at`.
 */
export async function closeReview(db: Db, reviewId: number, admin: string): Promise<ReviewSummary> {
  await db.transaction(async (tx) => {
    const review = await lockOpenReview(tx, reviewId, "update");
    const now = await databaseNow(tx);
    const [undecided] = await tx
      .select({ n: count() })
      .from(reviewItems)
      .where(and(eq(reviewItems.reviewId, reviewId), isNull(reviewItems.decision)));
    if (undecided && undecided.n > 0) {
      throw new ApiError(
        "review_incomplete",
        `${formatCount(undecided.n)} of ${formatCount(review.itemCount)} ${review.itemCount === 1 ? "account" : "accounts"} ${undecided.n === 1 ? "is" : "are"} still undecided; decide every account before closing.`,
      );
    }
    const items = await tx
      .select(itemColumns)
      .from(reviewItems)
      .where(eq(reviewItems.reviewId, reviewId))
      .orderBy(asc(reviewItems.id));
    const closed = { ...review, state: "closed", closedBy: admin, closedAt: now };
    const evidenceItems = items.map((row) => ({ ...toItem(row), snapshotId: row.snapshotId }));
    const { csv, csvSha256 } = buildEvidence.csv(evidenceItems);
    // The review.closed entry holds both files' hashes, so the manifest, written first, names
    // the entry by its place in the chain: the head stays locked until the entry is appended.
    const closedEntry = await nextActivityEntry(tx);
    const { json, jsonSha256 } = buildEvidence.manifest({
      review: toSummary(closed, undefined),
      items: evidenceItems,
      csv,
      csvSha256,
      closedEntry,
    });
    const entry = await recordActivity(
      tx,
      {
        kind: "review.closed",
        admin,
        details: { reviewId, items: items.length, csvSha256, jsonSha256 },
      },
      { at: now },
    );
    if (entry.seq !== closedEntry.seq) {
      throw new Error(`review.closed was appended as ${entry.seq}, not ${closedEntry.seq}`);
    }
    // Counted after every decision is in and the review locked: the counts it closes with.
    const closedCounts = (await tallyItems(tx, [reviewId])).get(reviewId);
    await tx
      .update(reviews)
      .set({
        state: "closed",
        closedCounts,
        closedBy: admin,
        closedAt: now,
        evidenceCsv: Buffer.from(csv, "utf8"),
        evidenceCsvSha256: csvSha256,
        evidenceJson: Buffer.from(json, "utf8"),
        evidenceJsonSha256: jsonSha256,
      })
      .where(eq(reviews.id, reviewId));
  });
  return requireReview(db, reviewId);
}

/** A closed review's stored evidence file, and the number of accounts it covers. */
export async function getEvidence(
  db: Db,
  reviewId: number,
  file: "csv" | "json",
): Promise<{ bytes: Uint8Array; rows: number }> {
  const [row] = await db
    .select({
      state: reviews.state,
      rows: reviews.itemCount,
      csv: reviews.evidenceCsv,
      json: reviews.evidenceJson,
    })
    .from(reviews)
    .where(eq(reviews.id, reviewId));
  if (!row) throw notFound(reviewId);
  const bytes = file === "csv" ? row.csv : row.json;
  if (row.state !== "closed" || bytes === null) {
    throw new ApiError(
      "not_found",
      `Review ${reviewId} is still open: its evidence is produced when it closes.`,
    );
  }
  return { bytes, rows: row.rows };
}

/** Every item decided `revoke`, in id order. */
export async function revokeItems(db: Db, reviewId: number): Promise<ReviewItem[]> {
  await requireReview(db, reviewId);
  const rows = await db
    .select(itemColumns)
    .from(reviewItems)
    .where(and(eq(reviewItems.reviewId, reviewId), eq(reviewItems.decision, "revoke")))
    .orderBy(asc(reviewItems.id));
  return rows.map(toItem);
}
