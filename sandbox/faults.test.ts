import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { DEFAULTS } from "./data";
import { DEFAULT_FAULTS } from "./faults";
import { startSandbox, type Sandbox } from "./server";

const TELNYX = {
  path: "/v2/organizations/users?page[size]=5",
  headers: { authorization: `Bearer ${DEFAULTS.telnyxKey}` },
};
const OPENAI = {
  path: "/v1/organization/users?limit=5",
  headers: { authorization: `Bearer ${DEFAULTS.openaiKey}` },
};
const ADMIN = { authorization: `Bearer ${DEFAULTS.adminToken}` };

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, telnyxUsers: 20, openaiUsers: 20 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

async function call(target: { path: string; headers: Record<string, string> }, base = sandbox.url) {
  const started = performance.now();
  const res = await fetch(`${base}${target.path}`, { headers: target.headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, ms: performance.now() - started };
}

async function control(
  method: "GET" | "POST",
  path: string,
  body?: unknown,
  headers: Record<string, string> = ADMIN,
) {
  const res = await fetch(`${sandbox.url}/_sandbox/${path}`, {
    method,
    headers: { ...headers, "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("latency", () => {
  it("delays vendor requests by the latency plus jitter, and leaves the control endpoint alone", async () => {
    sandbox.setFaults({ latencyMs: 120, jitterMs: 150 });
    const timings: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await call(i % 2 ? TELNYX : OPENAI);
      expect(res.status).toBe(200);
      timings.push(res.ms);
    }
    expect(Math.min(...timings)).toBeGreaterThanOrEqual(115);
    expect(Math.max(...timings) - Math.min(...timings)).toBeGreaterThan(10);
    const before = sandbox.counters().requests.total;
    await control("GET", "state");
    await fetch(`${sandbox.url}/_sandbox/health`);
    expect(sandbox.counters().requests.total).toBe(before);
  });

  it("answers what the vendor held when the request arrived, after the latency: its work is part of the latency", async () => {
    sandbox.setFaults({ latencyMs: 300 });
    const pending = call({ ...TELNYX, path: "/v2/organizations/users?page[size]=100" });
    // The vendor's data changes while the request waits out its latency.
    await new Promise((resolve) => setTimeout(resolve, 100));
    sandbox.mutate({ vendor: "telnyx", add: 3 });
    const res = await pending;
    expect(res.ms).toBeGreaterThanOrEqual(295);
    const body = JSON.parse(res.text) as { data: unknown[]; meta: { total_results: number } };
    expect(body.meta.total_results).toBe(20);
    expect(body.data).toHaveLength(20);
    expect(sandbox.data.telnyx).toHaveLength(23);
  });
});

describe("429 and 5xx shares", () => {
  it("roughly respects the shares over 400 requests, with vendor bodies and counted exactly", async () => {
    sandbox.setFaults({ rate429: 0.2, rate5xx: 0.1 });
    const statuses: Record<number, number> = {};
    const bodies = new Map<number, string>();
    for (let batch = 0; batch < 20; batch++) {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => call(i % 2 ? TELNYX : OPENAI)),
      );
      for (const r of results) {
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (r.status !== 200) bodies.set(r.status, r.text);
      }
    }
    const n429 = statuses[429] ?? 0;
    const n5xx = (statuses[500] ?? 0) + (statuses[503] ?? 0);
    expect(n429).toBeGreaterThan(50);
    expect(n429).toBeLessThan(110);
    expect(n5xx).toBeGreaterThan(18);
    expect(n5xx).toBeLessThan(65);
    expect(statuses[500]).toBeGreaterThan(0);
    expect(statuses[503]).toBeGreaterThan(0);
    expect(n429 + n5xx + (statuses[200] ?? 0)).toBe(400);
    const counters = sandbox.counters();
    expect(counters.faults.rate429).toBe(n429);
    expect(counters.faults.rate5xx).toBe(n5xx);
    expect(counters.requests).toEqual({ telnyx: 200, openai: 200, total: 400 });
  });

  it("answers 429 with each vendor's body and the configured retry headers", async () => {
    sandbox.setFaults({ rate429: 1 });
    const telnyx = await call(TELNYX);
    expect(telnyx.status).toBe(429);
    expect(JSON.parse(telnyx.text)).toMatchObject({
      errors: [{ code: "10011", title: "Too many requests" }],
    });
    expect(telnyx.headers.get("retry-after-ms")).toBe(String(DEFAULT_FAULTS.retryAfterMs));
    expect(telnyx.headers.get("retry-after")).toBeNull();
    expect(telnyx.headers.get("x-ratelimit-limit")).not.toBeNull();

    sandbox.setFaults({ retryAfterSeconds: 3, retryAfterMs: null });
    const openai = await call(OPENAI);
    expect(openai.status).toBe(429);
    expect(JSON.parse(openai.text)).toEqual({
      error: {
        message: expect.any(String),
        type: "requests",
        param: null,
        code: "rate_limit_exceeded",
      },
    });
    expect(openai.headers.get("retry-after")).toBe("3");
    expect(openai.headers.get("retry-after-ms")).toBeNull();
    expect(openai.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("hits only the chosen vendor", async () => {
    sandbox.setFaults({ rate5xx: 1, vendor: "openai" });
    expect((await call(TELNYX)).status).toBe(200);
    const openai = await call(OPENAI);
    expect([500, 503]).toContain(openai.status);
    expect(JSON.parse(openai.text)).toMatchObject({ error: { type: "server_error" } });
    expect(sandbox.counters().faults.rate5xx).toBe(1);
  });
});

describe("hung requests", () => {
  it("never answers, and close() still ends promptly", async () => {
    const own = await startSandbox({
      port: 0,
      telnyxUsers: 3,
      openaiUsers: 3,
      faults: { hangRate: 1 },
    });
    const pending = fetch(`${own.url}${TELNYX.path}`, { headers: TELNYX.headers }).then(
      () => "answered",
      () => "dropped",
    );
    for (let i = 0; i < 100 && own.counters().faults.hang === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(own.counters().faults.hang).toBe(1);
    const raced = await Promise.race([
      pending,
      new Promise((r) => setTimeout(() => r("still waiting"), 300)),
    ]);
    expect(raced).toBe("still waiting");
    const started = performance.now();
    await own.close();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await pending).toBe("dropped");
  });
});

describe("malformed JSON", () => {
  it("answers 200 with a truncated body, counted, and leaves errors intact", async () => {
    sandbox.setFaults({ malformedRate: 1 });
    for (const target of [TELNYX, OPENAI]) {
      const res = await call(target);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/application\/json/);
      expect(res.text.length).toBeGreaterThan(0);
      expect(() => JSON.parse(res.text)).toThrow();
    }
    const unauthorized = await call({ path: OPENAI.path, headers: {} });
    expect(unauthorized.status).toBe(401);
    expect(() => JSON.parse(unauthorized.text)).not.toThrow();
    expect(sandbox.counters().faults.malformed).toBe(2);
  });
});

describe("quota", () => {
  it("gives each key its own allowance, then 429s, and reports it in x-ratelimit-*", async () => {
    const own = await startSandbox({
      port: 0,
      telnyxUsers: 3,
      openaiUsers: 0,
      telnyxKeys: ["KEY_a", "KEY_b"],
    });
    try {
      own.setFaults({ quota: 3 });
      const keyA = { path: "/v2/organizations/users", headers: { authorization: "Bearer KEY_a" } };
      const keyB = { path: "/v2/organizations/users", headers: { authorization: "Bearer KEY_b" } };
      const results = [];
      for (let i = 0; i < 5; i++) results.push(await call(keyA, own.url));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
      expect(results.map((r) => r.headers.get("x-ratelimit-remaining"))).toEqual([
        "2",
        "1",
        "0",
        "0",
        "0",
      ]);
      expect(results[0]?.headers.get("x-ratelimit-limit")).toBe("3");
      expect(JSON.parse(results[4]!.text)).toMatchObject({ errors: [{ code: "10011" }] });
      expect((await call(keyB, own.url)).status).toBe(200);
      expect(own.counters().faults.quota).toBe(2);
      // A new quota restarts every key's allowance.
      own.setFaults({ quota: 1 });
      expect((await call(keyA, own.url)).status).toBe(200);
      expect((await call(keyA, own.url)).status).toBe(429);
    } finally {
      await own.close();
    }
  });
});

describe("outage", () => {
  it("answers 503 to every vendor request after N more, until cleared", async () => {
    sandbox.setFaults({ outageAfter: 2 });
    expect((await call(TELNYX)).status).toBe(200);
    expect((await call(OPENAI)).status).toBe(200);
    const down = [await call(TELNYX), await call(OPENAI), await call(TELNYX)];
    expect(down.map((r) => r.status)).toEqual([503, 503, 503]);
    expect(JSON.parse(down[0]!.text)).toMatchObject({ errors: [{ code: "10007" }] });
    expect(JSON.parse(down[1]!.text)).toMatchObject({ error: { type: "server_error" } });
    expect(sandbox.counters().faults.outage).toBe(3);
    await control("POST", "faults", { outageAfter: null });
    expect((await call(TELNYX)).status).toBe(200);
  });
});

describe("control endpoint", () => {
  it.each([
    ["GET", "state"],
    ["POST", "faults"],
    ["POST", "reset"],
  ] as const)("refuses %s /_sandbox/%s without the admin token", async (method, path) => {
    await call(TELNYX);
    for (const headers of [{}, { authorization: "Bearer wrong" }] as Record<string, string>[]) {
      const res = await control(
        method,
        path,
        method === "POST" ? { latencyMs: 5 } : undefined,
        headers,
      );
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: { code: "unauthorized" } });
    }
    expect(sandbox.counters().requests.telnyx).toBe(1);
    expect(((await control("GET", "state")).body.faults as { latencyMs: number }).latencyMs).toBe(
      0,
    );
  });

  it.each([
    ["an unknown key", { latency: 5 }],
    ["a share above 1", { rate429: 2 }],
    ["a negative latency", { latencyMs: -1 }],
    ["a fractional quota", { quota: 1.5 }],
    ["an unknown vendor", { vendor: "aws" }],
    ["shares adding up past 1", { rate429: 0.6, rate5xx: 0.6 }],
    ["an array", [1]],
    ["text that is not JSON", "latencyMs=5"],
  ])("answers 400 with a message to %s", async (_label, body) => {
    const res = await control("POST", "faults", body);
    expect(res.status).toBe(400);
    expect((res.body.error as { message: string }).message.length).toBeGreaterThan(5);
    expect((await control("GET", "state")).body.faults).toEqual(DEFAULT_FAULTS);
  });

  it("merges patches, reports state and resets faults and counters", async () => {
    const set = await control("POST", "faults", { rate429: 0.5, retryAfterSeconds: 2 });
    expect(set.status).toBe(200);
    expect(set.body.faults).toEqual({ ...DEFAULT_FAULTS, rate429: 0.5, retryAfterSeconds: 2 });
    await control("POST", "faults", { vendor: "telnyx" });
    await call(TELNYX);
    const state = await control("GET", "state");
    expect(state.body.faults).toEqual({
      ...DEFAULT_FAULTS,
      rate429: 0.5,
      retryAfterSeconds: 2,
      vendor: "telnyx",
    });
    expect(state.body.counters).toMatchObject({ requests: { telnyx: 1, openai: 0, total: 1 } });
    const reset = await control("POST", "reset");
    expect(reset.body).toEqual({ faults: DEFAULT_FAULTS, counters: sandbox.counters() });
    expect(sandbox.counters().requests.total).toBe(0);
  });

  it("answers wrong methods with 405", async () => {
    expect((await control("GET", "faults")).status).toBe(405);
  });
});

describe("faults from the start", () => {
  it("applies faults given to startSandbox and rejects invalid ones", async () => {
    const own = await startSandbox({
      port: 0,
      telnyxUsers: 2,
      openaiUsers: 2,
      faults: { rate5xx: 1, vendor: "telnyx" },
    });
    try {
      expect([500, 503]).toContain((await call(TELNYX, own.url)).status);
      expect((await call(OPENAI, own.url)).status).toBe(200);
      expect(() => own.setFaults({ hangRate: 7 })).toThrow(/hangRate/);
    } finally {
      await own.close();
    }
    await expect(
      startSandbox({ port: 0, telnyxUsers: 1, openaiUsers: 1, faults: { rate429: -1 } }),
    ).rejects.toThrow(/rate429/);
    await expect(startSandbox({ port: 0, telnyxKeys: [] })).rejects.toThrow(/telnyxKeys/);
  });
});
