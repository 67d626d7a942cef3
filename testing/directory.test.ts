import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { directoryUsers } from "@/lib/db/schema";

import { createTestDb, type TestDbHandle } from "./db";
import { openaiUser, seedDirectory } from "./directory";

const user = (id: string, email: string | null) =>
  openaiUser(id, { email, vendor: { id, object: "organization.user" } });

describe("seedDirectory", () => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(() => handle.close());

  it("makes the latest seeded population the current one", async () => {
    await seedDirectory(handle.db, "openai", [user("u1", " Ana@X.com"), user("u2", null)]);
    const { snapshotId } = await seedDirectory(handle.db, "openai", [user("u3", "b@x.com")]);
    const current = await handle.db
      .select({ userId: directoryUsers.userId, from: directoryUsers.fromSnapshot })
      .from(directoryUsers)
      .where(and(eq(directoryUsers.provider, "openai"), isNull(directoryUsers.toSnapshot)));
    expect(current).toEqual([{ userId: "u3", from: snapshotId }]);
    const [ana] = await handle.db
      .select({ key: directoryUsers.emailKey, to: directoryUsers.toSnapshot })
      .from(directoryUsers)
      .where(eq(directoryUsers.userId, "u1"));
    expect(ana).toEqual({ key: "ana@x.com", to: snapshotId });
  });
});
