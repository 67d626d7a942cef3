import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { verifyActivity } from "@/lib/activity/log";
import type { Db } from "@/lib/db/client";
import { activityLog, reviewItems, reviews, snapshots } from "@/lib/db/schema";
import type { ReviewItem } from "@/lib/reviews/schema";
import type { User } from "@/lib/users/schema";
import { createTestDb, TEST_DB_KINDS, type TestDbHandle } from "@/testing/db";
import { openaiUser, seedDirectory } from "@/testing/directory";

import {
  closeReview,
  createReview,
  decide,
  decisionHistory,
  getReview,
  ITEM_CHUNK,
  listItems,
  listReviews,
} from "./store";

const INPUT = { name: "clock", dueDate: "2026-12-31", scope: { providers: ["openai" as const] } };

/** `db`, but `before` runs (and is waited for) each time a transaction is asked for, before it begins. */
function beforeTransaction(db: Db, before: () => Promise<unknown>): Db {
  return new Proxy(db, {
    get(target, prop) {
      if (prop !== "transaction") return Reflect.get(target, prop);
      return async (run: (tx: Db) => Promise<unknown>) => {
        await before();
        return target.transaction(run);
      };
    },
  });
}

describe("createReview's date", () => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb("pglite");
    await seedDirectory(handle.db, "openai", [openaiUser("a")]);
  });
  afterAll(() => handle.close());

  it("is never before the snapshot it freezes, even one published while the request waited", async () => {
    let landed: number | null = null;
    const db = beforeTransaction(handle.db, async () => {
      // A later millisecond than the request's arrival, then a sync publishes.
      await new Promise((resolve) => setTimeout(resolve, 5));
      landed = (await seedDirectory(handle.db, "openai", [openaiUser("a"), openaiUser("b")]))
        .snapshotId;
    });
    const review = await createReview(db, "ana@example.com", INPUT);
    const [frozen] = review.snapshots;
    expect(frozen?.snapshotId).toBe(landed);
    expect(review.counts.total).toBe(2);
    expect(Date.parse(review.createdAt)).toBeGreaterThanOrEqual(Date.parse(frozen!.finishedAt!));
  });

  it("is never before the snapshot it freezes when the sync's server clock ran ahead", async () => {
    const [latest] = await handle.db
      .select({ id: snapshots.id })
      .from(snapshots)
      .orderBy(desc(snapshots.id))
      .limit(1);
    const ahead = new Date(Date.now() + 60_000);
    await handle.db
      .update(snapshots)
      .set({ finishedAt: ahead })
      .where(eq(snapshots.id, latest!.id));
    const review = await createReview(handle.db, "ana@example.com", INPUT);
    expect(review.snapshots[0]?.finishedAt).toBe(ahead.toISOString());
    expect(review.createdAt).toBe(ahead.toISOString());
  });
});

describe.each(TEST_DB_KINDS)("a review's log entries on %s", (kind) => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
    await seedDirectory(handle.db, "openai", [openaiUser("a"), openaiUser("b")]);
  });
  afterAll(() => handle.close());

  async function entry(entryKind: string) {
    const [row] = await handle.db
      .select()
      .from(activityLog)
      .where(eq(activityLog.kind, entryKind))
      .orderBy(desc(activityLog.seq))
      .limit(1);
    return row!;
  }

  it("carry the very times the review's rows do, on the database's clock", async () => {
    // On PostgreSQL the app server's clock, far behind, is not the one the entries take.
    // (PGlite reads its clock from this process's Date, so there the two clocks are one.)
    if (kind === "postgres") {
      vi.useFakeTimers({ now: new Date("2001-01-01T00:00:00.000Z"), toFake: ["Date"] });
    }
    try {
      const review = await createReview(handle.db, "ana@example.com", INPUT);
      expect((await entry("review.created")).at.toISOString()).toBe(review.createdAt);

      const items = (await listItems(handle.db, review.id, { limit: 10 })).data;
      const { decided } = await decide(
        handle.db,
        review.id,
        "bo@example.com",
        items.map((item) => ({ itemId: item.id, decision: "keep" as const })),
      );
      const decidedAt = (await entry("review.decided")).at.toISOString();
      expect(decided.map((item) => item.decidedAt)).toEqual(items.map(() => decidedAt));
      const history = await decisionHistory(handle.db, items[0]!.id);
      expect(history.map((row) => row.decidedAt.toISOString())).toEqual([decidedAt]);

      const closed = await closeReview(handle.db, review.id, "ana@example.com");
      const closedEntry = await entry("review.closed");
      expect(closedEntry.at.toISOString()).toBe(closed.closedAt);
      if (kind === "postgres") {
        expect(closedEntry.at.getUTCFullYear()).toBeGreaterThan(2001);
      }
    } finally {
      vi.useRealTimers();
    }
    expect((await verifyActivity(handle.db)).ok).toBe(true);
  });
});

