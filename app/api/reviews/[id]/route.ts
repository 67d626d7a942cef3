import { getDb } from "@/lib/db/client";
import { parseReviewId, requireReview } from "@/lib/reviews/store";
import { NO_STORE, adminRoute, otherMethods } from "@/lib/api/route";
import { jsonResponse } from "@/lib/api/json";

export const dynamic = "force-dynamic";

/** `GET /api/reviews/{id}`: the review, its frozen snapshots and its counts. */
export const GET = adminRoute<{ id: string }>(
  "GET /api/reviews/[id]",
  { noQuery: true },
  async ({ params }) => {
    const id = parseReviewId(params.id);
    return jsonResponse(await requireReview(await getDb(), id), { headers: NO_STORE });
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
