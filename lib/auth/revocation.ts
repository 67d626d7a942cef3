import "server-only";

import { eq, lt } from "drizzle-orm";

import { getDbHandle, type DbHandle } from "@/lib/db/client";
import { databaseTime } from "@/lib/db/clock";
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

/**
 * The embedded database (PGlite) lives inside this one process and nothing
 * else writes to it, so its revocations are read once and then kept in
 * memory, kept up to date by `revoke`: a session read costs no query (about
 * 0.8 ms of CPU on PGlite, on every API request). On PostgreSQL other
 * instances revoke too, so every read asks the database. On globalThis, as
 * the database itself: Next.js bundles the sign-out route and the API routes
 * apart, and both must see one set.
 */
const embeddedKey = Symbol.for("roster.auth.embeddedRevocations");
type EmbeddedRevocations = { handle: DbHandle; expiries: Promise<Map<string, number>> };
type GlobalWithRevocations = typeof globalThis & { [embeddedKey]?: EmbeddedRevocations };

function embeddedRevocations(handle: DbHandle): Promise<Map<string, number>> {
  const g = globalThis as GlobalWithRevocations;
  if (g[embeddedKey]?.handle !== handle) {
    const expiries = handle.db
      .select()
      .from(revokedSessions)
      .then((rows) => new Map(rows.map((row) => [row.sid, row.expiresAt.getTime()])));
    g[embeddedKey] = { handle, expiries };
    // A failed read is not kept: the next session read tries again.
    expiries.catch(() => {
      if (g[embeddedKey]?.expiries === expiries) delete g[embeddedKey];
    });
  }
  return g[embeddedKey]!.expiries;
}

/**
 * How long a revocation outlives its token's expiry. Each instance checks a
 * token's expiry on its own clock, and one whose clock runs behind still
 * accepts a token the database's clock calls expired: the revocation must
 * still be there for it.
 */
export const REVOCATION_GRACE_MS = 24 * 60 * 60_000;

export const databaseRevocationStore: SessionRevocationStore = {
  async revoke(sid, expiresAt) {
    const handle = await getDbHandle();
    // On the database's clock, which every instance shares.
    await handle.db
      .delete(revokedSessions)
      .where(lt(revokedSessions.expiresAt, databaseTime(REVOCATION_GRACE_MS)));
    await handle.db.insert(revokedSessions).values({ sid, expiresAt }).onConflictDoNothing();
    if (handle.kind !== "pglite") return;
    // PGlite: this process is the only instance, and the database's clock is its own.
    const expiries = await embeddedRevocations(handle);
    const forgetBefore = Date.now() - REVOCATION_GRACE_MS;
    for (const [known, expiry] of expiries) if (expiry < forgetBefore) expiries.delete(known);
    if (!expiries.has(sid)) expiries.set(sid, expiresAt.getTime());
  },
  async isRevoked(sid) {
    const handle = await getDbHandle();
    if (handle.kind === "pglite") return (await embeddedRevocations(handle)).has(sid);
    const [row] = await handle.db
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
