import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import type { DbHandle } from "@/lib/db/client";
import { snapshots } from "@/lib/db/schema";
import { createTestDb, TEST_DB_KINDS } from "@/testing/db";

import { syncsDue } from "./schedule";

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

  /** A finished attempt at Telnyx that ended `msAgo` before now. */
  async function attempt(
    state: "succeeded" | "failed" | "cancelled",
    msAgo: number,
    code?: string,
  ) {
    const finishedAt = new Date(Date.now() - msAgo);
    await handle.db.insert(snapshots).values({
      provider: "telnyx",
      state,
      startedAt: new Date(finishedAt.getTime() - 5_000),
      finishedAt,
      errorCode: state === "succeeded" ? null : (code ?? state),
    });
  }
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
