/**
 * For tests of next-auth's route (app/api/auth/[...nextauth]) that call its
 * handlers directly: the environment it needs, and a password sign-in post.
 */
import { NextRequest } from "next/server";
import { afterAll, beforeAll } from "vitest";

import { resetEnvCache } from "@/lib/env.mjs";

export const AUTH_TEST_BASE = "http://roster.test";

/** Sets NEXTAUTH_URL, a secret and `extra` for the file's tests, and restores the environment after. */
export function authRouteEnv(extra: Record<string, string> = {}): void {
  const saved = { ...process.env };
  beforeAll(() => {
    Object.assign(process.env, {
      NEXTAUTH_URL: AUTH_TEST_BASE,
      NEXTAUTH_SECRET: "route-test-secret-0123456789abcdef0123456789",
      ...extra,
    });
    resetEnvCache();
  });
  afterAll(() => {
    process.env = saved;
    resetEnvCache();
  });
}

/** A password sign-in as the form posts it (the CSRF token does not matter to what is tested). */
export function credentialsSignIn(
  email: string,
): [NextRequest, { params: Promise<{ nextauth: string[] }> }] {
  const form = new URLSearchParams([
    ["csrfToken", "t"],
    ["email", email],
    ["password", "x"],
  ]);
  return [
    new NextRequest(`${AUTH_TEST_BASE}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    }),
    { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) },
  ];
}
