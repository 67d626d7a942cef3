/**
 * Every route handler under app/api, found on disk so a new route cannot be
 * forgotten, must answer an anonymous caller 401 `unauthenticated` (JSON, never
 * a redirect) and must not answer 401 to a signed-in admin; routes that change
 * state or download a logged file refuse what another site's page started.
 * Every route file answers every method (a wrong one 405 in JSON, after the
 * session), and app/api/[[...path]] every path no route serves (404 in JSON,
 * after the session), so an anonymous caller cannot tell which routes exist.
 * next-auth's own routes (app/api/auth) are how one signs in, and the health
 * check (app/api/health) is for load balancers and says only "ok" or
 * "unavailable".
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { resetEnvCache } from "@/lib/env.mjs";
import { adminCookieHeader } from "@/testing/auth";
import { closeDb, useDbForTests } from "@/lib/db/client";
import { createTestDb, type TestDbHandle } from "@/testing/db";

import { OPTIONS as optionsAuth, PUT as putAuth } from "./auth/[...nextauth]/route";
import { GET as getPeople, PUT as putPeople } from "./people/route";
import { GET as getSync, OPTIONS as optionsSync } from "./directory/sync/route";
import { OPTIONS as optionsRoster, PATCH as patchRoster } from "./roster/route";

const API_DIR = path.dirname(fileURLToPath(import.meta.url));
const EXCLUDED = new Set([path.join(API_DIR, "auth"), path.join(API_DIR, "health")]);
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** Values for dynamic segments that reach past parameter validation to the session check. */
const PLAUSIBLE_PARAMS: Record<string, string> = { provider: "telnyx", id: "1" };

interface RouteFile {
  file: string;
  /** URL path with plausible values in the dynamic segments. */
  url: string;
  params: Record<string, string | string[]>;
}

function findRoutes(dir: string): RouteFile[] {
  const found: RouteFile[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!EXCLUDED.has(full)) found.push(...findRoutes(full));
    } else if (/^route\.(ts|tsx|js|mjs)$/.test(entry.name)) {
      found.push(describeRoute(full));
    }
  }
  return found;
}

function describeRoute(file: string): RouteFile {
  const params: Record<string, string | string[]> = {};
  const segments = path
    .relative(API_DIR, path.dirname(file))
    .split(path.sep)
    .filter((segment) => segment !== "" && !/^\(.*\)$/.test(segment))
    .flatMap((segment) => {
      const catchAll = /^\[\[?\.\.\.(\w+)\]\]?$/.exec(segment);
      if (catchAll?.[1]) {
        params[catchAll[1]] = ["x"];
        return ["x"];
      }
      const dynamic = /^\[(\w+)\]$/.exec(segment);
      if (dynamic?.[1]) {
        const value = PLAUSIBLE_PARAMS[dynamic[1]] ?? "x";
        params[dynamic[1]] = value;
        return [value];
      }
      return [segment];
    });
  return { file, url: `http://127.0.0.1/api/${segments.join("/")}`, params };
}

type Handler = (
  request: Request,
  context: { params: Promise<unknown> },
) => Promise<Response> | Response;

async function handlersOf(route: RouteFile): Promise<[string, Handler][]> {
  const mod = (await import(/* @vite-ignore */ route.file)) as Record<string, unknown>;
  return HTTP_METHODS.flatMap((method) => {
    const handler = mod[method];
    return typeof handler === "function" ? [[method, handler as Handler] as [string, Handler]] : [];
  });
}

async function call(
  route: RouteFile,
  method: string,
  handler: Handler,
  cookie?: string,
  extraHeaders: Record<string, string> = {},
  query = "",
): Promise<Response> {
  const headers = new Headers({ accept: "application/json", ...extraHeaders });
  if (cookie) headers.set("cookie", cookie);
  const hasBody = !["GET", "HEAD", "OPTIONS"].includes(method);
  const request = new Request(`${route.url}${query}`, {
    method,
    headers,
    body: hasBody ? "{}" : undefined,
  });
  return handler(request, { params: Promise.resolve(route.params) });
}

const routes = findRoutes(API_DIR);
/** app/api/[[...path]]: what answers a path no other route serves. */
const CATCH_ALL = path.join(API_DIR, "[[...path]]", "route.ts");

type ErrorBody = { error?: { code?: unknown; message?: unknown } };

let db: TestDbHandle;

beforeAll(async () => {
  // No vendor keys: a signed-in call stops at "not configured" instead of reaching a real vendor.
  vi.stubEnv("TELNYX_API_KEY", "");
  vi.stubEnv("OPENAI_ADMIN_KEY", "");
  resetEnvCache();
  // An empty database of its own, so routes that read the store answer as they would.
  db = await createTestDb("pglite");
  useDbForTests(db);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  resetEnvCache();
  await closeDb();
});

