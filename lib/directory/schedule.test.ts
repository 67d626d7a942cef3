import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import type { DbHandle } from "@/lib/db/client";
import { snapshots } from "@/lib/db/schema";
import { createTestDb, TEST_DB_KINDS } from "@/testing/db";
import { insertEndedAttempt } from "@/testing/directory";

import { nextScheduledSync, syncsDue } from "./schedule";

const MINUTE = 60_000;
const INTERVAL = 15 * MINUTE;

describe.each(TEST_DB_KINDS)("the sync schedule on %s", (kind) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
  });
  afterAll(async () => {
    await handle.close();
  });
  beforeEach(async () => {
    await handle.db.delete(snapshots);
  });

  /** A finished attempt at Telnyx that ended `msAgo` before now; its end, in ms. */
  const attempt = (state: "succeeded" | "failed" | "cancelled", msAgo: number, code?: string) =>
    insertEndedAttempt(handle.db, "telnyx", state, msAgo, code);
  const due = () => syncsDue(handle.db, ["telnyx", "openai"], INTERVAL);

  it("syncs a vendor that has no snapshot, and one whose snapshot is older than the interval", async () => {
    expect(await due()).toEqual(["telnyx", "openai"]);
    await attempt("succeeded", 5 * MINUTE);
    expect(await due()).toEqual(["openai"]);
    await handle.db.delete(snapshots);
    await attempt("succeeded", 16 * MINUTE);
    expect(await due()).toEqual(["telnyx", "openai"]);
  });

  it("after a failure waits a minute, doubling with each failure in a row", async () => {
    await attempt("succeeded", 60 * MINUTE);
    await attempt("failed", 30_000, "upstream_unavailable");
    expect(await due()).toEqual(["openai"]);
    await handle.db.delete(snapshots);
    await attempt("succeeded", 60 * MINUTE);
    await attempt("failed", 61_000, "upstream_unavailable");
    expect(await due()).toEqual(["telnyx", "openai"]);
    // Three in a row: the next waits four minutes from the last.
    await attempt("failed", 6 * MINUTE, "unauthorized");
    await attempt("failed", 3 * MINUTE, "unauthorized");
    expect(await due()).toEqual(["openai"]);
  });

  it("never waits longer than the interval, and counts only failures since the last success", async () => {
    for (let i = 10; i >= 1; i--) await attempt("failed", (i * 20 + 15) * MINUTE, "unauthorized");
    // Ten failures would mean 512 minutes; the interval caps it.
    expect(await due()).toEqual(["telnyx", "openai"]);
    await attempt("succeeded", 16 * MINUTE);
    await attempt("failed", 90_000, "upstream_unavailable");
    // One failure since the success: a minute, not the ten before it.
    expect(await due()).toEqual(["telnyx", "openai"]);
  });

  it("after a cancel waits the whole interval", async () => {
    await attempt("succeeded", 60 * MINUTE);
    await attempt("cancelled", 5 * MINUTE);
    expect(await due()).toEqual(["openai"]);
    await handle.db.delete(snapshots);
    await attempt("succeeded", 60 * MINUTE);
    await attempt("cancelled", 16 * MINUTE);
    expect(await due()).toEqual(["telnyx", "openai"]);
  });

  it("a sync ended by a stopping or dead instance does not hold the next one back", async () => {
    await attempt("succeeded", 60 * MINUTE);
    await attempt("failed", 10_000, "server_stopped");
    expect(await due()).toEqual(["telnyx", "openai"]);
    await attempt("failed", 5_000, "sync_abandoned");
    expect(await due()).toEqual(["telnyx", "openai"]);
  });

  it("a sync the database went away under (a restart) does not hold the next one back", async () => {
    await attempt("succeeded", 60 * MINUTE);
    await attempt("failed", 10_000, "database_unavailable");
    expect(await due()).toEqual(["telnyx", "openai"]);
  });

  describe("the next scheduled sync, by the same rules", () => {
    const next = async (intervalMs = INTERVAL) =>
      (await nextScheduledSync(handle.db, "telnyx", intervalMs))?.getTime() ?? null;
    /** Now, as the database's clock says it (the same machine's clock, read a moment ago). */
    const expectNow = (ms: number | null) =>
      expect(Math.abs((ms ?? Number.NaN) - Date.now())).toBeLessThan(5_000);

    it("is the interval after the snapshot; now before the first; none when the schedule is off", async () => {
      expectNow(await next());
      const synced = await attempt("succeeded", 5 * MINUTE);
      expect(await next()).toBe(synced + INTERVAL);
      expect(await next(0)).toBeNull();
      // A snapshot older than the interval: due, so now and not a time past.
      await handle.db.delete(snapshots);
      await attempt("succeeded", 16 * MINUTE);
      expectNow(await next());
    });

    it("after failures is 1, 2, 4 minutes after the last, never more than the interval", async () => {
      await attempt("succeeded", 60 * MINUTE);
      const first = await attempt("failed", 30_000, "upstream_unavailable");
      expect(await next()).toBe(first + MINUTE);
      const second = await attempt("failed", 20_000, "upstream_unavailable");
      expect(await next()).toBe(second + 2 * MINUTE);
      const third = await attempt("failed", 10_000, "unauthorized");
      expect(await next()).toBe(third + 4 * MINUTE);
      let last = third;
      for (let i = 0; i < 7; i++) last = await attempt("failed", 5_000 - i * 100, "unauthorized");
      // Ten in a row would be 512 minutes: the interval caps it.
      expect(await next()).toBe(last + INTERVAL);
    });

    it("after a cancel is the interval after it, even when the snapshot is fresh", async () => {
      const synced = await attempt("succeeded", 5 * MINUTE);
      expect(await next()).toBe(synced + INTERVAL);
      const cancelled = await attempt("cancelled", MINUTE);
      expect(await next()).toBe(cancelled + INTERVAL);
    });

    it("is the later of the snapshot's interval and a failure's wait", async () => {
      const synced = await attempt("succeeded", 10 * MINUTE);
      await attempt("failed", 30_000, "upstream_unavailable");
      expect(await next()).toBe(synced + INTERVAL);
    });

    it("is not held back by a stopping or dead instance, or a database going away", async () => {
      await attempt("succeeded", 60 * MINUTE);
      await attempt("failed", 10_000, "server_stopped");
      await attempt("failed", 8_000, "sync_abandoned");
      await attempt("failed", 5_000, "database_unavailable");
      expectNow(await next());
      // A vendor failure before them still counts.
      await handle.db.delete(snapshots);
      await attempt("succeeded", 60 * MINUTE);
      const failed = await attempt("failed", 30_000, "upstream_unavailable");
      await attempt("failed", 10_000, "server_stopped");
      expect(await next()).toBe(failed + MINUTE);
    });

    it.skipIf(kind === "pglite")(
      "is on the database's clock: an instance whose clock runs ahead says the same time",
      async () => {
        const synced = await attempt("succeeded", 5 * MINUTE);
        vi.useFakeTimers({ now: new Date(Date.now() + 20 * MINUTE), toFake: ["Date"] });
        try {
          expect(await next()).toBe(synced + INTERVAL);
        } finally {
          vi.useRealTimers();
        }
      },
    );
  });

  // PGlite runs in this process on JavaScript's clock: faking the app's clock moves the database's.
  it.skipIf(kind === "pglite")(
    "reads the time on the database's clock: an instance whose clock runs ahead does not sync early",
    async () => {
      await attempt("succeeded", 5 * MINUTE);
      vi.useFakeTimers({ now: new Date(Date.now() + 20 * MINUTE), toFake: ["Date"] });
      try {
        expect(await due()).toEqual(["openai"]);
      } finally {
        vi.useRealTimers();
      }
    },
  );
});
