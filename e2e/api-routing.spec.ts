import { expect, test } from "./fixtures";

/**
 * What answers an `/api/...` request that no route serves, through the
 * production build's real routing (the unit tests call the handlers
 * directly): an anonymous caller gets the same 401 for an unknown path, a
 * wrong method and a real route; an admin gets JSON 404 and 405.
 */
const UNAUTHENTICATED = { error: { code: "unauthenticated", message: expect.any(String) } };

test.describe("API routing", () => {
  test("signed out, an unknown path or a wrong method answers 401 like any route", async ({
    request,
  }) => {
    for (const [method, path] of [
      ["GET", "/api/telnyx/users"],
      ["GET", "/api"],
      ["GET", "/api/nope"],
      ["GET", "/api/reviews/1/nope"],
      ["GET", "/api/telnyx"],
      ["GET", "/api/auth"],
      ["PUT", "/api/people"],
      ["GET", "/api/directory/sync"],
      ["DELETE", "/api/reviews"],
      ["OPTIONS", "/api/roster"],
      ["POST", "/api/health"],
      ["POST", "/api/nope"],
      ["PUT", "/api/auth/session"],
    ] as const) {
      const response = await request.fetch(path, { method, maxRedirects: 0 });
      expect(response.status(), `${method} ${path}`).toBe(401);
      expect(response.headers()["allow"], `${method} ${path}`).toBeUndefined();
      expect(await response.json(), `${method} ${path}`).toEqual(UNAUTHENTICATED);
    }
    // HEAD has no body, but the same status.
    expect((await request.head("/api/nope")).status()).toBe(401);
    expect((await request.head("/api/directory/sync")).status()).toBe(401);
  });

  test("the health check and next-auth's own endpoints still answer without a session", async ({
    request,
  }) => {
    const health = await request.get("/api/health");
    expect(health.status()).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
    const csrf = await request.get("/api/auth/csrf");
    expect(csrf.status()).toBe(200);
    expect(await csrf.json()).toEqual({ csrfToken: expect.any(String) });
    const session = await request.get("/api/auth/session");
    expect(session.status()).toBe(200);
  });

  test("signed in, an unknown path is a JSON 404 and a wrong method a JSON 405 with Allow", async ({
    page,
    signedIn,
  }) => {
    void signedIn;
    for (const path of ["/api", "/api/nope", "/api/reviews/1/nope", "/api/telnyx"]) {
      const response = await page.request.get(path, { maxRedirects: 0 });
      expect(response.status(), path).toBe(404);
      expect(response.headers()["content-type"], path).toMatch(/^application\/json/);
      expect(await response.json(), path).toEqual({
        error: { code: "not_found", message: `There is no API route at ${path}.` },
      });
    }
    for (const [method, path, allow] of [
      ["PUT", "/api/people", "GET, HEAD, OPTIONS"],
      ["GET", "/api/directory/sync", "POST, OPTIONS"],
      ["HEAD", "/api/directory/sync", "POST, OPTIONS"],
      ["PATCH", "/api/roster", "GET, HEAD, POST, DELETE, OPTIONS"],
      ["POST", "/api/health", "GET, HEAD, OPTIONS"],
      // A download answers no HEAD: Next.js would run its GET, starting an export for nothing.
      ["HEAD", "/api/telnyx/users/export", "GET, OPTIONS"],
      ["PUT", "/api/activity/export", "GET, OPTIONS"],
    ] as const) {
      const response = await page.request.fetch(path, { method });
      expect(response.status(), `${method} ${path}`).toBe(405);
      expect(response.headers()["allow"], `${method} ${path}`).toBe(allow);
      if (method === "HEAD") continue;
      expect(await response.json(), `${method} ${path}`).toMatchObject({
        error: { code: "method_not_allowed" },
      });
    }
    const options = await page.request.fetch("/api/roster", { method: "OPTIONS" });
    expect(options.status()).toBe(204);
    expect(options.headers()["allow"]).toBe("GET, HEAD, POST, DELETE, OPTIONS");
    // The routes themselves are untouched.
    expect((await page.request.get("/api/telnyx/users?limit=5")).status()).toBe(200);
    expect((await page.request.head("/api/directory/status")).status()).toBe(200);
  });

  test("a path that does not decode is 401, then 400 invalid_path or a 400 page, not a bare 500", async ({
    page,
    request,
    signedIn,
  }) => {
    void signedIn;
    const paths = ["/api/people/%", "/api/reviews/1%", "/api/exports/%E0%A4%A", "/api/%/users"];
    for (const path of paths) {
      const anonymous = await request.get(path, { maxRedirects: 0 });
      expect(anonymous.status(), path).toBe(401);
      expect(await anonymous.json(), path).toEqual(UNAUTHENTICATED);
      const admin = await page.request.get(path, { maxRedirects: 0 });
      expect(admin.status(), path).toBe(400);
      expect(await admin.json(), path).toMatchObject({ error: { code: "invalid_path" } });
    }
    const person = await page.request.get("/people/%C3", { maxRedirects: 0 });
    expect(person.status()).toBe(400);
    expect(await person.text()).toContain("This address is not valid");
    // A path that decodes still reaches its route.
    const known = await page.request.get("/api/people/nobody%40example.com");
    expect(known.status()).toBe(404);
    expect(await known.json()).toMatchObject({ error: { code: "not_found" } });
  });

  test("signed in, a wrong method from another site is refused before it is named", async ({
    page,
    signedIn,
  }) => {
    void signedIn;
    const response = await page.request.fetch("/api/people", {
      method: "PUT",
      headers: { origin: "https://evil.example" },
    });
    expect(response.status()).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "forbidden_origin" } });
  });
});
