import "server-only";

import { mintSessionToken } from "@/testing/session-token";

import { authSecret } from "@/lib/auth/secret";
import { sessionCookieName } from "@/lib/auth/session";

/**
 * A `Cookie` header carrying a valid admin session, for tests that call route
 * handlers directly. Mints the same JWT next-auth would after sign-in.
 */
export async function adminCookieHeader(email = "admin@roster.test"): Promise<string> {
  return `${sessionCookieName()}=${await mintSessionToken({ email, secret: authSecret() })}`;
}
