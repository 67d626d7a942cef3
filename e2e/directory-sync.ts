import type { Page } from "@playwright/test";

import { expect } from "./fixtures";

/** Starts a sync through the API (as a script would) and waits until that vendor has a new snapshot. */
export async function syncAndWait(page: Page, provider: "telnyx" | "openai"): Promise<number> {
  const status = async () =>
    (await (await page.request.get("/api/directory/status")).json()) as {
      providers: Record<string, { current: { snapshotId: number } | null; running: unknown }>;
    };
  const before = (await status()).providers[provider]?.current?.snapshotId ?? 0;
  const started = await page.request.post("/api/directory/sync", { data: { provider } });
  expect(started.status()).toBe(202);
  let after = before;
  await expect
    .poll(
      async () => {
        after = (await status()).providers[provider]?.current?.snapshotId ?? 0;
        return after;
      },
      { timeout: 60_000 },
    )
    .toBeGreaterThan(before);
  return after;
}
