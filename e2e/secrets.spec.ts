import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

import { E2E_AUTH_SECRET, OPENAI_KEY, TELNYX_KEY } from "./env";
import { expect, test } from "./fixtures";

const SECRETS = { TELNYX_KEY, OPENAI_KEY, NEXTAUTH_SECRET: E2E_AUTH_SECRET };
const distDir = path.resolve(process.env.ROSTER_DIST_DIR ?? ".next");

function* filesUnder(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* filesUnder(full);
    else yield full;
  }
}

test("no secret is in the production build's client output", () => {
  const files = [...filesUnder(path.join(distDir, "static"))];
  expect(files.filter((f) => f.endsWith(".js")).length).toBeGreaterThan(0);
  for (const file of files) {
    const text = readFileSync(file, "latin1");
    for (const [name, secret] of Object.entries(SECRETS)) {
      expect(text.includes(secret), `${name} found in ${path.relative(distDir, file)}`).toBe(false);
    }
  }
});

test("no secret is in the dashboard's HTML or the API's responses", async ({ page, signedIn }) => {
  void signedIn;
  const pending: Promise<string>[] = [];
  page.on("response", (response) => {
    pending.push(
      Promise.all([response.allHeaders(), response.text().catch(() => "")]).then(
        ([headers, body]) => JSON.stringify(headers) + body,
      ),
    );
  });
  await page.goto("/?provider=openai");
  await expect(page.getByRole("row").nth(1)).toBeVisible();
  await page.goto("/?provider=telnyx");
  await expect(page.getByRole("row").nth(1)).toBeVisible();
  const api = await page.request.get("/api/telnyx/users?limit=5");
  expect(api.status()).toBe(200);
  const seen = [
    ...(await Promise.all(pending)),
    JSON.stringify(api.headers()) + (await api.text()),
  ];
  expect(seen.length).toBeGreaterThan(2);
  for (const chunk of seen) {
    for (const [name, secret] of Object.entries(SECRETS)) {
      expect(chunk.includes(secret), `${name} leaked`).toBe(false);
    }
  }
});
