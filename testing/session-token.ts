/**
 * A session token as next-auth's jwt callback writes it at sign-in
 * (lib/auth/options.ts): email, name, sign-in time, session id and method.
 * The one way unit tests, e2e and the benchmarks sign in without a password.
 */
import { randomUUID } from "node:crypto";

import { encode } from "next-auth/jwt";

/** next-auth's session cookie over plain http (lib/auth/session.ts), as the e2e and bench apps run. */
export const HTTP_SESSION_COOKIE = "next-auth.session-token";

export function mintSessionToken(input: {
  email: string;
  secret: string;
  name?: string;
  maxAge?: number;
}): Promise<string> {
  return encode({
    token: {
      email: input.email,
      name: input.name ?? "Test Admin",
      sub: input.email,
      auth_time: Math.floor(Date.now() / 1000),
      sid: randomUUID(),
      method: "credentials",
    },
    secret: input.secret,
    maxAge: input.maxAge ?? 3600,
  });
}
