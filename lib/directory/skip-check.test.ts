import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { getProvider } from "@/lib/providers";
import type { UsersFilters } from "@/lib/users/schema";
import type { UserChange } from "@/sandbox/mutate";
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

/** The ids of the sandbox's Telnyx users for which `keep` holds, in vendor order. */
const idsWhere = (keep: (user: (typeof sandbox.data.telnyx)[number]) => boolean) =>
  sandbox.data.telnyx.filter(keep).map((u) => u.id);

/**
 * `removed` gone from an early page of a filtered list, and the last user
 * outside it changed to match the filter: the list's total holds, and its
 * later pages start a user later.
 */
const shiftFiltered = (removed: string, outside: string, change: Omit<UserChange, "id">) =>
  sandbox.mutate({ vendor: "telnyx", remove: [removed], change: [{ id: outside, ...change }] });

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

    it("fails a filtered export with list_changed, asking only about snapshot users that matched the filter", async () => {
      await synced();
      const enabled = idsWhere((u) => u.user_status === "enabled");
      const { ids, error, lookups } = await throughProxy(
        () =>
          shiftFiltered(enabled[10]!, idsWhere((u) => u.user_status !== "enabled").at(-1)!, {
            status: "enabled",
          }),
        () => exportIds(reader(), { groups: false, status: "enabled" }),
      );
      expect(error).toMatchObject({ code: "list_changed", status: 409 });
      expect(ids).not.toContain(enabled[250]);
      expect(lookups).toEqual([enabled[250]]);
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

    it("answers list_changed when a shifted page of a list filtered by email skipped a user", async () => {
      await synced();
      // Telnyx's email filter is a partial match without case: "CONTOSO.com" lists every contoso.com.
      const contoso = idsWhere((u) => u.email.toLowerCase().includes("contoso.com"));
      const { error, lookups } = await throughProxy(
        () =>
          shiftFiltered(contoso[10]!, idsWhere((u) => !contoso.includes(u.id)).at(-1)!, {
            email: "joined@contoso.com",
          }),
        () => twoPages(reader(), { groups: false, email: "CONTOSO.com" }),
      );
      expect(error).toMatchObject({ code: "list_changed", status: 409 });
      expect(lookups).toEqual([contoso[100]]);
    });

    it("serves a filtered page when the user missing from it no longer matches the filter", async () => {
      await synced();
      const enabled = idsWhere((u) => u.user_status === "enabled");
      // Disabled since the sync: still listed by Telnyx, but not among its enabled users.
      sandbox.mutate({ vendor: "telnyx", change: [{ id: enabled[100]!, status: "disabled" }] });
      const { second, error, lookups } = await throughProxy(
        () => {},
        () => twoPages(reader(), { groups: false, status: "enabled" }),
      );
      expect(error).toBeNull();
      expect(second).toEqual(enabled.slice(101, 201));
      expect(lookups).toEqual([enabled[100]]);
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
