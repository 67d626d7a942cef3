import { verifyActivity } from "@/lib/activity/log";
import { getDb } from "@/lib/db/client";
import { NO_STORE, adminRoute, otherMethods } from "@/lib/api/route";
import { jsonResponse } from "@/lib/api/json";

export const dynamic = "force-dynamic";

/**
 * `GET /api/activity/verify`: checks the whole chain. 200 either way: a
 * broken chain is an answer (`ok: false` naming the first broken entry), not
 * a fault of the request.
 */
export const GET = adminRoute("GET /api/activity/verify", { noQuery: true }, async () => {
  return jsonResponse(await verifyActivity(await getDb()), { headers: NO_STORE });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
