import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

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
    startedAt: tz("started_at").notNull().defaultNow(),
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
  },
  (t) => [index("directory_snapshots_provider_state").on(t.provider, t.state, t.id)],
);

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
    /** sha256 of the normalized user: a new version is written only when it differs. */
    hash: text("hash").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.userId, t.fromSnapshot] }),
    index("directory_users_current")
      .on(t.provider, t.createdAt, t.userId)
      .where(sql`${t.toSnapshot} is null`),
    index("directory_users_current_email")
      .on(t.emailKey)
      .where(sql`${t.toSnapshot} is null`),
    index("directory_users_to").on(t.provider, t.toSnapshot),
  ],
);
