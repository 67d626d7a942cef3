import { afterEach, describe, expect, it } from "vitest";

import { closeDb, useDbForTests } from "@/lib/db/client";
import { revokedSessions } from "@/lib/db/schema";
import { createTestDb, TEST_DB_KINDS } from "@/testing/db";

import { databaseRevocationStore } from "./revocation";

describe.each(TEST_DB_KINDS)("the database revocation store on %s", (kind) => {
  afterEach(() => closeDb());

  it("refuses a revoked session and forgets revocations past their expiry", async () => {
    const handle = await createTestDb(kind);
    useDbForTests(handle);
    expect(await databaseRevocationStore.isRevoked("s1")).toBe(false);
    await databaseRevocationStore.revoke("old", new Date(Date.now() - 1000));
    await databaseRevocationStore.revoke("s1", new Date(Date.now() + 60_000));
    await databaseRevocationStore.revoke("s1", new Date(Date.now() + 60_000));
    expect(await databaseRevocationStore.isRevoked("s1")).toBe(true);
    const rows = await handle.db.select().from(revokedSessions);
    expect(rows.map((r) => r.sid)).toEqual(["s1"]);
  });
});
