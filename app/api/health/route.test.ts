import { afterEach, describe, expect, it } from "vitest";

import { closeDb, openDb, useDbForTests } from "@/lib/db/client";
import { adminCookieHeader } from "@/testing/auth";
import { createTestDb } from "@/testing/db";

import { DELETE, GET, OPTIONS, PATCH, POST, PUT } from "./route";

describe("GET /api/health", () => {
  afterEach(() => closeDb());

  it("answers 200 without a session when the database answers", async () => {
    useDbForTests(await createTestDb());
    const response = await GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "ok" });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("answers 503 once the database is gone", async () => {
    const handle = await openDb({ dataDir: "memory://" });
    await handle.close();
    useDbForTests({ ...handle, close: async () => {} });
    const response = await GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "unavailable", database: "unreachable" });
  });
});

describe("another method on /api/health", () => {
  const URL_ = "http://127.0.0.1:3000/api/health";

  it("answers 401 without a session, like any API route, so it is no open door", async () => {
    for (const handler of [POST, PUT, PATCH, DELETE, OPTIONS]) {
      const response = await handler(new Request(URL_, { method: "POST" }));
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: "unauthenticated" } });
    }
  });

  it("answers an admin 405 method_not_allowed with Allow, and OPTIONS 204", async () => {
    const cookie = await adminCookieHeader();
    const response = await POST(new Request(URL_, { method: "POST", headers: { cookie } }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(await response.json()).toMatchObject({ error: { code: "method_not_allowed" } });
    const options = await OPTIONS(new Request(URL_, { method: "OPTIONS", headers: { cookie } }));
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });
});
