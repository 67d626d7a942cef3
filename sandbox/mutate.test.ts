import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { parseCli } from "./cli-options";
import { DEFAULTS } from "./data";
import { startSandbox, type Sandbox } from "./server";

const TELNYX_AUTH = { authorization: `Bearer ${DEFAULTS.telnyxKey}` };
const OPENAI_AUTH = { authorization: `Bearer ${DEFAULTS.openaiKey}` };
const ADMIN = { authorization: `Bearer ${DEFAULTS.adminToken}` };

// Each test changes the data: a sandbox of its own.
let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox({ port: 0, telnyxUsers: 60, openaiUsers: 60 });
});
afterEach(() => sandbox.close());

async function get(path: string, headers: Record<string, string>) {
  const res = await fetch(`${sandbox.url}${path}`, { headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function telnyxPage(query: string) {
  const { body } = await get(`/v2/organizations/users?${query}`, TELNYX_AUTH);
  return body as {
    data: { id: string; email: string; user_status: string; record_type: string }[];
    meta: { total_results: number };
  };
}

async function openaiPage(query: string) {
  const { body } = await get(`/v1/organization/users?${query}`, OPENAI_AUTH);
  return body as { data: { id: string }[]; has_more: boolean };
}

async function postMutate(body: unknown, headers: Record<string, string> = ADMIN) {
  const res = await fetch(`${sandbox.url}/_sandbox/mutate`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("mutations", () => {
  it("removes and adds Telnyx users, and every index follows (pages, totals, filters, by id)", async () => {
    const removed = sandbox.data.telnyx[5]?.id ?? "";
    const blockedBefore = sandbox.data.telnyx.filter((u) => u.user_status === "blocked").length;
    const result = sandbox.mutate({ vendor: "telnyx", remove: [removed], add: 2 });
    expect(result).toMatchObject({ vendor: "telnyx", removed: [removed], users: 61 });
    expect(result.added).toHaveLength(2);

    const page = await telnyxPage("page[size]=250");
    expect(page.meta.total_results).toBe(61);
    expect(page.data.map((u) => u.id)).toEqual(sandbox.data.telnyx.map((u) => u.id));
    expect(page.data.map((u) => u.id)).not.toContain(removed);
    // Newest last: vendor order is creation time.
    expect(page.data.slice(-2).map((u) => u.id)).toEqual(result.added);
    expect((await get(`/v2/organizations/users/${removed}`, TELNYX_AUTH)).status).toBe(404);
    const added = (await get(`/v2/organizations/users/${result.added[0]}`, TELNYX_AUTH)).body;
    expect(added).toMatchObject({ data: { id: result.added[0], user_status: "enabled" } });

    // The email filter's cache and the status index are rebuilt too.
    const newEmail = (added.data as { email: string }).email;
    const byEmail = await telnyxPage(`filter[email]=${encodeURIComponent(newEmail)}`);
    expect(byEmail.data.map((u) => u.id)).toEqual([result.added[0]]);
    const target = sandbox.data.telnyx[10]?.id ?? "";
    sandbox.mutate({ vendor: "telnyx", change: [{ id: target, status: "blocked" }] });
    const blocked = await telnyxPage("filter[user_status]=blocked&page[size]=250");
    expect(blocked.data.map((u) => u.id)).toContain(target);
    expect(blocked.meta.total_results).toBe(
      sandbox.data.telnyx.filter((u) => u.user_status === "blocked").length,
    );
    expect(blocked.meta.total_results).toBeGreaterThanOrEqual(blockedBefore);
  });

  it("changes status, role, email and groups of a Telnyx user", async () => {
    const id = sandbox.data.telnyx[3]?.id ?? "";
    sandbox.mutate({
      vendor: "telnyx",
      change: [
        { id, status: "disabled", role: "owner", email: "New.Owner@contoso.com", groups: ["Ops"] },
      ],
    });
    const { body } = await get(`/v2/organizations/users/${id}?include_groups=true`, TELNYX_AUTH);
    expect(body.data).toMatchObject({
      user_status: "disabled",
      record_type: "organization_owner",
      email: "New.Owner@contoso.com",
      groups: [{ name: "Ops" }],
    });
    const found = await telnyxPage("filter[email]=new.owner");
    expect(found.data.map((u) => u.id)).toEqual([id]);
  });

  it("changes and removes OpenAI users; `after` a removed user gets 404 or an empty page", async () => {
    const [first, second] = sandbox.data.openai.slice(1, 3).map((u) => u.id);
    sandbox.mutate({
      vendor: "openai",
      change: [{ id: first ?? "", status: "blocked", role: "owner", groups: ["Research"] }],
    });
    const { body } = await get(`/v1/organization/users/${first}`, OPENAI_AUTH);
    expect(body).toMatchObject({
      role: "owner",
      user: { banned: true },
      projects: { data: [{ name: "Research" }] },
    });
    sandbox.mutate({ vendor: "openai", remove: [second ?? ""] });
    expect((await get(`/v1/organization/users?after=${second}`, OPENAI_AUTH)).status).toBe(404);
    const rest = await openaiPage(`limit=100&after=${first}`);
    expect(rest.data.map((u) => u.id)).toEqual(sandbox.data.openai.slice(2).map((u) => u.id));

    const empty = await startSandbox({ port: 0, openaiUsers: 20, openaiUnknownAfter: "empty" });
    try {
      const gone = empty.data.openai[4]?.id ?? "";
      empty.mutate({ vendor: "openai", remove: [gone] });
      const res = await fetch(`${empty.url}/v1/organization/users?after=${gone}`, {
        headers: OPENAI_AUTH,
      });
      expect(await res.json()).toMatchObject({ data: [], has_more: false });
    } finally {
      await empty.close();
    }
  });

  it("removes a counted number of users picked by the seed, the same ones for the same seed, never the owner", async () => {
    const other = await startSandbox({ port: 0, telnyxUsers: 60, openaiUsers: 0 });
    try {
      const a = sandbox.mutate({ vendor: "telnyx", remove: 5 });
      const b = other.mutate({ vendor: "telnyx", remove: 5 });
      expect(a.removed).toHaveLength(5);
      expect(new Set(a.removed).size).toBe(5);
      expect(a.removed).toEqual(b.removed);
      expect(sandbox.data.telnyx[0]?.record_type).toBe("organization_owner");
      expect(a.users).toBe(55);
    } finally {
      await other.close();
    }
  });

  it("refuses an invalid mutation with a message, and then changes nothing", async () => {
    const before = sandbox.data.telnyx.map((u) => u.id);
    const taken = sandbox.data.telnyx[2]?.email ?? "";
    const cases: [unknown, RegExp][] = [
      [{ vendor: "telnyx", remove: ["nope"] }, /no telnyx user has id nope/],
      [{ vendor: "telnyx", add: 1, colour: "red" }, /colour/],
      [{ vendor: "slack", add: 1 }, /vendor/],
      [{ vendor: "telnyx", remove: 60 }, /only 59 telnyx users can be removed/],
      [
        { vendor: "telnyx", change: [{ id: sandbox.data.telnyx[4]?.id, email: taken }] },
        /belongs to another user/,
      ],
      [
        { vendor: "telnyx", change: [{ id: sandbox.data.telnyx[4]?.id, role: "admin" }] },
        /owner or member/,
      ],
      [{ vendor: "openai", add: 10_001 }, /add/],
    ];
    for (const [mutation, message] of cases) {
      const res = await postMutate(mutation);
      expect(res.status, JSON.stringify(mutation)).toBe(400);
      expect(res.body).toMatchObject({ error: { code: "invalid_mutation" } });
      expect(JSON.stringify(res.body)).toMatch(message);
      expect(() => sandbox.mutate(mutation as never)).toThrow(message);
    }
    expect(sandbox.data.telnyx.map((u) => u.id)).toEqual(before);
    expect((await postMutate({ vendor: "telnyx", add: 1 }, {})).status).toBe(401);
  });

  it("answers the control endpoint with what changed, and health counts the users", async () => {
    const res = await postMutate({ vendor: "openai", add: 3, remove: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ vendor: "openai", users: 62, changed: [] });
    const health = await get("/_sandbox/health", {});
    expect(health.body).toMatchObject({ users: { telnyx: 60, openai: 62 } });
  });
});

describe("reset", () => {
  it("undoes every mutation in the same arrays, and the same mutations then repeat exactly", async () => {
    const data = sandbox.data;
    const original = data.telnyx.map((u) => u.id);
    const first = sandbox.mutate({ vendor: "telnyx", remove: 3, add: 2 });
    sandbox.mutate({ vendor: "openai", remove: 1 });
    const res = await fetch(`${sandbox.url}/_sandbox/reset`, { method: "POST", headers: ADMIN });
    expect(res.status).toBe(200);
    expect(sandbox.data).toBe(data);
    expect(data.telnyx.map((u) => u.id)).toEqual(original);
    expect(data.openai).toHaveLength(60);
    expect((await telnyxPage("page[size]=250")).data.map((u) => u.id)).toEqual(original);
    expect(sandbox.mutate({ vendor: "telnyx", remove: 3, add: 2 })).toEqual(first);
  });
});

describe("the --mutate-every schedule", () => {
  it("removes then adds a user every N list requests, so the total moves at each step", async () => {
    await sandbox.close();
    sandbox = await startSandbox({ port: 0, telnyxUsers: 30, openaiUsers: 0, mutateEvery: 2 });
    const totals: number[] = [];
    for (let i = 0; i < 6; i++) totals.push((await telnyxPage("page[size]=5")).meta.total_results);
    // Requests 2, 4 and 6 are answered after the change.
    expect(totals).toEqual([30, 29, 29, 30, 30, 29]);
    // Retrieving one user is not a list request.
    await get(`/v2/organizations/users/${sandbox.data.telnyx[0]?.id}`, TELNYX_AUTH);
    expect((await telnyxPage("page[size]=5")).meta.total_results).toBe(29);
  });

  it("is a flag and a variable", () => {
    expect(parseCli(["--mutate-every", "25"], {})).toMatchObject({
      help: false,
      options: { mutateEvery: 25 },
    });
    expect(parseCli([], { SANDBOX_MUTATE_EVERY: "3" })).toMatchObject({
      help: false,
      options: { mutateEvery: 3 },
    });
    expect(() => parseCli(["--mutate-every", "0"], {})).toThrow(/--mutate-every must be/);
  });
});
