import "server-only";

import { and, eq, inArray, max, or } from "drizzle-orm";

import type { Db } from "@/lib/db/client";
import { snapshots } from "@/lib/db/schema";
import { getProvider } from "@/lib/providers";
import type { ProviderId } from "@/lib/users/schema";
import { PROVIDER_IDS } from "@/lib/users/contract";

import { nextScheduledAt, readSchedule, scheduleIntervalMs } from "./schedule";
import type { DirectoryStatus, ProviderStatus } from "./schema";

/**
 * One vendor's sync state, read in one statement so that it is consistent: a
 * sync publishing between separate reads could otherwise show as neither
 * running nor current. The same statement reads what the schedule goes by
 * (`readSchedule`), so when it syncs the vendor next (every `intervalMs`, 0:
 * off) costs no statement of its own on every poll.
 */
export async function providerStatus(
  db: Db,
  provider: ProviderId,
  intervalMs = scheduleIntervalMs(),
): Promise<ProviderStatus> {
  const latestEnded = db
    .select({ id: max(snapshots.id) })
    .from(snapshots)
    .where(
      and(eq(snapshots.provider, provider), inArray(snapshots.state, ["failed", "cancelled"])),
    );
  const { rows, facts } = await readSchedule(
    db,
    provider,
    or(eq(snapshots.state, "running"), eq(snapshots.id, latestEnded)),
  );
  const current = facts.current;
  const currentRow = rows.find((row) => row.id === current?.id);
  const running = rows.find((row) => row.state === "running");
  // The latest that ended badly; the schedule's last attempt, also read, may be an earlier one.
  const failed = [...rows]
    .sort((a, b) => b.id - a.id)
    .find((row) => row.state === "failed" || row.state === "cancelled");
  // A failure older than the current snapshot has been made good since.
  const failure = failed && (!current || failed.id > current.id) ? failed : undefined;
  const configured = getProvider(provider).isConfigured();
  const next = configured && !running ? nextScheduledAt(facts, intervalMs) : null;
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
