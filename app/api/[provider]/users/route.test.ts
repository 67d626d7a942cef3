import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { adminCookieHeader } from "@/testing/auth";
import { expectedOpenAI, expectedTelnyx } from "@/testing/expected";
import { OPENAI_KEY, pointEnvAt, TELNYX_KEY } from "@/testing/providers";
import {
  apiErrorBodySchema,
  usersPageSchema,
  type ProviderId,
  type UsersFilters,
  type UsersPage,
  type UserStatus,
} from "@/lib/users/schema";
import { filtersToSearchParams } from "@/lib/users/contract";
import { startSandbox, type Sandbox } from "@/sandbox/server";

import { closeDb, useDbForTests } from "@/lib/db/client";
import { beginSync, runSync } from "@/lib/directory/sync";
import { getProvider } from "@/lib/providers";
import { createTestDb, type TestDbHandle } from "@/testing/db";
import { shiftingProxy } from "@/testing/shifting-proxy";

import { GET } from "./route";

const WRONG_TELNYX_KEY = "KEY_wrong_0123456789abcdef";
const WRONG_OPENAI_KEY = "sk-admin-wrong-0123456789abcdef";
const SECRETS = [TELNYX_KEY, OPENAI_KEY, WRONG_TELNYX_KEY, WRONG_OPENAI_KEY];

let cookie: string;
/** Every response's body and headers, checked for keys at the end. */
const transcript: string[] = [];

interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Calls the route handler as Next would, for `path` (`/api/{provider}/users?...`). */
async function call(path: string, options: { cookie?: string | null } = {}): Promise<Reply> {
  const url = new URL(path, "http://roster.test");
  const provider = decodeURIComponent(url.pathname.split("/")[2] ?? "");
  const sent = options.cookie === undefined ? cookie : options.cookie;
  const request = new Request(url, { headers: sent === null ? {} : { cookie: sent } });
  const response = await GET(request, { params: Promise.resolve({ provider }) });
  const text = await response.text();
  transcript.push(text, JSON.stringify([...response.headers]));
  expect(response.headers.get("cache-control"), path).toBe("no-store");
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return { status: response.status, headers: response.headers, body: JSON.parse(text) };
}

function usersPath(
  provider: string,
  params: URLSearchParams | Record<string, string> = {},
): string {
  const query = new URLSearchParams(params).toString();
  return `/api/${provider}/users${query ? `?${query}` : ""}`;
}

async function getPage(provider: ProviderId, params: URLSearchParams): Promise<UsersPage> {
  const reply = await call(usersPath(provider, params));
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return usersPageSchema.parse(reply.body);
}

/** Follows `nextCursor` to the end; `limits` cycles, so the limit may change between pages. */
async function pageAll(
  provider: ProviderId,
  filters: UsersFilters,
  limits: number[],
  maxPages = 3000,
) {
  const ids: string[] = [];
  const pages: UsersPage[] = [];
  let cursor: string | null = null;
  do {
    const limit = limits[pages.length % limits.length] ?? 50;
    const params = filtersToSearchParams(filters);
    params.set("limit", String(limit));
    if (cursor) params.set("cursor", cursor);
    const page = await getPage(provider, params);
    expect(page.provider).toBe(provider);
    expect(page.data.length).toBeLessThanOrEqual(limit);
    ids.push(...page.data.map((u) => u.id));
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor !== null && pages.length < maxPages);
  expect(cursor, "paging did not end").toBeNull();
  return { ids, pages };
}

function expectedIds(sandbox: Sandbox, provider: ProviderId, filters: UsersFilters): string[] {
  return provider === "telnyx"
    ? expectedTelnyx(sandbox.data.telnyx, filters)
    : expectedOpenAI(sandbox.data.openai, filters);
}

function errorOf(reply: Reply) {
  return apiErrorBodySchema.parse(reply.body).error;
}

