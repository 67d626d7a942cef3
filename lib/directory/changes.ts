import "server-only";

import { and, asc, desc, eq, gt, isNotNull, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";

import { parseIsoDateTime } from "@/lib/api/dates";
import { ApiError } from "@/lib/api/errors";
import { isStorableText } from "@/lib/api/text";
import type { Db } from "@/lib/db/client";
import { directoryUsers, snapshots } from "@/lib/db/schema";
import type { ProviderId } from "@/lib/users/schema";

import { validAt } from "./read";
import { trackedValues, VENDOR_FLAG_KEYS } from "./tracked";
import {
  CHANGE_KINDS,
  CHANGES_MAX_LIMIT,
  TRACKED_FIELDS,
  type Change,
  type ChangesPage,
  type ChangesQuery,
  type TrackedField,
} from "./schema";

type Row = typeof directoryUsers.$inferSelect;
type Ref = { snapshotId: number; finishedAt: string };

/**
 * A snapshot named by id, or by a time (the latest one finished at or before
 * it). `null` for a time before the vendor's first snapshot. `atMost` leaves
 * later snapshots out of a time's answer: a list's later pages resolve a time
 * as its first page did, whatever syncs finished since (an id is taken as is).
 */
export async function resolveSnapshot(
  db: Db,
  provider: ProviderId,
  at: string | undefined,
  param: string,
  atMost?: number,
): Promise<Ref | null> {
  const conditions = [eq(snapshots.provider, provider), eq(snapshots.state, "succeeded")];
  if (at !== undefined) {
    if (/^[0-9]{1,15}$/.test(at)) {
      conditions.push(eq(snapshots.id, Number(at)));
    } else {
      const time = parseIsoDateTime(at);
      if (!time) {
        throw new ApiError(
          "invalid_query",
          `${param} must be a snapshot id or an ISO 8601 time such as 2026-11-30T00:00:00Z`,
        );
      }
      conditions.push(lte(snapshots.finishedAt, time));
      if (atMost !== undefined) conditions.push(lte(snapshots.id, atMost));
    }
  }
  const [row] = await db
    .select({ id: snapshots.id, finishedAt: snapshots.finishedAt })
    .from(snapshots)
    .where(and(...conditions))
    .orderBy(desc(snapshots.id))
    .limit(1);
  if (!row?.finishedAt) {
    if (at !== undefined && /^[0-9]+$/.test(at)) {
      throw new ApiError(
        "not_found",
        `${param}: no succeeded snapshot ${at} of ${provider} (a number is read as a snapshot id; give a time in ISO 8601, such as 2026-11-30T00:00:00Z)`,
      );
    }
    return null;
  }
  return { snapshotId: row.id, finishedAt: row.finishedAt.toISOString() };
}

/** The vendor's succeeded snapshot just before `id`, or null when `id` is its first. */
async function snapshotBefore(db: Db, provider: ProviderId, id: number): Promise<Ref | null> {
  const [row] = await db
    .select({ id: snapshots.id, finishedAt: snapshots.finishedAt })
    .from(snapshots)
    .where(
      and(eq(snapshots.provider, provider), eq(snapshots.state, "succeeded"), lt(snapshots.id, id)),
    )
    .orderBy(desc(snapshots.id))
    .limit(1);
  return row?.finishedAt ? { snapshotId: row.id, finishedAt: row.finishedAt.toISOString() } : null;
}

function tracked(row: Row): Record<TrackedField, string | boolean | null> {
  const values = trackedValues(row);
  // The API's form: the sorted names joined.
  return { ...values, groups: values.groups ? values.groups.join("; ") : null };
}

/** The tracked fields that differ between two versions of a user. */
export function changedFields(before: Row, after: Row): Change["fields"] {
  const a = tracked(before);
  const b = tracked(after);
  return TRACKED_FIELDS.filter((field) => a[field] !== b[field]).map((field) => ({
    field,
    old: a[field],
    new: b[field],
  }));
}

/** How much of an email orders the changes (ties go by user id). */
const SORT_EMAIL_CHARS = 200;

/**
 * Where a list of changes resumes, and the snapshots it reads: a page that
 * omits `to` (or `from`) would otherwise read another range once a sync has
 * finished between two pages. `after` must be a user id the database can
 * compare (a forged one holding a NUL would fail the query: 500).
 */
const cursorSchema = z.strictObject({
  /** The last entry's sort key (the start of its lowercase email, "" for none) and user id. */
  afterEmail: z
    .string()
    .max(SORT_EMAIL_CHARS * 2)
    .refine(isStorableText),
  after: z.string().min(1).max(512).refine(isStorableText),
  provider: z.string(),
  from: z.int().nonnegative(),
  to: z.int().positive(),
  /** The `change` and `field` filters the list began with; null for none. */
  change: z.nullable(z.enum(CHANGE_KINDS)),
  field: z.nullable(z.enum(TRACKED_FIELDS)),
});
type Cursor = z.infer<typeof cursorSchema>;

function encode(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

function invalidCursor(reason: string): ApiError {
  return new ApiError("invalid_cursor", `cursor ${reason}; start again without it`);
}

function decode(cursor: string): Cursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw invalidCursor("is not one from this API");
  }
}

