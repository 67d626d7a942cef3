import "server-only";

import { and, desc, eq, gt, inArray } from "drizzle-orm";

import type { Db } from "@/lib/db/client";
import { snapshots } from "@/lib/db/schema";
import { getProvider } from "@/lib/providers";
import { PROVIDER_IDS, type ProviderId } from "@/lib/users/schema";

import { currentSnapshot } from "./read";
import type { DirectoryStatus, ProviderStatus } from "./schema";

export async function providerStatus(db: Db, provider: ProviderId): Promise<ProviderStatus> {
  const current = await currentSnapshot(db, provider);
  const [currentRow] = current
    ? await db.select({ rows: snapshots.rows }).from(snapshots).where(eq(snapshots.id, current.id))
    : [];
  const [running] = await db
    .select()
    .from(snapshots)
    .where(and(eq(snapshots.provider, provider), eq(snapshots.state, "running")))
    .limit(1);
  const [failure] = await db
    .select()
    .from(snapshots)
    .where(
      and(
        eq(snapshots.provider, provider),
        inArray(snapshots.state, ["failed", "cancelled"]),
        ...(current ? [gt(snapshots.id, current.id)] : []),
      ),
    )
    .orderBy(desc(snapshots.id))
    .limit(1);
  return {
    configured: getProvider(provider).isConfigured(),
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
  };
}

export async function directoryStatus(db: Db): Promise<DirectoryStatus> {
  const entries = await Promise.all(
    PROVIDER_IDS.map(async (id) => [id, await providerStatus(db, id)] as const),
  );
  return { providers: Object.fromEntries(entries) as DirectoryStatus["providers"] };
}
