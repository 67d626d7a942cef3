import { getDb } from "@/lib/db/client";
import { parseBody } from "@/lib/reviews/http";
import { createReviewSchema } from "@/lib/reviews/schema";
import { createReview, listReviews } from "@/lib/reviews/store";
import { NO_STORE, adminMutation, adminRoute, otherMethods } from "@/lib/api/route";
import { jsonResponse } from "@/lib/api/json";

export const dynamic = "force-dynamic";

/** `GET /api/reviews`: every review, newest first, with its counts. */
export const GET = adminRoute("GET /api/reviews", { noQuery: true }, async () => {
  return jsonResponse({ data: await listReviews(await getDb()) }, { headers: NO_STORE });
});

/** `POST /api/reviews` `{ name, dueDate, scope }`: starts a review, freezing its scope. */
export const POST = adminMutation(
  "POST /api/reviews",
  { noQuery: true },
  async ({ request, session }) => {
    const body = await parseBody(request, createReviewSchema);
    const review = await createReview(await getDb(), session.email, body);
    return jsonResponse(review, { status: 201, headers: NO_STORE });
  },
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
