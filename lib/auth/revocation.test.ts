import { afterEach, describe, expect, it } from "vitest";

import { closeDb, useDbForTests } from "@/lib/db/client";
import { revokedSessions } from "@/lib/db/schema";
import { createTestDb, TEST_DB_KINDS } from "@/testing/db";

import { databaseRevocationStore, REVOCATION_GRACE_MS } from "./revocation";

describe.each(TEST_DB_KINDS)("the database revocation store on %s", (kind) => {
  afterEach(() => closeDb());

  it("refuses a revoked session and forgets revocations a day past their expiry", async () => {
    const handle = await createTestDb(kind);
    useDbForTests(handle);
    expect(await databaseRevocationStore.isRevoked("s1")).toBe(false);
    await databaseRevocationStore.revoke("old", new Date(Date.now() - REVOCATION_GRACE_MS - 1000));
    // Expired an hour ago by this clock, but an instance whose clock runs behind still accepts it.
    await databaseRevocationStore.revoke("lately", new Date(Date.now() - 60 * 60_000));
    await databaseRevocationStore.revoke("s1", new Date(Date.now() + 60_000));
    await databaseRevocationStore.revoke("s1", new Date(Date.now() + 60_000));
    expect(await databaseRevocationStore.isRevoked("s1")).toBe(true);
    expect(await databaseRevocationStore.isRevoked("lately")).toBe(true);
    const rows = await handle.db.select().from(revokedSessions);
    expect(rows.map((r) => r.sid).sort()).toEqual(["lately", "s1"]);
  });

  it("honours revocations already in the database when the process starts", async () => {
    const handle = await createTestDb(kind);
    await handle.db
      .insert(revokedSessions)
      .values({ sid: "earlier", expiresAt: new Date(Date.now() + 60_000) });
    useDbForTests(handle);
    expect(await databaseRevocationStore.isRevoked("earlier")).toBe(true);
    expect(await databaseRevocationStore.isRevoked("other")).toBe(false);
    await databaseRevocationStore.revoke("other", new Date(Date.now() + 60_000));
    expect(await databaseRevocationStore.isRevoked("other")).toBe(true);
  });
});

describe("the revocation store on PostgreSQL, shared by instances", () => {
  afterEach(() => closeDb());

  it("refuses at once a session another instance revoked", async () => {
    const handle = await createTestDb("postgres");
    useDbForTests(handle);
    expect(await databaseRevocationStore.isRevoked("elsewhere")).toBe(false);
    // Another instance's sign-out: a row written straight into the shared database.
    await handle.db
      .insert(revokedSessions)
      .values({ sid: "elsewhere", expiresAt: new Date(Date.now() + 60_000) });
    expect(await databaseRevocationStore.isRevoked("elsewhere")).toBe(true);
  });
});
