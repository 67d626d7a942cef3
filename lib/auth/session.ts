import "server-only";

import { getToken } from "next-auth/jwt";

import { authSecret } from "./secret";

export interface AdminSession {
  email: string;
  name: string | null;
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
 * The signed-in admin behind a request, from the next-auth JWT cookie, or
 * null. Every route handler under /api calls this itself rather than trusting
 * the proxy's matcher. Works with any `Request`, so handlers are testable
 * outside Next's request scope.
 */
export async function getAdminSession(request: Request): Promise<AdminSession | null> {
  const token = await getToken({
    // next-auth reads `cookies` (a Map is accepted) and `headers`.
    req: { cookies: parseCookies(request.headers.get("cookie")), headers: request.headers } as never,
    secret: authSecret(),
  });
  if (!token || typeof token.email !== "string" || token.email === "") return null;
  return { email: token.email, name: typeof token.name === "string" ? token.name : null };
}
