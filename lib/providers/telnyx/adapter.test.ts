import diagnostics from "node:diagnostics_channel";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { ApiError } from "@/lib/api/errors";
import type { User, UsersFilters } from "@/lib/users/schema";
import { startSandbox, type Sandbox } from "@/sandbox/server";

import { telnyxAdapter } from "./adapter";
import { expectedTelnyx } from "@/testing/expected";
import { pointEnvAt } from "@/testing/providers";

let sandbox: Sandbox;

// A sandbox per test, not one reset between tests: a request that an earlier
// test's export had already sent when it was aborted can reach the server after
// that test ended, and was then counted in the next test's `counters()`.
beforeEach(async () => {
  // 2,500 users: ten export pages of 250.
  sandbox = await startSandbox({ port: 0, telnyxUsers: 2500, openaiUsers: 0 });
  pointEnvAt(sandbox);
});
afterEach(() => sandbox.close());

async function collect(filters: UsersFilters, concurrency = 4, signal?: AbortSignal) {
  const batches: User[][] = [];
  const totals: number[] = [];
  for await (const batch of telnyxAdapter.exportUsers({
    filters,
    concurrency,
    signal,
    onTotal: (total) => totals.push(total),
  })) {
    batches.push(batch);
  }
  return { batches, ids: batches.flat().map((u) => u.id), totals };
}

describe("telnyx listUsers", () => {
  it("maps the vendor record to Roster's user", async () => {
    const page = await telnyxAdapter.listUsers({
      filters: { groups: true },
      limit: 20,
      position: null,
    });
    const raw = sandbox.data.telnyx.slice(0, 20);
    expect(page.data.map((u) => u.id)).toEqual(raw.map((u) => u.id));
    expect(page.total).toBe(sandbox.data.telnyx.length);
    for (const [i, user] of page.data.entries()) {
      const r = raw[i];
      if (!r) throw new Error("missing raw user");
      expect(user).toMatchObject({
        provider: "telnyx",
        email: r.email,
        name: null,
        status: r.user_status,
        role: r.record_type === "organization_owner" ? "owner" : "member",
        createdAt: new Date(r.created_at).toISOString(),
        lastActiveAt: r.last_sign_in_at && new Date(r.last_sign_in_at).toISOString(),
        groups: r.groups,
      });
      expect(user.vendor).toEqual(r);
    }
    expect(page.data.some((u) => u.role === "owner")).toBe(true);
  });

  it("leaves groups null, and out of the vendor record, unless asked", async () => {
    const page = await telnyxAdapter.listUsers({
      filters: { groups: false },
      limit: 5,
      position: null,
    });
    expect(page.data.every((u) => u.groups === null && !("groups" in u.vendor))).toBe(true);
  });

  it("resumes at the same row when the limit changes between pages", async () => {
    const first = await telnyxAdapter.listUsers({
      filters: { groups: false },
      limit: 7,
      position: null,
    });
    const second = await telnyxAdapter.listUsers({
      filters: { groups: false },
      limit: 5,
      position: first.next,
    });
    const third = await telnyxAdapter.listUsers({
      filters: { groups: false },
      limit: 50,
      position: second.next,
    });
    const ids = [...first.data, ...second.data, ...third.data].map((u) => u.id);
    expect(ids).toEqual(sandbox.data.telnyx.slice(0, ids.length).map((u) => u.id));
    expect(ids.length).toBeGreaterThan(12);
  });
});

describe("telnyx listUsers when the list changes", () => {
  const filters = { groups: false };

  it("answers 409 list_changed when users were removed or added between two pages", async () => {
    for (const mutation of [{ remove: 1 }, { add: 1 }]) {
      const first = await telnyxAdapter.listUsers({ filters, limit: 50, position: null });
      expect(first.next).toMatchObject({ total: sandbox.data.telnyx.length });
      sandbox.mutate({ vendor: "telnyx", ...mutation });
      const error = await telnyxAdapter
        .listUsers({ filters, limit: 50, position: first.next })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error, JSON.stringify(mutation)).toMatchObject({ code: "list_changed", status: 409 });
    }
  });

  it("reads to the end when nothing changed, and checks the count there", async () => {
    const ids: string[] = [];
    let position = null;
    do {
      const page: Awaited<ReturnType<typeof telnyxAdapter.listUsers>> =
        await telnyxAdapter.listUsers({ filters, limit: 100, position });
      ids.push(...page.data.map((u) => u.id));
      position = page.next;
    } while (position);
    expect(ids).toEqual(sandbox.data.telnyx.map((u) => u.id));
    // A page past the end of a list that lost users ends short of the total it started with.
    const error = await telnyxAdapter
      .listUsers({
        filters,
        limit: 100,
        position: { kind: "page", page: 26, size: 100, skip: 0, total: 2600 },
      })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toMatchObject({ code: "list_changed" });
  });

  it("carries the place of the last row returned in the next position, for the skip check", async () => {
    const first = await telnyxAdapter.listUsers({ filters, limit: 30, position: null });
    const lastRow = first.data.at(-1)!;
    expect(first.next).toMatchObject({ last: { createdAt: lastRow.createdAt, id: lastRow.id } });
    expect(lastRow.id).toBe(sandbox.data.telnyx[29]!.id);
    // Another limit resumes at the same offset; its position names its own last row.
    const second = await telnyxAdapter.listUsers({ filters, limit: 20, position: first.next });
    expect(second.data[0]?.id).toBe(sandbox.data.telnyx[30]!.id);
    expect(second.next).toMatchObject({ last: { id: sandbox.data.telnyx[39]!.id } });
  });

  it("maps a record_type that names an Object.prototype member as itself", async () => {
    const raw = sandbox.data.telnyx[1];
    if (!raw) throw new Error("missing user");
    (raw as { record_type: string }).record_type = "constructor";
    const page = await telnyxAdapter.listUsers({ filters, limit: 2, position: null });
    expect(page.data[1]?.role).toBe("constructor");
  });
});

