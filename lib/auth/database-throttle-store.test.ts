import { afterEach, describe, expect, it, vi } from "vitest";

import { closeDb, useDbForTests } from "@/lib/db/client";
import { authFailures } from "@/lib/db/schema";
import { createTestDb, TEST_DB_KINDS } from "@/testing/db";

import { DatabaseThrottleStore } from "./database-throttle-store";
import { SignInThrottle } from "./throttle";

describe.each(TEST_DB_KINDS)("DatabaseThrottleStore on %s", (kind) => {
  afterEach(() => closeDb());

  it("counts failures in the window, clears them, and deletes expired rows", async () => {
    const handle = await createTestDb(kind);
    useDbForTests(handle);
    const store = new DatabaseThrottleStore();
    await store.addFailure("email:a", 1_000, 500);
    await store.addFailure("email:a", 1_200, 500);
    await store.addFailure("email:b", 1_300, 500);
    expect(await store.failuresSince("email:a", 1_100)).toEqual([1_200]);
    expect(await store.failuresSince("email:a", 0)).toEqual([1_000, 1_200]);
    await store.clear("email:a");
    expect(await store.failuresSince("email:a", 0)).toEqual([]);
    // A failure far later removes the expired rows of every key.
    await store.addFailure("email:c", 10_000, 500);
    expect((await handle.db.select().from(authFailures)).map((r) => r.key)).toEqual(["email:c"]);
  });

  it("lets two throttles on one database see each other's failures", async () => {
    useDbForTests(await createTestDb(kind));
    const one = new SignInThrottle({ store: new DatabaseThrottleStore() });
    const two = new SignInThrottle({ store: new DatabaseThrottleStore() });
    const who = { email: "admin@example.com", address: "10.0.0.1" };
    for (let i = 0; i < 5; i++) await one.recordFailure(who);
    expect((await two.check(who)).allowed).toBe(false);
  });

  // PGlite runs in this process on JavaScript's clock: faking the app's clock moves the database's.
  it.skipIf(kind === "pglite")(
    "times failures on the database's clock, so an instance whose clock runs ahead still counts them",
    async () => {
      useDbForTests(await createTestDb(kind));
      const one = new SignInThrottle({ store: new DatabaseThrottleStore() });
      const who = { email: "admin@example.com", address: "10.0.0.1" };
      for (let i = 0; i < 5; i++) await one.recordFailure(who);
      // The other instance's clock is half an hour ahead: past the 15-minute window on its own.
      vi.useFakeTimers({ now: new Date(Date.now() + 30 * 60_000), toFake: ["Date"] });
      try {
        const two = new SignInThrottle({ store: new DatabaseThrottleStore() });
        expect((await two.check(who)).allowed).toBe(false);
      } finally {
        vi.useRealTimers();
      }
    },
  );
});
