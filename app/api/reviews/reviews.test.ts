import { createHash } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { verifyActivity } from "@/lib/activity/log";
import { adminCookieHeader } from "@/testing/auth";
import { getPerson } from "@/lib/people/person";
import { useDbForTests } from "@/lib/db/client";
import { activityLog, reviews, snapshots } from "@/lib/db/schema";
import type { ReviewItem, ReviewItemsPage, ReviewScope, ReviewSummary } from "@/lib/reviews/schema";
import { decisionHistory } from "@/lib/reviews/store";
import { createTestDb, type TestDbHandle } from "@/testing/db";
import { seedDirectory } from "@/testing/directory";
import type { User } from "@/lib/users/schema";

import * as closeRoute from "./[id]/close/route";
import * as decisionsRoute from "./[id]/decisions/route";
import * as evidenceCsvRoute from "./[id]/evidence.csv/route";
import * as evidenceJsonRoute from "./[id]/evidence.json/route";
import * as itemsRoute from "./[id]/items/route";
import * as revokeRoute from "./[id]/revoke.csv/route";
import * as reviewRoute from "./[id]/route";
import * as reviewsRoute from "./route";

const ORIGIN = "http://roster.test";
const PROOF = {
  endpoint: "GET /v1/organization/users",
  params: { limit: 100 },
  pages: 1,
  lastPage: { has_more: false },
  reconciled: true,
};

function openaiUser(id: string, role: string, extra: Partial<User> = {}): User {
  return {
    id,
    provider: "openai",
    email: `${id}@example.com`,
    name: `Name ${id}`,
    status: "enabled",
    role,
    createdAt: "2024-01-01T00:00:00.000Z",
    lastActiveAt: new Date().toISOString(),
    groups: null,
    vendor: { id, object: "organization.user", role, is_service_account: false },
    ...extra,
  };
}

interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  bytes: Buffer;
  body: T;
}

type Handler = (
  request: Request,
  context: { params: Promise<{ id: string }> },
) => Promise<Response>;

let cookie: string;
let secondCookie: string;

