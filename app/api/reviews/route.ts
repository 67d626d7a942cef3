import { errorResponse } from "@/lib/api/errors";
import { getDb } from "@/lib/db/client";
import { NO_STORE, parseMutation, requireAdmin } from "@/lib/reviews/http";
import { createReviewSchema } from "@/lib/reviews/schema";
import { createReview, listReviews } from "@/lib/reviews/store";

export const dynamic = "force-dynamic";

/** `GET /api/reviews`: every review, newest first, with its counts. */
export async function GET(request: Request): Promise<Response> {
  try {
    await requireAdmin(request);
    return Response.json({ data: await listReviews(await getDb()) }, { headers: NO_STORE });
  } catch (error) {
    return errorResponse(error, "GET /api/reviews", request);
  }
}

/** `POST /api/reviews` `{ name, dueDate, scope }`: starts a review, freezing its scope. */
export async function POST(request: Request): Promise<Response> {
  try {
    const { session, body } = await parseMutation(request, createReviewSchema);
    const review = await createReview(await getDb(), session.email, body);
    return Response.json(review, { status: 201, headers: NO_STORE });
  } catch (error) {
    return errorResponse(error, "POST /api/reviews", request);
  }
}
