import { NextResponse, type NextRequest } from "next/server";

import { AUTH_ERROR_PATH, SIGN_IN_PATH, signInPath } from "@/lib/auth/callback-url";
import { getAdminSession, secureCookies, type AdminSession } from "@/lib/auth/session";
import { databaseUnavailableReason } from "@/lib/db/unavailable";
import { createNonce, pageContentSecurityPolicy } from "@/lib/security/headers.mjs";

/** Pages anyone may see: where anonymous visitors are sent, and where sign-in failures land. */
const PUBLIC_PAGES = [SIGN_IN_PATH, AUTH_ERROR_PATH];

function isPublicPage(pathname: string): boolean {
  return PUBLIC_PAGES.some((page) => pathname === page || pathname.startsWith(`${page}/`));
}

/**
 * Runs before every page (see `config.matcher`): anonymous visitors go to the
 * sign-in page, and each response gets a Content-Security-Policy with a fresh
 * nonce that Next.js also stamps on its scripts. API routes are not matched:
 * they check the session themselves and answer 401, never a redirect; their
 * headers come from next.config.mjs.
 */
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  let session: AdminSession | null = null;
  if (!isPublicPage(pathname)) {
    try {
      session = await getAdminSession(request);
    } catch (error) {
      const unreachable = databaseUnavailableReason(error);
      if (unreachable === null) throw error;
      console.warn(`[roster] page ${pathname}: database_unavailable (${unreachable})`);
      return databaseUnavailablePage();
    }
  }
  if (!isPublicPage(pathname) && !session) {
    return NextResponse.redirect(new URL(signInPath(`${pathname}${search}`), request.url));
  }

  const nonce = createNonce();
  const csp = pageContentSecurityPolicy({
    nonce,
    development: process.env.NODE_ENV === "development",
    https: secureCookies(),
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

/**
 * A page while the database is out of reach (a session is checked against its
 * revocations): a plain 503 that says so and asks to retry, rather than
 * Next.js's bare "Internal Server Error" and a stack trace in the log.
 */
function databaseUnavailablePage(): NextResponse {
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Roster is unavailable</title></head>' +
    "<body><main><h1>Roster’s database is not answering</h1>" +
    "<p>Try again in a moment. If this lasts, check Roster’s database (see /api/health).</p></main></body></html>";
  return new NextResponse(html, {
    status: 503,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Retry-After": "5",
      "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    },
  });
}

export const config = {
  matcher: [
    // Everything but API routes, Next's own assets and files with an extension (public/).
    "/((?!api/|api$|_next/|__nextjs|favicon\\.ico$|.*\\.[a-zA-Z0-9]+$).*)",
    // A person's page ends in the address's domain (`/people/ana%40example.com`), which the
    // pattern above takes for a file's extension: without this, it got no CSP.
    "/people/:key+",
  ],
};
