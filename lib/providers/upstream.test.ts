import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { describe, expect, it } from "vitest";

import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "telnyx";

import { ExportPacer, retryAfterMs, upstreamFetch } from "./upstream";

function headers(init: Record<string, string>): Headers {
  return new Headers(init);
}

describe("retryAfterMs", () => {
  it("reads retry-after-ms first, then retry-after in seconds or as a date", () => {
    expect(retryAfterMs(headers({ "retry-after-ms": "250", "retry-after": "9" }))).toBe(250);
    expect(retryAfterMs(headers({ "retry-after": "2" }))).toBe(2000);
    expect(retryAfterMs(headers({ "retry-after": "0.5" }))).toBe(500);
    const date = new Date(Date.now() + 30_000).toUTCString();
    const fromDate = retryAfterMs(headers({ "retry-after": date })) ?? -1;
    expect(fromDate).toBeGreaterThan(28_000);
    expect(fromDate).toBeLessThanOrEqual(30_000);
  });

  it("ignores what it cannot read and never goes negative", () => {
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after": "soon" }))).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after": "-5" }))).toBe(0);
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});

describe("upstreamFetch", () => {
  const respond = (status: number, init: Record<string, string>) =>
    (async () => new Response("{}", { status, headers: init })) as typeof fetch;

  it("tells the SDK not to retry when the vendor asks for a longer wait than the cap", async () => {
    const wrapped = upstreamFetch(
      { timeoutMs: 1000, maxRetryWaitMs: 5000 },
      respond(429, { "retry-after": "3600" }),
    );
    const response = await wrapped("http://vendor.test/");
    expect(response.status).toBe(429);
    expect(response.headers.get("x-should-retry")).toBe("false");
    // The vendor's wait is kept so that Roster can pass it on as its own Retry-After.
    expect(response.headers.get("retry-after")).toBe("3600");
  });

  it("leaves waits within the cap, and non-retryable statuses, to the SDK", async () => {
    const cases: [number, Record<string, string>][] = [
      [429, { "retry-after": "2" }],
      [503, { "retry-after-ms": "5000" }],
      [503, {}],
      [401, { "retry-after": "3600" }],
      [200, { "retry-after": "3600" }],
    ];
    for (const [status, init] of cases) {
      const response = await upstreamFetch(
        { timeoutMs: 1000, maxRetryWaitMs: 5000 },
        respond(status, init),
      )("http://v/");
      expect(
        response.headers.get("x-should-retry"),
        `${status} ${JSON.stringify(init)}`,
      ).toBeNull();
    }
  });

  it("bounds the whole attempt, body included", async () => {
    // Headers at once, then a body that never ends: the SDKs' own timeout stops at the headers.
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"data":[');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const wrapped = upstreamFetch({ timeoutMs: 200, maxRetryWaitMs: 0 });
      const started = Date.now();
      const response = await wrapped(`http://127.0.0.1:${port}/`);
      await expect(response.text()).rejects.toMatchObject({ name: "TimeoutError" });
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("ExportPacer", () => {
  const vendor = { id: "telnyx" as const, label: "Telnyx", keyVar: "TELNYX_API_KEY" };
  const sdk = { APIError, APIConnectionError, APIConnectionTimeoutError, APIUserAbortError };
  const settings = { timeoutMs: 1000, maxRetries: 3, maxRetryWaitMs: 1000 };
  const vendorError = (status: number, headers: Record<string, string> = {}) =>
    APIError.generate(status, { errors: [{ code: "10011" }] }, undefined, new Headers(headers));

  function pacer(maxConcurrency = 4, signal = new AbortController().signal) {
    return new ExportPacer({ vendor, sdk, settings, maxConcurrency, signal });
  }

  /** A task failing with `errors` in turn, then answering "ok". */
  function flaky(errors: unknown[]) {
    let calls = 0;
    const task = async () => {
      const error = errors[calls++];
      if (error) throw error;
      return "ok";
    };
    return { task, calls: () => calls };
  }

  it("halves the pages in flight on a 429, waits the vendor's Retry-After, then grows back", async () => {
    const p = pacer(4);
    const { task, calls } = flaky([vendorError(429, { "retry-after-ms": "60" })]);
    const started = Date.now();
    await expect(p.run(task)).resolves.toBe("ok");
    expect(calls()).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(p.concurrency).toBe(2);
    await p.run(async () => 1);
    expect(p.concurrency).toBe(3);
  });

  it("retries 5xx and timeouts up to the retry budget, then gives up with the mapped error", async () => {
    const { task, calls } = flaky(Array(10).fill(vendorError(500, { "retry-after-ms": "1" })));
    await expect(pacer().run(task)).rejects.toMatchObject({
      code: "upstream_unavailable",
      status: 503,
    });
    expect(calls()).toBe(settings.maxRetries + 1);
    const timeouts = flaky([new APIConnectionTimeoutError(), new APIConnectionTimeoutError()]);
    await expect(pacer().run(timeouts.task)).resolves.toBe("ok");
  });

  it("does not retry a rejected key, nor a wait longer than the cap", async () => {
    const auth = flaky([vendorError(401)]);
    await expect(pacer().run(auth.task)).rejects.toMatchObject({ code: "upstream_auth_failed" });
    expect(auth.calls()).toBe(1);
    const long = flaky([vendorError(429, { "retry-after": "120" })]);
    await expect(pacer().run(long.task)).rejects.toMatchObject({
      code: "upstream_unavailable",
      retryAfterSeconds: 120,
    });
    expect(long.calls()).toBe(1);
  });

  it("stops waiting when aborted", async () => {
    const controller = new AbortController();
    const { task } = flaky([vendorError(429, { "retry-after-ms": "900" })]);
    const run = pacer(2, controller.signal).run(task);
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(Date.now() - started).toBeLessThan(500);
  });
});
