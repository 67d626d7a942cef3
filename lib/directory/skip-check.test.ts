import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { getProvider } from "@/lib/providers";
import type { UsersFilters } from "@/lib/users/schema";
import { startSandbox, type Sandbox } from "@/sandbox/server";
import { createTestDb, TEST_DB_KINDS, type TestDbHandle } from "@/testing/db";
import { pointEnvAt } from "@/testing/providers";
import { shiftingProxy } from "@/testing/shifting-proxy";

import { skipCheckedReader, type SkipCheckOptions } from "./skip-check";
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

type Reader = ReturnType<typeof skipCheckedReader>;

/** The sandbox's Telnyx ids, in vendor order. */
const telnyxIds = () => sandbox.data.telnyx.map((u) => u.id);

/** One user of page 1 removed and one added: the total holds, and the next page starts a user later. */
const shiftPage1 = () => sandbox.mutate({ vendor: "telnyx", remove: [telnyxIds()[10]!], add: 1 });

/**
 * What `read` gives with a shifting proxy in front of the sandbox (see
 * testing/shifting-proxy.ts) that calls `onPage2` before the first request for
 * a later page, and the ids looked up one by one meanwhile.
 */
async function throughProxy<T>(
  onPage2: () => void,
  read: () => Promise<T>,
): Promise<T & { lookups: string[] }> {
  const proxy = await shiftingProxy(sandbox, onPage2);
  try {
    return { ...(await read()), lookups: proxy.lookups };
  } finally {
    await proxy.close();
  }
}

