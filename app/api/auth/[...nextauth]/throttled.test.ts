/**
 * The activity entry of a refused (throttled) sign-in. The throttle is
 * replaced by one that refuses every attempt, as next-auth, which a real
 * throttle would run first, needs Next's request scope (see route.test.ts).
 */
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { resetEnvCache } from "@/lib/env.mjs";
import { testActivity } from "@/testing/activity";

import { POST } from "./route";

vi.mock("@/lib/auth/throttle", () => ({
  MemoryThrottleStore: class {},
  SignInThrottle: class {
    async attempt() {
      return { allowed: false, retryAfterSeconds: 30 };
    }
  },
}));

const BASE = "http://roster.test";
const saved = { ...process.env };

beforeAll(() => {
  Object.assign(process.env, {
    NEXTAUTH_URL: BASE,
    NEXTAUTH_SECRET: "route-test-secret-0123456789abcdef0123456789",
  });
  resetEnvCache();
});
afterAll(() => {
  process.env = saved;
  resetEnvCache();
});

describe("POST /api/auth/callback/credentials, throttled", () => {
  it("records the attempt under the address the throttle counted (trimmed, lower case)", async () => {
    const form = new URLSearchParams([
      ["csrfToken", "t"],
      ["email", "  Ana@Example.COM "],
      ["password", "x"],
    ]);
    const response = await POST(
      new NextRequest(`${BASE}/api/auth/callback/credentials`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form.toString(),
      }),
      { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) },
    );
    expect(response.status).toBe(429);
    // As typed, GET /api/activity?admin=ana@example.com did not find it (lower(admin) kept the spaces).
    expect(testActivity.at(-1)).toMatchObject({
      kind: "auth.sign_in",
      admin: "ana@example.com",
      details: { method: "credentials", outcome: "throttled" },
    });
  });
});
