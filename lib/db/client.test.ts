import { PGlite } from "@electric-sql/pglite";
import { count, eq, inArray, sql } from "drizzle-orm";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { createTestDatabase, createTestDb, testServerUrl, TEST_DB_KINDS } from "@/testing/db";

import journal from "./migrations/meta/_journal.json";

import { isPostgresServer, openDb, type DbHandle } from "./client";
import { snapshots } from "./schema";

describe.each(TEST_DB_KINDS)("database on %s", (kind) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
  });
  afterAll(() => handle.close());

  it("knows a PostgreSQL server from PGlite, from another copy of this module too (Next.js bundles one per route)", async () => {
    vi.resetModules();
    const copy = await import("./client");
    expect(copy.isPostgresServer).not.toBe(isPostgresServer);
    expect(copy.isPostgresServer(handle.db)).toBe(kind === "postgres");
  });

  it("is migrated and round-trips rows through the query builder", async () => {
    const [row] = await handle.db
      .insert(snapshots)
      .values({ provider: "openai", state: "running" })
      .returning();
    expect(row?.id).toBeGreaterThan(0);
    expect(row?.startedAt).toBeInstanceOf(Date);
    const [{ n } = { n: -1 }] = await handle.db
      .select({ n: count() })
      .from(snapshots)
      .where(eq(snapshots.provider, "openai"));
    expect(n).toBe(1);
  });

  it("reads times of any year back as written, whatever the session's time zone", async () => {
    // A vendor's zero time (0001-01-01) and the years 1 to 99 were read as 1901 to 2049 (drizzle's
    // `new Date(text)`), and an offset with seconds (local mean time before 1900) as no time at all.
    const times = [
      "0001-01-01T00:00:00.000Z",
      "0026-05-20T08:00:00.000Z",
      "0050-06-01T12:34:56.789Z",
      "0099-12-31T23:59:59.999Z",
      "1890-05-01T10:00:00.000Z",
      "2026-03-29T01:30:00.000Z",
      "9999-12-31T23:59:59.999Z",
    ];
    const ids: number[] = [];
    for (const time of times) {
      const [row] = await handle.db
        .insert(snapshots)
        .values({ provider: "telnyx", state: "failed", finishedAt: new Date(time) })
        .returning({ id: snapshots.id });
      ids.push(row!.id);
    }
    for (const zone of ["UTC", "Europe/Amsterdam", "America/New_York", "Asia/Kolkata"]) {
      const read = await handle.db.transaction(async (tx) => {
        await tx.execute(sql.raw(`set local timezone = '${zone}'`));
        return tx
          .select({ finishedAt: snapshots.finishedAt })
          .from(snapshots)
          .where(inArray(snapshots.id, ids))
          .orderBy(snapshots.id);
      });
      expect(
        read.map((row) => row.finishedAt?.toISOString()),
        zone,
      ).toEqual(times);
    }
  });

  it("keeps a sync's staging rows out of the write-ahead log, and the directory in it", async () => {
    const persistence = async (table: string) => {
      const result = (await handle.db.execute(
        sql`select relpersistence from pg_class where oid = ${table}::regclass`,
      )) as unknown as { rows: { relpersistence: string }[] };
      return result.rows[0]?.relpersistence;
    };
    expect(await persistence("directory_staging")).toBe("u");
    expect(await persistence("directory_users")).toBe("p");
  });
});

describe("PostgreSQL", () => {
  it("applies the migrations once when two instances start at the same moment", async () => {
    const database = await createTestDatabase();
    try {
      // Two instances open the same empty database together: each runs the migrator under the
      // advisory lock, so every migration is applied exactly once and neither fails.
      const [a, b] = await Promise.all([
        openDb({ url: database.url }),
        openDb({ url: database.url }),
      ]);
      const rows = (await a.db.execute(
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      )) as unknown as { rows: { n: number }[] };
      expect(rows.rows[0]?.n).toBe(journal.entries.length);
      await a.close();
      await b.close();
    } finally {
      await database.drop();
    }
  });

  it("survives the server ending a connection that is checked out between two statements", async () => {
    const database = await createTestDatabase();
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on("uncaughtException", onUncaught);
    const handle = await openDb({ url: database.url });
    try {
      // As a sync's transaction holds its connection while it reads the vendor, and the server restarts.
      const pool = (handle.db as unknown as { $client: pg.Pool }).$client;
      const client = await pool.connect();
      await client.query("begin");
      const pid = (await client.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]
        ?.pid;
      // Without a listener the throw cuts the client's 'end' short: wait a bounded time.
      const ended = new Promise((resolve) => client.once("end", resolve));
      await handle.db.execute(sql`select pg_terminate_backend(${pid})`);
      await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 3_000))]);
      const failedAfter = await client.query("select 1").then(
        () => false,
        () => true,
      );
      client.release(true);
      expect(uncaught).toEqual([]);
      // The statement after it fails as a query error, and the pool serves a fresh connection.
      expect(failedAfter).toBe(true);
      await expect(handle.db.execute(sql`select 1`)).resolves.toBeDefined();
    } finally {
      process.off("uncaughtException", onUncaught);
      await handle.close();
      await database.drop();
    }
  });

  it("names DATABASE_URL without its password when the server is unreachable", async () => {
    const url = new URL(testServerUrl());
    url.port = "1";
    url.password = "s3cret-pw";
    const error = await openDb({ url: url.toString() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /^DATABASE_URL \(postgres:\/\/roster@127\.0\.0\.1:1\/postgres\) is unreachable/,
    );
    expect((error as Error).message).not.toContain("s3cret-pw");
  });

  it("says the server refused the connection, not that it is unreachable, when it answers with an error", async () => {
    const url = new URL(testServerUrl());
    url.pathname = "/no_such_database";
    const error = await openDb({ url: url.toString() }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /^DATABASE_URL \(postgres:\/\/roster@127\.0\.0\.1:\d+\/no_such_database\) refused the connection: database "no_such_database" does not exist/,
    );
  });
});

describe("the embedded database's folder", () => {
  let parent: string;
  beforeAll(() => {
    parent = mkdtempSync(path.join(tmpdir(), "roster-client-"));
  });
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it("names ROSTER_DATA_DIR, the folder and the way out when the folder cannot be made", async () => {
    const file = path.join(parent, "a-file");
    writeFileSync(file, "");
    const dataDir = path.join(file, "pglite");
    const error = await openDb({ dataDir }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      new RegExp(`^ROSTER_DATA_DIR: the embedded database cannot open ${dataDir}: ENOTDIR`),
    );
    expect((error as Error).message).toMatch(/can write, or set DATABASE_URL\.$/);
  });

  it("describes PGlite's own file-system errors, which are not Error objects", async () => {
    const create = vi
      .spyOn(PGlite, "create")
      .mockRejectedValueOnce(Object.assign(Object.create(null), { name: "ErrnoError", errno: 2 }));
    try {
      const error = await openDb({ dataDir: path.join(parent, "pglite") }).catch((e: unknown) => e);
      expect((error as Error).message).toContain("cannot open");
      expect((error as Error).message).toContain("ErrnoError 2");
      expect((error as Error).message).not.toContain("[object Object]");
    } finally {
      create.mockRestore();
    }
  });
});
