import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { adminCookieHeader } from "@/testing/auth";
import {
  checkResponseSchema,
  MAX_CHECK_BODY_BYTES,
  streamEventSchema,
  type StreamEvent,
} from "@/lib/offboarding/schema";
import { expectedAccounts } from "@/testing/offboarding";
import { closeDb, useDbForTests } from "@/lib/db/client";
import { testActivity } from "@/testing/activity";
import { createTestDb, type TestDbHandle } from "@/testing/db";
import { seedDirectory } from "@/testing/directory";
import { OPENAI_KEY, pointEnvAt, TELNYX_KEY } from "@/testing/providers";
import { apiErrorBodySchema } from "@/lib/users/schema";
import { startSandbox, type Sandbox } from "@/sandbox/server";

import { POST } from "./route";

const URL_ = "http://roster.test/api/offboarding/check";
let sandbox: Sandbox;
let cookie: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, telnyxUsers: 100, openaiUsers: 100 });
  pointEnvAt(sandbox);
  cookie = await adminCookieHeader();
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.reset();
  pointEnvAt(sandbox);
});

function post(
  body: string,
  headers: Record<string, string> = {},
  options: { cookie?: string | null } = {},
): Promise<Response> {
  const sent = options.cookie === undefined ? cookie : options.cookie;
  return POST(
    new Request(URL_, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        ...(sent ? { cookie: sent } : {}),
        ...headers,
      },
    }),
  );
}

async function expectError(response: Response, status: number, code: string): Promise<string> {
  expect(response.status).toBe(status);
  expect(response.headers.get("cache-control")).toBe("no-store");
  const body = apiErrorBodySchema.parse(await response.json());
  expect(body.error.code).toBe(code);
  return body.error.message;
}

