import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Sessions signed out before they expired; a row may go once `expires_at` has passed. */
export const revokedSessions = pgTable("revoked_sessions", {
  sid: text("sid").primaryKey(),
  expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
});

/** Failed sign-ins by throttle key, shared by every instance on one PostgreSQL server. */
export const authFailures = pgTable(
  "auth_failures",
  {
    key: text("key").notNull(),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [
    index("auth_failures_key_at").on(t.key, t.at),
    index("auth_failures_expires").on(t.expiresAt),
  ],
);
