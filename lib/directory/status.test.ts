/**
 * The status the dashboard polls (every second during a sync): one statement
 * per vendor, whatever its snapshots, and the same next sync as the schedule.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import type { DbHandle } from "@/lib/db/client";
import { snapshots } from "@/lib/db/schema";
import { resetEnvCache } from "@/lib/env.mjs";
import { PROVIDER_IDS } from "@/lib/users/contract";
import type { ProviderId } from "@/lib/users/schema";
import { createTestDb, TEST_DB_KINDS } from "@/testing/db";
import { insertEndedAttempt } from "@/testing/directory";

import { nextScheduledSync } from "./schedule";
import { directoryStatus, providerStatus } from "./status";

const MINUTE = 60_000;
const INTERVAL = 15 * MINUTE;

describe.each(TEST_DB_KINDS)("the directory status on %s", (kind) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
  });
  afterAll(async () => {
    await handle.close();
  });
  beforeEach(async () => {
    await handle.db.delete(snapshots);
    // Both vendors have a key (no request is made to them here), and the schedule is on.
    vi.stubEnv("TELNYX_API_KEY", "KEY-test");
    vi.stubEnv("OPENAI_ADMIN_KEY", "sk-admin-test");
    vi.stubEnv("SYNC_INTERVAL_MINUTES", "15");
    resetEnvCache();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    resetEnvCache();
  });

  /** A finished attempt at `provider` that ended `msAgo` before now. */
  const attempt = (
    provider: ProviderId,
    state: "succeeded" | "failed" | "cancelled",
    msAgo: number,
    code?: string,
  ) => insertEndedAttempt(handle.db, provider, state, msAgo, code);

  /** The statements `run` sends to the database. */
  async function statements(run: () => Promise<unknown>): Promise<number> {
    const client = (handle.db as unknown as { $client: { query: (...args: unknown[]) => unknown } })
      .$client;
    const query = vi.spyOn(client, "query");
    try {
      await run();
      return query.mock.calls.length;
    } finally {
      query.mockRestore();
    }
  }

  it("reads each vendor in one statement, its next scheduled sync included", async () => {
    // Nothing yet: the next sync is due now.
    expect(await statements(() => directoryStatus(handle.db))).toBe(PROVIDER_IDS.length);
    // Failures in a row after a snapshot (the schedule counts them), a cancel at the other vendor.
    await attempt("telnyx", "succeeded", 60 * MINUTE);
    await attempt("telnyx", "failed", 3 * MINUTE, "upstream_unavailable");
    await attempt("telnyx", "failed", MINUTE, "unauthorized");
    await attempt("openai", "succeeded", 10 * MINUTE);
    await attempt("openai", "cancelled", 2 * MINUTE);
    expect(await statements(() => directoryStatus(handle.db))).toBe(PROVIDER_IDS.length);
    const { providers } = await directoryStatus(handle.db);
    expect(providers.telnyx.nextScheduledAt).not.toBeNull();
    expect(providers.openai.nextScheduledAt).not.toBeNull();
    // A sync running (polled every second): no next sync, still one statement.
    await handle.db.insert(snapshots).values({ provider: "telnyx", state: "running" });
    expect(await statements(() => providerStatus(handle.db, "telnyx"))).toBe(1);
    expect((await providerStatus(handle.db, "telnyx")).running).not.toBeNull();
  });

  it("says the next sync the schedule's own reading says", async () => {
    const agree = async () => {
      for (const provider of PROVIDER_IDS) {
        const status = await providerStatus(handle.db, provider, INTERVAL);
        const next = await nextScheduledSync(handle.db, provider, INTERVAL);
        // A vendor due now is due at the clock's reading, a moment apart between the two reads.
        expect(
          Math.abs(Date.parse(status.nextScheduledAt ?? "") - (next?.getTime() ?? Number.NaN)),
        ).toBeLessThan(5_000);
      }
    };
    await agree();
    await attempt("telnyx", "succeeded", 60 * MINUTE);
    await attempt("telnyx", "failed", 3 * MINUTE, "upstream_unavailable");
    await attempt("telnyx", "failed", MINUTE, "unauthorized");
    await attempt("telnyx", "failed", 30_000, "server_stopped");
    await attempt("openai", "succeeded", 10 * MINUTE);
    await attempt("openai", "cancelled", 2 * MINUTE);
    await agree();
    const { providers } = await directoryStatus(handle.db);
    // The last failure shown is the latest, though the schedule goes by the vendor's before it.
    expect(providers.telnyx.lastFailure?.code).toBe("server_stopped");
    expect(providers.openai.lastFailure?.code).toBe("cancelled");
    // Two vendor failures in a row: two minutes after the last of them (the stopped instance's does not count).
    expect(Date.parse(providers.telnyx.nextScheduledAt ?? "")).toBeGreaterThan(Date.now());
    expect(Date.parse(providers.openai.nextScheduledAt ?? "")).toBeGreaterThan(
      Date.now() + 12 * MINUTE,
    );
  });
});
