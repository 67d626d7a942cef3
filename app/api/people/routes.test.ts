import { createHash } from "node:crypto";

import { parse } from "csv-parse/sync";
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { getExportManifest } from "@/lib/activity/exports";
import { adminCookieHeader } from "@/testing/auth";
import { closeDb, useDbForTests, type Db } from "@/lib/db/client";
import { exportSlots } from "@/lib/export/slots";
import { rosterUploads, snapshots } from "@/lib/db/schema";
import { currentGeneration, ensurePeople, rebuildPeople } from "@/lib/people/build";
import { personDetailSchema, peoplePageSchema, type Person } from "@/lib/people/schema";
import { createTestDb, type TestDbHandle } from "@/testing/db";
import { seedDirectory } from "@/testing/directory";
import type { User } from "@/lib/users/schema";

import { GET as getRoster, DELETE as deleteRoster, POST as postRoster } from "../roster/route";

import { GET as getPerson } from "./[email]/route";
import { GET as exportPeople } from "./export/route";
import { GET as listPeople } from "./route";

const BASE = "http://roster.test";
let handle: TestDbHandle;
let cookie: string;

const user = (
  provider: "telnyx" | "openai",
  id: string,
  email: string | null,
  over: Partial<User> = {},
): User => ({
  id,
  provider,
  email,
  name: null,
  status: "enabled",
  role: "member",
  createdAt: "2024-01-01T00:00:00.000Z",
  lastActiveAt: new Date().toISOString(),
  groups: null,
  vendor: { id },
  ...over,
});

function request(path: string, init: RequestInit & { anonymous?: boolean } = {}): Request {
  const headers = new Headers(init.headers);
  if (!init.anonymous) headers.set("cookie", cookie);
  return new Request(new URL(path, BASE), { ...init, headers });
}

async function json(response: Response): Promise<{ status: number; body: unknown }> {
  expect(response.headers.get("cache-control")).toBe("no-store");
  return { status: response.status, body: await response.json() };
}

const upload = (csv: string, headers: Record<string, string> = {}) =>
  postRoster(
    request("/api/roster", {
      method: "POST",
      body: csv,
      headers: { "content-type": "text/csv", ...headers },
    }),
  );

const list = async (query = "") => json(await listPeople(request(`/api/people${query}`)));

const TELNYX = Array.from({ length: 120 }, (_, i) =>
  user("telnyx", `t${i}`, `person${String(i).padStart(3, "0")}@acme.com`),
);
TELNYX.push(user("telnyx", "eq", "=cmd@acme.com", { role: "owner" }));

beforeAll(async () => {
  handle = await createTestDb("pglite");
  useDbForTests(handle);
  cookie = await adminCookieHeader();
  await seedDirectory(handle.db, "telnyx", TELNYX);
  await seedDirectory(handle.db, "openai", [
    user("openai", "o1", "Person001@acme.com", { status: "blocked", role: "owner" }),
    user("openai", "svc", null, { name: "bot", vendor: { is_service_account: true } }),
  ]);
});
afterAll(async () => {
  await closeDb();
});

describe("every people and roster route checks the session first", () => {
  it.each([
    ["GET /api/people", () => listPeople(request("/api/people?flag=bogus", { anonymous: true }))],
    [
      "GET /api/people/x",
      () =>
        getPerson(request("/api/people/a@b", { anonymous: true }), {
          params: Promise.resolve({ email: "a@b" }),
        }),
    ],
    [
      "GET /api/people/export",
      () => exportPeople(request("/api/people/export", { anonymous: true })),
    ],
    ["GET /api/roster", () => getRoster(request("/api/roster", { anonymous: true }))],
    [
      "POST /api/roster",
      () => postRoster(request("/api/roster", { method: "POST", body: "email", anonymous: true })),
    ],
    [
      "DELETE /api/roster",
      () => deleteRoster(request("/api/roster", { method: "DELETE", anonymous: true })),
    ],
  ])("%s answers 401", async (_, call) => {
    const { status, body } = await json(await call());
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: { code: "unauthenticated" } });
  });
});

