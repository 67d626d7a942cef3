import { getDb } from "@/lib/db/client";
import { closeReview, parseReviewId } from "@/lib/reviews/store";
import { NO_STORE, adminMutation, otherMethods } from "@/lib/api/route";
import { jsonResponse } from "@/lib/api/json";

export const dynamic = "force-dynamic";

/** `POST /api/reviews/{id}/close`: 409 `review_incomplete` while any account is undecided. */
export const POST = adminMutation<{ id: string }>(
  "POST /api/reviews/[id]/close",
  { noQuery: true },
  async ({ session, params }) => {
    const id = parseReviewId(params.id);
    return jsonResponse(await closeReview(await getDb(), id, session.email), {
      headers: NO_STORE,
    });
  },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
