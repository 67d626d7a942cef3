import {
  bigint,
  customType,
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";

import { tz } from "./timestamp";

/** Bytes as stored: text columns may not keep a byte order mark (PGlite drops it). */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
});

/** One access review: its scope frozen at creation, its evidence stored at closing. */
export const reviews = pgTable(
  "reviews",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    name: text("name").notNull(),
    /** `YYYY-MM-DD`. */
    dueDate: text("due_date").notNull(),
    /** The normalized scope (lib/reviews/schema.ts `ReviewScope`). */
    scope: jsonb("scope").$type<Record<string, unknown>>().notNull(),
    /** sha256 of the scope's canonical form: equal scopes, equal keys. */
    scopeKey: text("scope_key").notNull(),
    /** `open` | `closed` */
    state: text("state").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: tz("created_at").notNull(),
    closedBy: text("closed_by"),
    closedAt: tz("closed_at"),
    /** Per provider: the snapshot frozen, when it finished, its rows and its completeness proof. */
    snapshots: jsonb("snapshots").$type<Record<string, unknown>[]>().notNull(),
    /** The closed review of the same scope that "changed" marks compare with. */
    previousReviewId: bigint("previous_review_id", { mode: "number" }),
    itemCount: integer("item_count").notNull(),
    /** The evidence, stored at closing so every download gives the same bytes. */
    evidenceCsv: bytea("evidence_csv"),
    evidenceCsvSha256: text("evidence_csv_sha256"),
    evidenceJson: bytea("evidence_json"),
    /**
     * sha256 of `evidenceJson`'s bytes, as the `review.closed` entry holds it. Null for a review
     * closed before migration 0005 whose entry held no `jsonSha256` (v1) or was pruned.
     */
    evidenceJsonSha256: text("evidence_json_sha256"),
    /**
     * The counts at closing (`ReviewCounts`), stored with the evidence: a closed review's items
     * never change again, so listing reviews counts only the open ones' items. Null while open.
     */
    closedCounts: jsonb("closed_counts").$type<Record<string, number>>(),
  },
  (t) => [index("reviews_scope_key").on(t.scopeKey, t.state, t.id)],
);

/** One account under review: a copy of the directory row at freeze time, and its decision. */
export const reviewItems = pgTable(
  "review_items",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    reviewId: bigint("review_id", { mode: "number" })
      .notNull()
      .references(() => reviews.id),
    provider: text("provider").notNull(),
    userId: text("user_id").notNull(),
    snapshotId: bigint("snapshot_id", { mode: "number" }).notNull(),
    email: text("email"),
    name: text("name"),
    status: text("status").notNull(),
    role: text("role"),
    createdAt: tz("created_at"),
    lastActiveAt: tz("last_active_at"),
    groups: jsonb("groups").$type<{ id: string; name: string }[] | null>(),
    vendor: jsonb("vendor").$type<Record<string, unknown>>().notNull(),
    flags: jsonb("flags").$type<string[]>().notNull(),
    /** sha256 of the account's fields (lib/reviews/items.ts), compared across reviews. */
    hash: text("hash").notNull(),
    /** `new` | `changed` against the previous review of the same scope; null when unchanged or none. */
    change: text("change"),
    decision: text("decision"),
    comment: text("comment"),
    decidedBy: text("decided_by"),
    decidedAt: tz("decided_at"),
  },
  (t) => [
    uniqueIndex("review_items_account").on(t.reviewId, t.provider, t.userId),
    index("review_items_decision").on(t.reviewId, t.decision, t.id),
  ],
);

/** Every decision ever made, in order: a decision overwritten by another admin is still here. */
export const reviewDecisions = pgTable(
  "review_decisions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    reviewId: bigint("review_id", { mode: "number" })
      .notNull()
      .references(() => reviews.id),
    itemId: bigint("item_id", { mode: "number" })
      .notNull()
      .references(() => reviewItems.id),
    decision: text("decision").notNull(),
    comment: text("comment"),
    decidedBy: text("decided_by").notNull(),
    decidedAt: tz("decided_at").notNull(),
  },
  (t) => [index("review_decisions_item").on(t.itemId, t.id)],
);