describe("GET /api/people", () => {
  it("refuses bad parameters with a 400 naming them", async () => {
    for (const [query, words] of [
      ["?flag=bogus", "flag must be one of"],
      ["?vendor=slack", "vendor must be"],
      ["?limit=0", "limit must be"],
      ["?stauts=x", 'unknown parameter "stauts"'],
      ["?email=a&email=b", "email must be given at most once"],
      // "é" sent in Latin-1 (%E9) is no UTF-8: it was read as U+FFFD and matched no one, silently.
      ["?email=jos%E9", "email is not percent-encoded UTF-8"],
    ] as const) {
      const { status, body } = await list(query);
      expect(status, query).toBe(400);
      expect((body as { error: { message: string } }).error.message).toContain(words);
    }
  });

  it("returns every person exactly once across pages", async () => {
    const keys: string[] = [];
    let cursor: string | null = null;
    let total = 0;
    do {
      const { status, body } = await list(`?limit=37${cursor ? `&cursor=${cursor}` : ""}`);
      expect(status).toBe(200);
      const page = peoplePageSchema.parse(body);
      keys.push(...page.data.map((p) => p.key));
      cursor = page.nextCursor;
      total = page.total;
    } while (cursor);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(total);
    expect(total).toBe(122);
    expect(keys).toEqual([...keys].sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1)));
  });

  it("filters by flag (all must hold), vendor (any) and email substring", async () => {
    const both = peoplePageSchema.parse(
      (await list("?flag=privileged&flag=inconsistent_status")).body,
    );
    expect(both.data.map((p) => p.key)).toEqual(["person001@acme.com"]);
    const openai = peoplePageSchema.parse((await list("?vendor=openai")).body);
    expect(openai.total).toBe(2);
    const email = peoplePageSchema.parse((await list("?email=PERSON11")).body);
    expect(email.data.map((p) => p.key)).toEqual(
      Array.from({ length: 10 }, (_, i) => `person11${i}@acme.com`),
    );
  });

  it("refuses a cursor whose key holds a NUL with 400 invalid_cursor, not a 500", async () => {
    const first = peoplePageSchema.parse((await list("?limit=5")).body);
    const payload = JSON.parse(Buffer.from(first.nextCursor!, "base64url").toString("utf8"));
    const forged = Buffer.from(JSON.stringify({ ...payload, k: "a\u0000" })).toString("base64url");
    const reply = await list(`?limit=5&cursor=${forged}`);
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error: { code: "invalid_cursor" } });
  });

  it("takes a cursor back with the same filters in another order", async () => {
    const first = peoplePageSchema.parse((await list("?limit=5&vendor=telnyx&vendor=openai")).body);
    const same = await list(`?limit=5&vendor=telnyx&vendor=openai&cursor=${first.nextCursor}`);
    const swapped = await list(`?limit=5&vendor=openai&vendor=telnyx&cursor=${first.nextCursor}`);
    expect(swapped.status).toBe(200);
    expect(swapped.body).toEqual(same.body);
  });

  it("refuses a cursor from other filters or from before a rebuild", async () => {
    const first = peoplePageSchema.parse((await list("?limit=5")).body);
    const other = await list(`?limit=5&flag=privileged&cursor=${first.nextCursor}`);
    expect(other.status).toBe(400);
    expect(other.body).toMatchObject({ error: { code: "invalid_cursor" } });
    await seedDirectory(handle.db, "telnyx", TELNYX);
    const stale = await list(`?limit=5&cursor=${first.nextCursor}`);
    expect(stale.status).toBe(400);
    expect(JSON.stringify(stale.body)).toContain("rebuilt");
  });
});

