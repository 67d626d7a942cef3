import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { getProvider } from "@/lib/providers";
import type { UsersFilters } from "@/lib/users/schema";
import { startSandbox, type Sandbox } from "@/sandbox/server";
import { createTestDb, TEST_DB_KINDS, type TestDbHandle } from "@/testing/db";
import { pointEnvAt } from "@/testing/providers";
import { shiftingProxy } from "@/testing/shifting-proxy";

import { skipCheckedReader } from "./skip-check";
import { beginSync, runSync } from "./sync";

let sandbox: Sandbox;
beforeAll(async () => {
  // 600 Telnyx users: export pages of 250, so two gaps between pages.
  sandbox = await startSandbox({ port: 0, telnyxUsers: 600, openaiUsers: 20 });
  pointEnvAt(sandbox);
});
afterAll(() => sandbox.close());
afterEach(() => {
  sandbox.reset();
  vi.restoreAllMocks();
});

/** Every id an export yields, or what it failed with. */
async function exportIds(
  reader: ReturnType<typeof skipCheckedReader>,
  filters: UsersFilters = { groups: false },
): Promise<{ ids: string[]; error: unknown }> {
  const ids: string[] = [];
  try {
    for await (const batch of reader.exportUsers({ filters, concurrency: 4 })) {
      ids.push(...batch.map((user) => user.id));
    }
    return { ids, error: null };
  } catch (error) {
    return { ids, error };
  }
}

describe.each(TEST_DB_KINDS)("a live Telnyx export checked against the directory on %s", (kind) => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
  });
  afterAll(() => handle.close());

  const reader = () => skipCheckedReader(getProvider("telnyx"), () => Promise.resolve(handle.db));

  /** A current Telnyx snapshot of the sandbox as it is now. */
  async function synced() {
    const { snapshotId } = await beginSync(handle.db, "telnyx", "test@roster.test");
    expect(await runSync(handle.db, getProvider("telnyx"), snapshotId, { concurrency: 4 })).toBe(
      "succeeded",
    );
  }

  it("fails with list_changed when a shifted page skipped a user the snapshot knows", async () => {
    await synced();
    const users = sandbox.data.telnyx.map((u) => u.id);
    const proxy = await shiftingProxy(sandbox, () =>
      sandbox.mutate({ vendor: "telnyx", remove: [users[10]!], add: 1 }),
    );
    try {
      const { ids, error } = await exportIds(reader());
      expect(error).toMatchObject({ code: "list_changed", status: 409 });
      // Every page was handed on; the user first on page 2 was on none of them.
      expect(ids).toHaveLength(600);
      expect(ids).not.toContain(users[250]);
      expect(proxy.lookups).toEqual([users[250]]);
    } finally {
      await proxy.close();
    }
  });

  it("ends whole when the users missing from between pages were removed, asking only about those", async () => {
    await synced();
    const users = sandbox.data.telnyx.map((u) => u.id);
    // Removed since the sync: the user first on page 2 (in a gap) and one inside page 2.
    sandbox.mutate({ vendor: "telnyx", remove: [users[250]!, users[400]!] });
    const proxy = await shiftingProxy(sandbox, () => {});
    try {
      const { ids, error } = await exportIds(reader());
      expect(error).toBeNull();
      expect(ids).toEqual(sandbox.data.telnyx.map((u) => u.id));
      expect(proxy.lookups).toEqual([users[250]]);
    } finally {
      await proxy.close();
    }
  });

  it("leaves a filtered export unchecked: a snapshot user may not belong to the filtered list", async () => {
    await synced();
    const users = sandbox.data.telnyx.map((u) => u.id);
    sandbox.mutate({ vendor: "telnyx", remove: [users[250]!] });
    const proxy = await shiftingProxy(sandbox, () => {});
    try {
      const { error } = await exportIds(reader(), { groups: false, email: "@" });
      expect(error).toBeNull();
      expect(proxy.lookups).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it("ends unchecked, and says so in the log, when the database cannot be reached", async () => {
    await synced();
    const users = sandbox.data.telnyx.map((u) => u.id);
    sandbox.mutate({ vendor: "telnyx", remove: [users[250]!] });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const unreachable = skipCheckedReader(getProvider("telnyx"), () =>
      Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })),
    );
    const { ids, error } = await exportIds(unreachable);
    expect(error).toBeNull();
    expect(ids).toHaveLength(599);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("telnyx export: not checked"));
  });
});

describe("skipCheckedReader", () => {
  it("leaves a reader that cannot look users up (OpenAI) as it is", () => {
    const openai = getProvider("openai");
    expect(skipCheckedReader(openai, () => Promise.reject(new Error("unused")))).toBe(openai);
  });
});
