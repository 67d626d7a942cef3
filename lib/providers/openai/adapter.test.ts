import diagnostics from "node:diagnostics_channel";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { ApiError } from "@/lib/api/errors";
import type { User, UsersFilters } from "@/lib/users/schema";
import { startSandbox, type Sandbox } from "@/sandbox/server";

import { OPENAI_SCAN_BUDGET, openaiAdapter } from "./adapter";
import { expectedOpenAI, openaiStatus } from "@/testing/expected";
import { pointEnvAt } from "@/testing/providers";

let sandbox: Sandbox;

// A sandbox per test: a request an earlier test aborted may still reach the
// server after that test ended, and must not count in this test's `counters()`.
beforeEach(async () => {
  sandbox = await startSandbox({ port: 0, telnyxUsers: 0, openaiUsers: 1500 });
  pointEnvAt(sandbox);
});
afterEach(() => sandbox.close());

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (e: unknown) => e,
  );
}

/** A vendor that keeps answering the same one-user page with `has_more: true`, whatever `after` says. */
async function stuckVendor(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    const user = { object: "organization.user", id: "user_stuck", added_at: 1_700_000_000 };
    res.end(
      JSON.stringify({
        object: "list",
        data: [user],
        first_id: user.id,
        last_id: user.id,
        has_more: true,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

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

describe("openai listUsers when users leave, and vendor pages that do not advance", () => {
  const filters = { groups: false };

  it("answers 409 cursor_expired when the cursor's user was deleted (404 on `after`)", async () => {
    const first = await openaiAdapter.listUsers({ filters, limit: 10, position: null });
    const after = first.next?.kind === "after" ? first.next.after : null;
    expect(after).toBe(sandbox.data.openai[9]?.id);
    sandbox.mutate({ vendor: "openai", remove: [after ?? ""] });
    expect(
      await failure(openaiAdapter.listUsers({ filters, limit: 10, position: first.next })),
    ).toMatchObject({ code: "cursor_expired", status: 409 });
  });

  it("checks that the user still exists when the vendor answers an empty page instead", async () => {
    await sandbox.close();
    sandbox = await startSandbox({ port: 0, openaiUsers: 30, openaiUnknownAfter: "empty" });
    pointEnvAt(sandbox);
    const first = await openaiAdapter.listUsers({ filters, limit: 10, position: null });
    sandbox.mutate({ vendor: "openai", remove: [sandbox.data.openai[9]?.id ?? ""] });
    expect(
      await failure(openaiAdapter.listUsers({ filters, limit: 10, position: first.next })),
    ).toMatchObject({ code: "cursor_expired" });

    // The cursor's user is still there and the page is really the last: the end, no error.
    const last = sandbox.data.openai.at(-1)?.id ?? "";
    const end = await openaiAdapter.listUsers({
      filters,
      limit: 10,
      position: { kind: "after", after: last, skip: 0 },
    });
    expect(end).toMatchObject({ data: [], next: null });
  });

  it("fails instead of looping when a vendor page does not move past `after`", async () => {
    const stuck = await stuckVendor();
    try {
      pointEnvAt({ url: stuck.url });
      const error = await failure(
        openaiAdapter.listUsers({
          filters: { status: "blocked", groups: false },
          limit: 5,
          position: null,
        }),
      );
      expect(error).toMatchObject({ code: "upstream_invalid_response" });
      const exported = await failure(exportIds({ groups: false }));
      expect(exported).toMatchObject({ code: "upstream_invalid_response" });
    } finally {
      await stuck.close();
    }
  });

  it("returns what it found and a cursor when the request's deadline runs out mid-scan", async () => {
    pointEnvAt(sandbox, { UPSTREAM_LIST_DEADLINE_MS: "1000" });
    sandbox.setFaults({ latencyMs: 300 });
    const nobody = { email: "no-such-user@nowhere.invalid", groups: false };
    const started = Date.now();
    const page = await openaiAdapter.listUsers({ filters: nobody, limit: 5, position: null });
    const elapsed = Date.now() - started;
    expect(page.data).toEqual([]);
    // Some pages were read (each takes 300 ms), not the whole budget of ten.
    expect(page.next).toMatchObject({ kind: "after" });
    const after = page.next?.kind === "after" ? page.next.after : null;
    const read = sandbox.data.openai.findIndex((u) => u.id === after) + 1;
    expect(read % 100).toBe(0);
    expect(read).toBeGreaterThanOrEqual(100);
    expect(read).toBeLessThan(OPENAI_SCAN_BUDGET * 100);
    expect(elapsed).toBeLessThan(2000);
  });

  it("answers 504 upstream_timeout when not even the first page arrives before the deadline", async () => {
    pointEnvAt(sandbox, { UPSTREAM_LIST_DEADLINE_MS: "1000", UPSTREAM_TIMEOUT_MS: "600" });
    // Each attempt times out after 600 ms and the SDK retries: the deadline cuts in first.
    sandbox.setFaults({ latencyMs: 5000 });
    const started = Date.now();
    expect(
      await failure(
        openaiAdapter.listUsers({ filters: { groups: false }, limit: 5, position: null }),
      ),
    ).toMatchObject({ code: "upstream_timeout", status: 504 });
    expect(Date.now() - started).toBeLessThan(2000);
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

  it("sends the call for the next page before it hands a page over", async () => {
    // Every request the SDK sends (once fetch writes its headers to the socket), and every page
    // the caller receives, in the order they happen: a caller that then holds this thread (a
    // PGlite write) would otherwise hold the request back, and every page would wait that long.
    const events: string[] = [];
    const sent = (message: unknown) => {
      const { request } = message as { request: { origin: string; path: string } };
      const after = new URL(request.path, request.origin).searchParams.get("after") ?? "-";
      events.push(`request after ${after}`);
    };
    diagnostics.subscribe("undici:client:sendHeaders", sent);
    try {
      const lastIds: string[] = [];
      for await (const batch of openaiAdapter.exportUsers({
        filters: { groups: false },
        concurrency: 1,
      })) {
        const last = batch.at(-1)!.id;
        events.push(`received up to ${last}`);
        lastIds.push(last);
      }
      expect(lastIds).toHaveLength(15);
      // Each next page starts after the last user of the one before.
      for (const last of lastIds.slice(0, -1)) {
        const asked = events.indexOf(`request after ${last}`);
        expect(asked, `the page after ${last} asked for`).toBeGreaterThanOrEqual(0);
        expect(
          asked,
          `the page after ${last} asked for before the page ending at ${last} was handed over`,
        ).toBeLessThan(events.indexOf(`received up to ${last}`));
      }
    } finally {
      diagnostics.unsubscribe("undici:client:sendHeaders", sent);
    }
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

  it("fails with list_changed when the user it had reached is deleted meanwhile", async () => {
    for (const unknownAfter of ["404", "empty"] as const) {
      await sandbox.close();
      sandbox = await startSandbox({ port: 0, openaiUsers: 450, openaiUnknownAfter: unknownAfter });
      pointEnvAt(sandbox);
      const iterator = openaiAdapter
        .exportUsers({ filters: { groups: false }, concurrency: 1 })
        [Symbol.asyncIterator]();
      await iterator.next();
      // Page 2 is read ahead: once the sandbox has answered it, page 3 will be asked
      // `after` the last user of page 2, who is then deleted.
      await vi.waitFor(() => expect(sandbox.counters().requests.openai).toBe(2));
      sandbox.mutate({ vendor: "openai", remove: [sandbox.data.openai[199]?.id ?? ""] });
      const error = await failure(
        (async () => {
          while (!(await iterator.next()).done);
        })(),
      );
      expect(error, unknownAfter).toMatchObject({ code: "list_changed", status: 409 });
    }
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
