import "server-only";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";

import { signInPath } from "./callback-url";
import { sessionFromCookieHeader, type AdminSession } from "./session";

/**
 * The signed-in admin for server components, or null. Reading cookies makes
 * the page dynamic, which the nonce-based CSP needs anyway. Cached per render
 * so a layout and a page can both ask.
 */
export const getPageSession = cache(async (): Promise<AdminSession | null> => {
  const store = await cookies();
  const header = store
    .getAll()
    .map((cookie) => `${cookie.name}=${encodeURIComponent(cookie.value)}`)
    .join("; ");
  return sessionFromCookieHeader(header);
});

/**
 * The signed-in admin, or a redirect to the sign-in page that comes back to
 * `returnTo`. The proxy already redirects anonymous page visits; this keeps a
 * page safe should the proxy's matcher ever miss it.
 */
export async function requirePageSession(returnTo: string): Promise<AdminSession> {
  const session = await getPageSession();
  if (!session) redirect(signInPath(returnTo));
  return session;
}
