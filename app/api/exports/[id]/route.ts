import { ApiError } from "@/lib/api/errors";
import { getExportManifest } from "@/lib/activity/exports";
import { getDb } from "@/lib/db/client";
import { NO_STORE, adminRoute, otherMethods } from "@/lib/api/route";
import { jsonResponse } from "@/lib/api/json";

export const dynamic = "force-dynamic";

/** `GET /api/exports/{id}`: the manifest of the export whose response carried `X-Roster-Export-Id: {id}`. */
export const GET = adminRoute<{ id: string }>(
  "GET /api/exports/[id]",
  { noQuery: true },
  async ({ params }) => {
    const raw = params.id;
    const id = /^[1-9][0-9]{0,15}$/.test(raw) ? Number(raw) : NaN;
    const manifest = Number.isSafeInteger(id) ? await getExportManifest(await getDb(), id) : null;
    if (!manifest) throw new ApiError("not_found", `There is no export ${raw}.`);
    return jsonResponse(manifest, { headers: NO_STORE });
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
