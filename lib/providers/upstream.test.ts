import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { describe, expect, it } from "vitest";

import Telnyx, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from "telnyx";

import { ExportPacer, listDeadline, retryAfterMs, untilAborted, upstreamFetch } from "./upstream";

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

  it("reads numbers the way the SDKs do, with parseFloat", () => {
    // `3600s` is an hour to the SDKs: Number() would call it unreadable and skip the cap.
    expect(retryAfterMs(headers({ "retry-after": "3600s" }))).toBe(3_600_000);
    expect(retryAfterMs(headers({ "retry-after-ms": "250ms" }))).toBe(250);
    expect(retryAfterMs(headers({ "retry-after": " 2 " }))).toBe(2000);
    expect(retryAfterMs(headers({ "retry-after": "1e3" }))).toBe(1_000_000);
    // `retry-after-ms: 0` (or unreadable) falls through to `retry-after`, as in the SDKs.
    expect(retryAfterMs(headers({ "retry-after-ms": "0", "retry-after": "7" }))).toBe(7000);
    expect(retryAfterMs(headers({ "retry-after-ms": "x", "retry-after": "7" }))).toBe(7000);
    expect(retryAfterMs(headers({ "retry-after": "Infinity" }))).toBe(Infinity);
  });

  it("is undefined without a header, zero for what the SDKs would not wait on, never negative", () => {
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after-ms": "x" }))).toBeUndefined();
    // An unreadable date: the SDKs compute NaN and retry at once.
    expect(retryAfterMs(headers({ "retry-after": "soon" }))).toBe(0);
    expect(retryAfterMs(headers({ "retry-after": "-5" }))).toBe(0);
    expect(retryAfterMs(headers({ "retry-after": new Date(0).toUTCString() }))).toBe(0);
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

  it("caps the wait on every non-OK answer, whatever its status", async () => {
    for (const status of [400, 401, 404, 409, 500, 503]) {
      const response = await upstreamFetch(
        { timeoutMs: 1000, maxRetryWaitMs: 5000 },
        respond(status, { "retry-after": "3600s", "x-should-retry": "true" }),
      )("http://v/");
      expect(response.headers.get("x-should-retry"), String(status)).toBe("false");
    }
  });

  it("drops the vendor's x-should-retry, so that the status alone decides, as in exports", async () => {
    const cases: [number, Record<string, string>][] = [
      [400, { "x-should-retry": "true" }],
      [503, { "x-should-retry": "false", "retry-after": "2" }],
      [429, { "retry-after": "2" }],
      [503, { "retry-after-ms": "5000" }],
      [503, {}],
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
      expect(response.status).toBe(status);
    }
    // A successful answer is passed through untouched.
    const ok = await upstreamFetch(
      { timeoutMs: 1000, maxRetryWaitMs: 5000 },
      respond(200, { "retry-after": "3600", "x-should-retry": "true" }),
    )("http://v/");
    expect(ok.headers.get("x-should-retry")).toBe("true");
  });

  it("keeps the Telnyx SDK from sleeping on `Retry-After: 3600s`", async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.writeHead(429, { "content-type": "application/json", "retry-after": "3600s" });
      res.end(JSON.stringify({ errors: [{ code: "10011", title: "Too many requests" }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const client = new Telnyx({
        apiKey: "KEY_test",
        clientID: null,
        clientSecret: null,
        publicKey: null,
        baseURL: `http://127.0.0.1:${port}/v2`,
        maxRetries: 2,
        fetch: upstreamFetch({ timeoutMs: 2000, maxRetryWaitMs: 1000 }),
        logLevel: "off",
      });
      const started = Date.now();
      await expect(client.organizations.users.list()).rejects.toMatchObject({ status: 429 });
      expect(requests).toBe(1);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
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
  const settings = { timeoutMs: 1000, maxRetries: 3, maxRetryWaitMs: 1000, listDeadlineMs: 5000 };
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

describe("listDeadline and untilAborted", () => {
  it("rejects at the deadline even while the work would go on, and says it was the deadline", async () => {
    const deadline = listDeadline(undefined, 50);
    const started = Date.now();
    const never = new Promise<never>(() => {});
    await expect(untilAborted(never, deadline.signal)).rejects.toMatchObject({
      name: "TimeoutError",
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(deadline.expired()).toBe(true);
  });

  it("tells the caller leaving apart from the deadline", async () => {
    const caller = new AbortController();
    const deadline = listDeadline(caller.signal, 60_000);
    caller.abort();
    await expect(untilAborted(Promise.resolve(1), deadline.signal)).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(deadline.expired()).toBe(false);
    await expect(
      untilAborted(Promise.resolve(2), listDeadline(undefined, 60_000).signal),
    ).resolves.toBe(2);
  });
});
