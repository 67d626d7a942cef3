import "server-only";

import { getAdminSession, type AdminSession } from "@/lib/auth/session";

import { ApiError, errorResponse, unauthenticated } from "./errors";
import { assertNotCrossSite, assertSameOrigin } from "./request-guards";

/** Every API answer about an admin's data: never cached by a browser or a proxy. */
export const NO_STORE = { "Cache-Control": "no-store" } as const;

export interface RouteInput<P> {
  request: Request;
  /** The signed-in admin: checked before the handler runs. */
  session: AdminSession;
  /** The route's dynamic segments (`[provider]`, `[id]` ...). */
  params: P;
}

type Handler<P> = (input: RouteInput<P>) => Promise<Response>;
/** As Next.js calls it; tests may call it without a context. */
type NextHandler<P> = (request: Request, context?: { params: Promise<P> }) => Promise<Response>;

/** The params of a route without dynamic segments. */
type NoParams = Record<string, string>;

/**
 * The first query parameter (its name as sent) whose name or value holds a
 * percent-encoded byte sequence that is not UTF-8 (`%E9`, Latin-1 "é"):
 * URLSearchParams reads it as U+FFFD, so a filter would silently match
 * nothing. A `%` not followed by two hex digits is the character itself.
 */
function badlyEncodedParam(url: string): string | null {
  for (const part of new URL(url).search.slice(1).split("&")) {
    try {
      decodeURIComponent(part.replace(/\+/g, " ").replace(/%(?![0-9a-fA-F]{2})/g, "%25"));
    } catch {
      return part.split("=")[0] ?? part;
    }
  }
  return null;
}

/** What a route does, and so which requests from other sites it refuses. */
type RouteKind = "read" | "download" | "mutation";

function wrap<P>(name: string, handler: Handler<P>, kind: RouteKind): NextHandler<P> {
  return async (request, context) => {
    try {
      // The session first, so an anonymous caller learns nothing, not even which routes exist.
      const session = await getAdminSession(request);
      if (!session) throw unauthenticated();
      if (kind === "mutation") assertSameOrigin(request);
      if (kind === "download") assertNotCrossSite(request);
      const badParam = badlyEncodedParam(request.url);
      if (badParam !== null) {
        throw new ApiError("invalid_query", `${badParam} is not percent-encoded UTF-8`);
      }
      const params = (await context?.params) ?? ({} as P);
      return await handler({ request, session, params });
    } catch (error) {
      return errorResponse(error, name, request);
    }
  };
}

/**
 * A route handler for signed-in admins: 401 without a session, and any error
 * turned into its JSON answer (ApiError codes; anything else a logged 500).
 * `name` (`GET /api/people`) labels the log line.
 */
export function adminRoute<P = NoParams>(name: string, handler: Handler<P>): NextHandler<P> {
  return wrap(name, handler, "read");
}

/**
 * `adminRoute` for a file download that the activity log records (an export,
 * a review's evidence): also refuses a navigation started by another site's
 * page (403 `forbidden_origin`). The session cookie is `SameSite=Lax`, so a
 * link elsewhere would otherwise make an admin's browser run the export and
 * log it in their name. Links from Roster's own pages, the address bar,
 * bookmarks and scripts without a browser's `Sec-Fetch-Site` pass.
 */
export function adminDownload<P = NoParams>(name: string, handler: Handler<P>): NextHandler<P> {
  return wrap(name, handler, "download");
}

/**
 * `adminRoute` for a route that changes state: also refuses a request sent by
 * another site's page (403 `forbidden_origin`) before the handler reads a byte
 * of its body. Bodies are read through lib/api/request-guards.ts, bounded.
 */
export function adminMutation<P = NoParams>(name: string, handler: Handler<P>): NextHandler<P> {
  return wrap(name, handler, "mutation");
}
