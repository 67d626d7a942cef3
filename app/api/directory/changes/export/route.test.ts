import { createHash } from "node:crypto";

import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { EXPORT_ID_HEADER, getExportManifest } from "@/lib/activity/exports";
import { adminCookieHeader } from "@/testing/auth";
import { closeDb, useDbForTests } from "@/lib/db/client";
import { createTestDb, type TestDbHandle } from "@/testing/db";
import { openaiUser, seedDirectory } from "@/testing/directory";

import { GET } from "./route";

const user = openaiUser;

describe("GET /api/directory/changes/export", () => {
  let cookie: string;
  let handle: TestDbHandle;
  beforeAll(async () => {
    cookie = await adminCookieHeader();
    handle = await createTestDb();
    useDbForTests(handle);
    await seedDirectory(handle.db, "openai", [user("a"), user("b"), user("c")]);
    await seedDirectory(handle.db, "openai", [
      user("a", { status: "blocked", name: "=HYPERLINK(1)" }),
      user("c"),
      user("d"),
    ]);
  });
  afterAll(() => closeDb());

  it("writes one line per changed field, added and removed users, with the formula guard", async () => {
    const response = await GET(
      new Request("http://roster.test/api/directory/changes/export?provider=openai", {
        headers: { cookie },
      }),
    );
    expect(response.status).toBe(200);
    // Not gzipped by `next start`: gzip would hold back the line saying why a download was cut.
    expect(response.headers.get("cache-control")).toBe("no-store, no-transform");
    const rows = parse(await response.text(), { bom: true }) as string[][];
    expect(rows[0]).toEqual(["change", "id", "email", "name", "field", "old", "new"]);
    expect(rows.slice(1)).toEqual([
      ["changed", "a", "a@example.com", "'=HYPERLINK(1)", "name", "", "'=HYPERLINK(1)"],
      ["changed", "a", "a@example.com", "'=HYPERLINK(1)", "status", "enabled", "blocked"],
      ["removed", "b", "b@example.com", "", "", "", ""],
      ["added", "d", "d@example.com", "", "", "", ""],
    ]);
  });

  it("writes only the users removed with change=removed, and its manifest says so", async () => {
    const response = await GET(
      new Request(
        "http://roster.test/api/directory/changes/export?provider=openai&change=removed",
        {
          headers: { cookie },
        },
      ),
    );
    expect(response.status).toBe(200);
    const rows = parse(await response.text(), { bom: true }) as string[][];
    expect(rows.slice(1)).toEqual([["removed", "b", "b@example.com", "", "", "", ""]]);
    const manifest = await getExportManifest(
      handle.db,
      Number(response.headers.get(EXPORT_ID_HEADER)),
    );
    expect(manifest?.filters).toMatchObject({ change: "removed" });
  });

  it("writes only the users whose status changed with field=status, and its manifest says so", async () => {
    const response = await GET(
      new Request("http://roster.test/api/directory/changes/export?provider=openai&field=status", {
        headers: { cookie },
      }),
    );
    expect(response.status).toBe(200);
    const rows = parse(await response.text(), { bom: true }) as string[][];
    expect(rows.slice(1).map((row) => [row[0], row[1], row[4]])).toEqual([
      ["changed", "a", "name"],
      ["changed", "a", "status"],
    ]);
    const manifest = await getExportManifest(
      handle.db,
      Number(response.headers.get(EXPORT_ID_HEADER)),
    );
    expect(manifest?.filters).toMatchObject({ field: "status" });
  });

  it("names the snapshots it covered in its manifest, so the file can be made again after later syncs", async () => {
    const exportOf = async (query: string) => {
      const response = await GET(
        new Request(`http://roster.test/api/directory/changes/export?${query}`, {
          headers: { cookie },
        }),
      );
      expect(response.status).toBe(200);
      const bytes = Buffer.from(await response.arrayBuffer());
      return { id: Number(response.headers.get(EXPORT_ID_HEADER)), bytes };
    };
    // No range: the latest sync against the one before, as the Changes page's default.
    const first = await exportOf("provider=openai");
    // The finished entry is written once the body has ended.
    let manifest = await getExportManifest(handle.db, first.id);
    for (let i = 0; i < 100 && manifest?.outcome === "running"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      manifest = await getExportManifest(handle.db, first.id);
    }
    expect(manifest).toMatchObject({
      list: "changes",
      outcome: "ok",
      sha256: createHash("sha256").update(first.bytes).digest("hex"),
    });
    // A sync finishes later: "the latest" now means another range.
    await seedDirectory(handle.db, "openai", [user("c"), user("d"), user("e")]);
    const { from, to } = manifest!.filters as { from: string | null; to: string | null };
    const again = await exportOf(
      new URLSearchParams({
        provider: "openai",
        ...(from === null ? {} : { from }),
        ...(to === null ? {} : { to }),
      }).toString(),
    );
    expect(again.bytes.equals(first.bytes)).toBe(true);
    expect(manifest!.snapshotId).toBe(Number(to));
  });

  it("answers 401 without a session and 400 for a bad provider", async () => {
    const anonymous = await GET(new Request("http://roster.test/api/directory/changes/export"));
    expect(anonymous.status).toBe(401);
    const bad = await GET(
      new Request("http://roster.test/api/directory/changes/export?provider=x", {
        headers: { cookie },
      }),
    );
    expect(bad.status).toBe(400);
  });
});
