/**
 * Databases for tests: a fresh in-memory PGlite (a copy of one that vitest's
 * global setup migrated), or a fresh database on the test run's PostgreSQL
 * server (started by vitest's global setup, or named by TEST_DATABASE_URL),
 * both migrated. Each test file gets its own, so tests never see each
 * other's rows.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import pg from "pg";
import { inject } from "vitest";

import { openDb, type Db, type DbHandle } from "@/lib/db/client";
import { selectRows } from "@/lib/db/select-rows";

export type TestDbKind = "pglite" | "postgres";

/** Both kinds, for `describe.each(TEST_DB_KINDS)`. */
export const TEST_DB_KINDS: readonly TestDbKind[] = ["pglite", "postgres"];

/** The server URL tests may create databases on. */
export function testServerUrl(): string {
  const url = process.env.TEST_DATABASE_URL || inject("testDatabaseUrl");
  if (!url) throw new Error("No PostgreSQL server for the tests (see vitest.global-setup.ts).");
  return url;
}

export interface TestDbHandle extends DbHandle {
  /** The database's URL (PostgreSQL only), for tests that open more connections to it. */
  url?: string;
}

/** A new, empty database on the test server; `drop()` removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = testServerUrl();
  const name = `roster_t_${randomBytes(6).toString("hex")}`;
  await onServer(serverUrl, `create database ${pg.escapeIdentifier(name)}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      onServer(serverUrl, `drop database if exists ${pg.escapeIdentifier(name)} with (force)`),
  };
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

let pgliteTemplate: Blob | undefined;

/** The migrated PGlite data folder that vitest.global-setup.ts wrote, read once per test file. */
function pgliteTemplateData(): Blob {
  pgliteTemplate ??= new Blob([readFileSync(inject("pgliteTemplate"))]);
  return pgliteTemplate;
}

export async function createTestDb(kind: TestDbKind = "pglite"): Promise<TestDbHandle> {
  if (kind === "pglite") return openDb({ dataDir: "memory://", loadDataDir: pgliteTemplateData() });
  const database = await createTestDatabase();
  const handle = await openDb({ url: database.url, poolSize: 5 });
  return {
    ...handle,
    url: database.url,
    async close() {
      await handle.close();
      await database.drop();
    },
  };
}

/** The bytes of `table`'s heap (its main fork, without indexes): what dead rows take up. */
export async function tableHeapBytes(db: Db, table: string): Promise<number> {
  const [row] = await selectRows<{ bytes: number }>(
    db,
    sql`select pg_relation_size(${table}::regclass)::float8 as bytes`,
  );
  if (!row) throw new Error(`no size for ${table}`);
  return row.bytes;
}