/**
 * Users added, removed and changed between two snapshots of a vendor. Only
 * versions that ended or began between them are read, so the cost follows
 * the changes, not the population. Versions that differ only in untracked
 * fields (a new sign-in time) are left out by the query itself; the few it
 * cannot tell apart (the same groups in another order) are dropped after, so
 * a page may hold fewer than `limit` entries and still have a `nextCursor`.
 * Without `from`, the snapshot before `to`; without `to`, the current one.
 */
export async function listChanges(db: Db, input: ChangesQuery): Promise<ChangesPage> {
  const { provider } = input;
  const pinned = input.cursor === undefined ? null : decode(input.cursor);
  if (pinned && pinned.provider !== provider) throw invalidCursor("was made for another provider");
  // Without `to`, a later page reads the snapshot the list began with, not the current one; with a
  // time, a sync that finished since is not the list's either.
  const to = await resolveSnapshot(
    db,
    provider,
    input.to ?? pinned?.to.toString(),
    "to",
    pinned?.to,
  );
  if (!to) {
    throw new ApiError(
      "directory_empty",
      `The directory holds no snapshot of ${provider} at that time: sync it first.`,
    );
  }
  const from =
    input.from === undefined
      ? await snapshotBefore(db, provider, to.snapshotId)
      : await resolveSnapshot(db, provider, input.from, "from", pinned?.to);
  if (from && from.snapshotId > to.snapshotId) {
    throw new ApiError("invalid_query", "from must not be later than to");
  }
  const fromId = from?.snapshotId ?? 0;
  const toId = to.snapshotId;
  if (pinned && (pinned.from !== fromId || pinned.to !== toId)) {
    throw invalidCursor("was made for another range (from, to)");
  }
  const field = input.field ?? null;
  // A field changed: only changed users, whatever `change` says (the query refuses another).
  const change = field ? "changed" : (input.change ?? null);
  if (pinned && (pinned.change !== change || pinned.field !== field)) {
    throw invalidCursor("was made for another change or field filter");
  }

  const ended = db
    .select()
    .from(directoryUsers)
    .where(
      and(
        validAt(provider, fromId, false),
        isNotNull(directoryUsers.toSnapshot),
        lte(directoryUsers.toSnapshot, toId),
      ),
    )
    .as("before");
  const began = db
    .select()
    .from(directoryUsers)
    .where(and(validAt(provider, toId, false), gt(directoryUsers.fromSnapshot, fromId)))
    .as("after");
  // In the order of the email (lowercase, the current one for a changed user; accounts without
  // one first), then the user id: a list an admin can scan, and a total order for the cursor.
  // The first SORT_EMAIL_CHARS characters only, so that the cursor stays short whatever the email.
  const emailKey = sql<string>`left(coalesce(${began.emailKey}, ${ended.emailKey}, ''), ${SORT_EMAIL_CHARS}) collate "C"`;
  const idKey = sql<string>`coalesce(${began.userId}, ${ended.userId}) collate "C"`;
  // Whether a tracked field may differ between the two versions: at least whenever
  // `changedFields` finds it does (the same groups in another order pass here, and are dropped
  // below). Without it, every new sign-in time was a row read and dropped, and a page of
  // `limit` rows could hold no change at all.
  const differs = (column: "email" | "name" | "status" | "role" | "groups") =>
    sql`${ended[column]} is distinct from ${began[column]}`;
  const flagDiffers = (key: string) =>
    sql`${ended.vendor} -> ${key}::text is distinct from ${began.vendor} -> ${key}::text`;
  const fieldDiffers: Record<TrackedField, SQL> = {
    email: differs("email"),
    name: differs("name"),
    status: differs("status"),
    role: differs("role"),
    groups: differs("groups"),
    ssoBypass: flagDiffers(VENDOR_FLAG_KEYS.ssoBypass),
    serviceAccount: flagDiffers(VENDOR_FLAG_KEYS.serviceAccount),
    scimManaged: flagDiffers(VENDOR_FLAG_KEYS.scimManaged),
  };
  const trackedDiffers = field ? fieldDiffers[field] : or(...Object.values(fieldDiffers));
  const rows = await db
    .select()
    .from(ended)
    .fullJoin(began, eq(ended.userId, began.userId))
    .where(
      and(
        pinned
          ? sql`(${emailKey}, ${idKey}) > (${pinned.afterEmail} collate "C", ${pinned.after} collate "C")`
          : undefined,
        // Added: no version before; removed: none after; changed: both, with a tracked field apart.
        change === "added" ? isNull(ended.userId) : undefined,
        change === "removed" ? isNull(began.userId) : undefined,
        change === "changed" ? and(isNotNull(ended.userId), isNotNull(began.userId)) : undefined,
        or(isNull(ended.userId), isNull(began.userId), trackedDiffers),
      ),
    )
    .orderBy(asc(emailKey), asc(idKey))
    .limit(input.limit);

  const data: Change[] = [];
  for (const row of rows) {
    const a: Row | null = row.before;
    const b: Row | null = row.after;
    if (a && b) {
      const fields = changedFields(a, b);
      if (field ? fields.some((f) => f.field === field) : fields.length > 0) {
        data.push({ id: b.userId, email: b.email, name: b.name, change: "changed", fields });
      }
    } else if (b) {
      data.push({ id: b.userId, email: b.email, name: b.name, change: "added", fields: [] });
    } else if (a) {
      data.push({ id: a.userId, email: a.email, name: a.name, change: "removed", fields: [] });
    }
  }
  const last = rows.at(-1);
  const lastId = last ? (last.after?.userId ?? last.before?.userId) : undefined;
  // As the query's sort key (a code point is never split: `left` counts characters too).
  const lastEmail = [...(last?.after?.emailKey ?? last?.before?.emailKey ?? "")]
    .slice(0, SORT_EMAIL_CHARS)
    .join("");
  return {
    provider,
    from,
    to,
    data,
    nextCursor:
      rows.length === input.limit && lastId
        ? encode({
            afterEmail: lastEmail,
            after: lastId,
            provider,
            from: fromId,
            to: toId,
            change,
            field,
          })
        : null,
  };
}

