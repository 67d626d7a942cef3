import { afterEach, describe, expect, it } from "vitest";

import { closeDb, openDb, useDbForTests } from "@/lib/db/client";
import { createTestDb } from "@/testing/db";

import { GET } from "./route";

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
