import "server-only";

import { and, asc, eq, gte, lt } from "drizzle-orm";

import { getDb } from "@/lib/db/client";
import { databaseNow } from "@/lib/db/clock";
import { authFailures } from "@/lib/db/schema";

import type { ThrottleStore } from "./throttle";

/**
 * Sign-in failures in the database, so that several Roster instances on one
 * PostgreSQL server count together: a guess on one instance counts on all,
 * timed by the database's clock (`now`), which they share.
 * Expired rows are deleted as new failures arrive, so the table holds at most
 * the window's failures.
 */
export class DatabaseThrottleStore implements ThrottleStore {
  async failuresSince(key: string, since: number): Promise<number[]> {
    const db = await getDb();
    const rows = await db
      .select({ at: authFailures.at })
      .from(authFailures)
      .where(and(eq(authFailures.key, key), gte(authFailures.at, new Date(since))))
      .orderBy(asc(authFailures.at));
    return rows.map((row) => row.at.getTime());
  }

  async addFailure(key: string, at: number, ttlMs: number): Promise<void> {
    const db = await getDb();
    await db.delete(authFailures).where(lt(authFailures.expiresAt, new Date(at)));
    await db
      .insert(authFailures)
      .values({ key, at: new Date(at), expiresAt: new Date(at + ttlMs) });
  }

  async clear(key: string): Promise<void> {
    const db = await getDb();
    await db.delete(authFailures).where(eq(authFailures.key, key));
  }

  /** The database's clock: every instance's failures and windows on one clock. */
  async now(): Promise<number> {
    return (await databaseNow(await getDb())).getTime();
  }
}
