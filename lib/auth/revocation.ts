import "server-only";

import { eq, lt } from "drizzle-orm";

import { getDb } from "@/lib/db/client";
import { revokedSessions } from "@/lib/db/schema";

/**
 * Sessions ended before their time (sign-out). Checked on every session read,
 * so a signed-out token copied elsewhere is refused; kept in the database so
 * every instance honours it, until the token would have expired anyway.
 */
export interface SessionRevocationStore {
  revoke(sid: string, expiresAt: Date): Promise<void>;
  isRevoked(sid: string): Promise<boolean>;
}

export const databaseRevocationStore: SessionRevocationStore = {
  async revoke(sid, expiresAt) {
    const db = await getDb();
    await db.delete(revokedSessions).where(lt(revokedSessions.expiresAt, new Date()));
    await db.insert(revokedSessions).values({ sid, expiresAt }).onConflictDoNothing();
  },
  async isRevoked(sid) {
    const db = await getDb();
    const [row] = await db
      .select({ sid: revokedSessions.sid })
      .from(revokedSessions)
      .where(eq(revokedSessions.sid, sid));
    return row !== undefined;
  },
};

/** In memory: for unit tests, which run without a database. */
export class MemoryRevocationStore implements SessionRevocationStore {
  private readonly revoked = new Map<string, number>();
  async revoke(sid: string, expiresAt: Date): Promise<void> {
    this.revoked.set(sid, expiresAt.getTime());
  }
  async isRevoked(sid: string): Promise<boolean> {
    return this.revoked.has(sid);
  }
}

const storeKey = Symbol.for("roster.auth.revocations");
type GlobalWithStore = typeof globalThis & { [storeKey]?: SessionRevocationStore };

export function revocationStore(): SessionRevocationStore {
  return (globalThis as GlobalWithStore)[storeKey] ?? databaseRevocationStore;
}

/** Replaces the store (tests). */
export function setRevocationStore(store: SessionRevocationStore): void {
  (globalThis as GlobalWithStore)[storeKey] = store;
}