describe.each(TEST_DB_KINDS)("a review's items on %s", (kind) => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
  });
  afterAll(() => handle.close());

  it("are each account of the latest snapshot once, in email order, with its own vendor record, across statements", async () => {
    // More accounts than one statement writes; emails run against the ids' order.
    const n = ITEM_CHUNK + 3;
    const lastActiveAt = new Date().toISOString(); // none is dormant
    const user = (i: number, patch: Partial<User> = {}) =>
      openaiUser(`u${String(i).padStart(5, "0")}`, {
        email: i === 7 ? null : `${String(n - i).padStart(5, "0")}@example.com`,
        vendor: { id: `u${i}`, seat: `seat-${i}` },
        lastActiveAt,
        ...patch,
      });
    const telnyx = (id: string, vendor: Record<string, unknown>): User => ({
      ...openaiUser(id, { role: "member", lastActiveAt }),
      provider: "telnyx",
      vendor: { id, ...vendor },
    });
    await seedDirectory(
      handle.db,
      "openai",
      Array.from({ length: n }, (_, i) => user(i)),
    );
    await seedDirectory(handle.db, "telnyx", [
      telnyx("boss", { record_type: "organization_owner", organization_user_bypasses_sso: true }),
      telnyx("plain", { record_type: "organization_user" }),
    ]);
    // A later sync closes u00002's version (a new record) and drops u00003: the review freezes
    // this snapshot, whose versions are not the first ones.
    const { snapshotId } = await seedDirectory(
      handle.db,
      "openai",
      Array.from({ length: n }, (_, i) =>
        i === 2
          ? user(i, { vendor: { id: "u2", seat: "moved", is_service_account: true } })
          : user(i),
      ).filter((_, i) => i !== 3),
    );

    const review = await createReview(handle.db, "ana@example.com", {
      name: "everyone",
      dueDate: "2026-12-31",
      scope: { providers: ["telnyx", "openai"] },
    });
    expect(review.counts.total).toBe(n - 1 + 2);
    expect(review.snapshots.find((s) => s.provider === "openai")?.snapshotId).toBe(snapshotId);

    const listed: ReviewItem[] = [];
    for (let after: number | undefined; ;) {
      const page = await listItems(handle.db, review.id, { limit: 500, after });
      listed.push(...page.data);
      if (!page.nextCursor) break;
      after = Number(page.nextCursor);
    }
    const openaiOrder = Array.from({ length: n }, (_, i) => i)
      .filter((i) => i !== 3 && i !== 7)
      .sort((a, b) => b - a)
      .map((i) => `u${String(i).padStart(5, "0")}`);
    // Providers in the scope's order (sorted), each by email, accounts without one last.
    expect(listed.map((item) => item.userId)).toEqual([...openaiOrder, "u00007", "boss", "plain"]);
    expect(listed.find((item) => item.userId === "u00002")?.flags).toEqual(["service_account"]);
    expect(listed.find((item) => item.userId === "boss")?.flags).toEqual([
      "privileged",
      "sso_bypass",
    ]);
    expect(listed.find((item) => item.userId === "plain")?.flags).toEqual([]);

    const stored = await handle.db
      .select({ userId: reviewItems.userId, vendor: reviewItems.vendor })
      .from(reviewItems)
      .where(eq(reviewItems.reviewId, review.id));
    const vendors = new Map(stored.map((row) => [row.userId, row.vendor]));
    expect(vendors.size).toBe(n + 1);
    expect(vendors.get("u00002")).toEqual({ id: "u2", seat: "moved", is_service_account: true });
    expect(vendors.get("u04000")).toEqual({ id: "u4000", seat: "seat-4000" });
    expect(vendors.get("boss")).toEqual({
      id: "boss",
      record_type: "organization_owner",
      organization_user_bypasses_sso: true,
    });
    expect(vendors.has("u00003")).toBe(false);
  });
});

