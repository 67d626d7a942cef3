import { errorResponse, unauthenticated } from "@/lib/api/errors";
import { getAdminSession } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { directoryStatus } from "@/lib/directory/status";

export const dynamic = "force-dynamic";

/** `GET /api/directory/status`: each vendor's current snapshot, running sync and last failure. */
export async function GET(request: Request): Promise<Response> {
  try {
    if (!(await getAdminSession(request))) throw unauthenticated();
    const status = await directoryStatus(await getDb());
    return Response.json(status, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error, "GET /api/directory/status", request);
  }
}
