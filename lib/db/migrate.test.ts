import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { entryHash, GENESIS_HASH } from "@/lib/activity/chain";
import { recordActivity, verifyActivity } from "@/lib/activity/log";
import { stagedUser } from "@/lib/directory/sync";
import { getReview } from "@/lib/reviews/store";
import { createTestDatabase, TEST_DB_KINDS } from "@/testing/db";
import { seedDirectory, telnyxUser } from "@/testing/directory";

import { pgliteTypeOptions, type Db } from "./client";
import { selectRows } from "./select-rows";
import { MIGRATIONS_FOLDER } from "./migrate";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** The migrations folder as it was before migration `tag`: its journal ends just before. */
function folderBefore(tag: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), "roster-migrations-"));
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = path.join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((entry) => entry.tag === tag);
  if (at < 0) throw new Error(`no migration ${tag}`);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalPath, JSON.stringify(journal));
  return folder;
}

/** A database of `kind` migrated through `folder`, which can then be migrated further. */
async function openAt(kind: (typeof TEST_DB_KINDS)[number], folder: string) {
  if (kind === "pglite") {
    const client = await PGlite.create("memory://", pgliteTypeOptions());
    const db = drizzlePglite(client);
    await migratePglite(db, { migrationsFolder: folder });
    return {
      db: db as unknown as Db,
      migrate: (migrationsFolder: string) => migratePglite(db, { migrationsFolder }),
      close: () => client.close(),
    };
  }
  const database = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: database.url, max: 3 });
  const db = drizzlePg(pool);
  await migratePg(db, { migrationsFolder: folder });
  return {
    db: db as unknown as Db,
    migrate: (migrationsFolder: string) => migratePg(db, { migrationsFolder }),
    close: async () => {
      await pool.end();
      await database.drop();
    },
  };
}

/**
 * For the tests of one describe block: a database of `kind` migrated up to
 * just before migration `tag` (read it after the block's setup has run).
 */
function databaseBefore(kind: (typeof TEST_DB_KINDS)[number], tag: string) {
  let folder: string;
  let database: Awaited<ReturnType<typeof openAt>> | undefined;
  beforeAll(async () => {
    folder = folderBefore(tag);
    database = await openAt(kind, folder);
  });
  afterAll(async () => {
    await database?.close();
    rmSync(folder, { recursive: true, force: true });
  });
  return () => database!;
}

/** A review row as migration 0004 left the table (no evidence_json_sha256), written in SQL. */
async function insertReview(db: Db, state: "open" | "closed", json: string | null) {
  const [row] = await selectRows<{ id: string }>(
    db,
    sql`insert into reviews (name, due_date, scope, scope_key, state, created_by, created_at,
          closed_by, closed_at, snapshots, item_count, evidence_csv, evidence_csv_sha256, evidence_json)
        values ('before 0005', '2026-06-30', '{"providers":["openai"]}'::jsonb, 'key', ${state},
          'ana@example.com', now(), ${state === "closed" ? "ana@example.com" : null},
          ${state === "closed" ? new Date().toISOString() : null}::timestamptz, '[]'::jsonb, 1,
          decode(${state === "closed" ? Buffer.from("csv").toString("hex") : null}, 'hex'),
          ${state === "closed" ? sha256("csv") : null},
          decode(${json === null ? null : Buffer.from(json, "utf8").toString("hex")}, 'hex'))
        returning id`,
  );
  return Number(row!.id);
}

