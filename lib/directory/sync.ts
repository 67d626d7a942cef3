import "server-only";

import { createHash } from "node:crypto";

import { and, count, countDistinct, eq, isNull, lt, notExists, sql } from "drizzle-orm";

import { ApiError } from "@/lib/api/errors";
import type { Db } from "@/lib/db/client";
import { directoryStaging, directoryUsers, snapshots } from "@/lib/db/schema";
import type { ExportPageInfo, UsersReader } from "@/lib/providers/types";
import type { ProviderId, User } from "@/lib/users/schema";

/** A running sync whose heartbeat is older than this died with its instance; the next sync takes over. */
export const STALE_SYNC_MS = 3 * 60_000;

/** Vendor pages read at once by a sync (Telnyx), as the export does. */
export interface SyncOptions {
  concurrency: number;
  signal?: AbortSignal;
  /** Rows staged so far, after every page. */
  onProgress?: (progress: { rows: number; total: number | null }) => void;
}

/** How each vendor's endpoint is read by a sync: what the completeness proof names. */
const ENDPOINTS: Record<ProviderId, { endpoint: string; parameters: Record<string, unknown> }> = {
  telnyx: {
    endpoint: "GET /v2/organizations/users",
    parameters: { "page[size]": 250, include_groups: true },
  },
  openai: { endpoint: "GET /v1/organization/users", parameters: { limit: 100 } },
};

export interface CompletenessProof {
  endpoint: string;
  parameters: Record<string, unknown>;
  pagesRead: number;
  /** The last page's paging fields: Telnyx `page_number` and `total_pages`, OpenAI `has_more: false`. */
  lastPage: ExportPageInfo["marker"] | null;
  /** The vendor's own count (Telnyx `meta.total_results`), or null where it reports none. */
  vendorTotal: number | null;
  rowsWritten: number;
  duplicates: number;
  reconciled: boolean;
}

/**
 * Takes the lease for a sync of `provider`: a `running` snapshot row, at most
 * one per vendor across every instance (a unique index). A running row whose
 * instance stopped beating is marked failed first. 409 `sync_running` when a
 * live sync holds it.
 */
