import { errorResponse } from "@/lib/api/errors";
import { verifyActivity } from "@/lib/activity/log";
import { getDb } from "@/lib/db/client";
import { NO_STORE, requireAdmin } from "@/lib/reviews/http";

export const dynamic = "force-dynamic";

/**
 * `GET /api/activity/verify`: checks the whole chain. 200 either way: a
 * broken chain is an answer (`ok: false` naming the first broken entry), not
 * a fault of the request.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    await requireAdmin(request);
    return Response.json(await verifyActivity(await getDb()), { headers: NO_STORE });
  } catch (error) {
    return errorResponse(error, "GET /api/activity/verify", request);
  }
}
