import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { verifyActivity } from "@/lib/activity/log";
import { adminCookieHeader } from "@/testing/auth";
import { useDbForTests } from "@/lib/db/client";
import { reviewDecisions, reviewItems, reviews } from "@/lib/db/schema";
import type { ReviewSummary } from "@/lib/reviews/schema";
import { decide } from "@/lib/reviews/store";
import { createTestDb, type TestDbHandle } from "@/testing/db";
import { seedDirectory } from "@/testing/directory";
import type { User } from "@/lib/users/schema";

import * as closeRoute from "./[id]/close/route";
import * as decisionsRoute from "./[id]/decisions/route";
import * as reviewsRoute from "./route";

const ORIGIN = "http://roster.test";

const user = (i: number): User => ({
  id: `u${i}`,
  provider: "telnyx",
  email: `u${i}@example.com`,
  name: null,
  status: "enabled",
  role: "member",
  createdAt: "2025-01-01T00:00:00.000Z",
  lastActiveAt: null,
  groups: null,
  vendor: { id: `u${i}`, record_type: "organization_sub_user" },
});

function post(path: string, cookie: string, body: unknown, id = ""): Promise<Response> {
  const request = new Request(new URL(path, ORIGIN), {
    method: "POST",
    headers: { cookie, origin: ORIGIN, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return id
    ? decisionsRoute.POST(request, { params: Promise.resolve({ id }) })
    : reviewsRoute.POST(request);
}

describe("two admins deciding at once (PostgreSQL)", () => {
  let handle: TestDbHandle;
  let ana: string;
  let bo: string;
  let review: ReviewSummary;
  let itemIds: number[];

  beforeAll(async () => {
    handle = await createTestDb("postgres");
    useDbForTests(handle);
    ana = await adminCookieHeader("ana@example.com");
    bo = await adminCookieHeader("bo@example.com");
    await seedDirectory(
      handle.db,
      "telnyx",
      Array.from({ length: 40 }, (_, i) => user(i)),
    );
    const created = await post("/api/reviews", ana, {
      name: "race",
      dueDate: "2026-12-31",
      scope: { providers: ["telnyx"] },
    });
    expect(created.status).toBe(201);
    review = (await created.json()) as ReviewSummary;
    itemIds = (
      await handle.db
        .select({ id: reviewItems.id })
        .from(reviewItems)
        .where(eq(reviewItems.reviewId, review.id))
        .orderBy(asc(reviewItems.id))
    ).map((row) => row.id);
    expect(itemIds).toHaveLength(40);
  });
  afterAll(async () => {
    await handle.close();
  });

  it("loses no decision: every one is in the history, the last committed one is visible and attributed", async () => {
    const path = `/api/reviews/${review.id}/decisions`;
    const rounds = 4;
    for (let round = 0; round < rounds; round++) {
      // Overlapping batches in opposite orders: without ordered locking these would deadlock.
      const anaBatch = itemIds.map((itemId) => ({
        itemId,
        decision: "keep",
        comment: `ana ${round}`,
      }));
      const boBatch = [...itemIds]
        .reverse()
        .map((itemId) => ({ itemId, decision: "revoke", comment: `bo ${round}` }));
      const replies = await Promise.all([
        post(path, ana, anaBatch, String(review.id)),
        post(path, bo, boBatch, String(review.id)),
      ]);
      expect(replies.map((r) => r.status)).toEqual([200, 200]);
    }
    const history = await handle.db
      .select()
      .from(reviewDecisions)
      .where(eq(reviewDecisions.reviewId, review.id))
      .orderBy(asc(reviewDecisions.id));
    expect(history).toHaveLength(2 * rounds * itemIds.length);
    const items = await handle.db
      .select()
      .from(reviewItems)
      .where(eq(reviewItems.reviewId, review.id));
    for (const item of items) {
      const mine = history.filter((h) => h.itemId === item.id);
      const last = mine.at(-1)!;
      expect({
        d: item.decision,
        by: item.decidedBy,
        c: item.comment,
        at: item.decidedAt?.getTime(),
      }).toEqual({
        d: last.decision,
        by: last.decidedBy,
        c: last.comment,
        at: last.decidedAt.getTime(),
      });
      // Commit order and time order agree: the visible decision is also the latest in time.
      expect(Math.max(...mine.map((h) => h.decidedAt.getTime()))).toBe(last.decidedAt.getTime());
      expect(item.decidedBy === "ana@example.com" ? "keep" : "revoke").toBe(item.decision);
    }
    expect((await verifyActivity(handle.db)).ok).toBe(true);
  });

  it("applies both admins' disjoint batches in full", async () => {
    const path = `/api/reviews/${review.id}/decisions`;
    const half = itemIds.length / 2;
    const replies = await Promise.all([
      post(
        path,
        ana,
        itemIds.slice(0, half).map((itemId) => ({ itemId, decision: "follow_up" })),
        String(review.id),
      ),
      post(
        path,
        bo,
        itemIds.slice(half).map((itemId) => ({ itemId, decision: "keep" })),
        String(review.id),
      ),
    ]);
    expect(replies.map((r) => r.status)).toEqual([200, 200]);
    const items = await handle.db
      .select()
      .from(reviewItems)
      .where(eq(reviewItems.reviewId, review.id))
      .orderBy(asc(reviewItems.id));
    expect(items.map((i) => [i.decision, i.decidedBy])).toEqual([
      ...Array.from({ length: half }, () => ["follow_up", "ana@example.com"]),
      ...Array.from({ length: half }, () => ["keep", "bo@example.com"]),
    ]);
  });

  it("dates a close that waited for a decision being recorded after that decision", async () => {
    const created = await post("/api/reviews", ana, {
      name: "close race",
      dueDate: "2026-12-31",
      scope: { providers: ["telnyx"] },
    });
    const race = (await created.json()) as ReviewSummary;
    const [last, ...rest] = (
      await handle.db
        .select({ id: reviewItems.id })
        .from(reviewItems)
        .where(eq(reviewItems.reviewId, race.id))
        .orderBy(asc(reviewItems.id))
    ).map((row) => row.id) as [number, ...number[]];
    const path = `/api/reviews/${race.id}/decisions`;
    const decided = await post(
      path,
      ana,
      rest.map((itemId) => ({ itemId, decision: "keep" })),
      String(race.id),
    );
    expect(decided.status).toBe(200);
    // Bo's decision on the last account is being recorded (it holds the review, as every
    // decision does) when Ana presses Close: the close waits for it, then closes.
    let closing: Promise<Response> | undefined;
    await handle.db.transaction(async (tx) => {
      await tx.select({ id: reviews.id }).from(reviews).where(eq(reviews.id, race.id)).for("share");
      closing = closeRoute.POST(
        new Request(new URL(`/api/reviews/${race.id}/close`, ORIGIN), {
          method: "POST",
          headers: { cookie: ana, origin: ORIGIN, "content-type": "application/json" },
        }),
        { params: Promise.resolve({ id: String(race.id) }) },
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      await decide(tx, race.id, "bo@example.com", [{ itemId: last, decision: "revoke" }]);
    });
    const closed = await closing!;
    expect(closed.status).toBe(200);
    const summary = (await closed.json()) as ReviewSummary;
    const [item] = await handle.db
      .select({ decidedAt: reviewItems.decidedAt })
      .from(reviewItems)
      .where(eq(reviewItems.id, last));
    const [stored] = await handle.db
      .select({ json: reviews.evidenceJson })
      .from(reviews)
      .where(eq(reviews.id, race.id));
    const manifest = JSON.parse(Buffer.from(stored!.json!).toString("utf8")) as {
      review: { closedAt: string };
    };
    // The evidence never shows a decision made after the review closed.
    expect(Date.parse(summary.closedAt!)).toBeGreaterThanOrEqual(item!.decidedAt!.getTime());
    expect(manifest.review.closedAt).toBe(summary.closedAt);
  });
});
