import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDb, TEST_DB_KINDS, type TestDbHandle } from "@/testing/db";
import { openaiUser, seedDirectory } from "@/testing/directory";
import type { VendorPosition } from "@/lib/providers/types";
import type { ProviderId, User } from "@/lib/users/schema";

import { directoryAdapter } from "./read";

function telnyx(id: string, createdAt: string, lastActiveAt: string | null = null): User {
  return {
    id,
    provider: "telnyx",
    email: `${id}@example.com`,
    name: null,
    status: "enabled",
    role: "member",
    createdAt,
    lastActiveAt,
    groups: null,
    vendor: { id },
  };
}

describe.each(TEST_DB_KINDS)("the directory read on %s", (kind) => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
  });
  afterAll(() => handle.close());

  /** The directory's users of `provider`, one per page: every cursor is used (at most 10 pages). */
  async function listOneByOne(provider: ProviderId): Promise<User[]> {
    const reader = directoryAdapter(provider, () => Promise.resolve(handle.db));
    const listed: User[] = [];
    let position: VendorPosition | null = null;
    do {
      const page = await reader.listUsers({ filters: { groups: false }, limit: 1, position });
      listed.push(...page.data);
      position = page.next;
    } while (position && listed.length < 10);
    return listed;
  }

  it("answers a vendor's zero time (year 1) as it was read, and pages past it losing no one", async () => {
    // Read back as 2001, the zero time came after 1990 in the cursor: b and c were never listed.
    const users = [
      telnyx("a", "0001-01-01T00:00:00.000Z", "0001-01-01T00:00:00.000Z"),
      telnyx("b", "0001-01-01T00:00:00.000Z"),
      telnyx("c", "1990-01-01T00:00:00.000Z"),
      telnyx("d", "2001-06-01T00:00:00.000Z"),
      telnyx("e", "2025-01-01T00:00:00.000Z", "2026-01-02T03:04:05.678Z"),
    ];
    await seedDirectory(handle.db, "telnyx", users);
    expect(await listOneByOne("telnyx")).toEqual(users);
    const reader = directoryAdapter("telnyx", () => Promise.resolve(handle.db));
    const exported: User[] = [];
    for await (const batch of reader.exportUsers({ filters: { groups: false }, concurrency: 1 })) {
      exported.push(...batch);
    }
    expect(exported).toEqual(users);
  });

  it("stores and pages through times after year 9999, which the vendor may send and toISOString writes as +010000", async () => {
    // PostgreSQL refuses `+010000-…`: every sync of the vendor failed, the directory stuck.
    const users = [
      openaiUser("a", {
        createdAt: "2025-01-01T00:00:00.000Z",
        lastActiveAt: "+011476-05-01T12:00:00.123Z",
      }),
      openaiUser("b", { createdAt: "+010000-01-01T00:00:00.000Z" }),
      openaiUser("c", { createdAt: "+010000-01-01T00:00:00.000Z" }),
      openaiUser("d", { createdAt: "+275760-09-13T00:00:00.000Z" }),
    ];
    await seedDirectory(handle.db, "openai", users);
    expect(await listOneByOne("openai")).toEqual(users);
  });
});
