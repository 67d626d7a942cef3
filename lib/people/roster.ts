import "server-only";

import { eq, inArray, sql } from "drizzle-orm";

import type { Db } from "@/lib/db/client";
import { vacuumEmbedded } from "@/lib/db/reclaim";
import { rosterRows, rosterUploads } from "@/lib/db/schema";

import type { RosterRow } from "./roster-csv";
import type { RosterUpload } from "./schema";

/** Rows per INSERT: each chunk is one JSON parameter, so its size, not its count, is the limit. */
const CHUNK = 20_000;

function toUpload(row: typeof rosterUploads.$inferSelect): RosterUpload {
  return {
    id: row.id,
    rows: row.rows,
    uploadedAt: row.uploadedAt.toISOString(),
    uploadedBy: row.uploadedBy,
    sha256: row.sha256,
  };
}

/** The roster in force, or null. */
export async function rosterInForce(db: Db): Promise<RosterUpload | null> {
  const [row] = await db.select().from(rosterUploads).where(eq(rosterUploads.state, "active"));
  return row ? toUpload(row) : null;
}

/**
 * After each roster change, PGlite gets the replaced or removed roster's rows'
 * space back (vacuumEmbedded): without it every roster ever uploaded kept
 * its space. Rosters change seldom and are small beside the directory.
 */
const REPLACED_NOT_RECLAIMED = "roster: replaced rows' space not reclaimed";

// Any fixed number: the advisory lock that puts one roster in force at a time across instances.
const ROSTER_LOCK = 0x726f73746572;

/**
 * Puts a validated roster in force in one transaction: the previous one is
 * superseded (its rows deleted) and the new rows are written set-based.
 * Uploads at the same moment take turns (an advisory lock): each supersedes
 * the one before it, and the last to commit is in force. Without the turn, the
 * second could not see the first's new row and broke the one-active index.
 */
export async function saveRoster(
  db: Db,
  rows: readonly RosterRow[],
  meta: { uploadedBy: string; sha256: string },
): Promise<RosterUpload> {
  const upload = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ROSTER_LOCK})`);
    const previous = await tx
      .update(rosterUploads)
      .set({ state: "superseded" })
      .where(eq(rosterUploads.state, "active"))
      .returning({ id: rosterUploads.id });
    if (previous.length > 0) {
      await tx.delete(rosterRows).where(
        inArray(
          rosterRows.uploadId,
          previous.map((p) => p.id),
        ),
      );
    }
    const [upload] = await tx
      .insert(rosterUploads)
      .values({
        state: "active",
        uploadedBy: meta.uploadedBy,
        rows: rows.length,
        sha256: meta.sha256,
      })
      .returning();
    if (!upload) throw new Error("roster upload not written");
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = JSON.stringify(
        rows.slice(i, i + CHUNK).map((row) => ({
          email_key: row.emailKey,
          line: row.line,
          email: row.email,
          name: row.name,
          department: row.department,
          manager: row.manager,
          status: row.status,
          end_date: row.endDate,
        })),
      );
      await tx.execute(sql`
        insert into roster_rows (upload_id, email_key, line, email, name, department, manager, status, end_date)
        select ${upload.id}, x.email_key, x.line, x.email, x.name, x.department, x.manager, x.status, x.end_date
        from jsonb_to_recordset(${chunk}::jsonb) as x(
          email_key text, line integer, email text, name text, department text,
          manager text, status text, end_date date)`);
    }
    return toUpload(upload);
  });
  await vacuumEmbedded(db, "roster_rows", REPLACED_NOT_RECLAIMED);
  return upload;
}

/** Takes the roster in force out of force; null when there was none. */
export async function removeRoster(db: Db, removedBy: string): Promise<RosterUpload | null> {
  const removed = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ROSTER_LOCK})`);
    const [removed] = await tx
      .update(rosterUploads)
      .set({ state: "removed", removedAt: new Date(), removedBy })
      .where(eq(rosterUploads.state, "active"))
      .returning();
    if (!removed) return null;
    await tx.delete(rosterRows).where(eq(rosterRows.uploadId, removed.id));
    return toUpload(removed);
  });
  if (removed) await vacuumEmbedded(db, "roster_rows", REPLACED_NOT_RECLAIMED);
  return removed;
}
