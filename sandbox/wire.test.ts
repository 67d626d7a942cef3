/**
 * Wire details the SDKs hide: encodings, exact error bodies, headers, edges of paging.
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEFAULTS, generateData } from "./data";
import { startSandbox, type Sandbox } from "./server";

const SEED = 99;
const COUNTS = { telnyxUsers: 60, openaiUsers: 45 };
const expected = generateData({ seed: SEED, ...COUNTS });
const TELNYX_AUTH = { authorization: `Bearer ${DEFAULTS.telnyxKey}` };
const OPENAI_AUTH = { authorization: `Bearer ${DEFAULTS.openaiKey}` };

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: SEED, ...COUNTS });
});
afterAll(() => sandbox.close());

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${sandbox.url}${path}`, { headers });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // CSV and other non-JSON bodies stay text.
  }
  return { status: res.status, headers: res.headers, body: body as Record<string, unknown>, text };
}

function telnyxErrorBody(code: string, title: string) {
  return {
    errors: [
      expect.objectContaining({
        code,
        title,
        detail: expect.any(String),
        meta: { url: expect.stringContaining(code) },
      }),
    ],
  };
}

describe("telnyx wire", () => {
  it("decodes %5B/%5D-encoded parameters", async () => {
    const res = await get(
      "/v2/organizations/users?page%5Bsize%5D=3&page%5Bnumber%5D=2&filter%5Buser_status%5D=enabled",
      TELNYX_AUTH,
    );
    const enabled = expected.telnyx.filter((u) => u.user_status === "enabled");
    expect(res.status).toBe(200);
    expect((res.body.data as { id: string }[]).map((u) => u.id)).toEqual(
      enabled.slice(3, 6).map((u) => u.id),
    );
    expect(res.body.meta).toEqual({
      total_pages: Math.ceil(enabled.length / 3),
      total_results: enabled.length,
      page_number: 2,
      page_size: 3,
    });
  });

  it("matches filter[email] case-insensitively and partially, percent-encoded", async () => {
    const res = await get(
      `/v2/organizations/users?filter%5Bemail%5D=${encodeURIComponent("MIXED.case@")}`,
      TELNYX_AUTH,
    );
    expect((res.body.data as { email: string }[]).map((u) => u.email)).toEqual([
      "Mixed.Case@Contoso.COM",
    ]);
  });

  it.each([
    ["no key", {}],
    ["a wrong key", { authorization: "Bearer KEY_wrong" }],
    ["a non-bearer header", { authorization: `Basic ${DEFAULTS.telnyxKey}` }],
  ])("answers 401 10009 to %s", async (_label, headers) => {
    const res = await get("/v2/organizations/users", headers);
    expect(res.status).toBe(401);
    expect(res.body).toEqual(telnyxErrorBody("10009", "Authentication failed"));
    expect(res.text).not.toContain("KEY_");
  });

  it.each([
    ["page%5Bsize%5D=251", "page[size]"],
    ["page[size]=0", "page[size]"],
    ["page[size]=ten", "page[size]"],
    ["page[number]=0", "page[number]"],
    ["page[number]=1.5", "page[number]"],
    ["filter[user_status]=active", "filter[user_status]"],
    ["filter%5Buser_status%5D=Enabled", "filter[user_status]"],
    ["include_groups=yes", "include_groups"],
  ])("answers 400 10015 to %s, naming the parameter", async (query, parameter) => {
    const res = await get(`/v2/organizations/users?${query}`, TELNYX_AUTH);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(telnyxErrorBody("10015", "Bad Request"));
    const [error] = res.body.errors as { detail: string; source: unknown }[];
    expect(error?.source).toEqual({ pointer: "/", parameter });
    expect(error?.detail).toContain("The request failed because it was not well-formed.");
    expect(error?.detail).toContain(parameter);
  });

  it("sends x-ratelimit-* headers on every response, counting down", async () => {
    const key = "KEY_ratelimit_probe";
    const probe = await startSandbox({
      port: 0,
      telnyxUsers: 3,
      openaiUsers: 0,
      telnyxKeys: [key],
    });
    try {
      const paths = [
        "/v2/organizations/users",
        "/v2/organizations/users?page[size]=999",
        "/v2/nope",
      ];
      const remaining: number[] = [];
      for (const path of paths) {
        const res = await fetch(`${probe.url}${path}`, {
          headers: { authorization: `Bearer ${key}` },
        });
        expect(res.headers.get("x-ratelimit-limit")).toMatch(/^\d+$/);
        expect(Number(res.headers.get("x-ratelimit-reset"))).toBeGreaterThan(0);
        expect(Number(res.headers.get("x-ratelimit-reset"))).toBeLessThanOrEqual(60);
        remaining.push(Number(res.headers.get("x-ratelimit-remaining")));
      }
      expect(remaining[1]).toBe(remaining[0]! - 1);
      expect(remaining[2]).toBe(remaining[1]! - 1);
      const unauthorized = await fetch(`${probe.url}/v2/organizations/users`);
      expect(unauthorized.headers.get("x-ratelimit-remaining")).toMatch(/^\d+$/);
    } finally {
      await probe.close();
    }
  });

  it("answers a page past the end with no data, the asked page number and the real totals", async () => {
    const res = await get("/v2/organizations/users?page[size]=25&page[number]=99", TELNYX_AUTH);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: [],
      meta: {
        total_pages: Math.ceil(COUNTS.telnyxUsers / 25),
        total_results: COUNTS.telnyxUsers,
        page_number: 99,
        page_size: 25,
      },
    });
  });

  it("answers no match with zero pages", async () => {
    const res = await get("/v2/organizations/users?filter[email]=no-such-person", TELNYX_AUTH);
    expect(res.body).toEqual({
      data: [],
      meta: { total_pages: 0, total_results: 0, page_number: 1, page_size: 250 },
    });
  });

  it("leaves groups out unless include_groups=true", async () => {
    const plain = await get("/v2/organizations/users?page[size]=10", TELNYX_AUTH);
    const off = await get(
      "/v2/organizations/users?page[size]=10&include_groups=false",
      TELNYX_AUTH,
    );
    const on = await get("/v2/organizations/users?page[size]=10&include_groups=true", TELNYX_AUTH);
    for (const res of [plain, off]) {
      for (const u of res.body.data as object[]) expect(Object.keys(u)).not.toContain("groups");
    }
    expect((on.body.data as { groups: unknown }[]).map((u) => u.groups)).toEqual(
      expected.telnyx.slice(0, 10).map((u) => u.groups),
    );
  });

  it("serves one user, and 404 10005 for an unknown id or path", async () => {
    const target = expected.telnyx[2]!;
    const one = await get(`/v2/organizations/users/${target.id}`, TELNYX_AUTH);
    expect(one.body.data).toMatchObject({ id: target.id, email: target.email });
    expect(one.body.data).not.toHaveProperty("groups");
    const unknown = await get(
      "/v2/organizations/users/00000000-0000-4000-8000-000000000000",
      TELNYX_AUTH,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual(telnyxErrorBody("10005", "Resource not found"));
    expect((await get("/v2/organizations/groups", TELNYX_AUTH)).status).toBe(404);
    expect((await get("/v2/organizations/users/%E0%A4%A", TELNYX_AUTH)).status).toBe(404);
  });

  it("serves the groups report as CSV that round-trips the awkward values", async () => {
    const res = await get("/v2/organizations/users/users_groups_report", {
      ...TELNYX_AUTH,
      accept: "text/csv",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const rows = parse(res.text, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([
      "id",
      "email",
      "user_status",
      "created_at",
      "last_sign_in_at",
      "groups",
    ]);
    expect(rows.map((r) => r.email)).toEqual(expected.telnyx.map((u) => u.email));
    expect(rows.map((r) => r.last_sign_in_at)).toEqual(
      expected.telnyx.map((u) => u.last_sign_in_at ?? ""),
    );
    expect(rows.map((r) => r.groups)).toEqual(
      expected.telnyx.map((u) => u.groups.map((g) => g.name).join(",")),
    );
  });

  it("serves the groups report as JSON by default", async () => {
    const res = await get("/v2/organizations/users/users_groups_report", TELNYX_AUTH);
    expect(res.body.data).toEqual(expected.telnyx);
  });
});

describe("openai wire", () => {
  const emails = expected.openai.flatMap((u) => (typeof u.email === "string" ? [u.email] : []));

  it("accepts emails[]= and repeated emails= together", async () => {
    const [a, b, c] = [emails[1]!, emails[4]!, emails[9]!];
    const q = `emails%5B%5D=${encodeURIComponent(a)}&emails=${encodeURIComponent(b.toUpperCase())}&emails=${encodeURIComponent(c)}`;
    const res = await get(`/v1/organization/users?${q}`, OPENAI_AUTH);
    const want = expected.openai
      .filter((u) => [a, b, c].includes(u.email as string))
      .map((u) => u.id);
    expect((res.body.data as { id: string }[]).map((u) => u.id)).toEqual(want);
    expect(res.body).toMatchObject({
      object: "list",
      first_id: want[0],
      last_id: want[2],
      has_more: false,
    });
  });

  it("pages with limit and after", async () => {
    const first = await get("/v1/organization/users?limit=5", OPENAI_AUTH);
    const ids = expected.openai.map((u) => u.id);
    expect(first.body).toMatchObject({ first_id: ids[0], last_id: ids[4], has_more: true });
    const next = await get(`/v1/organization/users?limit=5&after=${ids[4]}`, OPENAI_AUTH);
    expect((next.body.data as { id: string }[]).map((u) => u.id)).toEqual(ids.slice(5, 10));
    const last = await get(`/v1/organization/users?limit=100&after=${ids.at(-2)}`, OPENAI_AUTH);
    expect(last.body).toMatchObject({ first_id: ids.at(-1), last_id: ids.at(-1), has_more: false });
    const defaultLimit = await get("/v1/organization/users", OPENAI_AUTH);
    expect(defaultLimit.body.data).toHaveLength(20);
  });

  it("answers an empty page with null ids", async () => {
    const res = await get("/v1/organization/users?emails[]=nobody%40example.com", OPENAI_AUTH);
    expect(res.body).toEqual({
      object: "list",
      data: [],
      first_id: null,
      last_id: null,
      has_more: false,
    });
  });

  it.each([
    [
      "0",
      "Invalid 'limit': integer below minimum value. Expected a value >= 1, but got 0 instead.",
    ],
    [
      "101",
      "Invalid 'limit': integer above maximum value. Expected a value <= 100, but got 101 instead.",
    ],
    ["abc", "Invalid 'limit': expected an integer, but got 'abc' instead."],
  ])("answers limit=%s with 400 and the vendor's wording", async (limit, message) => {
    const res = await get(`/v1/organization/users?limit=${limit}`, OPENAI_AUTH);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: { message, type: "invalid_request_error", param: "limit", code: expect.any(String) },
    });
  });

  it("answers a wrong key with 401 invalid_api_key and the key masked", async () => {
    const key = "sk-admin-abcdefghijklmnop-wxyz";
    const res = await get("/v1/organization/users", { authorization: `Bearer ${key}` });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: {
        message: expect.stringMatching(/^Incorrect API key provided: sk-admin\*\*\*\*wxyz\. /),
        type: "invalid_request_error",
        param: null,
        code: "invalid_api_key",
      },
    });
    expect(res.text).not.toContain("abcdefghijklmnop");
  });

  it("answers a missing key with 401 and code null", async () => {
    const res = await get("/v1/organization/users");
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: {
        message: expect.stringContaining("You didn't provide an API key"),
        type: "invalid_request_error",
        param: null,
        code: null,
      },
    });
  });

  it("sends a fresh x-request-id on every response", async () => {
    const responses = await Promise.all([
      get("/v1/organization/users", OPENAI_AUTH),
      get("/v1/organization/users?limit=0", OPENAI_AUTH),
      get("/v1/organization/users"),
      get("/v1/organization/nothing", OPENAI_AUTH),
    ]);
    const requestIds = responses.map((r) => r.headers.get("x-request-id"));
    for (const id of requestIds) expect(id).toMatch(/^req_[0-9a-f]{32}$/);
    expect(new Set(requestIds).size).toBe(requestIds.length);
    expect(responses[3]?.body).toEqual({
      error: {
        message: "Invalid URL (GET /v1/organization/nothing)",
        type: "invalid_request_error",
        param: null,
        code: null,
      },
    });
  });

  it("answers an unknown after with 404 by default, or an empty page when set so", async () => {
    const res = await get("/v1/organization/users?after=user_doesnotexist", OPENAI_AUTH);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { message: "Resource not found.", param: "after" } });
    const lenient = await startSandbox({
      port: 0,
      telnyxUsers: 0,
      openaiUsers: 5,
      openaiUnknownAfter: "empty",
    });
    try {
      const empty = await fetch(`${lenient.url}/v1/organization/users?after=user_doesnotexist`, {
        headers: OPENAI_AUTH,
      });
      expect(empty.status).toBe(200);
      expect(await empty.json()).toEqual({
        object: "list",
        data: [],
        first_id: null,
        last_id: null,
        has_more: false,
      });
    } finally {
      await lenient.close();
    }
  });

  it("serves one user and 404 for an unknown one", async () => {
    const target = expected.openai[7]!;
    expect((await get(`/v1/organization/users/${target.id}`, OPENAI_AUTH)).body).toEqual(target);
    const missing = await get("/v1/organization/users/user_nobody", OPENAI_AUTH);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { type: "invalid_request_error" } });
    expect((await get("/v1/organization/users/%E0%A4%A", OPENAI_AUTH)).status).toBe(404);
  });
});

describe("outside the vendors", () => {
  it("answers unknown paths with 404 JSON and health without auth", async () => {
    expect((await get("/")).status).toBe(404);
    const health = await get("/_sandbox/health");
    expect(health.status).toBe(200);
    expect(health.body).toEqual({
      ok: true,
      users: { telnyx: COUNTS.telnyxUsers, openai: COUNTS.openaiUsers },
    });
  });
});