describe("roster", () => {
  it("imports nothing from a file with errors and lists each bad line", async () => {
    const csv =
      "Email,Status,End_Date\nperson000@acme.com,left,2026-01-01\nnot-an-email,active,\nperson000@ACME.com,,\nperson002@acme.com,gone,2026-13-01\n";
    const { status, body } = await json(await upload(csv));
    expect(status).toBe(400);
    expect(body).toMatchObject({
      error: {
        code: "invalid_roster",
        rows: [
          { line: 3, column: "email", reason: expect.stringContaining("not an email") },
          { line: 4, column: "email", reason: "duplicate of line 2" },
          { line: 5, column: "status", reason: "must be active or left" },
        ],
      },
    });
    expect((await json(await getRoster(request("/api/roster")))).body).toEqual({ roster: null });
  });

  it("refuses other content types, cross-site origins and oversized bodies", async () => {
    expect((await upload("email\na@b", { "content-type": "application/json" })).status).toBe(415);
    expect((await upload("email\na@b", { origin: "https://evil.example" })).status).toBe(403);
    expect(
      (await upload("email\na@b", { "content-length": String(21 * 1024 * 1024) })).status,
    ).toBe(413);
  });

  it("puts a roster (BOM, semicolons) in force, flags leavers, and can remove it", async () => {
    const csv =
      "\uFEFFemail;name;status;end_date\nperson000@acme.com;Ana;left;2026-01-01\nperson001@acme.com;Bo;active;\n";
    const { status, body } = await json(await upload(csv, { origin: BASE }));
    expect(status).toBe(201);
    expect(body).toMatchObject({ rows: 2 });
    const roster = (await json(await getRoster(request("/api/roster")))).body;
    // The file's sha256 as received (BOM included), as the README promises and the log records.
    const sha256 = createHash("sha256").update(Buffer.from(csv, "utf8")).digest("hex");
    expect(roster).toMatchObject({ roster: { rows: 2, uploadedBy: "admin@roster.test", sha256 } });

    const leavers = peoplePageSchema.parse((await list("?flag=leaver_with_access")).body);
    expect(leavers.data.map((p) => p.key)).toEqual(["person000@acme.com"]);
    expect(leavers.data[0]?.roster).toMatchObject({
      name: "Ana",
      status: "left",
      endDate: "2026-01-01",
    });
    expect(leavers.counts.not_in_roster).toBe(120 - 2 + 1);

    const removed = await deleteRoster(request("/api/roster", { method: "DELETE" }));
    expect(removed.status).toBe(200);
    const after = peoplePageSchema.parse((await list()).body);
    expect(after.counts.leaver_with_access).toBe(0);
    expect((await deleteRoster(request("/api/roster", { method: "DELETE" }))).status).toBe(404);
  });
});

describe("GET /api/people/{email}", () => {
  // Next.js hands a route handler its params already decoded (checked against `next start`:
  // /api/x/100%25%40x.com gives "100%@x.com"), so the handler must not decode them again.
  const get = async (email: string) =>
    json(
      await getPerson(request(`/api/people/${encodeURIComponent(email)}`), {
        params: Promise.resolve({ email }),
      }),
    );

  it("finds a person case-insensitively, with both vendors' accounts and history", async () => {
    const { status, body } = await get(" Person001@ACME.com");
    expect(status).toBe(200);
    const detail = personDetailSchema.parse(body);
    expect(detail.person.accounts.telnyx).toHaveLength(1);
    expect(detail.person.accounts.openai).toHaveLength(1);
    // Telnyx was synced twice with the same data: one "added", no empty "changed".
    expect(detail.history.map((e) => `${e.event} ${e.provider}`).sort()).toEqual([
      "added openai",
      "added telnyx",
    ]);
  });

  it("answers 404 for an address no vendor ever had", async () => {
    const { status, body } = await get("nobody@acme.com");
    expect(status).toBe(404);
    expect(body).toMatchObject({ error: { code: "not_found" } });
  });

  it("reads a percent sign in an address as itself, never as an escape", async () => {
    // Decoded twice, "100%@acme.com" was a 500 and "%70erson001@acme.com" found person001.
    // A NUL, which no address has and no database stores, is no one too (not a 500).
    for (const email of ["100%@acme.com", "%70erson001@acme.com", "person001\u0000@acme.com"]) {
      const { status, body } = await get(email);
      expect(status, email).toBe(404);
      expect(body).toMatchObject({ error: { code: "not_found" } });
    }
  });

  it("serves an account without an email under its account key", async () => {
    const { status, body } = await get("account:openai:svc");
    expect(status).toBe(200);
    const person: Person = personDetailSchema.parse(body).person;
    expect(person.flags.map((f) => f.flag)).toContain("service_account");
  });
});