describe("API route discovery", () => {
  it("finds the route handlers under app/api, and none of next-auth's", () => {
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes)
      expect(route.file).not.toContain(`${path.sep}api${path.sep}auth${path.sep}`);
  });

  it("finds a handler in every route file", async () => {
    for (const route of routes)
      expect((await handlersOf(route)).length, route.file).toBeGreaterThan(0);
  });

  it("finds every method in every route file but HEAD, which Next.js answers with GET", async () => {
    expect(routes.map((route) => route.file)).toContain(CATCH_ALL);
    for (const route of routes) {
      const methods = (await handlersOf(route)).map(([method]) => method);
      expect(methods, route.file).toEqual(HTTP_METHODS.filter((method) => method !== "HEAD"));
    }
  });
});

describe("a method a route does not serve, signed in", () => {
  const BASE = "http://127.0.0.1/api";

  it("answers 405 method_not_allowed in JSON with the methods it serves in Allow", async () => {
    const cookie = await adminCookieHeader();
    const put = await putPeople(
      new Request(`${BASE}/people`, { method: "PUT", headers: { cookie } }),
    );
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(put.headers.get("cache-control")).toBe("no-store");
    expect(await put.json()).toEqual({
      error: {
        code: "method_not_allowed",
        message: "PUT is not allowed here; this route answers GET, HEAD, OPTIONS.",
      },
    });
    // Next.js answers HEAD with the GET export.
    for (const method of ["GET", "HEAD"]) {
      const response = await getSync(
        new Request(`${BASE}/directory/sync`, { method, headers: { cookie } }),
      );
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST, OPTIONS");
    }
    const patch = await patchRoster(
      new Request(`${BASE}/roster`, { method: "PATCH", headers: { cookie } }),
    );
    expect(patch.headers.get("allow")).toBe("GET, HEAD, POST, DELETE, OPTIONS");
  });

  it("answers OPTIONS 204 with Allow, and only to a session", async () => {
    const cookie = await adminCookieHeader();
    const options = (init: RequestInit = {}) =>
      optionsRoster(new Request(`${BASE}/roster`, { method: "OPTIONS", ...init }));
    const answer = await options({ headers: { cookie } });
    expect(answer.status).toBe(204);
    expect(answer.headers.get("allow")).toBe("GET, HEAD, POST, DELETE, OPTIONS");
    const anonymous = await options();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("allow")).toBeNull();
    const sync = await optionsSync(
      new Request(`${BASE}/directory/sync`, { method: "OPTIONS", headers: { cookie } }),
    );
    expect(sync.headers.get("allow")).toBe("POST, OPTIONS");
  });

  it("on next-auth's route too, which answers GET and POST itself", async () => {
    const cookie = await adminCookieHeader();
    const url = `${BASE}/auth/session`;
    const anonymous = await putAuth(new Request(url, { method: "PUT" }));
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as ErrorBody).error?.code).toBe("unauthenticated");
    const put = await putAuth(new Request(url, { method: "PUT", headers: { cookie } }));
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, HEAD, POST, OPTIONS");
    const options = await optionsAuth(new Request(url, { method: "OPTIONS", headers: { cookie } }));
    expect(options.status).toBe(204);
  });

  it("keeps the route's own handlers where it serves the method", async () => {
    const cookie = await adminCookieHeader();
    const response = await getPeople(new Request(`${BASE}/people`, { headers: { cookie } }));
    expect(response.status).toBe(200);
  });
});

describe("an /api/... path no route serves (app/api/[[...path]])", () => {
  const catchAll = describeRoute(CATCH_ALL);
  const unknown = { ...catchAll, url: "http://127.0.0.1/api/reviews/1/nope" };

  it("answers every method 401 signed out, as a route would", async () => {
    for (const [method, handler] of await handlersOf(catchAll)) {
      const response = await call(unknown, method, handler);
      expect(response.status, method).toBe(401);
      expect(response.headers.get("allow"), method).toBeNull();
      if (method === "HEAD") continue;
      expect(((await response.json()) as ErrorBody).error?.code, method).toBe("unauthenticated");
    }
  });

  it("answers every method 404 not_found in JSON signed in, naming the path", async () => {
    const cookie = await adminCookieHeader();
    for (const [method, handler] of await handlersOf(catchAll)) {
      const response = await call(unknown, method, handler, cookie, {}, "?limit=10");
      expect(response.status, method).toBe(404);
      expect(response.headers.get("content-type"), method).toMatch(/^application\/json/);
      expect(response.headers.get("cache-control"), method).toBe("no-store");
      if (method === "HEAD") continue;
      expect(await response.json(), method).toEqual({
        error: { code: "not_found", message: "There is no API route at /api/reviews/1/nope." },
      });
    }
  });

  it("refuses a state-changing method from another site's page before saying so", async () => {
    const cookie = await adminCookieHeader();
    for (const [method, handler] of await handlersOf(catchAll)) {
      const response = await call(unknown, method, handler, cookie, {
        origin: "https://evil.example",
      });
      await response.body?.cancel();
      expect(response.status, method).toBe(["GET", "HEAD"].includes(method) ? 404 : 403);
    }
  });
});

