import type { APIResponse } from "@playwright/test";

import { expect, test } from "./fixtures";

/** Headers every response carries in production, whatever its type. */
function expectBaseHeaders(response: APIResponse) {
  const headers = response.headers();
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"]).toMatch(/(^|, )camera=\(\)/);
  expect(headers["permissions-policy"]).toMatch(/(^|, )microphone=\(\)/);
  expect(headers["permissions-policy"]).toMatch(/(^|, )geolocation=\(\)/);
  expect(headers["strict-transport-security"]).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
  expect(headers["x-powered-by"]).toBeUndefined();
}

function csp(response: APIResponse): Map<string, string> {
  const value = response.headers()["content-security-policy"] ?? "";
  // Exactly one policy: two would be enforced together.
  expect(value).not.toContain("\n");
  return new Map(
    value.split(";").map((part) => {
      const [name = "", ...values] = part.trim().split(/\s+/);
      return [name, values.join(" ")];
    }),
  );
}

test.describe("security headers (production build)", () => {
  test("pages carry a nonce-based CSP without unsafe-eval, and their scripts carry the nonce", async ({
    request,
  }) => {
    const response = await request.get("/signin");
    expect(response.status()).toBe(200);
    expectBaseHeaders(response);
    const policy = csp(response);
    const nonce = /'nonce-([^']+)'/.exec(policy.get("script-src") ?? "")?.[1];
    expect(nonce).toBeTruthy();
    expect(policy.get("script-src")).not.toMatch(/unsafe-eval|unsafe-inline/);
    expect(policy.get("frame-ancestors")).toBe("'none'");
    expect(policy.get("object-src")).toBe("'none'");

    const html = await response.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

    const again = csp(await request.get("/signin")).get("script-src");
    expect(again).not.toBe(policy.get("script-src"));
  });

  test("the dashboard renders and runs under the policy without violations", async ({
    page,
    signedIn,
  }) => {
    void signedIn;
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|Permissions-Policy/i.test(message.text()))
        violations.push(message.text());
    });
    // The list is fetched from the browser, so this answer proves the page's scripts ran.
    const usersFetched = page.waitForResponse(
      (r) => new URL(r.url()).pathname === "/api/telnyx/users",
    );
    const response = await page.goto("/?provider=telnyx");
    expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-/);
    expect((await usersFetched).status()).toBe(200);
    await expect(page.getByRole("button", { name: "Sign out" })).toBeEnabled();
    expect(violations).toEqual([]);
  });

  test("a person's page, whose address ends like a file name (.com), gets the page policy too", async ({
    page,
    signedIn,
  }) => {
    void signedIn;
    for (const path of ["/people/ana%40example.com", "/people/ana@example.com"]) {
      // No such person: the page's own 404, still an HTML page showing directory data.
      const response = await page.request.get(path);
      expect(response.status(), path).toBe(404);
      expectBaseHeaders(response);
      const policy = csp(response);
      const nonce = /'nonce-([^']+)'/.exec(policy.get("script-src") ?? "")?.[1];
      expect(nonce, path).toBeTruthy();
      expect(policy.get("frame-ancestors")).toBe("'none'");
      const scripts = (await response.text()).match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
  });

  test("API responses carry the headers too, signed in or not", async ({
    request,
    page,
    signedIn,
  }) => {
    void signedIn;
    const anonymous = await request.get("/api/telnyx/users");
    expect(anonymous.status()).toBe(401);
    expectBaseHeaders(anonymous);
    expect(csp(anonymous).get("default-src")).toBe("'none'");
    expect(csp(anonymous).get("frame-ancestors")).toBe("'none'");

    const admin = await page.request.get("/api/telnyx/users?limit=5");
    expect(admin.status()).toBe(200);
    expectBaseHeaders(admin);
    expect(csp(admin).get("frame-ancestors")).toBe("'none'");
  });

  test("redirects to sign-in and static files carry them as well", async ({ request }) => {
    const redirect = await request.get("/?provider=openai", { maxRedirects: 0 });
    expect(redirect.status()).toBe(307);
    expectBaseHeaders(redirect);

    const html = await (await request.get("/signin")).text();
    const asset = /\/_next\/static\/[^"]+\.js/.exec(html)?.[0];
    expect(asset).toBeTruthy();
    const file = await request.get(asset ?? "");
    expect(file.status()).toBe(200);
    expectBaseHeaders(file);
  });

  test("files at the root, and a missing one's 404 page, get the policy of what is not a page", async ({
    request,
  }) => {
    // public/robots.txt, app/icon.svg (an SVG is a document when opened), and a 404 for a file name.
    for (const [path, status] of [
      ["/robots.txt", 200],
      ["/icon.svg", 200],
      ["/favicon.ico", 404],
      ["/no-such-file.txt", 404],
    ] as const) {
      const response = await request.get(path, { maxRedirects: 0 });
      expect(response.status(), path).toBe(status);
      expectBaseHeaders(response);
      expect(csp(response).get("default-src"), path).toBe("'none'");
      expect(csp(response).get("frame-ancestors"), path).toBe("'none'");
    }
  });
});
