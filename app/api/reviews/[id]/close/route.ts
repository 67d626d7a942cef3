import { errorResponse } from "@/lib/api/errors";
import { getDb } from "@/lib/db/client";
import { NO_STORE, requireAdmin } from "@/lib/reviews/http";
import { assertSameOrigin } from "@/lib/api/request-guards";
import { closeReview, parseReviewId } from "@/lib/reviews/store";

export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ id: string }>;
}

/** `POST /api/reviews/{id}/close`: 409 `review_incomplete` while any account is undecided. */
export async function POST(request: Request, context: Context): Promise<Response> {
  try {
    const session = await requireAdmin(request);
    assertSameOrigin(request);
    const id = parseReviewId((await context.params).id);
    return Response.json(await closeReview(await getDb(), id, session.email), {
      headers: NO_STORE,
    });
  } catch (error) {
    return errorResponse(error, "POST /api/reviews/[id]/close", request);
  }
}
