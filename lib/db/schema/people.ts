import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  date,
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
 * One HR roster upload. The `active` one is in force (at most one, enforced by
 * the unique index even across instances); an upload replaced by a newer one
 * becomes `superseded`, a removed one `removed`. Their rows are deleted then,
 * the metadata stays as the record of who uploaded what and when.
 */
export const rosterUploads = pgTable(
  "roster_uploads",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** `active` | `superseded` | `removed` */
    state: text("state").notNull(),
    uploadedAt: tz("uploaded_at")
      .notNull()
      .default(sql`now()`),
    uploadedBy: text("uploaded_by").notNull(),
    rows: integer("rows").notNull(),
    /** sha256 of the file as received. */
    sha256: text("sha256").notNull(),
    removedAt: tz("removed_at"),
    removedBy: text("removed_by"),
  },
  (t) => [
    uniqueIndex("roster_uploads_one_active")
      .on(t.state)
      .where(sql`${t.state} = 'active'`),
  ],
);

/** The rows of the roster in force; `email_key` = lower(trim(email)), unique per upload. */
export const rosterRows = pgTable(
  "roster_rows",
  {
    uploadId: bigint("upload_id", { mode: "number" })
      .notNull()
      .references(() => rosterUploads.id, { onDelete: "cascade" }),
    emailKey: text("email_key").notNull(),
    /** 1-based line in the uploaded file. */
    line: integer("line").notNull(),
    email: text("email").notNull(),
    name: text("name"),
    department: text("department"),
    manager: text("manager"),
    /** `active` | `left` | null */
    status: text("status"),
    endDate: date("end_date", { mode: "string" }),
  },
  (t) => [primaryKey({ columns: [t.uploadId, t.emailKey] })],
);

/**
 * People, materialized from the current directory and the roster in force by
 * `rebuildPeople` (set-based statements over ranges of people), so that
 * listing and filtering 120,000 accounts reads an index instead of
 * recomputing flags per request.
 * A person is an email key, or a single account when the vendor gave no email.
 */
export const people = pgTable(
  "people",
  {
    key: text("key").primaryKey(),
    email: text("email"),
    /** The key without a `+tag` in its local part: how near-matches are found, never merged. */
    baseKey: text("base_key"),
    flags: text("flags").array().notNull(),
    /** Vendors the person has an account in. */
    vendors: text("vendors").array().notNull(),
    /** `{ telnyx: User[], openai: User[] }` in the users API's shape. */
    accounts: jsonb("accounts").notNull(),
    /** The roster row, or null. */
    roster: jsonb("roster"),
  },
  (t) => [
    // The list order: keys compared bytewise, the same on every server's collation.
    index("people_order").on(sql`${t.key} collate "C"`),
    index("people_flags").using("gin", t.flags),
    index("people_base_key").on(t.baseKey),
  ],
);

/**
 * What the people table was built against (one row). A read compares it with
 * the current inputs and rebuilds when any differs, so nothing else needs to
 * know when people go stale.
 */
export const peopleBuild = pgTable("people_build", {
  id: integer("id").primaryKey(),
  /** Increases with every rebuild; list cursors carry it. */
  generation: bigint("generation", { mode: "number" }).notNull(),
  builtAt: tz("built_at").notNull(),
  telnyxSnapshot: bigint("telnyx_snapshot", { mode: "number" }),
  openaiSnapshot: bigint("openai_snapshot", { mode: "number" }),
  rosterUpload: bigint("roster_upload", { mode: "number" }),
  dormantDays: integer("dormant_days").notNull(),
  companyDomains: text("company_domains").notNull(),
  /** The UTC day "dormant" was computed for: a new day makes the build stale. */
  day: date("day", { mode: "string" }).notNull(),
  total: integer("total").notNull(),
  counts: jsonb("counts").$type<Record<string, number>>().notNull(),
  /**
   * PGlite: people rows builds deleted since the table was last vacuumed.
   * PGlite runs no autovacuum, so Roster vacuums past autovacuum's threshold
   * (0 on a PostgreSQL server, whose autovacuum keeps its own count).
   */
  deadRows: integer("dead_rows").notNull().default(0),
});
