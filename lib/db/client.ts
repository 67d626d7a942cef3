import "server-only";

import { PGlite, types } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { accessSync, constants, mkdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";

import { serverEnv } from "@/lib/server-env";

import { describeDatabaseUrl } from "./describe-url";
import { FolderInUseError, lockFolder } from "./folder-lock";
import { pgliteByteaParser, pgliteByteaSerializer } from "./bytea";
import { pgliteJsonbSerializer } from "./json-param";
import { applyMigrations } from "./migrate";
import * as schema from "./schema";

/** The typed query builder over either driver; nothing outside lib/db knows which one it is. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/**
 * Whether `db` talks to a PostgreSQL server through node-postgres, not to the
 * embedded PGlite. Ask the database itself, not a transaction of it (which
 * holds no pool).
 */
export function isPostgresServer(db: Db): boolean {
  return (db as { $client?: unknown }).$client instanceof pg.Pool;
}

export interface DbHandle {
  db: Db;
  /** `pglite` (embedded, one connection) or `postgres` (a server through DATABASE_URL). */
  kind: "pglite" | "postgres";
  /** Where the data lives, for messages: the PGlite folder, or the URL without its password. */
  where: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** A `postgres://` URL; when absent, PGlite is used. */
  url?: string;
  /** PGlite's folder; `memory://` (or undefined with no url) keeps it in memory. */
  dataDir?: string;
  /** Connections in the pool (PostgreSQL only). */
  poolSize?: number;
  /**
   * PGlite only: start from this copy of a data folder (PGlite's `dumpDataDir`) instead of an
   * empty one. Migrations still run, and skip what the copy already has. Tests start each
   * in-memory database from one migrated copy (testing/db.ts).
   */
  loadDataDir?: Blob;
}

/**
 * Opens a database, checks that it answers, and applies the migrations. An
 * unreachable server fails with a message naming DATABASE_URL and where it
 * points, never its password.
 */
export async function openDb(options: OpenOptions): Promise<DbHandle> {
  if (options.url) {
    const where = describeDatabaseUrl(options.url);
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 10_000,
    });
    // An idle client's error (server restart) must not crash the process; the next query reports it.
    pool.on("error", () => {});
    // Nor one checked out (a sync's transaction, the migrations' lock) whose server goes away between
    // two statements: node-postgres emits it on the client, where no listener made it an uncaught
    // exception. The client's next statement fails, and the pool drops it when it is released.
    pool.on("connect", (client) => client.on("error", () => {}));
    try {
      await pool.query("select 1");
    } catch (error) {
      await pool.end().catch(() => {});
      const reason = error instanceof Error ? error.message : String(error);
      // A SQLSTATE means the server answered (a wrong password, no such database): not a network matter.
      const code = (error as { code?: unknown }).code;
      const answered = typeof code === "string" && /^[0-9A-Z]{5}$/.test(code);
      throw new Error(
        `DATABASE_URL (${where}) ${answered ? "refused the connection" : "is unreachable"}: ${redact(reason, options.url)}`,
      );
    }
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    const handle: DbHandle = { db, kind: "postgres", where, close: () => pool.end() };
    await applyMigrations(handle, pool);
    return handle;
  }
  const dataDir = options.dataDir ?? "memory://";
  const { client, release } = await openPglite(dataDir, options.loadDataDir);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  const close = async () => {
    try {
      await client.close();
    } finally {
      release();
    }
  };
  const handle: DbHandle = { db, kind: "pglite", where: dataDir, close };
  try {
    await applyMigrations(handle, null);
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
  return handle;
}

/**
 * How Roster's PGlite client sends and reads values: jsonb and bytea
 * parameters given as bytes pass through as they are (json-param.ts,
 * bytea.ts), and bytea is decoded natively. Whoever opens PGlite for Roster's
 * code uses them.
 */
export function pgliteTypeOptions() {
  return {
    serializers: {
      [types.JSONB]: pgliteJsonbSerializer(types.serializers[types.JSONB]!),
      [types.BYTEA]: pgliteByteaSerializer(types.serializers[types.BYTEA]!),
    },
    parsers: { [types.BYTEA]: pgliteByteaParser(types.parsers[types.BYTEA]!) },
  };
}

/**
 * PGlite in `dataDir`. A folder it cannot use fails with a message naming
 * ROSTER_DATA_DIR, the folder and the user: PGlite's own error is an object
 * that printed as "[object Object]" (a folder it may not write), and a failed
 * mkdir named neither the variable nor the way out.
 *
 * A folder is taken for this process first (folder-lock.ts): another process
 * holding it fails the open with a message naming it; `release` frees it.
 */
async function openPglite(
  dataDir: string,
  loadDataDir: Blob | undefined,
): Promise<{ client: PGlite; release: () => void }> {
  const inMemory = dataDir.startsWith("memory://");
  let release = () => {};
  try {
    if (!inMemory) {
      mkdirSync(dataDir, { recursive: true });
      accessSync(dataDir, constants.R_OK | constants.W_OK | constants.X_OK);
      release = lockFolder(dataDir);
    }
    const options = { ...pgliteTypeOptions(), ...(loadDataDir ? { loadDataDir } : {}) };
    return { client: await PGlite.create(dataDir, options), release };
  } catch (error) {
    release();
    if (error instanceof FolderInUseError) throw error;
    const user = process.getuid ? ` (uid ${process.getuid()})` : "";
    throw new Error(
      `ROSTER_DATA_DIR: the embedded database cannot open ${dataDir}: ${describeError(error)}. ` +
        `It must be a folder the user running Roster${user} can write, or set DATABASE_URL.`,
    );
  }
}

/** An error's message, also for the plain objects PGlite's file system throws (`ErrnoError`). */
function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null) {
    const { name, errno } = error as { name?: unknown; errno?: unknown };
    if (typeof name === "string") return errno === undefined ? name : `${name} ${String(errno)}`;
  }
  return String(error);
}

function redact(message: string, url: string): string {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password ? message.split(password).join("****") : message;
  } catch {
    return message;
  }
}

// On globalThis: Next.js bundles instrumentation and route handlers separately, and two
// PGlite instances on one folder would corrupt it.
const globalKey = Symbol.for("roster.db");
type GlobalWithDb = typeof globalThis & { [globalKey]?: Promise<DbHandle> };

/** The process's database, opened (and migrated) on first use. */
export function getDbHandle(): Promise<DbHandle> {
  const g = globalThis as GlobalWithDb;
  if (!g[globalKey]) {
    const env = serverEnv();
    const opening = openDb(
      env.DATABASE_URL
        ? { url: env.DATABASE_URL }
        : { dataDir: path.resolve(env.ROSTER_DATA_DIR, "pglite") },
    );
    // A failed open is not cached: the next caller tries again.
    opening.catch(() => {
      if (g[globalKey] === opening) delete g[globalKey];
    });
    g[globalKey] = opening;
  }
  return g[globalKey];
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

/** Closes the process's database (tests, shutdown). */
export async function closeDb(): Promise<void> {
  const g = globalThis as GlobalWithDb;
  const opening = g[globalKey];
  delete g[globalKey];
  if (opening) await (await opening.catch(() => null))?.close();
}

/** Whether this process has opened (or is opening) its database. */
export function isDbOpen(): boolean {
  return Boolean((globalThis as GlobalWithDb)[globalKey]);
}

/**
 * Installs `handle` as the process's database (tests): route handlers and jobs
 * then use it through `getDb()`.
 */
export function useDbForTests(handle: DbHandle): void {
  (globalThis as GlobalWithDb)[globalKey] = Promise.resolve(handle);
}
