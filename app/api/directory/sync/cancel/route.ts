import { ApiError, errorResponse, unauthenticated } from "@/lib/api/errors";
import { assertSameOrigin, readJsonBody } from "@/lib/api/request-guards";
import { getAdminSession } from "@/lib/auth/session";
import { cancelSync } from "@/lib/directory/jobs";
import { syncRequestSchema } from "@/lib/directory/schema";

export const dynamic = "force-dynamic";

/**
 * `POST /api/directory/sync/cancel` with `{ "provider": "openai" }`: stops
 * that vendor's running sync, on whichever instance runs it; the previous
 * snapshot stays current. 404 `not_found` when none runs.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    if (!(await getAdminSession(request))) throw unauthenticated();
    assertSameOrigin(request);
    const body = syncRequestSchema.safeParse(await readJsonBody(request, 1024));
    if (!body.success || !body.data.provider) {
      throw new ApiError("invalid_query", 'The body must be { "provider": "telnyx" | "openai" }.');
    }
    if (!(await cancelSync(body.data.provider))) {
      throw new ApiError("not_found", "No sync of that vendor is running.");
    }
    return Response.json({ cancelled: true }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error, "POST /api/directory/sync/cancel", request);
  }
}
