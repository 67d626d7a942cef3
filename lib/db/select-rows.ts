import "server-only";

import type { SQL } from "drizzle-orm";

import type { Db } from "@/lib/db/client";

/** Runs raw SQL and returns its rows: both drivers answer `{ rows }`, which `Db`'s type leaves unknown. */
export async function selectRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
