import "server-only";

import { randomBytes } from "node:crypto";

import { serverEnv } from "@/lib/server-env";

/**
 * Outside production without NEXTAUTH_SECRET, a random secret made once per
 * process: `npm run dev` and tests work with no setup, and no secret in the
 * repository can ever sign a session. (Sessions end when the process does.)
 * Production refuses to start without a long enough NEXTAUTH_SECRET (see
 * lib/auth/config-check).
 */
const DEVELOPMENT_SECRET = randomBytes(32).toString("base64url");

export function authSecret(): string {
  const env = serverEnv();
  if (env.NEXTAUTH_SECRET) return env.NEXTAUTH_SECRET;
  if (env.NODE_ENV === "production") {
    throw new Error("NEXTAUTH_SECRET is required in production");
  }
  return DEVELOPMENT_SECRET;
}
