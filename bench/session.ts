/**
 * A session cookie for the benchmark's app, minted the way e2e/fixtures.ts
 * does it (next-auth's own `encode`), with the secret the app was started with.
 */
import { encode } from "next-auth/jwt";

/** The cookie name for an app served over http (lib/auth/session.ts). */
export const SESSION_COOKIE = "next-auth.session-token";

export async function mintSessionToken(secret: string): Promise<string> {
  const email = "bench@roster.bench";
  return encode({
    token: { email, name: "Benchmark", sub: email },
    secret,
    maxAge: 3600,
  });
}

export function cookieHeader(token: string): string {
  return `${SESSION_COOKIE}=${token}`;
}