describe.each(routes.map((route) => [path.relative(API_DIR, route.file), route] as const))(
  "app/api/%s",
  (_, route) => {
    const download = /\/export$|\.(csv|json)$/.test(new URL(route.url).pathname);

    it("answers anonymous callers 401 unauthenticated in JSON, never a redirect", async () => {
      for (const [method, handler] of await handlersOf(route)) {
        const response = await call(route, method, handler, undefined, {}, "?limit=10");
        expect(response.status, method).toBe(401);
        expect(response.headers.get("location"), method).toBeNull();
        if (method !== "HEAD") {
          expect(response.headers.get("content-type"), method).toMatch(/^application\/json/);
          const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
          expect(body.error?.code, method).toBe("unauthenticated");
          expect(typeof body.error?.message, method).toBe("string");
        }
      }
    });

    it("refuses a request another site's page started, unless it only reads JSON", async () => {
      const cookie = await adminCookieHeader();
      // A download (an export, a review's evidence) is logged in the admin's name: a link on
      // another site must not start one. Other GETs answer JSON that such a page cannot read.
      for (const [method, handler] of await handlersOf(route)) {
        const response = await call(route, method, handler, cookie, {
          "sec-fetch-site": "cross-site",
        });
        await response.body?.cancel();
        const refused = download || !["GET", "HEAD"].includes(method);
        if (refused) expect(response.status, method).toBe(403);
        else expect(response.status, method).not.toBe(403);
      }
    });

    it("does not answer 401 to a signed-in admin", async () => {
      const cookie = await adminCookieHeader();
      for (const [method, handler] of await handlersOf(route)) {
        const response = await call(route, method, handler, cookie);
        await response.body?.cancel();
        expect(response.status, method).not.toBe(401);
        expect(response.status, `${method} failed on the server`).not.toBe(500);
      }
    });

    it.skipIf(route.file === CATCH_ALL)(
      "answers what it does not serve 405 with Allow naming what it does, and OPTIONS 204",
      async () => {
        const cookie = await adminCookieHeader();
        const served: string[] = [];
        const allows = new Set<string | null>();
        for (const [method, handler] of await handlersOf(route)) {
          const response = await call(route, method, handler, cookie);
          if (method === "OPTIONS") {
            expect(response.status).toBe(204);
            allows.add(response.headers.get("allow"));
          } else if (response.status === 405) {
            allows.add(response.headers.get("allow"));
            if (method !== "HEAD") {
              expect(((await response.json()) as ErrorBody).error?.code, method).toBe(
                "method_not_allowed",
              );
            }
          } else served.push(method);
          if (!response.bodyUsed) await response.body?.cancel();
        }
        expect(served.length).toBeGreaterThan(0);
        // Next.js answers HEAD with GET, but a download refuses it: it would start the export
        // and log a download of bytes never sent.
        if (served.includes("GET") && !download) served.push("HEAD");
        if (download) expect(served).not.toContain("HEAD");
        const allow = HTTP_METHODS.filter((m) => served.includes(m) || m === "OPTIONS");
        expect([...allows]).toEqual([allow.join(", ")]);
      },
    );

    it.skipIf(route.file === CATCH_ALL)(
      "refuses a query parameter it does not take with 400 invalid_query naming it",
      async () => {
        const cookie = await adminCookieHeader();
        for (const [method, handler] of await handlersOf(route)) {
          const response = await call(route, method, handler, cookie, {}, "?zz_unknown=1");
          // A method the route does not serve says so first; OPTIONS answers what it serves.
          const plain = await call(route, method, handler, cookie);
          await plain.body?.cancel();
          const wrongMethod = plain.status === 405;
          if (method === "OPTIONS" || wrongMethod) {
            await response.body?.cancel();
            expect(response.status, method).not.toBe(400);
            continue;
          }
          expect(response.status, method).toBe(400);
          const body = (await response.json()) as ErrorBody;
          expect(body.error?.code, method).toBe("invalid_query");
          expect(body.error?.message, method).toContain('unknown parameter "zz_unknown"');
        }
      },
    );
  },
);
