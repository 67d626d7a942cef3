/**
 * A session cookie for the benchmark's app (testing/session-token.ts),
 * with the secret the app was started with.
 */
import { HTTP_SESSION_COOKIE, mintSessionToken as mint } from "../testing/session-token";

export async function mintSessionToken(secret: string): Promise<string> {
  return mint({ email: "bench@roster.bench", name: "Benchmark", secret });
}

export function cookieHeader(token: string): string {
  return `${HTTP_SESSION_COOKIE}=${token}`;
}
