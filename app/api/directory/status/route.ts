import { getDb } from "@/lib/db/client";
import { directoryStatus } from "@/lib/directory/status";
import { NO_STORE, adminRoute, otherMethods } from "@/lib/api/route";
import { jsonResponse } from "@/lib/api/json";

export const dynamic = "force-dynamic";

/**
 * `GET /api/directory/status`: each vendor's current snapshot, running sync, last failure and
 * next scheduled sync.
 */
export const GET = adminRoute("GET /api/directory/status", { noQuery: true }, async () => {
  const status = await directoryStatus(await getDb());
  return jsonResponse(status, { headers: NO_STORE });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
