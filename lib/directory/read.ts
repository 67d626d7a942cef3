import "server-only";

import { and, asc, count, desc, eq, gt, isNull, lte, or, sql, type SQL } from "drizzle-orm";

import { ApiError } from "@/lib/api/errors";
import type { Db } from "@/lib/db/client";
import { directoryUsers, snapshots } from "@/lib/db/schema";
import type { UsersReader, VendorPosition } from "@/lib/providers/types";
import type { FilterName, ProviderId, User, UserStatus, UsersFilters } from "@/lib/users/schema";
import { PROVIDER_LABELS } from "@/lib/users/contract";

/** Rows per database read when the export walks the directory. */
const EXPORT_BATCH = 1000;

/**
 * Vendor-record keys that the live API sends only when groups are asked for
 * (Telnyx `groups` with `include_groups=true`). A sync always asks, so the
 * directory drops them again for `groups=false`, and answers row for row as
 * the vendor would.
 */
const GROUPS_ONLY_KEYS: Partial<Record<ProviderId, string>> = { telnyx: "groups" };

export interface SnapshotRef {
  id: number;
  finishedAt: Date;
}

/** The vendor's current snapshot: its latest succeeded sync, or null before the first. */
export async function currentSnapshot(db: Db, provider: ProviderId): Promise<SnapshotRef | null> {
  const [row] = await db
    .select({ id: snapshots.id, finishedAt: snapshots.finishedAt })
    .from(snapshots)
    .where(and(eq(snapshots.provider, provider), eq(snapshots.state, "succeeded")))
    .orderBy(desc(snapshots.id))
    .limit(1);
  return row?.finishedAt ? { id: row.id, finishedAt: row.finishedAt } : null;
}

async function snapshotById(db: Db, provider: ProviderId, id: number): Promise<SnapshotRef> {
  const [row] = await db
    .select({ finishedAt: snapshots.finishedAt })
    .from(snapshots)
    .where(
      and(eq(snapshots.id, id), eq(snapshots.provider, provider), eq(snapshots.state, "succeeded")),
    );
  if (!row?.finishedAt) {
    throw new ApiError("invalid_cursor", "cursor names a snapshot that no longer exists");
  }
  return { id, finishedAt: row.finishedAt };
}

/**
 * The versions that made up `provider`'s population at `snapshot`. For the
 * current snapshot that is simply the open versions (a partial index).
 */
export function validAt(provider: ProviderId, snapshot: number, isCurrent: boolean): SQL {
  const window = isCurrent
    ? isNull(directoryUsers.toSnapshot)
    : and(
        lte(directoryUsers.fromSnapshot, snapshot),
        or(isNull(directoryUsers.toSnapshot), gt(directoryUsers.toSnapshot, snapshot)),
      );
  return and(eq(directoryUsers.provider, provider), window)!;
}

/** The directory's rows a list with these filters holds (status; email as a case-insensitive substring). */
export function filterConditions(filters: UsersFilters): SQL[] {
  const conditions: SQL[] = [];
  if (filters.status) conditions.push(eq(directoryUsers.status, filters.status));
  if (filters.email) {
    // A case-insensitive substring, as the live filters (strpos needs no LIKE escaping), lowercased
    // by JavaScript on both sides as the live OpenAI filter is: SQL's lower() follows the
    // database's locale, which under `C` leaves É, Ж or Σ as they are. `email_key` is the email
    // trimmed and lowercased; a filter without whitespace at its ends (the dashboard trims it) is
    // in the email exactly when it is in the key. Otherwise the untrimmed email is lowercased here.
    const filter = filters.email.toLowerCase();
    conditions.push(
      filter === filter.trim()
        ? sql`strpos(coalesce(${directoryUsers.emailKey}, ''), ${filter}) > 0`
        : sql`strpos(lower(coalesce(${directoryUsers.email}, '')), ${filter}) > 0`,
    );
  }
  return conditions;
}

/** Vendor order: created (Telnyx) or added (OpenAI) time, then the id compared bytewise. */
const idBytewise = sql`${directoryUsers.userId} collate "C"`;
const ORDER = [asc(directoryUsers.createdAt), asc(idBytewise)];

