import "server-only";

import { getAdminSession, type AdminSession } from "@/lib/auth/session";

import { ApiError, errorResponse, unauthenticated } from "./errors";
import { badlyEncodedField } from "./query-params";
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
      if (kind === "download") {
        assertNotCrossSite(request);
        if (request.method === "HEAD") return methodNotAllowed(request, DOWNLOAD_ALLOW);
      }
      const badParam = badlyEncodedField(new URL(request.url).search.slice(1));
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
 * Marks a download's handler, so that `otherMethods` leaves HEAD out of its
 * `Allow`. A download does not answer HEAD (405): Next.js would run the GET
 * handler for it, which starts the export and logs a download of bytes never sent.
 */
const DOWNLOAD = Symbol("roster.download");

const isDownload = (handler: unknown) => typeof handler === "function" && DOWNLOAD in handler;

/** What a download answers: GET, and OPTIONS from `otherMethods`. */
const DOWNLOAD_ALLOW = "GET, OPTIONS";

/**
 * `adminRoute` for a file download that the activity log records (an export,
 * a review's evidence): also refuses a navigation started by another site's
 * page (403 `forbidden_origin`). The session cookie is `SameSite=Lax`, so a
 * link elsewhere would otherwise make an admin's browser run the export and
 * log it in their name. Links from Roster's own pages, the address bar,
 * bookmarks and scripts without a browser's `Sec-Fetch-Site` pass.
 */
export function adminDownload<P = NoParams>(name: string, ...args: WrapArgs<P>): NextHandler<P> {
  return Object.assign(wrapArgs(name, args, "download"), { [DOWNLOAD]: true });
}

/**
 * `adminRoute` for a route that changes state: also refuses a request sent by
 * another site's page (403 `forbidden_origin`) before the handler reads a byte
 * of its body. Bodies are read through lib/api/request-guards.ts, bounded.
 */
export function adminMutation<P = NoParams>(name: string, ...args: WrapArgs<P>): NextHandler<P> {
  return wrapArgs(name, args, "mutation");
}

/** The methods an `Allow` header may name, in its order. */
const ALLOW_ORDER = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
/** The methods a route file exports. Not HEAD: Next.js answers it with the GET export. */
const HTTP_METHODS = ALLOW_ORDER.filter((method) => method !== "HEAD");
type HttpMethod = Exclude<(typeof ALLOW_ORDER)[number], "HEAD">;

/** A handler for what no route serves: it reads no params. */
type Fallback = (request: Request) => Promise<Response>;

/**
 * The checks every API request passes before `answer` (which only refuses):
 * a session (401, so an anonymous caller cannot tell an unknown path or a
 * wrong method from a route), then for anything but GET and HEAD the origin
 * rules of a state-changing route (403 `forbidden_origin`).
 */
function refusal(answer: (request: Request) => Response): Fallback {
  return async (request) => {
    try {
      if (!(await getAdminSession(request))) throw unauthenticated();
      if (request.method !== "GET" && request.method !== "HEAD") assertSameOrigin(request);
      return answer(request);
    } catch (error) {
      return errorResponse(error, `${request.method} ${new URL(request.url).pathname}`, request);
    }
  };
}

/** 405 `method_not_allowed`, with an `Allow` header naming what the route answers. */
function methodNotAllowed(request: Request, allow: string): Response {
  const response = new ApiError(
    "method_not_allowed",
    `${request.method} is not allowed here; this route answers ${allow}.`,
  ).toResponse();
  response.headers.set("Allow", allow);
  return response;
}

/**
 * Handlers for every method a route file does not export, so that a wrong
 * method answers like the route's own errors instead of Next.js's bare 405:
 * 401 without a session, 403 from another site (but GET and HEAD), then 405
 * `method_not_allowed` with an `Allow` header; OPTIONS answers 204 with it.
 * At the end of each route file:
 * `export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });`
 */
export function otherMethods<const D extends Partial<Record<HttpMethod, unknown>>>(
  defined: D,
): Record<Exclude<HttpMethod, keyof D>, Fallback> {
  const served = (method: string) =>
    method in defined ||
    method === "OPTIONS" ||
    (method === "HEAD" && "GET" in defined && !isDownload(defined.GET));
  const allow = ALLOW_ORDER.filter(served).join(", ");
  const headers = { ...NO_STORE, Allow: allow };
  const handlers: Partial<Record<HttpMethod, Fallback>> = {};
  for (const method of HTTP_METHODS) {
    if (method in defined) continue;
    handlers[method] = refusal((request) => {
      if (request.method === "OPTIONS") return new Response(null, { status: 204, headers });
      return methodNotAllowed(request, allow);
    });
  }
  return handlers as Record<Exclude<HttpMethod, keyof D>, Fallback>;
}

/**
 * Every method of `app/api/[[...path]]`, the catch-all that answers an `/api/...`
 * path no route file serves: 401 without a session, 403 from another site
 * (but GET and HEAD), then 404 `not_found` in JSON rather than Next.js's HTML page.
 */
export function noSuchRoute(): Record<HttpMethod, Fallback> {
  const handler = refusal((request) =>
    new ApiError(
      "not_found",
      `There is no API route at ${new URL(request.url).pathname}.`,
    ).toResponse(),
  );
  return Object.fromEntries(HTTP_METHODS.map((method) => [method, handler])) as Record<
    HttpMethod,
    Fallback
  >;
}