describe.each(TEST_DB_KINDS)("migration 0005 on %s", (kind) => {
  const database = databaseBefore(kind, "0005_evidence_json_sha256");

  it("fills a closed review's manifest hash from its review.closed entry, and no other", async () => {
    const { db } = database();
    // A v1 package's entry, as Roster wrote it then: only the CSV's hash (today's schema refuses it).
    const v1 = await insertReview(db, "closed", '{"format":"roster.access-review.v1"}\n');
    const v1Entry = {
      seq: 1,
      at: new Date(),
      kind: "review.closed",
      admin: "ana@example.com",
      details: { reviewId: v1, items: 1, csvSha256: sha256("csv") },
      prevHash: GENESIS_HASH,
    };
    const v1Hash = entryHash(v1Entry);
    await db.execute(
      sql`insert into activity_log (seq, at, kind, admin, details, prev_hash, hash)
          values (1, ${v1Entry.at.toISOString()}::timestamptz, ${v1Entry.kind}, ${v1Entry.admin},
            ${JSON.stringify(v1Entry.details)}::jsonb, ${GENESIS_HASH}, ${v1Hash})`,
    );
    await db.execute(
      sql`insert into activity_chain (id, head_seq, head_hash, anchor_seq, anchor_hash)
          values (1, 1, ${v1Hash}, 0, ${GENESIS_HASH})`,
    );
    const manifest = '{\n  "format": "roster.access-review.v2"\n}\n';
    const v2 = await insertReview(db, "closed", manifest);
    await recordActivity(db, {
      kind: "review.closed",
      admin: "ana@example.com",
      details: { reviewId: v2, items: 1, csvSha256: sha256("csv"), jsonSha256: sha256(manifest) },
    });
    // Its entry was pruned by retention: nothing recorded to fill it from.
    const pruned = await insertReview(db, "closed", '{"format":"roster.access-review.v2"}\n');
    const open = await insertReview(db, "open", null);
    // Another review's entry and another kind's jsonSha256-like detail are not taken.
    await recordActivity(db, {
      kind: "review.downloaded",
      admin: "ana@example.com",
      details: { reviewId: pruned, file: "evidence.json", rows: 1, sha256: sha256("x") },
    });

    await database().migrate(MIGRATIONS_FOLDER);

    const rows = await selectRows<{ id: string; sha: string | null }>(
      db,
      sql`select id, evidence_json_sha256 as sha from reviews order by id`,
    );
    expect(Object.fromEntries(rows.map((row) => [Number(row.id), row.sha]))).toEqual({
      [v1]: null,
      [v2]: sha256(manifest),
      [pruned]: null,
      [open]: null,
    });
    // The log is read, not written: its entries and chain are as they were.
    expect(await verifyActivity(db)).toMatchObject({ ok: true, checked: 3 });
  });
});

/** An item of review `reviewId` as migration 0007 left the table, written in SQL. */
async function insertItem(
  db: Db,
  reviewId: number,
  userId: string,
  fields: { decision: string | null; flags?: string[]; change?: string | null },
) {
  await db.execute(
    sql`insert into review_items (review_id, provider, user_id, snapshot_id, status, vendor, flags,
          hash, change, decision)
        values (${reviewId}, 'openai', ${userId}, 1, 'enabled', '{}'::jsonb,
          ${JSON.stringify(fields.flags ?? [])}::jsonb, 'hash', ${fields.change ?? null},
          ${fields.decision})`,
  );
}

describe.each(TEST_DB_KINDS)("migration 0008 on %s", (kind) => {
  const database = databaseBefore(kind, "0008_review_closed_counts");

  it("stores each closed review's counts as its items give them, and leaves open ones to be counted", async () => {
    const { db } = database();
    const closed = await insertReview(db, "closed", "{}\n");
    await insertItem(db, closed, "u1", { decision: "keep", flags: ["privileged"] });
    await insertItem(db, closed, "u2", { decision: "keep", change: "added" });
    await insertItem(db, closed, "u3", { decision: "revoke", flags: ["dormant", "privileged"] });
    await insertItem(db, closed, "u4", { decision: "follow_up", change: "changed" });
    await insertItem(db, closed, "u5", { decision: "follow_up" });
    const open = await insertReview(db, "open", null);
    await insertItem(db, open, "u1", { decision: "keep" });
    await insertItem(db, open, "u2", { decision: null });
    const empty = await insertReview(db, "closed", "{}\n");

    await database().migrate(MIGRATIONS_FOLDER);

    const rows = await selectRows<{ id: string; counts: unknown }>(
      db,
      sql`select id, closed_counts as counts from reviews order by id`,
    );
    expect(Object.fromEntries(rows.map((row) => [Number(row.id), row.counts]))).toEqual({
      [closed]: { total: 5, keep: 2, revoke: 1, follow_up: 2, flagged: 2, changed: 2 },
      [open]: null,
      [empty]: { total: 0, keep: 0, revoke: 0, follow_up: 0, flagged: 0, changed: 0 },
    });
    // The store reads them as the counts it would have given before, and counts the open one.
    expect((await getReview(db, closed))?.counts).toEqual({
      total: 5,
      decided: 5,
      undecided: 0,
      keep: 2,
      revoke: 1,
      follow_up: 2,
      flagged: 2,
      changed: 2,
    });
    expect((await getReview(db, open))?.counts).toMatchObject({ total: 2, decided: 1, keep: 1 });
  });
});

