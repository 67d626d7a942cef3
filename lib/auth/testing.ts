import "server-only";

import { mintSessionToken } from "@/lib/testing/session-token";

import { authSecret } from "./secret";
import { sessionCookieName } from "./session";

/**
 * A `Cookie` header carrying a valid admin session, for tests that call route
 * handlers directly. Mints the same JWT next-auth would after sign-in.
 */
export async function adminCookieHeader(email = "admin@roster.test"): Promise<string> {
  return `${sessionCookieName()}=${await mintSessionToken({ email, secret: authSecret() })}`;
}
