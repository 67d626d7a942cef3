import "server-only";

import { serverEnv } from "@/lib/server-env";

/**
 * A fixed secret outside production so that `npm run dev` and tests work with
 * no setup. Production refuses to start without NEXTAUTH_SECRET (see
 * lib/auth/config-check), so this value can never sign a production session.
 */
const DEVELOPMENT_SECRET = "roster-development-secret-do-not-use-in-production";

export function authSecret(): string {
  const env = serverEnv();
  if (env.NEXTAUTH_SECRET) return env.NEXTAUTH_SECRET;
  if (env.NODE_ENV === "production") {
    throw new Error("NEXTAUTH_SECRET is required in production");
  }
  return DEVELOPMENT_SECRET;
}
