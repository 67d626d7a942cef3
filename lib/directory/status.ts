import "server-only";

import { and, eq, inArray, max, or } from "drizzle-orm";

import type { Db } from "@/lib/db/client";
import { snapshots } from "@/lib/db/schema";
import { getProvider } from "@/lib/providers";
import type { ProviderId } from "@/lib/users/schema";
import { PROVIDER_IDS } from "@/lib/users/contract";

import { nextScheduledSync, scheduleIntervalMs } from "./schedule";
import type { DirectoryStatus, ProviderStatus } from "./schema";

/**
 * One vendor's sync state, read in one statement so that it is consistent: a
 * sync publishing between separate reads could otherwise show as neither
 * running nor current. Then when the schedule (every `intervalMs`, 0: off)
 * syncs it next.
 */
export async function providerStatus(
  db: Db,
  provider: ProviderId,
  intervalMs = scheduleIntervalMs(),
): Promise<ProviderStatus> {
  const latest = (states: readonly string[]) =>
    db
      .select({ id: max(snapshots.id) })
      .from(snapshots)
      .where(and(eq(snapshots.provider, provider), inArray(snapshots.state, [...states])));
  const rows = await db
    .select()
    .from(snapshots)
    .where(
      and(
        eq(snapshots.provider, provider),
        or(
          eq(snapshots.state, "running"),
          eq(snapshots.id, latest(["succeeded"])),
          eq(snapshots.id, latest(["failed", "cancelled"])),
        ),
      ),
    );
  const currentRow = rows.find((row) => row.state === "succeeded" && row.finishedAt);
  const current = currentRow?.finishedAt
    ? { id: currentRow.id, finishedAt: currentRow.finishedAt }
    : null;
  const running = rows.find((row) => row.state === "running");
  const failed = rows.find((row) => row.state === "failed" || row.state === "cancelled");
  // A failure older than the current snapshot has been made good since.
  const failure = failed && (!current || failed.id > current.id) ? failed : undefined;
  const configured = getProvider(provider).isConfigured();
  // Its own reads, after that statement: a sync starting or ending between them leaves it a refresh
  // behind, no more.
  const next = configured && !running ? await nextScheduledSync(db, provider, intervalMs) : null;
  return {
    configured,
    current: current
      ? {
          snapshotId: current.id,
          finishedAt: current.finishedAt.toISOString(),
          rows: currentRow?.rows ?? 0,
        }
      : null,
    running: running
      ? {
          snapshotId: running.id,
          startedAt: running.startedAt.toISOString(),
          rowsSoFar: running.rows,
          total: running.total,
        }
      : null,
    lastFailure: failure
      ? {
          at: (failure.finishedAt ?? failure.startedAt).toISOString(),
          code: failure.errorCode ?? "internal_error",
          message: failure.errorMessage ?? "The sync failed.",
        }
      : null,
    nextScheduledAt: next?.toISOString() ?? null,
  };
}

export async function directoryStatus(db: Db): Promise<DirectoryStatus> {
  const entries = await Promise.all(
    PROVIDER_IDS.map(async (id) => [id, await providerStatus(db, id)] as const),
  );
  return { providers: Object.fromEntries(entries) as DirectoryStatus["providers"] };
}
