import { afterEach, describe, expect, it, vi } from "vitest";

import type { UsersReader } from "@/lib/providers/types";
import type { ProviderId, User } from "@/lib/users/schema";

import { exportQueryFrom } from "@/lib/api/queries";

import { csvExportResponse } from "./export-response";
import { InMemoryExportSlots } from "./slots";

/* The export's slot is held exactly as long as the export runs, whichever way it ends. */

afterEach(() => vi.restoreAllMocks());

function testUser(provider: ProviderId, value: string, index: number): User {
  return {
    id: value,
    provider,
    email: value,
    name: value,
    status: "enabled",
    role: value,
    createdAt: "2024-05-01T09:30:00.000Z",
    lastActiveAt: null,
    groups: [{ id: `g${index}`, name: value }],
    vendor: {},
  };
}

function stubAdapter(provider: ProviderId, users: User[]): UsersReader {
  return {
    id: provider,
    isConfigured: () => true,
    listUsers: () => Promise.reject(new Error("not used")),
    async *exportUsers() {
      // Two batches, so the payloads cross a chunk boundary too.
      yield users.slice(0, 10);
      yield users.slice(10);
    },
  };
}

describe("csvExportResponse's export slot", () => {
  const input = (adapter: UsersReader, slots: InMemoryExportSlots) => ({
    adapter,
    admin: "admin@roster.test",
    query: exportQueryFrom(adapter.id, new URLSearchParams()),
    concurrency: 1,
    signal: new AbortController().signal,
    slots,
    record: () =>
      Promise.resolve({ id: 1, finish: () => Promise.resolve(), settled: () => Promise.resolve() }),
  });

  it("is given back when the adapter throws before the export starts", async () => {
    const slots = new InMemoryExportSlots(() => ({ perAdmin: 1, total: 8 }));
    const adapter: UsersReader = {
      ...stubAdapter("telnyx", []),
      exportUsers: () => {
        throw new Error("refused at once");
      },
    };
    await expect(csvExportResponse(input(adapter, slots))).rejects.toThrow("refused at once");
    expect(slots.inUse()).toBe(0);
  });

  it("is held while the body is unread and refuses the admin's next export", async () => {
    vi.spyOn(console, "info").mockImplementation(() => undefined);
    const slots = new InMemoryExportSlots(() => ({ perAdmin: 1, total: 8 }));
    const users = Array.from({ length: 20 }, (_, i) => testUser("telnyx", `u${i}`, i));
    const response = await csvExportResponse(input(stubAdapter("telnyx", users), slots));
    await expect(
      csvExportResponse(input(stubAdapter("telnyx", users), slots)),
    ).rejects.toMatchObject({
      code: "too_many_exports",
    });
    await response.text();
    expect(slots.inUse()).toBe(0);
  });
});
