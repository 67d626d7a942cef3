import { errorResponse } from "@/lib/api/errors";
import { downloadReviewFile } from "@/lib/reviews/downloads";
import { requireAdmin } from "@/lib/reviews/http";
import { parseReviewId } from "@/lib/reviews/store";

export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ id: string }>;
}

/** `GET /api/reviews/{id}/revoke.csv`. */
export async function GET(request: Request, context: Context): Promise<Response> {
  try {
    const session = await requireAdmin(request);
    const id = parseReviewId((await context.params).id);
    return await downloadReviewFile(session.email, id, "revoke.csv");
  } catch (error) {
    return errorResponse(error, "GET /api/reviews/[id]/revoke.csv", request);
  }
}