let db: TestDbHandle;
beforeAll(async () => {
  cookie = await adminCookieHeader();
  // A live Telnyx page after the first is checked against the directory (empty unless a test syncs).
  db = await createTestDb("pglite");
  useDbForTests(db);
});
afterAll(() => closeDb());

const PROVIDERS: ProviderId[] = ["telnyx", "openai"];

describe("GET /api/{provider}/users against the sandbox", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, telnyxUsers: 400, openaiUsers: 400 });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    sandbox.reset();
    pointEnvAt(sandbox);
  });

  const statuses: (UserStatus | undefined)[] = [undefined, "enabled", "disabled", "blocked"];
  const emails = [undefined, "contoso", "MIXED.case", "例え", "@globex", "no-such-user-zz"];

  it.each(PROVIDERS)(
    "%s: every filter combination returns exactly the users the data says",
    async (provider) => {
      for (const status of statuses) {
        for (const email of emails) {
          for (const groups of [false, true]) {
            const filters: UsersFilters = {
              groups,
              ...(status ? { status } : {}),
              ...(email ? { email } : {}),
            };
            const label = JSON.stringify(filters);
            const expected = expectedIds(sandbox, provider, filters);
            const { ids, pages } = await pageAll(provider, filters, [100]);
            expect(ids, label).toEqual(expected);
            const named = [...(status ? ["status"] : []), ...(email ? ["email"] : [])];
            for (const page of pages) {
              expect(page.filteredBy, label).toEqual(
                provider === "telnyx"
                  ? { vendor: named, roster: [] }
                  : { vendor: [], roster: named },
              );
              expect(page.total, label).toBe(provider === "telnyx" ? expected.length : null);
              if (!groups)
                expect(
                  page.data.every((u) => u.groups === null),
                  label,
                ).toBe(true);
            }
          }
        }
      }
      // The combinations above are not all empty: the test would pass vacuously otherwise.
      expect(
        expectedIds(sandbox, provider, { status: "disabled", email: "contoso", groups: false })
          .length,
      ).toBeGreaterThan(0);
    },
  );

  it.each(PROVIDERS)(
    "%s: paging with limits 7, 50 and 100 yields every matching user once",
    async (provider) => {
      for (const filters of [
        { groups: false },
        { status: "enabled" as const, groups: true },
        { email: "A", groups: false },
      ]) {
        const expected = expectedIds(sandbox, provider, filters);
        for (const limit of [7, 50, 100]) {
          const { ids, pages } = await pageAll(provider, filters, [limit]);
          expect(ids, `${JSON.stringify(filters)} limit ${limit}`).toEqual(expected);
          if (provider === "telnyx")
            expect(pages.length).toBe(Math.max(1, Math.ceil(expected.length / limit)));
        }
      }
    },
  );

  it("telnyx: a page past a user a shift left out answers 409 list_changed, once a snapshot knows the user", async () => {
    const { snapshotId } = await beginSync(db.db, "telnyx", "test@roster.test");
    expect(await runSync(db.db, getProvider("telnyx"), snapshotId, { concurrency: 4 })).toBe(
      "succeeded",
    );
    const users = sandbox.data.telnyx.map((u) => u.id);
    const first = await getPage("telnyx", new URLSearchParams({ limit: "100" }));
    // One user of page 1 removed and one added: the total holds, and page 2 starts a user later.
    const proxy = await shiftingProxy(sandbox, () =>
      sandbox.mutate({ vendor: "telnyx", remove: [users[10]!], add: 1 }),
    );
    try {
      const reply = await call(
        usersPath("telnyx", { limit: "100", cursor: first.nextCursor ?? "" }),
      );
      expect(reply.status).toBe(409);
      expect(errorOf(reply).code).toBe("list_changed");
      expect(proxy.lookups).toEqual([users[100]]);
    } finally {
      await proxy.close();
      pointEnvAt(sandbox);
    }
  });

  it.each(PROVIDERS)("%s: the limit may change between pages", async (provider) => {
    for (const filters of [{ groups: false }, { status: "disabled" as const, groups: false }]) {
      const { ids } = await pageAll(provider, filters, [3, 50, 7, 1, 100, 13]);
      expect(ids).toEqual(expectedIds(sandbox, provider, filters));
    }
  });

  it.each(PROVIDERS)(
    "%s: with a fifth of vendor requests failing (429 or 500), paging still returns every row once",
    async (provider) => {
      // Enough retries that no page fails for good: 0.2^7 per page.
      pointEnvAt(sandbox, { UPSTREAM_MAX_RETRIES: "6" });
      sandbox.setFaults({ rate429: 0.1, rate5xx: 0.1, retryAfterMs: 10 });
      for (const filters of [{ groups: false }, { status: "enabled" as const, groups: false }]) {
        const { ids } = await pageAll(provider, filters, [20]);
        expect(ids).toEqual(expectedIds(sandbox, provider, filters));
      }
      const { faults, requests } = sandbox.counters();
      expect(requests.total).toBeGreaterThan(40);
      expect(faults.rate429 + faults.rate5xx).toBeGreaterThan(0);
    },
  );

  describe("errors, each from a real cause", () => {
    it("401 unauthenticated for an anonymous or forged session, before any vendor call, for any provider", async () => {
      for (const sent of [null, "next-auth.session-token=forged", `${cookie}x`]) {
        for (const provider of ["telnyx", "openai", "nope"]) {
          const reply = await call(usersPath(provider, { limit: "0" }), { cookie: sent });
          expect(reply.status).toBe(401);
          expect(errorOf(reply).code).toBe("unauthenticated");
        }
      }
      expect(sandbox.counters().requests.total).toBe(0);
    });

    it("accepts the session JWT as `Authorization: Bearer`, for scripts", async () => {
      const token = cookie.slice(cookie.indexOf("=") + 1);
      const request = new Request("http://roster.test/api/openai/users?limit=2", {
        headers: { authorization: `Bearer ${token}` },
      });
      const response = await GET(request, { params: Promise.resolve({ provider: "openai" }) });
      expect(response.status).toBe(200);
      expect(usersPageSchema.parse(await response.json()).data).toHaveLength(2);
      const forged = new Request("http://roster.test/api/openai/users", {
        headers: { authorization: `Bearer ${token}x` },
      });
      expect((await GET(forged, { params: Promise.resolve({ provider: "openai" }) })).status).toBe(
        401,
      );
    });

    it("404 unknown_provider", async () => {
      for (const provider of ["nope", "TELNYX", "telnyx ", "__proto__", "constructor"]) {
        const reply = await call(usersPath(encodeURIComponent(provider)));
        expect(reply.status, provider).toBe(404);
        expect(errorOf(reply).code).toBe("unknown_provider");
      }
    });

    it("400 invalid_query naming the parameter and its rule, before any vendor call", async () => {
      const cases: [Record<string, string> | string, RegExp][] = [
        [{ limit: "0" }, /^limit must be an integer from 1 to 100$/],
        [{ limit: "1e2" }, /^limit must be/],
        [{ status: "active" }, /^status must be one of enabled, disabled, blocked$/],
        [{ groups: "yes" }, /^groups must be true or false$/],
        [{ email: "x".repeat(255) }, /^email must be from 1 to 254 characters$/],
        [{ stauts: "blocked" }, /unknown parameter "stauts"/],
        ["limit=5&limit=6", /^limit must be given at most once$/],
      ];
      for (const [params, message] of cases) {
        for (const provider of PROVIDERS) {
          const path =
            typeof params === "string"
              ? `/api/${provider}/users?${params}`
              : usersPath(provider, params);
          const reply = await call(path);
          expect(reply.status, path).toBe(400);
          expect(errorOf(reply)).toMatchObject({
            code: "invalid_query",
            message: expect.stringMatching(message),
          });
        }
      }
      expect(sandbox.counters().requests.total).toBe(0);
    });

    it("400 invalid_cursor: tampered, garbage, the other provider's, other filters'", async () => {
      const first = await getPage("telnyx", new URLSearchParams({ limit: "5", status: "enabled" }));
      const openaiFirst = await getPage(
        "openai",
        new URLSearchParams({ limit: "5", status: "enabled" }),
      );
      const cursor = first.nextCursor ?? "";
      expect(cursor).not.toBe("");
      const tampered = cursor.slice(0, 10) + (cursor[10] === "A" ? "B" : "A") + cursor.slice(11);
      const bad: [ProviderId, Record<string, string>][] = [
        ["telnyx", { status: "enabled", cursor: tampered }],
        ["telnyx", { status: "enabled", cursor: "garbage" }],
        ["telnyx", { status: "enabled", cursor: openaiFirst.nextCursor ?? "" }],
        ["openai", { status: "enabled", cursor }],
        ["telnyx", { status: "disabled", cursor }],
        ["telnyx", { cursor }],
        ["telnyx", { status: "enabled", email: "a", cursor }],
        ["telnyx", { status: "enabled", groups: "true", cursor }],
      ];
      for (const [provider, params] of bad) {
        const reply = await call(usersPath(provider, params));
        expect(reply.status, JSON.stringify([provider, params])).toBe(400);
        expect(errorOf(reply).code).toBe("invalid_cursor");
      }
      // The same cursor with its own filters, and another limit, is fine.
      const again = await call(usersPath("telnyx", { status: "enabled", limit: "9", cursor }));
      expect(again.status).toBe(200);
    });

    it("502 upstream_auth_failed for a wrong key, naming the variable and not the key", async () => {
      pointEnvAt(sandbox, { TELNYX_API_KEY: WRONG_TELNYX_KEY, OPENAI_ADMIN_KEY: WRONG_OPENAI_KEY });
      for (const [provider, variable] of [
        ["telnyx", "TELNYX_API_KEY"],
        ["openai", "OPENAI_ADMIN_KEY"],
      ] as const) {
        const reply = await call(usersPath(provider));
        expect(reply.status).toBe(502);
        const error = errorOf(reply);
        expect(error.code).toBe("upstream_auth_failed");
        expect(error.message).toContain(variable);
      }
      // An auth failure is not retried.
      expect(sandbox.counters().requests.total).toBe(2);
    });

    it("503 provider_not_configured when the key is unset, naming the variable", async () => {
      pointEnvAt(sandbox, { TELNYX_API_KEY: undefined, OPENAI_ADMIN_KEY: "" });
      for (const [provider, variable] of [
        ["telnyx", "TELNYX_API_KEY"],
        ["openai", "OPENAI_ADMIN_KEY"],
      ] as const) {
        const reply = await call(usersPath(provider));
        expect(reply.status).toBe(503);
        expect(errorOf(reply)).toMatchObject({
          code: "provider_not_configured",
          message: expect.stringContaining(variable),
        });
      }
      expect(sandbox.counters().requests.total).toBe(0);
    });

    it.each(PROVIDERS)(
      "%s: 503 upstream_unavailable with Retry-After when the vendor keeps answering 429, after the retries",
      async (provider) => {
        pointEnvAt(sandbox, { UPSTREAM_MAX_RETRIES: "2" });
        sandbox.setFaults({ rate429: 1, retryAfterMs: 20 });
        const reply = await call(usersPath(provider));
        expect(reply.status).toBe(503);
        expect(errorOf(reply).code).toBe("upstream_unavailable");
        expect(Number(reply.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
        expect(sandbox.counters().requests[provider]).toBe(3);
      },
    );

    it.each(PROVIDERS)(
      "%s: a Retry-After beyond the cap is passed on at once instead of held",
      async (provider) => {
        pointEnvAt(sandbox, { UPSTREAM_MAX_RETRIES: "2", UPSTREAM_MAX_RETRY_WAIT_MS: "1000" });
        sandbox.setFaults({ rate429: 1, retryAfterMs: null, retryAfterSeconds: 3600 });
        const started = Date.now();
        const reply = await call(usersPath(provider));
        expect(Date.now() - started).toBeLessThan(1000);
        expect(reply.status).toBe(503);
        expect(reply.headers.get("retry-after")).toBe("3600");
        expect(sandbox.counters().requests[provider]).toBe(1);
      },
    );

    it.each(PROVIDERS)(
      "%s: 503 upstream_unavailable when the vendor keeps failing with 5xx",
      async (provider) => {
        pointEnvAt(sandbox, { UPSTREAM_MAX_RETRIES: "1" });
        sandbox.setFaults({ rate5xx: 1 });
        const reply = await call(usersPath(provider));
        expect(reply.status).toBe(503);
        expect(errorOf(reply).code).toBe("upstream_unavailable");
        expect(reply.headers.get("retry-after")).toMatch(/^\d+$/);
      },
    );

    it.each(PROVIDERS)(
      "%s: 503 upstream_unavailable when the vendor cannot be reached",
      async (provider) => {
        const closed = await startSandbox({ port: 0, telnyxUsers: 1, openaiUsers: 1 });
        await closed.close();
        pointEnvAt(closed, { UPSTREAM_MAX_RETRIES: "0" });
        const reply = await call(usersPath(provider));
        expect(reply.status).toBe(503);
        expect(errorOf(reply).code).toBe("upstream_unavailable");
      },
    );

    it.each(PROVIDERS)("%s: 504 upstream_timeout when the vendor hangs", async (provider) => {
      pointEnvAt(sandbox, { UPSTREAM_TIMEOUT_MS: "300", UPSTREAM_MAX_RETRIES: "1" });
      sandbox.setFaults({ hangRate: 1 });
      const started = Date.now();
      const reply = await call(usersPath(provider));
      expect(reply.status).toBe(504);
      expect(errorOf(reply).code).toBe("upstream_timeout");
      expect(Date.now() - started).toBeLessThan(3000);
      expect(sandbox.counters().faults.hang).toBe(2);
    });

    it.each(PROVIDERS)(
      "%s: 502 upstream_invalid_response when the body is not valid JSON",
      async (provider) => {
        sandbox.setFaults({ malformedRate: 1 });
        const reply = await call(usersPath(provider));
        expect(reply.status).toBe(502);
        expect(errorOf(reply).code).toBe("upstream_invalid_response");
      },
    );

    it("never puts a key in a response body or header", () => {
      expect(transcript.length).toBeGreaterThan(50);
      const all = transcript.join("\n");
      for (const secret of SECRETS) expect(all).not.toContain(secret);
      // Not even the masked form OpenAI puts in its 401 message.
      expect(all).not.toContain("sk-admin****");
    });
  });
});

