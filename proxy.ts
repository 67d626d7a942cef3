import { NextResponse, type NextRequest } from "next/server";

import { AUTH_ERROR_PATH, SIGN_IN_PATH, signInPath } from "@/lib/auth/callback-url";
import { getAdminSession, secureCookies } from "@/lib/auth/session";
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
  if (!isPublicPage(pathname) && !(await getAdminSession(request))) {
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

export const config = {
  matcher: [
    // Everything but API routes, Next's own assets and files with an extension (public/).
    "/((?!api/|api$|_next/|__nextjs|favicon\\.ico$|.*\\.[a-zA-Z0-9]+$).*)",
    // A person's page ends in the address's domain (`/people/ana%40example.com`), which the
    // pattern above takes for a file's extension: without this, it got no CSP.
    "/people/:key+",
  ],
};
