import { getDb } from "@/lib/db/client";
import { parseBody } from "@/lib/reviews/http";
import { decisionsBodySchema } from "@/lib/reviews/schema";
import { decide, parseReviewId } from "@/lib/reviews/store";
import { NO_STORE, adminMutation, otherMethods } from "@/lib/api/route";
import { jsonResponse } from "@/lib/api/json";

export const dynamic = "force-dynamic";

/** `POST /api/reviews/{id}/decisions` `[{ itemId, decision, comment? }]`: one or many decisions. */
export const POST = adminMutation<{ id: string }>(
  "POST /api/reviews/[id]/decisions",
  { noQuery: true },
  async ({ request, session, params }) => {
    const body = await parseBody(request, decisionsBodySchema);
    const id = parseReviewId(params.id);
    return jsonResponse(await decide(await getDb(), id, session.email, body), {
      headers: NO_STORE,
    });
  },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
