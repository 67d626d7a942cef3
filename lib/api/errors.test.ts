import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";

import { ApiError, errorResponse } from "./errors";

afterEach(() => vi.restoreAllMocks());

describe("errorResponse", () => {
  it("answers an ApiError with its status, code, message and Retry-After", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const res = errorResponse(
      new ApiError("upstream_unavailable", "Telnyx is busy.", {
        retryAfterSeconds: 2.2,
        detail: "status 429",
      }),
      "test",
    );
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBe("3");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(await res.json()).toEqual({
      error: { code: "upstream_unavailable", message: "Telnyx is busy." },
    });
  });

  it("hides anything unexpected behind a generic 500 and logs only its kind", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = errorResponse(new TypeError("secret sk-admin-123 in a stack"), "test");
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).toContain("internal_error");
    expect(text).not.toContain("sk-admin-123");
    expect(String(log.mock.calls[0])).not.toContain("sk-admin-123");
  });

  it("answers a database out of reach with 503 database_unavailable and Retry-After, and says so in the log", async () => {
    const log = vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.spyOn(console, "error").mockImplementation(() => {});
    // What a route's query throws while the server is stopped: Drizzle's error around the driver's.
    const pool = new pg.Pool({
      connectionString: "postgres://roster:s3cret-pw@127.0.0.1:1/roster",
      connectionTimeoutMillis: 2_000,
    });
    const refused = await drizzle(pool)
      .execute(sql`select 1`)
      .catch((e: unknown) => e);
    await pool.end();
    const restarting = Object.assign(
      new Error("terminating connection due to administrator command"),
      { code: "57P01" },
    );
    const cut = new Error("Failed query: select 1", {
      cause: new Error("Connection terminated unexpectedly"),
    });
    for (const error of [refused, restarting, cut]) {
      const res = errorResponse(error, "GET /api/directory/status");
      expect(res.status).toBe(503);
      expect(res.headers.get("Retry-After")).toBe("5");
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({
        error: {
          code: "database_unavailable",
          message: "Roster's database is not answering. Try again in a moment.",
        },
      });
      expect(text).not.toContain("s3cret-pw");
    }
    expect(log.mock.calls.map((call) => String(call[0]))).toEqual([
      "[roster] GET /api/directory/status: database_unavailable (ECONNREFUSED)",
      "[roster] GET /api/directory/status: database_unavailable (57P01)",
      "[roster] GET /api/directory/status: database_unavailable (Connection terminated unexpectedly)",
    ]);
  });

  it("keeps a query the database refused (not an outage) a 500", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const error = new Error("Failed query", {
      cause: Object.assign(new Error("duplicate key"), { code: "23505" }),
    });
    expect(errorResponse(error, "test").status).toBe(500);
  });

  it("does not log a fault when the caller went away", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const controller = new AbortController();
    const request = new Request("http://127.0.0.1/api/telnyx/users", { signal: controller.signal });
    controller.abort();
    const res = errorResponse(new Error("Request was aborted."), "test", request);
    expect(res.status).toBe(499);
    expect(log).not.toHaveBeenCalled();
  });
});