async function call<T = unknown>(
  handler: Handler | ((request: Request) => Promise<Response>),
  path: string,
  options: {
    method?: string;
    body?: unknown;
    rawBody?: string;
    cookie?: string | null;
    origin?: string | null;
    id?: string;
  } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = {};
  const sent = options.cookie === undefined ? cookie : options.cookie;
  if (sent) headers.cookie = sent;
  const method = options.method ?? "GET";
  if (method !== "GET") {
    const origin = options.origin === undefined ? ORIGIN : options.origin;
    if (origin) headers.origin = origin;
    headers["content-type"] = "application/json";
  }
  const body =
    options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const request = new Request(new URL(path, ORIGIN), {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const response = await (handler as Handler)(request, {
    params: Promise.resolve({ id: options.id ?? "" }),
  });
  // Response.text() would drop the BOM: the hashes are over the exact bytes.
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  expect(response.headers.get("cache-control")).toBe("no-store");
  let parsed: unknown = text;
  if (response.headers.get("content-type")?.startsWith("application/json"))
    parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, text, bytes, body: parsed as T };
}

async function allItems(id: number, query = ""): Promise<ReviewItem[]> {
  const items: ReviewItem[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams(query);
    params.set("limit", "2");
    if (cursor) params.set("cursor", cursor);
    const reply: Reply<ReviewItemsPage> = await call<ReviewItemsPage>(
      itemsRoute.GET,
      `/api/reviews/${id}/items?${params}`,
      { id: String(id) },
    );
    expect(reply.status, reply.text).toBe(200);
    items.push(...reply.body.data);
    cursor = reply.body.nextCursor;
  } while (cursor);
  return items;
}

const create = (body: unknown, options: { cookie?: string | null; origin?: string | null } = {}) =>
  call<ReviewSummary & { error?: { code: string; message: string } }>(
    reviewsRoute.POST,
    "/api/reviews",
    { method: "POST", body, ...options },
  );

const decideReq = (id: number, body: unknown, options: { cookie?: string } = {}) =>
  call<{
    decided: ReviewItem[];
    counts: ReviewSummary["counts"];
    error?: { code: string; message: string };
  }>(decisionsRoute.POST, `/api/reviews/${id}/decisions`, {
    method: "POST",
    body,
    id: String(id),
    ...options,
  });

const ownersScope = {
  name: "Q2 OpenAI owners",
  dueDate: "2026-06-30",
  scope: { providers: ["openai"], roles: ["owner"] },
};

describe("access reviews API", () => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb("pglite");
    useDbForTests(handle);
    cookie = await adminCookieHeader("ana@example.com");
    secondCookie = await adminCookieHeader("bo@example.com");
  });
  afterAll(async () => {
    await handle.close();
  });

  it("answers anonymous callers 401 on every route, before anything else", async () => {
    const anon = { cookie: null };
    expect((await call(reviewsRoute.GET, "/api/reviews", anon)).status).toBe(401);
    expect((await create({}, { ...anon, origin: "https://evil.example" })).status).toBe(401);
    for (const [handler, path, method] of [
      [reviewRoute.GET, "/api/reviews/1", "GET"],
      [itemsRoute.GET, "/api/reviews/1/items", "GET"],
      [decisionsRoute.POST, "/api/reviews/1/decisions", "POST"],
      [closeRoute.POST, "/api/reviews/1/close", "POST"],
      [evidenceCsvRoute.GET, "/api/reviews/1/evidence.csv", "GET"],
      [evidenceJsonRoute.GET, "/api/reviews/1/evidence.json", "GET"],
      [revokeRoute.GET, "/api/reviews/1/revoke.csv", "GET"],
    ] as const) {
      const reply = await call(handler, path, {
        ...anon,
        method,
        id: "1",
        ...(method === "POST" ? { body: [] } : {}),
      });
      expect(reply.status, path).toBe(401);
      expect(reply.body).toMatchObject({ error: { code: "unauthenticated" } });
    }
  });

  it("refuses to start a review before the directory has a snapshot", async () => {
    const reply = await create(ownersScope);
    expect(reply.status).toBe(409);
    expect(reply.body.error).toMatchObject({ code: "directory_empty" });
    expect(reply.body.error?.message).toContain("OpenAI");
  });

  it("answers bad bodies with a 400 naming the problem", async () => {
    const cases: [unknown, RegExp][] = [
      [{ ...ownersScope, name: "  " }, /name must not be empty/],
      [{ ...ownersScope, dueDate: "2026-02-30" }, /dueDate must be a date/],
      [{ ...ownersScope, scope: { providers: [] } }, /scope.providers must name at least one/],
      [
        { ...ownersScope, scope: { providers: ["slack"] } },
        /scope.providers\[0\] must be one of telnyx, openai/,
      ],
      [{ ...ownersScope, extra: 1 }, /unknown field "extra"/],
      [
        { ...ownersScope, scope: { providers: ["openai"], flags: ["vip"] } },
        /scope.flags\[0\] must be one of/,
      ],
      [[], /must be an object/],
      // Blank or empty filters would silently widen the review to everyone.
      [
        { ...ownersScope, scope: { providers: ["openai"], roles: ["  "] } },
        /scope.roles\[0\] must not be blank/,
      ],
      [
        { ...ownersScope, scope: { providers: ["openai"], email: "   " } },
        /scope.email must not be blank/,
      ],
      [
        { ...ownersScope, scope: { providers: ["openai"], roles: [] } },
        /scope.roles must name at least one/,
      ],
      [
        { ...ownersScope, scope: { providers: ["openai"], statuses: [] } },
        /scope.statuses must name at least one/,
      ],
      [
        { ...ownersScope, scope: { providers: ["openai"], flags: [] } },
        /scope.flags must name at least one/,
      ],
      [{ ...ownersScope, dueDate: "2026-13-01" }, /dueDate must be a date/],
      [{ ...ownersScope, dueDate: "2026-00-10" }, /dueDate must be a date/],
      [{ ...ownersScope, dueDate: "0000-01-01" }, /dueDate must be a date/],
      // Text no database stores: a NUL, or half of an emoji (a lone surrogate).
      [{ ...ownersScope, name: "a\u0000b" }, /^name holds a NUL character or a broken/],
      [
        { ...ownersScope, scope: { providers: ["openai"], email: "a\ud800" } },
        /^scope.email holds a NUL character or a broken/,
      ],
    ];
    for (const [body, message] of cases) {
      const reply = await create(body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error?.code).toBe("invalid_body");
      expect(reply.body.error?.message).toMatch(message);
    }
    const notJson = await call(reviewsRoute.POST, "/api/reviews", { method: "POST", rawBody: "{" });
    expect(notJson.body).toMatchObject({
      error: { code: "invalid_body", message: "The body is not valid JSON." },
    });
  });

  it("refuses cross-site requests and oversized bodies", async () => {
    const cross = await create(ownersScope, { origin: "https://evil.example" });
    expect(cross.status).toBe(403);
    expect(cross.body.error?.code).toBe("forbidden_origin");
    const big = await call(reviewsRoute.POST, "/api/reviews", {
      method: "POST",
      rawBody: JSON.stringify({ ...ownersScope, name: "x".repeat(8 * 1024 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ error: { code: "payload_too_large" } });
  });

  let first: ReviewSummary;
  let snapshotId: number;

  it("freezes the scope: later syncs change nothing under review", async () => {
    ({ snapshotId } = await seedDirectory(handle.db, "openai", [
      openaiUser("o1", "owner"),
      openaiUser("o2", "owner", { lastActiveAt: "2020-01-01T00:00:00.000Z" }),
      openaiUser("o3", "owner", { name: '=HYPERLINK("x")' }),
      openaiUser("r1", "reader"),
      openaiUser("svc", "owner", { email: null, vendor: { id: "svc", is_service_account: true } }),
    ]));
    await handle.db.update(snapshots).set({ proof: PROOF }).where(eq(snapshots.id, snapshotId));
    const reply = await create(ownersScope);
    expect(reply.status, reply.text).toBe(201);
    first = reply.body;
    expect(first).toMatchObject({
      state: "open",
      createdBy: "ana@example.com",
      counts: { total: 4, decided: 0, undecided: 4, flagged: 4 },
      snapshots: [
        { provider: "openai", snapshotId, snapshotRows: 5, accountsInScope: 4, proof: PROOF },
      ],
    });
    const before = await allItems(first.id);
    expect(before.map((i) => i.userId)).toEqual(["o1", "o2", "o3", "svc"]);
    expect(before.find((i) => i.userId === "o2")?.flags).toEqual(["privileged", "dormant"]);
    expect(before.find((i) => i.userId === "svc")?.flags).toEqual([
      "privileged",
      "service_account",
    ]);

    await seedDirectory(handle.db, "openai", [
      openaiUser("o1", "reader"),
      openaiUser("o9", "owner"),
    ]);
    expect(await allItems(first.id)).toEqual(before);
    const again = await call<ReviewSummary>(reviewRoute.GET, `/api/reviews/${first.id}`, {
      id: String(first.id),
    });
    expect(again.body.counts.total).toBe(4);
  });

  it("refuses a scope that matches no account with 400 empty_scope, writing nothing", async () => {
    const written = async () => ({
      reviews: (await handle.db.select({ id: reviews.id }).from(reviews)).length,
      entries: (await handle.db.select({ seq: activityLog.seq }).from(activityLog)).length,
    });
    const before = await written();
    // The sync the previous test ran last: the scope is read at the latest one.
    const [latest] = await handle.db
      .select({ id: snapshots.id })
      .from(snapshots)
      .orderBy(desc(snapshots.id))
      .limit(1);
    const cases: [ReviewScope, string][] = [
      [{ providers: ["openai"], roles: ["Nobody"] }, 'OpenAI; role "nobody"'],
      [{ providers: ["openai"], statuses: ["blocked"] }, "OpenAI; status blocked"],
      [{ providers: ["openai"], email: "ZZZ" }, 'OpenAI; email containing "zzz"'],
      // Flags are computed from the accounts, after the database has chosen them.
      [
        { providers: ["openai"], roles: ["reader"], flags: ["privileged"] },
        'OpenAI; role "reader"; flagged Privileged',
      ],
    ];
    for (const [scope, words] of cases) {
      const reply = await create({ ...ownersScope, scope });
      expect(reply.status, JSON.stringify(scope)).toBe(400);
      expect(reply.body.error).toEqual({
        code: "empty_scope",
        message: `No account matches this scope (${words}) in the latest directory sync (OpenAI snapshot ${latest!.id}); widen the scope, or sync the directory if it is out of date.`,
      });
    }
    expect(await written()).toEqual(before);
  });

  it("filters items and pages through every one exactly once", async () => {
    expect((await allItems(first.id, "flagged=true")).length).toBe(4);
    expect((await allItems(first.id, "decision=undecided")).length).toBe(4);
    expect((await allItems(first.id, "decision=keep")).length).toBe(0);
    const bad = await call(itemsRoute.GET, `/api/reviews/${first.id}/items?decision=maybe`, {
      id: String(first.id),
    });
    expect(bad).toMatchObject({
      status: 400,
      body: {
        error: {
          code: "invalid_query",
          message: "decision must be one of undecided, keep, revoke, follow_up",
        },
      },
    });
    const missing = await call(itemsRoute.GET, "/api/reviews/999/items", { id: "999" });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
  });

  it("records decisions in bulk and one by one, with who and when", async () => {
    const items = await allItems(first.id);
    const [o1, o2, o3, svc] = items as [ReviewItem, ReviewItem, ReviewItem, ReviewItem];
    const bulk = await decideReq(first.id, [
      { itemId: o1.id, decision: "keep" },
      { itemId: o3.id, decision: "keep" },
    ]);
    expect(bulk.status, bulk.text).toBe(200);
    expect(bulk.body.counts).toMatchObject({ decided: 2, undecided: 2, keep: 2 });
    expect(bulk.body.decided.map((i) => [i.id, i.decision, i.decidedBy])).toEqual([
      [o1.id, "keep", "ana@example.com"],
      [o3.id, "keep", "ana@example.com"],
    ]);
    const one = await decideReq(
      first.id,
      [{ itemId: o2.id, decision: "revoke", comment: " left in March " }],
      { cookie: secondCookie },
    );
    expect(one.body.decided[0]).toMatchObject({
      decision: "revoke",
      comment: "left in March",
      decidedBy: "bo@example.com",
    });
    expect(Date.parse(one.body.decided[0]!.decidedAt!)).toBeGreaterThan(Date.now() - 60_000);

    const unknown = await decideReq(first.id, [{ itemId: 987654, decision: "keep" }]);
    expect(unknown).toMatchObject({
      status: 400,
      body: {
        error: {
          code: "invalid_body",
          message: `itemId 987654 is not an account of review ${first.id}.`,
        },
      },
    });
    // The most a request may hold (1,000 decisions, each with a 2,000-character comment of
    // three-byte characters) is read and judged, not refused for its size.
    const fullest = await decideReq(
      first.id,
      Array.from({ length: 1000 }, (_, i) => ({
        itemId: 900_000 + i,
        decision: "keep" as const,
        comment: "確".repeat(2000),
      })),
    );
    expect(fullest.status).toBe(400);
    expect(fullest.body.error?.message).toBe(
      `itemId 900000 is not an account of review ${first.id}.`,
    );
    const twice = await decideReq(first.id, [
      { itemId: svc.id, decision: "keep" },
      { itemId: svc.id, decision: "revoke" },
    ]);
    expect(twice.body.error?.message).toMatch(/appears more than once/);
    const badDecision = await decideReq(first.id, [{ itemId: svc.id, decision: "delete" }]);
    expect(badDecision.body.error?.message).toBe(
      "[0].decision must be one of keep, revoke, follow_up",
    );
    // An item id out of range is named, not answered with zod's "Too small: expected number to be >0".
    for (const [itemId, words] of [
      [0, "[0].itemId must be greater than 0"],
      [-3, "[0].itemId must be greater than 0"],
      [1e300, "[0].itemId must be at most 9007199254740991"],
    ] as const) {
      const outOfRange = await decideReq(first.id, [{ itemId, decision: "keep" }]);
      expect(outOfRange.status).toBe(400);
      expect(outOfRange.body.error?.message).toBe(words);
    }
    expect((await allItems(first.id, "decision=undecided")).map((i) => i.id)).toEqual([svc.id]);

    // The person's page lists the review and the decision on their account.
    const person = await getPerson(handle.db, o2.email!.toUpperCase().trim().toLowerCase());
    expect(person?.reviews).toContainEqual(
      expect.objectContaining({
        reviewId: first.id,
        provider: o2.provider,
        userId: o2.userId,
        decision: "revoke",
        decidedBy: "bo@example.com",
      }),
    );
  });

  it("refuses to close while any account is undecided, naming how many", async () => {
    const reply = await call(closeRoute.POST, `/api/reviews/${first.id}/close`, {
      method: "POST",
      id: String(first.id),
    });
    expect(reply.status).toBe(409);
    expect(reply.body).toEqual({
      error: {
        code: "review_incomplete",
        message: "1 of 4 accounts is still undecided; decide every account before closing.",
      },
    });
    const early = await call(evidenceCsvRoute.GET, `/api/reviews/${first.id}/evidence.csv`, {
      id: String(first.id),
    });
    expect(early.status).toBe(404);
  });

  it("closes with an evidence package that downloads as the same bytes every time", async () => {
    const [svc] = await allItems(first.id, "decision=undecided");
    await decideReq(first.id, [
      { itemId: svc!.id, decision: "follow_up", comment: "ask the platform team" },
    ]);
    const closed = await call<ReviewSummary>(closeRoute.POST, `/api/reviews/${first.id}/close`, {
      method: "POST",
      id: String(first.id),
    });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.body).toMatchObject({ state: "closed", closedBy: "ana@example.com" });

    const csv1 = await call(evidenceCsvRoute.GET, `/api/reviews/${first.id}/evidence.csv`, {
      id: String(first.id),
    });
    const csv2 = await call(evidenceCsvRoute.GET, `/api/reviews/${first.id}/evidence.csv`, {
      id: String(first.id),
      cookie: secondCookie,
    });
    expect(csv1.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv1.headers.get("content-disposition")).toBe(
      `attachment; filename="roster-review-${first.id}-evidence.csv"`,
    );
    expect(csv2.bytes.equals(csv1.bytes)).toBe(true);
    const manifestReply = await call<{
      evidenceCsv: unknown;
      activityLog: { closedEntry: { seq: number; prevHash: string } };
    }>(evidenceJsonRoute.GET, `/api/reviews/${first.id}/evidence.json`, { id: String(first.id) });
    const manifestAgain = await call(
      evidenceJsonRoute.GET,
      `/api/reviews/${first.id}/evidence.json`,
      { id: String(first.id) },
    );
    expect(manifestAgain.text).toBe(manifestReply.text);
    const manifest = manifestReply.body;
    const sha = createHash("sha256").update(csv1.bytes).digest("hex");
    expect(manifest.evidenceCsv).toMatchObject({
      sha256: sha,
      rows: 4,
      bytes: csv1.bytes.byteLength,
    });
    expect(closed.body.evidenceCsvSha256).toBe(sha);
    expect(manifest).toMatchObject({
      format: "roster.access-review.v2",
      review: {
        id: first.id,
        name: "Q2 OpenAI owners",
        dueDate: "2026-06-30",
        closedBy: "ana@example.com",
      },
      scope: { providers: ["openai"], roles: ["owner"] },
      population: [
        {
          provider: "openai",
          snapshotId,
          snapshotRows: 5,
          accountsInScope: 4,
          completenessProof: PROOF,
        },
      ],
      reviewers: ["ana@example.com", "bo@example.com"],
      counts: { accounts: 4, keep: 2, revoke: 1, follow_up: 1 },
    });
    const lines = csv1.text.split("\r\n");
    expect(lines[0]).toBe(
      "\uFEFFitem_id,provider,account_id,email,name,status,role,created_at,last_active_at,groups,flags,change,decision,reviewer,decided_at,comment,snapshot_id",
    );
    expect(lines).toHaveLength(6);
    // The formula guard of the shared CSV writer applies to the evidence too.
    expect(csv1.text).toContain(`"'=HYPERLINK(""x"")"`);
    expect(lines.find((l) => l.includes(",o2,"))).toMatch(
      /,revoke,bo@example\.com,[^,]+,left in March,/,
    );

    const revoke = await call(revokeRoute.GET, `/api/reviews/${first.id}/revoke.csv`, {
      id: String(first.id),
    });
    expect(revoke.text.split("\r\n").filter(Boolean)).toHaveLength(2);
    expect(revoke.text).toContain("o2@example.com");
    // HEAD sends no bytes, so it is no download: refused, and nothing logged.
    const downloads = async () =>
      (await handle.db.select().from(activityLog).where(eq(activityLog.kind, "review.downloaded")))
        .length;
    const logged = await downloads();
    const head = await call(revokeRoute.GET, `/api/reviews/${first.id}/revoke.csv`, {
      method: "HEAD",
      origin: null,
      id: String(first.id),
    });
    expect(head.status).toBe(405);
    expect(head.headers.get("allow")).toBe("GET, OPTIONS");
    expect(await downloads()).toBe(logged);

    const verify = await verifyActivity(handle.db);
    expect(verify.ok).toBe(true);
    const kinds = (await handle.db.select({ kind: activityLog.kind }).from(activityLog)).map(
      (r) => r.kind,
    );
    expect(kinds).toEqual(
      expect.arrayContaining([
        "review.created",
        "review.decided",
        "review.closed",
        "review.downloaded",
      ]),
    );
    // The log's review.closed entry holds both files' hashes, and is the entry the manifest names.
    const [closedEntry] = await handle.db
      .select()
      .from(activityLog)
      .where(eq(activityLog.kind, "review.closed"));
    expect(closedEntry?.details).toEqual({
      reviewId: first.id,
      items: 4,
      csvSha256: sha,
      jsonSha256: createHash("sha256").update(manifestReply.bytes).digest("hex"),
    });
    expect(manifest.activityLog.closedEntry).toEqual({
      seq: closedEntry!.seq,
      prevHash: closedEntry!.prevHash,
    });
    // The review keeps the manifest's hash beside the CSV's: the served bytes', the entry's.
    const jsonSha = createHash("sha256").update(manifestReply.bytes).digest("hex");
    expect(closed.body.evidenceJsonSha256).toBe(jsonSha);
    expect((closedEntry!.details as { jsonSha256: string }).jsonSha256).toBe(jsonSha);
    const [stored] = await handle.db
      .select({ sha256: reviews.evidenceJsonSha256 })
      .from(reviews)
      .where(eq(reviews.id, first.id));
    expect(stored?.sha256).toBe(jsonSha);
    const read = await call<ReviewSummary>(reviewRoute.GET, `/api/reviews/${first.id}`, {
      id: String(first.id),
    });
    expect(read.body).toMatchObject({ evidenceCsvSha256: sha, evidenceJsonSha256: jsonSha });
    const listed = await call<{ data: ReviewSummary[] }>(reviewsRoute.GET, "/api/reviews");
    expect(listed.body.data.find((r) => r.id === first.id)).toMatchObject({
      evidenceCsvSha256: sha,
      evidenceJsonSha256: jsonSha,
    });
  });

  it("serves the manifest whose hash the log holds, so a changed manifest no longer matches", async () => {
    const [closedEntry] = await handle.db
      .select({ details: activityLog.details })
      .from(activityLog)
      .where(eq(activityLog.kind, "review.closed"));
    const logged = (closedEntry?.details as { jsonSha256: string }).jsonSha256;
    const download = () =>
      call(evidenceJsonRoute.GET, `/api/reviews/${first.id}/evidence.json`, {
        id: String(first.id),
      });
    const hashOf = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
    const served = await download();
    expect(hashOf(served.bytes)).toBe(logged);
    // Someone with the database's keys edits the stored manifest: the download shows it.
    const [stored] = await handle.db
      .select({ json: reviews.evidenceJson })
      .from(reviews)
      .where(eq(reviews.id, first.id));
    const edited = Buffer.from(served.text.replace('"revoke": 1', '"revoke": 0'), "utf8");
    expect(edited.equals(served.bytes)).toBe(false);
    await handle.db.update(reviews).set({ evidenceJson: edited }).where(eq(reviews.id, first.id));
    try {
      const changed = await download();
      expect(changed.bytes.equals(edited)).toBe(true);
      expect(hashOf(changed.bytes)).not.toBe(logged);
    } finally {
      await handle.db
        .update(reviews)
        .set({ evidenceJson: stored!.json })
        .where(eq(reviews.id, first.id));
    }
  });

  it("keeps a closed review read-only", async () => {
    const [item] = await allItems(first.id);
    const reply = await decideReq(first.id, [{ itemId: item!.id, decision: "revoke" }]);
    expect(reply.status).toBe(409);
    expect(reply.body.error?.code).toBe("review_closed");
    const close = await call(closeRoute.POST, `/api/reviews/${first.id}/close`, {
      method: "POST",
      id: String(first.id),
    });
    expect(close.status).toBe(409);
  });

  it("marks accounts that changed since the previous review of the same scope", async () => {
    await seedDirectory(handle.db, "openai", [
      openaiUser("o1", "owner"),
      openaiUser("o2", "owner", { name: "Renamed", lastActiveAt: "2020-01-01T00:00:00.000Z" }),
      openaiUser("o3", "owner", {
        name: '=HYPERLINK("x")',
        lastActiveAt: "2026-01-01T00:00:00.000Z",
      }),
      openaiUser("o4", "owner"),
    ]);
    // The same scope written differently is still the same scope.
    const reply = await create({
      ...ownersScope,
      name: "Q3",
      scope: { roles: ["OWNER"], providers: ["openai", "openai"] },
    });
    expect(reply.status, reply.text).toBe(201);
    expect(reply.body.previousReviewId).toBe(first.id);
    const changes = Object.fromEntries(
      (await allItems(reply.body.id)).map((i) => [i.userId, i.change]),
    );
    // o3's activity moved but its access did not: unchanged.
    expect(changes).toEqual({ o1: null, o2: "changed", o3: null, o4: "new" });
    expect((await allItems(reply.body.id, "changed=true")).map((i) => i.userId)).toEqual([
      "o2",
      "o4",
    ]);
    const other = await create({ ...ownersScope, scope: { providers: ["openai"] } });
    expect(other.body.previousReviewId).toBeNull();
  });

  it("lists reviews newest first with their counts", async () => {
    const reply = await call<{ data: ReviewSummary[] }>(reviewsRoute.GET, "/api/reviews");
    expect(reply.body.data.map((r) => r.id)).toEqual(
      [...reply.body.data.map((r) => r.id)].sort((a, b) => b - a),
    );
    expect(reply.body.data.find((r) => r.id === first.id)?.counts).toMatchObject({
      total: 4,
      decided: 4,
    });
    expect((await call(reviewRoute.GET, "/api/reviews/abc", { id: "abc" })).status).toBe(404);
  });

  it("keeps every decision in the history, the last one visible", async () => {
    const review = (await create({ ...ownersScope, name: "history" })).body;
    const [item] = await allItems(review.id);
    await decideReq(review.id, [{ itemId: item!.id, decision: "keep" }]);
    await decideReq(review.id, [{ itemId: item!.id, decision: "revoke", comment: "no" }], {
      cookie: secondCookie,
    });
    const history = await decisionHistory(handle.db, item!.id);
    expect(history.map((h) => [h.decision, h.decidedBy])).toEqual([
      ["keep", "ana@example.com"],
      ["revoke", "bo@example.com"],
    ]);
    const [now] = await allItems(review.id, "decision=revoke");
    expect(now).toMatchObject({ id: item!.id, decidedBy: "bo@example.com", comment: "no" });
  });

  it("rejects an items cursor that is not one", async () => {
    const reply = await call(itemsRoute.GET, `/api/reviews/${first.id}/items?cursor=abc`, {
      id: String(first.id),
    });
    expect(reply.body).toMatchObject({ error: { code: "invalid_query" } });
    await handle.db.execute(sql`select 1`);
  });
});
