/**
 * The bodies `POST /api/directory/sync` and `POST /api/directory/sync/cancel`
 * take: a body of the wrong shape is `400 invalid_body`, as on every other
 * route that reads JSON (the query string is `invalid_query`).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { closeDb, useDbForTests } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env.mjs";
import { adminCookieHeader } from "@/testing/auth";
import { createTestDb } from "@/testing/db";

import { POST as cancel } from "./cancel/route";
import { POST as start } from "./route";

const BASE = "http://127.0.0.1:3000";
let cookie: string;

beforeAll(async () => {
  // No vendor keys: nothing this file posts may start a real sync.
  vi.stubEnv("TELNYX_API_KEY", "");
  vi.stubEnv("OPENAI_ADMIN_KEY", "");
  resetEnvCache();
  useDbForTests(await createTestDb("pglite"));
  cookie = await adminCookieHeader();
});

afterAll(async () => {
  vi.unstubAllEnvs();
  resetEnvCache();
  await closeDb();
});

function post(path: string, body: string): Request {
  return new Request(`${BASE}${path}`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body,
  });
}

async function errorOf(response: Response): Promise<{ status: number; code: unknown }> {
  const body = (await response.json()) as { error?: { code?: unknown } };
  return { status: response.status, code: body.error?.code };
}

const WRONG_SHAPES = [
  ["another vendor", '{ "provider": "slack" }'],
  ["an unknown field", '{ "provider": "openai", "force": true }'],
  ["an array", '["openai"]'],
  ["a string", '"openai"'],
  ["null", "null"],
] as const;

describe("POST /api/directory/sync", () => {
  it.each(WRONG_SHAPES)("answers %s with 400 invalid_body", async (_, body) => {
    expect(await errorOf(await start(post("/api/directory/sync", body)))).toEqual({
      status: 400,
      code: "invalid_body",
    });
  });

  it("answers text that is not JSON with 400 invalid_body too", async () => {
    expect(await errorOf(await start(post("/api/directory/sync", "{provider:")))).toEqual({
      status: 400,
      code: "invalid_body",
    });
  });
});

describe("POST /api/directory/sync/cancel", () => {
  it.each([...WRONG_SHAPES, ["no provider", "{}"], ["not JSON", "{provider:"]] as const)(
    "answers %s with 400 invalid_body",
    async (_, body) => {
      expect(await errorOf(await cancel(post("/api/directory/sync/cancel", body)))).toEqual({
        status: 400,
        code: "invalid_body",
      });
    },
  );

  it("answers a vendor with no sync running 404 not_found", async () => {
    const body = '{ "provider": "openai" }';
    expect(await errorOf(await cancel(post("/api/directory/sync/cancel", body)))).toEqual({
      status: 404,
      code: "not_found",
    });
  });
});
