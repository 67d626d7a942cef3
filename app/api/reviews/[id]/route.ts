import { errorResponse } from "@/lib/api/errors";
import { getDb } from "@/lib/db/client";
import { NO_STORE, requireAdmin } from "@/lib/reviews/http";
import { parseReviewId, requireReview } from "@/lib/reviews/store";

export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ id: string }>;
}

/** `GET /api/reviews/{id}`: the review, its frozen snapshots and its counts. */
export async function GET(request: Request, context: Context): Promise<Response> {
  try {
    await requireAdmin(request);
    const id = parseReviewId((await context.params).id);
    return Response.json(await requireReview(await getDb(), id), { headers: NO_STORE });
  } catch (error) {
    return errorResponse(error, "GET /api/reviews/[id]", request);
  }
}
