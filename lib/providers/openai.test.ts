import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { ApiError } from "@/lib/api/errors";
import type { User, UsersFilters } from "@/lib/users/schema";
import { startSandbox, type Sandbox } from "@/sandbox/server";

import { OPENAI_SCAN_BUDGET, openaiAdapter } from "./openai";
import { expectedOpenAI, openaiStatus, pointEnvAt } from "./testing";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, telnyxUsers: 0, openaiUsers: 1500 });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.reset();
  pointEnvAt(sandbox);
});

async function exportIds(filters: UsersFilters): Promise<string[]> {
  const ids: string[] = [];
  for await (const batch of openaiAdapter.exportUsers({ filters, concurrency: 4 })) {
    expect(batch.length).toBeGreaterThan(0);
    ids.push(...batch.map((u) => u.id));
  }
  return ids;
}

describe("openai listUsers", () => {
  it("maps every vendor record to Roster's user", async () => {
    const users: User[] = [];
    let position = null;
    for (let i = 0; i < 20; i++) {
      const page: Awaited<ReturnType<typeof openaiAdapter.listUsers>> =
        await openaiAdapter.listUsers({
          filters: { groups: true },
          limit: 100,
          position,
        });
      expect(page).toMatchObject({ total: null, filteredBy: { vendor: [], roster: [] } });
      users.push(...page.data);
      position = page.next;
      if (!position) break;
    }
    const raw = sandbox.data.openai;
    expect(users.map((u) => u.id)).toEqual(raw.map((u) => u.id));
    for (const [i, user] of users.entries()) {
      const r = raw[i];
      if (!r) throw new Error("missing raw user");
      const expected: Omit<User, "vendor"> = {
        id: r.id,
        provider: "openai",
        email: r.email ?? r.user?.email ?? null,
        name: r.name ?? r.user?.name ?? null,
        status: openaiStatus(r),
        role: r.role ?? null,
        createdAt: new Date(r.added_at * 1000).toISOString(),
        lastActiveAt:
          r.api_key_last_used_at == null
            ? null
            : new Date(r.api_key_last_used_at * 1000).toISOString(),
        groups: r.projects ? r.projects.data.map((p) => ({ id: p.id, name: p.name })) : null,
      };
      expect(user).toMatchObject(expected);
      expect(user.vendor).toEqual(r);
    }
    // The sandbox's hard cases are in there: each status, no projects, no email.
    expect(new Set(users.map((u) => u.status))).toEqual(
      new Set(["enabled", "disabled", "blocked"]),
    );
    expect(users.some((u) => u.groups?.length === 0)).toBe(true);
    expect(users.some((u) => u.email === null)).toBe(true);
  });

  it("leaves groups null unless asked", async () => {
    const page = await openaiAdapter.listUsers({
      filters: { groups: false },
      limit: 50,
      position: null,
    });
    expect(page.data.every((u) => u.groups === null)).toBe(true);
  });

  it("stops a sparse scan at the budget and resumes right after the last row it read", async () => {
    // One blocked user among 1,500: the first request reads its budget of 100-row pages and may find nothing.
    const filters = { status: "blocked" as const, groups: false };
    const expected = expectedOpenAI(sandbox.data.openai, filters);
    const ids: string[] = [];
    let position = null;
    let requests = 0;
    do {
      const before = sandbox.counters().requests.openai;
      const page = await openaiAdapter.listUsers({ filters, limit: 5, position });
      expect(sandbox.counters().requests.openai - before).toBeLessThanOrEqual(OPENAI_SCAN_BUDGET);
      expect(page.filteredBy).toEqual({ vendor: [], roster: ["status"] });
      ids.push(...page.data.map((u) => u.id));
      position = page.next;
      requests++;
    } while (position && requests < 20);
    expect(position).toBeNull();
    expect(ids).toEqual(expected);
    expect(requests).toBe(2);
  });
});

describe("openai exportUsers", () => {
  it("yields every user exactly once, in vendor order", async () => {
    expect(await exportIds({ groups: false })).toEqual(sandbox.data.openai.map((u) => u.id));
    expect(sandbox.counters().requests.openai).toBe(15);
  });

  it("reads exactly one page ahead of a slow consumer, never more", async () => {
    const pages = openaiAdapter.exportUsers({ filters: { groups: false }, concurrency: 4 });
    const iterator = pages[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    // The consumer holds the first batch; give a runaway prefetch time to show itself.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sandbox.counters().requests.openai).toBe(2);
    await iterator.return?.();
  });

  it("filters status and part of the email itself", async () => {
    for (const filters of [
      { status: "disabled" as const, groups: false },
      { email: "CONTOSO.com", groups: false },
      { status: "enabled" as const, email: "例え", groups: true },
    ]) {
      const expected = expectedOpenAI(sandbox.data.openai, filters);
      expect(expected.length, JSON.stringify(filters)).toBeGreaterThan(0);
      expect(await exportIds(filters)).toEqual(expected);
    }
  });

  it("survives 20% of requests failing with 429 or 500", async () => {
    pointEnvAt(sandbox, { UPSTREAM_MAX_RETRIES: "6" });
    sandbox.setFaults({ rate429: 0.1, rate5xx: 0.1, retryAfterMs: 20 });
    expect(await exportIds({ groups: false })).toEqual(sandbox.data.openai.map((u) => u.id));
    const { faults } = sandbox.counters();
    expect(faults.rate429 + faults.rate5xx).toBeGreaterThan(0);
  });

  it("throws upstream_unavailable when the vendor goes down midway", async () => {
    pointEnvAt(sandbox, { UPSTREAM_MAX_RETRIES: "1" });
    sandbox.setFaults({ outageAfter: 4 });
    const error = await exportIds({ groups: false }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe("upstream_unavailable");
  });
});
