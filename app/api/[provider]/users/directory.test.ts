/**
 * `source=directory` answers the list exactly as the vendor does: for every
 * filter combination, the same users with the same fields in the same order,
 * whatever the page sizes, read from a synced snapshot of the same sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { adminCookieHeader } from "@/testing/auth";
import { closeDb, useDbForTests } from "@/lib/db/client";
import { beginSync, runSync } from "@/lib/directory/sync";
import { getProvider } from "@/lib/providers";
import { pointEnvAt } from "@/testing/providers";
import { createTestDb, TEST_DB_KINDS } from "@/testing/db";
import {
  apiErrorBodySchema,
  usersPageSchema,
  type ProviderId,
  type User,
  type UsersFilters,
  type UserStatus,
} from "@/lib/users/schema";
import { filtersToSearchParams } from "@/lib/users/contract";
import { startSandbox, type Sandbox } from "@/sandbox/server";

import { GET as exportGET } from "./export/route";
import { GET } from "./route";

const PROVIDERS: ProviderId[] = ["telnyx", "openai"];
let cookie: string;
let sandbox: Sandbox;

beforeAll(async () => {
  cookie = await adminCookieHeader();
  sandbox = await startSandbox({ port: 0, telnyxUsers: 300, openaiUsers: 260 });
  pointEnvAt(sandbox);
});
afterAll(() => sandbox.close());

async function call(provider: string, params: URLSearchParams) {
  const request = new Request(`http://roster.test/api/${provider}/users?${params}`, {
    headers: { cookie },
  });
  const response = await GET(request, { params: Promise.resolve({ provider }) });
  return { status: response.status, body: (await response.json()) as unknown };
}

async function listAll(
  provider: ProviderId,
  filters: UsersFilters,
  source: "vendor" | "directory",
  limits: number[],
) {
  const users: User[] = [];
  const totals = new Set<number | null>();
  const asOf = new Set<string | undefined>();
  let cursor: string | null = null;
  let pages = 0;
  do {
    const params = filtersToSearchParams(filters);
    params.set("limit", String(limits[pages % limits.length]));
    if (source === "directory") params.set("source", "directory");
    if (cursor) params.set("cursor", cursor);
    const reply = await call(provider, params);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const page = usersPageSchema.parse(reply.body);
    users.push(...page.data);
    totals.add(page.total);
    asOf.add(page.asOf);
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 500);
  expect(cursor).toBeNull();
  return { users, totals, asOf };
}

describe.each(TEST_DB_KINDS)("source=directory on %s", (kind) => {
  beforeAll(async () => {
    const handle = await createTestDb(kind);
    useDbForTests(handle);
  });
  afterAll(() => closeDb());

  it("answers 409 directory_empty before the first sync, naming the way out", async () => {
    const reply = await call("openai", new URLSearchParams({ source: "directory" }));
    expect(reply.status).toBe(409);
    const error = apiErrorBodySchema.parse(reply.body).error;
    expect(error.code).toBe("directory_empty");
    expect(error.message).toMatch(/OpenAI.*sync it first.*source=vendor/);
  });

  it("lists every filter combination row for row as the vendor does", async () => {
    const { getDb } = await import("@/lib/db/client");
    const db = await getDb();
    for (const provider of PROVIDERS) {
      const { snapshotId } = await beginSync(db, provider, "test");
      expect(await runSync(db, getProvider(provider), snapshotId, { concurrency: 4 })).toBe(
        "succeeded",
      );
    }
    const statuses: (UserStatus | undefined)[] = [undefined, "enabled", "disabled", "blocked"];
    for (const provider of PROVIDERS) {
      for (const status of statuses) {
        // "СЕРГЕЙ" (Cyrillic, upper case) lowercases only by a Unicode-aware rule: the test
        // cluster's `C` locale does not, so the directory may not leave it to SQL's lower().
        for (const email of [
          undefined,
          "contoso",
          "MIXED.case",
          "例え",
          "СЕРГЕЙ",
          "no-such-user-zz",
        ]) {
          for (const groups of [false, true]) {
            const filters: UsersFilters = {
              groups,
              ...(status ? { status } : {}),
              ...(email ? { email } : {}),
            };
            const label = `${provider} ${JSON.stringify(filters)}`;
            const live = await listAll(provider, filters, "vendor", [100]);
            const stored = await listAll(provider, filters, "directory", [7, 50, 3]);
            if (
              provider === "telnyx" &&
              email === "СЕРГЕЙ" &&
              status !== "enabled" &&
              status !== "disabled"
            ) {
              expect(live.users.map((u) => u.email)).toEqual(["Сергей@Пример.рф"]);
            }
            expect(stored.users, label).toEqual(live.users);
            expect([...stored.totals], label).toEqual([live.users.length]);
            expect(stored.asOf.size, label).toBe(1);
            expect([...stored.asOf][0], label).toMatch(/^\d{4}-\d\d-\d\dT/);
          }
        }
      }
    }
  });

  it("refuses a live cursor with source=directory and the reverse", async () => {
    const live = usersPageSchema.parse(
      (await call("telnyx", new URLSearchParams({ limit: "2" }))).body,
    );
    const crossed = await call(
      "telnyx",
      new URLSearchParams({ limit: "2", source: "directory", cursor: live.nextCursor! }),
    );
    expect(crossed.status).toBe(400);
    expect(apiErrorBodySchema.parse(crossed.body).error.code).toBe("invalid_cursor");
    const bad = await call("telnyx", new URLSearchParams({ source: "cache" }));
    expect(bad.status).toBe(400);
    expect(apiErrorBodySchema.parse(bad.body).error.message).toMatch(/source must be one of/);
  });

  it("exports from the directory byte for byte as the live export", async () => {
    for (const provider of PROVIDERS) {
      const read = async (query: string) => {
        const response = await exportGET(
          new Request(`http://roster.test/api/${provider}/users/export?${query}`, {
            headers: { cookie },
          }),
          { params: Promise.resolve({ provider }) },
        );
        expect(response.status).toBe(200);
        return { text: await response.text(), total: response.headers.get("x-total-count") };
      };
      const live = await read("groups=true");
      const stored = await read("groups=true&source=directory");
      expect(stored.text).toBe(live.text);
      expect(stored.total).toBe(String(live.text.trim().split("\r\n").length - 1));
    }
  });
});
