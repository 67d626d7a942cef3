import { recordedCsvResponse } from "@/lib/activity/exports";
import { ApiError } from "@/lib/api/errors";
import { getDb } from "@/lib/db/client";
import { collectChanges } from "@/lib/directory/changes";
import { parseChangesQuery } from "@/lib/directory/schema";
import { CSV_BOM, csvRow } from "@/lib/export/csv";
import { adminDownload } from "@/lib/api/route";

export const dynamic = "force-dynamic";

const HEADER = ["change", "id", "email", "name", "field", "old", "new"];

/**
 * `GET /api/directory/changes/export?provider=&from=&to=`: the changes as CSV,
 * one line per changed field (added and removed users: one line each), with
 * the same formula guard as the users export. The whole range is read before
 * answering, so a failure is a JSON error, never a short file.
 */
export const GET = adminDownload(
  "GET /api/directory/changes/export",
  async ({ request, session }) => {
    const params = new URL(request.url).searchParams;
    const query = parseChangesQuery(params, ["provider", "from", "to"]);
    if (!query.ok) throw new ApiError("invalid_query", query.message);
    const { provider, from, to } = query.value;
    const lines = [CSV_BOM + csvRow(HEADER)];
    const range = await collectChanges(await getDb(), { provider, from, to }, (change) => {
      const who = [change.change, change.id, change.email, change.name];
      if (change.fields.length === 0) lines.push(csvRow([...who, null, null, null]));
      for (const field of change.fields) {
        const text = (v: string | boolean | null) => (v === null ? null : String(v));
        lines.push(csvRow([...who, field.field, text(field.old), text(field.new)]));
      }
    });
    return await recordedCsvResponse(
      new Blob([lines.join("")]).stream(),
      {
        admin: session.email,
        list: "changes",
        provider,
        source: "directory",
        // The snapshots read, not the range as asked: "the latest" moves with the next sync, and the
        // manifest must name what this file holds. A `from` before the vendor's first snapshot
        // resolves to none and stays as asked.
        snapshotId: range.to.snapshotId,
        filters: {
          from: range.from ? String(range.from.snapshotId) : (from ?? null),
          to: String(range.to.snapshotId),
        },
        columns: HEADER,
      },
      {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="roster-${provider}-changes.csv"`,
        "Cache-Control": "no-store",
      },
    );
  },
);
