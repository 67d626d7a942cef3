import "server-only";

import { decode, getToken, type JWT, type JWTDecodeParams } from "next-auth/jwt";

import { serverEnv } from "@/lib/server-env";

import { isAdmitted } from "./admission";
import { revocationStore } from "./revocation";
import { authSecret } from "./secret";

export interface AdminSession {
  email: string;
  name: string | null;
}

/**
 * Session cookies are `Secure` (and get the `__Secure-` prefix) when Roster is
 * served over https. next-auth's options and every reader of the cookie take
 * the flag from here, so they always agree on the cookie's name.
 */
export function secureCookies(): boolean {
  return serverEnv().NEXTAUTH_URL?.startsWith("https://") ?? false;
}

export function sessionCookieName(): string {
  return `${secureCookies() ? "__Secure-" : ""}next-auth.session-token`;
}

function parseCookies(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    try {
      cookies.set(name, decodeURIComponent(raw));
    } catch {
      cookies.set(name, raw);
    }
  }
  return cookies;
}

/** How many decoded session tokens are kept; the oldest goes first. */
const DECODED_TOKENS_MAX = 256;
const decodedTokens = new Map<
  string,
  { secret: JWTDecodeParams["secret"]; payload: JWT; expiresAt: number }
>();

/**
 * next-auth's `decode`, remembered per token until the token's `exp`.
 * Decrypting a session token (key derivation, then AES-GCM) took about 0.3 ms
 * of CPU on every API request, and a token always decodes to the same
 * payload. Only the decoding is remembered: every read still checks the
 * session's age, admission and revocation. A token is decoded again when the
 * secret changed.
 */
async function decodeRemembered(params: JWTDecodeParams): Promise<JWT | null> {
  const { token, secret } = params;
  if (!token) return null;
  const known = decodedTokens.get(token);
  if (known && known.secret === secret && Date.now() < known.expiresAt) return known.payload;
  decodedTokens.delete(token);
  const payload = await decode(params);
  if (payload && typeof payload.exp === "number") {
    if (decodedTokens.size >= DECODED_TOKENS_MAX) {
      const oldest = decodedTokens.keys().next();
      if (!oldest.done) decodedTokens.delete(oldest.value);
    }
    decodedTokens.set(token, {
      secret,
      payload: Object.freeze(payload),
      expiresAt: payload.exp * 1000,
    });
  }
  return payload;
}

/**
 * The admin in next-auth's session cookie (split into chunks when large), or
 * null when there is none, or it is tampered with or signed with another
 * secret, or its sign-in (`auth_time`) is older than SESSION_MAX_AGE however
 * often it was renewed, or it was signed out (`sid` revoked), or its email is
 * no longer on the admin lists: a removed admin loses access at once.
 */
export async function sessionFromCookieHeader(
  cookieHeader: string | null,
  headers: Headers = new Headers(),
): Promise<AdminSession | null> {
  const token = await getToken({
    // next-auth reads `cookies` (a Map is accepted) and `headers`.
    req: { cookies: parseCookies(cookieHeader), headers } as never,
    secret: authSecret(),
    secureCookie: secureCookies(),
    cookieName: sessionCookieName(),
    decode: decodeRemembered,
  });
  if (!token || typeof token.email !== "string" || token.email === "") return null;
  const authTime = token.auth_time;
  if (typeof authTime !== "number") return null;
  if (Date.now() / 1000 - authTime > serverEnv().SESSION_MAX_AGE) return null;
  const method = typeof token.method === "string" ? token.method : undefined;
  if (!isAdmitted(token.email, method)) return null;
  if (typeof token.sid !== "string" || (await revocationStore().isRevoked(token.sid))) return null;
  return { email: token.email, name: typeof token.name === "string" ? token.name : null };
}

/**
 * The signed-in admin behind a request, from the next-auth JWT cookie, or
 * null. Every route handler under /api calls this itself rather than trusting
 * the proxy's matcher. Works with any `Request`, so handlers are testable
 * outside Next's request scope.
 */
export async function getAdminSession(request: Request): Promise<AdminSession | null> {
  return sessionFromCookieHeader(request.headers.get("cookie"), request.headers);
}
