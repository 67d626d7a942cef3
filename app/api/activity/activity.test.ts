import { createHash } from "node:crypto";
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { recordExport } from "@/lib/activity/exports";
import { entryHash } from "@/lib/activity/chain";
import { recordActivity } from "@/lib/activity/log";
import type { ActivityPage, VerifyResult } from "@/lib/activity/schema";
import { adminCookieHeader } from "@/testing/auth";
import { useDbForTests } from "@/lib/db/client";
import { exportSlots } from "@/lib/export/slots";
import { createTestDb, type TestDbHandle } from "@/testing/db";

import * as manifestRoute from "../exports/[id]/route";
import * as exportRoute from "./export/route";
import * as listRoute from "./route";
import * as verifyRoute from "./verify/route";

let cookie: string;

async function get(
  handler: (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>,
  path: string,
  options: { cookie?: string | null; id?: string } = {},
) {
  const sent = options.cookie === undefined ? cookie : options.cookie;
  const request = new Request(new URL(path, "http://roster.test"), {
    headers: sent ? { cookie: sent } : {},
  });
  const response = await handler(request, { params: Promise.resolve({ id: options.id ?? "" }) });
  const bytes = Buffer.from(await response.arrayBuffer());
  const isJson = response.headers.get("content-type")?.startsWith("application/json");
  // A CSV is not gzipped either, which would hold back the failure line of a download cut midway.
  expect(response.headers.get("cache-control")).toBe(
    response.headers.get("content-type")?.startsWith("text/csv")
      ? "no-store, no-transform"
      : "no-store",
  );
  return {
    status: response.status,
    bytes,
    body: (isJson ? JSON.parse(bytes.toString("utf8")) : null) as Record<string, unknown>,
  };
}

describe("activity API", () => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb("pglite");
    useDbForTests(handle);
    cookie = await adminCookieHeader("ana@example.com");
    for (const outcome of ["success", "failure", "throttled"] as const) {
      await recordActivity(handle.db, {
        kind: "auth.sign_in",
        admin: "ana@example.com",
        details: { method: "credentials", outcome },
      });
    }
    await recordActivity(handle.db, {
      kind: "auth.sign_out",
      admin: "bo@example.com",
      details: {},
    });
  });
  afterAll(async () => {
    await handle.close();
  });

  it("answers anonymous callers 401", async () => {
    for (const handler of [listRoute.GET, verifyRoute.GET, exportRoute.GET, manifestRoute.GET]) {
      const reply = await get(handler, "/api/activity", { cookie: null, id: "1" });
      expect(reply.status).toBe(401);
      expect(reply.body).toMatchObject({ error: { code: "unauthenticated" } });
    }
  });

  it("filters by kind, admin and date, newest first", async () => {
    const all = await get(listRoute.GET, "/api/activity");
    expect((all.body as unknown as ActivityPage).data.map((e) => e.seq)).toEqual([4, 3, 2, 1]);
    const bo = await get(listRoute.GET, "/api/activity?admin=BO@example.com");
    expect((bo.body as unknown as ActivityPage).data.map((e) => e.kind)).toEqual(["auth.sign_out"]);
    const signIns = await get(listRoute.GET, "/api/activity?kind=auth.sign_in&limit=2");
    const page = signIns.body as unknown as ActivityPage;
    expect(page.data.map((e) => e.seq)).toEqual([3, 2]);
    expect(page.nextCursor).toBe("2");
    const today = new Date().toISOString().slice(0, 10);
    const dated = await get(listRoute.GET, `/api/activity?from=${today}&to=${today}`);
    expect((dated.body as unknown as ActivityPage).data).toHaveLength(4);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const none = await get(listRoute.GET, `/api/activity?from=${tomorrow}`);
    expect((none.body as unknown as ActivityPage).data).toHaveLength(0);
    // The widest range a person can type is answered, not a 500.
    const widest = await get(listRoute.GET, "/api/activity?from=0001-01-01&to=9999-12-31");
    expect(widest.status).toBe(200);
    expect((widest.body as unknown as ActivityPage).data).toHaveLength(4);
  });

  it("answers bad parameters with a 400 naming them", async () => {
    const cases: [string, RegExp][] = [
      ["kind=login", /^kind must be one of auth.sign_in, /],
      ["from=yesterday", /^from must be a date/],
      ["to=2026-02-30", /^to must be a date/],
      ["from=2026-02-30T10:00Z", /^from must be a date/],
      // No database stores a NUL: refused here, not a 500 from the query.
      ["admin=a%00b@example.com", /^admin holds a NUL character/],
      ["from=2026-11-30T24:00Z", /^from must be a date/],
      ["from=0000-06-01", /^from must be a date/],
      ["to=9999-12-31T23:00-23:00", /^to must be a date/],
      ["from=2026-03-02&to=2026-03-01", /^to must be later than from/],
      ["limit=0", /^limit must be an integer from 1 to 500/],
      ["cursor=x", /^cursor must be/],
      ["kinds=auth.sign_in", /^unknown parameter "kinds"/],
    ];
    for (const [query, message] of cases) {
      const reply = await get(listRoute.GET, `/api/activity?${query}`);
      expect(reply.status, query).toBe(400);
      expect((reply.body.error as { code: string; message: string }).code).toBe("invalid_query");
      expect((reply.body.error as { message: string }).message).toMatch(message);
    }
  });

  it("verifies the chain, and names the first entry edited in the database", async () => {
    expect((await get(verifyRoute.GET, "/api/activity/verify")).body).toMatchObject({
      ok: true,
      checked: 4,
    });
    await handle.db.execute(
      sql`update activity_log set admin = 'mallory@example.com' where seq = 2`,
    );
    const broken = (await get(verifyRoute.GET, "/api/activity/verify"))
      .body as unknown as VerifyResult;
    expect(broken).toMatchObject({ ok: false, firstBroken: { seq: 2, reason: "hash_mismatch" } });
    await handle.db.execute(sql`update activity_log set admin = 'ana@example.com' where seq = 2`);
    expect((await get(verifyRoute.GET, "/api/activity/verify")).body.ok).toBe(true);
  });

  it("exports the log as CSV and records the file's hash", async () => {
    const reply = await get(exportRoute.GET, "/api/activity/export?kind=auth.sign_in");
    expect(reply.status).toBe(200);
    const text = reply.bytes.toString("utf8");
    expect(text.startsWith("\uFEFFseq,at,kind,admin,details,prev_hash,hash\r\n")).toBe(true);
    expect(text.trimEnd().split("\r\n")).toHaveLength(4);
    const latest = await get(listRoute.GET, "/api/activity?kind=activity.exported");
    const [entry] = (latest.body as unknown as ActivityPage).data;
    expect(entry?.details).toMatchObject({
      outcome: "ok",
      rows: 3,
      bytes: reply.bytes.byteLength,
      sha256: createHash("sha256").update(reply.bytes).digest("hex"),
      filters: { kind: "auth.sign_in", admin: false },
    });
  });

  it("serves an export's manifest by id, 404 otherwise", async () => {
    const record = await recordExport(handle.db, {
      admin: "ana@example.com",
      provider: "openai",
      source: "directory",
      snapshotId: 7,
      filters: { groups: false },
      columns: ["id"],
    });
    await record.finish({
      outcome: "ok",
      rows: 1,
      bytes: 10,
      sha256: "a".repeat(64),
      durationMs: 5,
    });
    const reply = await get(manifestRoute.GET, `/api/exports/${record.id}`, {
      id: String(record.id),
    });
    expect(reply.body).toMatchObject({
      id: record.id,
      provider: "openai",
      source: "directory",
      snapshotId: 7,
      outcome: "ok",
      sha256: "a".repeat(64),
    });
    for (const id of ["1", "abc", "0"]) {
      const missing = await get(manifestRoute.GET, `/api/exports/${id}`, { id });
      expect(missing.status, id).toBe(404);
      expect(missing.body).toMatchObject({ error: { code: "not_found" } });
    }
  });

  it("exports the widest range a person can type, and refuses one out of range", async () => {
    const widest = await get(exportRoute.GET, "/api/activity/export?from=0001-01-01&to=9999-12-31");
    expect(widest.status).toBe(200);
    const lines = widest.bytes.toString("utf8").trimEnd().split("\r\n");
    // Every entry so far, oldest first: seq 1 to the newest, none missing.
    const seqs = lines.slice(1).map((line) => Number(line.split(",")[0]));
    expect(seqs.length).toBeGreaterThanOrEqual(4);
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
    const outOfRange = await get(exportRoute.GET, "/api/activity/export?to=9999-12-31T23:00-23:00");
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.body.error).toMatchObject({ code: "invalid_query" });
  });

  it("exports rows that re-hash to their hash once the formula guard is undone", async () => {
    // A failed sign-in logs the address as typed: one that starts with `'` or holds `;'`
    // must come back exactly, or an auditor's re-hash reports a forged entry. A blank one
    // is no address: an empty cell, which re-hashes as null.
    for (const admin of ["'=x@example.com", "=x@example.com", "o'neil;'=1@example.com", ""]) {
      await recordActivity(handle.db, {
        kind: "auth.sign_in",
        admin,
        details: { method: "credentials", outcome: "failure" },
      });
    }
    const reply = await get(exportRoute.GET, "/api/activity/export?kind=auth.sign_in");
    const [header, ...rows] = parse(reply.bytes, { bom: true }) as string[][];
    expect(header).toEqual(["seq", "at", "kind", "admin", "details", "prev_hash", "hash"]);
    const undo = (cell: string) => cell.replace(/^'/, "").replaceAll(";'", ";");
    const admins: string[] = [];
    for (const row of rows) {
      const [seq, at, kind, admin, details, prevHash, hash] = row.map(undo);
      admins.push(admin!);
      const fields = {
        seq: Number(seq),
        at: new Date(at!),
        kind: kind!,
        admin: admin === "" ? null : admin!,
        details: JSON.parse(details!) as Record<string, unknown>,
        prevHash: prevHash!,
      };
      expect(entryHash(fields), `seq ${seq}`).toBe(hash);
    }
    expect(admins.slice(-4)).toEqual([
      "'=x@example.com",
      "=x@example.com",
      "o'neil;'=1@example.com",
      "",
    ]);
  });

  it("answers a database failure on the first batch with a JSON 500, not a broken download", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const db = new Proxy(handle.db, {
      get(target, prop) {
        if (prop !== "select") return Reflect.get(target, prop);
        return () => {
          throw new Error("connection reset");
        };
      },
    });
    useDbForTests({ ...handle, db });
    try {
      const reply = await get(exportRoute.GET, "/api/activity/export");
      expect(reply.status).toBe(500);
      expect(reply.body).toMatchObject({ error: { code: "internal_error" } });
      expect(exportSlots.inUse()).toBe(0);
    } finally {
      useDbForTests(handle);
      error.mockRestore();
    }
  });
});
