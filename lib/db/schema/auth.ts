import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Sessions signed out before they expired; a row may go once `expires_at` has passed. */
export const revokedSessions = pgTable("revoked_sessions", {
  sid: text("sid").primaryKey(),
  expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
});
