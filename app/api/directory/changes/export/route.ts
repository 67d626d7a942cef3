import { recordedCsvResponse } from "@/lib/activity/exports";
import { ApiError } from "@/lib/api/errors";
import { getDb } from "@/lib/db/client";
import { listChanges } from "@/lib/directory/changes";
import { CSV_BOM, csvRow } from "@/lib/export/csv";
import { providerIdSchema } from "@/lib/users/schema";
import { adminRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

const HEADER = ["change", "id", "email", "name", "field", "old", "new"];

/**
 * `GET /api/directory/changes/export?provider=&from=&to=`: the changes as CSV,
 * one line per changed field (added and removed users: one line each), with
 * the same formula guard as the users export. The whole range is read before
 * answering, so a failure is a JSON error, never a short file.
 */
export const GET = adminRoute("GET /api/directory/changes/export", async ({ request, session }) => {
  const params = new URL(request.url).searchParams;
  const provider = providerIdSchema.safeParse(params.get("provider"));
  if (!provider.success) throw new ApiError("invalid_query", "provider must be telnyx or openai");
  const db = await getDb();
  const lines = [CSV_BOM + csvRow(HEADER)];
  let cursor: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const result = await listChanges(db, {
      provider: provider.data,
      from: params.get("from") ?? undefined,
      to: params.get("to") ?? undefined,
      limit: 500,
      cursor,
    });
    for (const change of result.data) {
      const who = [change.change, change.id, change.email, change.name];
      if (change.fields.length === 0) lines.push(csvRow([...who, null, null, null]));
      for (const field of change.fields) {
        const text = (v: string | boolean | null) => (v === null ? null : String(v));
        lines.push(csvRow([...who, field.field, text(field.old), text(field.new)]));
      }
    }
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return await recordedCsvResponse(
    new Blob([lines.join("")]).stream(),
    {
      admin: session.email,
      list: "changes",
      provider: provider.data,
      source: "directory",
      snapshotId: null,
      filters: {
        from: params.get("from")?.slice(0, 40) ?? null,
        to: params.get("to")?.slice(0, 40) ?? null,
      },
      columns: HEADER,
    },
    {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="roster-${provider.data}-changes.csv"`,
      "Cache-Control": "no-store",
    },
  );
});