describe.each(TEST_DB_KINDS)("migration 0009 on %s", (kind) => {
  const database = databaseBefore(kind, "0009_directory_activity");

  it("leaves the versions synced before it as they are: the next sync versions only what changed", async () => {
    const { db } = database();
    const monday = "2026-11-30T08:00:00";
    const before = [
      telnyxUser("same", monday),
      telnyxUser("promoted", monday),
      telnyxUser("signed-in", monday),
    ];
    // A snapshot as the sync wrote it before 0009: each version's hash had the activity in it.
    const [snapshot] = await selectRows<{ id: string }>(
      db,
      sql`insert into directory_snapshots (provider, state, finished_at, rows)
          values ('telnyx', 'succeeded', now(), 3) returning id`,
    );
    const first = Number(snapshot!.id);
    const rows = before.map((user) => {
      const staged = stagedUser(first, user);
      return { ...(JSON.parse(staged.row(false)) as object), hash: staged.legacyHash() };
    });
    await db.execute(
      sql`insert into directory_users select * from jsonb_populate_recordset(null::directory_users, ${JSON.stringify(rows)}::jsonb)`,
    );

    await database().migrate(MIGRATIONS_FOLDER);

    const tuesday = "2026-12-01T09:00:00";
    const after = [
      telnyxUser("same", monday),
      telnyxUser("promoted", monday, { role: "admin" }),
      telnyxUser("signed-in", tuesday),
    ];
    const { snapshotId: second } = await seedDirectory(db, "telnyx", after);
    const versions = async () =>
      selectRows<{ id: string; from: string; to: string | null; active: string | null }>(
        db,
        sql`select user_id as id, from_snapshot::text as from, to_snapshot::text as to,
              activity_hash as active from directory_users order by user_id, from_snapshot`,
      );
    // The unchanged user keeps its version, with the new hashes; a real change is a version. A
    // sign-in on a version from before 0009 cannot be told from a change, once: a version too.
    expect(
      (await versions()).map(({ id, from, to }) => [id, Number(from), to && Number(to)]),
    ).toEqual([
      ["promoted", first, second],
      ["promoted", second, null],
      ["same", first, null],
      ["signed-in", first, second],
      ["signed-in", second, null],
    ]);
    expect((await versions()).every((v) => v.to !== null || v.active !== null)).toBe(true);

    // From then on, a sign-in is no version: the current one takes the new time.
    const wednesday = "2026-12-02T10:00:00";
    const third = await seedDirectory(db, "telnyx", [
      telnyxUser("same", wednesday),
      ...after.slice(1),
    ]);
    const [same] = await selectRows<{ versions: number; active: Date | string; snapshot: string }>(
      db,
      sql`select count(*)::int as versions, max(last_active_at) as active,
            max(activity_snapshot)::text as snapshot from directory_users where user_id = 'same'`,
    );
    expect(same?.versions).toBe(1);
    expect(new Date(same!.active).toISOString()).toBe(`${wednesday}.000Z`);
    expect(Number(same?.snapshot)).toBe(third.snapshotId);
  });
});

describe.each(TEST_DB_KINDS)("migration 0010 on %s", (kind) => {
  const database = databaseBefore(kind, "0010_closed_versions_index");

  it("leaves the current versions out of the closed versions' index, and keeps the closed ones in it", async () => {
    const { db } = database();
    const pages = async () => {
      const [row] = await selectRows<{ pages: number }>(
        db,
        sql`select (pg_relation_size('directory_users_to') / current_setting('block_size')::int)::int as pages`,
      );
      return row!.pages;
    };
    const monday = "2026-11-30T08:00:00";
    const users = (role: string) =>
      Array.from({ length: 2000 }, (_, i) => telnyxUser(`user-${i}`, monday, { role }));
    await seedDirectory(db, "telnyx", users("member"));
    // Before: an entry for each of the 2,000 current versions (equal keys, deduplicated: 4 pages).
    expect(await pages()).toBeGreaterThanOrEqual(3);

    await database().migrate(MIGRATIONS_FOLDER);
    // Only the index's metapage: no version is closed yet.
    expect(await pages()).toBeLessThanOrEqual(1);

    // Every user changed: 2,000 closed versions, each with its entry, which Changes reads.
    const { snapshotId } = await seedDirectory(db, "telnyx", users("admin"));
    expect(await pages()).toBeGreaterThanOrEqual(3);
    const [closed] = await selectRows<{ rows: number }>(
      db,
      sql`select count(*)::int as rows from directory_users
          where provider = 'telnyx' and to_snapshot = ${snapshotId}::bigint`,
    );
    expect(closed?.rows).toBe(2000);
  });
});
