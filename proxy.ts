import { NextResponse, type NextRequest } from "next/server";

import { ApiError, errorResponse, unauthenticated } from "@/lib/api/errors";
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
 * The first segment of a path that does not decode (`%`, `%E0%A4%A`), or
 * null. Next.js decodes a dynamic route's segments with `decodeURIComponent`;
 * one that throws got its bare "Internal Server Error" (500, text/plain).
 */
export function undecodableSegment(pathname: string): string | null {
  for (const segment of pathname.split("/")) {
    try {
      decodeURIComponent(segment);
    } catch {
      return segment;
    }
  }
  return null;
}

/** A segment as a message quotes it: at most 40 characters. */
function quoted(segment: string): string {
  return JSON.stringify(segment.length > 40 ? `${segment.slice(0, 40)}…` : segment);
}

/**
 * Runs before every page (see `config.matcher`): anonymous visitors go to the
 * sign-in page, a path that does not decode gets a 400 page, and each response
 * gets a Content-Security-Policy with a fresh nonce that Next.js also stamps
 * on its scripts. API routes check the session themselves and answer 401,
 * never a redirect; their headers come from next.config.mjs. Of them, only
 * paths with a `%` are matched, for the one thing a route cannot answer
 * itself: a path Next.js cannot decode.
 */
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (pathname === "/api" || pathname.startsWith("/api/")) return apiPath(request, pathname);
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
  const segment = undecodableSegment(pathname);
  if (segment !== null) return badPathPage(segment);

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
 * An API path with a `%`: passed on when it decodes. One that does not gets
 * the routes' own answers, session first: 401 `unauthenticated`, else 400
 * `invalid_path` quoting the segment.
 */
async function apiPath(request: NextRequest, pathname: string): Promise<Response> {
  const segment = undecodableSegment(pathname);
  if (segment === null) return NextResponse.next();
  try {
    if (!(await getAdminSession(request))) throw unauthenticated();
    throw new ApiError(
      "invalid_path",
      `The path segment ${quoted(segment)} is not percent-encoded UTF-8.`,
    );
  } catch (error) {
    return errorResponse(error, `${request.method} ${pathname}`, request);
  }
}

/** 400 for a page whose address does not decode, rather than Next.js's bare 500. */
function badPathPage(segment: string): NextResponse {
  const text = quoted(segment).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not a valid address</title></head>' +
    "<body><main><h1>This address is not valid</h1>" +
    `<p>Its part ${text} is not percent-encoded UTF-8. <a href="/">Go to Roster’s users</a>.</p></main></body></html>`;
  return new NextResponse(html, {
    status: 400,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    },
  });
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
    // API paths with a percent sign: one that does not decode is answered here (apiPath).
    "/api/:path(.*%.*)",
  ],
};
