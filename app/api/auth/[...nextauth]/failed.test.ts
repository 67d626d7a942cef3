/**
 * The activity entry of a failed password sign-in. The throttle lets the
 * attempt through and the password check is replaced by one that fails, as
 * next-auth, which would run it, needs Next's request scope (see route.test.ts).
 */
import { describe, expect, it, vi } from "vitest";

import { testActivity } from "@/testing/activity";
import { authRouteEnv, credentialsSignIn } from "@/testing/auth-route";

import { POST } from "./route";

vi.mock("@/lib/auth/throttle", () => ({
  MemoryThrottleStore: class {},
  SignInThrottle: class {
    async attempt(_identity: unknown, run: () => Promise<{ result: unknown }>) {
      const { result } = await run();
      return { allowed: true, result };
    }
  },
}));

vi.mock("@/lib/auth/password-check", () => ({
  reportPasswordCheck: () => {},
  // What the credentials check reports for the email as posted: trimmed, lower case, whole.
  withPasswordCheck: async () => ({
    result: new Response(null, { status: 401 }),
    check: { email: `${"a".repeat(15_000)}@example.com`, ok: false },
  }),
}));

authRouteEnv();

describe("POST /api/auth/callback/credentials, wrong password", () => {
  it("records the address tried at most 320 characters long, as a throttled attempt's", async () => {
    // Anyone may post a sign-in: a 15 KB email fits the 16 KB body, and the log is kept for a year.
    const response = await POST(...credentialsSignIn(`${"A".repeat(15_000)}@example.com`));
    expect(response.status).toBe(401);
    const entry = testActivity.at(-1);
    expect(entry).toMatchObject({
      kind: "auth.sign_in",
      details: { method: "credentials", outcome: "failure", reason: "bad_credentials" },
    });
    expect(entry?.admin?.length).toBe(320);
    expect(entry?.admin).toBe("a".repeat(320));
  });
});
