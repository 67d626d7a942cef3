/**
 * A session cookie for the benchmark's app (testing/session-token.ts),
 * with the secret the app was started with.
 */
import { mintSessionToken as mint } from "../testing/session-token";

/** The cookie name for an app served over http (lib/auth/session.ts). */
export const SESSION_COOKIE = "next-auth.session-token";

export async function mintSessionToken(secret: string): Promise<string> {
  return mint({ email: "bench@roster.bench", name: "Benchmark", secret });
}

export function cookieHeader(token: string): string {
  return `${SESSION_COOKIE}=${token}`;
}
