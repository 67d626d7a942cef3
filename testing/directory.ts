/**
 * Puts users into the directory as one succeeded snapshot, through the sync
 * itself (staging, completeness proof, publish) with a vendor that sends
 * exactly these users: the test-side way to give directory readers a known
 * population without a sandbox.
 */
import type { Db } from "@/lib/db/client";
import { snapshots } from "@/lib/db/schema";
import { beginSync, runSync } from "@/lib/directory/sync";
import type { UsersReader } from "@/lib/providers/types";
import type { ProviderId, User } from "@/lib/users/schema";

export async function seedDirectory(
  db: Db,
  provider: ProviderId,
  users: readonly User[],
): Promise<{ snapshotId: number }> {
  const vendor: UsersReader = {
    id: provider,
    isConfigured: () => true,
    listUsers: () => Promise.reject(new Error("seedDirectory only exports")),
    async *exportUsers({ onTotal, onPage }) {
      // One page, with the last-page marker each vendor sends.
      if (provider === "telnyx") {
        onTotal?.(users.length);
        onPage?.({
          rows: users.length,
          marker: { page_number: 1, page_size: 250, total_pages: 1, total_results: users.length },
        });
      } else {
        onPage?.({
          rows: users.length,
          marker: { after: null, has_more: false, first_id: null, last_id: null },
        });
      }
      if (users.length > 0) yield [...users];
    },
  };
  const { snapshotId } = await beginSync(db, provider, "test");
  const outcome = await runSync(db, vendor, snapshotId, { concurrency: 1 });
  if (outcome !== "succeeded") throw new Error(`seedDirectory: the sync ${outcome}`);
  return { snapshotId };
}

/** An OpenAI user for seeding: an enabled reader named by its id, `patch` on top. */
export function openaiUser(id: string, patch: Partial<User> = {}): User {
  return seedUser("openai", id, { role: "reader", vendor: { id }, ...patch });
}

/**
 * A Telnyx user for seeding: an enabled member named by its id, in no group,
 * who last signed in at `signedIn` (seconds, no zone: its `lastActiveAt` and
 * the vendor's `last_sign_in_at`), `patch` on top.
 */
export function telnyxUser(id: string, signedIn: string, patch: Partial<User> = {}): User {
  return seedUser("telnyx", id, {
    role: "member",
    lastActiveAt: `${signedIn}.000Z`,
    groups: [],
    vendor: { id, record_type: "organization_user", last_sign_in_at: `${signedIn}Z` },
    ...patch,
  });
}

function seedUser(provider: ProviderId, id: string, patch: Partial<User>): User {
  return {
    id,
    provider,
    email: `${id}@example.com`,
    name: null,
    status: "enabled",
    role: null,
    createdAt: "2024-01-01T00:00:00.000Z",
    lastActiveAt: null,
    groups: null,
    vendor: { id },
    ...patch,
  };
}

/**
 * A sync attempt at `provider` that ended `msAgo` before now after 5 s, with
 * `code` (or its state) as the error of one that did not succeed; its end, in ms.
 */
export async function insertEndedAttempt(
  db: Db,
  provider: ProviderId,
  state: "succeeded" | "failed" | "cancelled",
  msAgo: number,
  code?: string,
): Promise<number> {
  const finishedAt = new Date(Date.now() - msAgo);
  await db.insert(snapshots).values({
    provider,
    state,
    startedAt: new Date(finishedAt.getTime() - 5_000),
    finishedAt,
    errorCode: state === "succeeded" ? null : (code ?? state),
  });
  return finishedAt.getTime();
}
