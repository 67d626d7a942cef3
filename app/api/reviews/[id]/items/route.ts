import { ApiError } from "@/lib/api/errors";
import { getDb } from "@/lib/db/client";
import { parseItemsQuery } from "@/lib/reviews/schema";
import { listItems, parseReviewId, requireReview } from "@/lib/reviews/store";
import { NO_STORE, adminRoute, otherMethods } from "@/lib/api/route";
import { jsonResponse } from "@/lib/api/json";

export const dynamic = "force-dynamic";

/** `GET /api/reviews/{id}/items?decision=&flagged=&changed=&limit=&cursor=`: one page of accounts. */
export const GET = adminRoute<{ id: string }>(
  "GET /api/reviews/[id]/items",
  async ({ request, params }) => {
    const id = parseReviewId(params.id);
    const query = parseItemsQuery(new URL(request.url).searchParams);
    if (!query.ok) throw new ApiError("invalid_query", query.message);
    const db = await getDb();
    await requireReview(db, id);
    return jsonResponse(await listItems(db, id, query.value), { headers: NO_STORE });
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