describe("GET /api/{provider}/users on a small sandbox", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, telnyxUsers: 40, openaiUsers: 40 });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    sandbox.reset();
    pointEnvAt(sandbox);
  });

  it.each(PROVIDERS)(
    "%s: paging with limit 1 yields every matching user once",
    async (provider) => {
      for (const filters of [{ groups: false }, { status: "disabled" as const, groups: false }]) {
        const expected = expectedIds(sandbox, provider, filters);
        expect(expected.length).toBeGreaterThan(0);
        const { ids, pages } = await pageAll(provider, filters, [1]);
        expect(ids).toEqual(expected);
        expect(pages.every((p) => p.data.length <= 1)).toBe(true);
      }
    },
  );

  it("answers 1,000 random and malformed query strings with 200 or 400 only, every 400 with a code and a message", async () => {
    const knownKey = fc.constantFrom("status", "email", "groups", "limit", "cursor");
    const oddKey = fc.oneof(
      fc.constantFrom("", "Status", "limit[]", "cursor ", "%", "__proto__", "emails[]"),
      fc.string({ maxLength: 8 }),
    );
    const value = fc.oneof(
      fc.constantFrom(
        "enabled",
        "disabled",
        "blocked",
        "true",
        "false",
        "contoso",
        "1",
        "7",
        "100",
        "101",
        "0",
      ),
      fc.constantFrom(
        "-1",
        "1.5",
        "1e2",
        "99999999999999999999",
        "",
        " 5",
        "0x10",
        "NaN",
        "Infinity",
        "%zz",
        "+1",
      ),
      fc.integer().map(String),
      fc.double().map(String),
      fc.string({ maxLength: 20 }),
      fc.string({ unit: "binary", maxLength: 20 }),
      fc.string({ maxLength: 300 }),
    );
    const pairs = fc.array(fc.tuple(fc.oneof(knownKey, knownKey, oddKey), value), { maxLength: 6 });
    const query = fc.oneof(
      pairs.map((p) => new URLSearchParams(p).toString()),
      // Unencoded, as a careless client would send it.
      pairs.map((p) => p.map(([k, v]) => `${k}=${v}`).join("&")),
      fc.string({ unit: "binary", maxLength: 60 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PROVIDERS), query, async (provider, search) => {
        const url = new URL(`/api/${provider}/users`, "http://roster.test");
        url.search = search;
        const reply = await call(url.pathname + url.search);
        expect([200, 400]).toContain(reply.status);
        if (reply.status === 400) {
          const error = errorOf(reply);
          expect(["invalid_query", "invalid_cursor"]).toContain(error.code);
          expect(error.message.length).toBeGreaterThan(0);
        } else {
          usersPageSchema.parse(reply.body);
        }
      }),
      { numRuns: 1000 },
    );
  }, 120_000);
});

