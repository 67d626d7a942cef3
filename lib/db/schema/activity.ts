import { bigint, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";

import { tz } from "./timestamp";

/**
 * The activity log: append-only, one row per admin action, each holding the
 * hash of the one before (lib/activity/chain.ts defines the hash).
 */
export const activityLog = pgTable(
  "activity_log",
  {
    /** 1, 2, 3, ... with no gaps: assigned under the chain head's row lock. */
    seq: bigint("seq", { mode: "number" }).primaryKey(),
    /** Millisecond precision: the hash covers `at.toISOString()`. */
    at: tz("at").notNull(),
    kind: text("kind").notNull(),
    /** The admin's email; for a failed sign-in, the address that was tried. Null for the system. */
    admin: text("admin"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [index("activity_log_at").on(t.at), index("activity_log_kind").on(t.kind, t.seq)],
);

/**
 * The chain's single head row (id 1). Appends lock it (`SELECT ... FOR
 * UPDATE`), so instances sharing one database write one unbroken chain.
 * Retention deletes the oldest entries and moves the anchor: the seq and
 * hash of the last deleted entry, where verification starts.
 */
export const activityChain = pgTable("activity_chain", {
  id: integer("id").primaryKey(),
  headSeq: bigint("head_seq", { mode: "number" }).notNull(),
  headHash: text("head_hash").notNull(),
  anchorSeq: bigint("anchor_seq", { mode: "number" }).notNull(),
  anchorHash: text("anchor_hash").notNull(),
});