describe("POST /api/offboarding/check", () => {
  it("answers anonymous callers 401 before looking at origin or body", async () => {
    await expectError(
      await post("x".repeat(2_000_000), { origin: "https://evil.example" }, { cookie: null }),
      401,
      "unauthenticated",
    );
  });

  it("refuses another site's Origin with 403, and accepts its own or none", async () => {
    const body = JSON.stringify({ emails: ["a@x.com"] });
    await expectError(
      await post(body, { origin: "https://evil.example" }),
      403,
      "forbidden_origin",
    );
    await expectError(await post(body, { origin: "null" }), 403, "forbidden_origin");
    await expectError(
      await post(body, { "sec-fetch-site": "cross-site" }),
      403,
      "forbidden_origin",
    );
    expect((await post(body, { origin: "http://roster.test" })).status).toBe(200);
    expect((await post(body)).status).toBe(200);
  });

  it("refuses a body over the bound with 413 before parsing it", async () => {
    const big = JSON.stringify({
      emails: Array.from({ length: 30_000 }, (_, i) => `user${i}@example.com`),
    });
    expect(big.length).toBeGreaterThan(MAX_CHECK_BODY_BYTES);
    await expectError(await post(big), 413, "payload_too_large");
    expect(sandbox.counters().requests.total).toBe(0);
  });

  it("400 invalid_body for a body that is not JSON", async () => {
    expect(await expectError(await post("{"), 400, "invalid_body")).toContain("not valid JSON");
    expect(sandbox.counters().requests.total).toBe(0);
  });

  it("400 invalid_body for JSON nested thousands of levels deep, not a 500", async () => {
    const deep = `{"emails":${"[".repeat(5000)}${"]".repeat(5000)}}`;
    expect(await expectError(await post(deep), 400, "invalid_body")).toContain("nested");
    expect(sandbox.counters().requests.total).toBe(0);
  });

  it("400 invalid_body for a body that is not UTF-8, instead of checking a garbled address", async () => {
    // "josé@x.com" sent in Latin-1: the é (0xE9) is no UTF-8, and was read as U+FFFD.
    const latin1 = Buffer.from('{"emails":["jos\u00e9@x.com"]}', "latin1");
    const response = await POST(
      new Request(URL_, {
        method: "POST",
        body: latin1,
        headers: { "content-type": "application/json", cookie },
      }),
    );
    expect(await expectError(response, 400, "invalid_body")).toContain("UTF-8");
    expect(sandbox.counters().requests.total).toBe(0);
  });

  it.each([
    ["no emails", "{}", "emails"],
    ["empty list", '{"emails":[]}', "at least one address"],
    ["not strings", '{"emails":[1]}', "emails"],
    ["unknown key", '{"emails":["a@x.com"],"x":1}', "only emails and providers"],
    ["unknown provider", '{"emails":["a@x.com"],"providers":["slack"]}', "providers must be"],
    [
      "1,001 addresses",
      JSON.stringify({ emails: Array.from({ length: 1001 }, (_, i) => `u${i}@x.com`) }),
      "at most 1,000",
    ],
  ])("400 invalid_body for %s, naming the problem", async (_name, body, words) => {
    expect(await expectError(await post(body), 400, "invalid_body")).toContain(words);
    expect(sandbox.counters().requests.total).toBe(0);
  });

  it("answers scripts with one JSON body: results, invalid entries, merged duplicates", async () => {
    const known = sandbox.data.telnyx[3]?.email ?? "";
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    const response = await post(
      JSON.stringify({
        emails: [known, known.toUpperCase(), "Someone <nobody@nowhere.example>", "oops"],
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const text = await response.text();
    expect(text).not.toContain(TELNYX_KEY);
    expect(text).not.toContain(OPENAI_KEY);
    const body = checkResponseSchema.parse(JSON.parse(text));
    expect(body.checked).toEqual(["telnyx", "openai"]);
    expect(body.results).toEqual([
      { email: known, ...expectedAccounts(sandbox.data, known) },
      { email: "nobody@nowhere.example", telnyx: null, openai: null },
    ]);
    expect(body.results[0]?.telnyx).not.toBeNull();
    expect(body.invalid).toEqual([{ input: "oops", reason: "no @" }]);
    expect(body.duplicates).toEqual([{ email: known, count: 2 }]);
    expect(body.failed).toEqual([]);
    // The activity log entry: counts, never the addresses.
    info.mockRestore();
    const entry = testActivity.findLast((e) => e.kind === "offboarding.check");
    expect(entry).toMatchObject({
      admin: "admin@roster.test",
      details: { addresses: 2, stillWithAccess: 1, notChecked: 0 },
    });
    expect(JSON.stringify(entry)).not.toContain(known.split("@")[0] ?? "@");
  });

  it("checks only the vendors asked for", async () => {
    const response = await post(JSON.stringify({ emails: ["a@x.com"], providers: ["telnyx"] }));
    const body = checkResponseSchema.parse(await response.json());
    expect(body.checked).toEqual(["telnyx"]);
    expect(sandbox.counters().requests).toMatchObject({ telnyx: 1, openai: 0 });
  });

  it("streams NDJSON progress ending with the same answer when asked", async () => {
    vi.spyOn(console, "info").mockImplementation(() => {});
    const emails = sandbox.data.openai.slice(0, 12).flatMap((u) => (u.email ? [u.email] : []));
    const response = await post(JSON.stringify({ emails }), { accept: "application/x-ndjson" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    const events: StreamEvent[] = (await response.text())
      .trimEnd()
      .split("\n")
      .map((line) => streamEventSchema.parse(JSON.parse(line)));
    vi.restoreAllMocks();
    expect(events[0]).toEqual({ type: "start", total: emails.length });
    const progress = events.filter((e) => e.type === "progress");
    expect(progress.at(-1)).toEqual({
      type: "progress",
      checked: emails.length,
      total: emails.length,
    });
    const last = events.at(-1);
    expect(last?.type).toBe("done");
    if (last?.type !== "done") return;
    expect(last.result.results).toEqual(
      emails.map((email) => ({ email, ...expectedAccounts(sandbox.data, email) })),
    );
  });

  it("stops the vendor calls when the client goes away mid-stream", async () => {
    sandbox.setFaults({ latencyMs: 200 });
    const controller = new AbortController();
    const emails = sandbox.data.telnyx.slice(0, 40).map((u) => u.email);
    const response = await POST(
      new Request(URL_, {
        method: "POST",
        body: JSON.stringify({ emails }),
        headers: { cookie, accept: "application/x-ndjson", "content-type": "application/json" },
        signal: controller.signal,
      }),
    );
    const reader = response.body?.getReader();
    await reader?.read(); // the start line
    controller.abort();
    await reader?.cancel();
    const asked = sandbox.counters().requests.telnyx;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(sandbox.counters().requests.telnyx).toBeLessThanOrEqual(asked + 4);
    expect(asked).toBeLessThan(40);
  });
});

describe("person pages in the answer", () => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb("pglite");
    useDbForTests(handle);
  });
  afterAll(() => closeDb());

  it("names the addresses the directory knows, so the page links only to people that exist", async () => {
    const [synced, other] = sandbox.data.telnyx;
    await seedDirectory(handle.db, "telnyx", [
      {
        id: synced!.id,
        provider: "telnyx",
        email: synced!.email.toUpperCase(),
        name: null,
        status: "enabled",
        role: "member",
        createdAt: "2026-01-05T10:00:00.000Z",
        lastActiveAt: null,
        groups: null,
        vendor: {},
      },
    ]);
    const response = await post(JSON.stringify({ emails: [synced!.email, other!.email] }));
    const body = checkResponseSchema.parse(await response.json());
    expect(body.results.map((r) => r.telnyx?.status ?? null)).not.toContain(null);
    expect(body.people).toEqual([synced!.email.toLowerCase()]);
  });
});
