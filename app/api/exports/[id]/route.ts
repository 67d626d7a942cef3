import { ApiError, errorResponse } from "@/lib/api/errors";
import { getExportManifest } from "@/lib/activity/exports";
import { getDb } from "@/lib/db/client";
import { NO_STORE, requireAdmin } from "@/lib/reviews/http";

export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ id: string }>;
}

/** `GET /api/exports/{id}`: the manifest of the export whose response carried `X-Roster-Export-Id: {id}`. */
export async function GET(request: Request, context: Context): Promise<Response> {
  try {
    await requireAdmin(request);
    const raw = (await context.params).id;
    const id = /^[1-9][0-9]{0,15}$/.test(raw) ? Number(raw) : NaN;
    const manifest = Number.isSafeInteger(id) ? await getExportManifest(await getDb(), id) : null;
    if (!manifest) throw new ApiError("not_found", `There is no export ${raw}.`);
    return Response.json(manifest, { headers: NO_STORE });
  } catch (error) {
    return errorResponse(error, "GET /api/exports/[id]", request);
  }
}