describe("telnyx exportUsers", () => {
  it("yields the whole set exactly once, in vendor order, one batch per 250-row page", async () => {
    const { batches, ids, totals } = await collect({ groups: false });
    expect(ids).toEqual(sandbox.data.telnyx.map((u) => u.id));
    expect(batches.map((b) => b.length)).toEqual(Array(10).fill(250));
    expect(totals).toEqual([2500]);
    expect(sandbox.counters().requests.telnyx).toBe(10);
  });

  it("sends the call for the next page before it hands a page over", async () => {
    // One page in flight: the next one's request starts when a page's body has arrived. Every
    // request (once fetch writes its headers to the socket) and every page the caller receives,
    // in the order they happen: a caller that then holds this thread (a PGlite sync writing the
    // page) would otherwise hold the request back, and the vendor's latency would add to it.
    const events: string[] = [];
    const sent = (message: unknown) => {
      const { request } = message as { request: { origin: string; path: string } };
      const url = new URL(request.path, request.origin);
      events.push(`request page ${url.searchParams.get("page[number]")}`);
    };
    diagnostics.subscribe("undici:client:sendHeaders", sent);
    try {
      let page = 0;
      for await (const batch of telnyxAdapter.exportUsers({
        filters: { groups: false },
        concurrency: 1,
      })) {
        expect(batch).toHaveLength(250);
        events.push(`received page ${++page}`);
      }
      expect(page).toBe(10);
      for (let k = 1; k < page; k++) {
        const asked = events.indexOf(`request page ${k + 1}`);
        expect(asked, `page ${k + 1} asked for`).toBeGreaterThanOrEqual(0);
        expect(asked, `page ${k + 1} asked for before page ${k} was handed over`).toBeLessThan(
          events.indexOf(`received page ${k}`),
        );
      }
    } finally {
      diagnostics.unsubscribe("undici:client:sendHeaders", sent);
    }
  });

  it("yields exactly the filtered subset, filtered by the vendor", async () => {
    const filters = { status: "disabled" as const, email: "CONTOSO", groups: true };
    const { ids, totals, batches } = await collect(filters);
    const expected = expectedTelnyx(sandbox.data.telnyx, filters);
    expect(expected.length).toBeGreaterThan(250);
    expect(ids).toEqual(expected);
    expect(totals).toEqual([expected.length]);
    expect(batches.flat().every((u) => Array.isArray(u.groups))).toBe(true);
  });

  it("survives 20% of requests failing with 429 or 500", async () => {
    pointEnvAt(sandbox, { UPSTREAM_MAX_RETRIES: "6" });
    sandbox.setFaults({ rate429: 0.1, rate5xx: 0.1, retryAfterMs: 20 });
    const { ids } = await collect({ groups: false });
    expect(ids).toEqual(sandbox.data.telnyx.map((u) => u.id));
    const { faults } = sandbox.counters();
    expect(faults.rate429 + faults.rate5xx).toBeGreaterThan(0);
  });

  it("throws upstream_unavailable when the vendor goes down midway, after what it could yield", async () => {
    pointEnvAt(sandbox, { UPSTREAM_MAX_RETRIES: "1" });
    sandbox.setFaults({ outageAfter: 3 });
    const seen: string[] = [];
    const run = async () => {
      for await (const batch of telnyxAdapter.exportUsers({
        filters: { groups: false },
        concurrency: 2,
      })) {
        seen.push(...batch.map((u) => u.id));
      }
    };
    const error = await run().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe("upstream_unavailable");
    // What came out before the outage is an in-order prefix, never a gap.
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).toEqual(sandbox.data.telnyx.slice(0, seen.length).map((u) => u.id));
  });

  it("fails for good at once when the vendor asks for a longer wait than the cap", async () => {
    // A sandbox of its own: an earlier test's aborted prefetch can still reach the shared one
    // after its counters were reset, and be counted here (the flake this test once had).
    const own = await startSandbox({ port: 0, telnyxUsers: 600, openaiUsers: 0 });
    try {
      pointEnvAt(own, { UPSTREAM_MAX_RETRY_WAIT_MS: "1000" });
      own.setFaults({ rate429: 1, retryAfterMs: null, retryAfterSeconds: 3600 });
      const started = Date.now();
      const error = await collect({ groups: false }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: "upstream_unavailable", retryAfterSeconds: 3600 });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(own.counters().requests.telnyx).toBe(1);
    } finally {
      await own.close();
    }
  });

  it("fails with list_changed when users are removed or added while it runs, not a silent gap", async () => {
    for (const mutation of [{ remove: [sandbox.data.telnyx[3]?.id ?? ""] }, { add: 1 }]) {
      const seen: string[] = [];
      const error = await (async () => {
        for await (const batch of telnyxAdapter.exportUsers({
          filters: { groups: false },
          concurrency: 4,
        })) {
          if (seen.length === 0) sandbox.mutate({ vendor: "telnyx", ...mutation });
          seen.push(...batch.map((u) => u.id));
        }
      })().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, JSON.stringify(mutation)).toMatchObject({ code: "list_changed", status: 409 });
      // Pages already asked for when the list changed may come back as they were (their calls
      // leave before a page is handed over); the export fails before it could end.
      expect(seen.length % 250, JSON.stringify(mutation)).toBe(0);
      expect(seen.length, JSON.stringify(mutation)).toBeLessThan(2500);
      expect(new Set(seen).size).toBe(seen.length);
    }
  });

  it("fails with list_changed under the sandbox's --mutate-every schedule", async () => {
    await sandbox.close();
    sandbox = await startSandbox({ port: 0, telnyxUsers: 2500, openaiUsers: 0, mutateEvery: 4 });
    pointEnvAt(sandbox);
    await expect(collect({ groups: false }, 2)).rejects.toMatchObject({ code: "list_changed" });
  });

  it("keeps `concurrency` pages in flight while the consumer is busy, and no more than that many waiting", async () => {
    // A proxy in front of the sandbox that holds every answer after page 1 until the test
    // releases it, and counts the requests open at once.
    const held: (() => void)[] = [];
    let open = 0;
    let peak = 0;
    let requests = 0;
    let holding = true;
    const proxy = createServer((req, res) => {
      requests++;
      open++;
      peak = Math.max(peak, open);
      void (async () => {
        const upstream = await fetch(`${sandbox.url}${req.url}`, {
          headers: { authorization: req.headers.authorization ?? "" },
        });
        const body = await upstream.text();
        if (holding && !/page%5Bnumber%5D=1(&|$)/.test(req.url ?? "")) {
          await new Promise<void>((resolve) => held.push(resolve));
        }
        open--;
        res.writeHead(upstream.status, { "content-type": "application/json" });
        res.end(body);
      })();
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const { port } = proxy.address() as AddressInfo;
    pointEnvAt({ url: `http://127.0.0.1:${port}` });
    const iterator = telnyxAdapter
      .exportUsers({ filters: { groups: false }, concurrency: 3 })
      [Symbol.asyncIterator]();
    try {
      // Page 1 is yielded with pages 2 to 4 already asked for.
      expect((await iterator.next()).value).toHaveLength(250);
      await expect.poll(() => held.length).toBe(3);
      expect(requests).toBe(4);
      // The consumer takes nothing more. Each answer lets the next page go out, until three
      // answered pages wait (pages 2 to 4) beside three in flight (pages 5 to 7).
      for (let answered = 1; answered <= 3; answered++) {
        held.shift()?.();
        await expect.poll(() => requests).toBe(4 + answered);
      }
      held.shift()?.();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(requests).toBe(7);
      // Then everything, in order, never more than three at once.
      holding = false;
      for (const release of held.splice(0)) release();
      let pages = 1;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) pages++;
      expect(pages).toBe(10);
      expect(requests).toBe(10);
      expect(peak).toBe(3);
    } finally {
      holding = false;
      for (const release of held.splice(0)) release();
      await iterator.return?.();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it("asks for the next page once a page's body has arrived, before parsing it", async () => {
    // Every request the SDK sends, and every Telnyx page parsed, in the order they happen.
    const events: string[] = [];
    const realFetch = globalThis.fetch;
    vi.stubGlobal("fetch", (input: RequestInfo | URL, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      events.push(`request ${new URL(url).searchParams.get("page[number]")}`);
      return realFetch(input, init);
    });
    const parse = JSON.parse;
    const spy = vi.spyOn(JSON, "parse").mockImplementation((text: string, reviver) => {
      const page = /"page_number":(\d+)/.exec(text.slice(-200))?.[1];
      if (page !== undefined) events.push(`parse ${page}`);
      return parse(text, reviver) as unknown;
    });
    try {
      sandbox.setFaults({ latencyMs: 20 });
      pointEnvAt(sandbox);
      const concurrency = 2;
      const { batches } = await collect({ groups: false }, concurrency);
      expect(batches).toHaveLength(10);
      // Page 1 alone tells how many follow; after it, `concurrency` pages are in flight. When
      // page p's body has arrived, page p + concurrency is asked for before page p is parsed.
      for (let page = 2; page <= 10 - concurrency; page++) {
        const parsed = events.indexOf(`parse ${page}`);
        const asked = events.indexOf(`request ${page + concurrency}`);
        expect(parsed, `page ${page} parsed`).toBeGreaterThan(0);
        expect(asked, `page ${page + concurrency} asked for`).toBeGreaterThan(0);
        expect(
          asked,
          `page ${page + concurrency} asked for before page ${page} was parsed`,
        ).toBeLessThan(parsed);
      }
    } finally {
      spy.mockRestore();
      vi.unstubAllGlobals();
    }
  });

  it("stops when the caller aborts", async () => {
    sandbox.setFaults({ latencyMs: 50 });
    const controller = new AbortController();
    const seen: number[] = [];
    const error = await (async () => {
      for await (const batch of telnyxAdapter.exportUsers({
        filters: { groups: false },
        concurrency: 2,
        signal: controller.signal,
      })) {
        seen.push(batch.length);
        controller.abort();
      }
    })().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: "AbortError" });
    expect(seen).toEqual([250]);
    // The calls for pages 2 and 3 left before page 1 was handed over; once they have reached the
    // sandbox, no other call follows.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const requests = sandbox.counters().requests.telnyx;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sandbox.counters().requests.telnyx).toBe(requests);
    expect(requests).toBeLessThanOrEqual(1 + 2);
  });
});

