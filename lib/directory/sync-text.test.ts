import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { directoryUsers, snapshots } from "@/lib/db/schema";
import { createTestDb, TEST_DB_KINDS, type TestDbHandle } from "@/testing/db";
import { openaiUser, seedDirectory } from "@/testing/directory";

describe.each(TEST_DB_KINDS)("a vendor's text that jsonb refuses, on %s", (kind) => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
  });
  afterAll(() => handle.close());

  const current = () =>
    handle.db
      .select({
        id: directoryUsers.userId,
        name: directoryUsers.name,
        vendor: directoryUsers.vendor,
      })
      .from(directoryUsers)
      .where(and(eq(directoryUsers.provider, "openai"), isNull(directoryUsers.toSnapshot)))
      .orderBy(directoryUsers.userId);

  it("stores it with U+FFFD in its place instead of failing the whole sync", async () => {
    const users = [
      // An emoji cut in half by a vendor that truncates UTF-16, a NUL, an id with a NUL,
      // and a backslash before a "u" that must stay as it is.
      openaiUser("u1", { name: "Ana \ud83d", vendor: { id: "u1", note: "x\udc00y" } }),
      openaiUser("u2", { name: "Bo\u0000" }),
      openaiUser("u3\u0000", { name: "C:\\users\\u0000 ok 😀" }),
      openaiUser("u4"),
    ];
    await seedDirectory(handle.db, "openai", users);
    expect(await current()).toEqual([
      { id: "u1", name: "Ana \ufffd", vendor: { id: "u1", note: "x\ufffdy" } },
      { id: "u2", name: "Bo\ufffd", vendor: { id: "u2" } },
      { id: "u3\ufffd", name: "C:\\users\\u0000 ok 😀", vendor: { id: "u3\ufffd" } },
      { id: "u4", name: null, vendor: { id: "u4" } },
    ]);

    // The same users again: nothing changed, so no user is written again.
    const { snapshotId } = await seedDirectory(handle.db, "openai", users);
    const rows = await handle.db
      .select({ id: directoryUsers.userId })
      .from(directoryUsers)
      .where(eq(directoryUsers.fromSnapshot, snapshotId));
    expect(rows).toEqual([]);
    const [snapshot] = await handle.db
      .select({ state: snapshots.state, rows: snapshots.rows })
      .from(snapshots)
      .where(eq(snapshots.id, snapshotId));
    expect(snapshot).toEqual({ state: "succeeded", rows: 4 });
  });
});
