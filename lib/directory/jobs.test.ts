import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { listActivity } from "@/lib/activity/log";
import { snapshots } from "@/lib/db/schema";
import { withSandboxAndDb } from "@/testing/sandbox-db";

import { cancelSync, settleSyncs, startSyncs, stopSyncs } from "./jobs";
import { currentSnapshot } from "./read";

describe("startSyncs", () => {
  const env = withSandboxAndDb({ telnyxUsers: 120, openaiUsers: 90 });

  it("records who started each sync and how it ended in the activity log", async () => {
    const started = await startSyncs(["telnyx", "openai"], "ana@example.com", env.handle.db);
    expect(started.map((s) => s.provider)).toEqual(["telnyx", "openai"]);
    await settleSyncs();
    const { data } = await listActivity(env.handle.db, { kind: "directory.sync", limit: 10 });
    const details = data.map((e) => ({ admin: e.admin, ...e.details }));
    for (const { provider, snapshotId } of started) {
      expect(details).toContainEqual(
        expect.objectContaining({
          admin: "ana@example.com",
          provider,
          snapshotId,
          outcome: "started",
        }),
      );
      expect(details).toContainEqual(
        expect.objectContaining({
          admin: "ana@example.com",
          provider,
          snapshotId,
          outcome: "succeeded",
          rows: env.sandbox.data[provider].length,
        }),
      );
    }
  });

  it("records how many users' activity alone moved, once a sync saw it", async () => {
    await startSyncs(["telnyx"], "ana@example.com", env.handle.db);
    await settleSyncs();
    // Two users signed in since: no change, their current versions take the new time.
    const users = env.sandbox.data.telnyx.slice(0, 2);
    const before = users.map((user) => user.last_sign_in_at);
    try {
      for (const user of users) user.last_sign_in_at = "2026-12-07T09:00:00Z";
      const [started] = await startSyncs(["telnyx"], "ana@example.com", env.handle.db);
      await settleSyncs();
      const { data } = await listActivity(env.handle.db, { kind: "directory.sync", limit: 1 });
      expect(data[0]?.details).toMatchObject({
        snapshotId: started?.snapshotId,
        outcome: "succeeded",
        rows: env.sandbox.data.telnyx.length,
        activityUpdated: 2,
      });
    } finally {
      users.forEach((user, i) => (user.last_sign_in_at = before[i]!));
    }
    // Their sign-ins moved back: the next sync updates the same two again, the one after none.
    await startSyncs(["telnyx"], "ana@example.com", env.handle.db);
    await settleSyncs();
    await startSyncs(["telnyx"], "ana@example.com", env.handle.db);
    await settleSyncs();
    const { data } = await listActivity(env.handle.db, { kind: "directory.sync", limit: 3 });
    expect(data.map((e) => [e.details.outcome, e.details.activityUpdated])).toEqual([
      ["succeeded", 0],
      ["started", undefined],
      ["succeeded", 2],
    ]);
  });

  it("answers 409 naming every vendor asked for whose sync runs already", async () => {
    env.sandbox.setFaults({ latencyMs: 200 });
    try {
      await startSyncs(["telnyx", "openai"], "schedule", env.handle.db);
      const both = await startSyncs(["telnyx", "openai"], "ana@example.com", env.handle.db).then(
        () => null,
        (error: unknown) => error,
      );
      expect(both).toMatchObject({
        code: "sync_running",
        message: "Syncs of Telnyx and OpenAI are already running.",
      });
      const one = await startSyncs(["openai"], "ana@example.com", env.handle.db).then(
        () => null,
        (error: unknown) => error,
      );
      expect(one).toMatchObject({ message: "A sync of OpenAI is already running." });
    } finally {
      await stopSyncs();
      env.sandbox.reset();
    }
  });

  it("stops this server's syncs for a shutdown: failed with server_stopped, the vendor free at once", async () => {
    env.sandbox.setFaults({ latencyMs: 200, vendor: "telnyx" });
    try {
      const before = await currentSnapshot(env.handle.db, "telnyx");
      const [started] = await startSyncs(["telnyx"], "schedule", env.handle.db);
      await stopSyncs();
      const [row] = await env.handle.db
        .select({ state: snapshots.state, code: snapshots.errorCode })
        .from(snapshots)
        .where(eq(snapshots.id, started!.snapshotId));
      expect(row).toEqual({ state: "failed", code: "server_stopped" });
      // The previous snapshot stays current, and the lease is free: no 409.
      expect((await currentSnapshot(env.handle.db, "telnyx"))?.id).toBe(before?.id);
      env.sandbox.setFaults({ latencyMs: 0 });
      const [next] = await startSyncs(["telnyx"], "schedule", env.handle.db);
      await settleSyncs();
      expect((await currentSnapshot(env.handle.db, "telnyx"))?.id).toBe(next?.snapshotId);
    } finally {
      env.sandbox.reset();
    }
  });

  it("records who cancelled a sync, not only who started it", async () => {
    env.sandbox.setFaults({ latencyMs: 200, vendor: "telnyx" });
    try {
      const [started] = await startSyncs(["telnyx"], "schedule", env.handle.db);
      expect(await cancelSync("telnyx", "bo@example.com", env.handle.db)).toBe(true);
      await settleSyncs();
      const { data } = await listActivity(env.handle.db, { kind: "directory.sync", limit: 3 });
      // Newest first: the schedule's sync ended cancelled because Bo asked.
      expect(data.map((e) => [e.admin, e.details.outcome, e.details.snapshotId])).toEqual([
        [null, "cancelled", started?.snapshotId],
        ["bo@example.com", "cancel_requested", started?.snapshotId],
        [null, "started", started?.snapshotId],
      ]);
    } finally {
      env.sandbox.reset();
    }
  });

  it("records a failed sync with its error code, by the scheduler", async () => {
    env.sandbox.setFaults({ rate5xx: 1, vendor: "openai" });
    try {
      const [started] = await startSyncs(["openai"], "schedule", env.handle.db);
      await settleSyncs();
      const { data } = await listActivity(env.handle.db, { kind: "directory.sync", limit: 1 });
      expect(data[0]).toMatchObject({
        admin: null,
        details: { provider: "openai", snapshotId: started?.snapshotId, outcome: "failed" },
      });
      expect(typeof data[0]?.details.error).toBe("string");
    } finally {
      env.sandbox.reset();
    }
  });
});
