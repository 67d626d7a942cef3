import { afterAll, expect, it } from "vitest";

import { DEFAULTS } from "./data";
import { startSandbox, type Sandbox } from "./server";

let sandbox: Sandbox | undefined;
afterAll(() => sandbox?.close());

it(
  "serves 100,000 users per vendor: filtered and deep pages are right",
  { timeout: 120_000 },
  async () => {
    sandbox = await startSandbox({ port: 0, seed: 5, telnyxUsers: 100_000, openaiUsers: 100_000 });
    const { telnyx, openai } = sandbox.data;
    expect(telnyx).toHaveLength(100_000);
    expect(openai).toHaveLength(100_000);

    const matches = telnyx.filter(
      (u) => u.user_status === "disabled" && u.email.toLowerCase().includes("garcia"),
    );
    expect(matches.length).toBeGreaterThan(100);
    const res = await fetch(
      `${sandbox.url}/v2/organizations/users?filter%5Buser_status%5D=disabled&filter%5Bemail%5D=GARCIA&page%5Bsize%5D=50&page%5Bnumber%5D=2`,
      { headers: { authorization: `Bearer ${DEFAULTS.telnyxKey}` } },
    );
    const page = (await res.json()) as { data: { id: string }[]; meta: Record<string, number> };
    expect(page.data.map((u) => u.id)).toEqual(matches.slice(50, 100).map((u) => u.id));
    expect(page.meta).toEqual({
      total_pages: Math.ceil(matches.length / 50),
      total_results: matches.length,
      page_number: 2,
      page_size: 50,
    });

    const after = openai[99_990]!.id;
    const tail = await fetch(`${sandbox.url}/v1/organization/users?limit=100&after=${after}`, {
      headers: { authorization: `Bearer ${DEFAULTS.openaiKey}` },
    });
    const tailPage = (await tail.json()) as { data: { id: string }[]; has_more: boolean };
    expect(tailPage.data.map((u) => u.id)).toEqual(openai.slice(99_991).map((u) => u.id));
    expect(tailPage.has_more).toBe(false);
  },
);
