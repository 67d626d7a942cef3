import { describe, expect, it } from "vitest";

import { adminCookieHeader } from "@/testing/auth";

import { ApiError } from "./errors";
import { adminDownload, adminMutation, adminRoute } from "./route";

const URL_ = "http://127.0.0.1:3000/api/thing";

async function request(init: RequestInit & { signedIn?: boolean } = {}): Promise<Request> {
  const headers = new Headers(init.headers);
  if (init.signedIn !== false) headers.set("cookie", await adminCookieHeader());
  return new Request(URL_, { ...init, headers });
}

describe("adminRoute", () => {
  it("answers 401 without a session and never runs the handler", async () => {
    let ran = false;
    const GET = adminRoute("GET /api/thing", async () => {
      ran = true;
      return Response.json({});
    });
    const res = await GET(await request({ signedIn: false }));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "unauthenticated" } });
    expect(ran).toBe(false);
  });

  it("gives the handler the admin and the route's params", async () => {
    const GET = adminRoute<{ id: string }>("GET /api/thing/[id]", async ({ session, params }) =>
      Response.json({ admin: session.email, id: params.id }),
    );
    const res = await GET(await request(), { params: Promise.resolve({ id: "42" }) });
    expect(await res.json()).toEqual({ admin: "admin@roster.test", id: "42" });
  });

  it("turns an ApiError into its answer, and anything else into a 500 without details", async () => {
    const GET = adminRoute("GET /api/thing", async () => {
      throw new ApiError("not_found", "No such thing.");
    });
    const res = await GET(await request());
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      error: { code: "not_found", message: "No such thing." },
    });

    const broken = adminRoute("GET /api/thing", async () => {
      throw new Error("secret detail");
    });
    const crash = await broken(await request());
    expect(crash.status).toBe(500);
    expect(await crash.text()).not.toContain("secret detail");
  });
});

describe("the query string", () => {
  it("refuses a parameter that is not percent-encoded UTF-8 with 400 naming it", async () => {
    let ran = false;
    const GET = adminRoute("GET /api/thing", async () => {
      ran = true;
      return Response.json({});
    });
    const headers = { cookie: await adminCookieHeader() };
    for (const query of ["email=jos%E9", "a=1&ad%FFmin=x", "email=%E0%A4%A"]) {
      const res = await GET(new Request(`${URL_}?${query}`, { headers }));
      expect(res.status, query).toBe(400);
      expect(await res.json()).toMatchObject({
        error: { code: "invalid_query", message: expect.stringContaining("percent-encoded UTF-8") },
      });
    }
    expect(ran).toBe(false);
    const fine = await GET(
      new Request(`${URL_}?email=jos%C3%A9+x&q=%EF%BF%BD&b&c=50%`, { headers }),
    );
    expect(fine.status).toBe(200);
    expect(ran).toBe(true);
  });
});

describe("a route that takes no query", () => {
  it("refuses any parameter with 400 invalid_query naming it, before the handler runs", async () => {
    let ran = 0;
    const handler = async () => {
      ran++;
      return Response.json({});
    };
    const headers = { cookie: await adminCookieHeader() };
    for (const wrapper of [adminRoute, adminDownload]) {
      const GET = wrapper("GET /api/thing", { noQuery: true }, handler);
      for (const [query, name] of [
        ["limit=10", "limit"],
        ["a&b=2", "a"],
        ["=x", ""],
      ]) {
        const res = await GET(new Request(`${URL_}?${query}`, { headers }));
        expect(res.status, query).toBe(400);
        expect(await res.json()).toEqual({
          error: {
            code: "invalid_query",
            message: `unknown parameter "${name}"; this route takes no query parameters`,
          },
        });
      }
      expect((await GET(new Request(`${URL_}?`, { headers }))).status).toBe(200);
    }
    const POST = adminMutation("POST /api/thing", { noQuery: true }, handler);
    const res = await POST(
      new Request(`${URL_}?dryRun=1`, { method: "POST", headers, body: "{}" }),
    );
    expect(res.status).toBe(400);
    expect(ran).toBe(2);
  });

  it("still wants a session first", async () => {
    const GET = adminRoute("GET /api/thing", { noQuery: true }, async () => Response.json({}));
    expect((await GET(new Request(`${URL_}?limit=10`))).status).toBe(401);
  });

  it("is a route's choice: without it, the handler reads the query", async () => {
    const GET = adminRoute("GET /api/thing", async ({ request }) =>
      Response.json({ q: new URL(request.url).searchParams.get("q") }),
    );
    const res = await GET(
      new Request(`${URL_}?q=1`, { headers: { cookie: await adminCookieHeader() } }),
    );
    expect(await res.json()).toEqual({ q: "1" });
  });
});

describe("adminMutation", () => {
  it("refuses another site's request before the handler reads the body", async () => {
    let ran = false;
    const POST = adminMutation("POST /api/thing", async () => {
      ran = true;
      return Response.json({});
    });
    const res = await POST(
      await request({ method: "POST", headers: { origin: "https://evil.example" }, body: "{}" }),
    );
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: "forbidden_origin" } });
    expect(ran).toBe(false);
  });

  it("lets the same origin through, and still wants a session first", async () => {
    const POST = adminMutation("POST /api/thing", async () => Response.json({ ok: true }));
    const same = { method: "POST", headers: { origin: "http://127.0.0.1:3000" } };
    expect((await POST(await request(same))).status).toBe(200);
    expect((await POST(await request({ ...same, signedIn: false }))).status).toBe(401);
  });
});

describe("adminDownload", () => {
  it("refuses a download another site's page started (a link there), before the handler runs", async () => {
    let ran = 0;
    const GET = adminDownload("GET /api/thing/export", async () => {
      ran++;
      return new Response("id\r\n");
    });
    // A top-level navigation sends the Lax session cookie and no Origin; the browser says where it came from.
    const res = await GET(await request({ headers: { "sec-fetch-site": "cross-site" } }));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: "forbidden_origin" } });
    expect(ran).toBe(0);
    // Roster's own pages, the address bar or a bookmark, and clients that send no such header.
    for (const site of ["same-origin", "none", null]) {
      const headers: Record<string, string> = site ? { "sec-fetch-site": site } : {};
      expect((await GET(await request({ headers }))).status, String(site)).toBe(200);
    }
    expect(ran).toBe(3);
  });

  it("still wants a session first", async () => {
    const GET = adminDownload("GET /api/thing/export", async () => new Response(""));
    const res = await GET(
      await request({ signedIn: false, headers: { "sec-fetch-site": "cross-site" } }),
    );
    expect(res.status).toBe(401);
  });
});
