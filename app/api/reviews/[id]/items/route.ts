import { ApiError, errorResponse } from "@/lib/api/errors";
import { getDb } from "@/lib/db/client";
import { NO_STORE, requireAdmin } from "@/lib/reviews/http";
import { parseItemsQuery } from "@/lib/reviews/schema";
import { listItems, parseReviewId, requireReview } from "@/lib/reviews/store";

export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ id: string }>;
}

/** `GET /api/reviews/{id}/items?decision=&flagged=&changed=&limit=&cursor=`: one page of accounts. */
export async function GET(request: Request, context: Context): Promise<Response> {
  try {
    await requireAdmin(request);
    const id = parseReviewId((await context.params).id);
    const query = parseItemsQuery(new URL(request.url).searchParams);
    if (!query.ok) throw new ApiError("invalid_query", query.message);
    const db = await getDb();
    await requireReview(db, id);
    return Response.json(await listItems(db, id, query.value), { headers: NO_STORE });
  } catch (error) {
    return errorResponse(error, "GET /api/reviews/[id]/items", request);
  }
}
