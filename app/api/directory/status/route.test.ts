/**
 * `GET /api/directory/status` says when the schedule syncs each vendor next:
 * a time, or null when nothing will (schedule off, no key, a sync running).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { closeDb, useDbForTests, type Db } from "@/lib/db/client";
import { snapshots } from "@/lib/db/schema";
import type { DirectoryStatus } from "@/lib/directory/schema";
import { resetEnvCache } from "@/lib/env.mjs";
import { adminCookieHeader } from "@/testing/auth";
import { createTestDb } from "@/testing/db";

import { GET } from "./route";

const MINUTE = 60_000;
let cookie: string;
let db: Db;

function stubEnv(vars: Record<string, string>) {
  for (const [name, value] of Object.entries(vars)) vi.stubEnv(name, value);
  resetEnvCache();
}

beforeAll(async () => {
  cookie = await adminCookieHeader();
  const handle = await createTestDb("pglite");
  useDbForTests(handle);
  db = handle.db;
});
afterEach(async () => {
  vi.unstubAllEnvs();
  resetEnvCache();
  await db.delete(snapshots);
});
afterAll(() => closeDb());

async function status(): Promise<DirectoryStatus["providers"]> {
  const response = await GET(
    new Request("http://roster.test/api/directory/status", { headers: { cookie } }),
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as DirectoryStatus).providers;
}

describe("GET /api/directory/status: nextScheduledAt", () => {
  it("is the interval after a configured vendor's snapshot, null for a vendor without a key", async () => {
    // Telnyx has a key (no request is made to it here); OpenAI has none.
    stubEnv({ TELNYX_API_KEY: "KEY-test", OPENAI_ADMIN_KEY: "", SYNC_INTERVAL_MINUTES: "15" });
    const finishedAt = new Date(Date.now() - 5 * MINUTE);
    await db.insert(snapshots).values({
      provider: "telnyx",
      state: "succeeded",
      startedAt: new Date(finishedAt.getTime() - 5_000),
      finishedAt,
    });
    const providers = await status();
    expect(providers.telnyx.nextScheduledAt).toBe(
      new Date(finishedAt.getTime() + 15 * MINUTE).toISOString(),
    );
    expect(providers.openai.nextScheduledAt).toBeNull();
  });

  it("is null while a sync runs, and when the schedule is off", async () => {
    stubEnv({ TELNYX_API_KEY: "KEY-test", SYNC_INTERVAL_MINUTES: "15" });
    await db.insert(snapshots).values({ provider: "telnyx", state: "running" });
    expect((await status()).telnyx.nextScheduledAt).toBeNull();

    await db.delete(snapshots);
    // No snapshot yet: due now.
    const due = Date.parse((await status()).telnyx.nextScheduledAt ?? "");
    expect(Math.abs(due - Date.now())).toBeLessThan(5_000);
    stubEnv({ SYNC_INTERVAL_MINUTES: "0" });
    expect((await status()).telnyx.nextScheduledAt).toBeNull();
  });
});
