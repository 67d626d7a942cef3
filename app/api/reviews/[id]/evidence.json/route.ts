import { downloadReviewFile } from "@/lib/reviews/downloads";
import { parseReviewId } from "@/lib/reviews/store";
import { adminDownload, otherMethods } from "@/lib/api/route";

export const dynamic = "force-dynamic";

/** `GET /api/reviews/{id}/evidence.json`. */
export const GET = adminDownload<{ id: string }>(
  "GET /api/reviews/[id]/evidence.json",
  { noQuery: true },
  async ({ session, params }) => {
    const id = parseReviewId(params.id);
    return await downloadReviewFile(session.email, id, "evidence.json");
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
