import { recordedCsvResponse } from "@/lib/activity/exports";
import { ApiError } from "@/lib/api/errors";
import { getDb } from "@/lib/db/client";
import { ensurePeople } from "@/lib/people/build";
import { countMatching } from "@/lib/people/list";
import { PEOPLE_COLUMNS, peopleExportFilename, startPeopleCsvExport } from "@/lib/people/export";
import { parsePeopleFilters } from "@/lib/people/contract";
import { exportSlots, withExportSlot } from "@/lib/export/slots";
import { adminDownload, otherMethods } from "@/lib/api/route";

export const dynamic = "force-dynamic";

/**
 * `GET /api/people/export?email=&flag=&vendor=`: every matching person as CSV,
 * streamed from one People build (a rebuild midway: the download ends with
 * `#roster-export-failed:list_changed`); holds an export slot (429
 * `too_many_exports`) while it runs. `X-Total-Count`: the people the file
 * holds when it completes, so the page can show "N of M".
 */
export const GET = adminDownload("GET /api/people/export", async ({ request, session }) => {
  const filters = parsePeopleFilters(new URL(request.url).searchParams);
  if (!filters.ok) throw new ApiError("invalid_query", filters.message);
  return await withExportSlot(exportSlots, session.email, request.signal, async () => {
    const db = await getDb();
    const state = await ensurePeople(db);
    // Before the stream: a rebuild after it fails the export (list_changed), never a wrong count.
    const total = await countMatching(db, state, filters.value);
    const stream = await startPeopleCsvExport({
      db,
      filters: filters.value,
      state,
      signal: request.signal,
    });
    return await recordedCsvResponse(
      stream,
      {
        admin: session.email,
        list: "people",
        provider: null,
        source: "directory",
        snapshotId: null,
        people: { generation: state.generation, ...state.inputs },
        filters: {
          flags: [...filters.value.flags],
          vendors: [...filters.value.vendors],
          email: filters.value.email !== undefined,
        },
        columns: PEOPLE_COLUMNS.map(([id]) => id),
      },
      {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${peopleExportFilename()}"`,
        // no-transform: gzip would hold back the failure line of a download cut midway.
        "Cache-Control": "no-store, no-transform",
        "X-Total-Count": String(total),
      },
    );
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