function after(position: { createdAt: string | null; id: string }): SQL {
  const id = sql`${position.id} collate "C"`;
  if (position.createdAt === null) {
    // Null times sort last in PostgreSQL's ascending order: only later ids among them follow.
    return and(isNull(directoryUsers.createdAt), gt(idBytewise, id))!;
  }
  const at = new Date(position.createdAt);
  return or(
    gt(directoryUsers.createdAt, at),
    isNull(directoryUsers.createdAt),
    and(eq(directoryUsers.createdAt, at), gt(idBytewise, id)),
  )!;
}

type Row = typeof directoryUsers.$inferSelect;

function toUser(provider: ProviderId, row: Row, groups: boolean): User {
  let vendor = row.vendor;
  const groupsKey = GROUPS_ONLY_KEYS[provider];
  if (!groups && groupsKey && groupsKey in vendor) {
    vendor = { ...vendor };
    delete vendor[groupsKey];
  }
  return {
    id: row.userId,
    provider,
    email: row.email,
    name: row.name,
    status: row.status as UserStatus,
    role: row.role,
    createdAt: row.createdAt?.toISOString() ?? null,
    lastActiveAt: row.lastActiveAt?.toISOString() ?? null,
    groups: groups ? row.groups : null,
    vendor,
  };
}

function appliedFilters(filters: UsersFilters): FilterName[] {
  return [
    ...(filters.status ? ["status" as const] : []),
    ...(filters.email ? ["email" as const] : []),
  ];
}

function directoryEmpty(provider: ProviderId): ApiError {
  return new ApiError(
    "directory_empty",
    `The directory holds no snapshot of ${PROVIDER_LABELS[provider]} yet: sync it first, or read it live (source=vendor).`,
  );
}

/**
 * The users API answered from the directory: the same contract as the
 * vendor adapters (filters, order, cursor, `total`), read from one pinned
 * snapshot, with every filter applied by the database.
 */
export function directoryAdapter(provider: ProviderId, db: () => Promise<Db>): UsersReader {
  return {
    id: provider,
    isConfigured: () => true,

    async listUsers({ filters, limit, position }) {
      const conn = await db();
      if (position && position.kind !== "directory") {
        throw new ApiError("invalid_cursor", "cursor was not made for the directory");
      }
      const current = await currentSnapshot(conn, provider);
      if (!current && !position) throw directoryEmpty(provider);
      const snapshot = position ? await snapshotById(conn, provider, position.snapshot) : current!;
      const scope = and(
        validAt(provider, snapshot.id, snapshot.id === current?.id),
        ...filterConditions(filters),
      );
      const rows = await conn
        .select()
        .from(directoryUsers)
        .where(position ? and(scope, after(position)) : scope)
        .orderBy(...ORDER)
        .limit(limit + 1);
      const [{ total } = { total: 0 }] = await conn
        .select({ total: count() })
        .from(directoryUsers)
        .where(scope);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      const next: VendorPosition | null =
        rows.length > limit && last
          ? {
              kind: "directory",
              snapshot: snapshot.id,
              createdAt: last.createdAt?.toISOString() ?? null,
              id: last.userId,
            }
          : null;
      return {
        data: page.map((row) => toUser(provider, row, filters.groups)),
        next,
        total,
        filteredBy: { vendor: [], roster: appliedFilters(filters) },
        asOf: snapshot.finishedAt.toISOString(),
      };
    },

    async *exportUsers({ filters, onTotal, onSnapshot }) {
      const conn = await db();
      const snapshot = await currentSnapshot(conn, provider);
      if (!snapshot) throw directoryEmpty(provider);
      onSnapshot?.(snapshot.id);
      // Pinned by id, as a sync may publish a newer snapshot while the export runs.
      const pinned = and(validAt(provider, snapshot.id, false), ...filterConditions(filters));
      const [{ total } = { total: 0 }] = await conn
        .select({ total: count() })
        .from(directoryUsers)
        .where(pinned);
      onTotal?.(total);
      let cursor: { createdAt: string | null; id: string } | null = null;
      for (;;) {
        const rows: Row[] = await conn
          .select()
          .from(directoryUsers)
          .where(cursor ? and(pinned, after(cursor)) : pinned)
          .orderBy(...ORDER)
          .limit(EXPORT_BATCH);
        if (rows.length === 0) return;
        yield rows.map((row) => toUser(provider, row, filters.groups));
        const last = rows.at(-1)!;
        cursor = { createdAt: last.createdAt?.toISOString() ?? null, id: last.userId };
        if (rows.length < EXPORT_BATCH) return;
      }
    },
  };
}
