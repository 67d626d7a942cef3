import { recordedCsvResponse } from "@/lib/activity/exports";
import { ApiError } from "@/lib/api/errors";
import { getDb } from "@/lib/db/client";
import { CHANGES_CSV_COLUMNS, startChangesCsvExport } from "@/lib/directory/changes-csv";
import { parseChangesQuery } from "@/lib/directory/schema";
import { changesFilename } from "@/lib/export/filename";
import { exportSlots, withExportSlot } from "@/lib/export/slots";
import { adminDownload, otherMethods } from "@/lib/api/route";

export const dynamic = "force-dynamic";

/**
 * `GET /api/directory/changes/export?provider=&from=&to=&change=&field=`: the changes as CSV,
 * one line per changed field (added and removed users: one line each), with
 * the same formula guard as the users export. Streamed page by page from the
 * snapshots the first page resolved; holds an export slot (429
 * `too_many_exports`) while it runs.
 */
export const GET = adminDownload(
  "GET /api/directory/changes/export",
  async ({ request, session }) => {
    const params = new URL(request.url).searchParams;
    const query = parseChangesQuery(params, ["provider", "from", "to", "change", "field"]);
    if (!query.ok) throw new ApiError("invalid_query", query.message);
    const { provider, from, to, change, field } = query.value;
    return await withExportSlot(exportSlots, session.email, request.signal, async () => {
      const { stream, range } = await startChangesCsvExport({
        db: await getDb(),
        query: { provider, from, to, change, field },
        signal: request.signal,
      });
      return await recordedCsvResponse(
        stream,
        {
          admin: session.email,
          list: "changes",
          provider,
          source: "directory",
          // The snapshots read, not the range as asked: "the latest" moves with the next sync, and
          // the manifest must name what this file holds. A `from` before the vendor's first
          // snapshot resolves to none and stays as asked.
          snapshotId: range.to.snapshotId,
          filters: {
            from: range.from ? String(range.from.snapshotId) : (from ?? null),
            to: String(range.to.snapshotId),
            ...(change ? { change } : {}),
            ...(field ? { field } : {}),
          },
          columns: CHANGES_CSV_COLUMNS,
        },
        {
          "Content-Type": "text/csv; charset=utf-8",
          "Content-Disposition": `attachment; filename="${changesFilename({ provider, change, field })}"`,
          // no-transform: gzip would hold back the failure line of a download cut midway.
          "Cache-Control": "no-store, no-transform",
        },
      );
    });
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