/** The snapshots a list of changes reads: its first page's, which its cursor keeps for the rest. */
export type ChangesRange = Pick<ChangesPage, "from" | "to">;

/**
 * Every change between the query's snapshots, one page per step, read only
 * when the caller asks for the next: memory holds one page however many
 * changes the range has. The first page resolves the snapshots (`onRange`,
 * before it is yielded) and the cursor pins them for the rest, so a sync
 * finishing meanwhile changes nothing and every change comes exactly once.
 * Once `signal` aborts no further page is read. A page may be empty (versions
 * that differ only in untracked fields) and still not be the last.
 */
export async function* changePages(
  db: Db,
  query: Omit<ChangesQuery, "limit" | "cursor">,
  options: {
    onRange?: (range: ChangesRange) => void;
    signal?: AbortSignal;
    pageSize?: number;
    /** Reads one page: `listChanges` unless a test watches the reads. */
    readPage?: typeof listChanges;
  } = {},
): AsyncGenerator<Change[], void, undefined> {
  const { readPage = listChanges, pageSize = CHANGES_MAX_LIMIT } = options;
  let cursor: string | undefined;
  do {
    options.signal?.throwIfAborted();
    const page = await readPage(db, { ...query, limit: pageSize, cursor });
    if (cursor === undefined) options.onRange?.({ from: page.from, to: page.to });
    cursor = page.nextCursor ?? undefined;
    yield page.data;
  } while (cursor !== undefined);
}