describe("OpenAI scans that cross the budget", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    // 2,500 users: a scan of ten 100-row pages reads 1,000, so a full scan takes three requests.
    sandbox = await startSandbox({ port: 0, telnyxUsers: 0, openaiUsers: 2500 });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    sandbox.reset();
    pointEnvAt(sandbox);
  });

  const sparse: [string, UsersFilters, number][] = [
    ["a single blocked user", { status: "blocked", groups: false }, 50],
    [
      "a few percent disabled, fewer than the limit per budget",
      { status: "disabled", groups: false },
      100,
    ],
    ["an email that matches nobody", { email: "no-such-user-zz", groups: false }, 10],
    ["status and email together", { status: "enabled", email: "scully", groups: true }, 1],
  ];

  it.each(sparse)(
    "%s: resumes where each scan stopped, every match once",
    async (_label, filters, limit) => {
      const expected = expectedOpenAI(sandbox.data.openai, filters);
      const before = sandbox.counters().requests.openai;
      const { ids, pages } = await pageAll("openai", filters, [limit]);
      expect(ids).toEqual(expected);
      // The whole list was read, once: no page of the vendor read twice, none skipped.
      const vendorRequests = sandbox.counters().requests.openai - before;
      expect(vendorRequests).toBeLessThanOrEqual(25 + pages.length);
      expect(pages.length).toBeGreaterThanOrEqual(3);
      // A page may be short, even empty, and still carry a cursor.
      expect(pages.slice(0, -1).some((p) => p.data.length < limit && p.nextCursor !== null)).toBe(
        true,
      );
    },
  );

  it("reads at most the budget of vendor pages per request", async () => {
    const params = new URLSearchParams({ status: "blocked", email: "no-such-user-zz" });
    let cursor: string | null = null;
    let requests = 0;
    do {
      if (cursor) params.set("cursor", cursor);
      const before = sandbox.counters().requests.openai;
      const page = await getPage("openai", params);
      expect(sandbox.counters().requests.openai - before).toBeLessThanOrEqual(10);
      expect(page.data).toEqual([]);
      cursor = page.nextCursor;
      requests++;
    } while (cursor && requests < 10);
    expect(requests).toBe(3);
  });
});
