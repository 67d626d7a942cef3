import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";

import { tz } from "./timestamp";

/**
 * One sync of one vendor. Only `succeeded` snapshots are ever served; a
 * running, failed or cancelled one leaves the last succeeded snapshot current.
 */
export const snapshots = pgTable(
  "directory_snapshots",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    provider: text("provider").notNull(),
    /** `running` | `succeeded` | `failed` | `cancelled` */
    state: text("state").notNull(),
    startedAt: tz("started_at")
      .notNull()
      .default(sql`now()`),
    finishedAt: tz("finished_at"),
    /** Who asked: an admin's email, or `schedule`. */
    startedBy: text("started_by"),
    /** Rows written so far (running) or in the snapshot (succeeded). */
    rows: integer("rows").notNull().default(0),
    /** The vendor's own count where it reports one (Telnyx `meta.total_results`). */
    total: integer("total"),
    /** The completeness proof: endpoint, parameters, pages read, last-page marker, reconciliation. */
    proof: jsonb("proof"),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    /** Written by the running sync after every page; a stale one means its instance died. */
    heartbeatAt: tz("heartbeat_at")
      .notNull()
      .default(sql`now()`),
    /** Set by a cancel from any instance; the sync stops at its next page. */
    cancelRequested: boolean("cancel_requested").notNull().default(false),
    /**
     * Users whose activity alone had moved (a sign-in, an API key's use), their
     * current version updated in place by this sync rather than versioned.
     */
    activityUpdated: integer("activity_updated").notNull().default(0),
  },
  (t) => [
    index("directory_snapshots_provider_state").on(t.provider, t.state, t.id),
    // The lease: at most one running sync per vendor, whichever instance started it.
    uniqueIndex("directory_snapshots_one_running")
      .on(t.provider)
      .where(sql`${t.state} = 'running'`),
  ],
);

/** What Roster keeps of a vendor user, in the directory and in a sync's staging alike. */
function userColumns() {
  return {
    email: text("email"),
    /** `lower(trim(email))`: the key people and lookups match on. */
    emailKey: text("email_key"),
    name: text("name"),
    status: text("status").notNull(),
    role: text("role"),
    createdAt: tz("created_at"),
    lastActiveAt: tz("last_active_at"),
    /** `[{ id, name }]`: Telnyx groups or OpenAI projects; null when the vendor sent none. */
    groups: jsonb("groups").$type<{ id: string; name: string }[] | null>(),
    /** The vendor's record as received and validated. */
    vendor: jsonb("vendor").$type<Record<string, unknown>>().notNull(),
    /**
     * sha256 of what Roster tracks of the user, activity left out: a new
     * version is written only when it differs. Versions written before
     * migration 0009 (`activityHash` null) hashed the activity too.
     */
    hash: text("hash").notNull(),
    /**
     * The user's activity (last active time and the vendor keys it comes from,
     * lib/providers/activity.ts), hashed: when only it differs, the current
     * version is updated in place. Null before migration 0009.
     */
    activityHash: text("activity_hash"),
  };
}

/**
 * Every version of every vendor user the directory has seen (a slowly changing
 * dimension): a row is valid from the snapshot that first saw it in this form
 * (`fromSnapshot`) until the first snapshot where it changed or was gone
 * (`toSnapshot`, exclusive; null while current). A snapshot's population is
 * the rows valid at its id, so storage grows with changes, not with syncs.
 */
export const directoryUsers = pgTable(
  "directory_users",
  {
    provider: text("provider").notNull(),
    userId: text("user_id").notNull(),
    fromSnapshot: bigint("from_snapshot", { mode: "number" })
      .notNull()
      .references(() => snapshots.id),
    toSnapshot: bigint("to_snapshot", { mode: "number" }).references(() => snapshots.id),
    ...userColumns(),
    /**
     * The last snapshot whose sync updated this version's activity in place
     * (null: none did), so that what depends on it (People's dormant and
     * used-after-leaving flags) is built again.
     */
    activitySnapshot: bigint("activity_snapshot", { mode: "number" }).references(
      () => snapshots.id,
    ),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.userId, t.fromSnapshot] }),
    // The vendors' own order (created/added time, then id compared bytewise), for keyset pages
    // of the current snapshot and of pinned older ones alike.
    index("directory_users_order").on(t.provider, t.createdAt, sql`${t.userId} collate "C"`),
    index("directory_users_current_email")
      .on(t.emailKey)
      .where(sql`${t.toSnapshot} is null`),
    // The closed versions, by when they closed (Changes, People's rebuild, the vacuum's count).
    // Current versions (null) are left out (migration 0010): an entry for each was read by no
    // query, and cost a PGlite first sync's publish about 8 % (README, Storage).
    index("directory_users_to")
      .on(t.provider, t.toSnapshot)
      .where(sql`${t.toSnapshot} is not null`),
    // One current version per user, and the lookup the publish's anti-joins probe.
    uniqueIndex("directory_users_current_user")
      .on(t.provider, t.userId)
      .where(sql`${t.toSnapshot} is null`),
    index("directory_users_activity")
      .on(t.provider, t.activitySnapshot)
      .where(sql`${t.activitySnapshot} is not null`),
  ],
);

/**
 * Rows of a running sync that are new or changed since the current snapshot
 * (an unchanged user is only counted), written page by page; published into
 * `directory_users` in one transaction when the sync succeeds, and deleted
 * whatever the outcome, so a half-read vendor is never served.
 */
export const directoryStaging = pgTable(
  "directory_staging",
  {
    snapshotId: bigint("snapshot_id", { mode: "number" })
      .notNull()
      .references(() => snapshots.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    ...userColumns(),
    /** The user's activity alone changed: the publish updates the current version in place. */
    activityOnly: boolean("activity_only").notNull().default(false),
  },
  (t) => [index("directory_staging_snapshot_user").on(t.snapshotId, t.userId)],
);

/**
 * The last vacuum of `directory_users` on PGlite, which runs no autovacuum (one
 * row, id 1; none before the first). Every version closed at a snapshot up to
 * `closedThrough` had its old row reclaimed by it: the versions closed since
 * are the dead rows that decide when the next one is due.
 */
export const directoryVacuum = pgTable("directory_vacuum", {
  id: integer("id").primaryKey(),
  /** No sync that closes versions at this snapshot id or below was still running. */
  closedThrough: bigint("closed_through", { mode: "number" }).notNull(),
  vacuumedAt: tz("vacuumed_at").notNull(),
});
