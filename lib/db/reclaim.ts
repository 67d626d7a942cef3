import "server-only";

import { sql } from "drizzle-orm";

import { isPostgresServer, type Db } from "./client";

/** The tables whose deleted rows Roster gives back itself on PGlite. */
type ReclaimedTable = "directory_staging" | "people" | "roster_rows" | "activity_log";

/**
 * `vacuum` of `table` on PGlite, which runs no autovacuum: the rows deleted
 * since the last vacuum keep their space until one runs (new rows go where a
 * vacuum found room). Nothing on a PostgreSQL server, whose autovacuum sees
 * to it. A refusal costs disk, never the caller's work: it is logged as
 * `[roster] <refused>`. Whether it vacuumed.
 */
export async function vacuumEmbedded(
  db: Db,
  table: ReclaimedTable,
  refused: string,
): Promise<boolean> {
  if (isPostgresServer(db)) return false;
  try {
    await db.execute(sql`vacuum ${sql.identifier(table)}`);
    return true;
  } catch (error) {
    console.warn(`[roster] ${refused} (${error instanceof Error ? error.name : "error"})`);
    return false;
  }
}
