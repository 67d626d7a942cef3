import "server-only";

import { getToken } from "next-auth/jwt";

import { serverEnv } from "@/lib/server-env";

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

/**
 * The admin in next-auth's session cookie (split into chunks when large), or
 * null when there is none or it is expired, tampered with or signed with
 * another secret.
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
  });
  if (!token || typeof token.email !== "string" || token.email === "") return null;
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