describe("telnyx record types", () => {
  it("maps unknown record types to themselves, prototype names included", async () => {
    const { createServer } = await import("node:http");
    const types = ["constructor", "__proto__", "toString", "organization_owner"];
    const server = createServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          data: types.map((record_type, i) => ({
            id: `u${i}`,
            record_type,
            email: `u${i}@example.com`,
            user_status: "enabled",
            created_at: "2024-01-01T00:00:00.000Z",
            last_sign_in_at: null,
          })),
          meta: { total_pages: 1, total_results: types.length, page_number: 1, page_size: 50 },
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      pointEnvAt({ url: `http://127.0.0.1:${port}` });
      const page = await telnyxAdapter.listUsers({
        filters: { groups: false },
        limit: 50,
        position: null,
      });
      expect(page.data.map((u) => u.role)).toEqual([
        "constructor",
        "__proto__",
        "toString",
        "owner",
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("telnyx confirmRemoved", () => {
  const ids = () => sandbox.data.telnyx.map((u) => u.id);

  it("resolves when the vendor lists none of the users, asking about each once", async () => {
    const gone = ids().slice(0, 5);
    sandbox.mutate({ vendor: "telnyx", remove: gone });
    await expect(telnyxAdapter.confirmRemoved!(gone, { concurrency: 2 })).resolves.toBeUndefined();
    expect(sandbox.counters().requests.telnyx).toBe(5);
  });

  it("fails with list_changed at the first user still listed, and asks no further", async () => {
    const [listed, ...rest] = ids();
    const gone = rest.slice(0, 6);
    sandbox.mutate({ vendor: "telnyx", remove: gone });
    const error = await telnyxAdapter.confirmRemoved!([gone[0]!, listed!, ...gone.slice(1)], {
      concurrency: 1,
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: "list_changed", status: 409 });
    expect((error as ApiError).detail).toContain(listed);
    expect(sandbox.counters().requests.telnyx).toBe(2);
  });

  it("passes the vendor's failure on, whatever the users", async () => {
    pointEnvAt(sandbox, { TELNYX_API_KEY: "KEY-not-the-sandbox-one" });
    await expect(
      telnyxAdapter.confirmRemoved!(ids().slice(0, 3), { concurrency: 3 }),
    ).rejects.toMatchObject({ code: "upstream_auth_failed" });
  });
});
