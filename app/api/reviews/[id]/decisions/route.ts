import { errorResponse } from "@/lib/api/errors";
import { getDb } from "@/lib/db/client";
import { NO_STORE, parseMutation } from "@/lib/reviews/http";
import { decisionsBodySchema } from "@/lib/reviews/schema";
import { decide, parseReviewId } from "@/lib/reviews/store";

export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ id: string }>;
}

/** `POST /api/reviews/{id}/decisions` `[{ itemId, decision, comment? }]`: one or many decisions. */
export async function POST(request: Request, context: Context): Promise<Response> {
  try {
    const { session, body } = await parseMutation(request, decisionsBodySchema);
    const id = parseReviewId((await context.params).id);
    return Response.json(await decide(await getDb(), id, session.email, body), {
      headers: NO_STORE,
    });
  } catch (error) {
    return errorResponse(error, "POST /api/reviews/[id]/decisions", request);
  }
}
