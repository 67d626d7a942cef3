/**
 * The activity entry of a refused (throttled) sign-in. The throttle is
 * replaced by one that refuses every attempt, as next-auth, which a real
 * throttle would run first, needs Next's request scope (see route.test.ts).
 */
import { describe, expect, it, vi } from "vitest";

import { testActivity } from "@/testing/activity";
import { authRouteEnv, credentialsSignIn } from "@/testing/auth-route";

import { POST } from "./route";

vi.mock("@/lib/auth/throttle", () => ({
  MemoryThrottleStore: class {},
  SignInThrottle: class {
    async attempt() {
      return { allowed: false, retryAfterSeconds: 30 };
    }
  },
}));

authRouteEnv();

describe("POST /api/auth/callback/credentials, throttled", () => {
  it("records the attempt under the address the throttle counted (trimmed, lower case)", async () => {
    const response = await POST(...credentialsSignIn("  Ana@Example.COM "));
    expect(response.status).toBe(429);
    // As typed, GET /api/activity?admin=ana@example.com did not find it (lower(admin) kept the spaces).
    expect(testActivity.at(-1)).toMatchObject({
      kind: "auth.sign_in",
      admin: "ana@example.com",
      details: { method: "credentials", outcome: "throttled" },
    });
  });
});
