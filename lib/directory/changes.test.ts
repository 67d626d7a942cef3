import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { directoryUsers } from "@/lib/db/schema";
import { createTestDb, TEST_DB_KINDS, type TestDbHandle } from "@/testing/db";
import { openaiUser, seedDirectory } from "@/testing/directory";

import { changedFields, listChanges } from "./changes";
import { parseChangesQuery } from "./schema";

type Row = typeof directoryUsers.$inferSelect;

function version(patch: Partial<Row>): Row {
  return {
    provider: "telnyx",
    userId: "u1",
    fromSnapshot: 1,
    toSnapshot: null,
    email: "ana@example.com",
    emailKey: "ana@example.com",
    name: null,
    status: "enabled",
    role: "member",
    createdAt: new Date("2026-01-01T00:00:00.000Z"),
    lastActiveAt: null,
    groups: null,
    vendor: {},
    hash: "h",
    activityHash: "a",
    activitySnapshot: null,
    ...patch,
  };
}

describe("changedFields", () => {
  const sales = { id: "g1", name: "Sales" };
  const eng = { id: "g2", name: "Engineering" };

  it("does not report groups listed in another order: the same groups, no change", () => {
    // The vendor's record differs (a new version is stored), but no one's access changed.
    expect(
      changedFields(version({ groups: [sales, eng] }), version({ groups: [eng, sales] })),
    ).toEqual([]);
  });

  it("reports a group joined or left, with the names sorted on both sides", () => {
    expect(changedFields(version({ groups: [sales] }), version({ groups: [sales, eng] }))).toEqual([
      { field: "groups", old: "Sales", new: "Engineering; Sales" },
    ]);
  });

  it("reports what a sign-in time alone does not change: nothing", () => {
    expect(
      changedFields(
        version({ lastActiveAt: null }),
        version({ lastActiveAt: new Date("2026-02-01T00:00:00.000Z") }),
      ),
    ).toEqual([]);
  });
});

describe.each(TEST_DB_KINDS)("listChanges on %s", (kind) => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
    await seedDirectory(handle.db, "openai", [
      openaiUser("u1", { email: "zed@example.com" }),
      openaiUser("u2", { email: "Bob@Example.com" }),
      openaiUser("u3", { email: "amy@example.com" }),
      openaiUser("u4", { email: null }),
      openaiUser("u9", { email: "keep@example.com" }),
    ]);
    await seedDirectory(handle.db, "openai", [
      openaiUser("u0", { email: "carl@example.com" }),
      openaiUser("u2", { email: "Bob@Example.com", role: "owner" }),
      openaiUser("u3", { email: "yara@example.com" }),
      openaiUser("u4", { email: null, role: "owner" }),
      openaiUser("u8", { email: "bob@example.com" }),
      openaiUser("u9", { email: "keep@example.com" }),
    ]);
  });
  afterAll(() => handle.close());

  // By lowercase email (the new one for a changed email; none first), then by id for the same email.
  const expected = ["changed:u4", "changed:u2", "added:u8", "added:u0", "changed:u3", "removed:u1"];

  it.each([1, 2, 4, 500])(
    "lists the changes by email, then id, each once, %i per page",
    async (limit) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 20; page++) {
        const reply = await listChanges(handle.db, { provider: "openai", limit, cursor });
        seen.push(...reply.data.map((change) => `${change.change}:${change.id}`));
        if (!reply.nextCursor) break;
        cursor = reply.nextCursor;
      }
      expect(seen).toEqual(expected);
    },
  );

  it.each([
    ["added", ["added:u8", "added:u0"]],
    ["removed", ["removed:u1"]],
    ["changed", ["changed:u4", "changed:u2", "changed:u3"]],
  ] as const)("lists only the users %s when asked, page by page", async (change, only) => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const reply = await listChanges(handle.db, { provider: "openai", change, limit: 1, cursor });
      seen.push(...reply.data.map((entry) => `${entry.change}:${entry.id}`));
      if (!reply.nextCursor) break;
      cursor = reply.nextCursor;
    }
    expect(seen).toEqual(only);
  });

  it("lists only the users whose role changed, with all their changed fields", async () => {
    const seenRole: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const reply = await listChanges(handle.db, {
        provider: "openai",
        field: "role",
        limit: 1,
        cursor,
      });
      seenRole.push(...reply.data.map((entry) => `${entry.change}:${entry.id}`));
      if (!reply.nextCursor) break;
      cursor = reply.nextCursor;
    }
    expect(seenRole).toEqual(["changed:u4", "changed:u2"]);
    const email = await listChanges(handle.db, { provider: "openai", field: "email", limit: 10 });
    expect(email.data).toEqual([
      expect.objectContaining({
        id: "u3",
        fields: [{ field: "email", old: "amy@example.com", new: "yara@example.com" }],
      }),
    ]);
  });

  it("refuses a cursor made for another change filter", async () => {
    const first = await listChanges(handle.db, { provider: "openai", change: "added", limit: 1 });
    for (const change of ["removed", undefined] as const) {
      await expect(
        listChanges(handle.db, { provider: "openai", change, limit: 1, cursor: first.nextCursor! }),
      ).rejects.toMatchObject({
        code: "invalid_cursor",
        message: expect.stringMatching(/change or field filter/),
      });
    }
    const byRole = await listChanges(handle.db, { provider: "openai", field: "role", limit: 1 });
    await expect(
      listChanges(handle.db, {
        provider: "openai",
        field: "status",
        limit: 1,
        cursor: byRole.nextCursor!,
      }),
    ).rejects.toMatchObject({ code: "invalid_cursor" });
  });
});