describe("GET /api/people/export", () => {
  it("streams the filtered people as CSV with the formula guard", async () => {
    const response = await exportPeople(request("/api/people/export?flag=privileged"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(
      /roster-people-\d{4}-\d{2}-\d{2}\.csv/,
    );
    // Not gzipped: gzip would hold back the failure line of a download cut midway.
    expect(response.headers.get("cache-control")).toBe("no-store, no-transform");
    const bytes = Buffer.from(await response.arrayBuffer());
    const text = bytes.toString("utf8");
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(text.startsWith("\uFEFFkey,email,flags,reasons")).toBe(true);
    const records = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(records.map((r) => r.key)).toEqual(["'=cmd@acme.com", "person001@acme.com"]);
    // The count the page shows progress against: the rows the file holds.
    expect(response.headers.get("x-total-count")).toBe("2");
    expect(records[1]?.openai_status).toBe("blocked");
    expect(records[1]?.reasons).toContain("privileged: Owner in OpenAI");
  });

  it("records the export's manifest with its filters and the file's sha256", async () => {
    const response = await exportPeople(request("/api/people/export?flag=privileged&email=acme"));
    // Counted by the database for an email filter (a single flag's count is the build's).
    expect(response.headers.get("x-total-count")).toBe("2");
    const id = Number(response.headers.get("x-roster-export-id"));
    const bytes = Buffer.from(await response.arrayBuffer());
    let manifest = await getExportManifest(handle.db, id);
    for (let i = 0; i < 100 && manifest?.outcome === "running"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      manifest = await getExportManifest(handle.db, id);
    }
    expect(manifest).toMatchObject({
      list: "people",
      provider: null,
      source: "directory",
      filters: { flags: ["privileged"], vendors: [], email: true },
      outcome: "ok",
      rows: 2,
      bytes: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
    });
    // It names what the file was built from: each vendor's current snapshot, the roster in force
    // (or none) and the People build, so the file can be traced to its inputs.
    const current = await handle.db
      .select({ provider: snapshots.provider, id: snapshots.id })
      .from(snapshots)
      .where(eq(snapshots.state, "succeeded"))
      .orderBy(desc(snapshots.id));
    const latest = (provider: string) => current.find((s) => s.provider === provider)?.id;
    const [roster] = await handle.db
      .select({ id: rosterUploads.id })
      .from(rosterUploads)
      .where(eq(rosterUploads.state, "active"));
    expect(manifest?.people).toEqual({
      generation: await currentGeneration(handle.db),
      telnyxSnapshotId: latest("telnyx"),
      openaiSnapshotId: latest("openai"),
      rosterUploadId: roster?.id ?? null,
    });
    expect(manifest?.people?.telnyxSnapshotId).toEqual(expect.any(Number));
    expect(JSON.stringify(manifest)).not.toContain("acme");
  });

  it("exports every person once when unfiltered", async () => {
    const response = await exportPeople(request("/api/people/export"));
    expect(response.headers.get("x-total-count")).toBe("122");
    const text = await response.text();
    const records = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(122);
    expect(new Set(records.map((r) => r.key)).size).toBe(122);
  });

  it("answers 409 list_changed as JSON, not a broken download, when People are rebuilt before the first chunk", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    await ensurePeople(handle.db);
    // The first raw statement is the first chunk's read: a rebuild lands just before it.
    let rebuilt = false;
    const db = new Proxy(handle.db, {
      get(target, prop) {
        if (prop !== "execute") return Reflect.get(target, prop);
        return async (query: Parameters<Db["execute"]>[0]) => {
          if (!rebuilt) {
            rebuilt = true;
            await rebuildPeople(handle.db, { force: true });
          }
          return await target.execute(query);
        };
      },
    });
    useDbForTests({ ...handle, db });
    try {
      const response = await exportPeople(request("/api/people/export"));
      expect(rebuilt).toBe(true);
      expect(response.status).toBe(409);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await response.json()).toMatchObject({ error: { code: "list_changed" } });
      expect(exportSlots.inUse()).toBe(0);
    } finally {
      useDbForTests(handle);
      logged.mockRestore();
    }
  });
});
