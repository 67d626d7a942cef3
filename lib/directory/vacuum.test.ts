/**
 * PGlite runs no autovacuum: each sync's closed versions leave their old rows
 * as dead space in `directory_users` until Roster vacuums it, which it does
 * past autovacuum's threshold (50 + 20% of the table's rows), not every sync.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { directoryVacuum, snapshots } from "@/lib/db/schema";
import { selectRows } from "@/lib/db/select-rows";
import type { User } from "@/lib/users/schema";
import { createTestDb, tableHeapBytes, type TestDbHandle } from "@/testing/db";
import { openaiUser, seedDirectory } from "@/testing/directory";

const USERS = 1000;

/** The vendor's users, user `i` at version `versions[i]` (its name). */
function users(versions: readonly number[]): User[] {
  return versions.map((v, i) =>
    openaiUser(`user-${String(i).padStart(4, "0")}`, { name: `v${v}` }),
  );
}

describe("the vacuum of directory_users after a PGlite sync", () => {
  let handle: TestDbHandle;
  let versions: number[];
  beforeEach(async () => {
    handle = await createTestDb("pglite");
    versions = new Array<number>(USERS).fill(0);
    // 1,000 current users: the statistics' row count the threshold reads (50 + 200).
    await seedDirectory(handle.db, "openai", users(versions));
  });
  afterEach(() => handle.close());

  /** A sync in which the users whose index `pick` selects changed. */
  const resync = (pick: (i: number) => boolean) => {
    versions = versions.map((v, i) => (pick(i) ? v + 1 : v));
    return seedDirectory(handle.db, "openai", users(versions));
  };

  /**
   * The `k`th 67 users: 67 closed versions, and 134 rows written (below the 150
   * that call for fresh statistics). Neighbours in the table, so that no later
   * sync updates rows on their pages: an update prunes the dead rows of its
   * page in passing, which the space test would take for the vacuum's work.
   */
  const block = (k: number) => (i: number) => Math.floor(i / 67) === k;

  /** The PGlite instance under the test's database, whose `query` the tests watch. */
  const pglite = () =>
    (
      handle.db as unknown as {
        $client: { query: (text: string, ...rest: unknown[]) => Promise<unknown> };
      }
    ).$client;

  /** The statements on directory_users' upkeep that `run` sends. */
  async function upkeep(run: () => Promise<unknown>): Promise<string[]> {
    const query = vi.spyOn(pglite(), "query");
    try {
      await run();
      return query.mock.calls
        .map(([text]) => text)
        .filter((text) => /^(vacuum|analyze)\b.*directory_users/.test(text));
    } finally {
      query.mockRestore();
    }
  }

  const heapBytes = () => tableHeapBytes(handle.db, "directory_users");

  const vacuumed = async () => {
    const [row] = await handle.db.select().from(directoryVacuum);
    return row?.closedThrough ?? null;
  };

  it("vacuums only once the versions closed since the last vacuum pass 50 + 20% of the rows", async () => {
    // 67, 134 and 201 closed stay below 250; 268 pass it.
    for (const k of [0, 1, 2]) expect(await upkeep(() => resync(block(k)))).toEqual([]);
    expect(await vacuumed()).toBeNull();
    let fourth = 0;
    expect(
      await upkeep(async () => {
        fourth = (await resync(block(3))).snapshotId;
      }),
    ).toEqual(["vacuum directory_users"]);
    expect(await vacuumed()).toBe(fourth);
    // The count starts again from that vacuum.
    for (const k of [4, 5, 6]) expect(await upkeep(() => resync(block(k)))).toEqual([]);
    // A sync in which nothing changed closes nothing and vacuums nothing.
    expect(await upkeep(() => resync(() => false))).toEqual([]);
  });

  it("gives the closed versions' space back: the syncs after a vacuum reuse it", async () => {
    // Without a vacuum, every sync grows the table by its closed rows and its new versions.
    const sizes = [await heapBytes()];
    for (const k of [0, 1, 2, 3]) {
      await resync(block(k));
      sizes.push(await heapBytes());
    }
    expect(new Set(sizes).size).toBe(sizes.length);
    // The fourth vacuumed 268 dead rows; the next two syncs' 134 rows each go in their space.
    const afterVacuum = sizes.at(-1);
    await resync(block(4));
    expect(await heapBytes()).toBe(afterVacuum);
    // The second's fit but for at most a page: the space freed lies in pieces over many pages,
    // and a row goes only where it fits whole. Each sync before the vacuum grew it by 4 or more.
    await resync(block(5));
    expect(await heapBytes()).toBeLessThanOrEqual(afterVacuum! + 8192);
    expect(Math.min(...sizes.slice(1).map((size, i) => size - sizes[i]!))).toBeGreaterThanOrEqual(
      4 * 8192,
    );
  });

  it("counts the versions a sync updated in place (a user's activity), each time, towards the vacuum", async () => {
    // The same 67 users sign in again each sync: 67 dead rows a sync, the fourth passes 250.
    const signIn = (round: number) =>
      users(versions).map((user, i) =>
        block(0)(i) ? { ...user, lastActiveAt: `2026-12-0${round}T09:00:00.000Z` } : user,
      );
    for (const round of [1, 2, 3]) {
      expect(await upkeep(() => seedDirectory(handle.db, "openai", signIn(round)))).toEqual([]);
    }
    let fourth = 0;
    expect(
      await upkeep(async () => {
        fourth = (await seedDirectory(handle.db, "openai", signIn(4))).snapshotId;
      }),
    ).toEqual(["vacuum directory_users"]);
    expect(await vacuumed()).toBe(fourth);
    const [row] = await handle.db.select().from(snapshots).where(eq(snapshots.id, fourth));
    expect(row?.activityUpdated).toBe(67);
  });

  it("refreshes the statistics in the same pass when both are due", async () => {
    // 300 changed: a tenth of the vendor (analyze) and past the threshold (vacuum).
    expect(await upkeep(() => resync((i) => i < 300))).toEqual([
      "vacuum (analyze) directory_users",
    ]);
  });

  it("counts the versions of a sync still running as not yet reclaimed", async () => {
    // Another vendor's sync started before this one and publishes after the vacuum: its
    // closed versions must count towards the next vacuum, so the mark stays below it.
    const [running] = await handle.db
      .insert(snapshots)
      .values({ provider: "telnyx", state: "running" })
      .returning({ id: snapshots.id });
    await resync((i) => i < 300);
    expect(await vacuumed()).toBe(running!.id - 1);
  });

  it("logs a vacuum the database refuses, records none, and tries again after the next sync", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const client = pglite();
    const query = client.query.bind(client);
    const refuse = vi
      .spyOn(client, "query")
      .mockImplementation((text, ...rest) =>
        text === "vacuum directory_users"
          ? Promise.reject(new Error("canceling statement due to lock timeout"))
          : query(text, ...rest),
      );
    try {
      for (const k of [0, 1, 2]) await resync(block(k));
      const { snapshotId } = await resync(block(3));
      const [row] = await handle.db.select().from(snapshots).where(eq(snapshots.id, snapshotId));
      expect(row).toMatchObject({ state: "succeeded", errorCode: null });
      expect(warn).toHaveBeenCalledWith(
        "[roster] sync openai: closed versions' space not reclaimed (Error)",
      );
      expect(await vacuumed()).toBeNull();
    } finally {
      refuse.mockRestore();
      warn.mockRestore();
    }
    expect(await upkeep(() => resync(() => false))).toEqual(["vacuum directory_users"]);
    expect(await vacuumed()).not.toBeNull();
  });

  it("checkpoints after every sync, so the write-ahead log written before it can be recycled", async () => {
    // PGlite checkpoints by itself only when it closes.
    const redoPassed = async (lsn: string) => {
      const [row] = await selectRows<{ passed: boolean }>(
        handle.db,
        sql`select redo_lsn >= ${lsn}::pg_lsn as passed from pg_control_checkpoint()`,
      );
      return row?.passed;
    };
    for (const pick of [block(0), () => false]) {
      const [row] = await selectRows<{ lsn: string }>(
        handle.db,
        sql`select pg_current_wal_lsn()::text as lsn`,
      );
      await resync(pick);
      expect(await redoPassed(row!.lsn)).toBe(true);
    }
  });
});

describe("directory_users on PostgreSQL", () => {
  let handle: TestDbHandle;
  afterAll(() => handle?.close());

  it("is left to the server's autovacuum", async () => {
    handle = await createTestDb("postgres");
    const many = Array.from({ length: 400 }, (_, i) => openaiUser(`user-${i}`));
    await seedDirectory(handle.db, "openai", many);
    // Every user changed: far past the threshold.
    await seedDirectory(
      handle.db,
      "openai",
      many.map((user) => ({ ...user, name: "changed" })),
    );
    expect(await handle.db.select().from(directoryVacuum)).toEqual([]);
  });
});
