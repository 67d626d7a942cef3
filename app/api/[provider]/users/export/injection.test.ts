/**
 * OWASP's CSV-injection payloads in names, emails and group names, through
 * both vendors' real export routes (served from a seeded directory, which
 * holds whatever a vendor sent): no cell of the file reads as a formula, in a
 * comma spreadsheet or a semicolon one.
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { adminCookieHeader } from "@/testing/auth";
import { closeDb, useDbForTests } from "@/lib/db/client";
import { CSV_INJECTION_PAYLOADS } from "@/testing/csv-injection-payloads";
import { createTestDb } from "@/testing/db";
import { seedDirectory } from "@/testing/directory";
import type { ProviderId, User } from "@/lib/users/schema";

import { GET } from "./route";

const TRIGGER = /^\s*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r]/;

function payloadUsers(provider: ProviderId): User[] {
  return CSV_INJECTION_PAYLOADS.map((payload, i) => ({
    id: `u-${String(i).padStart(3, "0")}`,
    provider,
    email: `${payload}@example.com`,
    name: payload,
    status: "enabled",
    role: payload,
    createdAt: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString(),
    lastActiveAt: null,
    groups: [
      { id: "g1", name: payload },
      { id: "g2", name: "Ops" },
    ],
    vendor: { id: `u-${i}` },
  }));
}

describe("CSV injection through the export routes", () => {
  let cookie: string;
  beforeAll(async () => {
    cookie = await adminCookieHeader();
    const handle = await createTestDb();
    useDbForTests(handle);
    for (const provider of ["telnyx", "openai"] as const) {
      await seedDirectory(handle.db, provider, payloadUsers(provider));
    }
  });
  afterAll(() => closeDb());

  it.each(["telnyx", "openai"] as const)("%s: no cell is a formula", async (provider) => {
    const response = await GET(
      new Request(`http://roster.test/api/${provider}/users/export?source=directory&groups=true`, {
        headers: { cookie },
      }),
      { params: Promise.resolve({ provider }) },
    );
    expect(response.status).toBe(200);
    const text = await response.text();
    const rows = parse(text, { bom: true, delimiter: "," }) as string[][];
    expect(rows).toHaveLength(CSV_INJECTION_PAYLOADS.length + 1);
    const width = rows[0]!.length;
    for (const row of rows) {
      expect(row).toHaveLength(width);
      for (const cell of row) expect(cell).not.toMatch(TRIGGER);
    }
    // Every payload is still there, behind its quote mark.
    const names = rows.slice(1).map((row) => row.join("\u0000"));
    expect(names.filter((row) => row.includes("'")).length).toBeGreaterThan(10);
    const pieces = parse(text, {
      bom: true,
      delimiter: ";",
      relax_quotes: true,
      relax_column_count: true,
    }) as string[][];
    for (const piece of pieces.flat()) expect(piece).not.toMatch(TRIGGER);
  });
});
