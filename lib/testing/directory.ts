/**
 * Puts users into the directory as one succeeded snapshot, as a finished sync
 * would: the test-side way to give people, reviews and other directory readers
 * a known population without running a vendor sync.
 */
import { createHash } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";

import type { Db } from "@/lib/db/client";
import { directoryUsers, snapshots } from "@/lib/db/schema";
import type { ProviderId, User } from "@/lib/users/schema";

export async function seedDirectory(
  db: Db,
  provider: ProviderId,
  users: readonly User[],
  options: { finishedAt?: Date } = {},
): Promise<{ snapshotId: number }> {
  const finishedAt = options.finishedAt ?? new Date();
  return db.transaction(async (tx) => {
    const [snapshot] = await tx
      .insert(snapshots)
      .values({
        provider,
        state: "succeeded",
        startedAt: finishedAt,
        finishedAt,
        startedBy: "test",
        rows: users.length,
        total: users.length,
      })
      .returning({ id: snapshots.id });
    if (!snapshot) throw new Error("snapshot not written");
    await tx
      .update(directoryUsers)
      .set({ toSnapshot: snapshot.id })
      .where(and(eq(directoryUsers.provider, provider), isNull(directoryUsers.toSnapshot)));
    for (let i = 0; i < users.length; i += 500) {
      await tx.insert(directoryUsers).values(
        users.slice(i, i + 500).map((user) => ({
          provider,
          userId: user.id,
          fromSnapshot: snapshot.id,
          email: user.email,
          emailKey: user.email?.trim().toLowerCase() ?? null,
          name: user.name,
          status: user.status,
          role: user.role,
          createdAt: user.createdAt ? new Date(user.createdAt) : null,
          lastActiveAt: user.lastActiveAt ? new Date(user.lastActiveAt) : null,
          groups: user.groups,
          vendor: user.vendor,
          hash: createHash("sha256").update(JSON.stringify(user)).digest("hex"),
        })),
      );
    }
    return { snapshotId: snapshot.id };
  });
}
