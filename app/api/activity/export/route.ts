import { ApiError } from "@/lib/api/errors";
import { startActivityCsvExport } from "@/lib/activity/csv";
import { trackExport } from "@/lib/activity/exports";
import { recordActivity } from "@/lib/activity/log";
import { parseActivityQuery } from "@/lib/activity/schema";
import { getDb } from "@/lib/db/client";
import { exportSlots, withExportSlot } from "@/lib/export/slots";
import { adminDownload, otherMethods } from "@/lib/api/route";

export const dynamic = "force-dynamic";

/**
 * `GET /api/activity/export?kind=&admin=&from=&to=`: the matching entries as
 * CSV, oldest first; holds an export slot (429 `too_many_exports`) while it runs.
 */
export const GET = adminDownload("GET /api/activity/export", async ({ request, session }) => {
  const query = parseActivityQuery(new URL(request.url).searchParams, [
    "kind",
    "admin",
    "from",
    "to",
  ]);
  if (!query.ok) throw new ApiError("invalid_query", query.message);
  const db = await getDb();
  const startedAt = performance.now();
  const filters = {
    kind: query.value.kind ?? null,
    admin: query.value.admin !== undefined,
    from: query.value.from?.toISOString() ?? null,
    to: query.value.to?.toISOString() ?? null,
  };
  // Recorded when the file has been sent, with its hash; the entry is appended after the
  // rows were read, so the file never contains its own entry.
  const record = {
    id: 0,
    async finish(end: {
      outcome: "ok" | "failed" | "cancelled";
      rows: number;
      bytes: number;
      sha256: string;
    }) {
      await recordActivity(db, {
        kind: "activity.exported",
        admin: session.email,
        details: {
          filters,
          outcome: end.outcome,
          rows: end.rows,
          bytes: end.bytes,
          sha256: end.sha256,
        },
      });
    },
  };
  return await withExportSlot(exportSlots, session.email, request.signal, async () => {
    const stream = await startActivityCsvExport({ db, query: query.value, signal: request.signal });
    const body = trackExport(stream, record, startedAt);
    const day = new Date().toISOString().slice(0, 10);
    return new Response(body, {
      headers: {
        // no-transform: gzip would hold back the failure line of a download cut midway.
        "Cache-Control": "no-store, no-transform",
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="roster-activity-${day}.csv"`,
      },
    });
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
