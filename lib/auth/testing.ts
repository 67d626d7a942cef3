import "server-only";

import { randomUUID } from "node:crypto";

import { encode } from "next-auth/jwt";

import { authSecret } from "./secret";
import { sessionCookieName } from "./session";

/**
 * A `Cookie` header carrying a valid admin session, for tests that call route
 * handlers directly. Mints the same JWT next-auth would after sign-in.
 */
export async function adminCookieHeader(email = "admin@roster.test"): Promise<string> {
  const token = await encode({
    token: {
      email,
      name: "Test Admin",
      sub: email,
      auth_time: Math.floor(Date.now() / 1000),
      sid: randomUUID(),
      method: "credentials",
    },
    secret: authSecret(),
    maxAge: 3600,
  });
  return `${sessionCookieName()}=${token}`;
}
