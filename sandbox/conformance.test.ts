/**
 * The official SDKs, pointed at the sandbox, must page through exactly the
 * seeded users, raise their own error classes, and retry a 429.
 */
import OpenAI from "openai";
import Telnyx from "telnyx";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { DEFAULTS, generateData, type OpenAIUser, type TelnyxUser } from "./data";
import { startSandbox, type Sandbox } from "./server";

const SEED = 1234;
const COUNTS = { telnyxUsers: 130, openaiUsers: 90 };
// Computed apart from the server, from the generator alone.
const expected = generateData({ seed: SEED, ...COUNTS });

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: SEED, ...COUNTS });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

function telnyxClient(options: { apiKey?: string; fetch?: typeof fetch } = {}) {
  return new Telnyx({
    apiKey: options.apiKey ?? DEFAULTS.telnyxKey,
    baseURL: `${sandbox.url}/v2`,
    fetch: options.fetch,
  });
}

function openaiClient(options: { adminAPIKey?: string; fetch?: typeof fetch } = {}) {
  return new OpenAI({
    adminAPIKey: options.adminAPIKey ?? DEFAULTS.openaiKey,
    apiKey: "unused",
    baseURL: `${sandbox.url}/v1`,
    fetch: options.fetch,
  });
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const ids = (users: { id?: string }[]) => users.map((u) => u.id);

/** Clears the 429 fault as soon as the first 429 reaches the client, so the retry succeeds. */
function clearing429Fetch(): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    if (res.status === 429) sandbox.setFaults({ rate429: 0 });
    return res;
  };
}

describe("telnyx SDK against the sandbox", () => {
  type TelnyxCase = [string, Telnyx.Organizations.UserListParams, (u: TelnyxUser) => boolean];
  const telnyxCases: TelnyxCase[] = [
    ["no filter, default page size", {}, () => true],
    ["no filter, 17 per page", { "page[size]": 17 }, () => true],
    ...(["enabled", "disabled", "blocked"] as const).map((status): TelnyxCase => [
      `status ${status}`,
      { "filter[user_status]": status, "page[size]": 9 },
      (u) => u.user_status === status,
    ]),
    [
      "email contains contoso",
      { "filter[email]": "contoso", "page[size]": 11 },
      (u) => u.email.toLowerCase().includes("contoso"),
    ],
    [
      "email, other case",
      { "filter[email]": "CONTOSO.COM" },
      (u) => u.email.toLowerCase().includes("contoso.com"),
    ],
    ["email with a comma", { "filter[email]": "doe, jane" }, (u) => u.email.includes("doe, jane")],
    ["email in another script", { "filter[email]": "例え" }, (u) => u.email.includes("例え")],
    ["email matching nobody", { "filter[email]": "nobody-here" }, () => false],
    [
      "status and email together",
      { "filter[user_status]": "enabled", "filter[email]": "a", "page[size]": 5 },
      (u) => u.user_status === "enabled" && u.email.toLowerCase().includes("a"),
    ],
  ];

  it.each(telnyxCases)("auto-paginates every user: %s", async (_label, params, keep) => {
    const users = await collect(telnyxClient().organizations.users.list(params));
    const want = expected.telnyx.filter(keep);
    expect(want.length).toBeLessThanOrEqual(expected.telnyx.length);
    expect(ids(users)).toEqual(ids(want));
    expect(new Set(ids(users)).size).toBe(users.length);
    for (const u of users) expect(u).not.toHaveProperty("groups");
  });

  it("includes groups only with include_groups=true, matching the seeded groups", async () => {
    const users = await collect(
      telnyxClient().organizations.users.list({ include_groups: true, "page[size]": 50 }),
    );
    expect(ids(users)).toEqual(ids(expected.telnyx));
    expect(users.map((u) => u.groups)).toEqual(expected.telnyx.map((u) => u.groups));
    expect(users.some((u) => u.groups?.length === 0)).toBe(true);

    const without = await collect(
      telnyxClient().organizations.users.list({ include_groups: false, "page[size]": 50 }),
    );
    expect(ids(without)).toEqual(ids(expected.telnyx));
    expect(without.every((u) => !("groups" in u))).toBe(true);
  });

  it("retrieves one user and the groups report", async () => {
    const target = expected.telnyx[5]!;
    const one = await telnyxClient().organizations.users.retrieve(target.id, {
      include_groups: true,
    });
    expect(one.data).toEqual(target);
    const report = await telnyxClient().organizations.users.getGroupsReport();
    expect(report.data?.map((u) => u.id)).toEqual(ids(expected.telnyx));
  });

  it("raises AuthenticationError (401) for a bad key", async () => {
    const error = await telnyxClient({ apiKey: "KEY_wrong" })
      .organizations.users.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Telnyx.AuthenticationError);
    expect((error as InstanceType<typeof Telnyx.AuthenticationError>).status).toBe(401);
  });

  it.each([
    ["page[size]=251", { "page[size]": 251 }],
    ["page[number]=0", { "page[number]": 0 }],
    ["an unknown status", { "filter[user_status]": "active" as "enabled" }],
  ])("raises BadRequestError (400) for %s", async (_label, params) => {
    const error = await telnyxClient()
      .organizations.users.list(params)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Telnyx.BadRequestError);
    expect((error as InstanceType<typeof Telnyx.BadRequestError>).status).toBe(400);
  });

  it("retries a 429 after its Retry-After and then gets every user", async () => {
    sandbox.setFaults({ rate429: 1, retryAfterSeconds: 1, retryAfterMs: null });
    const started = performance.now();
    const users = await collect(
      telnyxClient({ fetch: clearing429Fetch() }).organizations.users.list({ "page[size]": 50 }),
    );
    expect(ids(users)).toEqual(ids(expected.telnyx));
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    const counters = sandbox.counters();
    expect(counters.faults.rate429).toBe(1);
    // Three pages plus the one retried request.
    expect(counters.requests.telnyx).toBe(Math.ceil(expected.telnyx.length / 50) + 1);
  });
});