/** Every id an export yields, or what it failed with. */
async function exportIds(
  reader: Reader,
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

/** Pages 1 and 2 of the live list, 100 users a page, and what page 2 failed with. */
async function twoPages(
  reader: Reader,
  filters: UsersFilters = { groups: false },
): Promise<{ second: string[]; error: unknown }> {
  const first = await reader.listUsers({ filters, limit: 100, position: null });
  try {
    const page = await reader.listUsers({ filters, limit: 100, position: first.next });
    return { second: page.data.map((user) => user.id), error: null };
  } catch (error) {
    return { second: [], error };
  }
}

describe.each(TEST_DB_KINDS)("Telnyx reads checked against the directory on %s", (kind) => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
  });
  afterAll(() => handle.close());

  const reader = (options?: SkipCheckOptions) =>
    skipCheckedReader(getProvider("telnyx"), () => Promise.resolve(handle.db), options);

  /** A current Telnyx snapshot of the sandbox as it is now. */
  async function synced() {
    const { snapshotId } = await beginSync(handle.db, "telnyx", "test@roster.test");
    expect(await runSync(handle.db, getProvider("telnyx"), snapshotId, { concurrency: 4 })).toBe(
      "succeeded",
    );
  }

  describe("a live export", () => {
    it("fails with list_changed when a shifted page skipped a user the snapshot knows", async () => {
      await synced();
      const users = telnyxIds();
      const { ids, error, lookups } = await throughProxy(shiftPage1, () => exportIds(reader()));
      expect(error).toMatchObject({ code: "list_changed", status: 409 });
      // Every page was handed on; the user first on page 2 was on none of them.
      expect(ids).toHaveLength(600);
      expect(ids).not.toContain(users[250]);
      expect(lookups).toEqual([users[250]]);
    });

    it("ends whole when the users missing from between pages were removed, asking only about those", async () => {
      await synced();
      const users = telnyxIds();
      // Removed since the sync: the user first on page 2 (in a gap) and one inside page 2.
      sandbox.mutate({ vendor: "telnyx", remove: [users[250]!, users[400]!] });
      const { ids, error, lookups } = await throughProxy(
        () => {},
        () => exportIds(reader()),
      );
      expect(error).toBeNull();
      expect(ids).toEqual(telnyxIds());
      expect(lookups).toEqual([users[250]]);
    });

    it("leaves a filtered export unchecked: a snapshot user may not belong to the filtered list", async () => {
      await synced();
      sandbox.mutate({ vendor: "telnyx", remove: [telnyxIds()[250]!] });
      const { error, lookups } = await throughProxy(
        () => {},
        () => exportIds(reader(), { groups: false, email: "@" }),
      );
      expect(error).toBeNull();
      expect(lookups).toEqual([]);
    });

    it("ends unchecked, and says so in the log, when the database cannot be reached", async () => {
      await synced();
      sandbox.mutate({ vendor: "telnyx", remove: [telnyxIds()[250]!] });
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

  describe("the live list", () => {
    it("answers list_changed when a shifted page skipped a user the snapshot knows", async () => {
      await synced();
      const users = telnyxIds();
      const { error, lookups } = await throughProxy(shiftPage1, () => twoPages(reader()));
      expect(error).toMatchObject({ code: "list_changed", status: 409 });
      expect(lookups).toEqual([users[100]]);
    });

    it("serves the page when the user missing from between the pages was removed, asking only about it", async () => {
      await synced();
      const users = telnyxIds();
      sandbox.mutate({ vendor: "telnyx", remove: [users[100]!] });
      const { second, error, lookups } = await throughProxy(
        () => {},
        () => twoPages(reader()),
      );
      expect(error).toBeNull();
      expect(second).toEqual(users.slice(101, 201));
      expect(lookups).toEqual([users[100]]);
    });

    it("finds the skipped user among many created at the same time as the page's last", async () => {
      // 31 users around the boundary share one time; vendor order then goes by id.
      const around = sandbox.data.telnyx.slice(80, 111);
      const at = around[0]!.created_at;
      around.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (const user of around) user.created_at = at;
      sandbox.data.telnyx.splice(80, around.length, ...around);
      await synced();
      const users = telnyxIds();
      const { error, lookups } = await throughProxy(shiftPage1, () => twoPages(reader()));
      expect(error).toMatchObject({ code: "list_changed" });
      expect(lookups).toEqual([users[100]]);
    });

    it("asks the vendor nothing when no snapshot user is missing from between the pages", async () => {
      await synced();
      const users = telnyxIds();
      // Removed inside page 2, not at its start: not in the gap.
      sandbox.mutate({ vendor: "telnyx", remove: [users[150]!] });
      const { second, error, lookups } = await throughProxy(
        () => {},
        () => twoPages(reader()),
      );
      expect(error).toBeNull();
      expect(second[0]).toBe(users[100]);
      expect(lookups).toEqual([]);
    });

    it("leaves a filtered list unchecked", async () => {
      await synced();
      sandbox.mutate({ vendor: "telnyx", remove: [telnyxIds()[100]!] });
      const { error, lookups } = await throughProxy(
        () => {},
        () => twoPages(reader(), { groups: false, email: "@" }),
      );
      expect(error).toBeNull();
      expect(lookups).toEqual([]);
    });

    it.runIf(kind === "pglite")(
      "serves the page unchecked, and logs it, when the database is busy past the wait",
      async () => {
        await synced();
        const users = telnyxIds();
        const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
        // A transaction holds PGlite's one connection (as a sync's publish does) until page 2 is in.
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        let holding!: () => void;
        const holdingNow = new Promise<void>((resolve) => (holding = resolve));
        const transaction = handle.db.transaction(async () => {
          holding();
          await held;
        });
        try {
          await holdingNow;
          const { second, error } = await throughProxy(shiftPage1, () =>
            twoPages(reader({ listWaitMs: 50 })),
          );
          expect(error).toBeNull();
          expect(second).toHaveLength(100);
          expect(second).not.toContain(users[100]);
          expect(warn).toHaveBeenCalledWith(
            expect.stringContaining(
              "telnyx list: not checked for users a shifted page skipped (the database did not answer within 50 ms)",
            ),
          );
        } finally {
          release();
          await transaction;
        }
      },
    );
  });
});

describe("skipCheckedReader", () => {
  it("leaves a reader that cannot look users up (OpenAI) as it is", () => {
    const openai = getProvider("openai");
    expect(skipCheckedReader(openai, () => Promise.reject(new Error("unused")))).toBe(openai);
  });
});