export async function beginSync(
  db: Db,
  provider: ProviderId,
  startedBy: string,
): Promise<{ snapshotId: number }> {
  await db
    .update(snapshots)
    .set({
      state: "failed",
      finishedAt: new Date(),
      errorCode: "sync_abandoned",
      errorMessage: "The instance running this sync stopped before it finished.",
    })
    .where(
      and(
        eq(snapshots.provider, provider),
        eq(snapshots.state, "running"),
        lt(snapshots.heartbeatAt, new Date(Date.now() - STALE_SYNC_MS)),
      ),
    );
  try {
    const [row] = await db
      .insert(snapshots)
      .values({ provider, state: "running", startedBy })
      .returning({ id: snapshots.id });
    if (!row) throw new Error("no snapshot row returned");
    return { snapshotId: row.id };
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ApiError("sync_running", `A sync of ${provider} is already running.`);
    }
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

/** sha256 of what Roster keeps of a user: a new version is stored only when it differs. */
export function userHash(user: User): string {
  return createHash("sha256")
    .update(
      JSON.stringify([
        user.email,
        user.name,
        user.status,
        user.role,
        user.createdAt,
        user.lastActiveAt,
        user.groups,
        user.vendor,
      ]),
    )
    .digest("hex");
}

/**
 * A staged row keyed by column name, as `jsonb_populate_recordset` reads it:
 * a page goes to the database as one JSON parameter, which both drivers bind
 * far faster than a parameter per value.
 */
function stagingRecord(snapshotId: number, user: User): Record<string, unknown> {
  return {
    snapshot_id: snapshotId,
    user_id: user.id,
    email: user.email,
    email_key: user.email?.trim().toLowerCase() ?? null,
    name: user.name,
    status: user.status,
    role: user.role,
    created_at: user.createdAt,
    last_active_at: user.lastActiveAt,
    groups: user.groups,
    vendor: user.vendor,
    hash: userHash(user),
  };
}

async function stage(db: Db, snapshotId: number, batch: readonly User[]): Promise<void> {
  const records = JSON.stringify(batch.map((user) => stagingRecord(snapshotId, user)));
  await db.execute(
    sql`insert into ${directoryStaging} select * from jsonb_populate_recordset(null::${directoryStaging}, ${records}::jsonb)`,
  );
}

class SyncCancelled extends Error {}

/**
 * Reads every user of the vendor through the adapter's export path (groups
 * included), stages the rows page by page, checks the completeness proof,
 * and publishes the snapshot in one transaction. Whatever goes wrong (vendor
 * failure, a count that does not reconcile, a cancel from any instance), the
 * staged rows are dropped, the failure is recorded with its code, and the
 * previous snapshot stays current. Never throws for a vendor failure: the
 * outcome is in the snapshot row.
 */
export async function runSync(
  db: Db,
  adapter: UsersReader,
  snapshotId: number,
  options: SyncOptions,
): Promise<"succeeded" | "failed" | "cancelled"> {
  const provider = adapter.id;
  const pages: ExportPageInfo[] = [];
  let vendorTotal: number | null = null;
  let rows = 0;
  try {
    for await (const batch of adapter.exportUsers({
      filters: { groups: true },
      concurrency: options.concurrency,
      signal: options.signal,
      onTotal: (total) => {
        vendorTotal = total;
      },
      onPage: (page) => pages.push(page),
    })) {
      if (options.signal?.aborted) throw new SyncCancelled();
      await stage(db, snapshotId, batch);
      rows += batch.length;
      const [state] = await db
        .update(snapshots)
        .set({ rows, total: vendorTotal, heartbeatAt: new Date() })
        .where(eq(snapshots.id, snapshotId))
        .returning({ cancel: snapshots.cancelRequested });
      if (state?.cancel) throw new SyncCancelled();
      options.onProgress?.({ rows, total: vendorTotal });
    }
    if (options.signal?.aborted) throw new SyncCancelled();

    const proof = await buildProof(db, provider, snapshotId, pages, vendorTotal);
    if (!proof.reconciled) {
      await fail(db, snapshotId, "not_reconciled", reconcileMessage(proof), proof);
      return "failed";
    }
    // Fresh statistics for the publish's anti-joins: PGlite runs no autovacuum, and without them
    // the planner takes the staged rows for an empty table and compares every pair.
    await db.execute(sql`analyze directory_staging, directory_users`);
    await publish(db, provider, snapshotId, proof);
    return "succeeded";
  } catch (error) {
    if (error instanceof SyncCancelled || options.signal?.aborted) {
      await fail(db, snapshotId, "cancelled", "The sync was cancelled.", null, "cancelled");
      return "cancelled";
    }
    const code = error instanceof ApiError ? error.code : "internal_error";
    const message =
      error instanceof ApiError ? error.message : "The sync failed on the server; see its log.";
    if (!(error instanceof ApiError)) {
      console.error(`[roster] sync ${provider}: unexpected ${(error as Error)?.name ?? error}`);
    }
    await fail(db, snapshotId, code, message, null);
    return "failed";
  }
}

async function buildProof(
  db: Db,
  provider: ProviderId,
  snapshotId: number,
  pages: ExportPageInfo[],
  vendorTotal: number | null,
): Promise<CompletenessProof> {
  const [staged] = await db
    .select({ rows: count(), ids: countDistinct(directoryStaging.userId) })
    .from(directoryStaging)
    .where(eq(directoryStaging.snapshotId, snapshotId));
  const rowsWritten = staged?.rows ?? 0;
  const duplicates = rowsWritten - (staged?.ids ?? 0);
  const lastPage = pages.at(-1)?.marker ?? null;
  const lastPageReached =
    provider === "telnyx"
      ? lastPage !== null &&
        Number(lastPage.page_number) >= Number(lastPage.total_pages) &&
        // The count the vendor announced on its last page, not only its first.
        Number(lastPage.total_results) === vendorTotal
      : lastPage !== null && lastPage.has_more === false;
  const countsMatch = vendorTotal === null || vendorTotal === rowsWritten;
  return {
    ...ENDPOINTS[provider],
    pagesRead: pages.length,
    lastPage,
    vendorTotal,
    rowsWritten,
    duplicates,
    reconciled: lastPageReached && countsMatch && duplicates === 0,
  };
}

function reconcileMessage(proof: CompletenessProof): string {
  if (proof.duplicates > 0) return `The vendor listed ${proof.duplicates} users twice.`;
  if (proof.vendorTotal !== null && proof.vendorTotal !== proof.rowsWritten) {
    return `The vendor reported ${proof.vendorTotal} users but ${proof.rowsWritten} were read (the list changed during the sync?).`;
  }
  return "The vendor's last page was never reached.";
}

/**
 * One short transaction: versions that changed or disappeared are closed at
 * this snapshot, new and changed users get a version starting at it, and the
 * snapshot becomes the vendor's current one.
 */
async function publish(
  db: Db,
  provider: ProviderId,
  snapshotId: number,
  proof: CompletenessProof,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(directoryUsers)
      .set({ toSnapshot: snapshotId })
      .where(
        and(
          eq(directoryUsers.provider, provider),
          isNull(directoryUsers.toSnapshot),
          notExists(
            tx
              .select({ one: sql`1` })
              .from(directoryStaging)
              .where(
                and(
                  eq(directoryStaging.snapshotId, snapshotId),
                  eq(directoryStaging.userId, directoryUsers.userId),
                  eq(directoryStaging.hash, directoryUsers.hash),
                ),
              ),
          ),
        ),
      );
    // A vendor's first snapshot inserts every staged row. Without this, the planner would see an
    // empty table, take a scan of it as free, and rescan the growing table for every row.
    const [existing] = await tx
      .select({ one: sql`1` })
      .from(directoryUsers)
      .where(and(eq(directoryUsers.provider, provider), isNull(directoryUsers.toSnapshot)))
      .limit(1);
    await tx.insert(directoryUsers).select(
      tx
        .select({
          provider: sql<string>`${provider}`.as("provider"),
          userId: directoryStaging.userId,
          fromSnapshot: sql<number>`${snapshotId}::bigint`.as("from_snapshot"),
          toSnapshot: sql<number | null>`null::bigint`.as("to_snapshot"),
          email: directoryStaging.email,
          emailKey: directoryStaging.emailKey,
          name: directoryStaging.name,
          status: directoryStaging.status,
          role: directoryStaging.role,
          createdAt: directoryStaging.createdAt,
          lastActiveAt: directoryStaging.lastActiveAt,
          groups: directoryStaging.groups,
          vendor: directoryStaging.vendor,
          hash: directoryStaging.hash,
        })
        .from(directoryStaging)
        .where(
          and(
            eq(directoryStaging.snapshotId, snapshotId),
            existing === undefined
              ? undefined
              : notExists(
                  tx
                    .select({ one: sql`1` })
                    .from(directoryUsers)
                    .where(
                      and(
                        eq(directoryUsers.provider, provider),
                        eq(directoryUsers.userId, directoryStaging.userId),
                        isNull(directoryUsers.toSnapshot),
                      ),
                    ),
                ),
          ),
        ),
    );
    await tx
      .update(snapshots)
      .set({
        state: "succeeded",
        finishedAt: new Date(),
        rows: proof.rowsWritten,
        proof,
        heartbeatAt: new Date(),
      })
      .where(eq(snapshots.id, snapshotId));
    await tx.delete(directoryStaging).where(eq(directoryStaging.snapshotId, snapshotId));
  });
}

async function fail(
  db: Db,
  snapshotId: number,
  code: string,
  message: string,
  proof: CompletenessProof | null,
  state: "failed" | "cancelled" = "failed",
): Promise<void> {
  await db.delete(directoryStaging).where(eq(directoryStaging.snapshotId, snapshotId));
  await db
    .update(snapshots)
    .set({ state, finishedAt: new Date(), errorCode: code, errorMessage: message, proof })
    .where(eq(snapshots.id, snapshotId));
}

/** Asks the running sync of `provider` to stop, from any instance. False when none runs. */
export async function requestCancel(db: Db, provider: ProviderId): Promise<boolean> {
  const rows = await db
    .update(snapshots)
    .set({ cancelRequested: true })
    .where(and(eq(snapshots.provider, provider), eq(snapshots.state, "running")))
    .returning({ id: snapshots.id });
  return rows.length > 0;
}