describe.each(TEST_DB_KINDS)("a review's counts on %s", (kind) => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
  });
  afterAll(() => handle.close());

  async function decideAll(reviewId: number, decisions: ("keep" | "revoke" | "follow_up")[]) {
    const items = (await listItems(handle.db, reviewId, { limit: 100 })).data;
    expect(items).toHaveLength(decisions.length);
    await decide(
      handle.db,
      reviewId,
      "bo@example.com",
      items.map((item, i) => ({ itemId: item.id, decision: decisions[i]! })),
    );
  }

  it("follow an open review's decisions, and stay as they closed once it is closed", async () => {
    // Active today, so none is dormant: a is the one flagged (an owner, privileged).
    const active = { lastActiveAt: new Date().toISOString() };
    const users = [
      openaiUser("a", { ...active, role: "owner" }),
      openaiUser("b", active),
      openaiUser("c", active),
      openaiUser("d", active),
    ];
    await seedDirectory(handle.db, "openai", users);
    const first = await createReview(handle.db, "ana@example.com", INPUT);
    await decideAll(first.id, ["keep", "keep", "revoke", "follow_up"]);
    const atClose = {
      total: 4,
      decided: 4,
      undecided: 0,
      keep: 2,
      revoke: 1,
      follow_up: 1,
      flagged: 1,
      changed: 0,
    };
    expect((await getReview(handle.db, first.id))?.counts).toEqual(atClose);
    expect((await closeReview(handle.db, first.id, "ana@example.com")).counts).toEqual(atClose);

    // The same scope again after b became an owner: b is flagged and marked changed.
    await seedDirectory(handle.db, "openai", [
      users[0]!,
      { ...users[1]!, role: "owner" },
      ...users.slice(2),
    ]);
    const second = await createReview(handle.db, "ana@example.com", INPUT);
    expect(second.counts).toEqual({
      ...atClose,
      decided: 0,
      undecided: 4,
      keep: 0,
      revoke: 0,
      follow_up: 0,
      flagged: 2,
      changed: 1,
    });
    await decideAll(second.id, ["revoke", "revoke", "keep", "keep"]);
    await closeReview(handle.db, second.id, "ana@example.com");
    const secondAtClose = { ...atClose, keep: 2, revoke: 2, follow_up: 0, flagged: 2, changed: 1 };

    // Stored at closing: a closed review is not counted again from its items. An item changed
    // behind the store's back (nothing in Roster can) does not move the closed review's counts.
    await handle.db
      .update(reviewItems)
      .set({ decision: null, flags: [], change: null })
      .where(eq(reviewItems.reviewId, first.id));
    const listed = await listReviews(handle.db);
    expect(listed.map((review) => [review.id, review.counts])).toEqual([
      [second.id, secondAtClose],
      [first.id, atClose],
    ]);
    expect((await getReview(handle.db, first.id))?.counts).toEqual(atClose);
    const [stored] = await handle.db
      .select({ closedCounts: reviews.closedCounts })
      .from(reviews)
      .where(eq(reviews.id, second.id));
    expect(stored?.closedCounts).toEqual({
      total: 4,
      keep: 2,
      revoke: 2,
      follow_up: 0,
      flagged: 2,
      changed: 1,
    });

    // An open review is still counted from its items as they are decided.
    const third = await createReview(handle.db, "ana@example.com", INPUT);
    const [item] = (await listItems(handle.db, third.id, { limit: 1 })).data;
    await decide(handle.db, third.id, "bo@example.com", [{ itemId: item!.id, decision: "revoke" }]);
    expect((await listReviews(handle.db))[0]?.counts).toMatchObject({
      total: 4,
      decided: 1,
      undecided: 3,
      revoke: 1,
    });
  });
});