describe("openai SDK against the sandbox", () => {
  const pickEmails = (users: OpenAIUser[]) =>
    users
      .flatMap((u) => (typeof u.email === "string" ? [u.email] : []))
      .filter((_, i) => i % 9 === 0);

  it.each([
    ["default limit", {}],
    ["7 per page", { limit: 7 }],
    ["100 per page", { limit: 100 }],
  ])("auto-paginates every user: %s", async (_label, params) => {
    const users = await collect(openaiClient().admin.organization.users.list(params));
    expect(ids(users)).toEqual(ids(expected.openai));
    expect(new Set(ids(users)).size).toBe(users.length);
  });

  it("returns users as seeded, projects and absent keys included", async () => {
    const users = await collect(openaiClient().admin.organization.users.list({ limit: 100 }));
    expect(users).toEqual(expected.openai);
  });

  it("filters by emails (exact, case-insensitive) across pages", async () => {
    const emails = pickEmails(expected.openai);
    expect(emails.length).toBeGreaterThan(3);
    const query = emails.map((e, i) => (i % 2 ? e.toUpperCase() : e));
    const users = await collect(
      openaiClient().admin.organization.users.list({ emails: query, limit: 2 }),
    );
    const wanted = new Set(emails.map((e) => e.toLowerCase()));
    const want = expected.openai.filter(
      (u) => typeof u.email === "string" && wanted.has(u.email.toLowerCase()),
    );
    expect(want).toHaveLength(emails.length);
    expect(ids(users)).toEqual(ids(want));
  });

  it("finds nobody for an unknown or partial email", async () => {
    const email = pickEmails(expected.openai)[0]!;
    const users = await collect(
      openaiClient().admin.organization.users.list({
        emails: ["nobody@example.com", email.slice(0, -2)],
      }),
    );
    expect(users).toEqual([]);
  });

  it("retrieves one user", async () => {
    const target = expected.openai[3]!;
    await expect(openaiClient().admin.organization.users.retrieve(target.id)).resolves.toEqual(
      target,
    );
  });

  it("raises AuthenticationError (401) for a bad key", async () => {
    const error = await openaiClient({ adminAPIKey: "sk-admin-not-a-real-key-0000" })
      .admin.organization.users.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).status).toBe(401);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe("invalid_api_key");
  });

  it.each([0, 101])("raises BadRequestError (400) for limit=%i", async (limit) => {
    const error = await openaiClient()
      .admin.organization.users.list({ limit })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).status).toBe(400);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("limit");
  });

  it("retries a 429 after its Retry-After and then gets every user", async () => {
    sandbox.setFaults({ rate429: 1, retryAfterSeconds: 1, retryAfterMs: null });
    const started = performance.now();
    const users = await collect(
      openaiClient({ fetch: clearing429Fetch() }).admin.organization.users.list({ limit: 40 }),
    );
    expect(ids(users)).toEqual(ids(expected.openai));
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    const counters = sandbox.counters();
    expect(counters.faults.rate429).toBe(1);
    expect(counters.requests.openai).toBe(Math.ceil(expected.openai.length / 40) + 1);
  });

  it("gives up on a spent quota after its retries, with RateLimitError", async () => {
    sandbox.setFaults({ quota: 1, retryAfterMs: 10 });
    const error = await collect(openaiClient().admin.organization.users.list({ limit: 10 })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    // One allowed page, then the first try of page two and its two retries.
    expect(sandbox.counters().faults.quota).toBe(3);
    expect(sandbox.counters().requests.openai).toBe(4);
  });
});
