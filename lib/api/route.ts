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

/**
 * The first query parameter of a route that takes none: it would be ignored
 * silently, so a typo or a filter sent to the wrong route would look applied.
 */
function unexpectedParam(url: string): string | null {
  const [first] = new URL(url).searchParams.keys();
  return first ?? null;
}

/** What a route does, and so which requests from other sites it refuses. */
type RouteKind = "read" | "download" | "mutation";

export interface RouteOptions {
  /**
   * The route takes no query string: any parameter is 400 `invalid_query`
   * naming it, rather than ignored. Routes that take one refuse unknown
   * parameters where they parse it (lib/api/query-params.ts).
   */
  noQuery?: boolean;
}

function wrap<P>(
  name: string,
  handler: Handler<P>,
  kind: RouteKind,
  options: RouteOptions,
): NextHandler<P> {
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
      const unexpected = options.noQuery ? unexpectedParam(request.url) : null;
      if (unexpected !== null) {
        throw new ApiError(
          "invalid_query",
          `unknown parameter "${unexpected}"; this route takes no query parameters`,
        );
      }
      const params = (await context?.params) ?? ({} as P);
      return await handler({ request, session, params });
    } catch (error) {
      return errorResponse(error, name, request);
    }
  };
}

/** A handler, optionally after the route's options: `adminRoute(name, { noQuery: true }, handler)`. */
type WrapArgs<P> = [handler: Handler<P>] | [options: RouteOptions, handler: Handler<P>];

function wrapArgs<P>(name: string, args: WrapArgs<P>, kind: RouteKind): NextHandler<P> {
  return args.length === 1 ? wrap(name, args[0], kind, {}) : wrap(name, args[1], kind, args[0]);
}

/**
 * A route handler for signed-in admins: 401 without a session, and any error
 * turned into its JSON answer (ApiError codes; anything else a logged 500).
 * `name` (`GET /api/people`) labels the log line.
 */
export function adminRoute<P = NoParams>(name: string, ...args: WrapArgs<P>): NextHandler<P> {
  return wrapArgs(name, args, "read");
}

/**
 * `adminRoute` for a file download that the activity log records (an export,
 * a review's evidence): also refuses a navigation started by another site's
 * page (403 `forbidden_origin`). The session cookie is `SameSite=Lax`, so a
 * link elsewhere would otherwise make an admin's browser run the export and
 * log it in their name. Links from Roster's own pages, the address bar,
 * bookmarks and scripts without a browser's `Sec-Fetch-Site` pass.
 */
export function adminDownload<P = NoParams>(name: string, ...args: WrapArgs<P>): NextHandler<P> {
  return wrapArgs(name, args, "download");
}

/**
 * `adminRoute` for a route that changes state: also refuses a request sent by
 * another site's page (403 `forbidden_origin`) before the handler reads a byte
 * of its body. Bodies are read through lib/api/request-guards.ts, bounded.
 */
export function adminMutation<P = NoParams>(name: string, ...args: WrapArgs<P>): NextHandler<P> {
  return wrapArgs(name, args, "mutation");
}
