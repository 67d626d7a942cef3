import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { listActivity } from "@/lib/activity/log";
import { closeDb, useDbForTests } from "@/lib/db/client";
import { pointEnvAt } from "@/testing/providers";
import { createTestDb, type TestDbHandle } from "@/testing/db";
import { startSandbox, type Sandbox } from "@/sandbox/server";

import { settleSyncs, startSyncs } from "./jobs";

describe("startSyncs", () => {
  let sandbox: Sandbox;
  let handle: TestDbHandle;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, telnyxUsers: 120, openaiUsers: 90 });
    pointEnvAt(sandbox);
    handle = await createTestDb("pglite");
    useDbForTests(handle);
  });
  afterAll(async () => {
    await closeDb();
    await sandbox.close();
  });

  it("records who started each sync and how it ended in the activity log", async () => {
    const started = await startSyncs(["telnyx", "openai"], "ana@example.com", handle.db);
    expect(started.map((s) => s.provider)).toEqual(["telnyx", "openai"]);
    await settleSyncs();
    const { data } = await listActivity(handle.db, { kind: "directory.sync", limit: 10 });
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
          rows: sandbox.data[provider].length,
        }),
      );
    }
  });

  it("records a failed sync with its error code, by the scheduler", async () => {
    sandbox.setFaults({ rate5xx: 1, vendor: "openai" });
    try {
      const [started] = await startSyncs(["openai"], "schedule", handle.db);
      await settleSyncs();
      const { data } = await listActivity(handle.db, { kind: "directory.sync", limit: 1 });
      expect(data[0]).toMatchObject({
        admin: null,
        details: { provider: "openai", snapshotId: started?.snapshotId, outcome: "failed" },
      });
      expect(typeof data[0]?.details.error).toBe("string");
    } finally {
      sandbox.reset();
    }
  });
});