describe("listChanges with long emails and ids", () => {
  it("pages by the first 200 characters of the email, then the id, with cursors the API takes", async () => {
    const handle = await createTestDb();
    try {
      // The same first 200 characters, of 4-byte characters: only the ids tell them apart.
      const stem = "\u{1F600}".repeat(200);
      const id = (n: number) => `${n}${"i".repeat(511)}`;
      await seedDirectory(handle.db, "openai", []);
      await seedDirectory(handle.db, "openai", [
        openaiUser(id(3), { email: `${stem}a@example.com` }),
        openaiUser(id(1), { email: `${stem}z@example.com` }),
        openaiUser(id(2), { email: `${stem}m@example.com` }),
      ]);
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 5; page++) {
        const reply = await listChanges(handle.db, { provider: "openai", limit: 1, cursor });
        seen.push(...reply.data.map((change) => change.id[0]!));
        if (!reply.nextCursor) break;
        cursor = reply.nextCursor;
        const parsed = parseChangesQuery(new URLSearchParams({ provider: "openai", cursor }));
        expect(parsed.ok, `a ${cursor.length}-character cursor`).toBe(true);
      }
      expect(seen).toEqual(["1", "2", "3"]);
    } finally {
      await handle.close();
    }
  });
});

describe.each(TEST_DB_KINDS)("listChanges among new sign-in times on %s", (kind) => {
  it("fills its pages with changes, not with versions that differ only in untracked fields", async () => {
    const handle = await createTestDb(kind);
    try {
      const ids = Array.from({ length: 300 }, (_, i) => `u${String(i).padStart(3, "0")}`);
      const sales = { id: "g1", name: "Sales" };
      const eng = { id: "g2", name: "Engineering" };
      await seedDirectory(
        handle.db,
        "openai",
        ids.map((id) =>
          openaiUser(id, id === "u299" ? { groups: [sales, eng] } : { vendor: { id } }),
        ),
      );
      // Everyone signed in since; u150 became an owner, u250 SCIM-managed, u299's groups came in
      // another order (no change).
      const signedIn = "2026-12-01T00:00:00.000Z";
      await seedDirectory(
        handle.db,
        "openai",
        ids.map((id) =>
          openaiUser(id, {
            lastActiveAt: signedIn,
            ...(id === "u150" ? { role: "owner" } : {}),
            vendor: id === "u250" ? { id, is_scim_managed: true } : { id },
            ...(id === "u299" ? { groups: [eng, sales] } : {}),
          }),
        ),
      );
      const page = await listChanges(handle.db, { provider: "openai", limit: 100 });
      expect(page.data.map((change) => [change.id, change.fields.map((f) => f.field)])).toEqual([
        ["u150", ["role"]],
        ["u250", ["scimManaged"]],
      ]);
      expect(page.nextCursor).toBeNull();
    } finally {
      await handle.close();
    }
  });
});
